//! Every `ssetui` command in the README's shell blocks, run as written
//! against the demo server (its address in place of `127.0.0.1:8900`), in
//! the order the README gives them, so the README stays true. Commands that
//! run until stopped (`serve`, the UI) must start and answer, then are
//! stopped; the rest must finish with status 0 in time.
//!
//! Not run here (they need minutes or the network): `cargo` commands,
//! `benches/…` and the fuzzer's set-up.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use support::pty::Pty;
use support::*;

const PATIENCE: Duration = Duration::from_secs(30);

/// The shell commands of the README's `sh` and `console` blocks, in order:
/// `ssetui …` lines (a `$ ` prompt dropped), `export` lines, and the command
/// part of lines with a trailing `# comment`.
fn readme_commands() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut commands = Vec::new();
    // In a `console` block only the `$ ` lines are commands (the rest is
    // their output); in an `sh` block every line is.
    let mut block = None;
    for line in readme.lines() {
        if line.starts_with("```") {
            block = match (block, line) {
                (None, "```sh") => Some(false),
                (None, "```console") => Some(true),
                _ => None,
            };
            continue;
        }
        let line = match block {
            None => continue,
            Some(true) => match line.strip_prefix("$ ") {
                Some(command) => command,
                None => continue,
            },
            Some(false) => line,
        };
        let command = match line.find("  #") {
            Some(at) => line[..at].trim_end(),
            None => line.trim_end(),
        };
        let runs_ssetui = command.starts_with("ssetui ")
            || command.split_whitespace().any(|w| w == "ssetui")
                && command
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| w.contains('='));
        if runs_ssetui || command.starts_with("export ") {
            commands.push(command.to_owned());
        }
    }
    commands
}

/// The TOML block of the README that defines the profiles its commands use.
fn readme_config() -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    readme
        .split("```toml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
        .find(|block| block.contains("[profiles.protected]"))
        .expect("the README's profile example")
        .to_owned()
}

/// A shell running `command` in `dir`, with `ssetui` on its PATH.
fn shell(dir: &Path, command: &str, env: &[(String, String)]) -> Command {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_ssetui"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("sh");
    cmd.args(["-c", command])
        .current_dir(dir)
        .env("PATH", path)
        .env("SSETUI_CONFIG", dir.join("config.toml"))
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// `serve` runs until stopped: it must say where it listens, then is killed.
fn starts_serving(dir: &Path, command: &str, env: &[(String, String)]) {
    // `exec`: the shell becomes the server, so killing it stops the server.
    let mut child = shell(dir, &format!("exec {command}"), env).spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let served = loop {
        match rx.recv_timeout(PATIENCE) {
            Ok(line) if line.contains("http://127.0.0.1:") => break true,
            Ok(line) => seen.push(line),
            Err(_) => break false,
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(served, "`{command}` did not say where it serves: {seen:?}");
}

/// A UI command: in a pseudo-terminal, it must draw its screen and quit on `q`.
fn ui_starts(dir: &Path, command: &str, env: &[(String, String)], expect: &str) {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_ssetui"));
    let exports: String = env
        .iter()
        .map(|(k, v)| format!("export {k}='{v}'; "))
        .collect();
    let script = format!(
        "cd '{}' && export SSETUI_CONFIG='{}' PATH='{}':\"$PATH\"; {exports}{command}",
        dir.display(),
        dir.join("config.toml").display(),
        bin.parent().unwrap().display()
    );
    let mut app = Pty::start_with_shell(&script);
    app.wait_for(&format!("`{command}` on screen"), |s| s.contains(expect));
    assert!(app.quit(), "`{command}` quits with status 0");
}

#[test]
fn every_command_in_the_readme_works_as_written() {
    let (_runtime, demo) = demo("/");
    let demo = demo.trim_end_matches('/').to_owned();
    let dir = scratch("readme");
    let config = readme_config().replace("http://127.0.0.1:8900", &demo);
    std::fs::write(dir.join("config.toml"), config).unwrap();
    // The OpenAPI example `import openapi` reads, its server the demo's.
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi-demo.yaml"),
    )
    .expect("docs/openapi-demo.yaml");
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(
        dir.join("docs/openapi-demo.yaml"),
        example.replace("http://127.0.0.1:8900", &demo),
    )
    .unwrap();
    // The README's schema commands name files of the checkout
    // (`docs/schemas/…`), as a user runs them from its root.
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schemas"),
        dir.join("docs/schemas"),
    )
    .unwrap();
    let mut env: Vec<(String, String)> = Vec::new();
    let commands = readme_commands();
    assert!(commands.len() > 20, "{commands:?}");
    for command in commands {
        let command = command
            .replace("http://127.0.0.1:8900", &demo)
            // Any free port for the servers the README starts.
            .replace("--port 8901", "--port 0");
        if let Some(assignment) = command.strip_prefix("export ") {
            let (name, value) = assignment.split_once('=').expect("NAME=value");
            env.push((name.to_owned(), value.to_owned()));
            continue;
        }
        if command == "ssetui serve &" {
            // The demo this test already runs stands for it.
            continue;
        }
        if command.starts_with("ssetui serve") {
            // The default port may be taken on this machine: any free one.
            let command = if command.contains("--port") {
                command
            } else {
                format!("{command} --port 0")
            };
            starts_serving(&dir, &command, &env);
            continue;
        }
        if command.starts_with("ssetui tap") && command.contains("--headless") {
            // Says where it taps on stderr (stdout is its NDJSON).
            starts_serving(&dir, &format!("{command} 2>&1"), &env);
            continue;
        }
        if command.starts_with("ssetui tap") {
            ui_starts(&dir, &command, &env, "tap: exchanges");
            continue;
        }
        if command.starts_with("ssetui --schema") {
            // The demo's last chunk (usage only) breaks the schema: marked.
            ui_starts(&dir, &command, &env, "✗");
            continue;
        }
        if command.starts_with("ssetui --profile") {
            ui_starts(&dir, &command, &env, "protected");
            continue;
        }
        if command.starts_with("ssetui mcp") {
            // The title names the era once negotiated.
            ui_starts(&dir, &command, &env, "MCP s");
            continue;
        }
        if command.starts_with("ssetui open") {
            ui_starts(&dir, &command, &env, "clock.ssecap");
            continue;
        }
        let out = output_within(shell(&dir, &command, &env), PATIENCE);
        assert_eq!(
            out.status.code(),
            Some(0),
            "`{command}`\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
