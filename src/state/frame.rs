//! What a frame learns about the screen, for the state: the one way layout
//! facts travel from drawing to `update`. `ui::draw` returns a
//! [`FrameLayout`], the loop sends it back as `Msg::Drawn`, and `update`
//! keeps it to map mouse clicks, page the list and the detail, and keep
//! the request editor scrolled where it was drawn. `update` never lays the
//! screen out itself.

use std::ops::Range;

use ratatui::layout::{Position, Rect};

use super::TabId;
use super::request_form::Slot;
use super::text_input::Scroll;

/// Rows the list pages by, and lines the detail pages by, before the first
/// frame says how many there are.
pub const DEFAULT_PAGE: u16 = 20;

/// Where a frame drew what, and what only drawing finds out. Plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameLayout {
    /// The tab drawn: the facts about the detail and the editor are its.
    pub tab: TabId,
    /// The title line.
    pub title: Rect,
    /// Each tab's columns in the title line, in tab order (none with one tab).
    pub tab_columns: Vec<Range<u16>>,
    /// The list pane, and the rows inside it below its column header.
    pub list: Rect,
    pub list_rows: Rect,
    /// The detail pane, and how many lines it shows inside its border.
    pub detail: Rect,
    pub detail_rows: u16,
    /// The furthest the detail can scroll; `None` when it was not drawn (the
    /// editor covered it, or the screen was too small).
    pub detail_max_scroll: Option<u16>,
    /// Where the request editor was drawn from, when the tab showed it.
    pub editor: Option<EditorScroll>,
}

/// The request editor's scroll as a frame left it: the next frame moves it
/// only as far as the focus and the cursor need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditorScroll {
    /// The first form row shown.
    pub top: usize,
    /// The field being typed in, and where its text was shown from.
    pub input: Option<(Slot, Scroll)>,
}

impl FrameLayout {
    /// A frame of tab `tab` with nothing on it (a screen too small to use).
    pub fn empty(tab: TabId) -> Self {
        Self {
            tab,
            title: Rect::default(),
            tab_columns: Vec::new(),
            list: Rect::default(),
            list_rows: Rect::default(),
            detail: Rect::default(),
            detail_rows: 0,
            detail_max_scroll: None,
            editor: None,
        }
    }

    /// The position among the tabs of the one drawn at `at`, if any.
    pub fn tab_at(&self, at: Position) -> Option<usize> {
        if !self.title.contains(at) {
            return None;
        }
        self.tab_columns.iter().position(|c| c.contains(&at.x))
    }

    /// The list position drawn at `at` when the window starts at `start`.
    pub fn list_row_at(&self, at: Position, start: usize) -> Option<usize> {
        self.list_rows
            .contains(at)
            .then(|| start + usize::from(at.y - self.list_rows.y))
    }
}
