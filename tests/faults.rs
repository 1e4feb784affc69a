//! Faults a real server or network produces, end to end on loopback: a reset
//! mid-event, a server restarted on the same port, a thousand reconnects, 204
//! and 5xx inside a reconnect series, a 5 MB line, invalid UTF-8 split across
//! reads, a stream of only comments, a server trickling one byte at a time, a
//! server that never answers, and `print` ended by a signal.
//!
//! Faults already covered elsewhere: redirect loops (`reconnect.rs`), TLS to
//! a self-signed server or an unknown CA, and `--insecure` (`transport.rs`),
//! a first-attempt 5xx or wrong type (`reconnect.rs`), a byte-at-a-time
//! stream parsed like one write and invalid UTF-8 in one read
//! (`conformance.rs`).

mod support;

use std::time::Duration;

use ssetui::sse::backoff::MIN_RETRY_DELAY;
use ssetui::sse::{CloseReason, ConnMsg, ErrorKind, StreamItem};
use support::*;
use tokio::sync::mpsc;

/// `(next_attempt, last_event_id)` of each `ReconnectScheduled`.
fn scheduled(msgs: &[ConnMsg]) -> Vec<(u32, String)> {
    pick(msgs, |m| match m {
        ConnMsg::ReconnectScheduled {
            next_attempt,
            last_event_id,
            ..
        } => Some((*next_attempt, last_event_id.clone())),
        _ => None,
    })
}

/// Body bytes the messages carried, in order.
fn body_bytes(msgs: &[ConnMsg]) -> Vec<u8> {
    msgs.iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(&chunk.bytes[..]),
            _ => None,
        })
        .flatten()
        .copied()
        .collect()
}

/// Messages until the body bytes received add up to `len`.
async fn until_body_len(rx: &mut mpsc::Receiver<ConnMsg>, len: usize) -> Vec<ConnMsg> {
    let mut all = Vec::new();
    let mut received = 0;
    while received < len {
        let msg = next_msg(rx).await;
        if let ConnMsg::Data(chunk) = &msg {
            received += chunk.bytes.len();
        }
        all.push(msg);
    }
    assert_eq!(received, len, "more bytes than written: {all:?}");
    all
}

// ---- a connection reset mid-event ------------------------------------------

#[tokio::test]
async fn a_reset_mid_event_discards_the_partial_event_and_resumes_from_the_last_complete_id() {
    let first = "id: 1\ndata: one\n\nid: 2\ndata: half of tw";
    let mut server = TestServer::start(vec![
        vec![sse_head(), write(first), Step::Gate, Step::Reset],
        vec![sse_head(), write("id: 3\ndata: three\n\n"), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));

    // Every byte of the partial event has arrived before the reset.
    let mut msgs = until_body_len(&mut rx, first.len()).await;
    assert_eq!(body_bytes(&msgs), first.as_bytes());
    server.release();
    msgs.extend(until(&mut rx, |m| has_event(m, "three")).await);

    assert_eq!(
        triples(&msgs),
        [t("message", "one", "1"), t("message", "three", "3")],
        "the half event is never dispatched, nothing is invented"
    );
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 1, "{msgs:?}");
    assert_eq!(errs[0].kind, ErrorKind::Network, "{}", errs[0]);
    assert!(
        !msgs
            .iter()
            .any(|m| matches!(m, ConnMsg::StreamEnded { .. })),
        "a reset is not a clean end"
    );
    // The id of the partial block (2) never became the last event ID.
    assert_eq!(scheduled(&msgs), [(2, "1".to_owned())]);
    assert_eq!(server.next_request().await.header("last-event-id"), None);
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("1")
    );
    handle.stop();
}

// ---- a server restarted on the same port ------------------------------------

