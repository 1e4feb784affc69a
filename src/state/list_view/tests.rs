use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;

use super::*;
use crate::sse::{Chunk, Numbering, Parser, ParserConfig};

/// A log holding `bytes` as one read from `offset`, capped at `max_rows`.
fn log_of(bytes: &[u8], max_rows: usize) -> EventLog {
    let mut log = EventLog::new(max_rows, 1 << 20);
    push(&mut log, bytes, 0);
    log
}

fn push(log: &mut EventLog, bytes: &[u8], offset: u64) {
    let mut parser = Parser::new(ParserConfig {
        start_offset: offset,
        ..ParserConfig::default()
    });
    let (mut items, mut seq) = (Vec::new(), log.events_received());
    let mut numbered = Numbering {
        items: &mut items,
        seq: &mut seq,
    };
    parser.feed(bytes, &mut numbered).unwrap();
    log.push_chunk(Chunk {
        attempt: 1,
        offset,
        bytes: Bytes::copy_from_slice(bytes),
        received_at: UNIX_EPOCH + Duration::from_secs(1),
        items,
        facts: None,
    });
}

/// The absolute row numbers listed.
fn listed(list: &ListView) -> Vec<u64> {
    (0..list.len()).filter_map(|p| list.absolute(p)).collect()
}

#[test]
fn window_follows_the_newest_or_scrolls_a_line_at_a_time() {
    // Following: the newest rows.
    assert_eq!(window_start(100, 10, Some(99), true, 0), 90);
    // The selection inside the window: the window stays.
    assert_eq!(window_start(100, 10, Some(15), false, 10), 10);
    assert_eq!(window_start(100, 10, Some(12), false, 5), 5);
    // One below the window: it moves by one line, not a page.
    assert_eq!(window_start(100, 10, Some(15), false, 5), 6);
    // Above it: the selection becomes the first row.
    assert_eq!(window_start(100, 10, Some(3), false, 5), 3);
    // Never past the last full window, even with a stale offset.
    assert_eq!(window_start(95, 10, Some(92), false, 90), 85);
    // Fewer rows than the height, no rows, no height.
    assert_eq!(window_start(3, 10, Some(1), false, 2), 0);
    assert_eq!(window_start(0, 10, None, true, 0), 0);
    assert_eq!(window_start(5, 0, Some(4), false, 0), 4);
    for offset in [0, 3, 500, 999, usize::MAX] {
        for sel in 0..1000 {
            let start = window_start(1000, 7, Some(sel), false, offset);
            assert!(start <= sel && sel < start + 7, "{offset} {sel} {start}");
        }
    }
}

#[test]
fn following_selects_the_newest_row_listed() {
    let log = log_of(b"data: 1\n\ndata: 2\n\n", 100);
    let mut list = ListView::default();
    list.append(&log, &Search::default(), 0);
    assert_eq!(listed(&list), [0, 1]);
    assert_eq!(list.selected(), Some(1));
    assert!(list.is_following());
}

#[test]
fn moving_up_stops_following_and_reaching_the_end_moving_down_resumes() {
    let log = log_of(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 100);
    let mut list = ListView::default();
    list.append(&log, &Search::default(), 0);
    assert!(list.move_by(-1));
    assert_eq!((list.selected(), list.is_following()), (Some(1), false));
    assert!(!list.move_by(-5) || list.selected() == Some(0));
    assert_eq!(list.selected(), Some(0));
    list.move_by(10);
    assert_eq!((list.selected(), list.is_following()), (Some(2), true));
    assert!(!list.move_by(1), "already on the newest");
}

#[test]
fn rows_the_log_drops_leave_the_list_and_the_selection_stays_on_its_row() {
    let mut log = log_of(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 3);
    let mut list = ListView::default();
    let search = Search::default();
    list.append(&log, &search, 0);
    list.pick(1);
    let row = list.absolute(1);
    let before = log.end_row();
    push(&mut log, b"data: 4\n\n", 27);
    list.append(&log, &search, before);
    assert_eq!(listed(&list), [1, 2, 3], "row 0 was dropped");
    assert_eq!(list.selected().and_then(|p| list.absolute(p)), row);
}

#[test]
fn a_selection_is_always_a_listed_row() {
    let log = log_of(b"data: 1\n\n", 100);
    let mut list = ListView::default();
    list.pick(0);
    assert_eq!(list.selected(), None, "nothing listed yet");
    list.append(&log, &Search::default(), 0);
    list.pick(7);
    assert_eq!(list.selected(), None, "past the last");
    list.clear();
    assert_eq!((list.len(), list.selected()), (0, None));
}

