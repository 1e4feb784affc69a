//! The plain-text report of `print --diagnose`.

use std::fmt::Write as _;

use super::format::{plural, size};
use super::{Diagnostics, Severity};

impl Diagnostics {
    /// A plain-text report for `print --diagnose`: each finding with its why
    /// and fix, or "no problems found", then what was checked.
    pub fn report(&self) -> String {
        let findings = self.findings();
        let mut out = String::new();
        if findings.is_empty() {
            out.push_str("ssetui diagnosis: no problems found.\n");
        } else {
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            let _ = writeln!(
                out,
                "ssetui diagnosis: {} (errors {}, warnings {}, notes {})",
                plural(findings.len() as u64, "problem"),
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info),
            );
            for f in &findings {
                let _ = writeln!(out, "\n[{}] {}: {}", f.severity.label(), f.id, f.title);
                let _ = writeln!(out, "  why: {}", f.why);
                let _ = writeln!(out, "  fix: {}", f.fix);
            }
            out.push('\n');
        }
        out.push_str(&self.checked());
        out
    }

    /// The "what was checked" paragraph of the report.
    fn checked(&self) -> String {
        let mut out = String::from("Checked: ");
        match &self.last_response {
            Some(head) => {
                let _ = write!(
                    out,
                    "{} ({head})",
                    plural(u64::from(self.responses), "response")
                );
            }
            None => out.push_str("no response accepted"),
        }
        let _ = writeln!(
            out,
            ", {} and {} in {} ({}), {}.",
            plural(self.events, "event"),
            plural(self.comments, "comment block"),
            plural(self.reads, "read"),
            size(self.bytes),
            plural(u64::from(self.reconnects), "reconnect"),
        );
        out.push_str(
            "- response: status, Content-Type, charset, Cache-Control, Content-Encoding, HTTP version\n\
             - delivery: bursts after silence (buffering), silences past 30 s / 60 s (keep-alives), dropped connections\n\
             - ids: missing, replayed or going backwards after a reconnect, gaps in numeric ids\n\
             - bytes: mixed line endings, byte-order marks, invalid UTF-8, events over 1 MiB, unfinished last event\n\
             - data: non-JSON events among JSON ones of the same type\n\
             - retry: absent, below 500 ms, above 5 min\n",
        );
        out
    }
}
