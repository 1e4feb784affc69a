//! Faults on purpose (`ssetui serve`'s fault flags and the demo's query
//! parameters of the same names), each against a real server on loopback and
//! a real client, with a known result: the project's own client and parser,
//! `ssetui print` as a process, and a raw socket where only the socket can
//! tell (a reset).
//!
//! The engine's exact output for each fault (split sizes, seeds, cut
//! positions, line by line corruption) is tested in `src/faults/tests.rs`.

mod support;

use std::io::Read as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use bytes::Bytes;
use ssetui::sse::parser::{Item, Parser};
use ssetui::sse::{ConnMsg, ReconnectPolicy, RequestSpec};
use support::*;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

const PATIENCE: Duration = Duration::from_secs(20);

/// The demo server in this test's runtime; its base URL without a final slash.
async fn demo() -> String {
    let server = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = server.url("");
    server.spawn();
    url.trim_end_matches('/').to_owned()
}

/// A GET's status, headers and reads (each with when it arrived), body undecoded.
async fn get(
    url: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, Vec<(Instant, Bytes)>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let mut request = client.get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = tokio::time::timeout(PATIENCE, request.send())
        .await
        .expect("an answer in time")
        .expect("an answer");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let mut reads = Vec::new();
    while let Some(chunk) = tokio::time::timeout(PATIENCE, response.chunk())
        .await
        .expect("a read in time")
        .expect("no failure")
    {
        reads.push((Instant::now(), chunk));
    }
    (status, headers, reads)
}

fn body(reads: &[(Instant, Bytes)]) -> Vec<u8> {
    reads.iter().flat_map(|(_, b)| b.iter().copied()).collect()
}

/// `(type, id, n)` of each event of a clock stream: `n` from its data, as the
/// time in it differs from run to run.
fn clock_events(bytes: &[u8]) -> Vec<(String, String, u64)> {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    parser.feed(bytes, &mut items).unwrap();
    items
        .into_iter()
        .filter_map(|item| match item {
            Item::Event(e) => {
                let data: serde_json::Value = serde_json::from_str(&e.data).ok()?;
                Some((
                    e.event_type().to_owned(),
                    e.id.to_string(),
                    data["n"].as_u64()?,
                ))
            }
            Item::Block(_) => None,
        })
        .collect()
}

fn ticks(ids: std::ops::RangeInclusive<u64>) -> Vec<(String, String, u64)> {
    ids.map(|n| ("tick".to_owned(), n.to_string(), n)).collect()
}

fn faults_header(headers: &reqwest::header::HeaderMap) -> Option<&str> {
    headers.get("x-ssetui-faults").and_then(|v| v.to_str().ok())
}

// ---- the demo's query form ----------------------------------------------------

#[tokio::test]
async fn byte_at_a_time_and_random_splits_of_a_demo_stream_give_its_events() {
    let demo = demo().await;
    let (_, plain_headers, plain) = get(&format!("{demo}/clock?count=5&interval_ms=1"), &[]).await;
    assert_eq!(faults_header(&plain_headers), None, "no fault, no header");
    assert_eq!(clock_events(&body(&plain)), ticks(1..=5));
    for (query, named) in [
        ("split=1", "split=1"),
        ("split=random:1-7&seed=42", "split=random:1-7 seed=42"),
        ("split=utf8", "split=utf8"),
    ] {
        let url = format!("{demo}/clock?count=5&interval_ms=1&{query}");
        let (status, headers, reads) = get(&url, &[]).await;
        assert_eq!(
            status, 200,
            "{query}: fault parameters are not the endpoint's"
        );
        assert_eq!(faults_header(&headers), Some(named));
        assert_eq!(clock_events(&body(&reads)), ticks(1..=5), "{query}");
    }
}

