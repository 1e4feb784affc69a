//! Parser conformance through a real loopback connection: each test feeds
//! exact bytes from the raw-TCP test server through the real engine and checks
//! what the engine reports (events, blocks, last event ID, reconnection time).
//! One test per rule of the WHATWG HTML "Server-sent events" section
//! (§9.2.5 "Parsing an event stream", §9.2.6 "Interpreting an event stream").
//!
//! Chunking is controlled with `Step::Gate`: the test waits for the engine's
//! `ConnMsg::Data` for one write before releasing the next, so no test sleeps.

mod support;
use support::*;

use std::ops::Range;
use std::time::Duration;

use ssetui::sse::{
    Block, BlockKind, CloseReason, ConnMsg, ErrorKind, ReconnectPolicy, RequestSpec, StreamItem,
};
use tokio::sync::mpsc;

/// A spec that never reconnects, for scripts that end with `Step::Close`.
fn never(server: &TestServer) -> RequestSpec {
    let mut spec = server.spec("/x");
    spec.reconnect = ReconnectPolicy::Never;
    spec
}

/// A spec that reconnects after a clean end, with a distinctive default delay
/// (so a delay taken from `retry:` is told apart from the default).
fn always(server: &TestServer) -> RequestSpec {
    let mut spec = server.spec("/x");
    spec.reconnect = ReconnectPolicy::Always;
    spec.retry.initial_delay = DEFAULT_DELAY;
    spec
}

const DEFAULT_DELAY: Duration = Duration::from_millis(1234);

/// One connection: the head, `body` written in one write, then a clean close.
/// Returns every message until `Closed`.
async fn one_write(body: &[u8]) -> Vec<ConnMsg> {
    let server = TestServer::always(vec![sse_head(), write(body), Step::Close]).await;
    let (_handle, mut rx) = connect(never(&server));
    until_closed(&mut rx).await
}

/// Script for a connection writing each piece separately, with a gate after
/// every piece but the last, then closing.
fn gated_script(pieces: &[&[u8]]) -> Vec<Step> {
    let mut script = vec![sse_head()];
    for (i, piece) in pieces.iter().enumerate() {
        script.push(write(piece));
        if i + 1 < pieces.len() {
            script.push(Step::Gate);
        }
    }
    script.push(Step::Close);
    script
}

fn is_data(msg: &ConnMsg) -> bool {
    matches!(msg, ConnMsg::Data(_))
}

/// Drives a connection whose script has `gates` gates, each after one write:
/// waits for that write's `Data`, records what was seen, then releases.
/// Returns the messages seen before each release, then the rest until `Closed`.
async fn drive_gated(
    server: &TestServer,
    rx: &mut mpsc::Receiver<ConnMsg>,
    gates: usize,
) -> Vec<Vec<ConnMsg>> {
    let mut segments = Vec::new();
    for _ in 0..gates {
        segments.push(until(rx, is_data).await);
        server.release();
    }
    segments.push(until_closed(rx).await);
    segments
}

/// Writes `pieces` as separate reads (gated) on one connection and returns
/// the messages seen before each release and after the last.
async fn gated(pieces: &[&[u8]]) -> Vec<Vec<ConnMsg>> {
    let server = TestServer::always(gated_script(pieces)).await;
    let (_handle, mut rx) = connect(never(&server));
    drive_gated(&server, &mut rx, pieces.len() - 1).await
}

fn items(msgs: &[ConnMsg]) -> Vec<StreamItem> {
    msgs.iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(chunk.items.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn blocks(msgs: &[ConnMsg]) -> Vec<Block> {
    items(msgs)
        .into_iter()
        .filter_map(|i| match i {
            StreamItem::Block(b) => Some(b),
            StreamItem::Event { .. } => None,
        })
        .collect()
}

/// The body bytes of every read, concatenated; checks the chunk offsets are
/// contiguous from 0, so task-wide offsets index straight into the result.
fn body(msgs: &[ConnMsg]) -> Vec<u8> {
    let mut all = Vec::new();
    for msg in msgs {
        if let ConnMsg::Data(chunk) = msg {
            assert_eq!(chunk.offset, all.len() as u64, "chunks are contiguous");
            all.extend_from_slice(&chunk.bytes);
        }
    }
    all
}

/// Body bytes of each `Data` message, one entry per read.
fn reads(msgs: &[ConnMsg]) -> Vec<Vec<u8>> {
    msgs.iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(chunk.bytes.to_vec()),
            _ => None,
        })
        .collect()
}

