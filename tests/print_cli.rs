//! `ssetui print` as a user runs it: the real binary as a child process against
//! the raw-TCP loopback server (served by a tokio runtime inside the test).
//!
//! The child's stdout lines, its stderr and its exit status arrive over std
//! channels from reader threads; every wait is a bounded `recv_timeout`, and a
//! child still running when its test ends (or fails) is killed.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde_json::Value;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");
/// The longest any wait on the child may take.
const PATIENCE: Duration = Duration::from_secs(15);

/// What the stdout reader does.
#[derive(Clone, Copy, PartialEq)]
enum Stdout {
    /// Read every line until the child closes its stdout.
    Lines,
    /// Read one line, then close the pipe (as `| head -n 1` does).
    FirstLineThenClose,
}

/// A running `ssetui print`.
struct Run {
    pid: u32,
    lines: mpsc::Receiver<Vec<u8>>,
    stderr: mpsc::Receiver<String>,
    status: mpsc::Receiver<ExitStatus>,
    exited: bool,
}

impl Run {
    fn start(args: &[&str]) -> Self {
        Self::start_with(args, Stdout::Lines)
    }

    fn start_with(args: &[&str], mode: Stdout) -> Self {
        let mut child = support::app()
            .arg("print")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the ssetui binary starts");
        let pid = child.id();
        let stdout = child.stdout.take().unwrap();
        let mut stderr = child.stderr.take().unwrap();
        let (line_tx, lines) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if line_tx.send(line).is_err() || mode == Stdout::FirstLineThenClose {
                            break;
                        }
                    }
                }
            }
            // Dropping the reader closes this end of the pipe.
        });
        let (err_tx, stderr_rx) = mpsc::channel();
        thread::spawn(move || {
            let mut text = Vec::new();
            let _ = stderr.read_to_end(&mut text);
            let _ = err_tx.send(String::from_utf8_lossy(&text).into_owned());
        });
        let (status_tx, status) = mpsc::channel();
        thread::spawn(move || {
            if let Ok(s) = child.wait() {
                let _ = status_tx.send(s);
            }
        });
        Self {
            pid,
            lines,
            stderr: stderr_rx,
            status,
            exited: false,
        }
    }

    /// The next stdout line (with its line ending).
    fn line(&self) -> String {
        let line = self
            .lines
            .recv_timeout(PATIENCE)
            .expect("no stdout line from ssetui in time");
        String::from_utf8(line).expect("UTF-8 output")
    }

    /// Waits for the exit status.
    fn wait(&mut self) -> ExitStatus {
        let status = self
            .status
            .recv_timeout(PATIENCE)
            .expect("ssetui did not exit in time");
        self.exited = true;
        status
    }

    /// Waits for the exit code (the process must exit, not be killed by a signal).
    fn code(&mut self) -> i32 {
        let status = self.wait();
        status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal: {status:?}"))
    }

    /// All of stdout not yet read, up to its end.
    fn rest_of_stdout(&self) -> Vec<u8> {
        let mut out = Vec::new();
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => out.extend(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => return out,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("stdout did not end in time"),
            }
        }
    }

    /// All of stderr (the process must have exited or be about to).
    fn stderr(&self) -> String {
        self.stderr
            .recv_timeout(PATIENCE)
            .expect("stderr did not end in time")
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid.to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {signal} {} failed", self.pid);
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        if !self.exited && self.status.try_recv().is_err() {
            let _ = Command::new("kill")
                .args(["-KILL", &self.pid.to_string()])
                .status();
        }
    }
}

