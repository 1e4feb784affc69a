//! Inputs that crashed the binary: a jq expression nested 60,000 deep, a
//! duration of 500,000,000,000 years, a stdout that is a closed pipe or a
//! full disk. Each now ends with a status and a message, never a panic or
//! an abort.

mod support;

use std::fs::File;
use std::process::{Command, Output, Stdio};

use support::WAIT;

const FOREVER: &str = "500000000000years";

fn ssetui(args: &[&str]) -> Command {
    let mut cmd = support::app();
    cmd.args(args)
        .env_remove("SSETUI_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(cmd: Command) -> Output {
    support::output_within(cmd, WAIT + WAIT)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No panic or abort message, whatever the status.
fn assert_no_crash(out: &Output) {
    let err = stderr(out);
    assert!(
        !err.contains("panicked") && !err.contains("overflow") && out.status.code().is_some(),
        "{:?}: {err}",
        out.status
    );
}

#[test]
fn a_filter_or_extract_nested_60000_deep_is_a_usage_error() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let deep = format!("{}.{}", "(".repeat(60_000), ")".repeat(60_000));
    for flag in ["--filter", "--extract"] {
        let out = run(ssetui(&["print", flag, &deep, &url]));
        assert_no_crash(&out);
        assert_eq!(out.status.code(), Some(2), "{flag}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "ssetui: {flag}: the expression is too complex: more than 128 operators, \
                 brackets and keywords at column 129\n"
            )
        );
    }
}

#[test]
fn check_expect_nested_60000_deep_is_a_usage_error() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let deep = format!(". == {}{}", "[".repeat(60_000), "]".repeat(60_000));
    let out = run(ssetui(&["check", "--expect", &deep, &url]));
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn check_within_any_duration_judges_the_stream() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=2");
    for flags in [
        vec!["--within", FOREVER, "--min-events", "2"],
        vec!["--first-event-within", FOREVER],
    ] {
        let mut args = vec!["check"];
        args.extend(&flags);
        args.push(&url);
        let out = run(ssetui(&args));
        assert_no_crash(&out);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
    }
}

/// A config file whose `retry_delay` is 500,000,000,000 years.
fn forever_config(name: &str) -> std::path::PathBuf {
    let path = support::scratch(name).join("config.toml");
    std::fs::write(&path, format!("[settings]\nretry_delay = \"{FOREVER}\"\n")).unwrap();
    path
}

#[test]
fn print_waits_a_reconnect_of_500000000000_years_until_a_signal() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let config = forever_config("print");
    let mut cmd = ssetui(&["print", "-v", "--reconnect", "always", &url]);
    cmd.arg("--config").arg(&config);
    let mut child = cmd.spawn().unwrap();
    let err = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // The stream ends after one event and the reconnect is scheduled.
    let scheduled = loop {
        let line = rx.recv_timeout(WAIT).expect("a reconnect is scheduled");
        assert!(!line.contains("panicked"), "{line}");
        if line.starts_with("* reconnecting in ") {
            break line;
        }
    };
    assert!(scheduled.contains("(attempt 2"), "{scheduled}");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
}

#[test]
fn check_with_a_reconnect_of_500000000000_years_stops_at_within() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    let config = forever_config("check");
    let mut cmd = ssetui(&[
        "check",
        "--reconnect",
        "always",
        "--within",
        "500ms",
        "--min-events",
        "2",
        &url,
    ]);
    cmd.arg("--config").arg(&config);
    let out = run(cmd);
    assert_no_crash(&out);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn print_timeouts_and_retry_delays_of_any_length_are_accepted() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=1");
    for flags in [
        ["--connect-timeout", "1e15"],
        ["--idle-timeout", "1e15"],
        ["--retry", "18446744073709551615"],
        ["--retry-max", "18446744073709551615"],
    ] {
        let mut args = vec!["print", "--no-reconnect"];
        args.extend(flags);
        args.push(&url);
        let out = run(ssetui(&args));
        assert_no_crash(&out);
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {}", stderr(&out));
    }
}

/// Where a command's stdout goes.
#[derive(Debug, Clone, Copy)]
enum Stdout {
    /// A pipe whose reader is already gone: every write is EPIPE.
    Closed,
    /// `/dev/full`: every write is ENOSPC.
    Full,
}

