//! OpenAI Responses: named `response.*` events, each with its `type` (equal
//! to the `event:` name) and a `sequence_number` counting from 0, as OpenAI
//! documents the stream: `response.created`, `response.in_progress`, the
//! message item added, its `output_text` part added, one
//! `response.output_text.delta` per token, the text, part and item done,
//! and `response.completed` carrying the whole response with its usage. In
//! reasoning mode a `reasoning` item comes first, its summary streamed as
//! `response.reasoning_summary_text.delta`. Without `stream` the answer is
//! the one `response` object.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::answer::Script;
use super::{new_id, unix_now};
use crate::demo_server::stream::sse_response;
use crate::demo_server::wire::{Frame, to_json};

/// The `response` object, as `response.created` and `.completed` carry it.
#[derive(Serialize, Clone)]
struct ResponseObject<'a> {
    id: &'a str,
    object: &'static str,
    created_at: u64,
    status: &'static str,
    error: Option<()>,
    incomplete_details: Option<()>,
    model: &'a str,
    output: Vec<Item<'a>>,
    parallel_tool_calls: bool,
    reasoning: ReasoningConfig,
    store: bool,
    tool_choice: &'static str,
    tools: [(); 0],
    usage: Option<Usage>,
}

#[derive(Serialize, Clone)]
struct ReasoningConfig {
    effort: Option<&'static str>,
    summary: Option<&'static str>,
}

/// An output item: the reasoning (reasoning mode) or the assistant's message.
#[derive(Serialize, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Item<'a> {
    Reasoning {
        id: &'a str,
        summary: Vec<Part<'a>>,
    },
    Message {
        id: &'a str,
        status: &'static str,
        role: &'static str,
        content: Vec<Part<'a>>,
    },
}

