//! Property tests of the sans-IO parser: however a stream is split into reads,
//! the parser reports exactly the same items (with the same raw ranges), the
//! same discarded tail and the same last event ID as when fed in one piece.

use std::ops::Range;

use proptest::prelude::*;
use proptest::sample::{Index, select};
use ssetui::sse::{Dispatched, Event, Item, ItemSink, ParseError, Parser, ParserConfig};

/// Everything a parser reports for one stream.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    items: Vec<Item>,
    error: Option<ParseError>,
    discarded: Option<Range<u64>>,
    last_event_id: String,
    reconnection_time_ms: Option<u64>,
    position: u64,
}

fn run(config: ParserConfig, chunks: &[&[u8]]) -> Outcome {
    drive(Parser::new(config), chunks, Vec::new(), |items| items)
}

/// Feeds `chunks` to `parser` (stopping at an error) through `sink`, ends
/// the stream, and reports what it saw, the items taken from the sink.
fn drive<S: ItemSink>(
    mut parser: Parser,
    chunks: &[&[u8]],
    mut sink: S,
    items: impl FnOnce(S) -> Vec<Item>,
) -> Outcome {
    let mut error = None;
    for chunk in chunks {
        if let Err(err) = parser.feed(chunk, &mut sink) {
            error = Some(err);
            break;
        }
    }
    let discarded = parser.finish();
    Outcome {
        items: items(sink),
        error,
        discarded,
        last_event_id: parser.last_event_id().to_owned(),
        reconnection_time_ms: parser.reconnection_time_ms(),
        position: parser.position(),
    }
}

fn run_default(chunks: &[&[u8]]) -> Outcome {
    run(ParserConfig::default(), chunks)
}

/// A sink that reads each event in place, as `print` does, and copies what
/// it read into an event of its own to compare.
#[derive(Default)]
struct ReadInPlace {
    items: Vec<Item>,
}

impl ItemSink for ReadInPlace {
    fn event(&mut self, event: Dispatched<'_>) {
        self.items.push(Item::Event(Event {
            event: event.event().into(),
            data: event.data().into(),
            id: event.id().into(),
            sets_id: event.sets_id(),
            retry_ms: event.retry_ms(),
            raw: event.raw().clone(),
        }));
        // `event_type` is `event` or `message`, as an owned event's is.
        assert_eq!(
            event.event_type(),
            if event.event().is_empty() {
                "message"
            } else {
                event.event()
            }
        );
    }

    fn push_item(&mut self, item: Item) {
        self.items.push(item);
    }
}

/// What `run` reports, with events read in place rather than kept.
fn run_in_place(chunks: &[&[u8]]) -> Outcome {
    drive(Parser::default(), chunks, ReadInPlace::default(), |sink| {
        sink.items
    })
}

/// What `run_in_place` reports, with the parser noting plain text as `print`
/// has it do: a long plain data line then comes in pieces, read as such.
fn run_noting_plain(chunks: &[&[u8]]) -> Outcome {
    #[derive(Default)]
    struct Pieces {
        inner: ReadInPlace,
    }
    impl ItemSink for Pieces {
        fn event(&mut self, event: Dispatched<'_>) {
            let pieces: Option<String> = event.data_pieces().map(|pieces| {
                pieces
                    .iter()
                    .map(|piece| std::str::from_utf8(piece).expect("plain pieces"))
                    .collect()
            });
            self.inner.event(event);
            if let (Some(pieces), Some(Item::Event(kept))) = (pieces, self.inner.items.last()) {
                assert_eq!(*kept.data, pieces, "the pieces are the data");
            }
        }

        fn push_item(&mut self, item: Item) {
            self.inner.push_item(item);
        }
    }
    let mut parser = Parser::default();
    parser.note_plain(true);
    drive(parser, chunks, Pieces::default(), |sink| sink.inner.items)
}

