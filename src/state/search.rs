//! Search across events: a query typed after `/`, matched case-insensitively
//! against each event's type (as sent), id and data; `n`/`N` jump between matches and
//! `F` hides everything else.

use super::event_log::{Row, RowKind};

/// The search state: the query, whether it is being typed, and whether the
/// list shows only matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    pub query: String,
    /// Keys go to the query until Enter or Esc.
    pub editing: bool,
    /// Show only matching events.
    pub filter: bool,
    /// The query lower-cased, kept in step with `query`.
    lowered: String,
}

impl Search {
    /// Whether a query is in force.
    pub fn is_active(&self) -> bool {
        !self.query.is_empty()
    }

    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.lowered = self.query.to_lowercase();
    }

    pub fn pop(&mut self) {
        self.query.pop();
        self.lowered = self.query.to_lowercase();
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Whether a row matches the query. Only events match; with no query, nothing does.
    pub fn matches(&self, row: &Row) -> bool {
        if self.lowered.is_empty() {
            return false;
        }
        match &row.kind {
            RowKind::Event { event, .. } => {
                // The type the server sent: the implied `message` would match every short query.
                contains(&event.event, &self.lowered)
                    || contains(&event.id, &self.lowered)
                    || contains(&event.data, &self.lowered)
            }
            RowKind::Block(_) | RowKind::Marker(_) => false,
        }
    }

    /// Whether the given row (if any) matches.
    pub fn matches_row(&self, row: Option<&Row>) -> bool {
        row.is_some_and(|r| self.matches(r))
    }

    /// Whether a row is listed at all under this search.
    pub fn shows(&self, row: &Row) -> bool {
        !self.filter || !self.is_active() || self.matches(row)
    }
}

/// Case-insensitive substring test without allocating for ASCII haystacks.
fn contains(haystack: &str, lowered_needle: &str) -> bool {
    if haystack.is_ascii() && lowered_needle.is_ascii() {
        let needle = lowered_needle.as_bytes();
        return haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle));
    }
    haystack.to_lowercase().contains(lowered_needle)
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::sse::Event;

    fn event(ty: &str, data: &str, id: &str) -> Row {
        Row {
            received_at: SystemTime::UNIX_EPOCH,
            attempt: 1,
            kind: RowKind::Event {
                seq: 1,
                event: Event {
                    event: ty.into(),
                    data: data.into(),
                    id: id.into(),
                    retry_ms: None,
                    raw: 0..0,
                },
            },
            attempt_info: None,
        }
    }

    fn search(q: &str) -> Search {
        let mut s = Search::default();
        q.chars().for_each(|c| s.push(c));
        s
    }

    #[test]
    fn matches_type_id_and_data_ignoring_case() {
        assert!(search("WARN").matches(&event("warn", "x", "")));
        assert!(search("42").matches(&event("", "x", "42")));
        assert!(search("disk full").matches(&event("", "ERROR: Disk Full", "")));
        assert!(search("ünï").matches(&event("", "ÜNÏcode", "")));
        assert!(!search("nope").matches(&event("a", "b", "c")));
        assert!(
            !search("").matches(&event("a", "b", "c")),
            "no query matches nothing"
        );
    }

    #[test]
    fn markers_never_match_and_filter_hides_them() {
        let marker = Row {
            received_at: SystemTime::UNIX_EPOCH,
            attempt: 1,
            kind: RowKind::Marker("connected".into()),
            attempt_info: None,
        };
        let mut s = search("connected");
        assert!(!s.matches(&marker));
        assert!(s.shows(&marker), "without the filter everything shows");
        s.filter = true;
        assert!(!s.shows(&marker));
        s.clear();
        s.filter = true;
        assert!(s.shows(&marker), "a filter without a query hides nothing");
    }

    #[test]
    fn backspace_edits_the_query() {
        let mut s = search("abc");
        s.pop();
        assert_eq!(s.query, "ab");
        assert!(s.matches(&event("", "xABx", "")));
    }
}
