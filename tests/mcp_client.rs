//! `ssetui print --mcp` end to end: against raw loopback servers that check
//! each rule of the transport (the Accept header, the session headers, the
//! fallbacks, the 2024-11-05 transport, an SSE answer, DELETE), and against
//! a server on the official Python SDK (`mcp` on PyPI, pinned in
//! tests/mcp_py/requirements.txt) in both eras.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::mcp::{accepted, body, json_answer, no_get_stream};
use support::mcp::{lines, print_mcp, requests};
use support::{Step, WAIT, app, head, output_within, serve, write};

const PATIENCE: Duration = Duration::from_secs(30);
const POST_ACCEPT: &str = "application/json, text/event-stream";

use support::mcp::INITIALIZED;

#[test]
fn the_session_era_sends_its_headers_answers_pings_streams_progress_and_deletes() {
    let call_answer = concat!(
        // A priming event (an id, empty data): no message, not shown.
        "id: e0\ndata:\n\n",
        "id: e1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"s1\",\"method\":\"ping\"}\n\n",
        "id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"s2\",\"method\":\"sampling/createMessage\",\"params\":{}}\n\n",
        "id: e3\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"t\",\"progress\":1}}\n\n",
        "id: e4\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[],\"isError\":false}}\n\n",
    );
    let (runtime, mut server) = serve(vec![
        json_answer(INITIALIZED, &[("Mcp-Session-Id", "abc-1")]),
        accepted(),
        no_get_stream(),
        vec![support::sse_head(), write(call_answer), Step::Close],
        accepted(),
        accepted(),
        vec![head(200, "text/plain", &[]), Step::Close],
    ]);
    let out = print_mcp(
        &server.url("/mcp"),
        &[
            "--call",
            "slow",
            "--args",
            r#"{"n":1}"#,
            "--mcp-version",
            "2025-11-25",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut seen = requests(&runtime, &mut server, 7);
    let methods: Vec<&str> = seen.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(
        methods,
        ["POST", "POST", "GET", "POST", "POST", "POST", "DELETE"]
    );
    // After notifications/initialized, the GET stream for the server's own
    // messages; its 405 says there is none, and the session goes on.
    let get = seen.remove(2);
    assert_eq!(get.header("accept"), Some("text/event-stream"));
    assert_eq!(get.header("mcp-session-id"), Some("abc-1"));
    assert_eq!(get.header("mcp-protocol-version"), Some("2025-11-25"));
    for post in &seen[..5] {
        assert_eq!(post.header("accept"), Some(POST_ACCEPT));
        assert_eq!(post.header("content-type"), Some("application/json"));
    }
    assert_eq!(body(&seen[0])["method"], "initialize");
    assert_eq!(body(&seen[0])["params"]["protocolVersion"], "2025-11-25");
    assert_eq!(
        body(&seen[0])["params"]["capabilities"],
        serde_json::json!({})
    );
    assert_eq!(seen[0].header("mcp-session-id"), None);
    assert_eq!(seen[0].header("mcp-protocol-version"), None);
    for later in &seen[1..] {
        assert_eq!(later.header("mcp-session-id"), Some("abc-1"), "{later:?}");
        assert_eq!(later.header("mcp-protocol-version"), Some("2025-11-25"));
    }
    assert_eq!(body(&seen[1])["method"], "notifications/initialized");
    assert_eq!(body(&seen[2])["method"], "tools/call");
    assert_eq!(body(&seen[2])["params"]["name"], "slow");
    assert!(body(&seen[2])["params"]["_meta"]["progressToken"].is_string());
    // The server's ping is answered with an empty result, its sampling request with -32601.
    assert_eq!(
        body(&seen[3]),
        serde_json::json!({"jsonrpc":"2.0","id":"s1","result":{}})
    );
    assert_eq!(body(&seen[4])["id"], "s2");
    assert_eq!(body(&seen[4])["error"]["code"], -32601);

    let printed = lines(&out.stdout);
    let received: Vec<&Value> = printed
        .iter()
        .filter(|l| l["direction"] == "received" && l["stream"] == "post-3")
        .collect();
    assert_eq!(received.len(), 4, "{printed:?}");
    assert_eq!(received[2]["message"]["method"], "notifications/progress");
    assert_eq!(received[2]["event_id"], "e3");
    assert_eq!(received[3]["message"]["id"], 2);
    let sent_ping_answer = printed
        .iter()
        .position(|l| l["direction"] == "sent" && l["message"]["id"] == "s1")
        .expect("the ping answer is printed");
    let progress = printed
        .iter()
        .position(|l| l["message"]["method"] == "notifications/progress")
        .unwrap();
    assert!(
        sent_ping_answer < progress,
        "messages in the order they went"
    );
}

#[test]
fn a_server_without_server_discover_gets_the_initialize_handshake() {
    let (runtime, mut server) = serve(vec![
        json_answer(
            r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}"#,
            &[],
        ),
        json_answer(&INITIALIZED.replace("\"id\":1", "\"id\":2"), &[]),
        accepted(),
        no_get_stream(),
        json_answer(
            r#"{"jsonrpc":"2.0","id":3,"result":{"tools":[{"name":"a","inputSchema":{"type":"object"}}],"nextCursor":"p2"}}"#,
            &[],
        ),
        json_answer(
            r#"{"jsonrpc":"2.0","id":4,"result":{"tools":[{"name":"b","inputSchema":{"type":"object"}}]}}"#,
            &[],
        ),
    ]);
    let out = print_mcp(&server.url("/mcp"), &["--list", "tools"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<Value> = lines(&out.stdout)
        .iter()
        .map(|t| t["name"].clone())
        .collect();
    assert_eq!(names, ["a", "b"]);
    let mut seen = requests(&runtime, &mut server, 6);
    assert_eq!(seen.remove(3).method, "GET");
    let discover = &seen[0];
    assert_eq!(discover.header("accept"), Some(POST_ACCEPT));
    assert_eq!(discover.header("mcp-protocol-version"), Some("2026-07-28"));
    assert_eq!(discover.header("mcp-method"), Some("server/discover"));
    let meta = &body(discover)["params"]["_meta"];
    assert_eq!(
        meta["io.modelcontextprotocol/protocolVersion"],
        "2026-07-28"
    );
    assert_eq!(meta["io.modelcontextprotocol/clientInfo"]["name"], "ssetui");
    assert_eq!(
        meta["io.modelcontextprotocol/clientCapabilities"],
        serde_json::json!({})
    );
    assert_eq!(body(&seen[1])["method"], "initialize");
    assert_eq!(body(&seen[1])["params"]["protocolVersion"], "2025-11-25");
    assert_eq!(
        seen[1].header("mcp-method"),
        None,
        "no stateless headers after the fallback"
    );
    assert_eq!(body(&seen[3])["method"], "tools/list");
    assert_eq!(body(&seen[4])["params"]["cursor"], "p2");
    // No session id was issued: nothing to DELETE.
    assert_eq!(seen.iter().filter(|r| r.method == "DELETE").count(), 0);
}

#[test]
fn a_stateless_server_gets_meta_and_routing_headers_on_every_request() {
    let (runtime, mut server) = serve(vec![
        json_answer(
            r#"{"jsonrpc":"2.0","id":1,"result":{"supportedVersions":["2026-07-28"],"capabilities":{}}}"#,
            &[],
        ),
        json_answer(
            r#"{"jsonrpc":"2.0","id":2,"result":{"content":[],"isError":true}}"#,
            &[],
        ),
    ]);
    let out = print_mcp(
        &server.url("/mcp"),
        &["--call", "caf\u{e9}", "--args", "{}"],
    );
    assert_eq!(out.status.code(), Some(1), "isError: true fails the run");
    let seen = requests(&runtime, &mut server, 2);
    let call = &seen[1];
    assert_eq!(call.header("accept"), Some(POST_ACCEPT));
    assert_eq!(call.header("mcp-protocol-version"), Some("2026-07-28"));
    assert_eq!(call.header("mcp-method"), Some("tools/call"));
    assert_eq!(call.header("mcp-name"), Some("=?base64?Y2Fmw6k=?="));
    assert_eq!(
        body(call)["params"]["_meta"]["io.modelcontextprotocol/protocolVersion"],
        "2026-07-28"
    );
    assert_eq!(call.header("mcp-session-id"), None);
}

#[test]
fn the_2024_11_05_http_sse_transport_is_detected_when_post_is_refused() {
    let legacy_stream = vec![
        support::sse_head(),
        write("event: endpoint\ndata: /messages?session=7\n\n"),
        Step::Gate,
        write(
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{}}}\n\n",
        ),
        Step::Gate,
        write(
            "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{\"prompts\":[{\"name\":\"p\"}]}}\n\n",
        ),
        Step::Hold,
    ];
    let refused = vec![
        head(405, "text/plain", &[]),
        write("no POST here"),
        Step::Close,
    ];
    let (runtime, mut server) = serve(vec![
        refused.clone(),
        refused,
        legacy_stream,
        accepted(),
        accepted(),
        accepted(),
    ]);
    let mut cmd = app();
    cmd.args(["print", "--mcp", &server.url("/sse"), "--list", "prompts"]);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = cmd.spawn().unwrap();
    let seen = requests(&runtime, &mut server, 4);
    assert_eq!(body(&seen[0])["method"], "server/discover");
    assert_eq!(body(&seen[1])["method"], "initialize");
    assert_eq!(seen[2].method, "GET");
    assert_eq!(seen[2].target, "/sse");
    assert_eq!(seen[2].header("accept"), Some("text/event-stream"));
    assert_eq!(seen[3].target, "/messages?session=7");
    assert_eq!(body(&seen[3])["method"], "initialize");
    server.release();
    let seen = requests(&runtime, &mut server, 2);
    assert_eq!(body(&seen[0])["method"], "notifications/initialized");
    assert_eq!(body(&seen[1])["method"], "prompts/list");
    assert_eq!(seen[1].target, "/messages?session=7");
    server.release();
    let out = wait(child);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(lines(&out.stdout)[0]["name"], "p");
}

#[test]
fn an_unsupported_version_error_naming_handshake_revisions_gets_the_handshake() {
    let unsupported = r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32022,"message":"Unsupported protocol version","data":{"supported":["2025-06-18","2025-11-25"],"requested":"2026-07-28"}}}"#;
    let (runtime, mut server) = serve(vec![
        vec![
            head(400, "application/json", &[]),
            write(unsupported),
            Step::Close,
        ],
        json_answer(
            &INITIALIZED
                .replace("\"id\":1", "\"id\":2")
                .replace("2025-11-25", "2025-06-18"),
            &[("Mcp-Session-Id", "s")],
        ),
        accepted(),
        no_get_stream(),
        json_answer(r#"{"jsonrpc":"2.0","id":3,"result":{"prompts":[]}}"#, &[]),
        accepted(),
    ]);
    let out = print_mcp(&server.url("/mcp"), &["--list", "prompts", "-v"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("MCP session era, revision 2025-06-18"),
        "{stderr}"
    );
    let mut seen = requests(&runtime, &mut server, 6);
    assert_eq!(seen.remove(3).method, "GET");
    assert_eq!(body(&seen[1])["method"], "initialize");
    // The server chose 2025-06-18: that is the version every later request names.
    assert_eq!(seen[3].header("mcp-protocol-version"), Some("2025-06-18"));
    assert_eq!(seen[4].method, "DELETE");
    assert_eq!(seen[4].header("mcp-session-id"), Some("s"));
}

#[test]
fn a_stateless_revision_forced_on_a_server_without_it_is_a_negotiation_error() {
    let (_runtime, server) = serve(vec![json_answer(
        r#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}}"#,
        &[],
    )]);
    let out = print_mcp(
        &server.url("/mcp"),
        &["--list", "tools", "--mcp-version", "2026-07-28"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot negotiate MCP"));
}

#[test]
fn a_revision_ssetui_does_not_speak_is_a_usage_error() {
    let out = print_mcp(
        "http://127.0.0.1:9/mcp",
        &["--list", "tools", "--mcp-version", "1999-01-01"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--mcp-version"));
    let out = print_mcp("http://127.0.0.1:9/mcp", &["--call", "a", "--args", "[1]"]);
    assert_eq!(out.status.code(), Some(2));
    // Print's event options mean nothing to --mcp: refused, not ignored.
    let out = print_mcp("http://127.0.0.1:9/mcp", &["--list", "tools", "--raw"]);
    assert_eq!(out.status.code(), Some(2));
    let out = print_mcp("http://127.0.0.1:9/mcp", &[]);
    assert_eq!(out.status.code(), Some(2), "--mcp needs --list or --call");
}

#[test]
fn a_server_that_speaks_no_mcp_is_a_negotiation_error() {
    let (_runtime, server) = serve(vec![vec![
        head(404, "text/html", &[]),
        write("<h1>no</h1>"),
        Step::Close,
    ]]);
    let out = print_mcp(&server.url("/mcp"), &["--list", "tools"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot negotiate MCP"));
}

fn wait(child: Child) -> std::process::Output {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(PATIENCE) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("print --mcp did not exit in time");
        }
    }
}

// ---- Interop with the official Python SDK ----

/// The Python SDK's server, stopped (by its own process id) when dropped.
struct PyServer {
    child: Child,
    url: String,
}

impl Drop for PyServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn py_server() -> Option<PyServer> {
    let python = support::python::venv_python()?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mcp_py/server.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the Python server starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        let _ = BufReader::new(stdout).read_line(&mut first);
        let _ = tx.send(first);
    });
    let first = rx.recv_timeout(WAIT * 3).unwrap_or_default();
    let mut server = PyServer {
        child,
        url: String::new(),
    };
    let port = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the Python server did not start: {first:?}"));
    server.url = format!("http://127.0.0.1:{port}/mcp");
    Some(server)
}

/// Both eras: negotiated (the SDK answers server/discover) and forced to the handshake.
const ERAS: [&[&str]; 2] = [&[], &["--mcp-version", "2025-11-25"]];

#[test]
fn the_python_sdk_server_lists_its_tools_in_both_eras() {
    let Some(server) = py_server() else { return };
    for era in ERAS {
        let out = print_mcp(&server.url, &[&["--list", "tools"], era].concat());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{era:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let names: Vec<Value> = lines(&out.stdout)
            .iter()
            .map(|t| t["name"].clone())
            .collect();
        assert_eq!(names, ["add", "countdown", "fail", "boom"], "{era:?}");
    }
}

#[test]
fn a_python_sdk_tool_call_streams_its_progress_before_its_result_in_both_eras() {
    let Some(server) = py_server() else { return };
    for (era, first_method) in ERAS.into_iter().zip(["server/discover", "initialize"]) {
        let out = print_mcp(
            &server.url,
            &[&["--call", "countdown", "--args", r#"{"steps":3}"#], era].concat(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{era:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let printed = lines(&out.stdout);
        assert_eq!(printed[0]["message"]["method"], first_method, "{era:?}");
        let call = printed
            .iter()
            .find(|l| l["message"]["method"] == "tools/call")
            .expect("the call is printed");
        let stream = call["stream"].clone();
        let answer: Vec<&Value> = printed
            .iter()
            .filter(|l| l["stream"] == stream && l["direction"] == "received")
            .collect();
        assert_eq!(answer.len(), 4, "{era:?}: {printed:?}");
        for (n, progress) in answer[..3].iter().enumerate() {
            assert_eq!(progress["message"]["method"], "notifications/progress");
            assert_eq!(progress["message"]["params"]["progress"], n as u64 + 1);
        }
        assert_eq!(
            answer[3]["message"]["result"]["content"][0]["text"],
            "counted 3"
        );
    }
}

#[test]
fn python_sdk_tool_errors_exit_1_in_both_eras() {
    let Some(server) = py_server() else { return };
    for era in ERAS {
        let failed = print_mcp(
            &server.url,
            &[&["--call", "fail", "--args", r#"{"reason":"no"}"#], era].concat(),
        );
        assert_eq!(failed.status.code(), Some(1), "isError, {era:?}");
        let boom = print_mcp(&server.url, &[&["--call", "boom"], era].concat());
        assert_eq!(boom.status.code(), Some(1), "JSON-RPC error, {era:?}");
        let printed = lines(&boom.stdout);
        let error = printed
            .iter()
            .find(|l| l["message"]["error"].is_object())
            .unwrap_or_else(|| panic!("the error is printed: {printed:?}"));
        assert_eq!(error["message"]["error"]["message"], "boom on purpose");
        let ok = print_mcp(
            &server.url,
            &[&["--call", "add", "--args", r#"{"a":2,"b":3}"#], era].concat(),
        );
        assert_eq!(ok.status.code(), Some(0), "{era:?}");
    }
}

/// `check --mcp` against a server nobody here wrote: the official Python
/// SDK's keeps every rule in both eras, so any ✗ is ssetui's mistake (a
/// probe the SDK answers differently, a second GET stream it refuses).
#[test]
fn check_mcp_finds_the_python_sdk_server_keeps_the_rules_in_both_eras() {
    let Some(server) = py_server() else { return };
    for era in ERAS {
        let mut cmd = app();
        cmd.args(["check", "--mcp", &server.url, "--mcp-strict"])
            .args(era.iter());
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let out = output_within(cmd, PATIENCE);
        let report = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{era:?}\n{report}");
        assert!(report.contains("✓ MUST origin"), "{report}");
        assert!(!report.contains('✗'), "{report}");
    }
}

#[test]
fn print_asks_at_the_terminal_for_a_declared_capabilitys_request_and_sends_the_line_typed() {
    let asks = support::mcp::ASK_NAME;
    let answer = "id: e2\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hi Ada\"}]}}\n\n";
    let (server_runtime, mut server) = serve(vec![
        json_answer(INITIALIZED, &[("Mcp-Session-Id", "s-1")]),
        accepted(),
        no_get_stream(),
        vec![
            support::sse_head(),
            write(asks),
            Step::Gate,
            write(answer),
            Step::Close,
        ],
        accepted(),
        accepted(),
    ]);
    let url = server.url("/mcp");
    let mut app = support::pty::Pty::start(&[
        "print",
        "--mcp",
        &url,
        "--mcp-version",
        "2025-11-25",
        "--mcp-capability",
        "elicitation",
        "--call",
        "greet",
    ]);
    // The question, escaped, on the terminal; the answer typed as one JSON line.
    app.wait_for("the server's question", |s| {
        s.contains("elicitation/create") && s.contains("your name?")
    });
    app.keys("{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}\r");
    server.release();
    assert_eq!(app.exit_code(), 0, "{}", app.contents());
    let seen: Vec<Value> = (0..5)
        .map(|_| body(&server_runtime.block_on(server.next_request())))
        .collect();
    assert_eq!(
        seen[0]["params"]["capabilities"],
        serde_json::json!({"elicitation": {}})
    );
    assert!(
        seen.contains(&serde_json::json!({"jsonrpc":"2.0","id":"q1","result":{"action":"accept","content":{"name":"Ada"}}})),
        "{seen:#?}"
    );
}
