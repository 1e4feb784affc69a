//! The demo's MCP servers over real HTTP on loopback: `/mcp-legacy` in the
//! session era (handshake, session, progress, a forced drop and its
//! resumption, DELETE) and `/mcp` in the stateless 2026-07-28 revision.
//!
//! Every wait is bounded by `tokio::time::timeout`; nothing sleeps to synchronise.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use ssetui::demo_server;

mod support;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The longest any single exchange may take.
const PATIENCE: Duration = Duration::from_secs(10);
const SESSION_VERSION: &str = "2025-11-25";
const CURRENT_VERSION: &str = "2026-07-28";
/// The code of the `fail` tool's JSON-RPC error.
const FAIL_CODE: i64 = -32050;

async fn start() -> Result<String, Box<dyn std::error::Error>> {
    let server = demo_server::bind("127.0.0.1:0".parse()?).await?;
    let base = server.url("");
    server.spawn();
    Ok(base.trim_end_matches('/').to_owned())
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain-http client builds")
}

/// One SSE event as the MCP transport writes it.
#[derive(Debug, Default, Clone, PartialEq)]
struct SseEvent {
    id: Option<String>,
    retry: Option<u64>,
    data: String,
}

/// What a request got: status, session id and every event (a JSON answer is
/// one event without id).
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    session: Option<String>,
    content_type: String,
    events: Vec<SseEvent>,
}

impl Answer {
    /// The JSON-RPC messages, in order (the priming event has none).
    fn messages(&self) -> Vec<Value> {
        self.events
            .iter()
            .filter(|e| !e.data.is_empty())
            .map(|e| serde_json::from_str(&e.data).unwrap_or_else(|err| panic!("{err}: {e:?}")))
            .collect()
    }

    /// The one message that answers a request.
    fn reply(&self) -> Value {
        let replies: Vec<Value> = self
            .messages()
            .into_iter()
            .filter(|m| m.get("id").is_some())
            .collect();
        assert_eq!(replies.len(), 1, "{self:?}");
        replies[0].clone()
    }
}

/// Splits an event stream into its events (lines end in `\n`, as rmcp writes them).
fn parse_sse(body: &str) -> Vec<SseEvent> {
    let mut events = Vec::new();
    for block in body.split("\n\n").filter(|b| !b.trim().is_empty()) {
        let mut event = SseEvent::default();
        let mut fields = 0;
        for line in block.lines() {
            let (name, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            fields += 1;
            match name {
                "id" => event.id = Some(value.to_owned()),
                "retry" => event.retry = value.parse().ok(),
                "data" => event.data = value.to_owned(),
                _ => fields -= 1, // a comment (keep-alive)
            }
        }
        if fields > 0 {
            events.push(event);
        }
    }
    events
}

async fn send(request: reqwest::RequestBuilder) -> Answer {
    let exchange = async {
        let response = request.send().await.expect("request sent");
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let session = header("mcp-session-id");
        let content_type = header(CONTENT_TYPE.as_str()).unwrap_or_default();
        let body = response.text().await.expect("the body ends");
        let events = if content_type.starts_with("text/event-stream") {
            parse_sse(&body)
        } else if content_type.starts_with("application/json") {
            vec![SseEvent {
                data: body,
                ..SseEvent::default()
            }]
        } else {
            Vec::new()
        };
        Answer {
            status,
            session,
            content_type,
            events,
        }
    };
    tokio::time::timeout(PATIENCE, exchange)
        .await
        .expect("the demo answered in time")
}

/// A POST of one JSON-RPC message, with the headers every MCP client sends.
fn post(url: &str, message: &Value) -> reqwest::RequestBuilder {
    client()
        .post(url)
        .header("Accept", "application/json, text/event-stream")
        .header(CONTENT_TYPE, "application/json")
        .body(message.to_string())
}

/// A session on `/mcp-legacy`: initialized, ready for requests.
struct Session {
    id: String,
}

impl Session {
    async fn open(url: &str) -> Self {
        let answer = send(post(url, &initialize(SESSION_VERSION))).await;
        assert_eq!(answer.status, StatusCode::OK);
        let id = answer.session.clone().expect("a session id");
        let session = Self { id };
        let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
        let answer = send(session.request(post(url, &note))).await;
        assert_eq!(answer.status, StatusCode::ACCEPTED);
        session
    }

    fn request(&self, builder: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        builder
            .header("Mcp-Session-Id", &self.id)
            .header("MCP-Protocol-Version", SESSION_VERSION)
    }

    async fn call(&self, url: &str, id: u64, method: &str, params: Value) -> Answer {
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        send(self.request(post(url, &message))).await
    }
}

fn initialize(version: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
        "protocolVersion": version,
        "capabilities": {},
        "clientInfo": {"name": "ssetui-test", "version": "1"},
    }})
}

