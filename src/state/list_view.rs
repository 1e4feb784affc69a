//! The event list as the user sees it: which of the log's rows are listed
//! (blocks only when asked for, under a search filter only matches), which
//! one is selected, where the drawn window starts, whether the list follows
//! the newest row, and whether it is frozen.
//!
//! Those facts depend on each other (a row dropped from the log moves the
//! selection; following selects the newest; a frozen list lists nothing
//! new), so they are private and change only through the methods here,
//! each of which keeps them in step.

use std::collections::VecDeque;

use super::event_log::{EventLog, Row};
use super::search::Search;

/// Rows a filter looks at per slice of a relisting: a `jq:` filter costs a
/// few microseconds a row, so a slice stays well inside a frame and a key
/// pressed meanwhile waits for one slice at most, not for a million rows.
pub const RELIST_SLICE_ROWS: u64 = 4096;

/// A relisting under a filter that must look at each row, done a slice at
/// a time ([`ListView::continue_relisting`]).
#[derive(Debug, Clone)]
struct Relisting {
    /// The next absolute row to look at.
    next: u64,
    /// The row selected before, to select again (or the nearest after it).
    selected: Option<u64>,
}

/// What the list shows of a tab's log. See the module doc.
#[derive(Debug, Clone)]
pub struct ListView {
    /// Absolute row numbers (dropped rows included) of the rows listed, in order.
    visible: VecDeque<u64>,
    /// Position in `visible` of the selected row; always inside it.
    selected: Option<usize>,
    /// Position in `visible` of the first row drawn, kept between frames so
    /// the list scrolls a line at a time instead of jumping by pages.
    offset: usize,
    /// Keep the newest row selected and in view.
    follow: bool,
    /// Show comment, id-only and retry-only blocks.
    show_blocks: bool,
    /// While frozen: how many rows the log had when the list froze. Rows
    /// from there on are counted, not listed.
    frozen_at: Option<u64>,
    /// A relisting under way: the rows up to `next` are listed, the rest
    /// (new arrivals included) will be.
    relisting: Option<Relisting>,
}

impl Default for ListView {
    fn default() -> Self {
        Self {
            visible: VecDeque::new(),
            selected: None,
            offset: 0,
            follow: true,
            show_blocks: false,
            frozen_at: None,
            relisting: None,
        }
    }
}

impl ListView {
    /// How many rows are listed.
    pub fn len(&self) -> usize {
        self.visible.len()
    }

    pub fn is_empty(&self) -> bool {
        self.visible.is_empty()
    }

    /// The selected row's position in the list.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The absolute row number (see [`EventLog::first_row`]) listed at `pos`.
    pub fn absolute(&self, pos: usize) -> Option<u64> {
        self.visible.get(pos).copied()
    }

    /// Where the row with absolute number `absolute` is listed, if it is.
    pub fn position_of(&self, absolute: u64) -> Option<usize> {
        self.visible.binary_search(&absolute).ok()
    }

    /// Whether the newest row is kept selected and in view.
    pub fn is_following(&self) -> bool {
        self.follow
    }

    /// Whether blocks (comments, id-only and retry-only) are listed.
    pub fn shows_blocks(&self) -> bool {
        self.show_blocks
    }

    /// Whether the list is frozen.
    pub fn is_frozen(&self) -> bool {
        self.frozen_at.is_some()
    }

    /// Rows that arrived since the list froze (`None`: not frozen).
    pub fn arrived_while_frozen(&self, log: &EventLog) -> Option<u64> {
        self.frozen_at.map(|at| log.end_row().saturating_sub(at))
    }

    /// The first position drawn in a window `height` rows high. Following,
    /// the window ends at the newest row; otherwise it stays where it was
    /// and moves just enough to show the selection, a line at a time.
    pub fn window_start(&self, height: usize) -> usize {
        window_start(
            self.visible.len(),
            height,
            self.selected,
            self.follow,
            self.offset,
        )
    }

    /// Keeps the window where [`Self::window_start`] puts it for `height`
    /// rows: the next move starts from there.
    pub fn settle(&mut self, height: usize) {
        self.offset = self.window_start(height);
    }

    /// Lists the log's rows from absolute number `from` on (not while
    /// frozen), forgets the ones the log dropped, and keeps the selection on
    /// the same row, or on the newest when following.
    pub fn append(&mut self, log: &EventLog, search: &Search, from: u64) {
        let dropped = log.first_row();
        let end = log.end_row();
        // Frozen, or relisting (which lists new rows as it reaches them):
        // nothing is listed here, dropped rows still go.
        let from = if self.frozen_at.is_some() || self.relisting.is_some() {
            end
        } else {
            from
        };
        for absolute in from.max(dropped)..end {
            if self.lists(log, search, (absolute - dropped) as usize) {
                self.visible.push_back(absolute);
            }
        }
        let mut removed = 0;
        while self.visible.front().is_some_and(|a| *a < dropped) {
            self.visible.pop_front();
            removed += 1;
        }
        if self.follow {
            self.selected = self.visible.len().checked_sub(1);
        } else if let Some(sel) = self.selected {
            self.selected = Some(sel.saturating_sub(removed)).filter(|_| !self.visible.is_empty());
        }
    }

    /// After one row was pushed to the log: lists it if it belongs.
    pub fn append_last(&mut self, log: &EventLog, search: &Search) {
        self.append(log, search, log.end_row().saturating_sub(1));
    }

