use std::convert::Infallible;
use std::io::Read as _;
use std::time::Duration;

use bytes::Bytes;

use super::engine::{Ending, split};
use super::rng::SplitMix64;
use super::shaper::{Shaper, Step};
use super::*;
use crate::sse::parser::{Item, Parser};

const STREAM: &str = "id: 1\nevent: tick\ndata: one\n\n: a comment\n\nid: 2\r\ndata: två ünïcödé\r\n\r\nid: 3\rdata: three\r\rretry: 500\ndata: four\n\n";

/// `(type, data, id)` of each event the project's parser finds in `bytes`, fed as `reads`.
fn events_of(reads: &[Bytes]) -> Vec<(String, String, String)> {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    for read in reads {
        parser.feed_bytes(read, &mut items).unwrap();
    }
    items
        .into_iter()
        .filter_map(|item| match item {
            Item::Event(e) => Some((
                e.event_type().to_owned(),
                e.data.to_string(),
                e.id.to_string(),
            )),
            Item::Block(_) => None,
        })
        .collect()
}

fn parse(faults: &str) -> Faults {
    Faults::from_query(faults).unwrap()
}

/// The steps of the structural faults on `reads`.
fn steps(faults: &Faults, reads: &[&str]) -> Vec<Step> {
    let mut shaper = Shaper::new(faults);
    let mut out = Vec::new();
    for read in reads {
        shaper.feed(&Bytes::copy_from_slice(read.as_bytes()), &mut out);
    }
    shaper.finish(&mut out);
    out
}

fn written(steps: &[Step]) -> Vec<u8> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Write(b) => Some(&b[..]),
            _ => None,
        })
        .flatten()
        .copied()
        .collect()
}

fn ending(steps: &[Step]) -> Option<Ending> {
    match steps.last() {
        Some(Step::End(e)) => Some(*e),
        _ => None,
    }
}

/// Everything [`apply`] sends for `faults` on `reads`, and how it ended.
async fn applied(faults: Faults, reads: &[&str]) -> (Vec<Bytes>, Option<std::io::Error>, Ending) {
    let input: Vec<Result<Bytes, Infallible>> = reads
        .iter()
        .map(|r| Ok(Bytes::copy_from_slice(r.as_bytes())))
        .collect();
    let (end_tx, end_rx) = std::sync::mpsc::channel();
    let mut stream = apply(faults, tokio_stream::iter(input), None, move |e| {
        let _ = end_tx.send(e);
    });
    let mut writes = Vec::new();
    let mut error = None;
    use tokio_stream::StreamExt as _;
    while let Some(item) = tokio::time::timeout(Duration::from_secs(10), stream.next())
        .await
        .expect("the engine ends in time")
    {
        match item {
            Ok(b) => writes.push(b),
            Err(e) => error = Some(e),
        }
    }
    (writes, error, end_rx.recv().unwrap())
}

fn joined(writes: &[Bytes]) -> Vec<u8> {
    writes.iter().flat_map(|b| b.iter().copied()).collect()
}

// ---- the options ---------------------------------------------------------

#[test]
fn every_value_reads_back_in_its_canonical_form() {
    for (text, canonical) in [
        ("split=1", "split=1"),
        ("split=16", "split=16"),
        ("split=random:1-7&seed=42", "split=random:1-7 seed=42"),
        ("split=crlf", "split=crlf"),
        ("split=utf8", "split=utf8"),
        ("delay=200", "delay=200"),
        ("delay=50-500&seed=1", "delay=50-500 seed=1"),
        ("stall=5:10", "stall=5:10"),
        ("stall=2:0.5", "stall=2:0.5"),
        ("cut=events:3", "cut=events:3"),
        ("cut=bytes:100", "cut=bytes:100"),
        ("cut=mid-event:3", "cut=mid-event:3"),
        ("reset", "reset=1"),
        ("reconnect-status=503:2", "reconnect-status=503:2"),
        ("reconnect_status=429", "reconnect-status=429"),
        ("last-event-id=honor", "last-event-id=honour"),
        ("line-endings=mixed", "line-endings=mixed"),
        ("drop-blank=2", "drop-blank=2"),
        ("insert=bad-utf8:2", "insert=bad-utf8:2"),
        ("insert=bom", "insert=bom:1"),
        ("strip-ids=1", "strip-ids=1"),
        ("set-retry=100", "set-retry=100"),
        ("buffer=64", "buffer=64"),
        ("gzip=true", "gzip=1"),
        ("seed=9", ""),
    ] {
        assert_eq!(parse(text).describe(), canonical, "{text}");
        if !canonical.is_empty() {
            let again = parse(&canonical.replace(' ', "&"));
            assert_eq!(again, parse(text), "{text}");
        }
    }
}

