//! `ssetui print --mcp`'s streams end to end: a call's answer that ends
//! early resumed with GET + `Last-Event-ID` after the server's `retry:`,
//! the session era's GET stream for the server's own messages, and the
//! stateless era's `subscriptions/listen` stream; against raw loopback
//! servers (for the exact requests) and the demo's real rmcp servers.

mod support;

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use support::mcp::json_answer;
use support::mcp::{lines, print_mcp, requests};
use support::{Step, app, demo, head, output_within, serve, write};

const PATIENCE: Duration = Duration::from_secs(30);

const INITIALIZED: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"raw","version":"1"}}}"#;

fn session_start() -> Vec<Vec<Step>> {
    vec![
        vec![
            head(200, "application/json", &[("Mcp-Session-Id", "s-9")]),
            write(INITIALIZED),
            Step::Close,
        ],
        vec![head(202, "text/plain", &[]), Step::Close],
    ]
}

fn event(id: &str, message: &Value) -> String {
    format!("id: {id}\ndata: {message}\n\n")
}

fn progress(n: u64) -> Value {
    json!({"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"ssetui-progress-1","progress":n}})
}

fn received_on<'a>(printed: &'a [Value], stream: &str) -> Vec<&'a Value> {
    printed
        .iter()
        .filter(|l| l["stream"] == stream && l["direction"] == "received")
        .collect()
}

