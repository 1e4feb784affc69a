//! The MCP call panel overlay: the sections (Tools, Resources, Prompts), a
//! filter line, the list beside the selected item's detail, the arguments
//! editor, or the call's progress and result; the keys at the bottom.
//! Everything in it but our own labels came from the server (names,
//! descriptions, schemas, results): each string is escaped
//! (`text::escape`, built on `crate::text`'s neutralising) or drawn by
//! the JSON highlighter, never written as it came.
//!
//! ```text
//! ╭ MCP ─────────────────────────────────────────────╮
//! │ Tools 3 │ Resources 2 │ Prompts 1                 │
//! │ / filter                                          │
//! │ get_weather    │ get_weather                      │
//! │ echo           │ Current weather for a city       │
//! │                │ Arguments …                      │
//! │ Enter open · / filter · Tab section · Esc close   │
//! ╰───────────────────────────────────────────────────╯
//! ```

mod result;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use super::text::{self, Context};
use super::text_input::{self, Look};
use crate::mcp::calls::ListKind;
use crate::state::mcp_panel::{CallPanel, CallStatus, Focus, Item, Listing, Section};

/// The widest the panel gets, and the narrowest body that shows the list and
/// the detail side by side (below it, one of them at a time).
const MAX_WIDTH: u16 = 140;
const SIDE_BY_SIDE: u16 = 60;

pub fn render(frame: &mut Frame, area: Rect, panel: &CallPanel, theme: &Theme) {
    let width = area.width.saturating_sub(4).min(MAX_WIDTH);
    let height = area.height.saturating_sub(2);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    if rect.width < 24 || rect.height < 8 {
        return;
    }
    let inner = super::overlay(frame, rect, "MCP", theme);
    let w = inner.width as usize;
    let row = |y: u16| Rect::new(inner.x, inner.y + y, inner.width, 1);
    frame.render_widget(section_line(panel, w, theme), row(0));
    frame.render_widget(filter_line(panel, w, theme), row(1));
    let status = call_line(panel, w, theme);
    let footer_rows = 1 + u16::from(status.is_some());
    let body = Rect::new(
        inner.x,
        inner.y + 2,
        inner.width,
        inner.height.saturating_sub(2 + footer_rows),
    );
    if let Some(status) = status {
        frame.render_widget(status, row(inner.height - 2));
    }
    frame.render_widget(footer(panel, w, theme), row(inner.height - 1));
    let detail = if inner.width >= SIDE_BY_SIDE {
        let list_w = (inner.width / 3).clamp(16, 40);
        render_list(
            frame,
            Rect {
                width: list_w,
                ..body
            },
            panel,
            theme,
        );
        let separator: Vec<Line> = (0..body.height)
            .map(|_| Line::styled("│", theme.border))
            .collect();
        frame.render_widget(
            Paragraph::new(separator),
            Rect::new(body.x + list_w, body.y, 1, body.height),
        );
        Rect::new(
            body.x + list_w + 2,
            body.y,
            body.width.saturating_sub(list_w + 2),
            body.height,
        )
    } else if matches!(panel.focus, Focus::List | Focus::Filter) {
        render_list(frame, body, panel, theme);
        return;
    } else {
        Rect::new(
            body.x + 1,
            body.y,
            body.width.saturating_sub(1),
            body.height,
        )
    };
    match panel.focus {
        Focus::List | Focus::Filter => render_item(frame, detail, panel, theme),
        Focus::Editor => render_editor(frame, detail, panel, theme),
        Focus::Call => result::render(frame, detail, panel, theme),
    }
}

/// ` Tools 3 │ Resources 2 │ Prompts … `, the current section highlighted.
fn section_line(panel: &CallPanel, width: usize, theme: &Theme) -> Line<'static> {
    let mut spans = vec![Span::raw(" ")];
    for (i, section) in Section::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" │ ", theme.dim));
        }
        let count = panel
            .count(section)
            .map_or_else(|| "…".to_owned(), |n| n.to_string());
        let style = if section == panel.section {
            theme.tab_active
        } else {
            theme.tab_inactive
        };
        spans.push(Span::styled(
            format!(" {} {count} ", section.label()),
            style,
        ));
    }
    fit_line(Line::from(spans), width)
}

