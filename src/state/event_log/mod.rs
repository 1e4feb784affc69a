//! The retained stream: every read's bytes (the wire log) and one row per
//! thing worth listing (events, non-dispatching blocks, connection markers).
//! Bounded by count and bytes; the oldest rows and bytes go first, together.
//! A snapshot ([`EventLog::snapshot`]) shares what is stored, so a save can
//! read it off the UI task while the log goes on.

mod row;
mod slots;
mod store;
mod wire;

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::{Arc, LazyLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytestring::ByteString;
use memchr::memmem::Finder;

pub use row::{AttemptInfo, Row, RowKind};
use row::{Body, Marker, Slot, Text};
use store::Store;

use crate::capture::ndjson;
use crate::capture::writer::CaptureStream;
use crate::sse::{Chunk, ConnMsg, Event, RequestSpec, StreamItem};

/// Default caps, as the issue asks: about 1M rows and 256 MiB of wire bytes.
pub const DEFAULT_MAX_ROWS: usize = 1_000_000;
pub const DEFAULT_MAX_WIRE_BYTES: usize = 256 * 1024 * 1024;

/// The retained rows and wire bytes.
///
/// Stored compactly, because a busy stream retains a million rows: a row is a
/// fixed-size slot (times, offsets, the event type as an index into a table of
/// the types seen), and an event's `data` and `id` are, whenever they can be,
/// a place in the retained wire bytes rather than strings of their own. The
/// [`Row`]s callers see are built from a slot when asked for, which the UI
/// does only for the rows on screen. Rows go with their bytes: when the byte
/// cap drops the oldest bytes, the rows made of them go too, so the two caps
/// bound all the memory a tab holds.
#[derive(Debug)]
pub struct EventLog {
    store: Store,
    /// Rows dropped from the front to stay within the caps, since the last
    /// clear: what the user is told was lost.
    dropped_rows: u64,
    /// The absolute number of the oldest retained row: every row dropped or
    /// cleared before it. Row numbers never go back, so a clear does not
    /// renumber what the list and the answer point at.
    first_row: u64,
    max_rows: usize,
    max_wire_bytes: usize,
    events: u64,
    /// Where each event type is in the store's table.
    type_index: HashMap<ByteString, u32>,
    /// The id of the last event stored, shared by the events that repeat it.
    last_id: Option<Arc<str>>,
}

/// The log as it was when taken: its rows and bytes, shared with the log
/// (a few thousand counts and at most one 64 KiB piece and 4096 slots
/// copied, whatever its size), for a save that reads it off the UI task.
#[derive(Debug, Clone)]
pub struct LogSnapshot {
    store: Store,
    first_row: u64,
}

impl LogSnapshot {
    /// Rows retained.
    pub fn len(&self) -> usize {
        self.store.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every row, oldest first, each built as it is reached.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.store.rows_from(0)
    }

    /// The log as the connection messages that made it ([`EventLog::replay`]).
    pub fn replay(&self) -> Vec<(SystemTime, ConnMsg)> {
        self.store.replay(self.first_row > 0)
    }

    /// When the first event arrived, if there is one.
    pub fn first_event_at(&self) -> Option<SystemTime> {
        self.rows()
            .find(|row| matches!(row.kind, RowKind::Event { .. }))
            .map(|row| row.received_at)
    }

    /// Every event as NDJSON, the lines `ssetui print` writes; how many.
    pub fn write_ndjson(&self, out: &mut impl Write) -> io::Result<u64> {
        let mut count = 0;
        // The events of one read share their time and attempt: written once
        // per read, as print does, not formatted again for every row.
        let mut lines = ndjson::LineWriter::default();
        let mut read = None;
        for row in self.rows() {
            if let RowKind::Event { seq, event } = &row.kind {
                if read != Some((row.received_at, row.attempt)) {
                    read = Some((row.received_at, row.attempt));
                    lines.start_read(row.attempt, &ndjson::time_json(row.received_at));
                }
                lines.write(out, &ndjson::EventText::from(event), *seq, None)?;
                count += 1;
            }
        }
        Ok(count)
    }

    /// The whole session as a capture for `spec` (every byte, its time, each
    /// attempt and reconnect; secrets redacted), written as it is read.
    pub fn write_capture(&self, spec: &RequestSpec, out: impl Write) -> io::Result<()> {
        let started = self
            .store
            .slots
            .first()
            .map_or_else(SystemTime::now, |slot| {
                UNIX_EPOCH + Duration::from_nanos(slot.received_ns)
            });
        let mut stream = CaptureStream::start(out, spec, started)?;
        let mut write = |at, msg: ConnMsg| stream.write(at, &msg);
        if spec.protocol.is_mcp() {
            self.store.replay_messages_each(&mut write)?;
        } else {
            self.store.replay_each(self.first_row > 0, &mut write)?;
        }
        stream.finish().map(drop)
    }
}

/// Snapshots are equal when they hold the same rows of the same log: the
/// same first row and count, over the same bytes (what `update`'s tests
/// compare effects by; the rows themselves are not compared).
impl PartialEq for LogSnapshot {
    fn eq(&self, other: &Self) -> bool {
        (self.first_row, self.len(), self.store.wire_span())
            == (other.first_row, other.len(), other.store.wire_span())
    }
}

static DATA_FIELD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("data:"));
static ID_FIELD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("id:"));

