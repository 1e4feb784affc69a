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
