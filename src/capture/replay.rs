//! `ssetui serve --replay FILE`: serves a capture's first attempt as a live
//! stream, at any path, with its original timing scaled by `--speed`.
//!
//! A request carrying `Last-Event-ID` resumes right after the event that set
//! that id: the parser's raw ranges give the byte where the next block starts,
//! so what is sent is the recorded bytes from there, still split as they were read.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::reader::Capture;
use crate::faults::{FaultState, Faults};
use crate::limits::time::later;
use crate::server::{self, Limits, Log};
use crate::sse::{BodyFormat, Item};

/// How fast recorded time passes when replaying.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// Recorded delays divided by this factor (2 = twice as fast).
    Factor(f64),
    /// No waiting at all.
    Max,
}

impl Default for Speed {
    fn default() -> Self {
        Speed::Factor(1.0)
    }
}

impl FromStr for Speed {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("max") {
            return Ok(Speed::Max);
        }
        match s.parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => Ok(Speed::Factor(f)),
            _ => Err(format!(
                "{s:?} is not a speed: give a number above 0 (e.g. 2 or 0.5) or \"max\""
            )),
        }
    }
}

impl Speed {
    /// The wait for a recorded delay of `ms`, or none at `max`. A wait too
    /// long for a `Duration` (a tiny factor, a huge recorded time) is the
    /// longest there is: as good as never.
    fn scale(self, ms: u64) -> Option<Duration> {
        match self {
            Speed::Max => None,
            Speed::Factor(f) => {
                Some(Duration::try_from_secs_f64(ms as f64 / 1000.0 / f).unwrap_or(Duration::MAX))
            }
        }
    }
}

/// How to replay.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ReplayOptions {
    pub speed: Speed,
    /// Start over from the first byte at the end, forever, in the same response.
    pub looped: bool,
}

/// One recorded read of the attempt being replayed.
#[derive(Debug)]
struct Read {
    /// Milliseconds since the response opened.
    at: u64,
    /// Offset of the first byte within the attempt's body.
    offset: usize,
    bytes: Bytes,
}

/// What the server replays: one attempt's reads and where each event's block ends.
#[derive(Debug)]
pub struct Replay {
    reads: Vec<Read>,
    /// `(id in force, offset just past the event's blank line)` for each event, in order.
    resume_points: Vec<(String, usize)>,
    events: usize,
    /// The recorded response's Content-Type, or the one its body format implies.
    content_type: HeaderValue,
    options: ReplayOptions,
}

impl Replay {
    /// Prepares the capture's first attempt for replaying.
    pub fn new(capture: &Capture, options: ReplayOptions) -> Self {
        let attempt = capture.first_attempt().unwrap_or(1);
        let open = capture.records.iter().find_map(|r| match r {
            super::Record::Open {
                t,
                attempt: a,
                open,
            } if *a == attempt => Some((*t, open)),
            _ => None,
        });
        let opened = open.map(|(t, _)| t);
        let format = capture.header.request.parse_as;
        let content_type = open
            .and_then(|(_, open)| {
                let (_, value) = open
                    .headers
                    .iter()
                    .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))?;
                HeaderValue::from_str(value).ok()
            })
            .unwrap_or_else(|| {
                HeaderValue::from_static(match format {
                    BodyFormat::Ndjson => "application/x-ndjson",
                    BodyFormat::EventStream | BodyFormat::ForceSse => "text/event-stream",
                })
            });
        // The body copied once; each read is a slice of it.
        let mut spans = Vec::new();
        let mut body = Vec::new();
        for (t, bytes) in capture.reads(attempt) {
            spans.push((t, body.len(), bytes.len()));
            body.extend_from_slice(bytes);
        }
        let body = Bytes::from(body);
        let reads = spans
            .into_iter()
            .map(|(t, offset, len)| Read {
                at: t.saturating_sub(opened.unwrap_or(t)),
                offset,
                bytes: body.slice(offset..offset + len),
            })
            .collect();
        let mut parser = capture.body_parser(String::new(), 0);
        let mut items = Vec::new();
        // A refused stream (an oversized event) keeps the events before the refusal.
        let _ = parser.feed(&body, &mut items);
        let resume_points: Vec<(String, usize)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Event(e) => Some((e.id.to_string(), block_end(&body, e.raw.end))),
                Item::Block(_) => None,
            })
            .collect();
        Self {
            events: resume_points.len(),
            reads,
            resume_points,
            content_type,
            options,
        }
    }

    /// Whether a pass sends no bytes at all (a capture of empty reads).
    pub fn is_empty(&self) -> bool {
        self.reads.iter().all(|read| read.bytes.is_empty())
    }

    /// How many events one pass sends.
    pub fn event_count(&self) -> usize {
        self.events
    }

    /// The body offset to start from for a request with this `Last-Event-ID`:
    /// just past the first event the id was in force for, or 0 when no event had it.
    pub fn resume_offset(&self, last_event_id: &str) -> usize {
        if last_event_id.is_empty() {
            return 0;
        }
        self.resume_points
            .iter()
            .find(|(id, _)| id == last_event_id)
            .map_or(0, |(_, end)| *end)
    }

    /// Sends the reads from body offset `from` on, then (with `--loop`) all of
    /// them again and again; stops when the client goes away.
    async fn produce(self: Arc<Self>, mut from: usize, tx: mpsc::Sender<BodyChunk>) {
        loop {
            // Waits count from the start of the pass, so rounding does not accumulate.
            let pass_start = tokio::time::Instant::now();
            let mut base = None;
            for read in &self.reads {
                if read.bytes.is_empty() || read.offset + read.bytes.len() <= from {
                    continue;
                }
                let skip = from.saturating_sub(read.offset);
                // A resumed stream starts at once: the skipped reads' delays are not waited for.
                let base_at = *base.get_or_insert(if from == 0 { 0 } else { read.at });
                if let Some(delay) = self.options.speed.scale(read.at.saturating_sub(base_at)) {
                    let due = later(pass_start.into_std(), delay).into();
                    tokio::select! {
                        biased;
                        () = tx.closed() => return,
                        () = tokio::time::sleep_until(due) => {}
                    }
                }
                if tx.send(Ok(read.bytes.slice(skip..))).await.is_err() {
                    return;
                }
            }
            // A capture with no bytes would loop without ever waiting or sending.
            if !self.options.looped || self.is_empty() {
                return;
            }
            from = 0;
        }
    }
}

