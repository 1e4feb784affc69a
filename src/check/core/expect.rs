//! Expectations about a stream and the judge that decides them, event by
//! event. Pure: no I/O and no clock, so every rule is a plain test. The run
//! loop (mod.rs) feeds events with their time since the start and says how
//! the stream finished.

use std::sync::Arc;
use std::time::Duration;

use super::condition::Condition;
use super::id_order::IdOrder;
use crate::insight::contract::{self, Schemas, Violation};
use crate::insight::jq::{ALL_MAX_OUTPUTS, Input, NotHeld};

/// One thing the stream must do. The order given on the command line is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expectation {
    /// At least N events within the time limit (or before the stream ends).
    MinEvents(u64),
    /// At most N events within the time limit (or before the stream ends).
    MaxEvents(u64),
    /// An event of this type appears.
    ExpectType(String),
    /// No event of this type appears.
    ForbidType(String),
    /// Every event has an id, each greater than the one before: numerically
    /// when every id is a decimal integer, otherwise by bytes.
    IdsIncreasing,
    /// Every event's data is valid JSON.
    DataJson,
    /// The first event arrives within this long of the start.
    FirstEventWithin(Duration),
    /// The stream ends, and the last event's data is exactly this.
    EndsWith(String),
    /// The jq condition holds for every event's JSON data.
    Every(Condition),
    /// The jq condition holds for at least one event's JSON data.
    Any(Condition),
    /// None of the LLM stream shapes that break client SDKs (the Checks
    /// view's, `insight::diagnose`): judged at the end by whoever fed them
    /// ([`Judge::shapes`]).
    LlmStrict,
    /// Every event's data meets its JSON Schema (`--schema`, a profile's `schema`).
    Schema(SchemaCheck),
}

/// The compiled schemas of a check, shared (they are compiled once). Two
/// are equal when they are the same compilation.
#[derive(Debug, Clone)]
pub struct SchemaCheck(pub Arc<Schemas>);

impl PartialEq for SchemaCheck {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for SchemaCheck {}

impl Expectation {
    /// What was expected, as one line of the report.
    pub fn describe(&self, within: Duration) -> String {
        let within = crate::text::duration(within);
        match self {
            Self::MinEvents(n) => format!("at least {} within {within}", events_count(*n)),
            Self::MaxEvents(n) => format!("at most {} within {within}", events_count(*n)),
            Self::ExpectType(t) => format!("an event of type {}", quote(t)),
            Self::ForbidType(t) => format!("no event of type {}", quote(t)),
            Self::IdsIncreasing => "ids present and strictly increasing".into(),
            Self::DataJson => "every data is valid JSON".into(),
            Self::FirstEventWithin(d) => {
                format!("first event within {}", crate::text::duration(*d))
            }
            Self::EndsWith(data) => format!("the stream ends with data {}", quote(data)),
            Self::Every(c) => format!("every event: {c}"),
            Self::Any(c) => format!("some event: {c}"),
            Self::LlmStrict => "no LLM stream shape that breaks client SDKs".into(),
            Self::Schema(s) => format!(
                "every event meets its JSON Schema ({})",
                crate::text::one_line(s.0.describe())
            ),
        }
    }
}

/// The verdict on one expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Not decided yet.
    Pending,
    /// Held; the text says what was seen.
    Passed(String),
    /// Did not hold; the text says what was seen.
    Failed(String),
    /// Never decided because the stream failed; the text says how.
    Error(String),
    /// Never decided because the run stopped at another expectation's failure.
    Skipped(String),
}

impl Verdict {
    pub fn is_decided(&self) -> bool {
        !matches!(self, Verdict::Pending)
    }
}

/// How the observation ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// The stream ended cleanly (no reconnect follows).
    Ended,
    /// The time limit passed with the stream still open.
    TimeUp,
    /// A capture stopped being recorded (`--max-events`, Ctrl-C) this long
    /// after it started, before the stream ended: what came after is unknown.
    Truncated(Duration),
    /// The stream failed; the text says how.
    Failed(String),
}

