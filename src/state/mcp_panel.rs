//! The MCP call panel: an MCP server's tools, resources (and templates) and
//! prompts, each list filterable; a tool's arguments edited as JSON
//! pre-filled from its `inputSchema`; the call's progress and result. Plain
//! data: keys come in through [`CallPanel::key`], which answers with a
//! [`PanelAction`] for the app to carry out (a call, a list to read again),
//! and the app reports back through [`CallPanel::set_list`],
//! [`CallPanel::call_started`], [`CallPanel::progress`] and
//! [`CallPanel::call_finished`].
//!
//! Keys: Tab / Shift-Tab switch sections, `/` filters, Enter opens the
//! selected item (a resource is read at once), Ctrl-S calls with the
//! arguments typed, `r` reads the section's list again, `x` cancels the
//! running call, `v` shows the last call, Esc steps back (editor or result
//! to list, list to closed).

pub mod call;
pub mod item;
mod template;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Map, Value, json};

use super::text_input::TextInput;
use crate::mcp::calls::ListKind;
use crate::mcp::schema;

pub use call::{CallStatus, CallView, Output, Progress};
pub use item::{Field, Item};

/// The panel's sections, in the order Tab visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Tools,
    /// Resources, then resource templates.
    Resources,
    Prompts,
}

impl Section {
    pub const ALL: [Section; 3] = [Section::Tools, Section::Resources, Section::Prompts];

    /// The lists it shows, in order.
    pub fn kinds(self) -> &'static [ListKind] {
        match self {
            Section::Tools => &[ListKind::Tools],
            Section::Resources => &[ListKind::Resources, ListKind::Templates],
            Section::Prompts => &[ListKind::Prompts],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Tools => "Tools",
            Section::Resources => "Resources",
            Section::Prompts => "Prompts",
        }
    }

    fn step(self, forward: bool) -> Section {
        let at = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        let next = if forward {
            at + 1
        } else {
            at + Self::ALL.len() - 1
        };
        Self::ALL[next % Self::ALL.len()]
    }
}

/// One list as the server gave it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Listing {
    /// Asked for, not answered yet.
    #[default]
    Loading,
    Loaded(Vec<Item>),
    /// The server refused or failed it: why.
    Failed(String),
}

/// What has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The section's list.
    List,
    /// The filter line (`/`).
    Filter,
    /// The arguments editor.
    Editor,
    /// The call's progress and result.
    Call,
}

/// The arguments being edited for one item (a tool, a template, a prompt).
#[derive(Debug, Clone)]
pub struct Editor {
    pub item: Item,
    /// JSON text: the tool's arguments, the template's variables, the prompt's arguments.
    pub input: TextInput,
    /// Why the last Ctrl-S did not call (invalid JSON with its line:column, wrong shape).
    pub error: Option<String>,
}

/// What the app should do after a key.
#[derive(Debug, Clone, PartialEq)]
pub enum PanelAction {
    None,
    Close,
    /// Send this request; `tool` is set for a `tools/call` (the app adds
    /// `_meta.progressToken`).
    Call {
        method: String,
        params: Value,
        tool: Option<String>,
    },
    /// Read this list again. `Resources` stands for the whole Resources
    /// section: read the templates too.
    Refresh(ListKind),
    /// Cancel the running call.
    Cancel,
}

/// The panel's state.
#[derive(Debug, Clone)]
pub struct CallPanel {
    pub section: Section,
    lists: [Listing; 4],
    pub filter: TextInput,
    /// Position of the selected item in [`matches`](Self::matches).
    pub selected: usize,
    pub focus: Focus,
    pub editor: Option<Editor>,
    /// The last call made from the panel.
    pub call: Option<CallView>,
    /// Where Esc goes from the call view.
    call_from: Focus,
    /// A short message for the footer (a key that could not act).
    pub notice: Option<String>,
}

impl Default for CallPanel {
    fn default() -> Self {
        Self::new()
    }
}

impl CallPanel {
    /// A panel with every list still loading.
    pub fn new() -> Self {
        Self {
            section: Section::Tools,
            lists: Default::default(),
            filter: TextInput::single_line(""),
            selected: 0,
            focus: Focus::List,
            editor: None,
            call: None,
            call_from: Focus::List,
            notice: None,
        }
    }

    /// A list arrived (every page of it).
    pub fn set_list(&mut self, kind: ListKind, items: Vec<Value>) {
        let items = items.into_iter().map(|raw| Item::new(kind, raw)).collect();
        *self.list_mut(kind) = Listing::Loaded(items);
        self.clamp();
    }

    /// A list could not be read: why.
    pub fn set_list_failed(&mut self, kind: ListKind, why: String) {
        *self.list_mut(kind) = Listing::Failed(why);
        self.clamp();
    }

    pub fn listing(&self, kind: ListKind) -> &Listing {
        &self.lists[index(kind)]
    }

    fn list_mut(&mut self, kind: ListKind) -> &mut Listing {
        &mut self.lists[index(kind)]
    }

    /// The items of the section the filter lets through, in list order.
    pub fn matches(&self) -> Vec<&Item> {
        let words: Vec<String> = self
            .filter
            .text()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.section
            .kinds()
            .iter()
            .filter_map(|kind| match self.listing(*kind) {
                Listing::Loaded(items) => Some(items),
                _ => None,
            })
            .flatten()
            .filter(|item| item.matches(&words))
            .collect()
    }

    /// How many items a section has, once all its lists are loaded.
    pub fn count(&self, section: Section) -> Option<usize> {
        section
            .kinds()
            .iter()
            .map(|kind| match self.listing(*kind) {
                Listing::Loaded(items) => Some(items.len()),
                Listing::Failed(_) => Some(0),
                Listing::Loading => None,
            })
            .sum()
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.matches().get(self.selected).copied()
    }

