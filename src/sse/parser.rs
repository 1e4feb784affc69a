//! The SSE stream parser: sans-IO, fed byte slices as reads deliver them.
//!
//! It follows the WHATWG HTML standard, section 9.2 "Server-sent events",
//! §9.2.5 "Parsing an event stream" and §9.2.6 "Interpreting an event stream".
//! Comments below quote the rule each branch implements.
//!
//! An event's strings are [`ByteString`]s: when a field arrived whole in one
//! read whose complete lines are all valid UTF-8 (the common case) it is a
//! slice of that read's `Bytes`, so an event costs no copy and no allocation.
//! Fields split across reads or joined from several `data:` lines, and every
//! field of a read with invalid UTF-8 in its lines, are built as new strings.
//! A slice keeps its read's buffer alive: a consumer that keeps strings for long
//! (beyond the life of the read's other users) copies them.
//!
//! Every item it returns carries `raw`: the range of stream offsets it was made
//! from, so a consumer that keeps the bytes (the UI's wire log) can show each
//! event exactly as received without the parser copying anything. A block's
//! raw range covers its lines with their own line endings; the blank line that
//! dispatched it is not part of it. That choice makes raw ranges identical
//! however the stream is split into reads: a CRLF split across two reads is
//! still one line ending, yet the CR of a blank line dispatches at once.

use std::ops::Range;
use std::sync::OnceLock;

use bytes::Bytes;
use bytestring::ByteString;

mod dispatched;
mod fields;
mod held;
mod items;
mod line_endings;
mod text;

pub use dispatched::Dispatched;
use dispatched::{DataBuf, Value};
pub use items::{Block, BlockKind, Event, Item, ItemSink, ParseError, ReadFacts};
use line_endings::LineEndings;
use text::{Home, Text};

use crate::text::byte_mask;

/// The default cap on one event (pending data plus the current line): 16 MiB.
pub const DEFAULT_MAX_EVENT_SIZE: usize = 16 * 1024 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// From this length, a line that was cut by reads hands its buffer over to the
/// event rather than being copied out of a buffer kept for the next one.
const HANDED_OVER_LINE: usize = 4096;

/// A held line kept in pieces (see `Parser::hold`) keeps this many of its
/// first bytes in `line`, where its field name is read: `data: ` and then some.
const PIECES_HEAD: usize = 64;

/// How a [`Parser`] starts.
#[derive(Debug, Clone)]
pub struct ParserConfig {
    /// The last event ID string carried over from an earlier connection.
    pub last_event_id: String,
    /// The stream offset of the first byte this parser will be fed.
    pub start_offset: u64,
    /// The cap on pending data plus the current line, in bytes.
    pub max_event_size: usize,
}

impl Default for ParserConfig {
    fn default() -> Self {
        Self {
            last_event_id: String::new(),
            start_offset: 0,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
        }
    }
}

/// Where the parser is in the stream's leading byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BomState {
    /// `n` bytes of a possible BOM seen so far (held in `line`).
    Checking(usize),
    Done,
}

/// The sans-IO event stream parser. One parser reads one response body.
#[derive(Debug)]
pub struct Parser {
    /// The current line's bytes when it began in an earlier read.
    line: Vec<u8>,
    /// Every byte in `line` is known to be plain (`byte_mask`'s sense).
    line_plain: bool,
    /// The current line's bytes after `line`'s, as slices of the reads
    /// they came in, when they are plain and the consumer writes events
    /// out (see [`Self::hold`]).
    pieces: Vec<Bytes>,
    /// The length of `pieces`, in all.
    pieces_len: usize,
    /// The data of the event being dispatched, when it is kept in pieces,
    /// joined on the first ask ([`Dispatched::data`]).
    joined: OnceLock<String>,
    /// The length of the last long line handed over with its buffer: the next
    /// buffer starts that big (up to a limit) instead of growing by copies.
    long_line_hint: usize,
    /// Stream offset of the next byte to be fed.
    pos: u64,
    /// Stream offset where the current line began.
    line_start: u64,
    /// Stream offset where the current block's first line began, if it has one.
    block_start: Option<u64>,
    /// Stream offset just past the last line ending of the current block.
    block_end: u64,
    /// The previous read ended on a CR: an LF first in this read completes that CRLF.
    skip_lf: bool,
    bom: BomState,
    /// The data buffer without its final LF; `None` before the block's
    /// first `data:` line (not the same as one holding an empty line).
    data: Option<DataBuf>,
    /// The data buffer is one line, known to be plain (`byte_mask`'s sense).
    data_plain: bool,
    /// `None` until an `event:` line.
    event_type: Option<Value>,
    /// The last event ID buffer when the current block set it (by an `id:` line);
    /// `None` while it is unchanged, as it is between blocks.
    last_event_id_buffer: Option<Value>,
    /// The last event ID buffer is known to be plain.
    id_buffer_plain: bool,
    /// The last event ID string, the parser's own copy: a few bytes copied
    /// per read cost less than sharing the event's slice (two atomic counts
    /// per event). While a read is fed, [`Self::id_in_read`] may stand for it.
    last_event_id: String,
    /// The last event ID string when the current read's latest `id:` line
    /// set it: a range of the read's checked lines, copied to
    /// `last_event_id` once at the end of the read instead of at every event.
    id_in_read: Option<Range<usize>>,
    /// The last event ID string is known to be plain.
    last_event_id_plain: bool,
    /// The same string shared, for events that carry it without an `id:` line
    /// of their own; built on the first such event after it changes.
    shared_id: Option<ByteString>,
    reconnection_time_ms: Option<u64>,
    // Fields the current block set, reported with its item.
    block_retry_ms: Option<u64>,
    block_comment: Option<String>,
    block_comment_lines: u32,
    max_event_size: usize,
    /// See [`Self::note_plain`].
    note_plain: bool,
    failed: Option<ParseError>,
    /// What the reads since the last [`Parser::take_facts`] showed.
    facts: ReadFacts,
}

