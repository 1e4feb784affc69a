//! The demo's LLM API paths (`/v1/chat/completions`, `/v1/responses`,
//! `/v1/messages`, `/api/chat`) read by ssetui itself: `print --transcript`
//! assembles each to the demo's canned answer, a clean stream of each
//! gives `print --diagnose` no LLM-shape finding, and the non-streaming
//! answers and refusals are in each API's own shape.

mod support;

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use ssetui::demo_server::{CANNED_REASONING, canned_answer};
use ssetui::insight::diagnose::LLM_SHAPE_IDS;
use support::*;

const PATIENCE: Duration = Duration::from_secs(30);
const QUESTION: &str = "What is an SDK?";

/// One LLM path and a request body of its API's shape.
struct Path {
    path: &'static str,
    /// NDJSON (Ollama), read with `--parse-as ndjson`.
    ndjson: bool,
    /// The request's body, streaming.
    body: Value,
    /// What the body adds to ask for reasoning, the API's way.
    reasoning: Value,
}

fn paths() -> Vec<Path> {
    let messages = json!([{"role": "user", "content": QUESTION}]);
    vec![
        Path {
            path: "/v1/chat/completions",
            ndjson: false,
            body: json!({"model": "m1", "stream": true, "messages": messages}),
            reasoning: json!({"reasoning_effort": "medium"}),
        },
        Path {
            path: "/v1/responses",
            ndjson: false,
            body: json!({"model": "m1", "stream": true, "input": QUESTION}),
            reasoning: json!({"reasoning": {"effort": "medium", "summary": "auto"}}),
        },
        Path {
            path: "/v1/messages",
            ndjson: false,
            body: json!({"model": "m1", "max_tokens": 1024, "stream": true, "messages": messages}),
            reasoning: json!({"thinking": {"type": "enabled", "budget_tokens": 1024}}),
        },
        Path {
            path: "/api/chat",
            ndjson: true,
            body: json!({"model": "m1", "messages": messages}),
            reasoning: json!({"think": true}),
        },
    ]
}

impl Path {
    fn body_with(&self, extra: &Value) -> String {
        let mut body = self.body.clone();
        if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
            body.extend(extra.clone());
        }
        body.to_string()
    }
}

/// `ssetui print ARGS URL --json BODY` (NDJSON read as such): (stdout, stderr).
fn print(path: &Path, url: &str, body: &str, args: &[&str]) -> (String, String) {
    let mut cmd = app();
    cmd.arg("print")
        .args(args)
        .args(["--no-reconnect", url, "--json", body]);
    if path.ndjson {
        cmd.args(["--parse-as", "ndjson"]);
    }
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "{url}: {stderr}");
    (stdout, stderr)
}

#[test]
fn print_transcript_assembles_each_llm_path_to_the_canned_answer() {
    let (_rt, demo) = demo("/");
    let demo = demo.trim_end_matches('/');
    let expected = canned_answer(Some(QUESTION));
    for path in paths() {
        let url = format!("{demo}{}?delay_ms=0", path.path);
        let (stdout, _) = print(&path, &url, &path.body_with(&json!({})), &["--transcript"]);
        assert_eq!(stdout.trim_end(), expected, "{}", path.path);
    }
}

#[test]
fn print_transcript_shows_the_reasoning_asked_for_by_query_or_by_body() {
    let (_rt, demo) = demo("/");
    let demo = demo.trim_end_matches('/');
    let answer = canned_answer(Some(QUESTION));
    for path in paths() {
        let by_query = (
            format!("{demo}{}?delay_ms=0&reasoning=1", path.path),
            path.body_with(&json!({})),
        );
        let by_body = (
            format!("{demo}{}?delay_ms=0", path.path),
            path.body_with(&path.reasoning),
        );
        for (url, body) in [by_query, by_body] {
            let (stdout, _) = print(&path, &url, &body, &["--transcript", "--reasoning"]);
            let at = |text: &str| stdout.find(text);
            let order = [
                at("## Reasoning"),
                at(CANNED_REASONING),
                at("## Answer"),
                at(&answer),
            ];
            assert!(
                order.iter().all(Option::is_some) && order.is_sorted(),
                "{url} {body}: {stdout}"
            );
        }
        // Without reasoning asked for, none is streamed.
        let url = format!("{demo}{}?delay_ms=0", path.path);
        let (stdout, _) = print(
            &path,
            &url,
            &path.body_with(&json!({})),
            &["--transcript", "--reasoning"],
        );
        assert!(!stdout.contains("## Reasoning"), "{}: {stdout}", path.path);
    }
}

/// The ids of the findings `print --diagnose` reported on stderr
/// (`[severity] id: title` lines).
fn finding_ids(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix('[')?;
            let (_, rest) = rest.split_once("] ")?;
            Some(rest.split_once(':')?.0.to_owned())
        })
        .collect()
}

