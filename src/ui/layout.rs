//! Where each pane goes: one pure function used by `draw` and by `update`
//! (to tell which pane and row a mouse click hit).

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

/// The first list position shown. Following, the window ends at the newest
/// row; otherwise it stays at `offset` and moves just enough to show the
/// selection, so the list scrolls a line at a time.
pub fn window_start(
    n: usize,
    height: usize,
    selected: Option<usize>,
    follow: bool,
    offset: usize,
) -> usize {
    let height = height.max(1);
    let last_page = n.saturating_sub(height);
    match selected {
        Some(sel) if !follow => {
            let start = offset.min(last_page);
            if sel < start {
                sel
            } else if sel >= start + height {
                sel + 1 - height
            } else {
                start
            }
        }
        _ => last_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_follows_the_newest_or_scrolls_a_line_at_a_time() {
        // Following: the newest rows.
        assert_eq!(window_start(100, 10, Some(99), true, 0), 90);
        // The selection inside the window: the window stays.
        assert_eq!(window_start(100, 10, Some(15), false, 10), 10);
        assert_eq!(window_start(100, 10, Some(12), false, 5), 5);
        // One below the window: it moves by one line, not a page.
        assert_eq!(window_start(100, 10, Some(15), false, 5), 6);
        // Above it: the selection becomes the first row.
        assert_eq!(window_start(100, 10, Some(3), false, 5), 3);
        // Never past the last full window, even with a stale offset.
        assert_eq!(window_start(95, 10, Some(92), false, 90), 85);
        // Fewer rows than the height, no rows, no height.
        assert_eq!(window_start(3, 10, Some(1), false, 2), 0);
        assert_eq!(window_start(0, 10, None, true, 0), 0);
        assert_eq!(window_start(5, 0, Some(4), false, 0), 4);
        for offset in [0, 3, 500, 999, usize::MAX] {
            for sel in 0..1000 {
                let start = window_start(1000, 7, Some(sel), false, offset);
                assert!(start <= sel && sel < start + 7, "{offset} {sel} {start}");
            }
        }
    }

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
