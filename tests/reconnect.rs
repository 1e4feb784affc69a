//! Reconnection as the WHATWG "Server-sent events" section describes it, plus
//! the engine's policies, back-off, retried statuses, the handle's controls and
//! redirects. Every test talks to a real loopback server (`support::TestServer`
//! or the built-in demo server); every wait is bounded by the helpers' timeout
//! and nothing sleeps to synchronise.

mod support;

use std::time::{Duration, Instant};

use reqwest::Method;
use ssetui::sse::backoff::MIN_RETRY_DELAY;
use ssetui::sse::request::ReconnectPolicy;
use ssetui::sse::{Auth, CloseReason, ConnError, ConnMsg, ErrorKind, ResponseInfo, SentRequest};
use support::*;

/// A URL on a loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}/stream")
}

fn is_scheduled(msg: &ConnMsg) -> bool {
    matches!(msg, ConnMsg::ReconnectScheduled { .. })
}

/// `(next_attempt, delay, last_event_id)` of each `ReconnectScheduled`.
fn scheduled(msgs: &[ConnMsg]) -> Vec<(u32, Duration, String)> {
    pick(msgs, |m| match m {
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => Some((*next_attempt, *delay, last_event_id.clone())),
        _ => None,
    })
}

fn requests_sent(msgs: &[ConnMsg]) -> Vec<SentRequest> {
    pick(msgs, |m| match m {
        ConnMsg::Connecting { request, .. } => Some(request.clone()),
        _ => None,
    })
}

fn opened(msgs: &[ConnMsg]) -> Vec<ResponseInfo> {
    pick(msgs, |m| match m {
        ConnMsg::Opened { response, .. } => Some(response.clone()),
        _ => None,
    })
}

fn failed(msgs: &[ConnMsg]) -> ConnError {
    match close_reason(msgs) {
        CloseReason::Failed(err) => err,
        other => panic!("expected Closed {{ Failed }}, got {other:?}"),
    }
}

// ---- Last-Event-ID ----------------------------------------------------------

#[tokio::test]
async fn reconnect_sends_the_last_event_id_of_the_last_event() {
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("id: 1\ndata: a\n\nid: 7\ndata: b\n\n"),
            Step::Close,
        ],
        vec![sse_head(), write("data: c\n\n"), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));

    let msgs = until(&mut rx, |m| has_event(m, "c")).await;
    let first = server.next_request().await;
    assert_eq!(
        first.header("last-event-id"),
        None,
        "the first attempt sends none"
    );
    let second = server.next_request().await;
    assert_eq!(second.header("last-event-id"), Some("7"));

    assert_eq!(scheduled(&msgs), [(2, FAST, "7".to_owned())]);
    let sent = requests_sent(&msgs);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].last_event_id, None);
    assert_eq!(sent[1].last_event_id.as_deref(), Some("7"));
    assert!(
        sent[1]
            .headers
            .contains(&("Last-Event-ID".to_owned(), "7".to_owned()))
    );
    // The last event ID stays in force on the new connection.
    assert_eq!(
        triples(&msgs),
        [
            ("message".into(), "a".into(), "1".into()),
            ("message".into(), "b".into(), "7".into()),
            ("message".into(), "c".into(), "7".into()),
        ]
    );
    handle.stop();
}

#[tokio::test]
async fn an_id_only_block_sets_the_id_sent_on_reconnect() {
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("id: 1\ndata: a\n\nid: 42\n\n"),
            Step::Close,
        ],
        vec![sse_head(), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));

    let msgs = until(&mut rx, |m| {
        matches!(m, ConnMsg::Connecting { attempt: 2, .. })
    })
    .await;
    assert_eq!(scheduled(&msgs)[0].2, "42");
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("42")
    );
    handle.stop();
}

#[tokio::test]
async fn an_id_in_an_incomplete_final_block_is_not_sent() {
    // "If the file ends in the middle of an event, before the final empty line,
    // the incomplete event is not dispatched": its id never becomes the last event ID.
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("id: 1\ndata: a\n\nid: 99\ndata: lost\n"),
            Step::Close,
        ],
        vec![sse_head(), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));

    let msgs = until(&mut rx, is_scheduled).await;
    assert!(
        msgs.iter().any(|m| matches!(
            m,
            ConnMsg::StreamEnded {
                discarded: Some(_),
                ..
            }
        )),
        "the incomplete block is reported as discarded: {msgs:?}"
    );
    assert_eq!(scheduled(&msgs)[0].2, "1");
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("1")
    );
    handle.stop();
}

