//! Reasoning: the thinking a reasoning model streams before (or between)
//! the parts of its answer, kept apart from the answer's text. Each API's
//! reader calls [`Transcript::append_reasoning`] for its documented field:
//!
//! - OpenAI-compatible chat completions: `choices[].delta.reasoning_content`
//!   (DeepSeek, <https://api-docs.deepseek.com/guides/reasoning_model>; vLLM,
//!   <https://docs.vllm.ai/en/latest/features/reasoning_outputs.html>; Qwen)
//!   or `choices[].delta.reasoning` (OpenRouter,
//!   <https://openrouter.ai/docs/use-cases/reasoning-tokens>; newer vLLM);
//! - OpenAI Responses: `response.reasoning_summary_text.delta` and
//!   `response.reasoning_text.delta` events
//!   (<https://platform.openai.com/docs/api-reference/responses-streaming>);
//! - Anthropic Messages: `thinking` content blocks streamed as
//!   `thinking_delta`, closed by a `signature_delta`, and `redacted_thinking`
//!   blocks holding encrypted `data`
//!   (<https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking>):
//!   signatures and redacted blocks are counted, their bytes never kept;
//! - Google Gemini: parts with `"thought": true` (thought summaries, with
//!   `includeThoughts`), `usageMetadata.thoughtsTokenCount`
//!   (<https://ai.google.dev/gemini-api/docs/thinking>);
//! - Ollama: `message.thinking` (`/api/chat`) or `thinking` (`/api/generate`)
//!   (<https://docs.ollama.com/capabilities/thinking>).

use std::time::Duration;

use super::transcript::since;
use super::{MAX_TEXT_BYTES, Transcript};

impl Transcript {
    /// The reasoning assembled so far, apart from the answer (untrusted:
    /// escape before drawing).
    pub fn reasoning(&self) -> &str {
        &self.reasoning
    }

    /// Whether reasoning was dropped past [`MAX_TEXT_BYTES`].
    pub fn reasoning_truncated(&self) -> bool {
        self.reasoning_truncated
    }

    /// Reasoning blocks the API sent encrypted (Anthropic's `redacted_thinking`).
    pub fn redacted_reasoning(&self) -> u64 {
        self.redacted_reasoning
    }

    /// Signatures over the reasoning (Anthropic's `signature_delta`), counted only.
    pub fn reasoning_signatures(&self) -> u64 {
        self.reasoning_signatures
    }

    /// Whether the model reasoned visibly: text, or blocks sent redacted.
    pub fn has_reasoning(&self) -> bool {
        !self.reasoning.is_empty() || self.redacted_reasoning > 0
    }

    /// Chunks that added reasoning (or a redacted reasoning block).
    pub fn reasoning_chunks(&self) -> u64 {
        self.reasoning_chunks
    }

    /// From the request start to the first chunk that added reasoning.
    pub fn time_to_first_reasoning_token(&self) -> Option<Duration> {
        Some(since(self.started?, self.first_reasoning_at?))
    }

    /// Appends reasoning text of the part named `part` (a block or summary
    /// part; `None` when the API streams one): a part after another starts
    /// a new paragraph.
    pub(super) fn append_reasoning_part(&mut self, part: Option<String>, text: &str) {
        if text.is_empty() {
            return;
        }
        if part.is_some() && part != self.reasoning_part {
            if !self.reasoning.is_empty() && !self.reasoning.ends_with("\n\n") {
                let gap = if self.reasoning.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                self.append_reasoning(gap);
            }
            self.reasoning_part = part;
        }
        self.append_reasoning(text);
    }

    /// Appends reasoning text, capped like the answer's.
    pub(super) fn append_reasoning(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        let room = MAX_TEXT_BYTES.saturating_sub(self.reasoning.len());
        if text.len() <= room {
            self.reasoning.push_str(text);
        } else {
            let cut = crate::text::floor_boundary(text, room);
            self.reasoning.push_str(&text[..cut]);
            self.reasoning_truncated = true;
        }
    }
}