fn slice(bytes: &[u8], raw: &Range<u64>) -> Vec<u8> {
    bytes[raw.start as usize..raw.end as usize].to_vec()
}

/// The `discarded` range of the (single) `StreamEnded` message.
fn discarded(msgs: &[ConnMsg]) -> Option<Range<u64>> {
    let ends: Vec<_> = msgs
        .iter()
        .filter_map(|m| match m {
            ConnMsg::StreamEnded { discarded, .. } => Some(discarded.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ends.len(), 1, "exactly one StreamEnded: {msgs:#?}");
    ends.into_iter().next().unwrap()
}

fn closed_reason(msgs: &[ConnMsg]) -> CloseReason {
    match msgs.last() {
        Some(ConnMsg::Closed { reason }) => reason.clone(),
        other => panic!("expected Closed last, got {other:?}"),
    }
}

/// Runs a first connection playing `first` (with `always` reconnection) and
/// returns the messages up to and including the `ReconnectScheduled`, plus the
/// server so the caller can check the second request.
async fn until_reconnect(first: Vec<Step>) -> (Vec<ConnMsg>, TestServer) {
    let server = TestServer::start(vec![first, vec![sse_head(), Step::Hold]]).await;
    let (handle, mut rx) = connect(always(&server));
    let msgs = until(&mut rx, |m| matches!(m, ConnMsg::ReconnectScheduled { .. })).await;
    handle.stop();
    (msgs, server)
}

fn scheduled(msgs: &[ConnMsg]) -> (Duration, String) {
    match msgs.last() {
        Some(ConnMsg::ReconnectScheduled {
            delay,
            last_event_id,
            ..
        }) => (*delay, last_event_id.clone()),
        other => panic!("expected ReconnectScheduled, got {other:?}"),
    }
}

// ---- line endings -------------------------------------------------------

/// Three events separated by the given line ending; checks the events, their
/// raw ranges (lines with their own endings) and that nothing is discarded.
async fn check_line_ending(ending: &str) {
    let e = ending;
    let input = format!("data: a{e}data: b{e}{e}event: t{e}data: c{e}{e}id: 5{e}data: d{e}{e}");
    let msgs = one_write(input.as_bytes()).await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("message", "a\nb", ""),
            t("t", "c", ""),
            t("message", "d", "5")
        ],
        "{ending:?}"
    );
    let bytes = body(&msgs);
    assert_eq!(bytes, input.as_bytes());
    let raws: Vec<Vec<u8>> = events(&msgs)
        .iter()
        .map(|ev| slice(&bytes, &ev.raw))
        .collect();
    assert_eq!(
        raws,
        vec![
            format!("data: a{e}data: b{e}").into_bytes(),
            format!("event: t{e}data: c{e}").into_bytes(),
            format!("id: 5{e}data: d{e}").into_bytes(),
        ],
        "{ending:?}"
    );
    assert_eq!(
        discarded(&msgs),
        None,
        "{ending:?}: the last event is complete"
    );
    assert_eq!(closed_reason(&msgs), CloseReason::Ended);
}

#[tokio::test]
async fn lf_line_endings_end_lines_and_a_blank_lf_line_dispatches() {
    check_line_ending("\n").await;
}

#[tokio::test]
async fn cr_line_endings_end_lines_and_the_last_event_is_not_held_back() {
    check_line_ending("\r").await;
}

#[tokio::test]
async fn crlf_line_endings_end_lines_and_a_blank_crlf_line_dispatches() {
    check_line_ending("\r\n").await;
}

