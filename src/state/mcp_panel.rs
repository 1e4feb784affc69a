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
//! running call, `v` shows the last call, Esc steps back (the result to
//! where the call was made, the editor to the list, the list to closed).

pub mod call;
pub mod item;
mod keys;
mod submit;
mod template;

use serde_json::Value;

use super::text_input::TextInput;
use crate::mcp::calls::ListKind;

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
}

fn index(kind: ListKind) -> usize {
    match kind {
        ListKind::Tools => 0,
        ListKind::Resources => 1,
        ListKind::Templates => 2,
        ListKind::Prompts => 3,
    }
}

#[cfg(test)]
mod tests;
