//! What a person at the UI asks of a connection beyond a request: the side
//! stream read while nothing is in flight, a request cancelled, a stream
//! resumed by hand from any event.

use std::future::Future;
use std::pin::Pin;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::side;
use super::{Client, Stream};
use crate::mcp::McpError;
use crate::mcp::jsonrpc::Message;
use crate::mcp::negotiate::Era;
use crate::mcp::record::{Direction, Record};
use crate::mcp::wire::{self, BodyKind, EventReader, StreamEvent};

/// A POST sent apart from the connection (it does not wait for it): the
/// record of what it sends, and the sending.
pub struct Detached {
    pub record: Record,
    pub send: Pin<Box<dyn Future<Output = Result<(), McpError>>>>,
}

impl Client {
    /// The side stream's next event (the GET or listen stream); never
    /// ready when there is none. Safe to drop while waiting: handle what it
    /// gives with [`Client::handle_side_event`].
    pub async fn side_event(&mut self) -> Result<Option<StreamEvent>, McpError> {
        let headers = self.session_headers();
        let url = self.endpoint.clone();
        side::next(&mut self.side, &self.wire, &url, &headers).await
    }

    /// Shows what [`Client::side_event`] gave and answers the server's
    /// requests in it; its end or failure is a finding.
    pub async fn handle_side_event(&mut self, event: Result<Option<StreamEvent>, McpError>) {
        if let Err(err) = self.on_side_event(event).await {
            let name = self
                .side
                .as_ref()
                .map_or_else(|| "get".to_owned(), |s| s.name.clone());
            self.stream_failed(&name, &err);
        }
    }

    /// The id the next request gets.
    pub fn next_request_id(&self) -> Value {
        json!(self.next_id)
    }

    /// `notifications/cancelled` for the request `id` (session era: "the
    /// sender of the request MAY cancel it by sending a cancellation
    /// notification"), ready to be sent while the request still waits.
    pub fn cancel(&self, id: &Value, reason: &str) -> Detached {
        let message = Message::Notification {
            method: "notifications/cancelled".into(),
            params: Some(json!({ "requestId": id, "reason": reason })),
        };
        let value = message.to_value();
        let headers = self.headers_for(&message);
        let (wire, url) = (self.wire.clone(), self.endpoint.clone());
        let body = value.to_string().into_bytes();
        Detached {
            record: Record {
                stream: "cancel".into(),
                direction: Direction::Sent,
                message: Ok(value),
                problem: None,
                event_id: None,
                raw: Vec::new(),
            },
            send: Box::pin(async move {
                let response = wire.send(Method::POST, &url, &headers, Some(body)).await?;
                let status = response.status();
                if status.is_success() {
                    Ok(())
                } else {
                    Err(McpError::Status {
                        what: "POST notifications/cancelled".into(),
                        status: status.as_u16(),
                        preview: wire::preview(response).await,
                    })
                }
            }),
        }
    }

    /// Replaces the session's GET stream with a new GET carrying
    /// `Last-Event-ID: after`, read as the side stream called `name`: what
    /// the server replays is shown whole (none of it is taken for a repeat
    /// of the stream before), so replay can be tested by hand. The old GET
    /// is closed first: a server may allow one per session (409).
    pub async fn resume_from(&mut self, name: &str, after: &str) -> Result<(), McpError> {
        if self.era != Era::Session {
            return Err(McpError::Protocol(format!(
                "resuming from an event is a session-era feature; this connection is in the {} era",
                self.era.as_str()
            )));
        }
        self.side = None;
        let mut headers = self.session_headers();
        headers.push(("accept", "text/event-stream".into()));
        headers.push(("last-event-id", after.to_owned()));
        let url = self.endpoint.clone();
        let response = self.wire.send(Method::GET, &url, &headers, None).await?;
        let status = response.status();
        if status == StatusCode::OK && wire::body_kind(response.headers()) == BodyKind::EventStream
        {
            self.side = Some(Stream::resumable(name, EventReader::new(response)));
            return Ok(());
        }
        Err(McpError::Status {
            what: format!("GET with Last-Event-ID: {}", crate::text::one_line(after)),
            status: status.as_u16(),
            preview: wire::preview(response).await,
        })
    }

    /// Shows a record the caller made (a detached POST's message).
    pub fn show(&mut self, record: Record) {
        (self.observer)(crate::mcp::Observed::Message(record));
    }
}