/// Splits `input` at the given points (any order, duplicates give empty reads).
fn split<'a>(input: &'a [u8], points: &[Index]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = points.iter().map(|p| p.index(input.len() + 1)).collect();
    at.sort_unstable();
    let mut chunks = Vec::with_capacity(at.len() + 1);
    let mut start = 0;
    for end in at {
        chunks.push(&input[start..end]);
        start = end;
    }
    chunks.push(&input[start..]);
    chunks
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Pieces of a field value: plain text, colons and spaces, multi-byte UTF-8,
/// invalid bytes, truncated sequences, NUL, a BOM, and a CR (which ends the
/// line early: values are otherwise free of line feeds). Never the letter Q,
/// which marks an unterminated tail in one property.
fn value_atom() -> impl Strategy<Value = Vec<u8>> {
    select(vec![
        &b"a"[..],
        b"xyz",
        b"hello world",
        b" ",
        b":",
        b"0",
        b"123",
        b"+5",
        "\u{e9}".as_bytes(),
        "\u{20ac}".as_bytes(),
        "\u{1F600}".as_bytes(),
        b"\xFF",
        b"\xC0",
        b"\xE2\x82",
        b"\0",
        BOM,
        b"\r",
    ])
    .prop_map(<[u8]>::to_vec)
}

fn value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(value_atom(), 0..5).prop_map(|atoms| atoms.concat())
}

fn ending() -> impl Strategy<Value = &'static [u8]> {
    select(vec![&b"\n"[..], b"\r", b"\r\n"])
}

/// One piece of a realistic stream.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    let name = select(vec![
        &b"data"[..],
        b"data",
        b"data",
        b"event",
        b"id",
        b"retry",
        b"foo",
        b"DATA",
        b"", // with a colon: a comment line
    ]);
    let separator = select(vec![&b":"[..], b": ", b": ", b":  ", b""]);
    prop_oneof![
        6 => (name, separator, value(), ending()).prop_map(|(n, s, v, e)| [n, s, &v, e].concat()),
        // retry lines with digit values, so the reconnection time is exercised.
        1 => (0u32..100_000, ending()).prop_map(|(n, e)| [format!("retry: {n}").as_bytes(), e].concat()),
        3 => ending().prop_map(<[u8]>::to_vec), // a blank line
        1 => Just(BOM.to_vec()),
        1 => value(), // a fragment: joins the next piece's line
    ]
}

/// A stream: an optional leading BOM, then pieces.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    (any::<bool>(), prop::collection::vec(piece(), 0..40)).prop_map(|(bom, pieces)| {
        let mut out = if bom { BOM.to_vec() } else { Vec::new() };
        for p in pieces {
            out.extend_from_slice(&p);
        }
        out
    })
}

/// A stream with long lines among the usual pieces: plain or with one
/// byte that is not, as data, a second data line, a type or a comment.
fn long_stream() -> impl Strategy<Value = Vec<u8>> {
    let long = (
        select(vec![&b"data: "[..], b"data:", b"data: ", b"event: ", b": "]),
        4096usize..20_000,
        prop::option::of((
            any::<Index>(),
            select(vec![&b"\""[..], "\u{e9}".as_bytes(), b"\xFF"]),
        )),
        ending(),
    )
        .prop_map(|(name, len, odd, end)| {
            let mut line = name.to_vec();
            let mut value = vec![b'x'; len];
            if let Some((at, odd)) = odd {
                let at = at.index(len);
                value.splice(at..at + 1, odd.iter().copied());
            }
            line.extend_from_slice(&value);
            line.extend_from_slice(end);
            line
        });
    prop::collection::vec(prop_oneof![3 => piece(), 1 => long], 0..12)
        .prop_map(|pieces| pieces.concat())
}

fn splits() -> impl Strategy<Value = Vec<Index>> {
    prop::collection::vec(any::<Index>(), 0..12)
}

/// 512 cases per property keeps CI fast; `PROPTEST_CASES=100000` searches harder.
fn config() -> ProptestConfig {
    let default = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            512
        },
        ..default
    }
}

