//! OpenAI Responses: `response.*` events, function-call argument deltas.

use std::time::SystemTime;

use serde_json::Value;

use super::errors::error_text;
use super::usage::usage_of;
use super::{EndMarker, ErrorSource, Transcript, str_at};

impl Transcript {
    pub(super) fn responses(&mut self, kind: &str, v: &Value, at: SystemTime) {
        let key = || {
            let index = v.get("output_index").and_then(Value::as_u64).unwrap_or(0);
            format!("i{index}")
        };
        match kind {
            "response.output_text.delta" | "response.refusal.delta" => {
                if let Some(text) = str_at(v, "delta") {
                    self.append_text(text, false);
                }
            }
            // Reasoning summaries (`summary_index` numbers their parts) and,
            // from models that expose it, the reasoning text itself.
            "response.reasoning_summary_text.delta" | "response.reasoning_text.delta" => {
                if let Some(text) = str_at(v, "delta") {
                    let index = |k: &str| v.get(k).and_then(Value::as_u64).unwrap_or(0);
                    let part = format!(
                        "{kind}:{}:{}:{}",
                        index("output_index"),
                        index("summary_index"),
                        index("content_index")
                    );
                    self.append_reasoning_part(Some(part), text);
                }
            }
            "response.output_item.added" => {
                if let Some(item) = v.get("item")
                    && str_at(item, "type") == Some("function_call")
                {
                    let id = str_at(item, "call_id").or_else(|| str_at(item, "id"));
                    let name = str_at(item, "name");
                    self.tool_delta(key(), id, name, str_at(item, "arguments"));
                }
            }
            "response.function_call_arguments.delta" => {
                self.tool_delta(key(), None, None, str_at(v, "delta"));
            }
            "response.completed" | "response.incomplete" | "response.failed" => {
                let response = v.get("response");
                if let Some(usage) = response.and_then(|r| r.get("usage")) {
                    self.usage.merge(usage_of(usage));
                }
                match kind {
                    "response.completed" => self.terminal = Some(EndMarker::ResponseCompleted),
                    "response.incomplete" => {
                        self.terminal = Some(EndMarker::ResponseIncomplete);
                        let reason = response
                            .and_then(|r| r.get("incomplete_details"))
                            .and_then(|d| str_at(d, "reason"));
                        if let Some(reason) = reason {
                            self.finish_reason = Some(reason.to_owned());
                        }
                    }
                    _ => {
                        let text = response
                            .and_then(error_text)
                            .unwrap_or_else(|| "response.failed".to_owned());
                        self.add_error(ErrorSource::Chunk, text, Some(at));
                    }
                }
            }
            _ => {}
        }
    }
}
