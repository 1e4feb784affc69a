//! How a response body is read: as an event stream (the spec's way, or
//! forced on a body of another type), or as NDJSON, a JSON value a line, as
//! several LLM APIs stream (Ollama, some gateways). An NDJSON line becomes a
//! `message` event whose data is the line, so everything downstream (the
//! list, search, jq, the Answer view, `print`) works on it unchanged.

use std::ops::Range;

use bytes::Bytes;
use bytestring::ByteString;

use super::parser::{Dispatched, Event, ItemSink, ParseError, Parser, ParserConfig};

/// What the engine does with a response's body (`--parse-as`). A capture's
/// header records it under the same names, so the capture reads back as it was read.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum BodyFormat {
    /// `text/event-stream` required, as the spec says; any other type fails
    #[default]
    #[value(name = "event-stream")]
    #[serde(rename = "event-stream")]
    EventStream,
    /// Parsed as an event stream whatever its Content-Type
    #[value(name = "sse")]
    #[serde(rename = "sse")]
    ForceSse,
    /// One event per line (a JSON value a line), whatever its Content-Type
    #[serde(rename = "ndjson")]
    Ndjson,
}

impl BodyFormat {
    /// Whether the response's `Content-Type` must be `text/event-stream`
    /// (the default format).
    pub fn requires_event_stream(&self) -> bool {
        *self == Self::EventStream
    }
}

/// The body parser of one attempt.
#[derive(Debug)]
#[expect(
    clippy::large_enum_variant,
    reason = "one per attempt, held in place while it reads: boxing would only add a pointer to follow per read"
)]
pub enum BodyParser {
    Sse(Parser),
    Ndjson(Lines),
}

impl BodyParser {
    pub fn new(format: BodyFormat, config: ParserConfig) -> Self {
        match format {
            BodyFormat::EventStream | BodyFormat::ForceSse => Self::Sse(Parser::new(config)),
            BodyFormat::Ndjson => Self::Ndjson(Lines::new(config)),
        }
    }

    /// [`Parser::note_plain`] (an event stream's; NDJSON's events are kept).
    pub fn note_plain(&mut self, on: bool) {
        if let Self::Sse(parser) = self {
            parser.note_plain(on);
        }
    }

    pub fn feed(&mut self, chunk: &Bytes, out: &mut dyn ItemSink) -> Result<(), ParseError> {
        match self {
            Self::Sse(parser) => parser.feed_bytes(chunk, out),
            Self::Ndjson(lines) => lines.feed(chunk, out),
        }
    }

    /// At the end of the body: the range of an unfinished block, dropped.
    pub fn finish(&mut self) -> Option<Range<u64>> {
        match self {
            Self::Sse(parser) => parser.finish(),
            Self::Ndjson(lines) => lines.finish(),
        }
    }

    pub fn last_event_id(&self) -> &str {
        match self {
            Self::Sse(parser) => parser.last_event_id(),
            Self::Ndjson(lines) => &lines.last_event_id,
        }
    }

    pub fn reconnection_time_ms(&self) -> Option<u64> {
        match self {
            Self::Sse(parser) => parser.reconnection_time_ms(),
            Self::Ndjson(_) => None,
        }
    }

    /// What the event-stream parser learnt of the reads since the last call;
    /// `None` for NDJSON (not an event stream's facts).
    pub fn take_facts(&mut self) -> Option<super::ReadFacts> {
        match self {
            Self::Sse(parser) => Some(parser.take_facts()),
            Self::Ndjson(_) => None,
        }
    }
}

/// NDJSON: each non-blank line (LF or CRLF ended) is an event. A last line
/// without its newline is dropped at the end, as an unfinished SSE block is.
#[derive(Debug)]
pub struct Lines {
    /// The bytes of the line being read.
    line: Vec<u8>,
    /// Stream offset of the line's first byte.
    line_start: u64,
    /// Stream offset of the next byte fed.
    pos: u64,
    max: usize,
    /// Carried over from the previous attempt: NDJSON has no ids of its own.
    last_event_id: ByteString,
    failed: Option<ParseError>,
}

