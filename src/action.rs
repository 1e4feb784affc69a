//! What a user can ask for, and the default keys for it. The help overlay and
//! the hint bar are generated from the same table, so they cannot drift.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    /// Save every retained event as NDJSON.
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
}

/// The default bindings: keys as shown, the action, and its description.
pub const BINDINGS: &[(&str, Action, &str)] = &[
    ("q", Action::Quit, "quit (also Ctrl-C)"),
    ("j/↓", Action::Down, "next row / scroll down"),
    ("k/↑", Action::Up, "previous row / scroll up"),
    ("PgDn", Action::PageDown, "page down"),
    ("PgUp", Action::PageUp, "page up"),
    ("g", Action::Top, "first event"),
    ("G", Action::Bottom, "last event, follow on"),
    ("f", Action::ToggleFollow, "follow the newest on/off"),
    ("v", Action::ToggleDetail, "Content / Raw / Wire view"),
    ("Tab", Action::FocusNext, "focus list / detail"),
    ("r", Action::EditRequest, "edit the request and auth"),
    ("c", Action::ToggleConnect, "connect/disconnect (Ctrl-R)"),
    ("R", Action::Reconnect, "reconnect now"),
    (
        "e",
        Action::ResumeFromSelected,
        "resume from selected event",
    ),
    ("/", Action::Search, "search type, id and data"),
    ("n", Action::NextMatch, "next match"),
    ("N", Action::PrevMatch, "previous match"),
    ("F", Action::ToggleFilter, "show only matches on/off"),
    ("d", Action::DemoPicker, "another demo endpoint"),
    ("p", Action::ToggleFreeze, "freeze list, keep receiving"),
    ("y", Action::CopyData, "copy the data (OSC 52)"),
    ("s", Action::SaveEvent, "save the event as raw .sse"),
    ("S", Action::SaveStream, "save all events as NDJSON"),
    ("m", Action::ToggleMouse, "mouse on/off (to select text)"),
    ("t", Action::NewTab, "new tab, same request"),
    ("W", Action::CloseTab, "close tab and its connection"),
    ("]", Action::NextTab, "next tab"),
    ("[", Action::PrevTab, "previous tab"),
    ("1-9", Action::GoToTab(1), "go to tab N"),
    ("x", Action::Clear, "clear the list"),
    ("b", Action::ToggleBlocks, "show comment/id/retry blocks"),
    ("l", Action::ToggleLineEndings, "show line endings in Raw"),
    ("?", Action::ToggleHelp, "this help"),
];

/// The short hints for the bottom bar.
pub const HINTS: &[(&str, &str)] = &[
    ("q", "quit"),
    ("j/k", "move"),
    ("v", "view"),
    ("r", "request"),
    ("c", "connect"),
    ("e", "resume"),
    ("/", "search"),
    ("t", "tab"),
    ("f", "follow"),
    ("d", "demo"),
    ("?", "help"),
];

/// The action a key press means, if any.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        KeyCode::Char('r') if ctrl => Action::ToggleConnect,
        _ if ctrl => return None,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Char('f') => Action::ToggleFollow,
        KeyCode::Char('v') | KeyCode::Enter => Action::ToggleDetail,
        KeyCode::Tab | KeyCode::BackTab => Action::FocusNext,
        KeyCode::Char('c') => Action::ToggleConnect,
        KeyCode::Char('R') => Action::Reconnect,
        KeyCode::Char('r') => Action::EditRequest,
        KeyCode::Char('e') => Action::ResumeFromSelected,
        KeyCode::Char('x') => Action::Clear,
        KeyCode::Char('b') => Action::ToggleBlocks,
        KeyCode::Char('l') => Action::ToggleLineEndings,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('/') => Action::Search,
        KeyCode::Char('n') => Action::NextMatch,
        KeyCode::Char('N') => Action::PrevMatch,
        KeyCode::Char('F') => Action::ToggleFilter,
        KeyCode::Char('d') => Action::DemoPicker,
        KeyCode::Char('p') => Action::ToggleFreeze,
        KeyCode::Char('y') => Action::CopyData,
        KeyCode::Char('s') => Action::SaveEvent,
        KeyCode::Char('S') => Action::SaveStream,
        KeyCode::Char('m') => Action::ToggleMouse,
        KeyCode::Char('t') => Action::NewTab,
        KeyCode::Char('W') => Action::CloseTab,
        KeyCode::Char(']') => Action::NextTab,
        KeyCode::Char('[') => Action::PrevTab,
        KeyCode::Char(c @ '1'..='9') => Action::GoToTab(c as u8 - b'0'),
        KeyCode::Esc => Action::Escape,
        _ => return None,
    })
}