    /// Lists the log afresh (the filter changed), up to where it froze when
    /// frozen, keeping the selection on its row or the nearest after it.
    ///
    /// Under a filter that must look at each row (a search with `F`, a
    /// `jq:` expression perhaps), only a first slice is listed now and the
    /// rest by [`Self::continue_relisting`], a slice at a time: a million
    /// rows would hold the keys for seconds.
    pub fn rebuild(&mut self, log: &EventLog, search: &Search) {
        let selected = self.relisting.take().map_or_else(
            || self.selected.and_then(|p| self.absolute(p)),
            |r| r.selected,
        );
        self.visible.clear();
        self.selected = None;
        self.relisting = Some(Relisting {
            next: log.first_row(),
            selected,
        });
        if search.is_filtering() && search.is_active() {
            self.continue_relisting(log, search);
        } else {
            // A look at each row's kind only: all at once.
            while self.continue_relisting(log, search) {}
        }
    }

    /// Lists the next slice of a relisting; whether more is left.
    pub fn continue_relisting(&mut self, log: &EventLog, search: &Search) -> bool {
        let Some(relisting) = &mut self.relisting else {
            return false;
        };
        let dropped = log.first_row();
        let end = self.frozen_at.unwrap_or(u64::MAX).min(log.end_row());
        let from = relisting.next.max(dropped);
        let to = from.saturating_add(RELIST_SLICE_ROWS).min(end).max(from);
        relisting.next = to;
        let selected = relisting.selected;
        for absolute in from..to {
            if self.lists(log, search, (absolute - dropped) as usize) {
                self.visible.push_back(absolute);
            }
        }
        while self.visible.front().is_some_and(|a| *a < dropped) {
            self.visible.pop_front();
        }
        let done = to >= end;
        if done {
            self.relisting = None;
        }
        self.selected = if self.follow {
            self.visible.len().checked_sub(1)
        } else if done {
            selected
                .map(|a| self.visible.partition_point(|v| *v < a))
                .map(|p| p.min(self.visible.len().saturating_sub(1)))
                .filter(|_| !self.visible.is_empty())
        } else {
            None
        };
        !done
    }

    /// Whether a relisting is under way.
    pub fn is_relisting(&self) -> bool {
        self.relisting.is_some()
    }

    /// While a relisting is under way: the rows looked at and the rows to
    /// look at in all, for a progress figure.
    pub fn relisting_progress(&self, log: &EventLog) -> Option<(u64, u64)> {
        let relisting = self.relisting.as_ref()?;
        let first = log.first_row();
        let end = self.frozen_at.unwrap_or(u64::MAX).min(log.end_row());
        Some((
            relisting.next.saturating_sub(first),
            end.saturating_sub(first),
        ))
    }

    /// Lists nothing (the log was cleared or replaced); follow and freeze stay.
    pub fn clear(&mut self) {
        self.visible.clear();
        self.selected = None;
        self.offset = 0;
        self.relisting = None;
    }

    /// Shows or hides blocks, listing the log afresh.
    pub fn set_show_blocks(&mut self, on: bool, log: &EventLog, search: &Search) {
        self.show_blocks = on;
        self.rebuild(log, search);
    }

    /// Freezes the list at the log's end, or thaws it, listing what
    /// arrived meanwhile.
    pub fn toggle_freeze(&mut self, log: &EventLog, search: &Search) {
        if self.frozen_at.take().is_some() {
            self.rebuild(log, search);
        } else {
            self.frozen_at = Some(log.end_row());
        }
    }

    /// Selects the row at `pos` (none past the last) and stops following.
    /// Returns whether the selection changed.
    pub fn pick(&mut self, pos: usize) -> bool {
        self.follow = false;
        self.select(Some(pos))
    }

    /// Moves the selection by `delta` rows (from the newest when none is
    /// selected). Moving up leaves follow mode; reaching the end moving
    /// down turns it back on. Returns whether the selection changed.
    pub fn move_by(&mut self, delta: isize) -> bool {
        let Some(last) = self.visible.len().checked_sub(1) else {
            return false;
        };
        let current = self.selected.unwrap_or(last);
        let target = current.saturating_add_signed(delta).min(last);
        self.follow = target == last && delta > 0;
        self.select(Some(target))
    }

    /// Selects the newest row and follows from now on. Returns whether the
    /// selection changed.
    pub fn follow_newest(&mut self) -> bool {
        self.follow = true;
        self.select(self.visible.len().checked_sub(1))
    }

    /// Follows (the next row listed is selected) or stops following.
    pub fn set_follow(&mut self, on: bool) {
        self.follow = on;
    }

    fn select(&mut self, pos: Option<usize>) -> bool {
        let before = self.selected;
        self.selected = pos.filter(|p| *p < self.visible.len());
        if let Some(relisting) = &mut self.relisting {
            // Chosen while relisting: what the finished list selects.
            relisting.selected = self.selected.and_then(|p| self.visible.get(p).copied());
        }
        // As before the type: a move to a row not listed counts as a change.
        before != pos
    }

    /// Whether log row `index` belongs in the list, building the row only
    /// when a search must look at it: rows arrive by the hundred thousand a
    /// second.
    fn lists(&self, log: &EventLog, search: &Search, index: usize) -> bool {
        if index >= log.len() {
            return false;
        }
        if search.is_filtering() && search.is_active() {
            log.get(index)
                .is_some_and(|row| self.lists_row(search, &row))
        } else {
            self.show_blocks || !log.is_block(index)
        }
    }

    /// Whether a row belongs in the list: blocks only when asked for, and
    /// under a search filter only matches.
    fn lists_row(&self, search: &Search, row: &Row) -> bool {
        (self.show_blocks || !row.is_block()) && search.shows(row)
    }
}

/// The first list position shown. Following, the window ends at the newest
/// row; otherwise it stays at `offset` and moves just enough to show the
/// selection, so the list scrolls a line at a time.
fn window_start(
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
mod tests;
