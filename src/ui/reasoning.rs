//! The Answer view's reasoning block: a reasoning model's thinking, dimmed
//! above the answer, or folded to one line (`z`). Its text is the
//! server's: escaped line by line before it is drawn.

use ratatui::text::Line;

use super::Theme;
use super::insight::prose;
use super::text::{self, Context};
use crate::insight::llm::Transcript;
use crate::state::ReasoningView;

/// At most this much of the reasoning is drawn, its end (the part still
/// streaming): the block is rebuilt each frame, the answer's text is cached.
const SHOWN_BYTES: usize = 64 * 1024;
/// What each line of the reasoning starts with: a bar that sets it apart.
const BAR: &str = "│ ";

/// The reasoning block, or nothing when the model sent none.
pub fn block(
    t: &Transcript,
    view: ReasoningView,
    theme: &Theme,
    width: usize,
) -> Vec<Line<'static>> {
    if !t.has_reasoning() {
        return Vec::new();
    }
    let reasoning = t.reasoning();
    let chars = reasoning.chars().count();
    let mut about = format!("reasoning: {}", crate::text::plural(chars as u64, "char"));
    if t.redacted_reasoning() > 0 {
        about.push_str(&format!(
            ", {} (encrypted, not shown)",
            crate::text::plural(t.redacted_reasoning(), "redacted block")
        ));
    }
    let mut lines = Vec::new();
    if view == ReasoningView::Folded {
        about.insert_str(0, "▸ ");
        about.push_str(" · z shows it");
        lines.push(Line::styled(about, theme.dim));
        return lines;
    }
    about.insert_str(0, "▾ ");
    if !reasoning.is_empty() {
        about.push_str(" · z folds it");
    }
    lines.push(Line::styled(about, theme.dim));
    let start = crate::text::floor_boundary(reasoning, reasoning.len().saturating_sub(SHOWN_BYTES));
    if start > 0 {
        lines.push(Line::styled(
            format!("{BAR}… the first {} KiB not shown", start / 1024),
            theme.dim,
        ));
    }
    for line in reasoning[start..].split('\n') {
        let line = text::escape(line.trim_end_matches('\r'), Context::Content);
        lines.extend(prose(BAR, theme.dim, &line, theme.dim, width));
    }
    if t.reasoning_truncated() {
        lines.push(Line::styled(
            format!(
                "{BAR}… cut at {} MiB",
                crate::insight::llm::MAX_TEXT_BYTES >> 20
            ),
            theme.dim,
        ));
    }
    lines
}
