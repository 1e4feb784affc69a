//! The retained stream: every read's bytes (the wire log) and one row per
//! thing worth listing (events, non-dispatching blocks, connection markers).
//! Bounded by count and bytes; the oldest rows and bytes go first, together.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::sync::{Arc, LazyLock};

use bytestring::ByteString;
use memchr::memmem::Finder;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::sse::{Block, BlockKind, Chunk, ConnMsg, Event, ResponseInfo, SentRequest, StreamItem};

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
    slots: VecDeque<Slot>,
    /// Rows dropped from the front to stay within the caps, since the last
    /// clear: what the user is told was lost.
    dropped_rows: u64,
    /// The absolute number of the oldest retained row: every row dropped or
    /// cleared before it. Row numbers never go back, so a clear does not
    /// renumber what the list and the answer point at.
    first_row: u64,
    wire: VecDeque<u8>,
    /// Log offset of `wire[0]`. Log offsets count every byte the tab
    /// received, over all its connections, while each connection counts its
    /// own stream offsets from 0: a read is placed at the log's end, and its
    /// items' ranges move with it.
    wire_start: u64,
    max_rows: usize,
    max_wire_bytes: usize,
    events: u64,
    /// Event types seen, indexed by [`Body::Event`]'s `kind`.
    /// Copies of their own, not slices of a read; a row built takes a shared count.
    types: Vec<ByteString>,
    type_index: HashMap<ByteString, u32>,
    /// The id of the last event stored, shared by the events that repeat it.
    last_id: Option<Arc<str>>,
}

static DATA_FIELD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("data:"));
static ID_FIELD: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("id:"));

/// One row, compactly.
#[derive(Debug)]
struct Slot {
    /// Nanoseconds since the Unix epoch (0 for an earlier time).
    received_ns: u64,
    /// Events and blocks: the stream offsets of their lines. Markers: the
    /// wire log's end when they came, an empty range (so they leave with
    /// the bytes around them).
    raw_start: u64,
    raw_end: u64,
    attempt: u32,
    body: Body,
}

#[derive(Debug)]
enum Body {
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

#[derive(Debug)]
struct Marker {
    text: String,
    attempt_info: Option<Arc<AttemptInfo>>,
    /// The connection message it stands for, for saving the log as a capture.
    record: Option<ConnMsg>,
}

/// A string kept as a place in the row's own raw bytes when it is one, or shared.
#[derive(Debug)]
enum Text {
    /// `len` bytes from `at` bytes after the row's raw start.
    Raw {
        at: u32,
        len: u32,
    },
    Shared(Arc<str>),
}

impl Default for EventLog {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ROWS, DEFAULT_MAX_WIRE_BYTES)
    }
}

