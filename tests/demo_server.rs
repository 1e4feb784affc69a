//! The demo server over real HTTP on loopback, read with the crate's own SSE parser.
//!
//! Every wait is bounded by `tokio::time::timeout`; nothing sleeps to synchronise.

use std::collections::VecDeque;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use serde_json::Value;
use ssetui::demo_server::{self, DemoServer};
use ssetui::sse::{Event, Item, Parser};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The longest any single test waits for the server.
const PATIENCE: Duration = Duration::from_secs(10);

/// Starts a demo server on a free loopback port and returns its base URL.
async fn start() -> Result<String, Box<dyn std::error::Error>> {
    let server: DemoServer = demo_server::bind("127.0.0.1:0".parse()?).await?;
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

/// How a body ended.
#[derive(Debug, PartialEq)]
enum End {
    Clean,
    /// The connection failed mid-body (the text is reqwest's error).
    Error(String),
}

/// An SSE response read item by item through `ssetui::sse::Parser`.
struct Stream {
    response: reqwest::Response,
    parser: Parser,
    items: VecDeque<Item>,
    end: Option<End>,
}

impl Stream {
    /// Checks the response is a 200 event stream, then wraps it.
    fn new(response: reqwest::Response) -> Self {
        assert_eq!(response.status(), StatusCode::OK, "{}", response.url());
        assert_eq!(header(&response, CONTENT_TYPE), "text/event-stream");
        assert_eq!(header(&response, CACHE_CONTROL), "no-cache");
        Self {
            response,
            parser: Parser::default(),
            items: VecDeque::new(),
            end: None,
        }
    }

    async fn open(request: reqwest::RequestBuilder) -> Self {
        let response = timeout(request.send()).await.expect("request sent");
        Self::new(response)
    }

    /// The next item, or `None` once the body has ended (see `end`).
    async fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.items.pop_front() {
                return Some(item);
            }
            if self.end.is_some() {
                return None;
            }
            match timeout(self.response.chunk()).await {
                Ok(Some(bytes)) => {
                    let mut out = Vec::new();
                    self.parser.feed(&bytes, &mut out).expect("parser accepts");
                    self.items.extend(out);
                }
                Ok(None) => {
                    self.parser.finish();
                    self.end = Some(End::Clean);
                }
                Err(e) => self.end = Some(End::Error(format!("{e:?}"))),
            }
        }
    }

    /// The next `n` events, skipping comment/id/retry-only blocks.
    async fn events(&mut self, n: usize) -> Vec<Event> {
        let mut events = Vec::new();
        while events.len() < n {
            match self.next().await {
                Some(Item::Event(e)) => events.push(e),
                Some(Item::Block(_)) => {}
                None => panic!("stream ended ({:?}) after {events:?}", self.end),
            }
        }
        events
    }

    /// Everything left until the body ends, and how it ended.
    async fn rest(&mut self) -> (Vec<Item>, End) {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item);
        }
        (items, self.end.take().expect("ended"))
    }
}

/// Waits for `future`, failing the test after `PATIENCE`.
async fn timeout<F: std::future::Future>(future: F) -> F::Output {
    tokio::time::timeout(PATIENCE, future)
        .await
        .expect("the demo server answered in time")
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(&name)
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default()
}

fn json(event: &Event) -> Value {
    serde_json::from_str(&event.data).unwrap_or_else(|e| panic!("{e}: {:?}", event.data))
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| &*e.id).collect()
}