proptest! {
    #![proptest_config(config())]

    /// Split reads give the same items, raw ranges, discarded tail, last event
    /// ID and reconnection time as one read.
    #[test]
    fn any_split_gives_the_same_result_as_one_read(input in stream(), points in splits()) {
        let whole = run_default(&[&input]);
        let chunks = split(&input, &points);
        let pieces = run_default(&chunks);
        prop_assert_eq!(&pieces, &whole, "chunks: {:?}", chunks);
        prop_assert_eq!(whole.position, input.len() as u64);
        prop_assert_eq!(&whole.error, &None);

        // Byte at a time, the extreme split.
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&run_default(&bytes), &whole);
    }

    /// An event read in place, as it is dispatched, says what the event kept
    /// says, however the stream is split: the text of a field that is still
    /// a range of its read, and of one kept past its read, decoded or joined.
    #[test]
    fn events_read_in_place_are_the_events_kept(input in stream(), points in splits()) {
        let chunks = split(&input, &points);
        prop_assert_eq!(&run_in_place(&chunks), &run_default(&chunks), "chunks: {:?}", chunks);
        let bytes: Vec<&[u8]> = input.chunks(1).collect();
        prop_assert_eq!(&run_in_place(&bytes), &run_default(&bytes));
    }

    /// With plain text noted (as `print` has it), long plain data lines come
    /// in pieces that are their data, and every item is what a kept parser
    /// reports, however the stream is split.
    #[test]
    fn noting_plain_text_changes_nothing_but_how_long_lines_are_held(input in long_stream(), points in splits()) {
        let chunks = split(&input, &points);
        prop_assert_eq!(&run_noting_plain(&chunks), &run_default(&chunks));
        let reads: Vec<&[u8]> = input.chunks(8192).collect();
        prop_assert_eq!(&run_noting_plain(&reads), &run_default(&reads));
    }

    /// Raw ranges are non-empty, in increasing order, do not overlap, lie in
    /// the input, end on a line ending, and precede the discarded tail.
    #[test]
    fn raw_ranges_are_ordered_disjoint_lines_within_the_input(input in stream(), start in 0u64..1_000_000) {
        let out = run(ParserConfig { start_offset: start, ..ParserConfig::default() }, &[&input]);
        let end = start + input.len() as u64;
        let mut previous_end = start;
        for item in &out.items {
            let raw = item.raw();
            prop_assert!(raw.start < raw.end, "empty raw {:?}", raw);
            prop_assert!(raw.start >= previous_end, "{:?} overlaps or precedes {}", raw, previous_end);
            prop_assert!(raw.end <= end);
            let last = input[(raw.end - start - 1) as usize];
            prop_assert!(last == b'\n' || last == b'\r', "raw {:?} does not end a line", raw);
            previous_end = raw.end;
        }
        if let Some(tail) = &out.discarded {
            prop_assert!(tail.start >= previous_end && tail.start < tail.end && tail.end == end, "tail {:?}", tail);
        }
    }

    /// Each item's raw bytes, parsed on their own and followed by a blank
    /// line (a lone CR), give back the same item: raw covers exactly its block's lines.
    #[test]
    fn raw_bytes_alone_reproduce_their_item(input in stream()) {
        let out = run_default(&[&input]);
        for item in &out.items {
            let raw = item.raw().clone();
            let carried = match item {
                Item::Event(e) => e.id.to_string(),
                Item::Block(_) => String::new(),
            };
            // Past the stream's start a BOM is content, not a BOM: a leading
            // blank line (which makes no item) ends the parser's BOM check.
            let lead: &[u8] = if raw.start == 0 { b"" } else { b"\n" };
            let mut alone = lead.to_vec();
            alone.extend_from_slice(&input[raw.start as usize..raw.end as usize]);
            alone.push(b'\r'); // a blank line that cannot join a CR before it into a CRLF
            let config = ParserConfig {
                last_event_id: carried,
                start_offset: raw.start - lead.len() as u64,
                ..ParserConfig::default()
            };
            let again = run(config, &[&alone]);
            prop_assert_eq!(again.items, vec![item.clone()], "raw {:?}", raw);
        }
    }

    /// Nothing after the last line ending is ever dispatched: items are those
    /// of the stream without the tail, and the tail is reported as discarded.
    #[test]
    fn unterminated_tail_is_never_dispatched(input in stream(), tail in value(), points in splits()) {
        // The tail must stay unterminated: drop any CR the value atoms added.
        let cut = input.len();
        let mut with_tail = input.clone();
        with_tail.extend_from_slice(b"data: QQ");
        with_tail.extend(tail.into_iter().filter(|&b| b != b'\r'));

        let without = run_default(&[&input]);
        let chunks = split(&with_tail, &points);
        let out = run_default(&chunks);
        prop_assert_eq!(&out.items, &without.items);
        prop_assert_eq!(&out.last_event_id, &without.last_event_id);
        for item in &out.items {
            if let Item::Event(e) = item {
                prop_assert!(!e.data.contains("QQ"), "tail content dispatched: {:?}", e);
            }
        }
        let discarded = out.discarded.expect("the tail is discarded");
        prop_assert!(discarded.start <= cut as u64, "{:?} misses the tail from {}", discarded, cut);
        prop_assert_eq!(discarded.end, with_tail.len() as u64);
    }

    /// Arbitrary bytes in arbitrary reads never panic, with any size limit,
    /// and an error leaves the parser failed for good.
    #[test]
    fn never_panics_on_arbitrary_bytes(
        input in prop::collection::vec(any::<u8>(), 0..512),
        points in splits(),
        limit in prop_oneof![Just(usize::MAX), 0usize..64],
    ) {
        let chunks = split(&input, &points);
        let mut parser = Parser::new(ParserConfig { max_event_size: limit, ..ParserConfig::default() });
        let mut items = Vec::new();
        let mut failed = false;
        for chunk in &chunks {
            let result = parser.feed(chunk, &mut items);
            if failed {
                prop_assert!(result.is_err(), "a failed parser accepted more input");
            }
            failed |= result.is_err();
        }
        let _ = parser.finish();
        prop_assert!(parser.position() <= input.len() as u64);
        if !failed {
            prop_assert_eq!(parser.position(), input.len() as u64);
        }
    }

    /// The same for bytes that look like a stream: mostly structure, some noise.
    #[test]
    fn never_panics_on_noisy_streams(input in stream(), noise in prop::collection::vec((any::<Index>(), any::<u8>()), 0..8), points in splits()) {
        let mut input = input;
        for (at, byte) in noise {
            if !input.is_empty() {
                let i = at.index(input.len());
                input[i] = byte;
            }
        }
        let whole = run_default(&[&input]);
        let pieces = run_default(&split(&input, &points));
        prop_assert_eq!(pieces, whole);
    }
}