#[tokio::test]
async fn a_bad_fault_value_is_a_400_naming_the_accepted_forms() {
    let demo = demo().await;
    let (status, _, reads) = get(&format!("{demo}/clock?cut=half"), &[]).await;
    assert_eq!(status, 400);
    let text = String::from_utf8(body(&reads)).unwrap();
    assert!(
        text.contains(
            "query parameter cut: \"half\" is not a cut: give events:N, bytes:N or mid-event:K"
        ),
        "{text}"
    );
}

#[tokio::test]
async fn cuts_by_events_and_bytes_end_exactly_there() {
    let demo = demo().await;
    let (_, _, reads) = get(
        &format!("{demo}/clock?count=5&interval_ms=1&cut=events:2"),
        &[],
    )
    .await;
    let bytes = body(&reads);
    assert_eq!(clock_events(&bytes), ticks(1..=2));
    assert!(bytes.ends_with(b"\n\n"), "closed right after event 2");
    let (_, _, reads) = get(
        &format!("{demo}/clock?count=5&interval_ms=1&cut=bytes:7"),
        &[],
    )
    .await;
    assert_eq!(body(&reads), b"id: 1\ne");
}

#[tokio::test]
async fn last_event_id_is_ignored_or_honoured_as_asked() {
    let demo = demo().await;
    let resume = [("last-event-id", "3")];
    let url = |mode: &str| format!("{demo}/clock?count=5&interval_ms=1&last-event-id={mode}");
    let (_, _, honoured) = get(&url("honour"), &resume).await;
    assert_eq!(clock_events(&body(&honoured)), ticks(4..=5));
    let (_, _, ignored) = get(&url("ignore"), &resume).await;
    assert_eq!(clock_events(&body(&ignored)), ticks(1..=5), "started over");
}

#[tokio::test]
async fn corruption_changes_exactly_what_it_says() {
    let demo = demo().await;
    let url =
        format!("{demo}/clock?count=3&interval_ms=1&strip-ids&line-endings=cr&set-retry=1234");
    let (_, headers, reads) = get(&url, &[]).await;
    assert_eq!(
        faults_header(&headers),
        Some("line-endings=cr strip-ids=1 set-retry=1234")
    );
    let bytes = body(&reads);
    assert!(!bytes.contains(&b'\n'), "every line ends in CR");
    let ids: Vec<String> = clock_events(&bytes).into_iter().map(|e| e.1).collect();
    assert_eq!(ids, ["", "", ""]);
    let mut parser = Parser::default();
    parser.feed(&bytes, &mut Vec::<Item>::new()).unwrap();
    assert_eq!(parser.reconnection_time_ms(), Some(1234));
}

// ---- proxy behaviour ------------------------------------------------------------

#[tokio::test]
async fn buffering_holds_the_first_bytes_back_until_the_stream_ends_below_64_kib() {
    let demo = demo().await;
    let sent = Instant::now();
    let (_, _, reads) = get(
        &format!("{demo}/clock?count=4&interval_ms=200&buffer=64"),
        &[],
    )
    .await;
    // The clock writes its 4th event 600 ms after the first: the 400 bytes
    // never reach 64 KiB, so nothing arrives before the stream's end.
    assert!(sent.elapsed() >= Duration::from_millis(600));
    let first = reads[0].0.duration_since(sent);
    assert!(
        first >= Duration::from_millis(600),
        "first bytes after {first:?}"
    );
    assert_eq!(clock_events(&body(&reads)), ticks(1..=4));
}

/// The response head and the rest of what arrived, read from a raw socket
/// until `enough` says so (or the connection ends).
async fn raw_get(demo: &str, path: &str, enough: impl Fn(&[u8]) -> bool) -> Vec<u8> {
    let addr = demo.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    socket.write_all(head.as_bytes()).await.unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 8192];
    while !enough(&received) {
        match tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .expect("a read in time")
        {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
    received
}

#[tokio::test]
async fn buffering_64_kib_makes_the_first_write_at_least_64_kib() {
    let demo = demo().await;
    // The chunk-size line of the body's first chunk is the server's first write.
    let first_chunk_line = |bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let (_, body) = text.split_once("\r\n\r\n")?;
        let (size, _) = body.split_once("\r\n")?;
        usize::from_str_radix(size, 16).ok()
    };
    let path = "/firehose?n=2000&size=100&buffer=64";
    let received = raw_get(&demo, path, |b| first_chunk_line(b).is_some()).await;
    let size = first_chunk_line(&received).expect("a chunked body");
    assert!(size >= 64 * 1024, "first write {size} bytes");
    let unbuffered = raw_get(&demo, "/firehose?n=2000&size=100", |b| {
        first_chunk_line(b).is_some()
    })
    .await;
    let size = first_chunk_line(&unbuffered).expect("a chunked body");
    assert!(
        size < 64 * 1024,
        "without --buffer, first write {size} bytes"
    );
}