impl Default for EventLog {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ROWS, DEFAULT_MAX_WIRE_BYTES)
    }
}

impl EventLog {
    pub fn new(max_rows: usize, max_wire_bytes: usize) -> Self {
        Self {
            store: Store::default(),
            dropped_rows: 0,
            first_row: 0,
            max_rows: max_rows.max(1),
            max_wire_bytes: max_wire_bytes.max(1),
            events: 0,
            type_index: HashMap::new(),
            last_id: None,
        }
    }

    /// Appends one read: its bytes to the wire log, its items as rows.
    ///
    /// The read goes at the log's end whatever its stream offset: a second
    /// connection in the tab counts from 0 again, and its rows must never
    /// name the first one's bytes. Within a connection reads are contiguous,
    /// so an event split over two reads keeps one range.
    pub fn push_chunk(&mut self, chunk: Chunk) {
        // Stream offset + `base` = log offset (wrapping: a stream may start
        // past the log's end, as a capture with dropped rows does).
        let base = self.store.wire.end().wrapping_sub(chunk.offset);
        let shift = |raw: &mut Range<u64>| {
            *raw = raw.start.wrapping_add(base)..raw.end.wrapping_add(base);
        };
        self.store.wire.push(&chunk.bytes);
        let received_ns = nanos(chunk.received_at);
        for item in chunk.items {
            let (raw, body) = match item {
                StreamItem::Event { seq, mut event } => {
                    self.events += 1;
                    shift(&mut event.raw);
                    let raw = event.raw.clone();
                    (raw, self.event_body(seq, event))
                }
                StreamItem::Block(mut block) => {
                    shift(&mut block.raw);
                    (
                        block.raw.clone(),
                        // Kept whole, so kept apart from the read it came in.
                        Body::Full(Box::new(RowKind::Block(block.detached()))),
                    )
                }
            };
            self.push(Slot {
                received_ns,
                raw_start: raw.start,
                raw_end: raw.end,
                attempt: chunk.attempt,
                body,
            });
        }
        self.trim_wire();
    }

    /// Appends a connection marker row, with its attempt's request and
    /// response if known, and the message it stands for, if any.
    pub fn push_marker(
        &mut self,
        attempt: u32,
        text: String,
        attempt_info: Option<Arc<AttemptInfo>>,
        record: Option<ConnMsg>,
    ) {
        let at = self.store.wire.end();
        self.push(Slot {
            received_ns: nanos(SystemTime::now()),
            raw_start: at,
            raw_end: at,
            attempt,
            body: Body::Marker(Box::new(Marker {
                text,
                attempt_info,
                record,
            })),
        });
    }

    fn event_body(&mut self, seq: u64, event: Event) -> Body {
        if event.retry_ms.is_some() {
            let event = event.detached();
            return Body::Full(Box::new(RowKind::Event { seq, event }));
        }
        let kind = self.intern(&event.event);
        let data = self.locate(&event.raw, &DATA_FIELD, &event.data);
        // Only an id the block set is in its lines ("id:" in its data is not one).
        let own = event
            .sets_id
            .then(|| self.locate(&event.raw, &ID_FIELD, &event.id))
            .flatten();
        let id = match own {
            Some(text) => text,
            None => {
                // An id carried over from an earlier block: shared with the
                // events before that carried it too.
                let shared = match &self.last_id {
                    Some(last) if **last == *event.id => Arc::clone(last),
                    _ => Arc::from(&*event.id),
                };
                self.last_id = Some(Arc::clone(&shared));
                Text::Shared(shared)
            }
        };
        let data = data.unwrap_or_else(|| Text::Shared(Arc::from(&*event.data)));
        Body::Event {
            seq,
            kind,
            sets_id: event.sets_id,
            id,
            data,
        }
    }

    /// The index of an event type in the table, added if new.
    fn intern(&mut self, kind: &str) -> u32 {
        if let Some(&index) = self.type_index.get(kind) {
            return index;
        }
        let index = u32::try_from(self.store.types.len()).unwrap_or(u32::MAX);
        let shared = ByteString::from(kind);
        self.store.types.push(shared.clone());
        self.type_index.insert(shared, index);
        index
    }

    /// `text`, the value of a `field:` line (`data:`, `id:`), as a place in the
    /// raw bytes of `raw`, when they hold it as is. Looked for right after the
    /// field's name (and one space): a general search per event would cost
    /// more than the rest of storing it.
    fn locate(&self, raw: &Range<u64>, field: &Finder<'_>, text: &str) -> Option<Text> {
        if text.is_empty() {
            return Some(Text::Raw { at: 0, len: 0 });
        }
        // Data of several lines is never contiguous in the raw text.
        if memchr::memchr(b'\n', text.as_bytes()).is_some() {
            return None;
        }
        let bytes = self.store.wire.contiguous(raw)?;
        let name = field.needle().len();
        let at = field.find_iter(bytes).find_map(|pos| {
            let value = pos + name;
            let value = value + usize::from(bytes.get(value) == Some(&b' '));
            bytes
                .get(value..)?
                .starts_with(text.as_bytes())
                .then_some(value)
        })?;
        Some(Text::Raw {
            at: u32::try_from(at).ok()?,
            len: u32::try_from(text.len()).ok()?,
        })
    }

