//! Properties of the fault engine over any input: re-splitting and the
//! faults that only wait keep every byte; changing line endings keeps every
//! event; no fault panics on any bytes, however they are read.

use bytes::Bytes;
use proptest::prelude::*;

use super::engine::split;
use super::rng::SplitMix64;
use super::shaper::{Shaper, Step};
use super::*;
use crate::sse::parser::{Item, Parser};

/// Stream text made of the pieces that matter: fields, line endings of every
/// kind, blank lines, multi-byte characters, a BOM, an invalid byte.
fn stream() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        &b"data: a"[..],
        b"data:",
        b"id: 7",
        b"id",
        b"event: x",
        b"retry: 90",
        b": note",
        b"\n",
        b"\r",
        b"\r\n",
        b"\n\n",
        "é€😀".as_bytes(),
        b"\xEF\xBB\xBF",
        b"\xFF",
        b"zz",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// `bytes` cut into reads at these fractions of its length.
fn reads(bytes: &[u8], cuts: &[usize]) -> Vec<Bytes> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
    at.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0;
    for to in at.into_iter().chain([bytes.len()]) {
        out.push(Bytes::copy_from_slice(&bytes[from..to]));
        from = to;
    }
    out
}

fn run(faults: &Faults, reads: &[Bytes]) -> Vec<Step> {
    let mut shaper = Shaper::new(faults);
    let mut out = Vec::new();
    for read in reads {
        shaper.feed(read, &mut out);
    }
    shaper.finish(&mut out);
    out
}

fn written(steps: &[Step]) -> Vec<u8> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Write(b) => Some(b.to_vec()),
            _ => None,
        })
        .flatten()
        .collect()
}

fn events(bytes: &[u8]) -> Vec<(String, String, String)> {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    let _ = parser.feed(bytes, &mut items);
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_split_keeps_every_byte(bytes in stream(), mode in 0usize..5, seed: u64) {
        let mode = [Split::Fixed(1), Split::Fixed(3), Split::Random { min: 1, max: 7 }, Split::Crlf, Split::Utf8][mode];
        let pieces = split(Bytes::from(bytes.clone()), Some(mode), &mut SplitMix64::new(seed));
        prop_assert_eq!(pieces.concat(), bytes.clone());
        prop_assert!(pieces.iter().all(|p| !p.is_empty()));
        let parsed = {
            let mut parser = Parser::default();
            let mut items = Vec::new();
            for p in &pieces {
                let _ = parser.feed_bytes(p, &mut items);
            }
            items
        };
        let mut whole = Vec::new();
        let _ = Parser::default().feed(&bytes, &mut whole);
        prop_assert_eq!(parsed, whole);
    }

    #[test]
    fn faults_that_only_wait_keep_every_byte(bytes in stream(), cuts in prop::collection::vec(any::<usize>(), 0..6)) {
        let faults = Faults::from_query("stall=2:0&delay=0").unwrap();
        prop_assert_eq!(written(&run(&faults, &reads(&bytes, &cuts))), bytes);
    }

    #[test]
    fn new_line_endings_keep_every_event(bytes in stream(), cuts in prop::collection::vec(any::<usize>(), 0..6), mode in 0usize..4) {
        let mode = ["lf", "crlf", "cr", "mixed"][mode];
        let faults = Faults::from_query(&format!("line-endings={mode}")).unwrap();
        let out = written(&run(&faults, &reads(&bytes, &cuts)));
        prop_assert_eq!(events(&out), events(&bytes));
    }

    #[test]
    fn no_fault_panics_on_any_input(bytes in stream(), cuts in prop::collection::vec(any::<usize>(), 0..6), k in 1u64..4) {
        for query in [
            format!("cut=mid-event:{k}&strip-ids&set-retry=5&line-endings=mixed"),
            format!("cut=events:{k}&drop-blank={k}&insert=bad-utf8:{k}"),
            format!("cut=bytes:{k}&insert=bom:{k}&reset"),
            format!("insert=comment:{k}&stall={k}:0&delay=0-1&seed={k}"),
        ] {
            let faults = Faults::from_query(&query).unwrap();
            let steps = run(&faults, &reads(&bytes, &cuts));
            prop_assert!(matches!(steps.last(), Some(Step::End(_))), "{}", query);
        }
    }
}