fn progress_call(steps: u64, token: &str) -> Value {
    json!({"name": "progress", "arguments": {"steps": steps, "interval_ms": 20},
        "_meta": {"progressToken": token}})
}

fn methods(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| match m.get("method") {
            Some(method) => method.as_str().unwrap_or_default().to_owned(),
            None => "reply".to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn legacy_initialize_gives_a_session_the_negotiated_version_and_a_priming_event() -> TestResult
{
    let url = format!("{}/mcp-legacy", start().await?);
    for version in ["2025-06-18", SESSION_VERSION] {
        let answer = send(post(&url, &initialize(version))).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert!(answer.content_type.starts_with("text/event-stream"));
        assert!(answer.session.as_deref().is_some_and(|s| !s.is_empty()));
        let reply = answer.reply();
        assert_eq!(reply["result"]["protocolVersion"], version);
        assert_eq!(
            reply["result"]["serverInfo"]["name"],
            "ssetui-demo-mcp-legacy"
        );
        let priming = &answer.events[0];
        assert_eq!((priming.data.as_str(), priming.retry), ("", Some(1000)));
        assert!(priming.id.is_some());
    }
    Ok(())
}

#[tokio::test]
async fn legacy_lists_the_tools_with_their_schemas() -> TestResult {
    let url = format!("{}/mcp-legacy", start().await?);
    let session = Session::open(&url).await;
    let reply = session.call(&url, 1, "tools/list", json!({})).await.reply();
    let tools = reply["result"]["tools"].as_array().expect("a tool list");
    let names: Vec<&str> = tools.iter().filter_map(|t| t["name"].as_str()).collect();
    assert_eq!(names, ["echo", "add", "progress", "log", "fail"]);
    assert!(tools.iter().all(|t| t["inputSchema"]["type"] == "object"));
    assert_eq!(
        tools[0]["outputSchema"]["required"],
        json!(["text", "length"])
    );
    Ok(())
}

#[tokio::test]
async fn legacy_progress_notifications_arrive_before_the_result() -> TestResult {
    let url = format!("{}/mcp-legacy", start().await?);
    let session = Session::open(&url).await;
    let answer = session
        .call(&url, 1, "tools/call", progress_call(3, "tok"))
        .await;
    assert!(answer.content_type.starts_with("text/event-stream"));
    let messages = answer.messages();
    assert_eq!(
        methods(&messages),
        [
            "notifications/progress",
            "notifications/progress",
            "notifications/progress",
            "reply"
        ]
    );
    for (n, note) in messages[..3].iter().enumerate() {
        assert_eq!(note["params"]["progressToken"], "tok");
        assert_eq!(note["params"]["progress"], json!(n as f64 + 1.0));
        assert_eq!(note["params"]["total"], json!(3.0));
    }
    assert_eq!(
        messages[3]["result"]["structuredContent"],
        json!({"steps": 3})
    );
    Ok(())
}

#[tokio::test]
async fn drop_after_cuts_the_call_and_last_event_id_replays_the_rest_once() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/mcp-legacy");
    let session = Session::open(&url).await;
    let dropping = format!("{url}?drop_after=2");
    let first = session
        .call(&dropping, 1, "tools/call", progress_call(4, "t"))
        .await;
    assert_eq!(
        methods(&first.messages()),
        ["notifications/progress", "notifications/progress"],
        "the stream ends after 2 messages, before the result"
    );
    assert_eq!(first.events[0].retry, Some(1000), "priming event first");
    let last_id = first
        .events
        .last()
        .and_then(|e| e.id.clone())
        .expect("an id");

    let resume = session.request(
        client()
            .get(&dropping)
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", &last_id),
    );
    let rest = send(resume).await;
    assert_eq!(rest.status, StatusCode::OK);
    let messages = rest.messages();
    assert_eq!(
        methods(&messages),
        ["notifications/progress", "notifications/progress", "reply"]
    );
    let progress: Vec<Value> = first
        .messages()
        .iter()
        .chain(&messages)
        .map(|m| m["params"]["progress"].clone())
        .collect();
    assert_eq!(
        progress[..4],
        [json!(1.0), json!(2.0), json!(3.0), json!(4.0)]
    );
    assert_eq!(messages[2]["id"], 1);
    assert_eq!(messages[2]["result"]["structuredContent"]["steps"], 4);
    let mut ids: Vec<String> = first
        .events
        .iter()
        .chain(&rest.events)
        .filter_map(|e| e.id.clone())
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "no event id repeated");
    Ok(())
}

