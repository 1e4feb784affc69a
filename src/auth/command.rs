//! A token command: a program whose standard output is a token
//! (`gcloud auth print-access-token`), run by the connection before its
//! first attempt and again once the token is older than its time to live or
//! was rejected. Its output is a secret: it goes in one header and nowhere
//! else (never a log, a capture, the history or a curl copy).

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt as _;
use tokio::process::Command;
use tokio::sync::Mutex;

use crate::sse::session::{CredentialFuture, Notices};
use crate::sse::{Credential, CredentialError, CredentialSource, Freshness};

use super::Placement;

#[cfg(test)]
mod tests;

/// How long a token command may run by default.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);
/// The most of a command's output read: a token is a few KiB at most.
const MAX_OUTPUT_BYTES: u64 = 64 * 1024;
/// How much of its stderr a failure message quotes.
const STDERR_SHOWN_CHARS: usize = 400;

/// A token command and the token it last printed.
#[derive(Debug)]
pub struct TokenCommand {
    /// The program and its arguments, run without a shell.
    argv: Vec<String>,
    /// How long a token is used before the command runs again; `None`
    /// until the server rejects it.
    ttl: Option<Duration>,
    timeout: Duration,
    placement: Placement,
    cached: Mutex<Option<(String, Instant)>>,
}

impl TokenCommand {
    /// A command (`argv[0]` the program); `None` when `argv` is empty.
    pub fn new(
        argv: Vec<String>,
        ttl: Option<Duration>,
        timeout: Option<Duration>,
        placement: Placement,
    ) -> Option<Self> {
        if argv.first().is_none_or(|program| program.trim().is_empty()) {
            return None;
        }
        Some(Self {
            argv,
            ttl,
            timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
            placement,
            cached: Mutex::new(None),
        })
    }

    /// The command line as shown in messages (its arguments are the
    /// user's own, not the token).
    fn shown(&self) -> String {
        crate::text::one_line(self.argv.join(" ")).to_string()
    }

    /// Runs the command once: its output, the trailing newline trimmed.
    async fn run(&self) -> Result<String, CredentialError> {
        let fail =
            |what: String| CredentialError(format!("the token command `{}` {what}", self.shown()));
        let mut child = Command::new(&self.argv[0])
            .args(&self.argv[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // A timeout drops the child: it is killed, not left running.
            .kill_on_drop(true)
            .spawn()
            .map_err(|err| fail(format!("could not start: {err}")))?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(fail("gave no output pipes".into()));
        };
        let mut out = Vec::new();
        let mut err = Vec::new();
        let finished = async {
            let mut stdout = stdout.take(MAX_OUTPUT_BYTES);
            let mut stderr = stderr.take(MAX_OUTPUT_BYTES);
            let (read_out, read_err) =
                tokio::join!(stdout.read_to_end(&mut out), stderr.read_to_end(&mut err),);
            read_out.and(read_err)?;
            child.wait().await
        };
        let status = match tokio::time::timeout(self.timeout, finished).await {
            Ok(Ok(status)) => status,
            Ok(Err(io)) => return Err(fail(format!("could not be read: {io}"))),
            Err(_) => {
                return Err(fail(format!(
                    "did not finish within {} and was stopped (set `timeout` to allow longer)",
                    crate::text::duration(self.timeout)
                )));
            }
        };
        let stderr_text = String::from_utf8_lossy(&err);
        let stderr_text: String = stderr_text
            .trim()
            .chars()
            .take(STDERR_SHOWN_CHARS)
            .collect();
        let said = if stderr_text.is_empty() {
            String::new()
        } else {
            format!(": {}", crate::text::one_line(&stderr_text))
        };
        if !status.success() {
            let code = status
                .code()
                .map_or_else(|| "by a signal".to_owned(), |c| format!("with status {c}"));
            return Err(fail(format!("failed ({code}){said}")));
        }
        let token =
            String::from_utf8(out).map_err(|_| fail("printed a token that is not UTF-8".into()))?;
        let token = token.trim_end_matches(['\n', '\r']).to_owned();
        if token.trim().is_empty() {
            return Err(fail(format!("printed no token{said}")));
        }
        if token.contains(['\n', '\r']) {
            return Err(fail(
                "printed more than one line; a token is one line".into(),
            ));
        }
        Ok(token)
    }

    fn fresh(&self, fetched: Instant) -> bool {
        self.ttl.is_none_or(|ttl| fetched.elapsed() < ttl)
    }
}

impl CredentialSource for TokenCommand {
    fn credential(&self, freshness: Freshness, _notices: Notices) -> CredentialFuture<'_> {
        Box::pin(async move {
            // Held while the command runs: two tabs' reconnects run it once.
            let mut cached = self.cached.lock().await;
            if freshness == Freshness::Cached
                && let Some((token, fetched)) = cached.as_ref()
                && self.fresh(*fetched)
            {
                return Ok(self.placement.credential(token));
            }
            let token = self.run().await?;
            let credential = self.placement.credential(&token);
            *cached = Some((token, Instant::now()));
            Ok(credential)
        })
    }

    fn describe(&self) -> String {
        format!("the token command `{}`", self.shown())
    }
}

impl Placement {
    /// The header a token goes in, as sent.
    pub fn credential(&self, token: &str) -> Credential {
        Credential {
            header: self.header.clone(),
            value: format!("{}{token}", self.prefix),
            secret: token.to_owned(),
        }
    }
}
