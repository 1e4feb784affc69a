//! The mouse: the wheel scrolls the pane under it; a click shows a tab,
//! focuses a pane, and selects the row it hit.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::{move_by, scroll_detail};
use crate::state::{AppState, Focus};
use crate::ui::layout;

/// One mouse event on the tab shown.
pub(super) fn event(state: &mut AppState, mouse: MouseEvent) {
    let Some(panes) = state.screen.and_then(layout::panes) else {
        return;
    };
    let at = Position::new(mouse.column, mouse.row);
    let over_detail = panes.detail.contains(at);
    if matches!(mouse.kind, MouseEventKind::Down(MouseButton::Left)) && panes.title.contains(at) {
        if let Some(tab) = crate::ui::tab_at(state, panes.title.width, at.x) {
            state.show_tab_at(tab);
        }
        return;
    }
    let session = state.active_mut();
    match mouse.kind {
        // The editor covers the list and the detail.
        _ if session.editor_open => {}
        MouseEventKind::ScrollDown if over_detail => scroll_detail(session, 3),
        MouseEventKind::ScrollUp if over_detail => scroll_detail(session, -3),
        MouseEventKind::ScrollDown => move_by(session, 3),
        MouseEventKind::ScrollUp => move_by(session, -3),
        MouseEventKind::Down(MouseButton::Left) if over_detail => session.focus = Focus::Detail,
        MouseEventKind::Down(MouseButton::Left) if panes.list.contains(at) => {
            session.focus = Focus::List;
            let (rows, _) = layout::list_rows(panes.list);
            if !rows.contains(at) {
                return;
            }
            let start = session.list.window_start(rows.height as usize);
            let pos = start + (at.y - rows.y) as usize;
            if pos < session.list.len() {
                session.select(pos);
            }
        }
        _ => {}
    }
}
