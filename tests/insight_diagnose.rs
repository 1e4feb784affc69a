//! Stream diagnostics (`insight::diagnose`): each check triggered by a
//! loopback server that produces the fault, read by the real engine, and not
//! triggered by a clean stream. Timing checks (bursts, silences) replay the
//! engine's messages with made-up instants: nothing sleeps.

mod support;

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use ssetui::insight::diagnose::{Diagnostics, Finding, Severity};
use ssetui::sse::request::ReconnectPolicy;
use ssetui::sse::{Chunk, ConnMsg, Event, RequestSpec, StreamItem};
use support::*;

const STEP: Duration = Duration::from_millis(10);

/// Reads one attempt of `script` to its end (no reconnect).
async fn once(script: Vec<Step>) -> Vec<ConnMsg> {
    let server = TestServer::always(script).await;
    once_with(server.spec("/stream")).await
}

async fn once_with(mut spec: RequestSpec) -> Vec<ConnMsg> {
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    until_closed(&mut rx).await
}

/// Feeds the messages `STEP` apart, plus `pause(msg)` before each.
fn feed_with(msgs: &[ConnMsg], pause: impl Fn(&ConnMsg) -> Duration) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let mut now = Instant::now();
    for msg in msgs {
        now += STEP + pause(msg);
        diagnostics.observe(msg, now);
    }
    diagnostics
}

fn feed(msgs: &[ConnMsg]) -> Diagnostics {
    feed_with(msgs, |_| Duration::ZERO)
}

fn ids(diagnostics: &Diagnostics) -> Vec<&'static str> {
    diagnostics.findings().iter().map(|f| f.id).collect()
}

/// The finding `id`, failing with the whole report when it is missing.
fn found(diagnostics: &Diagnostics, id: &str) -> Finding {
    diagnostics
        .findings()
        .into_iter()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id:?} finding; report:\n{}", diagnostics.report()))
}

fn absent(diagnostics: &Diagnostics, id: &str) {
    assert!(
        !ids(diagnostics).contains(&id),
        "unexpected {id:?} finding; report:\n{}",
        diagnostics.report()
    );
}

/// A response head of exactly these lines; the body is close-delimited.
fn raw_head(lines: &[&str]) -> Step {
    write(format!("{}\r\n\r\n", lines.join("\r\n")))
}

fn events_in(msg: &ConnMsg) -> usize {
    match msg {
        ConnMsg::Data(chunk) => chunk
            .items
            .iter()
            .filter(|i| matches!(i, StreamItem::Event { .. }))
            .count(),
        _ => 0,
    }
}

// ---- a clean stream ----------------------------------------------------------

#[tokio::test]
async fn a_clean_stream_has_no_findings() {
    let msgs = once(vec![
        head(200, "text/event-stream; charset=utf-8", &[]),
        write("retry: 3000\n\n: keep-alive\n\n"),
        write("id: 1\ndata: {\"n\":1}\n\nid: 2\ndata: {\"n\":2}\n\n"),
        write("id: 3\nevent: tick\ndata: {\"n\":3}\n\n: keep-alive\n\n"),
        write("id: 4\ndata: {\"n\":4}\n\nid: 5\ndata: [DONE]\n\n"),
        Step::Close,
    ])
    .await;
    assert_eq!(triples(&msgs).len(), 5, "the whole stream was read");
    // Five seconds between reads: quiet, but well within idle timeouts.
    let diagnostics = feed_with(&msgs, |_| Duration::from_secs(5));
    assert_eq!(
        diagnostics.findings(),
        Vec::<Finding>::new(),
        "{}",
        diagnostics.report()
    );
    let report = diagnostics.report();
    assert!(report.contains("no problems found"), "{report}");
    assert!(report.contains("5 events"), "{report}");
    assert!(
        report.contains("Content-Type, charset, Cache-Control"),
        "{report}"
    );
}

// ---- response heads ----------------------------------------------------------

