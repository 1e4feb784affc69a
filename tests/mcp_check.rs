//! `ssetui check --mcp URL` end to end: the demo's two real MCP servers
//! (rmcp) pass; a tiny MCP server written here keeps every rule in both
//! eras, and breaks exactly one when told to, so each check is seen to
//! find its rule broken, at its level, with the exit status that level
//! calls for; the JUnit file is written and reads back as XML.

mod support;

use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use serde_json::{Value, json};
use support::{app, output_within, scratch};

const PATIENCE: Duration = Duration::from_secs(60);

/// The one rule the server breaks, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flaw {
    None,
    /// GET answered 200 text/html.
    GetHtml,
    /// Requests without the session id served anyway.
    SessionNotRequired,
    /// An unknown session id served anyway.
    UnknownSessionServed,
    /// DELETE answered 200 but the session lives on.
    DeleteIgnored,
    /// `ping` answered as text/plain.
    PingTextPlain,
    /// `ping` answered with another id.
    PingWrongId,
    /// Any Origin accepted.
    AnyOrigin,
    /// Any MCP-Protocol-Version accepted.
    AnyVersion,
    /// Mcp-Method not compared with the body.
    RoutingIgnored,
    /// Every SSE answer's events have the same ids.
    RepeatedEventIds,
    /// SSE answers with unique event ids but no priming event.
    NoPriming,
    /// A GET with Last-Event-ID replays the event it names (and another stream's).
    ReplayRepeats,
    /// The first ping's SSE answer is closed before its response, with no
    /// retry:; the GET resuming it gets the response.
    ClosesWithoutRetry,
    /// A GET stream that says nothing while idle (advice only).
    SilentGet,
    /// A GET stream with a keep-alive comment every 100 ms.
    KeepAliveGet,
    /// Every request answered 500.
    Broken,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Era {
    Session,
    Stateless,
}

