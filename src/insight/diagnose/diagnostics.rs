//! The diagnostics of one connection task: every message fed to the checks.

use std::time::{Duration, Instant};

use super::body_scan::BodyScan;
use super::failure::error_finding;
use super::format::{QUOTE_CHARS, one_line, plural, size, times};
use super::ids::IdCheck;
use super::json::JsonCheck;
use super::response_head::{head_findings, header};
use super::retry::RetryCheck;
use super::{
    BURST_MIN_EVENTS, BURST_MIN_SILENCE, Finding, IDLE_TIMEOUTS, OVERSIZED_EVENT_BYTES, Severity,
};
use crate::sse::{Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, ResponseInfo, StreamItem};

/// Everything the checks learned from one connection task's messages.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Findings about response heads and failures, the first of each id.
    pub(super) recorded: Vec<Finding>,
    pub(super) responses: u32,
    /// `HTTP/1.1 200 text/event-stream` of the last response, for the report.
    pub(super) last_response: Option<String>,
    pub(super) reconnects: u32,
    pub(super) drops: u32,
    pub(super) reads: u64,
    pub(super) bytes: u64,
    pub(super) events: u64,
    pub(super) comments: u64,
    /// When bytes (or the head) last arrived, while an attempt is reading its body.
    pub(super) last_bytes_at: Option<Instant>,
    pub(super) longest_silence: Duration,
    pub(super) dropped_after_silence: bool,
    pub(super) bursts: u32,
    pub(super) largest_burst: usize,
    pub(super) longest_burst_silence: Duration,
    pub(super) oversized: u64,
    pub(super) largest_event: u64,
    pub(super) discarded: u32,
    pub(super) discarded_bytes: u64,
    pub(super) body: BodyScan,
    pub(super) ids: IdCheck,
    pub(super) json: JsonCheck,
    pub(super) retry: RetryCheck,
    pub(super) llm: super::llm_shapes::LlmShapes,
    /// An attempt's stream ended with an LLM answer's end marker (`[DONE]`).
    pub(super) answer_ended: bool,
}

impl Diagnostics {
    /// Nothing observed yet: one per connection task (a new connection gets a new one).
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds one message of the connection task, received at `now`.
    pub fn observe(&mut self, msg: &ConnMsg, now: Instant) {
        match msg {
            ConnMsg::Connecting { request, .. } => {
                let get = request.method.eq_ignore_ascii_case("GET");
                self.ids.resume(get, request.last_event_id.as_deref());
            }
            ConnMsg::Opened { response, .. } => self.opened(response, now),
            ConnMsg::Data(chunk) => self.data(chunk, now),
            ConnMsg::StreamEnded {
                discarded,
                end_marker,
                ..
            } => {
                self.answer_ended |= end_marker.is_some();
                self.llm.stream_ended();
                if let Some(range) = discarded {
                    self.discarded += 1;
                    self.discarded_bytes = self
                        .discarded_bytes
                        .saturating_add(range.end.saturating_sub(range.start));
                }
                self.attempt_over(now);
            }
            ConnMsg::Error { error, .. } => {
                if error.kind == ErrorKind::Network {
                    self.drops += 1;
                }
                self.attempt_over(now);
                self.explain(error);
            }
            ConnMsg::ReconnectScheduled { .. } => self.reconnects += 1,
            ConnMsg::AuthNotice { .. } | ConnMsg::Negotiated { .. } => {}
            ConnMsg::Closed { reason } => {
                self.attempt_over(now);
                match reason {
                    CloseReason::Failed(error)
                    | CloseReason::RetriesExhausted { last: error, .. } => {
                        self.explain(error);
                    }
                    CloseReason::Ended | CloseReason::NoContent | CloseReason::Stopped => {}
                }
            }
        }
    }

    /// The problems found so far, errors first. Silences count only once they
    /// ended; [`Diagnostics::findings_at`] also counts the one under way.
    pub fn findings(&self) -> Vec<Finding> {
        self.collect(None)
    }

    /// Like [`Diagnostics::findings`], counting a silence still under way at `now`.
    pub fn findings_at(&self, now: Instant) -> Vec<Finding> {
        self.collect(Some(now))
    }

    fn opened(&mut self, response: &ResponseInfo, now: Instant) {
        self.responses += 1;
        self.last_bytes_at = Some(now);
        self.body.start_attempt();
        let content_type = header(response, "content-type");
        self.last_response = Some(format!(
            "{} {} {}",
            one_line(&response.version, QUOTE_CHARS),
            response.status,
            content_type
                .as_deref()
                .map_or("(no Content-Type)".to_owned(), |t| one_line(t, QUOTE_CHARS))
        ));
        for finding in head_findings(response) {
            self.record(finding);
        }
    }

