//! Fenced code, coloured by its language tag.

use ratatui::style::Style;
use ratatui::text::Line;
use syntect::easy::HighlightLines;

use super::inline::escaped;
use crate::ui::Theme;
use crate::ui::highlight::{syntaxes, syntect_theme, terminal_style};

/// Code blocks are coloured up to this many bytes each; the rest is plain,
/// as in the Content view (syntect does about 2 MB/s).
const MAX_CODE_BYTES: usize = 32 * 1024;

/// A fenced block's lines, coloured by syntect when the language is known and
/// the theme has colours; escaped either way.
pub(super) fn code_lines(code: &[String], lang: &str, theme: &Theme) -> Vec<Line<'static>> {
    let plain = |line: &str| Line::from(escaped(line, Style::new(), theme));
    let syntax = (!lang.is_empty() && theme.color)
        .then(|| syntaxes().find_syntax_by_token(lang))
        .flatten();
    let (Some(syntax), Some(syntect_theme)) = (syntax, syntect_theme(theme.variant)) else {
        return code.iter().map(|l| plain(l)).collect();
    };
    let default_fg = syntect_theme.settings.foreground;
    let mut highlighter = HighlightLines::new(syntax, syntect_theme);
    let mut budget = MAX_CODE_BYTES;
    let mut buffer = String::new();
    let mut lines = Vec::with_capacity(code.len());
    for line in code {
        if line.len() >= budget {
            budget = 0;
            lines.push(plain(line));
            continue;
        }
        buffer.clear();
        buffer.push_str(line);
        buffer.push('\n');
        match highlighter.highlight_line(&buffer, syntaxes()) {
            Ok(regions) => {
                budget -= buffer.len();
                let mut spans = Vec::new();
                for (style, piece) in regions {
                    let piece = piece.strip_suffix('\n').unwrap_or(piece);
                    if !piece.is_empty() {
                        spans.extend(escaped(
                            piece,
                            terminal_style(style, default_fg, theme.depth),
                            theme,
                        ));
                    }
                }
                lines.push(Line::from(spans));
            }
            Err(_) => {
                budget = 0;
                lines.push(plain(line));
            }
        }
    }
    lines
}
