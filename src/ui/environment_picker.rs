//! The environment picker (`E`), the question `copy_curl_secrets` asks
//! before secrets go to the clipboard, and the editor's request as it will
//! be sent (`v`): centred overlays. Every name and value is escaped: they
//! come from the config, the environment or the user.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Align, fit};
use crate::state::environment_picker::EnvironmentPicker;
use crate::state::resolved::ResolvedView;

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

/// The editor's request as it will be sent (`v`): a field a line, long
/// values cut, the body's lines under it; or the reason it cannot go.
pub fn render_resolved(frame: &mut Frame, area: Rect, view: &ResolvedView, theme: &Theme) {
    let width = area.width.saturating_sub(4);
    let height = area.height.saturating_sub(2);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 20 || rect.height < 4 {
        return;
    }
    let title = match &view.environment {
        Some(env) => format!(
            "As sent · environment {}",
            text::escape(env, text::Context::Raw)
        ),
        None => "As sent · no environment".to_owned(),
    };
    let inner = super::overlay(frame, rect, &title, theme);
    let room = inner.width as usize;
    let safe = |value: &str| text::escape(value, text::Context::Raw).into_owned();
    let mut lines: Vec<Line> = Vec::new();
    match &view.rows {
        Err(why) => lines.push(Line::styled(
            format!(" {}", text::ellipsize(&safe(why), room.saturating_sub(1))),
            theme.error,
        )),
        Ok(rows) => {
            let name_w = rows
                .iter()
                .filter(|(n, _)| n != "Body")
                .map(|(n, _)| text::str_width(&safe(n)))
                .max()
                .unwrap_or(0)
                .min(room / 3);
            let value_room = room.saturating_sub(name_w + 3);
            for (name, value) in rows {
                if name == "Body" {
                    lines.push(Line::styled(" Body", theme.accent));
                    for line in value.lines() {
                        lines.push(Line::raw(format!(
                            "   {}",
                            text::ellipsize(&safe(line), room.saturating_sub(3))
                        )));
                    }
                    continue;
                }
                lines.push(Line::from(vec![
                    Span::raw(" "),
                    Span::styled(fit(&safe(name), name_w, Align::Left), theme.accent),
                    Span::raw("  "),
                    Span::raw(text::ellipsize(&safe(value), value_room).into_owned()),
                ]));
            }
        }
    }
    let body_h = inner.height.saturating_sub(1) as usize;
    lines.truncate(body_h);
    while lines.len() < body_h {
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        " secrets shown as *** · any key closes",
        theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
