//! The NDJSON line of one event: the format `ssetui print` writes, `S`
//! saves and `ssetui open` reads back, written straight into the output buffer.
//!
//! It is `serde_json::to_writer(&EventLine)` byte for byte (a test holds the
//! two together), but for the characters a terminal must not see, which are
//! `\uXXXX` escapes here, at a fraction of the cost: strings are copied in
//! runs between the rare bytes to escape, found 64, 32 or eight bytes at a
//! time, and what lines share (the attempt and receive time of a read, the
//! event type of a run of events) is written once ([`LineWriter`]).

use std::io::{self, IoSlice, Write};
use std::time::SystemTime;

use bytes::Bytes;
use serde::Serialize;

use crate::sse::{Dispatched, Event};

mod escape;

pub use escape::string;
use escape::{plain_check, string_of};

/// One event of the NDJSON schema, as serde writes it: the reference the
/// writer below is held to (byte for byte, but for the terminal's
/// characters), and what readers of the format deserialize.
#[derive(Debug, Serialize)]
pub struct EventLine<'a> {
    pub event: &'a str,
    pub data: &'a str,
    pub id: &'a str,
    pub seq: u64,
    pub attempt: u32,
    /// Receive time, RFC 3339 with milliseconds, UTC.
    pub time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<u64>,
}

/// Writes `{"event","data","id","seq","attempt","time"[,"retry"]}` and a newline;
/// `time_json` is the receive time already written as a JSON string.
pub fn write_event(
    out: &mut impl Write,
    event: &Event,
    seq: u64,
    attempt: u32,
    time_json: &[u8],
    value: Option<Option<&str>>,
) -> io::Result<()> {
    let mut line = LineWriter::default();
    line.start_read(attempt, time_json);
    line.write(out, &EventText::from(event), seq, value)
}

/// What an event's NDJSON line says of it, wherever its text lies: an
/// [`Event`] of its own, or one read in place as the parser dispatched it.
#[derive(Debug, Clone, Copy)]
pub struct EventText<'a> {
    /// The type as a browser reports it (`message` when none was given).
    pub event_type: &'a str,
    pub data: &'a str,
    pub id: &'a str,
    pub retry_ms: Option<u64>,
    /// Whether the block had an `event:` field (else the type is `message` by default).
    pub named: bool,
    /// Whether the block had an `id:` field (else `id` is inherited).
    pub sets_id: bool,
    /// `data` and `id` are known to be plain (`text::byte_mask`'s sense):
    /// written as they are, without a scan for bytes to escape.
    pub data_plain: bool,
    pub id_plain: bool,
    /// The data as pieces of plain text, written from where they lie
    /// ([`EventText::written_out`]); `data` is then empty.
    pub data_pieces: Option<&'a [Bytes]>,
}

impl<'a> From<&'a Event> for EventText<'a> {
    fn from(event: &'a Event) -> Self {
        Self {
            event_type: event.event_type(),
            data: &event.data,
            id: &event.id,
            retry_ms: event.retry_ms,
            named: !event.event.is_empty(),
            sets_id: event.sets_id,
            data_plain: false,
            id_plain: false,
            data_pieces: None,
        }
    }
}

impl<'a> From<&'a Dispatched<'_>> for EventText<'a> {
    fn from(event: &'a Dispatched<'_>) -> Self {
        Self::with_data(event, event.data(), None)
    }
}

impl<'a> EventText<'a> {
    /// What a line written out needs of the event, data in pieces left in
    /// pieces (`data` is then empty): for a writer that reads nothing else
    /// of the data. [`From`] joins them, for everyone else.
    pub fn written_out(event: &'a Dispatched<'_>) -> Self {
        match event.data_pieces() {
            Some(pieces) => Self::with_data(event, "", Some(pieces)),
            None => Self::from(event),
        }
    }

