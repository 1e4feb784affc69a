//! Shell conventions and the history, through the real binary: completions
//! answered for `--profile` from the config file, the bash script checked
//! by `bash -n`, the man page read by `man -l`, `ssetui history` after
//! `print`, the UI keeping and reopening a request (in a pty), and
//! `open -` showing a piped stream as it arrives.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::pty::Pty;
use support::*;

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");
const PATIENCE: Duration = Duration::from_secs(15);

/// The binary with no config or history from whoever runs the tests.
fn ssetui(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("SSETUI_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("COMPLETE")
        .env("HOME", home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

fn run(cmd: Command) -> (i32, String, String) {
    let output = output_within(cmd, PATIENCE);
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The candidates bash gets for the word at `index` of `words`.
fn bash_candidates(config: &Path, words: &[&str], index: usize) -> (i32, String, String) {
    let mut cmd = ssetui(config.parent().unwrap());
    cmd.env("COMPLETE", "bash")
        .env("SSETUI_CONFIG", config)
        .env("_CLAP_COMPLETE_INDEX", index.to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words);
    run(cmd)
}

#[test]
fn profile_names_complete_from_the_config_and_a_name_with_a_space_is_one_word() {
    let dir = scratch("complete");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[profiles.\"my profile\"]\nurl = \"http://h/a\"\n[profiles.staging]\nurl = \"http://h/b\"\n[profiles.prod]\nurl = \"http://h/c\"\n",
    )
    .unwrap();
    let (code, out, err) = bash_candidates(&config, &["ssetui", "--profile", ""], 2);
    assert_eq!(code, 0, "{err}");
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got, ["'my profile'", "staging", "prod"], "{out:?}");
    let (_, out, _) = bash_candidates(&config, &["ssetui", "print", "-p", "st"], 3);
    assert_eq!(out.trim(), "staging");
    // A word typed with its opening quote still matches.
    let (_, out, _) = bash_candidates(&config, &["ssetui", "--profile", "'my"], 2);
    assert_eq!(out.trim(), "'my profile'");
    // --config on the line being completed is the file read.
    let other = dir.join("other.toml");
    std::fs::write(&other, "[profiles.elsewhere]\nurl = \"http://h/\"\n").unwrap();
    let other_arg = other.to_str().unwrap();
    let (_, out, _) = bash_candidates(&config, &["ssetui", "--config", other_arg, "-p", ""], 4);
    assert_eq!(out.trim(), "elsewhere");
}

#[test]
fn a_broken_config_gives_no_candidates_and_prints_nothing() {
    let dir = scratch("complete-broken");
    let config = dir.join("config.toml");
    std::fs::write(&config, "[profiles.a\nurl = ").unwrap();
    let (code, out, err) = bash_candidates(&config, &["ssetui", "--profile", ""], 2);
    assert_eq!(code, 0);
    assert_eq!(out, "");
    assert_eq!(err, "");
}

#[test]
fn every_shell_gets_a_registration_script_and_bash_parses_it() {
    let dir = scratch("register");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let mut cmd = ssetui(&dir);
        cmd.args(["completions", shell]);
        let (code, out, err) = run(cmd);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(
            out.contains("COMPLETE"),
            "{shell} calls the binary back:\n{out}"
        );
        assert!(out.contains(BIN), "{shell} names this binary:\n{out}");
        if shell == "bash" {
            let script = dir.join("ssetui.bash");
            std::fs::write(&script, &out).unwrap();
            let status = Command::new("bash").arg("-n").arg(&script).status();
            match status {
                Ok(status) => assert!(status.success(), "bash -n on:\n{out}"),
                Err(_) => println!("skipped bash -n: no bash here"),
            }
        }
    }
}

#[test]
fn the_man_page_is_roff_that_man_reads() {
    let dir = scratch("man");
    let mut cmd = ssetui(&dir);
    cmd.arg("man");
    let (code, page, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    assert!(
        page.starts_with(".ie") || page.contains(".TH ssetui"),
        "{page}"
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH \"SSETUI PRINT\"",
        "max\\-events",
    ] {
        assert!(page.contains(section), "{section} in the page");
    }
    let has_man = Command::new("man").arg("--version").output().is_ok();
    if !has_man {
        println!("skipped `man -l -`: man is not installed");
        return;
    }
    let mut man = Command::new("man");
    man.args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = man.spawn().unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("Test and debug Server-Sent Events endpoints"),
        "{text}"
    );
    assert!(
        text.contains("--max-events"),
        "print's options are in it:\n{text}"
    );
}

/// Waits until `path` holds a line with `needle`.
fn wait_for_line(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "no {needle:?} in {}:\n{text}",
            path.display()
        );
        std::thread::yield_now();
    }
}

