//! Event ids: missing, replayed or backwards after a reconnect, gaps.

use std::collections::VecDeque;

use super::format::{plural, quote, times};
use super::{Finding, Severity};
use crate::sse::Event;

/// Ids remembered to recognise a replay after a reconnect.
const RECENT_IDS: usize = 32;
/// Longer ids are not remembered (they are still checked for order).
const MAX_REMEMBERED_ID_BYTES: usize = 256;

/// Event ids: missing, replayed or backwards after a reconnect, gaps.
#[derive(Debug, Default)]
pub(super) struct IdCheck {
    /// The request is not a GET (a POST to an LLM API): resuming is rarely expected.
    one_shot_request: bool,
    events: u64,
    without_id: u64,
    /// The id in force at the last event.
    last: String,
    last_numeric: Option<u128>,
    /// The Last-Event-ID an attempt sent, until its first event that sets an id.
    resumed_from: Option<String>,
    /// Whether the server has sent an id (in an event or an id-only block).
    server_sent: bool,
    /// Ids set lately, to recognise a replay of a non-numeric id.
    recent: VecDeque<String>,
    replayed: u64,
    replay_example: Option<(String, String)>,
    backwards: u64,
    backwards_after_reconnect: u64,
    backwards_example: Option<(String, String)>,
    steps_of_one: u64,
    gaps: u64,
    gap_example: Option<(u128, u128)>,
}

impl IdCheck {
    /// An attempt starts: `get` tells whether it is a GET (a stream a client
    /// is expected to resume), `sent` is the Last-Event-ID it sends.
    pub(super) fn resume(&mut self, get: bool, sent: Option<&str>) {
        self.one_shot_request = !get;
        self.resumed_from = sent.filter(|id| !id.is_empty()).map(str::to_owned);
    }

    /// Whether the attempt is not a GET (a POST to an LLM API): a request
    /// answered once, not a stream a client resumes.
    pub(super) fn is_one_shot(&self) -> bool {
        self.one_shot_request
    }

    /// A block that set the id without an event (`id:` alone): the server sent an id.
    pub(super) fn see_block(&mut self, id: Option<&str>) {
        if id.is_some_and(|id| !id.is_empty()) {
            self.server_sent = true;
        }
    }

    pub(super) fn see(&mut self, event: &Event) {
        self.events += 1;
        let id = &*event.id;
        // Only ids the server sent are judged. An event without an `id:` line
        // carries the id in force: the server's last one, or (before the
        // server sent any) the Last-Event-ID the client started with, which
        // is no id of the server's.
        if !event.sets_id {
            if id.is_empty() || !self.server_sent {
                self.without_id += 1;
            }
            return;
        }
        if id.is_empty() {
            self.without_id += 1;
            self.last.clear();
            return;
        }
        self.server_sent = true;
        let numeric = id.parse::<u128>().ok();
        let mut counted = false;
        if let Some(sent) = self.resumed_from.take() {
            // Numbering restarted below the id sent: the server ignored
            // Last-Event-ID (or lost its sequence); say "backwards" for that.
            let below_sent = numeric
                .zip(sent.parse::<u128>().ok())
                .is_some_and(|(n, s)| n < s);
            if below_sent {
                self.backwards += 1;
                self.backwards_after_reconnect += 1;
                self.backwards_example
                    .get_or_insert_with(|| (quote(&sent), quote(id)));
                counted = true;
            } else if id == sent || self.recent.iter().any(|r| r == id) {
                self.replayed += 1;
                self.replay_example
                    .get_or_insert_with(|| (quote(&sent), quote(id)));
                counted = true;
            }
        }
        if let (Some(n), Some(p)) = (numeric, self.last_numeric) {
            if n < p && !counted {
                self.backwards += 1;
                self.backwards_example
                    .get_or_insert_with(|| (quote(&self.last), quote(id)));
            } else if n == p.saturating_add(1) {
                self.steps_of_one += 1;
            } else if n > p.saturating_add(1) {
                self.gaps += 1;
                self.gap_example.get_or_insert((p, n));
            }
        }
        self.last_numeric = numeric;
        self.last.clear();
        self.last.push_str(id);
        if id.len() <= MAX_REMEMBERED_ID_BYTES {
            // The oldest slot's buffer is reused: no allocation per event once full.
            let mut slot = if self.recent.len() == RECENT_IDS {
                self.recent.pop_front().unwrap_or_default()
            } else {
                String::new()
            };
            slot.clear();
            slot.push_str(id);
            self.recent.push_back(slot);
        }
    }

