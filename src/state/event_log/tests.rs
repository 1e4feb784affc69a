use bytes::Bytes;

use super::*;
use crate::sse::{Numbering, Parser};

/// A log fed `reads` through the real parser, a chunk per read.
fn fed(log: &mut EventLog, parser: &mut Parser, offset: &mut u64, seq: &mut u64, read: &[u8]) {
    let mut items = Vec::new();
    parser
        .feed(
            read,
            &mut Numbering {
                items: &mut items,
                seq,
            },
        )
        .unwrap();
    log.push_chunk(Chunk {
        attempt: 1,
        offset: *offset,
        bytes: Bytes::copy_from_slice(read),
        received_at: UNIX_EPOCH + Duration::from_millis(1_500),
        items,
        facts: None,
    });
    *offset += read.len() as u64;
}

fn log_of(reads: &[&[u8]], caps: (usize, usize)) -> (EventLog, Vec<StreamItem>) {
    let mut log = EventLog::new(caps.0, caps.1);
    let (mut parser, mut offset, mut seq) = (Parser::default(), 0, 0);
    // The items as the parser gave them, for comparison.
    let (mut check, mut all, mut check_seq) = (Parser::default(), Vec::new(), 0);
    for read in reads {
        fed(&mut log, &mut parser, &mut offset, &mut seq, read);
        let mut numbered = Numbering {
            items: &mut all,
            seq: &mut check_seq,
        };
        check.feed(read, &mut numbered).unwrap();
    }
    (log, all)
}

fn events(log: &EventLog) -> Vec<(u64, Event)> {
    log.rows()
        .filter_map(|row| match row.kind {
            RowKind::Event { seq, event } => Some((seq, event)),
            _ => None,
        })
        .collect()
}

#[test]
fn a_capped_row_holds_the_start_of_the_data_and_its_full_length() {
    // One event stored as a place in the wire bytes, one built from two
    // data lines (a string of its own), one cut across two reads.
    let (log, _) = log_of(
        &[
            "data: é€abc\n\n".as_bytes(),
            b"data: one\ndata: two\n\n",
            b"data: split ac",
            b"ross reads\n\n",
        ],
        (100, 1 << 20),
    );
    let data = |row: Row| match row.kind {
        RowKind::Event { event, .. } => event.data.to_string(),
        other => panic!("{other:?}"),
    };
    let cases = [
        (0, 4, "é", "é€abc".len()),
        (0, 2, "é", "é€abc".len()),
        (0, 1, "", "é€abc".len()),
        (1, 5, "one\nt", 7),
        (2, 9, "split acr", 18),
        (2, usize::MAX, "split across reads", 18),
    ];
    for (index, max, shown, len) in cases {
        let (row, full) = log.get_capped(index, max).unwrap();
        assert_eq!((data(row), full), (shown.to_owned(), len), "{index} {max}");
    }
    assert_eq!(data(log.get(0).unwrap()), "é€abc");
}

#[test]
fn rows_are_rebuilt_exactly_as_the_parser_gave_them() {
    let reads: &[&[u8]] = &[
        b"id: 7\nevent: tick\ndata: {\"n\":1}\n\n",
        // The id carries over; data of several lines; a type seen before.
        b"event: tick\ndata: a\ndata: b\n\n",
        b"data: x\r\n\r\ndata: \xff\xfe bad\n\n",
        // Split across reads, with a retry, an empty data and a comment.
        b"id: 8\nret",
        b"ry: 50\ndata: later\n\ndata\n\n: keep-alive\n\n",
        b"event: \xe6\x97\xa5\ndata: 1\n\n",
    ];
    let (log, items) = log_of(reads, (100, 1 << 20));
    let expected: Vec<(u64, Event)> = items
        .iter()
        .filter_map(|item| match item {
            StreamItem::Event { seq, event } => Some((*seq, event.clone())),
            StreamItem::Block(_) => None,
        })
        .collect();
    assert_eq!(expected.len(), 7);
    assert_eq!(events(&log), expected);
    assert_eq!(log.events_received(), 7);
    assert!(log.is_block(6), "the keep-alive is a block");
    assert!(!log.is_block(0));
    assert_eq!(
        log.received_at(0),
        Some(UNIX_EPOCH + Duration::from_millis(1_500))
    );
}

