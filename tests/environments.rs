//! Environments and `{{name}}` placeholders from the command line: the real
//! binary with `--config`, `print --env` and `check --env` against the
//! in-process demo server's `/protected`, and `ssetui envs`.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::scratch;

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");
/// The longest a run of the binary may take.
const PATIENCE: Duration = Duration::from_secs(15);

/// The binary running `command` with `config`, and no config from the
/// environment of whoever runs the tests.
fn ssetui(home: &Path, config: &Path, command: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg(command)
        .env_remove("SSETUI_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("SSETUI_STAGING_TOKEN")
        .env("HOME", home)
        .arg("--config")
        .arg(config)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs to completion, killed if it takes longer than [`PATIENCE`].
fn run(cmd: Command) -> (i32, String, String) {
    let output = support::output_within(cmd, PATIENCE);
    (
        output.status.code().expect("exited, not killed"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A config whose staging environment points at the demo at `base` and
/// takes its token from `$SSETUI_STAGING_TOKEN`; dev has no token.
fn config(name: &str, base: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!(
            "[environments.staging]\n\
             base_url = \"{base}\"\n\
             token = \"${{env:SSETUI_STAGING_TOKEN}}\"\n\
             api_key = \"plain-staging-key\"\n\
             [environments.dev]\n\
             base_url = \"http://127.0.0.1:9\"\n\
             [profiles.p]\n\
             url = \"{{{{base_url}}}}/protected?interval_ms=10\"\n\
             auth = {{ kind = \"bearer\", token = \"{{{{token}}}}\" }}\n"
        ),
    )
    .unwrap();
    (dir, config)
}

fn first_event(stdout: &str) -> Value {
    let line = stdout
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no event in {stdout:?}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"))
}

#[test]
fn print_env_staging_fills_the_profile_and_takes_the_token_from_the_environment() {
    let (_rt, base) = support::demo("");
    let base = base.trim_end_matches('/');
    let (dir, config) = config("print", base);

    let mut cmd = ssetui(&dir, &config, "print");
    cmd.args(["--profile", "p", "--env", "staging", "--max-events", "1"])
        .env("SSETUI_STAGING_TOKEN", "ssetui-demo-token");
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    let event = first_event(&stdout);
    assert_eq!(event["event"], "welcome");
    assert_eq!(event["data"], r#"{"auth":"bearer"}"#);

    // The same from the command line alone, with -v: the token is not shown.
    let mut cmd = ssetui(&dir, &config, "print");
    cmd.args(["-v", "--env", "staging", "--max-events", "1"])
        .args([
            "{{base_url}}/protected?interval_ms=10",
            "--bearer",
            "{{token}}",
        ])
        .env("SSETUI_STAGING_TOKEN", "ssetui-demo-token");
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(first_event(&stdout)["data"], r#"{"auth":"bearer"}"#);
    assert!(!stderr.contains("ssetui-demo-token"), "{stderr}");
    assert!(
        stderr.contains(&format!("> GET {base}/protected")),
        "{stderr}"
    );

    // --var wins over the environment.
    let mut cmd = ssetui(&dir, &config, "print");
    cmd.args(["--profile", "p", "--env", "staging", "--max-events", "1"])
        .args(["--var", "token=ssetui-demo-token"]);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(first_event(&stdout)["data"], r#"{"auth":"bearer"}"#);
}

#[test]
fn an_undefined_variable_exits_2_naming_it_and_its_field_before_connecting() {
    let (dir, config) = config("undefined", "http://127.0.0.1:9");
    for (command, extra) in [("print", "--max-events"), ("check", "--min-events")] {
        let mut cmd = ssetui(&dir, &config, command);
        cmd.args(["--profile", "p", "--env", "dev", extra, "1"]);
        let (code, stdout, stderr) = run(cmd);
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(stdout.is_empty(), "{command}: {stdout}");
        assert!(
            stderr.contains("{{token}}") && stderr.contains("auth.token"),
            "{command}: {stderr}"
        );
    }
    // No environment at all: the URL's placeholder is undefined.
    let mut cmd = ssetui(&dir, &config, "print");
    cmd.args(["{{base_url}}/clock"]);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("the URL") && stderr.contains("{{base_url}}") && stderr.contains("--env"),
        "{stderr}"
    );
    // An environment that does not exist names those that do.
    let mut cmd = ssetui(&dir, &config, "print");
    cmd.args(["--env", "prod", "--profile", "p"]);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("\"prod\"") && stderr.contains("staging, dev"),
        "{stderr}"
    );
}

#[test]
fn envs_lists_each_environment_with_secret_values_masked() {
    let (dir, config) = config("envs", "http://127.0.0.1:8900");
    let cmd = ssetui(&dir, &config, "envs");
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    // In the order written, environments and their keys (not sorted).
    assert_eq!(
        stdout,
        "staging\n  base_url  http://127.0.0.1:8900\n  token     ${env:SSETUI_STAGING_TOKEN}\n  api_key   ***\n\
         dev\n  base_url  http://127.0.0.1:9\n"
    );
    assert!(!stdout.contains("plain-staging-key"));
}

#[test]
fn env_names_complete_from_the_config() {
    let (dir, config) = config("complete", "http://127.0.0.1:9");
    let mut cmd = Command::new(BIN);
    cmd.env_remove("XDG_CONFIG_HOME")
        .env("HOME", &dir)
        .env("COMPLETE", "bash")
        .env("SSETUI_CONFIG", &config)
        .env("_CLAP_COMPLETE_INDEX", "3")
        .env("_CLAP_IFS", "\n")
        .args(["--", "ssetui", "print", "--env", "st"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.trim(), "staging");
}