#[test]
fn a_clean_stream_of_each_llm_path_gives_no_llm_shape_finding() {
    let (_rt, demo) = demo("/");
    let demo = demo.trim_end_matches('/');
    for path in paths() {
        for query in ["?delay_ms=0", "?delay_ms=0&reasoning=1"] {
            let url = format!("{demo}{}{query}", path.path);
            let body = path.body_with(&json!({"stream_options": {"include_usage": true}}));
            let (_, stderr) = print(&path, &url, &body, &["--diagnose"]);
            assert!(stderr.contains("ssetui diagnosis:"), "{url}: {stderr}");
            let ids = finding_ids(&stderr);
            assert!(
                ids.iter().all(|id| !LLM_SHAPE_IDS.contains(&id.as_str())),
                "{url}: {stderr}"
            );
            if path.ndjson {
                // Judged as SSE, NDJSON's type is reported, as for /chat?format=ollama.
                assert_eq!(ids, ["content-type"], "{url}: {stderr}");
            } else {
                assert!(stderr.contains("no problems found"), "{url}: {stderr}");
            }
        }
    }
}

/// `POST url` with `body`: (status, content type, JSON body).
async fn post(url: &str, body: &str) -> (u16, String, Value) {
    let response = tokio::time::timeout(PATIENCE, client().post(url).body(body.to_owned()).send())
        .await
        .expect("in time")
        .expect("an answer");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: {e}: {text}"));
    (status, content_type, value)
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain-http client builds")
}

async fn start_demo() -> String {
    let server = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .expect("the demo binds");
    let url = server.url("");
    server.spawn();
    url.trim_end_matches('/').to_owned()
}

#[tokio::test]
async fn without_stream_each_path_answers_one_json_object_of_its_api() {
    let demo = start_demo().await;
    let answer = canned_answer(Some(QUESTION));
    for path in paths() {
        let url = format!("{demo}{}?reasoning=1", path.path);
        let body = path.body_with(&json!({"stream": false}));
        let (status, content_type, value) = post(&url, &body).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "application/json"),
            "{url}"
        );
        let (text, reasoning) = match path.path {
            "/v1/chat/completions" => {
                assert_eq!(value["object"], "chat.completion");
                let message = &value["choices"][0]["message"];
                (&message["content"], &message["reasoning_content"])
            }
            "/v1/responses" => {
                assert_eq!(value["status"], "completed");
                (
                    &value["output"][1]["content"][0]["text"],
                    &value["output"][0]["summary"][0]["text"],
                )
            }
            "/v1/messages" => {
                assert_eq!(value["stop_reason"], "end_turn");
                (
                    &value["content"][1]["text"],
                    &value["content"][0]["thinking"],
                )
            }
            _ => {
                assert_eq!(value["done"], true);
                (&value["message"]["content"], &value["message"]["thinking"])
            }
        };
        assert_eq!(text.as_str(), Some(answer.as_str()), "{url}: {value}");
        assert_eq!(reasoning.as_str(), Some(CANNED_REASONING), "{url}: {value}");
        assert_eq!(value["model"], "m1", "{url}: the model is echoed");
    }
}

#[tokio::test]
async fn refusals_are_400s_in_each_apis_error_shape() {
    let demo = start_demo().await;
    for path in paths() {
        let url = format!("{demo}{}", path.path);
        for body in ["not json", r#"{"model":"m1"}"#] {
            let (status, content_type, value) = post(&url, body).await;
            assert_eq!((status, content_type.as_str()), (400, "application/json"));
            let message = match path.path {
                "/v1/messages" => {
                    assert_eq!(value["type"], "error", "{value}");
                    assert_eq!(value["error"]["type"], "invalid_request_error");
                    &value["error"]["message"]
                }
                "/api/chat" => &value["error"],
                _ => {
                    assert_eq!(value["error"]["type"], "invalid_request_error");
                    &value["error"]["message"]
                }
            };
            let message = message.as_str().unwrap_or_default();
            let key = if path.path == "/v1/responses" {
                "input"
            } else {
                "messages"
            };
            assert!(
                message.contains(key) || message.contains("not a valid"),
                "{url} {body}: {message}"
            );
        }
        // A typo in the query is refused in the same shape, naming it.
        let (status, _, value) = post(&format!("{url}?reasonin=1"), "{}").await;
        assert_eq!(status, 400);
        assert!(value.to_string().contains("reasonin"), "{value}");
    }
}

