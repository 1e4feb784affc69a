//! What `/chat` reads from a request body: the model name and the messages.
//!
//! Bodies are shaped like OpenAI chat-completion requests. Fields the demo does
//! not use are ignored, but a body that is not JSON, or whose messages have the
//! wrong shape, is refused with a 400 that says what is wrong, because that is
//! the mistake someone editing a request body by hand needs to see.

use serde::Deserialize;

use super::params::BadRequest;

/// A sample request body for `POST /chat`; the UI pre-fills its body editor with it.
pub const CHAT_SAMPLE_BODY: &str = r#"{
  "model": "demo-1",
  "stream": true,
  "messages": [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Explain Server-Sent Events in one paragraph."}
  ]
}"#;

/// The model named in replies when the request names none.
const DEFAULT_MODEL: &str = "demo-1";

/// The parts of a chat-completion request the demo reads; other fields are ignored.
#[derive(Deserialize)]
struct ChatRequest {
    model: Option<String>,
    messages: Option<Vec<Message>>,
}

/// One message: who said it and what (a string, null, or an array of text parts).
#[derive(Deserialize)]
struct Message {
    role: String,
    #[serde(default)]
    content: serde_json::Value,
}

/// Reads the request body: the model name and each message as (role, text).
/// An empty body is a request with no messages.
pub(crate) fn read_body(body: &[u8]) -> Result<(String, Vec<(String, String)>), BadRequest> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((DEFAULT_MODEL.to_owned(), Vec::new()));
    }
    let request: ChatRequest = serde_json::from_slice(body).map_err(|e| {
        BadRequest(format!(
            "the /chat body is not a valid chat request: {e}; send JSON like {}",
            CHAT_SAMPLE_BODY
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ))
    })?;
    let mut messages = Vec::new();
    for (i, message) in request.messages.unwrap_or_default().into_iter().enumerate() {
        let text = content_text(&message.content).ok_or_else(|| {
            BadRequest(format!(
                "messages[{i}].content must be a string or an array of {{\"type\":\"text\",\"text\":...}} parts"
            ))
        })?;
        messages.push((message.role, text));
    }
    let model = request.model.unwrap_or_else(|| DEFAULT_MODEL.to_owned());
    Ok((model, messages))
}

/// The text of a message's `content`: a string, null, or an array of text parts.
fn content_text(content: &serde_json::Value) -> Option<String> {
    match content {
        serde_json::Value::Null => Some(String::new()),
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(parts) => {
            let texts: Option<Vec<&str>> = parts
                .iter()
                .map(|part| part.get("text").and_then(|t| t.as_str()))
                .collect();
            texts.map(|t| t.join(" "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_errors_say_what_is_wrong() {
        assert!(read_body(b"{").unwrap_err().0.contains("EOF"));
        let bad = br#"{"messages":[{"role":"user","content":3}]}"#;
        assert!(
            read_body(bad)
                .unwrap_err()
                .0
                .contains("messages[0].content")
        );
        let (model, messages) = read_body(CHAT_SAMPLE_BODY.as_bytes()).unwrap();
        assert_eq!(model, "demo-1");
        assert_eq!(messages.len(), 2);
    }
}
