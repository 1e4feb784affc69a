//! What the log holds: the rows callers see ([`Row`], built when asked for)
//! and the compact slots they are built from.

use std::ops::Range;
use std::sync::Arc;
use std::time::SystemTime;

use crate::sse::{Block, BlockKind, ConnMsg, Event, ResponseInfo, SentRequest};

/// One listed row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub received_at: SystemTime,
    pub attempt: u32,
    pub kind: RowKind,
    /// For a connection marker: its attempt's request as sent and, once it
    /// came, the response head. Shared by the markers of one attempt.
    pub attempt_info: Option<Arc<AttemptInfo>>,
}

/// One attempt as sent and answered: what a resume is debugged with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptInfo {
    pub request: SentRequest,
    pub response: Option<ResponseInfo>,
}

/// What a row shows.
#[derive(Debug, Clone, PartialEq)]
pub enum RowKind {
    /// A dispatched event, numbered over the whole connection.
    Event { seq: u64, event: Event },
    /// A block that dispatched nothing: a comment, an id-only or retry-only block.
    Block(Block),
    /// A connection boundary: connected, closed, reconnecting…
    Marker(String),
}

impl Row {
    /// The raw range of the row's bytes in the wire log, if it has any.
    pub fn raw(&self) -> Option<&Range<u64>> {
        match &self.kind {
            RowKind::Event { event, .. } => Some(&event.raw),
            RowKind::Block(block) => Some(&block.raw),
            RowKind::Marker(_) => None,
        }
    }

    /// Whether the row is a non-dispatching block (hidden unless asked for).
    pub fn is_block(&self) -> bool {
        matches!(self.kind, RowKind::Block(_))
    }

    /// Short label for a block's kind.
    pub fn block_label(block: &Block) -> &'static str {
        match block.kind() {
            BlockKind::Comment => "comment",
            BlockKind::IdOnly => "id",
            BlockKind::RetryOnly => "retry",
            BlockKind::IdAndRetry => "id+retry",
            BlockKind::Other => "block",
        }
    }
}

/// One row, compactly.
#[derive(Debug, Clone)]
pub(super) struct Slot {
    /// Nanoseconds since the Unix epoch (0 for an earlier time).
    pub received_ns: u64,
    /// Events and blocks: the stream offsets of their lines. Markers: the
    /// wire log's end when they came, an empty range (so they leave with
    /// the bytes around them).
    pub raw_start: u64,
    pub raw_end: u64,
    pub attempt: u32,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub(super) enum Body {
    /// An event with no `retry:` field, its strings stored compactly.
    Event {
        seq: u64,
        kind: u32,
        /// Whether the event's own block set its id ([`Event::sets_id`]).
        sets_id: bool,
        id: Text,
        data: Text,
    },
    /// Anything rarer, kept as it came.
    Full(Box<RowKind>),
    Marker(Box<Marker>),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Marker {
    pub text: String,
    pub attempt_info: Option<Arc<AttemptInfo>>,
    /// The connection message it stands for, for saving the log as a capture.
    pub record: Option<ConnMsg>,
}

/// A string kept as a place in the row's own raw bytes when it is one, or shared.
#[derive(Debug, Clone)]
pub(super) enum Text {
    /// `len` bytes from `at` bytes after the row's raw start.
    Raw {
        at: u32,
        len: u32,
    },
    Shared(Arc<str>),
}
