//! What the parser hands out: dispatched [`Event`]s, [`Block`]s that
//! dispatched nothing, the [`ItemSink`] they go to, the [`ParseError`] that
//! refuses a stream, and the [`ReadFacts`] of each read.

use std::ops::Range;

use bytestring::ByteString;

use super::Dispatched;

/// A dispatched event (§9.2.6 "dispatch the event").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// The `event:` field; empty when the block set none (its type is then `message`).
    pub event: ByteString,
    /// The data buffer, lines joined with `\n`, the final `\n` removed.
    pub data: ByteString,
    /// The last event ID string in force at dispatch (`""` when none was ever set).
    pub id: ByteString,
    /// Whether this event's own block had an `id:` field. When not, `id` is
    /// inherited: from an earlier block, or the `Last-Event-ID` the client
    /// started with, which is not an id the server sent.
    pub sets_id: bool,
    /// The reconnection time set by a `retry:` field in this block, if any.
    pub retry_ms: Option<u64>,
    /// Stream offsets of the lines this event was made from.
    pub raw: Range<u64>,
}

impl Event {
    /// The event with its strings copied out of the read they came in, for a
    /// consumer that keeps it long: a slice would keep that whole read alive.
    pub fn detached(self) -> Self {
        Self {
            event: detach(&self.event),
            data: detach(&self.data),
            id: detach(&self.id),
            ..self
        }
    }

    /// The event type as a browser reports it: `message` when no `event:` field was given.
    pub fn event_type(&self) -> &str {
        if self.event.is_empty() {
            "message"
        } else {
            &self.event
        }
    }
}

/// A block that ended with a blank line but dispatched no event because its
/// data buffer was empty: keep-alive comments, `id:`-only and `retry:`-only
/// blocks. Reported so that nothing received is invisible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The text of the first comment line (after the colon and one space), if any.
    pub comment: Option<String>,
    /// How many comment lines the block held.
    pub comment_lines: u32,
    /// The id the block set; it became the last event ID string.
    pub id: Option<ByteString>,
    /// The reconnection time the block set.
    pub retry_ms: Option<u64>,
    /// Stream offsets of the block's lines.
    pub raw: Range<u64>,
}

/// What a [`Block`] mostly is, for display and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Only comment lines: typically a keep-alive.
    Comment,
    /// Set the last event ID and nothing else of note.
    IdOnly,
    /// Set the reconnection time and nothing else of note.
    RetryOnly,
    /// Set both the id and the reconnection time.
    IdAndRetry,
    /// Held only fields that change nothing visible (`event:` alone, unknown fields, empty `data`-less lines).
    Other,
}

impl Block {
    /// The block with its id copied out of its read (see [`Event::detached`]).
    pub fn detached(self) -> Self {
        Self {
            id: self.id.as_ref().map(detach),
            ..self
        }
    }

    /// Classifies the block by what it changed.
    pub fn kind(&self) -> BlockKind {
        match (&self.id, self.retry_ms) {
            (Some(_), Some(_)) => BlockKind::IdAndRetry,
            (Some(_), None) => BlockKind::IdOnly,
            (None, Some(_)) => BlockKind::RetryOnly,
            (None, None) if self.comment_lines > 0 => BlockKind::Comment,
            (None, None) => BlockKind::Other,
        }
    }
}

/// One thing the parser completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Event(Event),
    Block(Block),
}

impl Item {
    /// Stream offsets of the bytes the item was made from.
    pub fn raw(&self) -> &Range<u64> {
        match self {
            Item::Event(e) => &e.raw,
            Item::Block(b) => &b.raw,
        }
    }
}

/// Where a parser puts the items it completes.
pub trait ItemSink {
    /// An event, as the parser dispatches it. The default keeps it as an
    /// [`Event`] of its own (slices of the read, no copy); a sink that only
    /// reads it (`print`'s NDJSON) overrides this and reads it in place.
    fn event(&mut self, event: Dispatched<'_>) {
        self.push_item(Item::Event(event.into_event()));
    }

    /// A completed item: every [`Block`], and events when [`Self::event`] keeps them.
    fn push_item(&mut self, item: Item);
}

impl ItemSink for Vec<Item> {
    fn push_item(&mut self, item: Item) {
        self.push(item);
    }
}

/// The parser refused the stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(
        "event larger than the {limit}-byte limit (pending data and line reached {size} bytes); raise --max-event-size if this is expected"
    )]
    EventTooLarge { limit: usize, size: usize },
}

/// What the parser learnt of the bytes of one read while parsing them, so a
/// consumer that judges the stream (`insight::diagnose`) need not scan them
/// again: its line endings, whether it began with the BOM, and whether all
/// of it was checked as UTF-8 and found valid.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadFacts {
    pub lf: u32,
    pub crlf: u32,
    /// Lone CRs. A CR that ended the read is counted in the next one's facts
    /// (as half of a CRLF or alone): see `trailing_cr`.
    pub cr: u32,
    /// The read ended with a CR whose pair is not decided yet.
    pub trailing_cr: bool,
    /// The stream's leading BOM was stripped from this read.
    pub leading_bom: bool,
    /// Every byte of the read was checked as UTF-8 and is valid, the read
    /// ending on a character boundary. False means "not known", not "invalid".
    pub utf8_valid: bool,
}

/// A string of its own with `text`'s content (empty strings need no buffer).
fn detach(text: &ByteString) -> ByteString {
    if text.is_empty() {
        ByteString::new()
    } else {
        ByteString::from(&**text)
    }
}
