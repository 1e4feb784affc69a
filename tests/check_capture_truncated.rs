//! `ssetui check --capture` on a capture cut short (recorded with
//! `--max-events`, or stopped by Ctrl-C): it says the capture ended
//! truncated, at the time it did, not that the stream was still open.

mod support;

use std::process::Stdio;

use support::*;

#[test]
fn a_truncated_capture_ends_truncated_at_its_last_record() {
    use base64::Engine as _;
    let dir = scratch("truncated");
    let capture = dir.join("cut.ssecap");
    let read = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    std::fs::write(
        &capture,
        format!(
            "{}\n{}\n{{\"t\":200,\"read\":\"{}\"}}\n{{\"t\":608,\"read\":\"{}\"}}\n",
            r#"{"ssecap":1,"request":{"method":"GET","url":"http://127.0.0.1:9/s","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
            r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#,
            read("data: 1\n\ndata: 2\n\n"),
            read("data: 3\n\n"),
        ),
    )
    .unwrap();
    let out = support::app()
        .args(["check", "--capture"])
        .arg(&capture)
        .args(["--min-events", "5", "--ends-with", "[DONE]"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(!stdout.contains("still open"), "{stdout}");
    assert!(
        stdout.contains("3 events before the capture ended (truncated) after 608 ms"),
        "{stdout}"
    );
    assert!(
        stdout.contains("the capture ended (truncated) after 608 ms"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
