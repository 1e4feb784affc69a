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
mod tests {
    use super::*;

    fn ours(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
        let mut out = Vec::new();
        write_event(&mut out, event, seq, attempt, &json_string(time), None)
            .expect("a Vec takes writes");
        String::from_utf8(out).expect("valid UTF-8")
    }

    fn serde(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
        let line = EventLine {
            event: event.event_type(),
            data: &event.data,
            id: &event.id,
            seq,
            attempt,
            time: time.to_owned(),
            retry: event.retry_ms,
        };
        serde_json::to_string(&line).expect("serializes") + "\n"
    }

    fn event(event: &str, data: &str, id: &str, retry_ms: Option<u64>) -> Event {
        Event {
            event: event.into(),
            data: data.into(),
            id: id.into(),
            sets_id: !id.is_empty(),
            retry_ms,
            raw: 0..0,
        }
    }

    /// What serde_json writes, with the characters a terminal must not
    /// see (which JSON lets through raw) as `\uXXXX`: what `print` writes.
    /// (The line's own ending is the one control serde leaves raw.)
    fn expected(json: String) -> String {
        let mut out = String::new();
        for c in json.chars() {
            if crate::text::is_neutralised(c) && c != '\n' {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn vectored_writes_go_on_through_short_writes_and_interruptions_to_the_end() {
        /// Takes at most 3 bytes a call, after refusing the first with
        /// `Interrupted`; or, `stuck`, takes nothing.
        struct Trickle {
            got: Vec<u8>,
            calls: usize,
            stuck: bool,
        }
        impl Write for Trickle {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                self.calls += 1;
                if self.calls == 1 {
                    return Err(io::ErrorKind::Interrupted.into());
                }
                let n = if self.stuck { 0 } else { bytes.len().min(3) };
                self.got.extend_from_slice(&bytes[..n]);
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let parts: [&[u8]; 4] = [b"ab", b"", b"cdefg", b"h"];
        let mut out = Trickle {
            got: Vec::new(),
            calls: 0,
            stuck: false,
        };
        let mut slices = parts.map(IoSlice::new);
        write_all_vectored(&mut out, &mut slices).unwrap();
        assert_eq!(out.got, b"abcdefgh");
        let mut out = Trickle {
            got: Vec::new(),
            calls: 0,
            stuck: true,
        };
        let mut slices = parts.map(IoSlice::new);
        let err = write_all_vectored(&mut out, &mut slices).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WriteZero);
    }

    #[test]
    fn data_in_pieces_is_written_as_the_same_line() {
        let pieces = [
            Bytes::from_static(b"abc"),
            Bytes::from(vec![b'x'; 70_000]),
            Bytes::from_static(b"def"),
        ];
        let data: String = pieces
            .iter()
            .map(|piece| std::str::from_utf8(piece).unwrap())
            .collect();
        for id_plain in [true, false] {
            let text = EventText {
                event_type: "tick",
                data: &data,
                id: "7",
                retry_ms: Some(5),
                named: true,
                sets_id: true,
                data_plain: true,
                id_plain,
                data_pieces: None,
            };
            let mut whole = Vec::new();
            let mut lines = LineWriter::default();
            lines.start_read(2, b"\"t\"");
            lines.write(&mut whole, &text, 9, None).unwrap();
            let mut in_pieces = Vec::new();
            let text = EventText {
                data: "",
                data_pieces: Some(&pieces),
                ..text
            };
            lines.write(&mut in_pieces, &text, 9, None).unwrap();
            assert_eq!(in_pieces, whole, "id plain: {id_plain}");
            assert!(whole.starts_with(b"{\"event\":\"tick\",\"data\":\"abcxxx"));
        }
    }

    #[test]
    fn lines_match_serde_json_byte_for_byte_but_for_terminal_controls() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        let texts = [
            String::new(),
            "plain".to_owned(),
            every_ascii.clone(),
            every_ascii.repeat(3)[5..].to_owned(),
            "\"quoted\" \\ back\\slash\u{7f}".to_owned(),
            "héllo → 世界 🦀\u{1}\u{1f}\u{ffff}".to_owned(),
            "12345678\"12345678\n1234567\\".to_owned(),
            "x".repeat(1000) + "\u{0}",
            "c1\u{85}\u{9b}[2J bidi\u{202e}\u{2066} zw\u{200b}\u{200d}\u{feff}\u{61c}\u{2028}\u{2029}\u{2060}".to_owned(),
            "near \u{a0}\u{600}\u{2010}\u{2030}\u{206a}\u{ff01}\u{fefe} “quotes” …".repeat(5),
        ];
        for text in &texts {
            for (name, retry) in [("", None), (text.as_str(), Some(3000))] {
                let e = event(name, text, text, retry);
                for (seq, attempt) in [(0, 0), (1, 1), (u64::MAX, u32::MAX)] {
                    let time = "2026-11-24T15:00:00.123Z";
                    assert_eq!(
                        ours(&e, seq, attempt, time),
                        expected(serde(&e, seq, attempt, time))
                    );
                }
            }
        }
    }

    #[test]
    fn lines_sharing_a_read_and_a_type_are_the_lines_written_alone() {
        let events = [
            event("tick", "a", "1", None),
            event("tick", "b\u{85}", "2", Some(5)),
            event("", "c", "2", None),
            event("", "d", "", None),
            event("t\"ock", "e", "3", None),
            event("tick", "f", "4", None),
        ];
        let reads = [
            (1, "2026-11-24T15:00:00.123Z"),
            (2, "2026-11-24T15:00:01.000Z"),
        ];
        let mut shared = LineWriter::default();
        let (mut together, mut alone) = (Vec::new(), Vec::new());
        for (attempt, time) in reads {
            let time = json_string(time);
            shared.start_read(attempt, &time);
            for (seq, e) in (1..).zip(&events) {
                let value = (seq % 2 == 0).then_some(Some("v"));
                shared
                    .write(&mut together, &EventText::from(e), seq, value)
                    .unwrap();
                write_event(&mut alone, e, seq, attempt, &time, value).unwrap();
            }
        }
        assert_eq!(String::from_utf8(together), String::from_utf8(alone));
    }

    #[test]
    fn numbers_kept_in_decimal_are_written_as_formatted() {
        let mut kept = Decimal::default();
        let sequences: [&[u64]; 4] = [
            &[1, 2, 3, 9, 10, 11, 99, 100, 101, 7, 8, 999_999, 1_000_000],
            &[0, 1, 0, 5, 6],
            &[u64::MAX - 1, u64::MAX, 0, 1],
            &[9_999_999_999_999_999_999, 10_000_000_000_000_000_000],
        ];
        for sequence in sequences {
            for &n in sequence {
                assert_eq!(kept.set(n), n.to_string().as_bytes(), "{n}");
            }
        }
        let mut counted = Decimal::default();
        for n in 1..=100_000u64 {
            assert_eq!(counted.set(n), n.to_string().as_bytes());
        }
    }

    #[test]
    fn terminal_controls_are_escaped_and_read_back_unchanged() {
        let set: Vec<char> = (0x7fu32..0xa0)
            .chain([0x61c, 0xfeff, 0x2028, 0x2029])
            .chain(0x200b..=0x200f)
            .chain(0x202a..=0x202e)
            .chain(0x2060..=0x2069)
            .filter_map(char::from_u32)
            .collect();
        for c in set {
            let text = format!("a{c}b");
            let json = String::from_utf8(json_string(&text)).expect("UTF-8");
            assert_eq!(json, format!("\"a\\u{:04x}b\"", c as u32));
            let back: String = serde_json::from_str(&json).expect("valid JSON");
            assert_eq!(back, text);
        }
    }

    #[test]
    fn every_byte_position_of_an_escape_is_found() {
        let letters: String = ('a'..='z').cycle().take(160).collect();
        // Every place in each path the search takes: up to two 64-byte
        // blocks, a 32-byte block after them, and the words and bytes left.
        // Multi-byte characters replace a letter, so each is tried at
        // every offset too, the ones near the set (same lead byte) included.
        let specials = [
            '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\u{61c}',
            '\u{600}', '\u{200b}', '\u{202e}', '\u{2069}', '→', '\u{feff}', '\u{ff01}', 'é', '世',
        ];
        for len in 0..160 {
            for at in 0..len {
                for special in specials {
                    let mut text: Vec<char> = letters[..len].chars().collect();
                    text[at] = special;
                    let text: String = text.into_iter().collect();
                    let mut out = Vec::new();
                    string(&mut out, &text).expect("a Vec takes writes");
                    let wanted = expected(serde_json::to_string(&text).expect("serializes"));
                    assert_eq!(String::from_utf8_lossy(&out), wanted, "{text:?}");
                }
            }
        }
    }
}