proptest! {
    #![proptest_config(config())]

    /// With a small size limit, whether and where the stream fails does not
    /// depend on how it is split: the same items come before the error.
    #[test]
    fn size_limit_failure_does_not_depend_on_the_split(input in stream(), points in splits(), limit in 0usize..120) {
        let config = || ParserConfig { max_event_size: limit, ..ParserConfig::default() };
        let whole = run(config(), &[&input]);
        let pieces = run(config(), &split(&input, &points));
        prop_assert_eq!(&pieces.items, &whole.items);
        prop_assert_eq!(pieces.error.is_some(), whole.error.is_some(), "split {:?} whole {:?}", pieces.error, whole.error);
        if whole.error.is_none() {
            prop_assert_eq!(&pieces, &whole);
        }
    }
}

// ---- a corpus of tricky inputs ------------------------------------------------
//
// Regression tests with exact expectations: events, raw ranges, the discarded
// tail, the last event ID and the reconnection time. Each case is also fed
// byte by byte and split in two at every offset, and must give the same
// outcome. Any input that ever crashed the parser (from proptest or from the
// cargo-fuzz target in fuzz/) is added here.

/// One item in a compact, readable form.
fn show(item: &Item) -> String {
    match item {
        Item::Event(e) => format!(
            "event {:?} {:?} id={:?} raw={}..{}",
            e.event_type(),
            e.data,
            e.id,
            e.raw.start,
            e.raw.end
        ),
        Item::Block(b) => format!(
            "block id={:?} retry={:?} comments={} raw={}..{}",
            b.id, b.retry_ms, b.comment_lines, b.raw.start, b.raw.end
        ),
    }
}

struct Case {
    name: &'static str,
    chunks: Vec<&'static [u8]>,
    items: Vec<&'static str>,
    discarded: Option<Range<u64>>,
    last_event_id: &'static str,
    reconnection_time_ms: Option<u64>,
}

fn case(name: &'static str, chunks: Vec<&'static [u8]>, items: Vec<&'static str>) -> Case {
    Case {
        name,
        chunks,
        items,
        discarded: None,
        last_event_id: "",
        reconnection_time_ms: None,
    }
}

