//! Timing: bursts after a silence (buffering), silences past idle timeouts
//! (keep-alives), connections dropped mid-stream.

use std::time::{Duration, Instant};

use super::format::{duration, times};
use super::{BURSTS_TO_REPORT, Diagnostics, Finding, IDLE_TIMEOUTS, Severity};

impl Diagnostics {
    pub(super) fn delivery_findings(&self, now: Option<Instant>, out: &mut Vec<Finding>) {
        if self.bursts >= BURSTS_TO_REPORT {
            out.push(Finding {
                id: "buffering",
                severity: Severity::Warning,
                title: format!(
                    "events arrive in bursts: {} of up to {} events in one read after up to {} of silence",
                    self.bursts,
                    self.largest_burst,
                    duration(self.longest_burst_silence)
                ),
                why: "Events held back and released together mean something between the server and the client buffers the response: a reverse proxy (nginx buffers by default), a CDN, compression middleware, or the server's own output buffer. Clients see events late and in clumps.",
                fix: "Turn buffering off for this route (nginx: `proxy_buffering off;` or the response header `X-Accel-Buffering: no`), do not compress text/event-stream, and flush the server's output after each event.",
            });
        }
        let ongoing = now
            .zip(self.last_bytes_at)
            .map_or(Duration::ZERO, |(now, at)| {
                now.saturating_duration_since(at)
            });
        let silence = self.longest_silence.max(ongoing);
        if silence >= IDLE_TIMEOUTS[0] {
            let passed: Vec<String> = IDLE_TIMEOUTS
                .iter()
                .filter(|t| silence >= **t)
                .map(|t| format!("{} s", t.as_secs()))
                .collect();
            let dropped = if self.dropped_after_silence {
                "; the connection then ended"
            } else {
                ""
            };
            out.push(Finding {
                id: "keep-alive",
                severity: Severity::Warning,
                title: format!(
                    "no bytes for {} while connected: past the common {} idle timeout{}{dropped}",
                    duration(silence),
                    passed.join(" and "),
                    if passed.len() > 1 { "s" } else { "" },
                ),
                why: "Proxies, load balancers and browsers close a connection that stays idle past their timeout (often 30 s or 60 s; nginx and AWS load balancers default to 60 s), so a quiet stream is cut and must reconnect.",
                fix: "When there is nothing to send, send a comment line such as `: keep-alive` followed by a blank line every 15 to 20 seconds.",
            });
        }
        if self.drops > 0 {
            out.push(Finding {
                id: "connection-dropped",
                severity: Severity::Warning,
                title: format!("the connection broke mid-stream {}", times(u64::from(self.drops))),
                why: "Events in flight when a connection breaks are lost unless the client can resume from their id.",
                fix: "Check the server's and proxies' logs and timeouts for why the connection closed; send keep-alives and give events ids so clients resume where they stopped.",
            });
        }
    }
}
