//! Anthropic Messages: content blocks and their deltas, `message_delta`, `message_stop`.

use serde_json::Value;

use super::usage::usage_of;
use super::{EndMarker, Transcript, str_at};

impl Transcript {
    pub(super) fn anthropic(&mut self, kind: &str, v: &Value) {
        let index = v.get("index").and_then(Value::as_u64).unwrap_or(0);
        match kind {
            "message_start" => {
                if let Some(usage) = v.get("message").and_then(|m| m.get("usage")) {
                    self.usage.merge(usage_of(usage));
                }
            }
            "content_block_start" => {
                let Some(block) = v.get("content_block") else {
                    return;
                };
                match str_at(block, "type") {
                    Some("thinking") => {
                        let text = str_at(block, "thinking").unwrap_or("");
                        self.append_reasoning_part(Some(format!("b{index}")), text);
                        return;
                    }
                    // Encrypted reasoning: acknowledged, its `data` never kept.
                    Some("redacted_thinking") => {
                        self.redacted_reasoning += 1;
                        return;
                    }
                    _ => {}
                }
                if let Some(name) = str_at(block, "name") {
                    self.tool_delta(format!("b{index}"), str_at(block, "id"), Some(name), None);
                } else if let Some(text) = str_at(block, "text") {
                    self.append_text(text, false);
                }
            }
            "content_block_delta" => {
                let Some(delta) = v.get("delta") else { return };
                if let Some(text) = str_at(delta, "text") {
                    self.append_text(text, false);
                } else if let Some(text) = str_at(delta, "thinking") {
                    self.append_reasoning_part(Some(format!("b{index}")), text);
                } else if str_at(delta, "type") == Some("signature_delta") {
                    // Verifies the thinking block; bytes, not text.
                    self.reasoning_signatures += 1;
                } else if let Some(json) = str_at(delta, "partial_json") {
                    self.tool_delta(format!("b{index}"), None, None, Some(json));
                }
            }
            "message_delta" => {
                if let Some(reason) = v.get("delta").and_then(|d| str_at(d, "stop_reason")) {
                    self.finish_reason = Some(reason.to_owned());
                }
                if let Some(usage) = v.get("usage") {
                    self.usage.merge(usage_of(usage));
                }
            }
            "message_stop" => self.terminal = Some(EndMarker::MessageStop),
            _ => {}
        }
    }
}

/// Anthropic's event types (the `type` field repeats the `event:` name).
pub(super) const ANTHROPIC_TYPES: &[&str] = &[
    "message_start",
    "content_block_start",
    "content_block_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
    "ping",
];