#[test]
fn a_bad_value_names_the_parameter_and_the_accepted_forms() {
    for (query, says) in [
        (
            "split=0",
            "split: \"0\" is not a split: give 1, N (bytes per write), random:A-B, crlf or utf8",
        ),
        ("split=random:7-1", "random:A-B"),
        ("split=random:0-3", "random:A-B"),
        ("cut=middle", "events:N, bytes:N or mid-event:K"),
        ("cut=mid-event:0", "mid-event:K"),
        ("stall=5", "K:SECS"),
        ("reconnect-status=200", "from 400 to 599"),
        ("last-event-id=maybe", "ignore or honour"),
        ("line-endings=nel", "lf, crlf, cr or mixed"),
        ("drop-blank=0", "from 1"),
        ("insert=nul", "comment, bom or bad-utf8"),
        ("gzip=perhaps", "1 or 0"),
        ("buffer=-1", "KiB"),
    ] {
        let err = Faults::from_query(query).unwrap_err();
        assert!(err.contains(says), "{query}: {err}");
        let name = query.split('=').next().unwrap();
        assert!(
            err.starts_with(&format!("query parameter {name}: ")),
            "{err}"
        );
    }
}

#[test]
fn a_query_overrides_the_flags_and_ignores_other_parameters() {
    let flags = parse("split=1&cut=events:2&gzip");
    let faults = flags
        .with_query("count=5&split=crlf&gzip=0&interval_ms=10")
        .unwrap();
    assert_eq!(faults.split, Some(Split::Crlf));
    assert_eq!(faults.cut, Some(Cut::Events(2)));
    assert!(!faults.gzip);
    assert!(!Faults::from_query("count=5").unwrap().is_active());
    assert!(!Faults::from_query("seed=5").unwrap().is_active());
}

#[test]
fn a_seed_is_chosen_only_for_random_faults_and_kept_when_given() {
    let mut fixed = parse("split=1");
    assert_eq!(fixed.choose_seed(), None);
    let mut random = parse("split=random:1-3");
    let seed = random.choose_seed().expect("a seed");
    assert!(random.describe().ends_with(&format!("seed={seed}")));
    let mut given = parse("delay=1-5&seed=7");
    assert_eq!(given.choose_seed(), Some(7));
}

#[test]
fn the_generator_is_fixed_by_its_seed() {
    let draw = |seed| {
        let mut rng = SplitMix64::new(seed);
        (0..8).map(|_| rng.between(1, 7)).collect::<Vec<_>>()
    };
    assert_eq!(draw(42), draw(42));
    assert_ne!(draw(42), draw(43));
    assert!(draw(1).iter().all(|n| (1..=7).contains(n)));
    assert_eq!(SplitMix64::new(0).between(u64::MAX, 3), u64::MAX);
    let _ = SplitMix64::new(0).between(0, u64::MAX);
}

// ---- re-splitting ---------------------------------------------------------