/// A content part of a message, or a part of a reasoning summary.
#[derive(Serialize, Clone)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Part<'a> {
    OutputText { text: &'a str, annotations: [(); 0] },
    SummaryText { text: &'a str },
}

#[derive(Serialize, Clone)]
struct Usage {
    input_tokens: u64,
    input_tokens_details: InputDetails,
    output_tokens: u64,
    output_tokens_details: OutputDetails,
    total_tokens: u64,
}

#[derive(Serialize, Clone)]
struct InputDetails {
    cached_tokens: u64,
}

#[derive(Serialize, Clone)]
struct OutputDetails {
    reasoning_tokens: u64,
}

/// One event of the stream; its name is its `type`.
#[derive(Serialize)]
#[serde(tag = "type")]
enum Event<'a> {
    #[serde(rename = "response.created")]
    Created { response: ResponseObject<'a> },
    #[serde(rename = "response.in_progress")]
    InProgress { response: ResponseObject<'a> },
    #[serde(rename = "response.output_item.added")]
    ItemAdded { output_index: u32, item: Item<'a> },
    #[serde(rename = "response.output_item.done")]
    ItemDone { output_index: u32, item: Item<'a> },
    #[serde(rename = "response.reasoning_summary_part.added")]
    SummaryPartAdded {
        item_id: &'a str,
        output_index: u32,
        summary_index: u32,
        part: Part<'a>,
    },
    #[serde(rename = "response.reasoning_summary_text.delta")]
    SummaryDelta {
        item_id: &'a str,
        output_index: u32,
        summary_index: u32,
        delta: &'a str,
    },
    #[serde(rename = "response.reasoning_summary_text.done")]
    SummaryDone {
        item_id: &'a str,
        output_index: u32,
        summary_index: u32,
        text: &'a str,
    },
    #[serde(rename = "response.reasoning_summary_part.done")]
    SummaryPartDone {
        item_id: &'a str,
        output_index: u32,
        summary_index: u32,
        part: Part<'a>,
    },
    #[serde(rename = "response.content_part.added")]
    PartAdded {
        item_id: &'a str,
        output_index: u32,
        content_index: u32,
        part: Part<'a>,
    },
    #[serde(rename = "response.output_text.delta")]
    TextDelta {
        item_id: &'a str,
        output_index: u32,
        content_index: u32,
        delta: &'a str,
        logprobs: [(); 0],
    },
    #[serde(rename = "response.output_text.done")]
    TextDone {
        item_id: &'a str,
        output_index: u32,
        content_index: u32,
        text: &'a str,
        logprobs: [(); 0],
    },
    #[serde(rename = "response.content_part.done")]
    PartDone {
        item_id: &'a str,
        output_index: u32,
        content_index: u32,
        part: Part<'a>,
    },
    #[serde(rename = "response.completed")]
    Completed { response: ResponseObject<'a> },
    #[serde(rename = "error")]
    Error {
        code: &'static str,
        message: &'static str,
        param: Option<()>,
    },
}

impl Event<'_> {
    fn name(&self) -> &'static str {
        match self {
            Event::Created { .. } => "response.created",
            Event::InProgress { .. } => "response.in_progress",
            Event::ItemAdded { .. } => "response.output_item.added",
            Event::ItemDone { .. } => "response.output_item.done",
            Event::SummaryPartAdded { .. } => "response.reasoning_summary_part.added",
            Event::SummaryDelta { .. } => "response.reasoning_summary_text.delta",
            Event::SummaryDone { .. } => "response.reasoning_summary_text.done",
            Event::SummaryPartDone { .. } => "response.reasoning_summary_part.done",
            Event::PartAdded { .. } => "response.content_part.added",
            Event::TextDelta { .. } => "response.output_text.delta",
            Event::TextDone { .. } => "response.output_text.done",
            Event::PartDone { .. } => "response.content_part.done",
            Event::Completed { .. } => "response.completed",
            Event::Error { .. } => "error",
        }
    }
}

/// An event with its place in the stream (serde puts `type` first).
#[derive(Serialize)]
struct Numbered<'a> {
    #[serde(flatten)]
    event: &'a Event<'a>,
    sequence_number: u64,
}

/// Numbers the events 0, 1, 2… as they are framed.
#[derive(Default)]
struct Sequence(u64);

impl Sequence {
    fn frame(&mut self, event: Event<'_>) -> Frame {
        let numbered = Numbered {
            event: &event,
            sequence_number: self.0,
        };
        self.0 += 1;
        Frame::new().event(event.name()).data(&to_json(&numbered))
    }
}

/// The ids of one answer's response and items.
struct Ids {
    response: String,
    reasoning: String,
    message: String,
}

impl Ids {
    fn new() -> Self {
        Self {
            response: new_id("resp_demo_"),
            reasoning: new_id("rs_demo_"),
            message: new_id("msg_demo_"),
        }
    }
}

/// The response object: in progress (no output yet), or complete.
fn response_object<'a>(
    script: &'a Script,
    ids: &'a Ids,
    created_at: u64,
    whole: Option<(&'a str, &'a str)>,
) -> ResponseObject<'a> {
    let reasoning = !script.thinking.is_empty();
    let mut output = Vec::new();
    if let Some((reasoning_text, text)) = whole {
        if reasoning {
            output.push(reasoning_item(ids, Some(reasoning_text)));
        }
        output.push(message_item(ids, Some(text)));
    }
    let completion = script.completion_tokens();
    ResponseObject {
        id: &ids.response,
        object: "response",
        created_at,
        status: if whole.is_some() {
            "completed"
        } else {
            "in_progress"
        },
        error: None,
        incomplete_details: None,
        model: &script.model,
        output,
        parallel_tool_calls: true,
        reasoning: ReasoningConfig {
            effort: reasoning.then_some("medium"),
            summary: reasoning.then_some("auto"),
        },
        store: false,
        tool_choice: "auto",
        tools: [],
        usage: whole.map(|_| Usage {
            input_tokens: script.prompt_tokens,
            input_tokens_details: InputDetails { cached_tokens: 0 },
            output_tokens: completion,
            output_tokens_details: OutputDetails {
                reasoning_tokens: script.thinking.len() as u64,
            },
            total_tokens: script.prompt_tokens + completion,
        }),
    }
}

/// The reasoning item, its summary `None` while it streams.
fn reasoning_item<'a>(ids: &'a Ids, summary: Option<&'a str>) -> Item<'a> {
    Item::Reasoning {
        id: &ids.reasoning,
        summary: summary
            .map(|text| vec![Part::SummaryText { text }])
            .unwrap_or_default(),
    }
}