fn only_events(items: Vec<Item>) -> Vec<Event> {
    items
        .into_iter()
        .filter_map(|item| match item {
            Item::Event(e) => Some(e),
            Item::Block(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn clock_ticks_with_numbered_ids_then_ends_after_count() -> TestResult {
    let base = start().await?;
    let mut stream =
        Stream::open(client().get(format!("{base}/clock?interval_ms=5&count=3"))).await;
    let (items, end) = stream.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    assert_eq!(ids(&events), ["1", "2", "3"]);
    for (i, event) in events.iter().enumerate() {
        assert_eq!(event.event_type(), "tick");
        let data = json(event);
        assert_eq!(data["n"], i as u64 + 1);
        let time = data["time"].as_str().expect("time is a string");
        humantime::parse_rfc3339(time)?;
        assert!(time.ends_with('Z') && time.len() == "2026-11-24T15:00:00.123Z".len());
    }
    Ok(())
}

#[tokio::test]
async fn clock_resumes_after_last_event_id() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/clock?interval_ms=5&count=43");
    let mut resumed = Stream::open(client().get(&url).header("Last-Event-ID", "41")).await;
    let (items, end) = resumed.rest().await;
    let events = only_events(items);
    assert_eq!(
        ids(&events),
        ["42", "43"],
        "resumes after 41 and ends after event 43"
    );
    assert_eq!(json(&events[0])["n"], 42);
    assert_eq!(end, End::Clean);
    let mut restarted = Stream::open(client().get(&url).header("Last-Event-ID", "abc")).await;
    assert_eq!(ids(&restarted.events(1).await), ["1"]);
    Ok(())
}

#[tokio::test]
async fn counted_streams_answer_204_to_a_reconnect_after_the_last_event() -> TestResult {
    let base = start().await?;
    for path in ["clock", "logs", "metrics", "flaky"] {
        let url = format!("{base}/{path}?interval_ms=5&count=3");
        let done = client()
            .get(&url)
            .header("Last-Event-ID", "3")
            .send()
            .await?;
        assert_eq!(
            done.status(),
            204,
            "{path}: every event was sent: stop reconnecting"
        );
        let not_done = client()
            .get(&url)
            .header("Last-Event-ID", "2")
            .send()
            .await?;
        assert_eq!(not_done.status(), 200, "{path}");
    }
    let url = format!(
        "{base}/protected?count=3&api_key={}",
        demo_server::DEMO_API_KEY
    );
    let done = client()
        .get(&url)
        .header("Last-Event-ID", "3")
        .send()
        .await?;
    assert_eq!(done.status(), 204, "protected");
    Ok(())
}

#[tokio::test]
async fn chat_post_streams_openai_chunks_then_done() -> TestResult {
    let base = start().await?;
    let body = r#"{"model":"otter-7b","stream":true,"messages":[
        {"role":"system","content":"Be brief."},
        {"role":"user","content":"Tell me about otters"}]}"#;
    let request = client()
        .post(format!("{base}/chat?delay_ms=1"))
        .header(CONTENT_TYPE, "application/json")
        .body(body);
    let (items, end) = Stream::open(request).await.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    let (done, chunks) = events.split_last().expect("some events");
    assert_eq!(done.data, "[DONE]");
    assert!(events.iter().all(|e| e.event.is_empty() && e.id.is_empty()));
    let chunks: Vec<Value> = chunks.iter().map(json).collect();
    for chunk in &chunks {
        assert_eq!(chunk["object"], "chat.completion.chunk");
        assert_eq!(chunk["model"], "otter-7b");
        assert!(
            chunk["id"]
                .as_str()
                .unwrap_or("")
                .starts_with("chatcmpl-demo-")
        );
        assert!(chunk["created"].as_u64().is_some());
        assert_eq!(chunk["id"], chunks[0]["id"]);
    }
    assert_eq!(chunks[0]["choices"][0]["delta"]["role"], "assistant");
    let (usage, rest) = chunks[1..].split_last().expect("usage chunk");
    let (stop, tokens) = rest.split_last().expect("stop chunk");
    assert_eq!(stop["choices"][0]["finish_reason"], "stop");
    assert_eq!(stop["choices"][0]["delta"], serde_json::json!({}));
    assert_eq!(usage["choices"], serde_json::json!([]));
    let text: String = tokens
        .iter()
        .map(|c| c["choices"][0]["delta"]["content"].as_str().expect("token"))
        .collect();
    assert!(text.contains("Tell me about otters"), "{text}");
    assert!((40..=90).contains(&tokens.len()), "{} tokens", tokens.len());
    assert_eq!(usage["usage"]["completion_tokens"], tokens.len());
    let total = usage["usage"]["prompt_tokens"].as_u64().unwrap_or(0) + tokens.len() as u64;
    assert_eq!(usage["usage"]["total_tokens"], total);
    Ok(())
}

#[tokio::test]
async fn chat_get_without_body_uses_the_default_model() -> TestResult {
    let base = start().await?;
    let mut stream = Stream::open(client().get(format!("{base}/chat?delay_ms=0"))).await;
    let first = stream.events(1).await;
    assert_eq!(json(&first[0])["model"], "demo-1");
    let (items, end) = stream.rest().await;
    assert_eq!(end, End::Clean);
    assert_eq!(only_events(items).last().map(|e| &*e.data), Some("[DONE]"));
    Ok(())
}

#[tokio::test]
async fn chat_error_fails_mid_stream_without_done() -> TestResult {
    let base = start().await?;
    let request = client()
        .post(format!("{base}/chat?delay_ms=1&error=1"))
        .body(demo_server::CHAT_SAMPLE_BODY);
    let (items, end) = Stream::open(request).await.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    let (error, before) = events.split_last().expect("events");
    assert_eq!(error.event_type(), "error");
    let data = json(error);
    assert_eq!(data["error"]["type"], "server_error");
    assert_eq!(
        data["error"]["message"],
        "demo: simulated mid-stream failure"
    );
    assert!(before.len() > 1, "some tokens came first");
    assert!(
        before
            .iter()
            .all(|e| e.data != "[DONE]" && e.event.is_empty())
    );
    Ok(())
}

#[tokio::test]
async fn chat_status_answers_with_an_http_error() -> TestResult {
    let base = start().await?;
    for (status, retry_after) in [(429, "2"), (503, "2"), (500, ""), (401, "")] {
        let response =
            timeout(client().post(format!("{base}/chat?status={status}")).send()).await?;
        assert_eq!(response.status().as_u16(), status);
        assert_eq!(header(&response, RETRY_AFTER), retry_after, "{status}");
        assert_eq!(header(&response, CONTENT_TYPE), "application/json");
        let body: Value = serde_json::from_str(&timeout(response.text()).await?)?;
        let message = body["error"]["message"].as_str().unwrap_or("");
        assert!(message.contains(&status.to_string()), "{body}");
    }
    Ok(())
}

#[tokio::test]
async fn chat_format_ollama_streams_the_answer_as_ndjson_lines() -> TestResult {
    let base = start().await?;
    let parse = |body: String| -> Vec<serde_json::Value> {
        body.lines()
            .map(|line| serde_json::from_str(line).expect("a JSON object a line"))
            .collect()
    };
    let response = timeout(
        client()
            .post(format!("{base}/chat?format=ollama&delay_ms=0"))
            .body(demo_server::CHAT_SAMPLE_BODY)
            .send(),
    )
    .await?;
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let lines = parse(timeout(response.text()).await?);
    let (last, tokens) = lines.split_last().expect("lines");
    assert!(tokens.len() > 10);
    assert!(tokens.iter().all(|l| l["done"] == false
        && l["message"]["role"] == "assistant"
        && l["model"] == "demo-1"));
    assert_eq!(last["done"], true);
    assert_eq!(last["done_reason"], "stop");
    assert_eq!(last["eval_count"], tokens.len());
    assert!(last["prompt_eval_count"].as_u64() > Some(0));

    let response = timeout(
        client()
            .get(format!("{base}/chat?format=ollama&delay_ms=0&error=1"))
            .send(),
    )
    .await?;
    let failed = parse(timeout(response.text()).await?);
    assert_eq!(
        failed.last().map(|l| &l["error"]),
        Some(&serde_json::json!("demo: simulated mid-stream failure"))
    );
    assert!(failed.iter().all(|l| l["done"] != true), "no done line");

    let refused = timeout(client().get(format!("{base}/chat?format=xml")).send()).await?;
    assert_eq!(refused.status(), 400);
    assert!(
        timeout(refused.text())
            .await?
            .contains("openai, anthropic or ollama")
    );
    Ok(())
}

#[tokio::test]
async fn chat_refuses_a_bad_body_saying_why() -> TestResult {
    let base = start().await?;
    for (body, expected) in [
        ("{not json", "not a valid chat request"),
        (r#"{"messages":"hi"}"#, "invalid type"),
        (
            r#"{"messages":[{"role":"user","content":7}]}"#,
            "messages[0].content",
        ),
    ] {
        let response = timeout(client().post(format!("{base}/chat")).body(body).send()).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let text = timeout(response.text()).await?;
        assert!(text.contains(expected), "{body}: {text}");
    }
    Ok(())
}

#[tokio::test]
async fn logs_carry_three_levels_and_multi_line_errors() -> TestResult {
    let base = start().await?;
    let mut stream = Stream::open(client().get(format!("{base}/logs?interval_ms=5&count=6"))).await;
    match stream.next().await {
        Some(Item::Block(block)) => assert_eq!(block.comment.as_deref(), Some("ssetui demo")),
        other => panic!("expected the opening comment, got {other:?}"),
    }
    let (items, end) = stream.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    assert_eq!(ids(&events), ["1", "2", "3", "4", "5", "6"]);
    for level in ["info", "warn", "error"] {
        assert!(events.iter().any(|e| e.event_type() == level), "no {level}");
    }
    let error = events
        .iter()
        .find(|e| e.event_type() == "error")
        .expect("an error");
    assert!(error.data.lines().count() >= 3, "{:?}", error.data);
    assert!(error.data.contains("ERROR"));
    Ok(())
}

#[tokio::test]
async fn metrics_are_changing_json_numbers() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/metrics?interval_ms=5&count=3");
    let events = Stream::open(client().get(url)).await.events(3).await;
    assert_eq!(ids(&events), ["1", "2", "3"]);
    let data: Vec<Value> = events.iter().map(json).collect();
    for (event, value) in events.iter().zip(&data) {
        assert_eq!(event.event_type(), "metrics");
        for key in [
            "cpu_pct",
            "mem_mb",
            "rps",
            "p50_ms",
            "p99_ms",
            "errors_per_min",
        ] {
            assert!(value[key].is_number(), "{key} in {value}");
        }
    }
    assert_ne!(data[0]["cpu_pct"], data[1]["cpu_pct"]);
    Ok(())
}

#[tokio::test]
async fn protected_accepts_each_kind_of_credentials() -> TestResult {
    use base64::Engine as _;
    let base = start().await?;
    let url = format!("{base}/protected?interval_ms=5&count=2");
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        demo_server::DEMO_BASIC_USER,
        demo_server::DEMO_BASIC_PASSWORD
    ));
    let http = client();
    let cases = [
        (
            "bearer",
            http.get(&url).bearer_auth(demo_server::DEMO_BEARER_TOKEN),
        ),
        (
            "basic",
            http.get(&url)
                .header("Authorization", format!("Basic {basic}")),
        ),
        (
            "api_key_header",
            http.get(&url)
                .header(demo_server::DEMO_API_KEY_HEADER, demo_server::DEMO_API_KEY),
        ),
        (
            "api_key_query",
            http.get(format!(
                "{url}&{}={}",
                demo_server::DEMO_API_KEY_QUERY,
                demo_server::DEMO_API_KEY
            )),
        ),
    ];
    for (method, request) in cases {
        let mut stream = Stream::open(request).await;
        let events = stream.events(2).await;
        assert_eq!(events[0].event_type(), "welcome");
        assert_eq!(json(&events[0]), serde_json::json!({ "auth": method }));
        assert_eq!((events[1].event_type(), &*events[1].id), ("tick", "1"));
    }
    Ok(())
}