/// One event as the judge needs it.
#[derive(Debug, Clone, Copy)]
pub struct Seen<'a> {
    pub event_type: &'a str,
    pub data: &'a str,
    /// The id the event's own block set; `""` when it set none (an id in
    /// force from before, or the client's Last-Event-ID, is not the event's).
    pub id: &'a str,
    /// From the start of the run to the read that completed the event.
    pub elapsed: Duration,
    /// Whether the block had an `event:` field (`event_type` is else `message` by default).
    pub named: bool,
    /// The block's `retry:`, when it had a valid one.
    pub retry: Option<u64>,
}

impl<'a> Seen<'a> {
    /// The event as a schema sees it.
    fn fields(&self) -> contract::Fields<'a> {
        contract::Fields {
            event: self.named.then_some(self.event_type),
            data: self.data,
            id: (!self.id.is_empty()).then_some(self.id),
            retry: self.retry,
        }
    }
}

/// Judges a list of expectations over one stream.
#[derive(Debug)]
pub struct Judge {
    expectations: Vec<Expectation>,
    verdicts: Vec<Verdict>,
    within: Duration,
    events: u64,
    first_event: Option<Duration>,
    last_data: Option<String>,
    ids: IdOrder,
}

impl Judge {
    /// `within` is the time limit for the count expectations, used in descriptions.
    pub fn new(expectations: Vec<Expectation>, within: Duration) -> Self {
        let verdicts = vec![Verdict::Pending; expectations.len()];
        Self {
            expectations,
            verdicts,
            within,
            events: 0,
            first_event: None,
            last_data: None,
            ids: IdOrder::new(),
        }
    }

    pub fn expectations(&self) -> &[Expectation] {
        &self.expectations
    }

    pub fn verdicts(&self) -> &[Verdict] {
        &self.verdicts
    }

    pub fn within(&self) -> Duration {
        self.within
    }

    /// Events seen so far.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// True once the overall result cannot change: something failed, or everything passed.
    pub fn is_settled(&self) -> bool {
        self.verdicts
            .iter()
            .any(|v| matches!(v, Verdict::Failed(_)))
            || self.verdicts.iter().all(Verdict::is_decided)
    }

    /// The earliest moment at which time alone decides something
    /// (`--first-event-within` with no event yet).
    pub fn next_deadline(&self) -> Option<Duration> {
        self.pending()
            .filter_map(|(e, _)| match e {
                Expectation::FirstEventWithin(d) => Some(*d),
                _ => None,
            })
            .min()
    }

    fn pending(&self) -> impl Iterator<Item = (&Expectation, &Verdict)> {
        self.expectations
            .iter()
            .zip(&self.verdicts)
            .filter(|(_, v)| !v.is_decided())
    }

    /// Time passed with nothing else happening: decides `--first-event-within`.
    pub fn tick(&mut self, elapsed: Duration) {
        for (e, v) in self.expectations.iter().zip(self.verdicts.iter_mut()) {
            if let (Expectation::FirstEventWithin(limit), Verdict::Pending) = (e, &v)
                && elapsed > *limit
            {
                *v = Verdict::Failed(format!("no event after {}", crate::text::duration(elapsed)));
            }
        }
    }

