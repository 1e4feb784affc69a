//! The transcript's paragraph for people, and how it writes durations.

use std::fmt::Write as _;

use super::{ErrorSource, MAX_TEXT_BYTES, Transcript};

impl Transcript {
    /// One paragraph for people (`print --transcript` writes it to stderr).
    pub fn summary(&self) -> String {
        let mut out = String::from("transcript: ");
        match (self.shape, &self.path) {
            (Some(shape), _) => out.push_str(shape.label()),
            (None, Some(path)) => {
                let _ = write!(out, "nothing found at {path}");
            }
            (None, None) => out.push_str("no LLM stream recognised"),
        }
        let _ = write!(out, "; {} chars", self.text.chars().count());
        if self.text_truncated {
            let _ = write!(out, " (cut at {} MiB)", MAX_TEXT_BYTES >> 20);
        }
        if self.has_reasoning() {
            let _ = write!(out, "; reasoning {} chars", self.reasoning.chars().count());
            if self.reasoning_truncated {
                let _ = write!(out, " (cut at {} MiB)", MAX_TEXT_BYTES >> 20);
            }
            if self.redacted_reasoning > 0 {
                let _ = write!(
                    out,
                    " and {} (not shown)",
                    crate::text::plural(self.redacted_reasoning, "redacted block")
                );
            }
            if let Some(ttfr) = self.time_to_first_reasoning_token() {
                let _ = write!(
                    out,
                    "; time to first reasoning token {}",
                    crate::text::duration(ttfr)
                );
            }
        }
        if let Some(ttft) = self.time_to_first_token() {
            let _ = write!(out, "; time to first token {}", crate::text::duration(ttft));
        }
        let _ = write!(out, "; {} chunks", self.content_chunks);
        if let Some(rate) = self.chunks_per_second() {
            let _ = write!(out, " at {rate:.1}/s");
        }
        if self.other_events > 0 {
            let _ = write!(out, " ({} other events ignored)", self.other_events);
        }
        if let Some(duration) = self.duration() {
            let _ = write!(out, "; {} in all", crate::text::duration(duration));
        }
        match (&self.terminal, &self.finish_reason) {
            (Some(marker), Some(reason)) => {
                let _ = write!(out, "; ended by {marker} (finish reason {reason})");
            }
            (Some(marker), None) => {
                let _ = write!(out, "; ended by {marker}");
            }
            (None, Some(reason)) => {
                let _ = write!(out, "; finish reason {reason}");
            }
            (None, None) => out.push_str("; no end marker"),
        }
        if let Some(usage) = self.usage() {
            out.push_str("; usage");
            let total = usage.total();
            for (n, label) in [(usage.input, "in"), (usage.output, "out"), (total, "total")] {
                if let Some(n) = n {
                    let _ = write!(out, " {n} {label}");
                }
            }
        }
        match self.usage.reasoning {
            Some(n) => {
                let _ = write!(out, "; reasoning tokens {n}");
            }
            None if self.has_reasoning() => out.push_str("; reasoning tokens not reported"),
            None => {}
        }
        for tool in &self.tools {
            let _ = write!(out, "; tool call {}({})", tool.name, tool.arguments);
        }
        let errors = self.errors.len() + self.errors_dropped;
        if errors > 0 {
            let _ = write!(out, "; {}", crate::text::plural(errors as u64, "error"));
            for error in &self.errors {
                out.push_str(": ");
                if let ErrorSource::Http {
                    status,
                    retry_after,
                } = error.source
                {
                    let _ = write!(out, "HTTP {status} ");
                    if let Some(delay) = retry_after {
                        let _ = write!(out, "(retry after {}) ", crate::text::duration(delay));
                    }
                }
                out.push_str(&error.text);
            }
        }
        out.push('.');
        out
    }
}