type BodyChunk = Result<Bytes, std::io::Error>;

/// Where the blank line after a block whose lines end at `end` ends: CRLF, CR or LF.
fn block_end(bytes: &[u8], end: u64) -> usize {
    let end = usize::try_from(end).unwrap_or(usize::MAX).min(bytes.len());
    match bytes.get(end..) {
        Some([b'\r', b'\n', ..]) => end + 2,
        Some([b'\r' | b'\n', ..]) => end + 1,
        _ => end,
    }
}

/// Every path and method answers with the replayed stream.
pub fn router(replay: Arc<Replay>) -> Router {
    Router::new().fallback(stream).with_state(replay)
}

async fn stream(State(replay): State<Arc<Replay>>, headers: HeaderMap) -> Response {
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let from = replay.resume_offset(last_event_id);
    let content_type = replay.content_type.clone();
    let (tx, rx) = mpsc::channel(16);
    tokio::spawn(replay.produce(from, tx));
    let mut response = (StatusCode::OK, Body::from_stream(ReceiverStream::new(rx))).into_response();
    let h = response.headers_mut();
    h.insert(CONTENT_TYPE, content_type);
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A replay server bound to a port, not yet serving.
#[derive(Debug)]
pub struct ReplayServer {
    listener: TcpListener,
    addr: SocketAddr,
    replay: Arc<Replay>,
}

impl ReplayServer {
    /// Binds `addr` (port 0 picks a free one) to serve `capture`.
    pub async fn bind(
        addr: SocketAddr,
        capture: &Capture,
        options: ReplayOptions,
    ) -> std::io::Result<Self> {
        let context = |e: std::io::Error| {
            std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}"))
        };
        let listener = TcpListener::bind(addr).await.map_err(context)?;
        let addr = listener.local_addr().map_err(context)?;
        Ok(Self {
            listener,
            addr,
            replay: Arc::new(Replay::new(capture, options)),
        })
    }

    /// The address actually bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What is replayed.
    pub fn replay(&self) -> &Replay {
        &self.replay
    }

    /// Serves until the task is dropped or accepting fails, within the
    /// default [`Limits`], logging nothing.
    pub async fn serve(self) -> std::io::Result<()> {
        self.serve_with(Limits::default(), server::silent()).await
    }

    /// Serves within `limits`, logging to `log` (see [`server::serve`]);
    /// faults only where a request's query names them.
    pub async fn serve_with(self, limits: Limits, log: Log) -> std::io::Result<()> {
        let faults = FaultState::new(Faults::default(), Arc::clone(&log));
        self.serve_faulted(limits, log, faults).await
    }

    /// Serves with `faults` on the replayed stream (`serve --replay --split 1 …`).
    pub async fn serve_faulted(
        self,
        limits: Limits,
        log: Log,
        faults: Arc<FaultState>,
    ) -> std::io::Result<()> {
        let router = crate::faults::layer(router(self.replay), faults);
        server::serve(self.listener, router, limits, log).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::format::{Header, Open, Record, RequestInfo, VERSION};

    fn capture(reads: &[(u64, &str)]) -> Capture {
        let mut records = vec![Record::Open {
            t: 5,
            attempt: 1,
            open: Open {
                status: 200,
                headers: Vec::new(),
                version: "HTTP/1.1".into(),
                ttfb_ms: None,
            },
        }];
        records.extend(reads.iter().map(|(t, s)| Record::Read {
            t: *t,
            attempt: 1,
            bytes: s.as_bytes().to_vec(),
        }));
        Capture {
            header: Header {
                ssecap: VERSION,
                request: RequestInfo {
                    method: "GET".into(),
                    url: "http://x/".into(),
                    headers: Vec::new(),
                    body: None,
                    last_event_id: String::new(),
                    secrets_revealed: false,
                    parse_as: crate::sse::BodyFormat::EventStream,
                    redacted: None,
                    mcp: None,
                },
                started: "2026-01-01T00:00:00.000Z".into(),
            },
            records,
            damaged: None,
        }
    }

    #[test]
    fn speed_parses_numbers_and_max() {
        assert_eq!("max".parse::<Speed>(), Ok(Speed::Max));
        assert_eq!("2".parse::<Speed>(), Ok(Speed::Factor(2.0)));
        assert!("0".parse::<Speed>().is_err());
        assert!("-1".parse::<Speed>().is_err());
        assert!("inf".parse::<Speed>().is_err());
        assert!("fast".parse::<Speed>().is_err());
    }

    #[test]
    fn resume_starts_after_the_blank_line_of_the_event_with_the_id() {
        let c = capture(&[
            (10, "id: 1\ndata: a\n\nid: 2\r\nda"),
            (20, "ta: b\r\n\r\nid: 3\ndata: c\n\n"),
        ]);
        let replay = Replay::new(&c, ReplayOptions::default());
        assert_eq!(replay.event_count(), 3);
        assert_eq!(replay.resume_offset(""), 0);
        assert_eq!(replay.resume_offset("1"), "id: 1\ndata: a\n\n".len());
        assert_eq!(
            replay.resume_offset("2"),
            "id: 1\ndata: a\n\nid: 2\r\ndata: b\r\n\r\n".len()
        );
        assert_eq!(replay.resume_offset("nope"), 0);
        assert_eq!(
            replay.reads[0].at, 5,
            "times count from the response's open"
        );
    }

    #[tokio::test]
    async fn max_speed_sends_the_rest_of_the_reads_split_as_recorded() {
        let c = capture(&[(10, "id: 1\ndata: a\n\nid: 2\nda"), (900_000, "ta: b\n\n")]);
        let replay = Arc::new(Replay::new(
            &c,
            ReplayOptions {
                speed: Speed::Max,
                looped: false,
            },
        ));
        let (tx, mut rx) = mpsc::channel(16);
        let from = replay.resume_offset("1");
        replay.produce(from, tx).await;
        let mut got = Vec::new();
        while let Some(Ok(chunk)) = rx.recv().await {
            got.push(String::from_utf8_lossy(&chunk).into_owned());
        }
        assert_eq!(got, ["id: 2\nda", "ta: b\n\n"]);
    }

    /// `--speed 1e-300` made a recorded delay infinite, and a huge `t` made
    /// `start + delay` overflow: both panicked the task serving the client.
    #[tokio::test]
    async fn a_tiny_speed_or_a_huge_time_waits_without_panicking() {
        for (speed, t) in [(1e-300, 10), (1.0, u64::MAX), (f64::MIN_POSITIVE, u64::MAX)] {
            let c = capture(&[(5, "data: a\n\n"), (t, "data: b\n\n")]);
            let options = ReplayOptions {
                speed: Speed::Factor(speed),
                looped: false,
            };
            let replay = Arc::new(Replay::new(&c, options));
            let (tx, mut rx) = mpsc::channel(16);
            let task = tokio::spawn(replay.produce(0, tx));
            let first = rx.recv().await;
            assert!(
                matches!(&first, Some(Ok(b)) if b == "data: a\n\n"),
                "{first:?}"
            );
            // The second read is due in the far future: the client leaving ends the wait.
            drop(rx);
            let ended = tokio::time::timeout(Duration::from_secs(10), task).await;
            assert!(
                matches!(ended, Ok(Ok(()))),
                "speed {speed}, t {t}: {ended:?}"
            );
        }
    }

    /// A capture whose reads hold no bytes looped without ever waiting or
    /// sending, spinning both cores for ever.
    #[tokio::test]
    async fn looping_over_no_bytes_ends_after_one_pass() {
        let c = capture(&[(5, ""), (5, "")]);
        let replay = Arc::new(Replay::new(
            &c,
            ReplayOptions {
                speed: Speed::Max,
                looped: true,
            },
        ));
        assert!(replay.is_empty());
        let (tx, mut rx) = mpsc::channel(16);
        // On a thread of its own: a pass that never yields cannot stall the test.
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .unwrap();
            runtime.block_on(replay.produce(0, tx));
            let _ = done_tx.send(());
        });
        let ended = done_rx.recv_timeout(Duration::from_secs(10));
        assert!(ended.is_ok(), "still looping");
        assert!(rx.recv().await.is_none(), "no empty chunk sent");
    }
}