#[tokio::test]
async fn delete_ends_the_session_and_its_id_then_gets_404() -> TestResult {
    let url = format!("{}/mcp-legacy", start().await?);
    let session = Session::open(&url).await;
    let deleted = send(session.request(client().delete(&url))).await;
    assert!(deleted.status.is_success(), "{deleted:?}");
    let after = session.call(&url, 2, "tools/list", json!({})).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
    Ok(())
}

/// The `_meta` and headers of a stateless (2026-07-28) request.
fn stateless(
    url: &str,
    id: u64,
    method: &str,
    name: Option<&str>,
    mut params: Value,
) -> reqwest::RequestBuilder {
    let meta = params
        .as_object_mut()
        .expect("params are an object")
        .entry("_meta")
        .or_insert_with(|| json!({}));
    meta["io.modelcontextprotocol/protocolVersion"] = json!(CURRENT_VERSION);
    meta["io.modelcontextprotocol/clientInfo"] = json!({"name": "ssetui-test", "version": "1"});
    meta["io.modelcontextprotocol/clientCapabilities"] = json!({});
    let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
    let request = post(url, &message)
        .header("MCP-Protocol-Version", CURRENT_VERSION)
        .header("Mcp-Method", method);
    match name {
        Some(name) => request.header("Mcp-Name", name),
        None => request,
    }
}

#[tokio::test]
async fn the_session_endpoint_refuses_server_discover_so_clients_fall_back() -> TestResult {
    let url = format!("{}/mcp-legacy", start().await?);
    let answer = send(stateless(&url, 1, "server/discover", None, json!({}))).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    let error = &answer.reply()["error"];
    assert_eq!(error["data"]["requested"], CURRENT_VERSION);
    assert!(
        !error["data"]["supported"]
            .as_array()
            .expect("the versions it speaks")
            .contains(&json!(CURRENT_VERSION))
    );
    Ok(())
}

#[tokio::test]
async fn current_discover_names_the_2026_revision_without_a_session() -> TestResult {
    let url = format!("{}/mcp", start().await?);
    let answer = send(stateless(&url, 1, "server/discover", None, json!({}))).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.content_type.starts_with("application/json"));
    assert_eq!(answer.session, None);
    let result = &answer.reply()["result"];
    let versions = result["supportedVersions"].as_array().expect("versions");
    assert!(versions.contains(&json!(CURRENT_VERSION)));
    assert!(versions.contains(&json!(SESSION_VERSION)));
    assert_eq!(
        result["capabilities"]["tools"],
        json!({"listChanged": true})
    );
    Ok(())
}

#[tokio::test]
async fn a_stateless_call_streams_progress_then_its_result_and_a_plain_one_is_json() -> TestResult {
    let url = format!("{}/mcp", start().await?);
    let call = stateless(
        &url,
        7,
        "tools/call",
        Some("progress"),
        progress_call(2, "p"),
    );
    let answer = send(call).await;
    assert_eq!(answer.session, None);
    assert!(answer.content_type.starts_with("text/event-stream"));
    let messages = answer.messages();
    assert_eq!(
        methods(&messages),
        ["notifications/progress", "notifications/progress", "reply"]
    );
    assert_eq!(messages[2]["id"], 7);

    let echo = json!({"name": "echo", "arguments": {"text": "héllo"}});
    let answer = send(stateless(&url, 8, "tools/call", Some("echo"), echo)).await;
    assert!(answer.content_type.starts_with("application/json"));
    let result = &answer.reply()["result"];
    assert_eq!(
        result["structuredContent"],
        json!({"text": "héllo", "length": 5})
    );
    Ok(())
}