impl Default for Parser {
    fn default() -> Self {
        Self::new(ParserConfig::default())
    }
}

impl Parser {
    pub fn new(config: ParserConfig) -> Self {
        Self {
            line: Vec::new(),
            line_plain: false,
            pieces: Vec::new(),
            pieces_len: 0,
            joined: OnceLock::new(),
            long_line_hint: 0,
            pos: config.start_offset,
            line_start: config.start_offset,
            block_start: None,
            block_end: config.start_offset,
            skip_lf: false,
            bom: BomState::Checking(0),
            data: None,
            data_plain: false,
            event_type: None,
            last_event_id_buffer: None,
            id_buffer_plain: false,
            last_event_id: config.last_event_id,
            id_in_read: None,
            last_event_id_plain: false,
            shared_id: None,
            reconnection_time_ms: None,
            block_retry_ms: None,
            block_comment: None,
            block_comment_lines: 0,
            max_event_size: config.max_event_size,
            note_plain: false,
            failed: None,
            facts: ReadFacts::default(),
        }
    }

    /// What the reads fed since the last call showed ([`ReadFacts`]).
    pub fn take_facts(&mut self) -> ReadFacts {
        std::mem::take(&mut self.facts)
    }

    /// The last event ID string: what a reconnect sends as `Last-Event-ID`.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// The reconnection time the stream has set, if any. A `retry:` field takes
    /// effect as soon as its line is parsed, whether or not an event follows.
    pub fn reconnection_time_ms(&self) -> Option<u64> {
        self.reconnection_time_ms
    }

    /// Whether to note which events' data and ids are plain
    /// ([`Dispatched::data_is_plain`]): for a consumer that writes them out
    /// (`print`), whose escaping can then skip them. A consumer that keeps
    /// events has no use for it, and a look at every value would cost it
    /// some 5% of the parser's time.
    pub fn note_plain(&mut self, on: bool) {
        self.note_plain = on;
    }

    /// Stream offset of the next byte to be fed.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// Feeds one read held in a plain slice: its bytes are copied once into a
    /// shared buffer. A caller that has the read as [`Bytes`] uses [`Self::feed_bytes`].
    pub fn feed(&mut self, chunk: &[u8], out: &mut dyn ItemSink) -> Result<(), ParseError> {
        self.feed_bytes(&Bytes::copy_from_slice(chunk), out)
    }

