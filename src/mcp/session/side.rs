//! The stream read alongside the requests, for what the server sends on
//! its own initiative:
//!
//! - the session era's GET stream (2025-11-25 transports, "Listening for
//!   Messages from the Server"): opened after `notifications/initialized`;
//!   "the server MUST either return `Content-Type: text/event-stream` in
//!   response to this HTTP GET, or else return HTTP 405", 405 saying it
//!   offers none. Resumed with `Last-Event-ID` if it ends.
//! - the stateless era's `subscriptions/listen` (2026-07-28, "Subscriptions",
//!   which "replaces the former `resources/subscribe` RPC and the HTTP GET
//!   endpoint"): opened for the list changes `server/discover` advertises,
//!   ended by closing it.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode, Url};
use serde_json::{Map, Value, json};

use super::{Client, Stream};
use crate::mcp::McpError;
use crate::mcp::jsonrpc::Message;
use crate::mcp::negotiate::Era;
use crate::mcp::tracker::Finding;
use crate::mcp::wire::{self, BodyKind, EventReader, StreamEvent, Wire};

/// How long the side stream is read for at the end once nothing arrives:
/// what the server sent there while the last answer came is shown.
const SETTLE: Duration = Duration::from_millis(250);

/// How long the listen stream's acknowledgement is waited for.
const ACKNOWLEDGE: Duration = Duration::from_secs(5);

/// What the reading of both streams gave.
pub(super) enum Next {
    Primary(Result<Option<StreamEvent>, McpError>),
    Side(Result<Option<StreamEvent>, McpError>),
}

