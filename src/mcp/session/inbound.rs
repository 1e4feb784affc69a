//! What arrives on a connection's streams: each message shown, responses
//! linked to their requests, the server's own requests answered (`ping`
//! with an empty result; anything else -32601, as no client capability is
//! declared).

use std::time::Instant;

use serde_json::{Value, json};

use super::side::{self, Next};
use super::{Client, METHOD_NOT_FOUND, Stream};

/// The error code the spec's examples give a request the user refused.
const USER_REFUSED: i64 = -1;
use crate::mcp::McpError;
use crate::mcp::jsonrpc::{self, Message};
use crate::mcp::record::Direction;
use crate::mcp::tracker::Finding;
use crate::mcp::wire::{self, BodyKind, StreamEvent};

impl Client {
    /// A status other than 2xx: a JSON-RPC error in the body (a stateless
    /// server's 400 for an unsupported revision) is shown and returned as
    /// the answer's error; otherwise the status.
    pub(super) async fn refused(
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

    /// Reads `primary` until the response to `id`, reading the side stream
    /// (the session's GET stream, a listen stream) at the same time: what
    /// arrives on either is shown as it arrives.
    pub(super) async fn await_on(
        &mut self,
        primary: &mut Stream,
        id: &Value,
    ) -> Result<Option<Message>, McpError> {
        loop {
            let mut side = self.side.take();
            let headers = self.session_headers();
            let url = self.endpoint.clone();
            let next = tokio::select! {
                biased;
                event = primary.next(&self.wire, &url, &headers) => Next::Primary(event),
                event = side::next(&mut side, &self.wire, &url, &headers) => Next::Side(event),
            };
            self.side = side;
            match next {
                Next::Primary(event) => {
                    let Some(event) = event? else {
                        return Ok(None);
                    };
                    let name = primary.name.clone();
                    let answer = self.on_event(&name, event).await?;
                    if let Some(found) = answer.into_iter().find(|m| m.id() == Some(id)) {
                        return Ok(Some(found));
                    }
                }
                Next::Side(event) => {
                    if let Some(found) = self.on_side_event(event).await?
                        && found.id() == Some(id)
                    {
                        return Ok(Some(found));
                    }
                }
            }
        }
    }

    /// One event of a stream: shown and handled once. An event whose ID
    /// this stream had already given (a replay overlapping what arrived) is
    /// a finding and is not shown again. Returns the responses it held.
    pub(super) async fn on_event(
        &mut self,
        stream: &str,
        event: StreamEvent,
    ) -> Result<Vec<Message>, McpError> {
        if let Some(after) = &event.resumed_after {
            (self.observer)(crate::mcp::Observed::Resumed {
                stream: stream.to_owned(),
                after: crate::text::one_line(after).to_string(),
                retry: event.resumed_retry,
            });
        }
        if let Some(event_id) = &event.id
            && !self.event_ids.insert((stream.to_owned(), event_id.clone()))
        {
            self.finding(Finding::RepeatedEvent {
                stream: stream.to_owned(),
                event_id: crate::text::one_line(event_id).to_string(),
            });
            return Ok(Vec::new());
        }
        if event.data.is_empty() {
            // A priming event (2025-11-25, SEP-1699): an id to resume
            // from, no message.
            return Ok(Vec::new());
        }
        self.received(stream, &event.data, Some((&event.id, &event.raw)))
            .await
    }

    /// The legacy transport: the answer comes on the GET stream.
    pub(super) async fn await_on_legacy_stream(
        &mut self,
        id: &Value,
    ) -> Result<Option<Message>, McpError> {
        let Some(mut reader) = self.legacy_stream.take() else {
            return Err(McpError::Protocol("the legacy GET stream is gone".into()));
        };
        let answer = self.await_on(&mut reader, id).await;
        self.legacy_stream = Some(reader);
        answer
    }

    /// The response to `id` in a JSON body (decoded again: the body was shown already).
    pub(super) fn answer_in(&self, text: &str, id: &Value) -> Option<Message> {
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
    pub(in crate::mcp) async fn received(
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
                Message::Request { id, method, params } => {
                    if let Some(finding) = self.theirs.request(id, method, Instant::now()) {
                        self.finding(finding);
                    }
                    let (id, method) = (id.clone(), method.clone());
                    let params = params.clone().unwrap_or(Value::Null);
                    self.answer_server(id, &method, params).await?;
                }
                Message::Notification { .. } => {}
            }
        }
        Ok(responses)
    }

    /// Answers a server's request: `ping` with an empty result; one of a
    /// declared capability with what the answerer (the user) gives;
    /// anything else "method not found".
    async fn answer_server(
        &mut self,
        id: Value,
        method: &str,
        params: Value,
    ) -> Result<(), McpError> {
        let _ = self.theirs.response(&id);
        let declared = crate::mcp::capabilities::of_method(method)
            .filter(|capability| self.declared.contains(capability));
        let answer = match (method, declared, &mut self.answerer) {
            ("ping", _, _) => Message::Response {
                id,
                result: json!({}),
            },
            (_, Some(capability), Some(answerer)) => match answerer(capability, params).await {
                Ok(result) => Message::Response { id, result },
                // The spec's code for a user who refused (sampling: "User
                // rejected sampling request").
                Err(why) => Message::Error {
                    id,
                    code: USER_REFUSED,
                    message: why,
                    data: None,
                },
            },
            _ => Message::Error {
                id,
                code: METHOD_NOT_FOUND,
                message: format!("ssetui does not handle {method}"),
                data: None,
            },
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