#[tokio::test]
async fn a_gzipped_stream_decodes_to_the_original_and_the_client_reads_it() {
    let demo = demo().await;
    let url = format!("{demo}/clock?count=3&interval_ms=1&gzip");
    let (_, headers, reads) = get(&url, &[]).await;
    assert_eq!(headers.get("content-encoding").unwrap(), "gzip");
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body(&reads)[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(clock_events(&decoded), ticks(1..=3));

    // The project's client with --compressed decodes it as it arrives.
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.reconnect = ReconnectPolicy::Never;
    spec.transport.compressed = true;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let ids: Vec<String> = triples(&msgs).into_iter().map(|t| t.2).collect();
    assert_eq!(ids, ["1", "2", "3"], "{msgs:?}");
}

// ---- timing ---------------------------------------------------------------------

#[tokio::test]
async fn a_stall_after_event_2_shows_up_as_a_gap() {
    let demo = demo().await;
    let mut spec = RequestSpec::get(
        format!("{demo}/clock?count=3&interval_ms=1&stall=2:1")
            .parse()
            .unwrap(),
    );
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let mut arrived = Vec::new();
    loop {
        let msg = next_msg(&mut rx).await;
        if let ConnMsg::Data(_) = &msg {
            for event in events(std::slice::from_ref(&msg)) {
                arrived.push((event.id.to_string(), Instant::now()));
            }
        }
        if matches!(msg, ConnMsg::Closed { .. }) {
            break;
        }
    }
    let ids: Vec<&str> = arrived.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let gap = arrived[2].1.duration_since(arrived[1].1);
    assert!(gap >= Duration::from_millis(950), "gap {gap:?}");
}

// ---- endings ---------------------------------------------------------------------

#[tokio::test]
async fn a_reset_reaches_the_client_as_a_reset_after_every_byte_before_it() {
    let demo = demo().await;
    let addr = demo.trim_start_matches("http://");
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    socket
        .write_all(
            format!(
                "GET /clock?count=5&interval_ms=1&cut=events:1&reset HTTP/1.1\r\nHost: {addr}\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let ended = loop {
        match tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .expect("the connection ends in time")
        {
            Ok(0) => break Ok(()),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(err) => break Err(err),
        }
    };
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.contains("x-ssetui-faults: cut=events:1 reset=1"),
        "{text}"
    );
    assert!(text.contains("id: 1\nevent: tick\n"), "{text}");
    assert!(
        !text.contains("\r\n0\r\n\r\n"),
        "no clean end of the chunked body: {text}"
    );
    let err = ended.expect_err("a reset, not a clean close");
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionReset, "{err}");

    // The project's client: a network error after event 1, not an end.
    let mut spec = RequestSpec::get(
        format!("{demo}/clock?count=5&interval_ms=1&cut=events:1&reset")
            .parse()
            .unwrap(),
    );
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let ids: Vec<String> = triples(&msgs).into_iter().map(|t| t.2).collect();
    assert_eq!(ids, ["1"]);
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 1, "{msgs:?}");
    assert_eq!(errs[0].kind, ssetui::sse::ErrorKind::Network, "{}", errs[0]);
    assert!(
        !msgs
            .iter()
            .any(|m| matches!(m, ConnMsg::StreamEnded { .. })),
        "a reset is not a clean end: {msgs:?}"
    );
}

