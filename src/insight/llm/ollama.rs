//! Ollama's native API: `message.content` or `response`, `done`.

use serde_json::Value;

use super::usage::usage_of;
use super::{EndMarker, Transcript, str_at};

impl Transcript {
    pub(super) fn ollama(&mut self, v: &Value) {
        let message = v.get("message");
        // `/api/chat` streams `message.content`, `/api/generate` `response`.
        // A thinking model's reasoning: `message.thinking` (`/api/chat`),
        // `thinking` (`/api/generate`).
        let thinking = message
            .and_then(|m| str_at(m, "thinking"))
            .or_else(|| str_at(v, "thinking"));
        if let Some(thinking) = thinking {
            self.append_reasoning(thinking);
        }
        let text = message
            .and_then(|m| str_at(m, "content"))
            .or_else(|| str_at(v, "response"));
        if let Some(text) = text {
            self.append_text(text, false);
        }
        for call in message
            .and_then(|m| m.get("tool_calls"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let function = call.get("function");
            self.whole_tool_call(
                'o',
                str_at(call, "id"),
                function.and_then(|f| str_at(f, "name")),
                function.and_then(|f| f.get("arguments")),
            );
        }
        if v.get("done").and_then(Value::as_bool) == Some(true) {
            self.terminal = Some(EndMarker::OllamaDone);
            if let Some(reason) = str_at(v, "done_reason") {
                self.finish_reason = Some(reason.to_owned());
            }
            self.usage.merge(usage_of(v));
        }
    }
}