/// A loopback test server on its own runtime; the runtime must outlive the test's use of it.
fn json(line: &str) -> Value {
    serde_json::from_str(line.trim_end()).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"))
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// A file under the target's scratch directory holding `bytes`.
fn scratch_file(name: &str, bytes: &[u8]) -> String {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("print_cli-{}-{name}", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn ndjson_lines_have_the_documented_shape() {
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write("data: hello\n\nevent: tick\ndata: a\ndata: b\nid: 7\n\nretry: 100\ndata: r\n\n"),
        Step::Close,
    ]]);
    let mut run = Run::start(&[&server.url("/s"), "--reconnect", "never"]);

    let first = json(&run.line());
    assert_eq!(
        keys(&first),
        ["attempt", "data", "event", "id", "seq", "time"]
    );
    assert_eq!(first["event"], "message");
    assert_eq!(first["data"], "hello");
    assert_eq!(first["id"], "");
    assert_eq!(first["seq"], 1);
    assert_eq!(first["attempt"], 1);
    let time = first["time"].as_str().unwrap();
    assert!(time.ends_with('Z'), "{time}");
    humantime::parse_rfc3339(time).unwrap_or_else(|e| panic!("{time}: {e}"));

    let second = json(&run.line());
    assert_eq!(
        (
            &second["event"],
            &second["data"],
            &second["id"],
            &second["seq"]
        ),
        (&"tick".into(), &"a\nb".into(), &"7".into(), &2.into())
    );
    let third = json(&run.line());
    assert_eq!(
        keys(&third),
        ["attempt", "data", "event", "id", "retry", "seq", "time"]
    );
    assert_eq!((&third["retry"], &third["id"]), (&100.into(), &"7".into()));

    assert_eq!(run.code(), 0, "the stream ended and --reconnect never");
    assert!(run.rest_of_stdout().is_empty());
    assert_eq!(run.stderr(), "");
}

/// `print`'s lines for `url` with the extra arguments given: every key but
/// `time` and `--extract`'s `value`.
fn printed_without_time(url: &str, extra: &[&str]) -> Vec<Value> {
    let mut cmd = support::app();
    cmd.args(["print", "--no-reconnect", url]).args(extra);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let mut line = json(line);
            line.as_object_mut().unwrap().remove("time");
            line.as_object_mut().unwrap().remove("value");
            line
        })
        .collect()
}

/// Big plain events, whose data `print` writes from the reads it came in
/// (kept in pieces, never joined), print as the same lines as when
/// `--extract` reads each event's data as one string; so do big JSON ones.
#[test]
fn big_events_written_from_their_pieces_print_as_when_joined() {
    for query in [
        "n=12&size=300000&id=1&event=tick",
        "n=12&size=150000&json=1",
    ] {
        let (_rt, url) = demo(&format!("/firehose?{query}"));
        let written = printed_without_time(&url, &[]);
        let joined = printed_without_time(&url, &["--extract", "."]);
        assert_eq!((written.len(), joined.len()), (12, 12), "{query}");
        for (n, (written, joined)) in written.iter().zip(&joined).enumerate() {
            // Not assert_eq!: a difference would print megabytes.
            assert!(written == joined, "{query}: line {n} differs");
            let data = written["data"].as_str().unwrap();
            assert!(data.len() >= 150_000, "{query}: {} bytes", data.len());
            // The demo's plain data: the alphabet over and over.
            if !query.contains("json") {
                let alphabet = (b'a'..=b'z').cycle().take(300_000);
                assert!(data.bytes().eq(alphabet), "{query}: line {n}'s data");
            }
        }
    }
}

#[test]
fn raw_output_is_byte_exact_across_a_reconnect() {
    let body1: &[u8] = b": keep-alive\r\nretry: 50\r\nid: 1\rdata: one\r\rdata: two\n\n";
    let body2: &[u8] =
        b"data: three\r\n\r\n: no blank line after this comment\r\ndata: never dispatched";
    let (rt, mut server) = serve(vec![
        vec![sse_head(), write(body1), Step::Close],
        vec![sse_head(), write(body2), Step::Close],
        vec![head(204, "text/plain", &[]), Step::Close],
    ]);
    let mut run = Run::start(&[&server.url("/s"), "--raw"]);

    assert_eq!(run.code(), 0, "the 204 ends it: {}", run.stderr());
    let out = run.rest_of_stdout();
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&[body1, body2].concat())
    );
    assert_eq!(out, [body1, body2].concat());
    rt.block_on(async {
        assert_eq!(server.next_request().await.header("last-event-id"), None);
        assert_eq!(
            server.next_request().await.header("last-event-id"),
            Some("1")
        );
        assert_eq!(
            server.next_request().await.header("last-event-id"),
            Some("1")
        );
    });
}

#[test]
fn max_events_exits_0_after_n_events_while_the_stream_stays_open() {
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write("data: 1\n\ndata: 2\n\ndata: 3\n\n"),
        Step::Hold,
    ]]);
    let mut run = Run::start(&[&server.url("/s"), "--max-events", "2"]);

    assert_eq!(run.code(), 0);
    let out = String::from_utf8(run.rest_of_stdout()).unwrap();
    let data: Vec<Value> = out.lines().map(|l| json(l)["data"].clone()).collect();
    assert_eq!(data, ["1", "2"]);
    assert_eq!(run.stderr(), "");
}

