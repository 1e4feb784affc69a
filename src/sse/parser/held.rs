//! A line held across reads: kept while its reads go on (`hold`), in
//! pieces when it is long and plain and the consumer writes events out,
//! and ended in the read where its line ending comes (`carried_line`).

use bytes::Bytes;
use bytestring::ByteString;

use super::text::{Home, Text};
use super::{HANDED_OVER_LINE, ItemSink, PIECES_HEAD, Parser};

impl Parser {
    /// The bytes of the current line held so far, from earlier reads.
    pub(super) fn held(&self) -> usize {
        self.line.len() + self.pieces_len
    }

    /// Keeps bytes of a line that continues in the next read (known to be
    /// plain when `plain`; a slice of `chunk`).
    ///
    /// A long plain line, for a consumer that writes events out, is kept in
    /// pieces: its first bytes in `line` and the rest as slices of the
    /// reads, written out from there. Joining a 100 KiB line from the reads
    /// it was cut into was a copy of every byte, 17% of `print`'s CPU time
    /// on such events.
    pub(super) fn hold(&mut self, bytes: &[u8], plain: bool, chunk: &Bytes) {
        self.line_plain = plain && (self.line.is_empty() || self.line_plain);
        if self.note_plain
            && self.line_plain
            && (!self.pieces.is_empty() || bytes.len() >= HANDED_OVER_LINE)
        {
            let head = if self.pieces.is_empty() {
                PIECES_HEAD.saturating_sub(self.line.len()).min(bytes.len())
            } else {
                0
            };
            let (head, rest) = bytes.split_at(head);
            self.line.extend_from_slice(head);
            if !rest.is_empty() {
                self.pieces.push(chunk.slice_ref(rest));
                self.pieces_len += rest.len();
            }
            return;
        }
        // No longer plain: the pieces are joined after the line's head.
        for piece in std::mem::take(&mut self.pieces) {
            self.line.extend_from_slice(&piece);
        }
        self.pieces_len = 0;
        /// A hint no bigger than this is trusted: one odd huge line must not
        /// make every later buffer huge.
        const MAX_HINT: usize = 1024 * 1024;
        if self.line.capacity() == 0 && self.long_line_hint > 0 {
            self.line.reserve(self.long_line_hint.min(MAX_HINT));
        }
        self.line.extend_from_slice(bytes);
    }

    /// Ends the line that began in an earlier read with `end`, its last bytes
    /// (the whole line known to be plain when `plain`). It comes first in
    /// its read, so no field of this read is pending yet.
    pub(super) fn carried_line(
        &mut self,
        (chunk, end): (&Bytes, &[u8]),
        plain: bool,
        read: Option<&ByteString>,
        out: &mut dyn ItemSink,
    ) {
        let mut line = std::mem::take(&mut self.line);
        if !self.pieces.is_empty() {
            let pieces = std::mem::take(&mut self.pieces);
            self.pieces_len = 0;
            let kept = if plain {
                self.keep_data_in_pieces(&line, pieces, chunk.slice_ref(end))
            } else {
                Err(pieces)
            };
            match kept {
                Ok(()) => {
                    line.clear();
                    self.line = line;
                    return;
                }
                // Any other line is joined after all (not plain, not data,
                // or not the block's first data line).
                Err(pieces) => {
                    for piece in &pieces {
                        line.extend_from_slice(piece);
                    }
                }
            }
        }
        line.extend_from_slice(end);
        if line.len() < HANDED_OVER_LINE {
            let text = Text {
                plain,
                ..Text::unchecked(&line)
            };
            self.process_line(text, read, out);
            line.clear();
            self.line = line;
            return;
        }
        // A long line (a big event's data) gives its buffer away: its
        // fields become slices of it instead of copies.
        self.long_line_hint = line.len();
        let line = Bytes::from(line);
        let whole = if plain {
            debug_assert!(std::str::from_utf8(&line).is_ok());
            // SAFETY: every byte of a plain line is printable ASCII (the
            // masks that say so are tested against each byte's own test),
            // and ASCII is valid UTF-8. Checking again was a pass over
            // every byte of a big event's data, 6% of print's time on them.
            Ok(unsafe { ByteString::from_bytes_unchecked(line.clone()) })
        } else {
            ByteString::try_from(line.clone())
        };
        match whole {
            Ok(whole) => {
                let text = Text {
                    bytes: whole.as_bytes(),
                    home: Home::Line {
                        line: &whole,
                        at: 0,
                    },
                    plain,
                };
                self.process_line(text, read, out);
            }
            Err(_) => self.process_line(Text::unchecked(&line), read, out),
        }
    }
}