#[tokio::test]
async fn protected_refuses_missing_or_wrong_credentials() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/protected?interval_ms=5&count=1");
    let http = client();
    let cases = [
        http.get(&url),
        http.get(&url).bearer_auth("wrong-token"),
        http.get(&url)
            .basic_auth(demo_server::DEMO_BASIC_USER, Some("wrong")),
        http.get(&url)
            .header(demo_server::DEMO_API_KEY_HEADER, "wrong"),
        http.get(format!("{url}&api_key=wrong")),
    ];
    for request in cases {
        let response = timeout(request.send()).await?;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            header(&response, WWW_AUTHENTICATE),
            "Bearer realm=\"ssetui-demo\""
        );
        let text = timeout(response.text()).await?;
        assert!(text.contains(demo_server::DEMO_BEARER_TOKEN), "{text}");
        assert!(text.contains(demo_server::DEMO_API_KEY_HEADER), "{text}");
    }
    Ok(())
}

#[tokio::test]
async fn flaky_sets_retry_then_drops_the_connection() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/flaky?interval_ms=5&every=3&retry=1234");
    let mut stream = Stream::open(client().get(url)).await;
    match stream.next().await {
        Some(Item::Block(block)) => assert_eq!(block.retry_ms, Some(1234)),
        other => panic!("expected retry: first, got {other:?}"),
    }
    let (items, end) = stream.rest().await;
    assert!(
        matches!(end, End::Error(_)),
        "expected a dropped connection, got {end:?}"
    );
    let events = only_events(items);
    assert_eq!(ids(&events), ["1", "2", "3"]);
    assert_eq!(
        json(&events[2]),
        serde_json::json!({ "n": 3, "resumed_from": null })
    );
    Ok(())
}

