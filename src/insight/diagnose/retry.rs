//! `retry:`: absent, too small, too large.

use std::time::Duration;

use super::format::duration;
use super::{Finding, RETRY_TOO_LARGE, RETRY_TOO_SMALL, Severity};

/// The `retry:` values the stream set.
#[derive(Debug, Default)]
pub(super) struct RetryCheck {
    seen: u64,
    smallest: Option<u64>,
    largest: Option<u64>,
}

impl RetryCheck {
    pub(super) fn see(&mut self, retry_ms: Option<u64>) {
        if let Some(ms) = retry_ms {
            self.seen += 1;
            self.smallest = Some(self.smallest.map_or(ms, |s| s.min(ms)));
            self.largest = Some(self.largest.map_or(ms, |l| l.max(ms)));
        }
    }

    pub(super) fn findings(&self, events: u64, out: &mut Vec<Finding>) {
        if self.seen == 0 && events > 0 {
            out.push(Finding {
                id: "retry-absent",
                severity: Severity::Info,
                title: "the stream never sets `retry:`".into(),
                why: "Without it each client picks its own reconnection delay (browsers about 3 s, other clients anything from none to a minute), so the server cannot pace reconnects after an outage.",
                fix: "Send a `retry:` line (in milliseconds, e.g. `retry: 3000`) at the start of the stream.",
            });
        }
        if let Some(ms) = self
            .smallest
            .filter(|ms| *ms < RETRY_TOO_SMALL.as_millis() as u64)
        {
            out.push(Finding {
                id: "retry-small",
                severity: Severity::Warning,
                title: format!("retry: {ms} ms is below {} ms", RETRY_TOO_SMALL.as_millis()),
                why: "After an outage every client reconnects almost at once and again at once on failure, a storm of requests that can keep a recovering server down.",
                fix: "Use a retry of a few seconds (e.g. `retry: 3000`); spread reconnects further with jitter on the client.",
            });
        }
        if let Some(ms) = self
            .largest
            .filter(|ms| *ms > RETRY_TOO_LARGE.as_millis() as u64)
        {
            out.push(Finding {
                id: "retry-large",
                severity: Severity::Warning,
                title: format!(
                    "retry: {ms} ms ({}) is above {}",
                    duration(Duration::from_millis(ms)),
                    duration(RETRY_TOO_LARGE)
                ),
                why: "After a dropped connection clients wait this long before reconnecting, so the stream looks dead to users.",
                fix: "Use a retry of seconds, not minutes; to shed load, answer 503 with Retry-After or 204 (stop) instead.",
            });
        }
    }
}
