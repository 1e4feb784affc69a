//! The call view of the MCP panel: what was called and where it is, a
//! progress gauge while it runs, then the result: text as sent (escaped),
//! structured content through the JSON highlighter, the `outputSchema`
//! check as one line per violation.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::super::Theme;
use super::super::json;
use super::super::text::{self, Context};
use super::fit_line;
use crate::state::mcp_panel::{CallPanel, CallStatus, Output, Progress};

/// A violation's explanation is cut here: it may quote the whole value.
const MAX_WHY: usize = 300;
/// Columns of the gauge's bar.
const GAUGE_WIDTH: usize = 24;

pub fn render(frame: &mut Frame, area: Rect, panel: &CallPanel, theme: &Theme) {
    let Some(call) = &panel.call else {
        return;
    };
    let w = area.width as usize;
    let label = text::escape(&call.label, Context::Raw);
    let (state, style) = match &call.status {
        CallStatus::Sent => ("sent", theme.warn),
        CallStatus::Running => ("running", theme.warn),
        CallStatus::Cancelling => ("cancelling…", theme.warn),
        CallStatus::Finished { is_error: false } => ("done", theme.ok),
        CallStatus::Finished { is_error: true } => ("done, the tool reports an error", theme.error),
        CallStatus::Failed(_) => ("failed", theme.error),
    };
    let mut lines = vec![fit_line(
        Line::from(vec![
            Span::styled(label.into_owned(), theme.title.add_modifier(Modifier::BOLD)),
            Span::styled(format!("  {state}"), style),
        ]),
        w,
    )];
    if call.status.is_running() {
        lines.push(match &call.progress {
            Some(progress) => fit_line(gauge(progress, theme), w),
            None => Line::styled("waiting for the answer…", theme.dim),
        });
    }
    lines.push(Line::raw(""));
    let room = (area.height as usize).saturating_sub(lines.len());
    let body: Vec<Line<'static>> = call
        .output
        .iter()
        .flat_map(|block| block_lines(block, theme))
        .skip(call.scroll)
        .take(room)
        .collect();
    lines.extend(text::wrap(body, w).into_iter().take(room));
    frame.render_widget(Paragraph::new(lines), area);
}

/// `▕██████░░░░░░▏ 40%  4/10  message`, or `4 done  message` without a total.
fn gauge(progress: &Progress, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    match progress.ratio() {
        Some(ratio) => {
            let filled = ((ratio * GAUGE_WIDTH as f64).round() as usize).min(GAUGE_WIDTH);
            spans.push(Span::styled("▕", theme.dim));
            spans.push(Span::styled("█".repeat(filled), theme.accent));
            spans.push(Span::styled("░".repeat(GAUGE_WIDTH - filled), theme.dim));
            spans.push(Span::styled("▏", theme.dim));
            spans.push(Span::raw(format!(
                " {:.0}%  {}/{}",
                ratio * 100.0,
                number(progress.progress),
                number(progress.total.unwrap_or_default())
            )));
        }
        None => spans.push(Span::raw(format!("{} done", number(progress.progress)))),
    }
    if let Some(message) = &progress.message {
        spans.push(Span::styled(
            format!("  {}", text::escape(message, Context::Raw)),
            theme.dim,
        ));
    }
    Line::from(spans)
}

/// `4` for a whole number, `4.5` otherwise.
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// The lines of one block, before wrapping; one per source line, so the
/// state's scroll (counted in source lines) lines up.
fn block_lines(block: &Output, theme: &Theme) -> Vec<Line<'static>> {
    let escaped = |s: &str| text::escape(s, Context::Raw).into_owned();
    match block {
        Output::Heading(heading) => vec![Line::styled(
            format!("── {}", escaped(heading)),
            theme.accent,
        )],
        Output::Text(body) => body
            .split('\n')
            .map(|l| Line::raw(text::escape(l, Context::Content).into_owned()))
            .collect(),
        Output::Json(body) => match json::pretty(body, theme) {
            Ok(pretty) if pretty.rest.is_none() => pretty.pretty,
            _ => body
                .split('\n')
                .map(|l| Line::raw(text::escape(l, Context::Content).into_owned()))
                .collect(),
        },
        Output::Note(note) => vec![Line::styled(escaped(note), theme.dim)],
        Output::Error(error) => vec![Line::styled(escaped(error), theme.error)],
        Output::SchemaMatches => vec![Line::styled("✓ matches outputSchema", theme.ok)],
        Output::Violation(violation) => {
            let path = if violation.path.is_empty() {
                "(the whole value)".to_owned()
            } else {
                escaped(&violation.path)
            };
            vec![Line::from(vec![
                Span::styled("✗ ", theme.error),
                Span::styled(path, theme.field),
                Span::styled(
                    format!(": {}", text::ellipsize(&escaped(&violation.why), MAX_WHY)),
                    theme.error,
                ),
            ])]
        }
        Output::SchemaUnusable(why) => vec![Line::styled(
            format!("outputSchema not checked: {}", escaped(why)),
            theme.warn,
        )],
    }
}