/// The filter: what is typed (with a cursor while it has the keys), or a hint.
fn filter_line(panel: &CallPanel, width: usize, theme: &Theme) -> Line<'static> {
    let typed = text::escape(panel.filter.text(), Context::Raw);
    let focused = panel.focus == Focus::Filter;
    if typed.is_empty() && !focused {
        return Line::styled(" / to filter", theme.dim);
    }
    let room = width.saturating_sub(5);
    let (tail, _) = text::truncate_end(&typed, room);
    let mut spans = vec![Span::styled(" / ", theme.key), Span::raw(tail.to_owned())];
    if focused {
        spans.push(Span::styled("▏", theme.accent));
    }
    Line::from(spans)
}

fn render_list(frame: &mut Frame, area: Rect, panel: &CallPanel, theme: &Theme) {
    let w = area.width as usize;
    let rows = area.height as usize;
    let mut lines: Vec<Line> = Vec::new();
    for kind in panel.section.kinds() {
        match panel.listing(*kind) {
            Listing::Loading => lines.push(Line::styled(
                format!(" {}: loading…", kind.method()),
                theme.dim,
            )),
            Listing::Failed(why) => lines.push(Line::styled(
                format!(
                    " {} failed: {}",
                    kind.method(),
                    text::escape(why, Context::Raw)
                ),
                theme.error,
            )),
            Listing::Loaded(_) => {}
        }
    }
    let matches = panel.matches();
    if matches.is_empty() && lines.is_empty() {
        let why = if panel.filter.is_empty() {
            " none listed"
        } else {
            " nothing matches"
        };
        lines.push(Line::styled(why, theme.dim));
    }
    let room = rows.saturating_sub(lines.len());
    let start = panel.selected.saturating_sub(room.saturating_sub(1));
    for (pos, item) in matches.iter().enumerate().skip(start).take(room) {
        let mut spans = vec![Span::raw(" ")];
        let name = text::escape(&item.name, Context::Raw);
        let marker = if item.kind == ListKind::Templates {
            " {…}"
        } else {
            ""
        };
        let name_room = w.saturating_sub(2 + marker.len());
        spans.push(Span::styled(
            text::ellipsize(&name, name_room).into_owned(),
            theme.title,
        ));
        spans.push(Span::styled(marker, theme.dim));
        let line = Line::from(spans);
        lines.push(if pos == panel.selected {
            let style = if panel.focus == Focus::List || panel.focus == Focus::Filter {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            line.style(style)
        } else {
            line
        });
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// The selected item: name, description, and what Enter does with it.
fn render_item(frame: &mut Frame, area: Rect, panel: &CallPanel, theme: &Theme) {
    let Some(item) = panel.selected_item() else {
        return;
    };
    let w = area.width as usize;
    let mut lines = heading(item, w, theme);
    let mut field = |label: &str, value: &str| {
        let value = text::escape(value, Context::Raw);
        lines.push(Line::from(vec![
            Span::styled(format!("{label} "), theme.field),
            Span::raw(text::ellipsize(&value, w.saturating_sub(label.len() + 1)).into_owned()),
        ]));
    };
    match item.kind {
        ListKind::Resources => {
            field("uri", &item.uri().unwrap_or_default());
            if let Some(mime) = item.mime_type() {
                field("type", &mime);
            }
        }
        ListKind::Templates => {
            field("uriTemplate", &item.uri_template().unwrap_or_default());
            if let Some(mime) = item.mime_type() {
                field("type", &mime);
            }
        }
        ListKind::Tools | ListKind::Prompts => {}
    }
    let fields = match item.kind {
        ListKind::Tools => item.input_properties(),
        ListKind::Prompts => item.prompt_arguments(),
        ListKind::Resources | ListKind::Templates => Vec::new(),
    };
    if matches!(item.kind, ListKind::Tools | ListKind::Prompts) {
        lines.push(Line::styled("Arguments", theme.key));
        if fields.is_empty() {
            lines.push(Line::styled("  none", theme.dim));
        }
        for f in fields {
            let mut spans = vec![Span::styled(
                format!("  {}", text::escape(&f.name, Context::Raw)),
                theme.title,
            )];
            if !f.about.is_empty() {
                spans.push(Span::styled(
                    format!("  {}", text::escape(&f.about, Context::Raw)),
                    theme.dim,
                ));
            }
            if f.required {
                spans.push(Span::styled("  required", theme.warn));
            }
            lines.push(fit_line(Line::from(spans), w));
        }
    }
    if item.output_schema().is_some() {
        lines.push(Line::styled(
            "Results are checked against its outputSchema",
            theme.dim,
        ));
    }
    lines.push(Line::raw(""));
    let enter = match item.kind {
        ListKind::Tools => "Enter edits the arguments, then Ctrl-S calls",
        ListKind::Prompts => "Enter fills in the arguments, then Ctrl-S gets it",
        ListKind::Templates => "Enter fills in its variables, then Ctrl-S reads it",
        ListKind::Resources => "Enter reads it",
    };
    lines.push(Line::styled(enter, theme.dim));
    frame.render_widget(Paragraph::new(text::wrap(lines, w)), area);
}

/// The item's name (and title), then its description, wrapped.
fn heading(item: &Item, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut spans = vec![Span::styled(
        text::escape(&item.name, Context::Raw).into_owned(),
        theme.title.add_modifier(Modifier::BOLD),
    )];
    if let Some(title) = &item.title {
        spans.push(Span::styled(
            format!("  {}", text::escape(title, Context::Raw)),
            theme.dim,
        ));
    }
    let mut lines = vec![fit_line(Line::from(spans), width)];
    lines.extend(
        item.description
            .split('\n')
            .filter(|_| !item.description.is_empty())
            .map(|l| Line::raw(text::escape(l, Context::Content).into_owned())),
    );
    lines.push(Line::raw(""));
    lines
}

/// The arguments editor: what is called, the JSON text with the cursor,
/// and why the last Ctrl-S did not call.
fn render_editor(frame: &mut Frame, area: Rect, panel: &CallPanel, theme: &Theme) {
    let Some(editor) = &panel.editor else {
        return;
    };
    let w = area.width as usize;
    let what = match editor.item.kind {
        ListKind::Tools => "tools/call",
        ListKind::Prompts => "prompts/get",
        ListKind::Resources | ListKind::Templates => "resources/read",
    };
    let name = text::escape(&editor.item.name, Context::Raw);
    let head = Line::from(vec![
        Span::styled(format!("{what} "), theme.accent),
        Span::styled(name.into_owned(), theme.title.add_modifier(Modifier::BOLD)),
    ]);
    let mut top = vec![fit_line(head, w)];
    if let Some(first) = editor.item.description.lines().next() {
        let first = text::escape(first, Context::Raw);
        top.push(Line::styled(
            text::ellipsize(&first, w).into_owned(),
            theme.dim,
        ));
    }
    let error_rows = u16::from(editor.error.is_some()) * 2;
    let top_rows = top.len() as u16;
    frame.render_widget(Paragraph::new(top), area);
    let text_area = Rect::new(
        area.x,
        area.y + top_rows.min(area.height),
        area.width,
        area.height.saturating_sub(top_rows + error_rows),
    );
    let look = Look {
        style: ratatui::style::Style::new(),
        escape: theme.escape,
        masked: false,
    };
    let view = text_input::view(
        &editor.input,
        text_area.width as usize,
        text_area.height as usize,
        look,
        true,
    );
    frame.render_widget(Paragraph::new(view.lines), text_area);
    if let Some((x, y)) = view.cursor
        && x < text_area.width
        && y < text_area.height
    {
        frame.set_cursor_position((text_area.x + x, text_area.y + y));
    }
    if let Some(error) = &editor.error
        && area.height >= top_rows + 2
    {
        let error = text::escape(error, Context::Raw);
        let rows = text::wrap(vec![Line::styled(error.into_owned(), theme.error)], w);
        let y = area.y + area.height - 2;
        frame.render_widget(
            Paragraph::new(rows.into_iter().take(2).collect::<Vec<_>>()),
            Rect::new(area.x, y, area.width, 2),
        );
    }
}

/// Below the body while the call view is not shown: the call and how far it is.
fn call_line(panel: &CallPanel, width: usize, theme: &Theme) -> Option<Line<'static>> {
    let call = panel.call.as_ref().filter(|_| panel.focus != Focus::Call)?;
    let label = text::escape(&call.label, Context::Raw);
    let (state, style) = match &call.status {
        CallStatus::Sent | CallStatus::Running => {
            match call.progress.as_ref().and_then(|p| p.ratio()) {
                Some(ratio) => (format!("{:.0}%", ratio * 100.0), theme.warn),
                None => ("running".to_owned(), theme.warn),
            }
        }
        CallStatus::Cancelling => ("cancelling…".to_owned(), theme.warn),
        CallStatus::Finished { is_error: false } => ("done".to_owned(), theme.ok),
        CallStatus::Finished { is_error: true } => ("tool error".to_owned(), theme.error),
        CallStatus::Failed(_) => ("failed".to_owned(), theme.error),
    };
    let mut spans = vec![
        Span::styled(" ▸ ", theme.accent),
        Span::raw(label.into_owned()),
        Span::styled(format!(" · {state}"), style),
    ];
    if panel.focus == Focus::List {
        // In the editor or the filter, `v` types.
        spans.push(Span::styled(" · v shows it", theme.dim));
    }
    let line = Line::from(spans);
    Some(fit_line(line, width))
}

/// The keys that work now, or the notice of a key that could not act.
fn footer(panel: &CallPanel, width: usize, theme: &Theme) -> Line<'static> {
    if let Some(notice) = &panel.notice {
        let notice = text::escape(notice, Context::Raw);
        return Line::styled(
            format!(" {}", text::ellipsize(&notice, width.saturating_sub(1))),
            theme.warn,
        );
    }
    let running = panel.call.as_ref().is_some_and(|c| c.status.is_running());
    let keys = match panel.focus {
        Focus::List => {
            let mut keys = String::from("Enter open · / filter · Tab section · r refresh");
            if running {
                keys.push_str(" · x cancel");
            }
            keys.push_str(" · Esc close");
            keys
        }
        Focus::Filter => "type to filter · ↑/↓ move · Enter keep · Esc clear".to_owned(),
        Focus::Editor => "^S call · ←↑↓→ move · ^Z undo · Esc back".to_owned(),
        Focus::Call if running => "x cancel · ↑/↓ scroll · Esc back".to_owned(),
        Focus::Call => "↑/↓ PgUp/PgDn scroll · Esc back".to_owned(),
    };
    Line::styled(
        format!(" {}", text::ellipsize(&keys, width.saturating_sub(1))),
        theme.dim,
    )
}

/// `line` cut to `width` columns (an ellipsis where it was cut).
fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let room = width.saturating_sub(used);
        if room == 0 {
            break;
        }
        let w = span.width();
        if w <= room {
            used += w;
            spans.push(span);
        } else {
            spans.push(Span::styled(
                text::ellipsize(&span.content, room).into_owned(),
                span.style,
            ));
            break;
        }
    }
    Line::from(spans).style(line.style)
}

#[cfg(test)]
mod tests;
