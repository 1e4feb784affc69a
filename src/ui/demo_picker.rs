//! The demo endpoint picker: a centred list of the demo server's endpoints.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Align, fit};
use crate::demo_server::PICKS;
use crate::state::AppState;

const FOOTER: &str = "j/k move · Enter connects · Esc closes";

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(picker) = &state.demo else { return };
    let path_w = PICKS
        .iter()
        .map(|e| text::str_width(&e.target()))
        .max()
        .unwrap_or(0);
    let about_w = PICKS
        .iter()
        .map(|e| text::str_width(e.about))
        .max()
        .unwrap_or(0);
    let max_w = area.width.saturating_sub(4);
    let width = ((1 + path_w + 2 + about_w + 1) as u16 + 2).min(max_w);
    let height = (PICKS.len() as u16 + 4).min(area.height.saturating_sub(2));
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 10 || rect.height < 3 {
        return;
    }
    let inner = super::overlay(frame, rect, "Demo endpoints", theme);
    let about_room = (inner.width as usize).saturating_sub(1 + path_w + 2 + 1);
    let mut lines: Vec<Line> = PICKS
        .iter()
        .enumerate()
        .map(|(i, endpoint)| {
            let line = Line::from(vec![
                Span::raw(" "),
                Span::styled(fit(&endpoint.target(), path_w, Align::Left), theme.accent),
                Span::raw("  "),
                Span::raw(fit(endpoint.about, about_room, Align::Left)),
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
        format!(" {}", text::ellipsize(FOOTER, about_room + path_w)),
        theme.dim,
    ));
    frame.render_widget(Paragraph::new(lines), inner);
}
