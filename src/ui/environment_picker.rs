//! The environment picker (`E`) and the question `copy_curl_secrets` asks
//! before secrets go to the clipboard: small centred overlays.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Align, fit};
use crate::state::environment_picker::EnvironmentPicker;

const FOOTER: &str = "j/k move · Enter uses it · Esc closes";

/// The names, the selected one highlighted, the current one marked `●`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    picker: &EnvironmentPicker,
    current: Option<&str>,
    theme: &Theme,
) {
    let names: Vec<String> = picker
        .names
        .iter()
        .map(|n| text::escape(n, text::Context::Raw).into_owned())
        .collect();
    let name_w = names.iter().map(|n| text::str_width(n)).max().unwrap_or(0);
    let width = ((name_w + 4).max(text::str_width(FOOTER) + 2) as u16 + 2)
        .min(area.width.saturating_sub(4));
    let height = (names.len() as u16 + 4).min(area.height.saturating_sub(2));
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 10 || rect.height < 3 {
        return;
    }
    let inner = super::overlay(frame, rect, "Environment", theme);
    let room = (inner.width as usize).saturating_sub(4);
    let mut lines: Vec<Line> = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mark = if Some(picker.names[i].as_str()) == current {
                "● "
            } else {
                "  "
            };
            let line = Line::from(vec![
                Span::raw(" "),
                Span::styled(mark, theme.accent),
                Span::raw(fit(name, room, Align::Left)),
                Span::raw(" "),
            ]);
            if i == picker.selected {
                line.style(theme.selected)
            } else {
                line
            }
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(" {}", text::ellipsize(FOOTER, room + 2)),
        theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "Copy with secrets? y/n".
pub fn render_confirm(frame: &mut Frame, area: Rect, theme: &Theme) {
    const QUESTION: &str = "Copy the request as curl with its secrets in clear?";
    const ANSWER: &str = "y copies · any other key cancels";
    let width = (text::str_width(QUESTION) as u16 + 4).min(area.width.saturating_sub(2));
    let rect = area.centered(Constraint::Length(width), Constraint::Length(4));
    if rect.width < 10 || rect.height < 3 {
        return;
    }
    let inner = super::overlay(frame, rect, "Copy with secrets", theme);
    let room = inner.width as usize;
    let lines = vec![
        Line::styled(format!(" {}", text::ellipsize(QUESTION, room)), theme.warn),
        Line::styled(format!(" {}", text::ellipsize(ANSWER, room)), theme.dim),
    ];
    frame.render_widget(Paragraph::new(lines), inner);
}
