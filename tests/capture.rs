//! Capture files end to end: `ssetui print --record` against the demo server,
//! the file read back through `ssetui::capture`, and `ssetui serve --replay`
//! serving it to `ssetui print` again.
//!
//! Every child process is waited on with a bounded `recv_timeout` and killed
//! if it is still running when its test ends.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use ssetui::capture::{self, CaptureError, Record};
use ssetui::sse::BodyFormat;

/// The longest any wait on a child may take.
const PATIENCE: Duration = Duration::from_secs(15);

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ssetui-capture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `ssetui print ARGS` to completion.
fn print(args: &[&str]) -> Output {
    run(&[&["print"][..], args].concat())
}

/// Runs `ssetui ARGS` to completion (killed after [`PATIENCE`]).
fn run(args: &[&str]) -> Output {
    let mut cmd = support::app();
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    support::output_within(cmd, PATIENCE)
}

/// `(event, data, id)` of each NDJSON line print wrote.
fn printed(output: &Output) -> Vec<(String, String, String)> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("an NDJSON line");
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
            (field("event"), field("data"), field("id"))
        })
        .collect()
}

fn captured(capture: &capture::Capture) -> Vec<(String, String, String)> {
    capture
        .events()
        .into_iter()
        .map(|e| {
            (
                e.event.event_type().to_owned(),
                e.event.data.to_string(),
                e.event.id.to_string(),
            )
        })
        .collect()
}

