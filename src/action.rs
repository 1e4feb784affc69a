//! What a user can ask for: the closed list of intents, their names in the
//! config's `[keys]` table, and the text the help overlay and hint bar show
//! for them. Which keys mean what lives in [`crate::keymap`].

/// A bindable user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    ToggleFollow,
    ToggleDetail,
    FocusNext,
    ToggleConnect,
    Reconnect,
    ResumeFromSelected,
    Clear,
    ToggleBlocks,
    ToggleLineEndings,
    ToggleHelp,
    /// Close an overlay.
    Escape,
    /// Start typing a search query.
    Search,
    NextMatch,
    PrevMatch,
    /// Show only the rows matching the search.
    ToggleFilter,
    /// Open the demo endpoint picker (when the UI runs the demo).
    DemoPicker,
    /// Stop updating the list while events keep arriving.
    ToggleFreeze,
    /// Copy the selected event's data to the clipboard.
    CopyData,
    /// Save the selected event as raw `.sse` text.
    SaveEvent,
    /// Save every retained event as NDJSON, and the session as a capture.
    SaveStream,
    /// Mouse capture on/off, so the terminal's own text selection works.
    ToggleMouse,
    /// Open a tab with a copy of this tab's request.
    NewTab,
    /// Close this tab, stopping its connection.
    CloseTab,
    NextTab,
    PrevTab,
    /// Show tab N (1-based, as numbered in the title line).
    GoToTab(u8),
    /// Open the request editor.
    EditRequest,
    /// Open the profile picker.
    Profiles,
    /// Save the request to the open profile (or name a new one).
    SaveProfile,
    /// Copy the request as a curl command (secrets redacted).
    CopyCurl,
    /// Start or stop recording this tab's connection to a capture file.
    ToggleRecord,
    /// The environment picker: fill `{{name}}` from another `[environments.NAME]`.
    Environment,
    /// Copy the request as curl with its secrets, after a y/n confirmation.
    CopyCurlSecrets,
    /// The previous detail view (`v` is the next).
    PrevView,
    /// Show one detail view directly.
    ViewContent,
    ViewRaw,
    ViewWire,
    ViewAnswer,
    ViewChecks,
    ViewStats,
    /// Fold or unfold the reasoning above the Answer view's text.
    ToggleReasoning,
    /// Give the tab shown a name of the user's.
    RenameTab,
    /// MCP: the panel to list and call tools, resources and prompts.
    McpPanel,
    /// MCP: the request of the selected response, or the response of the selected request.
    JumpToLinked,
    /// MCP: cancel the request in flight.
    McpCancel,
    /// MCP: probe the server with `check --mcp`'s rules.
    McpProbe,
    /// Open the history picker: reopen a request sent before in a new tab.
    History,
}

impl Action {
    /// Every action the `[keys]` table can rebind, in the help's order.
    /// `Escape` (Esc) and `GoToTab` (1-9) are fixed keys, not listed here.
    pub const BINDABLE: [Action; 52] = [
        Action::Quit,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::ToggleFollow,
        Action::ToggleDetail,
        Action::FocusNext,
        Action::EditRequest,
        Action::Profiles,
        Action::SaveProfile,
        Action::History,
        Action::ToggleConnect,
        Action::Reconnect,
        Action::ResumeFromSelected,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::ToggleFilter,
        Action::DemoPicker,
        Action::ToggleFreeze,
        Action::CopyData,
        Action::CopyCurl,
        Action::ToggleRecord,
        Action::SaveEvent,
        Action::SaveStream,
        Action::ToggleMouse,
        Action::NewTab,
        Action::CloseTab,
        Action::NextTab,
        Action::PrevTab,
        Action::Clear,
        Action::ToggleBlocks,
        Action::ToggleLineEndings,
        Action::ToggleHelp,
        Action::Environment,
        Action::CopyCurlSecrets,
        Action::PrevView,
        Action::ViewContent,
        Action::ViewRaw,
        Action::ViewWire,
        Action::ViewAnswer,
        Action::ViewChecks,
        Action::ViewStats,
        Action::ToggleReasoning,
        Action::RenameTab,
        Action::McpPanel,
        Action::JumpToLinked,
        Action::McpCancel,
        Action::McpProbe,
    ];

