//! LLM streams: the answer a model streams as SSE, assembled from its chunks,
//! with the figures people ask of it (time to first token, chunk rate, end
//! marker, token usage, errors).
//!
//! Recognised, by the documented wire formats:
//! - OpenAI chat completions: `choices[].delta.content`, tool-call deltas,
//!   `finish_reason`, `usage` in the last chunk, `data: [DONE]`;
//! - OpenAI Responses: `response.output_text.delta`, function-call argument
//!   deltas, `response.completed` (usage), `response.failed`, `error`;
//! - Anthropic Messages: `message_start` (usage), `content_block_delta`
//!   (`text_delta`, `input_json_delta`), `message_delta` (`stop_reason`,
//!   usage), `message_stop`, `error`, `ping`;
//! - Google Gemini: `candidates[].content.parts[].text`, `functionCall`,
//!   `finishReason`, `usageMetadata`;
//! - Ollama's native API: `message.content` (`/api/chat`) or `response`
//!   (`/api/generate`), `message.tool_calls`, `done`, `done_reason`, the eval counts;
//! - any other API through a user-set [`ContentPath`] (`.output.text`).
//!
//! Each event costs O(its size): the text is appended to, never rebuilt.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::check::json_path::Condition;
use crate::sse::{CloseReason, ConnError, ConnMsg, ErrorKind};

/// The assembled text stops growing here: a runaway stream (or a JSON path
/// matching a firehose) must not eat the memory the event log is bounded to.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// At most this many errors are kept; later ones are only counted.
pub const MAX_ERRORS: usize = 100;
/// An error's text is cut to this many characters.
const MAX_ERROR_CHARS: usize = 500;

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
    /// Text taken from the user's [`ContentPath`], in no known format.
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

/// Token counts as the stream reported them (each only when it did).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub total: Option<u64>,
}

impl Usage {
    /// The reported total, else input + output when both are known.
    pub fn total(&self) -> Option<u64> {
        self.total.or_else(|| self.input?.checked_add(self.output?))
    }

    fn is_empty(&self) -> bool {
        *self == Usage::default()
    }

    /// Later reports win field by field: Anthropic sends input tokens first
    /// and the final output count last.
    fn merge(&mut self, later: Usage) {
        self.input = later.input.or(self.input);
        self.output = later.output.or(self.output);
        self.total = later.total.or(self.total);
    }
}

/// A tool (function) call the model streamed: its name and its arguments as
/// the JSON text assembled so far (possibly incomplete).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCall {
    pub id: Option<String>,
    pub name: String,
    pub arguments: String,
}

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

/// A user-set path to the text in each event's JSON data, for APIs not
/// recognised by shape: `.message.content`, `choices[0].delta.content`.
/// The grammar is `--expect`'s (see `check::json_path`), without a comparison;
/// the leading `.` may be left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath(Condition);

/// A path that cannot be used; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ContentPathError(String);

impl ContentPath {
    pub fn parse(text: &str) -> Result<Self, ContentPathError> {
        let trimmed = text.trim();
        let dotted = if trimmed.starts_with(['.', '[']) {
            trimmed.to_owned()
        } else {
            format!(".{trimmed}")
        };
        let condition = Condition::parse(&dotted).map_err(|e| ContentPathError(e.to_string()))?;
        if condition.operator().is_some() {
            return Err(ContentPathError(format!(
                "{trimmed:?} compares; a text path is only a path, e.g. .message.content"
            )));
        }
        Ok(Self(condition))
    }

    /// The string the path points at in `value`, if it is a string.
    fn text<'v>(&self, value: &'v Value) -> Option<&'v str> {
        self.0.lookup(value).and_then(Value::as_str)
    }
}

impl std::fmt::Display for ContentPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An LLM answer assembled from a stream, fed one event at a time. Feed a
/// new `Transcript` for each response (a reconnect starts a new answer).
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    path: Option<ContentPath>,
    shape: Option<Shape>,
    text: String,
    text_truncated: bool,
    tools: Vec<ToolCall>,
    /// The bytes of all tool-call arguments: whether a chunk added any, in O(1).
    tool_bytes: usize,
    /// Which tool call a streamed key (`c0:1`, `b2`, `i1`) builds.
    tool_keys: HashMap<String, usize>,
    terminal: Option<EndMarker>,
    finish_reason: Option<String>,
    usage: Usage,
    errors: Vec<StreamError>,
    errors_dropped: usize,
    /// The last connection error noted: the close that follows a failed
    /// attempt repeats it, and one failed attempt is one error.
    last_conn_error: Option<ConnError>,
    started: Option<SystemTime>,
    first_event_at: Option<SystemTime>,
    last_event_at: Option<SystemTime>,
    first_token_at: Option<SystemTime>,
    last_token_at: Option<SystemTime>,
    llm_events: u64,
    content_chunks: u64,
    other_events: u64,
}

