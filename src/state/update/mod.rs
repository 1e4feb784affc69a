//! `update`: the only place the UI state changes. Pure: no I/O, no tokio;
//! what must happen outside comes back as effects.
//!
//! One file per concern: `keys` (who gets a key, and what an action does to
//! the list and the detail), `mouse`, `tabs`, `profiles`, `editor` (the
//! request editor), `connection` (connecting, and the fold over a
//! connection's messages), `export` (copies and saves), `demo` (the demo
//! endpoint picker). Each handler names the tab it acts on: the tab shown
//! (`AppState::active_mut`) for a key, the tab a message names
//! (`AppState::tab_mut`) for what comes back from an effect.

mod connection;
mod demo;
mod editor;
mod environments;
mod export;
mod history;
mod keys;
mod mcp;
mod mouse;
mod profiles;
mod tabs;
mod tap;

use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};

use super::{AppState, DEFAULT_PAGE, FrameLayout, Session};
use crate::message::{Effect, Msg};

pub use connection::{begin_connection, connect};

/// Applies one message; returns what the loop must do.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let effects = handle(state, msg);
    // The list's first row moves only as far as the selection needs.
    let rows = list_rows(state);
    let shown = state.active_mut();
    shown.list.settle(rows);
    // What the tab shown holds is seen: its badges are for background tabs.
    shown.mark_seen();
    effects
}

fn handle(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Input(TermEvent::Key(key)) if key.kind != KeyEventKind::Release => {
            // The one clock read here: a second Ctrl-C within 2 s quits.
            keys::key(state, key, std::time::Instant::now())
        }
        Msg::Input(TermEvent::Paste(text)) => {
            keys::paste(state, &text);
            Vec::new()
        }
        Msg::Input(TermEvent::Mouse(mouse)) => {
            mouse::event(state, mouse);
            Vec::new()
        }
        // A resize is drawn at once, and the frame says where things went.
        // A relisting under way goes on a slice at a time, in every tab.
        Msg::Tick(_) => {
            for session in state.tabs_mut() {
                session.continue_relisting();
            }
            Vec::new()
        }
        Msg::Input(_) => Vec::new(),
        Msg::Drawn(layout) => {
            drawn(state, layout);
            Vec::new()
        }
        Msg::BodyEdited { tab, result } => {
            editor::body_edited(state, tab, result);
            Vec::new()
        }
        Msg::ProfilesChanged { list, change } => {
            profiles::changed(state, list, change);
            Vec::new()
        }
        Msg::ProfileOpened {
            tab,
            name,
            spec,
            view,
            schemas,
        } => profiles::opened(state, tab, name, spec, &view, schemas),
        Msg::Recording { tab, result } => {
            connection::recording(state, tab, result);
            Vec::new()
        }
        Msg::HistoryLoaded(result) => {
            history::loaded(state, result);
            Vec::new()
        }
        Msg::McpProbed { tab, result } => {
            mcp::probed(state, tab, result);
            Vec::new()
        }
        Msg::Mcp { tab, id, update } => {
            mcp::updated(state, tab, id, update);
            Vec::new()
        }
        Msg::Notice(text) => {
            state.notice = Some(text);
            Vec::new()
        }
        Msg::Conn { id, msg } => {
            conn(state, id, msg);
            Vec::new()
        }
        Msg::Tap(msg) => {
            tap::observed(state, msg);
            Vec::new()
        }
    }
}

/// A message of connection `id`, into its tab.
fn conn(state: &mut AppState, id: crate::state::ConnId, msg: crate::sse::ConnMsg) {
    // Background tabs keep receiving; a message of a replaced connection has no session.
    let shown = state.active_id();
    if let Some(session) = state.session_for(id) {
        if session.id != shown && is_failure(&msg) {
            session.unseen_error = true;
        }
        connection::fold(session, msg);
    }
}

/// Whether a connection message reports a failure (a background tab's badge).
fn is_failure(msg: &crate::sse::ConnMsg) -> bool {
    use crate::sse::{CloseReason, ConnMsg};
    matches!(
        msg,
        ConnMsg::Error { .. }
            | ConnMsg::Closed {
                reason: CloseReason::Failed(_) | CloseReason::RetriesExhausted { .. },
                ..
            }
    )
}

/// What a frame learned: kept for the mouse and paging, and applied to the
/// tab it drew (how far its detail scrolls, where its editor was drawn from).
fn drawn(state: &mut AppState, layout: FrameLayout) {
    if let Some(session) = state.tab_mut(layout.tab) {
        session.detail_max_scroll = layout.detail_max_scroll;
        if let Some(max) = layout.detail_max_scroll {
            session.detail_scroll = session.detail_scroll.min(max);
        }
        if let (Some(scroll), Some(draft)) = (layout.editor, session.draft.as_mut()) {
            draft.set_scroll(scroll);
        }
    }
    state.layout = Some(layout);
}

/// How many rows the list showed in the last frame (before one, or when
/// the screen was too small to show it, [`DEFAULT_PAGE`]).
fn list_rows(state: &AppState) -> usize {
    let rows = state.layout.as_ref().map(|l| l.list_rows.height);
    usize::from(rows.filter(|n| *n > 0).unwrap_or(DEFAULT_PAGE))
}

/// How many lines the detail showed in the last frame (see [`list_rows`]).
fn detail_rows(state: &AppState) -> u16 {
    let rows = state.layout.as_ref().map(|l| l.detail_rows);
    rows.filter(|n| *n > 0).unwrap_or(DEFAULT_PAGE)
}

/// Scrolls the detail by `delta` lines, no further than its last line.
fn scroll_detail(session: &mut Session, delta: i32) {
    let target = i32::from(session.detail_scroll).saturating_add(delta);
    let max = session.detail_max_scroll.unwrap_or(u16::MAX);
    session.detail_scroll = u16::try_from(target.max(0)).unwrap_or(u16::MAX).min(max);
}

/// Moves the selection; the detail starts at the top of a new row.
fn move_by(session: &mut Session, delta: isize) {
    if session.list.move_by(delta) {
        session.detail_scroll = 0;
    }
}

#[cfg(test)]
mod tests;
