//! Tool (function) calls, assembled from their streamed pieces.

use serde_json::Value;

use super::{MAX_TEXT_BYTES, Transcript};

/// A tool (function) call the model streamed: its name and its arguments as
/// the JSON text assembled so far (possibly incomplete).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToolCall {
    pub id: Option<String>,
    pub name: String,
    pub arguments: String,
}

impl Transcript {
    /// A tool call that comes whole in one chunk (Gemini, Ollama), keyed by
    /// `tag` and its position: `args` an object, or text kept as it is.
    pub(super) fn whole_tool_call(
        &mut self,
        tag: char,
        id: Option<&str>,
        name: Option<&str>,
        args: Option<&Value>,
    ) {
        let args = args.map(|args| match args {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        });
        let key = format!("{tag}{}", self.tools.len());
        self.tool_delta(key, id, name, args.as_deref());
    }

    /// Adds to the tool call streamed under `key`, creating it on first sight.
    pub(super) fn tool_delta(
        &mut self,
        key: String,
        id: Option<&str>,
        name: Option<&str>,
        arguments: Option<&str>,
    ) {
        let next = self.tools.len();
        let i = *self.tool_keys.entry(key).or_insert(next);
        if i == next {
            self.tools.push(ToolCall::default());
        }
        let Some(tool) = self.tools.get_mut(i) else {
            return;
        };
        if let Some(id) = id.filter(|id| !id.is_empty()) {
            tool.id.get_or_insert_with(|| id.to_owned());
        }
        if let Some(name) = name
            && tool.name.is_empty()
        {
            tool.name.push_str(name);
        }
        if let Some(arguments) = arguments
            && self.tool_bytes + self.text.len() < MAX_TEXT_BYTES
        {
            tool.arguments.push_str(arguments);
            self.tool_bytes += arguments.len();
        }
    }
}
