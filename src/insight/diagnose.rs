//! Stream diagnostics: the SSE mistakes a plain event list does not show
//! (a wrong Content-Type, proxy buffering, no keep-alives, missing ids,
//! mixed line endings...), each explained with why it matters and how to fix it.
//!
//! Fed every connection message with the instant it was received, so timing
//! checks are testable with made-up instants. Memory stays bounded however
//! long the stream: counters, a few examples and small rings, never events.
//!
//! Thresholds, chosen to flag what real deployments get wrong while leaving
//! healthy streams alone:
//! - a *burst* is a read holding at least [`BURST_MIN_EVENTS`] events after at
//!   least [`BURST_MIN_SILENCE`] without bytes; buffering is reported once
//!   [`BURSTS_TO_REPORT`] bursts were seen (one could be a server's own batch);
//! - a silence is reported past the common idle timeouts [`IDLE_TIMEOUTS`];
//! - an event is oversized past [`OVERSIZED_EVENT_BYTES`];
//! - `retry:` is unusual below [`RETRY_TOO_SMALL`] or above [`RETRY_TOO_LARGE`];
//! - data is "mostly JSON" for an event type when at least [`JSON_MIN_EVENTS`]
//!   of its events are JSON and at least four in five are.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use memchr::{memchr2, memmem};

use crate::sse::attempt::is_event_stream;
use crate::sse::{
    Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, Event, ResponseInfo, StreamItem,
};

/// A read with at least this many events after a silence is a burst.
pub const BURST_MIN_EVENTS: usize = 10;
/// The silence before a read that makes it a burst.
pub const BURST_MIN_SILENCE: Duration = Duration::from_secs(1);
/// Bursts seen before buffering is reported.
pub const BURSTS_TO_REPORT: u32 = 2;
/// Idle timeouts common in proxies and load balancers.
pub const IDLE_TIMEOUTS: [Duration; 2] = [Duration::from_secs(30), Duration::from_secs(60)];
/// Events larger than this (raw bytes) are reported.
pub const OVERSIZED_EVENT_BYTES: u64 = 1024 * 1024;
/// A `retry:` below this makes every client hammer the server after an outage.
pub const RETRY_TOO_SMALL: Duration = Duration::from_millis(500);
/// A `retry:` above this makes a dropped stream look dead.
pub const RETRY_TOO_LARGE: Duration = Duration::from_secs(300);
/// JSON events of one type needed before a non-JSON one is odd.
pub const JSON_MIN_EVENTS: u64 = 3;

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// Event types tracked apart for the JSON check; more share one entry.
const MAX_EVENT_TYPES: usize = 16;
/// Ids remembered to recognise a replay after a reconnect.
const RECENT_IDS: usize = 32;
/// Longer ids are not remembered (they are still checked for order).
const MAX_REMEMBERED_ID_BYTES: usize = 256;
/// How much of a server-supplied value a title quotes.
const QUOTE_CHARS: usize = 40;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The stream does not work (rejected response, failed connection).
    Error,
    /// It works here but will break or misbehave somewhere (proxies, browsers, reconnects).
    Warning,
    /// Worth knowing; not wrong.
    Info,
}

impl Severity {
    /// The word the report prints before a finding.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "note",
        }
    }
}

/// One problem found, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable name of the check (`content-type`, `buffering`...), for tests and filters.
    pub id: &'static str,
    pub severity: Severity,
    /// One line naming the problem, with the figures. Server-supplied text is
    /// quoted with control characters escaped.
    pub title: String,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}