#[test]
fn every_split_keeps_the_bytes_and_the_events() {
    let original = Bytes::from_static(STREAM.as_bytes());
    let expected = events_of(std::slice::from_ref(&original));
    assert_eq!(expected.len(), 4);
    for mode in ["1", "3", "random:1-7", "crlf", "utf8"] {
        let pieces = split(
            original.clone(),
            Some(mode.parse().unwrap()),
            &mut SplitMix64::new(7),
        );
        assert_eq!(joined(&pieces), STREAM.as_bytes(), "{mode}");
        assert!(pieces.iter().all(|p| !p.is_empty()), "{mode}");
        assert_eq!(events_of(&pieces), expected, "{mode}");
    }
    let bytes = split(
        original.clone(),
        Some(Split::Fixed(1)),
        &mut SplitMix64::new(0),
    );
    assert_eq!(bytes.len(), STREAM.len(), "every byte alone");
}

#[test]
fn the_same_seed_splits_the_same_and_another_seed_otherwise() {
    let sizes = |seed| {
        split(
            Bytes::from_static(STREAM.as_bytes()),
            Some("random:1-7".parse().unwrap()),
            &mut SplitMix64::new(seed),
        )
        .iter()
        .map(Bytes::len)
        .collect::<Vec<_>>()
    };
    assert_eq!(sizes(42), sizes(42));
    assert_ne!(sizes(42), sizes(43));
    assert!(sizes(42).iter().all(|n| (1..=7).contains(n)));
}

#[test]
fn crlf_and_utf8_splits_land_inside_every_crlf_and_character() {
    let original = Bytes::from_static(STREAM.as_bytes());
    let crlf = split(original.clone(), Some(Split::Crlf), &mut SplitMix64::new(0));
    assert!(crlf.iter().all(|p| !p.windows(2).any(|w| w == b"\r\n")));
    assert_eq!(
        crlf.iter().filter(|p| p.ends_with(b"\r")).count(),
        STREAM.matches("\r\n").count()
    );
    let utf8 = split(original, Some(Split::Utf8), &mut SplitMix64::new(0));
    let multibyte = STREAM.chars().filter(|c| c.len_utf8() > 1).count();
    assert_eq!(multibyte, 5);
    // Every piece after the first starts with a continuation byte or not: the
    // ones that do are exactly one per multi-byte character.
    let inside = utf8
        .iter()
        .skip(1)
        .filter(|p| (0x80..=0xBF).contains(&p[0]))
        .count();
    assert_eq!(inside, multibyte);
    assert!(
        utf8.iter()
            .all(|p| std::str::from_utf8(p).is_err() || p.is_ascii())
    );
}

// ---- cuts and endings -----------------------------------------------------

#[test]
fn a_cut_after_n_events_ends_right_after_the_nth_events_blank_line() {
    let s = steps(
        &parse("cut=events:2"),
        &[
            "id: 1\ndata: a\n\n: c\n\nid: 2\nda",
            "ta: b\n\nid: 3\ndata: c\n\n",
        ],
    );
    assert_eq!(written(&s), b"id: 1\ndata: a\n\n: c\n\nid: 2\ndata: b\n\n");
    assert_eq!(ending(&s), Some(Ending::Cut));
    let reset = steps(&parse("cut=events:2&reset"), &[STREAM]);
    assert_eq!(ending(&reset), Some(Ending::Reset));
    assert_eq!(
        ending(&steps(&parse("cut=events:0"), &[STREAM])),
        Some(Ending::Cut)
    );
    assert!(written(&steps(&parse("cut=events:0"), &[STREAM])).is_empty());
}

#[test]
fn a_cut_after_n_bytes_sends_exactly_n() {
    for n in [0, 1, 17, STREAM.len() - 1] {
        let s = steps(
            &parse(&format!("cut=bytes:{n}")),
            &[&STREAM[..10], &STREAM[10..]],
        );
        assert_eq!(written(&s), &STREAM.as_bytes()[..n], "{n}");
        assert_eq!(ending(&s), Some(Ending::Cut));
    }
    let beyond = steps(&parse("cut=bytes:100000"), &[STREAM]);
    assert_eq!(written(&beyond), STREAM.as_bytes());
    assert_eq!(
        ending(&beyond),
        Some(Ending::Upstream),
        "the stream ended first"
    );
}