/// The side stream's next event; never ready when there is none.
pub(super) async fn next(
    side: &mut Option<Stream>,
    wire: &Wire,
    url: &Url,
    headers: &[(&'static str, String)],
) -> Result<Option<StreamEvent>, McpError> {
    match side {
        Some(stream) if !stream.is_over() => stream.next(wire, url, headers).await,
        _ => std::future::pending().await,
    }
}

impl Client {
    /// Opens the session era's GET stream. A 405 means the server offers
    /// none; any other refusal is a finding, not an error: requests go on.
    pub async fn open_get_stream(&mut self) {
        if self.era != Era::Session {
            return;
        }
        let mut headers = self.session_headers();
        headers.push(("accept", "text/event-stream".into()));
        let url = self.endpoint.clone();
        let response = match self.wire.send(Method::GET, &url, &headers, None).await {
            Ok(response) => response,
            Err(err) => {
                return self.stream_failed("get", &err);
            }
        };
        let status = response.status();
        if status == StatusCode::OK && wire::body_kind(response.headers()) == BodyKind::EventStream
        {
            self.side = Some(Stream::resumable("get", EventReader::new(response)));
        } else if status != StatusCode::METHOD_NOT_ALLOWED {
            let err = McpError::Status {
                what: "GET (the session's stream for server messages; 405 if none)".into(),
                status: status.as_u16(),
                preview: wire::preview(response).await,
            };
            self.stream_failed("get", &err);
        }
    }

    /// Closes the side stream (the GET or listen stream), if one is open:
    /// for a caller that opens its own (a server may allow one GET stream
    /// per session, answering a second with 409).
    pub fn close_side_stream(&mut self) {
        self.side = None;
    }

    /// Opens a `subscriptions/listen` stream for the list changes the
    /// server's `server/discover` result advertises (`listChanged: true`);
    /// nothing when it advertises none. A refusal is a finding.
    pub async fn listen(&mut self, discovered: &Value) {
        let Some(filter) = listen_filter(discovered) else {
            return;
        };
        if self.era != Era::Stateless {
            return;
        }
        let id = json!(self.next_id);
        self.next_id += 1;
        let message = Message::Request {
            id: id.clone(),
            method: "subscriptions/listen".into(),
            params: self.stamp(Some(json!({ "notifications": filter }))),
        };
        if let Some(finding) = self
            .ours
            .request(&id, "subscriptions/listen", Instant::now())
        {
            self.finding(finding);
        }
        self.ours.open_ended(&id);
        let response = match self.post("listen", &message).await {
            Ok(response) => response,
            Err(err) => return self.stream_failed("listen", &err),
        };
        let status = response.status();
        if !status.is_success() {
            let err = self
                .refused("subscriptions/listen", "listen", response)
                .await;
            return self.stream_failed("listen", &err);
        }
        match wire::body_kind(response.headers()) {
            BodyKind::EventStream => {
                self.side = Some(Stream::fixed("listen", EventReader::new(response)));
                self.await_acknowledgement().await;
            }
            _ => match wire::read_body(response).await {
                // An answer at once: the subscription ended (or was refused) already.
                Ok(body) => {
                    let text = String::from_utf8_lossy(&body).into_owned();
                    if let Err(err) = self.received("listen", &text, None).await {
                        self.stream_failed("listen", &err);
                    }
                }
                Err(err) => self.stream_failed("listen", &err),
            },
        }
    }

    /// Reads the listen stream until its first message, which "MUST" be
    /// `notifications/subscriptions/acknowledged`: the requests that follow
    /// are made once the subscription is in force (at most [`ACKNOWLEDGE`] later).
    async fn await_acknowledgement(&mut self) {
        let mut side = self.side.take();
        let headers = self.session_headers();
        let url = self.endpoint.clone();
        let event = tokio::time::timeout(ACKNOWLEDGE, async {
            loop {
                match next(&mut side, &self.wire, &url, &headers).await {
                    Ok(Some(event)) if event.data.is_empty() => continue,
                    other => return other,
                }
            }
        })
        .await;
        self.side = side;
        match event {
            Ok(event) => {
                if let Err(err) = self.on_side_event(event).await {
                    self.stream_failed("listen", &err);
                }
            }
            Err(_) => self.finding(Finding::StreamFailed {
                stream: "listen".into(),
                reason: format!(
                    "no notifications/subscriptions/acknowledged within {} s",
                    ACKNOWLEDGE.as_secs()
                ),
            }),
        }
    }

    /// What the side stream gave: its messages shown; its end or failure a
    /// finding (the requests go on without it). Returns the responses it held.
    pub(super) async fn on_side_event(
        &mut self,
        event: Result<Option<StreamEvent>, McpError>,
    ) -> Result<Option<Message>, McpError> {
        let name = match &self.side {
            Some(stream) => stream.name.clone(),
            None => return Ok(None),
        };
        match event {
            Ok(Some(event)) => Ok(self.on_event(&name, event).await?.into_iter().next()),
            Ok(None) => Ok(None),
            Err(err) => {
                if let Some(stream) = &mut self.side {
                    stream.end();
                }
                self.stream_failed(&name, &err);
                Ok(None)
            }
        }
    }

    /// Reads the side stream until it has been quiet for [`SETTLE`]: the
    /// messages the server sent there while the last answer arrived on
    /// another connection are shown before the end.
    pub(super) async fn settle_side(&mut self) {
        loop {
            let mut side = self.side.take();
            if side.as_ref().is_none_or(Stream::is_over) {
                self.side = side;
                return;
            }
            let headers = self.session_headers();
            let url = self.endpoint.clone();
            let event =
                tokio::time::timeout(SETTLE, next(&mut side, &self.wire, &url, &headers)).await;
            self.side = side;
            let Ok(event) = event else {
                return;
            };
            if let Err(err) = self.on_side_event(event).await {
                let name = self
                    .side
                    .as_ref()
                    .map(|s| s.name.clone())
                    .unwrap_or_default();
                self.stream_failed(&name, &err);
                return;
            }
        }
    }

    pub(super) fn stream_failed(&mut self, stream: &str, err: &McpError) {
        self.finding(Finding::StreamFailed {
            stream: stream.to_owned(),
            reason: err.to_string(),
        });
    }
}

/// The `subscriptions/listen` filter for what a discover result's
/// capabilities advertise: `toolsListChanged`, `promptsListChanged`,
/// `resourcesListChanged` for each `listChanged: true`.
pub fn listen_filter(discovered: &Value) -> Option<Value> {
    let capabilities = discovered.get("capabilities")?;
    let mut filter = Map::new();
    for (capability, key) in [
        ("tools", "toolsListChanged"),
        ("prompts", "promptsListChanged"),
        ("resources", "resourcesListChanged"),
    ] {
        if capabilities
            .get(capability)
            .and_then(|c| c.get("listChanged"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            filter.insert(key.into(), Value::Bool(true));
        }
    }
    (!filter.is_empty()).then_some(Value::Object(filter))
}
