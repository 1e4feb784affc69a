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
    pub(super) fn text<'a>(&'a self, read: Option<&'a str>) -> &'a str {
        match self {
            Value::InRead(range) => in_read(read, range),
            Value::Own(text) => text,
        }
    }

    /// The text as a string of its own: a slice of `read` when it lies
    /// there (a shared count, no copy).
    pub(super) fn into_shared(self, read: Option<&ByteString>) -> ByteString {
        match (self, read) {
            (Value::InRead(range), Some(read)) => read.slice_ref(in_read(Some(read), &range)),
            (Value::InRead(_), None) => ByteString::new(),
            (Value::Own(text), _) => text,
        }
    }
}

/// The text of `range` in `read`. A range is only ever made from the read
/// it is resolved against, at character boundaries (lines end at CR or LF,
/// fields at `:` and a space), so the empty fallback is never taken.
fn in_read<'a>(read: Option<&'a str>, range: &Range<usize>) -> &'a str {
    debug_assert!(read.is_some_and(|read| read.get(range.clone()).is_some()));
    read.and_then(|read| read.get(range.clone()))
        .unwrap_or_default()
}

/// The data buffer, without its final LF: lines are joined as they come.
#[derive(Debug)]
pub(super) enum DataBuf {
    /// One line, as it came.
    Line(Value),
    /// Several lines joined with LF.
    Joined(String),
}

impl DataBuf {
    pub(super) fn len(&self) -> usize {
        match self {
            DataBuf::Line(value) => value.len(),
            DataBuf::Joined(joined) => joined.len(),
        }
    }
}

/// An event's id.
#[derive(Debug)]
enum Id<'a> {
    /// Its own: the block set it, or an owned event carried it.
    Value(Value),
    /// Inherited: the parser's last event ID string, and the shared copy of
    /// it that owned events carry (built on the first that needs it, once
    /// per change of the string).
    Inherited {
        text: &'a str,
        shared: &'a mut Option<ByteString>,
    },
}

/// An event as dispatched, handed to an `ItemSink`: read it in place
/// (no copy, no shared count), or keep it with [`Dispatched::into_event`].
#[derive(Debug)]
pub struct Dispatched<'a> {
    /// The checked lines of the read the event completed in.
    read: Option<&'a ByteString>,
    event: Option<Value>,
    data: DataBuf,
    id: Id<'a>,
    sets_id: bool,
    retry_ms: Option<u64>,
    raw: Range<u64>,
}

/// What the parser hands over to dispatch an event.
pub(super) struct Fields<'a> {
    pub(super) read: Option<&'a ByteString>,
    pub(super) event: Option<Value>,
    pub(super) data: DataBuf,
    /// The id the event's block set, if it set one.
    pub(super) set_id: Option<Value>,
    pub(super) last_event_id: &'a str,
    pub(super) shared_id: &'a mut Option<ByteString>,
    pub(super) retry_ms: Option<u64>,
    pub(super) raw: Range<u64>,
}

impl<'a> Dispatched<'a> {
    pub(super) fn new(fields: Fields<'a>) -> Self {
        let sets_id = fields.set_id.is_some();
        Self {
            read: fields.read,
            event: fields.event,
            data: fields.data,
            id: match fields.set_id {
                Some(id) => Id::Value(id),
                None => Id::Inherited {
                    text: fields.last_event_id,
                    shared: fields.shared_id,
                },
            },
            sets_id,
            retry_ms: fields.retry_ms,
            raw: fields.raw,
        }
    }

    fn read_text(&self) -> Option<&'a str> {
        self.read.map(|read| &**read)
    }

    /// The `event:` field; empty when the block set none.
    pub fn event(&self) -> &str {
        self.event
            .as_ref()
            .map_or("", |value| value.text(self.read_text()))
    }

    /// The event type as a browser reports it: `message` when no `event:` field was given.
    pub fn event_type(&self) -> &str {
        match self.event() {
            "" => "message",
            event => event,
        }
    }

    /// The data buffer, lines joined with `\n`, the final `\n` removed.
    pub fn data(&self) -> &str {
        match &self.data {
            DataBuf::Line(value) => value.text(self.read_text()),
            DataBuf::Joined(joined) => joined,
        }
    }

    /// The last event ID string in force at dispatch (see [`Event::id`]).
    pub fn id(&self) -> &str {
        match &self.id {
            Id::Value(value) => value.text(self.read_text()),
            Id::Inherited { text, .. } => text,
        }
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
    /// they came in where they lie there, nothing copied.
    pub fn into_event(self) -> Event {
        let read = self.read;
        Event {
            event: self
                .event
                .map_or_else(ByteString::new, |value| value.into_shared(read)),
            data: match self.data {
                DataBuf::Line(value) => value.into_shared(read),
                DataBuf::Joined(joined) => ByteString::from(joined),
            },
            id: match self.id {
                Id::Value(value) => value.into_shared(read),
                Id::Inherited { text, shared } => {
                    shared.get_or_insert_with(|| ByteString::from(text)).clone()
                }
            },
            sets_id: self.sets_id,
            retry_ms: self.retry_ms,
            raw: self.raw,
        }
    }
}

impl From<Event> for Dispatched<'_> {
    /// An event already owned (an NDJSON body's line), handed to a sink as
    /// the parser's are.
    fn from(event: Event) -> Self {
        Self {
            read: None,
            event: (!event.event.is_empty()).then_some(Value::Own(event.event)),
            data: DataBuf::Line(Value::Own(event.data)),
            id: Id::Value(Value::Own(event.id)),
            sets_id: event.sets_id,
            retry_ms: event.retry_ms,
            raw: event.raw,
        }
    }
}