struct Server {
    era: Era,
    flaw: Flaw,
    /// The sessions issued and not deleted.
    sessions: Mutex<Vec<String>>,
    /// The last SSE event id issued.
    event_id: AtomicU64,
    /// The answer held back from a stream closed early, for its resumption.
    held: Mutex<Option<Value>>,
    /// The next ping's stream is closed early (set by each initialize).
    close_next: std::sync::atomic::AtomicBool,
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn json_answer(status: StatusCode, body: Value, extra: &[(&'static str, String)]) -> Response {
    let mut response = (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response();
    for (name, value) in extra {
        response
            .headers_mut()
            .insert(*name, value.parse().expect("a header value"));
    }
    response
}

fn error(status: StatusCode, code: i64) -> Response {
    let body = json!({"jsonrpc":"2.0","id":null,"error":{"code":code,"message":"refused"}});
    json_answer(status, body, &[])
}

async fn handle(
    State(server): State<Arc<Server>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let flaw = server.flaw;
    if flaw == Flaw::Broken {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let foreign = header(&headers, "origin").is_some_and(|o| !o.starts_with("http://127.0.0.1"));
    if foreign && flaw != Flaw::AnyOrigin {
        return StatusCode::FORBIDDEN.into_response();
    }
    let version = header(&headers, "mcp-protocol-version");
    let known = match server.era {
        Era::Session => ["2025-06-18", "2025-11-25"].as_slice(),
        Era::Stateless => ["2026-07-28"].as_slice(),
    };
    if let Some(version) = version
        && !known.contains(&version)
        && flaw != Flaw::AnyVersion
    {
        return error(StatusCode::BAD_REQUEST, -32022);
    }
    let session = header(&headers, "mcp-session-id").map(str::to_owned);
    let live = |id: &Option<String>| {
        id.as_ref()
            .is_some_and(|id| server.sessions.lock().unwrap().contains(id))
    };
    match method {
        Method::GET if flaw == Flaw::GetHtml => {
            return (StatusCode::OK, [("content-type", "text/html")], "<p>hi</p>").into_response();
        }
        Method::GET if header(&headers, "last-event-id").is_some() => {
            let cursor = header(&headers, "last-event-id").unwrap_or_default();
            let body = match server.held.lock().unwrap().take() {
                // The stream closed early, resumed: its response, after the cursor.
                Some(answer) => format!("id: {cursor}-r\ndata: {answer}\n\n"),
                // The replay repeats the cursor and leaks another stream's event.
                None if flaw == Flaw::ReplayRepeats => {
                    format!("id: {cursor}\ndata:\n\nid: other-7\ndata:\n\n")
                }
                None => String::new(),
            };
            return (
                StatusCode::OK,
                [("content-type", "text/event-stream")],
                body,
            )
                .into_response();
        }
        Method::GET if matches!(flaw, Flaw::SilentGet | Flaw::KeepAliveGet) => {
            let comments = futures_util::stream::unfold(flaw, |flaw| async move {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let bytes = if flaw == Flaw::KeepAliveGet {
                    ": ping\n\n"
                } else {
                    ""
                };
                Some((Ok::<_, std::io::Error>(Bytes::from(bytes)), flaw))
            });
            return (
                StatusCode::OK,
                [("content-type", "text/event-stream")],
                axum::body::Body::from_stream(comments),
            )
                .into_response();
        }
        Method::GET => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
        Method::DELETE if server.era == Era::Session && live(&session) => {
            if flaw != Flaw::DeleteIgnored {
                server
                    .sessions
                    .lock()
                    .unwrap()
                    .retain(|s| Some(s) != session.as_ref());
            }
            return StatusCode::OK.into_response();
        }
        Method::DELETE => return StatusCode::METHOD_NOT_ALLOWED.into_response(),
        _ => {}
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, -32700);
    };
    let rpc_method = message["method"].as_str().unwrap_or_default().to_owned();
    let id = message.get("id").cloned();
    if server.era == Era::Stateless {
        let routed = header(&headers, "mcp-method");
        if routed != Some(rpc_method.as_str()) && flaw != Flaw::RoutingIgnored {
            return error(StatusCode::BAD_REQUEST, -32020);
        }
    } else if rpc_method == "initialize" {
        let id_text = format!("session-{}", server.sessions.lock().unwrap().len() + 1);
        server.sessions.lock().unwrap().push(id_text.clone());
        server.close_next.store(true, Ordering::Relaxed);
        let result = json!({"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"t","version":"1"}});
        return json_answer(
            StatusCode::OK,
            json!({"jsonrpc":"2.0","id":id,"result":result}),
            &[("mcp-session-id", id_text)],
        );
    } else if session.is_none() {
        if flaw != Flaw::SessionNotRequired {
            return StatusCode::BAD_REQUEST.into_response();
        }
    } else if !live(&session) && flaw != Flaw::UnknownSessionServed {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(id) = id else {
        return StatusCode::ACCEPTED.into_response();
    };
    let result = match rpc_method.as_str() {
        "server/discover" if server.era == Era::Stateless => {
            json!({"supportedVersions":["2026-07-28"],"capabilities":{},"serverInfo":{"name":"t","version":"1"}})
        }
        "ping" => json!({}),
        _ => return error(StatusCode::NOT_FOUND, -32601),
    };
    let id = if flaw == Flaw::PingWrongId && rpc_method == "ping" {
        json!("not-the-id")
    } else {
        id
    };
    let answer = json!({"jsonrpc":"2.0","id":id,"result":result});
    if flaw == Flaw::PingTextPlain && rpc_method == "ping" {
        return (
            StatusCode::OK,
            [("content-type", "text/plain")],
            answer.to_string(),
        )
            .into_response();
    }
    if flaw == Flaw::ClosesWithoutRetry && rpc_method == "ping" {
        let mut held = server.held.lock().unwrap();
        // The first ping of each session (each run's own connection).
        if server.close_next.swap(false, Ordering::Relaxed) {
            // Closed before the response, and no retry: said.
            *held = Some(answer);
            return (
                StatusCode::OK,
                [("content-type", "text/event-stream")],
                "id: c1\ndata:\n\n",
            )
                .into_response();
        }
    }
    if flaw == Flaw::ReplayRepeats && rpc_method == "ping" {
        let n = server.event_id.fetch_add(2, Ordering::Relaxed);
        let body = format!(
            "id: s{}\nretry: 1000\ndata:\n\nid: s{}\ndata: {answer}\n\n",
            n + 1,
            n + 2
        );
        return (
            StatusCode::OK,
            [("content-type", "text/event-stream")],
            body,
        )
            .into_response();
    }
    if flaw == Flaw::NoPriming {
        let id = server.event_id.fetch_add(1, Ordering::Relaxed) + 1;
        let body = format!("id: {id}\ndata: {answer}\n\n");
        return (
            StatusCode::OK,
            [("content-type", "text/event-stream")],
            body,
        )
            .into_response();
    }
    if flaw == Flaw::RepeatedEventIds {
        let body = format!("id: 0\nretry: 1000\ndata:\n\nid: 1\ndata: {answer}\n\n");
        return (
            StatusCode::OK,
            [("content-type", "text/event-stream")],
            body,
        )
            .into_response();
    }
    json_answer(StatusCode::OK, answer, &[])
}

/// The server on a free loopback port, and its URL.
fn start(era: Era, flaw: Flaw) -> (tokio::runtime::Runtime, String) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let server = Arc::new(Server {
        era,
        flaw,
        sessions: Mutex::new(Vec::new()),
        event_id: AtomicU64::new(0),
        held: Mutex::new(None),
        close_next: std::sync::atomic::AtomicBool::new(false),
    });
    let router = Router::new().route("/mcp", any(handle)).with_state(server);
    let url = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/mcp", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        url
    });
    (runtime, url)
}

/// `ssetui check --mcp URL ARGS`: exit status and stdout.
fn check(url: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut cmd = app();
    cmd.args(["check", "--mcp", url]).args(args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (out.status.code(), format!("{stdout}{stderr}"))
}

/// The report's line for rule `id`.
fn line<'a>(report: &'a str, id: &str) -> &'a str {
    report
        .lines()
        .find(|l| l.split(' ').nth(2) == Some(id))
        .unwrap_or_else(|| panic!("no line for {id} in\n{report}"))
}

/// The server with `flaw` breaks exactly rule `id` at `level`: ✗ on its
/// line, every other rule kept or not applicable; exit as the level says.
fn breaks(era: Era, flaw: Flaw, id: &str, level: &str) {
    let (_runtime, url) = start(era, flaw);
    let (status, report) = check(&url, &[]);
    let found = line(&report, id);
    assert!(found.starts_with(&format!("✗ {level} {id} ")), "{report}");
    let broken: Vec<&str> = report.lines().filter(|l| l.starts_with('✗')).collect();
    // A wrong answer to the connection's own ping is a JSON-RPC finding
    // too; a server serving unknown ids serves deleted ones too.
    let expected_broken = match flaw {
        Flaw::PingTextPlain | Flaw::UnknownSessionServed => 2,
        _ => 1,
    };
    assert!(broken.len() <= expected_broken, "{report}");
    assert!(
        report.contains("    why: ") && report.contains("    fix: "),
        "{report}"
    );
    let expected = if level == "MUST" { 1 } else { 0 };
    assert_eq!(status, Some(expected), "{report}");
    if level == "SHOULD" {
        let (status, report) = check(&url, &["--mcp-strict"]);
        assert_eq!(status, Some(1), "--mcp-strict fails on SHOULD\n{report}");
    }
}

#[test]
fn the_demo_servers_pass_in_both_eras() {
    let (_runtime, url) = support::demo("/mcp");
    let (status, report) = check(&url, &["--mcp-strict"]);
    assert_eq!(status, Some(0), "{report}");
    assert!(
        report.contains("(stateless era, revision 2026-07-28)"),
        "{report}"
    );
    assert!(
        line(&report, "routing-headers").starts_with("✓ MUST"),
        "{report}"
    );
    let legacy = url.replace("/mcp", "/mcp-legacy");
    let (status, report) = check(&legacy, &["--mcp-strict"]);
    assert_eq!(status, Some(0), "{report}");
    assert!(
        report.contains("(session era, revision 2025-11-25)"),
        "{report}"
    );
    for id in [
        "get-stream",
        "session-required",
        "session-unknown",
        "session-delete",
        "origin",
        "event-ids-unique",
        "priming-event",
    ] {
        assert!(line(&report, id).starts_with('✓'), "{id}\n{report}");
    }
}

#[test]
fn a_server_keeping_every_rule_passes_in_both_eras() {
    for era in [Era::Session, Era::Stateless] {
        let (_runtime, url) = start(era, Flaw::None);
        let (status, report) = check(&url, &["--mcp-strict"]);
        assert_eq!(status, Some(0), "{era:?}\n{report}");
        assert!(!report.contains('✗'), "{report}");
    }
}

#[test]
fn get_answered_with_html_breaks_a_must_in_the_session_era_and_a_should_after() {
    breaks(Era::Session, Flaw::GetHtml, "get-stream", "MUST");
    breaks(Era::Stateless, Flaw::GetHtml, "get-stream", "SHOULD");
}

#[test]
fn session_rules_are_found_broken() {
    breaks(
        Era::Session,
        Flaw::SessionNotRequired,
        "session-required",
        "SHOULD",
    );
    breaks(
        Era::Session,
        Flaw::UnknownSessionServed,
        "session-unknown",
        "MUST",
    );
}

#[test]
fn a_session_that_outlives_delete_is_found() {
    // The session lives on, so the unknown-id probe is unaffected; only DELETE's rule breaks.
    breaks(Era::Session, Flaw::DeleteIgnored, "session-delete", "MUST");
}

#[test]
fn a_wrong_content_type_and_a_wrong_id_are_found() {
    breaks(Era::Session, Flaw::PingTextPlain, "content-type", "MUST");
    breaks(Era::Session, Flaw::PingWrongId, "jsonrpc", "MUST");
}

#[test]
fn a_foreign_origin_served_is_found() {
    breaks(Era::Session, Flaw::AnyOrigin, "origin", "MUST");
}

#[test]
fn an_unsupported_protocol_version_served_is_found() {
    breaks(Era::Session, Flaw::AnyVersion, "protocol-version", "MUST");
    breaks(Era::Stateless, Flaw::AnyVersion, "protocol-version", "MUST");
}

#[test]
fn routing_headers_not_matched_to_the_body_are_found() {
    breaks(
        Era::Stateless,
        Flaw::RoutingIgnored,
        "routing-headers",
        "MUST",
    );
}

#[test]
fn an_event_id_on_two_streams_is_found() {
    breaks(
        Era::Session,
        Flaw::RepeatedEventIds,
        "event-ids-unique",
        "MUST",
    );
}

#[test]
fn an_event_stream_without_a_priming_event_is_found() {
    breaks(Era::Session, Flaw::NoPriming, "priming-event", "SHOULD");
}

#[test]
fn no_negotiation_and_bad_arguments_exit_2() {
    let (_runtime, url) = start(Era::Session, Flaw::Broken);
    let (status, report) = check(&url, &[]);
    assert_eq!(status, Some(2), "{report}");
    assert!(report.contains("cannot negotiate MCP"), "{report}");
    let (status, report) = check(&url, &["--mcp-version", "1999-01-01"]);
    assert_eq!(status, Some(2), "{report}");
    assert!(report.contains("not a revision ssetui speaks"), "{report}");
}

#[test]
fn the_junit_file_has_a_testcase_per_rule_and_reads_back() {
    use quick_xml::events::Event;
    let (_runtime, url) = start(Era::Session, Flaw::AnyOrigin);
    let path = scratch("junit").join("mcp-check.xml");
    let (status, report) = check(&url, &["--junit", path.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{report}");
    let xml = std::fs::read_to_string(&path).expect("the JUnit file");
    let mut reader = quick_xml::reader::Reader::from_str(&xml);
    let (mut cases, mut failures) = (Vec::new(), Vec::new());
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().into_inner() == "testcase" => {
                let name = e
                    .attributes()
                    .filter_map(Result::ok)
                    .find(|a| a.key.into_inner() == "name")
                    .expect("a name")
                    .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                    .unwrap()
                    .into_owned();
                cases.push(name);
            }
            Event::Start(e) if e.name().into_inner() == "failure" => {
                failures.push(cases.last().cloned().unwrap_or_default());
            }
            _ => {}
        }
    }
    assert_eq!(
        cases.len(),
        report
            .lines()
            .filter(|l| l.starts_with(['✓', '✗', '-']))
            .count()
    );
    assert!(
        cases
            .iter()
            .any(|c| c.starts_with("MUST session-unknown: ")),
        "{cases:?}"
    );
    assert_eq!(failures.len(), 1, "{xml}");
    assert!(failures[0].starts_with("MUST origin: "), "{failures:?}");
}

/// `check --mcp` keeps its request in the history as `check` does (it did
/// not: each headless command remembered on its own, and this one forgot).
#[test]
fn check_mcp_keeps_its_request_in_the_history_redacted() {
    let (_runtime, url) = support::demo("/mcp-legacy");
    let dir = support::scratch("mcp-check-history");
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    let mut cmd = support::app();
    cmd.args(["check", "--mcp", &url, "--bearer", "sk-live-secret"])
        .env("SSETUI_CONFIG", &config)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = support::output_within(cmd, Duration::from_secs(30));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let history = std::fs::read_to_string(dir.join("history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 1, "{history}");
    let entry: serde_json::Value = serde_json::from_str(history.trim()).unwrap();
    assert_eq!(entry["sender"], "check");
    assert!(!history.contains("sk-live-secret"), "{history}");
}

#[test]
fn a_replay_that_repeats_or_leaks_events_is_found() {
    breaks(
        Era::Session,
        Flaw::ReplayRepeats,
        "replay-own-stream",
        "MUST",
    );
}

#[test]
fn a_stream_closed_early_without_retry_is_found() {
    breaks(
        Era::Session,
        Flaw::ClosesWithoutRetry,
        "retry-before-close",
        "SHOULD",
    );
}

#[test]
fn an_idle_get_stream_without_keep_alives_is_advised_about_and_never_fails_the_run() {
    let (_runtime, url) = start(Era::Session, Flaw::SilentGet);
    let (status, report) = check(&url, &["--mcp-idle", "1", "--mcp-strict"]);
    assert!(
        line(&report, "keep-alive").starts_with("✗ ADVICE keep-alive"),
        "{report}"
    );
    assert!(report.contains("1 advice"), "{report}");
    assert_eq!(
        status,
        Some(0),
        "advice fails no run, even strict\n{report}"
    );
    let (_runtime, url) = start(Era::Session, Flaw::KeepAliveGet);
    let (status, report) = check(&url, &["--mcp-idle", "1"]);
    assert!(
        line(&report, "keep-alive").starts_with("✓ ADVICE keep-alive"),
        "{report}"
    );
    assert_eq!(status, Some(0), "{report}");
    // Not watched unless asked: it takes that long.
    let (_, report) = check(&url, &[]);
    assert!(
        line(&report, "keep-alive").starts_with("- ADVICE keep-alive"),
        "{report}"
    );
}
