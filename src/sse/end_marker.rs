//! The end of an LLM answer, as the APIs mark it in their last event:
//! OpenAI's `data: [DONE]`, Anthropic's `message_stop`, the Responses API's
//! `response.completed`, Ollama's `"done": true`. An answer that reached its
//! end is over: reconnecting would ask the model again and repeat (and bill)
//! the whole answer, so the connection closes instead, unless the user asked
//! for `--reconnect always` in so many words.
//!
//! Only the last event of an attempt is looked at (once per read, not per
//! event), so a firehose pays nothing for it.

use serde_json::Value;

use super::Event;

/// The marker called `name` (as [`of`] names it), as read back from a capture.
pub fn named(name: &str) -> Option<&'static str> {
    ["[DONE]", "message_stop", "response.completed", "done: true"]
        .into_iter()
        .find(|known| *known == name)
}

/// The end marker `event` is, if it is one: the name shown to the user.
pub fn of(event: &Event) -> Option<&'static str> {
    of_text(event.event_type(), &event.data)
}

/// [`of`] an event given by its type and its data, wherever they lie.
pub fn of_text(event_type: &str, data: &str) -> Option<&'static str> {
    let data = data.trim();
    if data == "[DONE]" {
        return Some("[DONE]");
    }
    if event_type == "message_stop" {
        return Some("message_stop");
    }
    if !data.starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(data).ok()?;
    match value.get("type").and_then(Value::as_str) {
        Some("message_stop") => return Some("message_stop"),
        Some("response.completed") => return Some("response.completed"),
        _ => {}
    }
    (value.get("done") == Some(&Value::Bool(true))).then_some("done: true")
}

/// Whether `data` may make its event an end marker whatever the event's
/// type: only `[DONE]` and JSON objects can. A cheap look (leading
/// whitespace and one character), so a consumer can skip keeping a copy
/// of the data of an event that cannot be one: [`of_text`] of such an
/// event gives what it gives with empty data.
pub fn data_may_mark(data: &str) -> bool {
    let data = data.trim_start();
    data.starts_with('{') || data.starts_with("[DONE]")
}

/// [`data_may_mark`] of data in pieces (plain text, so each piece is
/// ASCII), looking only at its start: true when unsure, so a caller copies.
pub fn pieces_may_mark(pieces: &[bytes::Bytes]) -> bool {
    let mut start = pieces.iter().map(|piece| piece.trim_ascii_start());
    match start.find(|piece| !piece.is_empty()) {
        // `[DONE]` may be cut between pieces: a short start is not judged.
        Some(piece) if piece.len() >= "[DONE]".len() => {
            data_may_mark(&String::from_utf8_lossy(piece))
        }
        Some(_) => true,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_in_pieces_may_mark_as_its_start_says_or_when_the_start_is_too_short_to_say() {
        let pieces = |parts: &[&'static str]| -> Vec<bytes::Bytes> {
            parts
                .iter()
                .map(|part| bytes::Bytes::from_static(part.as_bytes()))
                .collect()
        };
        assert!(!pieces_may_mark(&pieces(&["xxxxxxxx", "{"])));
        assert!(!pieces_may_mark(&pieces(&["   ", "  ", "plain text"])));
        assert!(!pieces_may_mark(&pieces(&["    "])));
        assert!(pieces_may_mark(&pieces(&["  ", "{ } and more"])));
        assert!(pieces_may_mark(&pieces(&["[DONE]  "])));
        // `[DONE]` cut between pieces: not judged from the first alone.
        assert!(pieces_may_mark(&pieces(&["  [DO", "NE]"])));
    }

    fn event(kind: &str, data: &str) -> Event {
        Event {
            event: kind.into(),
            data: data.into(),
            id: "".into(),
            sets_id: false,
            retry_ms: None,
            raw: 0..0,
        }
    }

    #[test]
    fn each_apis_last_event_is_recognised_and_nothing_else() {
        assert_eq!(of(&event("", " [DONE]")), Some("[DONE]"));
        assert_eq!(
            of(&event("message_stop", r#"{"type":"message_stop"}"#)),
            Some("message_stop")
        );
        assert_eq!(
            of(&event("", r#"{"type":"response.completed","response":{}}"#)),
            Some("response.completed")
        );
        assert_eq!(
            of(&event("", r#"{"model":"m","done":true,"message":{}}"#)),
            Some("done: true")
        );
        for (kind, data) in [
            ("", r#"{"done":false}"#),
            ("", r#"{"choices":[{"delta":{"content":"[DONE]"}}]}"#),
            ("tick", "1"),
            ("", "{not json"),
            ("", r#"{"type":"message_delta"}"#),
        ] {
            assert_eq!(of(&event(kind, data)), None, "{kind} {data}");
        }
    }

    #[test]
    fn data_that_cannot_mark_an_end_judges_as_empty_data_does() {
        for data in [
            " [DONE]",
            "[DONE]\n",
            " \u{2003}{\"done\":true}",
            r#"{"type":"message_stop"}"#,
            "{not json",
            "[DONE] and more",
            "tick",
            "",
            "\u{2003}",
            "[1,2]",
            "\"[DONE]\"",
        ] {
            for kind in ["", "message_stop", "tick"] {
                if !data_may_mark(data) {
                    assert_eq!(of_text(kind, data), of_text(kind, ""), "{kind} {data:?}");
                }
            }
            let marks = of_text("", data).is_some();
            assert!(!marks || data_may_mark(data), "{data:?} marks an end");
        }
        assert!(data_may_mark(" [DONE]") && data_may_mark("{}") && !data_may_mark("tick"));
    }
}