#[test]
fn a_cut_mid_event_sends_half_of_it_and_never_its_blank_line() {
    let s = steps(
        &parse("cut=mid-event:2"),
        &["id: 1\ndata: a\n\nid: 2\ndata: bbbbbbbb\n\nid: 3\ndata: c\n\n"],
    );
    let out = written(&s);
    assert!(
        out.starts_with(b"id: 1\ndata: a\n\nid: 2\nda"),
        "{:?}",
        String::from_utf8_lossy(&out)
    );
    assert!(!out.ends_with(b"\n\n"));
    assert_eq!(ending(&s), Some(Ending::Cut));
    let reads = [Bytes::from(out)];
    assert_eq!(
        events_of(&reads),
        [("message".into(), "a".into(), "1".into())]
    );
}

#[test]
fn reset_alone_resets_at_the_streams_end() {
    let s = steps(&parse("reset"), &[STREAM]);
    assert_eq!(written(&s), STREAM.as_bytes());
    assert_eq!(ending(&s), Some(Ending::Reset));
    let before_the_cut = steps(&parse("reset&cut=events:9"), &[STREAM]);
    assert_eq!(
        ending(&before_the_cut),
        Some(Ending::Upstream),
        "the reset is the cut's"
    );
}

// ---- timing ---------------------------------------------------------------

#[test]
fn a_stall_follows_event_k_and_delays_precede_every_event() {
    let s = steps(&parse("stall=2:1.5"), &[STREAM]);
    let at = s.iter().position(|s| matches!(s, Step::Wait(_))).unwrap();
    assert_eq!(s[at], Step::Wait(Duration::from_millis(1500)));
    assert_eq!(events_of(&[Bytes::from(written(&s[..at]))]).len(), 2);
    let d = steps(&parse("delay=10-20&seed=3"), &[STREAM]);
    let waits: Vec<Duration> = d
        .iter()
        .filter_map(|s| match s {
            Step::Wait(w) => Some(*w),
            _ => None,
        })
        .collect();
    assert_eq!(waits.len(), 4, "one per event, none for the comment");
    assert!(waits.iter().all(|w| (10..=20).contains(&w.as_millis())));
    assert_eq!(written(&d), STREAM.as_bytes(), "timing changes no byte");
}

// ---- corruption -----------------------------------------------------------

#[test]
fn line_endings_change_every_ending_and_nothing_else() {
    let expected = events_of(&[Bytes::from_static(STREAM.as_bytes())]);
    for (mode, only) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r"), ("mixed", "")] {
        let out = written(&steps(&parse(&format!("line-endings={mode}")), &[STREAM]));
        assert_eq!(events_of(&[Bytes::from(out.clone())]), expected, "{mode}");
        let text = String::from_utf8(out).unwrap();
        match mode {
            "crlf" => assert_eq!(text.replace("\r\n", "").matches(['\r', '\n']).count(), 0),
            "mixed" => {
                assert!(text.contains("\r\n") && text.replace("\r\n", "").contains('\r'));
                assert!(text.replace("\r\n", "").contains('\n'));
            }
            _ => assert!(
                !text.contains(if only == "\n" { '\r' } else { '\n' }),
                "{mode}"
            ),
        }
    }
}

#[test]
fn drop_blank_joins_event_k_to_the_next() {
    let out = written(&steps(
        &parse("drop-blank=1"),
        &["data: a\n\ndata: b\n\ndata: c\n\n"],
    ));
    assert_eq!(out, b"data: a\ndata: b\n\ndata: c\n\n");
    let events: Vec<String> = events_of(&[Bytes::from(out)])
        .into_iter()
        .map(|e| e.1)
        .collect();
    assert_eq!(events, ["a\nb", "c"]);
}