impl Transcript {
    pub fn new() -> Self {
        Self::default()
    }

    /// A transcript taking its text from `path` instead of the known shapes
    /// (end markers, usage and errors are still recognised).
    pub fn with_path(path: Option<ContentPath>) -> Self {
        Self {
            path,
            ..Self::default()
        }
    }

    /// When the request was sent: the origin of time to first token and of the duration.
    pub fn set_started(&mut self, at: SystemTime) {
        self.started = Some(at);
    }

    /// When the request was sent, if known.
    pub fn started(&self) -> Option<SystemTime> {
        self.started
    }

    /// Feeds one event: its type (`message` or `""` when none was set), its
    /// data and when it arrived. Events that are not part of an LLM stream
    /// are counted and otherwise ignored.
    pub fn push(&mut self, event_type: &str, data: &str, at: SystemTime) {
        let text_before = self.text.len();
        let tool_bytes_before = self.tool_bytes;
        let recognised = self.read_event(event_type, data, at);
        if !recognised {
            self.other_events += 1;
            return;
        }
        self.llm_events += 1;
        self.first_event_at.get_or_insert(at);
        self.last_event_at = Some(at);
        if self.text.len() > text_before || self.tool_bytes > tool_bytes_before {
            self.content_chunks += 1;
            self.first_token_at.get_or_insert(at);
            self.last_token_at = Some(at);
        }
    }

    /// Notes an HTTP error answer (429 and 529 are rate limits): `retry_after`
    /// from the `Retry-After` header, `body` the start of the response body.
    pub fn note_http_error(&mut self, status: u16, retry_after: Option<Duration>, body: &str) {
        let text = serde_json::from_str::<Value>(body.trim())
            .ok()
            .and_then(|v| error_text(&v))
            .unwrap_or_else(|| {
                let body = body.trim();
                if body.is_empty() {
                    format!("HTTP {status}")
                } else {
                    body.to_owned()
                }
            });
        self.add_error(
            ErrorSource::Http {
                status,
                retry_after,
            },
            text,
            None,
        );
    }

    /// Notes a failed attempt when it was an HTTP status error; other
    /// failures (network, content type) are the connection's to show.
    pub fn note_conn_error(&mut self, error: &ConnError) {
        if let (ErrorKind::Status, Some(status)) = (error.kind, error.status) {
            self.note_http_error(status, error.retry_after, &error.message);
        }
    }

    /// Notes the failure a connection message reports, if any (an attempt's
    /// error, or the failure that closed the connection).
    pub fn note_conn_msg(&mut self, msg: &ConnMsg) {
        match msg {
            ConnMsg::Error { error, .. } => {
                self.note_conn_error(error);
                self.last_conn_error = Some(error.clone());
            }
            // The close names the failure the attempt already reported,
            // unless the connection failed before any attempt.
            ConnMsg::Closed {
                reason:
                    CloseReason::Failed(error) | CloseReason::RetriesExhausted { last: error, .. },
            } if self.last_conn_error.as_ref() != Some(error) => self.note_conn_error(error),
            _ => {}
        }
    }

    /// The text assembled so far (untrusted: escape before drawing).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether text was dropped past [`MAX_TEXT_BYTES`].
    pub fn text_truncated(&self) -> bool {
        self.text_truncated
    }

    pub fn tool_calls(&self) -> &[ToolCall] {
        &self.tools
    }

    /// The API recognised, once one event was.
    pub fn shape(&self) -> Option<Shape> {
        self.shape
    }

    pub fn path(&self) -> Option<&ContentPath> {
        self.path.as_ref()
    }

    /// The end marker seen: the explicit one (`[DONE]`, `message_stop`,
    /// `response.completed`) when there was one, else a finish reason.
    pub fn end_marker(&self) -> Option<EndMarker> {
        self.terminal
            .clone()
            .or_else(|| self.finish_reason.clone().map(EndMarker::FinishReason))
    }

    /// The finish or stop reason (`stop`, `length`, `tool_calls`, `end_turn`...).
    pub fn finish_reason(&self) -> Option<&str> {
        self.finish_reason.as_deref()
    }

