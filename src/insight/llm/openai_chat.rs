//! OpenAI chat completions: `choices[].delta`, tool-call deltas, `usage`.

use serde_json::Value;

use super::usage::usage_of;
use super::{Transcript, str_at};

impl Transcript {
    pub(super) fn chat(&mut self, v: &Value) {
        for choice in v
            .get("choices")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            // Only the first choice is assembled (`n` > 1 is rare in streaming).
            let index = choice.get("index").and_then(Value::as_u64).unwrap_or(0);
            if index != 0 {
                continue;
            }
            let delta = choice.get("delta");
            // Legacy completions stream `choices[].text`.
            let text = delta
                .and_then(|d| d.get("content"))
                .or_else(|| choice.get("text"))
                .and_then(Value::as_str);
            if let Some(text) = text {
                self.append_text(text, false);
            }
            // DeepSeek, vLLM and Qwen name it `reasoning_content`, OpenRouter
            // (and newer vLLM) `reasoning`; a gateway sending both repeats it.
            let reasoning = delta
                .and_then(|d| str_at(d, "reasoning_content").or_else(|| str_at(d, "reasoning")));
            if let Some(reasoning) = reasoning {
                self.append_reasoning(reasoning);
            }
            for call in delta
                .and_then(|d| d.get("tool_calls"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let i = call.get("index").and_then(Value::as_u64).unwrap_or(0);
                let function = call.get("function");
                self.tool_delta(
                    format!("c{i}"),
                    str_at(call, "id"),
                    function.and_then(|f| str_at(f, "name")),
                    function.and_then(|f| str_at(f, "arguments")),
                );
            }
            if let Some(reason) = str_at(choice, "finish_reason") {
                self.finish_reason = Some(reason.to_owned());
            }
        }
        if let Some(usage) = v.get("usage") {
            self.usage.merge(usage_of(usage));
        }
    }
}
