//! The detail pane's connection-wide views: Answer (the LLM transcript,
//! Markdown rendered), Checks (what is wrong with the stream and how to fix
//! it) and Stats (timing, a sparkline of events per second, a histogram of
//! the gaps between events). Lines out, wrapped to the pane; the pane
//! scrolls them like any other view.

use std::rc::Rc;
use std::time::{Duration, Instant};

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Theme;
use super::markdown::MarkdownCache;
use super::text::{self, Context};
use crate::insight::diagnose::Severity;
use crate::state::ReasoningView;
use crate::state::insight::Insight;

/// Sparkline bars, lowest to highest.
const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The Answer view: a summary line, errors and tool calls, the reasoning
/// (dimmed, or folded to a line), then the text (the markdown cache's
/// lines, shared, not copied: an answer of megabytes costs a frame only the
/// lines on screen).
pub fn answer(
    insight: &Insight,
    reasoning: ReasoningView,
    theme: &Theme,
    width: usize,
    markdown: &mut MarkdownCache,
    now: Instant,
    live: bool,
) -> (Vec<Line<'static>>, Option<Rc<Vec<Line<'static>>>>) {
    let t = &insight.transcript;
    let mut lines = Vec::new();
    let Some(shape) = t.shape() else {
        // Every event of the attempt, as the list and the status bar count
        // them (the answer stops reading a stream it does not recognise).
        let events = insight.attempt_events;
        let why = match t.path() {
            Some(path) => format!(
                "nothing found at {} in {events} events yet",
                text::escape(&path.to_string(), Context::Preview),
            ),
            None if events > 0 => format!(
                "no LLM stream recognised in {events} events (OpenAI chat and Responses, Anthropic, Gemini and Ollama are)"
            ),
            None => "no LLM answer yet: it is assembled here as the chunks arrive".to_owned(),
        };
        lines.push(Line::styled(why, theme.dim));
        lines.extend(errors(insight, theme));
        return (text::wrap(lines, width), None);
    };
    let mut facts = vec![shape.label().to_owned()];
    // Side by side: a reasoning model thinks for a while before it answers.
    if let Some(ttfr) = t.time_to_first_reasoning_token() {
        facts.push(format!(
            "first reasoning token {}",
            crate::text::duration(ttfr)
        ));
    }
    let first = if t.has_reasoning() {
        "first answer token"
    } else {
        "first token"
    };
    match t.time_to_first_token() {
        Some(ttft) => facts.push(format!("{first} {}", crate::text::duration(ttft))),
        None if t.has_reasoning() => facts.push("no answer yet".to_owned()),
        None => {}
    }
    match t.chunks_per_second() {
        Some(rate) => facts.push(format!("{} chunks, {rate:.1}/s", t.content_chunks())),
        None => facts.push(format!("{} chunks", t.content_chunks())),
    }
    if let Some(duration) = t.duration() {
        facts.push(crate::text::duration(duration));
    }
    if let Some(usage) = t.usage() {
        let part = |label: &str, n: Option<u64>| n.map(|n| format!("{label} {n}"));
        let usage: Vec<String> = [
            part("in", usage.input),
            part("out", usage.output),
            part("total", usage.total()),
            part("reasoning", usage.reasoning),
        ]
        .into_iter()
        .flatten()
        .collect();
        facts.push(format!("tokens {}", usage.join(" ")));
    }
    lines.extend(prose("", theme.dim, &facts.join(" · "), theme.dim, width));
    let end = match t.end_marker() {
        // A finish reason is the server's text.
        Some(marker) => Line::styled(
            format!(
                "ended by {}",
                text::escape(&marker.to_string(), Context::Preview)
            ),
            theme.ok,
        ),
        None => Line::styled("no end marker (yet)", theme.warn),
    };
    lines.push(end);
    lines.extend(errors(insight, theme));
    for call in t.tool_calls() {
        let name = text::escape(&call.name, Context::Preview).into_owned();
        let args = text::escape(&call.arguments, Context::Preview).into_owned();
        lines.push(Line::from(vec![
            Span::styled(format!("tool {name}"), theme.accent),
            Span::raw(format!(" {args}")),
        ]));
    }
    let reasoning = super::reasoning::block(t, reasoning, theme, width);
    if !reasoning.is_empty() {
        lines.push(Line::default());
        lines.extend(reasoning);
    }
    lines.push(Line::default());
    (
        text::wrap(lines, width),
        Some(markdown.lines(t.text(), width, theme, now, live)),
    )
}

/// Mid-stream errors and rate limits, prominent.
fn errors(insight: &Insight, theme: &Theme) -> Vec<Line<'static>> {
    let t = &insight.transcript;
    let mut lines: Vec<Line<'static>> = t
        .errors()
        .iter()
        .map(|e| {
            let what = if e.is_rate_limit() {
                "rate limited"
            } else {
                "error"
            };
            let message = text::escape(&e.text, Context::Preview).into_owned();
            Line::styled(format!("{what}: {message}"), theme.error)
        })
        .collect();
    if t.errors_dropped() > 0 {
        lines.push(Line::styled(
            format!("… and {} more errors", t.errors_dropped()),
            theme.error,
        ));
    }
    lines
}

