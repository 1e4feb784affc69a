//! The demo and replay servers under hostile clients: slowloris heads, more
//! connections than the cap, a foreign `Host` (DNS rebinding), a bind other
//! machines can reach. Real sockets on loopback, the real binary, and `curl`
//! as the real client.

mod support;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use ssetui::server::{self, Limits};
use support::WAIT;

/// The demo server within `limits` on a runtime of its own; its address and
/// the lines it logs.
fn demo_with(limits: Limits) -> (tokio::runtime::Runtime, String, mpsc::Receiver<String>) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (log, lines) = server::log_to_channel();
    let addr = runtime.block_on(async {
        let demo = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let addr = demo.local_addr().to_string();
        tokio::spawn(demo.serve_with(limits, log));
        addr
    });
    (runtime, addr, lines)
}

/// Reads until the server closes the connection; how it closed, or a panic
/// when it stays open longer than `patience`.
fn closed_within(stream: &mut TcpStream, patience: Duration) -> Vec<u8> {
    stream.set_read_timeout(Some(patience)).unwrap();
    let mut got = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return got,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return got,
            Err(e) => panic!(
                "still open after {patience:?} ({e}); got {:?}",
                String::from_utf8_lossy(&got)
            ),
        }
    }
}

/// A GET of `path` sent whole on a new connection.
fn get(addr: &str, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    stream
}

/// Reads until the response head has come, or fails after `WAIT`.
fn response_head(stream: &mut TcpStream) -> String {
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            other => panic!("no response head: {other:?} after {head:?}"),
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[test]
fn a_client_that_sends_half_a_head_or_nothing_is_disconnected_after_the_timeout() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let (_rt, addr, _log) = demo_with(limits);
    let partial: [&[u8]; 3] = [
        b"GET /clock HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1",
        b"",
        // The start of the HTTP/2 preface: hyper waits for the rest unbounded.
        b"PRI * HTTP/2.0\r\n",
    ];
    for bytes in partial {
        let mut stream = TcpStream::connect(&addr).unwrap();
        stream.write_all(bytes).unwrap();
        let got = closed_within(&mut stream, WAIT);
        assert!(
            !got.starts_with(b"HTTP/1.1 200"),
            "{:?}: served {:?}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&got)
        );
    }
    // A client that sends its head in time is served and kept as long as it
    // streams: here three times the timeout.
    let mut stream = get(&addr, "/clock?interval_ms=100&count=9");
    assert!(response_head(&mut stream).starts_with("HTTP/1.1 200 OK"));
    let body = closed_within(&mut stream, WAIT);
    assert!(String::from_utf8_lossy(&body).contains("id: 9"), "{body:?}");
}

#[test]
fn connections_past_the_cap_wait_until_one_closes_and_the_cap_is_logged() {
    let limits = Limits {
        max_connections: 2,
        ..Limits::default()
    };
    let (_rt, addr, log) = demo_with(limits);
    let mut open: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = get(&addr, "/clock?interval_ms=600000");
            assert!(response_head(&mut stream).starts_with("HTTP/1.1 200"));
            stream
        })
        .collect();
    let mut third = get(&addr, "/clock?interval_ms=1&count=1");
    let line = log.recv_timeout(WAIT).expect("the cap is logged");
    assert_eq!(
        line,
        "connection cap reached: 2 open (--max-connections 2); new connections wait until one closes"
    );
    // Held, not served, while the two stay open.
    third.set_nonblocking(true).unwrap();
    let mut buf = [0; 1];
    let held = third.read(&mut buf);
    assert!(
        matches!(&held, Err(e) if e.kind() == ErrorKind::WouldBlock),
        "{held:?}"
    );
    third.set_nonblocking(false).unwrap();
    drop(open.remove(0));
    assert!(response_head(&mut third).starts_with("HTTP/1.1 200"));
}

/// A running `ssetui serve`, killed when dropped: its URL and its stderr lines.
struct Serve {
    child: Child,
    url: String,
    stderr: mpsc::Receiver<String>,
}