impl EventLog {
    pub fn new(max_rows: usize, max_wire_bytes: usize) -> Self {
        Self {
            slots: VecDeque::new(),
            dropped_rows: 0,
            first_row: 0,
            wire: VecDeque::new(),
            wire_start: 0,
            max_rows: max_rows.max(1),
            max_wire_bytes: max_wire_bytes.max(1),
            events: 0,
            types: Vec::new(),
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
        let base = self.wire_end().wrapping_sub(chunk.offset);
        let shift = |raw: &mut Range<u64>| {
            *raw = raw.start.wrapping_add(base)..raw.end.wrapping_add(base);
        };
        self.wire.extend(chunk.bytes.iter());
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
        let at = self.wire_end();
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
        let index = u32::try_from(self.types.len()).unwrap_or(u32::MAX);
        let shared = ByteString::from(kind);
        self.types.push(shared.clone());
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
        let bytes = self.contiguous(raw)?;
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

    /// The retained bytes of `range` when they lie in one piece of the ring buffer.
    fn contiguous(&self, range: &Range<u64>) -> Option<&[u8]> {
        let start = usize::try_from(range.start.checked_sub(self.wire_start)?).ok()?;
        let end = usize::try_from(range.end.checked_sub(self.wire_start)?).ok()?;
        let (front, back) = self.wire.as_slices();
        if end <= front.len() {
            front.get(start..end)
        } else if start >= front.len() {
            back.get(start - front.len()..end - front.len())
        } else {
            None
        }
    }

    fn push(&mut self, slot: Slot) {
        self.slots.push_back(slot);
        while self.slots.len() > self.max_rows {
            self.drop_front();
        }
    }

    fn drop_front(&mut self) {
        if self.slots.pop_front().is_some() {
            self.dropped_rows += 1;
            self.first_row += 1;
        }
    }

    /// Drops the oldest bytes past the byte cap, and the rows made of them.
    /// The newest row's bytes always stay, so a single event larger than
    /// the cap is still shown.
    fn trim_wire(&mut self) {
        let mut excess = self.wire.len().saturating_sub(self.max_wire_bytes);
        if let Some(last) = self.slots.back() {
            let keep_from = last.raw_start.saturating_sub(self.wire_start);
            excess = excess.min(usize::try_from(keep_from).unwrap_or(usize::MAX));
        }
        if excess > 0 {
            self.wire.drain(..excess);
            self.wire_start += excess as u64;
        }
        while self
            .slots
            .front()
            .is_some_and(|slot| slot.raw_start < self.wire_start)
        {
            self.drop_front();
        }
    }

    pub fn clear(&mut self) {
        // Cleared by the user: gone on purpose, not lost to a cap.
        self.first_row += self.slots.len() as u64;
        self.dropped_rows = 0;
        self.slots.clear();
        self.wire_start += self.wire.len() as u64;
        self.wire.clear();
        self.last_id = None;
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Row `index`, built from its slot.
    pub fn get(&self, index: usize) -> Option<Row> {
        self.slots
            .get(index)
            .map(|slot| self.row(slot, usize::MAX).0)
    }

    /// Row `index` with an event's data cut to its first `max_data` bytes
    /// (on a character boundary), and the data's full length: what drawing
    /// needs, at a cost that does not grow with the event (a 16 MiB event
    /// costs what `max_data` does, on every frame it is on screen).
    pub fn get_capped(&self, index: usize, max_data: usize) -> Option<(Row, usize)> {
        self.slots.get(index).map(|slot| self.row(slot, max_data))
    }

    /// Whether row `index` is a non-dispatching block, without building it.
    pub fn is_block(&self, index: usize) -> bool {
        self.slots.get(index).is_some_and(
            |slot| matches!(&slot.body, Body::Full(kind) if matches!(**kind, RowKind::Block(_))),
        )
    }

    /// When row `index` arrived, without building it.
    pub fn received_at(&self, index: usize) -> Option<SystemTime> {
        self.slots
            .get(index)
            .map(|slot| UNIX_EPOCH + Duration::from_nanos(slot.received_ns))
    }

    /// Every retained row, oldest first, each built as it is reached.
    pub fn rows(&self) -> impl DoubleEndedIterator<Item = Row> + ExactSizeIterator + '_ {
        self.slots.iter().map(|slot| self.row(slot, usize::MAX).0)
    }

    /// The rows from absolute row number `first` (dropped rows counted) on,
    /// or from the oldest retained one when `first` was dropped.
    pub fn rows_since(&self, first: u64) -> impl Iterator<Item = Row> + '_ {
        let start = usize::try_from(first.saturating_sub(self.first_row)).unwrap_or(usize::MAX);
        self.slots
            .range(start.min(self.slots.len())..)
            .map(|slot| self.row(slot, usize::MAX).0)
    }

    /// The row of `slot`, an event's data cut to `max_data` bytes, and the
    /// data's full length (0 for other rows).
    fn row(&self, slot: &Slot, max_data: usize) -> (Row, usize) {
        let received_at = UNIX_EPOCH + Duration::from_nanos(slot.received_ns);
        let (kind, attempt_info, data_len) = match &slot.body {
            Body::Event {
                seq,
                kind,
                sets_id,
                id,
                data,
            } => {
                let event = Event {
                    sets_id: *sets_id,
                    event: self
                        .types
                        .get(*kind as usize)
                        .map_or_else(ByteString::new, Clone::clone),
                    data: self.text(slot, data, max_data).into(),
                    id: self.text(slot, id, usize::MAX).into(),
                    retry_ms: None,
                    raw: slot.raw_start..slot.raw_end,
                };
                let len = match data {
                    Text::Raw { len, .. } => *len as usize,
                    Text::Shared(shared) => shared.len(),
                };
                (RowKind::Event { seq: *seq, event }, None, len)
            }
            Body::Full(kind) => {
                let mut kind = (**kind).clone();
                let mut len = 0;
                if let RowKind::Event { event, .. } = &mut kind {
                    len = event.data.len();
                    if len > max_data {
                        event.data = ByteString::from(head(&event.data, max_data));
                    }
                }
                (kind, None, len)
            }
            Body::Marker(marker) => (
                RowKind::Marker(marker.text.clone()),
                marker.attempt_info.clone(),
                0,
            ),
        };
        let row = Row {
            received_at,
            attempt: slot.attempt,
            kind,
            attempt_info,
        };
        (row, data_len)
    }

    /// A text of `slot`, at most its first `max` bytes (on a character boundary).
    fn text(&self, slot: &Slot, text: &Text, max: usize) -> String {
        match text {
            Text::Shared(shared) => head(shared, max).to_owned(),
            Text::Raw { len: 0, .. } => String::new(),
            Text::Raw { at, len } => {
                let start = slot.raw_start + u64::from(*at);
                let len = u64::from(*len).min(u64::try_from(max).unwrap_or(u64::MAX));
                let bytes = self.raw_bytes(&(start..start + len)).unwrap_or_default();
                // The bytes were the text's own when stored: valid UTF-8, but
                // a cut may end inside a character.
                match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(err) => {
                        let valid = err.utf8_error().valid_up_to();
                        let mut bytes = err.into_bytes();
                        bytes.truncate(valid);
                        String::from_utf8(bytes).unwrap_or_default()
                    }
                }
            }
        }
    }

