//! The terminal belongs to the user: one hostile corpus (`support/hostile.rs`)
//! served from a real loopback server into every sink that reaches a
//! terminal, and not one character of the neutralised set comes out raw
//! (`\n` and `\t` only where a sink is multi-line), while the escaped
//! forms are there to be read.
//!
//! Sinks: `print` (NDJSON and `--extract` to a pipe, `--raw` to a pipe and
//! to a terminal, `-v`, `--transcript` to a terminal and its summary,
//! `--diagnose`), failed responses' errors, `check` (report and JUnit),
//! config text (`profiles`, warnings, a missing profile), `serve`'s logs
//! and answers, and the UI (list, Content, Raw, Wire, markers).

#[path = "support/hostile.rs"]
mod hostile;
mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use hostile::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;
use ssetui::text::Lines;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");
const PATIENCE: Duration = Duration::from_secs(30);

/// The binary with a config file of the test's own (none unless written).
fn ssetui(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = support::app();
    cmd.args(args)
        .env("SSETUI_CONFIG", dir.join("config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(dir: &Path, args: &[&str]) -> (String, String, Option<i32>) {
    let out: Output = output_within(ssetui(dir, args), PATIENCE);
    (
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        out.status.code(),
    )
}

/// The binary in a pseudo-terminal (stdout and stderr both the terminal):
/// everything it wrote to the terminal, and its exit status.
fn run_in_terminal(dir: &Path, args: &[&str]) -> (String, u32) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(args);
    cmd.env("SSETUI_CONFIG", dir.join("config.toml"));
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn ssetui");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 65536];
        // The read fails (EIO) or ends once the child has closed the terminal.
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        let _ = tx.send(all);
    });
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for ssetui") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("ssetui {args:?} did not exit in a terminal within {PATIENCE:?}");
        }
        // Polling the child's status: the pty gives no exit notification.
        std::thread::sleep(Duration::from_millis(20));
    };
    drop(pair.master);
    let bytes = rx
        .recv_timeout(PATIENCE)
        .expect("the terminal's output is read to its end");
    (
        String::from_utf8(bytes).expect("the terminal got UTF-8"),
        status.exit_code(),
    )
}

/// A 200 event-stream head whose extra headers carry the corpus.
fn hostile_head() -> Step {
    let value = header_value();
    head(
        200,
        "text/event-stream",
        &[
            ("X-Hostile", value.as_str()),
            ("X-Weird-Name!#$%&'*+.^_`|~", value.as_str()),
        ],
    )
}

/// Serves `body` after `head` once, then 204 (stop reconnecting).
fn serve_once(head: Step, body: Vec<u8>) -> (tokio::runtime::Runtime, TestServer) {
    serve(vec![
        vec![head, write(body), Step::Close],
        vec![support::head(204, "text/event-stream", &[])],
    ])
}

#[test]
fn ndjson_and_extract_escape_every_terminal_control_and_read_back_exactly() {
    let dir = scratch("ndjson");
    let (_rt, server) = serve_once(hostile_head(), stream());
    let url = server.url("/");
    let (stdout, stderr, code) = run(
        &dir,
        &["print", "--no-reconnect", "--extract", ".text", &url],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_neutralised(&stderr, Lines::Multi, "print's stderr");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "every event printed");
    for line in &lines {
        assert_neutralised(line, Lines::Single, "an NDJSON line");
    }
    // JSON readers get the text back exactly as the server sent it.
    let events: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(events[0]["event"], id_line());
    assert_eq!(events[0]["id"], id_line());
    assert_eq!(events[0]["data"], line());
    assert_eq!(events[1]["value"], full(), "--extract's value");
    assert_eq!(events[5]["event"], id_line());
    assert!(stdout.contains("\\u001b]0;PWNED\\u0007"), "escaped as JSON");
    assert!(stdout.contains("\\u009b2J") && stdout.contains("\\u202e"));
    assert!(stdout.contains("\\u200b") && stdout.contains("\\ufeff"));
}

#[test]
fn raw_is_exact_to_a_pipe_and_neutralised_on_a_terminal() {
    let dir = scratch("raw");
    let body = stream();
    let (_rt, server) = serve(vec![vec![sse_head(), write(&body), Step::Close]]);
    let url = server.url("/");
    let out = output_within(
        ssetui(&dir, &["print", "--raw", "--no-reconnect", &url]),
        PATIENCE,
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout == body, "a pipe gets the exact bytes");
    let (shown, status) = run_in_terminal(&dir, &["print", "--raw", "--no-reconnect", &url]);
    assert_eq!(status, 0, "{shown}");
    assert_neutralised_terminal(&shown, "print --raw on a terminal");
    assert_shown(&shown, "print --raw on a terminal");
    assert!(
        shown.contains("event: start ␛[31m"),
        "the protocol text is there"
    );
}

