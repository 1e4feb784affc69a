//! The help overlay: every binding from `action::BINDINGS`, centred, in one
//! column when it fits the height and two otherwise.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::Theme;
use super::text::{self, Align, fit};
use crate::action::BINDINGS;

const MODEL: &str = "Letters type in a text field, Esc leaves it; Ctrl-R connects anywhere.";
const CLOSE: &str = "Any key closes this help.";
/// Columns between the two halves.
const GUTTER: u16 = 3;

pub fn render(frame: &mut Frame, area: Rect, theme: &Theme) {
    let max_w = area.width.saturating_sub(4).min(110);
    let max_h = area.height.saturating_sub(2);
    if max_w < 20 || max_h < 5 {
        return;
    }
    let inner_w = max_w - 2;
    // Two lines of notes under a blank line.
    let room_h = (max_h - 2).saturating_sub(3) as usize;
    let one = entries(BINDINGS, inner_w - 1, theme);
    let (columns, width) = if one.len() <= room_h {
        let width = one
            .iter()
            .map(Line::width)
            .max()
            .unwrap_or(0)
            .max(text::str_width(MODEL)) as u16;
        (vec![one], width + 4)
    } else {
        let col_w = (inner_w - 1 - GUTTER) / 2;
        let half = BINDINGS.len().div_ceil(2);
        let left = entries(&BINDINGS[..half], col_w, theme);
        let right = entries(&BINDINGS[half..], col_w, theme);
        (vec![left, right], inner_w + 2)
    };
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0) as u16;
    let height = (rows + 3 + 2).min(max_h);
    let rect = area.centered(
        Constraint::Length(width.min(max_w)),
        Constraint::Length(height),
    );
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(theme.border_type_focused)
        .border_style(theme.border_focused)
        .title(Line::styled(" Help ", theme.pane_title));
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    if inner.width < 2 || inner.height == 0 {
        return;
    }
    let body_h = inner.height.saturating_sub(3).min(rows);
    let count = columns.len() as u16;
    let col_w = (inner.width - 1).saturating_sub(GUTTER * (count - 1)) / count;
    for (i, column) in columns.into_iter().enumerate() {
        let x = inner.x + 1 + i as u16 * (col_w + GUTTER);
        let col = Rect::new(x, inner.y, col_w, body_h).intersection(inner);
        frame.render_widget(Paragraph::new(column), col);
    }
    let notes = vec![
        Line::styled(
            text::ellipsize(MODEL, inner.width as usize - 1).into_owned(),
            theme.dim,
        ),
        Line::styled(
            text::ellipsize(CLOSE, inner.width as usize - 1).into_owned(),
            theme.dim,
        ),
    ];
    let notes_area =
        Rect::new(inner.x + 1, inner.y + body_h + 1, inner.width - 1, 2).intersection(inner);
    frame.render_widget(Paragraph::new(notes), notes_area);
}

/// Lines for some bindings in `width` columns: the key, then its description
/// word-wrapped under itself.
fn entries(
    bindings: &[(&str, crate::action::Action, &str)],
    width: u16,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let key_w = BINDINGS
        .iter()
        .map(|(k, _, _)| text::str_width(k))
        .max()
        .unwrap_or(0);
    let desc_w = (width as usize).saturating_sub(key_w + 2).max(8);
    let mut lines = Vec::new();
    for (key, _, what) in bindings {
        for (i, part) in word_wrap(what, desc_w).into_iter().enumerate() {
            let lead = if i == 0 {
                Span::styled(fit(key, key_w, Align::Left), theme.key)
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