    /// Token usage, when the stream reported any.
    pub fn usage(&self) -> Option<Usage> {
        (!self.usage.is_empty()).then_some(self.usage)
    }

    /// Errors in arrival order (at most [`MAX_ERRORS`]).
    pub fn errors(&self) -> &[StreamError] {
        &self.errors
    }

    /// Errors seen beyond [`MAX_ERRORS`].
    pub fn errors_dropped(&self) -> usize {
        self.errors_dropped
    }

    /// The rate-limit error, if the server answered with one.
    pub fn rate_limit(&self) -> Option<&StreamError> {
        self.errors.iter().find(|e| e.is_rate_limit())
    }

    /// From the request start to the first chunk that added text or tool-call arguments.
    pub fn time_to_first_token(&self) -> Option<Duration> {
        Some(since(self.started?, self.first_token_at?))
    }

    /// Chunks that added text or tool-call arguments.
    pub fn content_chunks(&self) -> u64 {
        self.content_chunks
    }

    /// Events recognised as part of the LLM stream (content or not).
    pub fn llm_events(&self) -> u64 {
        self.llm_events
    }

    /// Events that were not (keep-alives of another kind, other APIs' events).
    pub fn other_events(&self) -> u64 {
        self.other_events
    }

    /// Content chunks per second between the first and the last of them:
    /// `(n - 1) / span`, the arrival rate, which leaves out the wait for the
    /// first token. `None` before two chunks at different times.
    pub fn chunks_per_second(&self) -> Option<f64> {
        let span = since(self.first_token_at?, self.last_token_at?).as_secs_f64();
        (self.content_chunks >= 2 && span > 0.0).then(|| (self.content_chunks - 1) as f64 / span)
    }

    /// From the request start (else the first LLM event) to the last LLM event.
    pub fn duration(&self) -> Option<Duration> {
        let from = self.started.or(self.first_event_at)?;
        Some(since(from, self.last_event_at?))
    }

    /// One paragraph for people (`print --transcript` writes it to stderr).
    pub fn summary(&self) -> String {
        let mut out = String::from("transcript: ");
        match (self.shape, &self.path) {
            (Some(shape), _) => out.push_str(shape.label()),
            (None, Some(path)) => {
                let _ = write!(out, "nothing found at {path}");
            }
            (None, None) => out.push_str("no LLM stream recognised"),
        }
        let _ = write!(out, "; {} chars", self.text.chars().count());
        if self.text_truncated {
            let _ = write!(out, " (cut at {} MiB)", MAX_TEXT_BYTES >> 20);
        }
        if let Some(ttft) = self.time_to_first_token() {
            let _ = write!(out, "; time to first token {}", human_duration(ttft));
        }
        let _ = write!(out, "; {} chunks", self.content_chunks);
        if let Some(rate) = self.chunks_per_second() {
            let _ = write!(out, " at {rate:.1}/s");
        }
        if self.other_events > 0 {
            let _ = write!(out, " ({} other events ignored)", self.other_events);
        }
        if let Some(duration) = self.duration() {
            let _ = write!(out, "; {} in all", human_duration(duration));
        }
        match (&self.terminal, &self.finish_reason) {
            (Some(marker), Some(reason)) => {
                let _ = write!(out, "; ended by {marker} (finish reason {reason})");
            }
            (Some(marker), None) => {
                let _ = write!(out, "; ended by {marker}");
            }
            (None, Some(reason)) => {
                let _ = write!(out, "; finish reason {reason}");
            }
            (None, None) => out.push_str("; no end marker"),
        }
        if let Some(usage) = self.usage() {
            out.push_str("; usage");
            let total = usage.total();
            for (n, label) in [(usage.input, "in"), (usage.output, "out"), (total, "total")] {
                if let Some(n) = n {
                    let _ = write!(out, " {n} {label}");
                }
            }
        }
        for tool in &self.tools {
            let _ = write!(out, "; tool call {}({})", tool.name, tool.arguments);
        }
        let errors = self.errors.len() + self.errors_dropped;
        if errors > 0 {
            let _ = write!(
                out,
                "; {errors} error{}",
                if errors == 1 { "" } else { "s" }
            );
            for error in &self.errors {
                out.push_str(": ");
                if let ErrorSource::Http {
                    status,
                    retry_after,
                } = error.source
                {
                    let _ = write!(out, "HTTP {status} ");
                    if let Some(delay) = retry_after {
                        let _ = write!(out, "(retry after {}) ", human_duration(delay));
                    }
                }
                out.push_str(&error.text);
            }
        }
        out.push('.');
        out
    }

