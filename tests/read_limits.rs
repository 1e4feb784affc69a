//! Local files the user names, refused when they are not regular files or
//! are larger than their cap, and a signal that ends the program while it
//! reads: `/dev/zero` as a config file or certificate was read until memory
//! ran out, a FIFO blocked for ever with SIGTERM ignored.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::WAIT;

const MIB: u64 = 1024 * 1024;

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
    support::output_within(cmd, WAIT)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A FIFO with no writer: opening it for reading the usual way blocks.
fn fifo(dir: &Path) -> PathBuf {
    let path = dir.join("fifo");
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success());
    path
}

/// A file of `len` bytes (sparse: nothing is written).
fn sized(dir: &Path, name: &str, len: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().set_len(len).unwrap();
    path
}

/// Each way a local file reaches ssetui, given `path`: the status and stderr.
fn every_reader(path: &str) -> Vec<(String, Option<i32>, String)> {
    let url = "https://127.0.0.1:1/s";
    let curl_form = format!("curl -F part=@{path} {url}");
    let curl_encoded = format!("curl --data-urlencode part@{path} {url}");
    let body = format!("@{path}");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("--config", vec!["print", "--config", path, url]),
        ("-d @", vec!["print", "-d", &body, url]),
        ("--json @", vec!["print", "--json", &body, url]),
        (
            "--cacert",
            vec!["print", "--no-reconnect", "--cacert", path, url],
        ),
        (
            "--cert",
            vec![
                "print",
                "--no-reconnect",
                "--cert",
                path,
                "--key",
                path,
                url,
            ],
        ),
        ("-F @", vec!["print", "--from-curl", &curl_form]),
        (
            "--data-urlencode @",
            vec!["print", "--from-curl", &curl_encoded],
        ),
        ("open", vec!["open", path]),
        (
            "check --capture",
            vec!["check", "--min-events", "1", "--capture", path],
        ),
        (
            "serve --replay",
            vec!["serve", "--port", "0", "--replay", path],
        ),
    ];
    cases
        .into_iter()
        .map(|(what, args)| {
            let out = run(ssetui(&args));
            (what.to_owned(), out.status.code(), stderr(&out))
        })
        .collect()
}

fn assert_refused(path: &str, reason: &str) {
    for (what, code, err) in every_reader(path) {
        assert!(matches!(code, Some(1..=3)), "{what}: {code:?}: {err}");
        assert!(
            err.contains(&format!("{path}: {reason}"))
                || err.contains(&format!("{path:?}: {reason}")),
            "{what}: {err}"
        );
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
}

#[test]
fn a_device_is_refused_by_every_reader_before_a_byte_is_read() {
    assert_refused("/dev/zero", "not a regular file (a character device)");
}

#[test]
fn a_fifo_is_refused_by_every_reader_without_waiting_for_a_writer() {
    let dir = support::scratch("fifo");
    let path = fifo(&dir);
    assert_refused(path.to_str().unwrap(), "not a regular file (a named pipe)");
}

#[test]
fn files_over_their_cap_are_refused_naming_the_file_and_the_cap() {
    let dir = support::scratch("caps");
    let config = sized(&dir, "config.toml", MIB + 1);
    let out = run(ssetui(&["profiles", "--config", config.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "ssetui: {}: larger than 1 MiB, the most ssetui reads for a config file\n",
            config.display()
        )
    );
    let cert = sized(&dir, "ca.pem", MIB + 1);
    let out = run(ssetui(&[
        "print",
        "--no-reconnect",
        "--cacert",
        cert.to_str().unwrap(),
        "https://127.0.0.1:1/",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(&format!(
            "{}: larger than 1 MiB, the most ssetui reads for a certificate or key file",
            cert.display()
        )),
        "{}",
        stderr(&out)
    );
    let body = sized(&dir, "body.json", 64 * MIB + 1);
    let out = run(ssetui(&[
        "print",
        "--json",
        &format!("@{}", body.display()),
        "http://127.0.0.1:1/",
    ]));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "ssetui: the body: {}: larger than 64 MiB, the most ssetui reads for a request body\n",
            body.display()
        )
    );
    // Exactly at the cap is read.
    let fits = sized(&dir, "fits.toml", MIB);
    let out = run(ssetui(&["profiles", "--config", fits.to_str().unwrap()]));
    assert!(!stderr(&out).contains("larger than"), "{}", stderr(&out));
}

#[test]
fn a_body_from_stdin_is_capped_too() {
    let mut cmd = ssetui(&["print", "-d", "@-", "http://127.0.0.1:1/"]);
    cmd.stdin(std::fs::File::open("/dev/zero").unwrap());
    let out = run(cmd);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "ssetui: the body: stdin: larger than 64 MiB, the most ssetui reads for a request body\n"
    );
}

/// Whether process `pid` is blocked in read(2) on its stdin.
fn reading_stdin(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/syscall")).is_ok_and(|s| s.starts_with("0 0x0 "))
}

#[test]
fn sigterm_ends_the_program_while_it_reads_a_body_from_stdin() {
    let mut child = ssetui(&["print", "-d", "@-", "http://127.0.0.1:1/"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    // A writer that never finishes: the read waits for more.
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"partial body").unwrap();
    let deadline = Instant::now() + WAIT;
    while !reading_stdin(child.id()) {
        assert!(Instant::now() < deadline, "never read stdin");
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let status = rx.recv_timeout(WAIT).expect("ended promptly").unwrap();
    assert!(!status.success(), "{status:?}");
    drop(stdin);
}

#[test]
fn a_capture_line_over_64_mib_is_damage_and_what_came_before_is_kept() {
    let dir = support::scratch("line");
    let path = dir.join("big.ssecap");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(
        file,
        r#"{{"ssecap":1,"request":{{"method":"GET","url":"http://example.test/s","headers":[]}},"started":"2026-11-24T15:00:00.000Z"}}"#
    )
    .unwrap();
    writeln!(
        file,
        r#"{{"t":0,"attempt":1,"open":{{"status":200,"headers":[],"version":"HTTP/1.1"}}}}"#
    )
    .unwrap();
    writeln!(file, r#"{{"t":1,"read":"ZGF0YTogb25lCgo="}}"#).unwrap();
    // One line of 64 MiB + 1 byte, no newline needed to be refused.
    let chunk = vec![b'A'; MIB as usize];
    write!(file, r#"{{"t":2,"read":""#).unwrap();
    for _ in 0..64 {
        file.write_all(&chunk).unwrap();
    }
    drop(file);
    let capture = ssetui::capture::read(&path).unwrap();
    assert_eq!(
        capture.damaged.as_deref(),
        Some("line 4: longer than 64 MiB, the most ssetui reads for a line of a recording")
    );
    assert_eq!(capture.events().len(), 1);
    let recording = ssetui::capture::load_recording(&path).unwrap();
    assert!(
        recording
            .notice
            .contains("up to the damage: line 4: longer than 64 MiB"),
        "{}",
        recording.notice
    );
}