#[tokio::test]
async fn a_server_restarted_on_the_same_port_is_reconnected_to() {
    let mut old = TestServer::always(vec![
        sse_head(),
        write("id: 41\ndata: before the restart\n\n"),
        Step::Hold,
    ])
    .await;
    let addr = old.addr;
    let (handle, mut rx) = connect(fast_spec(&old, "/stream"));
    let mut msgs = until(&mut rx, |m| has_event(m, "before the restart")).await;
    old.next_request().await;

    // The server goes away: its connection closes, then its port refuses.
    old.stop().await;
    msgs.extend(
        until(
            &mut rx,
            |m| matches!(m, ConnMsg::Error { error, .. } if error.kind == ErrorKind::Connect),
        )
        .await,
    );

    let mut new = TestServer::start_at(
        addr,
        vec![vec![
            sse_head(),
            write("id: 42\ndata: after the restart\n\n"),
            Step::Hold,
        ]],
    )
    .await;
    msgs.extend(until(&mut rx, |m| has_event(m, "after the restart")).await);

    assert_eq!(
        new.next_request().await.header("last-event-id"),
        Some("41"),
        "the new server is asked to resume"
    );
    assert_eq!(
        triples(&msgs),
        [
            t("message", "before the restart", "41"),
            t("message", "after the restart", "42"),
        ]
    );
    let opened = pick(&msgs, |m| match m {
        ConnMsg::Opened { attempt, .. } => Some(*attempt),
        _ => None,
    });
    assert_eq!(opened.len(), 2, "one open per server: {msgs:?}");
    assert!(
        errors(&msgs).iter().all(|e| e.kind.is_network()),
        "only retryable errors while the port was closed: {:?}",
        errors(&msgs)
    );
    handle.stop();
}

// ---- a thousand reconnects ------------------------------------------------------

/// Resident set size of this process, from /proc (Linux), in bytes.
fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// Open file descriptors of this process (Linux): a leaked socket shows here.
fn open_fds() -> Option<usize> {
    Some(std::fs::read_dir("/proc/self/fd").ok()?.count())
}

#[test]
fn a_thousand_reconnects_with_retry_1_keep_counts_exact_and_memory_flat() {
    // Alone in a process of its own: other tests' allocations would move RSS.
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "thousand_reconnects_alone",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    cmd.stdout(std::process::Stdio::piped());
    cmd.stderr(std::process::Stdio::piped());
    let out = output_within(cmd, Duration::from_secs(120));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}\n{stderr}");
}

