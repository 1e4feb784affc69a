//! Anthropic Messages: `message_start`, a `ping`, then each content block
//! opened, streamed (`text_delta`) and closed, `message_delta` with the stop
//! reason and usage, `message_stop`; each event's JSON `type` is its
//! `event:` name, as Anthropic's are. In reasoning mode a `thinking` block
//! (`thinking_delta`, then a `signature_delta`) comes before the text block,
//! as with extended thinking. Without `stream` the answer is one `message`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::answer::Script;
use super::new_id;
use crate::demo_server::stream::sse_response;
use crate::demo_server::wire::{Frame, to_json};

/// The signature closing the demo's thinking block: opaque, as real ones are.
const SIGNATURE: &str = "ZGVtbyBzaWduYXR1cmUgb3ZlciB0aGUgdGhpbmtpbmc=";

/// One event, its `type` first (serde writes an internal tag first).
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event<'a> {
    MessageStart {
        message: Message<'a>,
    },
    ContentBlockStart {
        index: u32,
        content_block: Block<'a>,
    },
    Ping,
    ContentBlockDelta {
        index: u32,
        delta: Delta<'a>,
    },
    ContentBlockStop {
        index: u32,
    },
    MessageDelta {
        delta: Stop,
        usage: OutputUsage,
    },
    MessageStop,
    Error {
        error: ErrorDetail,
    },
}

impl Event<'_> {
    /// The `event:` name: the same as the JSON `type`.
    fn name(&self) -> &'static str {
        match self {
            Event::MessageStart { .. } => "message_start",
            Event::ContentBlockStart { .. } => "content_block_start",
            Event::Ping => "ping",
            Event::ContentBlockDelta { .. } => "content_block_delta",
            Event::ContentBlockStop { .. } => "content_block_stop",
            Event::MessageDelta { .. } => "message_delta",
            Event::MessageStop => "message_stop",
            Event::Error { .. } => "error",
        }
    }

    fn frame(&self) -> Frame {
        Frame::new().event(self.name()).data(&to_json(self))
    }
}

/// The `message` object: empty in `message_start`, whole when not streaming.
#[derive(Serialize)]
struct Message<'a> {
    id: &'a str,
    r#type: &'static str,
    role: &'static str,
    model: &'a str,
    content: Vec<Block<'a>>,
    stop_reason: Option<&'static str>,
    stop_sequence: Option<&'static str>,
    usage: Usage,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Block<'a> {
    Thinking {
        thinking: &'a str,
        signature: &'a str,
    },
    Text {
        text: &'a str,
    },
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Delta<'a> {
    #[serde(rename = "thinking_delta")]
    Thinking { thinking: &'a str },
    #[serde(rename = "signature_delta")]
    Signature { signature: &'a str },
    #[serde(rename = "text_delta")]
    Text { text: &'a str },
}

#[derive(Serialize)]
struct Stop {
    stop_reason: &'static str,
    stop_sequence: Option<&'static str>,
}

#[derive(Serialize)]
struct Usage {
    input_tokens: u64,
    output_tokens: u64,
}

#[derive(Serialize)]
struct OutputUsage {
    output_tokens: u64,
}

#[derive(Serialize)]
struct ErrorDetail {
    r#type: &'static str,
    message: &'static str,
}

/// The answer as a Messages event stream.
pub(crate) fn stream(script: Script) -> Response {
    sse_response(move |sink| async move {
        let id = new_id("msg_demo_");
        let start = Event::MessageStart {
            message: Message {
                id: &id,
                r#type: "message",
                role: "assistant",
                model: &script.model,
                content: Vec::new(),
                stop_reason: None,
                stop_sequence: None,
                usage: Usage {
                    input_tokens: script.prompt_tokens,
                    output_tokens: 1,
                },
            },
        };
        sink.send(start.frame()).await?;
        let mut index = 0;
        if !script.thinking.is_empty() {
            let block = Block::Thinking {
                thinking: "",
                signature: "",
            };
            sink.send(open(index, block)).await?;
            sink.send(Event::Ping.frame()).await?;
            for token in &script.thinking {
                sink.sleep(script.delay).await?;
                let delta = Delta::Thinking { thinking: token };
                sink.send(Event::ContentBlockDelta { index, delta }.frame())
                    .await?;
            }
            let delta = Delta::Signature {
                signature: SIGNATURE,
            };
            sink.send(Event::ContentBlockDelta { index, delta }.frame())
                .await?;
            sink.send(Event::ContentBlockStop { index }.frame()).await?;
            index += 1;
        }
        sink.send(open(index, Block::Text { text: "" })).await?;
        if index == 0 {
            sink.send(Event::Ping.frame()).await?;
        }
        for (i, token) in script.tokens.iter().enumerate() {
            sink.sleep(script.delay).await?;
            if script.fail_after == Some(i) {
                let error = ErrorDetail {
                    r#type: "overloaded_error",
                    message: "demo: simulated mid-stream failure",
                };
                return sink.send(Event::Error { error }.frame()).await;
            }
            let delta = Delta::Text { text: token };
            sink.send(Event::ContentBlockDelta { index, delta }.frame())
                .await?;
        }
        sink.send(Event::ContentBlockStop { index }.frame()).await?;
        let delta = Event::MessageDelta {
            delta: Stop {
                stop_reason: "end_turn",
                stop_sequence: None,
            },
            usage: OutputUsage {
                output_tokens: script.completion_tokens(),
            },
        };
        sink.send(delta.frame()).await?;
        sink.send(Event::MessageStop.frame()).await
    })
}

fn open(index: u32, content_block: Block<'_>) -> Frame {
    Event::ContentBlockStart {
        index,
        content_block,
    }
    .frame()
}

/// The answer as one `message` object (`stream` false or absent).
pub(crate) fn message(script: &Script) -> Response {
    let (reasoning, text) = (script.reasoning(), script.text());
    let mut content = Vec::new();
    if !script.thinking.is_empty() {
        content.push(Block::Thinking {
            thinking: &reasoning,
            signature: SIGNATURE,
        });
    }
    content.push(Block::Text { text: &text });
    let id = new_id("msg_demo_");
    let message = Message {
        id: &id,
        r#type: "message",
        role: "assistant",
        model: &script.model,
        content,
        stop_reason: Some("end_turn"),
        stop_sequence: None,
        usage: Usage {
            input_tokens: script.prompt_tokens,
            output_tokens: script.completion_tokens(),
        },
    };
    Json(message).into_response()
}
