//! Where each pane goes: one pure function used by `draw`. What it decided
//! goes back to the state in the frame's `FrameLayout` (mouse clicks, pages);
//! the state never lays the screen out itself.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this size only a "terminal too small" message is drawn.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width the list and the detail sit side by side.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// The screen's areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub title: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub status: Rect,
    pub hints: Rect,
}

/// The areas for a screen of `area`, or `None` when it is too small to use.
pub fn panes(area: Rect) -> Option<Panes> {
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return None;
    }
    let [title, main, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [list, detail] = if main.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main)
    };
    Some(Panes {
        title,
        list,
        detail,
        status,
        hints,
    })
}

/// The list's row area inside its border, below the column header: what
/// `event_list` draws rows into. Returns the area and whether a header is shown.
pub fn list_rows(list: Rect) -> (Rect, bool) {
    let inner = Rect {
        x: list.x.saturating_add(1),
        y: list.y.saturating_add(1),
        width: list.width.saturating_sub(2),
        height: list.height.saturating_sub(2),
    };
    let header = inner.height >= 3;
    let rows = Rect {
        y: inner.y + u16::from(header),
        height: inner.height - u16::from(header),
        ..inner
    };
    (rows, header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_need_80x24_and_sit_side_by_side_from_120_columns() {
        assert_eq!(panes(Rect::new(0, 0, 79, 40)), None);
        assert_eq!(panes(Rect::new(0, 0, 100, 23)), None);
        let narrow = panes(Rect::new(0, 0, 80, 24)).unwrap();
        assert_eq!(narrow.list.x, narrow.detail.x, "stacked");
        let wide = panes(Rect::new(0, 0, 120, 30)).unwrap();
        assert_eq!(wide.list.y, wide.detail.y, "side by side");
        assert_eq!(list_rows(wide.list).0.height, wide.list.height - 3);
    }
}