    pub(super) fn findings(&self, out: &mut Vec<Finding>) {
        if self.without_id > 0 {
            // A POST stream (an LLM answer) is rarely resumable by design: a note, not a warning.
            let severity = if self.one_shot_request {
                Severity::Info
            } else {
                Severity::Warning
            };
            let (severity, title) = if self.without_id == self.events {
                let title = match self.events {
                    1 => "the only event has no id".to_owned(),
                    n => format!("none of the {n} events has an id"),
                };
                (severity, title)
            } else {
                (
                    Severity::Info,
                    format!("{} of {} events have no id", self.without_id, self.events),
                )
            };
            out.push(Finding {
                id: "no-ids",
                severity,
                title,
                why: "Without an id a reconnecting client has no Last-Event-ID to send, so the server cannot resend what was missed: events are lost or repeated at every reconnect.",
                fix: "Give every event an `id:` line (a sequence number or a position in the server's log) and resume from the client's Last-Event-ID header.",
            });
        }
        if self.replayed > 0 {
            let example = self
                .replay_example
                .as_ref()
                .map_or(String::new(), |(sent, got)| {
                    format!(" (sent Last-Event-ID {sent}, got id {got} again)")
                });
            out.push(Finding {
                id: "id-replayed",
                severity: Severity::Warning,
                title: format!(
                    "after a reconnect the server resent an event already received {}{example}",
                    times(self.replayed)
                ),
                why: "Last-Event-ID names the last event the client has; resending it (or earlier ones) makes clients process events twice.",
                fix: "On reconnect, send only the events after the one named by the Last-Event-ID request header.",
            });
        }
        if self.backwards > 0 {
            let example = self
                .backwards_example
                .as_ref()
                .map_or(String::new(), |(before, after)| {
                    format!(" (e.g. {before} then {after})")
                });
            let reconnects = if self.backwards_after_reconnect > 0 {
                format!(
                    ", {} right after a reconnect",
                    self.backwards_after_reconnect
                )
            } else {
                String::new()
            };
            out.push(Finding {
                id: "id-backwards",
                severity: Severity::Warning,
                title: format!(
                    "numeric ids went backwards {}{reconnects}{example}",
                    times(self.backwards)
                ),
                why: "Ids that go back mean the server restarted its numbering or ignored Last-Event-ID and replayed from an earlier point; clients then see old events again or resume from the wrong place.",
                fix: "Keep ids increasing across restarts (use a persistent sequence or log position) and honour the Last-Event-ID request header.",
            });
        }
        // Gaps matter only where ids otherwise count up one by one.
        if self.gaps > 0 && self.steps_of_one >= 4 * self.gaps {
            let example = self
                .gap_example
                .map_or(String::new(), |(p, n)| format!(" (first: {p} then {n})"));
            out.push(Finding {
                id: "id-gaps",
                severity: Severity::Warning,
                title: format!(
                    "{} in otherwise consecutive numeric ids{example}",
                    plural(self.gaps, "gap")
                ),
                why: "Ids that count up by one with holes suggest events were lost: dropped by the server, filtered by a proxy, or not replayed after a reconnect.",
                fix: "Check that the server sends every event it numbers and replays the missed ones after Last-Event-ID; if ids are sparse by design this is harmless.",
            });
        }
    }
}