#[test]
fn verbose_shows_headers_comments_ids_and_last_event_id_neutralised() {
    let dir = scratch("verbose");
    // The stream's last id is one a header can carry, so the reconnect sends it.
    let id = header_value();
    let mut body = stream();
    body.extend_from_slice(
        format!("id: {}\n\nid: {id}\ndata: resume here\n\n", id_line()).as_bytes(),
    );
    let (_rt, server) = serve_once(hostile_head(), body);
    let url = server.url("/");
    let (_, stderr, code) = run(&dir, &["print", "-v", &url]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_neutralised(&stderr, Lines::Multi, "print -v");
    assert!(
        !stderr.contains('\t'),
        "a tab in a value is shown: {stderr}"
    );
    assert_shown(&stderr, "print -v");
    for needle in [
        "* comment: start ␛[31m",
        "< x-hostile: start ",
        "< x-weird-name!#$%&'*+.^_`|~: ",
        "␉after tab",
        "(attempt 2, Last-Event-ID: start \\u{9b}[31m x \\u{9b}[2J\\u{9b}[H x ",
        "> Last-Event-ID: start \\u{9b}[31m x \\u{9b}[2J\\u{9b}[H x ",
        "* id: \"start ␛[31m x ",
    ] {
        assert!(stderr.contains(needle), "{needle:?} in:\n{stderr}");
    }
}

#[test]
fn transcript_on_a_terminal_and_its_summary_are_neutralised() {
    let dir = scratch("transcript");
    // Every connection gets the stream: it is read twice.
    let (_rt, server) = serve(vec![vec![sse_head(), write(llm_stream()), Step::Close]]);
    let url = server.url("/");
    let (shown, status) = run_in_terminal(&dir, &["print", "--transcript", "--no-reconnect", &url]);
    assert_eq!(status, 0, "{shown}");
    assert_neutralised_terminal(&shown, "print --transcript on a terminal");
    assert_shown(&shown, "print --transcript on a terminal");
    // Piped, the answer is exact; the summary on stderr never is raw.
    let (stdout, stderr, code) = run(&dir, &["print", "--transcript", "--no-reconnect", &url]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains(&full()), "a pipe gets the answer as sent");
    assert_neutralised(&stderr, Lines::Multi, "the transcript summary");
    let summary = stderr
        .lines()
        .find(|l| l.starts_with("ssetui: transcript:"))
        .unwrap_or_else(|| panic!("a summary line in {stderr}"));
    assert_neutralised(summary, Lines::Single, "the transcript summary");
    assert_shown(summary, "the transcript summary");
    for part in [
        "finish reason start ␛[31m",
        "tool call start ␛[31m",
        "1 error: ",
    ] {
        assert!(summary.contains(part), "{part:?} in {summary}");
    }
}

#[test]
fn diagnose_reports_the_hostile_head_and_stream_neutralised() {
    let dir = scratch("diagnose");
    let value = "\u{9b}2J\u{202e}\u{200b}x";
    let charset = format!("text/event-stream; charset={value}");
    let head = support::head(200, &charset, &[("X-Other", value)]);
    let (_rt, server) = serve_once(head, stream());
    let url = server.url("/");
    let (stdout, stderr, code) = run(&dir, &["print", "--diagnose", "--no-reconnect", &url]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stdout.lines().count(), 6);
    assert_neutralised(&stderr, Lines::Multi, "print --diagnose");
    assert!(
        stderr.contains("charset \"\\u{9b}2J\\u{202e}\\u{200b}x\""),
        "{stderr}"
    );
    assert!(
        stderr.contains("charset=\\u{9b}2J\\u{202e}\\u{200b}x)"),
        "{stderr}"
    );
}

#[test]
fn a_failed_response_body_never_reaches_the_terminal_raw() {
    let dir = scratch("failed");
    let wrong_type = format!("text/html; {}", header_value());
    for (what, head) in [
        ("a 500", support::head(500, "text/plain", &[])),
        ("a wrong Content-Type", support::head(200, &wrong_type, &[])),
    ] {
        let (_rt, server) = serve(vec![vec![head, write(error_body()), Step::Close]]);
        let url = server.url("/");
        // With no flags at all: the issue's terminal title, clipboard and clear.
        let (stdout, stderr, code) = run(&dir, &["print", &url]);
        assert_eq!(code, Some(1), "{what}: {stderr}");
        assert_eq!(stdout, "");
        assert_neutralised(&stderr, Lines::Multi, &format!("print, {what}"));
        assert_eq!(stderr.lines().count(), 1, "{what}: one line: {stderr}");
        assert!(
            stderr.contains("; body: ␛]0;PWNED␇␛]52;c;cHduZWQ=␇␛[2J"),
            "{what}: {stderr}"
        );
        let (shown, status) = run_in_terminal(&dir, &["print", &url]);
        assert_eq!(status, 1, "{what}: {shown}");
        assert_neutralised_terminal(&shown, &format!("print on a terminal, {what}"));
        // check: its report on stdout, and the JUnit file.
        let junit = dir.join("junit.xml");
        let junit_arg = junit.to_str().unwrap();
        let (report, stderr, code) = run(
            &dir,
            &["check", &url, "--min-events", "1", "--junit", junit_arg],
        );
        assert_eq!(code, Some(3), "{what}: {report}{stderr}");
        assert_neutralised(&report, Lines::Multi, &format!("check's report, {what}"));
        assert_neutralised(&stderr, Lines::Multi, &format!("check's stderr, {what}"));
        assert!(report.contains("␛]0;PWNED␇"), "{what}: {report}");
        let xml = std::fs::read_to_string(&junit).expect("the JUnit file");
        assert_neutralised(&xml, Lines::Multi, &format!("JUnit, {what}"));
        assert!(xml.contains("␛]0;PWNED␇"), "{what}: {xml}");
    }
}

#[test]
fn check_report_and_junit_show_the_stream_neutralised() {
    let dir = scratch("check");
    let (_rt, server) = serve_once(hostile_head(), stream());
    let url = server.url("/");
    let junit = dir.join("junit.xml");
    let (report, stderr, code) = run(
        &dir,
        &[
            "check",
            &url,
            "--ids-increasing",
            "--data-json",
            "--ends-with",
            "nothing like it",
            "--expect-type",
            "json",
            "--forbid-type",
            &id_line(),
            "--junit",
            junit.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(1), "{report}{stderr}");
    assert_neutralised(&report, Lines::Multi, "check's report");
    assert_neutralised(&stderr, Lines::Multi, "check's stderr");
    // One line per expectation, a title and a summary: no line forged.
    assert_eq!(report.lines().count(), 7, "{report}");
    assert!(report.contains("\"start ␛[31m"), "{report}");
    let xml = std::fs::read_to_string(&junit).expect("the JUnit file");
    assert_neutralised(&xml, Lines::Multi, "JUnit");
    assert!(
        xml.contains("type &quot;start ␛[31m x ␛[2J␛[H x ␛]0;PWNED␇"),
        "{xml}"
    );
}

#[test]
fn config_text_is_neutralised_in_profiles_warnings_and_errors() {
    let dir = scratch("config");
    // TOML's \u escapes put any character in a key or a value.
    let evil = r"evil\u001b]0;PWNED\u0007\u009b2J\u202e\u200b\ufeff\u0085";
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[settings]\n\"{evil}\" = 1\n\n[profiles.\"{evil}\"]\nurl = \"http://127.0.0.1:1/{evil}\"\ndescription = \"{evil}\"\n\"{evil} key\" = 2\n"
        ),
    )
    .unwrap();
    let (stdout, stderr, code) = run(&dir, &["profiles"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_neutralised(&stdout, Lines::Multi, "profiles");
    assert_neutralised(&stderr, Lines::Multi, "the unknown-key warnings");
    assert!(
        stdout.contains("evil␛]0;PWNED␇\\u{9b}2J\\u{202e}"),
        "{stdout}"
    );
    assert_eq!(stderr.matches("unknown key").count(), 2, "{stderr}");
    assert!(stderr.contains("evil␛]0;PWNED␇"), "{stderr}");
    let (_, stderr, code) = run(&dir, &["print", "--profile", "nope", "http://127.0.0.1:1/"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_neutralised(&stderr, Lines::Multi, "no profile named");
    assert!(stderr.contains("no profile named"), "{stderr}");
    assert!(
        stderr.contains("evil␛]0;PWNED␇"),
        "the names listed: {stderr}"
    );
    let (_, stderr, code) = run(&dir, &["check", "--profile", "nope", "--min-events", "1"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_neutralised(&stderr, Lines::Multi, "check --profile");
    // A file that is not TOML: its text may be quoted in the error.
    std::fs::write(
        dir.join("config.toml"),
        "x = \"\u{1b}]0;PWNED\u{7}\u{9b}\"\n[[\u{202e}",
    )
    .unwrap();
    let (_, stderr, code) = run(&dir, &["profiles"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_neutralised(&stderr, Lines::Multi, "a config parse error");
}

/// `ssetui serve` on a free port: its URL, and the child.
fn serve_binary(dir: &Path) -> (String, KillOnDrop, mpsc::Receiver<String>) {
    let mut child = KillOnDrop(
        ssetui(dir, &["serve", "--port", "0"])
            .spawn()
            .expect("serve starts"),
    );
    let mut stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
            let _ = tx.send(String::from_utf8_lossy(&all).into_owned());
        }
    });
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve prints its banner");
        if let Some(url) = text
            .lines()
            .find_map(|l| l.strip_prefix("ssetui demo SSE server listening on "))
        {
            return (url.trim_end_matches('/').to_owned(), child, rx);
        }
    }
}

/// A child process killed when the test ends, passed or failed.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One raw HTTP/1.1 request (any bytes), and the whole answer.
fn raw_request(addr: &str, request: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(addr).expect("connect to serve");
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    answer
}

#[test]
fn serve_logs_and_answers_never_echo_a_hostile_request_raw() {
    let dir = scratch("serve");
    let (url, mut child, stdout) = serve_binary(&dir);
    let addr = url.trim_start_matches("http://");
    let value = header_value();
    let path = format!("/{}", header_value().replace([' ', '\t'], "_"));
    for request in [
        format!(
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nX-Hostile: {value}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /nowhere%1b%5d0%3bPWNED%07%c2%9b HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        ),
        format!(
            "GET /clock?count=1&interval_ms=1 HTTP/1.1\r\nHost: {addr}\r\nLast-Event-ID: {value}\r\nUser-Agent: {value}\r\nConnection: close\r\n\r\n"
        ),
    ] {
        let answer = raw_request(addr, request.as_bytes());
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
        // HTTP's own line endings are CR LF, as a terminal's are.
        assert_neutralised_terminal(&answer, "serve's answer");
    }
    let _ = Command::new("kill")
        .args(["-INT", &child.0.id().to_string()])
        .status();
    let status = child.0.wait().expect("serve stops");
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child
        .0
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let log = stdout.try_iter().last().unwrap_or_default();
    assert_neutralised(&log, Lines::Multi, "serve's stdout");
    assert_neutralised(&stderr, Lines::Multi, "serve's stderr");
}

#[test]
fn a_capture_files_text_is_reported_neutralised() {
    let dir = scratch("capture");
    let capture = dir.join("c.ssecap");
    // An enum value serde quotes as it is when it refuses it.
    let evil = serde_json::to_string(&id_line()).unwrap();
    std::fs::write(
        &capture,
        format!(
            "{{\"ssecap\":1,\"request\":{{\"method\":\"GET\",\"url\":\"http://x/\",\"parse_as\":{evil}}},\"started\":\"2026-01-01T00:00:00.000Z\"}}\n"
        ),
    )
    .unwrap();
    let path = capture.to_str().unwrap();
    for args in [
        &["check", "--capture", path, "--min-events", "1"][..],
        &["open", path],
        &["serve", "--replay", path, "--port", "0"],
    ] {
        let (stdout, stderr, code) = run(&dir, args);
        assert_ne!(code, Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains("unknown variant"), "{args:?}: {stderr}");
        assert_neutralised(&stderr, Lines::Multi, &format!("{args:?}'s error"));
        assert!(stderr.contains("␛]0;PWNED␇"), "{args:?}: {stderr}");
        assert_neutralised(&stdout, Lines::Multi, &format!("{args:?}'s stdout"));
    }
}

/// Drives the UI's state with what the engine read from `server`, as the
/// app does, then draws it.
mod ui {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ssetui::message::Msg;
    use ssetui::state::{self, AppState, DetailMode, Focus, RowKind};

    fn draw(state: &AppState, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        let theme = ssetui::ui::Theme::new(true);
        terminal
            .draw(|f| {
                ssetui::ui::draw(
                    f,
                    state,
                    &theme,
                    &mut ssetui::ui::ContentCache::default(),
                    Instant::now(),
                );
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        let mut screen = String::new();
        for y in 0..buffer.area.height {
            for x in 0..buffer.area.width {
                screen.push_str(buffer[(x, y)].symbol());
            }
            screen.push('\n');
        }
        screen
    }

    #[tokio::test]
    async fn every_view_of_a_hostile_stream_shows_it_escaped() {
        let mut body = stream();
        body.extend_from_slice(b"retry: 50\n\n");
        let server = TestServer::start(vec![
            vec![hostile_head(), write(body), Step::Close],
            vec![
                head(500, "text/plain", &[]),
                write(error_body()),
                Step::Close,
            ],
        ])
        .await;
        let spec = server.spec("/");
        let mut state = AppState::new(spec.clone(), line());
        state.active_mut().set_show_blocks(true);
        state::connect(&mut state);
        let (_handle, mut rx) = connect(spec);
        for msg in until_closed(&mut rx).await {
            let id = state.active().conn_id.unwrap();
            state::update(&mut state, Msg::Conn { id, msg });
        }
        let (width, height) = (600, 60);
        let mut seen = Vec::new();
        for pos in 0..state.active().list.len() {
            let kind = state
                .active()
                .visible_row(pos)
                .map(|r| r.kind)
                .expect("a row");
            state.active_mut().select(pos);
            for (mode, focus) in [
                (DetailMode::Content, Focus::List),
                (DetailMode::Raw, Focus::List),
                (DetailMode::Wire, Focus::List),
                (DetailMode::Content, Focus::Detail),
            ] {
                state.active_mut().detail = mode;
                state.active_mut().focus = focus;
                let screen = draw(&state, width, height);
                let what = format!("the UI, row {pos}, {mode:?}, {focus:?}");
                assert_neutralised(&screen, Lines::Multi, &what);
                assert_nothing_dropped(&screen, &what);
                seen.push((kind_name(&kind), mode, screen));
            }
        }
        for mode in [DetailMode::Answer, DetailMode::Checks, DetailMode::Stats] {
            state.active_mut().detail = mode;
            let screen = draw(&state, width, height);
            assert_neutralised(&screen, Lines::Multi, &format!("the UI, {mode:?}"));
            assert_nothing_dropped(&screen, &format!("the UI, {mode:?}"));
        }
        let all = |kind: &str, mode: DetailMode| {
            seen.iter()
                .filter(|(k, m, _)| k == kind && *m == mode)
                .map(|(_, _, s)| s.as_str())
                .collect::<String>()
        };
        assert_shown(&all("event", DetailMode::Raw), "the UI's Raw view");
        assert_shown(&all("event", DetailMode::Content), "the UI's Content view");
        assert_shown(&all("event", DetailMode::Wire), "the UI's Wire view");
        assert_shown(
            &all("block", DetailMode::Raw),
            "the UI's Raw view of a comment",
        );
        let markers = all("marker", DetailMode::Content);
        assert!(markers.contains("x-hostile: start"), "the response head");
        assert!(
            markers.contains("\\u{202e}") && markers.contains("\\u{200b}"),
            "{markers}"
        );
        assert!(
            markers.contains("␛]0;PWNED␇␛]52;c;cHduZWQ=␇"),
            "the failure: {markers}"
        );
        assert!(
            all("event", DetailMode::Raw).contains("start ␛[31m"),
            "the list and title"
        );
    }

    #[tokio::test]
    async fn the_answer_view_of_a_hostile_llm_stream_shows_it_escaped() {
        let server = TestServer::always(vec![sse_head(), write(llm_stream()), Step::Close]).await;
        let mut spec = server.spec("/");
        spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
        let mut state = AppState::new(spec.clone(), "chat".into());
        state::connect(&mut state);
        let (_handle, mut rx) = connect(spec);
        for msg in until_closed(&mut rx).await {
            let id = state.active().conn_id.unwrap();
            state::update(&mut state, Msg::Conn { id, msg });
        }
        state.active_mut().detail = DetailMode::Answer;
        state.active_mut().focus = Focus::Detail;
        let screen = draw(&state, 600, 80);
        assert_neutralised(&screen, Lines::Multi, "the Answer view");
        assert_nothing_dropped(&screen, "the Answer view");
        assert_shown(&screen, "the Answer view");
        for part in ["finish reason start ␛[31m", "tool start ␛[31m", "error: "] {
            assert!(screen.contains(part), "{part:?} in:\n{screen}");
        }
    }

    /// `ssetui open` on a capture file whose every text field is hostile:
    /// the request, the response head, the error, the reconnect's id, the close.
    #[test]
    fn a_hostile_capture_opened_in_the_ui_shows_it_escaped() {
        use base64::Engine as _;
        let dir = scratch("ui-capture");
        let evil = id_line();
        let json = |v: &str| serde_json::to_string(v).unwrap();
        let e = json(&evil);
        let read = base64::engine::general_purpose::STANDARD.encode(stream());
        let lines = [
            format!(
                "{{\"ssecap\":1,\"request\":{{\"method\":\"GET\",\"url\":\"http://127.0.0.1:1/\",\"headers\":[[\"X-Mine\",{e}]],\"last_event_id\":{e}}},\"started\":\"2026-01-01T00:00:00.000Z\"}}"
            ),
            format!(
                "{{\"t\":1,\"attempt\":1,\"open\":{{\"status\":200,\"headers\":[[\"content-type\",\"text/event-stream\"],[\"x-hostile\",{e}]],\"version\":{e}}}}}"
            ),
            format!("{{\"t\":2,\"read\":\"{read}\"}}"),
            format!("{{\"t\":3,\"attempt\":1,\"error\":{e}}}"),
            format!("{{\"t\":4,\"reconnect\":{{\"delay_ms\":50,\"last_event_id\":{e}}}}}"),
            format!("{{\"t\":5,\"close\":{e}}}"),
        ];
        let path = dir.join("hostile.ssecap");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let recording = ssetui::capture::load_recording(&path).expect("the capture loads");
        let mut state = AppState::new(recording.spec.clone(), recording.title.clone());
        state.active_mut().set_show_blocks(true);
        // As `ssetui open` does.
        let id = state::begin_connection(&mut state);
        for msg in recording.messages {
            state::update(&mut state, Msg::Conn { id, msg });
        }
        state.notice = Some(recording.notice);
        let mut markers = String::new();
        for pos in 0..state.active().list.len() {
            let marker = matches!(
                state.active().visible_row(pos).map(|r| r.kind),
                Some(RowKind::Marker(_))
            );
            state.active_mut().select(pos);
            for mode in [DetailMode::Content, DetailMode::Raw] {
                state.active_mut().detail = mode;
                let screen = draw(&state, 600, 60);
                let what = format!("the opened capture, row {pos}, {mode:?}");
                assert_neutralised(&screen, Lines::Multi, &what);
                assert_nothing_dropped(&screen, &what);
                if marker {
                    markers.push_str(&screen);
                }
            }
        }
        assert_shown(&markers, "the opened capture's markers");
        assert!(
            markers.contains("X-Mine: start ␛[31m"),
            "the request as recorded"
        );
    }

    /// Ratatui drops control and zero-width characters it is given, so a
    /// screen can look clean with text that was never escaped: the corpus's
    /// tell-tales are checked instead. Each piece of the corpus sits between
    /// ` x ` separators, so a piece dropped whole leaves `x  x`; an escape
    /// sequence whose ESC was dropped leaves its text with no `␛` before it.
    fn assert_nothing_dropped(screen: &str, what: &str) {
        assert!(
            !screen.contains(" x  x "),
            "{what}: a piece vanished:\n{screen}"
        );
        for tail in ["[31m", "]0;PWNED", "]52;c;", "_apc", "^pm"] {
            for (at, _) in screen.match_indices(tail) {
                // Shown as `␛`, as `\u{9b}` (a header's 8-bit CSI), or as
                // the JSON escape the server itself wrote; or at the start of
                // a pane's row, where a wrapped line went on (its `␛` ended
                // the row before).
                let before = &screen[..at];
                assert!(
                    ["␛", "\\u{9b}", "\\u001b", "│"]
                        .iter()
                        .any(|e| before.ends_with(e)),
                    "{what}: {tail} without its ESC shown: {:?}",
                    &before[before.len().saturating_sub(80)..]
                );
            }
        }
    }

    fn kind_name(kind: &RowKind) -> String {
        match kind {
            RowKind::Event { .. } => "event",
            RowKind::Block(_) => "block",
            RowKind::Marker(_) => "marker",
        }
        .to_owned()
    }
}
