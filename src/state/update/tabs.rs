//! Tabs: opening one (on a copy of the request, in the editor), closing
//! one (never the last), and choosing which is shown.

use super::editor;
use crate::action::Action;
use crate::message::Effect;
use crate::state::AppState;

/// `t`: a new tab after the one shown, on a copy of its request, with the
/// editor open; it connects when the request is sent.
pub(super) fn new_tab(state: &mut AppState) -> Vec<Effect> {
    let shown = state.active();
    let (request, title) = (shown.request.clone(), shown.title.clone());
    state.open_tab(request, title);
    editor::open(state.active_mut());
    state.notice = Some("new tab: edit the request, Ctrl-R connects".into());
    Vec::new()
}

/// `W`: closes the tab shown (its connection and recording end), unless it
/// is the last.
pub(super) fn close(state: &mut AppState) -> Vec<Effect> {
    match state.close_tab() {
        Some(tab) => vec![Effect::CloseTab { tab }],
        None => {
            state.notice = Some("the last tab stays open; q quits".into());
            Vec::new()
        }
    }
}

/// `]`, `[` (wrapping around) and the tab numbers.
pub(super) fn show(state: &mut AppState, action: Action) {
    let (n, shown) = (state.tabs().len(), state.active_index());
    match action {
        Action::NextTab => state.show_tab_at((shown + 1) % n),
        Action::PrevTab => state.show_tab_at((shown + n - 1) % n),
        Action::GoToTab(number) => state.show_tab_at(usize::from(number).saturating_sub(1)),
        _ => {}
    }
}