    fn push(&mut self, slot: Slot) {
        self.store.slots.push(slot);
        while self.store.slots.len() > self.max_rows {
            self.drop_front();
        }
    }

    fn drop_front(&mut self) {
        if self.store.slots.pop_front() {
            self.dropped_rows += 1;
            self.first_row += 1;
        }
    }

    /// Drops the oldest bytes past the byte cap, and the rows made of them.
    /// The newest row's bytes always stay, so a single event larger than
    /// the cap is still shown.
    fn trim_wire(&mut self) {
        let wire = &mut self.store.wire;
        let mut to = wire.start() + wire.len().saturating_sub(self.max_wire_bytes as u64);
        if let Some(last) = self.store.slots.last() {
            to = to.min(last.raw_start.max(wire.start()));
        }
        wire.drop_before(to);
        let start = wire.start();
        while self
            .store
            .slots
            .first()
            .is_some_and(|slot| slot.raw_start < start)
        {
            self.drop_front();
        }
    }

    pub fn clear(&mut self) {
        // Cleared by the user: gone on purpose, not lost to a cap.
        self.first_row += self.store.slots.len() as u64;
        self.dropped_rows = 0;
        self.store.slots.clear();
        self.store.wire.clear();
        self.last_id = None;
    }

    pub fn len(&self) -> usize {
        self.store.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The log as it is now, for reading elsewhere while it goes on.
    pub fn snapshot(&self) -> LogSnapshot {
        LogSnapshot {
            store: self.store.clone(),
            first_row: self.first_row,
        }
    }

    /// Row `index`, built from its slot.
    pub fn get(&self, index: usize) -> Option<Row> {
        self.store
            .slots
            .get(index)
            .map(|slot| self.store.row(slot, usize::MAX).0)
    }

    /// Row `index` with an event's data cut to its first `max_data` bytes
    /// (on a character boundary), and the data's full length: what drawing
    /// needs, at a cost that does not grow with the event (a 16 MiB event
    /// costs what `max_data` does, on every frame it is on screen).
    pub fn get_capped(&self, index: usize, max_data: usize) -> Option<(Row, usize)> {
        self.store
            .slots
            .get(index)
            .map(|slot| self.store.row(slot, max_data))
    }

    /// Whether row `index` is a non-dispatching block, without building it.
    pub fn is_block(&self, index: usize) -> bool {
        self.store.slots.get(index).is_some_and(
            |slot| matches!(&slot.body, Body::Full(kind) if matches!(**kind, RowKind::Block(_))),
        )
    }

    /// When row `index` arrived, without building it.
    pub fn received_at(&self, index: usize) -> Option<SystemTime> {
        self.store
            .slots
            .get(index)
            .map(|slot| UNIX_EPOCH + Duration::from_nanos(slot.received_ns))
    }

    /// Every retained row, oldest first, each built as it is reached.
    pub fn rows(&self) -> impl Iterator<Item = Row> + '_ {
        self.store.rows_from(0)
    }

    /// The rows from absolute row number `first` (dropped rows counted) on,
    /// or from the oldest retained one when `first` was dropped.
    pub fn rows_since(&self, first: u64) -> impl Iterator<Item = Row> + '_ {
        let start = usize::try_from(first.saturating_sub(self.first_row)).unwrap_or(usize::MAX);
        self.store.rows_from(start)
    }

    /// The retained stream as the connection messages that made it
    /// ([`LogSnapshot::replay`] of the log as it is).
    pub fn replay(&self) -> Vec<(SystemTime, ConnMsg)> {
        self.store.replay(self.first_row > 0)
    }

    /// Rows dropped at the caps since the list was last cleared.
    pub fn dropped_rows(&self) -> u64 {
        self.dropped_rows
    }

    /// The absolute number of the oldest retained row (rows before it were
    /// dropped or cleared).
    pub fn first_row(&self) -> u64 {
        self.first_row
    }

    /// The absolute number (dropped rows counted) the next row will have.
    pub fn end_row(&self) -> u64 {
        self.len() as u64 + self.first_row
    }

    /// Events received (dropped ones included).
    pub fn events_received(&self) -> u64 {
        self.events
    }

    /// Log offsets of the retained wire bytes.
    pub fn wire_span(&self) -> Range<u64> {
        self.store.wire_span()
    }

    /// The bytes of a raw range, if still retained.
    pub fn raw_bytes(&self, range: &Range<u64>) -> Option<Vec<u8>> {
        self.store.wire.copy(range)
    }

    /// The line ending right after `offset` (the blank line that dispatched a block), if retained.
    pub fn terminator_after(&self, offset: u64) -> &'static [u8] {
        self.store.terminator_after(offset)
    }
}

fn nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests;
