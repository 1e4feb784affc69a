//! The parser's sink for one read of a connection: events numbered over
//! the task's life and read in place by the consumer or kept with the
//! read, and the newest event kept just far enough to see an end marker.

use std::ops::Range;

use super::super::end_marker;
use super::super::message::StreamItem;
use super::super::parser::{Dispatched, Item, ItemSink};
use super::EventSink;

/// The parser's sink for one read: events numbered over the task's life,
/// then read in place by the consumer or kept in the read's items (with every
/// block).
pub(super) struct ReadSink<'a> {
    pub seq: &'a mut u64,
    pub items: &'a mut Vec<StreamItem>,
    pub in_place: Option<&'a mut dyn EventSink>,
    /// The read's bytes, which events read in place lie in.
    pub read: &'a [u8],
    pub newest: Newest,
}

impl ItemSink for ReadSink<'_> {
    fn event(&mut self, event: Dispatched<'_>) {
        *self.seq += 1;
        match &mut self.in_place {
            Some(sink) => {
                self.newest.note(&event, self.read);
                sink.event(*self.seq, &event);
            }
            None => self.items.push(StreamItem::Event {
                seq: *self.seq,
                event: event.into_event(),
            }),
        }
    }

    fn push_item(&mut self, item: Item) {
        self.items.push(StreamItem::numbered(item, self.seq));
    }
}

/// The newest event of a read whose events were read in place: as much of
/// it as its end marker needs (`end_marker::of_text`), noted for every
/// event without copying when its data lies in the read, and read once
/// the read is over.
pub(super) enum Newest {
    /// No event read in place.
    None,
    /// Its data, bytes of the read.
    InRead {
        message_stop: bool,
        data: Range<usize>,
    },
    /// Its data, which was not in the read (lines joined, or cut by reads):
    /// copied when it may mark an end, empty when it cannot (a 100 KiB
    /// event cut by reads is not copied again for a look at its end).
    Copied { message_stop: bool, data: String },
}

/// The one event type that is an end marker by itself.
const MESSAGE_STOP: &str = "message_stop";

impl Newest {
    #[inline]
    fn note(&mut self, event: &Dispatched<'_>, read: &[u8]) {
        let message_stop = event.event() == MESSAGE_STOP;
        if let Some(pieces) = event.data_pieces() {
            // A long plain line: joined only when its start may mark an end.
            let data = if end_marker::pieces_may_mark(pieces) {
                event.data().to_owned()
            } else {
                String::new()
            };
            *self = Newest::Copied { message_stop, data };
            return;
        }
        let data = event.data();
        *self = match crate::text::range_in(read, data.as_bytes()) {
            Some(data) => Newest::InRead { message_stop, data },
            None => Newest::Copied {
                message_stop,
                data: if end_marker::data_may_mark(data) {
                    data.to_owned()
                } else {
                    String::new()
                },
            },
        };
    }

    /// The end marker of the read's newest event, `None` when no event was
    /// read in place.
    pub fn end_marker(&self, read: &[u8]) -> Option<Option<&'static str>> {
        let (message_stop, data) = match self {
            Newest::None => return None,
            Newest::InRead { message_stop, data } => (
                *message_stop,
                read.get(data.clone())
                    .and_then(|data| std::str::from_utf8(data).ok())
                    .unwrap_or_default(),
            ),
            Newest::Copied { message_stop, data } => (*message_stop, data.as_str()),
        };
        let event_type = if message_stop { MESSAGE_STOP } else { "" };
        Some(end_marker::of_text(event_type, data))
    }
}
