//! The UI under a firehose: one tab retains 1,000,000 events of 100 bytes of
//! data, then events keep arriving at 100,000 a second while frames are drawn.
//!
//! The loop is modelled as the app runs it (`src/app.rs`): every frame
//! interval (33 ms) the messages that arrived are applied with `update`, then
//! the frame is drawn, here to a 200x50 `TestBackend`. Parsing happens in the
//! connection task, so it is done here outside the timings.
//!
//! Printed:
//! - RSS per retained event (the whole process's RSS growth over the fill,
//!   divided by the events retained);
//! - frame time (update of one interval's messages + draw): p50, p99, max;
//! - keystroke to redraw: a key (`k`, `j`, `v`, `/`…) arriving with one
//!   interval's messages queued ahead of it, handled and drawn (the app draws
//!   at once after input, without waiting for the frame interval);
//! - idle: a frame with nothing new, which is what an open, quiet stream costs
//!   when a tick redraws the status bar.
//!
//! Run with `cargo bench --bench ui_frame`. `UI_BENCH_EVENTS` and
//! `UI_BENCH_FRAMES` override the sizes (1,000,000 and 300).
//! `UI_BENCH_SHAPE=openai` sends OpenAI chat chunks instead (as many bytes
//! an event): the list then shows each row's delta text, which it reads
//! from the row's JSON as it draws it.

use std::fs::File;
use std::io::BufWriter;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use reqwest::Url;
use ssetui::message::{Effect, Msg};
use ssetui::sse::{Chunk, ConnMsg, Numbering, Parser, RequestSpec, ResponseInfo, SentRequest};
use ssetui::state::{self, AppState};
use ssetui::ui::{self, ContentCache, Theme};

const READ_SIZE: usize = 64 * 1024;
const FRAME: Duration = Duration::from_millis(33);
const RATE: usize = 100_000;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 50;

/// Feeds a tab the way the connection task does: bytes are parsed into
/// chunks of one 64 KiB read each.
struct Feed {
    parser: Parser,
    offset: u64,
    seq: u64,
    next_id: u64,
    pending: Vec<u8>,
    /// OpenAI chat chunks instead of ticks (`UI_BENCH_SHAPE=openai`).
    openai: bool,
}

impl Feed {
    fn new() -> Self {
        Self {
            parser: Parser::default(),
            offset: 0,
            seq: 0,
            next_id: 1,
            pending: Vec::with_capacity(READ_SIZE + 256),
            openai: std::env::var("UI_BENCH_SHAPE").is_ok_and(|s| s == "openai"),
        }
    }

    /// The chunks carrying the next `events` events.
    fn chunks(&mut self, events: usize) -> Vec<Chunk> {
        let mut out = Vec::new();
        for _ in 0..events {
            let id = self.next_id;
            self.next_id += 1;
            if self.openai {
                // A chat completion chunk adding one token, as OpenAI sends it.
                self.pending.extend_from_slice(
                    format!(
                        "data: {{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" tok{id}\"}},\"finish_reason\":null}}]}}\n\n"
                    )
                    .as_bytes(),
                );
                if self.pending.len() >= READ_SIZE {
                    out.push(self.read());
                }
                continue;
            }
            // 100 bytes of data: a small JSON object, as most feeds send.
            let head = format!("{{\"n\":{id},\"symbol\":\"ACME\",\"price\":12.5,\"note\":\"");
            let pad = 100usize.saturating_sub(head.len() + 2);
            self.pending.extend_from_slice(b"id: ");
            self.pending.extend_from_slice(id.to_string().as_bytes());
            self.pending.extend_from_slice(b"\nevent: tick\ndata: ");
            self.pending.extend_from_slice(head.as_bytes());
            self.pending.extend(std::iter::repeat_n(b'x', pad));
            self.pending.extend_from_slice(b"\"}\n\n");
            if self.pending.len() >= READ_SIZE {
                out.push(self.read());
            }
        }
        if !self.pending.is_empty() {
            out.push(self.read());
        }
        out
    }

    fn read(&mut self) -> Chunk {
        let bytes = Bytes::copy_from_slice(&self.pending);
        self.pending.clear();
        let mut items = Vec::new();
        let mut numbered = Numbering {
            items: &mut items,
            seq: &mut self.seq,
        };
        self.parser
            .feed_bytes(&bytes, &mut numbered)
            .expect("well-formed stream");
        let chunk = Chunk {
            attempt: 1,
            offset: self.offset,
            received_at: SystemTime::now(),
            items,
            bytes,
            facts: Some(self.parser.take_facts()),
        };
        self.offset += chunk.bytes.len() as u64;
        chunk
    }
}

fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn send(state: &mut AppState, msg: ConnMsg) {
    let id = state.active().conn_id.unwrap();
    state::update(state, Msg::Conn { id, msg });
}