#[test]
fn a_bad_status_or_content_type_exits_1_with_a_one_line_message() {
    for (head_step, body, named) in [
        (head(404, "text/plain", &[]), "no such stream\n", "404"),
        (
            head(200, "application/json", &[]),
            "{\"error\":\"wrong door\"}",
            "application/json",
        ),
    ] {
        let (_rt, server) = serve(vec![vec![head_step, write(body), Step::Close]]);
        let mut run = Run::start(&[&server.url("/s")]);

        assert_eq!(run.code(), 1, "{named}");
        assert!(run.rest_of_stdout().is_empty());
        let stderr = run.stderr();
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.starts_with("ssetui: "), "{stderr:?}");
        assert!(stderr.contains(named), "{stderr:?}");
        assert!(
            stderr.contains(body.trim_end()),
            "the body start is quoted: {stderr:?}"
        );
        assert_eq!(server.connections(), 1, "not retried");
    }
}

#[test]
fn verbose_shows_a_rejected_responses_status_line_and_headers() {
    for (answer, lines) in [
        (
            head(
                401,
                "application/json",
                &[
                    ("WWW-Authenticate", "Bearer realm=\"api\""),
                    ("x-request-id", "req-1"),
                ],
            ),
            [
                "< HTTP/1.1 401 Unauthorized\n",
                "< www-authenticate: Bearer realm=\"api\"\n",
                "< x-request-id: req-1\n",
            ],
        ),
        (
            head(
                429,
                "text/plain",
                &[("Retry-After", "7"), ("x-request-id", "req-2")],
            ),
            [
                "< HTTP/1.1 429 Too Many Requests\n",
                "< retry-after: 7\n",
                "< x-request-id: req-2\n",
            ],
        ),
        (
            head(200, "application/json", &[("x-request-id", "req-3")]),
            [
                "< HTTP/1.1 200 OK\n",
                "< content-type: application/json\n",
                "< x-request-id: req-3\n",
            ],
        ),
    ] {
        let (_rt, server) = serve(vec![vec![answer, write("{}"), Step::Close]]);
        let mut run = Run::start(&["-v", &server.url("/s")]);
        assert_eq!(run.code(), 1);
        let stderr = run.stderr();
        for line in lines {
            assert!(stderr.contains(line), "{line:?} missing from:\n{stderr}");
        }
        let head_at = stderr.find("< HTTP/1.1").unwrap();
        let failed_at = stderr.find("! attempt 1 failed").expect("the failure line");
        assert!(
            head_at < failed_at,
            "the head before the failure:\n{stderr}"
        );
    }
}

#[test]
fn a_network_error_after_the_retries_exits_1() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/s",
        listener.local_addr().unwrap().port()
    );
    drop(listener);
    let mut run = Run::start(&[&url, "--max-retries", "1", "--retry", "50"]);

    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(
        stderr.contains("gave up after 2 attempts") && stderr.contains(&url),
        "{stderr:?}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    for (args, named) in [
        (&["ftp://example.com/s"][..], "scheme"),
        (&["http://127.0.0.1:9/s", "-H", "NoColon"], "NoColon"),
        (
            &["http://127.0.0.1:9/s", "--basic", "no-colon"],
            "USER:PASSWORD",
        ),
        (
            &["http://127.0.0.1:9/s", "--no-such-option"],
            "--no-such-option",
        ),
    ] {
        let mut run = Run::start(args);
        assert_eq!(run.code(), 2, "{args:?}");
        assert!(run.rest_of_stdout().is_empty());
        let stderr = run.stderr();
        assert!(stderr.contains(named), "{args:?}: {stderr:?}");
    }
}

#[test]
fn argument_errors_never_quote_a_header_value_or_url_credentials() {
    for (args, named) in [
        (
            &["http://127.0.0.1:9/s", "-H", "Authorization Bearer SECRET"][..],
            "Authorization",
        ),
        (&["http://u:SECRET@[::1/s?key=SECRET"][..], "invalid URL"),
        (&["ftp://u:SECRET@h/s?key=SECRET"][..], "scheme"),
    ] {
        let mut run = Run::start(args);
        assert_eq!(run.code(), 2, "{args:?}");
        let stderr = run.stderr();
        assert!(stderr.contains(named), "{args:?}: {stderr:?}");
        assert!(!stderr.contains("SECRET"), "{args:?}: {stderr:?}");
    }
}