    /// One event arrived.
    pub fn observe(&mut self, seen: Seen<'_>) {
        self.tick(seen.elapsed);
        self.events += 1;
        let seq = self.events;
        self.first_event.get_or_insert(seen.elapsed);
        self.ids.see(seq, seen.id);
        let mut json = None;
        for (e, v) in self.expectations.iter().zip(self.verdicts.iter_mut()) {
            if v.is_decided() {
                continue;
            }
            *v = match e {
                Expectation::MinEvents(n) if seq >= *n => Verdict::Passed(format!(
                    "{} after {}",
                    events_count(seq),
                    crate::text::duration(seen.elapsed)
                )),
                Expectation::MaxEvents(n) if seq > *n => {
                    Verdict::Failed(format!("event {seq} arrived"))
                }
                Expectation::ExpectType(t) if t == seen.event_type => {
                    Verdict::Passed(format!("event {seq}"))
                }
                Expectation::ForbidType(t) if t == seen.event_type => {
                    Verdict::Failed(format!("event {seq} has type {}", quote(t)))
                }
                Expectation::IdsIncreasing => match self.ids.failure() {
                    Some(why) => Verdict::Failed(why),
                    None => Verdict::Pending,
                },
                // An LLM answer's end marker (`[DONE]`) is no data to judge,
                // as the Checks view does not judge it.
                Expectation::DataJson
                    if crate::sse::end_marker::of_text(seen.event_type, seen.data).is_some() =>
                {
                    Verdict::Pending
                }
                Expectation::DataJson => match parsed(&mut json, seen.data) {
                    Some(_) => Verdict::Pending,
                    None => Verdict::Failed(not_json(seq, seen.data)),
                },
                Expectation::FirstEventWithin(limit) => {
                    let after = crate::text::duration(seen.elapsed);
                    if seen.elapsed <= *limit {
                        Verdict::Passed(format!("first event after {after}"))
                    } else {
                        Verdict::Failed(format!("first event after {after}"))
                    }
                }
                Expectation::Every(c) => match parsed(&mut json, seen.data).map(|d| c.holds(d)) {
                    Some(Ok(())) => Verdict::Pending,
                    Some(Err(why)) => Verdict::Failed(not_held(seq, &why, seen.data)),
                    None => Verdict::Failed(not_json(seq, seen.data)),
                },
                Expectation::Any(c) => match parsed(&mut json, seen.data).map(|d| c.holds(d)) {
                    Some(Ok(())) => Verdict::Passed(format!("event {seq}")),
                    _ => Verdict::Pending,
                },
                Expectation::Schema(s) => match s.0.validate_event(&seen.fields()) {
                    contract::Verdict::Invalid(violations) => {
                        Verdict::Failed(schema_broken(seq, &seen, &violations))
                    }
                    contract::Verdict::Valid | contract::Verdict::Unchecked => Verdict::Pending,
                },
                _ => Verdict::Pending,
            };
        }
        self.last_data = Some(seen.data.to_owned());
    }

    /// The observation is over: decides every expectation still pending.
    pub fn finish(&mut self, how: &Finish) {
        if let Finish::Failed(why) = how {
            for v in &mut self.verdicts {
                if !v.is_decided() {
                    *v = Verdict::Error(format!("the stream failed: {why}"));
                }
            }
            return;
        }
        if self
            .verdicts
            .iter()
            .any(|v| matches!(v, Verdict::Failed(_)))
        {
            for v in &mut self.verdicts {
                if !v.is_decided() {
                    *v =
                        Verdict::Skipped("not judged: the run stopped at the first failure".into());
                }
            }
            return;
        }
        let events = self.events;
        let truncated = |d: &Duration| {
            format!(
                "the capture ended (truncated) after {}",
                crate::text::duration(*d)
            )
        };
        let count = match how {
            Finish::Ended => format!("{} before the stream ended", events_count(events)),
            Finish::Truncated(d) => format!("{} before {}", events_count(events), truncated(d)),
            _ => format!(
                "{} in {}",
                events_count(events),
                crate::text::duration(self.within)
            ),
        };
        for (e, v) in self.expectations.iter().zip(self.verdicts.iter_mut()) {
            if v.is_decided() {
                continue;
            }
            *v = match e {
                Expectation::MinEvents(_) => Verdict::Failed(count.clone()),
                Expectation::MaxEvents(_) => Verdict::Passed(count.clone()),
                Expectation::ExpectType(_) => Verdict::Failed(format!("not among {count}")),
                Expectation::ForbidType(_) => Verdict::Passed(format!("not among {count}")),
                Expectation::IdsIncreasing => self.ids.verdict_at_end(events),
                Expectation::DataJson => Verdict::Passed(format!("{events} events, all JSON")),
                Expectation::FirstEventWithin(_) => Verdict::Failed(match how {
                    Finish::Ended => "the stream ended without an event".into(),
                    Finish::Truncated(d) => format!("no event: {}", truncated(d)),
                    _ => "no event".into(),
                }),
                Expectation::EndsWith(want) => match (how, &self.last_data) {
                    (Finish::Ended, Some(last)) if last == want => {
                        Verdict::Passed(format!("last data {}", quote(last)))
                    }
                    (Finish::Ended, Some(last)) => {
                        Verdict::Failed(format!("last data {}", quote(last)))
                    }
                    (Finish::Ended, None) => {
                        Verdict::Failed("the stream ended without an event".into())
                    }
                    (Finish::Truncated(d), _) => {
                        Verdict::Failed(format!("{}, before the stream did", truncated(d)))
                    }
                    _ => Verdict::Failed(format!(
                        "the stream was still open after {}",
                        crate::text::duration(self.within)
                    )),
                },
                Expectation::Every(_) => Verdict::Passed(format!("all {events} events")),
                Expectation::Any(_) => Verdict::Failed(format!("none of {events} events")),
                Expectation::LlmStrict => Verdict::Skipped(
                    "not judged: the shapes are read from a live stream only".into(),
                ),
                Expectation::Schema(_) => {
                    Verdict::Passed(format!("all {events} events meet their schema"))
                }
            };
        }
    }

