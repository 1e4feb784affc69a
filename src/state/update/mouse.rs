//! The mouse: the wheel scrolls the pane under it; a click shows a tab,
//! focuses a pane, and selects the row it hit. Where things are comes from
//! the last frame (`FrameLayout`): before one is drawn, clicks do nothing.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Position;

use super::{move_by, scroll_detail};
use crate::state::{AppState, Focus};

/// One mouse event on the tab shown.
pub(super) fn event(state: &mut AppState, mouse: MouseEvent) {
    let Some(layout) = state.layout().cloned() else {
        return;
    };
    let at = Position::new(mouse.column, mouse.row);
    let click = matches!(mouse.kind, MouseEventKind::Down(MouseButton::Left));
    if click && layout.title.contains(at) {
        if let Some(tab) = layout.tab_at(at) {
            state.show_tab_at(tab);
        }
        return;
    }
    let over_detail = layout.detail.contains(at);
    let session = state.active_mut();
    match mouse.kind {
        // The editor covers the list and the detail.
        _ if session.editor_open => {}
        MouseEventKind::ScrollDown if over_detail => scroll_detail(session, 3),
        MouseEventKind::ScrollUp if over_detail => scroll_detail(session, -3),
        MouseEventKind::ScrollDown => move_by(session, 3),
        MouseEventKind::ScrollUp => move_by(session, -3),
        _ if click && over_detail => session.focus = Focus::Detail,
        _ if click && layout.list.contains(at) => {
            session.focus = Focus::List;
            let start = session
                .list
                .window_start(usize::from(layout.list_rows.height));
            if let Some(pos) = layout.list_row_at(at, start)
                && pos < session.list.len()
            {
                session.select(pos);
            }
        }
        _ => {}
    }
}
