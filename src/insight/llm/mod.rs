//! LLM streams: the answer a model streams as SSE, assembled from its chunks,
//! with the figures people ask of it (time to first token, chunk rate, end
//! marker, token usage, errors).
//!
//! Recognised, by the documented wire formats:
//! - OpenAI chat completions: `choices[].delta.content`, tool-call deltas,
//!   `finish_reason`, `usage` in the last chunk, `data: [DONE]`;
//! - OpenAI Responses: `response.output_text.delta`, function-call argument
//!   deltas, `response.completed` (usage), `response.failed`, `error`;
//! - Anthropic Messages: `message_start` (usage), `content_block_delta`
//!   (`text_delta`, `input_json_delta`), `message_delta` (`stop_reason`,
//!   usage), `message_stop`, `error`, `ping`;
//! - Google Gemini: `candidates[].content.parts[].text`, `functionCall`,
//!   `finishReason`, `usageMetadata`;
//! - Ollama's native API: `message.content` (`/api/chat`) or `response`
//!   (`/api/generate`), `message.tool_calls`, `done`, `done_reason`, the eval counts;
//! - any other API through a user-set [`ContentPath`] (`.output.text`).
//!
//! Reasoning (thinking) is assembled apart from the answer, by each API's
//! documented fields: see `reasoning.rs`.
//!
//! Each event costs O(its size): the text is appended to, never rebuilt.

mod anthropic;
mod content_path;
mod errors;
mod gemini;
mod ollama;
mod openai_chat;
mod openai_responses;
mod reasoning;
#[cfg(test)]
mod reasoning_tests;
mod shape;
mod summary;
#[cfg(test)]
mod tests;
mod tool_call;
mod transcript;
mod usage;

use serde_json::Value;

pub use content_path::{ContentPath, ContentPathError};
pub use errors::{ErrorSource, StreamError};
pub use shape::{EndMarker, Shape};
pub use tool_call::ToolCall;
pub use transcript::{MAX_ERRORS, MAX_TEXT_BYTES, Transcript};
pub use usage::Usage;

/// The text one event adds to an answer, read exactly as the Answer view
/// reads it (by the API's shape, or through `path`): what the event list
/// shows in place of an LLM chunk's JSON. A reasoning model's chunk that
/// adds only thinking gives that (`reasoning`), so its first minute does
/// not read as raw JSON. `None` when the event adds no text (a role-only
/// chunk, `[DONE]`, a ping, a tool call's arguments).
pub fn delta_text(event_type: &str, data: &str, path: Option<&ContentPath>) -> Option<Delta> {
    let mut one = Transcript::with_path(path.cloned());
    one.push(event_type, data, std::time::SystemTime::UNIX_EPOCH);
    let (text, reasoning) = match one.text() {
        "" => (one.reasoning(), true),
        text => (text, false),
    };
    (!text.is_empty()).then(|| Delta {
        text: text.to_owned(),
        reasoning,
    })
}

/// What [`delta_text`] found in one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    pub text: String,
    /// The text is the model's reasoning, not its answer.
    pub reasoning: bool,
}

fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}
