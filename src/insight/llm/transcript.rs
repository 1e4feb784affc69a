//! The transcript: an answer assembled event by event, and its figures.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::errors::error_text;
use super::{ContentPath, EndMarker, ErrorSource, Shape, StreamError, ToolCall, Usage};
use crate::sse::{CloseReason, ConnError, ConnMsg, ErrorKind};

/// The assembled text stops growing here: a runaway stream (or a JSON path
/// matching a firehose) must not eat the memory the event log is bounded to.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;
/// At most this many errors are kept; later ones are only counted.
pub const MAX_ERRORS: usize = 100;
/// An error's text is cut to this many characters.
const MAX_ERROR_CHARS: usize = 500;

/// An LLM answer assembled from a stream, fed one event at a time. Feed a
/// new `Transcript` for each response (a reconnect starts a new answer).
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    pub(super) path: Option<ContentPath>,
    pub(super) shape: Option<Shape>,
    pub(super) text: String,
    pub(super) text_truncated: bool,
    /// The reasoning a model streams apart from its answer (see `reasoning.rs`).
    pub(super) reasoning: String,
    pub(super) reasoning_truncated: bool,
    /// Reasoning the API sent encrypted (Anthropic's `redacted_thinking`
    /// blocks): acknowledged, its bytes never kept.
    pub(super) redacted_reasoning: u64,
    /// Signatures over the reasoning (Anthropic's `signature_delta`): counted only.
    pub(super) reasoning_signatures: u64,
    /// Which part of the reasoning is streaming (a block, a summary part):
    /// a new part starts a new paragraph.
    pub(super) reasoning_part: Option<String>,
    pub(super) tools: Vec<ToolCall>,
    /// The bytes of all tool-call arguments: whether a chunk added any, in O(1).
    pub(super) tool_bytes: usize,
    /// Which tool call a streamed key (`c0:1`, `b2`, `i1`) builds.
    pub(super) tool_keys: HashMap<String, usize>,
    pub(super) terminal: Option<EndMarker>,
    pub(super) finish_reason: Option<String>,
    pub(super) usage: Usage,
    pub(super) errors: Vec<StreamError>,
    pub(super) errors_dropped: usize,
    /// The last connection error noted: the close that follows a failed
    /// attempt repeats it, and one failed attempt is one error.
    pub(super) last_conn_error: Option<ConnError>,
    pub(super) started: Option<SystemTime>,
    pub(super) first_event_at: Option<SystemTime>,
    pub(super) last_event_at: Option<SystemTime>,
    pub(super) first_token_at: Option<SystemTime>,
    pub(super) last_token_at: Option<SystemTime>,
    pub(super) first_reasoning_at: Option<SystemTime>,
    pub(super) reasoning_chunks: u64,
    pub(super) llm_events: u64,
    pub(super) content_chunks: u64,
    pub(super) other_events: u64,
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
        let reasoning_before = (self.reasoning.len(), self.redacted_reasoning);
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
        if (self.reasoning.len(), self.redacted_reasoning) != reasoning_before {
            self.reasoning_chunks += 1;
            self.first_reasoning_at.get_or_insert(at);
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

    /// From the request start to the first chunk that added answer text or
    /// tool-call arguments (reasoning is not the answer: see
    /// [`Transcript::time_to_first_reasoning_token`]).
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

    /// Appends answer text; with a user path set, only the path's text counts.
    pub(super) fn append_text(&mut self, text: &str, from_path: bool) {
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

    pub(super) fn add_error(&mut self, source: ErrorSource, text: String, at: Option<SystemTime>) {
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

/// `to - from`, zero when a clock step put `to` first.
pub(super) fn since(from: SystemTime, to: SystemTime) -> Duration {
    to.duration_since(from).unwrap_or(Duration::ZERO)
}
