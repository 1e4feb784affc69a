//! An MCP tab's Checks view: what this connection found about ids and
//! streams as it went, then the server probed with `check --mcp`'s rules
//! (`K`), each finding with its level, the revisions it applies to, why it
//! matters and how to fix it.

use ratatui::style::Style;
use ratatui::text::Line;

use super::insight::prose;
use super::text::{self, Context};
use super::theme::Theme;
use crate::check::core::mcp::{Level, Outcome};
use crate::state::mcp::{McpTab, Probe};

pub fn checks(mcp: &McpTab, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled("This connection", theme.title)];
    if mcp.findings.is_empty() {
        lines.push(Line::styled(
            "no problems with ids or streams so far",
            theme.ok,
        ));
        lines.push(Line::styled(
            "watched: ids reused, responses to no request, requests with no response, events replayed twice, streams that failed",
            theme.dim,
        ));
    }
    for finding in &mcp.findings {
        let (label, style) = if finding.is_error() {
            ("error   ", theme.error)
        } else {
            ("warning ", theme.warn)
        };
        let said = finding.to_string();
        let title = text::escape(&said, Context::Preview);
        lines.extend(prose(
            label,
            style,
            &format!("{title} [{}]", finding.id()),
            theme.title,
            width,
        ));
        lines.extend(prose(
            "  why   ",
            theme.dim,
            finding.why(),
            Style::default(),
            width,
        ));
        lines.extend(prose(
            "  fix   ",
            theme.dim,
            finding.fix(),
            Style::default(),
            width,
        ));
    }
    lines.push(Line::default());
    lines.push(Line::styled("The server, probed (K)", theme.title));
    match &mcp.probe {
        Probe::NotRun => lines.extend(prose(
            "",
            theme.dim,
            "K probes the server with the rules of ssetui check --mcp, on a connection of its own: a GET, requests without and with a wrong session id, a foreign Origin, a wrong protocol version, then DELETE of that session.",
            theme.dim,
            width,
        )),
        Probe::Running => lines.push(Line::styled("probing…", theme.accent)),
        Probe::Failed(why) => lines.extend(prose(
            "failed  ",
            theme.error,
            &text::escape(why, Context::Preview),
            Style::default(),
            width,
        )),
        Probe::Done { target, findings } => {
            lines.push(Line::styled(
                text::escape(target, Context::Preview).into_owned(),
                theme.dim,
            ));
            for finding in findings {
                lines.extend(rule_lines(finding, theme, width));
            }
        }
    }
    text::wrap(lines, width)
}

/// A probed rule: its mark, level, id and what was seen; why and how to
/// fix it when it was broken.
fn rule_lines(
    finding: &crate::check::core::mcp::Finding,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let rule = finding.rule;
    let (mark, style, seen) = match &finding.outcome {
        Outcome::Passed(seen) => ("✓ ", theme.ok, seen),
        Outcome::Failed(seen) if rule.level == Level::Must => ("✗ ", theme.error, seen),
        Outcome::Failed(seen) => ("! ", theme.warn, seen),
        Outcome::NotApplicable(why) => ("- ", theme.dim, why),
    };
    let head = format!(
        "{} {} ({}): {}",
        rule.level.as_str(),
        rule.id,
        rule.revisions,
        text::escape(seen, Context::Preview)
    );
    let mut lines = prose(mark, style, &head, Style::default(), width);
    if matches!(finding.outcome, Outcome::Failed(_)) {
        lines.extend(prose(
            "  why   ",
            theme.dim,
            rule.why,
            Style::default(),
            width,
        ));
        lines.extend(prose(
            "  fix   ",
            theme.dim,
            rule.fix,
            Style::default(),
            width,
        ));
    }
    lines
}