#[tokio::test]
async fn a_response_rejected_for_its_type_is_explained() {
    let msgs = once(vec![
        head(200, "text/html", &[]),
        write("<html>login</html>"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "content-type");
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.title.contains("\"text/html\""), "{}", finding.title);
    assert!(finding.fix.contains("text/event-stream"));
}

#[tokio::test]
async fn a_response_without_content_type_is_explained() {
    let msgs = once(vec![
        raw_head(&[
            "HTTP/1.1 200 OK",
            "Cache-Control: no-cache",
            "Connection: close",
        ]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "content-type");
    assert!(
        finding.title.contains("no Content-Type"),
        "{}",
        finding.title
    );
}

#[tokio::test]
async fn a_rejected_status_is_explained_with_its_retry_after() {
    let msgs = once(vec![
        head(429, "application/json", &[("Retry-After", "30")]),
        write("{\"error\":\"slow down\"}"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "status");
    assert_eq!(finding.severity, Severity::Error);
    assert!(
        finding.title.contains("429 Too Many Requests"),
        "{}",
        finding.title
    );
    assert!(
        finding.title.contains("Retry-After 30 s"),
        "{}",
        finding.title
    );
    assert!(finding.why.contains("Rate limited"));

    let msgs = once(vec![
        head(404, "text/plain", &[]),
        write("nope"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "status");
    assert!(finding.title.contains("404 Not Found"), "{}", finding.title);
    assert!(finding.why.contains("wrong path"));
}

#[tokio::test]
async fn a_charset_other_than_utf8_is_flagged() {
    let msgs = once(vec![
        head(200, "text/event-stream; charset=ISO-8859-1", &[]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "charset");
    assert!(
        finding.title.contains("\"ISO-8859-1\""),
        "{}",
        finding.title
    );
}

#[tokio::test]
async fn cache_control_without_no_cache_is_flagged() {
    let missing = once(vec![
        raw_head(&[
            "HTTP/1.1 200 OK",
            "Content-Type: text/event-stream",
            "Connection: close",
        ]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&missing), "cache-control");
    assert!(
        finding.title.contains("no Cache-Control"),
        "{}",
        finding.title
    );

    let cacheable = once(vec![
        raw_head(&[
            "HTTP/1.1 200 OK",
            "Content-Type: text/event-stream",
            "Cache-Control: public, max-age=60",
            "Connection: close",
        ]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&cacheable), "cache-control");
    assert!(finding.title.contains("max-age=60"), "{}", finding.title);
}

#[tokio::test]
async fn a_compressed_stream_is_flagged() {
    // Without --compressed nothing is decoded: the header alone is the fault here.
    let msgs = once(vec![
        head(200, "text/event-stream", &[("Content-Encoding", "gzip")]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "compression");
    assert!(finding.title.contains("gzip"), "{}", finding.title);
}

#[tokio::test]
async fn an_http_1_0_response_is_flagged() {
    let msgs = once(vec![
        raw_head(&[
            "HTTP/1.0 200 OK",
            "Content-Type: text/event-stream",
            "Cache-Control: no-cache",
        ]),
        write("data: a\n\n"),
        Step::Close,
    ])
    .await;
    assert_eq!(triples(&msgs).len(), 1);
    let finding = found(&feed(&msgs), "http-version");
    assert!(finding.title.contains("HTTP/1.0"), "{}", finding.title);
}

#[tokio::test]
async fn a_refused_connection_is_explained() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let spec = RequestSpec::get(format!("http://127.0.0.1:{port}/").parse().unwrap());
    let diagnostics = feed(&once_with(spec).await);
    assert_eq!(found(&diagnostics, "connect").severity, Severity::Error);
    assert!(diagnostics.report().contains("no response accepted"));
}

// ---- delivery: bursts, silences, drops ----------------------------------------

/// Two bursts of twelve events, each released by the test.
async fn two_bursts() -> Vec<ConnMsg> {
    let burst = |from: u32| -> String {
        (from..from + 12)
            .map(|n| format!("id: {n}\ndata: {n}\n\n"))
            .collect()
    };
    let server = TestServer::always(vec![
        sse_head(),
        write(burst(1)),
        Step::Gate,
        write(burst(13)),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/stream");
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let mut msgs = until(&mut rx, |m| has_event(m, "12")).await;
    server.release();
    msgs.extend(until_closed(&mut rx).await);
    msgs
}

#[tokio::test]
async fn events_held_back_and_released_together_are_reported_as_buffering() {
    let msgs = two_bursts().await;
    let reads: Vec<usize> = msgs.iter().map(events_in).filter(|n| *n > 0).collect();
    assert_eq!(reads, vec![12, 12], "each burst arrived in one read");

    // Two seconds of silence before each burst.
    let diagnostics = feed_with(&msgs, |m| {
        if events_in(m) > 0 {
            Duration::from_secs(2)
        } else {
            Duration::ZERO
        }
    });
    let finding = found(&diagnostics, "buffering");
    assert!(
        finding.title.contains("2 of up to 12 events"),
        "{}",
        finding.title
    );
    assert!(finding.fix.contains("X-Accel-Buffering"));

    // The same reads arriving without silence are just a fast stream.
    absent(&feed(&msgs), "buffering");
}

#[tokio::test]
async fn silence_past_common_idle_timeouts_is_reported() {
    let server = TestServer::always(vec![
        sse_head(),
        write("id: 1\ndata: a\n\n"),
        Step::Gate,
        write("id: 2\ndata: b\n\n"),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/stream");
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let mut msgs = until(&mut rx, |m| has_event(m, "a")).await;
    server.release();
    msgs.extend(until_closed(&mut rx).await);

    let silent_for = |secs| {
        feed_with(&msgs, move |m| {
            if has_event(m, "b") {
                Duration::from_secs(secs)
            } else {
                Duration::ZERO
            }
        })
    };
    let finding = found(&silent_for(45), "keep-alive");
    assert!(
        finding.title.contains("30 s idle timeout"),
        "{}",
        finding.title
    );
    assert!(!finding.title.contains("60 s"), "{}", finding.title);
    let finding = found(&silent_for(75), "keep-alive");
    assert!(
        finding.title.contains("30 s and 60 s idle timeouts"),
        "{}",
        finding.title
    );
    absent(&silent_for(20), "keep-alive");
}

#[tokio::test]
async fn a_silence_under_way_counts_only_when_asked_at_a_time() {
    let server = stream_server().await;
    let (_handle, mut rx) = connect(server.spec("/stream"));
    let msgs = until(&mut rx, |m| has_event(m, "in")).await;
    let mut diagnostics = Diagnostics::new();
    let t0 = Instant::now();
    for msg in &msgs {
        diagnostics.observe(msg, t0);
    }
    absent(&diagnostics, "keep-alive");
    let later = diagnostics.findings_at(t0 + Duration::from_secs(40));
    assert!(later.iter().any(|f| f.id == "keep-alive"), "{later:?}");
    assert!(
        !diagnostics
            .findings_at(t0 + Duration::from_secs(10))
            .iter()
            .any(|f| f.id == "keep-alive")
    );
}

#[tokio::test]
async fn a_connection_reset_mid_stream_is_reported() {
    let msgs = once(vec![sse_head(), write("id: 1\ndata: a\n\n"), Step::Reset]).await;
    let finding = found(&feed(&msgs), "connection-dropped");
    assert!(finding.title.contains("once"), "{}", finding.title);
}

// ---- ids ------------------------------------------------------------------------

#[tokio::test]
async fn events_without_ids_are_flagged() {
    let msgs = once(vec![
        sse_head(),
        write("data: a\n\ndata: b\n\n"),
        Step::Close,
    ])
    .await;
    let diagnostics = feed(&msgs);
    let finding = found(&diagnostics, "no-ids");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.title.contains("none of the 2 events"),
        "{}",
        finding.title
    );
    assert_eq!(found(&diagnostics, "retry-absent").severity, Severity::Info);

    // A POST stream (an LLM answer) is rarely resumed: only a note.
    let server = TestServer::always(vec![sse_head(), write("data: {}\n\n"), Step::Close]).await;
    let mut spec = server.spec("/stream");
    spec.method = reqwest::Method::POST;
    spec.body = Some(b"{}".to_vec());
    let diagnostics = feed(&once_with(spec).await);
    let finding = found(&diagnostics, "no-ids");
    assert_eq!(finding.severity, Severity::Info);
    assert_eq!(finding.title, "the only event has no id");
}

#[tokio::test]
async fn a_post_answer_ended_by_its_end_marker_is_not_asked_for_ids_or_retry() {
    let answer = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n";
    let server = TestServer::always(vec![sse_head(), write(answer), Step::Close]).await;
    let mut spec = server.spec("/v1/chat/completions");
    spec.method = reqwest::Method::POST;
    spec.body = Some(b"{}".to_vec());
    let diagnostics = feed(&once_with(spec).await);
    absent(&diagnostics, "no-ids");
    absent(&diagnostics, "retry-absent");
    // A GET stream with the same events still is.
    let server = TestServer::always(vec![sse_head(), write(answer), Step::Close]).await;
    let diagnostics = feed(&once_with(server.spec("/stream")).await);
    found(&diagnostics, "no-ids");
    found(&diagnostics, "retry-absent");
}

/// Reads the first connection's script, then the second's until `last` arrives.
async fn reconnecting(first: &str, second: &str, last: &str) -> Vec<ConnMsg> {
    let server = TestServer::start(vec![
        vec![sse_head(), write(first), Step::Close],
        vec![sse_head(), write(second), Step::Hold],
    ])
    .await;
    let mut spec = server.spec("/stream");
    spec.retry.initial_delay = Duration::from_millis(20);
    let (_handle, mut rx) = connect(spec);
    until(&mut rx, |m| has_event(m, last)).await
}

#[tokio::test]
async fn an_event_resent_after_a_reconnect_is_flagged() {
    let msgs = reconnecting(
        "id: 1\ndata: a\n\nid: 2\ndata: b\n\n",
        "id: 2\ndata: b\n\nid: 3\ndata: c\n\n",
        "c",
    )
    .await;
    let diagnostics = feed(&msgs);
    let finding = found(&diagnostics, "id-replayed");
    assert!(
        finding.title.contains("Last-Event-ID \"2\""),
        "{}",
        finding.title
    );
    absent(&diagnostics, "id-backwards");
}

#[tokio::test]
async fn an_event_inheriting_the_id_sent_is_not_a_replay() {
    // The parser starts the new attempt with the id sent, so "c" carries id 2 without resending it.
    let msgs = reconnecting(
        "id: 1\ndata: a\n\nid: 2\ndata: b\n\n",
        "data: c\n\nid: 3\ndata: d\n\n",
        "d",
    )
    .await;
    let diagnostics = feed(&msgs);
    absent(&diagnostics, "id-replayed");
    absent(&diagnostics, "id-backwards");
}

#[tokio::test]
async fn ids_starting_over_after_a_reconnect_are_flagged() {
    let msgs = reconnecting(
        "id: 1\ndata: a\n\nid: 2\ndata: b\n\n",
        "id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\ndata: c\n\n",
        "c",
    )
    .await;
    let finding = found(&feed(&msgs), "id-backwards");
    assert!(
        finding.title.contains("1 right after a reconnect"),
        "{}",
        finding.title
    );
    assert!(
        finding.title.contains("\"2\" then \"1\""),
        "{}",
        finding.title
    );
}

#[tokio::test]
async fn gaps_in_consecutive_numeric_ids_are_flagged() {
    let body: String = [1, 2, 3, 4, 5, 9, 10, 11]
        .iter()
        .map(|n| format!("id: {n}\ndata: x\n\n"))
        .collect();
    let msgs = once(vec![sse_head(), write(body), Step::Close]).await;
    let finding = found(&feed(&msgs), "id-gaps");
    assert!(finding.title.contains("1 gap"), "{}", finding.title);
    assert!(finding.title.contains("5 then 9"), "{}", finding.title);

    // Sparse by design (timestamps): no gaps reported.
    let body: String = [100, 250, 400, 900]
        .iter()
        .map(|n| format!("id: {n}\ndata: x\n\n"))
        .collect();
    let msgs = once(vec![sse_head(), write(body), Step::Close]).await;
    absent(&feed(&msgs), "id-gaps");
}

// ---- bytes ----------------------------------------------------------------------

#[tokio::test]
async fn mixed_line_endings_are_flagged() {
    let msgs = once(vec![
        sse_head(),
        write("data: a\n\ndata: b\r\n\r\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "line-endings");
    assert_eq!(finding.title, "mixed line endings: 2 LF, 2 CRLF");
}

#[tokio::test]
async fn byte_order_marks_are_flagged() {
    let leading = once(vec![sse_head(), write("\u{FEFF}data: a\n\n"), Step::Close]).await;
    let finding = found(&feed(&leading), "bom");
    assert_eq!(finding.severity, Severity::Info);

    let inner = once(vec![
        sse_head(),
        write("data: a\n\n\u{FEFF}data: b\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&inner), "bom");
    assert_eq!(finding.severity, Severity::Warning);
    assert!(
        finding.title.contains("inside the stream"),
        "{}",
        finding.title
    );
}

#[tokio::test]
async fn invalid_utf8_replaced_with_u_fffd_is_flagged() {
    let msgs = once(vec![sse_head(), write(b"data: caf\xE9\n\n"), Step::Close]).await;
    assert_eq!(triples(&msgs)[0].1, "caf\u{FFFD}");
    let finding = found(&feed(&msgs), "invalid-utf8");
    assert!(
        finding.title.starts_with("1 invalid UTF-8 sequence"),
        "{}",
        finding.title
    );
    assert!(finding.title.contains("byte 9"), "{}", finding.title);

    // A U+FFFD the server really sent is valid UTF-8.
    let msgs = once(vec![
        sse_head(),
        write("data: caf\u{FFFD}\n\n"),
        Step::Close,
    ])
    .await;
    absent(&feed(&msgs), "invalid-utf8");
}

#[tokio::test]
async fn oversized_events_are_flagged() {
    let big = format!("data: {}\n\n", "x".repeat(1_100_000));
    let msgs = once(vec![sse_head(), write(big), Step::Close]).await;
    let finding = found(&feed(&msgs), "oversized-event");
    assert!(
        finding.title.contains("1 event larger than 1 MiB"),
        "{}",
        finding.title
    );
}

#[tokio::test]
async fn an_event_past_the_size_limit_is_an_error() {
    let server = TestServer::always(vec![
        sse_head(),
        write(format!("data: {}\n\n", "x".repeat(5000))),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/stream");
    spec.max_event_size = 1000;
    let finding = found(&feed(&once_with(spec).await), "event-too-large");
    assert_eq!(finding.severity, Severity::Error);
}

#[tokio::test]
async fn a_stream_ending_mid_event_is_flagged() {
    let msgs = once(vec![sse_head(), write("data: a\n\ndata: cut"), Step::Close]).await;
    let finding = found(&feed(&msgs), "incomplete-event");
    assert!(
        finding.title.contains("(9 B discarded)"),
        "{}",
        finding.title
    );
}

// ---- data and retry -----------------------------------------------------------------

#[tokio::test]
async fn non_json_data_among_json_events_is_flagged() {
    let mut body: String = (1..=6)
        .map(|n| format!("data: {{\"n\":{n}}}\n\n"))
        .collect();
    body.push_str("data: oops, internal error\n\ndata: [DONE]\n\n");
    let msgs = once(vec![sse_head(), write(body), Step::Close]).await;
    let finding = found(&feed(&msgs), "json-mixed");
    assert!(
        finding.title.starts_with("1 of 7 \"message\" events"),
        "{}",
        finding.title
    );
    assert!(
        finding.title.contains("\"oops, internal error\""),
        "{}",
        finding.title
    );

    // A different event type with text data is a design, not a fault.
    let mut body: String = (1..=6)
        .map(|n| format!("data: {{\"n\":{n}}}\n\n"))
        .collect();
    body.push_str("event: ping\ndata: ping\n\n");
    let msgs = once(vec![sse_head(), write(body), Step::Close]).await;
    absent(&feed(&msgs), "json-mixed");
}

#[tokio::test]
async fn unusual_retry_values_are_flagged() {
    let msgs = once(vec![
        sse_head(),
        write("retry: 100\ndata: a\n\n"),
        Step::Close,
    ])
    .await;
    let diagnostics = feed(&msgs);
    assert!(found(&diagnostics, "retry-small").title.contains("100 ms"));
    absent(&diagnostics, "retry-absent");

    let msgs = once(vec![
        sse_head(),
        write("retry: 600000\n\ndata: a\n\n"),
        Step::Close,
    ])
    .await;
    let finding = found(&feed(&msgs), "retry-large");
    assert!(finding.title.contains("(10 min)"), "{}", finding.title);
}

// ---- the report and robustness ---------------------------------------------------------

#[tokio::test]
async fn the_report_lists_each_finding_errors_first_with_why_and_fix() {
    let msgs = once(vec![
        head(200, "text/html", &[]),
        write("<html>"),
        Step::Close,
    ])
    .await;
    let mut diagnostics = feed(&msgs);
    // A second run on the same Diagnostics: an accepted stream with its own faults.
    let more = once(vec![
        sse_head(),
        write("retry: 50\ndata: a\n\n"),
        Step::Close,
    ])
    .await;
    let t = Instant::now();
    for msg in &more {
        diagnostics.observe(msg, t);
    }
    let findings = diagnostics.findings();
    assert_eq!(findings.first().map(|f| f.id), Some("content-type"));
    assert!(findings.windows(2).all(|w| w[0].severity <= w[1].severity));
    let report = diagnostics.report();
    assert!(
        report.contains("[error] content-type: response rejected"),
        "{report}"
    );
    assert!(report.contains("[warning] retry-small"), "{report}");
    assert!(report.contains("  why: "), "{report}");
    assert!(report.contains("  fix: "), "{report}");
    assert!(report.contains("Checked: 1 response"), "{report}");
}

#[test]
fn server_text_in_titles_cannot_reach_the_terminal_raw() {
    let mut diagnostics = Diagnostics::new();
    let event = Event {
        event: "\u{1b}]0;pwned\u{7}".into(),
        data: "\u{1b}[2J not json".into(),
        id: "".into(),
        sets_id: false,
        retry_ms: None,
        raw: 0..10,
    };
    let json = Event {
        data: "{}".into(),
        ..event.clone()
    };
    let mut items: Vec<StreamItem> = (1..=4)
        .map(|seq| StreamItem::Event {
            seq,
            event: json.clone(),
        })
        .collect();
    items.push(StreamItem::Event { seq: 5, event });
    diagnostics.observe(&data_msg(0, b"x", items), Instant::now());
    let report = diagnostics.report();
    assert!(report.contains("json-mixed"), "{report}");
    assert!(!report.contains('\u{1b}'), "{report:?}");
}

#[test]
fn inconsistent_messages_and_instants_never_panic() {
    let mut diagnostics = Diagnostics::new();
    let t0 = Instant::now();
    let weird = Event {
        event: "".into(),
        data: "é".repeat(50).into(),
        id: "7".into(),
        sets_id: true,
        retry_ms: Some(u64::MAX),
        // A raw range outside the chunk, and backwards.
        raw: std::ops::Range {
            start: u64::MAX - 1,
            end: 3,
        },
    };
    let msgs = [
        data_msg(u64::MAX - 2, b"\xF0\x9F", vec![]),
        data_msg(
            5,
            b"\r",
            vec![StreamItem::Event {
                seq: 1,
                event: weird.clone(),
            }],
        ),
        data_msg(
            0,
            b"",
            vec![StreamItem::Event {
                seq: 2,
                event: weird,
            }],
        ),
    ];
    for (i, msg) in msgs.iter().enumerate() {
        // Instants going backwards as well as forwards.
        let now = if i % 2 == 0 {
            t0 + Duration::from_secs(100)
        } else {
            t0
        };
        diagnostics.observe(msg, now);
        let _ = diagnostics.findings_at(t0);
    }
    assert!(ids(&diagnostics).contains(&"retry-large"));
    assert!(!diagnostics.report().is_empty());
}

fn data_msg(offset: u64, bytes: &'static [u8], items: Vec<StreamItem>) -> ConnMsg {
    ConnMsg::Data(Chunk {
        attempt: 1,
        offset,
        bytes: Bytes::from_static(bytes),
        received_at: SystemTime::now(),
        items,
        facts: None,
    })
}
