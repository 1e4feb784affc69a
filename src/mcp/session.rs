//! One MCP connection: every request POSTed with the headers and `_meta`
//! its era asks for, its answer read as JSON or as an event stream, every
//! message of every stream shown to an observer as it arrives, and the
//! server's own requests answered (`ping`; anything else -32601, as no
//! client capability is declared).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url};
use serde_json::{Value, json};

use super::McpError;
use super::envelope;
use super::jsonrpc::Message;
use super::negotiate::Era;
use super::record::{Direction, Observed, Record};
use super::tracker::{Finding, Tracker};
use super::wire::{self, BodyKind, EventReader, Wire};

mod inbound;
mod manual;
mod side;
mod stream;
#[cfg(test)]
mod tests;

pub use manual::Detached;
pub use stream::Stream;

/// How long a request may wait for its answer before it is flagged.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);

/// JSON-RPC "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

/// An MCP connection once negotiated (see `negotiate::connect`).
pub struct Client {
    pub(super) wire: Wire,
    pub(super) era: Era,
    /// The revision in use.
    pub(super) revision: String,
    /// Where POSTs go: the URL, or the legacy transport's `endpoint`.
    pub(super) endpoint: Url,
    pub(super) session_id: Option<String>,
    /// Whether `MCP-Protocol-Version` goes on requests (after `initialize`).
    pub(super) version_header: bool,
    /// The legacy transport's GET stream, where every answer arrives.
    pub(super) legacy_stream: Option<Stream>,
    /// The stream read alongside every request: the session era's GET
    /// stream (`get`) or the stateless era's `subscriptions/listen` (`listen`).
    pub(super) side: Option<Stream>,
    /// The (stream, event ID) pairs seen: a replayed event is not shown twice.
    event_ids: HashSet<(String, String)>,
    pub(super) next_id: u64,
    posts: u32,
    ours: Tracker,
    theirs: Tracker,
    pub(super) observer: Box<dyn FnMut(Observed)>,
    /// The client capabilities declared; a server request of another kind
    /// is answered -32601.
    pub(super) declared: Vec<super::capabilities::Capability>,
    /// Who answers a server request of a declared kind.
    pub(super) answerer: Option<super::capabilities::Answerer>,
}

impl Client {
    pub(super) fn new(wire: Wire, observer: Box<dyn FnMut(Observed)>) -> Self {
        let endpoint = wire.url().clone();
        Self {
            wire,
            era: Era::Stateless,
            revision: String::new(),
            endpoint,
            session_id: None,
            version_header: false,
            legacy_stream: None,
            side: None,
            event_ids: HashSet::new(),
            next_id: 1,
            posts: 0,
            ours: Tracker::new(RESPONSE_TIMEOUT),
            theirs: Tracker::new(RESPONSE_TIMEOUT),
            observer,
            declared: Vec::new(),
            answerer: None,
        }
    }

    /// The era in use.
    pub fn era(&self) -> Era {
        self.era
    }

    /// The revision in use.
    pub fn revision(&self) -> &str {
        &self.revision
    }

    /// The session id the server issued, if any.
    pub fn session_id(&self) -> Option<&str> {
        self.session_id.as_deref()
    }

    pub(super) fn observe(
        &mut self,
        stream: &str,
        direction: Direction,
        message: Result<Value, String>,
        problem: Option<String>,
        event: Option<(&Option<String>, &[u8])>,
    ) {
        (self.observer)(Observed::Message(Record {
            stream: stream.to_owned(),
            direction,
            message,
            problem,
            event_id: event.and_then(|(id, _)| id.clone()),
            raw: event.map(|(_, raw)| raw.to_vec()).unwrap_or_default(),
        }));
    }

    fn finding(&mut self, finding: Finding) {
        (self.observer)(Observed::Finding(finding));
    }

    fn next_stream(&mut self) -> String {
        self.posts += 1;
        format!("post-{}", self.posts)
    }