#[test]
fn a_call_answer_that_ends_early_is_resumed_from_its_last_event_id_after_the_servers_retry() {
    let result = json!({"jsonrpc":"2.0","id":2,"result":{"content":[],"isError":false}});
    let mut scripts = session_start();
    scripts.push(vec![head(405, "text/plain", &[]), Step::Close]);
    // The call's answer: a priming event asking for 300 ms, one progress, then closed.
    scripts.push(vec![
        support::sse_head(),
        write("id: p0\nretry: 300\ndata:\n\n"),
        write(event("p1", &progress(1))),
        Step::Close,
    ]);
    // The GET that resumes it: a replay overlapping what arrived (p1), the rest, the result.
    scripts.push(vec![
        support::sse_head(),
        write(event("p1", &progress(1))),
        write(event("p2", &progress(2))),
        write(event("p3", &result)),
        Step::Close,
    ]);
    scripts.push(vec![head(200, "text/plain", &[]), Step::Close]);
    let (runtime, mut server) = serve(scripts);
    let out = print_mcp(
        &server.url("/mcp"),
        &["--call", "slow", "--mcp-version", "2025-11-25"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let seen = requests(&runtime, &mut server, 6);
    let methods: Vec<&str> = seen.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["POST", "POST", "GET", "POST", "GET", "DELETE"]);
    let resume = &seen[4];
    assert_eq!(resume.target, "/mcp");
    assert_eq!(resume.header("last-event-id"), Some("p1"));
    assert_eq!(resume.header("accept"), Some("text/event-stream"));
    assert_eq!(resume.header("mcp-session-id"), Some("s-9"));
    assert_eq!(resume.header("mcp-protocol-version"), Some("2025-11-25"));

    let printed = lines(&out.stdout);
    let answer = received_on(&printed, "post-3");
    let ids: Vec<&Value> = answer.iter().map(|l| &l["event_id"]).collect();
    assert_eq!(ids, ["p1", "p2", "p3"], "each once: {printed:?}");
    assert_eq!(answer[1]["message"]["params"]["progress"], 2);
    assert_eq!(answer[2]["message"]["id"], 2);
    assert!(
        stderr.contains("stream post-3 gave the event id p1 twice"),
        "{stderr}"
    );
}

#[test]
fn the_demos_dropped_progress_call_gets_its_result_after_resuming_every_step_once() {
    let (_runtime, url) = demo("/mcp-legacy?drop_after=2");
    let out = print_mcp(&url, &["--call", "progress", "--args", r#"{"steps":4}"#]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let printed = lines(&out.stdout);
    let call = printed
        .iter()
        .find(|l| l["message"]["method"] == "tools/call")
        .expect("the call is printed");
    let answer = received_on(&printed, call["stream"].as_str().unwrap());
    let steps: Vec<&Value> = answer
        .iter()
        .filter(|l| l["message"]["method"] == "notifications/progress")
        .map(|l| &l["message"]["params"]["progress"])
        .collect();
    assert_eq!(steps, [1.0, 2.0, 3.0, 4.0], "{printed:?}");
    let last = answer.last().unwrap();
    assert_eq!(last["message"]["result"]["structuredContent"]["steps"], 4);
    let mut ids: Vec<&str> = answer
        .iter()
        .map(|l| l["event_id"].as_str().expect("every event has an id"))
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "no event printed twice");
    assert!(!stderr.contains("warning"), "{stderr}");
    // The resumption is said on stderr, with the id it resumed from.
    assert!(
        stderr.contains("stream post-")
            && stderr.contains("ended early; resumed with Last-Event-ID: "),
        "{stderr}"
    );
}

#[test]
fn the_demos_log_messages_are_printed_from_the_sessions_get_stream() {
    let (_runtime, url) = demo("/mcp-legacy");
    let out = print_mcp(&url, &["--call", "log"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let printed = lines(&out.stdout);
    let levels: Vec<&Value> = received_on(&printed, "get")
        .iter()
        .filter(|l| l["message"]["method"] == "notifications/message")
        .map(|l| &l["message"]["params"]["level"])
        .collect();
    assert_eq!(levels, ["info", "warning", "error"], "{printed:?}");
    assert!(
        received_on(&printed, "get")
            .iter()
            .all(|l| l["event_id"].is_string())
    );
}

#[test]
fn the_demos_stateless_server_gets_a_listen_stream_for_its_list_changes() {
    let (_runtime, url) = demo("/mcp");
    let out = print_mcp(&url, &["--call", "echo", "--args", r#"{"text":"hi"}"#]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let printed = lines(&out.stdout);
    let listen: Vec<&Value> = printed.iter().filter(|l| l["stream"] == "listen").collect();
    assert!(listen.len() >= 2, "{printed:?}");
    assert_eq!(listen[0]["direction"], "sent");
    assert_eq!(listen[0]["message"]["method"], "subscriptions/listen");
    assert_eq!(
        listen[0]["message"]["params"]["notifications"],
        json!({"toolsListChanged": true, "promptsListChanged": true, "resourcesListChanged": true})
    );
    assert_eq!(
        listen[1]["message"]["method"],
        "notifications/subscriptions/acknowledged"
    );
    let acknowledged = printed.iter().position(|l| l == listen[1]).unwrap();
    let call = printed
        .iter()
        .position(|l| l["message"]["method"] == "tools/call")
        .unwrap();
    assert!(
        acknowledged < call,
        "the call waits for the subscription: {printed:?}"
    );
}

#[test]
fn a_get_stream_that_ends_is_resumed_from_its_last_event_id() {
    let note = |n: u64| json!({"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":n}});
    let mut scripts = session_start();
    // The GET stream: a message, then closed. It is read (and resumed)
    // while the call waits for its answer, so the call's POST comes first.
    scripts.push(vec![
        support::sse_head(),
        write(format!("retry: 50\n{}", event("g1", &note(1)))),
        Step::Close,
    ]);
    scripts.push(vec![
        support::sse_head(),
        write("id: c0\ndata:\n\n"),
        Step::Gate,
        write(event(
            "c1",
            &json!({"jsonrpc":"2.0","id":2,"result":{"content":[],"isError":false}}),
        )),
        Step::Close,
    ]);
    // The GET that resumes the stream: the next message, then held open.
    scripts.push(vec![
        support::sse_head(),
        write(event("g2", &note(2))),
        Step::Hold,
    ]);
    scripts.push(vec![head(200, "text/plain", &[]), Step::Close]);
    let (runtime, mut server) = serve(scripts);
    let mut cmd = app();
    cmd.args([
        "print",
        "--mcp",
        &server.url("/mcp"),
        "--call",
        "slow",
        "--mcp-version",
        "2025-11-25",
    ]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    let seen = requests(&runtime, &mut server, 4);
    assert_eq!(seen[2].method, "GET");
    assert_eq!(seen[2].header("last-event-id"), None);
    assert_eq!(seen[3].method, "POST");
    // The GET stream closed: it is resumed after its 50 ms while the call waits.
    let resume = runtime.block_on(server.next_request());
    assert_eq!(resume.method, "GET");
    assert_eq!(resume.header("last-event-id"), Some("g1"));
    assert_eq!(resume.header("mcp-session-id"), Some("s-9"));
    server.release();
    let out = output_within_child(child);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let printed = lines(&out.stdout);
    let data: Vec<&Value> = received_on(&printed, "get")
        .iter()
        .map(|l| &l["message"]["params"]["data"])
        .collect();
    assert_eq!(data, [1, 2], "{printed:?}");
}

fn output_within_child(child: std::process::Child) -> std::process::Output {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    rx.recv_timeout(PATIENCE)
        .expect("ssetui ended in time")
        .expect("the command ran")
}

/// A token command printing `tok-N` on its N-th run (counted in `dir/runs`).
fn counting_command(dir: &std::path::Path) -> String {
    let runs = dir.join("runs");
    let script = dir.join("token.sh");
    std::fs::write(
        &script,
        format!(
            "n=$(cat '{runs}' 2>/dev/null || echo 0)\nn=$((n + 1))\necho $n > '{runs}'\necho tok-$n\n",
            runs = runs.display()
        ),
    )
    .unwrap();
    format!("sh '{}'", script.display())
}

fn rejected(status: u16) -> Vec<Step> {
    vec![
        head(status, "text/plain", &[]),
        write("token expired"),
        Step::Close,
    ]
}

const DISCOVERED: &str =
    r#"{"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],"capabilities":{}}}"#;

#[test]
fn a_rejected_token_is_replaced_by_a_new_run_of_the_token_command_once() {
    let dir = support::scratch("mcp-refresh");
    let command = counting_command(&dir);
    let (runtime, mut server) = serve(vec![
        rejected(401),
        json_answer(DISCOVERED, &[]),
        json_answer(
            r#"{"jsonrpc":"2.0","id":2,"result":{"tools":[{"name":"t"}]}}"#,
            &[],
        ),
    ]);
    let out = print_mcp(
        &server.url("/mcp"),
        &["--list", "tools", "--auth-command", &command],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(lines(&out.stdout)[0]["name"], "t");
    let seen = requests(&runtime, &mut server, 3);
    let sent: Vec<Option<&str>> = seen.iter().map(|r| r.header("authorization")).collect();
    assert_eq!(
        sent,
        [
            Some("Bearer tok-1"),
            Some("Bearer tok-2"),
            Some("Bearer tok-2")
        ]
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&seen[1].body).unwrap()["method"],
        "server/discover",
        "the rejected request is sent again"
    );
}

#[test]
fn a_second_rejection_after_the_refresh_fails_naming_the_token_command() {
    let dir = support::scratch("mcp-refresh-twice");
    let command = counting_command(&dir);
    let (runtime, mut server) = serve(vec![
        json_answer(DISCOVERED, &[]),
        rejected(401),
        rejected(403),
    ]);
    let out = print_mcp(
        &server.url("/mcp"),
        &["--list", "tools", "--auth-command", &command],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("were rejected again after a refresh"),
        "{stderr}"
    );
    assert!(stderr.contains("token command"), "{stderr}");
    assert!(stderr.contains("HTTP 403"), "{stderr}");
    let seen = requests(&runtime, &mut server, 3);
    assert_eq!(seen[2].header("authorization"), Some("Bearer tok-2"));
    assert_eq!(
        std::fs::read_to_string(dir.join("runs")).unwrap().trim(),
        "2",
        "one refresh, not a loop"
    );
}

#[test]
fn print_mcp_keeps_its_request_in_the_history_redacted() {
    let (_runtime, url) = demo("/mcp");
    let dir = support::scratch("mcp-history");
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    let mut cmd = app();
    cmd.args([
        "print",
        "--mcp",
        &url,
        "--list",
        "tools",
        "--bearer",
        "sk-live-secret",
    ])
    .env("SSETUI_CONFIG", &config)
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let history = std::fs::read_to_string(dir.join("history.jsonl")).unwrap();
    assert_eq!(history.lines().count(), 1, "{history}");
    let entry: Value = serde_json::from_str(history.trim()).unwrap();
    assert_eq!(entry["sender"], "print");
    assert_eq!(entry["request"]["url"], url.as_str());
    assert!(!history.contains("sk-live-secret"), "{history}");
}
