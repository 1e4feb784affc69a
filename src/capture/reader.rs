//! Reads a capture file back, and re-derives its events with the same parser
//! the live connection uses.
//!
//! A capture cut short (a crash, a full disk) or damaged later must still
//! open: reading stops at the first line that is not a valid record, keeps
//! everything before it and says where and why in [`Capture::damaged`].

use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::format::{Header, Line, Record, VERSION};
use bytes::Bytes;

use crate::limits::file;
use crate::sse::{BodyParser, Event, Item, ParserConfig};

/// A capture file that cannot be opened at all.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// Not a regular file (a device, a FIFO), or cannot be opened.
    #[error(transparent)]
    File(#[from] file::ReadError),
    #[error("not an ssetui capture: line 1: {0}")]
    BadHeader(String),
    #[error(
        "capture format version {found} is not supported (this ssetui reads version {VERSION})"
    )]
    Version { found: u32 },
    /// The recorded method is not an HTTP token: the file was edited or
    /// made by hand, and its request cannot be shown, exported or sent.
    #[error("the capture's request: {0}")]
    Method(#[from] crate::request::InvalidMethod),
}

/// A capture read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capture {
    pub header: Header,
    /// The records in file order, up to any damage.
    pub records: Vec<Record>,
    /// Where reading stopped early and why, e.g. `line 7: truncated record (EOF while parsing an object)`.
    pub damaged: Option<String>,
}

/// One event re-derived from a capture's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedEvent {
    pub attempt: u32,
    /// Milliseconds since the capture started: the time of the read that completed the event.
    pub t: u64,
    pub event: Event,
}

/// Reads the capture at `path`: a regular file, read a line at a time, each
/// line at most 64 MiB (a longer one is damage, as a bad record is).
pub fn read(path: &Path) -> Result<Capture, CaptureError> {
    let io_error = |source| CaptureError::Io {
        path: path.to_owned(),
        source,
    };
    let file = file::open(path)?;
    parse(BufReader::new(file)).map_err(|err| match err {
        ParseFailure::Io(source) => io_error(source),
        ParseFailure::Capture(err) => err,
    })
}

/// Reads a capture from any byte source (what [`read`] does after opening the file).
pub fn from_reader(input: impl BufRead) -> Result<Capture, CaptureError> {
    parse(input).map_err(|err| match err {
        ParseFailure::Io(source) => CaptureError::Io {
            path: PathBuf::from("<input>"),
            source,
        },
        ParseFailure::Capture(err) => err,
    })
}

enum ParseFailure {
    Io(io::Error),
    Capture(CaptureError),
}

fn parse(mut input: impl BufRead) -> Result<Capture, ParseFailure> {
    let mut buf = Vec::new();
    let first = file::read_line(&mut input, &mut buf, file::RECORDING_LINE);
    if first
        .as_ref()
        .is_err_and(|e| e.kind() == io::ErrorKind::InvalidData)
    {
        let why = first.err().map(|e| e.to_string()).unwrap_or_default();
        return Err(ParseFailure::Capture(CaptureError::BadHeader(why)));
    }
    if first.map_err(ParseFailure::Io)? == 0 {
        return Err(ParseFailure::Capture(CaptureError::BadHeader(
            "the file is empty".into(),
        )));
    }
    let header = parse_header(&buf).map_err(ParseFailure::Capture)?;
    let mut records = Vec::new();
    let mut damaged = None;
    let mut attempt = 0;
    for number in 2.. {
        match file::read_line(&mut input, &mut buf, file::RECORDING_LINE) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => {
                damaged = Some(format!("line {number}: {err}"));
                break;
            }
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_record(&buf, &mut attempt) {
            Ok(record) => records.push(record),
            Err(why) => {
                damaged = Some(format!("line {number}: {why}"));
                break;
            }
        }
    }
    Ok(Capture {
        header,
        records,
        damaged,
    })
}

fn parse_header(line: &[u8]) -> Result<Header, CaptureError> {
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| CaptureError::BadHeader(e.to_string()))?;
    // The version first: a newer file's header may not fit this version's shape.
    match value.get("ssecap").and_then(serde_json::Value::as_u64) {
        None => {
            return Err(CaptureError::BadHeader(
                "no \"ssecap\" version field".into(),
            ));
        }
        Some(found) if found != u64::from(VERSION) => {
            return Err(CaptureError::Version {
                found: u32::try_from(found).unwrap_or(u32::MAX),
            });
        }
        Some(_) => {}
    }
    let header: Header =
        serde_json::from_value(value).map_err(|e| CaptureError::BadHeader(e.to_string()))?;
    crate::request::parse_method(&header.request.method)?;
    Ok(header)
}