#[tokio::test]
async fn crlf_split_across_reads_is_one_line_ending() {
    let segments = gated(&[b"data: a\r", b"\n\n", b"data: b\r", b"\ndata: c\r\n\r\n"]).await;
    assert!(
        events(&segments[0]).is_empty(),
        "no blank line has been seen after the first read"
    );
    let first = events(&segments[1]);
    assert_eq!(first.len(), 1, "one event, dispatched by the second LF");
    assert_eq!(first[0].data, "a");
    assert_eq!(
        first[0].raw,
        0..9,
        "the LF completes the CRLF of `data: a`: it is in the line, not a blank line"
    );
    let all: Vec<ConnMsg> = segments.concat();
    assert_eq!(
        triples(&all),
        vec![t("message", "a", ""), t("message", "b\nc", "")],
        "an LF after a split CR is not a blank line: `b` and `c` are one event"
    );
    let bytes = body(&all);
    assert_eq!(
        slice(&bytes, &events(&all)[1].raw),
        b"data: b\r\ndata: c\r\n"
    );
    assert_eq!(reads(&all).len(), 4, "each write arrived as its own read");
}

#[tokio::test]
async fn lone_cr_dispatches_without_waiting_for_the_next_byte() {
    let server = TestServer::always(gated_script(&[b"data: x\r\r", b"\ndata: y\n\n"])).await;
    let (_handle, mut rx) = connect(never(&server));
    // Before releasing the gate: the CR CR already dispatched the event.
    let before = until(&mut rx, is_data).await;
    assert_eq!(
        triples(&before),
        vec![t("message", "x", "")],
        "the event arrives before the byte after the CR is sent"
    );
    server.release();
    let after = until_closed(&mut rx).await;
    assert_eq!(
        triples(&after),
        vec![t("message", "y", "")],
        "the following LF completes the CRLF and dispatches nothing by itself"
    );
    assert_eq!(discarded(&after), None);
}

// ---- byte order mark ----------------------------------------------------

#[tokio::test]
async fn leading_utf8_bom_is_stripped_once() {
    let msgs = one_write(b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n").await;
    assert_eq!(
        triples(&msgs),
        vec![t("message", "a", "")],
        "a second BOM makes the field name `\\u{{feff}}data`, which is unknown"
    );
    let bytes = body(&msgs);
    assert_eq!(
        slice(&bytes, &events(&msgs)[0].raw),
        b"\xEF\xBB\xBFdata: a\n",
        "the stripped BOM stays in the first block's raw bytes"
    );
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].kind(), BlockKind::Other);
    assert_eq!(slice(&bytes, &blocks[0].raw), b"\xEF\xBB\xBFdata: b\n");
}

#[tokio::test]
async fn bom_split_across_reads_is_stripped() {
    let segments = gated(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]).await;
    let all = segments.concat();
    assert_eq!(
        reads(&all),
        vec![
            b"\xEF".to_vec(),
            b"\xBB".to_vec(),
            b"\xBFdata: a\n\n".to_vec()
        ]
    );
    assert_eq!(triples(&all), vec![t("message", "a", "")]);
    assert_eq!(events(&all)[0].raw, 0..11);
    assert!(blocks(&all).is_empty());
}

// ---- lines and fields ---------------------------------------------------

#[tokio::test]
async fn comment_lines_are_reported_as_comment_blocks_not_events() {
    let msgs = one_write(b": keep-alive\n\n:\n:second\n\ndata: x\n: inside\n\n").await;
    assert_eq!(triples(&msgs), vec![t("message", "x", "")]);
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].kind(), BlockKind::Comment);
    assert_eq!(blocks[0].comment.as_deref(), Some("keep-alive"));
    assert_eq!(blocks[0].comment_lines, 1);
    assert_eq!(blocks[1].kind(), BlockKind::Comment);
    assert_eq!(
        blocks[1].comment.as_deref(),
        Some(""),
        "the first comment line's text"
    );
    assert_eq!(blocks[1].comment_lines, 2);
}

#[tokio::test]
async fn field_without_colon_is_a_name_with_an_empty_value() {
    let msgs =
        one_write(b"data\n\ndata\ndata\n\nevent\ndata: x\n\nid: 1\ndata: y\n\nid\ndata: z\n\n")
            .await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("message", "", ""),
            t("message", "\n", ""),
            t("message", "x", ""),
            t("message", "y", "1"),
            t("message", "z", ""),
        ],
        "`data` appends an empty line, `event` sets an empty type, `id` clears the id"
    );
}

#[tokio::test]
async fn exactly_one_leading_space_is_stripped_from_the_value() {
    let msgs = one_write(
        b"data:none\n\ndata: one\n\ndata:  two\n\ndata:\ttab\n\nevent:  spaced\ndata: a:b: c\n\n",
    )
    .await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("message", "none", ""),
            t("message", "one", ""),
            t("message", " two", ""),
            t("message", "\ttab", ""),
            t(" spaced", "a:b: c", ""),
        ]
    );
}

