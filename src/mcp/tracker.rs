//! Which answer belongs to which request: requests are linked to their
//! responses by id, whatever stream each arrived on. One tracker follows one
//! direction's id space (the client's requests, or the server's).
//!
//! JSON-RPC 2.0 §4 and §5: a response carries the id of the request it
//! answers; ids are unique among a sender's requests in flight (MCP's
//! lifecycle goes further: "MUST NOT have been previously used by the
//! requestor within the same session").

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;

/// What is wrong with the ids seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A request reused an id already used in this direction.
    DuplicateId { id: String, method: String },
    /// A response whose id no request had (or one answered already).
    NoRequest { id: String },
    /// A request still unanswered after the timeout.
    NoResponse { id: String, method: String },
    /// A stream gave an event ID it had given already (a replay that
    /// overlaps what arrived): the event is not shown twice.
    RepeatedEvent { stream: String, event_id: String },
    /// A stream read alongside the requests (the GET stream, a listen
    /// stream) could not be opened or broke; the requests go on without it.
    StreamFailed { stream: String, reason: String },
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::DuplicateId { id, method } => {
                write!(f, "request {method} reuses the id {id}")
            }
            Finding::NoRequest { id } => write!(f, "a response with id {id} answers no request"),
            Finding::NoResponse { id, method } => {
                write!(f, "request {method} (id {id}) got no response")
            }
            Finding::RepeatedEvent { stream, event_id } => write!(
                f,
                "stream {stream} gave the event id {event_id} twice (shown once)"
            ),
            Finding::StreamFailed { stream, reason } => {
                write!(f, "stream {stream}: {reason}")
            }
        }
    }
}

/// A request not answered yet.
#[derive(Debug, Clone)]
struct Pending {
    method: String,
    sent_at: Instant,
}

/// Links the responses of one direction to its requests.
#[derive(Debug)]
pub struct Tracker {
    timeout: Duration,
    /// By the id's JSON text: `"1"` and `1` are different ids.
    pending: HashMap<String, Pending>,
    /// Every id used so far, answered or not.
    used: HashSet<String>,
    /// Requests answered only when they end (`subscriptions/listen`): never late.
    open_ended: HashSet<String>,
}

impl Tracker {
    /// A tracker that reports a request unanswered after `timeout`.
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            pending: HashMap::new(),
            used: HashSet::new(),
            open_ended: HashSet::new(),
        }
    }

    /// The request with `id` is answered only when it ends (a
    /// `subscriptions/listen` stream): [`Self::overdue`] never reports it.
    pub fn open_ended(&mut self, id: &Value) {
        self.open_ended.insert(id.to_string());
    }

    /// A request was sent at `at`; a reused id is a finding (the request is
    /// still tracked, so its answer links to it).
    pub fn request(&mut self, id: &Value, method: &str, at: Instant) -> Option<Finding> {
        let key = id.to_string();
        let duplicate = !self.used.insert(key.clone());
        self.pending.insert(
            key.clone(),
            Pending {
                method: method.to_owned(),
                sent_at: at,
            },
        );
        duplicate.then(|| Finding::DuplicateId {
            id: key,
            method: method.to_owned(),
        })
    }

    /// A response (or an error) with `id` arrived: the method of the request
    /// it answers, or the finding that it answers none.
    pub fn response(&mut self, id: &Value) -> Result<String, Finding> {
        let key = id.to_string();
        self.pending
            .remove(&key)
            .map(|pending| pending.method)
            .ok_or(Finding::NoRequest { id: key })
    }

    /// Whether the request with `id` waits for its answer.
    pub fn is_pending(&self, id: &Value) -> bool {
        self.pending.contains_key(&id.to_string())
    }

    /// The requests unanswered for longer than the timeout at `now`, each
    /// reported once (it is no longer tracked after).
    pub fn overdue(&mut self, now: Instant) -> Vec<Finding> {
        let timeout = self.timeout;
        let mut late: Vec<(String, Pending)> = Vec::new();
        let open_ended = &self.open_ended;
        self.pending.retain(|id, pending| {
            let is_late = now.saturating_duration_since(pending.sent_at) >= timeout
                && !open_ended.contains(id);
            if is_late {
                late.push((id.clone(), pending.clone()));
            }
            !is_late
        });
        late.sort_by_key(|(_, pending)| pending.sent_at);
        late.into_iter()
            .map(|(id, pending)| Finding::NoResponse {
                id,
                method: pending.method,
            })
            .collect()
    }
}

mod advice;
#[cfg(test)]
mod tests;