#[tokio::test]
async fn fail_answers_a_json_rpc_error_in_both_eras() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/mcp");
    let args = json!({"name": "fail", "arguments": {"message": "as asked"}});
    let stateless_reply = send(stateless(&url, 3, "tools/call", Some("fail"), args.clone()))
        .await
        .reply();
    let legacy = format!("{base}/mcp-legacy");
    let session = Session::open(&legacy).await;
    let session_reply = session.call(&legacy, 3, "tools/call", args).await.reply();
    for reply in [stateless_reply, session_reply] {
        assert_eq!(reply["id"], 3);
        assert_eq!(reply.get("result"), None, "{reply}");
        assert_eq!(reply["error"]["code"], FAIL_CODE);
        assert_eq!(reply["error"]["message"], "as asked");
    }
    Ok(())
}

/// Follows `nextCursor` through every page of `method`, returning each page's items.
async fn pages(url: &str, method: &str, key: &str) -> Vec<Vec<Value>> {
    let mut pages = Vec::new();
    let mut cursor: Option<Value> = None;
    loop {
        let params = match &cursor {
            Some(cursor) => json!({"cursor": cursor}),
            None => json!({}),
        };
        let reply = send(stateless(url, 1, method, None, params)).await.reply();
        let result = &reply["result"];
        pages.push(result[key].as_array().cloned().unwrap_or_default());
        match result.get("nextCursor") {
            Some(next) if pages.len() < 10 => cursor = Some(next.clone()),
            _ => return pages,
        }
    }
}

#[tokio::test]
async fn resources_and_prompts_take_more_than_one_page() -> TestResult {
    let url = format!("{}/mcp", start().await?);
    let resources = pages(&url, "resources/list", "resources").await;
    assert_eq!(
        resources.iter().map(Vec::len).collect::<Vec<_>>(),
        [3, 3, 1]
    );
    let uris: Vec<&str> = resources
        .iter()
        .flatten()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert_eq!(uris.len(), 7);
    assert_eq!((uris[0], uris[6]), ("demo://notes/1", "demo://notes/7"));
    let prompts = pages(&url, "prompts/list", "prompts").await;
    assert_eq!(prompts.iter().map(Vec::len).collect::<Vec<_>>(), [3, 1]);
    let templates = pages(&url, "resources/templates/list", "resourceTemplates").await;
    assert_eq!(templates[0][0]["uriTemplate"], "demo://notes/{n}");

    let read = json!({"uri": "demo://notes/42"});
    let reply = send(stateless(
        &url,
        2,
        "resources/read",
        Some("demo://notes/42"),
        read,
    ))
    .await
    .reply();
    assert_eq!(
        reply["result"]["contents"][0]["uri"], "demo://notes/42",
        "{reply}"
    );
    let bad = send(stateless(
        &url,
        3,
        "resources/list",
        None,
        json!({"cursor": "nope"}),
    ))
    .await;
    assert_eq!(bad.reply()["error"]["code"], -32602);
    Ok(())
}

#[tokio::test]
async fn a_foreign_origin_and_bad_query_parameters_are_refused() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/mcp");
    let foreign = stateless(&url, 1, "server/discover", None, json!({}))
        .header("Origin", "https://ssetui-check.invalid");
    assert_eq!(send(foreign).await.status, StatusCode::FORBIDDEN);
    let local = stateless(&url, 1, "server/discover", None, json!({}))
        .header("Origin", "http://localhost:3000");
    assert_eq!(send(local).await.status, StatusCode::OK);
    for query in [
        "/mcp?drop_after=2",
        "/mcp-legacy?drop_after=0",
        "/mcp-legacy?x=1",
    ] {
        let answer = send(post(
            &format!("{base}{query}"),
            &initialize(SESSION_VERSION),
        ))
        .await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}");
    }
    Ok(())
}

