//! Token usage, under the names each API gives it.

use serde_json::Value;

/// Token counts as the stream reported them (each only when it did).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: Option<u64>,
    pub output: Option<u64>,
    pub total: Option<u64>,
    /// Of the output, the tokens spent reasoning (OpenAI chat's
    /// `completion_tokens_details.reasoning_tokens`, Responses'
    /// `output_tokens_details.reasoning_tokens`, Gemini's `thoughtsTokenCount`).
    pub reasoning: Option<u64>,
}

impl Usage {
    /// The reported total, else input + output when both are known.
    pub fn total(&self) -> Option<u64> {
        self.total.or_else(|| self.input?.checked_add(self.output?))
    }

    pub(super) fn is_empty(&self) -> bool {
        *self == Usage::default()
    }

    /// Later reports win field by field: Anthropic sends input tokens first
    /// and the final output count last.
    pub(super) fn merge(&mut self, later: Usage) {
        self.input = later.input.or(self.input);
        self.output = later.output.or(self.output);
        self.total = later.total.or(self.total);
        self.reasoning = later.reasoning.or(self.reasoning);
    }
}

/// Token counts under any of the names the APIs use.
pub(super) fn usage_of(v: &Value) -> Usage {
    let first = |keys: &[&str]| keys.iter().find_map(|k| v.get(*k).and_then(Value::as_u64));
    Usage {
        input: first(&[
            "prompt_tokens",
            "input_tokens",
            "promptTokenCount",
            "prompt_eval_count",
        ]),
        output: first(&[
            "completion_tokens",
            "output_tokens",
            "candidatesTokenCount",
            "eval_count",
        ]),
        total: first(&["total_tokens", "totalTokenCount"]),
        reasoning: reasoning_tokens(v),
    }
}

/// Reasoning tokens where each API reports them: nested in
/// `completion_tokens_details` (OpenAI chat completions, and the DeepSeek,
/// vLLM and OpenRouter APIs that copy it) or `output_tokens_details` (OpenAI
/// Responses), `thoughtsTokenCount` in Gemini's `usageMetadata`, or a flat
/// `reasoning_tokens` some gateways send.
fn reasoning_tokens(v: &Value) -> Option<u64> {
    ["completion_tokens_details", "output_tokens_details"]
        .iter()
        .find_map(|k| v.get(*k)?.get("reasoning_tokens")?.as_u64())
        .or_else(|| v.get("thoughtsTokenCount")?.as_u64())
        .or_else(|| v.get("reasoning_tokens")?.as_u64())
}
