//! Fuzzes the sans-IO SSE parser: arbitrary bytes, fed in arbitrary reads,
//! with or without a small size limit. Checks the invariants the rest of the
//! app relies on, not just the absence of panics:
//! - the same items, error, discarded tail, last event ID and reconnection
//!   time whether the stream comes in one read or in pieces;
//! - raw ranges are non-empty, in order, disjoint, inside the input and end on
//!   a line ending, and the discarded tail comes after them and reaches the end;
//! - without an error every byte is consumed; dispatched text holds no line ending.
//!
//! Input layout: byte 0 picks the size limit, byte 1 the number of splits (up
//! to 15), then two bytes per split point; the rest is the stream.

#![no_main]

use std::ops::Range;

use libfuzzer_sys::fuzz_target;
use ssetui::sse::{Item, ParseError, Parser, ParserConfig};

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    items: Vec<Item>,
    error: Option<ParseError>,
    discarded: Option<Range<u64>>,
    last_event_id: String,
    reconnection_time_ms: Option<u64>,
    position: u64,
}

fn run(max_event_size: usize, chunks: &[&[u8]]) -> Outcome {
    let mut parser = Parser::new(ParserConfig {
        max_event_size,
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    let mut error = None;
    for chunk in chunks {
        if let Err(err) = parser.feed(chunk, &mut items) {
            error = Some(err);
            break;
        }
    }
    let discarded = parser.finish();
    Outcome {
        items,
        error,
        discarded,
        last_event_id: parser.last_event_id().to_owned(),
        reconnection_time_ms: parser.reconnection_time_ms(),
        position: parser.position(),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else {
        return;
    };
    let Some((&splits, rest)) = rest.split_first() else {
        return;
    };
    let max_event_size = if limit & 0x80 == 0 {
        usize::MAX
    } else {
        usize::from(limit & 0x7F)
    };
    let count = usize::from(splits % 16).min(rest.len() / 2);
    let (points, input) = rest.split_at(count * 2);
    let mut at: Vec<usize> = points
        .chunks_exact(2)
        .map(|p| usize::from(u16::from_le_bytes([p[0], p[1]])) % (input.len() + 1))
        .collect();
    at.sort_unstable();
    let mut chunks = Vec::with_capacity(at.len() + 1);
    let mut start = 0;
    for end in at {
        chunks.push(&input[start..end]);
        start = end;
    }
    chunks.push(&input[start..]);

    let whole = run(max_event_size, &[input]);
    let pieces = run(max_event_size, &chunks);
    // Split independence. With an error, the split may change how far the
    // parser read before refusing, but not what it delivered nor that it refused.
    assert_eq!(pieces.items, whole.items, "chunks {chunks:?}");
    assert_eq!(pieces.error.is_some(), whole.error.is_some());
    if whole.error.is_none() {
        assert_eq!(pieces, whole, "chunks {chunks:?}");
        assert_eq!(whole.position, input.len() as u64, "every byte consumed");
    }

    let end = input.len() as u64;
    let mut previous_end = 0;
    for item in &whole.items {
        let raw = item.raw();
        assert!(raw.start < raw.end, "empty raw {raw:?}");
        assert!(raw.start >= previous_end, "{raw:?} before {previous_end}");
        assert!(raw.end <= end);
        let last = input[(raw.end - 1) as usize];
        assert!(last == b'\n' || last == b'\r', "raw {raw:?} ends mid-line");
        previous_end = raw.end;
        if let Item::Event(event) = item {
            assert!(!event.data.contains('\r'), "CR in data {event:?}");
            assert!(!event.event.contains(['\r', '\n']), "line ending in type {event:?}");
            assert!(!event.id.contains(['\0', '\r', '\n']), "bad id {event:?}");
        }
    }
    if let Some(tail) = &whole.discarded {
        assert!(tail.start >= previous_end, "tail {tail:?} overlaps {previous_end}");
        assert!(tail.start < tail.end && tail.end == whole.position, "tail {tail:?}");
    }
});
