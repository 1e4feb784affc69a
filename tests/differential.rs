//! Our parser against eventsource-stream 0.2.3, the crate we chose not to use.
//!
//! First, on inputs where eventsource-stream is correct (LF and CRLF line
//! endings, valid UTF-8, no BOM), both must give the same (type, data, id)
//! sequence, however the input is split. Then one test per divergence that
//! motivated our own parser, asserting what eventsource-stream actually does
//! next to what ours does on the same bytes: if eventsource-stream is ever
//! fixed, these tests say so.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::Eventsource;
use futures_util::Stream;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use ssetui::sse::{BlockKind, Item, Parser};

/// What eventsource-stream produced for a stream.
#[derive(Debug)]
struct EsRun {
    events: Vec<eventsource_stream::Event>,
    errors: Vec<String>,
    last_event_id: String,
}

/// Drives eventsource-stream over `chunks` to the end. The source is a
/// `stream::iter`, always ready, so polling with a no-op waker is enough.
fn es_run(chunks: &[&[u8]]) -> EsRun {
    let source = futures_util::stream::iter(
        chunks
            .iter()
            .map(|c| Ok::<_, std::io::Error>(Bytes::copy_from_slice(c)))
            .collect::<Vec<_>>(),
    );
    let mut stream = pin!(source.eventsource());
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = Vec::new();
    let mut errors = Vec::new();
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(event))) => events.push(event),
            Poll::Ready(Some(Err(err))) => {
                errors.push(err.to_string());
                assert!(
                    errors.len() < 100,
                    "eventsource-stream repeats an error: {errors:?}"
                );
            }
            Poll::Ready(None) => break,
            Poll::Pending => panic!("an iter stream is always ready"),
        }
    }
    EsRun {
        events,
        errors,
        last_event_id: stream.last_event_id().to_owned(),
    }
}

fn es_triples(run: &EsRun) -> Vec<(String, String, String)> {
    run.events
        .iter()
        .map(|e| (e.event.clone(), e.data.clone(), e.id.clone()))
        .collect()
}

/// Our parser over the same chunks: items, then the parser (for its state).
fn ours(chunks: &[&[u8]]) -> (Vec<Item>, Parser) {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    for chunk in chunks {
        parser.feed(chunk, &mut items).expect("within limits");
    }
    parser.finish();
    (items, parser)
}

fn our_triples(items: &[Item]) -> Vec<(String, String, String)> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Event(e) => Some((
                e.event_type().to_owned(),
                e.data.to_string(),
                e.id.to_string(),
            )),
            Item::Block(_) => None,
        })
        .collect()
}

fn t(ty: &str, data: &str, id: &str) -> (String, String, String) {
    (ty.into(), data.into(), id.into())
}

// ---- agreement where eventsource-stream is correct ----------------------

/// Text without line breaks: ASCII, colons and spaces, multi-byte UTF-8.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        select(vec![
            "a",
            "b c",
            "xyz",
            " ",
            ":",
            "x:y",
            "0",
            "42",
            "\u{e9}",
            "\u{20ac}",
            "\u{1F600}",
            "\u{feff}",
        ]),
        0..5,
    )
    .prop_map(|atoms| atoms.concat())
}

/// One line of a block (without its line ending).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => text().prop_map(|v| format!("data: {v}")),
        1 => text().prop_map(|v| format!("data:{v}")),
        1 => Just("data".to_owned()),
        2 => text().prop_map(|v| format!("event: {v}")),
        2 => text().prop_map(|v| format!("id: {v}")),
        1 => Just("id".to_owned()),
        1 => text().prop_map(|v| format!(":{v}")),
        1 => text().prop_map(|v| format!("foo: {v}")),
        1 => (0u32..10_000).prop_map(|n| format!("retry: {n}")),
    ]
}

/// A stream of blocks, each line ended by LF or CRLF at random, optionally
/// with an unterminated tail. It never starts with a BOM.
fn lf_crlf_stream() -> impl Strategy<Value = Vec<u8>> {
    let ending = select(vec!["\n", "\r\n"]);
    let block = prop::collection::vec((line(), ending.clone()), 0..5);
    (
        prop::collection::vec((block, ending), 0..12),
        prop::option::of(line()),
    )
        .prop_map(|(blocks, tail)| {
            let mut out = String::new();
            for (lines, blank) in blocks {
                for (line, end) in lines {
                    out.push_str(&line);
                    out.push_str(end);
                }
                out.push_str(blank);
            }
            if let Some(tail) = tail {
                out.push_str(&tail);
            }
            out.into_bytes()
        })
}

fn split<'a>(input: &'a [u8], points: &[Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = points.iter().map(|p| p.index(input.len() + 1)).collect();
    at.sort_unstable();
    let mut chunks = Vec::new();
    let mut start = 0;
    for end in at {
        chunks.push(&input[start..end]);
        start = end;
    }
    chunks.push(&input[start..]);
    chunks
}

/// 256 cases keeps CI fast; `PROPTEST_CASES=100000` searches harder.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            256
        },
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn same_events_as_eventsource_stream_on_lf_and_crlf_streams(
        input in lf_crlf_stream(),
        points in prop::collection::vec(any::<Index>(), 0..8),
    ) {
        let chunks = split(&input, &points);
        let es = es_run(&chunks);
        prop_assert!(es.errors.is_empty(), "{:?}", es.errors);
        let (items, _) = ours(&chunks);
        prop_assert_eq!(our_triples(&items), es_triples(&es), "input {:?}", String::from_utf8_lossy(&input));
    }
}

