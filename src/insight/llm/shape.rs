//! Which API an event belongs to, and what says an answer is over.

use std::time::SystemTime;

use serde_json::Value;

use super::anthropic::ANTHROPIC_TYPES;
use super::errors::{compact, error_text};
use super::{ErrorSource, Transcript};

/// The API family a stream was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    OpenAiChat,
    OpenAiResponses,
    Anthropic,
    Gemini,
    /// Ollama's native `/api/chat` and `/api/generate`: NDJSON (read with
    /// `--parse-as ndjson`), or the same objects as SSE data.
    Ollama,
    /// Text taken from the user's [`ContentPath`](super::ContentPath), in no known format.
    JsonPath,
}

impl Shape {
    /// A name for people: "OpenAI chat completions"...
    pub fn label(self) -> &'static str {
        match self {
            Shape::OpenAiChat => "OpenAI chat completions",
            Shape::OpenAiResponses => "OpenAI Responses",
            Shape::Anthropic => "Anthropic Messages",
            Shape::Gemini => "Google Gemini",
            Shape::Ollama => "Ollama",
            Shape::JsonPath => "JSON path",
        }
    }
}

/// What said the answer was over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndMarker {
    /// `data: [DONE]` (OpenAI chat completions).
    Done,
    /// `message_stop` (Anthropic).
    MessageStop,
    /// `response.completed` (OpenAI Responses).
    ResponseCompleted,
    /// `response.incomplete` (OpenAI Responses): over, but cut short.
    ResponseIncomplete,
    /// `"done": true` (Ollama).
    OllamaDone,
    /// Only a finish or stop reason (`stop`, `end_turn`, `STOP`...): Gemini's
    /// usual end, and what is left of the others when their marker is missing.
    FinishReason(String),
}

impl std::fmt::Display for EndMarker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EndMarker::Done => f.write_str("[DONE]"),
            EndMarker::MessageStop => f.write_str("message_stop"),
            EndMarker::ResponseCompleted => f.write_str("response.completed"),
            EndMarker::ResponseIncomplete => f.write_str("response.incomplete"),
            EndMarker::OllamaDone => f.write_str("done: true"),
            EndMarker::FinishReason(reason) => write!(f, "finish reason {reason}"),
        }
    }
}

impl Transcript {
    /// Reads one event; returns whether it belongs to an LLM stream.
    pub(super) fn read_event(&mut self, event_type: &str, data: &str, at: SystemTime) -> bool {
        let trimmed = data.trim();
        if trimmed == "[DONE]" {
            self.shape.get_or_insert(Shape::OpenAiChat);
            self.terminal = Some(EndMarker::Done);
            return true;
        }
        let value = if trimmed.starts_with(['{', '[']) {
            serde_json::from_str::<Value>(trimmed).ok()
        } else {
            None
        };
        let Some(value) = value else {
            // Plain text under `event: error` is an error of the answer in an
            // LLM stream (or one that has sent nothing else yet); in a log
            // tail it is just a line at level error.
            let llm = self.shape.is_some() || self.path.is_some() || self.other_events == 0;
            if event_type == "error" && llm {
                let text = if trimmed.is_empty() {
                    "(an error event without data)"
                } else {
                    trimmed
                };
                self.add_error(ErrorSource::Event, text.to_owned(), Some(at));
                return true;
            }
            return event_type == "ping";
        };
        match &value {
            // Gemini without `alt=sse` streams one JSON array; a chunk may hold several.
            Value::Array(items) => {
                let mut any = false;
                for item in items {
                    any |= self.read_object(event_type, item, at);
                }
                if !any && event_type == "error" {
                    self.add_error(ErrorSource::Event, compact(&value), Some(at));
                    return true;
                }
                any
            }
            _ => self.read_object(event_type, &value, at),
        }
    }

    fn read_object(&mut self, event_type: &str, v: &Value, at: SystemTime) -> bool {
        if !v.is_object() {
            return false;
        }
        let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
        let from_path = match &self.path {
            Some(path) => path.text(v).map(str::to_owned),
            None => None,
        };
        let shape = if event_type == "error" || kind == "error" {
            let source = if event_type == "error" {
                ErrorSource::Event
            } else {
                ErrorSource::Chunk
            };
            let text = error_text(v).unwrap_or_else(|| compact(v));
            self.add_error(source, text, Some(at));
            self.shape
        } else if ANTHROPIC_TYPES.contains(&kind) {
            self.anthropic(kind, v);
            Some(Shape::Anthropic)
        } else if kind.starts_with("response.") {
            self.responses(kind, v, at);
            Some(Shape::OpenAiResponses)
        } else if v.get("choices").is_some_and(Value::is_array) {
            self.chat(v);
            Some(Shape::OpenAiChat)
        } else if v.get("candidates").is_some_and(Value::is_array)
            || v.get("usageMetadata").is_some()
        {
            self.gemini(v);
            Some(Shape::Gemini)
        } else if v.get("done").is_some_and(Value::is_boolean)
            && (v.get("message").is_some_and(Value::is_object)
                || v.get("response").is_some_and(Value::is_string))
        {
            self.ollama(v);
            Some(Shape::Ollama)
        } else if let Some(text) = v.get("error").and_then(|_| error_text(v)) {
            self.add_error(ErrorSource::Chunk, text, Some(at));
            self.shape
        } else if from_path.is_none() {
            return false;
        } else {
            None
        };
        if let Some(text) = &from_path {
            self.append_text(text, true);
        }
        if let Some(shape) = shape.or(from_path.map(|_| Shape::JsonPath)) {
            self.shape.get_or_insert(shape);
        }
        // An error is part of the stream even before any shape is known.
        true
    }
}