// ---- serve --replay with flags, and print reconnecting -------------------------------

/// Writes a capture by hand: one attempt with `body` in one read.
fn write_capture(path: &Path, body: &str) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
    let text = format!(
        "{}\n{}\n{{\"t\":5,\"read\":\"{b64}\"}}\n",
        r#"{"ssecap":1,"request":{"method":"GET","url":"http://example.test/s","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
        r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#
    );
    std::fs::write(path, text).unwrap();
}

/// A running `ssetui serve`, killed when dropped, and the first line it printed.
struct Served {
    child: std::process::Child,
    banner: String,
    faults: String,
}

impl Served {
    fn start(args: &[&str]) -> Self {
        let mut child = app()
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssetui serve starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead as _;
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
            {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let banner = rx.recv_timeout(PATIENCE).expect("the banner");
        // The demo's banner runs over several lines; the faults line follows it.
        let faults = loop {
            let line = rx.recv_timeout(PATIENCE).expect("the faults line");
            if line.starts_with("faults") {
                break line;
            }
        };
        Self {
            child,
            banner,
            faults,
        }
    }

    fn url(&self) -> String {
        self.banner
            .split(" at ")
            .nth(1)
            .expect("the banner names the URL")
            .trim()
            .to_owned()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_replay_cut_mid_event_resumes_with_the_previous_id_after_a_429_with_retry_after() {
    let dir = scratch("replay");
    let file = dir.join("six.ssecap");
    let six: String = (1..=6)
        .map(|i| format!("id: {i}\ndata: event {i}\n\n"))
        .collect();
    write_capture(&file, &six);
    let served = Served::start(&[
        "--replay",
        file.to_str().unwrap(),
        "--speed",
        "max",
        "--cut",
        "mid-event:3",
        "--last-event-id",
        "honour",
        "--reconnect-status",
        "429:1",
    ]);
    assert_eq!(
        served.faults,
        "faults on every stream: cut=mid-event:3 reconnect-status=429:1 last-event-id=honour"
    );
    let started = Instant::now();
    let mut print = app();
    print
        .args([
            "print",
            "-v",
            "--retry",
            "50",
            "--retry-status",
            "429",
            "--max-events",
            "4",
        ])
        .arg(served.url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(print, PATIENCE);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            v["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        ids,
        ["1", "2", "3", "4"],
        "event 3 cut, then resumed once: {stderr}"
    );
    assert!(stderr.contains("an incomplete event of"), "{stderr}");
    assert!(stderr.contains("> Last-Event-ID: 2"), "{stderr}");
    assert!(stderr.contains("< HTTP/1.1 429"), "{stderr}");
    assert!(stderr.contains("< retry-after: 1"), "{stderr}");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was waited for"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn random_faults_without_a_seed_print_the_seed_chosen() {
    let served = Served::start(&["--split", "random:1-7", "--delay", "0-5"]);
    let seed = served
        .faults
        .strip_prefix("faults on every stream: split=random:1-7 delay=0-5 seed=")
        .unwrap_or_else(|| panic!("{:?}", served.faults));
    assert!(seed.parse::<u64>().is_ok(), "{seed}");
}

#[test]
fn a_recorded_faulted_stream_says_what_was_done_to_it() {
    let (_runtime, url) = support::demo("/clock?count=3&interval_ms=1&split=1&strip-ids");
    let dir = scratch("record");
    let file = dir.join("faulted.ssecap");
    let mut print = app();
    print
        .args(["print", "--no-reconnect", "--record"])
        .arg(&file)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(print, PATIENCE);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let capture = ssetui::capture::read(&file).expect("the capture reads back");
    let named: Vec<&str> = capture
        .records
        .iter()
        .filter_map(|r| match r {
            ssetui::capture::Record::Open { open, .. } => open
                .headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("x-ssetui-faults"))
                .map(|(_, value)| value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(named, ["split=1 strip-ids=1"]);
    let _ = std::fs::remove_dir_all(&dir);
}
