//! The help overlay: every binding from `action::BINDINGS` with the keys in
//! force from the keymap, centred, in one column when it fits the height and
//! two otherwise.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Align, Context, fit};
use crate::action::{Action, BINDINGS};
use crate::keymap::{Key, Keymap};

const MODEL: &str = "Letters type in a text field, Esc leaves it";
/// In the frame's title, so every row inside is for a binding or the note.
const TITLE: &str = "Help · Any key closes this help.";
/// Columns between the two halves.
const GUTTER: u16 = 3;

/// One row of the help before layout: the keys in force and what they do.
struct Entry {
    keys: String,
    what: &'static str,
}

pub fn render(frame: &mut Frame, area: Rect, keymap: &Keymap, theme: &Theme) {
    let max_w = area.width.saturating_sub(4).min(110);
    let max_h = area.height.saturating_sub(2);
    if max_w < 20 || max_h < 5 {
        return;
    }
    let inner_w = max_w - 2;
    // A line of notes under the bindings (no blank line: at 80x24 every
    // row counts).
    let room_h = (max_h - 2).saturating_sub(1) as usize;
    let all = bindings(keymap);
    let model = model_note(keymap);
    let one = entries(&all, inner_w - 1, Fold::Wrap, theme);
    let (columns, width) = if one.len() <= room_h {
        let width = one
            .iter()
            .map(Line::width)
            .max()
            .unwrap_or(0)
            .max(text::str_width(&model)) as u16;
        (vec![one], width + 4)
    } else {
        let col_w = (inner_w - 1 - GUTTER) / 2;
        let (mut left, mut right) = halves(&all, col_w, Fold::Wrap, theme);
        if left.len().max(right.len()) > room_h {
            // Long keys leave too little room: one line each, cut, so every
            // key stays on screen.
            (left, right) = halves(&all, col_w, Fold::Cut, theme);
        }
        (vec![left, right], inner_w + 2)
    };
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    // The note's own row, unless the bindings need it: the note then sits
    // on the frame's bottom edge, as the title sits on its top.
    let note_row = u16::from(usize::from(rows) <= room_h);
    let height = (rows + 2 + note_row).min(max_h);
    let rect = area.centered(
        Constraint::Length(width.min(max_w)),
        Constraint::Length(height),
    );
    let inner = super::overlay(frame, rect, TITLE, theme);
    if inner.width < 2 || inner.height == 0 {
        return;
    }
    let body_h = inner.height.saturating_sub(note_row).min(rows);
    let count = columns.len() as u16;
    let col_w = (inner.width - 1).saturating_sub(GUTTER * (count - 1)) / count;
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + 1 + i as u16 * (col_w + GUTTER);
        let col = Rect::new(x, inner.y, col_w, body_h).intersection(inner);
        frame.render_widget(Paragraph::new(column), col);
    }
    if note_row == 1 {
        let notes = vec![Line::styled(
            text::ellipsize(&model, inner.width as usize - 1).into_owned(),
            theme.dim,
        )];
        let notes_area =
            Rect::new(inner.x + 1, inner.y + body_h, inner.width - 1, 1).intersection(inner);
        frame.render_widget(Paragraph::new(notes), notes_area);
    } else {
        let room = rect.width.saturating_sub(4);
        let note = format!(
            " {} ",
            text::ellipsize(&model, usize::from(room).saturating_sub(2))
        );
        let edge = Rect::new(rect.x + 2, rect.bottom().saturating_sub(1), room, 1);
        let width = (text::str_width(&note) as u16).min(room);
        frame.render_widget(
            Paragraph::new(Line::styled(note, theme.dim)),
            Rect::new(edge.x, edge.y, width, 1).intersection(area),
        );
    }
}

/// Every help row with the keys in force, made safe to draw (they come from
/// the user's config).
fn bindings(keymap: &Keymap) -> Vec<Entry> {
    BINDINGS
        .iter()
        .map(|(_, action, what)| {
            let keys = match action {
                Action::GoToTab(_) => "1-9".to_owned(),
                _ => keymap.keys(*action).join("/"),
            };
            let keys = if keys.is_empty() {
                "none".to_owned()
            } else {
                keys
            };
            Entry {
                keys: text::escape(&keys, Context::Raw).into_owned(),
                what,
            }
        })
        .collect()
}

/// How text fields take keys, naming the connect key that works in them
/// too: the first one that is not a plain character (which would type).
fn model_note(keymap: &Keymap) -> String {
    let typed = |key: &&Key| {
        matches!(key.code(), ratatui::crossterm::event::KeyCode::Char(_))
            && key.modifiers().is_empty()
    };
    match keymap
        .bound(Action::ToggleConnect)
        .iter()
        .find(|key| !typed(key))
    {
        Some(key) => {
            let key = text::escape(&key.to_string(), Context::Raw).into_owned();
            format!("{MODEL}; {key} connects anywhere.")
        }
        None => format!("{MODEL}."),
    }
}

/// The rows split into two columns of `width`, at the entry that makes the
/// taller column shortest (each column sizes its own key column, so one long
/// key does not squeeze every description).
fn halves(
    all: &[Entry],
    width: u16,
    fold: Fold,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    let mut best: Option<(Vec<Line<'static>>, Vec<Line<'static>>)> = None;
    for at in (1..all.len()).rev() {
        let left = entries(&all[..at], width, fold, theme);
        let right = entries(&all[at..], width, fold, theme);
        let taller = left.len().max(right.len());
        if best
            .as_ref()
            .is_none_or(|(l, r)| taller < l.len().max(r.len()))
        {
            best = Some((left, right));
        }
    }
    best.unwrap_or_else(|| (entries(all, width, fold, theme), Vec::new()))
}

/// What a description longer than its room does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fold {
    /// Continue on lines of its own under itself.
    Wrap,
    /// Stay on one line, cut with `…`.
    Cut,
}

/// Lines for some entries in `width` columns: the keys, then the description
/// word-wrapped under itself or cut.
fn entries(all: &[Entry], width: u16, fold: Fold, theme: &Theme) -> Vec<Line<'static>> {
    let key_w = all
        .iter()
        .map(|entry| text::str_width(&entry.keys))
        .max()
        .unwrap_or(0)
        .min(width as usize / 2);
    let desc_w = (width as usize).saturating_sub(key_w + 2).max(8);
    let mut lines = Vec::new();
    for entry in all {
        let parts = match fold {
            Fold::Wrap => word_wrap(entry.what, desc_w),
            Fold::Cut => vec![text::ellipsize(entry.what, desc_w).into_owned()],
        };
        for (i, part) in parts.into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(fit(&entry.keys, key_w, Align::Left), theme.key)
            } else {
                Span::raw(" ".repeat(key_w))
            };
            lines.push(Line::from(vec![lead, Span::raw("  "), Span::raw(part)]));
        }
    }
    lines
}

/// Splits `s` at spaces into lines of at most `width` columns (a longer word is cut).
fn word_wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split(' ') {
        let needed = if line.is_empty() { 0 } else { 1 } + text::str_width(word);
        if !line.is_empty() && text::str_width(&line) + needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&text::ellipsize(word, width));
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_wrap_breaks_at_spaces() {
        assert_eq!(
            word_wrap("resume from the selected event", 12),
            ["resume from", "the selected", "event"]
        );
        assert_eq!(word_wrap("short", 12), ["short"]);
    }
}
