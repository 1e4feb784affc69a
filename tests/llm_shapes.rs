//! The LLM stream shapes that break client SDKs (`insight::diagnose`'s
//! llm_shapes): each from a loopback server that produces it, read by the
//! real engine; and a clean stream of each API, which gives none of them.

mod support;

use ssetui::insight::diagnose::{Diagnostics, Severity};
use ssetui::sse::ConnMsg;
use ssetui::sse::request::ReconnectPolicy;
use support::*;

/// The LLM-shape findings of a POST whose answer is `body`, read whole.
async fn shapes(body: &str) -> Vec<(&'static str, Severity, String)> {
    let server = TestServer::always(vec![sse_head(), write(body), Step::Close]).await;
    let mut spec = server.spec("/v1/answer");
    spec.method = reqwest::Method::POST;
    spec.body = Some(b"{}".to_vec());
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let msgs: Vec<ConnMsg> = until_closed(&mut rx).await;
    let mut diagnostics = Diagnostics::new();
    let now = std::time::Instant::now();
    for msg in &msgs {
        diagnostics.observe(msg, now);
    }
    diagnostics
        .findings()
        .into_iter()
        .filter(|f| is_shape(f.id))
        .map(|f| (f.id, f.severity, f.title))
        .collect()
}

fn is_shape(id: &str) -> bool {
    id.starts_with("llm-")
        || matches!(
            id,
            "json-two-values"
                | "missing-blank-line"
                | "json-split-lines"
                | "named-empty-data"
                | "event-type-mismatch"
        )
}

fn chunk(id: &str, model: &str, content: &str, finish: Option<&str>) -> String {
    let finish = finish.map_or("null".to_owned(), |f| format!("\"{f}\""));
    format!(
        "data: {{\"id\":\"{id}\",\"object\":\"chat.completion.chunk\",\"model\":\"{model}\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{content}\"}},\"finish_reason\":{finish}}}]}}\n\n"
    )
}

fn clean_chat() -> String {
    [
        chunk("c1", "m", "Hel", None),
        chunk("c1", "m", "lo", None),
        chunk("c1", "m", "", Some("stop")),
        "data: [DONE]\n\n".to_owned(),
    ]
    .concat()
}

const CLEAN_ANTHROPIC: &str = concat!(
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude\"}}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":{}}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\"}}\n\n",
    "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"1}\"}}\n\n",
    "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
    "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"}}\n\n",
    "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
);

const CLEAN_RESPONSES: &str = concat!(
    "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n",
    "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"delta\":\"Hi\"}\n\n",
    "event: response.function_call_arguments.done\ndata: {\"type\":\"response.function_call_arguments.done\",\"sequence_number\":2,\"arguments\":\"{\\\"a\\\":1}\"}\n\n",
    "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":3}\n\n",
);

#[tokio::test]
async fn a_clean_stream_of_each_api_has_none_of_these_findings() {
    for body in [clean_chat().as_str(), CLEAN_ANTHROPIC, CLEAN_RESPONSES] {
        assert_eq!(shapes(body).await, [], "{body}");
    }
    let gemini = "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}]}\n\n";
    assert_eq!(shapes(gemini).await, []);
}

/// The one finding `id` the body gives, with its severity.
async fn only(body: &str, id: &str, severity: Severity) -> String {
    let found = shapes(body).await;
    let ids: Vec<&str> = found.iter().map(|(i, _, _)| *i).collect();
    assert_eq!(ids, [id], "{found:#?}\n{body}");
    assert_eq!(found[0].1, severity, "{found:#?}");
    found[0].2.clone()
}

#[tokio::test]
async fn framing_that_breaks_sdks_is_found() {
    // Two objects written into one event.
    let two = format!("data: {{\"a\":1}}{{\"b\":2}}\n\n{}", clean_chat());
    only(&two, "json-two-values", Severity::Error).await;
    // A missing blank line joins two chunks into one event.
    let joined = clean_chat().replacen("\n\ndata: {", "\ndata: {", 1);
    only(&joined, "missing-blank-line", Severity::Error).await;
    // One object over two data: lines: valid SSE, a warning.
    let split = format!("data: {{\"a\":\ndata: 1}}\n\n{}", clean_chat());
    only(&split, "json-split-lines", Severity::Warning).await;
    // A named event with empty data.
    let named = format!("event: usage\ndata:\n\n{}", clean_chat());
    only(&named, "named-empty-data", Severity::Warning).await;
    // An event name that is not the JSON's type.
    let mismatch =
        CLEAN_ANTHROPIC.replacen("event: content_block_stop", "event: content_block_end", 1);
    only(&mismatch, "event-type-mismatch", Severity::Warning).await;
}