#[tokio::test]
async fn the_pickers_llm_requests_stream_the_canned_answer_through_the_crates_own_connection() {
    use ssetui::demo_server::{PICKS, Sends};
    use ssetui::insight::llm::Transcript;
    let base: reqwest::Url = format!("{}/", start_demo().await).parse().unwrap();
    let picks: Vec<_> = PICKS
        .iter()
        .filter(|p| p.endpoint.path.starts_with("/v1/") || p.endpoint.path == "/api/chat")
        .collect();
    assert_eq!(picks.len(), 4);
    // All at once: each streams at the demo's own pace (40 ms a token).
    let streams: Vec<_> = picks
        .iter()
        .map(|pick| (pick, connect(pick.request(&base))))
        .collect();
    for (pick, (_handle, mut rx)) in streams {
        assert_ne!(pick.sends, Sends::Nothing, "{}", pick.target());
        let msgs = until_closed(&mut rx).await;
        let mut transcript = Transcript::new();
        for event in events(&msgs) {
            transcript.push(
                event.event_type(),
                &event.data,
                std::time::SystemTime::now(),
            );
        }
        let expected = canned_answer(Some("Explain Server-Sent Events in one paragraph."));
        assert_eq!(transcript.text(), expected, "{}", pick.target());
    }
}

/// The events of a streamed answer: (event name, JSON data), `[DONE]` as a string.
async fn stream_events(url: &str, body: &str) -> Vec<(String, Value)> {
    let response = tokio::time::timeout(PATIENCE, client().post(url).body(body.to_owned()).send())
        .await
        .expect("in time")
        .expect("an answer");
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let bytes = tokio::time::timeout(PATIENCE, response.bytes())
        .await
        .expect("in time")
        .expect("the body");
    let mut parser = ssetui::sse::Parser::default();
    let mut items: Vec<ssetui::sse::Item> = Vec::new();
    parser
        .feed(&bytes, &mut items)
        .expect("the parser accepts it");
    let mut out = Vec::new();
    for item in items {
        if let ssetui::sse::Item::Event(event) = item {
            let data =
                serde_json::from_str(&event.data).unwrap_or(Value::String(event.data.to_string()));
            out.push((event.event.to_string(), data));
        }
    }
    out
}

#[tokio::test]
async fn openai_chat_sends_usage_only_when_stream_options_ask_as_openai_documents() {
    let demo = start_demo().await;
    let url = format!("{demo}/v1/chat/completions?delay_ms=0");
    let asked = r#"{"stream":true,"stream_options":{"include_usage":true},"messages":[]}"#;
    let events = stream_events(&url, asked).await;
    let (done, chunks) = events.split_last().expect("events");
    assert_eq!(done.1, "[DONE]");
    let (usage, answer) = chunks.split_last().expect("chunks");
    assert_eq!(usage.1["choices"], json!([]));
    assert!(
        usage.1["usage"]["total_tokens"].as_u64() > Some(0),
        "{}",
        usage.1
    );
    assert!(
        answer
            .iter()
            .all(|(_, c)| c["usage"].is_null() && c.get("usage").is_some())
    );
    let events = stream_events(&url, r#"{"stream":true,"messages":[]}"#).await;
    assert!(
        events.iter().all(|(_, c)| c.get("usage").is_none()),
        "{events:?}"
    );
    assert!(
        events.iter().all(|(name, _)| name.is_empty()),
        "data-only chunks"
    );
}

#[tokio::test]
async fn responses_and_messages_events_are_named_as_their_type_and_numbered() {
    let demo = start_demo().await;
    let responses = stream_events(
        &format!("{demo}/v1/responses?delay_ms=0&reasoning=1"),
        r#"{"stream":true,"input":"hi"}"#,
    )
    .await;
    for (i, (name, data)) in responses.iter().enumerate() {
        assert_eq!(data["type"], name.as_str());
        assert_eq!(data["sequence_number"], i, "{name}");
    }
    let names: Vec<&str> = responses.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names[..3],
        [
            "response.created",
            "response.in_progress",
            "response.output_item.added"
        ]
    );
    assert!(names.contains(&"response.reasoning_summary_text.delta"));
    assert_eq!(names.last(), Some(&"response.completed"));
    let messages = stream_events(
        &format!("{demo}/v1/messages?delay_ms=0&reasoning=1"),
        r#"{"stream":true,"messages":[]}"#,
    )
    .await;
    assert!(
        messages
            .iter()
            .all(|(name, data)| data["type"] == name.as_str())
    );
    let deltas: Vec<&str> = messages
        .iter()
        .filter_map(|(_, d)| d["delta"]["type"].as_str())
        .collect();
    let first_text = deltas.iter().position(|t| *t == "text_delta");
    let signature = deltas.iter().position(|t| *t == "signature_delta");
    assert!(signature.is_some() && signature < first_text, "{deltas:?}");
    assert_eq!(
        messages.last().map(|(n, _)| n.as_str()),
        Some("message_stop")
    );
}