// ---- retry: -----------------------------------------------------------------

#[tokio::test]
async fn server_retry_sets_the_reconnection_delay_and_it_is_waited() {
    let retry = Duration::from_millis(150);
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("retry: 150\ndata: a\n\n"),
            Step::Gate,
            Step::Close,
        ],
        vec![sse_head(), Step::Hold],
    ])
    .await;
    // The default 3 s reconnection time applies unless the server's retry: wins.
    let (handle, mut rx) = connect(server.spec("/stream"));

    until(&mut rx, |m| has_event(m, "a")).await;
    server.next_request().await;
    // Nothing can reach the server again before the stream ends, which the gate holds back.
    let ended_at = Instant::now();
    server.release();
    let msgs = until(&mut rx, is_scheduled).await;
    assert_eq!(scheduled(&msgs), [(2, retry, String::new())]);
    server.next_request().await;
    let waited = ended_at.elapsed();
    assert!(
        waited >= retry,
        "reconnected after {waited:?}, before the {retry:?} retry"
    );
    handle.stop();
}

// ---- status and Content-Type ------------------------------------------------

#[tokio::test]
async fn no_content_stops_reconnecting() {
    let mut server = TestServer::always(vec![head(204, "text/plain", &[]), Step::Close]).await;
    let (_handle, mut rx) = connect(fast_spec(&server, "/stream"));

    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::NoContent);
    assert!(scheduled(&msgs).is_empty(), "{msgs:?}");
    server.next_request().await;
    // The task has finished, so no other connection can follow.
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn bad_status_or_content_type_fails_with_a_clear_error_and_no_retry() {
    let cases = [
        (
            head(500, "text/plain", &[]),
            "internal failure: database unreachable",
            ErrorKind::Status,
            "500",
        ),
        (
            head(404, "text/html", &[]),
            "<h1>no such stream</h1>",
            ErrorKind::Status,
            "404",
        ),
        (
            head(200, "application/json", &[]),
            "{\"error\":\"use the stream endpoint\"}",
            ErrorKind::ContentType,
            "application/json",
        ),
    ];
    for (head_step, body, kind, named) in cases {
        let mut server = TestServer::always(vec![head_step, write(body), Step::Close]).await;
        let (_handle, mut rx) = connect(fast_spec(&server, "/stream"));

        let msgs = until_closed(&mut rx).await;
        let err = failed(&msgs);
        assert_eq!(err.kind, kind, "{err}");
        assert!(err.message.contains(named), "{named} not named in: {err}");
        assert!(
            err.message.contains(body),
            "the body start is not quoted in: {err}"
        );
        assert!(err.message.contains(&server.url("/stream")), "{err}");
        assert!(!err.message.contains('\n'), "one line: {err:?}");
        assert!(scheduled(&msgs).is_empty(), "{msgs:?}");
        assert_eq!(requests_sent(&msgs).len(), 1);
        server.next_request().await;
        assert_eq!(server.connections(), 1, "{named}: exactly one connection");
    }
}

#[tokio::test]
async fn event_stream_with_a_charset_parameter_is_accepted() {
    let server = TestServer::always(vec![
        head(200, "text/event-stream; charset=utf-8", &[]),
        write("data: héllo\n\n"),
        Step::Hold,
    ])
    .await;
    let (handle, mut rx) = connect(server.spec("/stream"));

    let msgs = until(&mut rx, |m| has_event(m, "héllo")).await;
    assert_eq!(opened(&msgs)[0].status, 200);
    assert!(errors(&msgs).is_empty());
    handle.stop();
}

// ---- reconnect policies ------------------------------------------------------

