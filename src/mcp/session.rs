//! One MCP connection: every request POSTed with the headers and `_meta`
//! its era asks for, its answer read as JSON or as an event stream, every
//! message of every stream shown to an observer as it arrives, and the
//! server's own requests answered (`ping`; anything else -32601, as no
//! client capability is declared).

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value, json};

use super::McpError;
use super::jsonrpc::{self, Message};
use super::negotiate::Era;
use super::tracker::{Finding, Tracker};
use super::wire::{self, BodyKind, EventReader, Wire};

/// `_meta` keys of the stateless era (2026-07-28, basic/index "Per-request protocol fields").
pub const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub const META_CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
pub const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// How long a request may wait for its answer before it is flagged.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);

/// JSON-RPC "method not found".
const METHOD_NOT_FOUND: i64 = -32601;

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Sent,
    Received,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Sent => "sent",
            Direction::Received => "received",
        }
    }
}

/// One message of one stream, as the observer sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// `post-N` (the answer to the Nth POST, or the POST itself), `get`.
    pub stream: String,
    pub direction: Direction,
    /// The message as JSON, or the text that was not JSON.
    pub message: Result<Value, String>,
    /// Why the message is not a JSON-RPC message, if it is not.
    pub problem: Option<String>,
    /// The SSE event id it came with.
    pub event_id: Option<String>,
    /// The SSE event's bytes as received (empty for a JSON body or a sent message).
    pub raw: Vec<u8>,
}

/// What a connection tells its observer.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    Message(Record),
    /// A finding about ids (a reused id, an answer to nothing, no answer).
    Finding(Finding),
}