#[test]
fn a_100_byte_event_is_stored_in_a_small_fixed_slot() {
    // The figure the UI benchmark's RSS per event rests on.
    assert!(
        std::mem::size_of::<Slot>() <= 80,
        "{}",
        std::mem::size_of::<Slot>()
    );
    let data = "x".repeat(100);
    let read = format!("id: 1\nevent: tick\ndata: {data}\n\n");
    let (log, _) = log_of(&[read.as_bytes()], (10, 1 << 20));
    let slot = log.store.slots.first().unwrap();
    assert!(
        matches!(
            &slot.body,
            Body::Event {
                id: Text::Raw { .. },
                data: Text::Raw { len: 100, .. },
                ..
            }
        ),
        "{slot:?}"
    );
}

#[test]
fn rows_go_with_their_bytes_but_the_newest_row_stays() {
    let (log, _) = log_of(
        &[b"data: first event\n\n", b"data: second event\n\n"],
        (100, 24),
    );
    assert_eq!(
        log.len(),
        1,
        "the first event's bytes are gone, so is its row"
    );
    assert_eq!(log.dropped_rows(), 1);
    assert_eq!(events(&log)[0].1.data, "second event");
    // One event larger than the cap is kept whole.
    let big = format!("data: {}\n\n", "y".repeat(100));
    let (log, _) = log_of(&[big.as_bytes()], (100, 24));
    assert_eq!(events(&log)[0].1.data, "y".repeat(100));
    assert_eq!(log.wire_span().start, 0);
}

#[test]
fn markers_leave_with_the_bytes_before_them() {
    let mut log = EventLog::new(100, 16);
    log.push_marker(1, "connected".into(), None, None);
    let (mut parser, mut offset, mut seq) = (Parser::default(), 0, 0);
    fed(
        &mut log,
        &mut parser,
        &mut offset,
        &mut seq,
        b"data: 0123456789\n\n",
    );
    assert_eq!(log.len(), 2, "nothing before the marker was dropped");
    fed(
        &mut log,
        &mut parser,
        &mut offset,
        &mut seq,
        b"data: abcdefghij\n\n",
    );
    let kinds: Vec<_> = log.rows().map(|r| r.kind).collect();
    assert!(
        matches!(&kinds[..], [RowKind::Event { seq: 2, .. }]),
        "{kinds:?}"
    );
}

#[test]
fn the_row_cap_drops_the_oldest() {
    let reads: Vec<Vec<u8>> = (0..5)
        .map(|n| format!("data: {n}\n\n").into_bytes())
        .collect();
    let reads: Vec<&[u8]> = reads.iter().map(Vec::as_slice).collect();
    let (log, _) = log_of(&reads, (3, 1 << 20));
    let data: Vec<String> = events(&log)
        .into_iter()
        .map(|(_, e)| e.data.to_string())
        .collect();
    assert_eq!(data, ["2", "3", "4"]);
    assert_eq!(log.dropped_rows(), 2);
}

#[test]
fn after_dropped_rows_a_replay_starts_at_the_first_retained_row_and_rows_since_counts_them() {
    let read: String = (0..5).map(|n| format!("id: {n}\ndata: {n}\n\n")).collect();
    let (mut log, _) = log_of(&[read.as_bytes()], (4, 1 << 20));
    log.push_marker(
        1,
        "closed".into(),
        None,
        Some(ConnMsg::Closed {
            reason: crate::sse::CloseReason::Stopped,
        }),
    );
    assert_eq!(
        log.dropped_rows(),
        2,
        "rows 0 and 1 went; their bytes stayed"
    );

    let replayed = log.replay();
    let bytes: Vec<u8> = replayed
        .iter()
        .filter_map(|(_, msg)| match msg {
            ConnMsg::Data(chunk) => Some(chunk.bytes.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(
        bytes,
        b"id: 2\ndata: 2\n\nid: 3\ndata: 3\n\nid: 4\ndata: 4\n\n"
    );
    assert!(
        matches!(replayed.last(), Some((_, ConnMsg::Closed { .. }))),
        "the marker's message last: {replayed:?}"
    );

    let kinds = |first| -> Vec<String> {
        log.rows_since(first)
            .map(|row| match row.kind {
                RowKind::Event { event, .. } => event.data.to_string(),
                RowKind::Marker(text) => text,
                RowKind::Block(_) => "block".into(),
            })
            .collect()
    };
    assert_eq!(kinds(3), ["3", "4", "closed"]);
    assert_eq!(kinds(0), ["2", "3", "4", "closed"], "from the oldest kept");
    assert!(kinds(9).is_empty());
}
