//! The rules of each LLM API's stream that SDKs rely on, judged once the
//! stream was recognised as that API's: OpenAI Chat Completions chunks,
//! OpenAI Responses events, Anthropic Messages events, Gemini and Ollama.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::super::format::quote;
use super::super::{Finding, Severity};
use super::Seen;

/// Tool calls whose arguments are assembled, at most: a hostile stream
/// cannot grow the map without end.
const MAX_TOOL_CALLS: usize = 64;
/// Bytes of one tool call's arguments kept, at most.
const MAX_ARGUMENT_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    OpenAiChat,
    OpenAiResponses,
    Anthropic,
    Gemini,
    Ollama,
}

impl Kind {
    fn of(value: &Value) -> Option<Kind> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if value.get("object").and_then(Value::as_str) == Some("chat.completion.chunk")
            || value.get("choices").is_some_and(Value::is_array)
        {
            Some(Kind::OpenAiChat)
        } else if kind.starts_with("response.") {
            Some(Kind::OpenAiResponses)
        } else if matches!(
            kind,
            "message_start"
                | "content_block_start"
                | "content_block_delta"
                | "content_block_stop"
                | "message_delta"
                | "message_stop"
        ) {
            Some(Kind::Anthropic)
        } else if value.get("candidates").is_some_and(Value::is_array) {
            Some(Kind::Gemini)
        } else if value.get("message").is_some_and(Value::is_object)
            && value.get("done").is_some_and(Value::is_boolean)
        {
            Some(Kind::Ollama)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::OpenAiChat => "OpenAI Chat Completions",
            Kind::OpenAiResponses => "OpenAI Responses",
            Kind::Anthropic => "Anthropic Messages",
            Kind::Gemini => "Gemini",
            Kind::Ollama => "Ollama",
        }
    }
}

#[derive(Debug)]
pub(super) struct Api {
    kind: Kind,
    mixed: Seen,
    id: Option<String>,
    model: Option<String>,
    changed: Seen,
    finished: bool,
    /// Choice or content-block indexes seen.
    indexes: BTreeSet<u64>,
    index_gap: Seen,
    last_sequence: Option<u64>,
    sequence_gap: Seen,
    /// Tool-call arguments as they are assembled, by (choice or block, call).
    arguments: BTreeMap<(u64, u64), String>,
    bad_arguments: Seen,
}

fn as_index(value: Option<&Value>) -> Option<u64> {
    value.and_then(Value::as_u64)
}

impl Api {
    pub(super) fn recognise(value: &Value) -> Option<Api> {
        Kind::of(value).map(|kind| Api {
            kind,
            mixed: Seen::default(),
            id: None,
            model: None,
            changed: Seen::default(),
            finished: false,
            indexes: BTreeSet::new(),
            index_gap: Seen::default(),
            last_sequence: None,
            sequence_gap: Seen::default(),
            arguments: BTreeMap::new(),
            bad_arguments: Seen::default(),
        })
    }

    pub(super) fn see(&mut self, value: &Value) {
        match Kind::of(value) {
            Some(kind) if kind != self.kind => {
                let (ours, theirs) = (self.kind.name(), kind.name());
                self.mixed.add(|| format!("{theirs} among {ours}"));
                return;
            }
            None => return,
            Some(_) => {}
        }
        match self.kind {
            Kind::OpenAiChat => self.chat(value),
            Kind::OpenAiResponses => self.responses(value),
            Kind::Anthropic => self.anthropic(value),
            Kind::Gemini => {
                let candidates = value.get("candidates").and_then(Value::as_array);
                if candidates.is_some_and(|c| c.iter().any(|c| c.get("finishReason").is_some())) {
                    self.finished = true;
                }
            }
            Kind::Ollama => {
                if value.get("done") == Some(&Value::Bool(true)) {
                    self.finished = true;
                }
            }
        }
    }