/// The client's name and version, sent as `clientInfo`.
pub fn client_info() -> Value {
    json!({"name": "ssetui", "version": env!("CARGO_PKG_VERSION")})
}

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
    pub(super) legacy_stream: Option<EventReader>,
    next_id: u64,
    posts: u32,
    ours: Tracker,
    theirs: Tracker,
    observer: Box<dyn FnMut(Observed)>,
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
            next_id: 1,
            posts: 0,
            ours: Tracker::new(RESPONSE_TIMEOUT),
            theirs: Tracker::new(RESPONSE_TIMEOUT),
            observer,
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

    /// The headers of a POST carrying `message` in this era.
    fn headers_for(&self, message: &Message) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        match self.era {
            Era::Stateless => {
                headers.push(("mcp-protocol-version", self.revision.clone()));
                if let Some(method) = message.method() {
                    headers.push(("mcp-method", method.to_owned()));
                    if let Some(name) = name_of(message) {
                        headers.push(("mcp-name", encode_header_value(&name)));
                    }
                }
            }
            Era::Session => {
                if let Some(id) = &self.session_id {
                    headers.push(("mcp-session-id", id.clone()));
                }
                if self.version_header {
                    headers.push(("mcp-protocol-version", self.revision.clone()));
                }
            }
            Era::Legacy => {}
        }
        headers
    }

    /// `params` with the stateless era's `_meta` fields added.
    fn stamp(&self, params: Option<Value>) -> Option<Value> {
        if self.era != Era::Stateless {
            return params;
        }
        let mut params = match params {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let meta = params
            .entry("_meta")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            meta.insert(META_PROTOCOL_VERSION.into(), self.revision.clone().into());
            meta.insert(META_CLIENT_INFO.into(), client_info());
            meta.insert(META_CLIENT_CAPABILITIES.into(), json!({}));
        }
        Some(Value::Object(params))
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
        let answer = if status == StatusCode::ACCEPTED && self.era == Era::Legacy {
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
                    let mut reader = EventReader::new(response);
                    self.await_on(&mut reader, &stream, &id).await
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

    /// A status other than 2xx: a JSON-RPC error in the body (a stateless
    /// server's 400 for an unsupported revision) is shown and returned as
    /// the answer's error; otherwise the status.
    async fn refused(
        &mut self,
        method: &str,
        stream: &str,
        response: reqwest::Response,
    ) -> McpError {
        let status = response.status().as_u16();
        let is_json = wire::body_kind(response.headers()) == BodyKind::Json;
        let preview = wire::preview(response).await;
        if is_json
            && let Ok(jsonrpc::Decoded::One(Message::Error {
                code,
                message,
                data,
                ..
            })) = jsonrpc::decode(&preview)
        {
            if let Ok(value) = serde_json::from_str(&preview) {
                self.observe(stream, Direction::Received, Ok(value), None, None);
            }
            return McpError::Rpc {
                method: method.to_owned(),
                code,
                message,
                data,
            };
        }
        McpError::Status {
            what: format!("POST {method}"),
            status,
            preview,
        }
    }

    /// Reads `reader` until the response to `id`.
    async fn await_on(
        &mut self,
        reader: &mut EventReader,
        stream: &str,
        id: &Value,
    ) -> Result<Option<Message>, McpError> {
        while let Some(event) = reader.next().await? {
            if event.data.is_empty() {
                // A priming event (2025-11-25, SEP-1699): an id to resume
                // from, no message.
                continue;
            }
            let answer = self
                .received(stream, &event.data, Some((&event.id, &event.raw)))
                .await?;
            if let Some(found) = answer.into_iter().find(|m| m.id() == Some(id)) {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// The legacy transport: the answer comes on the GET stream.
    async fn await_on_legacy_stream(&mut self, id: &Value) -> Result<Option<Message>, McpError> {
        let Some(mut reader) = self.legacy_stream.take() else {
            return Err(McpError::Protocol("the legacy GET stream is gone".into()));
        };
        let answer = self.await_on(&mut reader, "get", id).await;
        self.legacy_stream = Some(reader);
        answer
    }

    /// The response to `id` in a JSON body (decoded again: the body was shown already).
    fn answer_in(&self, text: &str, id: &Value) -> Option<Message> {
        jsonrpc::decode(text)
            .ok()?
            .messages()
            .into_iter()
            .find(|m| {
                m.id() == Some(id) && matches!(m, Message::Response { .. } | Message::Error { .. })
            })
    }

    /// Shows what a body or an event held, links responses to requests,
    /// answers the server's requests; returns the responses it held.
    pub(super) async fn received(
        &mut self,
        stream: &str,
        text: &str,
        event: Option<(&Option<String>, &[u8])>,
    ) -> Result<Vec<Message>, McpError> {
        let decoded = jsonrpc::decode(text);
        let values: Vec<Result<Value, String>> = match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) if !items.is_empty() => items.into_iter().map(Ok).collect(),
            Ok(value) => vec![Ok(value)],
            Err(_) => vec![Err(text.to_owned())],
        };
        let messages: Vec<Result<Message, String>> = match decoded {
            Ok(jsonrpc::Decoded::One(message)) => vec![Ok(message)],
            Ok(jsonrpc::Decoded::Batch(all)) => all
                .into_iter()
                .map(|m| m.map_err(|e| e.to_string()))
                .collect(),
            Err(err) => vec![Err(err.to_string())],
        };
        let mut responses = Vec::new();
        for (value, message) in values.into_iter().zip(messages) {
            let problem = message.as_ref().err().cloned();
            self.observe(stream, Direction::Received, value, problem, event);
            let Ok(message) = message else { continue };
            match &message {
                Message::Response { id, .. } | Message::Error { id, .. } => {
                    if let Err(finding) = self.ours.response(id) {
                        self.finding(finding);
                    }
                    responses.push(message);
                }
                Message::Request { id, method, .. } => {
                    if let Some(finding) = self.theirs.request(id, method, Instant::now()) {
                        self.finding(finding);
                    }
                    let (id, method) = (id.clone(), method.clone());
                    self.answer_server(id, &method).await?;
                }
                Message::Notification { .. } => {}
            }
        }
        Ok(responses)
    }

    /// Answers a server's request: `ping` with an empty result, anything
    /// else "method not found" (no client capability is declared).
    async fn answer_server(&mut self, id: Value, method: &str) -> Result<(), McpError> {
        let _ = self.theirs.response(&id);
        let answer = if method == "ping" {
            Message::Response {
                id,
                result: json!({}),
            }
        } else {
            Message::Error {
                id,
                code: METHOD_NOT_FOUND,
                message: format!("ssetui does not handle {method}"),
                data: None,
            }
        };
        let stream = self.next_stream();
        let response = self.post(&stream, &answer).await?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(self.refused("a response", &stream, response).await)
        }
    }
}

/// The name a stateless request carries in `Mcp-Name`: `params.name` of
/// `tools/call` and `prompts/get`, `params.uri` of `resources/read`.
fn name_of(message: &Message) -> Option<String> {
    let Message::Request {
        method,
        params: Some(params),
        ..
    } = message
    else {
        return None;
    };
    let key = match method.as_str() {
        "tools/call" | "prompts/get" => "name",
        "resources/read" => "uri",
        _ => return None,
    };
    params.get(key)?.as_str().map(str::to_owned)
}

/// A header value as 2026-07-28 sends one: as it is when it is printable
/// ASCII without edge spaces, else in the `=?base64?…?=` sentinel form.
pub fn encode_header_value(value: &str) -> String {
    use base64::Engine as _;
    let plain = value.bytes().all(|b| (0x20..=0x7e).contains(&b))
        && value == value.trim()
        && !(value.starts_with("=?base64?") && value.ends_with("?="));
    if plain {
        value.to_owned()
    } else {
        format!(
            "=?base64?{}?=",
            base64::engine::general_purpose::STANDARD.encode(value.as_bytes())
        )
    }
}

#[cfg(test)]
mod tests;