impl Lines {
    pub fn new(config: ParserConfig) -> Self {
        Self {
            line: Vec::new(),
            line_start: config.start_offset,
            pos: config.start_offset,
            max: config.max_event_size,
            last_event_id: ByteString::from(config.last_event_id),
            failed: None,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], out: &mut dyn ItemSink) -> Result<(), ParseError> {
        if let Some(err) = &self.failed {
            return Err(err.clone());
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let Some(at) = memchr::memchr(b'\n', rest) else {
                self.line.extend_from_slice(rest);
                self.pos += rest.len() as u64;
                return self.check_size();
            };
            self.line.extend_from_slice(&rest[..at]);
            self.pos += at as u64 + 1;
            rest = &rest[at + 1..];
            self.check_size()?;
            self.dispatch(out);
        }
        Ok(())
    }

    fn check_size(&mut self) -> Result<(), ParseError> {
        if self.line.len() > self.max {
            let err = ParseError::EventTooLarge {
                limit: self.max,
                size: self.line.len(),
            };
            self.failed = Some(err.clone());
            return Err(err);
        }
        Ok(())
    }

    /// The line just ended (its `\n` consumed) becomes an event, unless blank.
    fn dispatch(&mut self, out: &mut dyn ItemSink) {
        let mut end = self.line.len();
        if self.line.last() == Some(&b'\r') {
            end -= 1;
        }
        let text = String::from_utf8_lossy(&self.line[..end]);
        if !text.trim().is_empty() {
            let event = Event {
                event: ByteString::new(),
                data: text.into_owned().into(),
                id: self.last_event_id.clone(),
                // NDJSON has no id field: the client's Last-Event-ID stays in force.
                sets_id: false,
                retry_ms: None,
                raw: self.line_start..self.line_start + end as u64,
            };
            out.event(Dispatched::of(&event));
        }
        self.line.clear();
        self.line_start = self.pos;
    }

    pub fn finish(&mut self) -> Option<Range<u64>> {
        let discarded = (self.line_start < self.pos).then_some(self.line_start..self.pos);
        self.line.clear();
        self.line_start = self.pos;
        discarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::Item;

    /// The events' data and raw ranges, and what `finish` dropped.
    type Parsed = (Vec<(String, Range<u64>)>, Option<Range<u64>>);

    fn events(format: BodyFormat, reads: &[&[u8]]) -> Parsed {
        let mut parser = BodyParser::new(format, ParserConfig::default());
        let mut items = Vec::new();
        for read in reads {
            parser
                .feed(&Bytes::copy_from_slice(read), &mut items)
                .unwrap();
        }
        let events = items
            .into_iter()
            .filter_map(|item| match item {
                Item::Event(e) => Some((e.data.to_string(), e.raw)),
                Item::Block(_) => None,
            })
            .collect();
        (events, parser.finish())
    }

    #[test]
    fn each_ndjson_line_is_an_event_however_the_reads_split_it() {
        let body: &[u8] = b"{\"a\":1}\n\n{\"b\":\r\n\"x\xffy\"}\r\n{\"tail\"";
        let whole = events(BodyFormat::Ndjson, &[body]);
        assert_eq!(
            whole.0,
            [
                ("{\"a\":1}".to_owned(), 0..7),
                ("{\"b\":".to_owned(), 9..14),
                ("\"x\u{fffd}y\"}".to_owned(), 16..22),
            ]
        );
        assert_eq!(whole.1, Some(24..31), "the unfinished last line is dropped");
        for split in 1..body.len() {
            let (a, b) = body.split_at(split);
            assert_eq!(
                events(BodyFormat::Ndjson, &[a, b]),
                whole,
                "split at {split}"
            );
        }
    }

    #[test]
    fn a_line_over_the_limit_fails_and_stays_failed() {
        let mut lines = Lines::new(ParserConfig {
            max_event_size: 4,
            ..ParserConfig::default()
        });
        let mut out = Vec::new();
        assert!(lines.feed(b"1234", &mut out).is_ok());
        assert!(lines.feed(b"5\n", &mut out).is_err());
        assert!(lines.feed(b"1\n", &mut out).is_err());
        assert!(out.is_empty());
    }

    #[test]
    fn forced_sse_parses_as_the_spec_says() {
        let (events, _) = events(BodyFormat::ForceSse, &[b"data: x\n\n"]);
        assert_eq!(events, [("x".to_owned(), 0..8)]);
        assert!(!BodyFormat::ForceSse.requires_event_stream());
        assert!(BodyFormat::EventStream.requires_event_stream());
    }
}