#[tokio::test]
async fn an_answer_that_breaks_its_apis_rules_is_found() {
    let changed = [
        chunk("c1", "m", "Hel", None),
        chunk("c2", "m", "lo", None),
        chunk("c2", "m", "", Some("stop")),
        "data: [DONE]\n\n".to_owned(),
    ]
    .concat();
    let title = only(&changed, "llm-chunk-changed", Severity::Warning).await;
    assert!(title.contains("\"c1\" then \"c2\""), "{title}");
    let no_finish = [chunk("c1", "m", "Hi", None), "data: [DONE]\n\n".to_owned()].concat();
    only(&no_finish, "llm-no-finish", Severity::Warning).await;
    let no_done = [chunk("c1", "m", "Hi", Some("stop"))].concat();
    only(&no_done, "llm-no-end-marker", Severity::Warning).await;
    let gap = CLEAN_RESPONSES.replace("\"sequence_number\":2", "\"sequence_number\":5");
    // 5 after 1, then 3 after 5.
    let title = only(&gap, "llm-sequence-gap", Severity::Warning).await;
    assert!(title.contains("sequence_number 5 after 1"), "{title}");
    let skipped = CLEAN_ANTHROPIC.replace("\"index\":1", "\"index\":2");
    only(&skipped, "llm-index-gap", Severity::Warning).await;
    let broken_args = CLEAN_ANTHROPIC.replace("\"partial_json\":\"1}\"", "\"partial_json\":\"1\"");
    only(&broken_args, "llm-tool-arguments", Severity::Error).await;
    let tool_chunk = |args: &str| {
        format!(
            "data: {{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":0,\"function\":{{\"arguments\":\"{args}\"}}}}]}},\"finish_reason\":null}}]}}\n\n"
        )
    };
    let chat_args = [
        tool_chunk("{\\\"a\\\""),
        tool_chunk(":1"),
        chunk("c1", "m", "", Some("tool_calls")),
        "data: [DONE]\n\n".to_owned(),
    ]
    .concat();
    only(&chat_args, "llm-tool-arguments", Severity::Error).await;
    let mixed = format!(
        "{}data: {{\"type\":\"message_start\",\"message\":{{}}}}\n\n{}",
        chunk("c1", "m", "Hi", None),
        [
            chunk("c1", "m", "", Some("stop")),
            "data: [DONE]\n\n".to_owned()
        ]
        .concat()
    );
    only(&mixed, "llm-mixed-apis", Severity::Error).await;
}

/// `ssetui check --llm-strict URL` against a server answering `body`: exit status and report.
fn check_strict(body: &str) -> (Option<i32>, String) {
    let (_runtime, server) = serve(vec![vec![sse_head(), write(body), Step::Close]]);
    let mut cmd = app();
    cmd.args(["check", "--llm-strict", &server.url("/")]);
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = output_within(cmd, std::time::Duration::from_secs(30));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn check_llm_strict_fails_on_a_shape_and_passes_a_clean_answer() {
    let (status, report) = check_strict(&clean_chat());
    assert_eq!(status, Some(0), "{report}");
    assert!(
        report.contains("✓ no LLM stream shape that breaks client SDKs"),
        "{report}"
    );
    let joined = clean_chat().replacen("\n\ndata: {", "\ndata: {", 1);
    let (status, report) = check_strict(&joined);
    assert_eq!(status, Some(1), "{report}");
    assert!(report.contains("[missing-blank-line]"), "{report}");
}

#[test]
fn check_llm_strict_judges_a_capture_as_it_judges_the_live_stream() {
    let dir = scratch("llm-strict-capture");
    let judge = |body: &str, name: &str| {
        let (_runtime, server) = serve(vec![vec![sse_head(), write(body), Step::Close]]);
        let file = dir.join(name);
        let mut record = app();
        record
            .args([
                "print",
                "--no-reconnect",
                "--record",
                file.to_str().unwrap(),
                &server.url("/"),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let out = output_within(record, std::time::Duration::from_secs(30));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut cmd = app();
        cmd.args(["check", "--llm-strict", "--capture", file.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = output_within(cmd, std::time::Duration::from_secs(30));
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (status, report) = judge(&clean_chat(), "clean.ssecap");
    assert_eq!(status, Some(0), "{report}");
    let joined = clean_chat().replacen("\n\ndata: {", "\ndata: {", 1);
    let (status, report) = judge(&joined, "joined.ssecap");
    assert_eq!(status, Some(1), "{report}");
    assert!(report.contains("[missing-blank-line]"), "{report}");
}
