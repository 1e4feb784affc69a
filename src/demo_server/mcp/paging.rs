//! Lists served a few items at a time, so a client has to follow
//! `nextCursor` to see them all. The cursor is opaque to clients; here it is
//! the index of the page's first item.

use rmcp::ErrorData;

/// Items per page of `resources/list`, `resources/templates/list` and `prompts/list`.
pub const PAGE_SIZE: usize = 3;

/// The page of `items` that `cursor` starts (the first page without one),
/// and the cursor of the next page when there is one.
pub(super) fn page<T: Clone>(
    items: &[T],
    cursor: Option<&str>,
) -> Result<(Vec<T>, Option<String>), ErrorData> {
    let start = match cursor {
        None => 0,
        Some(cursor) => match cursor.parse::<usize>() {
            Ok(start) if start > 0 && start < items.len() => start,
            _ => {
                return Err(ErrorData::invalid_params(
                    format!(
                        "invalid cursor {:?}: use the nextCursor of the previous page",
                        cursor.chars().take(64).collect::<String>()
                    ),
                    None,
                ));
            }
        },
    };
    let end = (start + PAGE_SIZE).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}
