//! `/chat?format=ollama`: the same canned answer in Ollama's native
//! `/api/chat` format, a JSON object a line (NDJSON, `application/x-ndjson`),
//! as local models stream. ssetui reads it with `--parse-as ndjson`.
//! With `?reasoning=1` the thinking comes first in `message.thinking`, as
//! Ollama streams a thinking model's (its `eval_count` counts both).

use std::time::{Duration, SystemTime};

use axum::response::Response;
use bytes::Bytes;
use serde::Serialize;

use super::stream::{Gone, Sink, stream_response};
use super::wire::to_json;

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

/// What the stream says; `fail_after` tokens, when set, are followed by an error line.
pub(crate) struct Answer {
    pub(crate) model: String,
    pub(crate) tokens: Vec<String>,
    /// Reasoning tokens streamed before the answer (`?reasoning=1`).
    pub(crate) thinking: Vec<String>,
    pub(crate) prompt_tokens: u64,
    pub(crate) delay: Duration,
    pub(crate) fail_after: Option<usize>,
}

/// The streaming response: a line per token, then `"done": true` with the counts.
pub(crate) fn response(answer: Answer) -> Response {
    stream_response("application/x-ndjson", move |sink| async move {
        for token in &answer.thinking {
            let mut thinking = line(&answer.model, "", None);
            thinking.message.thinking = Some(token);
            send(&sink, &thinking).await?;
            sink.sleep(answer.delay).await?;
        }
        for (i, token) in answer.tokens.iter().enumerate() {
            if i > 0 {
                sink.sleep(answer.delay).await?;
            }
            if answer.fail_after == Some(i) {
                let error = ErrorLine {
                    error: "demo: simulated mid-stream failure",
                };
                return send(&sink, &error).await;
            }
            send(&sink, &line(&answer.model, token, None)).await?;
        }
        sink.sleep(answer.delay).await?;
        let generated = answer.tokens.len() + answer.thinking.len();
        let counts = (answer.prompt_tokens, generated as u64);
        send(&sink, &line(&answer.model, "", Some(counts))).await
    })
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
