//! `ssetui tap`: the real binary as a reverse proxy between real clients
//! (curl, `ssetui print`) and a loopback upstream (the demo server, or a
//! test server that writes exactly the bytes given). What the client gets
//! must be what the upstream sent, head and body; what the tap shows and
//! records must be what passed.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use support::*;

const PATIENCE: Duration = Duration::from_secs(30);

/// `ssetui tap --headless --port 0 ARGS`, its URL read from its banner.
struct Tap {
    child: Child,
    url: String,
    /// Its stderr lines after the banner, as they come.
    stderr: mpsc::Receiver<String>,
}

impl Tap {
    fn start(upstream: &str, args: &[&str]) -> Self {
        let started = tap::start(upstream, args, Stdio::piped(), PATIENCE);
        Self {
            child: started.child,
            url: started.url,
            stderr: started.stderr,
        }
    }

    /// The next stderr line that contains `needle`.
    fn stderr_line(&self, needle: &str) -> String {
        loop {
            let line = self
                .stderr
                .recv_timeout(PATIENCE)
                .unwrap_or_else(|_| panic!("no stderr line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Interrupts the tap (as Ctrl-C does) and returns its stdout lines.
    fn stop(mut self) -> Vec<serde_json::Value> {
        let _ = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status();
        let out = self.child.wait_with_output_within();
        String::from_utf8_lossy(&out)
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect()
    }
}

trait WaitWithin {
    fn wait_with_output_within(&mut self) -> Vec<u8>;
}

impl WaitWithin for Child {
    fn wait_with_output_within(&mut self) -> Vec<u8> {
        let mut stdout = self.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            let mut all = Vec::new();
            std::io::Read::read_to_end(&mut stdout, &mut all).ok();
            all
        });
        let start = std::time::Instant::now();
        loop {
            if let Ok(Some(status)) = self.try_wait() {
                assert!(status.success(), "the tap exits 0 on Ctrl-C: {status}");
                break;
            }
            assert!(start.elapsed() < PATIENCE, "the tap did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
        reader.join().unwrap()
    }
}

/// `curl -sS ARGS`: its stdout.
fn curl(args: &[&str]) -> Vec<u8> {
    let mut cmd = Command::new("curl");
    cmd.arg("-sS")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    assert!(
        out.status.success(),
        "curl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The HTTP status curl gets for `url` with `headers`, the body dropped.
fn curl_status(url: &str, headers: &[&str]) -> String {
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-o", "/dev/null", "-w", "%{http_code}"]);
    for header in headers {
        cmd.args(["-H", header]);
    }
    cmd.arg(url).stdout(Stdio::piped()).stderr(Stdio::piped());
    String::from_utf8(output_within(cmd, PATIENCE).stdout).unwrap()
}

/// The `id` of each NDJSON line `ssetui print` wrote.
fn ids_printed(stdout: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

const BODY: &str =
    "id: 1\nevent: tick\ndata: {\"n\":1}\n\n: keep-alive\n\nid: 2\ndata: two\ndata: lines\n\n";

#[test]
fn curl_through_the_tap_gets_the_upstreams_head_and_bytes_and_the_upstream_gets_the_request() {
    let (_rt, mut server) = serve(vec![vec![
        head(
            200,
            "text/event-stream",
            &[("X-Custom", "kept"), ("Keep-Alive", "timeout=5")],
        ),
        write(&BODY[..20]),
        write(&BODY[20..]),
        Step::Close,
    ]]);
    let tap = Tap::start(&server.url(""), &[]);
    let url = format!("{}/stream?x=1", tap.url);
    let direct_host = server.addr.to_string();
    let got = curl(&[
        "-N",
        "-i",
        "-H",
        "X-Req: 1",
        "-H",
        "Connection: keep-alive, X-Drop",
        "-H",
        "X-Drop: 1",
        &url,
    ]);
    let got = String::from_utf8(got).unwrap();
    let (head, body) = got.split_once("\r\n\r\n").expect("a head and a body");
    assert_eq!(body, BODY, "the body passes unchanged");
    let head = head.to_ascii_lowercase();
    assert!(head.contains("x-custom: kept"), "{head}");
    assert!(
        !head.contains("keep-alive: timeout"),
        "hop-by-hop dropped: {head}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let request = rt.block_on(server.next_request());
    assert_eq!(request.target, "/stream?x=1");
    assert_eq!(
        request.header("host"),
        Some(direct_host.as_str()),
        "Host is the upstream's"
    );
    assert_eq!(request.header("x-req"), Some("1"));
    assert_eq!(
        request.header("x-drop"),
        None,
        "a header Connection names is hop-by-hop"
    );
    assert_eq!(
        request.header("content-length"),
        None,
        "a GET gains no body"
    );
    let lines = tap.stop();
    let events: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["event"].as_str().unwrap(),
                l["data"].as_str().unwrap(),
                l["path"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("tick", "{\"n\":1}", "/stream?x=1"),
            ("message", "two\nlines", "/stream?x=1")
        ]
    );
    assert!(
        lines
            .iter()
            .all(|l| l["exchange"] == 1 && l["method"] == "GET")
    );
}

/// With `--preserve-host` the upstream gets the `Host` the client sent (the
/// tap's own address here: on loopback the tap answers only loopback
/// names, against DNS rebinding), not its own address.
#[test]
fn preserve_host_passes_the_clients_host_upstream() {
    let (_rt, mut server) = serve(vec![vec![sse_head(), write(BODY), Step::Close]]);
    let tap = Tap::start(&server.url(""), &["--preserve-host"]);
    let got = curl(&["-N", &format!("{}/s", tap.url)]);
    assert_eq!(got, BODY.as_bytes());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let request = rt.block_on(server.next_request());
    let tap_host = tap.url.trim_start_matches("http://").trim_end_matches('/');
    assert_eq!(request.header("host"), Some(tap_host));
    assert_ne!(Some(server.addr.to_string().as_str()), Some(tap_host));
    drop(tap.stop());
}

#[test]
fn print_through_the_tap_gets_the_events_it_gets_directly_and_the_tap_records_the_bytes_it_passed()
{
    let (_rt, demo) = demo("/firehose?n=300&size=40");
    let base = demo.split("/firehose").next().unwrap().to_owned();
    let dir = scratch("tap-record");
    let tap = Tap::start(&base, &["--record", dir.to_str().unwrap()]);
    let print = |url: &str, raw: bool| {
        let mut cmd = app();
        cmd.args(["print", "--no-reconnect"]);
        if raw {
            cmd.arg("--raw");
        }
        cmd.arg(url).stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = output_within(cmd, PATIENCE);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let through = format!("{}/firehose?n=300&size=40", tap.url);
    let strip_time = |bytes: Vec<u8>| -> Vec<serde_json::Value> {
        String::from_utf8(bytes)
            .unwrap()
            .lines()
            .map(|l| {
                let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
                v.as_object_mut().unwrap().remove("time");
                v
            })
            .collect()
    };
    let direct_events = strip_time(print(&demo, false));
    assert_eq!(direct_events.len(), 300);
    assert_eq!(strip_time(print(&through, false)), direct_events);
    let raw = print(&through, true);
    let lines = tap.stop();
    assert_eq!(lines.len(), 600, "two exchanges of 300 events");
    // The second exchange's capture holds exactly the bytes the client read.
    let capture =
        ssetui::capture::read(&dir.join("exchange-2.ssecap")).expect("a capture per exchange");
    let recorded: Vec<u8> = capture
        .reads(1)
        .flat_map(|(_, bytes)| bytes.to_vec())
        .collect();
    assert_eq!(recorded, raw);
    assert!(dir.join("exchange-1.ssecap").exists());
    // `serve --replay` plays it back.
    let mut replay = app()
        .args(["serve", "--port", "0", "--speed", "max", "--replay"])
        .arg(dir.join("exchange-2.ssecap"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    BufReader::new(replay.stdout.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    assert!(banner.contains("(300 events)"), "{banner}");
    let _ = replay.kill();
    let _ = replay.wait();
}

/// `body` as brotli: one uncompressed meta-block and an empty last one
/// (RFC 7932 section 9.2), so no encoder is needed and the decoder still
/// reads a real brotli stream.
fn brotli_stored(body: &[u8]) -> Vec<u8> {
    assert!((1..=65_536).contains(&body.len()));
    // WBITS 16 (one 0 bit), ISLAST 0, MNIBBLES 4 (00), MLEN - 1 in 16
    // bits, ISUNCOMPRESSED 1, then zero bits up to the byte.
    let header = (((body.len() - 1) as u32) << 4) | (1 << 20);
    let mut out = header.to_le_bytes()[..3].to_vec();
    out.extend_from_slice(body);
    // ISLAST 1, ISLASTEMPTY 1.
    out.push(0b11);
    out
}

#[test]
fn a_compressed_stream_passes_compressed_and_is_shown_decoded() {
    use std::io::Write as _;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(BODY.as_bytes()).unwrap();
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(BODY.as_bytes()).unwrap();
    let br = brotli_stored(BODY.as_bytes());
    let mut check = Vec::new();
    brotli_decompressor::BrotliDecompress(&mut &br[..], &mut check).unwrap();
    assert_eq!(check, BODY.as_bytes(), "the hand-made brotli stream is one");
    for (encoding, compressed) in [
        ("gzip", gz.finish().unwrap()),
        ("deflate", zlib.finish().unwrap()),
        ("br", br),
    ] {
        let (_rt, server) = serve(vec![vec![
            head(200, "text/event-stream", &[("Content-Encoding", encoding)]),
            write(&compressed[..10]),
            write(&compressed[10..]),
            Step::Close,
        ]]);
        let tap = Tap::start(&server.url(""), &[]);
        let got = curl(&[
            "-N",
            "-H",
            &format!("Accept-Encoding: {encoding}"),
            &format!("{}/s", tap.url),
        ]);
        assert_eq!(
            got, compressed,
            "{encoding}: the client gets the bytes as the upstream sent them"
        );
        let lines = tap.stop();
        let data: Vec<&str> = lines.iter().map(|l| l["data"].as_str().unwrap()).collect();
        assert_eq!(
            data,
            ["{\"n\":1}", "two\nlines"],
            "{encoding}: shown decoded"
        );
    }
}

#[test]
fn other_exchanges_pass_untouched_and_are_listed_a_location_points_back_at_the_tap_and_upgrades_get_501()
 {
    let (_rt, server) = serve(vec![vec![
        head(200, "application/json", &[("Content-Length", "11")]),
        write("{\"ok\":true}"),
        Step::Close,
    ]]);
    let upstream = server.url("");
    let tap = Tap::start(&upstream, &[]);
    assert_eq!(curl(&[&format!("{}/api/x", tap.url)]), b"{\"ok\":true}");
    let listed = tap.stderr_line("#1 GET /api/x");
    assert!(
        listed.contains(" 200 ") && listed.contains("11 B"),
        "{listed}"
    );
    let upgrade = curl_status(
        &format!("{}/ws", tap.url),
        &["Connection: Upgrade", "Upgrade: websocket"],
    );
    assert_eq!(upgrade, "501");
    tap.stderr_line("upgrade refused");
    drop(tap.stop());
    // The Location rule itself, as the proxy applies it.
    let upstream_url = url::Url::parse(&upstream).unwrap();
    let tap_url = url::Url::parse("http://127.0.0.1:8901/").unwrap();
    assert_eq!(
        ssetui::tap::rewrite_location(&format!("{upstream}/next?a=1"), &upstream_url, &tap_url)
            .as_deref(),
        Some("http://127.0.0.1:8901/next?a=1")
    );
}

/// A request for a name other than loopback's gets 403 from the Host
/// guard, and the tap says so (the client's Host neutralised), so a client
/// that names the tap otherwise sees why in the tap's log.
#[test]
fn a_request_for_a_foreign_host_is_refused_and_the_refusal_is_said() {
    let (_rt, mut server) = serve(vec![vec![sse_head(), write(BODY), Step::Close]]);
    let tap = Tap::start(&server.url(""), &[]);
    let status = |host: &str, path: &str| {
        curl_status(&format!("{}{path}", tap.url), &[&format!("Host: {host}")])
    };
    assert_eq!(status("evil.test\u{202e}txt", "/s"), "403");
    let said = tap.stderr_line("refused GET /s");
    assert!(
        said.contains("evil.test") && said.contains("is not loopback"),
        "{said}"
    );
    assert!(
        !said.contains('\u{202e}'),
        "the client's Host reaches the terminal escaped: {said:?}"
    );
    // The upstream was never asked: the first request it sees is the next one.
    assert_eq!(status("localhost", "/next"), "200");
    let rt = tokio::runtime::Runtime::new().unwrap();
    assert_eq!(rt.block_on(server.next_request()).target, "/next");
    drop(tap.stop());
}

/// A redirect from the upstream to itself brings the client back through
/// the tap, end to end: curl follows the rewritten `Location` to the tap,
/// the tap forwards it under the upstream's path, and the stream arrives.
#[test]
fn a_redirect_into_the_upstream_is_followed_through_the_tap() {
    // The upstream's address must be in its own Location: a port picked
    // first, then served on.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let location = format!("http://{addr}/api/next?from=redirect");
    let mut server = rt.block_on(TestServer::start_at(
        addr,
        vec![
            vec![
                head(
                    302,
                    "text/plain",
                    &[("Location", &location), ("Content-Length", "0")],
                ),
                Step::Close,
            ],
            vec![sse_head(), write(BODY), Step::Close],
        ],
    ));
    let tap = Tap::start(&format!("http://{addr}/api"), &[]);
    let out = curl(&[
        "-N",
        "-L",
        "-w",
        "\n%{url_effective}",
        &format!("{}/start", tap.url),
    ]);
    let out = String::from_utf8(out).unwrap();
    let (body, effective) = out.rsplit_once('\n').unwrap();
    assert_eq!(body, BODY);
    assert_eq!(effective, format!("{}/next?from=redirect", tap.url));
    let first = rt.block_on(server.next_request());
    let second = rt.block_on(server.next_request());
    assert_eq!(first.target, "/api/start");
    assert_eq!(
        second.target, "/api/next?from=redirect",
        "through the tap, once prefixed"
    );
    drop(tap.stop());
}

/// An upstream given with a path (`--upstream http://h/api`) is a prefix
/// the tap adds to every path it forwards, so a `Location` under it points
/// at the tap without it, and one outside it cannot be reached through the
/// tap and is left pointing at the upstream.
#[test]
fn a_location_under_the_upstreams_path_points_at_the_tap_without_the_prefix() {
    let upstream = url::Url::parse("http://up.test:8080/api/").unwrap();
    let tap = url::Url::parse("http://127.0.0.1:8901/").unwrap();
    let moved = |location: &str| ssetui::tap::rewrite_location(location, &upstream, &tap);
    assert_eq!(
        moved("http://up.test:8080/api/v2/stream?x=1").as_deref(),
        Some("http://127.0.0.1:8901/v2/stream?x=1")
    );
    assert_eq!(
        moved("http://up.test:8080/api").as_deref(),
        Some("http://127.0.0.1:8901/")
    );
    assert_eq!(
        moved("http://up.test:8080/login"),
        None,
        "outside the prefix"
    );
    assert_eq!(
        moved("http://up.test:8080/apixyz"),
        None,
        "not a path under /api"
    );
    assert_eq!(moved("http://elsewhere.test/api/x"), None, "another origin");
}

#[test]
fn the_ui_lists_the_exchanges_and_opens_a_tab_for_a_stream() {
    let (_rt, demo) = demo("/clock?count=2&interval_ms=10");
    let base = demo.split("/clock").next().unwrap().to_owned();
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port().to_string();
    drop(probe);
    let mut app = pty::Pty::start(&["tap", "--upstream", &base, "--port", &port]);
    app.wait_for("the exchanges tab", |s| s.contains("tap: exchanges"));
    let got = curl(&[
        "-N",
        &format!("http://127.0.0.1:{port}/clock?count=2&interval_ms=10"),
    ]);
    assert!(String::from_utf8_lossy(&got).contains("event: tick"));
    app.wait_for("the exchange listed and its tab", |s| {
        s.contains("#1 GET /clock") && s.contains("→ event stream")
    });
    // The list of exchanges counts exchanges, not events.
    app.wait_for("the tap's counts", |s| {
        s.contains("tapping") && s.contains("1 exchange") && s.contains("1 event stream")
    });
    // What the server says (here a Host it refused) reaches the status line.
    let refused = curl_status(&format!("http://127.0.0.1:{port}/x"), &["Host: other.test"]);
    assert_eq!(refused, "403");
    app.wait_for("the refusal said", |s| s.contains("refused GET /x"));
    assert!(app.quit());
}

/// `--record` keeps every exchange, not only event streams: a JSON call's
/// capture holds the body bytes the client got, closed properly, and the
/// other exchange is still listed, not shown as a stream.
#[test]
fn record_captures_an_exchange_that_is_not_a_stream_too() {
    let json = "{\"ok\":true,\"items\":[1,2,3]}";
    let (_rt, server) = serve(vec![vec![
        head(
            200,
            "application/json",
            &[("Content-Length", &json.len().to_string())],
        ),
        write(&json[..7]),
        write(&json[7..]),
        Step::Close,
    ]]);
    let dir = scratch("tap-record-plain");
    let tap = Tap::start(&server.url(""), &["--record", dir.to_str().unwrap()]);
    assert_eq!(curl(&[&format!("{}/api/items", tap.url)]), json.as_bytes());
    tap.stderr_line("#1 GET /api/items 200");
    assert!(tap.stop().is_empty(), "no event lines for a JSON call");
    let capture = ssetui::capture::read(&dir.join("exchange-1.ssecap")).unwrap();
    assert!(capture.damaged.is_none(), "closed: {:?}", capture.damaged);
    let body: Vec<u8> = capture.reads(1).flat_map(|(_, b)| b.to_vec()).collect();
    assert_eq!(body, json.as_bytes());
}

#[test]
fn a_client_that_goes_away_ends_its_exchange_and_its_capture_is_complete() {
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write("id: 1\ndata: first\n\n"),
        Step::Hold,
    ]]);
    let dir = scratch("tap-gone");
    let tap = Tap::start(&server.url(""), &["--record", dir.to_str().unwrap()]);
    // curl reads the first event and is stopped while the upstream holds on.
    let mut cmd = Command::new("curl");
    cmd.args(["-sN", "--max-time", "1"])
        .arg(format!("{}/held", tap.url))
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let out = output_within(cmd, PATIENCE);
    assert!(String::from_utf8_lossy(&out.stdout).contains("data: first"));
    let said = tap.stderr_line("exchange 1:");
    assert!(said.contains("the client closed the connection"), "{said}");
    let lines = tap.stop();
    assert_eq!(lines.len(), 1);
    let capture = ssetui::capture::read(&dir.join("exchange-1.ssecap")).unwrap();
    assert!(
        capture.damaged.is_none(),
        "closed properly: {:?}",
        capture.damaged
    );
    assert_eq!(capture.events().len(), 1);
}

#[test]
fn faults_on_the_tap_reach_the_client_and_the_views_show_what_the_client_got() {
    let (_rt, demo) = demo("/firehose?n=50&size=30");
    let base = demo.split("/firehose").next().unwrap().to_owned();
    let tap = Tap::start(&base, &["--split", "7"]);
    let through = format!("{}/firehose?n=50&size=30", tap.url);
    let head_and_body = String::from_utf8(curl(&["-N", "-i", &through])).unwrap();
    let (head, body) = head_and_body.split_once("\r\n\r\n").unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("x-ssetui-faults: split=7"),
        "the fault is named: {head}"
    );
    // Re-split, the bytes are the same as directly.
    assert_eq!(body.as_bytes(), curl(&["-N", &demo]).as_slice());
    let lines = tap.stop();
    assert_eq!(lines.len(), 50);
}

/// The demo's `/clock` (four events) through a tap started with
/// `tap_args`, read by `ssetui print --max-events 4 PRINT_ARGS`: the ids it
/// printed, its stderr, and the tap, still running.
fn clock_through_a_tap(tap_args: &[&str], print_args: &[&str]) -> (Vec<String>, String, Tap) {
    let (_rt, demo) = demo("/clock?count=4&interval_ms=10");
    let base = demo.split("/clock").next().unwrap().to_owned();
    let tap = Tap::start(&base, tap_args);
    let mut cmd = app();
    cmd.args(["print", "--max-events", "4"])
        .args(print_args)
        .arg(format!("{}/clock?count=4&interval_ms=10", tap.url))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (ids_printed(&out.stdout), stderr, tap)
}

/// The exchange of each NDJSON line a stopped tap wrote.
fn exchanges_seen(tap: Tap) -> Vec<u64> {
    tap.stop()
        .iter()
        .map(|l| l["exchange"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_cut_on_the_tap_makes_the_client_resume_through_it_with_its_last_id() {
    let (ids, _, tap) = clock_through_a_tap(&["--cut", "mid-event:3"], &[]);
    assert_eq!(
        ids,
        ["1", "2", "3", "4"],
        "the cut event is resumed, none twice"
    );
    assert_eq!(
        exchanges_seen(tap),
        [1, 1, 2, 2],
        "two exchanges: the cut one and the resumed one"
    );
}

/// `--reconnect-status` on the tap: the client's reconnect after the cut
/// gets the status once (the tap answers it, the upstream never sees it),
/// then resumes through the tap with its last id.
#[test]
fn a_reconnect_status_on_the_tap_answers_the_reconnect_once_then_the_client_resumes() {
    let (ids, stderr, tap) = clock_through_a_tap(
        &["--cut", "mid-event:3", "--reconnect-status", "503"],
        &["-v", "--retry", "50", "--retry-status", "503"],
    );
    assert_eq!(ids, ["1", "2", "3", "4"], "{stderr}");
    assert_eq!(stderr.matches("< HTTP/1.1 503").count(), 1, "{stderr}");
    assert!(stderr.contains("> Last-Event-ID: 2"), "{stderr}");
    let refused = tap.stderr_line("#2 GET /clock");
    assert!(refused.contains(" 503 "), "{refused}");
    assert_eq!(
        exchanges_seen(tap),
        [1, 1, 3, 3],
        "the cut one, then the resumed one after the 503"
    );
}

#[test]
fn a_tap_that_buffers_shows_in_the_clients_diagnosis_as_buffering() {
    let (_rt, demo) = demo("/clock?count=30&interval_ms=150");
    let base = demo.split("/clock").next().unwrap().to_owned();
    let tap = Tap::start(&base, &["--buffer", "1"]);
    let mut cmd = app();
    cmd.args(["print", "--no-reconnect", "--diagnose"])
        .arg(format!("{}/clock?count=30&interval_ms=150", tap.url))
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("buffering"), "{stderr}");
    drop(tap.stop());
}