#[tokio::test]
async fn policy_always_reconnects_after_a_clean_end() {
    let mut server = TestServer::start(vec![
        vec![sse_head(), write("data: one\n\n"), Step::Close],
        vec![sse_head(), write("data: two\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.reconnect = ReconnectPolicy::Always;
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    assert!(
        msgs.iter()
            .any(|m| matches!(m, ConnMsg::StreamEnded { attempt: 1, .. }))
    );
    assert_eq!(scheduled(&msgs).len(), 1);
    server.next_request().await;
    server.next_request().await;
    handle.stop();
}

#[tokio::test]
async fn policy_on_error_does_not_reconnect_after_a_clean_end() {
    let mut server =
        TestServer::always(vec![sse_head(), write("data: one\n\n"), Step::Close]).await;
    let mut spec = fast_spec(&server, "/stream");
    spec.reconnect = ReconnectPolicy::OnError;
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
    assert_eq!(triples(&msgs).len(), 1);
    assert!(scheduled(&msgs).is_empty());
    server.next_request().await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn policy_on_error_reconnects_after_a_network_error() {
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("id: 3\ndata: one\n\n"),
            Step::Gate,
            Step::Reset,
        ],
        vec![sse_head(), write("data: two\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.reconnect = ReconnectPolicy::OnError;
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "one")).await;
    server.release();
    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 1, "{msgs:?}");
    assert_eq!(errs[0].kind, ErrorKind::Network, "{}", errs[0]);
    assert_eq!(scheduled(&msgs), [(2, FAST, "3".to_owned())]);
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("3")
    );
    handle.stop();
}

#[tokio::test]
async fn policy_never_reconnects_neither_after_a_clean_end_nor_after_a_network_error() {
    let mut server =
        TestServer::always(vec![sse_head(), write("data: one\n\n"), Step::Close]).await;
    let mut spec = fast_spec(&server, "/stream");
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
    server.next_request().await;
    assert_eq!(server.connections(), 1);

    let mut server = TestServer::always(vec![
        sse_head(),
        write("data: one\n\n"),
        Step::Gate,
        Step::Reset,
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    until(&mut rx, |m| has_event(m, "one")).await;
    server.release();
    let msgs = until_closed(&mut rx).await;
    assert_eq!(failed(&msgs).kind, ErrorKind::Network);
    assert!(scheduled(&msgs).is_empty());
    server.next_request().await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn a_post_is_not_re_sent_by_default_even_after_a_network_error() {
    let mut server = TestServer::always(vec![
        sse_head(),
        write("data: one\n\n"),
        Step::Gate,
        Step::Reset,
    ])
    .await;
    let mut spec =
        ssetui::sse::RequestSpec::new(Method::POST, server.url("/chat").parse().unwrap());
    spec.body = Some(b"{\"prompt\":\"hi\"}".to_vec());
    spec.retry.initial_delay = FAST;
    assert_eq!(spec.reconnect, ReconnectPolicy::Never);
    let (_handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "one")).await;
    server.release();
    let msgs = until_closed(&mut rx).await;
    assert_eq!(failed(&msgs).kind, ErrorKind::Network);
    assert!(scheduled(&msgs).is_empty());
    let request = server.next_request().await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.body, b"{\"prompt\":\"hi\"}");
    assert_eq!(server.connections(), 1);
}

// ---- idle timeout -------------------------------------------------------------

#[tokio::test]
async fn idle_timeout_is_a_network_error_that_reconnects() {
    let mut server = TestServer::start(vec![
        vec![sse_head(), write("id: 1\ndata: one\n\n"), Step::Hold],
        vec![sse_head(), write("data: two\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.idle_timeout = Some(Duration::from_millis(200));
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 1, "{msgs:?}");
    assert_eq!(errs[0].kind, ErrorKind::IdleTimeout);
    assert!(errs[0].message.contains("idle"), "{}", errs[0]);
    assert_eq!(scheduled(&msgs), [(2, FAST, "1".to_owned())]);
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("1")
    );
    handle.stop();
}

// ---- back-off and max_retries --------------------------------------------------

#[tokio::test]
async fn consecutive_connect_failures_grow_the_delay_until_retries_are_exhausted() {
    let mut spec = ssetui::sse::RequestSpec::get(closed_port_url().parse().unwrap());
    spec.retry.initial_delay = FAST;
    spec.retry.max_delay = Duration::from_secs(10);
    spec.retry.max_retries = Some(3);
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    let delays: Vec<Duration> = scheduled(&msgs).into_iter().map(|(_, d, _)| d).collect();
    assert_eq!(delays.len(), 3, "{msgs:?}");
    assert_eq!(
        delays[0], FAST,
        "the first retry waits the reconnection time"
    );
    for (n, pair) in delays.windows(2).enumerate() {
        assert!(pair[1] > pair[0], "delays do not grow: {delays:?}");
        // Each failure doubles the delay; jitter only ever lengthens it.
        assert!(pair[1] >= FAST * 2u32.pow(n as u32 + 1), "{delays:?}");
    }
    assert_eq!(requests_sent(&msgs).len(), 4);
    assert!(
        errors(&msgs).iter().all(|e| e.kind == ErrorKind::Connect),
        "{msgs:?}"
    );
    match close_reason(&msgs) {
        CloseReason::RetriesExhausted { attempts, last } => {
            assert_eq!(attempts, 4);
            assert_eq!(last.kind, ErrorKind::Connect);
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
}

#[tokio::test]
async fn a_successful_open_resets_the_back_off() {
    let unavailable = || vec![head(503, "text/plain", &[]), write("busy"), Step::Close];
    let mut server = TestServer::start(vec![
        unavailable(),
        unavailable(),
        vec![sse_head(), write("data: ok\n\n"), Step::Close],
        unavailable(),
        unavailable(),
        unavailable(),
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.retry.max_retries = Some(2);
    spec.retry.retry_statuses = vec![503];
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs).len(), 1);
    let delays: Vec<Duration> = scheduled(&msgs).into_iter().map(|(_, d, _)| d).collect();
    assert_eq!(delays.len(), 5, "{msgs:?}");
    assert_eq!(delays[0], FAST);
    assert!(delays[1] >= FAST * 2, "{delays:?}");
    assert_eq!(
        delays[2], FAST,
        "after the open, the delay is the reconnection time again"
    );
    assert_eq!(
        delays[3], FAST,
        "and the next failure counts as the first: {delays:?}"
    );
    assert!(delays[4] >= FAST * 2, "{delays:?}");
    match close_reason(&msgs) {
        // Without the reset, the failure count would pass 2 at attempt 4.
        CloseReason::RetriesExhausted { attempts, last } => {
            assert_eq!(attempts, 6);
            assert_eq!(last.status, Some(503));
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
    for _ in 0..6 {
        server.next_request().await;
    }
    assert_eq!(server.connections(), 6);
}

// ---- retry-status ---------------------------------------------------------------

#[tokio::test]
async fn a_listed_status_is_retried_honouring_retry_after() {
    let mut server = TestServer::start(vec![
        vec![
            head(429, "text/plain", &[("Retry-After", "0")]),
            write("slow down"),
            Step::Close,
        ],
        vec![sse_head(), write("data: ok\n\n"), Step::Hold],
    ])
    .await;
    // The 3 s default reconnection time would apply if Retry-After were ignored.
    let mut spec = server.spec("/stream");
    spec.retry.retry_statuses = vec![429, 503];
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "ok")).await;
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].status, Some(429));
    assert_eq!(errs[0].retry_after, Some(Duration::ZERO));
    assert_eq!(scheduled(&msgs), [(2, MIN_RETRY_DELAY, String::new())]);
    server.next_request().await;
    server.next_request().await;
    handle.stop();
}

#[tokio::test]
async fn an_unlisted_status_fails_even_with_retry_after() {
    let mut server = TestServer::always(vec![
        head(429, "text/plain", &[("Retry-After", "0")]),
        write("slow down"),
        Step::Close,
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.retry.retry_statuses = vec![503];
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    let err = failed(&msgs);
    assert_eq!((err.kind, err.status), (ErrorKind::Status, Some(429)));
    assert!(
        err.message.contains("429") && err.message.contains("slow down"),
        "{err}"
    );
    assert!(scheduled(&msgs).is_empty());
    server.next_request().await;
    assert_eq!(server.connections(), 1);
}

// ---- the handle -------------------------------------------------------------------

#[tokio::test]
async fn resume_from_reconnects_at_once_with_the_given_id() {
    let mut server =
        TestServer::always(vec![sse_head(), write("id: 9\ndata: a\n\n"), Step::Hold]).await;
    // A 3 s reconnection time: "at once" must not wait for it.
    let (handle, mut rx) = connect(server.spec("/stream"));

    until(&mut rx, |m| has_event(m, "a")).await;
    let started = Instant::now();
    handle.resume_from("5");
    let msgs = until(&mut rx, |m| {
        matches!(m, ConnMsg::Connecting { attempt: 2, .. })
    })
    .await;
    assert!(scheduled(&msgs).is_empty(), "no waiting: {msgs:?}");
    assert_eq!(requests_sent(&msgs)[0].last_event_id.as_deref(), Some("5"));
    assert_eq!(server.next_request().await.header("last-event-id"), None);
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("5")
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    handle.stop();
}

#[tokio::test]
async fn stop_closes_with_stopped() {
    let server = TestServer::always(vec![sse_head(), write("data: a\n\n"), Step::Hold]).await;
    let (handle, mut rx) = connect(server.spec("/stream"));

    until(&mut rx, |m| has_event(m, "a")).await;
    handle.stop();
    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::Stopped);
    let end = tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("the task ends");
    assert!(end.is_none(), "nothing follows Closed: {end:?}");
}

#[tokio::test]
async fn stop_during_the_reconnect_wait_closes_with_stopped() {
    let server = TestServer::always(vec![sse_head(), write("data: a\n\n"), Step::Close]).await;
    let mut spec = server.spec("/stream");
    spec.retry.initial_delay = Duration::from_secs(60);
    let (handle, mut rx) = connect(spec);

    until(&mut rx, is_scheduled).await;
    handle.stop();
    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::Stopped);
}

#[tokio::test]
async fn dropping_the_handle_ends_the_task() {
    let server = TestServer::always(vec![sse_head(), write("data: a\n\n"), Step::Hold]).await;
    let (handle, mut rx) = connect(server.spec("/stream"));

    until(&mut rx, |m| has_event(m, "a")).await;
    drop(handle);
    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::Stopped);
    let end = tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("the task ends");
    assert!(
        end.is_none(),
        "the sender is gone once the task ends: {end:?}"
    );
}

// ---- redirects ------------------------------------------------------------------------

#[tokio::test]
async fn a_redirect_is_followed_and_reported() {
    let mut server = TestServer::start(vec![
        vec![
            head(302, "text/plain", &[("Location", "/b?x=1")]),
            Step::Close,
        ],
        vec![sse_head(), write("data: moved\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = server.spec("/a");
    spec.auth = Auth::Bearer("same-origin-token".into());
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "moved")).await;
    let response = &opened(&msgs)[0];
    assert_eq!(response.redirects.len(), 1);
    let hop = &response.redirects[0];
    assert_eq!(hop.status, 302);
    assert_eq!(hop.from, server.url("/a"));
    assert_eq!(hop.to, server.url("/b?x=1"));
    assert_eq!(hop.method, "GET");
    assert_eq!(response.final_url, server.url("/b?x=1"));

    let first = server.next_request().await;
    assert_eq!(first.target, "/a");
    let second = server.next_request().await;
    assert_eq!(
        (second.method.as_str(), second.target.as_str()),
        ("GET", "/b?x=1")
    );
    assert_eq!(
        second.header("authorization"),
        Some("Bearer same-origin-token"),
        "same origin keeps credentials"
    );
    assert_eq!(second.header("accept"), Some("text/event-stream"));
    handle.stop();
}

#[tokio::test]
async fn a_301_302_or_303_turns_a_post_into_a_get_without_body() {
    for status in [301, 302, 303] {
        let mut server = TestServer::start(vec![
            vec![
                head(status, "text/plain", &[("Location", "/result")]),
                Step::Close,
            ],
            vec![sse_head(), write("data: done\n\n"), Step::Close],
        ])
        .await;
        let mut spec =
            ssetui::sse::RequestSpec::new(Method::POST, server.url("/submit").parse().unwrap());
        spec.headers
            .push(("Content-Type".into(), "application/json".into()));
        spec.body = Some(b"{\"q\":1}".to_vec());
        let (_handle, mut rx) = connect(spec);

        let msgs = until_closed(&mut rx).await;
        assert_eq!(close_reason(&msgs), CloseReason::Ended, "{status}");
        assert_eq!(opened(&msgs)[0].redirects[0].method, "GET", "{status}");
        let first = server.next_request().await;
        assert_eq!(
            (first.method.as_str(), &first.body[..]),
            ("POST", &b"{\"q\":1}"[..])
        );
        let second = server.next_request().await;
        assert_eq!(second.method, "GET", "{status}");
        assert_eq!(second.target, "/result");
        assert!(second.body.is_empty(), "{status}: {:?}", second.body);
        assert_eq!(second.header("content-type"), None, "{status}");
        assert!(
            second.header("content-length").is_none_or(|l| l == "0"),
            "{status}: {:?}",
            second.header("content-length")
        );
    }
}

#[tokio::test]
async fn a_307_keeps_the_method_and_body() {
    let mut server = TestServer::start(vec![
        vec![
            head(307, "text/plain", &[("Location", "/again")]),
            Step::Close,
        ],
        vec![sse_head(), write("data: done\n\n"), Step::Close],
    ])
    .await;
    let mut spec =
        ssetui::sse::RequestSpec::new(Method::POST, server.url("/submit").parse().unwrap());
    spec.body = Some(b"payload".to_vec());
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    assert_eq!(opened(&msgs)[0].redirects[0].method, "POST");
    server.next_request().await;
    let second = server.next_request().await;
    assert_eq!(
        (second.method.as_str(), &second.body[..]),
        ("POST", &b"payload"[..])
    );
}

#[tokio::test]
async fn a_redirect_loop_fails_with_a_redirect_error() {
    let mut server = TestServer::always(vec![
        head(302, "text/plain", &[("Location", "/loop")]),
        Step::Close,
    ])
    .await;
    let mut spec = fast_spec(&server, "/loop");
    spec.max_redirects = 3;
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    let err = failed(&msgs);
    assert_eq!(err.kind, ErrorKind::Redirect, "{err}");
    assert!(err.message.contains("redirect"), "{err}");
    assert!(
        scheduled(&msgs).is_empty(),
        "a redirect loop is not retried"
    );
    for _ in 0..4 {
        assert_eq!(server.next_request().await.target, "/loop");
    }
    assert_eq!(
        server.connections(),
        4,
        "the first request and 3 followed redirects"
    );
}

#[tokio::test]
async fn credentials_are_not_forwarded_to_another_origin() {
    let mut other =
        TestServer::always(vec![sse_head(), write("data: elsewhere\n\n"), Step::Hold]).await;
    let location = other.url("/landing");
    let mut origin = TestServer::always(vec![
        head(302, "text/plain", &[("Location", location.as_str())]),
        Step::Close,
    ])
    .await;
    let mut spec = origin.spec("/start");
    spec.auth = Auth::Bearer("origin-only-token".into());
    spec.headers.push(("Cookie".into(), "session=abc".into()));
    spec.headers.push(("X-Trace".into(), "t-1".into()));
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "elsewhere")).await;
    assert_eq!(opened(&msgs)[0].final_url, location);
    let first = origin.next_request().await;
    assert_eq!(
        first.header("authorization"),
        Some("Bearer origin-only-token")
    );
    let second = other.next_request().await;
    assert_eq!(second.target, "/landing");
    assert_eq!(second.header("authorization"), None);
    assert_eq!(second.header("cookie"), None);
    assert_eq!(
        second.header("x-trace"),
        Some("t-1"),
        "other headers still go"
    );
    handle.stop();
}

#[tokio::test]
async fn an_api_key_header_is_not_forwarded_to_another_origin() {
    let mut other =
        TestServer::always(vec![sse_head(), write("data: elsewhere\n\n"), Step::Hold]).await;
    let location = other.url("/landing");
    let mut origin = TestServer::always(vec![
        head(307, "text/plain", &[("Location", location.as_str())]),
        Step::Close,
    ])
    .await;
    let mut spec = origin.spec("/start");
    spec.auth = Auth::ApiKey {
        name: "X-API-Key".into(),
        value: "origin-only-key".into(),
        location: ssetui::sse::ApiKeyLocation::Header,
    };
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "elsewhere")).await;
    assert_eq!(
        origin.next_request().await.header("x-api-key"),
        Some("origin-only-key")
    );
    assert_eq!(other.next_request().await.header("x-api-key"), None);
    handle.stop();
}

// ---- the demo server's /flaky ------------------------------------------------------------

#[tokio::test]
async fn flaky_demo_resumes_across_drops_without_losing_or_repeating_events() {
    let demo = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = demo.url("/flaky?retry=50&interval_ms=5&every=3&count=10");
    demo.spawn();
    let (_handle, mut rx) = connect(ssetui::sse::RequestSpec::get(url.parse().unwrap()));

    let msgs = until_closed(&mut rx).await;
    let ids: Vec<String> = events(&msgs)
        .into_iter()
        .map(|e| e.id.to_string())
        .collect();
    let expected: Vec<String> = (1..=10).map(|n| n.to_string()).collect();
    assert_eq!(ids, expected, "{msgs:?}");
    for event in events(&msgs) {
        let data: serde_json::Value = serde_json::from_str(&event.data).unwrap();
        assert_eq!(event.id, data["n"].to_string());
    }
    // Drops after ids 3, 6 and 9, each resumed from the last id received.
    let resumed: Vec<Option<String>> = requests_sent(&msgs)
        .into_iter()
        .map(|r| r.last_event_id)
        .collect();
    assert_eq!(
        resumed,
        [
            None,
            Some("3".into()),
            Some("6".into()),
            Some("9".into()),
            Some("10".into())
        ]
    );
    assert!(
        errors(&msgs).iter().all(|e| e.kind == ErrorKind::Network),
        "{msgs:?}"
    );
    assert_eq!(errors(&msgs).len(), 3);
    assert!(
        scheduled(&msgs).iter().all(|(_, d, _)| *d == FAST),
        "retry=50 is honoured"
    );
    assert_eq!(close_reason(&msgs), CloseReason::NoContent);
}

#[tokio::test]
async fn restart_cuts_the_reconnect_wait_short_and_keeps_the_last_event_id() {
    let mut server =
        TestServer::always(vec![sse_head(), write("id: 4\ndata: a\n\n"), Step::Close]).await;
    let mut spec = server.spec("/stream");
    spec.retry.initial_delay = Duration::from_secs(60);
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, is_scheduled).await;
    assert_eq!(
        scheduled(&msgs),
        [(2, Duration::from_secs(60), "4".to_owned())]
    );
    handle.restart();
    let msgs = until(&mut rx, |m| {
        matches!(m, ConnMsg::Connecting { attempt: 2, .. })
    })
    .await;
    assert_eq!(requests_sent(&msgs)[0].last_event_id.as_deref(), Some("4"));
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("4")
    );
    handle.stop();
}

