//! Parser throughput: our sans-IO `Parser` against eventsource-stream 0.2.3
//! on the same in-memory input, fed in 64 KiB reads.
//!
//! Workloads:
//! - `small_events`: many events of ~100 bytes of data
//!   (`id: N\nevent: tick\ndata: <100 bytes>\n\n`), the shape of a busy feed;
//! - `large_events`: 1,000 events of 100 KiB of data each.
//!
//! Run with `cargo bench --bench parser`. Throughput is reported per input byte.
//! Before the timed runs it prints how many heap allocations each parser makes
//! per event, counted by this binary's global allocator. Ours should make
//! almost none: an event's strings are slices of the read it came in, and a
//! string is built only for a field cut by a read boundary (at most one line
//! per boundary) or joined from several `data:` lines (none in these workloads).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::Bytes;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use eventsource_stream::Eventsource;
use futures_util::Stream;
use ssetui::sse::{Dispatched, Item, ItemSink, Parser, ParserConfig};

const READ_SIZE: usize = 64 * 1024;

/// The system allocator, counting every allocation and reallocation.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counter is a relaxed atomic with no other effect.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's guarantees for `alloc` are passed on as they are.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: `ptr` and `layout` come from this allocator, which is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made while `run` runs.
fn allocations_during<T>(run: impl FnOnce() -> T) -> (T, u64) {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let out = run();
    (out, ALLOCATIONS.load(Ordering::Relaxed) - before)
}

/// Prints allocations per event for both parsers on one workload.
fn report_allocations(name: &str, reads: &[Bytes]) {
    let (events, ours) = allocations_during(|| ours(reads));
    let (in_place_events, in_place) = allocations_during(|| ours_in_place(reads));
    let (theirs_events, theirs) = allocations_during(|| eventsource_stream(reads));
    let per_event = |allocations: u64, events: usize| allocations as f64 / events.max(1) as f64;
    println!(
        "{name}: ssetui {:.3} allocations per event kept, {:.3} read in place; eventsource-stream {:.3} per event",
        per_event(ours, events),
        per_event(in_place, in_place_events),
        per_event(theirs, theirs_events),
    );
}

/// Events in the small-event workload (`PARSER_BENCH_SMALL_EVENTS` overrides).
/// 200,000 rather than 1,000,000 keeps a run to a couple of minutes: the cost
/// per byte of both parsers does not depend on the stream's length
/// (eventsource-stream re-copies its buffer within each read, not across reads),
/// so the per-byte throughput is the same as with 1,000,000 events.
const SMALL_EVENTS: usize = 200_000;
const LARGE_EVENTS: usize = 1_000;
const LARGE_DATA: usize = 100 * 1024;

fn small_events(count: usize) -> Bytes {
    let data: String = (0..100).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let mut out = String::with_capacity(count * 140);
    for n in 0..count {
        out.push_str(&format!("id: {n}\nevent: tick\ndata: {data}\n\n"));
    }
    Bytes::from(out)
}

fn large_events(count: usize, size: usize) -> Bytes {
    let data: String = (0..size).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let mut out = String::with_capacity(count * (size + 32));
    for n in 0..count {
        out.push_str(&format!("id: {n}\ndata: {data}\n\n"));
    }
    Bytes::from(out)
}

/// The input cut into reads; `Bytes::slice` shares the buffer, nothing is copied.
fn reads(input: &Bytes) -> Vec<Bytes> {
    (0..input.len())
        .step_by(READ_SIZE)
        .map(|start| input.slice(start..(start + READ_SIZE).min(input.len())))
        .collect()
}

/// Events our parser dispatches over the reads.
fn ours(reads: &[Bytes]) -> usize {
    let mut parser = Parser::new(ParserConfig::default());
    let mut items = Vec::new();
    let mut events = 0;
    for read in reads {
        parser.feed_bytes(read, &mut items).expect("within limits");
        events += items.iter().filter(|i| matches!(i, Item::Event(_))).count();
        items.clear();
    }
    parser.finish();
    events
}

/// A sink that reads each event in place, as `print` does: its text is
/// looked at (its length summed), never kept.
#[derive(Default)]
struct InPlace {
    events: usize,
    text_bytes: usize,
}

impl ItemSink for InPlace {
    fn event(&mut self, event: Dispatched<'_>) {
        self.events += 1;
        // Data kept in pieces is read as print reads it, piece by piece.
        let data = match event.data_pieces() {
            Some(pieces) => pieces.iter().map(Bytes::len).sum(),
            None => event.data().len(),
        };
        self.text_bytes += event.event_type().len() + data + event.id().len();
    }

    fn push_item(&mut self, item: Item) {
        black_box(item);
    }
}

/// Events our parser dispatches over the reads, read in place as `print`
/// reads them (noting which data and ids are plain, as it asks).
fn ours_in_place(reads: &[Bytes]) -> usize {
    let mut parser = Parser::new(ParserConfig::default());
    parser.note_plain(true);
    let mut sink = InPlace::default();
    for read in reads {
        parser.feed_bytes(read, &mut sink).expect("within limits");
    }
    parser.finish();
    black_box(sink.text_bytes);
    sink.events
}

/// Events eventsource-stream yields over the reads. Its source is a
/// `stream::iter`, always ready, so a no-op waker drives it without a runtime.
fn eventsource_stream(reads: &[Bytes]) -> usize {
    let source = futures_util::stream::iter(reads.iter().cloned().map(Ok::<_, std::io::Error>));
    let mut stream = pin!(source.eventsource());
    let mut cx = Context::from_waker(Waker::noop());
    let mut events = 0;
    loop {
        match stream.as_mut().poll_next(&mut cx) {
            Poll::Ready(Some(Ok(event))) => {
                black_box(&event);
                events += 1;
            }
            Poll::Ready(Some(Err(err))) => panic!("eventsource-stream failed: {err}"),
            Poll::Ready(None) => return events,
            Poll::Pending => unreachable!("an iter stream is always ready"),
        }
    }
}

fn workload(c: &mut Criterion, name: &str, input: &Bytes, expected: usize) {
    let reads = reads(input);
    assert_eq!(ours(&reads), expected, "our parser miscounted");
    assert_eq!(
        ours_in_place(&reads),
        expected,
        "our parser miscounted in place"
    );
    report_allocations(name, &reads);
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("ssetui", |b| b.iter(|| ours(black_box(&reads))));
    group.bench_function("ssetui in place", |b| {
        b.iter(|| ours_in_place(black_box(&reads)))
    });
    group.bench_function("eventsource-stream", |b| {
        b.iter(|| eventsource_stream(black_box(&reads)))
    });
    group.finish();
}

fn parsers(c: &mut Criterion) {
    let count = std::env::var("PARSER_BENCH_SMALL_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SMALL_EVENTS);
    let small = small_events(count);
    workload(c, "small_events", &small, count);
    drop(small);
    let large = large_events(LARGE_EVENTS, LARGE_DATA);
    workload(c, "large_events", &large, LARGE_EVENTS);
}

criterion_group!(benches, parsers);
criterion_main!(benches);
