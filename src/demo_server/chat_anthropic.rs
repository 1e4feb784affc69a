//! `/chat?format=anthropic`: the same canned answer as Anthropic's Messages
//! API streams it: `message_start`, a text content block opened, one
//! `content_block_delta` per token, the block closed, `message_delta` with
//! the stop reason and usage, `message_stop`; each event's `type` repeats
//! its `event:` name, as Anthropic's do.

use std::time::Duration;

use axum::response::Response;

use super::stream::sse_response;
use super::wire::Frame;

/// What to stream: the model's name, the tokens, the prompt's size, the
/// pause between tokens, and after how many tokens to fail (`?error=1`).
pub(super) struct Answer {
    pub model: String,
    pub tokens: Vec<String>,
    pub prompt_tokens: u64,
    pub delay: Duration,
    pub fail_after: Option<usize>,
}

/// The answer as an Anthropic Messages event stream (each object written
/// in Anthropic's key order, `type` first).
pub(super) fn response(answer: Answer) -> Response {
    sse_response(move |sink| async move {
        let event = |name: &str, data: String| Frame::new().event(name).data(&data);
        let model = quoted(&answer.model);
        let start = format!(
            r#"{{"type":"message_start","message":{{"id":"msg_demo","type":"message","role":"assistant","model":{model},"content":[],"usage":{{"input_tokens":{},"output_tokens":1}}}}}}"#,
            answer.prompt_tokens
        );
        sink.send(event("message_start", start)).await?;
        let block =
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#;
        sink.send(event("content_block_start", block.to_owned()))
            .await?;
        for (i, token) in answer.tokens.iter().enumerate() {
            sink.sleep(answer.delay).await?;
            if answer.fail_after == Some(i) {
                let error = r#"{"type":"error","error":{"type":"overloaded_error","message":"demo: simulated mid-stream failure"}}"#;
                return sink.send(event("error", error.to_owned())).await;
            }
            let delta = format!(
                r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"text_delta","text":{}}}}}"#,
                quoted(token)
            );
            sink.send(event("content_block_delta", delta)).await?;
        }
        let stop = r#"{"type":"content_block_stop","index":0}"#;
        sink.send(event("content_block_stop", stop.to_owned()))
            .await?;
        let delta = format!(
            r#"{{"type":"message_delta","delta":{{"stop_reason":"end_turn","stop_sequence":null}},"usage":{{"output_tokens":{}}}}}"#,
            answer.tokens.len()
        );
        sink.send(event("message_delta", delta)).await?;
        let stop = r#"{"type":"message_stop"}"#;
        sink.send(event("message_stop", stop.to_owned())).await
    })
}

/// `text` as a JSON string.
fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}
