//! Files ssetui creates are the user's alone (mode 0600), are never written
//! through a symlink someone planted at their name, and never replace an
//! existing file: `print --record` (with and without its secrets), `check
//! --junit` and the `$EDITOR` temp file, with the real binary where there
//! is one. The UI's `s`, `S` and `C` are in `ui_e2e.rs`.

mod support;

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use support::*;

const PATIENCE: Duration = Duration::from_secs(15);

fn ssetui(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = support::app();
    cmd.args(args)
        .current_dir(dir)
        .env("SSETUI_CONFIG", dir.join("config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    output_within(cmd, PATIENCE)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A file someone else wants overwritten, and a symlink to it at `name`.
fn planted(dir: &Path, name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let target = dir.join("precious.txt");
    std::fs::write(&target, "precious\n").unwrap();
    let link = dir.join(name);
    symlink(&target, &link).unwrap();
    (target, link)
}

fn one_event_server() -> (tokio::runtime::Runtime, TestServer) {
    serve(vec![vec![sse_head(), write("data: one\n\n"), Step::Close]])
}

#[test]
fn a_recorded_capture_is_readable_by_its_owner_only_with_or_without_its_secrets() {
    let (_runtime, server) = one_event_server();
    let dir = scratch("record-mode");
    let url = server.url("/s");
    for (name, extra) in [
        ("plain.ssecap", None),
        ("full.ssecap", Some("--record-secrets")),
    ] {
        let file = dir.join(name);
        let mut args = vec![
            "print",
            "--no-reconnect",
            "--record",
            file.to_str().unwrap(),
        ];
        args.extend(extra);
        args.push(&url);
        let out = ssetui(&dir, &args);
        assert!(out.status.success(), "{out:?}");
        assert_eq!(mode(&file), 0o600, "{name}");
    }
}

#[test]
fn record_onto_a_planted_symlink_fails_clearly_and_leaves_its_target_alone() {
    let (_runtime, server) = one_event_server();
    let dir = scratch("record-link");
    let (target, link) = planted(&dir, "s.ssecap");
    let out = ssetui(
        &dir,
        &[
            "print",
            "--no-reconnect",
            "--record",
            link.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("s.ssecap"), "{stderr}");
    assert!(stderr.contains("symbolic link"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn record_replaces_the_file_it_is_given_and_makes_it_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_runtime, server) = one_event_server();
    let dir = scratch("record-exists");
    let file = dir.join("old.ssecap");
    std::fs::write(&file, "an earlier recording\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = ssetui(
        &dir,
        &[
            "print",
            "--no-reconnect",
            "--record",
            file.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    // Named on the command line, the file is the user's to replace: a
    // pipeline records (and reports) to the same name on every run.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let capture = ssetui::capture::read(&file).unwrap();
    assert_eq!(capture.events().len(), 1);
    assert_eq!(mode(&file), 0o600);
}

#[test]
fn record_refuses_a_fifo_without_blocking() {
    let (_runtime, server) = one_event_server();
    let dir = scratch("record-fifo");
    let fifo = dir.join("pipe.ssecap");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let out = ssetui(
        &dir,
        &[
            "print",
            "--no-reconnect",
            "--record",
            fifo.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
}

#[test]
fn a_junit_report_is_private_and_never_written_through_a_symlink() {
    let (_runtime, server) = one_event_server();
    let dir = scratch("junit");
    let report = dir.join("report.xml");
    let out = ssetui(
        &dir,
        &[
            "check",
            "--min-events",
            "1",
            "--junit",
            report.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert_eq!(mode(&report), 0o600);
    // A second run writes the report again, as a pipeline does.
    let again = ssetui(
        &dir,
        &[
            "check",
            "--min-events",
            "1",
            "--junit",
            report.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    assert_eq!(again.status.code(), Some(0), "{again:?}");

    let (target, link) = planted(&dir, "linked.xml");
    let out = ssetui(
        &dir,
        &[
            "check",
            "--min-events",
            "1",
            "--junit",
            link.to_str().unwrap(),
            &server.url("/s"),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("linked.xml") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
}

#[test]
fn the_editor_gets_a_temp_file_only_its_owner_can_read() {
    let dir = scratch("editor");
    let seen = dir.join("seen");
    let editor = format!(
        "sh -c 'stat -c %a \"$0\" > {}; printf edited > \"$0\"'",
        seen.display()
    );
    let edited = ssetui::external_editor::edit_with(&editor, "secret body", "json").unwrap();
    assert_eq!(edited, "edited");
    assert_eq!(std::fs::read_to_string(&seen).unwrap().trim(), "600");
}
