//! What a tab's connection means beyond its events: the LLM answer being
//! assembled, what is wrong with the stream, and its timing. `update` feeds
//! it every connection message; the Answer, Checks and Stats views draw it.

use std::time::{Instant, SystemTime};

use crate::insight::diagnose::Diagnostics;
use crate::insight::llm::{ContentPath, Transcript};
use crate::insight::stats::{self, Stats};
use crate::sse::{ConnMsg, Event, StreamItem};

/// Events looked at for an LLM shape before a stream is taken for another
/// kind: a firehose should not pay a JSON parse per event for an answer
/// that is not there.
const SHAPE_LOOKAHEAD: u64 = 64;

#[derive(Debug, Default)]
pub struct Insight {
    pub transcript: Transcript,
    pub diagnostics: Diagnostics,
    pub stats: Stats,
    /// Where an event's text is, for an API not recognised by its shape.
    pub transcript_path: Option<ContentPath>,
    /// Events of the current attempt (the answer's), every one counted, also
    /// once the stream is no longer read for an answer.
    pub attempt_events: u64,
    /// The connection is MCP: its rows are messages made into events, not
    /// a stream the SSE diagnosis or an LLM answer could read; only the
    /// counts and timing are kept.
    pub mcp: bool,
}

impl Insight {
    /// A new connection: everything starts again (the path stays).
    pub fn restart(&mut self) {
        let path = self.transcript_path.take();
        *self = Self {
            transcript: Transcript::with_path(path.clone()),
            transcript_path: path,
            ..Self::default()
        };
    }

    pub fn observe(&mut self, msg: &ConnMsg, now: Instant) {
        let at = stats::arrival(msg, now, SystemTime::now());
        self.stats.observe(msg, at);
        if self.mcp {
            return;
        }
        self.diagnostics.observe(msg, at);
        if let ConnMsg::Data(chunk) = msg {
            let events = chunk.items.iter();
            self.attempt_events += events
                .filter(|item| matches!(item, StreamItem::Event { .. }))
                .count() as u64;
        }
        match msg {
            // Each attempt is a new answer: a resumed LLM stream does not
            // continue the old text.
            ConnMsg::Connecting { .. } => {
                self.attempt_events = 0;
                self.fresh_transcript(Some(SystemTime::now()));
            }
            ConnMsg::Data(chunk) if self.wants_events() => {
                for item in &chunk.items {
                    if let StreamItem::Event { event, .. } = item {
                        self.transcript
                            .push(event.event_type(), &event.data, chunk.received_at);
                    }
                }
            }
            _ => self.transcript.note_conn_msg(msg),
        }
    }

    /// Sets (or clears) the content path; the answer is assembled afresh
    /// from the next attempt.
    pub fn set_transcript_path(&mut self, path: Option<ContentPath>) {
        self.transcript_path = path;
    }

    /// The answer assembled afresh (with the current path) from events
    /// already received, with the time each was received, oldest first.
    /// Like live reading, it stops looking once the stream is taken for
    /// another kind.
    pub fn reassemble(&mut self, events: impl IntoIterator<Item = (Event, SystemTime)>) {
        self.fresh_transcript(self.transcript.started());
        for (event, at) in events {
            if !self.wants_events() {
                break;
            }
            self.transcript.push(event.event_type(), &event.data, at);
        }
    }

    /// An empty answer on the current path, started at `started`.
    fn fresh_transcript(&mut self, started: Option<SystemTime>) {
        self.transcript = Transcript::with_path(self.transcript_path.clone());
        if let Some(at) = started {
            self.transcript.set_started(at);
        }
    }

    fn wants_events(&self) -> bool {
        self.transcript.shape().is_some()
            || self.transcript.path().is_some()
            || self.transcript.other_events() < SHAPE_LOOKAHEAD
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use bytes::Bytes;

    use super::*;
    use crate::sse::{Chunk, Numbering, Parser};

    fn data(bytes: &[u8]) -> ConnMsg {
        let (mut items, mut seq) = (Vec::new(), 0);
        let mut numbered = Numbering {
            items: &mut items,
            seq: &mut seq,
        };
        Parser::default().feed(bytes, &mut numbered).unwrap();
        ConnMsg::Data(Chunk {
            attempt: 1,
            offset: 0,
            bytes: Bytes::copy_from_slice(bytes),
            received_at: UNIX_EPOCH + Duration::from_secs(1),
            items,
            facts: None,
        })
    }

    #[test]
    fn an_llm_stream_is_assembled_and_a_plain_one_stops_being_parsed_for_it() {
        let mut insight = Insight::default();
        insight.observe(
            &data(b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"),
            Instant::now(),
        );
        assert_eq!(insight.transcript.text(), "Hi");
        assert_eq!(insight.stats.events(), 1);

        let mut plain = Insight::default();
        let many: String = (0..100).map(|n| format!("data: {n}\n\n")).collect();
        plain.observe(&data(many.as_bytes()), Instant::now());
        plain.observe(&data(b"data: 100\n\n"), Instant::now());
        assert_eq!(
            plain.transcript.other_events(),
            100,
            "looked at one read, then no more"
        );
        assert_eq!(plain.stats.events(), 101, "timing still counts every event");
    }
}