    /// The retained stream as the connection messages that made it, in
    /// order, with their times: reads of the wire bytes (a read per row, at
    /// the row's time: the original read boundaries are not kept) and the
    /// markers' messages. What "save as capture" writes. When rows were
    /// dropped, it starts at the first retained row, not in the middle of
    /// a block.
    pub fn replay(&self) -> Vec<(SystemTime, ConnMsg)> {
        let mut out = Vec::new();
        let wire_end = self.wire_end();
        let mut cursor = match self.slots.front() {
            Some(first) if self.first_row > 0 => first.raw_start.max(self.wire_start),
            _ => self.wire_start,
        };
        let read = |cursor: &mut u64, to: u64, attempt: u32, at: SystemTime, out: &mut Vec<_>| {
            if to > *cursor
                && let Some(bytes) = self.raw_bytes(&(*cursor..to))
            {
                out.push((
                    at,
                    ConnMsg::Data(Chunk {
                        attempt,
                        offset: *cursor,
                        bytes: bytes.into(),
                        received_at: at,
                        items: Vec::new(),
                    }),
                ));
                *cursor = to;
            }
        };
        let mut last = (0, UNIX_EPOCH);
        for slot in &self.slots {
            let at = UNIX_EPOCH + Duration::from_nanos(slot.received_ns);
            last = (slot.attempt, at);
            match &slot.body {
                Body::Marker(marker) => {
                    read(&mut cursor, slot.raw_start, slot.attempt, at, &mut out);
                    if let Some(record) = &marker.record {
                        out.push((at, record.clone()));
                    }
                }
                _ => {
                    let end = slot.raw_end + self.terminator_after(slot.raw_end).len() as u64;
                    read(&mut cursor, end.min(wire_end), slot.attempt, at, &mut out);
                }
            }
        }
        read(&mut cursor, wire_end, last.0, last.1, &mut out);
        out
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
        self.slots.len() as u64 + self.first_row
    }

    /// Events received (dropped ones included).
    pub fn events_received(&self) -> u64 {
        self.events
    }

    /// Log offsets of the retained wire bytes.
    pub fn wire_span(&self) -> Range<u64> {
        self.wire_start..self.wire_end()
    }

    /// The log offset the next byte received will have.
    fn wire_end(&self) -> u64 {
        self.wire_start + self.wire.len() as u64
    }