#[test]
fn no_content_exits_0() {
    let (_rt, server) = serve(vec![vec![head(204, "text/plain", &[]), Step::Close]]);
    let mut run = Run::start(&[&server.url("/s")]);

    assert_eq!(run.code(), 0);
    assert!(run.rest_of_stdout().is_empty());
    assert_eq!(run.stderr(), "");
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_closed_stdout_ends_the_process_quietly_with_0() {
    let many: String = (2..20_000)
        .map(|n| format!("data: event {n:08}\n\n"))
        .collect();
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write("data: first\n\n"),
        Step::Gate,
        write(many),
        Step::Hold,
    ]]);
    let mut run = Run::start_with(&[&server.url("/s")], Stdout::FirstLineThenClose);

    assert_eq!(json(&run.line())["data"], "first");
    // The reader has closed the pipe; now the events that cannot be written.
    server.release();
    assert_eq!(run.code(), 0);
    assert_eq!(run.stderr(), "", "a broken pipe is not an error to report");
}

#[test]
fn ctrl_c_exits_130() {
    let (_rt, server) = serve(vec![vec![sse_head(), write("data: a\n\n"), Step::Hold]]);
    let mut run = Run::start(&[&server.url("/s")]);

    assert_eq!(json(&run.line())["data"], "a");
    run.signal("-INT");
    assert_eq!(run.code(), 130);
}

#[test]
fn verbose_shows_the_request_the_reconnect_and_the_response_without_secrets() {
    let (rt, mut server) = serve(vec![
        vec![sse_head(), write("id: 3\ndata: a\n\n"), Step::Close],
        vec![sse_head(), write("data: b\n\n"), Step::Hold],
    ]);
    let url = server.url("/s");
    let token = "tok-verbose-5ec2e7";
    let mut run = Run::start(&[
        &url,
        "-v",
        "--bearer",
        token,
        "--retry",
        "50",
        "--max-events",
        "2",
    ]);

    assert_eq!(run.code(), 0);
    assert_eq!(
        String::from_utf8(run.rest_of_stdout())
            .unwrap()
            .lines()
            .count(),
        2
    );
    let stderr = run.stderr();
    for needle in [
        format!("> GET {url}\n"),
        "> Accept: text/event-stream\n".to_owned(),
        "> Authorization: Bearer ***\n".to_owned(),
        "< HTTP/1.1 200 OK\n".to_owned(),
        "< content-type: text/event-stream\n".to_owned(),
        "* reconnecting in 50 ms (attempt 2, Last-Event-ID: 3)\n".to_owned(),
        "> Last-Event-ID: 3\n".to_owned(),
    ] {
        assert!(
            stderr.contains(&needle),
            "{needle:?} missing from:\n{stderr}"
        );
    }
    assert_eq!(stderr.matches("> GET ").count(), 2, "{stderr}");
    assert!(
        !stderr.contains(token),
        "the token is shown in clear:\n{stderr}"
    );
    rt.block_on(async {
        let first = server.next_request().await;
        assert_eq!(
            first.header("authorization"),
            Some(format!("Bearer {token}").as_str())
        );
        assert_eq!(
            server.next_request().await.header("last-event-id"),
            Some("3")
        );
    });
}

#[test]
fn data_and_json_from_a_file_send_the_file_bytes() {
    let form: &[u8] = b"name=a%20b&x=1\n\xff\x00tail";
    let document: &[u8] = b"{\"prompt\": \"h\xc3\xa9\"}\n";
    for (flag, bytes, content_type) in [
        ("-d", form, "application/x-www-form-urlencoded"),
        ("--json", document, "application/json"),
    ] {
        let path = scratch_file(flag.trim_start_matches('-'), bytes);
        let (rt, mut server) = serve(vec![vec![sse_head(), write("data: ok\n\n"), Step::Close]]);
        let mut run = Run::start(&[&server.url("/chat"), flag, &format!("@{path}")]);

        assert_eq!(run.code(), 0, "{flag}: {}", run.stderr());
        assert_eq!(json(&run.line())["data"], "ok");
        let request = rt.block_on(server.next_request());
        assert_eq!(request.method, "POST");
        assert_eq!(request.body, bytes, "{flag}");
        assert_eq!(request.header("content-type"), Some(content_type));
        assert_eq!(server.connections(), 1, "a POST is not re-sent");
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn raw_with_max_events_stops_after_the_nth_event_block() {
    // All three events arrive in one read; only the first two blocks may be written.
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write(": hi\r\ndata: 1\r\n\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n"),
        Step::Hold,
    ]]);
    let mut run = Run::start(&[&server.url("/s"), "--raw", "--max-events", "2"]);

    assert_eq!(run.code(), 0);
    assert_eq!(
        String::from_utf8(run.rest_of_stdout()).unwrap(),
        ": hi\r\ndata: 1\r\n\r\ndata: 2\r\n\r\n"
    );
}

