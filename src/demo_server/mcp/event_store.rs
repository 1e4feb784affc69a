//! The event store that makes `/mcp-legacy` resumable: every SSE event the
//! MCP transport sends is kept here (bounded) under an id unique across all
//! streams of the server, so a client that lost a stream can send
//! `Last-Event-ID` and get the rest of *that* stream, nothing repeated.
//!
//! A replay does not stop at the last stored event: a call still running when
//! the client resumes goes on streaming through the replay until its response
//! (or error) has been sent, which ends the stream. The standalone GET
//! stream has no end and is followed until the client goes away.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use rmcp::model::ServerJsonRpcMessage;
use rmcp::transport::streamable_http_server::session::{
    EventId, EventStore, EventStoreError, EventStream, ServerSseMessage,
};
use tokio::sync::{mpsc, watch};
use tokio_stream::wrappers::ReceiverStream;

/// How many events the store keeps, across all streams; older ones are
/// forgotten, and resuming from one of them is refused.
pub(super) const MAX_EVENTS: usize = 10_000;

/// One stored event, with the stream it belongs to.
#[derive(Debug)]
struct Stored {
    number: u64,
    stream: Arc<str>,
    event: ServerSseMessage,
}

#[derive(Debug, Default)]
struct Log {
    events: VecDeque<Stored>,
    /// The number the next event gets; ids start at 1.
    next: u64,
}

/// An in-memory [`EventStore`] holding at most [`MAX_EVENTS`] events.
/// Clones share the same events.
#[derive(Debug, Clone)]
pub(super) struct MemoryEventStore {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    log: Mutex<Log>,
    /// The number of the newest event, for replays waiting on more.
    newest: watch::Sender<u64>,
    capacity: usize,
}

impl Default for MemoryEventStore {
    fn default() -> Self {
        Self::with_capacity(MAX_EVENTS)
    }
}

/// Why a replay was refused.
#[derive(Debug, thiserror::Error)]
pub(super) enum ReplayError {
    #[error("Last-Event-ID {0:?} is not an event id of this server")]
    Malformed(String),
    #[error("event {0} is unknown or was forgotten (the store keeps the newest {1} events)")]
    Unknown(u64, usize),
}

impl MemoryEventStore {
    /// A store that keeps the newest `capacity` events.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let shared = Shared {
            log: Mutex::new(Log {
                events: VecDeque::new(),
                next: 1,
            }),
            newest: watch::channel(0).0,
            capacity: capacity.max(1),
        };
        Self {
            shared: Arc::new(shared),
        }
    }

    fn log(&self) -> std::sync::MutexGuard<'_, Log> {
        // A panic while holding the lock leaves the log consistent (every
        // change is a single push or pop), so a poisoned lock is still usable.
        self.shared.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `event` on `stream` and returns its number.
    pub(super) fn append(&self, stream: &str, event: &ServerSseMessage) -> u64 {
        let number = {
            let mut log = self.log();
            let number = log.next;
            log.next += 1;
            let stream = match log.events.iter().rev().find(|s| &*s.stream == stream) {
                Some(same) => same.stream.clone(),
                None => Arc::from(stream),
            };
            let mut event = event.clone();
            event.event_id = Some(number.to_string());
            if log.events.len() >= self.shared.capacity {
                log.events.pop_front();
            }
            log.events.push_back(Stored {
                number,
                stream,
                event,
            });
            number
        };
        self.shared.newest.send_replace(number);
        number
    }

    /// The events of the stream of event `after` that follow it, as stored
    /// now, and whether that stream has ended (its response was stored).
    pub(super) fn after(&self, after: u64) -> Result<(Vec<ServerSseMessage>, bool), ReplayError> {
        let log = self.log();
        let Some(index) = log.events.iter().position(|s| s.number == after) else {
            return Err(ReplayError::Unknown(after, self.shared.capacity));
        };
        let stream = log.events[index].stream.clone();
        let mut ended = ends_stream(&log.events[index].event);
        let mut events = Vec::new();
        for stored in log.events.iter().skip(index + 1) {
            if stored.stream == stream {
                ended |= ends_stream(&stored.event);
                events.push(stored.event.clone());
            }
        }
        Ok((events, ended))
    }

    /// Sends the events after `after` to `tx`, then each new one of the same
    /// stream as it is stored, until the stream ends or `tx` is closed.
    async fn follow(self, mut after: u64, tx: mpsc::Sender<ServerSseMessage>) {
        let mut newest = self.shared.newest.subscribe();
        loop {
            newest.mark_unchanged();
            let Ok((events, ended)) = self.after(after) else {
                return; // forgotten while we waited: nothing more can be sent
            };
            for event in events {
                after = event_number(&event).unwrap_or(after);
                if tx.send(event).await.is_err() {
                    return;
                }
            }
            if ended {
                return;
            }
            tokio::select! {
                changed = newest.changed() => if changed.is_err() { return },
                () = tx.closed() => return,
            }
        }
    }
}

/// A response or error ends the request's stream: nothing follows it.
fn ends_stream(event: &ServerSseMessage) -> bool {
    matches!(
        event.message.as_deref(),
        Some(ServerJsonRpcMessage::Response(_) | ServerJsonRpcMessage::Error(_))
    )
}

fn event_number(event: &ServerSseMessage) -> Option<u64> {
    event.event_id.as_deref()?.parse().ok()
}

#[async_trait::async_trait]
impl EventStore for MemoryEventStore {
    async fn store_event(
        &self,
        stream_id: &str,
        event: &ServerSseMessage,
    ) -> Result<EventId, EventStoreError> {
        Ok(self.append(stream_id, event).to_string())
    }

    async fn replay_events_after(
        &self,
        last_event_id: &str,
    ) -> Result<EventStream, EventStoreError> {
        let after: u64 = last_event_id
            .trim()
            .parse()
            .map_err(|_| ReplayError::Malformed(last_event_id.chars().take(64).collect()))?;
        // Refuse an unknown id now, so the transport can answer at once.
        self.after(after)?;
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(self.clone().follow(after, tx));
        Ok(Box::pin(ReceiverStream::new(rx)))
    }
}
