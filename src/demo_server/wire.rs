//! The SSE wire format, written by hand.
//!
//! The demo server writes its own bytes rather than use a framework's SSE
//! support so that what it sends is exactly what a reader of this file expects:
//! LF line endings, one `data:` line per line of data, a blank line to end each
//! block. Field values never contain line breaks (they would end the field), so
//! `id:` and `event:` values are stripped of CR, LF and NUL.

use std::fmt::Write as _;

use bytes::Bytes;

/// One SSE block under construction: fields in the order they are added, then
/// the blank line that dispatches it.
#[derive(Debug, Default)]
pub(crate) struct Frame {
    text: String,
}

impl Frame {
    /// An empty block: add fields, then [`Frame::into_bytes`].
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Adds `id: <id>`: what the client sends back as `Last-Event-ID`.
    pub(crate) fn id(mut self, id: impl std::fmt::Display) -> Self {
        let id = single_line(&id.to_string());
        let _ = writeln!(self.text, "id: {id}");
        self
    }

    /// Adds `event: <name>`: the event type (`message` when absent).
    pub(crate) fn event(mut self, name: &str) -> Self {
        let _ = writeln!(self.text, "event: {}", single_line(name));
        self
    }

    /// Adds `retry: <ms>`: the client's reconnection delay.
    pub(crate) fn retry(mut self, ms: u64) -> Self {
        let _ = writeln!(self.text, "retry: {ms}");
        self
    }

    /// Adds the data, one `data:` line per line (CRLF, CR and LF all split lines).
    pub(crate) fn data(mut self, data: &str) -> Self {
        for line in lines(data) {
            if line.is_empty() {
                self.text.push_str("data:\n");
            } else {
                let _ = writeln!(self.text, "data: {line}");
            }
        }
        self
    }

    /// Adds a comment, one `:` line per line: ignored by clients, seen on the wire.
    pub(crate) fn comment(mut self, text: &str) -> Self {
        for line in lines(text) {
            if line.is_empty() {
                self.text.push_str(":\n");
            } else {
                let _ = writeln!(self.text, ": {line}");
            }
        }
        self
    }

    /// The block's bytes, ended with the blank line that dispatches it.
    pub(crate) fn into_bytes(mut self) -> Bytes {
        self.text.push('\n');
        Bytes::from(self.text)
    }
}

/// JSON text of a value the demo built itself. These cannot fail to serialize;
/// should one ever, the event says so instead of the server panicking.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot encode event data: {e}\"}}"))
}

/// Splits on CRLF, CR or LF, keeping empty lines (a trailing line break yields
/// a final empty line, as it must for the data to round-trip).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\r', '\n']) {
            Some(i) => {
                let skip = if current[i..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = Some(&current[i + skip..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

/// A field value that cannot end its line early.
fn single_line(value: &str) -> String {
    value.replace(['\r', '\n', '\0'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(frame: Frame) -> String {
        String::from_utf8(frame.into_bytes().to_vec()).unwrap()
    }

    #[test]
    fn fields_in_order_then_blank_line() {
        let f = Frame::new().id(3).event("tick").retry(2000).data("{}");
        assert_eq!(text(f), "id: 3\nevent: tick\nretry: 2000\ndata: {}\n\n");
    }

    #[test]
    fn multi_line_data_and_comments() {
        let f = Frame::new().data("a\r\nb\rc\n\nd\n");
        assert_eq!(
            text(f),
            "data: a\ndata: b\ndata: c\ndata:\ndata: d\ndata:\n\n"
        );
        assert_eq!(text(Frame::new().comment("hi\nthere")), ": hi\n: there\n\n");
    }

    #[test]
    fn field_values_cannot_break_lines() {
        let f = Frame::new().id("a\nb").event("x\r\ny");
        assert_eq!(text(f), "id: a b\nevent: x  y\n\n");
    }
}
