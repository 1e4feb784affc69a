//! An event as the parser dispatches it, before anyone owns it.
//!
//! Until dispatch, a field that arrived whole in one checked read is only a
//! range of that read ([`Value::InRead`]): no copy, and no shared count (an
//! atomic increment, and its decrement when the string is dropped: a fifth
//! of the parser's time on small events when every field was a
//! `ByteString` at once). A sink either reads the event in place (`print`
//! formats its NDJSON line from it) or makes it an [`Event`] of its own
//! with [`Dispatched::into_event`], whose strings are then slices of the
//! read as before.

use std::ops::Range;
use std::sync::OnceLock;

use bytes::Bytes;
use bytestring::ByteString;

use super::Event;

/// Where a field's text is.
#[derive(Debug)]
pub(super) enum Value {
    /// These bytes of the current read's checked lines (the `read` a
    /// [`Dispatched`] carries). A value still pending when its read ends
    /// becomes [`Value::Own`] (see `Parser::keep_past_read`).
    InRead(Range<usize>),
    /// A string of its own: a slice of a handed-over line or of an earlier
    /// read, or text decoded into a new buffer.
    Own(ByteString),
}

impl Value {
    pub(super) fn len(&self) -> usize {
        match self {
            Value::InRead(range) => range.len(),
            Value::Own(text) => text.len(),
        }
    }

    /// The text, `read` being the checked lines of the read it may lie in.
    #[inline]
    pub(super) fn text<'a>(&'a self, read: Option<&'a str>) -> &'a str {
        match self {
            Value::InRead(range) => in_read(read, range),
            Value::Own(text) => text,
        }
    }

    /// The text as a string of its own: a slice of `read` when it lies
    /// there, or the string it is (a shared count, no copy either way).
    pub(super) fn to_shared(&self, read: Option<&ByteString>) -> ByteString {
        match (self, read) {
            (Value::InRead(range), Some(read)) => read.slice_ref(in_read(Some(read), range)),
            (Value::InRead(_), None) => ByteString::new(),
            (Value::Own(text), _) => text.clone(),
        }
    }
}

/// The text of `range` in `read`. A range is only ever made from the read
/// it is resolved against, at character boundaries (lines end at CR or LF,
/// fields at `:` and a space), so the empty fallback is never taken.
#[inline]
pub(super) fn in_read<'a>(read: Option<&'a str>, range: &Range<usize>) -> &'a str {
    debug_assert!(read.is_some_and(|read| read.get(range.clone()).is_some()));
    match read {
        Some(read) if range.start <= range.end && range.end <= read.len() => {
            // SAFETY: the range lies in `read`, as just checked, and both
            // its ends are character boundaries: each is the read's start
            // or end, or next to an ASCII byte (a line ending, or the colon
            // or space after a field's name), in text checked as UTF-8.
            // The check `get` makes of that cost a sixth of dispatching an
            // event (three strings an event).
            unsafe { read.get_unchecked(range.clone()) }
        }
        _ => "",
    }
}

/// The data buffer, without its final LF: lines are joined as they come.
#[derive(Debug)]
pub(super) enum DataBuf {
    /// One line, as it came.
    Line(Value),
    /// Several lines joined with LF.
    Joined(String),
    /// One long plain line, as the slices of the reads it came in (none
    /// empty): for a consumer that writes it out (see `Parser::hold`).
    Pieces(Vec<Bytes>),
}

impl DataBuf {
    pub(super) fn len(&self) -> usize {
        match self {
            DataBuf::Line(value) => value.len(),
            DataBuf::Joined(joined) => joined.len(),
            DataBuf::Pieces(parts) => parts.iter().map(Bytes::len).sum(),
        }
    }
}

/// Pieces of plain text as one string.
pub(super) fn join(parts: &[Bytes]) -> String {
    let mut joined = String::with_capacity(parts.iter().map(Bytes::len).sum());
    for part in parts {
        // Plain text is ASCII: never replaced.
        joined.push_str(&String::from_utf8_lossy(part));
    }
    joined
}

/// An event as dispatched, handed to an `ItemSink`: read it in place
/// (no copy, no shared count), or keep it with [`Dispatched::into_event`].
#[derive(Debug)]
pub struct Dispatched<'a> {
    event: &'a str,
    /// The data, unless it is in pieces.
    data: &'a str,
    /// The data's pieces, and where they are joined on the first ask.
    pieces: Option<(&'a [Bytes], &'a OnceLock<String>)>,
    id: &'a str,
    /// `data` and `id` are known to be plain (`byte_mask`'s sense).
    data_plain: bool,
    id_plain: bool,
    sets_id: bool,
    retry_ms: Option<u64>,
    raw: Range<u64>,
    /// Where the text lies, for [`Dispatched::into_event`].
    source: Source<'a>,
}

/// Where a dispatched event's text lies.
#[derive(Debug)]
enum Source<'a> {
    /// In the parser's buffers.
    Parser {
        /// The checked lines of the read the event completed in.
        read: Option<&'a ByteString>,
        event: Option<&'a Value>,
        data: &'a DataBuf,
        /// The id the event's block set, if it set one.
        set_id: Option<&'a Value>,
        /// The shared copy of the last event ID string that owned events
        /// without an id of their own carry (built on the first that needs
        /// it, once per change of the string).
        shared_id: &'a mut Option<ByteString>,
    },
    /// In an event of its own.
    Event(&'a Event),
}