    /// The chunk's `id` and `model`, the same in every chunk of an answer.
    fn same_answer(&mut self, value: &Value) {
        for (key, kept) in [("id", &mut self.id), ("model", &mut self.model)] {
            let Some(now) = value.get(key).and_then(Value::as_str) else {
                continue;
            };
            match kept {
                Some(before) if before != now => {
                    let (before, now) = (before.clone(), now.to_owned());
                    self.changed
                        .add(|| format!("{key} {} then {}", quote(&before), quote(&now)));
                    *kept = Some(now);
                }
                Some(_) => {}
                None => *kept = Some(now.to_owned()),
            }
        }
    }

    /// A new index must follow the ones before it.
    fn index(&mut self, index: u64) {
        if self.indexes.insert(index) {
            let expected = self.indexes.len() as u64 - 1;
            if index != expected {
                self.index_gap
                    .add(|| format!("index {index} where {expected} was next"));
            }
        }
    }

    fn append(&mut self, key: (u64, u64), text: &str) {
        if self.arguments.len() >= MAX_TOOL_CALLS && !self.arguments.contains_key(&key) {
            return;
        }
        let kept = self.arguments.entry(key).or_default();
        if kept.len() + text.len() <= MAX_ARGUMENT_BYTES {
            kept.push_str(text);
        }
    }

    fn chat(&mut self, value: &Value) {
        self.same_answer(value);
        let Some(choices) = value.get("choices").and_then(Value::as_array) else {
            return;
        };
        for choice in choices {
            let index = as_index(choice.get("index")).unwrap_or(0);
            self.index(index);
            if choice.get("finish_reason").is_some_and(|r| !r.is_null()) {
                self.finished = true;
            }
            let calls = choice
                .get("delta")
                .and_then(|d| d.get("tool_calls"))
                .and_then(Value::as_array);
            for call in calls.into_iter().flatten() {
                let call_index = as_index(call.get("index")).unwrap_or(0);
                if let Some(part) = call
                    .get("function")
                    .and_then(|f| f.get("arguments"))
                    .and_then(Value::as_str)
                {
                    self.append((index, call_index), part);
                }
            }
        }
    }

    fn responses(&mut self, value: &Value) {
        if let Some(n) = as_index(value.get("sequence_number")) {
            if let Some(last) = self.last_sequence
                && n != last + 1
            {
                self.sequence_gap
                    .add(|| format!("sequence_number {n} after {last}"));
            }
            self.last_sequence = Some(n);
        }
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        match kind {
            "response.completed" | "response.incomplete" | "response.failed" => {
                self.finished = true;
            }
            "response.function_call_arguments.done" => {
                if let Some(arguments) = value.get("arguments").and_then(Value::as_str) {
                    self.judge_arguments(arguments);
                }
            }
            _ => {}
        }
    }

    fn anthropic(&mut self, value: &Value) {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let index = as_index(value.get("index"));
        match (kind, index) {
            ("content_block_start", Some(index)) => self.index(index),
            ("content_block_delta", Some(index)) => {
                let delta = value.get("delta");
                if delta.and_then(|d| d.get("type")).and_then(Value::as_str)
                    == Some("input_json_delta")
                    && let Some(part) = delta
                        .and_then(|d| d.get("partial_json"))
                        .and_then(Value::as_str)
                {
                    self.append((index, 0), part);
                }
            }
            ("content_block_stop", Some(index)) => {
                if let Some(arguments) = self.arguments.remove(&(index, 0)) {
                    self.judge_arguments(&arguments);
                }
            }
            ("message_delta", _) => {
                let stop = value.get("delta").and_then(|d| d.get("stop_reason"));
                if stop.is_some_and(|r| !r.is_null()) {
                    self.finished = true;
                }
            }
            _ => {}
        }
    }

    /// Assembled tool-call arguments must be JSON (empty: no arguments).
    fn judge_arguments(&mut self, arguments: &str) {
        let text = arguments.trim();
        if !text.is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err() {
            self.bad_arguments.add(|| quote(text));
        }
    }

