//! What is drawn over a tab and has its keys. One value, so the two cannot
//! disagree: `update` gives the keys to the overlay (before the request
//! editor and the keymap), and `ui::draw` draws it on top of everything.
//!
//! The request editor is not an overlay: it is what the tab shows in place
//! of its list and detail (`Session::editor_open`), and the help or the
//! profile picker open over it.

use super::environment_picker::EnvironmentPicker;
use super::history_picker::HistoryPicker;
use super::profile_picker::ProfilePicker;
use super::text_input::TextInput;

/// See the module doc. One per tab at most (`Session::overlay`).
#[derive(Debug)]
pub enum Overlay {
    /// The key help, open on one page (the pane that had the keys, or the
    /// search syntax). Tab turns the page; another bound key closes it (the
    /// quit key quits). It holds what it was opened over (a picker, the
    /// search being typed), given back when it closes, so F1 from a picker
    /// does not lose the picker and what was typed in its filter.
    Help(HelpPage, Option<Box<Overlay>>),
    /// The profile picker: open a profile, or name the tab's request to save it.
    Profiles(Box<ProfilePicker>),
    /// The history picker: reopen a request sent before in a new tab.
    History(Box<HistoryPicker>),
    /// The demo endpoint picker (where the demo runs and the row selected:
    /// `AppState::demo`).
    Demo,
    /// The environment picker (`E`).
    Environments(EnvironmentPicker),
    /// The editor's request as it will be sent, secrets masked (`v` in the editor).
    Resolved(Box<super::resolved::ResolvedView>),
    /// Asks y/n before the request is copied as curl with its secrets.
    ConfirmCopySecrets,
    /// The search query being typed in the hint line: letters type, they do
    /// not act, until Enter or Esc.
    Search,
    /// Ctrl-C with unsaved work (a draft, a modified profile, a recording):
    /// `y` quits, any other key stays; a second Ctrl-C quits.
    ConfirmQuit { why: String },
    /// A name for the tab shown, typed in the hint line (Enter keeps it,
    /// an empty one goes back to the default, Esc cancels).
    RenameTab(TextInput),
    /// The server asks for a declared capability: the user writes the result.
    McpAsk(Box<super::mcp_ask::AskPrompt>),
    /// The MCP panel to list and call (its state is the tab's `mcp.panel`).
    McpPanel,
}

impl Overlay {
    /// The help on `page`, over nothing.
    pub fn help(page: HelpPage) -> Overlay {
        Overlay::Help(page, None)
    }
}

/// What the help shows: the keys of one pane, or the search syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpPage {
    /// The event list has the keys.
    List,
    /// The detail pane has the keys (Tab focused it).
    Detail,
    /// The request editor.
    Editor,
    /// A picker (profiles, demo endpoints).
    Picker,
    /// The search query being typed.
    Search,
    /// What a search query may say: text, `type:`, regex, `jq:`.
    SearchSyntax,
    /// An MCP tab's own keys, its call panel's and the server's question's.
    Mcp,
}

impl HelpPage {
    /// Every page, in the order Tab turns them.
    pub const ALL: [HelpPage; 7] = [
        HelpPage::List,
        HelpPage::Detail,
        HelpPage::Editor,
        HelpPage::Picker,
        HelpPage::Search,
        HelpPage::SearchSyntax,
        HelpPage::Mcp,
    ];

    /// The page after this one (wrapping), or before it.
    pub fn turn(self, forward: bool) -> HelpPage {
        let n = Self::ALL.len();
        let at = Self::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Self::ALL[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }

    /// The page's name in the help's title.
    pub fn title(self) -> &'static str {
        match self {
            HelpPage::List => "event list",
            HelpPage::Detail => "detail pane",
            HelpPage::Editor => "request editor",
            HelpPage::Picker => "pickers",
            HelpPage::Search => "search prompt",
            HelpPage::SearchSyntax => "search syntax",
            HelpPage::Mcp => "MCP tab",
        }
    }
}
