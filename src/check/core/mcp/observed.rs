//! The rules judged over what the connection saw rather than by a probe of
//! their own: every message JSON-RPC, every request answered with its id
//! (the connection's [`Tracker`](crate::mcp::tracker::Tracker) findings),
//! and event ids unique across every stream.

use std::collections::HashMap;

use super::{EVENT_IDS, Finding, JSONRPC, Outcome, PRIMING, RETRY_BEFORE_CLOSE};
use crate::mcp::jsonrpc::Message;
use crate::mcp::negotiate::Era;
use crate::mcp::probe::Answer;
use crate::mcp::{Direction, Observed};

/// What a check run saw, for the rules judged over all of it.
#[derive(Debug, Default)]
pub struct Seen {
    /// Everything the connection showed its observer.
    pub observed: Vec<Observed>,
    /// Requests of the connection that failed without a response (a
    /// stream that ended first, an answer that is not JSON-RPC).
    pub failed_requests: Vec<String>,
    /// The probe request sent as the connection would, its id, and its answer.
    pub ping: Option<(String, Answer)>,
}

/// Every message JSON-RPC 2.0, every request answered once with its id.
pub fn jsonrpc(seen: &Seen) -> Finding {
    let mut problems: Vec<String> = Vec::new();
    let mut received = 0;
    for observed in &seen.observed {
        match observed {
            Observed::Message(record) if record.direction == Direction::Received => {
                received += 1;
                if let Some(problem) = &record.problem {
                    problems.push(format!("on {}: {problem}", record.stream));
                }
            }
            // Resuming is what a stream that ended early should get.
            Observed::Message(_) | Observed::Resumed { .. } => {}
            // A stream read alongside the requests that could not be opened
            // is the get-stream rule's to judge, and an id a resumed stream
            // gave twice the event-ids rule's: neither is a JSON-RPC fault.
            Observed::Finding(
                crate::mcp::tracker::Finding::StreamFailed { .. }
                | crate::mcp::tracker::Finding::RepeatedEvent { .. },
            ) => {}
            Observed::Finding(finding) => problems.push(finding.to_string()),
        }
    }
    problems.extend(seen.failed_requests.iter().cloned());
    if let Some((id, answer)) = &seen.ping {
        match &answer.messages {
            Err(why) => problems.push(format!("the answer to the probe request: {why}")),
            Ok(messages) => {
                received += messages.len();
                let answered = messages.iter().any(|m| {
                    matches!(m, Message::Response { .. } | Message::Error { .. })
                        && m.id().and_then(|v| v.as_str()) == Some(id.as_str())
                });
                if !answered && answer.status / 100 == 2 {
                    problems.push(format!(
                        "the probe request (id {id:?}) got no response with its id"
                    ));
                }
            }
        }
    }
    let outcome = match problems.first() {
        None => Outcome::Passed(format!(
            "{received} messages received, every request answered"
        )),
        Some(first) if problems.len() == 1 => Outcome::Failed(first.clone()),
        Some(first) => Outcome::Failed(format!("{first} (and {} more)", problems.len() - 1)),
    };
    Finding::new(&JSONRPC, outcome)
}

/// Event ids unique across the streams seen (session era).
pub fn event_ids(era: Era, seen: &Seen) -> Finding {
    if era != Era::Session {
        let why = "event ids are per stream outside the session era";
        return Finding::new(&EVENT_IDS, Outcome::NotApplicable(why.into()));
    }
    // Each id and the first stream it was seen on; an id seen again on
    // another stream is the finding (a resumed stream repeats none either).
    let mut first_seen: HashMap<&str, &str> = HashMap::new();
    let mut ids = Vec::new();
    for observed in &seen.observed {
        if let Observed::Message(record) = observed
            && let Some(id) = &record.event_id
        {
            ids.push((id.as_str(), record.stream.as_str()));
        }
    }
    if let Some((_, answer)) = &seen.ping {
        ids.extend(
            answer
                .event_ids
                .iter()
                .map(|id| (id.as_str(), "the ping probe")),
        );
    }
    // A resumed stream that gave an id again (its replay overlapping what
    // had arrived) repeats an event, which resuming must not do.
    for observed in &seen.observed {
        if let Observed::Finding(finding @ crate::mcp::tracker::Finding::RepeatedEvent { .. }) =
            observed
        {
            return Finding::new(&EVENT_IDS, Outcome::Failed(finding.to_string()));
        }
    }
    for (id, stream) in &ids {
        match first_seen.get(id) {
            Some(first) if first != stream => {
                let seen_twice = format!(
                    "event id {:?} on {first} and again on {stream}",
                    crate::text::one_line(id).to_string()
                );
                return Finding::new(&EVENT_IDS, Outcome::Failed(seen_twice));
            }
            Some(_) => {}
            None => {
                first_seen.insert(id, stream);
            }
        }
    }
    let outcome = if ids.is_empty() {
        Outcome::NotApplicable("no event carried an id".into())
    } else {
        Outcome::Passed(format!(
            "{} event ids, none on two streams",
            first_seen.len()
        ))
    };
    Finding::new(&EVENT_IDS, outcome)
}

/// The probe request's SSE answer opens with a priming event, when the
/// server issues event ids (2025-11-25, session era).
pub fn priming(era: Era, revision: &str, seen: &Seen) -> Finding {
    let not_applicable = |why: &str| Finding::new(&PRIMING, Outcome::NotApplicable(why.into()));
    if era != Era::Session || revision < "2025-11-25" {
        return not_applicable("priming events came with 2025-11-25, in the session era");
    }
    let Some((_, answer)) = &seen.ping else {
        return not_applicable("the probe request got no answer");
    };
    if answer.kind != crate::mcp::wire::BodyKind::EventStream {
        return not_applicable("the probe request was answered with JSON, not a stream");
    }
    if answer.event_ids.is_empty() {
        return not_applicable("the server issues no event ids (no resumption)");
    }
    let outcome = if answer.primed {
        Outcome::Passed("the answer's first event has an id and empty data".into())
    } else {
        Outcome::Failed(format!(
            "the answer's events carry ids ({}) but the first one holds a message",
            answer.event_ids.len()
        ))
    };
    Finding::new(&PRIMING, outcome)
}

/// Every stream the server closed before its response (and the client
/// resumed) had set `retry:` first (2025-11-25, session era).
pub fn retry_before_close(era: Era, revision: &str, seen: &Seen) -> Finding {
    if era != Era::Session || revision < "2025-11-25" {
        let why = "the retry: before a close came with 2025-11-25, in the session era";
        return Finding::new(&RETRY_BEFORE_CLOSE, Outcome::NotApplicable(why.into()));
    }
    let resumed: Vec<(&str, bool)> = seen
        .observed
        .iter()
        .filter_map(|o| match o {
            Observed::Resumed { stream, retry, .. } => Some((stream.as_str(), retry.is_some())),
            _ => None,
        })
        .collect();
    let outcome = match resumed.iter().find(|(_, retry)| !retry) {
        _ if resumed.is_empty() => {
            Outcome::NotApplicable("no stream was closed before its response".into())
        }
        Some((stream, _)) => Outcome::Failed(format!(
            "{stream} was closed before its response with no retry: set"
        )),
        None => Outcome::Passed(format!(
            "{} stream(s) closed early, each after retry:",
            resumed.len()
        )),
    };
    Finding::new(&RETRY_BEFORE_CLOSE, outcome)
}