/// Writes a capture by hand: one attempt opened at t=0 with these reads.
fn write_capture(path: &Path, reads: &[(u64, &str)]) {
    use base64::Engine as _;
    let mut text = String::from(
        r#"{"ssecap":1,"request":{"method":"GET","url":"http://example.test/s","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
    );
    text.push('\n');
    text.push_str(r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#);
    text.push('\n');
    for (t, bytes) in reads {
        let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
        text.push_str(&format!("{{\"t\":{t},\"read\":\"{b64}\"}}\n"));
    }
    std::fs::write(path, text).unwrap();
}

/// A running `ssetui serve --replay`, killed when dropped.
struct ReplayServer {
    child: Child,
    url: String,
}

impl ReplayServer {
    fn start(file: &Path, extra: &[&str]) -> Self {
        let mut child = support::app()
            .args(["serve", "--port", "0", "--replay"])
            .arg(file)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the ssetui binary starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let mut server = Self {
            child,
            url: String::new(),
        };
        let banner = rx.recv_timeout(PATIENCE).expect("the replay banner");
        server.url = banner
            .split(" at ")
            .nth(1)
            .expect("the banner names the URL")
            .trim()
            .to_owned();
        assert!(server.url.starts_with("http://127.0.0.1:"), "{banner:?}");
        server
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_recorded_demo_stream_reads_back_with_the_same_events_reads_and_timing() {
    let (_rt, url) = support::demo("/clock?interval_ms=100&count=3");
    let file = temp_file("clock.ssecap");
    let out = print(&[
        "--retry",
        "50",
        "-H",
        "Authorization: Bearer sekrit-token-123",
        "--record",
        file.to_str().unwrap(),
        &url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let printed = printed(&out);
    assert_eq!(printed.len(), 3);

    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains("sekrit-token-123"), "the token is redacted");
    let capture = capture::read(&file).unwrap();
    assert_eq!(capture.damaged, None);
    assert_eq!(capture.header.ssecap, capture::VERSION);
    assert_eq!(capture.header.request.method, "GET");
    assert!(
        capture
            .header
            .request
            .url
            .ends_with("/clock?interval_ms=100&count=3")
    );
    assert!(
        capture
            .header
            .request
            .headers
            .contains(&("Authorization".into(), "Bearer ***".into())),
        "{:?}",
        capture.header.request.headers
    );

    // The events re-derived from the bytes are the ones print wrote.
    assert_eq!(captured(&capture), printed);

    // One read per clock tick, 100 ms apart: the read boundaries and their timing survive.
    let reads: Vec<(u64, &[u8])> = capture.reads(1).collect();
    assert_eq!(reads.len(), 3, "{reads:?}");
    for pair in reads.windows(2) {
        assert!(
            pair[1].0 >= pair[0].0 + 50,
            "offsets grow with the ticks: {reads:?}"
        );
    }
    let times: Vec<u64> = capture.records.iter().map(Record::t).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // The whole life of the connection: opened, ended, reconnected with the last id, closed by 204.
    assert!(matches!(
        capture.records.first(),
        Some(Record::Open { attempt: 1, open, .. }) if open.status == 200
    ));
    assert!(capture.records.iter().any(|r| matches!(
        r,
        Record::Ended {
            attempt: 1,
            discarded: 0,
            ..
        }
    )));
    assert!(capture.records.iter().any(
        |r| matches!(r, Record::Reconnect { reconnect, .. } if reconnect.last_event_id == "3")
    ));
    assert!(matches!(
        capture.records.last(),
        Some(Record::Close { reason, .. }) if reason.contains("204")
    ));
}

#[test]
fn an_ndjson_capture_reads_back_opens_and_replays_as_ndjson() {
    let ndjson = "{\"n\":1}\n{\"n\":2}\r\n\n{\"n\":3}\n";
    let (_rt, server) = support::serve(vec![vec![
        support::head(200, "application/x-ndjson", &[]),
        support::write(ndjson),
        support::Step::Close,
    ]]);
    let file = temp_file("ndjson.ssecap");
    let url = server.url("/api/chat");
    let live = print(&[
        "--no-reconnect",
        "--parse-as",
        "ndjson",
        "--record",
        file.to_str().unwrap(),
        &url,
    ]);
    assert_eq!(live.status.code(), Some(0), "{live:?}");
    let live = printed(&live);
    assert_eq!(
        live.iter()
            .map(|(_, data, _)| data.as_str())
            .collect::<Vec<_>>(),
        ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]
    );

    // The header says how the body was read, and reading it back does the same.
    let capture = capture::read(&file).unwrap();
    assert_eq!(capture.header.request.parse_as, BodyFormat::Ndjson);
    assert_eq!(captured(&capture), live);

    // Opened in the UI: the same events in its messages.
    let opened: Vec<String> = support::events(&capture::to_messages(&capture))
        .iter()
        .map(|e| e.data.to_string())
        .collect();
    assert_eq!(opened, ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}"]);

    // Replayed with the recorded Content-Type: the strict default refuses it
    // as the live server's was refused, and NDJSON reads it again.
    let replay = ReplayServer::start(&file, &["--speed", "max"]);
    assert_eq!(
        print(&["--no-reconnect", &replay.url]).status.code(),
        Some(1)
    );
    let again = print(&["--no-reconnect", "--parse-as", "ndjson", &replay.url]);
    assert_eq!(printed(&again), live);
}

#[test]
fn record_secrets_keeps_the_token_in_clear() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let file = temp_file("secrets.ssecap");
    let out = print(&[
        "--no-reconnect",
        "-H",
        "Authorization: Bearer sekrit-token-456",
        "--record",
        file.to_str().unwrap(),
        "--record-secrets",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let capture = capture::read(&file).unwrap();
    assert!(capture.header.request.secrets_revealed);
    assert!(
        capture
            .header
            .request
            .headers
            .contains(&("Authorization".into(), "Bearer sekrit-token-456".into()))
    );
}

#[test]
fn a_capture_that_cannot_be_written_ends_print_with_1() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let file = temp_file("no-such-dir/x.ssecap");
    let out = print(&["--no-reconnect", "--record", file.to_str().unwrap(), &url]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no-such-dir"), "{stderr:?}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_truncated_or_corrupt_capture_opens_up_to_the_damage() {
    let file = temp_file("truncated.ssecap");
    write_capture(&file, &[(1, "data: a\n\n"), (2, "data: b\n\n")]);
    let whole = std::fs::read_to_string(&file).unwrap();
    // Cut the last line in half, as a crash while writing would.
    let cut = &whole[..whole.len() - 10];
    std::fs::write(&file, cut).unwrap();
    let capture = capture::read(&file).unwrap();
    assert_eq!(capture.records.len(), 2, "the open and the first read");
    let damaged = capture.damaged.clone().unwrap();
    assert!(damaged.starts_with("line 4: truncated"), "{damaged}");
    let data: Vec<String> = capture
        .events()
        .into_iter()
        .map(|e| e.event.data.to_string())
        .collect();
    assert_eq!(data, ["a"]);

    // A corrupt line in the middle stops reading there too.
    let mut lines: Vec<&str> = whole.lines().collect();
    lines[2] = r#"{"t":1,"read":"not base64!"}"#;
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let capture = capture::read(&file).unwrap();
    assert_eq!(capture.records.len(), 1);
    let damaged = capture.damaged.unwrap();
    assert!(damaged.starts_with("line 3: bad base64"), "{damaged}");
    lines[2] = "garbage";
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let damaged = capture::read(&file).unwrap().damaged.unwrap();
    assert!(
        damaged.starts_with("line 3: not a valid record"),
        "{damaged}"
    );

    // Without a usable header there is nothing to open.
    std::fs::write(&file, "").unwrap();
    assert!(matches!(
        capture::read(&file),
        Err(CaptureError::BadHeader(_))
    ));
    std::fs::write(&file, "{\"ssecap\":2}\n").unwrap();
    let err = capture::read(&file).unwrap_err();
    assert!(matches!(err, CaptureError::Version { found: 2 }), "{err}");
    let err = capture::read(&temp_file("missing.ssecap")).unwrap_err();
    assert!(err.to_string().contains("missing.ssecap"), "{err}");
}

#[test]
fn the_replay_server_serves_the_same_events_and_resumes_after_last_event_id() {
    let file = temp_file("replay.ssecap");
    write_capture(
        &file,
        &[
            (5, ": hello\n\nid: 1\ndata: one\n\nid: 2\r\nda"),
            (60_000, "ta: two\r\n\r\nid: 3\nevent: tick\ndata: three\n\n"),
        ],
    );
    let expected = captured(&capture::read(&file).unwrap());
    assert_eq!(expected.len(), 3);
    let server = ReplayServer::start(&file, &["--speed", "max"]);

    let out = print(&["--no-reconnect", &server.url]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(printed(&out), expected);

    let out = print(&[
        "--no-reconnect",
        "--last-event-id",
        "2",
        &format!("{}any/path", server.url),
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(printed(&out), expected[2..]);
}

#[test]
fn the_replay_server_keeps_the_recorded_gaps_at_speed_1() {
    let file = temp_file("timing.ssecap");
    write_capture(&file, &[(0, "data: a\n\n"), (300, "data: b\n\n")]);
    let server = ReplayServer::start(&file, &[]);
    let started = Instant::now();
    let out = print(&["--no-reconnect", &server.url]);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(printed(&out).len(), 2);
    assert!(elapsed >= Duration::from_millis(250), "{elapsed:?}");
}

#[test]
fn loop_starts_the_capture_over_in_the_same_response() {
    let file = temp_file("loop.ssecap");
    write_capture(&file, &[(0, "id: 1\ndata: a\n\n")]);
    let server = ReplayServer::start(&file, &["--speed", "max", "--loop"]);
    let out = print(&["--no-reconnect", "--max-events", "5", &server.url]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(printed(&out).len(), 5);
}

#[test]
fn speed_needs_replay_and_a_positive_number() {
    for args in [
        &["serve", "--speed", "2"][..],
        &["serve", "--replay", "x", "--speed", "0"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn check_judges_a_capture_at_its_recorded_times() {
    let path = temp_file("check.ssecap");
    // Ids 1, 2, 3; the third 2 s in; no `ended` record: the capture stops there.
    write_capture(
        &path,
        &[
            (10, "id: 1\ndata: {\"n\":1}\n\n"),
            (20, "id: 2\ndata: {\"n\":2}\n\n"),
            (2_000, "id: 3\ndata: {\"n\":3}\n\n"),
        ],
    );
    let file = path.to_str().unwrap();
    let check = |args: &[&str]| run(&[&["check", "--capture", file][..], args].concat());
    let passed = check(&["--min-events", "3", "--ids-increasing", "--data-json"]);
    let report = String::from_utf8_lossy(&passed.stdout).into_owned();
    assert_eq!(passed.status.code(), Some(0), "{report}");
    assert!(
        report.starts_with(&format!("ssetui check capture {file}")),
        "{report}"
    );
    // The recorded times count: the third event came after 1 s.
    let late = check(&["--min-events", "3", "--within", "1s"]);
    assert_eq!(
        late.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&late.stdout)
    );
    let missing = run(&[
        "check",
        "--capture",
        "/nonexistent/x.ssecap",
        "--min-events",
        "1",
    ]);
    assert_eq!(missing.status.code(), Some(3));
}