fn open(state: &mut AppState) {
    state::connect(state);
    send(
        state,
        ConnMsg::Connecting {
            attempt: 1,
            request: SentRequest {
                method: "GET".into(),
                url: "http://127.0.0.1:8080/firehose".into(),
                headers: vec![("accept".into(), "text/event-stream".into())],
                body_len: None,
                last_event_id: None,
            },
        },
    );
    send(
        state,
        ConnMsg::Opened {
            attempt: 1,
            response: ResponseInfo {
                status: 200,
                version: "HTTP/1.1".into(),
                headers: vec![("content-type".into(), "text/event-stream".into())],
                redirects: Vec::new(),
                final_url: "http://127.0.0.1:8080/firehose".into(),
                time_to_first_byte: Duration::from_millis(1),
            },
        },
    );
}

fn key(c: char) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::NONE,
    )))
}

fn draw(
    terminal: &mut Terminal<TestBackend>,
    state: &AppState,
    theme: &Theme,
    cache: &mut ContentCache,
) {
    terminal
        .draw(|frame| {
            ui::draw(frame, state, theme, cache, Instant::now());
        })
        .expect("test backend draws");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name:<28} p50 {:>7.2} ms   p99 {:>7.2} ms   max {:>7.2} ms   ({} samples)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        times.len()
    );
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument that is not ours skips the run.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && a != "ui_frame")
    {
        return;
    }
    let events = env_usize("UI_BENCH_EVENTS", 1_000_000);
    let frames = env_usize("UI_BENCH_FRAMES", 300);
    let per_frame = RATE * FRAME.as_millis() as usize / 1000;

    let spec = RequestSpec::get(Url::parse("http://127.0.0.1:8080/firehose").expect("url"));
    let mut state = AppState::new(spec, "firehose".into());
    let theme = Theme::new(true);
    let mut cache = ContentCache::default();
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    state::update(&mut state, Msg::Input(TermEvent::Resize(WIDTH, HEIGHT)));
    open(&mut state);
    draw(&mut terminal, &state, &theme, &mut cache);

    // Fill, a read at a time so the generator's memory stays flat.
    let mut feed = Feed::new();
    let rss_before = rss_bytes();
    let fill_started = Instant::now();
    let mut left = events;
    while left > 0 {
        let n = left.min(4_096);
        for chunk in feed.chunks(n) {
            send(&mut state, ConnMsg::Data(chunk));
        }
        left -= n;
    }
    let fill = fill_started.elapsed();
    let rss_after = rss_bytes();
    let retained = state.active().log().events_received();
    println!(
        "ui_frame: {retained} events retained ({} rows listed), {WIDTH}x{HEIGHT}",
        state.active().list.len()
    );
    println!(
        "fill (update only)           {:.2} s, {:.0} events/s",
        fill.as_secs_f64(),
        events as f64 / fill.as_secs_f64()
    );
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!(
            "RSS per retained event       {:.0} bytes ({:.1} MiB for {retained} events; the raw text is {} bytes an event)",
            after.saturating_sub(before) as f64 / retained.max(1) as f64,
            after.saturating_sub(before) as f64 / (1024.0 * 1024.0),
            feed.offset / retained.max(1)
        );
    }

    // Frames while events keep arriving at RATE.
    let mut frame_times = Vec::with_capacity(frames);
    let mut key_times = Vec::new();
    let keys = ['k', 'k', 'j', 'v', 'v', 'g', 'G', 'f', 'f'];
    for i in 0..frames {
        let chunks = feed.chunks(per_frame);
        let keystroke = i % 5 == 4;
        let started = Instant::now();
        for chunk in chunks {
            send(&mut state, ConnMsg::Data(chunk));
        }
        let key_at = Instant::now();
        if keystroke {
            state::update(&mut state, key(keys[(i / 5) % keys.len()]));
        }
        draw(&mut terminal, &state, &theme, &mut cache);
        let done = Instant::now();
        frame_times.push(done - started);
        if keystroke {
            // The key waited behind the interval's messages, then was handled and drawn.
            key_times.push((done - key_at) + (key_at - started));
        }
    }
    summary("frame (update + draw)", frame_times);
    summary("keystroke to redraw", key_times);

    let mut idle = Vec::with_capacity(100);
    for _ in 0..100 {
        let started = Instant::now();
        state::update(&mut state, Msg::Tick(Instant::now()));
        draw(&mut terminal, &state, &theme, &mut cache);
        idle.push(started.elapsed());
    }
    summary("idle frame (tick + draw)", idle);

    jq_filter_while_streaming(&mut state, &mut feed, &mut terminal, &theme, &mut cache);
    save_while_streaming(&mut state, &mut feed, &mut terminal, &theme, &mut cache);
}