#[tokio::test]
#[ignore = "run alone in a child process by a_thousand_reconnects_with_retry_1_keep_counts_exact_and_memory_flat"]
async fn thousand_reconnects_alone() {
    const RECONNECTS: u32 = 1000;
    // Reconnects that wait the server's delay in full; after them each wait is
    // cut short with `restart()` (sent once the attempt has ended, so it can
    // only end the wait), and the test takes seconds rather than a minute.
    const WAITED: u32 = 40;
    let mut server = TestServer::always(vec![
        sse_head(),
        write("retry: 1\n\n"),
        write("id: next\ndata: x\n\n"),
        Step::Close,
    ])
    .await;
    let (handle, mut rx) = connect(server.spec("/stream"));
    let mut events = 0u64;
    let mut after_100 = None;
    for n in 1..=RECONNECTS {
        let mut msgs = until(&mut rx, |m| matches!(m, ConnMsg::StreamEnded { .. })).await;
        if n > WAITED {
            handle.restart();
        }
        msgs.extend(until(&mut rx, |m| matches!(m, ConnMsg::ReconnectScheduled { .. })).await);
        for msg in &msgs {
            match msg {
                ConnMsg::Data(chunk) => {
                    for item in &chunk.items {
                        if let StreamItem::Event { seq, event } = item {
                            events += 1;
                            assert_eq!(*seq, events, "events numbered without gaps");
                            assert_eq!(event.data, "x");
                        }
                    }
                }
                ConnMsg::Connecting { attempt, .. } | ConnMsg::Opened { attempt, .. } => {
                    assert_eq!(*attempt, n, "attempts counted one by one");
                }
                ConnMsg::StreamEnded {
                    attempt, discarded, ..
                } => {
                    assert_eq!((*attempt, discarded), (n, &None));
                }
                ConnMsg::ReconnectScheduled {
                    next_attempt,
                    delay,
                    last_event_id,
                } => {
                    assert_eq!(*next_attempt, n + 1);
                    assert_eq!(*delay, MIN_RETRY_DELAY, "retry: 1, at the engine's floor");
                    assert_eq!(last_event_id, "next");
                }
                ConnMsg::Error { error, .. } => panic!("attempt {n} failed: {error}"),
                ConnMsg::AuthNotice { text, .. } => panic!("no credential source, yet {text}"),
                ConnMsg::Negotiated { negotiation, .. } => {
                    panic!("a plain SSE connection negotiates nothing: {negotiation:?}")
                }
                ConnMsg::Closed { reason } => panic!("closed at attempt {n}: {reason:?}"),
            }
        }
        assert_eq!(events, u64::from(n), "one event per connection");
        let request = server.next_request().await;
        let expected = (n > 1).then_some("next");
        assert_eq!(request.header("last-event-id"), expected, "attempt {n}");
        if n == 100 {
            after_100 = Some((rss_bytes(), open_fds()));
        }
    }
    handle.stop();
    let (rss_100, fds_100) = after_100.unwrap();
    let (rss_1000, fds_1000) = (rss_bytes(), open_fds());
    eprintln!(
        "after 100 reconnects: RSS {rss_100:?} fds {fds_100:?}; after 1000: RSS {rss_1000:?} fds {fds_1000:?}"
    );
    if let (Some(before), Some(after)) = (fds_100, fds_1000) {
        // The connection of the moment, opening or closing, may differ by one.
        assert!(
            after <= before + 2,
            "open fds grew from {before} to {after}"
        );
    }
    if let (Some(before), Some(after)) = (rss_100, rss_1000) {
        // A leak of even 8 KiB per connection would add 7 MB over 900 reconnects.
        assert!(
            after <= before + 4 * 1024 * 1024,
            "RSS grew from {before} to {after} bytes over 900 reconnects"
        );
    }
}

// ---- 204 and 5xx during a reconnect series ------------------------------------

#[tokio::test]
async fn a_retried_5xx_then_204_inside_a_reconnect_series_keeps_the_id_and_stops() {
    let unavailable = || {
        vec![
            head(503, "text/plain", &[("Retry-After", "0")]),
            write("overloaded"),
            Step::Close,
        ]
    };
    let mut server = TestServer::start(vec![
        vec![sse_head(), write("id: 1\ndata: a\n\n"), Step::Close],
        unavailable(),
        vec![sse_head(), write("id: 2\ndata: b\n\n"), Step::Close],
        unavailable(),
        vec![head(204, "text/plain", &[]), Step::Close],
        vec![sse_head(), write("data: never\n\n"), Step::Close],
    ])
    .await;
    let mut spec = fast_spec(&server, "/stream");
    spec.retry.retry_statuses = vec![503];
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    assert_eq!(close_reason(&msgs), CloseReason::NoContent);
    assert_eq!(
        triples(&msgs),
        [t("message", "a", "1"), t("message", "b", "2")]
    );
    let statuses: Vec<Option<u16>> = errors(&msgs).iter().map(|e| e.status).collect();
    assert_eq!(statuses, [Some(503), Some(503)]);
    let ids: Vec<Option<String>> = {
        let mut ids = Vec::new();
        for _ in 0..5 {
            let request = server.next_request().await;
            ids.push(request.header("last-event-id").map(str::to_owned));
        }
        ids
    };
    assert_eq!(
        ids,
        [
            None,
            Some("1".into()),
            Some("1".into()),
            Some("2".into()),
            Some("2".into())
        ],
        "the id survives the failed attempts"
    );
    assert_eq!(server.connections(), 5, "nothing after the 204");
}