/// The Checks view: each finding with why it matters and how to fix it.
pub fn checks(insight: &Insight, theme: &Theme, width: usize, now: Instant) -> Vec<Line<'static>> {
    let findings = insight.diagnostics.findings_at(now);
    let mut lines = Vec::new();
    if findings.is_empty() {
        lines.push(Line::styled("no problems found so far", theme.ok));
        lines.push(Line::styled(
            "checked: the response head (type, charset, caching, compression, HTTP version), bursts, keep-alives, ids, line endings, BOM, UTF-8, event sizes, JSON, retry",
            theme.dim,
        ));
    }
    for f in &findings {
        let style = match f.severity {
            Severity::Error => theme.error,
            Severity::Warning => theme.warn,
            Severity::Info => theme.accent,
        };
        let title = text::escape(&f.title, Context::Preview);
        let label = format!("{:<8}", f.severity.label());
        lines.extend(prose(
            &label,
            style,
            &format!("{title} [{}]", f.id),
            theme.title,
            width,
        ));
        lines.extend(prose("  why   ", theme.dim, f.why, Style::default(), width));
        lines.extend(prose("  fix   ", theme.dim, f.fix, Style::default(), width));
        lines.push(Line::default());
    }
    text::wrap(lines, width)
}

/// Below a failure's marker: the errors the Checks view would show, each
/// with why and how to fix it.
pub fn diagnosis(insight: &Insight, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let findings: Vec<_> = insight
        .diagnostics
        .findings()
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if findings.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::default(), Line::styled("Diagnosis", theme.accent)];
    for f in &findings {
        let title = text::escape(&f.title, Context::Preview);
        lines.extend(prose("", theme.error, &title, theme.error, width));
        lines.extend(prose("  why   ", theme.dim, f.why, Style::default(), width));
        lines.extend(prose("  fix   ", theme.dim, f.fix, Style::default(), width));
    }
    text::wrap(lines, width)
}

/// The Stats view: timing figures, events per second, gaps.
pub fn stats(
    insight: &Insight,
    theme: &Theme,
    width: usize,
    now: Instant,
    stall_after: Option<Duration>,
) -> Vec<Line<'static>> {
    let s = &insight.stats;
    let ms = |d: Option<Duration>| d.map_or_else(|| "–".to_owned(), crate::text::duration);
    let mut lines = Vec::new();
    if let Some(stalled) = stall_after.and_then(|after| s.stalled(now, after)) {
        lines.push(Line::styled(
            format!("stalled: nothing for {}", crate::text::duration(stalled)),
            theme.warn,
        ));
    }
    let figure = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<22}"), theme.dim),
            Span::raw(value),
        ])
    };
    lines.push(figure("events", s.events().to_string()));
    lines.push(figure("time to first byte", ms(s.time_to_first_byte())));
    lines.push(figure("time to first event", ms(s.time_to_first_event())));
    lines.push(figure("gap before the last", ms(s.last_gap())));
    lines.push(figure("since the last event", ms(s.since_last_event(now))));
    lines.push(Line::default());
    let seconds = width.saturating_sub(2).clamp(1, 120);
    let per_second = s.per_second(now, seconds);
    let peak = per_second.iter().copied().max().unwrap_or(0);
    lines.push(Line::styled(
        format!("events per second, last {seconds} s (peak {peak}/s)"),
        theme.dim,
    ));
    lines.push(Line::styled(sparkline(&per_second), theme.accent));
    lines.push(Line::default());
    lines.push(Line::styled("gaps between events", theme.dim));
    let histogram = s.gap_histogram();
    let most = histogram.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let room = width.saturating_sub(20).max(1);
    for (label, count) in histogram {
        let bar = count
            .saturating_mul(room as u64)
            .checked_div(most)
            .map_or(0, |n| usize::try_from(n).unwrap_or(room));
        lines.push(Line::from(vec![
            Span::styled(format!("{label:>7} "), theme.dim),
            Span::styled("█".repeat(bar), theme.accent),
            Span::styled(format!(" {count}"), Style::default()),
        ]));
    }
    text::wrap(lines, width)
}

/// `text` word-wrapped to `width` after `label`, later lines indented as
/// far as the label reaches: prose reads badly broken inside words.
pub(super) fn prose(
    label: &str,
    label_style: Style,
    text: &str,
    style: Style,
    width: usize,
) -> Vec<Line<'static>> {
    let indent = text::str_width(label);
    let room = width.saturating_sub(indent).max(8);
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split(' ') {
        let needed = text::str_width(&row) + usize::from(!row.is_empty()) + text::str_width(word);
        if !row.is_empty() && needed > room {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(word);
    }
    rows.push(row);
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let lead = if i == 0 {
                Span::styled(label.to_owned(), label_style)
            } else {
                Span::raw(" ".repeat(indent))
            };
            Line::from(vec![lead, Span::styled(row, style)])
        })
        .collect()
}

/// Counts as bars scaled to the largest.
fn sparkline(values: &[u64]) -> String {
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|&v| {
            if max == 0 || v == 0 {
                ' '
            } else {
                let level = (v.saturating_mul(7) / max) as usize;
                BARS[level.min(7)]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_between_words_under_its_label() {
        let lines = prose(
            "why ",
            Style::default(),
            "one two three four",
            Style::default(),
            14,
        );
        let text: Vec<String> = lines.iter().map(ToString::to_string).collect();
        assert_eq!(text, ["why one two", "    three four"]);
        // A word longer than the room is left whole (the pane wraps it).
        let long = prose(
            "",
            Style::default(),
            "abcdefghijklmnop x",
            Style::default(),
            10,
        );
        assert_eq!(long[0].to_string(), "abcdefghijklmnop");
    }

    #[test]
    fn the_sparkline_scales_to_its_peak() {
        assert_eq!(sparkline(&[0, 1, 7, 14]), " ▁▄█");
        assert_eq!(sparkline(&[]), "");
        assert_eq!(sparkline(&[0, 0]), "  ");
    }
}