/// Everything the checks learned from one connection task's messages.
#[derive(Debug, Default)]
pub struct Diagnostics {
    /// Findings about response heads and failures, the first of each id.
    recorded: Vec<Finding>,
    responses: u32,
    /// `HTTP/1.1 200 text/event-stream` of the last response, for the report.
    last_response: Option<String>,
    reconnects: u32,
    drops: u32,
    reads: u64,
    bytes: u64,
    events: u64,
    comments: u64,
    /// When bytes (or the head) last arrived, while an attempt is reading its body.
    last_bytes_at: Option<Instant>,
    longest_silence: Duration,
    dropped_after_silence: bool,
    bursts: u32,
    largest_burst: usize,
    longest_burst_silence: Duration,
    oversized: u64,
    largest_event: u64,
    discarded: u32,
    discarded_bytes: u64,
    body: BodyScan,
    ids: IdCheck,
    json: JsonCheck,
    retry: RetryCheck,
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
            ConnMsg::StreamEnded { discarded, .. } => {
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

    /// A plain-text report for `print --diagnose`: each finding with its why
    /// and fix, or "no problems found", then what was checked.
    pub fn report(&self) -> String {
        let findings = self.findings();
        let mut out = String::new();
        if findings.is_empty() {
            out.push_str("ssetui diagnosis: no problems found.\n");
        } else {
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            let _ = writeln!(
                out,
                "ssetui diagnosis: {} (errors {}, warnings {}, notes {})",
                plural(findings.len() as u64, "problem"),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            );
            for f in &findings {
                let _ = writeln!(out, "\n[{}] {}: {}", f.severity.label(), f.id, f.title);
                let _ = writeln!(out, "  why: {}", f.why);
                let _ = writeln!(out, "  fix: {}", f.fix);
            }
            out.push('\n');
        }
        out.push_str(&self.checked());
        out
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
        self.body.scan(&chunk.bytes, chunk.offset);
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
                    self.json.see(event);
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
        self.retry.findings(self.events, &mut out);
        out.sort_by_key(|f| f.severity);
        out
    }

    fn delivery_findings(&self, now: Option<Instant>, out: &mut Vec<Finding>) {
        if self.bursts >= BURSTS_TO_REPORT {
            out.push(Finding {
                id: "buffering",
                severity: Severity::Warning,
                title: format!(
                    "events arrive in bursts: {} of up to {} events in one read after up to {} of silence",
                    self.bursts,
                    self.largest_burst,
                    duration(self.longest_burst_silence)
                ),
                why: "Events held back and released together mean something between the server and the client buffers the response: a reverse proxy (nginx buffers by default), a CDN, compression middleware, or the server's own output buffer. Clients see events late and in clumps.",
                fix: "Turn buffering off for this route (nginx: `proxy_buffering off;` or the response header `X-Accel-Buffering: no`), do not compress text/event-stream, and flush the server's output after each event.",
            });
        }
        let ongoing = now
            .zip(self.last_bytes_at)
            .map_or(Duration::ZERO, |(now, at)| {
                now.saturating_duration_since(at)
            });
        let silence = self.longest_silence.max(ongoing);
        if silence >= IDLE_TIMEOUTS[0] {
            let passed: Vec<String> = IDLE_TIMEOUTS
                .iter()
                .filter(|t| silence >= **t)
                .map(|t| format!("{} s", t.as_secs()))
                .collect();
            let dropped = if self.dropped_after_silence {
                "; the connection then ended"
            } else {
                ""
            };
            out.push(Finding {
                id: "keep-alive",
                severity: Severity::Warning,
                title: format!(
                    "no bytes for {} while connected: past the common {} idle timeout{}{dropped}",
                    duration(silence),
                    passed.join(" and "),
                    if passed.len() > 1 { "s" } else { "" },
                ),
                why: "Proxies, load balancers and browsers close a connection that stays idle past their timeout (often 30 s or 60 s; nginx and AWS load balancers default to 60 s), so a quiet stream is cut and must reconnect.",
                fix: "When there is nothing to send, send a comment line such as `: keep-alive` followed by a blank line every 15 to 20 seconds.",
            });
        }
        if self.drops > 0 {
            out.push(Finding {
                id: "connection-dropped",
                severity: Severity::Warning,
                title: format!("the connection broke mid-stream {}", times(u64::from(self.drops))),
                why: "Events in flight when a connection breaks are lost unless the client can resume from their id.",
                fix: "Check the server's and proxies' logs and timeouts for why the connection closed; send keep-alives and give events ids so clients resume where they stopped.",
            });
        }
    }

    /// The "what was checked" paragraph of the report.
    fn checked(&self) -> String {
        let mut out = String::from("Checked: ");
        match &self.last_response {
            Some(head) => {
                let _ = write!(
                    out,
                    "{} ({head})",
                    plural(u64::from(self.responses), "response")
                );
            }
            None => out.push_str("no response accepted"),
        }
        let _ = writeln!(
            out,
            ", {} and {} in {} ({}), {}.",
            plural(self.events, "event"),
            plural(self.comments, "comment block"),
            plural(self.reads, "read"),
            size(self.bytes),
            plural(u64::from(self.reconnects), "reconnect"),
        );
        out.push_str(
            "- response: status, Content-Type, charset, Cache-Control, Content-Encoding, HTTP version\n\
             - delivery: bursts after silence (buffering), silences past 30 s / 60 s (keep-alives), dropped connections\n\
             - ids: missing, replayed or going backwards after a reconnect, gaps in numeric ids\n\
             - bytes: mixed line endings, byte-order marks, invalid UTF-8, events over 1 MiB, unfinished last event\n\
             - data: non-JSON events among JSON ones of the same type\n\
             - retry: absent, below 500 ms, above 5 min\n",
        );
        out
    }
}

/// The value of a response header (repeated headers joined with ", ").
fn header(response: &ResponseInfo, name: &str) -> Option<String> {
    let values: Vec<&str> = response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Checks of an accepted response's head.
fn head_findings(response: &ResponseInfo) -> Vec<Finding> {
    let mut out = Vec::new();
    let content_type = header(response, "content-type");
    match &content_type {
        None => out.push(content_type_finding(
            "the response has no Content-Type (expected text/event-stream)".into(),
        )),
        Some(t) if !is_event_stream(t) => out.push(content_type_finding(format!(
            "Content-Type {} is not text/event-stream",
            quote(t)
        ))),
        Some(_) => {}
    }
    if let Some(charset) = content_type.as_deref().and_then(charset)
        && !matches!(charset.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
    {
        out.push(Finding {
            id: "charset",
            severity: Severity::Warning,
            title: format!("the stream declares charset {}, not UTF-8", quote(&charset)),
            why: "The SSE standard decodes every stream as UTF-8 whatever charset is declared; text the server really writes in another encoding turns into U+FFFD replacement characters.",
            fix: "Write the stream in UTF-8 and declare `Content-Type: text/event-stream; charset=utf-8`, or no charset at all.",
        });
    }
    let cache = header(response, "cache-control");
    let no_cache = cache.as_deref().is_some_and(|v| {
        v.split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .any(|d| d == "no-cache" || d == "no-store")
    });
    if !no_cache {
        let title = match &cache {
            None => "no Cache-Control header (expected no-cache)".to_owned(),
            Some(v) => format!("Cache-Control {} lacks no-cache", quote(v)),
        };
        out.push(Finding {
            id: "cache-control",
            severity: Severity::Warning,
            title,
            why: "Without `no-cache`, a browser, CDN or caching proxy may store the stream or buffer it whole before passing it on, so events arrive late or a stale copy is served.",
            fix: "Send `Cache-Control: no-cache` with the stream (the spec's recommendation; `no-store` works too).",
        });
    }
    if let Some(encoding) = header(response, "content-encoding")
        && !encoding.trim().eq_ignore_ascii_case("identity")
    {
        out.push(Finding {
            id: "compression",
            severity: Severity::Warning,
            title: format!("the stream is compressed (Content-Encoding {})", quote(&encoding)),
            why: "A compressor holds bytes back until it has enough to compress, so events arrive late and in bursts; compressing proxies are a common cause of buffered streams, and some clients cannot decode a compressed stream at all.",
            fix: "Exclude text/event-stream from gzip/brotli compression (nginx `gzip_types`, the framework's compression middleware), or flush the compressor after each event.",
        });
    }
    if matches!(response.version.as_str(), "HTTP/1.0" | "HTTP/0.9") {
        out.push(Finding {
            id: "http-version",
            severity: Severity::Warning,
            title: format!("the response is {}", one_line(&response.version, QUOTE_CHARS)),
            why: "HTTP/1.0 has no chunked encoding and no persistent connections: the body ends only when the connection closes, and a proxy talking HTTP/1.0 to the server (nginx's default for proxy_pass) tends to buffer it.",
            fix: "Serve the stream over HTTP/1.1 or HTTP/2; behind nginx set `proxy_http_version 1.1;` and `proxy_set_header Connection '';`.",
        });
    }
    out
}

fn content_type_finding(title: String) -> Finding {
    Finding {
        id: "content-type",
        severity: Severity::Error,
        title,
        why: "EventSource and most SSE clients refuse a response that is not text/event-stream. Another type usually means the request reached something else: an error or login page, a non-streaming JSON answer, or a route that does not stream.",
        fix: "Serve the stream with `Content-Type: text/event-stream`. If the answer is JSON, check that the request asks for a stream (for LLM APIs, `\"stream\": true` in the body).",
    }
}

/// The `charset` parameter of a media type, unquoted.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// What a failed attempt's error says about the endpoint, if anything.
fn error_finding(error: &ConnError) -> Option<Finding> {
    let message = one_line(&error.message, 200);
    let finding = match error.kind {
        ErrorKind::ContentType => content_type_finding(rejected_type(&error.message)),
        ErrorKind::Status => status_finding(error),
        ErrorKind::Tls => Finding {
            id: "tls",
            severity: Severity::Error,
            title: message,
            why: "The server's certificate is not trusted (expired, self-signed, or for another name), so no client will connect without disabling verification.",
            fix: "Give the server a certificate valid for this host name, or trust its CA with --cacert FILE (--insecure only for testing).",
        },
        ErrorKind::Connect => Finding {
            id: "connect",
            severity: Severity::Error,
            title: message,
            why: "No response came: the host, port or network path is wrong, or the server is down or too slow to answer.",
            fix: "Check the URL, that the server is running and reachable from here (proxy settings included), and raise --connect-timeout if it is slow to answer.",
        },
        ErrorKind::Redirect => Finding {
            id: "redirect",
            severity: Severity::Error,
            title: message,
            why: "The redirects lead nowhere usable; EventSource follows redirects too and fails the same way.",
            fix: "Point the client at the final URL, and fix the Location headers or the redirect loop on the server.",
        },
        ErrorKind::EventTooLarge => Finding {
            id: "event-too-large",
            severity: Severity::Error,
            title: message,
            why: "An event grew past the client's size limit, so the stream was abandoned; an event that never ends (no blank line) looks the same.",
            fix: "End every event with a blank line and keep events small; raise --max-event-size if such large events are intended.",
        },
        ErrorKind::Decode => Finding {
            id: "decode",
            severity: Severity::Error,
            title: message,
            why: "The compressed body could not be decoded: the Content-Encoding does not match the bytes, or the compressor's output was cut.",
            fix: "Do not compress text/event-stream; otherwise make sure the declared Content-Encoding matches what is sent.",
        },
        ErrorKind::IdleTimeout => Finding {
            id: "idle-timeout",
            severity: Severity::Warning,
            title: message,
            why: "Nothing arrived for the idle timeout, so the connection was treated as lost; a proxy with a similar timeout would cut it too.",
            fix: "Have the server send a `: keep-alive` comment every 15 to 20 seconds when it has no event to send.",
        },
        ErrorKind::Request => Finding {
            id: "request",
            severity: Severity::Error,
            title: message,
            why: "The request could not be built, so nothing was sent.",
            fix: "Correct the request as the message says (header syntax, certificate files, proxy URL).",
        },
        // Counted as a dropped connection instead.
        ErrorKind::Network => return None,
    };
    Some(finding)
}

/// The title for a response rejected for its type, from the engine's message
/// (`... answered 200 with Content-Type "text/html", not text/event-stream; body: ...`).
fn rejected_type(message: &str) -> String {
    if message.contains("with no Content-Type") {
        return "response rejected: no Content-Type (expected text/event-stream)".into();
    }
    let got = message
        .split_once("with Content-Type ")
        .and_then(|(_, rest)| rest.split_once(", not text/event-stream"))
        .map(|(got, _)| one_line(got, QUOTE_CHARS + 2));
    match got {
        Some(got) => format!("response rejected: Content-Type {got}, not text/event-stream"),
        None => "response rejected: not text/event-stream".into(),
    }
}

fn status_finding(error: &ConnError) -> Finding {
    let Some(status) = error.status else {
        return Finding {
            id: "status",
            severity: Severity::Error,
            title: one_line(&error.message, 200),
            why: STATUS_OTHER.0,
            fix: STATUS_OTHER.1,
        };
    };
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map_or(String::new(), |r| format!(" {r}"));
    let wait = error
        .retry_after
        .map_or(String::new(), |d| format!(", Retry-After {}", duration(d)));
    let (why, fix) = match status {
        401 | 403 => (
            "The server refused the credentials (missing, expired, or without access to this resource).",
            "Send valid credentials (--bearer, --basic, --api-key or --header), and check that they grant access to this URL; EventSource itself cannot send an Authorization header, so browsers need cookies or a token in the URL.",
        ),
        404 | 410 => (
            "Nothing streams at this URL: a wrong path, a missing route, or a proxy that does not forward it.",
            "Check the URL and the server's routes; behind a proxy, check that the path is forwarded.",
        ),
        405 => (
            "The endpoint does not accept this method; many streaming APIs want a POST with a JSON body, EventSource only sends GET.",
            "Use the method the API documents (-X POST with --data for most LLM APIs).",
        ),
        406 | 415 => (
            "The server did not accept the request's Accept or Content-Type header.",
            "Send `Accept: text/event-stream`, and the body type the API expects (usually application/json).",
        ),
        429 => (
            "Rate limited: too many requests or tokens for the account or key.",
            "Wait for the time Retry-After gives, lower the request rate, or ask for a higher limit; a client should honour Retry-After rather than retry at once.",
        ),
        500..=599 => (
            "The server or a gateway in front of it failed (502/503/504 usually come from a proxy that could not reach the server in time).",
            "Look at the server's logs; for 502/504 check the proxy's upstream address and timeouts.",
        ),
        _ => STATUS_OTHER,
    };
    Finding {
        id: "status",
        severity: Severity::Error,
        title: format!(
            "response rejected: status {status}{reason}{wait}, expected 200 with an event stream"
        ),
        why,
        fix,
    }
}

const STATUS_OTHER: (&str, &str) = (
    "An SSE client only reads a stream from a 200 response; any other status ends the connection.",
    "Answer the stream request with 200 and `Content-Type: text/event-stream` (204 tells clients to stop reconnecting).",
);

/// Byte-level checks over the body as received: line endings, BOMs, UTF-8.
#[derive(Debug, Default)]
struct BodyScan {
    lf: u64,
    crlf: u64,
    cr: u64,
    /// The last read ended with a CR: an LF first in the next makes it a CRLF.
    pending_cr: bool,
    /// Body bytes of the current attempt before the read being scanned.
    attempt_bytes: u64,
    /// The attempt's first bytes, until a leading BOM is ruled in or out.
    bom_probe: Vec<u8>,
    bom_checked: bool,
    leading_boms: u32,
    inner_boms: u64,
    /// The start of a UTF-8 sequence cut by the end of the last read (at most 3 bytes).
    utf8_carry: Vec<u8>,
    invalid_utf8: u64,
    first_invalid_at: Option<u64>,
}

impl BodyScan {
    fn start_attempt(&mut self) {
        self.pending_cr = false;
        self.attempt_bytes = 0;
        self.bom_probe.clear();
        self.bom_checked = false;
        self.utf8_carry.clear();
    }

    fn end_attempt(&mut self) {
        if std::mem::take(&mut self.pending_cr) {
            self.cr += 1;
        }
        if !self.utf8_carry.is_empty() {
            // The body ended inside a character.
            self.invalid_utf8 += 1;
            self.utf8_carry.clear();
        }
        self.bom_checked = true;
    }

    fn scan(&mut self, bytes: &[u8], offset: u64) {
        self.line_endings(bytes);
        self.boms(bytes);
        self.utf8(bytes, offset);
        self.attempt_bytes += bytes.len() as u64;
    }

    fn line_endings(&mut self, bytes: &[u8]) {
        let mut i = 0;
        if std::mem::take(&mut self.pending_cr) {
            if bytes.first() == Some(&b'\n') {
                self.crlf += 1;
                i = 1;
            } else {
                self.cr += 1;
            }
        }
        while let Some(found) = bytes.get(i..).and_then(|rest| memchr2(b'\r', b'\n', rest)) {
            let at = i + found;
            i = at + 1;
            if bytes[at] == b'\n' {
                self.lf += 1;
                continue;
            }
            match bytes.get(at + 1) {
                Some(b'\n') => {
                    self.crlf += 1;
                    i = at + 2;
                }
                Some(_) => self.cr += 1,
                None => self.pending_cr = true,
            }
        }
    }

    fn boms(&mut self, bytes: &[u8]) {
        if !self.bom_checked {
            let want = BOM.len() - self.bom_probe.len();
            self.bom_probe
                .extend_from_slice(&bytes[..want.min(bytes.len())]);
            if !BOM.starts_with(&self.bom_probe) {
                self.bom_checked = true;
            } else if self.bom_probe.len() == BOM.len() {
                self.leading_boms += 1;
                self.bom_checked = true;
            }
        }
        let leading = usize::from(self.attempt_bytes == 0);
        self.inner_boms += memmem::find_iter(bytes, BOM)
            .filter(|&at| at >= leading)
            .count() as u64;
    }

    /// Counts invalid UTF-8 sequences, carrying a character cut by the read's end.
    fn utf8(&mut self, bytes: &[u8], offset: u64) {
        let joined;
        let (mut input, mut at) = if self.utf8_carry.is_empty() {
            (bytes, offset)
        } else {
            // Rare (a character split across reads): one copy of this read.
            let carried = self.utf8_carry.len() as u64;
            joined = [std::mem::take(&mut self.utf8_carry).as_slice(), bytes].concat();
            (joined.as_slice(), offset.saturating_sub(carried))
        };
        loop {
            match std::str::from_utf8(input) {
                Ok(_) => return,
                Err(err) => {
                    let rest = &input[err.valid_up_to()..];
                    at = at.saturating_add(err.valid_up_to() as u64);
                    let Some(bad) = err.error_len() else {
                        self.utf8_carry = rest.to_vec();
                        return;
                    };
                    self.invalid_utf8 += 1;
                    self.first_invalid_at.get_or_insert(at);
                    input = &rest[bad..];
                    at = at.saturating_add(bad as u64);
                }
            }
        }
    }

    fn findings(&self, out: &mut Vec<Finding>) {
        let kinds: Vec<String> = [(self.lf, "LF"), (self.crlf, "CRLF"), (self.cr, "CR")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, name)| format!("{n} {name}"))
            .collect();
        if kinds.len() > 1 {
            out.push(Finding {
                id: "line-endings",
                severity: Severity::Warning,
                title: format!("mixed line endings: {}", kinds.join(", ")),
                why: "The spec allows LF, CRLF and CR, but many hand-written parsers split on one kind only, so they merge or split lines and lose events; mixing usually means two code paths write the stream.",
                fix: "Write every line ending the same way, preferably `\\n`.",
            });
        }
        if self.inner_boms > 0 {
            out.push(Finding {
                id: "bom",
                severity: Severity::Warning,
                title: format!(
                    "{} inside the stream",
                    plural(self.inner_boms, "byte-order mark (U+FEFF)")
                ),
                why: "Only a BOM at the very start of the stream is skipped; anywhere else it becomes part of a field name, so that line (often a `data:` line) is ignored and its event lost.",
                fix: "Do not write a BOM when appending to the stream (it often comes from concatenating text files or strings that each start with one).",
            });
        } else if self.leading_boms > 0 {
            out.push(Finding {
                id: "bom",
                severity: Severity::Info,
                title: "the stream starts with a byte-order mark (U+FEFF)".into(),
                why: "The spec says to skip one leading BOM, but some clients do not and read the first field name as \"\\u{FEFF}data\", losing the first event.",
                fix: "Do not write a BOM: SSE is always UTF-8.",
            });
        }
        if self.invalid_utf8 > 0 {
            let at = self
                .first_invalid_at
                .map_or(String::new(), |at| format!(", the first at byte {at}"));
            out.push(Finding {
                id: "invalid-utf8",
                severity: Severity::Warning,
                title: format!(
                    "{} replaced with U+FFFD{at}",
                    plural(self.invalid_utf8, "invalid UTF-8 sequence")
                ),
                why: "Clients decode the stream as UTF-8 and replace invalid bytes with U+FFFD, so the text differs from what the server meant (often the server writes Latin-1 or cuts a multi-byte character).",
                fix: "Encode all text as UTF-8, and do not split a string in the middle of a character; binary data must be encoded (base64) first.",
            });
        }
    }
}

/// Event ids: missing, replayed or backwards after a reconnect, gaps.
#[derive(Debug, Default)]
struct IdCheck {
    /// The request is not a GET (a POST to an LLM API): resuming is rarely expected.
    one_shot_request: bool,
    events: u64,
    without_id: u64,
    /// The id in force at the last event.
    last: String,
    last_numeric: Option<u128>,
    /// The Last-Event-ID an attempt sent, until its first event that sets an id.
    resumed_from: Option<String>,
    /// Whether the server has sent an id (in an event or an id-only block).
    server_sent: bool,
    /// Ids set lately, to recognise a replay of a non-numeric id.
    recent: VecDeque<String>,
    replayed: u64,
    replay_example: Option<(String, String)>,
    backwards: u64,
    backwards_after_reconnect: u64,
    backwards_example: Option<(String, String)>,
    steps_of_one: u64,
    gaps: u64,
    gap_example: Option<(u128, u128)>,
}

impl IdCheck {
    /// An attempt starts: `get` tells whether it is a GET (a stream a client
    /// is expected to resume), `sent` is the Last-Event-ID it sends.
    fn resume(&mut self, get: bool, sent: Option<&str>) {
        self.one_shot_request = !get;
        self.resumed_from = sent.filter(|id| !id.is_empty()).map(str::to_owned);
    }

    /// A block that set the id without an event (`id:` alone): the server sent an id.
    fn see_block(&mut self, id: Option<&str>) {
        if id.is_some_and(|id| !id.is_empty()) {
            self.server_sent = true;
        }
    }

    fn see(&mut self, event: &Event) {
        self.events += 1;
        let id = &*event.id;
        // Only ids the server sent are judged. An event without an `id:` line
        // carries the id in force: the server's last one, or (before the
        // server sent any) the Last-Event-ID the client started with, which
        // is no id of the server's.
        if !event.sets_id {
            if id.is_empty() || !self.server_sent {
                self.without_id += 1;
            }
            return;
        }
        if id.is_empty() {
            self.without_id += 1;
            self.last.clear();
            return;
        }
        self.server_sent = true;
        let numeric = id.parse::<u128>().ok();
        let mut counted = false;
        if let Some(sent) = self.resumed_from.take() {
            // Numbering restarted below the id sent: the server ignored
            // Last-Event-ID (or lost its sequence); say "backwards" for that.
            let below_sent = numeric
                .zip(sent.parse::<u128>().ok())
                .is_some_and(|(n, s)| n < s);
            if below_sent {
                self.backwards += 1;
                self.backwards_after_reconnect += 1;
                self.backwards_example
                    .get_or_insert_with(|| (quote(&sent), quote(id)));
                counted = true;
            } else if id == sent || self.recent.iter().any(|r| r == id) {
                self.replayed += 1;
                self.replay_example
                    .get_or_insert_with(|| (quote(&sent), quote(id)));
                counted = true;
            }
        }
        if let (Some(n), Some(p)) = (numeric, self.last_numeric) {
            if n < p && !counted {
                self.backwards += 1;
                self.backwards_example
                    .get_or_insert_with(|| (quote(&self.last), quote(id)));
            } else if n == p.saturating_add(1) {
                self.steps_of_one += 1;
            } else if n > p.saturating_add(1) {
                self.gaps += 1;
                self.gap_example.get_or_insert((p, n));
            }
        }
        self.last_numeric = numeric;
        self.last.clear();
        self.last.push_str(id);
        if id.len() <= MAX_REMEMBERED_ID_BYTES {
            // The oldest slot's buffer is reused: no allocation per event once full.
            let mut slot = if self.recent.len() == RECENT_IDS {
                self.recent.pop_front().unwrap_or_default()
            } else {
                String::new()
            };
            slot.clear();
            slot.push_str(id);
            self.recent.push_back(slot);
        }
    }

    fn findings(&self, out: &mut Vec<Finding>) {
        if self.without_id > 0 {
            // A POST stream (an LLM answer) is rarely resumable by design: a note, not a warning.
            let severity = if self.one_shot_request {
                Severity::Info
            } else {
                Severity::Warning
            };
            let (severity, title) = if self.without_id == self.events {
                let title = match self.events {
                    1 => "the only event has no id".to_owned(),
                    n => format!("none of the {n} events has an id"),
                };
                (severity, title)
            } else {
                (
                    Severity::Info,
                    format!("{} of {} events have no id", self.without_id, self.events),
                )
            };
            out.push(Finding {
                id: "no-ids",
                severity,
                title,
                why: "Without an id a reconnecting client has no Last-Event-ID to send, so the server cannot resend what was missed: events are lost or repeated at every reconnect.",
                fix: "Give every event an `id:` line (a sequence number or a position in the server's log) and resume from the client's Last-Event-ID header.",
            });
        }
        if self.replayed > 0 {
            let example = self
                .replay_example
                .as_ref()
                .map_or(String::new(), |(sent, got)| {
                    format!(" (sent Last-Event-ID {sent}, got id {got} again)")
                });
            out.push(Finding {
                id: "id-replayed",
                severity: Severity::Warning,
                title: format!(
                    "after a reconnect the server resent an event already received {}{example}",
                    times(self.replayed)
                ),
                why: "Last-Event-ID names the last event the client has; resending it (or earlier ones) makes clients process events twice.",
                fix: "On reconnect, send only the events after the one named by the Last-Event-ID request header.",
            });
        }
        if self.backwards > 0 {
            let example = self
                .backwards_example
                .as_ref()
                .map_or(String::new(), |(before, after)| {
                    format!(" (e.g. {before} then {after})")
                });
            let reconnects = if self.backwards_after_reconnect > 0 {
                format!(
                    ", {} right after a reconnect",
                    self.backwards_after_reconnect
                )
            } else {
                String::new()
            };
            out.push(Finding {
                id: "id-backwards",
                severity: Severity::Warning,
                title: format!(
                    "numeric ids went backwards {}{reconnects}{example}",
                    times(self.backwards)
                ),
                why: "Ids that go back mean the server restarted its numbering or ignored Last-Event-ID and replayed from an earlier point; clients then see old events again or resume from the wrong place.",
                fix: "Keep ids increasing across restarts (use a persistent sequence or log position) and honour the Last-Event-ID request header.",
            });
        }
        // Gaps matter only where ids otherwise count up one by one.
        if self.gaps > 0 && self.steps_of_one >= 4 * self.gaps {
            let example = self
                .gap_example
                .map_or(String::new(), |(p, n)| format!(" (first: {p} then {n})"));
            out.push(Finding {
                id: "id-gaps",
                severity: Severity::Warning,
                title: format!(
                    "{} in otherwise consecutive numeric ids{example}",
                    plural(self.gaps, "gap")
                ),
                why: "Ids that count up by one with holes suggest events were lost: dropped by the server, filtered by a proxy, or not replayed after a reconnect.",
                fix: "Check that the server sends every event it numbers and replays the missed ones after Last-Event-ID; if ids are sparse by design this is harmless.",
            });
        }
    }
}

/// Per event type, how many events carry JSON data and how many do not.
#[derive(Debug, Default)]
struct JsonCheck {
    types: Vec<TypeCount>,
}

#[derive(Debug)]
struct TypeCount {
    name: String,
    json: u64,
    other: u64,
    example: Option<String>,
}

impl JsonCheck {
    fn see(&mut self, event: &Event) {
        let data = event.data.trim();
        // OpenAI-style end marker: not JSON by design.
        if data.is_empty() || data == "[DONE]" {
            return;
        }
        let is_json = matches!(data.as_bytes().first(), Some(b'{' | b'['))
            && serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok();
        let name = crate::text::head(event.event_type(), 64);
        let index = match self.types.iter().position(|t| t.name == name) {
            Some(i) => i,
            None if self.types.len() < MAX_EVENT_TYPES - 1 => self.push(name),
            None => match self.types.iter().position(|t| t.name == "(other types)") {
                Some(i) => i,
                None => self.push("(other types)"),
            },
        };
        let Some(count) = self.types.get_mut(index) else {
            return;
        };
        if is_json {
            count.json += 1;
        } else {
            count.other += 1;
            count.example.get_or_insert_with(|| quote(data));
        }
    }

    fn push(&mut self, name: &str) -> usize {
        self.types.push(TypeCount {
            name: name.to_owned(),
            json: 0,
            other: 0,
            example: None,
        });
        self.types.len() - 1
    }

    fn findings(&self, out: &mut Vec<Finding>) {
        let mostly_json =
            |t: &&TypeCount| t.other > 0 && t.json >= JSON_MIN_EVENTS && t.json >= 4 * t.other;
        let odd: Vec<&TypeCount> = self.types.iter().filter(mostly_json).collect();
        let Some(worst) = odd.iter().max_by_key(|t| t.other) else {
            return;
        };
        let more = if odd.len() > 1 {
            format!(" (and {} more event types)", odd.len() - 1)
        } else {
            String::new()
        };
        out.push(Finding {
            id: "json-mixed",
            severity: Severity::Warning,
            title: format!(
                "{} of {} {} events carry data that is not JSON, e.g. {}{more}",
                worst.other,
                worst.other + worst.json,
                quote(&worst.name),
                worst.example.as_deref().unwrap_or("?"),
            ),
            why: "Clients that parse every event of this type as JSON fail on these; it is often an error message, a truncated object, or two objects sent in one event.",
            fix: "Send JSON in every event of this type (wrap errors as JSON, e.g. an `event: error` with a JSON body), or give non-JSON events their own `event:` type.",
        });
    }
}

/// The `retry:` values the stream set.
#[derive(Debug, Default)]
struct RetryCheck {
    seen: u64,
    smallest: Option<u64>,
    largest: Option<u64>,
}

impl RetryCheck {
    fn see(&mut self, retry_ms: Option<u64>) {
        if let Some(ms) = retry_ms {
            self.seen += 1;
            self.smallest = Some(self.smallest.map_or(ms, |s| s.min(ms)));
            self.largest = Some(self.largest.map_or(ms, |l| l.max(ms)));
        }
    }

    fn findings(&self, events: u64, out: &mut Vec<Finding>) {
        if self.seen == 0 && events > 0 {
            out.push(Finding {
                id: "retry-absent",
                severity: Severity::Info,
                title: "the stream never sets `retry:`".into(),
                why: "Without it each client picks its own reconnection delay (browsers about 3 s, other clients anything from none to a minute), so the server cannot pace reconnects after an outage.",
                fix: "Send a `retry:` line (in milliseconds, e.g. `retry: 3000`) at the start of the stream.",
            });
        }
        if let Some(ms) = self
            .smallest
            .filter(|ms| *ms < RETRY_TOO_SMALL.as_millis() as u64)
        {
            out.push(Finding {
                id: "retry-small",
                severity: Severity::Warning,
                title: format!("retry: {ms} ms is below {} ms", RETRY_TOO_SMALL.as_millis()),
                why: "After an outage every client reconnects almost at once and again at once on failure, a storm of requests that can keep a recovering server down.",
                fix: "Use a retry of a few seconds (e.g. `retry: 3000`); spread reconnects further with jitter on the client.",
            });
        }
        if let Some(ms) = self
            .largest
            .filter(|ms| *ms > RETRY_TOO_LARGE.as_millis() as u64)
        {
            out.push(Finding {
                id: "retry-large",
                severity: Severity::Warning,
                title: format!(
                    "retry: {ms} ms ({}) is above {}",
                    duration(Duration::from_millis(ms)),
                    duration(RETRY_TOO_LARGE)
                ),
                why: "After a dropped connection clients wait this long before reconnecting, so the stream looks dead to users.",
                fix: "Use a retry of seconds, not minutes; to shed load, answer 503 with Retry-After or 204 (stop) instead.",
            });
        }
    }
}

/// `text` quoted ([`crate::text::quote`]: neutralised for the terminal),
/// cut to a short length.
fn quote(text: &str) -> String {
    let mut shown: String = text.chars().take(QUOTE_CHARS).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    crate::text::quote(&shown)
}

/// `text` on one line, neutralised for the terminal, at most `max_chars`
/// characters of it.
fn one_line(text: &str, max_chars: usize) -> String {
    let mut shown: String = text.chars().take(max_chars).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    crate::text::neutralise(&shown, crate::text::Lines::Single).into_owned()
}

fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn times(n: u64) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}

fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        let s = d.as_secs();
        format!("{} min {} s", s / 60, s % 60)
    }
}