fn with_stdout(mut cmd: Command, stdout: Stdout) -> Output {
    match stdout {
        Stdout::Closed => {
            let (reader, writer) = std::io::pipe().unwrap();
            drop(reader);
            cmd.stdout(writer);
        }
        Stdout::Full => {
            cmd.stdout(File::create("/dev/full").unwrap());
        }
    }
    run(cmd)
}

/// Each command's status and stderr with a closed pipe, then a full disk.
fn outcomes(args: &[&str]) -> [(Option<i32>, String); 2] {
    [Stdout::Closed, Stdout::Full].map(|to| {
        let out = with_stdout(ssetui(args), to);
        assert_no_crash(&out);
        (out.status.code(), stderr(&out))
    })
}

const NO_SPACE: &str = "No space left on device (os error 28)";

#[test]
fn profiles_and_config_path_end_quietly_on_a_closed_pipe_and_say_so_on_a_full_disk() {
    let dir = support::scratch("profiles");
    let config = dir.join("config.toml");
    std::fs::write(&config, "[profiles.a]\nurl = \"http://127.0.0.1:1/a\"\n").unwrap();
    let config = config.to_str().unwrap();
    for args in [
        &["profiles", "--config", config][..],
        &["config", "path", "--config", config],
    ] {
        let [closed, full] = outcomes(args);
        assert_eq!(closed, (Some(0), String::new()), "{args:?}");
        assert_eq!(
            full,
            (
                Some(1),
                format!("ssetui: cannot write to stdout: {NO_SPACE}\n")
            ),
            "{args:?}"
        );
    }
}

#[test]
fn help_and_version_end_quietly_on_a_closed_pipe_and_say_so_on_a_full_disk() {
    for args in [&["--help"][..], &["check", "--help"], &["--version"]] {
        let [closed, full] = outcomes(args);
        assert_eq!(closed, (Some(0), String::new()), "{args:?}");
        assert_eq!(
            full,
            (
                Some(1),
                format!("ssetui: cannot write to stdout: {NO_SPACE}\n")
            ),
            "{args:?}"
        );
    }
}

#[test]
fn check_keeps_its_verdict_on_a_closed_pipe_and_says_so_on_a_full_disk() {
    let (_rt, url) = support::demo("/clock?interval_ms=1&count=2");
    let [closed, full] = outcomes(&["check", "--min-events", "2", &url]);
    assert_eq!(closed, (Some(0), String::new()));
    assert_eq!(
        full,
        (
            Some(2),
            format!("ssetui: cannot write the report: cannot write to stdout: {NO_SPACE}\n")
        )
    );
    let [closed, _] = outcomes(&["check", "--min-events", "5", &url]);
    assert_eq!(
        closed.0,
        Some(1),
        "a failed check stays failed: {}",
        closed.1
    );
}

#[test]
fn serve_ends_quietly_on_a_closed_pipe_and_says_so_on_a_full_disk() {
    let [closed, full] = outcomes(&["serve", "--port", "0"]);
    assert_eq!(closed, (Some(0), String::new()));
    assert_eq!(
        full,
        (
            Some(1),
            format!("ssetui: cannot write to stdout: {NO_SPACE}\n")
        )
    );
}

/// `eprintln!` panics when stderr cannot be written: the message is lost,
/// the status stays the command's own.
#[test]
fn a_full_disk_on_stderr_loses_the_message_not_the_status() {
    let dir = support::scratch("stderr");
    let missing = dir.join("missing.ssecap");
    let config = dir.join("broken.toml");
    std::fs::write(&config, "[settings\n").unwrap();
    let cases: [(Vec<&str>, i32); 5] = [
        (
            vec![
                "check",
                "--min-events",
                "1",
                "--capture",
                missing.to_str().unwrap(),
            ],
            3,
        ),
        (vec!["profiles", "--config", config.to_str().unwrap()], 2),
        (vec!["check", "http://127.0.0.1:1/"], 2),
        // print's failed connection, with -v's lines too.
        (vec!["print", "--no-reconnect", "http://127.0.0.1:1/"], 1),
        (
            vec!["print", "-v", "--no-reconnect", "http://127.0.0.1:1/"],
            1,
        ),
    ];
    for (args, status) in cases {
        let mut cmd = ssetui(&args);
        cmd.stderr(File::create("/dev/full").unwrap());
        let out = run(cmd);
        assert_eq!(out.status.code(), Some(status), "{args:?}");
    }
}