    /// Reads one event; returns whether it belongs to an LLM stream.
    fn read_event(&mut self, event_type: &str, data: &str, at: SystemTime) -> bool {
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

    fn chat(&mut self, v: &Value) {
        for choice in v
            .get("choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            // Only the first choice is assembled (`n` > 1 is rare in streaming).
            let index = choice.get("index").and_then(Value::as_u64).unwrap_or(0);
            if index != 0 {
                continue;
            }
            let delta = choice.get("delta");
            // Legacy completions stream `choices[].text`.
            let text = delta
                .and_then(|d| d.get("content"))
                .or_else(|| choice.get("text"))
                .and_then(Value::as_str);
            if let Some(text) = text {
                self.append_text(text, false);
            }
            for call in delta
                .and_then(|d| d.get("tool_calls"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let i = call.get("index").and_then(Value::as_u64).unwrap_or(0);
                let function = call.get("function");
                self.tool_delta(
                    format!("c{i}"),
                    str_at(call, "id"),
                    function.and_then(|f| str_at(f, "name")),
                    function.and_then(|f| str_at(f, "arguments")),
                );
            }
            if let Some(reason) = str_at(choice, "finish_reason") {
                self.finish_reason = Some(reason.to_owned());
            }
        }
        if let Some(usage) = v.get("usage") {
            self.usage.merge(usage_of(usage));
        }
    }

    fn anthropic(&mut self, kind: &str, v: &Value) {
        let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
        match kind {
            "message_start" => {
                if let Some(usage) = v.get("message").and_then(|m| m.get("usage")) {
                    self.usage.merge(usage_of(usage));
                }
            }
            "content_block_start" => {
                let Some(block) = v.get("content_block") else {
                    return;
                };
                if let Some(name) = str_at(block, "name") {
                    self.tool_delta(format!("b{index}"), str_at(block, "id"), Some(name), None);
                } else if let Some(text) = str_at(block, "text") {
                    self.append_text(text, false);
                }
            }
            "content_block_delta" => {
                let Some(delta) = v.get("delta") else { return };
                if let Some(text) = str_at(delta, "text") {
                    self.append_text(text, false);
                } else if let Some(json) = str_at(delta, "partial_json") {
                    self.tool_delta(format!("b{index}"), None, None, Some(json));
                }
            }
            "message_delta" => {
                if let Some(reason) = v.get("delta").and_then(|d| str_at(d, "stop_reason")) {
                    self.finish_reason = Some(reason.to_owned());
                }
                if let Some(usage) = v.get("usage") {
                    self.usage.merge(usage_of(usage));
                }
            }
            "message_stop" => self.terminal = Some(EndMarker::MessageStop),
            _ => {}
        }
    }

    fn responses(&mut self, kind: &str, v: &Value, at: SystemTime) {
        let key = || {
            let index = v.get("output_index").and_then(Value::as_u64).unwrap_or(0);
            format!("i{index}")
        };
        match kind {
            "response.output_text.delta" | "response.refusal.delta" => {
                if let Some(text) = str_at(v, "delta") {
                    self.append_text(text, false);
                }
            }
            "response.output_item.added" => {
                if let Some(item) = v.get("item")
                    && str_at(item, "type") == Some("function_call")
                {
                    let id = str_at(item, "call_id").or_else(|| str_at(item, "id"));
                    let name = str_at(item, "name");
                    self.tool_delta(key(), id, name, str_at(item, "arguments"));
                }
            }
            "response.function_call_arguments.delta" => {
                self.tool_delta(key(), None, None, str_at(v, "delta"));
            }
            "response.completed" | "response.incomplete" | "response.failed" => {
                let response = v.get("response");
                if let Some(usage) = response.and_then(|r| r.get("usage")) {
                    self.usage.merge(usage_of(usage));
                }
                match kind {
                    "response.completed" => self.terminal = Some(EndMarker::ResponseCompleted),
                    "response.incomplete" => {
                        self.terminal = Some(EndMarker::ResponseIncomplete);
                        let reason = response
                            .and_then(|r| r.get("incomplete_details"))
                            .and_then(|d| str_at(d, "reason"));
                        if let Some(reason) = reason {
                            self.finish_reason = Some(reason.to_owned());
                        }
                    }
                    _ => {
                        let text = response
                            .and_then(error_text)
                            .unwrap_or_else(|| "response.failed".to_owned());
                        self.add_error(ErrorSource::Chunk, text, Some(at));
                    }
                }
            }
            _ => {}
        }
    }

    fn gemini(&mut self, v: &Value) {
        if let Some(candidate) = v.get("candidates").and_then(|c| c.get(0)) {
            let parts = candidate
                .get("content")
                .and_then(|c| c.get("parts"))
                .and_then(Value::as_array);
            for part in parts.into_iter().flatten() {
                // Thought summaries are not the answer.
                if part.get("thought").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                if let Some(text) = str_at(part, "text") {
                    self.append_text(text, false);
                } else if let Some(call) = part.get("functionCall") {
                    self.whole_tool_call('g', None, str_at(call, "name"), call.get("args"));
                }
            }
            if let Some(reason) = str_at(candidate, "finishReason") {
                self.finish_reason = Some(reason.to_owned());
            }
        }
        if let Some(usage) = v.get("usageMetadata") {
            self.usage.merge(usage_of(usage));
        }
    }

    fn ollama(&mut self, v: &Value) {
        let message = v.get("message");
        // `/api/chat` streams `message.content`, `/api/generate` `response`.
        // A thinking model's `message.thinking` is not the answer.
        let text = message
            .and_then(|m| str_at(m, "content"))
            .or_else(|| str_at(v, "response"));
        if let Some(text) = text {
            self.append_text(text, false);
        }
        for call in message
            .and_then(|m| m.get("tool_calls"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let function = call.get("function");
            self.whole_tool_call(
                'o',
                str_at(call, "id"),
                function.and_then(|f| str_at(f, "name")),
                function.and_then(|f| f.get("arguments")),
            );
        }
        if v.get("done").and_then(Value::as_bool) == Some(true) {
            self.terminal = Some(EndMarker::OllamaDone);
            if let Some(reason) = str_at(v, "done_reason") {
                self.finish_reason = Some(reason.to_owned());
            }
            self.usage.merge(usage_of(v));
        }
    }

    /// A tool call that comes whole in one chunk (Gemini, Ollama), keyed by
    /// `tag` and its position: `args` an object, or text kept as it is.
    fn whole_tool_call(
        &mut self,
        tag: char,
        id: Option<&str>,
        name: Option<&str>,
        args: Option<&Value>,
    ) {
        let args = args.map(|args| match args {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        });
        let key = format!("{tag}{}", self.tools.len());
        self.tool_delta(key, id, name, args.as_deref());
    }

    /// Appends answer text; with a user path set, only the path's text counts.
    fn append_text(&mut self, text: &str, from_path: bool) {
        if from_path != self.path.is_some() || text.is_empty() {
            return;
        }
        let room = MAX_TEXT_BYTES.saturating_sub(self.text.len());
        if text.len() <= room {
            self.text.push_str(text);
        } else {
            let cut = crate::text::floor_boundary(text, room);
            self.text.push_str(&text[..cut]);
            self.text_truncated = true;
        }
    }

    /// Adds to the tool call streamed under `key`, creating it on first sight.
    fn tool_delta(
        &mut self,
        key: String,
        id: Option<&str>,
        name: Option<&str>,
        arguments: Option<&str>,
    ) {
        let next = self.tools.len();
        let i = *self.tool_keys.entry(key).or_insert(next);
        if i == next {
            self.tools.push(ToolCall::default());
        }
        let Some(tool) = self.tools.get_mut(i) else {
            return;
        };
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            tool.id.get_or_insert_with(|| id.to_owned());
        }
        if let Some(name) = name
            && tool.name.is_empty()
        {
            tool.name.push_str(name);
        }
        if let Some(arguments) = arguments
            && self.tool_bytes + self.text.len() < MAX_TEXT_BYTES
        {
            tool.arguments.push_str(arguments);
            self.tool_bytes += arguments.len();
        }
    }

    fn add_error(&mut self, source: ErrorSource, text: String, at: Option<SystemTime>) {
        if self.errors.len() >= MAX_ERRORS {
            self.errors_dropped += 1;
            return;
        }
        let text = match text.char_indices().nth(MAX_ERROR_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        };
        self.errors.push(StreamError { source, text, at });
    }
}

/// Anthropic's event types (the `type` field repeats the `event:` name).
const ANTHROPIC_TYPES: &[&str] = &[
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
];

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

/// Token counts under any of the names the APIs use.
fn usage_of(v: &Value) -> Usage {
    let first = |keys: &[&str]| keys.iter().find_map(|k| v.get(*k).and_then(Value::as_u64));
    Usage {
        input: first(&[
            "prompt_tokens",
            "input_tokens",
            "promptTokenCount",
            "prompt_eval_count",
        ]),
        output: first(&[
            "completion_tokens",
            "output_tokens",
            "candidatesTokenCount",
            "eval_count",
        ]),
        total: first(&["total_tokens", "totalTokenCount"]),
    }
}

/// `type: message` from the error object the APIs send (`{"error": {...}}`,
/// Anthropic's `{"type":"error","error":{...}}`, the Responses API's flat
/// `{"type":"error","code","message"}`), or `None` if `v` holds none.
fn error_text(v: &Value) -> Option<String> {
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

fn compact(v: &Value) -> String {
    v.to_string()
}

/// `to - from`, zero when a clock step put `to` first.
fn since(from: SystemTime, to: SystemTime) -> Duration {
    to.duration_since(from).unwrap_or(Duration::ZERO)
}

/// `850 ms`, `2.64 s`, `3 min 05 s`.
pub fn human_duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.2} s", d.as_secs_f64())
    } else {
        let s = d.as_secs();
        format!("{} min {:02} s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn ms(n: u64) -> SystemTime {
        t0() + Duration::from_millis(n)
    }

    #[test]
    fn interleaved_other_events_are_counted_not_read() {
        let mut t = Transcript::new();
        t.push("message", "hello", ms(1));
        t.push("tick", r#"{"n":1}"#, ms(2));
        t.push(
            "message",
            r#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#,
            ms(3),
        );
        assert_eq!(t.text(), "Hi");
        assert_eq!(t.other_events(), 2);
        assert_eq!(t.llm_events(), 1);
        assert_eq!(t.shape(), Some(Shape::OpenAiChat));
    }

    #[test]
    fn hostile_input_never_panics() {
        let mut t = Transcript::with_path(ContentPath::parse("a[0].b").ok());
        let deep = "[".repeat(10_000);
        for data in [
            "",
            "{",
            &deep,
            "null",
            "[1,2]",
            r#"{"choices":5}"#,
            r#"{"choices":[{"delta":{"tool_calls":[{"index":-1}]}}]}"#,
            r#"{"choices":[{"delta":{"tool_calls":"x"}}],"usage":7}"#,
            r#"{"type":"content_block_delta","index":"x","delta":null}"#,
            r#"{"type":"response.completed","response":3}"#,
            r#"{"candidates":[{"content":{"parts":[{"functionCall":1}]}}]}"#,
            r#"{"error":null}"#,
            r#"{"usage":{"prompt_tokens":18446744073709551615,"completion_tokens":5}}"#,
        ] {
            t.push("message", data, ms(1));
            t.push("error", data, ms(1));
        }
        t.push("message", "x", t0() - Duration::from_secs(10));
        assert!(
            t.errors().iter().any(|e| e.text == "[1,2]"),
            "an error event's array"
        );
        let _ = t.summary();
        assert!(t.time_to_first_token().is_none());
    }

    #[test]
    fn usage_total_overflow_is_none() {
        let usage = Usage {
            input: Some(u64::MAX),
            output: Some(1),
            total: None,
        };
        assert_eq!(usage.total(), None);
    }

    #[test]
    fn text_stops_at_the_cap() {
        let mut t = Transcript::with_path(ContentPath::parse(".t").ok());
        let big = "é".repeat(MAX_TEXT_BYTES / 2 + 1);
        let data = serde_json::json!({ "t": big }).to_string();
        t.push("message", &data, ms(1));
        assert!(t.text_truncated());
        assert!(t.text().len() <= MAX_TEXT_BYTES);
    }

    #[test]
    fn content_paths_parse_with_or_without_the_dot() {
        assert!(ContentPath::parse("choices[0].delta.content").is_ok());
        assert!(ContentPath::parse(".message.content").is_ok());
        assert!(ContentPath::parse(".a == 1").is_err());
        assert!(ContentPath::parse(".a[").is_err());
    }

    #[test]
    fn errors_are_capped_and_counted() {
        let mut t = Transcript::new();
        for _ in 0..MAX_ERRORS + 5 {
            t.push("error", "boom", ms(1));
        }
        assert_eq!(t.errors().len(), MAX_ERRORS);
        assert_eq!(t.errors_dropped(), 5);
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(human_duration(Duration::from_millis(2640)), "2.64 s");
        assert_eq!(human_duration(Duration::from_secs(185)), "3 min 05 s");
    }
}