    /// The action's name in the config's `[keys]` table. These names are part
    /// of the config format: rename one and users' files stop loading.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::ToggleFollow => "toggle_follow",
            Action::ToggleDetail => "toggle_view",
            Action::FocusNext => "focus_next",
            Action::ToggleConnect => "connect",
            Action::Reconnect => "reconnect",
            Action::ResumeFromSelected => "resume",
            Action::Clear => "clear",
            Action::ToggleBlocks => "toggle_blocks",
            Action::ToggleLineEndings => "toggle_line_endings",
            Action::ToggleHelp => "help",
            Action::Escape => "escape",
            Action::Search => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::ToggleFilter => "toggle_filter",
            Action::DemoPicker => "demo_picker",
            Action::ToggleFreeze => "freeze",
            Action::CopyData => "copy",
            Action::SaveEvent => "save_event",
            Action::SaveStream => "save_stream",
            Action::ToggleMouse => "toggle_mouse",
            Action::NewTab => "new_tab",
            Action::CloseTab => "close_tab",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::GoToTab(_) => "go_to_tab",
            Action::EditRequest => "edit_request",
            Action::Profiles => "profiles",
            Action::SaveProfile => "save_profile",
            Action::CopyCurl => "copy_curl",
            Action::ToggleRecord => "record",
            Action::Environment => "environment",
            Action::CopyCurlSecrets => "copy_curl_secrets",
            Action::PrevView => "prev_view",
            Action::ViewContent => "view_content",
            Action::ViewRaw => "view_raw",
            Action::ViewWire => "view_wire",
            Action::ViewAnswer => "view_answer",
            Action::ViewChecks => "view_checks",
            Action::ViewStats => "view_stats",
            Action::ToggleReasoning => "toggle_reasoning",
            Action::RenameTab => "rename_tab",
            Action::McpPanel => "mcp_panel",
            Action::JumpToLinked => "jump_to_linked",
            Action::McpCancel => "mcp_cancel",
            Action::McpProbe => "mcp_probe",
            Action::History => "history",
        }
    }

    /// The bindable action a `[keys]` name means (exact, lower case).
    pub fn from_name(name: &str) -> Option<Action> {
        Action::BINDABLE.into_iter().find(|a| a.name() == name)
    }
}

