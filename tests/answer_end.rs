//! An LLM answer that reached its end marker is over: `print` and the UI do
//! not reconnect and ask again (repeating, and billing, the whole answer),
//! unless the user asked for `--reconnect always` in so many words.

mod support;

use std::process::Stdio;
use std::time::Duration;

use ssetui::sse::{ConnMsg, RequestSpec};
use support::*;

const PATIENCE: Duration = Duration::from_secs(20);

fn print(args: &[&str]) -> std::process::Output {
    let mut cmd = support::app();
    cmd.arg("print")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    output_within(cmd, PATIENCE)
}

#[test]
fn a_get_of_an_llm_stream_ends_after_its_done_marker_instead_of_asking_again() {
    let (_runtime, url) = demo("/chat?delay_ms=1");
    let out = print(&["-v", &url]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("the answer had ended ([DONE])"), "{stderr}");
    assert!(!stderr.contains("reconnecting"), "{stderr}");
    assert!(!stderr.contains("* attempt 2"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("\"data\":\"[DONE]\"").count(), 1, "{stdout}");
}

#[test]
fn the_readmes_ollama_and_filter_examples_end_with_the_answer() {
    let (_runtime, base) = demo("/");
    let chat = format!("{base}chat?delay_ms=1");
    let ollama = format!("{base}chat?format=ollama&delay_ms=1");
    let out = print(&["--parse-as", "ndjson", "--transcript", &ollama]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.trim().is_empty());
    let out = print(&[
        "--filter",
        ".choices[0].delta.content != null",
        "--extract",
        ".choices[0].delta.content",
        &chat,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let lines = String::from_utf8_lossy(&out.stdout).lines().count();
    // The same answer again would double the lines: once.
    let once = print(&[
        "--no-reconnect",
        "--filter",
        ".choices[0].delta.content != null",
        &chat,
    ]);
    assert_eq!(lines, String::from_utf8_lossy(&once.stdout).lines().count());
}

#[test]
fn reconnect_always_asked_for_explicitly_still_reconnects_after_the_marker() {
    let (_runtime, url) = demo("/chat?delay_ms=1");
    let once = print(&["--no-reconnect", &url]);
    let per_answer = String::from_utf8_lossy(&once.stdout).lines().count();
    let max = (per_answer + 2).to_string();
    let out = print(&[
        "-v",
        "--reconnect",
        "always",
        "--retry",
        "50",
        "--max-events",
        &max,
        &url,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("the answer had ended ([DONE])"), "{stderr}");
    assert!(stderr.contains("* attempt 2"), "{stderr}");
}

#[tokio::test]
async fn the_connection_closes_after_anthropic_responses_and_ollama_end_markers() {
    for (body, marker) in [
        (
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
            "message_stop",
        ),
        (
            "data: {\"type\":\"response.completed\",\"response\":{}}\n\n",
            "response.completed",
        ),
        (
            "data: {\"model\":\"m\",\"done\":true,\"message\":{\"role\":\"assistant\",\"content\":\"\"}}\n\n",
            "done: true",
        ),
    ] {
        let server = TestServer::always(vec![sse_head(), write(body), Step::Close]).await;
        let spec: RequestSpec = fast_spec(&server, "/s");
        let (_handle, mut rx) = connect(spec);
        let msgs = until_closed(&mut rx).await;
        let ended: Vec<Option<&str>> = pick(&msgs, |m| match m {
            ConnMsg::StreamEnded { end_marker, .. } => Some(*end_marker),
            _ => None,
        });
        assert_eq!(ended, [Some(marker)], "{msgs:?}");
        assert!(
            matches!(close_reason(&msgs), ssetui::sse::CloseReason::Ended),
            "{msgs:?}"
        );
    }
}

/// Reads events in place as `print` does, noting whether each one's data
/// came in pieces (a long plain line held across reads), and opens the
/// server's gate once it has caught up after body bytes: what follows the
/// gate comes in a read of its own.
struct InPlace<'a> {
    server: &'a TestServer,
    msgs: Vec<ConnMsg>,
    in_pieces: Vec<bool>,
}

impl ssetui::sse::EventSink for InPlace<'_> {
    fn event(&mut self, _seq: u64, event: &ssetui::sse::parser::Dispatched<'_>) {
        self.in_pieces.push(event.data_pieces().is_some());
    }
}

impl ssetui::sse::Consumer for &mut InPlace<'_> {
    fn take(&mut self, msg: ConnMsg) -> impl std::future::Future<Output = bool> + Send {
        self.msgs.push(msg);
        std::future::ready(true)
    }

    fn events_in_place(
        &mut self,
        _attempt: u32,
        _received_at: std::time::SystemTime,
    ) -> Option<&mut dyn ssetui::sse::EventSink> {
        Some(&mut **self)
    }

    fn caught_up(&mut self) {
        if self.msgs.iter().any(|m| matches!(m, ConnMsg::Data(_))) {
            self.server.release();
        }
    }
}

#[tokio::test]
async fn a_done_marker_padded_past_a_read_and_kept_in_pieces_still_ends_the_answer() {
    // `[DONE]` and 100 KB of spaces: one plain line, held across the gate
    // in pieces by a consumer that reads events in place, as `print`'s is.
    let padded = format!("data: [DONE]{}", " ".repeat(100_000));
    let server = TestServer::always(vec![
        sse_head(),
        write(padded),
        Step::Gate,
        write("\n\n"),
        Step::Close,
    ])
    .await;
    let mut consumer = InPlace {
        server: &server,
        msgs: Vec::new(),
        in_pieces: Vec::new(),
    };
    let cancel = tokio_util::sync::CancellationToken::new();
    let run = ssetui::sse::run_inline(fast_spec(&server, "/s"), &mut consumer, &cancel);
    // Without its end marker seen, the connection would ask again, and wait
    // at the gate: the timeout is the failure then.
    let reason = tokio::time::timeout(WAIT, run)
        .await
        .expect("the answer ends with its marker instead of reconnecting");
    assert_eq!(consumer.in_pieces, [true], "the data came in pieces");
    let ended: Vec<Option<&str>> = pick(&consumer.msgs, |m| match m {
        ConnMsg::StreamEnded { end_marker, .. } => Some(*end_marker),
        _ => None,
    });
    assert_eq!(ended, [Some("[DONE]")]);
    assert!(
        matches!(reason, ssetui::sse::CloseReason::Ended),
        "{reason:?}"
    );
}
