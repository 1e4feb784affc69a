//! Single exchanges sent beside a negotiated connection, for `ssetui check
//! --mcp`: a request shaped exactly as the connection would send it (its
//! era's headers and `_meta`, from [`envelope`]), then changed in the one
//! way a check needs (a header left out, replaced or added), and its answer
//! read as far as the check needs: the status, the Content-Type and the
//! JSON-RPC messages up to the response.
//!
//! Nothing here judges: the checks (`check::mcp`) decide what the answer means.

use std::time::Duration;

use reqwest::{Method, Url};
use serde_json::{Value, json};

use super::McpError;
use super::envelope;
use super::jsonrpc::{self, Message};
use super::negotiate::Era;
use super::session::Client;
use super::wire::{self, BodyKind, EventReader};

/// How long a probe's answer is read before the probe gives up on it.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the server answered a probe.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    /// The Content-Type as sent, if any.
    pub content_type: Option<String>,
    pub kind: BodyKind,
    /// The JSON-RPC messages read from the body (up to the response to the
    /// probe), or why the body held none that decode.
    pub messages: Result<Vec<Message>, String>,
    /// The SSE event ids seen on the answer's stream, in order.
    pub event_ids: Vec<String>,
    /// Whether the answer's stream opened with a priming event: an id and
    /// empty data (2025-11-25, SEP-1699).
    pub primed: bool,
    /// With [`Read::Idle`]: how long the stream took to send its first
    /// bytes (a keep-alive comment or an event), if it sent any in time.
    pub first_bytes: Option<Duration>,
}

impl Answer {
    /// The JSON-RPC error code of the first error in the body, if any.
    pub fn rpc_error(&self) -> Option<i64> {
        self.messages.as_ref().ok()?.iter().find_map(|m| match m {
            Message::Error { code, .. } => Some(*code),
            _ => None,
        })
    }

    /// A short description for a report: `HTTP 400 application/json`.
    pub fn describe(&self) -> String {
        let mut text = format!("HTTP {}", self.status);
        if let Some(content_type) = &self.content_type {
            text.push(' ');
            text.push_str(&crate::text::one_line(crate::text::cut(content_type, 80)).to_string());
        }
        if let Some(code) = self.rpc_error() {
            text.push_str(&format!(" (JSON-RPC error {code})"));
        }
        text
    }
}

/// How far an answer's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// The status and headers only (a GET stream that would stay open).
    Head,
    /// Up to the response with this probe's id, or the end of the body.
    ToResponse,
    /// What a stream gives until it is quiet for a moment (a replay after
    /// `Last-Event-ID`, on a stream that may stay open).
    Replay,
    /// When the stream sends its first bytes, waiting at most this long.
    Idle(Duration),
}

impl Client {
    /// Where POSTs go.
    pub fn endpoint(&self) -> &Url {
        &self.endpoint
    }

    /// A request for a probe: `method` with id `id` (a string, so it never
    /// meets the connection's numeric ids), its params stamped as the era
    /// asks (the stateless era's `_meta` at `revision`).
    pub fn probe_request(&self, id: &str, method: &str, revision: &str) -> Message {
        let params = match self.era {
            Era::Stateless => Some(envelope::stamp(revision, &serde_json::json!({}), None)),
            _ => None,
        };
        Message::Request {
            id: json!(id),
            method: method.to_owned(),
            params,
        }
    }

    /// The headers the connection would send `message` with in its era
    /// (the session id and `MCP-Protocol-Version` once negotiated; the
    /// stateless era's version and routing headers).
    pub fn probe_headers(&self, message: &Message) -> Vec<(&'static str, String)> {
        let session = match self.era {
            Era::Session => Some((self.session_id.as_deref(), self.version_header)),
            _ => None,
        };
        envelope::headers(self.era, &self.revision, session, message)
    }

