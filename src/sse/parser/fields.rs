//! Processing one line (§9.2.6 "Process the field") and dispatching an
//! event at a blank line: what the parser does with each line its reads
//! are cut into (`super`).

use bytes::Bytes;
use bytestring::ByteString;
use memchr::memchr;

use super::dispatched::{self, DataBuf, Fields, Value, in_read};
use super::text::Text;
use super::{Block, Dispatched, Item, ItemSink, Parser};
use crate::text::byte_mask;

/// The field a line names (§9.2.6 "Process the field").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldName {
    Event,
    Data,
    Id,
    Retry,
    Other,
}

impl FieldName {
    fn of(name: &[u8]) -> Self {
        match name {
            b"event" => Self::Event,
            b"data" => Self::Data,
            b"id" => Self::Id,
            b"retry" => Self::Retry,
            _ => Self::Other,
        }
    }
}

impl Parser {
    #[inline(always)]
    pub(super) fn process_line(
        &mut self,
        line: Text<'_>,
        read: Option<&ByteString>,
        out: &mut dyn ItemSink,
    ) {
        if line.bytes.is_empty() {
            // "If the line is empty (a blank line): Dispatch the event."
            self.dispatch(read, out);
            return;
        }
        self.line_in_block();
        // "If the line contains a U+003A COLON character (:): Collect the characters on the
        // line before the first U+003A COLON character (:), and let field be that string.
        // Collect the characters on the line after the first U+003A COLON character (:),
        // and let value be that string. If value starts with a U+0020 SPACE character,
        // remove it from value." Otherwise the whole line is the field name and the value is empty.
        let (field, value_at) = match line.bytes {
            // The four fields the spec knows, recognised without searching for the colon.
            [b'd', b'a', b't', b'a', b':', ..] => (FieldName::Data, 5),
            [b'i', b'd', b':', ..] => (FieldName::Id, 3),
            [b'e', b'v', b'e', b'n', b't', b':', ..] => (FieldName::Event, 6),
            [b'r', b'e', b't', b'r', b'y', b':', ..] => (FieldName::Retry, 6),
            [b':', ..] => {
                // "If the line starts with a U+003A COLON character (:): Ignore the line."
                // Kept for display: keep-alive comments are part of what the server sent.
                self.comment(line);
                return;
            }
            bytes => match memchr(b':', bytes) {
                Some(colon) => (FieldName::of(&bytes[..colon]), colon + 1),
                None => (FieldName::of(bytes), bytes.len()),
            },
        };
        let value = line.after(value_at).without_leading_space();
        match field {
            // "If the field name is 'event': Set the event type buffer to field value."
            FieldName::Event => value.store_in(&mut self.event_type, |value| value),
            // "If the field name is 'data': Append the field value to the data buffer,
            // then append a single U+000A LINE FEED (LF) character to the data buffer."
            // Here the LF is appended before the next line instead, which is the
            // same buffer once step 3 of dispatch removes the final LF.
            FieldName::Data => match &mut self.data {
                None => {
                    value.store_in(&mut self.data, DataBuf::Line);
                    self.data_plain = self.is_plain(value);
                }
                Some(DataBuf::Line(first)) => {
                    // Joined with an LF, which is not plain.
                    self.data_plain = false;
                    let mut joined = String::from(first.text(read.map(|read| &**read)));
                    joined.push('\n');
                    value.push_to(&mut joined);
                    self.data = Some(DataBuf::Joined(joined));
                }
                Some(DataBuf::Pieces(parts)) => {
                    self.data_plain = false;
                    let mut joined = dispatched::join(parts);
                    joined.push('\n');
                    value.push_to(&mut joined);
                    self.data = Some(DataBuf::Joined(joined));
                }
                Some(DataBuf::Joined(joined)) => {
                    joined.push('\n');
                    value.push_to(joined);
                }
            },
            // "If the field name is 'id': If the field value does not contain U+0000 NULL,
            // then set the last event ID buffer to the field value. Otherwise, ignore the field."
            FieldName::Id => {
                // Plain text holds no NUL: only a value not known to be
                // plain is searched for one.
                let plain = self.is_plain(value);
                if plain || !value.bytes.contains(&0) {
                    value.store_in(&mut self.last_event_id_buffer, |value| value);
                    self.id_buffer_plain = plain;
                }
            }
            // "If the field name is 'retry': If the field value consists of only ASCII digits,
            // then interpret the field value as an integer in base ten, and set the event
            // stream's reconnection time to that integer. Otherwise, ignore the field."
            FieldName::Retry => {
                if let Some(ms) = parse_retry(value.bytes) {
                    self.reconnection_time_ms = Some(ms);
                    self.block_retry_ms = Some(ms);
                }
            }
            // "Otherwise: The field is ignored."
            FieldName::Other => {}
        }
    }

    /// A line that is not blank belongs to the current block: its raw range
    /// grows to the line's end.
    #[inline(always)]
    fn line_in_block(&mut self) {
        if self.block_start.is_none() {
            // For the stream's first line this is offset 0, so a stripped BOM stays in raw.
            self.block_start = Some(self.line_start);
        }
        self.block_end = self.pos;
    }

