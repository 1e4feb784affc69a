//! The history picker overlay: a filter line, then the requests sent,
//! newest first (time, method, URL, profile), every field escaped: a URL
//! came from a command line or a server's redirect.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Context};
use crate::state::history_picker::HistoryPicker;

const KEYS: &str = "Enter reopen in a new tab · ↑/↓ move · type to filter · Esc";

pub fn render(frame: &mut Frame, area: Rect, picker: &HistoryPicker, theme: &Theme) {
    let Some(inner) = super::picker_box(
        frame,
        area,
        "History",
        (120, picker.entries.len(), 16),
        theme,
    ) else {
        return;
    };
    let w = inner.width as usize;
    let filter = text::escape(picker.filter.text(), Context::Raw);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" > ", theme.accent),
            Span::raw(text::ellipsize(&filter, w.saturating_sub(4)).into_owned()),
        ]),
        Line::raw(""),
    ];
    let list_rows = (inner.height as usize).saturating_sub(4);
    let matches = picker.matches();
    if matches.is_empty() {
        lines.push(Line::styled(" no request matches", theme.dim));
    }
    let start = picker.selected.saturating_sub(list_rows.saturating_sub(1));
    for (pos, &index) in matches.iter().enumerate().skip(start).take(list_rows) {
        let entry = &picker.entries[index];
        let time = entry.short_time();
        let method = text::escape(&entry.request.method, Context::Raw);
        let mut rest = text::escape(&entry.request.url, Context::Raw).into_owned();
        if let Some(profile) = &entry.profile {
            rest.push_str(&format!("  [{}]", text::escape(profile, Context::Raw)));
        }
        let room = w.saturating_sub(time.len() + 12);
        let line = Line::from(vec![
            Span::styled(format!(" {time}  "), theme.dim),
            Span::styled(format!("{:<7} ", text::ellipsize(&method, 7)), theme.title),
            Span::raw(text::ellipsize(&rest, room).into_owned()),
        ]);
        lines.push(if pos == picker.selected {
            line.style(theme.selected)
        } else {
            line
        });
    }
    let footer_y = inner.y + inner.height.saturating_sub(1);
    frame.render_widget(Paragraph::new(lines), inner);
    let footer = Line::styled(format!(" {}", text::ellipsize(KEYS, w - 1)), theme.dim);
    frame.render_widget(footer, Rect::new(inner.x, footer_y, inner.width, 1));
}

#[cfg(test)]
mod tests;