fn size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(reads: &[&[u8]]) -> BodyScan {
        let mut body = BodyScan::default();
        body.start_attempt();
        let mut offset = 0;
        for read in reads {
            body.scan(read, offset);
            offset += read.len() as u64;
        }
        body.end_attempt();
        body
    }

    #[test]
    fn a_crlf_split_across_reads_is_one_crlf() {
        let body = scan(&[b"data: a\r", b"\n\r\n"]);
        assert_eq!((body.lf, body.crlf, body.cr), (0, 2, 0));
        let body = scan(&[b"data: a\r", b"\r"]);
        assert_eq!((body.lf, body.crlf, body.cr), (0, 0, 2));
    }

    #[test]
    fn a_character_split_across_reads_is_valid_utf8() {
        let body = scan(&[b"data: \xE2\x82", b"\xAC\n\n"]);
        assert_eq!(body.invalid_utf8, 0);
        let body = scan(&[b"data: \xE2\x82", b"x\n\n"]);
        assert_eq!(body.invalid_utf8, 1);
        assert_eq!(body.first_invalid_at, Some(6));
        let body = scan(&[b"data: \xE2\x82"]);
        assert_eq!(body.invalid_utf8, 1, "the body ended inside a character");
    }

    #[test]
    fn a_bom_split_across_reads_is_a_leading_bom() {
        let body = scan(&[b"\xEF\xBB", b"\xBFdata: a\n\n"]);
        assert_eq!((body.leading_boms, body.inner_boms), (1, 0));
        let body = scan(&[b"data: a\n\n", b"\xEF\xBB\xBFdata: b\n\n"]);
        assert_eq!((body.leading_boms, body.inner_boms), (0, 1));
    }

    #[test]
    fn quoting_neutralises_terminal_controls_and_cuts_long_text() {
        assert_eq!(quote("a\u{1b}[31m\u{202e}"), "\"a␛[31m\\u{202e}\"");
        let long = "é".repeat(100);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 3);
        assert_eq!(one_line("a\nb", 10), "a␊b");
        assert_eq!(
            one_line("x\u{202e}\u{200b}\u{9b}y", 10),
            "x\\u{202e}\\u{200b}\\u{9b}y"
        );
    }
}