/// A `jq:` search shown with `F` over the retained million, events still
/// arriving at RATE: each `F` makes the list look at every row again. The
/// loop is modelled as the app runs it: messages, then a slice of the
/// relisting per batch, then a frame. Printed: keystroke latency (the search
/// typed and `F` pressed on and off), and how long a relisting takes.
fn jq_filter_while_streaming(
    state: &mut AppState,
    feed: &mut Feed,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
    cache: &mut ContentCache,
) {
    let mut keys: Vec<Msg> = vec![key('/')];
    keys.extend("jq:.n % 7 == 0".chars().map(key));
    keys.push(Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    ))));
    // Filter on, off, on again: each a look at every row.
    keys.extend(['F', 'F', 'F'].map(key));
    let started = Instant::now();
    let mut fed = 0;
    let mut key_times = Vec::new();
    let mut relist_started = None;
    let mut relists = Vec::new();
    let mut pending = keys.into_iter();
    let mut next_key = pending.next();
    let mut i = 0usize;
    while next_key.is_some() || state.is_relisting() {
        let due = (started.elapsed().as_secs_f64() * RATE as f64) as usize;
        for chunk in feed.chunks(due.saturating_sub(fed)) {
            send(state, ConnMsg::Data(chunk));
        }
        fed = due;
        // A key every fourth frame, the relisting going on between.
        let key_now = i.is_multiple_of(4);
        i += 1;
        let frame_started = Instant::now();
        if key_now && let Some(k) = next_key.take() {
            state::update(state, k);
            next_key = pending.next();
            if state.is_relisting() && relist_started.is_none() {
                relist_started = Some(Instant::now());
            }
            draw(terminal, state, theme, cache);
            key_times.push(frame_started.elapsed());
            continue;
        }
        if state.is_relisting() {
            state::update(state, Msg::Tick(Instant::now()));
            if !state.is_relisting()
                && let Some(at) = relist_started.take()
            {
                relists.push(at.elapsed());
            }
        }
        draw(terminal, state, theme, cache);
    }
    summary("keystroke, jq: filter (F)", key_times);
    summary("jq: relisting of 1M rows", relists);
}

/// `S` with the log full and events still arriving: the key takes a
/// snapshot at once, the files are written on another thread (as the app's
/// blocking pool does), and frames and keys go on meanwhile. Printed: the
/// save's time, keystroke latency while it runs, and peak RSS against RSS
/// before the key.
fn save_while_streaming(
    state: &mut AppState,
    feed: &mut Feed,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
    cache: &mut ContentCache,
) {
    let per_frame = RATE * FRAME.as_millis() as usize / 1000;
    let dir = std::env::temp_dir().join(format!("ssetui-ui-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let rss_before = rss_bytes().unwrap_or(0);
    let started = Instant::now();
    let effects = state::update(state, key('S'));
    draw(terminal, state, theme, cache);
    let key_s = started.elapsed();
    let Some(Effect::SaveStream {
        snapshot, request, ..
    }) = effects.into_iter().next()
    else {
        println!("save: S gave no save");
        return;
    };
    let (ndjson, capture) = (dir.join("bench.ndjson"), dir.join("bench.ssecap"));
    let writer = std::thread::spawn(move || {
        let started = Instant::now();
        let mut out = BufWriter::new(File::create(&ndjson).expect("a temp file"));
        let events = snapshot.write_ndjson(&mut out).expect("written");
        drop(out);
        let out = BufWriter::new(File::create(&capture).expect("a temp file"));
        snapshot.write_capture(&request, out).expect("written");
        (events, started.elapsed())
    });
    let mut key_times = Vec::new();
    let mut peak = rss_before;
    let keys = ['k', 'j', 'k', 'j'];
    let mut i = 0;
    // Events arrive at RATE in real time (the loop runs as fast as it can,
    // so it feeds what the clock says has arrived, not a frame's worth).
    let mut fed = 0;
    while !writer.is_finished() {
        let due = (started.elapsed().as_secs_f64() * RATE as f64) as usize;
        let chunks = feed.chunks(due.saturating_sub(fed).min(per_frame * 4));
        fed = due;
        let frame_started = Instant::now();
        for chunk in chunks {
            send(state, ConnMsg::Data(chunk));
        }
        let key_at = Instant::now();
        state::update(state, key(keys[i % keys.len()]));
        draw(terminal, state, theme, cache);
        let done = Instant::now();
        key_times.push((done - key_at) + (key_at - frame_started));
        peak = peak.max(rss_bytes().unwrap_or(0));
        i += 1;
    }
    let (events, took) = writer.join().expect("the writer thread");
    let _ = std::fs::remove_dir_all(&dir);
    println!(
        "save (S) of {events} events      key {:.2} ms, written in {:.2} s on another thread",
        key_s.as_secs_f64() * 1e3,
        took.as_secs_f64()
    );
    summary("keystroke during the save", key_times);
    println!(
        "RSS during the save          {:.1} MiB before, {:.1} MiB at peak (+{:.0}%)",
        rss_before as f64 / (1024.0 * 1024.0),
        peak as f64 / (1024.0 * 1024.0),
        (peak as f64 / rss_before.max(1) as f64 - 1.0) * 100.0
    );
}
