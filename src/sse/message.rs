//! What a connection task tells its consumer. Messages carry data only; each
//! variant's doc says when it is sent. Every message of one task carries the
//! attempt number it belongs to, so a consumer can ignore a stale attempt.

use std::ops::Range;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::error::ConnError;
use super::parser::{Block, Event, Item, ItemSink};

/// One message from a connection task, in the order things happened.
#[derive(Debug, Clone)]
pub enum ConnMsg {
    /// An attempt is about to send its request; `request` is exactly what is
    /// sent, secrets redacted. Attempts count from 1 for the life of the task.
    Connecting { attempt: u32, request: SentRequest },
    /// The response arrived with status 200 and an event-stream type; the body follows.
    Opened {
        attempt: u32,
        response: ResponseInfo,
    },
    /// One read of body bytes exactly as received, with the items the parser
    /// completed in it. Offsets count body bytes over the whole task, across attempts.
    Data(Chunk),
    /// The server ended the body cleanly. `discarded` is the incomplete block
    /// at the end that the spec says to drop, if any; `end_marker` the LLM
    /// answer's end marker its last event was (`[DONE]`…), if it was one:
    /// then no reconnect follows unless `--reconnect always` was asked for.
    StreamEnded {
        attempt: u32,
        discarded: Option<Range<u64>>,
        end_marker: Option<&'static str>,
    },
    /// The attempt failed. A `ReconnectScheduled` or `Closed` follows.
    Error { attempt: u32, error: ConnError },
    /// The next attempt starts after `delay`, sending `last_event_id` when not empty.
    ReconnectScheduled {
        next_attempt: u32,
        delay: Duration,
        last_event_id: String,
    },
    /// A credential source needs the user before attempt `attempt` can be
    /// sent: an OAuth2 login's URL to open, a device code to type. The
    /// attempt waits for the login; its `Connecting` follows.
    AuthNotice { attempt: u32, text: String },
    /// A protocol spoken over the connection was agreed with the server
    /// (MCP: its era and revision); its messages follow as reads.
    Negotiated {
        attempt: u32,
        negotiation: Negotiation,
    },
    /// The task is finished; nothing follows.
    Closed { reason: CloseReason },
}

/// What a connection agreed with its server beyond HTTP.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Negotiation {
    /// The protocol: `mcp`.
    pub protocol: String,
    /// Its era (MCP: `stateless`, `session`, `legacy-http-sse`).
    pub era: String,
    /// The revision in use (`2025-11-25`).
    pub revision: String,
    /// The session the server issued, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
}

impl Negotiation {
    /// As the list's marker says it.
    pub fn describe(&self) -> String {
        format!(
            "{} {} era, revision {}{}",
            self.protocol.to_uppercase(),
            self.era,
            self.revision,
            self.session
                .as_deref()
                .map(|id| format!(", session {id}"))
                .unwrap_or_default()
        )
    }
}

/// Why a connection task finished.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CloseReason {
    /// The stream ended and the reconnect policy does not reopen it.
    Ended,
    /// The server answered 204 No Content: the spec's "stop reconnecting".
    NoContent,
    /// The handle stopped the task (or was dropped).
    Stopped,
    /// A failure that is not retried (bad status or type, oversized event, bad request).
    Failed(ConnError),
    /// The consecutive-failure limit was reached; the last failure is kept.
    RetriesExhausted { attempts: u32, last: ConnError },
}

/// One read of body bytes and what the parser made of them.
#[derive(Debug, Clone)]
pub struct Chunk {
    pub attempt: u32,
    /// Task-wide offset of the first byte of `bytes`.
    pub offset: u64,
    pub bytes: Bytes,
    pub received_at: SystemTime,
    pub items: Vec<StreamItem>,
    /// What the parser learnt of the bytes while parsing them (line endings,
    /// BOM, UTF-8), when it was the event-stream parser; `None`: not known,
    /// a consumer that needs them scans the bytes itself.
    pub facts: Option<super::ReadFacts>,
}

/// A parsed item with its place in the task's sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamItem {
    /// A dispatched event; `seq` counts events from 1 over the whole task.
    Event { seq: u64, event: Event },
    /// A block that dispatched nothing (comment, id-only, retry-only).
    Block(Block),
}

impl StreamItem {
    /// `item` in a sequence whose last event was number `*seq`: an event
    /// takes the next number.
    pub fn numbered(item: Item, seq: &mut u64) -> Self {
        match item {
            Item::Event(event) => {
                *seq += 1;
                StreamItem::Event { seq: *seq, event }
            }
            Item::Block(block) => StreamItem::Block(block),
        }
    }
}

/// Where the parser puts items: numbered as they come, straight into a
/// chunk's list (no second list to copy them from).
pub struct Numbering<'a> {
    pub items: &'a mut Vec<StreamItem>,
    /// The number of the last event so far.
    pub seq: &'a mut u64,
}

impl ItemSink for Numbering<'_> {
    fn push_item(&mut self, item: Item) {
        self.items.push(StreamItem::numbered(item, self.seq));
    }
}

/// A request exactly as sent, secrets redacted, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRequest {
    pub method: String,
    /// The URL with credentials and API keys redacted.
    pub url: String,
    /// Every header sent (including `Last-Event-ID`), secret values redacted.
    pub headers: Vec<(String, String)>,
    pub body_len: Option<usize>,
    /// The `Last-Event-ID` sent, if one was.
    pub last_event_id: Option<String>,
}

/// The response's head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseInfo {
    pub status: u16,
    /// `HTTP/1.1`, `HTTP/2`...
    pub version: String,
    /// Response headers; `Set-Cookie` values redacted.
    pub headers: Vec<(String, String)>,
    /// Each redirect followed on the way, in order.
    pub redirects: Vec<Redirect>,
    /// The URL that finally answered (redacted).
    pub final_url: String,
    /// From sending the request to receiving the response head.
    pub time_to_first_byte: Duration,
}

/// One redirect hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub status: u16,
    /// The URL that answered with the redirect (redacted).
    pub from: String,
    /// Where it pointed (redacted).
    pub to: String,
    /// The method used for the next hop: a 301/302/303 turns a POST into a GET.
    pub method: String,
}