    /// The session era's headers for a GET: its id and revision.
    pub(super) fn session_headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        if self.era != Era::Session {
            return headers;
        }
        if let Some(id) = &self.session_id {
            headers.push(("mcp-session-id", id.clone()));
        }
        if self.version_header {
            headers.push(("mcp-protocol-version", self.revision.clone()));
        }
        headers
    }

    /// The headers of a POST carrying `message` in this era.
    pub(super) fn headers_for(&self, message: &Message) -> Vec<(&'static str, String)> {
        let session = match self.era {
            Era::Session => Some((self.session_id.as_deref(), self.version_header)),
            _ => None,
        };
        envelope::headers(self.era, &self.revision, session, message)
    }

    /// `params` with the stateless era's `_meta` fields added.
    fn stamp(&self, params: Option<Value>) -> Option<Value> {
        match self.era {
            Era::Stateless => Some(envelope::stamp(
                &self.revision,
                &super::capabilities::declaration(&self.declared),
                params,
            )),
            _ => params,
        }
    }

    /// Sends a request and waits for its answer: the result, or the
    /// JSON-RPC error as [`McpError::Rpc`]. Every message of the exchange
    /// goes to the observer as it arrives.
    pub async fn request(
        &mut self,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, McpError> {
        let id = json!(self.next_id);
        self.next_id += 1;
        let message = Message::Request {
            id: id.clone(),
            method: method.to_owned(),
            params: self.stamp(params),
        };
        if let Some(finding) = self.ours.request(&id, method, Instant::now()) {
            self.finding(finding);
        }
        let stream = self.next_stream();
        let response = self.post(&stream, &message).await?;
        if method == "initialize"
            && let Some(session) = response
                .headers()
                .get("mcp-session-id")
                .and_then(|v| v.to_str().ok())
        {
            self.session_id = Some(session.to_owned());
        }
        let status = response.status();
        let answer = if status.is_success() && self.era == Era::Legacy {
            // HTTP+SSE: the POST is only accepted; the answer comes on the GET stream.
            let _ = wire::read_body(response).await;
            self.await_on_legacy_stream(&id).await
        } else if status.is_success() {
            match wire::body_kind(response.headers()) {
                BodyKind::Json => {
                    let body = wire::read_body(response).await?;
                    let text = String::from_utf8_lossy(&body).into_owned();
                    self.received(&stream, &text, None).await?;
                    Ok(self.answer_in(&text, &id))
                }
                BodyKind::EventStream => {
                    let reader = EventReader::new(response);
                    let mut answer = if self.era == Era::Session {
                        Stream::resumable(&stream, reader)
                    } else {
                        Stream::fixed(&stream, reader)
                    };
                    self.await_on(&mut answer, &id).await
                }
                BodyKind::Other => Err(McpError::Protocol(format!(
                    "{method}: the answer is HTTP {} with a Content-Type other than application/json or text/event-stream",
                    status.as_u16()
                ))),
            }
        } else {
            Err(self.refused(method, &stream, response).await)
        };
        for late in self.ours.overdue(Instant::now()) {
            self.finding(late);
        }
        match answer?.ok_or_else(|| {
            McpError::Protocol(format!(
                "{method}: the answer ended without the response (id {id})"
            ))
        })? {
            Message::Response { result, .. } => Ok(result),
            Message::Error {
                code,
                message,
                data,
                ..
            } => Err(McpError::Rpc {
                method: method.to_owned(),
                code,
                message,
                data,
            }),
            _ => Err(McpError::Protocol(format!("{method}: no response"))),
        }
    }

    /// Sends a notification; the server answers 202 with no body.
    pub async fn notify(&mut self, method: &str, params: Option<Value>) -> Result<(), McpError> {
        let message = Message::Notification {
            method: method.to_owned(),
            params: self.stamp(params),
        };
        let stream = self.next_stream();
        let response = self.post(&stream, &message).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(self.refused(method, &stream, response).await)
        }
    }

    /// Ends the session: DELETE with its id (2025-03-26 on: "clients that no
    /// longer need a particular session SHOULD send an HTTP DELETE"). A 405
    /// says the server does not let clients end sessions: not an error.
    pub async fn close(mut self) -> Result<(), McpError> {
        self.legacy_stream = None;
        self.settle_side().await;
        self.side = None;
        let Some(session) = self.session_id.clone() else {
            return Ok(());
        };
        if self.era != Era::Session {
            return Ok(());
        }
        let mut headers = vec![("mcp-session-id", session)];
        if self.version_header {
            headers.push(("mcp-protocol-version", self.revision.clone()));
        }
        let url = self.endpoint.clone();
        let response = self.wire.send(Method::DELETE, &url, &headers, None).await?;
        let status = response.status();
        if status.is_success() || status == StatusCode::METHOD_NOT_ALLOWED {
            Ok(())
        } else {
            Err(McpError::Status {
                what: "DELETE (ending the session)".into(),
                status: status.as_u16(),
                preview: wire::preview(response).await,
            })
        }
    }

    async fn post(
        &mut self,
        stream: &str,
        message: &Message,
    ) -> Result<reqwest::Response, McpError> {
        let value = message.to_value();
        self.observe(stream, Direction::Sent, Ok(value.clone()), None, None);
        let headers = self.headers_for(message);
        let body = serde_json::to_vec(&value).map_err(|err| McpError::Request(err.to_string()))?;
        let url = self.endpoint.clone();
        self.wire
            .send(Method::POST, &url, &headers, Some(body))
            .await
    }
}