#[test]
fn same_events_as_eventsource_stream_on_the_spec_examples() {
    let input = b": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\nevent: add\r\ndata: 73857293\r\n\r\ndata: YHOO\ndata: +2\ndata: 10\n\ndata\n\ndata\ndata\n\ndata:\n";
    let es = es_run(&[input]);
    let (items, _) = ours(&[input]);
    let expected = vec![
        t("message", "first event", "1"),
        t("message", "second event", ""),
        t("message", " third event", ""),
        t("add", "73857293", ""),
        t("message", "YHOO\n+2\n10", ""),
        t("message", "", ""),
        t("message", "\n", ""),
    ];
    assert_eq!(es_triples(&es), expected);
    assert_eq!(our_triples(&items), expected);
}

// ---- documented divergences ---------------------------------------------

#[test]
fn leading_bom_panics_eventsource_stream_and_is_stripped_by_ours() {
    let input: &[u8] = b"\xEF\xBB\xBFdata: a\n\n";
    // eventsource-stream slices `&string[1..]` to drop the BOM, but U+FEFF is
    // three bytes in UTF-8: byte 1 is not a char boundary, so it panics.
    let es = catch_unwind(AssertUnwindSafe(|| es_run(&[input])));
    let payload = es.expect_err("eventsource-stream panics on a leading BOM");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    assert!(message.contains("char boundary"), "{message}");

    let (items, _) = ours(&[input]);
    assert_eq!(our_triples(&items), vec![t("message", "a", "")]);
}

#[test]
fn cr_only_line_endings_lose_the_last_event_in_eventsource_stream() {
    let input: &[u8] = b"data: a\rdata: b\r\rdata: c\r\r";
    // Its line parser is a nom *streaming* parser: a CR at the end of its
    // buffer might be the start of a CRLF, so it waits for one more byte,
    // which never comes at the end of the stream.
    let es = es_run(&[input]);
    assert_eq!(es_triples(&es), vec![t("message", "a\nb", "")]);
    assert!(es.errors.is_empty());

    let (items, _) = ours(&[input]);
    assert_eq!(
        our_triples(&items),
        vec![t("message", "a\nb", ""), t("message", "c", "")]
    );
}

#[test]
fn invalid_utf8_stops_eventsource_stream_for_good() {
    let chunks: [&[u8]; 4] = [
        b"data: a\n\n",
        b"data: \xFF\n\n",
        b"data: b\n\n",
        b"data: c\n\n",
    ];
    // It keeps the bytes from the first invalid one on in its UTF-8 buffer
    // and appends every later read behind them, so nothing after is parsed;
    // at the end it reports one UTF-8 error.
    let es = es_run(&chunks);
    assert_eq!(es_triples(&es), vec![t("message", "a", "")]);
    assert_eq!(es.errors.len(), 1, "{:?}", es.errors);
    assert!(es.errors[0].starts_with("UTF8 error"), "{:?}", es.errors);

    let (items, _) = ours(&chunks);
    assert_eq!(
        our_triples(&items),
        vec![
            t("message", "a", ""),
            t("message", "\u{FFFD}", ""),
            t("message", "b", ""),
            t("message", "c", ""),
        ]
    );
}

#[test]
fn retry_only_block_is_dropped_by_eventsource_stream() {
    let input: &[u8] = b"retry: 5000\n\ndata: x\n\n";
    // Its retry lives on the event being built, which a block without data
    // never dispatches: the value is lost, and it keeps no reconnection time.
    let es = es_run(&[input]);
    assert_eq!(es_triples(&es), vec![t("message", "x", "")]);
    assert!(
        es.events.iter().all(|e| e.retry.is_none()),
        "the retry value is nowhere: {:?}",
        es.events
    );

    let (items, parser) = ours(&[input]);
    let Item::Block(block) = &items[0] else {
        panic!("expected a block first: {items:?}")
    };
    assert_eq!(
        (block.kind(), block.retry_ms),
        (BlockKind::RetryOnly, Some(5000))
    );
    assert_eq!(parser.reconnection_time_ms(), Some(5000));
    assert_eq!(our_triples(&items), vec![t("message", "x", "")]);
}

#[test]
fn id_only_block_does_not_update_eventsource_streams_last_event_id() {
    let input: &[u8] = b"id: 1\ndata: a\n\nid: 2\n\n";
    // It updates `last_event_id()` only when it yields an event.
    let es = es_run(&[input]);
    assert_eq!(es_triples(&es), vec![t("message", "a", "1")]);
    assert_eq!(es.last_event_id, "1");

    let (items, parser) = ours(&[input]);
    assert_eq!(
        parser.last_event_id(),
        "2",
        "dispatching the id-only block sets it"
    );
    assert!(matches!(&items[1], Item::Block(b) if b.kind() == BlockKind::IdOnly));
}

#[test]
fn retry_with_a_plus_sign_is_accepted_by_eventsource_stream() {
    let input: &[u8] = b"retry: +5\ndata: x\n\n";
    // It parses the value with `str::parse::<u64>`, which accepts a leading `+`;
    // the spec requires ASCII digits only.
    let es = es_run(&[input]);
    assert_eq!(es.events.len(), 1);
    assert_eq!(es.events[0].retry, Some(Duration::from_millis(5)));

    let (items, parser) = ours(&[input]);
    let Item::Event(event) = &items[0] else {
        panic!("expected an event: {items:?}")
    };
    assert_eq!(event.retry_ms, None);
    assert_eq!(parser.reconnection_time_ms(), None);
}
