//! Google Gemini: `candidates[].content.parts[]`, `usageMetadata`.

use serde_json::Value;

use super::usage::usage_of;
use super::{Transcript, str_at};

impl Transcript {
    pub(super) fn gemini(&mut self, v: &Value) {
        if let Some(candidate) = v.get("candidates").and_then(|c| c.get(0)) {
            let parts = candidate
                .get("content")
                .and_then(|c| c.get("parts"))
                .and_then(Value::as_array);
            for part in parts.into_iter().flatten() {
                // Thought summaries (`includeThoughts`) are reasoning, not the answer.
                if part.get("thought").and_then(Value::as_bool) == Some(true) {
                    if let Some(text) = str_at(part, "text") {
                        self.append_reasoning(text);
                    }
                    continue;
                }
                if let Some(text) = str_at(part, "text") {
                    self.append_text(text, false);
                } else if let Some(call) = part.get("functionCall") {
                    self.whole_tool_call('g', None, str_at(call, "name"), call.get("args"));
                }
            }
            if let Some(reason) = str_at(candidate, "finishReason") {
                self.finish_reason = Some(reason.to_owned());
            }
        }
        if let Some(usage) = v.get("usageMetadata") {
            self.usage.merge(usage_of(usage));
        }
    }
}
