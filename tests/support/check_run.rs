//! `ssetui check` run as a CI pipeline runs it: the real binary with no
//! config from the environment, its status, report and stderr, for the
//! tests of `check` (`check_cli.rs`, `check_jq.rs`, `junit_schema.rs`).
//! Include it beside `mod support;` with
//! `#[path = "support/check_run.rs"] mod check_run;`.

// Each test file uses part of it.
#![allow(dead_code)]

use std::process::{Command, Stdio};
use std::time::Duration;

use tokio::runtime::Runtime;

use crate::support::{Step, TestServer, output_within, scratch, sse_head, write};

const BIN: &str = env!("CARGO_BIN_EXE_ssetui");

/// How long any run may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// What a finished run left.
pub struct Done {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Done {
    /// The report line for the expectation described as `expected`.
    pub fn line(&self, expected: &str) -> &str {
        self.stdout
            .lines()
            .find(|l| {
                l.split_once(' ')
                    .is_some_and(|(_, rest)| rest.starts_with(expected))
            })
            .unwrap_or_else(|| panic!("no report line for {expected:?} in:\n{}", self.stdout))
    }
}

/// `ssetui check ARGS` to completion, with no config from the environment.
pub fn check(args: &[&str]) -> Done {
    let home = scratch("home");
    let mut cmd = Command::new(BIN);
    cmd.arg("check")
        .args(args)
        .env_remove("SSETUI_CONFIG")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", &home)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = output_within(cmd, PATIENCE);
    Done {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A raw-TCP server that sends `body` as an event stream, then closes.
pub fn stream(body: &str) -> (Runtime, TestServer) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(TestServer::always(vec![
        sse_head(),
        write(body),
        Step::Close,
    ]));
    (runtime, server)
}