#[tokio::test]
async fn an_unlisted_5xx_after_a_reconnect_fails_with_its_status_and_body() {
    let server = TestServer::start(vec![
        vec![sse_head(), write("id: 1\ndata: a\n\n"), Step::Close],
        vec![
            head(500, "text/plain", &[]),
            write("database unreachable"),
            Step::Close,
        ],
    ])
    .await;
    let (_handle, mut rx) = connect(fast_spec(&server, "/stream"));
    let msgs = until_closed(&mut rx).await;
    assert_eq!(triples(&msgs), [t("message", "a", "1")]);
    match close_reason(&msgs) {
        CloseReason::Failed(err) => {
            assert_eq!(err.kind, ErrorKind::Status);
            assert_eq!(err.status, Some(500));
            assert!(err.message.contains("database unreachable"), "{err}");
        }
        other => panic!("expected Failed, got {other:?}"),
    }
    assert_eq!(
        scheduled(&msgs).len(),
        1,
        "only the reconnect after the clean end"
    );
}

// ---- a 5 MB single line ----------------------------------------------------------

const FIVE_MB: usize = 5 * 1024 * 1024;

fn five_mb_event() -> Vec<u8> {
    let mut body = b"data: ".to_vec();
    body.extend(std::iter::repeat_n(b'x', FIVE_MB));
    body.extend_from_slice(b"\n\ndata: after\n\n");
    body
}

#[tokio::test]
async fn a_5_mb_single_line_is_one_event_under_the_default_limit() {
    let server = TestServer::always(vec![sse_head(), write(five_mb_event()), Step::Close]).await;
    let mut spec = server.spec("/big");
    spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let events = events(&msgs);
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].data.len(), FIVE_MB);
    assert!(events[0].data.bytes().all(|b| b == b'x'));
    assert_eq!(events[1].data, "after");
    assert!(
        pick(&msgs, |m| matches!(m, ConnMsg::Data(_)).then_some(())).len() > 1,
        "the line spanned many reads"
    );
    assert_eq!(close_reason(&msgs), CloseReason::Ended);
}

#[tokio::test]
async fn a_5_mb_line_over_a_configured_limit_fails_with_a_clear_error() {
    let server = TestServer::always(vec![sse_head(), write(five_mb_event()), Step::Hold]).await;
    let mut spec = fast_spec(&server, "/big");
    spec.max_event_size = 1024 * 1024;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    assert!(
        events(&msgs).is_empty(),
        "nothing of the big line dispatched"
    );
    let received: usize = body_bytes(&msgs).len();
    assert!(
        received < FIVE_MB,
        "the engine stopped reading well before the end ({received} bytes)"
    );
    match close_reason(&msgs) {
        CloseReason::Failed(err) => {
            assert_eq!(err.kind, ErrorKind::EventTooLarge);
            assert!(
                err.message.contains("1048576-byte limit")
                    && err.message.contains("--max-event-size"),
                "{err}"
            );
        }
        other => panic!("expected Failed(EventTooLarge), got {other:?}"),
    }
    assert!(scheduled(&msgs).is_empty(), "not retried");
}

// ---- invalid UTF-8 ------------------------------------------------------------------