    /// `event` with its data given: as one string, or as pieces (plain,
    /// as the parser keeps only plain data in pieces).
    fn with_data(
        event: &'a Dispatched<'_>,
        data: &'a str,
        data_pieces: Option<&'a [Bytes]>,
    ) -> Self {
        Self {
            event_type: event.event_type(),
            data,
            id: event.id(),
            retry_ms: event.retry_ms(),
            named: !event.event().is_empty(),
            sets_id: event.sets_id(),
            data_plain: event.data_is_plain(),
            id_plain: event.id_is_plain(),
            data_pieces,
        }
    }
}

/// Writes the NDJSON lines of a stream's events, with what many lines
/// share written once: `,"attempt":…,"time":…` once per read (every event
/// of a read was received at once, in one attempt), and `{"event":…,"data":`
/// once per run of events of one type.
#[derive(Debug, Default)]
pub struct LineWriter {
    /// `,"attempt":N,"time":"…"` of the current read.
    read_part: Vec<u8>,
    /// The event type `type_part` was written for.
    event_type: String,
    /// `{"event":"…","data":"`.
    type_part: Vec<u8>,
    /// The last `seq` written.
    seq: Decimal,
}

impl LineWriter {
    /// The events that follow came in one read, in attempt `attempt`, at
    /// the time `time_json` (already written as a JSON string).
    pub fn start_read(&mut self, attempt: u32, time_json: &[u8]) {
        self.read_part.clear();
        self.read_part.extend_from_slice(b",\"attempt\":");
        self.read_part
            .extend_from_slice(itoa::Buffer::new().format(attempt).as_bytes());
        self.read_part.extend_from_slice(b",\"time\":");
        self.read_part.extend_from_slice(time_json);
    }

    /// Writes one event's line, numbered `seq`; `value` is `--extract`'s
    /// (`Some(None)`: it gave nothing, written as null).
    #[inline]
    pub fn write(
        &mut self,
        out: &mut impl Write,
        event: &EventText<'_>,
        seq: u64,
        value: Option<Option<&str>>,
    ) -> io::Result<()> {
        self.write_with_tail(out, event, seq, value, b"")
    }

    /// [`write`](Self::write), with `tail` (keys already written as JSON,
    /// each after a comma: `print --validate`'s) at the end of the object.
    #[inline]
    pub fn write_with_tail(
        &mut self,
        out: &mut impl Write,
        event: &EventText<'_>,
        seq: u64,
        value: Option<Option<&str>>,
        tail: &[u8],
    ) -> io::Result<()> {
        if self.type_part.is_empty() || !same(&self.event_type, event.event_type) {
            self.set_type(event.event_type);
        }
        if event.data_plain && event.id_plain {
            // The common case, each quote written with the piece beside it:
            // four fewer writes an event (a tenth of writing a small one).
            plain_check(event.data);
            plain_check(event.id);
            out.write_all(&self.type_part)?;
            data_as_it_is(out, event)?;
            out.write_all(b"\",\"id\":\"")?;
            out.write_all(event.id.as_bytes())?;
            out.write_all(b"\",\"seq\":")?;
        } else {
            // Without the data's opening quote, which `string_of` writes.
            let head = self.type_part.strip_suffix(b"\"").unwrap_or_default();
            out.write_all(head)?;
            if event.data_pieces.is_some() {
                out.write_all(b"\"")?;
                data_as_it_is(out, event)?;
                out.write_all(b"\"")?;
            } else {
                string_of(out, event.data, event.data_plain)?;
            }
            out.write_all(b",\"id\":")?;
            string_of(out, event.id, event.id_plain)?;
            out.write_all(b",\"seq\":")?;
        }
        out.write_all(self.seq.set(seq))?;
        out.write_all(&self.read_part)?;
        if let Some(ms) = event.retry_ms {
            out.write_all(b",\"retry\":")?;
            number(out, ms)?;
        }
        // `--extract`: the expression's value, null when it gave nothing.
        match value {
            None => {}
            Some(None) => out.write_all(b",\"value\":null")?,
            Some(Some(value)) => {
                out.write_all(b",\"value\":")?;
                string(out, value)?;
            }
        }
        out.write_all(tail)?;
        out.write_all(b"}\n")
    }