    /// The LLM stream shapes found (each finding's one line), for
    /// [`Expectation::LlmStrict`], before [`Judge::finish`].
    pub fn shapes(&mut self, found: &[String]) {
        for (e, v) in self.expectations.iter().zip(self.verdicts.iter_mut()) {
            if *e != Expectation::LlmStrict || v.is_decided() {
                continue;
            }
            *v = match found {
                [] => Verdict::Passed("none found".into()),
                [only] => Verdict::Failed(only.clone()),
                [first, rest @ ..] => Verdict::Failed(format!("{first} (and {} more)", rest.len())),
            };
        }
    }

    /// Whether the LLM shapes are to be judged (the stream is read to its end).
    pub fn wants_shapes(&self) -> bool {
        self.expectations.contains(&Expectation::LlmStrict)
    }

    /// Whether every expectation passed.
    pub fn all_passed(&self) -> bool {
        self.verdicts
            .iter()
            .all(|v| matches!(v, Verdict::Passed(_)))
    }
}

/// The event's data as JSON, parsed once per event whichever expectations need it.
fn parsed<'a>(cache: &'a mut Option<Option<Input>>, data: &str) -> Option<&'a Input> {
    cache.get_or_insert_with(|| Input::parse(data)).as_ref()
}

/// Why a condition did not hold on event `seq`'s `data`, for a failure:
/// what the expression gave, then the data (cut; the report neutralises it).
fn not_held(seq: u64, why: &NotHeld, data: &str) -> String {
    let gave = match why {
        NotHeld::NoOutput => "no output".to_owned(),
        NotHeld::Falsy { index: 1, value } => value.clone(),
        NotHeld::Falsy { index, value } => format!("output {index} is {value}"),
        NotHeld::Failed(message) => format!("error: {message}"),
        NotHeld::TooManyOutputs => format!("more than {ALL_MAX_OUTPUTS} outputs"),
    };
    format!("event {seq}: {gave}, data {}", cut(data))
}

/// How event `seq` breaks its schema, for a failure: the event (number,
/// type, id), then the first violation's pointer, rule, expected and
/// actual value (the report neutralises the text).
fn schema_broken(seq: u64, seen: &Seen<'_>, violations: &[Violation]) -> String {
    let mut text = format!("event {seq} (type {}", quote(seen.event_type));
    if !seen.id.is_empty() {
        text.push_str(&format!(", id {}", quote(seen.id)));
    }
    text.push(')');
    if let Some(first) = violations.first() {
        let pointer = if first.pointer.is_empty() {
            "/"
        } else {
            &first.pointer
        };
        text.push_str(&format!(
            ": at {} rule {}: {}, actual {}",
            quote(pointer),
            first.rule,
            first.expected,
            quote(&first.actual)
        ));
    }
    if violations.len() > 1 {
        text.push_str(&format!(" (and {} more)", violations.len() - 1));
    }
    text
}

/// Why event `seq`'s data was not read as JSON, for a failure.
fn not_json(seq: u64, data: &str) -> String {
    if crate::limits::json::too_deep(data.as_bytes()) {
        format!(
            "event {seq}: data {} nests {} levels deep or more, deeper than ssetui reads JSON",
            quote(data),
            crate::limits::json::DEPTH_LIMIT
        )
    } else {
        format!("event {seq}: data {} is not JSON", quote(data))
    }
}

/// "1 event", "3 events".
fn events_count(n: u64) -> String {
    crate::text::plural(n, "event")
}

/// Untrusted text for a report line: quoted, neutralised for the terminal
/// ([`crate::text::quote`]), long text cut.
pub fn quote(text: &str) -> String {
    crate::text::quote(&cut(text))
}

/// At most 60 characters of `text`, with "…" when cut.
fn cut(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::cut(text, 60)
}

#[cfg(test)]
mod tests;
