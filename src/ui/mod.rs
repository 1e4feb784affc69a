//! Drawing: a pure function of the state, the theme and the time. Nothing here
//! does I/O, reads a clock or changes the state.
//!
//! ```text
//! ssetui · title · GET https://…            title line
//! ╭ Events ───────────╮╭ Content │ Raw ───╮
//! │ seq time  gap …   ││ {                │   side by side from 120 columns,
//! │                   ││   "a": 1         │   stacked below that
//! ╰───────────────────╯╰──────────────────╯
//! ● open 200 · attempt 1 · 12 events …      status bar
//! q quit  j/k move  …                       hint bar
//! ```

mod demo_picker;
mod detail;
mod event_list;
mod help;
mod json;
mod status_bar;
pub mod text;
pub mod theme;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub use theme::Theme;

use crate::state::AppState;

/// The smallest terminal the UI draws itself in.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// From this width the list and the detail sit side by side.
pub const SIDE_BY_SIDE_WIDTH: u16 = 120;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &AppState, theme: &Theme, now: Instant) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return;
    }
    let [title, main, status, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_line(frame, title, state, theme);
    let [list, detail] = if main.width >= SIDE_BY_SIDE_WIDTH {
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(main)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main)
    };
    event_list::render(frame, list, state, theme);
    detail::render(frame, detail, state, theme);
    status_bar::render_status(frame, status, state, theme, now);
    status_bar::render_hints(frame, hints, state, theme);
    if state.demo.as_ref().is_some_and(|d| d.open) {
        demo_picker::render(frame, area, state, theme);
    }
    if state.show_help {
        help::render(frame, area, theme);
    }
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let width = area.width as usize;
    let message = [
        "terminal too small (need 80x24)",
        "too small (need 80x24)",
        "need 80x24",
    ]
    .into_iter()
    .find(|m| m.len() <= width)
    .map_or_else(
        || text::ellipsize("need 80x24", width).into_owned(),
        str::to_owned,
    );
    let y = area.y + area.height / 2;
    let row = Rect::new(area.x, y, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(message, theme.warn).centered()),
        row,
    );
}

/// `ssetui · <title> · <METHOD> <redacted URL>`.
fn title_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let url = crate::sse::redact::url(&state.request.url, &state.request.secret_names());
    let mut spans = vec![Span::styled(" ssetui", theme.app_name)];
    let title = text::escape(&state.title, text::Context::Raw);
    if !title.is_empty() {
        spans.push(Span::styled(" · ", theme.dim));
        spans.push(Span::styled(title.into_owned(), theme.title));
    }
    spans.push(Span::styled(" · ", theme.dim));
    spans.push(Span::styled(
        format!("{} ", state.request.method),
        theme.accent,
    ));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = (area.width as usize).saturating_sub(used + 1);
    let url = text::escape(&url, text::Context::Raw);
    spans.push(Span::raw(text::ellipsize(&url, room).into_owned()));
    frame.render_widget(Line::from(spans), area);
}

/// A pane's frame: rounded, its border highlighted when it has the focus.
fn pane<'a>(focused: bool, theme: &Theme) -> Block<'a> {
    let (style, kind) = if focused {
        (theme.border_focused, theme.border_type_focused)
    } else {
        (theme.border, theme.border_type)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(style)
}

/// A pane title: ` text ` in the pane-title style.
fn pane_title<'a>(text: impl Into<String>, style: Style) -> Span<'a> {
    Span::styled(format!(" {} ", text.into()), style)
}