/// What the parser hands over to dispatch an event.
pub(super) struct Fields<'a> {
    pub(super) read: Option<&'a ByteString>,
    pub(super) event: Option<&'a Value>,
    pub(super) data: &'a DataBuf,
    /// Where data in pieces is joined, if it is asked for as one string.
    pub(super) joined: &'a OnceLock<String>,
    /// The data is one line known to be plain.
    pub(super) data_plain: bool,
    pub(super) set_id: Option<&'a Value>,
    /// The last event ID string, the event's id (set by its block or not).
    pub(super) last_event_id: &'a str,
    /// The last event ID string is known to be plain.
    pub(super) id_plain: bool,
    pub(super) shared_id: &'a mut Option<ByteString>,
    pub(super) retry_ms: Option<u64>,
    pub(super) raw: Range<u64>,
}

impl<'a> Dispatched<'a> {
    /// The event, its text looked up once here.
    #[inline]
    pub(super) fn new(fields: Fields<'a>) -> Self {
        let read = fields.read.map(|read| &**read);
        let (data, pieces) = match fields.data {
            DataBuf::Line(value) => (value.text(read), None),
            DataBuf::Joined(joined) => (joined.as_str(), None),
            DataBuf::Pieces(parts) => ("", Some((parts.as_slice(), fields.joined))),
        };
        Self {
            event: fields.event.map_or("", |value| value.text(read)),
            data,
            pieces,
            id: fields.last_event_id,
            data_plain: fields.data_plain && !matches!(fields.data, DataBuf::Joined(_)),
            id_plain: fields.id_plain,
            sets_id: fields.set_id.is_some(),
            retry_ms: fields.retry_ms,
            raw: fields.raw,
            source: Source::Parser {
                read: fields.read,
                event: fields.event,
                data: fields.data,
                set_id: fields.set_id,
                shared_id: fields.shared_id,
            },
        }
    }

    /// An event already owned (an NDJSON body's line), handed to a sink as
    /// the parser's are.
    pub fn of(event: &'a Event) -> Self {
        Self {
            event: &event.event,
            data: &event.data,
            pieces: None,
            id: &event.id,
            data_plain: false,
            id_plain: false,
            sets_id: event.sets_id,
            retry_ms: event.retry_ms,
            raw: event.raw.clone(),
            source: Source::Event(event),
        }
    }

    /// The `event:` field; empty when the block set none.
    pub fn event(&self) -> &'a str {
        self.event
    }

    /// The event type as a browser reports it: `message` when no `event:` field was given.
    #[inline]
    pub fn event_type(&self) -> &'a str {
        if self.event.is_empty() {
            "message"
        } else {
            self.event
        }
    }

    /// The data buffer, lines joined with `\n`, the final `\n` removed.
    /// Data in pieces ([`Self::data_pieces`]) is joined for it (a copy).
    pub fn data(&self) -> &'a str {
        match self.pieces {
            Some((parts, joined)) => joined.get_or_init(|| join(parts)),
            None => self.data,
        }
    }

    /// The data as the slices of the reads it came in, when it is one long
    /// plain line that a consumer writing events out can write from where
    /// it lies (the parser keeps such data in pieces when it notes plain
    /// text: [`Parser::note_plain`](super::Parser::note_plain)).
    pub fn data_pieces(&self) -> Option<&'a [Bytes]> {
        self.pieces.map(|(parts, _)| parts)
    }

    /// Whether the data is known to be plain: printable ASCII but `"` and
    /// `\`, which a JSON string and a terminal take as it is. False when
    /// unknown (the parser notes it for the lines it has in hand).
    pub fn data_is_plain(&self) -> bool {
        self.data_plain
    }

    /// Whether the id is known to be plain (as [`Self::data_is_plain`]).
    pub fn id_is_plain(&self) -> bool {
        self.id_plain
    }

    /// The last event ID string in force at dispatch (see [`Event::id`]).
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// Whether the event's own block had an `id:` field.
    pub fn sets_id(&self) -> bool {
        self.sets_id
    }

    /// The reconnection time a `retry:` field in this block set, if any.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Stream offsets of the lines this event was made from.
    pub fn raw(&self) -> &Range<u64> {
        &self.raw
    }

    /// The event as an [`Event`] of its own: its strings slices of the read
    /// they came in where they lie there; only lines joined are copied.
    pub fn into_event(self) -> Event {
        match self.source {
            Source::Parser {
                read,
                event,
                data,
                set_id,
                shared_id,
            } => Event {
                event: event.map_or_else(ByteString::new, |value| value.to_shared(read)),
                data: match data {
                    DataBuf::Line(value) => value.to_shared(read),
                    DataBuf::Joined(joined) => ByteString::from(joined.as_str()),
                    DataBuf::Pieces(parts) => ByteString::from(join(parts)),
                },
                id: match set_id {
                    Some(id) => id.to_shared(read),
                    None => shared_id
                        .get_or_insert_with(|| ByteString::from(self.id))
                        .clone(),
                },
                sets_id: self.sets_id,
                retry_ms: self.retry_ms,
                raw: self.raw,
            },
            Source::Event(event) => event.clone(),
        }
    }
}
