//! The retained stream: every read's bytes (the wire log) and one row per
//! thing worth listing (events, non-dispatching blocks, connection markers).
//! Bounded by count and bytes; the oldest rows and bytes go first.

use std::collections::VecDeque;
use std::ops::Range;
use std::sync::Arc;
use std::time::SystemTime;

use crate::sse::{Block, BlockKind, Chunk, Event, ResponseInfo, SentRequest, StreamItem};

/// Default caps, as the issue asks: about 1M rows and 256 MiB of wire bytes.
pub const DEFAULT_MAX_ROWS: usize = 1_000_000;
pub const DEFAULT_MAX_WIRE_BYTES: usize = 256 * 1024 * 1024;

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

/// The retained rows and wire bytes.
#[derive(Debug)]
pub struct EventLog {
    rows: VecDeque<Row>,
    /// Rows dropped from the front to stay within the caps.
    dropped_rows: u64,
    wire: VecDeque<u8>,
    /// Stream offset of `wire[0]`.
    wire_start: u64,
    max_rows: usize,
    max_wire_bytes: usize,
    events: u64,
}

impl Default for EventLog {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ROWS, DEFAULT_MAX_WIRE_BYTES)
    }
}

impl EventLog {
    pub fn new(max_rows: usize, max_wire_bytes: usize) -> Self {
        Self {
            rows: VecDeque::new(),
            dropped_rows: 0,
            wire: VecDeque::new(),
            wire_start: 0,
            max_rows: max_rows.max(1),
            max_wire_bytes: max_wire_bytes.max(1),
            events: 0,
        }
    }

    /// Appends one read: its bytes to the wire log, its items as rows (moved, not copied).
    pub fn push_chunk(&mut self, chunk: Chunk) {
        if self.wire.is_empty() {
            self.wire_start = chunk.offset;
        }
        self.wire.extend(chunk.bytes.iter());
        for item in chunk.items {
            let kind = match item {
                StreamItem::Event { seq, event } => {
                    self.events += 1;
                    RowKind::Event { seq, event }
                }
                StreamItem::Block(block) => RowKind::Block(block),
            };
            self.push(Row {
                received_at: chunk.received_at,
                attempt: chunk.attempt,
                kind,
                attempt_info: None,
            });
        }
        self.trim_wire();
    }

    /// Appends a connection marker row, with its attempt's request and response if known.
    pub fn push_marker(
        &mut self,
        attempt: u32,
        text: String,
        attempt_info: Option<Arc<AttemptInfo>>,
    ) {
        self.push(Row {
            received_at: SystemTime::now(),
            attempt,
            kind: RowKind::Marker(text),
            attempt_info,
        });
    }

    fn push(&mut self, row: Row) {
        self.rows.push_back(row);
        while self.rows.len() > self.max_rows {
            self.rows.pop_front();
            self.dropped_rows += 1;
        }
    }

    fn trim_wire(&mut self) {
        let excess = self.wire.len().saturating_sub(self.max_wire_bytes);
        if excess > 0 {
            self.wire.drain(..excess);
            self.wire_start += excess as u64;
        }
    }

    pub fn clear(&mut self) {
        self.dropped_rows += self.rows.len() as u64;
        self.rows.clear();
        self.wire_start += self.wire.len() as u64;
        self.wire.clear();
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<&Row> {
        self.rows.get(index)
    }

    pub fn rows(&self) -> impl DoubleEndedIterator<Item = &Row> + ExactSizeIterator {
        self.rows.iter()
    }

    pub fn dropped_rows(&self) -> u64 {
        self.dropped_rows
    }

    /// Events received (dropped ones included).
    pub fn events_received(&self) -> u64 {
        self.events
    }

    /// Stream offsets of the retained wire bytes.
    pub fn wire_span(&self) -> Range<u64> {
        self.wire_start..self.wire_start + self.wire.len() as u64
    }

    /// The bytes of a raw range, if still retained.
    pub fn raw_bytes(&self, range: &Range<u64>) -> Option<Vec<u8>> {
        let start = range.start.checked_sub(self.wire_start)? as usize;
        let end = range.end.checked_sub(self.wire_start)? as usize;
        if end > self.wire.len() || start > end {
            return None;
        }
        Some(self.wire.range(start..end).copied().collect())
    }

    /// The line ending right after `offset` (the blank line that dispatched a block), if retained.
    pub fn terminator_after(&self, offset: u64) -> &'static [u8] {
        let Some(at) = offset.checked_sub(self.wire_start).map(|o| o as usize) else {
            return b"";
        };
        match (self.wire.get(at), self.wire.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => b"\r\n",
            (Some(b'\r'), _) => b"\r",
            (Some(b'\n'), _) => b"\n",
            _ => b"",
        }
    }
}