#[tokio::test]
async fn flaky_resumes_after_last_event_id() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/flaky?interval_ms=5&every=2");
    let mut stream = Stream::open(client().get(url).header("Last-Event-ID", "5")).await;
    let (items, end) = stream.rest().await;
    assert!(matches!(end, End::Error(_)), "{end:?}");
    assert_eq!(stream.parser.reconnection_time_ms(), Some(2000));
    let events = only_events(items);
    assert_eq!(ids(&events), ["6", "7"]);
    assert_eq!(
        json(&events[0]),
        serde_json::json!({ "n": 6, "resumed_from": "5" })
    );
    Ok(())
}

#[tokio::test]
async fn flaky_count_ends_cleanly_and_then_says_no_content() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/flaky?interval_ms=5&every=5&count=7");
    let resumed = client().get(&url).header("Last-Event-ID", "5");
    let (items, end) = Stream::open(resumed).await.rest().await;
    assert_eq!(end, End::Clean);
    assert_eq!(ids(&only_events(items)), ["6", "7"]);
    let done = timeout(client().get(&url).header("Last-Event-ID", "7").send()).await?;
    assert_eq!(done.status(), StatusCode::NO_CONTENT);
    Ok(())
}

#[tokio::test]
async fn index_page_lists_endpoints_examples_and_credentials() -> TestResult {
    let base = start().await?;
    let response = timeout(client().get(format!("{base}/")).send()).await?;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    let html = timeout(response.text()).await?;
    for path in [
        "/clock",
        "/chat",
        "/logs",
        "/metrics",
        "/protected",
        "/flaky",
    ] {
        assert!(html.contains(&format!("{path}</code></h2>")), "{path}");
        assert!(
            html.contains(&format!("ssetui print &#39;{base}{path}")),
            "{path}"
        );
    }
    assert!(html.contains(demo_server::DEMO_BEARER_TOKEN));
    assert!(html.contains(demo_server::DEMO_BASIC_PASSWORD));
    Ok(())
}

