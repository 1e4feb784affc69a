//! One event stream of a connection, resumed when it ends early.
//!
//! 2025-11-25 transports, "Resumability and Redelivery": a stream that
//! ends (the server closed it, the network broke) is resumed with a GET
//! carrying `Last-Event-ID`, the last event ID seen on it; the server
//! replays what came after on that same stream. "Sending Messages to the
//! Server": a server that closes a stream before its response "SHOULD send
//! an SSE event with a standard `retry` field"; the client "MUST respect
//! the `retry` field, waiting the given number of milliseconds before
//! attempting to reconnect". A stream with no event ID cannot be resumed;
//! neither can the 2024-11-05 transport's nor a 2026-07-28 listen stream.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use reqwest::{Method, Response, StatusCode, Url};
use tokio::time::Instant;

use crate::mcp::McpError;
use crate::mcp::wire::{self, BodyKind, EventReader, StreamEvent, Wire};

/// How many times one stream is resumed at most.
pub const MAX_RESUMPTIONS: u32 = 5;
/// The wait before resuming when the server set no `retry:`.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(1);
/// The longest wait a server's `retry:` is honoured up to.
pub const MAX_RETRY: Duration = Duration::from_secs(10);

/// The wait before resuming a stream whose server set `retry` (if it did).
pub fn resume_delay(retry: Option<Duration>) -> Duration {
    retry.unwrap_or(DEFAULT_RETRY).min(MAX_RETRY)
}

/// Where a stream is.
enum State {
    Reading(Box<EventReader>),
    /// Ended early; resumed at this instant.
    Waiting(Instant),
    /// The GET that resumes it, sent: kept across a dropped `next` so that
    /// it is neither sent twice nor lost.
    Resuming(Pin<Box<dyn Future<Output = Result<Response, McpError>>>>),
    Ended,
}

/// An event stream of the connection, under the name its messages are shown with.
pub struct Stream {
    pub name: String,
    state: State,
    resumable: bool,
    /// How many times it was resumed so far.
    pub resumptions: u32,
    last_id: Option<String>,
    retry: Option<Duration>,
    /// Resumed with this `Last-Event-ID`, and no event since: told with
    /// the next event, so the reader can say the stream was resumed.
    resumed_after: Option<String>,
}

impl Stream {
    /// A stream resumed with GET + `Last-Event-ID` when it ends early.
    pub fn resumable(name: &str, reader: EventReader) -> Self {
        Self::new(name, reader, true)
    }

    /// A stream that is over when it ends.
    pub fn fixed(name: &str, reader: EventReader) -> Self {
        Self::new(name, reader, false)
    }

    fn new(name: &str, reader: EventReader, resumable: bool) -> Self {
        Self {
            name: name.to_owned(),
            state: State::Reading(Box::new(reader)),
            resumable,
            resumptions: 0,
            last_id: None,
            retry: None,
            resumed_after: None,
        }
    }

    /// The wait before resuming: the server's `retry:`, at most [`MAX_RETRY`].
    pub fn delay(&self) -> Duration {
        resume_delay(self.retry)
    }

    /// Whether the stream ended for good.
    pub fn is_over(&self) -> bool {
        matches!(self.state, State::Ended)
    }

    /// Ends the stream: its connection is dropped.
    pub fn end(&mut self) {
        self.state = State::Ended;
    }

    /// The next event, `None` once the stream ended for good. An early end
    /// is resumed after the server's delay with a GET to `url` carrying
    /// `headers` (the session's) and `Last-Event-ID`. Safe to drop while
    /// waiting: the next call takes up where it was.
    pub(in crate::mcp) async fn next(
        &mut self,
        wire: &Wire,
        url: &Url,
        headers: &[(&'static str, String)],
    ) -> Result<Option<StreamEvent>, McpError> {
        loop {
            match &mut self.state {
                State::Reading(reader) => {
                    let next = reader.next().await;
                    if let Some(id) = reader.last_id() {
                        self.last_id = Some(id.to_owned());
                    }
                    if let Some(retry) = reader.retry() {
                        self.retry = Some(retry);
                    }
                    match next {
                        Ok(Some(mut event)) => {
                            event.resumed_after = self.resumed_after.take();
                            if event.resumed_after.is_some() {
                                event.resumed_retry = self.retry;
                            }
                            return Ok(Some(event));
                        }
                        Ok(None) | Err(McpError::Network(_)) if self.can_resume() => {
                            self.state = State::Waiting(Instant::now() + self.delay());
                        }
                        Ok(None) => {
                            self.state = State::Ended;
                            return Ok(None);
                        }
                        Err(err) => {
                            self.state = State::Ended;
                            return Err(err);
                        }
                    }
                }
                State::Waiting(at) => {
                    tokio::time::sleep_until(*at).await;
                    self.state = State::Resuming(self.resume(wire, url, headers));
                }
                State::Resuming(sent) => {
                    let response = sent.await;
                    match self.resumed(response).await {
                        Ok(reader) => {
                            self.resumptions += 1;
                            self.resumed_after = self.last_id.clone();
                            self.state = State::Reading(Box::new(reader));
                        }
                        Err(err) => {
                            self.state = State::Ended;
                            return Err(err);
                        }
                    }
                }
                State::Ended => return Ok(None),
            }
        }
    }

    fn can_resume(&self) -> bool {
        self.resumable && self.last_id.is_some() && self.resumptions < MAX_RESUMPTIONS
    }

    /// The GET that resumes the stream from its last event ID.
    fn resume(
        &self,
        wire: &Wire,
        url: &Url,
        headers: &[(&'static str, String)],
    ) -> Pin<Box<dyn Future<Output = Result<Response, McpError>>>> {
        let mut headers = headers.to_vec();
        headers.push(("accept", "text/event-stream".into()));
        headers.push(("last-event-id", self.last_id.clone().unwrap_or_default()));
        let (wire, url) = (wire.clone(), url.clone());
        Box::pin(async move { wire.send(Method::GET, &url, &headers, None).await })
    }

    /// The resuming GET's answer: an event stream, or why not.
    async fn resumed(&self, response: Result<Response, McpError>) -> Result<EventReader, McpError> {
        let response = response?;
        let status = response.status();
        if status == StatusCode::OK && wire::body_kind(response.headers()) == BodyKind::EventStream
        {
            return Ok(EventReader::new(response));
        }
        Err(McpError::Status {
            what: format!(
                "{} ended early; the GET resuming it from event {}",
                self.name,
                crate::text::one_line(self.last_id.as_deref().unwrap_or_default())
            ),
            status: status.as_u16(),
            preview: wire::preview(response).await,
        })
    }
}
