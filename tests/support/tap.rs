//! `ssetui tap --headless --port 0` as a process: its URL read from its
//! banner on stderr, its later stderr lines kept for the test to wait on.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running tap.
pub struct TapProcess {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub url: String,
    /// Its stderr lines after the banner, as they come.
    pub stderr: mpsc::Receiver<String>,
}

/// Starts `ssetui tap --headless --port 0 --upstream UPSTREAM ARGS` with
/// `stdout` (its NDJSON) and waits for its banner (`tapping … at URL`).
pub fn start(upstream: &str, args: &[&str], stdout: Stdio, patience: Duration) -> TapProcess {
    let mut child = super::app()
        .args(["tap", "--headless", "--port", "0", "--upstream", upstream])
        .args(args)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("ssetui tap starts");
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().expect("its stderr");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let banner = rx.recv_timeout(patience).expect("the tap's banner");
    let url = banner
        .rsplit(" at ")
        .next()
        .expect("tapping … at URL")
        .trim_end_matches('/')
        .to_owned();
    TapProcess {
        child,
        url,
        stderr: rx,
    }
}