#[tokio::test]
async fn multi_line_data_is_joined_with_lf() {
    let msgs = one_write(b"data: one\ndata: two\ndata:\ndata: four\n\n").await;
    assert_eq!(triples(&msgs), vec![t("message", "one\ntwo\n\nfour", "")]);
}

#[tokio::test]
async fn empty_data_buffer_dispatches_no_event() {
    let msgs = one_write(b"event: ping\n\nid: 3\n\nretry: 100\n\nfoo: bar\n\ndata: real\n\n").await;
    assert_eq!(
        triples(&msgs),
        vec![t("message", "real", "3")],
        "only the block with data dispatched"
    );
    let kinds: Vec<BlockKind> = blocks(&msgs).iter().map(Block::kind).collect();
    assert_eq!(
        kinds,
        vec![
            BlockKind::Other,
            BlockKind::IdOnly,
            BlockKind::RetryOnly,
            BlockKind::Other
        ]
    );
}

#[tokio::test]
async fn event_type_resets_after_each_dispatch() {
    let msgs = one_write(
        b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\nevent: c\nevent: d\ndata: 4\n\n",
    )
    .await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("a", "1", ""),
            t("message", "2", ""),
            t("message", "3", ""),
            t("d", "4", ""),
        ],
        "the type of a block that dispatched nothing is dropped too; the last `event:` wins"
    );
}

// ---- last event ID ------------------------------------------------------

#[tokio::test]
async fn last_event_id_persists_across_events_and_is_sent_on_reconnect() {
    let first = vec![
        sse_head(),
        write("data: before\n\nid: 7\ndata: a\n\ndata: b\n\nevent: e\ndata: c\n\n"),
        Step::Close,
    ];
    let mut server = TestServer::start(vec![
        first,
        vec![sse_head(), write("data: d\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = always(&server);
    spec.retry.initial_delay = Duration::from_millis(50);
    let (handle, mut rx) = connect(spec);
    let mut msgs = until(&mut rx, |m| matches!(m, ConnMsg::ReconnectScheduled { .. })).await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("message", "before", ""),
            t("message", "a", "7"),
            t("message", "b", "7"),
            t("e", "c", "7"),
        ]
    );
    assert_eq!(scheduled(&msgs).1, "7");
    assert_eq!(server.next_request().await.header("last-event-id"), None);
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("7"),
        "the reconnect sends the last event ID"
    );
    msgs.extend(until(&mut rx, |m| matches!(m, ConnMsg::Data(c) if c.attempt == 2)).await);
    handle.stop();
    let all = events(&msgs);
    assert_eq!(all.last().map(|e| (&*e.data, &*e.id)), Some(("d", "7")));
    let bytes = body(&msgs);
    assert_eq!(
        slice(&bytes, &all.last().unwrap().raw),
        b"data: d\n",
        "raw offsets are task-wide, across attempts"
    );
}

#[tokio::test]
async fn id_only_block_sets_the_last_event_id() {
    let (msgs, _server) = until_reconnect(vec![
        sse_head(),
        write("id: 1\ndata: a\n\nid: 2\n\n"),
        Step::Close,
    ])
    .await;
    assert_eq!(triples(&msgs), vec![t("message", "a", "1")]);
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].kind(), BlockKind::IdOnly);
    assert_eq!(blocks[0].id.as_deref(), Some("2"));
    assert_eq!(
        scheduled(&msgs).1,
        "2",
        "the id-only block changed the last event ID"
    );
}

#[tokio::test]
async fn id_containing_nul_is_ignored() {
    let (msgs, _server) = until_reconnect(vec![
        sse_head(),
        write(b"id: 1\ndata: a\n\nid: x\0y\ndata: b\n\nid: \0\n\n"),
        Step::Close,
    ])
    .await;
    assert_eq!(
        triples(&msgs),
        vec![t("message", "a", "1"), t("message", "b", "1")],
        "the id with a NUL did not replace `1`"
    );
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0].id, None, "an ignored id field sets nothing");
    assert_eq!(scheduled(&msgs).1, "1");
}

// ---- retry --------------------------------------------------------------

