//! The retained rows and bytes, read: rows built from their slots, raw
//! bytes, and the log as the connection messages that made it. Shared by
//! the live log and its snapshots ([`super::LogSnapshot`]), which a save
//! reads off the UI task while the log goes on.

use std::ops::Range;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytestring::ByteString;

use super::row::{Body, Row, RowKind, Slot, Text};
use super::slots::Slots;
use super::wire::Wire;
use crate::sse::{Chunk, ConnMsg, Event};

#[derive(Debug, Clone, Default)]
pub(super) struct Store {
    pub wire: Wire,
    pub slots: Slots,
    /// Event types seen, indexed by [`Body::Event`]'s `kind`.
    /// Copies of their own, not slices of a read; a row built takes a shared count.
    pub types: Vec<ByteString>,
}

impl Store {
    /// The row of `slot`, an event's data cut to `max_data` bytes, and the
    /// data's full length (0 for other rows).
    pub fn row(&self, slot: &Slot, max_data: usize) -> (Row, usize) {
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
                        event.data = ByteString::from(crate::text::head(&event.data, max_data));
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
            Text::Shared(shared) => crate::text::head(shared, max).to_owned(),
            Text::Raw { len: 0, .. } => String::new(),
            Text::Raw { at, len } => {
                let start = slot.raw_start + u64::from(*at);
                let len = u64::from(*len).min(u64::try_from(max).unwrap_or(u64::MAX));
                let bytes = self.wire.copy(&(start..start + len)).unwrap_or_default();
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

    /// Every retained row from slot `index` on, oldest first, each built as it is reached.
    pub fn rows_from(&self, index: usize) -> impl Iterator<Item = Row> + '_ {
        self.slots
            .iter_from(index)
            .map(|slot| self.row(slot, usize::MAX).0)
    }

    /// The retained stream as the connection messages that made it, in
    /// order, with their times: reads of the wire bytes (a read per row, at
    /// the row's time: the original read boundaries are not kept) and the
    /// markers' messages. What "save as capture" writes. When rows before
    /// the first retained one were dropped (`rows_dropped`), it starts at
    /// that row, not in the middle of a block.
    pub fn replay(&self, rows_dropped: bool) -> Vec<(SystemTime, ConnMsg)> {
        let mut out = Vec::new();
        let _ = self.replay_each(rows_dropped, &mut |at, msg| {
            out.push((at, msg));
            Ok(())
        });
        out
    }

    /// [`Store::replay`] a message at a time, to `each`, which may fail (a
    /// full disk): the whole log is never built as messages at once.
    pub fn replay_each(
        &self,
        rows_dropped: bool,
        each: &mut dyn FnMut(SystemTime, ConnMsg) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let wire_end = self.wire.end();
        let mut cursor = match self.slots.first() {
            Some(first) if rows_dropped => first.raw_start.max(self.wire.start()),
            _ => self.wire.start(),
        };
        let mut last = (0, UNIX_EPOCH);
        for slot in self.slots.iter_from(0) {
            let at = UNIX_EPOCH + Duration::from_nanos(slot.received_ns);
            last = (slot.attempt, at);
            match &slot.body {
                Body::Marker(marker) => {
                    self.read(&mut cursor, slot.raw_start, (slot.attempt, at), each)?;
                    if let Some(record) = &marker.record {
                        each(at, record.clone())?;
                    }
                }
                _ => {
                    let end = slot.raw_end + self.terminator_after(slot.raw_end).len() as u64;
                    self.read(&mut cursor, end.min(wire_end), (slot.attempt, at), each)?;
                }
            }
        }
        self.read(&mut cursor, wire_end, last, each)
    }

    /// An MCP log as the messages that made it: each event row one read
    /// holding its message and the bytes that carried it (a capture's
    /// `message` records), the markers' messages between.
    pub fn replay_messages_each(
        &self,
        each: &mut dyn FnMut(SystemTime, ConnMsg) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for slot in self.slots.iter_from(0) {
            let at = UNIX_EPOCH + Duration::from_nanos(slot.received_ns);
            if let Body::Marker(marker) = &slot.body {
                if let Some(record) = &marker.record {
                    each(at, record.clone())?;
                }
                continue;
            }
            let RowKind::Event { seq, mut event } = self.row(slot, usize::MAX).0.kind else {
                continue;
            };
            let bytes = self
                .wire
                .copy(&(slot.raw_start..slot.raw_end))
                .unwrap_or_default();
            event.raw = 0..bytes.len() as u64;
            each(
                at,
                ConnMsg::Data(Chunk {
                    attempt: slot.attempt,
                    offset: 0,
                    bytes: bytes.into(),
                    received_at: at,
                    items: vec![crate::sse::StreamItem::Event { seq, event }],
                    facts: None,
                }),
            )?;
        }
        Ok(())
    }

    /// The bytes from `cursor` to `to` as one read of `attempt` at `at`
    /// (nothing when there are none), and the cursor moved on.
    fn read(
        &self,
        cursor: &mut u64,
        to: u64,
        (attempt, at): (u32, SystemTime),
        each: &mut dyn FnMut(SystemTime, ConnMsg) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        if to <= *cursor {
            return Ok(());
        }
        let Some(bytes) = self.wire.copy(&(*cursor..to)) else {
            return Ok(());
        };
        let chunk = Chunk {
            attempt,
            offset: *cursor,
            bytes: bytes.into(),
            received_at: at,
            items: Vec::new(),
            facts: None,
        };
        *cursor = to;
        each(at, ConnMsg::Data(chunk))
    }

    /// The line ending right after `offset` (the blank line that dispatched a block), if retained.
    pub fn terminator_after(&self, offset: u64) -> &'static [u8] {
        match (self.wire.byte(offset), self.wire.byte(offset + 1)) {
            (Some(b'\r'), Some(b'\n')) => b"\r\n",
            (Some(b'\r'), _) => b"\r",
            (Some(b'\n'), _) => b"\n",
            _ => b"",
        }
    }

    /// Log offsets of the retained wire bytes.
    pub fn wire_span(&self) -> Range<u64> {
        self.wire.start()..self.wire.end()
    }
}
