//! An MCP tab's Answer view: the call in flight with its progress, and
//! the last answer (a tool's text content first, then the whole result as
//! JSON, or the error).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use serde_json::Value;

use super::text::{self, Context};
use super::theme::Theme;
use crate::state::mcp::McpTab;

/// Cells of the progress bar.
const BAR: usize = 30;

pub fn answer(mcp: &McpTab, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match &mcp.call {
        Some(call) => {
            lines.push(Line::from(vec![
                Span::styled("waiting  ", theme.accent),
                Span::styled(
                    text::escape(&call.method, Context::Preview).into_owned(),
                    theme.title,
                ),
                Span::styled(format!(" (id {})  X cancels", call.id), theme.dim),
            ]));
            if let Some((progress, total, message)) = &call.progress {
                lines.push(progress_line(*progress, *total, message.as_deref(), theme));
            }
            lines.push(Line::default());
        }
        None if mcp.last_answer.is_none() => {
            lines.push(Line::styled(
                "no call yet: M lists the server's tools and calls one; its answer shows here",
                theme.dim,
            ));
        }
        None => {}
    }
    if let Some((method, result)) = &mcp.last_answer {
        let method = text::escape(method, Context::Preview).into_owned();
        match result {
            Err(err) => {
                lines.push(Line::from(vec![
                    Span::styled("failed   ", theme.error),
                    Span::styled(method, theme.title),
                ]));
                lines.push(Line::raw(text::escape(err, Context::Preview).into_owned()));
            }
            Ok(result) => {
                let failed = result.get("isError") == Some(&Value::Bool(true));
                let (word, style) = if failed {
                    ("isError  ", theme.error)
                } else {
                    ("answer   ", theme.ok)
                };
                lines.push(Line::from(vec![
                    Span::styled(word, style),
                    Span::styled(method, theme.title),
                ]));
                lines.extend(content_text(result));
                lines.push(Line::default());
                let json = serde_json::to_string(result).unwrap_or_default();
                match super::json::pretty(&json, theme) {
                    Ok(pretty) => lines.extend(pretty.pretty),
                    Err(_) => lines.push(Line::raw(
                        text::escape(&json, Context::Preview).into_owned(),
                    )),
                }
            }
        }
    }
    text::wrap(lines, width)
}

/// `[█████·····] 3/10 message`.
fn progress_line(
    progress: f64,
    total: Option<f64>,
    message: Option<&str>,
    theme: &Theme,
) -> Line<'static> {
    let figure = |n: f64| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{}", n as i64)
        } else {
            format!("{n:.2}")
        }
    };
    let (bar, of) = match total.filter(|t| *t > 0.0) {
        Some(total) => {
            let filled = ((progress / total).clamp(0.0, 1.0) * BAR as f64).round() as usize;
            (
                format!("[{}{}] ", "█".repeat(filled), "·".repeat(BAR - filled)),
                format!("{}/{}", figure(progress), figure(total)),
            )
        }
        None => (String::new(), figure(progress)),
    };
    let message = message
        .map(|m| format!(" {}", text::escape(m, Context::Preview)))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(bar, theme.accent),
        Span::styled(of, Style::default()),
        Span::styled(message, theme.dim),
    ])
}

/// A tool result's text items, as text (escaped).
fn content_text(result: &Value) -> Vec<Line<'static>> {
    let Some(Value::Array(items)) = result.get("content") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| item.get("text").and_then(Value::as_str))
        .flat_map(|t| {
            t.lines()
                .map(|l| Line::raw(text::escape(l, Context::Preview).into_owned()))
                .collect::<Vec<_>>()
        })
        .collect()
}