#[test]
fn blocks_are_listed_only_when_shown_and_the_selection_keeps_its_row() {
    let log = log_of(b"data: 1\n\n: ping\n\ndata: 2\n\n", 100);
    let search = Search::default();
    let mut list = ListView::default();
    list.append(&log, &search, 0);
    assert_eq!(listed(&list), [0, 2]);
    list.pick(1);
    list.set_show_blocks(true, &log, &search);
    assert_eq!(listed(&list), [0, 1, 2]);
    assert_eq!(list.selected(), Some(2), "still on the row of data 2");
}

#[test]
fn a_frozen_list_lists_nothing_new_even_when_listed_afresh() {
    let mut log = log_of(b"data: 1\n\n", 100);
    let search = Search::default();
    let mut list = ListView::default();
    list.append(&log, &search, 0);
    list.toggle_freeze(&log, &search);
    let before = log.end_row();
    push(&mut log, b"data: 2\n\n", 9);
    list.append(&log, &search, before);
    list.rebuild(&log, &search);
    assert_eq!(listed(&list), [0]);
    assert_eq!(list.arrived_while_frozen(&log), Some(1));
    list.toggle_freeze(&log, &search);
    assert_eq!(listed(&list), [0, 1]);
    assert_eq!(list.arrived_while_frozen(&log), None);
}

#[test]
fn the_window_settles_where_it_was_drawn() {
    let body: String = (1..=30).map(|i| format!("data: {i}\n\n")).collect();
    let log = log_of(body.as_bytes(), 100);
    let mut list = ListView::default();
    list.append(&log, &Search::default(), 0);
    list.settle(10);
    assert_eq!(list.window_start(10), 20, "following: the newest rows");
    list.pick(0);
    list.settle(10);
    assert_eq!(list.window_start(10), 0);
    list.move_by(10);
    list.settle(10);
    assert_eq!(
        list.window_start(10),
        1,
        "one line past the window: one line"
    );
}

/// `n` events, data `{"n":i}`, as one read.
fn numbered_events(n: u64, first: u64) -> Vec<u8> {
    (first..first + n)
        .map(|i| format!("data: {{\"n\":{i}}}\n\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn a_filter_that_looks_at_every_row_relists_a_slice_at_a_time_and_ends_as_at_once() {
    let total = RELIST_SLICE_ROWS * 2 + 100;
    let mut log = EventLog::new(1_000_000, 1 << 30);
    let bytes = numbered_events(total, 0);
    push(&mut log, &bytes, 0);
    let mut search = Search::default();
    search.set_query("jq:.n % 3 == 0");
    search.set_filter(true);
    let mut list = ListView::default();
    list.rebuild(&log, &search);
    // One slice listed; the rest to come.
    assert!(list.is_relisting());
    assert_eq!(
        list.relisting_progress(&log),
        Some((RELIST_SLICE_ROWS, total))
    );
    assert_eq!(list.len() as u64, RELIST_SLICE_ROWS.div_ceil(3));
    // Rows arriving meanwhile are listed when the relisting reaches them.
    let more = numbered_events(30, total);
    push(&mut log, &more, bytes.len() as u64);
    list.append(&log, &search, total);
    let mut slices = 1;
    loop {
        slices += 1;
        if !list.continue_relisting(&log, &search) {
            break;
        }
    }
    assert_eq!(slices, 3, "2 slices and the rest, with what arrived");
    assert!(!list.is_relisting());
    assert_eq!(list.relisting_progress(&log), None);
    let expected: Vec<u64> = (0..total + 30).filter(|n| n % 3 == 0).collect();
    assert_eq!(listed(&list), expected, "as a relisting all at once would");
    assert_eq!(list.selected(), Some(expected.len() - 1), "following");
}

#[test]
fn a_row_chosen_while_relisting_stays_chosen_when_it_ends() {
    let total = RELIST_SLICE_ROWS * 2;
    let mut log = EventLog::new(1_000_000, 1 << 30);
    push(&mut log, &numbered_events(total, 0), 0);
    let mut search = Search::default();
    search.set_query("jq:.n % 2 == 0");
    search.set_filter(true);
    let mut list = ListView::default();
    list.rebuild(&log, &search);
    assert!(list.pick(10), "row 20 chosen from the first slice");
    while list.continue_relisting(&log, &search) {}
    assert_eq!(list.selected().and_then(|p| list.absolute(p)), Some(20));
}