/// One record line; `attempt` is the attempt last opened, which reads belong to.
fn parse_record(line: &[u8], attempt: &mut u32) -> Result<Record, String> {
    let complete = line.ends_with(b"\n");
    let line: Line = serde_json::from_slice(line).map_err(|e| {
        if e.is_eof() || !complete {
            format!("truncated record ({e})")
        } else {
            format!("not a valid record ({e})")
        }
    })?;
    let kinds = [
        line.open.is_some(),
        line.read.is_some(),
        line.ended.is_some(),
        line.error.is_some(),
        line.reconnect.is_some(),
        line.close.is_some(),
        line.negotiated.is_some(),
        line.message.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        return Err(
            "a record needs exactly one of open, read, ended, error, reconnect, close, negotiated, message".into(),
        );
    }
    let t = line.t;
    let this = line.attempt.unwrap_or(*attempt);
    Ok(if let Some(open) = line.open {
        *attempt = this;
        Record::Open {
            t,
            attempt: this,
            open,
        }
    } else if let Some(read) = line.read {
        let bytes = STANDARD
            .decode(read.as_bytes())
            .map_err(|e| format!("bad base64 in \"read\" ({e})"))?;
        Record::Read {
            t,
            attempt: this,
            bytes,
        }
    } else if let Some(discarded) = line.ended {
        Record::Ended {
            t,
            attempt: this,
            discarded,
            end_marker: line.end_marker,
        }
    } else if let Some(message) = line.error {
        Record::Error {
            t,
            attempt: this,
            message,
            response: line.response,
        }
    } else if let Some(reconnect) = line.reconnect {
        Record::Reconnect { t, reconnect }
    } else if let Some(negotiation) = line.negotiated {
        Record::Negotiated {
            t,
            attempt: this,
            negotiation,
        }
    } else if let Some(message) = line.message {
        let direction = match message.direction.as_str() {
            "sent" => crate::mcp::Direction::Sent,
            "received" => crate::mcp::Direction::Received,
            other => {
                return Err(format!(
                    "a message's direction is sent or received, not {:?}",
                    crate::text::one_line(other).to_string()
                ));
            }
        };
        let raw = STANDARD
            .decode(message.raw.as_bytes())
            .map_err(|e| format!("bad base64 in a message's \"raw\" ({e})"))?;
        let value = serde_json::from_str(&message.data).map_err(|_| message.data.clone());
        Record::Message {
            t,
            message: Box::new(crate::mcp::Record {
                stream: message.stream,
                direction,
                message: value,
                problem: None,
                event_id: message.event_id,
                raw,
            }),
        }
    } else {
        Record::Close {
            t,
            reason: line.close.unwrap_or_default(),
        }
    })
}

impl Capture {
    /// The events the captured bytes make, attempt by attempt, parsed as the
    /// live connection parsed them (as an event stream or NDJSON, as the
    /// header says): one parser per attempt, the last event ID
    /// carried over, stream offsets counting over the whole capture. An attempt
    /// whose bytes the parser refuses (an oversized event) yields what came before.
    pub fn events(&self) -> Vec<CapturedEvent> {
        let mut events = Vec::new();
        let mut parser: Option<(u32, BodyParser)> = None;
        let mut last_id = self.header.request.last_event_id.clone();
        let mut offset = 0u64;
        let mut items = Vec::new();
        for record in &self.records {
            let Record::Read { t, attempt, bytes } = record else {
                continue;
            };
            if parser.as_ref().is_none_or(|(a, _)| a != attempt) {
                if let Some((_, old)) = &parser {
                    last_id = old.last_event_id().to_owned();
                }
                parser = Some((*attempt, self.body_parser(last_id.clone(), offset)));
            }
            offset += bytes.len() as u64;
            let Some((_, p)) = parser.as_mut() else {
                continue;
            };
            items.clear();
            // A refused stream (an oversized event) keeps the events before the refusal.
            let _ = p.feed(&Bytes::copy_from_slice(bytes), &mut items);
            events.extend(items.drain(..).filter_map(|item| match item {
                Item::Event(event) => Some(CapturedEvent {
                    attempt: *attempt,
                    t: *t,
                    event,
                }),
                Item::Block(_) => None,
            }));
        }
        events
    }

    /// A parser for one attempt's body as the live connection made it: the
    /// body format the header records, the last event ID carried in, stream
    /// offsets counted from `start_offset`.
    pub fn body_parser(&self, last_event_id: String, start_offset: u64) -> BodyParser {
        let config = ParserConfig {
            last_event_id,
            start_offset,
            ..ParserConfig::default()
        };
        BodyParser::new(self.header.request.parse_as, config)
    }

    /// The reads of one attempt, in order, with their times.
    pub fn reads(&self, attempt: u32) -> impl Iterator<Item = (u64, &[u8])> {
        self.records.iter().filter_map(move |r| match r {
            Record::Read {
                t,
                attempt: a,
                bytes,
            } if *a == attempt => Some((*t, bytes.as_slice())),
            _ => None,
        })
    }

    /// The first attempt that has a response or bytes, if any.
    pub fn first_attempt(&self) -> Option<u32> {
        self.records.iter().find_map(|r| match r {
            Record::Open { attempt, .. } | Record::Read { attempt, .. } => Some(*attempt),
            _ => None,
        })
    }
}