    pub(super) fn findings(&self, ended: bool, end_marker: bool, out: &mut Vec<Finding>) {
        let name = self.kind.name();
        // Chat tool calls are judged once the answer is over.
        let mut bad = Seen {
            n: self.bad_arguments.n,
            example: self.bad_arguments.example.clone(),
        };
        if self.kind == Kind::OpenAiChat && (ended || end_marker) {
            for arguments in self.arguments.values() {
                let text = arguments.trim();
                if !text.is_empty() && serde_json::from_str::<serde::de::IgnoredAny>(text).is_err()
                {
                    bad.add(|| quote(text));
                }
            }
        }
        let mut push = |seen: &Seen, id: &'static str, severity, what: String, why, fix| {
            if seen.n > 0 {
                let example = seen.example.as_deref().unwrap_or("?");
                out.push(Finding {
                    id,
                    severity,
                    title: format!(
                        "{what} ({}, e.g. {example})",
                        super::super::format::times(seen.n)
                    ),
                    why,
                    fix,
                });
            }
        };
        push(
            &self.mixed,
            "llm-mixed-apis",
            Severity::Error,
            format!("events of another LLM API in a {name} stream"),
            "An SDK reads one API's events: another's (a gateway's fallback provider, re-framed badly) are dropped or crash its parser.",
            "Translate every event to one API's format in the gateway, or stream each provider as its own response.",
        );
        push(
            &self.changed,
            "llm-chunk-changed",
            Severity::Warning,
            format!("the {name} chunk id or model changed mid-answer"),
            "SDKs and accumulators key an answer by its id: chunks of another id start a new answer or are merged into the wrong one.",
            "Keep the id and model of the first chunk in every chunk of the answer (a gateway that retries mid-stream must not splice two answers).",
        );
        push(
            &self.sequence_gap,
            "llm-sequence-gap",
            Severity::Warning,
            format!("{name} sequence_number not one after the other"),
            "Clients use sequence_number to order events and to notice a lost one: a gap means an event was dropped (often by a proxy), a step back that one came twice.",
            "Number the events 0, 1, 2... with nothing dropped or repeated between server and client.",
        );
        push(
            &self.index_gap,
            "llm-index-gap",
            Severity::Warning,
            format!("a {name} choice or content block index that skips"),
            "SDKs assemble each choice or block by its index into a list: a skipped index leaves a hole they fill with nothing, or fail on.",
            "Number choices and content blocks from 0 without gaps.",
        );
        push(
            &bad,
            "llm-tool-arguments",
            Severity::Error,
            format!("{name} tool-call arguments that do not assemble into JSON"),
            "The SDK joins the argument fragments and parses them as JSON to call the tool: a fragment lost or repeated on the way makes the call fail.",
            "Stream each tool call's arguments as fragments of one JSON text, each fragment once and in order.",
        );
        // An API's closing event may be its end marker (response.completed,
        // message_stop): that ends the answer; OpenAI chat's [DONE] does
        // not stand for a finish_reason.
        let finished = self.finished || (end_marker && self.kind != Kind::OpenAiChat);
        if ended && !finished {
            let what = match self.kind {
                Kind::Anthropic => "a message_delta with stop_reason",
                Kind::OpenAiResponses => "response.completed (or .incomplete, .failed)",
                Kind::Gemini => "a candidate's finishReason",
                Kind::Ollama => "a last line with \"done\": true",
                Kind::OpenAiChat => "a choice with finish_reason",
            };
            out.push(Finding {
                id: "llm-no-finish",
                severity: Severity::Warning,
                title: format!("the {name} stream ended without {what}"),
                why: "Without it a client cannot tell a finished answer from one cut short (by length, a filter, a network drop): SDKs report a truncated answer as complete, or wait.",
                fix: match self.kind {
                    Kind::OpenAiChat => "Send a last chunk with finish_reason (\"stop\", \"length\", \"tool_calls\"…) before data: [DONE].",
                    _ => "Send the API's closing event before ending the stream.",
                },
            });
        }
        if self.kind == Kind::OpenAiChat && ended && !end_marker {
            out.push(Finding {
                id: "llm-no-end-marker",
                severity: Severity::Warning,
                title: "the OpenAI-style stream ended without data: [DONE]".into(),
                why: "Clients of OpenAI-compatible APIs commonly read until [DONE]; without it they may take the closed connection for an error, or wait for more.",
                fix: "End the stream with `data: [DONE]` and a blank line.",
            });
        }
    }
}