#[test]
fn print_and_check_keep_requests_redacted_and_history_lists_them() {
    let (_rt, server) = serve(vec![
        vec![sse_head(), write("data: one\n\n")],
        vec![sse_head(), write("data: two\n\n")],
    ]);
    let dir = scratch("history-cli");
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    let url = server.url("/s?api_key=k3y-secret&n=1");
    let mut cmd = ssetui(&dir);
    cmd.args([
        "print",
        "--bearer",
        "sk-live-secret",
        "--max-events",
        "1",
        &url,
    ])
    .env("SSETUI_CONFIG", &config);
    let (code, _, err) = run(cmd);
    assert_eq!(code, 0, "{err}");
    let mut cmd = ssetui(&dir);
    cmd.args(["check", "--min-events", "1", &server.url("/c")])
        .env("SSETUI_CONFIG", &config);
    run(cmd);
    let history = dir.join("history.jsonl");
    let text = std::fs::read_to_string(&history).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(
        !text.contains("sk-live-secret") && !text.contains("k3y-secret"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&history).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mut cmd = ssetui(&dir);
    cmd.arg("history").env("SSETUI_CONFIG", &config);
    let (code, out, _) = run(cmd);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("print") && lines[0].contains("GET") && lines[0].contains("/s?"));
    assert!(
        lines[1].contains("check") && lines[1].contains("/c"),
        "newest last: {out}"
    );
    let mut cmd = ssetui(&dir);
    cmd.args(["history", "--json"])
        .env("SSETUI_CONFIG", &config);
    let (_, out, _) = run(cmd);
    for line in out.lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(value["request"]["url"].is_string(), "{line}");
    }
    // Off: nothing more is kept.
    std::fs::write(&config, "[settings]\nhistory = false\n").unwrap();
    let mut cmd = ssetui(&dir);
    cmd.args(["check", "--min-events", "1", &server.url("/off")])
        .env("SSETUI_CONFIG", &config);
    run(cmd);
    assert_eq!(std::fs::read_to_string(&history).unwrap(), text);
}

#[test]
fn the_ui_keeps_what_it_sends_and_h_reopens_it_in_a_new_tab() {
    let (_rt, server) = serve(vec![
        vec![sse_head(), write("data: first-run\n\n"), Step::Hold],
        vec![sse_head(), write("data: reopened-run\n\n"), Step::Hold],
    ]);
    let dir = scratch("history-ui");
    let config = dir.join("config.toml");
    std::fs::write(&config, "").unwrap();
    let config_arg = config.to_str().unwrap().to_owned();
    let url = server.url("/kept?n=1");
    let mut app = Pty::start_with_env(
        &["--config", &config_arg, &url],
        &[("HOME", dir.to_str().unwrap())],
    );
    app.wait_for("the first event", |s| s.contains("first-run"));
    let history = dir.join("history.jsonl");
    let line = wait_for_line(&history, "/kept?n=1");
    assert!(line.contains("\"sender\":\"ui\""), "{line}");
    app.keys("h");
    app.wait_for("the picker listing the request", |s| {
        s.contains("History") && s.contains("/kept?n=1")
    });
    app.keys("\r");
    app.wait_for("the reopened request's stream in a new tab", |s| {
        s.contains("reopened-run")
    });
    assert!(app.quit());
    assert_eq!(
        std::fs::read_to_string(&history).unwrap().lines().count(),
        2,
        "the reopened request is kept too"
    );
}

/// A named pipe at `path`.
fn fifo(path: &Path) -> PathBuf {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("run mkfifo");
    assert!(status.success());
    path.to_owned()
}

#[test]
fn open_dash_shows_a_piped_stream_as_it_arrives_and_keys_come_from_the_terminal() {
    use std::io::Write as _;
    let dir = scratch("open-stdin");
    let pipe = fifo(&dir.join("stream"));
    let script = format!(
        "HOME='{}' '{BIN}' open - < '{}'; exit $?",
        dir.display(),
        pipe.display()
    );
    let mut app = Pty::start_with_shell(&script);
    // Opening blocks until the shell opened the other end for the app.
    let mut writer = std::fs::OpenOptions::new().write(true).open(&pipe).unwrap();
    writer.write_all(b"data: first-piped\n\n").unwrap();
    writer.flush().unwrap();
    app.wait_for("the first event while the pipe stays open", |s| {
        s.contains("first-piped")
    });
    assert!(
        app.contents()
            .contains("ssetui · stdin · read from a pipe, as SSE"),
        "the title says where the stream comes from:\n{}",
        app.contents()
    );
    writer
        .write_all(b"event: late\ndata: second-piped\n\n")
        .unwrap();
    writer.flush().unwrap();
    app.wait_for("the event written after the first was shown", |s| {
        s.contains("second-piped")
    });
    // Keys come from the terminal, not from the pipe: Raw view on `v`.
    app.keys("v");
    app.wait_for("the Raw view of the selected event", |s| {
        s.contains("data: second-piped")
    });
    drop(writer);
    app.wait_for("the end of input", |s| s.contains("stream ended"));
    assert!(app.quit());
}

#[test]
fn open_dash_refuses_a_terminal_on_stdin() {
    let mut app = Pty::start(&["open", "-"]);
    assert_eq!(app.exit_code(), 2);
    assert!(
        app.contents().contains("stdin is the terminal"),
        "{}",
        app.contents()
    );
}
