//! What the tab's JSON Schemas said, as the detail shows it: under an
//! invalid event's Content, each place it breaks its schema; in Checks,
//! the connection's counts by rule. The values come from the server and
//! the schema file: escaped like any other such text.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use super::insight::prose;
use super::text::{self, Context};
use crate::insight::contract::Violation;
use crate::state::contract::Contract;

/// Below an invalid event's Content: a heading, then pointer, rule,
/// expected and actual of each violation.
pub fn violations(list: &[Violation], theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let n = list.len();
    let mut lines = vec![
        Line::default(),
        Line::styled(
            format!(
                "✗ breaks its schema ({n} {})",
                if n == 1 { "error" } else { "errors" }
            ),
            theme.error,
        ),
    ];
    for v in list {
        let pointer = if v.pointer.is_empty() {
            "(the whole value)".to_owned()
        } else {
            text::escape(&v.pointer, Context::Preview).into_owned()
        };
        lines.push(Line::from(vec![
            Span::raw("  "),
            Span::styled(pointer, theme.title),
            Span::raw("  "),
            Span::styled(
                text::escape(&v.rule, Context::Preview).into_owned(),
                theme.error,
            ),
        ]));
        let expected = text::escape(&v.expected, Context::Preview);
        lines.extend(prose(
            "    expected  ",
            theme.dim,
            &expected,
            Style::default(),
            width,
        ));
        let actual = text::escape(&v.actual, Context::Preview);
        lines.extend(prose(
            "    actual    ",
            theme.dim,
            &actual,
            Style::default(),
            width,
        ));
    }
    text::wrap(lines, width)
}

/// The top of the Checks view when the tab has schemas: how many of this
/// connection's events broke them, by rule, and the first that did.
pub fn checks(contract: &Contract, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let Some(schemas) = contract.schemas() else {
        return Vec::new();
    };
    let files = text::escape(&schemas.describe(), Context::Preview).into_owned();
    let (style, verdict) = match (contract.checked, contract.failed) {
        (0, _) => (theme.dim, "no event checked yet".to_owned()),
        (checked, 0) => (theme.ok, format!("all {checked} events meet it")),
        (checked, failed) => (
            theme.error,
            format!("{failed} of {checked} events break it (✗ in the list; errors under Content)"),
        ),
    };
    let mut lines = prose("Schema  ", theme.title, &files, theme.dim, width);
    lines.extend(prose("        ", theme.dim, &verdict, style, width));
    for (rule, n) in contract.by_rule() {
        let rule = text::escape(rule, Context::Preview);
        lines.push(Line::from(vec![
            Span::raw("        "),
            Span::styled(format!("{rule:<20}"), theme.error),
            Span::raw(format!(" {n}")),
        ]));
    }
    if let Some((seq, v)) = &contract.first {
        let at = if v.pointer.is_empty() {
            "/"
        } else {
            &v.pointer
        };
        let first = format!("first: event {seq}, {at}: {}", v.rule);
        lines.extend(prose(
            "        ",
            theme.dim,
            &text::escape(&first, Context::Preview),
            theme.dim,
            width,
        ));
    }
    lines.push(Line::default());
    text::wrap(lines, width)
}