#[tokio::test]
async fn resume_from_an_empty_id_sends_no_last_event_id() {
    let mut server =
        TestServer::always(vec![sse_head(), write("id: 9\ndata: a\n\n"), Step::Hold]).await;
    let (handle, mut rx) = connect(server.spec("/stream"));

    until(&mut rx, |m| has_event(m, "a")).await;
    handle.resume_from("");
    let msgs = until(&mut rx, |m| {
        matches!(m, ConnMsg::Connecting { attempt: 2, .. })
    })
    .await;
    assert_eq!(requests_sent(&msgs)[0].last_event_id, None);
    server.next_request().await;
    assert_eq!(server.next_request().await.header("last-event-id"), None);
    handle.stop();
}

#[tokio::test]
async fn a_utf8_id_is_sent_as_utf8_and_an_id_no_header_can_carry_is_left_out() {
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write("id: caf\u{e9}-7\ndata: a\n\n"),
            Step::Close,
        ],
        vec![sse_head(), write("id: a\u{1}b\ndata: b\n\n"), Step::Close],
        vec![sse_head(), write("data: c\n\n"), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));
    let msgs = until(&mut rx, |m| has_event(m, "c")).await;
    let _first = server.next_request().await;
    let second = server.next_request().await;
    assert_eq!(second.header("last-event-id"), Some("caf\u{e9}-7"));
    // A control character: the reconnect goes on without the header instead
    // of the stream failing for good on what the server sent.
    let third = server.next_request().await;
    assert_eq!(third.header("last-event-id"), None);
    assert!(has_event(msgs.last().unwrap(), "c"), "the stream goes on");
    let sent = requests_sent(&msgs);
    assert_eq!(sent[1].last_event_id.as_deref(), Some("caf\u{e9}-7"));
    assert_eq!(
        sent[2].last_event_id, None,
        "the request shows what was sent"
    );
    drop(handle);
}