/// The message item, its text `None` while it streams.
fn message_item<'a>(ids: &'a Ids, text: Option<&'a str>) -> Item<'a> {
    Item::Message {
        id: &ids.message,
        status: if text.is_some() {
            "completed"
        } else {
            "in_progress"
        },
        role: "assistant",
        content: text.map(output_text).into_iter().collect(),
    }
}

fn output_text(text: &str) -> Part<'_> {
    Part::OutputText {
        text,
        annotations: [],
    }
}

/// The answer as a Responses event stream.
pub(crate) fn stream(script: Script) -> Response {
    sse_response(move |sink| async move {
        let ids = Ids::new();
        let created_at = unix_now();
        let (reasoning, text) = (script.reasoning(), script.text());
        let mut seq = Sequence::default();
        let response = || response_object(&script, &ids, created_at, None);
        sink.send(seq.frame(Event::Created {
            response: response(),
        }))
        .await?;
        sink.send(seq.frame(Event::InProgress {
            response: response(),
        }))
        .await?;
        let mut output_index = 0;
        if !script.thinking.is_empty() {
            let item = reasoning_item(&ids, None);
            sink.send(seq.frame(Event::ItemAdded { output_index, item }))
                .await?;
            let (item_id, summary_index) = (ids.reasoning.as_str(), 0);
            let part = Part::SummaryText { text: "" };
            sink.send(seq.frame(Event::SummaryPartAdded {
                item_id,
                output_index,
                summary_index,
                part,
            }))
            .await?;
            for delta in &script.thinking {
                sink.sleep(script.delay).await?;
                sink.send(seq.frame(Event::SummaryDelta {
                    item_id,
                    output_index,
                    summary_index,
                    delta,
                }))
                .await?;
            }
            sink.send(seq.frame(Event::SummaryDone {
                item_id,
                output_index,
                summary_index,
                text: &reasoning,
            }))
            .await?;
            let part = Part::SummaryText { text: &reasoning };
            sink.send(seq.frame(Event::SummaryPartDone {
                item_id,
                output_index,
                summary_index,
                part,
            }))
            .await?;
            let item = reasoning_item(&ids, Some(&reasoning));
            sink.send(seq.frame(Event::ItemDone { output_index, item }))
                .await?;
            output_index += 1;
        }
        let item = message_item(&ids, None);
        sink.send(seq.frame(Event::ItemAdded { output_index, item }))
            .await?;
        let (item_id, content_index) = (ids.message.as_str(), 0);
        sink.send(seq.frame(Event::PartAdded {
            item_id,
            output_index,
            content_index,
            part: output_text(""),
        }))
        .await?;
        for (i, delta) in script.tokens.iter().enumerate() {
            sink.sleep(script.delay).await?;
            if script.fail_after == Some(i) {
                let error = Event::Error {
                    code: "server_error",
                    message: "demo: simulated mid-stream failure",
                    param: None,
                };
                return sink.send(seq.frame(error)).await;
            }
            sink.send(seq.frame(Event::TextDelta {
                item_id,
                output_index,
                content_index,
                delta,
                logprobs: [],
            }))
            .await?;
        }
        sink.send(seq.frame(Event::TextDone {
            item_id,
            output_index,
            content_index,
            text: &text,
            logprobs: [],
        }))
        .await?;
        sink.send(seq.frame(Event::PartDone {
            item_id,
            output_index,
            content_index,
            part: output_text(&text),
        }))
        .await?;
        let item = message_item(&ids, Some(&text));
        sink.send(seq.frame(Event::ItemDone { output_index, item }))
            .await?;
        let response = response_object(&script, &ids, created_at, Some((&reasoning, &text)));
        sink.send(seq.frame(Event::Completed { response })).await
    })
}

/// The answer as one `response` object (`stream` false or absent).
pub(crate) fn whole(script: &Script) -> Response {
    let ids = Ids::new();
    let (reasoning, text) = (script.reasoning(), script.text());
    let response = response_object(script, &ids, unix_now(), Some((&reasoning, &text)));
    Json(response).into_response()
}
