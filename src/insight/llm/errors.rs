//! Errors a stream reports: where each was seen, and its text.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::str_at;

/// Where an error was seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorSource {
    /// An `event: error`.
    Event,
    /// An error object inside a chunk (`{"error": …}`, `response.failed`).
    Chunk,
    /// The response's HTTP status (the stream never started).
    Http {
        status: u16,
        retry_after: Option<Duration>,
    },
}

/// One error, with its text (cut, untrusted: escape before drawing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    pub source: ErrorSource,
    pub text: String,
    /// When it arrived; `None` for an HTTP error noted without a time.
    pub at: Option<SystemTime>,
}

impl StreamError {
    /// A rate limit or overload: 429, or Anthropic's 529 "overloaded".
    pub fn is_rate_limit(&self) -> bool {
        matches!(
            self.source,
            ErrorSource::Http {
                status: 429 | 529,
                ..
            }
        )
    }
}

/// `type: message` from the error object the APIs send (`{"error": {...}}`,
/// Anthropic's `{"type":"error","error":{...}}`, the Responses API's flat
/// `{"type":"error","code","message"}`), or `None` if `v` holds none.
pub(super) fn error_text(v: &Value) -> Option<String> {
    let inner = v.get("error").unwrap_or(v);
    if let Some(text) = inner.as_str() {
        return Some(text.to_owned());
    }
    let message = str_at(inner, "message");
    let kind = ["type", "code", "status"]
        .iter()
        .find_map(|k| match inner.get(*k) {
            Some(Value::String(s)) if s != "error" => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        });
    match (kind, message) {
        (Some(kind), Some(message)) => Some(format!("{kind}: {message}")),
        (None, Some(message)) => Some(message.to_owned()),
        (Some(kind), None) => Some(kind),
        (None, None) => v.get("error").filter(|e| !e.is_null()).map(compact),
    }
}

pub(super) fn compact(v: &Value) -> String {
    v.to_string()
}