    /// The bytes of a raw range, if still retained.
    pub fn raw_bytes(&self, range: &Range<u64>) -> Option<Vec<u8>> {
        let start = range.start.checked_sub(self.wire_start)? as usize;
        let end = range.end.checked_sub(self.wire_start)? as usize;
        if end > self.wire.len() || start > end {
            return None;
        }
        // The deque's two halves copied whole: a byte at a time took 25 ms
        // per MiB in a debug build, on every frame a large event was drawn.
        let (front, back) = self.wire.as_slices();
        let mut out = Vec::with_capacity(end - start);
        if start < front.len() {
            out.extend_from_slice(&front[start..end.min(front.len())]);
        }
        if end > front.len() {
            out.extend_from_slice(&back[start.saturating_sub(front.len())..end - front.len()]);
        }
        Some(out)
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

/// At most the first `max` bytes of `s`, on a character boundary.
fn head(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn nanos(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::sse::{Numbering, Parser};

    /// A log fed `reads` through the real parser, a chunk per read.
    fn fed(log: &mut EventLog, parser: &mut Parser, offset: &mut u64, seq: &mut u64, read: &[u8]) {
        let mut items = Vec::new();
        parser
            .feed(
                read,
                &mut Numbering {
                    items: &mut items,
                    seq,
                },
            )
            .unwrap();
        log.push_chunk(Chunk {
            attempt: 1,
            offset: *offset,
            bytes: Bytes::copy_from_slice(read),
            received_at: UNIX_EPOCH + Duration::from_millis(1_500),
            items,
        });
        *offset += read.len() as u64;
    }

    fn log_of(reads: &[&[u8]], caps: (usize, usize)) -> (EventLog, Vec<StreamItem>) {
        let mut log = EventLog::new(caps.0, caps.1);
        let (mut parser, mut offset, mut seq) = (Parser::default(), 0, 0);
        // The items as the parser gave them, for comparison.
        let (mut check, mut all, mut check_seq) = (Parser::default(), Vec::new(), 0);
        for read in reads {
            fed(&mut log, &mut parser, &mut offset, &mut seq, read);
            let mut numbered = Numbering {
                items: &mut all,
                seq: &mut check_seq,
            };
            check.feed(read, &mut numbered).unwrap();
        }
        (log, all)
    }

    fn events(log: &EventLog) -> Vec<(u64, Event)> {
        log.rows()
            .filter_map(|row| match row.kind {
                RowKind::Event { seq, event } => Some((seq, event)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_capped_row_holds_the_start_of_the_data_and_its_full_length() {
        // One event stored as a place in the wire bytes, one built from two
        // data lines (a string of its own), one cut across two reads.
        let (log, _) = log_of(
            &[
                "data: é€abc\n\n".as_bytes(),
                b"data: one\ndata: two\n\n",
                b"data: split ac",
                b"ross reads\n\n",
            ],
            (100, 1 << 20),
        );
        let data = |row: Row| match row.kind {
            RowKind::Event { event, .. } => event.data.to_string(),
            other => panic!("{other:?}"),
        };
        let cases = [
            (0, 4, "é", "é€abc".len()),
            (0, 2, "é", "é€abc".len()),
            (0, 1, "", "é€abc".len()),
            (1, 5, "one\nt", 7),
            (2, 9, "split acr", 18),
            (2, usize::MAX, "split across reads", 18),
        ];
        for (index, max, shown, len) in cases {
            let (row, full) = log.get_capped(index, max).unwrap();
            assert_eq!((data(row), full), (shown.to_owned(), len), "{index} {max}");
        }
        assert_eq!(data(log.get(0).unwrap()), "é€abc");
    }

    #[test]
    fn rows_are_rebuilt_exactly_as_the_parser_gave_them() {
        let reads: &[&[u8]] = &[
            b"id: 7\nevent: tick\ndata: {\"n\":1}\n\n",
            // The id carries over; data of several lines; a type seen before.
            b"event: tick\ndata: a\ndata: b\n\n",
            b"data: x\r\n\r\ndata: \xff\xfe bad\n\n",
            // Split across reads, with a retry, an empty data and a comment.
            b"id: 8\nret",
            b"ry: 50\ndata: later\n\ndata\n\n: keep-alive\n\n",
            b"event: \xe6\x97\xa5\ndata: 1\n\n",
        ];
        let (log, items) = log_of(reads, (100, 1 << 20));
        let expected: Vec<(u64, Event)> = items
            .iter()
            .filter_map(|item| match item {
                StreamItem::Event { seq, event } => Some((*seq, event.clone())),
                StreamItem::Block(_) => None,
            })
            .collect();
        assert_eq!(expected.len(), 7);
        assert_eq!(events(&log), expected);
        assert_eq!(log.events_received(), 7);
        assert!(log.is_block(6), "the keep-alive is a block");
        assert!(!log.is_block(0));
        assert_eq!(
            log.received_at(0),
            Some(UNIX_EPOCH + Duration::from_millis(1_500))
        );
    }

    #[test]
    fn a_100_byte_event_is_stored_in_a_small_fixed_slot() {
        // The figure the UI benchmark's RSS per event rests on.
        assert!(
            std::mem::size_of::<Slot>() <= 80,
            "{}",
            std::mem::size_of::<Slot>()
        );
        let data = "x".repeat(100);
        let read = format!("id: 1\nevent: tick\ndata: {data}\n\n");
        let (log, _) = log_of(&[read.as_bytes()], (10, 1 << 20));
        let slot = log.slots.front().unwrap();
        assert!(
            matches!(
                &slot.body,
                Body::Event {
                    id: Text::Raw { .. },
                    data: Text::Raw { len: 100, .. },
                    ..
                }
            ),
            "{slot:?}"
        );
    }

    #[test]
    fn rows_go_with_their_bytes_but_the_newest_row_stays() {
        let (log, _) = log_of(
            &[b"data: first event\n\n", b"data: second event\n\n"],
            (100, 24),
        );
        assert_eq!(
            log.len(),
            1,
            "the first event's bytes are gone, so is its row"
        );
        assert_eq!(log.dropped_rows(), 1);
        assert_eq!(events(&log)[0].1.data, "second event");
        // One event larger than the cap is kept whole.
        let big = format!("data: {}\n\n", "y".repeat(100));
        let (log, _) = log_of(&[big.as_bytes()], (100, 24));
        assert_eq!(events(&log)[0].1.data, "y".repeat(100));
        assert_eq!(log.wire_span().start, 0);
    }

    #[test]
    fn markers_leave_with_the_bytes_before_them() {
        let mut log = EventLog::new(100, 16);
        log.push_marker(1, "connected".into(), None, None);
        let (mut parser, mut offset, mut seq) = (Parser::default(), 0, 0);
        fed(
            &mut log,
            &mut parser,
            &mut offset,
            &mut seq,
            b"data: 0123456789\n\n",
        );
        assert_eq!(log.len(), 2, "nothing before the marker was dropped");
        fed(
            &mut log,
            &mut parser,
            &mut offset,
            &mut seq,
            b"data: abcdefghij\n\n",
        );
        let kinds: Vec<_> = log.rows().map(|r| r.kind).collect();
        assert!(
            matches!(&kinds[..], [RowKind::Event { seq: 2, .. }]),
            "{kinds:?}"
        );
    }

    #[test]
    fn the_row_cap_drops_the_oldest() {
        let reads: Vec<Vec<u8>> = (0..5)
            .map(|n| format!("data: {n}\n\n").into_bytes())
            .collect();
        let reads: Vec<&[u8]> = reads.iter().map(Vec::as_slice).collect();
        let (log, _) = log_of(&reads, (3, 1 << 20));
        let data: Vec<String> = events(&log)
            .into_iter()
            .map(|(_, e)| e.data.to_string())
            .collect();
        assert_eq!(data, ["2", "3", "4"]);
        assert_eq!(log.dropped_rows(), 2);
    }

    #[test]
    fn after_dropped_rows_a_replay_starts_at_the_first_retained_row_and_rows_since_counts_them() {
        let read: String = (0..5).map(|n| format!("id: {n}\ndata: {n}\n\n")).collect();
        let (mut log, _) = log_of(&[read.as_bytes()], (4, 1 << 20));
        log.push_marker(
            1,
            "closed".into(),
            None,
            Some(ConnMsg::Closed {
                reason: crate::sse::CloseReason::Stopped,
            }),
        );
        assert_eq!(
            log.dropped_rows(),
            2,
            "rows 0 and 1 went; their bytes stayed"
        );

        let replayed = log.replay();
        let bytes: Vec<u8> = replayed
            .iter()
            .filter_map(|(_, msg)| match msg {
                ConnMsg::Data(chunk) => Some(chunk.bytes.to_vec()),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(
            bytes,
            b"id: 2\ndata: 2\n\nid: 3\ndata: 3\n\nid: 4\ndata: 4\n\n"
        );
        assert!(
            matches!(replayed.last(), Some((_, ConnMsg::Closed { .. }))),
            "the marker's message last: {replayed:?}"
        );

        let kinds = |first| -> Vec<String> {
            log.rows_since(first)
                .map(|row| match row.kind {
                    RowKind::Event { event, .. } => event.data.to_string(),
                    RowKind::Marker(text) => text,
                    RowKind::Block(_) => "block".into(),
                })
                .collect()
        };
        assert_eq!(kinds(3), ["3", "4", "closed"]);
        assert_eq!(kinds(0), ["2", "3", "4", "closed"], "from the oldest kept");
        assert!(kinds(9).is_empty());
    }
}