    /// Feeds one read, handing completed items to `out`. After an error the
    /// parser stays failed and ignores further input. The items' strings may be
    /// slices of `chunk`. The sink is `dyn` so the parser is compiled once,
    /// here: an instance per caller's crate was optimised differently and ran slower.
    pub fn feed_bytes(&mut self, chunk: &Bytes, out: &mut dyn ItemSink) -> Result<(), ParseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let mut rest: &[u8] = chunk;
        // Bytes held back as a possible BOM that were not one: not checked below.
        let mut bom_rejected = false;
        if let BomState::Checking(seen) = self.bom {
            rest = self.strip_bom(seen, rest);
            if let BomState::Checking(_) = self.bom {
                // Still could be a BOM: every byte so far is held in `line`.
                return Ok(());
            }
            bom_rejected = !self.line.is_empty();
            self.facts.leading_bom |= !bom_rejected && rest.len() < chunk.len();
        }
        if self.skip_lf && !rest.is_empty() {
            self.skip_lf = false;
            self.facts.trailing_cr = false;
            if rest.first() == Some(&b'\n') {
                self.facts.crlf += 1;
            } else {
                self.facts.cr += 1;
            }
            if let Some((&b'\n', tail)) = rest.split_first() {
                // "a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character pair" is one
                // line ending: the LF belongs to the line the CR already ended.
                self.pos += 1;
                self.line_start = self.pos;
                if self.block_start.is_some() {
                    self.block_end = self.pos;
                }
                rest = tail;
            }
        }
        // Every complete line of this read, checked as UTF-8 at once: one check
        // per read costs far less than one per field. Lines end at CR or LF, which
        // never fall inside a character, so this fails only where the stream itself
        // is invalid; then each field is decoded alone, invalid bytes becoming U+FFFD.
        // The first line ending is looked for from the start and the last from
        // the end: a big event's data is looked at once, in the passes that
        // also tell whether it is plain (it is then not scanned again).
        let first = byte_mask::scan_line(rest);
        let Some(first_end) = first.end else {
            // No line ends in this read (the middle of a big event): all of it
            // continues the current line.
            self.hold(rest, first.plain, chunk);
            self.pos += rest.len() as u64;
            return self.check_size(self.held());
        };
        let last = byte_mask::scan_line_back(&rest[first_end..]);
        let complete = first_end + last.end.unwrap_or_default() + 1;
        let start = chunk.len() - rest.len();
        let read = ByteString::try_from(chunk.slice(start..start + complete)).ok();
        // Known valid: the lines checked at once, and the start of a line
        // after them (plain, or checked: a character cut by the read's end fails it).
        self.facts.utf8_valid = read.is_some()
            && !bom_rejected
            && (last.plain || std::str::from_utf8(&rest[complete..]).is_ok());
        let endings = LineEndings::after_first(rest, first_end);
        let fed = self.lines(
            (chunk, rest),
            endings,
            read.as_ref(),
            [first.plain, last.plain],
            out,
        );
        if let Some(read) = &read {
            self.keep_past_read(read);
        }
        fed
    }

    /// The lines of one read (`rest`, whose complete lines are `read` when
    /// they are valid UTF-8; `endings` its line endings), and the start of
    /// the next line after them; whether the first line's part in the read
    /// and that start are plain.
    fn lines(
        &mut self,
        (chunk, rest): (&Bytes, &[u8]),
        mut endings: LineEndings<'_>,
        read: Option<&ByteString>,
        [first_plain, tail_plain]: [bool; 2],
        out: &mut dyn ItemSink,
    ) -> Result<(), ParseError> {
        // Whether a line of this read could take the event past the limit. An
        // event grows by at most three bytes per byte read (an invalid byte is
        // decoded as the three of U+FFFD; a joined line's LF replaces its line
        // ending), so a read far below the limit (all of them, with the
        // default 16 MiB) needs no check per line.
        let checks = self.pending_size() + self.held() + 3 * rest.len() + 1 > self.max_event_size;
        let mut consumed = 0;
        while consumed < rest.len() {
            // Skip the LF of a CRLF pair already taken as one line ending.
            let Some(end) = endings.find(|&end| end >= consumed) else {
                let tail = &rest[consumed..];
                self.hold(tail, tail_plain, chunk);
                self.pos += tail.len() as u64;
                return if checks {
                    self.check_size(self.held())
                } else {
                    Ok(())
                };
            };
            let line_and_rest = &rest[consumed..];
            let i = end - consumed;
            if checks {
                // The whole line counts, whether it arrived in this read or began in an
                // earlier one: the limit must not depend on how the stream is split.
                self.check_size(self.held() + i)?;
            }
            let ending_len = match (line_and_rest[i], line_and_rest.get(i + 1)) {
                (b'\r', Some(b'\n')) => {
                    self.facts.crlf += 1;
                    2
                }
                (b'\r', None) => {
                    // A lone CR ends the line now; an LF first in the next read completes it.
                    self.skip_lf = true;
                    self.facts.trailing_cr = true;
                    1
                }
                (b'\r', Some(_)) => {
                    self.facts.cr += 1;
                    1
                }
                _ => {
                    self.facts.lf += 1;
                    1
                }
            };
            self.pos += (i + ending_len) as u64;
            if self.line.is_empty() {
                // Lines of the read's checked part (every complete line) are text.
                let line = Text {
                    bytes: &line_and_rest[..i],
                    home: read.map_or(Home::None, |read| Home::Read { read, at: consumed }),
                    plain: false,
                };
                let decoded = read.is_none();
                self.process_line(line, read, out);
                if decoded && checks {
                    // Decoding can grow the data: an invalid byte becomes a 3-byte U+FFFD.
                    // (Checked text adds to the data no more than the line checked above.)
                    self.check_size(0)?;
                }
            } else {
                // The read's first line: `first` said whether its part here is plain.
                let plain = self.line_plain && first_plain;
                self.carried_line((chunk, &line_and_rest[..i]), plain, read, out);
                if checks {
                    self.check_size(0)?;
                }
            }
            self.line_start = self.pos;
            consumed += i + ending_len;
        }
        Ok(())
    }

    /// At the end of a read, the fields of a block it did not finish become
    /// strings of their own, and the last event ID string the read set is
    /// copied: the next read's values are ranges of that read.
    ///
    /// A short field is copied; only a long one is a slice of the read. A
    /// slice keeps the whole read's buffer from the HTTP client until the
    /// event is dispatched, so the client's next read had to go to a new
    /// buffer: on 100 KiB events (whose `id:` and `event:` lines wait for
    /// a data line cut by reads) that cost `print` 4% of its CPU time.
    fn keep_past_read(&mut self, read: &ByteString) {
        if let Some(range) = self.id_in_read.take() {
            self.last_event_id.clear();
            self.last_event_id
                .push_str(dispatched::in_read(Some(&**read), &range));
        }
        let keep = |value: &mut Value| {
            if let Value::InRead(range) = value {
                let text = dispatched::in_read(Some(&**read), range);
                *value = Value::Own(if text.len() < HANDED_OVER_LINE {
                    ByteString::from(text)
                } else {
                    read.slice_ref(text)
                });
            }
        };
        if let Some(value) = &mut self.event_type {
            keep(value);
        }
        if let Some(DataBuf::Line(value)) = &mut self.data {
            keep(value);
        }
        if let Some(value) = &mut self.last_event_id_buffer {
            keep(value);
        }
    }

    /// Ends the stream. "Once the end of the file is reached, any pending data
    /// must be discarded": returns the range of the incomplete block or line
    /// that was discarded, if any.
    pub fn finish(&mut self) -> Option<Range<u64>> {
        let start = self.block_start.unwrap_or(self.line_start);
        let discarded = (start < self.pos).then_some(start..self.pos);
        self.line.clear();
        self.pieces.clear();
        self.pieces_len = 0;
        self.data = None;
        self.event_type = None;
        self.reset_block();
        self.line_start = self.pos;
        discarded
    }

    /// The spec's data buffer's length: it holds one more byte than `data`, its final LF.
    fn pending_size(&self) -> usize {
        self.data.as_ref().map_or(0, |data| data.len() + 1)
    }

    /// Fails when the pending data plus the current line (`line_len` bytes so far)
    /// exceed the limit.
    fn check_size(&mut self, line_len: usize) -> Result<(), ParseError> {
        let size = self.pending_size() + line_len;
        if size > self.max_event_size {
            let err = ParseError::EventTooLarge {
                limit: self.max_event_size,
                size,
            };
            self.failed = Some(err.clone());
            return Err(err);
        }
        Ok(())
    }

    /// "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
    /// The BOM may itself be split across reads, so up to three bytes are held back.
    fn strip_bom<'a>(&mut self, mut seen: usize, mut rest: &'a [u8]) -> &'a [u8] {
        while seen < BOM.len() {
            let Some((&b, tail)) = rest.split_first() else {
                self.bom = BomState::Checking(seen);
                return rest;
            };
            if b != BOM[seen] {
                // Not a BOM: the held bytes are ordinary line content.
                self.bom = BomState::Done;
                return rest;
            }
            self.line.push(b);
            // Not plain: the BOM's bytes are not ASCII.
            self.line_plain = false;
            self.pos += 1;
            seen += 1;
            rest = tail;
        }
        // A whole BOM: drop it from the line, but its bytes stay in the first block's raw range.
        self.line.clear();
        self.bom = BomState::Done;
        rest
    }

    fn reset_block(&mut self) {
        self.block_start = None;
        // A block cut off by the end of the stream never set the string.
        self.last_event_id_buffer = None;
        self.block_retry_ms = None;
        self.block_comment = None;
        self.block_comment_lines = 0;
    }
}

#[cfg(test)]
mod tests;