#[tokio::test]
async fn retry_of_ascii_digits_sets_the_reconnection_time() {
    let (msgs, _server) = until_reconnect(vec![
        sse_head(),
        write("retry: 1000\ndata: x\n\nretry: 77\n\n"),
        Step::Close,
    ])
    .await;
    let evs = events(&msgs);
    assert_eq!(evs.len(), 1);
    assert_eq!(
        evs[0].retry_ms,
        Some(1000),
        "retry reported on the event of its block"
    );
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 1);
    assert_eq!(
        (blocks[0].kind(), blocks[0].retry_ms),
        (BlockKind::RetryOnly, Some(77))
    );
    assert_eq!(
        scheduled(&msgs).0,
        Duration::from_millis(77),
        "the reconnect waits the server's reconnection time"
    );
}

#[tokio::test]
async fn retry_below_the_engine_floor_is_clamped_to_50ms() {
    let (msgs, _server) =
        until_reconnect(vec![sse_head(), write("retry: 10\n\n"), Step::Close]).await;
    assert_eq!(
        blocks(&msgs)[0].retry_ms,
        Some(10),
        "the parser reports the value as sent"
    );
    assert_eq!(scheduled(&msgs).0, Duration::from_millis(50));
}

#[tokio::test]
async fn retry_with_a_sign_or_any_non_digit_is_ignored() {
    let (msgs, _server) = until_reconnect(vec![
        sse_head(),
        write("retry: +5\n\nretry: -5\n\nretry: 5 \n\nretry: 1.5\n\nretry: 5ms\n\nretry:\n\nretry: \u{0663}\n\n"),
        Step::Close,
    ])
    .await;
    let blocks = blocks(&msgs);
    assert_eq!(blocks.len(), 7);
    for block in &blocks {
        assert_eq!(
            (block.kind(), block.retry_ms),
            (BlockKind::Other, None),
            "{block:?}"
        );
    }
    assert_eq!(
        scheduled(&msgs).0,
        DEFAULT_DELAY,
        "no retry value took effect: the default delay is used"
    );
}

#[tokio::test]
async fn retry_takes_effect_without_a_following_blank_line() {
    let (msgs, _server) =
        until_reconnect(vec![sse_head(), write("retry: 60\n"), Step::Close]).await;
    assert!(items(&msgs).is_empty(), "no block was completed");
    assert_eq!(
        discarded(&msgs),
        Some(0..10),
        "the unfinished block is discarded"
    );
    assert_eq!(scheduled(&msgs).0, Duration::from_millis(60));
}

// ---- other rules --------------------------------------------------------

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let msgs = one_write(
        b"foo: bar\nDATA: shouted\nData: mixed\ndata : spaced name\nevent: e\ndata: x\nbaz\n\n",
    )
    .await;
    assert_eq!(triples(&msgs), vec![t("e", "x", "")]);
}

#[tokio::test]
async fn incomplete_event_at_end_of_stream_is_discarded() {
    let msgs = one_write(b"data: a\n\ndata: never dispatched\nevent: e\n").await;
    assert_eq!(triples(&msgs), vec![t("message", "a", "")]);
    assert!(blocks(&msgs).is_empty());
    assert_eq!(discarded(&msgs), Some(9..41));
    assert_eq!(closed_reason(&msgs), CloseReason::Ended);

    let msgs = one_write(b"data: a\n\ndata: no line ending").await;
    assert_eq!(triples(&msgs), vec![t("message", "a", "")]);
    assert_eq!(discarded(&msgs), Some(9..29));
}

#[tokio::test]
async fn invalid_utf8_is_replaced_and_later_events_are_delivered() {
    let msgs =
        one_write(b"data: a\xFFb\n\ndata: \xE2\x82\n\nevent: \xC0\ndata: c\n\ndata: ok\n\n").await;
    assert_eq!(
        triples(&msgs),
        vec![
            t("message", "a\u{FFFD}b", ""),
            t("message", "\u{FFFD}", ""),
            t("\u{FFFD}", "c", ""),
            t("message", "ok", ""),
        ]
    );
}

#[tokio::test]
async fn multi_byte_character_split_across_reads_is_decoded() {
    let segments = gated(&[b"data: \xE2", b"\x82", b"\xAC\n\n"]).await;
    let all = segments.concat();
    assert_eq!(
        reads(&all).len(),
        3,
        "the three bytes of the euro sign came in three reads"
    );
    assert_eq!(triples(&all), vec![t("message", "€", "")]);
}