#[test]
fn a_configuration_error_found_by_the_engine_exits_2() {
    let ca = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("print_cli-no-such-ca.pem");
    for (args, named) in [
        // Accepted by the argument parser, rejected by HTTP: not a token character.
        (vec!["-H", "Bad(Name): v"], "Bad(Name)"),
        (
            vec!["--cacert", ca.to_str().unwrap()],
            "print_cli-no-such-ca.pem",
        ),
    ] {
        let (_rt, server) = serve(vec![vec![sse_head(), write("data: x\n\n"), Step::Hold]]);
        let url = server.url("/s");
        let mut run = Run::start(&[&[url.as_str()][..], &args].concat());
        assert_eq!(run.code(), 2, "{args:?}");
        let stderr = run.stderr();
        assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
        assert!(stderr.contains(named), "{stderr:?}");
        assert_eq!(server.connections(), 0, "nothing is sent");
    }
}

#[test]
fn a_finished_demo_stream_ends_print_with_0_after_a_reconnect_gets_204() {
    let (_rt, url) = demo("/clock?interval_ms=5&count=3");
    // GET reconnects after a clean end (the spec's behaviour); the demo's 204 then stops it.
    let mut run = Run::start(&["--retry", "50", &url]);
    assert_eq!(run.code(), 0);
    let ids: Vec<String> = run
        .rest_of_stdout()
        .lines()
        .map(|l| {
            json(&l.unwrap())["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(run.stderr(), "");
}

#[test]
fn verbose_state_lines_follow_the_events_before_them() {
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write("id: 1\ndata: a\n\nid: 2\ndata: b\n\n"),
        Step::Close,
    ]]);
    // One pipe for both streams, as a terminal shows them.
    let script = format!(
        "'{BIN}' print -v --no-reconnect '{}' 2>&1",
        server.url("/s")
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .env(
            ssetui::config::location::ENV_VAR,
            support::isolated_config(),
        )
        .stdin(Stdio::null())
        .output()
        .expect("run sh");
    let text = String::from_utf8_lossy(&out.stdout);
    let position = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} missing from:\n{text}"))
    };
    assert!(
        position("\"data\":\"b\"") < position("* stream ended"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn transcript_writes_the_assembled_answer_and_a_summary() {
    let chunks = "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n\
                  data: {\"choices\":[{\"delta\":{\"content\":\", world\"}}]}\n\n\
                  data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n\
                  data: [DONE]\n\n";
    let (_rt, server) = serve(vec![vec![
        head(200, "text/event-stream", &[]),
        write(chunks),
        Step::Close,
    ]]);
    let mut run = Run::start(&["--transcript", "--no-reconnect", &server.url("/chat")]);
    assert_eq!(run.code(), 0);
    assert_eq!(run.rest_of_stdout(), b"Hello, world\n");
    let stderr = run.stderr();
    assert!(stderr.starts_with("ssetui: transcript: "), "{stderr:?}");
    assert!(stderr.contains("[DONE]"), "{stderr:?}");
    assert!(stderr.contains("finish reason stop"), "{stderr:?}");
}

#[test]
fn the_demos_ollama_chat_read_as_ndjson_is_recognised_as_ollama() {
    let (_rt, url) = demo("/chat?format=ollama&delay_ms=0");
    let mut run = Run::start(&[
        "--parse-as",
        "ndjson",
        "--transcript",
        "--no-reconnect",
        &url,
    ]);
    assert_eq!(run.code(), 0);
    let answer = String::from_utf8(run.rest_of_stdout()).unwrap();
    assert!(
        answer.starts_with("Hi! I am the ssetui demo model") && answer.ends_with(".\n"),
        "{answer:?}"
    );
    let stderr = run.stderr();
    assert!(
        stderr.starts_with("ssetui: transcript: Ollama") && stderr.contains("done: true"),
        "{stderr:?}"
    );
}

#[test]
fn transcript_path_reads_other_apis_and_a_bad_path_exits_2() {
    let lines = "data: {\"message\":{\"content\":\"Hi \"}}\n\n\
                 data: {\"message\":{\"content\":\"there\"}}\n\n";
    let (_rt, server) = serve(vec![vec![
        head(200, "text/event-stream", &[]),
        write(lines),
        Step::Close,
    ]]);
    let url = server.url("/s");
    let mut run = Run::start(&[
        "--transcript",
        "--transcript-path",
        "message.content",
        "--no-reconnect",
        &url,
    ]);
    assert_eq!(run.code(), 0);
    assert_eq!(run.rest_of_stdout(), b"Hi there\n");
    let mut bad = Run::start(&["--transcript", "--transcript-path", "a[", &url]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("--transcript-path"));
}

#[test]
fn diagnose_reports_what_is_wrong_with_the_stream_on_stderr() {
    // A stream without ids and with mixed line endings; then a response the
    // engine rejects, explained too.
    let (_rt, server) = serve(vec![vec![
        head(200, "text/event-stream", &[]),
        write("data: one\r\n\r\ndata: two\n\n"),
        Step::Close,
    ]]);
    let mut run = Run::start(&["--diagnose", "--no-reconnect", &server.url("/s")]);
    assert_eq!(run.code(), 0);
    assert_eq!(run.rest_of_stdout().split(|b| *b == b'\n').count(), 3);
    let stderr = run.stderr();
    assert!(stderr.contains("ssetui diagnosis:"), "{stderr}");
    assert!(stderr.contains("no-ids"), "{stderr}");
    assert!(stderr.contains("line-endings"), "{stderr}");
    assert!(stderr.contains("fix:"), "{stderr}");

    let (_rt, server) = serve(vec![vec![
        head(200, "application/json", &[]),
        write("{}"),
        Step::Close,
    ]]);
    let mut run = Run::start(&["--diagnose", &server.url("/s")]);
    assert_eq!(run.code(), 1);
    let stderr = run.stderr();
    assert!(stderr.contains("content-type"), "{stderr}");
}

#[test]
fn filter_and_extract_apply_jq_expressions_and_a_bad_one_exits_2() {
    let body = "event: delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"Hi\"}}\n\n\
                event: ping\ndata: {\"type\":\"ping\"}\n\n\
                data: not json\n\n\
                event: delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{}}\n\n";
    let (_rt, server) = serve(vec![vec![
        head(200, "text/event-stream", &[]),
        write(body),
        Step::Close,
    ]]);
    let url = server.url("/s");
    let mut run = Run::start(&[
        "--no-reconnect",
        "--filter",
        ".type == \"content_block_delta\"",
        "--extract",
        ".delta.text",
        &url,
    ]);
    assert_eq!(run.code(), 0);
    let out = run.rest_of_stdout();
    let lines: Vec<Value> = String::from_utf8(out).unwrap().lines().map(json).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["value"], "Hi");
    assert_eq!(lines[1]["value"], "null", "jq's null for a missing key");
    assert_eq!(lines[1]["seq"], 4, "events keep their numbers");

    let mut bad = Run::start(&["--filter", ".a ==", &url]);
    assert_eq!(bad.code(), 2);
    assert!(bad.stderr().contains("--filter: "));
}

#[test]
fn parse_as_reads_ndjson_or_forces_sse_on_a_body_of_another_type() {
    let ndjson = "{\"message\":{\"content\":\"Hi \"}}\n{\"message\":{\"content\":\"there\"},\"done\":true}\n";
    let (_rt, server) = serve(vec![vec![
        head(200, "application/x-ndjson", &[]),
        write(ndjson),
        Step::Close,
    ]]);
    let url = server.url("/api/chat");
    let mut strict = Run::start(&["--no-reconnect", &url]);
    assert_eq!(strict.code(), 1, "the spec's way: not an event stream");

    let mut run = Run::start(&["--no-reconnect", "--parse-as", "ndjson", &url]);
    assert_eq!(run.code(), 0);
    let lines: Vec<Value> = String::from_utf8(run.rest_of_stdout())
        .unwrap()
        .lines()
        .map(json)
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1]["data"],
        "{\"message\":{\"content\":\"there\"},\"done\":true}"
    );

    // An NDJSON LLM API, assembled with a content path.
    let mut answer = Run::start(&[
        "--no-reconnect",
        "--parse-as",
        "ndjson",
        "--transcript",
        "--transcript-path",
        "message.content",
        &url,
    ]);
    assert_eq!(answer.code(), 0);
    assert_eq!(answer.rest_of_stdout(), b"Hi there\n");

    let (_rt, server) = serve(vec![vec![
        head(200, "text/plain", &[]),
        write("id: 1\ndata: forced\n\n"),
        Step::Close,
    ]]);
    let mut forced = Run::start(&["--no-reconnect", "--parse-as", "sse", &server.url("/s")]);
    assert_eq!(forced.code(), 0);
    let line = json(&forced.line());
    assert_eq!(
        (line["data"].as_str(), line["id"].as_str()),
        (Some("forced"), Some("1"))
    );
}

