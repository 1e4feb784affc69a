//! The demo's reasoning mode end to end with the real binary:
//! `print --transcript [--reasoning]` on `/chat?reasoning=1`.

mod support;

use std::process::Output;
use std::sync::mpsc;
use std::time::Duration;

use support::*;

/// `ssetui print ARGS`, its whole output, or a failed test after 60 s.
fn print(args: &[&str]) -> Output {
    let mut cmd = app();
    cmd.arg("print").args(args);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(cmd.output().expect("the ssetui binary runs"));
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("print ends with the stream")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

#[test]
fn with_reasoning_the_demos_thinking_comes_first_then_the_answer() {
    let (_rt, url) = demo("/chat?reasoning=1&delay_ms=0");
    let out = print(&["--transcript", "--reasoning", "--no-reconnect", &url]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let (reasoning, answer) = stdout
        .strip_prefix("## Reasoning\n\n")
        .and_then(|rest| rest.split_once("\n\n## Answer\n\n"))
        .unwrap_or_else(|| panic!("{stdout:?}"));
    assert!(
        reasoning.starts_with("The user wants to see a reasoning model stream."),
        "{reasoning:?}"
    );
    assert!(
        answer.starts_with("Hi! I am the ssetui demo model") && answer.ends_with(".\n"),
        "{answer:?}"
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("time to first reasoning token") && stderr.contains("time to first token"),
        "both first-token times: {stderr}"
    );
}

#[test]
fn without_reasoning_stdout_is_the_answer_alone_and_stderr_names_the_reasoning_tokens() {
    let (_rt, url) = demo("/chat?reasoning=1&delay_ms=0");
    let out = print(&["--transcript", "--no-reconnect", &url]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("Hi! I am the ssetui demo model") && !stdout.contains("reasoning"),
        "{stdout:?}"
    );
    let stderr = text(&out.stderr);
    let tokens = stderr
        .split("; ")
        .find_map(|part| part.strip_prefix("reasoning tokens "))
        .and_then(|n| n.trim().trim_end_matches('.').parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(tokens > 10, "{stderr}");
    assert!(stderr.contains("time to first reasoning token"), "{stderr}");
}

#[test]
fn the_demos_ollama_reasoning_is_read_from_message_thinking() {
    let (_rt, url) = demo("/chat?format=ollama&reasoning=1&delay_ms=0");
    let out = print(&[
        "--parse-as",
        "ndjson",
        "--transcript",
        "--reasoning",
        "--no-reconnect",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("## Reasoning\n\nThe user wants")
            && stdout.contains("\n\n## Answer\n\nHi! I am the ssetui demo model"),
        "{stdout:?}"
    );
    let stderr = text(&out.stderr);
    // Ollama reports no reasoning count of its own: said so, not invented.
    assert!(
        stderr.contains("Ollama") && stderr.contains("reasoning tokens not reported"),
        "{stderr}"
    );
}

#[test]
fn reasoning_needs_transcript_and_the_anthropic_demo_refuses_it() {
    let out = print(&["--reasoning", "http://127.0.0.1:9/"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let (_rt, url) = demo("/chat?format=anthropic&reasoning=1");
    let out = print(&["--transcript", "--no-reconnect", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("400"), "{}", text(&out.stderr));
}
