//! The shapes of an LLM stream that break client SDKs though a browser's
//! EventSource takes them: framing (two JSON values in one `data`, a
//! missing blank line, a JSON object split over several `data:` lines, a
//! named event with empty data, an `event:` name that disagrees with the
//! JSON's `type`) and, once the stream is recognised as an LLM API's, the
//! answer's own rules (the chunk `id` or `model` changing, `sequence_number`
//! gaps, an `index` that skips, tool-call arguments that do not assemble
//! into JSON, no finish reason, no end marker, two providers mixed).
//!
//! Cheap on other streams: the framing checks look only at data that is
//! not JSON, spans lines or is empty; the API checks parse events only
//! once the first [`LOOKAHEAD`] events showed an LLM API's shape.

mod api;

use serde_json::Value;

use super::format::quote;
use super::{Finding, Severity};
use crate::sse::Event;

use api::Api;

/// The ids of the findings this check gives (what `check --llm-strict` fails on).
pub const IDS: &[&str] = &[
    "json-two-values",
    "missing-blank-line",
    "json-split-lines",
    "named-empty-data",
    "event-type-mismatch",
    "llm-mixed-apis",
    "llm-chunk-changed",
    "llm-sequence-gap",
    "llm-index-gap",
    "llm-tool-arguments",
    "llm-no-finish",
    "llm-no-end-marker",
];

/// Events looked at for an LLM API's shape before giving up on it.
const LOOKAHEAD: u64 = 64;

/// How often a shape was seen, with its first example.
#[derive(Debug, Default)]
struct Seen {
    n: u64,
    example: Option<String>,
}

impl Seen {
    fn add(&mut self, example: impl FnOnce() -> String) {
        self.n += 1;
        if self.example.is_none() {
            self.example = Some(example());
        }
    }
}

#[derive(Debug, Default)]
pub(super) struct LlmShapes {
    events: u64,
    two_values: Seen,
    joined: Seen,
    split: Seen,
    named_empty: Seen,
    type_mismatch: Seen,
    /// The LLM API the stream was recognised as, and its state.
    api: Option<Api>,
    /// Gave up looking for an API's shape.
    plain: bool,
    /// The answer ended with its end marker (`[DONE]`).
    end_marker: bool,
    /// The stream ended (cleanly) at least once.
    ended: bool,
}

impl LlmShapes {
    /// One event; `is_json` is what the JSON check found of its data.
    pub(super) fn see(&mut self, event: &Event, is_json: bool) {
        self.events += 1;
        let data = event.data.trim();
        if crate::sse::end_marker::of(event).is_some() {
            self.end_marker = true;
            return;
        }
        let named = !event.event.is_empty() && &*event.event != "message";
        if data.is_empty() {
            if named {
                self.named_empty.add(|| quote(event.event_type()));
            }
            return;
        }
        let starts_json = matches!(data.as_bytes().first(), Some(b'{' | b'['));
        if !is_json && starts_json {
            self.framing(data);
            return;
        }
        if is_json && event.data.contains('\n') {
            self.split.add(|| quote(event.event_type()));
        }
        // A stream that showed no LLM API's shape is not parsed further.
        if !is_json || self.plain {
            return;
        }
        let Ok(value) = serde_json::from_str::<Value>(data) else {
            return;
        };
        if named
            && let Some(kind) = value.get("type").and_then(Value::as_str)
            && kind != event.event_type()
            && !kind.is_empty()
        {
            self.type_mismatch.add(|| {
                format!(
                    "event: {} with \"type\": {}",
                    quote(event.event_type()),
                    quote(kind)
                )
            });
        }
        match &mut self.api {
            Some(api) => api.see(&value),
            None if !self.plain => match Api::recognise(&value) {
                Some(mut api) => {
                    api.see(&value);
                    self.api = Some(api);
                }
                None if self.events >= LOOKAHEAD => self.plain = true,
                None => {}
            },
            None => {}
        }
    }

    /// Data that starts as JSON but does not parse as one value: several
    /// values one after another (lines joined by a missing blank line, or
    /// two objects written into one event), or just broken JSON (the JSON
    /// check's to report).
    fn framing(&mut self, data: &str) {
        let values = serde_json::Deserializer::from_str(data)
            .into_iter::<serde::de::IgnoredAny>()
            .take(3)
            .collect::<Result<Vec<_>, _>>();
        if values.is_ok_and(|v| v.len() > 1) {
            if data.contains('\n') {
                self.joined.add(|| quote(data));
            } else {
                self.two_values.add(|| quote(data));
            }
        }
    }

    /// An attempt's stream ended cleanly.
    pub(super) fn stream_ended(&mut self) {
        self.ended = true;
    }

    pub(super) fn findings(&self, out: &mut Vec<Finding>) {
        let mut push = |seen: &Seen, id: &'static str, severity, what: &str, why, fix| {
            if seen.n > 0 {
                out.push(Finding {
                    id,
                    severity,
                    title: format!(
                        "{what} ({}, e.g. {})",
                        super::format::plural(seen.n, "event"),
                        seen.example.as_deref().unwrap_or("?")
                    ),
                    why,
                    fix,
                });
            }
        };
        push(
            &self.two_values,
            "json-two-values",
            Severity::Error,
            "two JSON values in one event's data",
            "SDKs parse each event's data with one JSON parse (JSON.parse, json.loads): two values fail it, and the event is lost or the stream aborted.",
            "Send each JSON value as an event of its own, ended by a blank line.",
        );
        push(
            &self.joined,
            "missing-blank-line",
            Severity::Error,
            "events joined by a missing blank line (JSON values on two `data:` lines of one event)",
            "Without the blank line that ends an event, the next `data:` line is appended to it: the client gets one event whose data is two JSON objects, which no JSON parser accepts.",
            "End every event with a blank line (`\\n\\n`), also after the last `data:` line before the next event.",
        );
        push(
            &self.split,
            "json-split-lines",
            Severity::Warning,
            "a JSON value split over several `data:` lines",
            "Valid SSE (the lines are joined with `\\n`), but clients and gateways that read SSE line by line parse each `data:` line as JSON and fail.",
            "Write each event's JSON on one `data:` line (serialise it without newlines).",
        );
        push(
            &self.named_empty,
            "named-empty-data",
            Severity::Warning,
            "a named event with empty data",
            "SDKs that parse the data of every event they know by name get an empty string and fail (an empty string is not JSON).",
            "Send the named event with a JSON body (`{}` at least), or leave it out.",
        );
        push(
            &self.type_mismatch,
            "event-type-mismatch",
            Severity::Warning,
            "an `event:` name that disagrees with the JSON's `type`",
            "Clients dispatch on one of the two (some SDKs on the JSON `type`, EventSource listeners on the event name): code written against one misses the other's events.",
            "Name each event as its JSON `type` says (or leave `event:` out).",
        );
        if let Some(api) = &self.api {
            api.findings(self.ended, self.end_marker, out);
        }
    }
}