impl Case {
    fn discarded(mut self, range: Range<u64>) -> Self {
        self.discarded = Some(range);
        self
    }
    fn id(mut self, id: &'static str) -> Self {
        self.last_event_id = id;
        self
    }
    fn retry(mut self, ms: u64) -> Self {
        self.reconnection_time_ms = Some(ms);
        self
    }
}

fn tricky_cases() -> Vec<Case> {
    vec![
        case(
            "BOM split across three reads",
            vec![b"\xEF", b"\xBB", b"\xBFdata: a\n\n"],
            vec![r#"event "message" "a" id="" raw=0..11"#],
        ),
        case(
            "two BOM bytes then not a BOM: they are line content",
            vec![b"\xEF\xBB", b"Xdata: a\n\ndata: b\n\n"],
            vec![
                "block id=None retry=None comments=0 raw=0..11",
                r#"event "message" "b" id="" raw=12..20"#,
            ],
        ),
        case(
            "a BOM after the start is content, not stripped",
            vec![b"data: a\n\n\xEF\xBB\xBFdata: b\n\n"],
            vec![
                r#"event "message" "a" id="" raw=0..8"#,
                "block id=None retry=None comments=0 raw=9..20",
            ],
        ),
        case(
            "CR at the end of a read, LF first in the next",
            vec![b"data: a\r", b"\ndata: b\r", b"\r"],
            vec![r#"event "message" "a\nb" id="" raw=0..17"#],
        ),
        case(
            "CRLF split between the CR and the LF of the blank line",
            vec![b"data: a\r\n\r", b"\ndata: b\r\n\r\n"],
            vec![
                r#"event "message" "a" id="" raw=0..9"#,
                r#"event "message" "b" id="" raw=11..20"#,
            ],
        ),
        case(
            "lone CRs end lines",
            vec![b"data: a\rdata: b\r\r"],
            vec![r#"event "message" "a\nb" id="" raw=0..16"#],
        ),
        case(
            "CR CR LF is a line ending then one blank line",
            vec![b"data: a\r\r\ndata: b\n\n"],
            vec![
                r#"event "message" "a" id="" raw=0..8"#,
                r#"event "message" "b" id="" raw=10..18"#,
            ],
        ),
        case(
            "only line endings make nothing",
            vec![b"\n\r\n\r\r\n\n"],
            vec![],
        ),
        case(
            "NUL in data is kept",
            vec![b"data: a\0b\n\n"],
            vec!["event \"message\" \"a\\0b\" id=\"\" raw=0..10"],
        ),
        case(
            "an id with NUL is ignored, the earlier id stays",
            vec![b"id: 1\n\nid: x\0y\ndata: d\n\n"],
            vec![
                r#"block id=Some("1") retry=None comments=0 raw=0..6"#,
                r#"event "message" "d" id="1" raw=7..23"#,
            ],
        )
        .id("1"),
        case(
            "an empty id clears the last event ID",
            vec![b"id: 5\ndata: a\n\nid\ndata: b\n\n"],
            vec![
                r#"event "message" "a" id="5" raw=0..14"#,
                r#"event "message" "b" id="" raw=15..26"#,
            ],
        ),
        case(
            "data without a colon appends an empty line",
            vec![b"data\n\ndata\ndata\n\n"],
            vec![
                r#"event "message" "" id="" raw=0..5"#,
                r#"event "message" "\n" id="" raw=6..16"#,
            ],
        ),
        case(
            "only one leading space is stripped, colons after the first are value",
            vec![b"data:  two\ndata::x: y\n\n"],
            vec![r#"event "message" " two\n:x: y" id="" raw=0..22"#],
        ),
        case(
            "retry with garbage, a sign or an extra space is ignored",
            vec![b"retry: 12a\n\nretry: -1\n\nretry:  5\n\nretry: 7\n\n"],
            vec![
                "block id=None retry=None comments=0 raw=0..11",
                "block id=None retry=None comments=0 raw=12..22",
                "block id=None retry=None comments=0 raw=23..33",
                "block id=None retry=Some(7) comments=0 raw=34..43",
            ],
        )
        .retry(7),
        case(
            "a retry too large for u64 saturates",
            vec![b"retry: 99999999999999999999999\n\n"],
            vec!["block id=None retry=Some(18446744073709551615) comments=0 raw=0..31"],
        )
        .retry(u64::MAX),
        case(
            "invalid UTF-8 split across reads",
            vec![b"data: \xE2\x82", b"\xAC\xFF", b"\n\n"],
            vec!["event \"message\" \"\u{20ac}\u{fffd}\" id=\"\" raw=0..11"],
        ),
        case(
            "a truncated character at a line end is replaced",
            vec![b"data: \xE2\x82\nevent: \xC0\n\n"],
            vec!["event \"\u{fffd}\" \"\u{fffd}\" id=\"\" raw=0..18"],
        ),
        case(
            "event without data dispatches nothing and does not carry over",
            vec![b"event: e\n\ndata: x\n\n"],
            vec![
                "block id=None retry=None comments=0 raw=0..9",
                r#"event "message" "x" id="" raw=10..18"#,
            ],
        ),
        case(
            "comments only, one with no text",
            vec![b":\n: ping\n\n:\r\n\r\n"],
            vec![
                "block id=None retry=None comments=2 raw=0..9",
                "block id=None retry=None comments=1 raw=10..13",
            ],
        ),
        case(
            "an unterminated last line is discarded",
            vec![b"data: a\n\ndata: b"],
            vec![r#"event "message" "a" id="" raw=0..8"#],
        )
        .discarded(9..16),
        case(
            "an unterminated block is discarded with its id",
            vec![b"id: 1\ndata: a\n\nid: 2\ndata: b\n"],
            vec![r#"event "message" "a" id="1" raw=0..14"#],
        )
        .id("1")
        .discarded(15..29),
    ]
}

#[test]
fn tricky_inputs_give_the_expected_items_however_they_are_split() {
    for case in tricky_cases() {
        let whole: Vec<u8> = case.chunks.concat();
        let out = run_default(&case.chunks);
        let shown: Vec<String> = out.items.iter().map(show).collect();
        assert_eq!(shown, case.items, "{}", case.name);
        assert_eq!(out.error, None, "{}", case.name);
        assert_eq!(out.discarded, case.discarded, "{}", case.name);
        assert_eq!(out.last_event_id, case.last_event_id, "{}", case.name);
        assert_eq!(
            out.reconnection_time_ms, case.reconnection_time_ms,
            "{}",
            case.name
        );
        assert_eq!(out.position, whole.len() as u64, "{}", case.name);

        let bytes: Vec<&[u8]> = whole.chunks(1).collect();
        assert_eq!(run_default(&bytes), out, "{}: byte by byte", case.name);
        for cut in 0..=whole.len() {
            let (a, b) = whole.split_at(cut);
            assert_eq!(run_default(&[a, b]), out, "{}: split at {cut}", case.name);
        }
    }
}

#[test]
fn a_huge_field_name_is_one_ignored_line() {
    let mut input = vec![b'x'; 100_000];
    input.extend_from_slice(b": v\ndata: ok\n\n");
    let out = run_default(&[&input[..70_000], &input[70_000..]]);
    let shown: Vec<String> = out.items.iter().map(show).collect();
    assert_eq!(shown, [r#"event "message" "ok" id="" raw=0..100013"#]);
    assert_eq!(out, run_default(&[&input]));
}

#[test]
fn the_size_limit_counts_the_whole_line_and_is_inclusive() {
    let config = || ParserConfig {
        max_event_size: 10,
        ..ParserConfig::default()
    };
    // "data: 1234" is 10 bytes: at the limit, accepted.
    let out = run(config(), &[b"data: 12", b"34\n\n"]);
    assert_eq!(out.error, None);
    assert_eq!(out.items.len(), 1);
    // One byte more, whether it comes in one read or two, is refused.
    for chunks in [&[&b"data: 12345\n\n"[..]][..], &[b"data: 12", b"345\n\n"]] {
        let out = run(config(), chunks);
        assert_eq!(
            out.error,
            Some(ParseError::EventTooLarge {
                limit: 10,
                size: 11
            }),
            "{chunks:?}"
        );
        assert!(out.items.is_empty());
    }
}