    /// The call started (the request went out).
    pub fn call_started(&mut self, tool: Option<String>) {
        if let Some(call) = &mut self.call {
            if call.status == CallStatus::Sent {
                call.status = CallStatus::Running;
            }
            if tool.is_some() {
                call.tool = tool;
            }
        }
    }

    /// A `notifications/progress` for the running call.
    pub fn progress(&mut self, progress: f64, total: Option<f64>, message: Option<String>) {
        if let Some(call) = self.call.as_mut().filter(|c| c.status.is_running()) {
            call.progress = Some(Progress {
                progress,
                total,
                message,
            });
        }
    }

    /// The call ended: its JSON-RPC result, or why it failed.
    pub fn call_finished(&mut self, result: Result<Value, String>) {
        if let Some(call) = &mut self.call {
            call.finish(result);
        }
    }

    /// A bracketed paste: into the editor or the filter.
    pub fn paste(&mut self, text: &str) {
        match self.focus {
            Focus::Editor => {
                if let Some(editor) = &mut self.editor {
                    editor.input.insert_str(text);
                    editor.error = None;
                }
            }
            Focus::Filter => {
                self.filter.insert_str(text);
                self.selected = 0;
            }
            Focus::List | Focus::Call => {}
        }
    }

    /// Applies a key; never panics, whatever the state.
    pub fn key(&mut self, key: KeyEvent) -> PanelAction {
        self.notice = None;
        match self.focus {
            Focus::List => self.list_key(key),
            Focus::Filter => self.filter_key(key),
            Focus::Editor => self.editor_key(key),
            Focus::Call => self.call_key(key),
        }
    }

    fn list_key(&mut self, key: KeyEvent) -> PanelAction {
        match key.code {
            KeyCode::Esc => return PanelAction::Close,
            KeyCode::Tab => self.switch(true),
            KeyCode::BackTab => self.switch(false),
            KeyCode::Char('/') => self.focus = Focus::Filter,
            KeyCode::Enter => return self.open(),
            KeyCode::Char('r') => return PanelAction::Refresh(self.section.kinds()[0]),
            KeyCode::Char('x') => return self.cancel(),
            KeyCode::Char('v') if self.call.is_some() => {
                self.call_from = Focus::List;
                self.focus = Focus::Call;
            }
            _ => self.move_key(key),
        }
        PanelAction::None
    }

    /// Up/Down (j/k, Ctrl-P/N), PageUp/PageDown, Home/End in the list.
    fn move_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let last = self.matches().len().saturating_sub(1);
        self.selected = match key.code {
            KeyCode::Up | KeyCode::Char('k') if !ctrl => self.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') if !ctrl => self.selected + 1,
            KeyCode::Char('n') if ctrl => self.selected + 1,
            KeyCode::PageUp => self.selected.saturating_sub(10),
            KeyCode::PageDown => self.selected + 10,
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => last,
            _ => self.selected,
        }
        .min(last);
    }

    fn filter_key(&mut self, key: KeyEvent) -> PanelAction {
        match key.code {
            KeyCode::Esc => {
                self.filter.set_text("");
                self.selected = 0;
                self.focus = Focus::List;
            }
            KeyCode::Enter => self.focus = Focus::List,
            KeyCode::Tab => self.switch(true),
            KeyCode::BackTab => self.switch(false),
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => self.move_key(key),
            _ => {
                let before = self.filter.revision();
                self.filter.handle_key(key);
                if self.filter.revision() != before {
                    self.selected = 0;
                }
            }
        }
        PanelAction::None
    }

    fn editor_key(&mut self, key: KeyEvent) -> PanelAction {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.focus = Focus::List,
            KeyCode::Char('s') if ctrl => return self.submit(),
            _ => {
                if let Some(editor) = &mut self.editor {
                    let before = editor.input.revision();
                    editor.input.handle_key(key);
                    if editor.input.revision() != before {
                        editor.error = None;
                    }
                }
            }
        }
        PanelAction::None
    }

    fn call_key(&mut self, key: KeyEvent) -> PanelAction {
        let Some(call) = &mut self.call else {
            self.focus = Focus::List;
            return PanelAction::None;
        };
        let last = call.line_count().saturating_sub(1);
        match key.code {
            KeyCode::Esc => self.focus = self.call_from,
            KeyCode::Char('x') => return self.cancel(),
            KeyCode::Up | KeyCode::Char('k') => call.scroll = call.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => call.scroll = (call.scroll + 1).min(last),
            KeyCode::PageUp => call.scroll = call.scroll.saturating_sub(10),
            KeyCode::PageDown => call.scroll = (call.scroll + 10).min(last),
            KeyCode::Home | KeyCode::Char('g') => call.scroll = 0,
            KeyCode::End | KeyCode::Char('G') => call.scroll = last,
            _ => {}
        }
        PanelAction::None
    }

    fn switch(&mut self, forward: bool) {
        self.section = self.section.step(forward);
        self.selected = 0;
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.matches().len().saturating_sub(1));
    }

    fn cancel(&mut self) -> PanelAction {
        match &mut self.call {
            Some(call) if call.status.is_running() => {
                call.status = CallStatus::Cancelling;
                PanelAction::Cancel
            }
            _ => {
                self.notice = Some("no call is running".into());
                PanelAction::None
            }
        }
    }

    /// Enter on an item: a resource is read, anything else gets its arguments edited.
    fn open(&mut self) -> PanelAction {
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
    fn submit(&mut self) -> PanelAction {
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

fn index(kind: ListKind) -> usize {
    match kind {
        ListKind::Tools => 0,
        ListKind::Resources => 1,
        ListKind::Templates => 2,
        ListKind::Prompts => 3,
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

#[cfg(test)]
mod tests;