#[tokio::test]
async fn invalid_utf8_split_across_reads_is_replaced_and_the_stream_and_id_carry_on() {
    // A truncated euro sign ends one read and an invalid byte starts the next;
    // the id holds an invalid byte too, and is sent back (replaced) on reconnect.
    let mut server = TestServer::start(vec![
        vec![
            sse_head(),
            write(b"id: a\xFFb\ndata: \xE2\x82"),
            Step::Gate,
            write(b"\xFEz\n\ndata: \xE2\x82"),
            Step::Gate,
            write(b"\xAC\n\n"),
            Step::Close,
        ],
        vec![sse_head(), write("data: next\n\n"), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));
    let mut msgs = until(&mut rx, |m| matches!(m, ConnMsg::Data(_))).await;
    server.release();
    msgs.extend(until(&mut rx, |m| matches!(m, ConnMsg::Data(_))).await);
    server.release();
    msgs.extend(until(&mut rx, |m| has_event(m, "next")).await);
    assert_eq!(
        triples(&msgs),
        [
            t("message", "\u{FFFD}\u{FFFD}z", "a\u{FFFD}b"),
            t("message", "€", "a\u{FFFD}b"),
            t("message", "next", "a\u{FFFD}b"),
        ]
    );
    server.next_request().await;
    assert_eq!(
        server.next_request().await.header("last-event-id"),
        Some("a\u{FFFD}b")
    );
    handle.stop();
}

// ---- a stream of only comments -----------------------------------------------------

#[tokio::test]
async fn a_stream_of_only_comments_dispatches_nothing_and_reconnects_without_an_id() {
    let comments = ": keep-alive\n\n".repeat(200) + ":\n:another\r\n\r\n";
    let mut server = TestServer::start(vec![
        vec![sse_head(), write(&comments), Step::Close],
        vec![sse_head(), write(": still nothing\n\n"), Step::Hold],
    ])
    .await;
    let (handle, mut rx) = connect(fast_spec(&server, "/stream"));
    let msgs = until(&mut rx, |m| matches!(m, ConnMsg::Opened { attempt: 2, .. })).await;
    assert!(events(&msgs).is_empty());
    let blocks: Vec<_> = msgs
        .iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(chunk.items.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(blocks.len(), 201);
    assert!(blocks.iter().all(|item| matches!(
        item,
        StreamItem::Block(b) if b.id.is_none() && b.comment_lines >= 1
    )));
    assert!(msgs.iter().any(|m| matches!(
        m,
        ConnMsg::StreamEnded {
            discarded: None,
            ..
        }
    )));
    assert_eq!(scheduled(&msgs), [(2, String::new())]);
    server.next_request().await;
    assert_eq!(server.next_request().await.header("last-event-id"), None);
    handle.stop();
}

// ---- a server trickling one byte at a time ------------------------------------------

#[tokio::test]
async fn a_server_sending_one_byte_at_a_time_has_each_byte_and_event_delivered_as_it_arrives() {
    let input = b"data: hi\n\n: ping\n\nid: 7\ndata: there\r\n\r\n";
    let mut script = vec![sse_head()];
    for &byte in input {
        script.push(write([byte]));
        script.push(Step::Gate);
    }
    script.push(Step::Hold);
    let server = TestServer::always(script).await;
    let (handle, mut rx) = connect(server.spec("/slow"));
    // After each byte (the server then waits, as if for a second), the engine
    // has passed that byte on, and any event it completed, without waiting for more.
    let mut dispatched_at = Vec::new();
    for (i, &byte) in input.iter().enumerate() {
        let msgs = until(&mut rx, |m| matches!(m, ConnMsg::Data(_))).await;
        let chunk = match msgs.last() {
            Some(ConnMsg::Data(chunk)) => chunk.clone(),
            other => panic!("expected Data, got {other:?}"),
        };
        assert_eq!(&chunk.bytes[..], [byte], "byte {i}");
        assert_eq!(chunk.offset, i as u64);
        for item in &chunk.items {
            let what = match item {
                StreamItem::Event { event, .. } => event.data.to_string(),
                StreamItem::Block(block) => format!("block {:?}", block.comment),
            };
            dispatched_at.push((i, what));
        }
        server.release();
    }
    assert_eq!(
        dispatched_at,
        [
            (9, "hi".to_owned()),
            (17, "block Some(\"ping\")".to_owned()),
            // The CR of the blank line dispatches; its LF is not waited for.
            (37, "there".to_owned()),
        ]
    );
    handle.stop();
}

// ---- a server that never answers -------------------------------------------------------

#[tokio::test]
async fn a_server_that_accepts_and_never_answers_hits_the_connect_timeout() {
    let mut server = TestServer::always(vec![Step::Hold]).await;
    let mut spec = server.spec("/silent");
    spec.connect_timeout = Duration::from_millis(300);
    spec.retry.max_retries = Some(1);
    spec.retry.initial_delay = FAST;
    let started = std::time::Instant::now();
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let errs = errors(&msgs);
    assert_eq!(errs.len(), 2, "each attempt timed out: {msgs:?}");
    for err in &errs {
        assert_eq!(err.kind, ErrorKind::Connect, "{err}");
        assert!(
            err.message.contains("0.3s connect timeout") && err.message.contains("/silent"),
            "says what timed out, where and what to do: {err}"
        );
    }
    assert!(matches!(
        close_reason(&msgs),
        CloseReason::RetriesExhausted { attempts: 2, .. }
    ));
    assert!(started.elapsed() < Duration::from_secs(5));
    server.next_request().await;
}

// ---- print ended by a signal ---------------------------------------------------------------

#[cfg(unix)]
mod print_signals {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    /// Runs `ssetui print --record` against a stream that stays open, waits
    /// for its events on stdout, sends `signal`, and checks it ends at once
    /// with everything flushed: stdout's events and a complete capture.
    fn print_ends_cleanly_on(signal: &str, expected_status: i32) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(TestServer::always(vec![
            sse_head(),
            write("id: 1\ndata: first\n\nid: 2\ndata: second\n\n"),
            Step::Hold,
        ]));
        let dir = std::env::temp_dir().join(format!(
            "ssetui-faults-print-{signal}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let capture = dir.join("run.ssecap");
        let mut child = support::app()
            .args(["print", "--record"])
            .arg(&capture)
            .arg(server.url("/s"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start ssetui print");
        let pid = child.id();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (line_tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                let Ok(line) = line else { break };
                if line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (exit_tx, exited) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = exit_tx.send(child.wait());
        });
        let kill = |sig: &str| {
            Command::new("kill")
                .args([&format!("-{sig}"), &pid.to_string()])
                .status()
                .unwrap()
        };
        let mut printed = Vec::new();
        while printed.len() < 2 {
            match lines.recv_timeout(WAIT) {
                Ok(line) => printed.push(line),
                Err(_) => {
                    kill("KILL");
                    panic!("print showed no events in time: {printed:?}");
                }
            }
        }
        assert!(kill(signal).success());
        let status = match exited.recv_timeout(WAIT) {
            Ok(status) => status.unwrap(),
            Err(_) => {
                kill("KILL");
                panic!("ssetui print did not exit within {WAIT:?} of SIG{signal}");
            }
        };
        assert_eq!(
            status.code(),
            Some(expected_status),
            "exits as ended by SIG{signal}: {status:?}"
        );
        printed.extend(lines.iter());
        assert_eq!(printed.len(), 2, "{printed:?}");
        assert!(
            printed[0].contains("\"first\"") && printed[1].contains("\"second\""),
            "{printed:?}"
        );

        let read = ssetui::capture::read(&capture).expect("the capture reads back");
        assert_eq!(read.damaged, None);
        let data: Vec<String> = read
            .events()
            .into_iter()
            .map(|e| e.event.data.to_string())
            .collect();
        assert_eq!(data, ["first", "second"]);
        let text = std::fs::read_to_string(&capture).unwrap();
        assert!(
            text.lines().last().is_some_and(|l| l.contains("\"close\"")),
            "the capture ends with the close record:\n{text}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sigterm_ends_print_with_stdout_and_the_capture_flushed() {
        print_ends_cleanly_on("TERM", 128 + 15);
    }

    #[test]
    fn sighup_ends_print_with_stdout_and_the_capture_flushed() {
        print_ends_cleanly_on("HUP", 128 + 1);
    }
}
