//! Stream diagnostics: the SSE mistakes a plain event list does not show
//! (a wrong Content-Type, proxy buffering, no keep-alives, missing ids,
//! mixed line endings...), each explained with why it matters and how to fix it.
//!
//! Fed every connection message with the instant it was received, so timing
//! checks are testable with made-up instants. Memory stays bounded however
//! long the stream: counters, a few examples and small rings, never events.
//!
//! Thresholds, chosen to flag what real deployments get wrong while leaving
//! healthy streams alone:
//! - a *burst* is a read holding at least [`BURST_MIN_EVENTS`] events after at
//!   least [`BURST_MIN_SILENCE`] without bytes; buffering is reported once
//!   [`BURSTS_TO_REPORT`] bursts were seen (one could be a server's own batch);
//! - a silence is reported past the common idle timeouts [`IDLE_TIMEOUTS`];
//! - an event is oversized past [`OVERSIZED_EVENT_BYTES`];
//! - `retry:` is unusual below [`RETRY_TOO_SMALL`] or above [`RETRY_TOO_LARGE`];
//! - data is "mostly JSON" for an event type when at least [`JSON_MIN_EVENTS`]
//!   of its events are JSON and at least four in five are.

mod body_scan;
mod delivery;
mod diagnostics;
mod failure;
mod format;
mod ids;
mod json;
pub mod llm_shapes;
mod report;
mod response_head;
mod retry;
#[cfg(test)]
mod tests;

use std::time::Duration;

pub use diagnostics::Diagnostics;
pub use llm_shapes::IDS as LLM_SHAPE_IDS;

/// A read with at least this many events after a silence is a burst.
pub const BURST_MIN_EVENTS: usize = 10;
/// The silence before a read that makes it a burst.
pub const BURST_MIN_SILENCE: Duration = Duration::from_secs(1);
/// Bursts seen before buffering is reported.
pub const BURSTS_TO_REPORT: u32 = 2;
/// Idle timeouts common in proxies and load balancers.
pub const IDLE_TIMEOUTS: [Duration; 2] = [Duration::from_secs(30), Duration::from_secs(60)];
/// Events larger than this (raw bytes) are reported.
pub const OVERSIZED_EVENT_BYTES: u64 = 1024 * 1024;
/// A `retry:` below this makes every client hammer the server after an outage.
pub const RETRY_TOO_SMALL: Duration = Duration::from_millis(500);
/// A `retry:` above this makes a dropped stream look dead.
pub const RETRY_TOO_LARGE: Duration = Duration::from_secs(300);
/// JSON events of one type needed before a non-JSON one is odd.
pub const JSON_MIN_EVENTS: u64 = 3;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The stream does not work (rejected response, failed connection).
    Error,
    /// It works here but will break or misbehave somewhere (proxies, browsers, reconnects).
    Warning,
    /// Worth knowing; not wrong.
    Info,
}

impl Severity {
    /// The word the report prints before a finding.
    pub fn label(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "note",
        }
    }
}

/// One problem found, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable name of the check (`content-type`, `buffering`...), for tests and filters.
    pub id: &'static str,
    pub severity: Severity,
    /// One line naming the problem, with the figures. Server-supplied text is
    /// quoted with control characters escaped.
    pub title: String,
    /// Why it matters.
    pub why: &'static str,
    /// How to fix it.
    pub fix: &'static str,
}