impl Serve {
    fn start(args: &[&str]) -> Self {
        let mut child = support::app()
            .args(["serve", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ssetui binary starts");
        let (tx, stderr) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let out = child.stdout.take().unwrap();
        let (tx, first) = mpsc::channel();
        thread::spawn(move || {
            let mut lines = BufReader::new(out).lines();
            let _ = tx.send(lines.next());
            for _ in lines {}
        });
        let banner = first.recv_timeout(WAIT).expect("a banner");
        let banner = banner.expect("a line").expect("text");
        let at = banner.find("http://").expect("the banner names the URL");
        let url = banner[at..].trim_end_matches('/').to_owned();
        Self { child, url, stderr }
    }

    /// Ends the server; everything it wrote to stderr.
    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr.recv_timeout(WAIT) {
            lines.push(line);
        }
        lines
    }

    fn port(&self) -> &str {
        self.url.rsplit(':').next().unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `curl` with `args`: the status code it got.
fn curl_status(args: &[&str]) -> String {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-s",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
        "--max-time",
        "10",
    ])
    .args(args)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let out = support::output_within(cmd, WAIT + WAIT);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn on_loopback_a_request_for_another_host_is_refused_with_403() {
    let serve = Serve::start(&[]);
    let url = format!("{}/", serve.url);
    assert_eq!(curl_status(&[&url]), "200");
    assert_eq!(curl_status(&["-H", "Host: evil.example", &url]), "403");
    assert_eq!(
        curl_status(&["-H", &format!("Host: localhost:{}", serve.port()), &url]),
        "200"
    );
    // HTTP/2 carries the host as :authority.
    assert_eq!(
        curl_status(&["--http2-prior-knowledge", "-H", "Host: evil.example", &url]),
        "403"
    );
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-H", "Host: evil.example", &url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let body = support::output_within(cmd, WAIT + WAIT).stdout;
    assert!(
        String::from_utf8_lossy(&body).contains("answers requests for localhost"),
        "{body:?}"
    );
}

#[test]
fn a_bind_other_machines_can_reach_is_warned_about_and_takes_any_host() {
    let serve = Serve::start(&["--bind", "0.0.0.0"]);
    let warning = serve.stderr.recv_timeout(WAIT).expect("a warning");
    assert_eq!(
        warning,
        format!(
            "ssetui: warning: listening on 0.0.0.0:{}, which other machines can reach: \
             anyone who can connect can read what is served (a replayed capture too); \
             --bind 127.0.0.1 keeps it on this machine",
            serve.port()
        )
    );
    let url = format!("http://127.0.0.1:{}/", serve.port());
    assert_eq!(curl_status(&["-H", "Host: sse.example", &url]), "200");
    let quiet = Serve::start(&[]).stop();
    assert!(quiet.is_empty(), "no warning on loopback: {quiet:?}");
}

#[test]
fn serve_waits_the_default_10_s_for_a_request_head_then_disconnects() {
    let serve = Serve::start(&[]);
    let addr = serve.url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    let got = closed_within(&mut stream, Duration::from_secs(20));
    assert!(!got.starts_with(b"HTTP/1.1 200"), "{got:?}");
}

#[test]
fn serve_logs_the_connection_cap_on_stderr() {
    let serve = Serve::start(&["--max-connections", "1"]);
    let addr = serve.url.trim_start_matches("http://").to_owned();
    let mut first = get(&addr, "/clock?interval_ms=600000");
    assert!(response_head(&mut first).starts_with("HTTP/1.1 200"));
    let _second = get(&addr, "/clock");
    let line = serve.stderr.recv_timeout(WAIT).expect("the cap is logged");
    assert_eq!(
        line,
        "ssetui: connection cap reached: 1 open (--max-connections 1); new connections wait until one closes"
    );
}

/// A capture of one attempt whose reads are all empty.
fn empty_capture(name: &str) -> std::path::PathBuf {
    let path = support::scratch(name).join("empty.ssecap");
    let text = concat!(
        r#"{"ssecap":1,"request":{"method":"GET","url":"http://example.test/s","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
        "\n",
        r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#,
        "\n",
        r#"{"t":0,"read":""}"#,
        "\n",
        r#"{"t":0,"read":""}"#,
        "\n",
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// `--loop` over no bytes spun both cores for ever; now it is refused.
#[test]
fn replaying_a_capture_of_no_bytes_in_a_loop_is_refused() {
    let path = empty_capture("loop");
    let mut cmd = support::app();
    cmd.args([
        "serve", "--port", "0", "--speed", "max", "--loop", "--replay",
    ])
    .arg(&path)
    .stdin(Stdio::null())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let out = support::output_within(cmd, WAIT);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "ssetui: {}: its first attempt received no bytes: there is nothing to --loop over\n",
            path.display()
        )
    );
}

/// On a loopback bind the replay server refuses a foreign `Host` too.
#[test]
fn the_replay_server_refuses_a_foreign_host_on_loopback() {
    let path = empty_capture("host");
    let serve = Serve::start(&["--replay", path.to_str().unwrap()]);
    let url = format!("{}/", serve.url);
    assert_eq!(curl_status(&["-H", "Host: evil.example", &url]), "403");
    assert_eq!(curl_status(&[&url]), "200");
}
