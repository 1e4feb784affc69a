//! The history: `h` asks for the file, the picker opens on what it holds,
//! and Enter reopens an entry in a new tab, which connects (a value the
//! history holds masked opens the editor on it instead, as a capture's does).

use ratatui::crossterm::event::KeyEvent;

use super::connection;
use crate::history::Entry;
use crate::message::Effect;
use crate::state::history_picker::{HistoryOutcome, HistoryPicker};
use crate::state::{AppState, Overlay};

/// `h`: the file is read off the loop; the picker opens when it is.
pub(super) fn apply() -> Vec<Effect> {
    vec![Effect::LoadHistory]
}

/// The file was read: the picker opens over the tab shown, or a notice says
/// why it cannot.
pub(super) fn loaded(state: &mut AppState, result: Result<Vec<Entry>, String>) {
    match result {
        Ok(entries) if entries.is_empty() => {
            state.notice = Some("no request in the history yet".into());
        }
        Ok(entries) => {
            let picker = HistoryPicker::new(entries);
            state.active_mut().overlay = Some(Overlay::History(Box::new(picker)));
        }
        Err(why) => state.notice = Some(why),
    }
}

/// Keys while the history picker is open.
pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(Overlay::History(picker)) = &mut state.active_mut().overlay else {
        return Vec::new();
    };
    match picker.handle_key(key) {
        HistoryOutcome::Nothing => Vec::new(),
        HistoryOutcome::Close => {
            state.active_mut().overlay = None;
            Vec::new()
        }
        HistoryOutcome::Open(index) => {
            let entry = picker.entries.get(index).cloned();
            state.active_mut().overlay = None;
            match entry {
                Some(entry) => reopen(state, &entry),
                None => Vec::new(),
            }
        }
    }
}

/// Pasted text filters the list.
pub(super) fn paste(picker: &mut HistoryPicker, text: &str) {
    picker.paste(text);
}

/// `entry` in a new tab after the one shown, connecting.
fn reopen(state: &mut AppState, entry: &Entry) -> Vec<Effect> {
    let mut spec = match entry.to_spec() {
        Ok(spec) => spec,
        Err(why) => {
            state.notice = Some(format!("cannot reopen it: {why}"));
            return Vec::new();
        }
    };
    // The names the settings call secret, as the tab shown has them.
    spec.secret_overrides = state.active().request.secret_overrides.clone();
    let title = match &entry.profile {
        Some(profile) => profile.clone(),
        None => spec.url.host_str().unwrap_or("history").to_owned(),
    };
    let tab = state.open_tab(spec, title);
    let effects = connection::connect_tab(state, tab);
    if state.notice.is_none() {
        state.notice = Some(format!("reopened the request sent {}", entry.short_time()));
    }
    effects
}