#[test]
fn insertions_land_at_event_k() {
    let input = "data: a\n\ndata: b\n\n";
    let comment = written(&steps(&parse("insert=comment:2"), &[input]));
    assert_eq!(comment, b"data: a\n\n: ssetui fault\ndata: b\n\n");
    let bom = written(&steps(&parse("insert=bom"), &[input]));
    assert_eq!(bom, b"\xEF\xBB\xBFdata: a\n\ndata: b\n\n");
    assert_eq!(
        events_of(&[Bytes::from(bom)]).len(),
        2,
        "a leading BOM is stripped"
    );
    let bom2 = written(&steps(&parse("insert=bom:2"), &[input]));
    assert_eq!(
        events_of(&[Bytes::from(bom2)]).len(),
        1,
        "elsewhere it spoils the field name"
    );
    let bad = written(&steps(&parse("insert=bad-utf8:2"), &[input]));
    assert_eq!(bad, b"data: a\n\ndata: b\xFF\n\n");
    assert_eq!(events_of(&[Bytes::from(bad)])[1].1, "b\u{FFFD}");
}

#[test]
fn strip_ids_and_set_retry_change_only_those_lines() {
    let out = written(&steps(&parse("strip-ids&set-retry=100"), &[STREAM]));
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.starts_with("retry: 100\n\n"));
    assert!(!text.contains("id:"));
    assert!(text.contains("retry: 100\ndata: four"));
    assert!(!text.contains("500"));
    let mut parser = Parser::default();
    let mut items = Vec::new();
    parser.feed(&out, &mut items).unwrap();
    assert_eq!(parser.reconnection_time_ms(), Some(100));
    let ids: Vec<String> = events_of(&[Bytes::from(out)])
        .into_iter()
        .map(|e| e.2)
        .collect();
    assert_eq!(ids, ["", "", "", ""]);
}

// ---- the engine's byte-level faults ------------------------------------------

#[tokio::test]
async fn buffering_holds_bytes_until_the_size_is_reached() {
    let kib = "x".repeat(1024);
    let reads: Vec<String> = (0..3).map(|i| format!("data: {i}{kib}\n\n")).collect();
    let reads: Vec<&str> = reads.iter().map(String::as_str).collect();
    let (writes, error, end) = applied(parse("buffer=2"), &reads).await;
    assert!(error.is_none());
    assert_eq!(end, Ending::Upstream);
    assert_eq!(joined(&writes), reads.concat().as_bytes());
    assert_eq!(
        writes.len(),
        2,
        "two reads reach 2 KiB, the third is flushed at the end"
    );
    assert!(writes[0].len() >= 2048);
}

#[tokio::test]
async fn gzip_decodes_to_the_original_and_every_write_is_decodable_so_far() {
    let (writes, _, _) = applied(parse("gzip"), &["data: a\n\n", "data: b\n\n"]).await;
    assert!(writes.len() >= 3, "each write flushed, then the trailer");
    let mut first = flate2::read::GzDecoder::new(&writes[0][..]);
    let mut so_far = Vec::new();
    // The first write alone decodes to the first event (the stream is live).
    let _ = first.read_to_end(&mut so_far);
    assert_eq!(so_far, b"data: a\n\n");
    let mut all = String::new();
    flate2::read::GzDecoder::new(&joined(&writes)[..])
        .read_to_string(&mut all)
        .unwrap();
    assert_eq!(all, "data: a\n\ndata: b\n\n");
}

#[tokio::test]
async fn a_reset_ends_the_stream_with_an_error_after_every_byte() {
    let (writes, error, end) = applied(parse("cut=events:1&reset"), &[STREAM]).await;
    assert_eq!(end, Ending::Reset);
    assert_eq!(joined(&writes), b"id: 1\nevent: tick\ndata: one\n\n");
    assert_eq!(error.unwrap().kind(), std::io::ErrorKind::ConnectionReset);
}

#[tokio::test]
async fn no_fault_passes_the_reads_through_as_they_came() {
    let reads = ["id: 1\nda", "ta: a\n\n", "da"];
    let (writes, error, end) = applied(Faults::default(), &reads).await;
    assert!(error.is_none());
    assert_eq!(end, Ending::Upstream);
    assert_eq!(writes, reads.map(|r| Bytes::from_static(r.as_bytes())));
}