    /// Keeps a long plain line held in pieces as the block's data, its bytes
    /// not copied, when it is the block's first `data:` line: `head` is the
    /// line's first bytes (its field name among them), `pieces` and `end`
    /// the slices that follow. Gives the pieces back for any other line.
    pub(super) fn keep_data_in_pieces(
        &mut self,
        head: &[u8],
        pieces: Vec<Bytes>,
        end: Bytes,
    ) -> Result<(), Vec<Bytes>> {
        let Some(value) = head.strip_prefix(b"data:") else {
            return Err(pieces);
        };
        if self.data.is_some() {
            return Err(pieces);
        }
        self.line_in_block();
        // "If value starts with a U+0020 SPACE character, remove it from value."
        let value = value.strip_prefix(b" ").unwrap_or(value);
        let mut parts = Vec::with_capacity(pieces.len() + 2);
        parts.push(Bytes::copy_from_slice(value));
        parts.extend(pieces);
        parts.push(end);
        parts.retain(|part| !part.is_empty());
        self.data = Some(DataBuf::Pieces(parts));
        self.data_plain = true;
        Ok(())
    }

    /// Whether a value is plain, when the consumer wants to know (see
    /// [`Self::note_plain`]): known already for a long line the scans of
    /// its reads looked at, else looked at here.
    #[inline]
    fn is_plain(&self, value: Text<'_>) -> bool {
        value.plain || (self.note_plain && byte_mask::is_plain(value.bytes))
    }

    /// A comment line: counted, and the block's first kept.
    #[cold]
    #[inline(never)]
    fn comment(&mut self, line: Text<'_>) {
        self.block_comment_lines += 1;
        if self.block_comment.is_none() {
            let mut comment = String::new();
            line.after(1).without_leading_space().push_to(&mut comment);
            self.block_comment = Some(comment);
        }
    }

    pub(super) fn dispatch(&mut self, read: Option<&ByteString>, out: &mut dyn ItemSink) {
        let Some(start) = self.block_start else {
            // A blank line with no block before it: nothing to report, nothing changes
            // (the last event ID buffer can only differ from the string inside a block).
            return;
        };
        let raw = start..self.block_end;
        // "1. Set the last event ID string of the event source to the value of the last event ID buffer."
        let set_id = self.last_event_id_buffer.take();
        if let Some(id) = &set_id {
            match id {
                // Copied once, at the end of the read (`keep_past_read`).
                Value::InRead(range) => self.id_in_read = Some(range.clone()),
                Value::Own(text) => {
                    self.id_in_read = None;
                    self.last_event_id.clear();
                    self.last_event_id.push_str(text);
                }
            }
            self.last_event_id_plain = self.id_buffer_plain;
            self.shared_id = None;
        }
        let last_event_id = match &self.id_in_read {
            Some(range) => in_read(read.map(|read| &**read), range),
            None => &self.last_event_id,
        };
        // The data buffer is emptied here for both outcomes ("set the data buffer
        // ... to the empty string", steps 2 and 7). "3. If the data buffer's last
        // character is a U+000A LINE FEED (LF) character, then remove the last
        // character from the data buffer": `data` never held it.
        let Some(data) = &self.data else {
            // "2. If the data buffer is an empty string, set the data buffer and the event
            // type buffer to the empty string and return."
            self.event_type = None;
            out.push_item(Item::Block(Block {
                comment: self.block_comment.take(),
                comment_lines: self.block_comment_lines,
                id: set_id.map(|id| id.to_shared(read)),
                retry_ms: self.block_retry_ms,
                raw,
            }));
            self.reset_block();
            return;
        };
        out.event(Dispatched::new(Fields {
            read,
            event: self.event_type.as_ref(),
            data,
            joined: &self.joined,
            data_plain: self.data_plain,
            set_id: set_id.as_ref(),
            last_event_id,
            id_plain: self.last_event_id_plain,
            shared_id: &mut self.shared_id,
            retry_ms: self.block_retry_ms,
            raw,
        }));
        self.event_type = None;
        // Data in the read (the common case) has nothing to free: the
        // dropping of the others is kept out of line (the compiler called
        // the drop of every kind of data buffer for each event).
        let data = self.data.take();
        if matches!(data, None | Some(DataBuf::Line(Value::InRead(_)))) {
            std::mem::forget(data);
        } else {
            drop_data(data, &mut self.joined);
        }
        self.reset_block();
    }
}

/// Drops a data buffer that is not a range of the read, and the joined
/// text of one in pieces (it was for this event, not the next one).
#[cold]
#[inline(never)]
fn drop_data(data: Option<DataBuf>, joined: &mut std::sync::OnceLock<String>) {
    if matches!(data, Some(DataBuf::Pieces(_))) {
        joined.take();
    }
}

/// A `retry:` value: ASCII digits only (no sign, no spaces, not empty). Values too large
/// for a u64 saturate rather than overflow.
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(value.iter().fold(0u64, |acc, d| {
        acc.saturating_mul(10).saturating_add(u64::from(d - b'0'))
    }))
}