#[test]
fn max_event_size_set_on_the_command_line_fails_an_event_over_it_with_exit_1() {
    let big = format!("data: {}\n\n", "x".repeat(2000));
    let (_rt, server) = serve(vec![vec![
        sse_head(),
        write(format!("data: small\n\n{big}data: after\n\n")),
        Step::Close,
    ]]);
    let mut run = Run::start(&[
        "--no-reconnect",
        "--max-event-size",
        "1K",
        &server.url("/s"),
    ]);
    assert_eq!(json(&run.line())["data"], "small");
    assert_eq!(run.code(), 1);
    assert!(
        run.rest_of_stdout().is_empty(),
        "nothing of the big event or after it"
    );
    let stderr = run.stderr();
    assert!(
        stderr.contains("1024-byte limit") && stderr.contains("--max-event-size"),
        "{stderr:?}"
    );
    assert_eq!(server.connections(), 1, "not retried");
}

/// Lines printed as the parser dispatches events (the default) are the
/// lines printed from events kept whole (`--diagnose` keeps them) and the
/// lines the library writes for the events it parses: byte for byte but
/// for the receive time, over every kind of field (ids set and inherited,
/// joined and escaped data, a type changing, retry, invalid UTF-8, CRLF, a
/// BOM) and across the server's writes.
#[test]
fn ndjson_lines_are_the_same_printed_in_place_or_from_kept_events() {
    let mut body = "\u{feff}: hi\r\nretry: 1500\r\nid: 1\r\nevent: tick\r\n\
                    data: a \"quoted\" \\ back\r\ndata: two\u{85}lines\u{202e}\r\n\r\n\
                    id: 2\ndata: {\"json\":[1,2]}\n\ndata: inherits 2\n\n\
                    event: \u{1b}[31mred\ndata: x"
        .as_bytes()
        .to_vec();
    body.extend_from_slice(b"\xffy\n\nid\ndata:\n\n: only a comment\n\n");
    for n in 0..300 {
        body.extend_from_slice(format!("event: e{}\ndata: {n}\n\n", n % 3).as_bytes());
    }
    body.extend_from_slice(b"retry: 10\ndata: last\r\r");
    let writes: Vec<Step> = body.chunks(97).map(write).collect();
    let print = |args: &[&str]| {
        let mut script = vec![sse_head()];
        script.extend(writes.iter().cloned());
        script.push(Step::Close);
        let (_rt, server) = serve(vec![script]);
        let url = server.url("/s");
        let mut all = vec!["--no-reconnect", url.as_str()];
        all.extend_from_slice(args);
        let mut run = Run::start(&all);
        assert_eq!(run.code(), 0, "{args:?}");
        let out = String::from_utf8(run.rest_of_stdout()).expect("UTF-8 lines");
        // The receive time is when the bytes came: the same in no two runs.
        regex::Regex::new(r#""time":"[^"]*""#)
            .unwrap()
            .replace_all(&out, r#""time":"T""#)
            .into_owned()
    };
    let in_place = print(&[]);
    assert_eq!(in_place, print(&["--diagnose"]));

    let mut items = Vec::new();
    ssetui::sse::Parser::default()
        .feed(&body, &mut items)
        .unwrap();
    let mut expected = Vec::new();
    let events = items.iter().filter_map(|item| match item {
        ssetui::sse::Item::Event(event) => Some(event),
        ssetui::sse::Item::Block(_) => None,
    });
    for (seq, event) in (1..).zip(events) {
        let time = ssetui::capture::ndjson::json_string("T");
        ssetui::capture::ndjson::write_event(&mut expected, event, seq, 1, &time, None).unwrap();
    }
    assert_eq!(in_place.lines().count(), 306);
    assert_eq!(in_place, String::from_utf8(expected).unwrap());
}

/// Printed in place, the newest event's end marker is read once per read
/// from what the parser left of it: its data in the read, or, when the
/// data is not there as one piece (cut by reads, joined from lines), a
/// copy. Both end the answer without asking again.
#[test]
fn an_end_marker_cut_by_reads_or_joined_from_lines_ends_the_answer_in_place() {
    let cut = vec![
        sse_head(),
        write("data: first\n\n"),
        write("data: [DO"),
        Step::Gate,
        // Written only after `first` was printed: a read of its own.
        write("NE]\n\n"),
        Step::Close,
    ];
    let joined = vec![
        sse_head(),
        write("data: first\n\n"),
        Step::Gate,
        write("data: {\"model\":\"m\",\ndata: \"done\":true}\n\n"),
        Step::Close,
    ];
    for (script, marker) in [(cut, "[DONE]"), (joined, "done: true")] {
        let (_rt, server) = serve(vec![script]);
        let mut run = Run::start(&["-v", &server.url("/s")]);
        assert_eq!(json(&run.line())["data"], "first");
        server.release();
        assert_eq!(run.code(), 0, "{}", run.stderr());
        let stderr = run.stderr();
        assert!(
            stderr.contains(&format!("the answer had ended ({marker})")),
            "{stderr}"
        );
        assert!(!stderr.contains("* attempt 2"), "{stderr}");
        assert_eq!(server.connections(), 1);
    }
}

/// Events far bigger than a block and than the stdout buffer, with a byte
/// to escape near every 64-byte boundary: the block scans (their
/// overlapping last block included), lines carried across reads, and a big
/// data run written through past the buffer all come out whole, in order,
/// and escaped (the terminal's characters as `\u` escapes, never raw).
#[test]
fn big_events_with_escapes_everywhere_come_out_whole_in_order_and_escaped() {
    let specials = ["\"", "\\", "\u{202e}", "\u{1}", "é", "\t", "\u{7f}"];
    let mut data = String::new();
    for i in 0..5_000 {
        data.push_str(&"x".repeat(60 + i % 7));
        data.push_str(specials[i % specials.len()]);
    }
    let mut body = b"data: small\n\n".to_vec();
    body.extend_from_slice(format!("event: big\ndata: {data}\n\n").as_bytes());
    body.extend_from_slice(b"data: small again\n\n");
    body.extend_from_slice(format!("data: {data}\ndata: {data}\n\n").as_bytes());
    let mut script = vec![sse_head()];
    script.extend(body.chunks(7_001).map(write));
    script.push(Step::Close);
    let (_rt, server) = serve(vec![script]);
    let mut run = Run::start(&[&server.url("/s"), "--reconnect", "never"]);

    let lines: Vec<String> = (0..4).map(|_| run.line()).collect();
    assert_eq!(run.code(), 0);
    let values: Vec<Value> = lines.iter().map(|line| json(line)).collect();
    assert_eq!(values[0]["data"], "small");
    assert_eq!(
        (&values[1]["event"], &values[1]["data"]),
        (&"big".into(), &data.as_str().into())
    );
    assert_eq!(values[2]["data"], "small again");
    assert_eq!(values[3]["data"], format!("{data}\n{data}"));
    assert_eq!(
        values.iter().map(|v| v["seq"].as_u64()).collect::<Vec<_>>(),
        [Some(1), Some(2), Some(3), Some(4)]
    );
    let marks = data.matches('\u{202e}').count();
    assert!(marks > 100);
    for line in &lines {
        assert!(
            !line.contains('\u{202e}') && !line.contains('\u{7f}'),
            "raw in {:.80}",
            line
        );
    }
    assert_eq!(lines[1].matches("\\u202e").count(), marks);
    assert_eq!(lines[3].matches("\\u202e").count(), 2 * marks);
}
