//! Each MCP message as a row of the tab's log: an event whose type is the
//! way it went and the stream it went on (`→ post-7` sent, `← get`
//! received: see [`row_type`]), whose data is the
//! message, and whose bytes are what crossed the wire for it (the SSE
//! event's lines, the JSON body, the POST's body). So every tool of a
//! plain SSE tab (search, `jq:`, Raw, Wire, save, record) works on them.

use std::time::SystemTime;

use bytes::Bytes;

use crate::mcp::record::{Direction, Record};
use crate::sse::{ByteString, Chunk, Event, StreamItem};

/// Numbers the rows and places their bytes, as one connection's reads.
#[derive(Debug, Default)]
pub struct Rows {
    offset: u64,
    seq: u64,
}

impl Rows {
    /// `record` as one read holding one event.
    pub fn chunk(&mut self, record: &Record) -> Chunk {
        let data = match &record.message {
            Ok(value) => value.to_string(),
            Err(text) => text.clone(),
        };
        let bytes = if record.raw.is_empty() {
            Bytes::from(data.clone().into_bytes())
        } else {
            Bytes::from(record.raw.clone())
        };
        let start = self.offset;
        self.offset += bytes.len() as u64;
        self.seq += 1;
        let event = Event {
            event: ByteString::from(row_type(record.direction, &record.stream)),
            data: ByteString::from(data),
            id: ByteString::from(record.event_id.clone().unwrap_or_default()),
            sets_id: record.event_id.is_some(),
            retry_ms: None,
            raw: start..self.offset,
        };
        Chunk {
            attempt: 1,
            offset: start,
            bytes,
            received_at: SystemTime::now(),
            items: vec![StreamItem::Event {
                seq: self.seq,
                event,
            }],
            facts: None,
        }
    }
}

const SENT: &str = "→ ";
const RECEIVED: &str = "← ";

/// A row's type: the arrow of its direction, a space, its stream.
pub fn row_type(direction: Direction, stream: &str) -> String {
    let arrow = match direction {
        Direction::Sent => SENT,
        Direction::Received => RECEIVED,
    };
    format!("{arrow}{stream}")
}

/// A row type's direction and stream; `None` for a type no MCP row has.
pub fn parse_row_type(row_type: &str) -> Option<(Direction, &str)> {
    if let Some(stream) = row_type.strip_prefix(SENT) {
        return Some((Direction::Sent, stream));
    }
    row_type
        .strip_prefix(RECEIVED)
        .map(|stream| (Direction::Received, stream))
}