#[tokio::test]
async fn bad_query_parameters_get_a_400_naming_them() -> TestResult {
    let base = start().await?;
    for (path, name) in [
        ("/clock?interval_ms=abc", "interval_ms"),
        ("/clock?interval_ms=0", "interval_ms"),
        ("/clock?count=-1", "count"),
        ("/clock?intervl_ms=5", "intervl_ms"),
        ("/clock?count=1&count=2", "count"),
        ("/chat?status=200", "status"),
        ("/chat?error=maybe", "error"),
        ("/chat?delay_ms=x", "delay_ms"),
        ("/logs?interval_ms=", "interval_ms"),
        ("/metrics?count=1e3", "count"),
        ("/protected?interval_ms=-5", "interval_ms"),
        ("/flaky?every=0", "every"),
        ("/flaky?retry=soon", "retry"),
    ] {
        let response = timeout(client().get(format!("{base}{path}")).send()).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(header(&response, CONTENT_TYPE).starts_with("text/plain"));
        let text = timeout(response.text()).await?;
        assert!(text.contains(name), "{path}: {text}");
    }
    let missing = timeout(client().get(format!("{base}/nope")).send()).await?;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(timeout(missing.text()).await?.contains("/clock"));
    Ok(())
}

#[tokio::test]
async fn bind_reports_the_address_and_url_builds_full_urls() -> TestResult {
    let server = demo_server::bind("127.0.0.1:0".parse()?).await?;
    let addr = server.local_addr();
    assert_ne!(addr.port(), 0);
    assert_eq!(server.url("/clock"), format!("http://{addr}/clock"));
    assert_eq!(server.url("clock"), format!("http://{addr}/clock"));
    let taken = demo_server::bind(addr)
        .await
        .expect_err("the port is taken");
    assert!(
        taken
            .to_string()
            .starts_with(&format!("cannot listen on {addr}: ")),
        "{taken}"
    );
    let wildcard = demo_server::bind("0.0.0.0:0".parse()?).await?;
    assert!(wildcard.url("/").starts_with("http://127.0.0.1:"));
    for text in [
        "/clock",
        "/chat",
        "/logs",
        "/metrics",
        "/protected",
        "/flaky",
        "/firehose",
        demo_server::DEMO_BEARER_TOKEN,
        demo_server::DEMO_API_KEY,
    ] {
        assert!(demo_server::endpoints_help().contains(text), "{text}");
    }
    Ok(())
}