/// Every binding the help overlay lists, in order: the keys as the default
/// keymap shows them, the action, and its description. The overlay draws the
/// keys in force from the keymap instead of the first column; a test keeps
/// the first column equal to the defaults, so this table also documents them.
pub const BINDINGS: &[(&str, Action, &str)] = &[
    ("q", Action::Quit, "quit (also Ctrl-C)"),
    ("j/↓", Action::Down, "next row / scroll down"),
    ("k/↑", Action::Up, "previous row / scroll up"),
    ("PgDn", Action::PageDown, "page down"),
    ("PgUp", Action::PageUp, "page up"),
    ("g/Home", Action::Top, "first event"),
    ("G/End", Action::Bottom, "last event, follow on"),
    ("f", Action::ToggleFollow, "follow the newest on/off"),
    ("v/Enter", Action::ToggleDetail, "views: Content … Stats"),
    ("Tab/⇧Tab", Action::FocusNext, "focus list / detail"),
    ("r", Action::EditRequest, "edit the request and auth"),
    ("o", Action::Profiles, "open or manage profiles"),
    ("E", Action::Environment, "pick the environment"),
    ("P/Ctrl-S", Action::SaveProfile, "save request to profile"),
    (
        "Alt-Y",
        Action::CopyCurlSecrets,
        "copy as curl with secrets",
    ),
    ("h", Action::History, "reopen a sent request"),
    ("c/Ctrl-R", Action::ToggleConnect, "connect / disconnect"),
    ("R", Action::Reconnect, "reconnect now"),
    ("e", Action::ResumeFromSelected, "resume from this event"),
    ("/", Action::Search, "search type, id and data"),
    ("n", Action::NextMatch, "next match"),
    ("N", Action::PrevMatch, "previous match"),
    ("F", Action::ToggleFilter, "show only matches on/off"),
    ("d", Action::DemoPicker, "another demo endpoint"),
    ("p", Action::ToggleFreeze, "freeze list, keep receiving"),
    ("y", Action::CopyData, "copy what the view shows"),
    ("Y", Action::CopyCurl, "copy the request as curl"),
    ("C", Action::ToggleRecord, "record to a capture on/off"),
    ("s", Action::SaveEvent, "save the event as raw .sse"),
    ("S", Action::SaveStream, "save NDJSON and a capture"),
    ("m", Action::ToggleMouse, "mouse on/off (to select text)"),
    ("t", Action::NewTab, "new tab, same request"),
    ("W", Action::CloseTab, "close tab and its connection"),
    ("]", Action::NextTab, "next tab (1-9: tab N)"),
    ("[", Action::PrevTab, "previous tab"),
    ("x", Action::Clear, "clear the list"),
    ("b", Action::ToggleBlocks, "show comment/id/retry blocks"),
    ("l", Action::ToggleLineEndings, "show line endings in Raw"),
    ("?/F1", Action::ToggleHelp, "this help (Tab: next page)"),
    ("V", Action::PrevView, "previous view"),
    ("Alt-1", Action::ViewContent, "Content view"),
    ("Alt-2", Action::ViewRaw, "Raw view"),
    ("Alt-3", Action::ViewWire, "Wire view"),
    ("Alt-4", Action::ViewAnswer, "Answer view"),
    ("Alt-5", Action::ViewChecks, "Checks view"),
    ("Alt-6", Action::ViewStats, "Stats view"),
    ("z", Action::ToggleReasoning, "Answer: fold the reasoning"),
    ("T", Action::RenameTab, "rename this tab"),
    ("M", Action::McpPanel, "MCP: list and call tools"),
    ("L", Action::JumpToLinked, "MCP: request ⇄ its response"),
    ("X", Action::McpCancel, "MCP: cancel the call"),
    ("K", Action::McpProbe, "MCP: probe the server's rules"),
];

/// The short hints for the bottom bar: the actions whose first keys in force
/// are shown (joined by `/`), and the word after them. `help` is kept last.
pub const HINTS: &[(&[Action], &str)] = &[
    (&[Action::Quit], "quit"),
    (&[Action::Down, Action::Up], "move"),
    (&[Action::ToggleDetail], "view"),
    (&[Action::EditRequest], "request"),
    (&[Action::ToggleConnect], "connect"),
    (&[Action::ResumeFromSelected], "resume"),
    (&[Action::Search], "search"),
    (&[Action::NewTab], "tab"),
    (&[Action::ToggleFollow], "follow"),
    (&[Action::DemoPicker], "demo"),
    (&[Action::ToggleHelp], "help"),
];

/// The hint bar's hints while the detail pane has the focus (see [`HINTS`]).
pub const DETAIL_HINTS: &[(&[Action], &str)] = &[
    (&[Action::Quit], "quit"),
    (&[Action::Down, Action::Up], "scroll"),
    (&[Action::Top, Action::Bottom], "top/end"),
    (&[Action::ToggleDetail, Action::PrevView], "view"),
    (&[Action::ViewContent], "Content"),
    (&[Action::ViewAnswer], "Answer"),
    (&[Action::CopyData], "copy"),
    (&[Action::FocusNext], "list"),
    (&[Action::ToggleHelp], "help"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        for action in Action::BINDABLE {
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        let mut names: Vec<_> = Action::BINDABLE.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::BINDABLE.len());
        assert_eq!(Action::from_name("escape"), None, "Esc is fixed");
        assert_eq!(Action::from_name("go_to_tab"), None, "1-9 are fixed");
    }

    #[test]
    fn help_lists_every_bindable_action_once() {
        for action in Action::BINDABLE {
            let n = BINDINGS.iter().filter(|(_, a, _)| *a == action).count();
            assert_eq!(n, 1, "{action:?}");
        }
        assert_eq!(BINDINGS.len(), Action::BINDABLE.len());
    }
}