    fn data(&mut self, chunk: &Chunk, now: Instant) {
        self.reads += 1;
        self.bytes = self.bytes.saturating_add(chunk.bytes.len() as u64);
        let silence = self
            .last_bytes_at
            .map(|at| now.saturating_duration_since(at));
        if let Some(silence) = silence {
            self.longest_silence = self.longest_silence.max(silence);
        }
        self.last_bytes_at = Some(now);
        let events = chunk
            .items
            .iter()
            .filter(|item| matches!(item, StreamItem::Event { .. }))
            .count();
        if events >= BURST_MIN_EVENTS && silence.is_some_and(|s| s >= BURST_MIN_SILENCE) {
            self.bursts += 1;
            self.largest_burst = self.largest_burst.max(events);
            self.longest_burst_silence =
                self.longest_burst_silence.max(silence.unwrap_or_default());
        }
        self.body.scan(&chunk.bytes, chunk.offset, chunk.facts);
        for item in &chunk.items {
            match item {
                StreamItem::Event { event, .. } => {
                    self.events += 1;
                    let size = event.raw.end.saturating_sub(event.raw.start);
                    self.largest_event = self.largest_event.max(size);
                    if size > OVERSIZED_EVENT_BYTES {
                        self.oversized += 1;
                    }
                    self.ids.see(event);
                    let is_json = self.json.see(event);
                    self.llm.see(event, is_json);
                    self.retry.see(event.retry_ms);
                }
                StreamItem::Block(block) => {
                    if block.comment_lines > 0 {
                        self.comments += 1;
                    }
                    self.ids.see_block(block.id.as_deref());
                    self.retry.see(block.retry_ms);
                }
            }
        }
    }

    /// The attempt stopped reading (ended, failed, or the task closed).
    fn attempt_over(&mut self, now: Instant) {
        if let Some(at) = self.last_bytes_at.take() {
            let silence = now.saturating_duration_since(at);
            self.longest_silence = self.longest_silence.max(silence);
            if silence >= IDLE_TIMEOUTS[0] {
                self.dropped_after_silence = true;
            }
            self.body.end_attempt();
        }
    }

    fn explain(&mut self, error: &ConnError) {
        if let Some(finding) = error_finding(error) {
            self.record(finding);
        }
    }

    /// Keeps the first finding of each id: repeated attempts repeat the same problem.
    fn record(&mut self, finding: Finding) {
        if !self.recorded.iter().any(|f| f.id == finding.id) {
            self.recorded.push(finding);
        }
    }

    fn collect(&self, now: Option<Instant>) -> Vec<Finding> {
        let mut out = self.recorded.clone();
        self.delivery_findings(now, &mut out);
        self.ids.findings(&mut out);
        self.body.findings(&mut out);
        if self.oversized > 0 {
            out.push(Finding {
                id: "oversized-event",
                severity: Severity::Warning,
                title: format!(
                    "{} larger than {} (largest {})",
                    plural(self.oversized, "event"),
                    size(OVERSIZED_EVENT_BYTES),
                    size(self.largest_event)
                ),
                why: "Many clients, proxies and gateways cap the size of a line or an event (often well under 1 MiB) and drop or cut it; every client holds the whole event in memory before it sees any of it.",
                fix: "Keep events small: split a large payload into several events, or send a reference (a URL or id) the client fetches separately.",
            });
        }
        if self.discarded > 0 {
            out.push(Finding {
                id: "incomplete-event",
                severity: Severity::Warning,
                title: format!(
                    "the stream ended in the middle of an event {} ({} discarded)",
                    times(u64::from(self.discarded)),
                    size(self.discarded_bytes)
                ),
                why: "An event is dispatched only at the blank line that ends it; the spec says a client discards an unfinished one, so the stream's last event is lost.",
                fix: "End every event with a blank line (`\\n\\n`) and flush it before closing the response.",
            });
        }
        self.json.findings(&mut out);
        self.llm.findings(&mut out);
        self.retry.findings(self.events, &mut out);
        // A POST that ended with its answer's end marker is an answer, not a
        // stream to resume: ids and retry: would serve nothing.
        if self.answer_ended && self.ids.is_one_shot() {
            out.retain(|f| !matches!(f.id, "no-ids" | "retry-absent"));
        }
        out.sort_by_key(|f| f.severity);
        out
    }
}
