//! Profiles from the command line: the real binary with `--config` /
//! `SSETUI_CONFIG`, `print --profile` against the in-process demo server,
//! `ssetui profiles` and `ssetui config path`.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;
use support::scratch;
use tokio::runtime::Runtime;

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");
/// The longest a run of the binary may take.
const PATIENCE: Duration = Duration::from_secs(15);

/// The binary with no config from the environment of whoever runs the tests.
fn ssetui(home: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_remove("SSETUI_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home)
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

/// The demo server on its own runtime, which must outlive its use, and its
/// base URL without the trailing slash.
fn demo() -> (Runtime, String) {
    let (runtime, base) = support::demo("");
    (runtime, base.trim_end_matches('/').to_owned())
}

fn first_event(stdout: &str) -> Value {
    let line = stdout
        .lines()
        .next()
        .unwrap_or_else(|| panic!("no event in {stdout:?}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}"))
}

#[test]
fn print_profile_uses_its_env_token_and_options_override_it() {
    let (_rt, base) = demo();
    let dir = scratch("print");
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!(
            "[profiles.p]\nurl = \"{base}/protected?interval_ms=10\"\n\
             auth = {{ kind = \"bearer\", token = \"${{env:SSETUI_TEST_TOKEN}}\" }}\n"
        ),
    )
    .unwrap();
    let print = |extra: &[&str], token: Option<&str>| {
        let mut cmd = ssetui(&dir);
        cmd.args(["print", "--config"]).arg(&config);
        cmd.args(["--profile", "p", "--max-events", "1"])
            .args(extra);
        match token {
            Some(token) => cmd.env("SSETUI_TEST_TOKEN", token),
            None => cmd.env_remove("SSETUI_TEST_TOKEN"),
        };
        run(cmd)
    };

    let (code, stdout, stderr) = print(&[], Some("ssetui-demo-token"));
    assert_eq!(code, 0, "{stderr}");
    let event = first_event(&stdout);
    assert_eq!(event["event"], "welcome");
    assert_eq!(event["data"], r#"{"auth":"bearer"}"#);

    // An option replaces the profile's auth.
    let (code, stdout, stderr) = print(&["--api-key", "X-API-Key=ssetui-demo-key"], Some("wrong"));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(first_event(&stdout)["data"], r#"{"auth":"api_key_header"}"#);

    // The wrong token from the environment is refused by the server.
    let (code, _, stderr) = print(&["--max-retries", "0"], Some("wrong"));
    assert_eq!(code, 1, "{stderr}");

    // A missing variable is an error naming it, before any connection.
    let (code, stdout, stderr) = print(&[], None);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("SSETUI_TEST_TOKEN") && stderr.contains("\"p\""),
        "{stderr}"
    );

    // An unknown profile names the ones there are.
    let mut cmd = ssetui(&dir);
    cmd.args(["print", "--profile", "nope"])
        .env("SSETUI_CONFIG", &config);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("nope") && stderr.contains("profiles: p"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_config_is_an_error_exit_with_its_line_and_column() {
    let dir = scratch("malformed");
    let config = dir.join("config.toml");
    fs::write(&config, "[settings]\nmax_events = [\n").unwrap();
    for args in [&["print", "http://127.0.0.1:9/"][..], &["profiles"]] {
        let mut cmd = ssetui(&dir);
        cmd.args(args).env("SSETUI_CONFIG", &config);
        let (code, _, stderr) = run(cmd);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{}:2:15: unclosed array, expected",
                config.display()
            )),
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn profiles_lists_name_method_url_and_description_in_columns() {
    let dir = scratch("list");
    let config = dir.join("config.toml");
    fs::write(
        &config,
        "[profiles.clock]\nurl = \"localhost:8900/clock\"\ndescription = \"ticks\"\n\
         [profiles.chat-long-name]\nurl = \"http://h/chat\"\nbody = \"{}\"\n\
         [profiles.del]\nurl = \"http://h/x\"\nmethod = \"delete\"\n",
    )
    .unwrap();
    let mut cmd = ssetui(&dir);
    cmd.arg("profiles").arg("--config").arg(&config);
    let (code, stdout, stderr) = run(cmd);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "clock           GET     localhost:8900/clock  ticks\n\
         chat-long-name  POST    http://h/chat\n\
         del             DELETE  http://h/x\n"
    );

    let empty = dir.join("none.toml");
    let mut cmd = ssetui(&dir);
    cmd.arg("profiles").env("SSETUI_CONFIG", &empty);
    let (code, stdout, _) = run(cmd);
    assert_eq!(code, 0);
    assert!(
        stdout.contains(&empty.display().to_string()) && stdout.contains("config.example.toml"),
        "{stdout}"
    );
}

#[test]
fn config_path_honours_the_flag_then_the_environment() {
    let dir = scratch("path");
    let path = |flag: Option<&str>, env: Option<&str>| {
        let mut cmd = ssetui(&dir);
        cmd.args(["config", "path"]);
        if let Some(flag) = flag {
            cmd.args(["--config", flag]);
        }
        if let Some(env) = env {
            cmd.env("SSETUI_CONFIG", env);
        }
        let (code, stdout, stderr) = run(cmd);
        assert_eq!(code, 0, "{stderr}");
        stdout
    };
    assert_eq!(
        path(Some("/a/flag.toml"), Some("/b/env.toml")),
        "/a/flag.toml\n"
    );
    assert_eq!(path(None, Some("/b/env.toml")), "/b/env.toml\n");
    let default = path(None, None);
    assert!(default.trim_end().ends_with("config.toml"), "{default}");
    #[cfg(target_os = "linux")]
    assert_eq!(
        default,
        format!("{}\n", dir.join(".config/ssetui/config.toml").display())
    );
}

#[test]
fn a_command_after_an_option_is_not_taken_for_a_url() {
    let home = scratch("command-after-option");
    let mut cmd = ssetui(&home);
    cmd.args(["--config", "x.toml", "profiles"]);
    let (code, _, stderr) = run(cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("`ssetui profiles --config FILE`"),
        "{stderr}"
    );
}