    #[cold]
    fn set_type(&mut self, event_type: &str) {
        self.event_type.clear();
        self.event_type.push_str(event_type);
        self.type_part.clear();
        self.type_part.extend_from_slice(b"{\"event\":");
        // Writing to a Vec cannot fail.
        let _ = string(&mut self.type_part, event_type);
        // The data's opening quote too: see `write_with_tail`.
        self.type_part.extend_from_slice(b",\"data\":\"");
    }
}

/// Plain data as it is.
#[inline(always)]
fn data_as_it_is(out: &mut impl Write, event: &EventText<'_>) -> io::Result<()> {
    match event.data_pieces {
        None => out.write_all(event.data.as_bytes()),
        Some(pieces) => pieces_as_they_are(out, pieces),
    }
}

/// Plain data in pieces, from where they lie, in one vectored write (a
/// writer that buffers can pass big ones through without a copy).
#[inline(never)]
fn pieces_as_they_are(out: &mut impl Write, pieces: &[Bytes]) -> io::Result<()> {
    if cfg!(debug_assertions) {
        for piece in pieces {
            plain_check(&String::from_utf8_lossy(piece));
        }
    }
    let mut slices: Vec<IoSlice<'_>> = pieces.iter().map(|piece| IoSlice::new(piece)).collect();
    write_all_vectored(out, &mut slices)
}

/// All of `slices` to `out`, in as few vectored writes as it takes: std's
/// `Write::write_all_vectored`, which is not stable yet.
pub(crate) fn write_all_vectored(
    out: &mut impl Write,
    slices: &mut [IoSlice<'_>],
) -> io::Result<()> {
    let mut slices = slices;
    IoSlice::advance_slices(&mut slices, 0);
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

/// Whether two short strings (event types) are the same, compared in line:
/// a call to compare memory cost more than comparing four bytes.
#[inline]
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(a, b)| a == b)
}

/// A number written in decimal and kept: the next one written is usually
/// one more (events numbered in order), which is an increment of its last
/// digits rather than a new formatting.
#[derive(Debug)]
struct Decimal {
    /// The digits, right-aligned.
    digits: [u8; 20],
    /// Where they begin.
    start: usize,
    value: u64,
}

impl Default for Decimal {
    fn default() -> Self {
        Self {
            digits: [b'0'; 20],
            start: 19,
            value: 0,
        }
    }
}

impl Decimal {
    /// `n` in decimal.
    #[inline]
    fn set(&mut self, n: u64) -> &[u8] {
        if self.value.checked_add(1) == Some(n) {
            let mut at = self.digits.len();
            loop {
                at -= 1;
                if self.digits[at] != b'9' {
                    self.digits[at] += 1;
                    break;
                }
                self.digits[at] = b'0';
                if at == self.start {
                    // 99 + 1: one more digit (never past 20: n fits a u64).
                    self.start -= 1;
                    self.digits[self.start] = b'1';
                    break;
                }
            }
        } else {
            let mut buffer = itoa::Buffer::new();
            let text = buffer.format(n).as_bytes();
            self.start = self.digits.len() - text.len();
            self.digits[self.start..].copy_from_slice(text);
        }
        self.value = n;
        &self.digits[self.start..]
    }
}

/// The `time` of the schema for a read received at `at`: RFC 3339 with
/// milliseconds, UTC, written as a JSON string.
pub fn time_json(at: SystemTime) -> Vec<u8> {
    json_string(&humantime::format_rfc3339_millis(at).to_string())
}

/// `text` as a JSON string (quotes included), for a value written many times.
pub fn json_string(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 2);
    string(&mut out, text).expect("a Vec takes writes");
    out
}

/// A decimal number, formatted on the stack (itoa, as serde_json does).
pub fn number(out: &mut impl Write, n: u64) -> io::Result<()> {
    out.write_all(itoa::Buffer::new().format(n).as_bytes())
}

#[cfg(test)]
mod tests;
