//! What a connection shows its observer: each message of each stream, and
//! what is wrong with the ids.

use serde_json::Value;

use super::tracker::Finding;

/// Which way a message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// A stream that ended early was resumed with GET + `Last-Event-ID`
    /// (told before its first event since).
    Resumed {
        stream: String,
        after: String,
        /// The `retry:` the stream set before it ended, if it did (2025-11-25:
        /// a server closing early "SHOULD" send one).
        retry: Option<std::time::Duration>,
    },
}