    /// Sends `method` to the endpoint with `headers` and `message` as the
    /// body, reads the answer as `read` says within [`PROBE_TIMEOUT`].
    pub async fn probe(
        &self,
        method: Method,
        headers: &[(&str, String)],
        message: Option<&Message>,
        read: Read,
    ) -> Result<Answer, McpError> {
        let body = message
            .map(|m| serde_json::to_vec(&m.to_value()))
            .transpose()
            .map_err(|err| McpError::Request(err.to_string()))?;
        let url = self.endpoint.clone();
        let response = self.wire.send(method, &url, headers, body).await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let kind = wire::body_kind(response.headers());
        let id = message.and_then(Message::id).cloned();
        let mut primed = false;
        let mut first_bytes = None;
        let (messages, event_ids) = match (read, kind) {
            (Read::Idle(wait), BodyKind::EventStream) => {
                first_bytes = first_bytes_after_opening(response, wait).await;
                (Ok(Vec::new()), Vec::new())
            }
            (Read::Idle(_), _) => (Ok(Vec::new()), Vec::new()),
            (Read::Head, _) | (Read::Replay, BodyKind::Json | BodyKind::Other) => {
                (Ok(Vec::new()), Vec::new())
            }
            (Read::Replay, BodyKind::EventStream) => {
                let (read, ids) = read_replay(response).await;
                (read, ids)
            }
            (Read::ToResponse, BodyKind::EventStream) => {
                match tokio::time::timeout(PROBE_TIMEOUT, read_stream(response, id.as_ref())).await
                {
                    Ok((read, ids, first_primes)) => {
                        primed = first_primes;
                        (read, ids)
                    }
                    Err(_) => (
                        Err(format!(
                            "no response within {} s on the event stream",
                            PROBE_TIMEOUT.as_secs()
                        )),
                        Vec::new(),
                    ),
                }
            }
            (Read::ToResponse, _) => {
                let body = tokio::time::timeout(PROBE_TIMEOUT, wire::read_body(response))
                    .await
                    .map_err(|_| format!("no body within {} s", PROBE_TIMEOUT.as_secs()))
                    .and_then(|body| body.map_err(|err| err.to_string()));
                (body.and_then(|body| decode(&body)), Vec::new())
            }
        };
        Ok(Answer {
            status,
            content_type,
            kind,
            messages,
            event_ids,
            primed,
            first_bytes,
        })
    }
}

/// What a stream sends as it opens (a priming event, a first keep-alive)
/// is not what keeps it alive when idle.
const OPENING: Duration = Duration::from_millis(250);

/// How long after it opened the stream first sent bytes, past what came
/// with its opening; `None` when nothing came within `wait`.
async fn first_bytes_after_opening(
    mut response: reqwest::Response,
    wait: Duration,
) -> Option<Duration> {
    let started = tokio::time::Instant::now();
    let deadline = started + wait;
    loop {
        match tokio::time::timeout_at(deadline, response.chunk()).await {
            Ok(Ok(Some(_))) if started.elapsed() < OPENING => continue,
            Ok(Ok(Some(_))) => return Some(started.elapsed()),
            _ => return None,
        }
    }
}

/// How long a replay may be quiet before it is taken as over.
const REPLAY_QUIET: std::time::Duration = std::time::Duration::from_millis(750);

/// The messages and event ids a replay gives until it ends, is quiet for
/// [`REPLAY_QUIET`], or [`PROBE_TIMEOUT`] passed.
async fn read_replay(response: reqwest::Response) -> (Result<Vec<Message>, String>, Vec<String>) {
    let mut reader = EventReader::new(response);
    let mut messages = Vec::new();
    let mut ids = Vec::new();
    let deadline = tokio::time::Instant::now() + PROBE_TIMEOUT;
    loop {
        let quiet = tokio::time::Instant::now() + REPLAY_QUIET;
        let next = tokio::time::timeout_at(quiet.min(deadline), reader.next()).await;
        match next {
            Ok(Ok(Some(event))) => {
                ids.extend(event.id.clone());
                if !event.data.is_empty()
                    && let Ok(decoded) = jsonrpc::decode(&event.data)
                {
                    messages.extend(decoded.messages());
                }
            }
            Ok(Ok(None)) | Err(_) => return (Ok(messages), ids),
            Ok(Err(err)) => return (Err(err.to_string()), ids),
        }
    }
}

/// The messages of a JSON body; an empty body holds none.
fn decode(body: &[u8]) -> Result<Vec<Message>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let text = String::from_utf8_lossy(body);
    jsonrpc::decode(&text)
        .map(jsonrpc::Decoded::messages)
        .map_err(|err| err.to_string())
}

/// What a stream held: its messages (or why not), its event ids, and
/// whether its first event was a priming event.
type StreamRead = (Result<Vec<Message>, String>, Vec<String>, bool);

/// The messages of an event stream up to the response to `id` (or its end),
/// the event ids seen, and whether the first event primed the stream.
async fn read_stream(response: reqwest::Response, id: Option<&Value>) -> StreamRead {
    let mut reader = EventReader::new(response);
    let mut messages = Vec::new();
    let mut ids = Vec::new();
    let mut primed = None;
    loop {
        match reader.next().await {
            Ok(Some(event)) => {
                primed.get_or_insert(event.id.is_some() && event.data.is_empty());
                ids.extend(event.id.clone());
                if event.data.is_empty() {
                    continue;
                }
                match jsonrpc::decode(&event.data) {
                    Ok(decoded) => messages.extend(decoded.messages()),
                    Err(err) => return (Err(err.to_string()), ids, primed == Some(true)),
                }
                let answered = messages.iter().any(|m| {
                    matches!(m, Message::Response { .. } | Message::Error { .. }) && m.id() == id
                });
                if answered {
                    return (Ok(messages), ids, primed == Some(true));
                }
            }
            Ok(None) => return (Ok(messages), ids, primed == Some(true)),
            Err(err) => return (Err(err.to_string()), ids, primed == Some(true)),
        }
    }
}