#[tokio::test]
async fn byte_at_a_time_delivery_gives_the_same_events_as_one_write() {
    let input: &[u8] = b"\xEF\xBB\xBFretry: 500\r\n: c\r\rid: 1\r\nevent: e\rdata: \xE2\x82\xAC\n\ndata: a\r\ndata: \xFF\r\n\r\nid: 2\n\ndata: x\r\rdata: tail";
    let whole = one_write(input).await;
    assert_eq!(
        triples(&whole),
        vec![
            t("e", "€", "1"),
            t("message", "a\n\u{FFFD}", "1"),
            t("message", "x", "2"),
        ]
    );

    let pieces: Vec<&[u8]> = input.chunks(1).collect();
    let server = TestServer::always(gated_script(&pieces)).await;
    let (_handle, mut rx) = connect(never(&server));
    let bytewise = drive_gated(&server, &mut rx, pieces.len() - 1)
        .await
        .concat();
    assert!(
        reads(&bytewise).iter().all(|r| r.len() == 1),
        "every read was one byte"
    );
    assert_eq!(reads(&bytewise).len(), input.len());
    assert_eq!(
        items(&bytewise),
        items(&whole),
        "same events and blocks, same raw ranges"
    );
    assert_eq!(discarded(&bytewise), discarded(&whole));
    assert_eq!(
        discarded(&whole),
        Some(input.len() as u64 - 10..input.len() as u64)
    );
}

#[tokio::test]
async fn raw_ranges_slice_the_exact_lines_received() {
    let segments = gated(&[
        b": hi\n\nid: 1\r\nevent: e\r\nda",
        b"ta: x\r\n\r\n\n\ndata: y\n",
        b"\n\xEF\xBB\xBFdata: z\r",
        b"\n\r\n",
    ])
    .await;
    let all = segments.concat();
    assert_eq!(reads(&all).len(), 4);
    let bytes = body(&all);
    let raws: Vec<Vec<u8>> = items(&all)
        .iter()
        .map(|item| match item {
            StreamItem::Event { event, .. } => slice(&bytes, &event.raw),
            StreamItem::Block(block) => slice(&bytes, &block.raw),
        })
        .collect();
    assert_eq!(
        raws,
        vec![
            b": hi\n".to_vec(),
            b"id: 1\r\nevent: e\r\ndata: x\r\n".to_vec(),
            b"data: y\n".to_vec(),
            b"\xEF\xBB\xBFdata: z\r\n".to_vec(),
        ]
    );
    let seqs: Vec<u64> = items(&all)
        .iter()
        .filter_map(|i| match i {
            StreamItem::Event { seq, .. } => Some(*seq),
            StreamItem::Block(_) => None,
        })
        .collect();
    assert_eq!(
        seqs,
        [1, 2],
        "a BOM after the start is content: `z` is not an event"
    );
}

#[tokio::test]
async fn event_over_max_event_size_fails_the_connection() {
    let mut input = b"data: small\n\ndata: ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 4096));
    input.extend_from_slice(b"\n\ndata: after\n\n");
    let server = TestServer::always(vec![sse_head(), write(&input), Step::Hold]).await;
    let mut spec = server.spec("/x");
    spec.reconnect = ReconnectPolicy::Always;
    spec.max_event_size = 1024;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(
        triples(&msgs),
        vec![t("message", "small", "")],
        "the event before the oversized one is delivered, nothing after it"
    );
    let errors: Vec<ErrorKind> = msgs
        .iter()
        .filter_map(|m| match m {
            ConnMsg::Error { error, .. } => Some(error.kind),
            _ => None,
        })
        .collect();
    assert_eq!(errors, [ErrorKind::EventTooLarge]);
    assert!(
        !msgs
            .iter()
            .any(|m| matches!(m, ConnMsg::ReconnectScheduled { .. })),
        "an oversized event is not retried, even with reconnect always"
    );
    match closed_reason(&msgs) {
        CloseReason::Failed(err) => assert_eq!(err.kind, ErrorKind::EventTooLarge),
        other => panic!("expected Failed(EventTooLarge), got {other:?}"),
    }
}