#[tokio::test]
async fn firehose_sends_exactly_n_numbered_events_then_ends() -> TestResult {
    let base = start().await?;
    // 2,000 events of 100 bytes span several 64 KiB frames.
    let url = format!("{base}/firehose?n=2000&size=100&id=1&event=tick");
    let (items, end) = Stream::open(client().get(&url)).await.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    assert_eq!(events.len(), 2000);
    let expected: Vec<String> = (1..=2000).map(|n| n.to_string()).collect();
    assert_eq!(ids(&events), expected);
    assert!(
        events
            .iter()
            .all(|e| e.event_type() == "tick" && e.data.len() == 100),
        "{:?}",
        events.first()
    );
    let resumed = Stream::open(client().get(&url).header("Last-Event-ID", "1998"))
        .await
        .rest()
        .await;
    assert_eq!(ids(&only_events(resumed.0)), ["1999", "2000"]);
    let done = timeout(client().get(&url).header("Last-Event-ID", "2000").send()).await?;
    assert_eq!(
        done.status(),
        204,
        "every event was sent: stop reconnecting"
    );
    Ok(())
}

#[tokio::test]
async fn firehose_large_events_without_ids_arrive_whole() -> TestResult {
    let base = start().await?;
    let url = format!("{base}/firehose?n=3&size=100000&id=0");
    let (items, end) = Stream::open(client().get(url)).await.rest().await;
    assert_eq!(end, End::Clean);
    let events = only_events(items);
    assert_eq!(events.len(), 3);
    for event in &events {
        assert_eq!(event.data.len(), 100_000);
        assert!(event.data.starts_with("abcdefghijklmnopqrstuvwxyz"));
        assert_eq!((&*event.id, event.event_type()), ("", "message"));
    }
    Ok(())
}

#[tokio::test]
async fn firehose_refuses_bad_parameters_saying_which() -> TestResult {
    let base = start().await?;
    for (query, name) in [
        ("n=-1", "n="),
        ("n=many", "n="),
        ("size=16777217", "size="),
        ("id=2", "id="),
        ("event=a%0Ab", "event="),
        ("rate=5", "rate"),
    ] {
        let response = timeout(client().get(format!("{base}/firehose?{query}")).send()).await?;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
        let text = timeout(response.text()).await?;
        assert!(text.contains(name), "{query}: {text}");
    }
    Ok(())
}
