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
pub(crate) mod event_list;
mod help;
mod highlight;
mod json;
pub mod layout;
pub mod request_form;
mod status_bar;
pub mod text;
mod text_input;
pub mod theme;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub use theme::Theme;

use crate::state::AppState;

pub use layout::{MIN_HEIGHT, MIN_WIDTH, SIDE_BY_SIDE_WIDTH};

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &AppState, theme: &Theme, now: Instant) {
    let area = frame.area();
    let Some(panes) = layout::panes(area) else {
        too_small(frame, area, theme);
        return;
    };
    title_line(frame, panes.title, state, theme);
    event_list::render(frame, panes.list, state, theme);
    detail::render(frame, panes.detail, state, theme);
    status_bar::render_status(frame, panes.status, state, theme, now);
    status_bar::render_hints(frame, panes.hints, state, theme);
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
