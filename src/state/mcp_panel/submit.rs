//! Turning what the user chose into a call: Enter on an item (a resource
//! is read at once, the others open the arguments editor pre-filled) and
//! Ctrl-S in the editor (the JSON checked for what the method needs).

use serde_json::{Map, Value, json};

use super::item::Item;
use super::{CallPanel, CallView, Editor, Focus, PanelAction, template};
use crate::mcp::calls::ListKind;
use crate::mcp::schema;
use crate::state::text_input::TextInput;

impl CallPanel {
    /// Enter on an item: a resource is read, anything else gets its arguments edited.
    pub(super) fn open(&mut self) -> PanelAction {
        let Some(item) = self.selected_item().cloned() else {
            return PanelAction::None;
        };
        if item.kind == ListKind::Resources {
            let uri = item.uri().unwrap_or_default();
            return self.start_call(
                format!("resources/read {uri}"),
                "resources/read",
                json!({ "uri": uri }),
                None,
                None,
            );
        }
        let same = self
            .editor
            .as_ref()
            .is_some_and(|e| e.item.kind == item.kind && e.item.name == item.name);
        if !same {
            let text = prefill(&item);
            self.editor = Some(Editor {
                item,
                input: TextInput::multi_line(text),
                error: None,
            });
        }
        self.focus = Focus::Editor;
        PanelAction::None
    }

    /// Ctrl-S in the editor: the call, when the text is what it must be.
    pub(super) fn submit(&mut self) -> PanelAction {
        let Some(editor) = &mut self.editor else {
            return PanelAction::None;
        };
        let object = match parse_object(&editor.input) {
            Ok(object) => object,
            Err(Refusal { why, at }) => {
                if let Some((line, col)) = at {
                    editor.input.set_cursor_line_col(line, col);
                }
                editor.error = Some(why);
                return PanelAction::None;
            }
        };
        let item = editor.item.clone();
        match item.kind {
            ListKind::Tools => self.start_call(
                format!("tools/call {}", item.name),
                "tools/call",
                json!({ "name": item.name, "arguments": object }),
                Some(item.name.clone()),
                item.output_schema().cloned(),
            ),
            ListKind::Prompts => {
                if let Some((name, _)) = object.iter().find(|(_, v)| !v.is_string()) {
                    editor.error = Some(format!(
                        "a prompt's arguments are strings: {} is not one",
                        Value::String(name.clone())
                    ));
                    return PanelAction::None;
                }
                self.start_call(
                    format!("prompts/get {}", item.name),
                    "prompts/get",
                    json!({ "name": item.name, "arguments": object }),
                    None,
                    None,
                )
            }
            ListKind::Templates | ListKind::Resources => {
                let uri = template::expand(&item.uri_template().unwrap_or_default(), &object);
                self.start_call(
                    format!("resources/read {uri}"),
                    "resources/read",
                    json!({ "uri": uri }),
                    None,
                    None,
                )
            }
        }
    }

    fn start_call(
        &mut self,
        label: String,
        method: &str,
        params: Value,
        tool: Option<String>,
        output_schema: Option<Value>,
    ) -> PanelAction {
        if self.call.as_ref().is_some_and(|c| c.status.is_running()) {
            self.notice = Some("a call is running: x cancels it".into());
            return PanelAction::None;
        }
        self.call = Some(CallView::new(label, tool.clone(), output_schema));
        self.call_from = self.focus;
        self.focus = Focus::Call;
        PanelAction::Call {
            method: method.to_owned(),
            params,
            tool,
        }
    }
}

/// The text an item's editor starts with: a tool's arguments from its
/// `inputSchema`, a template's variables or a prompt's arguments as strings
/// (in the order given, required first for a tool).
fn prefill(item: &Item) -> String {
    let empty = json!({});
    let names: Vec<String> = match item.kind {
        ListKind::Tools => return schema::example_text(item.input_schema().unwrap_or(&empty)),
        ListKind::Prompts => item
            .prompt_arguments()
            .into_iter()
            .map(|a| a.name)
            .collect(),
        ListKind::Templates | ListKind::Resources => {
            template::variables(&item.uri_template().unwrap_or_default())
        }
    };
    let properties: Map<String, Value> = names
        .iter()
        .map(|n| (n.clone(), json!({ "type": "string" })))
        .collect();
    // Listed as required, so the example keeps them in this order.
    schema::example_text(&json!({ "type": "object", "properties": properties, "required": names }))
}

/// Why the editor's text is not a JSON object and, for a syntax error,
/// where (0-based line and column, for the cursor).
struct Refusal {
    why: String,
    at: Option<(usize, usize)>,
}

/// The editor's text as a JSON object.
fn parse_object(input: &TextInput) -> Result<Map<String, Value>, Refusal> {
    match serde_json::from_str::<Value>(input.text()) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(Refusal {
            why: format!(
                "the arguments must be a JSON object, not {}",
                kind_of(&other)
            ),
            at: None,
        }),
        Err(error) => {
            let (line, column) = (error.line(), error.column());
            let message = error.to_string();
            let message = message
                .rfind(" at line ")
                .map_or(message.as_str(), |at| &message[..at]);
            Err(Refusal {
                why: format!("invalid JSON at {line}:{column}: {message}"),
                at: Some((line.saturating_sub(1), column.saturating_sub(1))),
            })
        }
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
