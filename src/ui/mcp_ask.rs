//! The prompt for a server's request of a declared capability: what the
//! server asks (its params, escaped: the server wrote them) above the JSON
//! result being written.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Context};
use super::text_input::{self, Look};
use crate::state::mcp_ask::AskPrompt;

/// The most lines of the server's params shown.
const PARAMS_LINES: usize = 8;

pub fn render(frame: &mut Frame, area: Rect, prompt: &AskPrompt, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(100);
    let height = area.height.saturating_sub(2).min(30);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 20 || rect.height < 8 {
        return;
    }
    let inner = super::overlay(frame, rect, "The server asks", theme);
    let room = inner.width as usize;
    let mut lines = vec![Line::styled(
        format!("{} (request {})", prompt.method(), prompt.ask.n),
        theme.title,
    )];
    let params = serde_json::to_string_pretty(&prompt.ask.params).unwrap_or_default();
    let shown: Vec<&str> = params.lines().collect();
    for line in shown.iter().take(PARAMS_LINES) {
        let line = text::escape(line, Context::Preview);
        lines.push(Line::styled(
            text::ellipsize(&line, room).into_owned(),
            theme.dim,
        ));
    }
    if shown.len() > PARAMS_LINES {
        lines.push(Line::styled(
            format!(
                "… {} more lines (the row's Content view shows them)",
                shown.len() - PARAMS_LINES
            ),
            theme.dim,
        ));
    }
    lines.push(Line::styled(
        "Your answer (the result, as JSON):",
        theme.accent,
    ));
    let head = lines.len() as u16;
    let footer = 2;
    let editor_rows = inner.height.saturating_sub(head + footer) as usize;
    frame.render_widget(Paragraph::new(lines), inner);
    let look = Look {
        style: Style::new(),
        escape: theme.escape,
        masked: false,
    };
    let view = text_input::view(&prompt.input, room, editor_rows, look, true);
    let editor = Rect {
        y: inner.y + head,
        height: editor_rows as u16,
        ..inner
    };
    frame.render_widget(Paragraph::new(view.lines), editor);
    if let Some((x, y)) = view.cursor {
        frame.set_cursor_position((editor.x + x, editor.y + y));
    }
    let error = prompt
        .error
        .as_deref()
        .map(|e| Line::styled(text::ellipsize(e, room).into_owned(), theme.error))
        .unwrap_or_default();
    let keys = if prompt.ask.capability == crate::mcp::capabilities::Capability::Elicitation {
        "Ctrl-S sends · Esc declines"
    } else {
        "Ctrl-S sends · Esc refuses"
    };
    let bottom = Rect {
        y: inner.y + inner.height.saturating_sub(footer),
        height: footer.min(inner.height),
        ..inner
    };
    frame.render_widget(
        Paragraph::new(vec![error, Line::styled(keys, theme.dim)]),
        bottom,
    );
}
