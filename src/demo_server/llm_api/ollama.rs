//! Ollama's native `/api/chat`: a JSON object a line (NDJSON,
//! `application/x-ndjson`), not SSE, as local models stream; ssetui reads
//! it with `--parse-as ndjson`. In reasoning mode the thinking comes first
//! in `message.thinking`, as Ollama streams a thinking model's (its
//! `eval_count` counts both). With `"stream": false` the answer is the one
//! last line, whole.

use std::time::SystemTime;

use axum::Json;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use super::answer::Script;
use crate::demo_server::stream::{Gone, Sink, stream_response};
use crate::demo_server::wire::to_json;

/// One line of the stream, fields in Ollama's order.
#[derive(Serialize)]
struct Line<'a> {
    model: &'a str,
    created_at: String,
    message: Message<'a>,
    done: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    done_reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prompt_eval_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eval_count: Option<u64>,
}

#[derive(Serialize)]
struct Message<'a> {
    role: &'static str,
    content: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    thinking: Option<&'a str>,
}

/// Ollama's mid-stream failure: a line holding only `error`.
#[derive(Serialize)]
struct ErrorLine {
    error: &'static str,
}

/// The streaming response: a line per token, then `"done": true` with the counts.
pub(crate) fn stream(script: Script) -> Response {
    stream_response("application/x-ndjson", move |sink| async move {
        for token in &script.thinking {
            let mut thinking = line(&script.model, "", None);
            thinking.message.thinking = Some(token);
            send(&sink, &thinking).await?;
            sink.sleep(script.delay).await?;
        }
        for (i, token) in script.tokens.iter().enumerate() {
            if i > 0 {
                sink.sleep(script.delay).await?;
            }
            if script.fail_after == Some(i) {
                let error = ErrorLine {
                    error: "demo: simulated mid-stream failure",
                };
                return send(&sink, &error).await;
            }
            send(&sink, &line(&script.model, token, None)).await?;
        }
        sink.sleep(script.delay).await?;
        let counts = (script.prompt_tokens, script.completion_tokens());
        send(&sink, &line(&script.model, "", Some(counts))).await
    })
}

/// The whole answer in one object (`"stream": false`).
pub(crate) fn whole(script: &Script) -> Response {
    let (text, reasoning) = (script.text(), script.reasoning());
    let counts = (script.prompt_tokens, script.completion_tokens());
    let mut done = line(&script.model, &text, Some(counts));
    done.message.thinking = (!reasoning.is_empty()).then_some(reasoning.as_str());
    Json(done).into_response()
}

/// A token's line, or with `counts` (prompt, answer) the last one.
fn line<'a>(model: &'a str, content: &'a str, counts: Option<(u64, u64)>) -> Line<'a> {
    Line {
        model,
        created_at: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
        message: Message {
            role: "assistant",
            content,
            thinking: None,
        },
        done: counts.is_some(),
        done_reason: counts.map(|_| "stop"),
        prompt_eval_count: counts.map(|(prompt, _)| prompt),
        eval_count: counts.map(|(_, answer)| answer),
    }
}

async fn send(sink: &Sink, value: &impl Serialize) -> Result<(), Gone> {
    let mut text = to_json(value);
    text.push('\n');
    sink.send_bytes(Bytes::from(text)).await
}
