//! The history: every request sent from the UI, `print` and `check`, one
//! JSON object a line in `history.jsonl` beside the config file, newest
//! last. Secrets are redacted as a capture redacts them (the same
//! [`request_info`]), the newest [`MAX_ENTRIES`] are kept, and a line that
//! does not read (a crash mid-write by another tool, an edit by hand) is
//! skipped, never fatal.
//!
//! The file is 0600, written whole to a new file and renamed over the old
//! one (a crash never leaves half a history), and never through a symlink.

mod file;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::capture::{RequestInfo, request_info, spec_from};
use crate::sse::RequestSpec;

pub use file::{HistoryError, append, read};

/// The file's name, in the config file's directory.
pub const FILE_NAME: &str = "history.jsonl";
/// Entries kept; the oldest go first.
pub const MAX_ENTRIES: usize = 500;
/// A body longer than this is not kept (the entry says how long it was):
/// 500 large bodies would make a history of gigabytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Where the history of the config file at `config` is.
pub fn path_beside(config: &Path) -> PathBuf {
    config.with_file_name(FILE_NAME)
}

/// Which part of ssetui sent a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Ui,
    Print,
    Check,
}

/// One request as it was sent, secrets redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was sent: RFC 3339 with milliseconds, UTC.
    pub time: String,
    pub sender: Sender,
    /// The profile it started from, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    pub request: RequestInfo,
    /// The length of a body too long to keep ([`MAX_BODY_BYTES`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_omitted: Option<usize>,
}

impl Entry {
    /// The entry for `spec`, sent at `at`: its credentials, secret headers
    /// and query values masked as a capture masks them.
    pub fn new(
        spec: &RequestSpec,
        profile: Option<String>,
        sender: Sender,
        at: SystemTime,
    ) -> Self {
        let mut request = request_info(spec, false);
        let long_body = request.body.as_ref().map_or(0, String::len);
        let body_omitted = (long_body > MAX_BODY_BYTES).then(|| {
            request.body = None;
            long_body
        });
        Self {
            time: humantime::format_rfc3339_millis(at).to_string(),
            sender,
            profile,
            request,
            body_omitted,
        }
    }

    /// The request to send again: masked values are flagged, so connecting
    /// asks for them instead of sending the mask.
    pub fn to_spec(&self) -> Result<RequestSpec, String> {
        if let Some(len) = self.body_omitted {
            return Err(format!(
                "its body ({len} bytes) was too long to keep in the history"
            ));
        }
        spec_from(&self.request)
    }

    /// The time as a list shows it: `2026-11-24 15:40:01`.
    pub fn short_time(&self) -> String {
        self.time
            .get(..19)
            .unwrap_or(&self.time)
            .replacen('T', " ", 1)
    }
}

/// The `ssetui history` table: time, sender, method, URL, profile; newest
/// last, as a shell history. Every field neutralised: a URL came from a
/// command line or a server's redirect.
pub fn table(entries: &[Entry]) -> String {
    use crate::text::one_line;
    let mut out = String::new();
    for entry in entries {
        let profile = entry
            .profile
            .as_deref()
            .map(|p| format!("  [{}]", one_line(p)))
            .unwrap_or_default();
        out.push_str(&format!(
            "{}  {:<6} {:<7} {}{}\n",
            entry.short_time(),
            sender_name(entry.sender),
            one_line(&entry.request.method).to_string(),
            one_line(&entry.request.url),
            profile
        ));
    }
    out
}

/// `entry` as its line in the file, with the characters a terminal would
/// obey or hide (DEL, C1, bidirectional and zero-width ones) written as
/// `\uXXXX` as well: the same JSON to a reader, nothing raw to a terminal.
pub fn json_line(entry: &Entry) -> String {
    let json = serde_json::to_string(entry).unwrap_or_default();
    let mut out = crate::text::json_safe(&json).into_owned();
    out.push('\n');
    out
}

fn sender_name(sender: Sender) -> &'static str {
    match sender {
        Sender::Ui => "ui",
        Sender::Print => "print",
        Sender::Check => "check",
    }
}

#[cfg(test)]
mod tests;
