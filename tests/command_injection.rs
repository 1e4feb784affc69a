//! A request made of hostile text (a capture's method, a URL, headers, a
//! body) never becomes a command: `Y`'s curl command quotes every part, and
//! a method that is not an HTTP token is refused wherever one comes in.
//! The curl commands run in a real shell with the real curl against the
//! raw-TCP loopback server, which records what arrived.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::Method;
use ssetui::sse::RequestSpec;
use support::*;

const PATIENCE: Duration = Duration::from_secs(15);

/// The method from the issue: a shell runs the backticks unless it is quoted.
const PAYLOAD_METHOD: &str = "GET`touch$IFS'ran-method'`";

/// Runs `cmd` to its end, its output piped.
fn output(mut cmd: Command) -> std::process::Output {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    output_within(cmd, PATIENCE)
}

/// The files in `dir`, sorted.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_curl_command_from_y_run_by_a_shell_sends_each_part_verbatim_and_runs_nothing() {
    let (runtime, mut server) = serve(vec![vec![sse_head(), write("data: one\n\n"), Step::Close]]);
    let dir = scratch("sh");
    let method = Method::from_bytes(PAYLOAD_METHOD.as_bytes()).expect("an HTTP token");
    let url = format!("{}/p$(touch${{IFS}}ran-url)", server.url(""));
    let mut spec = RequestSpec::new(method, url.parse().unwrap());
    spec.headers.push((
        "X-Trace".into(),
        "$(touch ran-header)`touch ran-header2`'\"".into(),
    ));
    spec.body = Some(b"'; touch ran-body; echo '".to_vec());
    for reveal in [true, false] {
        let command = ssetui::curl::to_curl(&spec, reveal);
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(format!("{command} --max-time 10 -s -o /dev/null"))
            .current_dir(&dir);
        let out = output(cmd);
        assert!(out.status.success(), "{command}: {out:?}");
        assert_eq!(files_in(&dir), Vec::<String>::new(), "{command}");

        let sent = runtime.block_on(server.next_request());
        assert_eq!(sent.method, PAYLOAD_METHOD, "{command}");
        assert_eq!(sent.target, "/p$(touch$%7BIFS%7Dran-url)", "{command}");
        assert_eq!(
            sent.header("x-trace"),
            Some("$(touch ran-header)`touch ran-header2`'\""),
            "{command}"
        );
        assert_eq!(sent.body, b"'; touch ran-body; echo '", "{command}");
    }
}

#[test]
fn a_capture_whose_method_is_no_http_token_is_refused_with_a_clear_error() {
    let dir = scratch("capture-method");
    let file = dir.join("bad.ssecap");
    std::fs::write(
        &file,
        "{\"ssecap\":1,\"request\":{\"method\":\"GET /x; touch ran\",\"url\":\"http://127.0.0.1:9/\"},\"started\":\"2026-01-01T00:00:00.000Z\"}\n",
    )
    .unwrap();
    let err = ssetui::capture::read(&file).unwrap_err().to_string();
    assert!(
        err.contains("invalid method \"GET /x; touch ran\""),
        "{err}"
    );

    for args in [
        vec![
            "check",
            "--capture",
            file.to_str().unwrap(),
            "--min-events",
            "1",
        ],
        vec!["open", file.to_str().unwrap()],
    ] {
        let mut cmd = support::app();
        cmd.args(&args).current_dir(&dir);
        let out = output(cmd);
        assert!(!out.status.success(), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid method"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_method_with_a_space_is_refused_on_the_command_line_in_a_profile_and_in_curl() {
    let dir = scratch("methods");
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.p]\nurl = \"http://127.0.0.1:9/\"\nmethod = \"GET /x\"\n",
    )
    .unwrap();
    for args in [
        vec!["print", "-X", "GET /x", "http://127.0.0.1:9/"],
        vec!["print", "--profile", "p"],
        vec![
            "print",
            "--from-curl",
            "curl -X 'GET /x' http://127.0.0.1:9/",
        ],
        vec!["print", "-X", "", "http://127.0.0.1:9/"],
    ] {
        let mut cmd = support::app();
        cmd.args(&args)
            .current_dir(&dir)
            .env("SSETUI_CONFIG", dir.join("config.toml"));
        let out = output(cmd);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid method"), "{args:?}: {stderr}");
    }
}

#[test]
fn the_one_method_check_takes_tokens_and_nothing_else() {
    use ssetui::request::parse_method;
    for good in ["GET", "POST", "PROPFIND", "get", "M-SEARCH", PAYLOAD_METHOD] {
        assert_eq!(parse_method(good).unwrap().as_str(), good);
    }
    for bad in ["", "GET /", "GET\r\n", "GÉT", "(GET)", "GET;", "a\"b", "\t"] {
        assert!(parse_method(bad).is_err(), "{bad:?}");
    }
}