#[tokio::test]
async fn the_pickers_mcp_requests_stream_through_the_crates_own_connection() -> TestResult {
    use ssetui::demo_server::{PICKS, Sends};
    let base: reqwest::Url = format!("{}/", start().await?).parse()?;
    let picks: Vec<_> = PICKS
        .iter()
        .filter(|p| matches!(p.sends, Sends::McpProgressCall | Sends::McpInitialize))
        .collect();
    assert_eq!(picks.len(), 2);
    for pick in picks {
        let (_handle, mut rx) = support::connect(pick.request(&base));
        let msgs = support::until_closed(&mut rx).await;
        let messages: Vec<Value> = support::events(&msgs)
            .iter()
            .filter(|e| !e.data.is_empty())
            .map(|e| serde_json::from_str(&e.data).expect("JSON-RPC"))
            .collect();
        let last = messages.last().expect("an answer");
        assert_eq!(last["id"], 1, "{}: {messages:?}", pick.target());
        match pick.sends {
            Sends::McpProgressCall => {
                assert_eq!(
                    messages.len(),
                    11,
                    "10 progress notifications, then the result"
                );
                assert_eq!(last["result"]["structuredContent"]["steps"], 10);
            }
            _ => assert_eq!(last["result"]["protocolVersion"], SESSION_VERSION),
        }
    }
    Ok(())
}

#[tokio::test]
async fn log_messages_arrive_on_the_sessions_get_stream() -> TestResult {
    let url = format!("{}/mcp-legacy", start().await?);
    let session = Session::open(&url).await;
    let get = session.request(client().get(&url).header("Accept", "text/event-stream"));
    let mut stream = tokio::time::timeout(PATIENCE, get.send()).await??;
    assert_eq!(stream.status(), StatusCode::OK);
    // The priming event says the stream is open: the log call may start.
    let mut body = String::new();
    while !body.contains("\n\n") {
        let chunk = tokio::time::timeout(PATIENCE, stream.chunk()).await??;
        body.push_str(&String::from_utf8_lossy(&chunk.expect("the priming event")));
    }
    assert!(parse_sse(&body)[0].retry.is_some(), "{body}");
    let reply = session
        .call(
            &url,
            1,
            "tools/call",
            json!({"name": "log", "arguments": {"text": "hi"}}),
        )
        .await
        .reply();
    assert_eq!(reply["result"]["isError"], false);
    let logged = |body: &str| {
        parse_sse(body)
            .iter()
            .filter(|e| e.data.contains("notifications/message"))
            .count()
    };
    while logged(&body) < 3 {
        let chunk = tokio::time::timeout(PATIENCE, stream.chunk()).await??;
        body.push_str(&String::from_utf8_lossy(
            &chunk.expect("the stream stays open"),
        ));
    }
    let levels: Vec<Value> = parse_sse(&body)
        .iter()
        .filter(|e| e.data.contains("notifications/message"))
        .map(|e| serde_json::from_str::<Value>(&e.data).expect("JSON")["params"]["level"].clone())
        .collect();
    assert_eq!(levels, [json!("info"), json!("warning"), json!("error")]);
    Ok(())
}

#[tokio::test]
async fn a_listen_stream_is_acknowledged_and_stays_open() -> TestResult {
    let url = format!("{}/mcp", start().await?);
    let params = json!({"notifications": {"toolsListChanged": true, "resourceSubscriptions": ["demo://notes/1"]}});
    let listen = stateless(&url, 4, "subscriptions/listen", None, params);
    let mut stream = tokio::time::timeout(PATIENCE, listen.send()).await??;
    assert_eq!(stream.status(), StatusCode::OK);
    let mut body = String::new();
    while !body.contains("\n\n") {
        let chunk = tokio::time::timeout(PATIENCE, stream.chunk()).await??;
        body.push_str(&String::from_utf8_lossy(
            &chunk.expect("the stream stays open"),
        ));
    }
    let ack: Value = serde_json::from_str(&parse_sse(&body)[0].data)?;
    assert_eq!(ack["method"], "notifications/subscriptions/acknowledged");
    assert_eq!(
        ack["params"]["notifications"],
        json!({"toolsListChanged": true}),
        "list changes accepted; resource subscriptions are not offered"
    );
    Ok(())
}
