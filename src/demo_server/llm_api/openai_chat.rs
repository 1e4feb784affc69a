//! OpenAI Chat Completions: `chat.completion.chunk` objects as `data:`-only
//! events (no `event:` field), a role chunk, one chunk per token, a
//! `finish_reason` chunk, the usage chunk (always on `/chat`; on
//! `/v1/chat/completions` when `stream_options.include_usage` asks, every
//! other chunk then carrying `"usage": null` as OpenAI documents), then
//! `data: [DONE]`. Reasoning streams first as `delta.reasoning_content`, as
//! DeepSeek and vLLM do, counted in `completion_tokens_details`.
//! Without `stream` the answer is one `chat.completion` object.

use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::answer::Script;
use super::{new_id, unix_now};
use crate::demo_server::stream::sse_response;
use crate::demo_server::wire::{Frame, to_json};

/// One `chat.completion.chunk`, fields in OpenAI's order.
#[derive(Serialize)]
struct Chunk<'a> {
    id: &'a str,
    object: &'static str,
    created: u64,
    model: &'a str,
    choices: Vec<Choice<'a>>,
    /// Absent; `null` on every chunk but the last with `include_usage`.
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<Option<Usage>>,
}

/// The single choice in a chunk.
#[derive(Serialize)]
struct Choice<'a> {
    index: u32,
    delta: Delta<'a>,
    finish_reason: Option<&'static str>,
}

/// What a chunk adds to the answer: the role first, then text; empty at the end.
#[derive(Serialize, Default)]
struct Delta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    /// A reasoning model's thinking, DeepSeek's field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<&'a str>,
}

/// Token counts, as OpenAI reports them.
#[derive(Serialize)]
struct Usage {
    prompt_tokens: u64,
    completion_tokens: u64,
    total_tokens: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    completion_tokens_details: Option<CompletionDetails>,
}

/// What the completion tokens were spent on (reasoning mode).
#[derive(Serialize)]
struct CompletionDetails {
    reasoning_tokens: u64,
}

/// An OpenAI-style error object, for the mid-stream `event: error`.
#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    r#type: &'static str,
    message: &'static str,
}

/// The non-streaming answer: one `chat.completion`.
#[derive(Serialize)]
struct Completion<'a> {
    id: String,
    object: &'static str,
    created: u64,
    model: &'a str,
    choices: [CompletionChoice; 1],
    usage: Usage,
}

#[derive(Serialize)]
struct CompletionChoice {
    index: u32,
    message: Message,
    finish_reason: &'static str,
}

#[derive(Serialize)]
struct Message {
    role: &'static str,
    content: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<String>,
}

/// As OpenAI counts them: the reasoning is part of the completion.
fn usage(script: &Script) -> Usage {
    let completion_tokens = script.completion_tokens();
    let reasoning_tokens = script.thinking.len() as u64;
    Usage {
        prompt_tokens: script.prompt_tokens,
        completion_tokens,
        total_tokens: script.prompt_tokens + completion_tokens,
        completion_tokens_details: (reasoning_tokens > 0)
            .then_some(CompletionDetails { reasoning_tokens }),
    }
}

/// How the stream reports usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UsageChunk {
    /// A last chunk with the usage, no `usage` key elsewhere (`/chat`).
    Always,
    /// `stream_options.include_usage`: `"usage": null` on each chunk, then the usage chunk.
    Requested,
    /// No usage (OpenAI's default).
    Never,
}

/// The answer as a chunk stream.
pub(crate) fn stream(script: Script, usage_chunk: UsageChunk) -> Response {
    sse_response(move |sink| async move {
        let id = new_id("chatcmpl-demo-");
        let created = unix_now();
        let null_usage = || (usage_chunk == UsageChunk::Requested).then_some(None);
        let chunk = |choices: Vec<Choice>, usage: Option<Option<Usage>>| {
            let chunk = Chunk {
                id: &id,
                object: "chat.completion.chunk",
                created,
                model: &script.model,
                choices,
                usage,
            };
            Frame::new().data(&to_json(&chunk))
        };
        let role = Delta {
            role: Some("assistant"),
            content: Some(""),
            reasoning_content: None,
        };
        sink.send(chunk(choice(role, None), null_usage())).await?;
        for token in &script.thinking {
            sink.sleep(script.delay).await?;
            let delta = Delta {
                reasoning_content: Some(token),
                ..Delta::default()
            };
            sink.send(chunk(choice(delta, None), null_usage())).await?;
        }
        for (i, token) in script.tokens.iter().enumerate() {
            sink.sleep(script.delay).await?;
            if script.fail_after == Some(i) {
                let error = ErrorBody {
                    error: ErrorDetail {
                        r#type: "server_error",
                        message: "demo: simulated mid-stream failure",
                    },
                };
                return sink
                    .send(Frame::new().event("error").data(&to_json(&error)))
                    .await;
            }
            let delta = Delta {
                content: Some(token),
                ..Delta::default()
            };
            sink.send(chunk(choice(delta, None), null_usage())).await?;
        }
        let stop = choice(Delta::default(), Some("stop"));
        sink.send(chunk(stop, null_usage())).await?;
        if usage_chunk != UsageChunk::Never {
            sink.send(chunk(Vec::new(), Some(Some(usage(&script)))))
                .await?;
        }
        sink.send(Frame::new().data("[DONE]")).await
    })
}

/// The answer as one `chat.completion` object (`stream` false or absent).
pub(crate) fn completion(script: &Script) -> Response {
    let completion = Completion {
        id: new_id("chatcmpl-demo-"),
        object: "chat.completion",
        created: unix_now(),
        model: &script.model,
        choices: [CompletionChoice {
            index: 0,
            message: Message {
                role: "assistant",
                content: script.text(),
                reasoning_content: (!script.thinking.is_empty()).then(|| script.reasoning()),
            },
            finish_reason: "stop",
        }],
        usage: usage(script),
    };
    Json(completion).into_response()
}

/// The one choice every demo chunk carries.
fn choice<'a>(delta: Delta<'a>, finish_reason: Option<&'static str>) -> Vec<Choice<'a>> {
    vec![Choice {
        index: 0,
        delta,
        finish_reason,
    }]
}
