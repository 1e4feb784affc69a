//! JSON-RPC 2.0 as MCP carries it: one message (or a batch) decoded from an
//! SSE event's data or a JSON body, and a one-line summary of it for lists.
//!
//! Decoding never fails on what a server sends: a message that is not JSON,
//! not an object or not shaped as JSON-RPC is a [`DecodeError`] naming what
//! is wrong, so the caller can show it as received.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::text::{self, Lines};

/// One JSON-RPC message.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// A call that expects an answer with the same id.
    Request {
        id: Value,
        method: String,
        params: Option<Value>,
    },
    /// A call with no id: nothing answers it.
    Notification {
        method: String,
        params: Option<Value>,
    },
    /// A successful answer.
    Response { id: Value, result: Value },
    /// A failed answer; `id` is `null` when the request could not be read.
    Error {
        id: Value,
        code: i64,
        message: String,
        data: Option<Value>,
    },
}

/// What one body or one event's data held.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    One(Message),
    /// A JSON array of messages (2024-11-05 and 2025-03-26 allow batches),
    /// each decoded on its own.
    Batch(Vec<Result<Message, DecodeError>>),
}

impl Decoded {
    /// The messages that decoded, in order.
    pub fn messages(self) -> Vec<Message> {
        match self {
            Decoded::One(message) => vec![message],
            Decoded::Batch(all) => all.into_iter().filter_map(Result::ok).collect(),
        }
    }
}

/// Why a text is not a JSON-RPC message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a JSON object")]
    NotObject,
    #[error("\"jsonrpc\" is not \"2.0\"")]
    Version,
    #[error("an empty batch")]
    EmptyBatch,
    /// Neither a method nor a result or an error, or both.
    #[error("{0}")]
    Shape(&'static str),
}

/// Decodes `text`: one message or a batch.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    let value: Value =
        serde_json::from_str(text).map_err(|err| DecodeError::NotJson(err.to_string()))?;
    match value {
        Value::Array(items) if items.is_empty() => Err(DecodeError::EmptyBatch),
        Value::Array(items) => Ok(Decoded::Batch(
            items.into_iter().map(decode_value).collect(),
        )),
        other => decode_value(other).map(Decoded::One),
    }
}

/// Decodes one message from a JSON value.
pub fn decode_value(value: Value) -> Result<Message, DecodeError> {
    let Value::Object(mut object) = value else {
        return Err(DecodeError::NotObject);
    };
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return Err(DecodeError::Version);
    }
    let id = object.remove("id");
    if let Some(id) = &id
        && !matches!(id, Value::String(_) | Value::Number(_) | Value::Null)
    {
        return Err(DecodeError::Shape(
            "the id is neither a string nor a number",
        ));
    }
    let method = object.remove("method");
    let result = object.remove("result");
    let error = object.remove("error");
    match (method, result, error) {
        (Some(Value::String(method)), None, None) => {
            let params = object.remove("params");
            Ok(match id {
                Some(id) if !id.is_null() => Message::Request { id, method, params },
                _ => Message::Notification { method, params },
            })
        }
        (Some(_), None, None) => Err(DecodeError::Shape("the method is not a string")),
        (None, Some(result), None) => match id {
            Some(id) if !id.is_null() => Ok(Message::Response { id, result }),
            _ => Err(DecodeError::Shape("a result without an id")),
        },
        (None, None, Some(Value::Object(error))) => error_message(id, error),
        (None, None, Some(_)) => Err(DecodeError::Shape("the error is not an object")),
        (None, None, None) => Err(DecodeError::Shape(
            "neither a method, a result nor an error",
        )),
        _ => Err(DecodeError::Shape(
            "more than one of method, result and error",
        )),
    }
}

fn error_message(id: Option<Value>, mut error: Map<String, Value>) -> Result<Message, DecodeError> {
    let code = error
        .get("code")
        .and_then(Value::as_i64)
        .ok_or(DecodeError::Shape("the error's code is not an integer"))?;
    let message = match error.remove("message") {
        Some(Value::String(message)) => message,
        _ => return Err(DecodeError::Shape("the error's message is not a string")),
    };
    Ok(Message::Error {
        id: id.unwrap_or(Value::Null),
        code,
        message,
        data: error.remove("data"),
    })
}

impl Message {
    /// The message as JSON, as it goes on the wire.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        object.insert("jsonrpc".into(), "2.0".into());
        match self {
            Message::Request { id, method, params } => {
                object.insert("id".into(), id.clone());
                object.insert("method".into(), method.clone().into());
                if let Some(params) = params {
                    object.insert("params".into(), params.clone());
                }
            }
            Message::Notification { method, params } => {
                object.insert("method".into(), method.clone().into());
                if let Some(params) = params {
                    object.insert("params".into(), params.clone());
                }
            }
            Message::Response { id, result } => {
                object.insert("id".into(), id.clone());
                object.insert("result".into(), result.clone());
            }
            Message::Error {
                id,
                code,
                message,
                data,
            } => {
                object.insert("id".into(), id.clone());
                let mut error = Map::new();
                error.insert("code".into(), (*code).into());
                error.insert("message".into(), message.clone().into());
                if let Some(data) = data {
                    error.insert("data".into(), data.clone());
                }
                object.insert("error".into(), Value::Object(error));
            }
        }
        Value::Object(object)
    }

    /// The id of a request, a response or an error.
    pub fn id(&self) -> Option<&Value> {
        match self {
            Message::Request { id, .. } | Message::Response { id, .. } => Some(id),
            Message::Error { id, .. } => Some(id),
            Message::Notification { .. } => None,
        }
    }

    /// The method of a request or a notification.
    pub fn method(&self) -> Option<&str> {
        match self {
            Message::Request { method, .. } | Message::Notification { method, .. } => Some(method),
            _ => None,
        }
    }

    /// One line for a list: the kind, the method or the id, and the params,
    /// result or error cut to `width` characters; neutralised, so a server's
    /// text cannot drive the terminal or forge a line.
    pub fn summary(&self, width: usize) -> String {
        let mut line = String::new();
        let _ = match self {
            Message::Request { id, method, params } => write!(
                line,
                "request {method} #{} {}",
                id_text(id),
                brief(params.as_ref())
            ),
            Message::Notification { method, params } => {
                write!(line, "notification {method} {}", brief(params.as_ref()))
            }
            Message::Response { id, result } => {
                write!(line, "response #{} {}", id_text(id), brief(Some(result)))
            }
            Message::Error {
                id, code, message, ..
            } => write!(line, "error #{} {code} {message}", id_text(id)),
        };
        let line = text::neutralise(line.trim_end(), Lines::Single).into_owned();
        text::cut(&line, width).into_owned()
    }
}

/// An id as it is written in a summary: a string in quotes, so `"1"` and
/// `1` (different ids) never look alike.
pub fn id_text(id: &Value) -> String {
    id.to_string()
}

/// A value in brief: JSON text with no spaces.
fn brief(value: Option<&Value>) -> String {
    value.map(Value::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests;
