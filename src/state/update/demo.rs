//! The demo endpoint picker, when the UI runs the demo itself: `d` opens it,
//! and choosing an endpoint switches the tab shown to it and connects.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::connection;
use crate::message::Effect;
use crate::state::{AppState, Overlay};

/// `d`: opens the picker (there is none when the UI does not run the demo).
pub(super) fn open(state: &mut AppState) {
    if state.demo.is_some() {
        state.active_mut().overlay = Some(Overlay::Demo);
    }
}

/// Keys while the demo picker is open: move, choose (and connect), or close.
pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(picker) = &mut state.demo else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => picker.move_by(1),
        KeyCode::Char('k') | KeyCode::Up => picker.move_by(-1),
        KeyCode::Enter => {
            let (spec, path) = picker.request();
            let session = state.active_mut();
            session.overlay = None;
            session.request = spec;
            session.offline = None;
            session.draft = None;
            session.editor_open = false;
            session.title = format!("demo {path}");
            session.list.set_follow(true);
            let attempt = session.conn.attempt;
            session.push_marker(
                attempt,
                format!("switched to the demo's {path}"),
                None,
                None,
            );
            return connection::connect(state);
        }
        KeyCode::Esc | KeyCode::Char('d') | KeyCode::Char('q') => {
            state.active_mut().overlay = None;
        }
        _ => {}
    }
    Vec::new()
}
