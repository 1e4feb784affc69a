//! The demo's MCP resources: a few short notes, one template that names
//! any note by number, and more notes than fit on one page of
//! `resources/list`.

use rmcp::ErrorData;
use rmcp::model::{Resource, ResourceContents, ResourceTemplate};

/// How many notes `resources/list` lists.
pub const NOTES: u64 = 7;
/// The highest note number the template reads.
const MAX_NOTE: u64 = 1000;
const PREFIX: &str = "demo://notes/";

/// Every listed resource, in order.
pub(super) fn resources() -> Vec<Resource> {
    (1..=NOTES)
        .map(|n| {
            Resource::new(format!("{PREFIX}{n}"), format!("note-{n}"))
                .with_title(format!("Note {n}"))
                .with_description(format!("demo note number {n}"))
                .with_mime_type("text/plain")
        })
        .collect()
}

/// The resource templates.
pub(super) fn templates() -> Vec<ResourceTemplate> {
    vec![
        ResourceTemplate::new(format!("{PREFIX}{{n}}"), "note")
            .with_title("Any note")
            .with_description(format!("note n, for n from 1 to {MAX_NOTE}"))
            .with_mime_type("text/plain"),
    ]
}

/// The contents of the resource at `uri`.
pub(super) fn read(uri: &str) -> Result<ResourceContents, ErrorData> {
    let number = uri
        .strip_prefix(PREFIX)
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| (1..=MAX_NOTE).contains(n));
    match number {
        Some(n) => Ok(ResourceContents::text(
            format!("Note {n}: resources are read with resources/read.\n"),
            uri,
        )
        .with_mime_type("text/plain")),
        None => Err(ErrorData::resource_not_found(
            format!(
                "no resource {:?}: the demo has {PREFIX}1 to {PREFIX}{MAX_NOTE}",
                uri.chars().take(200).collect::<String>()
            ),
            None,
        )),
    }
}
