//! What the demo reads from a request body: the model name, the messages,
//! and whether to stream and to reason, in each API's own request shape.
//!
//! Fields the demo does not use are ignored, but a body that is not JSON,
//! lacks the API's `messages` (`input` for Responses), or whose messages
//! have the wrong shape is refused with a message that says what is wrong:
//! that is the mistake someone editing a request body by hand needs to see,
//! and the refusal an SDK turns into its own error type.

use serde_json::Value;

use super::Api;
use super::answer::DEFAULT_MODEL;

/// A sample request body for `POST /chat`; the UI pre-fills its body editor with it.
pub const CHAT_SAMPLE_BODY: &str = r#"{
  "model": "demo-1",
  "stream": true,
  "messages": [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Explain Server-Sent Events in one paragraph."}
  ]
}"#;

/// A sample request body for `POST /v1/responses`.
pub const RESPONSES_SAMPLE_BODY: &str = r#"{
  "model": "demo-1",
  "stream": true,
  "instructions": "You are a helpful assistant.",
  "input": "Explain Server-Sent Events in one paragraph."
}"#;

/// A sample request body for `POST /v1/messages`.
pub const MESSAGES_SAMPLE_BODY: &str = r#"{
  "model": "demo-1",
  "max_tokens": 1024,
  "stream": true,
  "system": "You are a helpful assistant.",
  "messages": [
    {"role": "user", "content": "Explain Server-Sent Events in one paragraph."}
  ]
}"#;

/// What a request asks of the demo model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ask {
    pub(crate) model: String,
    /// Each message as (role, text); system instructions as role `system`.
    pub(crate) messages: Vec<(String, String)>,
    /// Stream the answer (each API's default when the body does not say).
    pub(crate) stream: bool,
    /// The body asks for reasoning the way its API does.
    pub(crate) reasoning: bool,
    /// OpenAI chat's `stream_options.include_usage`: a usage chunk at the end.
    pub(crate) include_usage: bool,
}

/// Reads a `/chat` body: lenient as that endpoint always was (an empty body
/// is a request with no messages, and `messages` may be left out).
pub(crate) fn read_body(body: &[u8]) -> Result<(String, Vec<(String, String)>), String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok((DEFAULT_MODEL.to_owned(), Vec::new()));
    }
    let value = parse(body, "/chat", "chat", CHAT_SAMPLE_BODY)?;
    let messages = match value.get("messages") {
        None | Some(Value::Null) => Vec::new(),
        Some(list) => messages(list, "messages")?,
    };
    Ok((model(&value), messages))
}

/// Reads the body of a request to `api`'s path.
pub(crate) fn read(api: Api, body: &[u8]) -> Result<Ask, String> {
    let (kind, sample) = match api {
        Api::OpenAiChat | Api::Ollama => ("chat", CHAT_SAMPLE_BODY),
        Api::Responses => ("Responses", RESPONSES_SAMPLE_BODY),
        Api::Anthropic => ("Messages", MESSAGES_SAMPLE_BODY),
    };
    let value = parse(body, api.path(), kind, sample)?;
    let flag = |key: &str| value.get(key).and_then(Value::as_bool);
    let mut ask = Ask {
        model: model(&value),
        messages: Vec::new(),
        // Ollama streams unless told not to; the others only when asked.
        stream: flag("stream").unwrap_or(api == Api::Ollama),
        reasoning: false,
        include_usage: false,
    };
    let system = match api {
        Api::Responses => value.get("instructions"),
        Api::Anthropic => value.get("system"),
        Api::OpenAiChat | Api::Ollama => None,
    };
    if let Some(system) = system.filter(|s| !s.is_null()) {
        let text = content_text(system).ok_or("system instructions must be text")?;
        ask.messages.push(("system".to_owned(), text));
    }
    match api {
        Api::Responses => match value.get("input") {
            Some(Value::String(text)) => ask.messages.push(("user".to_owned(), text.clone())),
            Some(list @ Value::Array(_)) => ask.messages.extend(messages(list, "input")?),
            _ => return Err(missing("input", "a string or an array of messages", sample)),
        },
        _ => match value.get("messages") {
            Some(list @ Value::Array(_)) => ask.messages.extend(messages(list, "messages")?),
            _ => return Err(missing("messages", "an array of messages", sample)),
        },
    }
    ask.reasoning = match api {
        Api::OpenAiChat => value
            .get("reasoning_effort")
            .and_then(Value::as_str)
            .is_some_and(|effort| effort != "none"),
        Api::Responses => value.get("reasoning").is_some_and(|r| {
            r.is_object() && r.get("effort").and_then(Value::as_str) != Some("none")
        }),
        Api::Anthropic => {
            value
                .get("thinking")
                .and_then(|t| t.get("type"))
                .and_then(Value::as_str)
                == Some("enabled")
        }
        Api::Ollama => match value.get("think") {
            Some(Value::Bool(think)) => *think,
            Some(Value::String(level)) => !level.is_empty(),
            _ => false,
        },
    };
    ask.include_usage = value
        .get("stream_options")
        .and_then(|o| o.get("include_usage"))
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Ok(ask)
}

/// The body as a JSON object, or why not.
fn parse(body: &[u8], path: &str, kind: &str, sample: &str) -> Result<Value, String> {
    let sample = one_line(sample);
    match serde_json::from_slice::<Value>(body) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(_) => Err(format!(
            "the {path} body must be a JSON object; send JSON like {sample}"
        )),
        Err(e) => Err(format!(
            "the {path} body is not a valid {kind} request: {e}; send JSON like {sample}"
        )),
    }
}

fn missing(key: &str, what: &str, sample: &str) -> String {
    format!(
        "missing required parameter {key:?} ({what}); send JSON like {}",
        one_line(sample)
    )
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn model(value: &Value) -> String {
    value
        .get("model")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .unwrap_or(DEFAULT_MODEL)
        .to_owned()
}

/// Each message of `list` as (role, text); `key` names the list in errors.
fn messages(list: &Value, key: &str) -> Result<Vec<(String, String)>, String> {
    let Some(items) = list.as_array() else {
        return Err(format!("invalid type: {key} must be an array of messages"));
    };
    let mut out = Vec::new();
    for (i, message) in items.iter().enumerate() {
        let role = message.get("role").and_then(Value::as_str);
        let Some(role) = role else {
            // Responses input may hold items other than messages (tool
            // outputs, reasoning): they are not what the user said.
            if key == "input" && message.get("type").is_some() {
                continue;
            }
            return Err(format!("{key}[{i}] must be an object with a \"role\""));
        };
        let content = message.get("content").unwrap_or(&Value::Null);
        let text = content_text(content).ok_or_else(|| {
            format!(
                "{key}[{i}].content must be a string or an array of {{\"type\":\"text\",\"text\":...}} parts"
            )
        })?;
        out.push((role.to_owned(), text));
    }
    Ok(out)
}

/// The text of a message's content: a string, null, or an array of parts,
/// each with a `text` or at least a `type` (an image, a tool result: no text).
fn content_text(content: &Value) -> Option<String> {
    match content {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Array(parts) => {
            let mut texts = Vec::new();
            for part in parts {
                match (part.get("text"), part.get("type")) {
                    (Some(Value::String(text)), _) => texts.push(text.as_str()),
                    (None, Some(Value::String(_))) => {}
                    _ => return None,
                }
            }
            Some(texts.join(" "))
        }
        _ => None,
    }
}
