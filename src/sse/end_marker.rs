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

#[cfg(test)]
mod tests {
    use super::*;

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
}
