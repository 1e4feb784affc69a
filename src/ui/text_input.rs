//! Drawing one [`TextInput`]: the window of its text that fits, control
//! characters made visible, secrets masked, and where the cursor goes. While
//! editing, the window follows the cursor from the input's last [`Scroll`]
//! (moving as little as possible) and says where it went, for the state.

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{self, Context};
use crate::state::text_input::{Scroll, TextInput};

/// The character shown for each character of a masked secret.
pub const MASK_CHAR: &str = "•";

/// How an input is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    pub style: Style,
    /// Patched onto `style` for a replaced control character.
    pub escape: Style,
    /// Show every character as `•`.
    pub masked: bool,
}

/// What [`view`] produced: the rows, the cursor's (column, row) inside them
/// when editing, and where the text was shown from (the input's next scroll).
#[derive(Debug)]
pub struct View {
    pub lines: Vec<Line<'static>>,
    pub cursor: Option<(u16, u16)>,
    pub scroll: Scroll,
}

/// The part of `input` that fits `width` x `height`. With `editing` the view
/// scrolls to keep the cursor visible and reports it; otherwise a single line
/// shows from its start, cut with `…`.
pub fn view(input: &TextInput, width: usize, height: usize, look: Look, editing: bool) -> View {
    let all: Vec<&str> = input.text().split('\n').collect();
    let height = height.max(1);
    let (line, col) = input.cursor_line_col();
    let mut scroll = input.scroll();
    let cursor_x = all.get(line).map_or(0, |l| {
        l.chars()
            .take(col)
            .map(|c| glyph_width(c, look.masked))
            .sum()
    });
    if editing {
        scroll = follow(
            scroll,
            all.len(),
            height,
            width,
            line,
            cursor_x,
            all.get(line),
            look.masked,
        );
    } else {
        scroll.left = 0;
        scroll.top = scroll.top.min(all.len().saturating_sub(height));
    }
    let lines = all
        .iter()
        .skip(scroll.top)
        .take(height)
        .map(|l| window(l, scroll.left, width, look, !editing))
        .collect();
    let cursor = editing.then(|| {
        let x = cursor_x.saturating_sub(scroll.left).min(u16::MAX as usize) as u16;
        let y = line.saturating_sub(scroll.top).min(u16::MAX as usize) as u16;
        (x, y)
    });
    View {
        lines,
        cursor,
        scroll,
    }
}

/// The scroll that shows the cursor at (`cursor_x`, `line`), moved as little as possible.
#[allow(clippy::too_many_arguments)]
fn follow(
    mut scroll: Scroll,
    total_lines: usize,
    height: usize,
    width: usize,
    line: usize,
    cursor_x: usize,
    cursor_line: Option<&&str>,
    masked: bool,
) -> Scroll {
    if line < scroll.top {
        scroll.top = line;
    } else if line >= scroll.top + height {
        scroll.top = line + 1 - height;
    }
    scroll.top = scroll.top.min(total_lines.saturating_sub(height));
    let width = width.max(1);
    if cursor_x < scroll.left {
        scroll.left = cursor_x;
    } else if cursor_x >= scroll.left + width {
        scroll.left = cursor_x + 1 - width;
    }
    // Text deleted at the end pulls the view back, so no room is wasted.
    let line_width: usize =
        cursor_line.map_or(0, |l| l.chars().map(|c| glyph_width(c, masked)).sum());
    if line_width + 1 < scroll.left + width {
        scroll.left = (line_width + 1).saturating_sub(width).min(cursor_x);
    }
    scroll
}

/// Columns `left..left + width` of one line, as spans.
fn window(line: &str, left: usize, width: usize, look: Look, ellipsis: bool) -> Line<'static> {
    let escaped = look.style.patch(look.escape);
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut x = 0;
    let mut used = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let (shown, is_escape) = glyph(c, look.masked);
        let w = text::str_width(&shown);
        let start = x;
        x += w;
        if x <= left {
            continue;
        }
        if start < left {
            // A wide character cut by the left edge: its visible half as blanks.
            push(&mut spans, &" ".repeat(x - left), look.style);
            used += x - left;
            continue;
        }
        if used + w > width || (ellipsis && used + w == width && chars.peek().is_some()) {
            if ellipsis && width > 0 {
                let room = width.saturating_sub(used);
                if room > 0 {
                    push(&mut spans, "…", look.style);
                }
            }
            break;
        }
        push(
            &mut spans,
            &shown,
            if is_escape { escaped } else { look.style },
        );
        used += w;
    }
    Line::from(spans)
}

/// Appends to the last span when the style is the same, so a line is a few spans.
fn push(spans: &mut Vec<Span<'static>>, s: &str, style: Style) {
    match spans.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(s),
        _ => spans.push(Span::styled(s.to_owned(), style)),
    }
}

/// What `c` is drawn as, and whether that is a replacement for a control character.
fn glyph(c: char, masked: bool) -> (Cow<'static, str>, bool) {
    if masked {
        return (Cow::Borrowed(MASK_CHAR), false);
    }
    match text::replacement(c, Context::Raw) {
        Some(r) => (r, true),
        None => (Cow::Owned(c.to_string()), false),
    }
}

fn glyph_width(c: char, masked: bool) -> usize {
    if masked {
        return 1;
    }
    match text::replacement(c, Context::Raw) {
        Some(r) => text::str_width(&r),
        None => text::char_width(c),
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    fn look(masked: bool) -> Look {
        Look {
            style: Style::new(),
            escape: Style::new(),
            masked,
        }
    }

    fn texts(v: &View) -> Vec<String> {
        v.lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn a_long_line_is_cut_with_an_ellipsis_when_not_editing() {
        let input = TextInput::single_line("https://example.com/a/long/path");
        let v = view(&input, 12, 1, look(false), false);
        assert_eq!(texts(&v), ["https://exa…"]);
        assert_eq!(v.cursor, None);
    }

    #[test]
    fn while_editing_the_view_follows_the_cursor_with_little_movement() {
        let mut input = TextInput::single_line("abcdefghijklmnop");
        let v = view(&input, 6, 1, look(false), true);
        input.set_scroll(v.scroll);
        // The cursor at the end, after "lmnop".
        assert_eq!(texts(&v), ["lmnop"]);
        assert_eq!(v.cursor, Some((5, 0)));
        for _ in 0..6 {
            input.handle_key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
        }
        let v = view(&input, 6, 1, look(false), true);
        assert_eq!(
            texts(&v),
            ["klmnop"],
            "scrolled only as far as the cursor needs"
        );
        assert_eq!(v.cursor, Some((0, 0)));
    }

    #[test]
    fn masked_text_shows_one_dot_per_character() {
        let input = TextInput::single_line("s3cr3t");
        let v = view(&input, 20, 1, look(true), true);
        assert_eq!(texts(&v), ["••••••"]);
        assert_eq!(v.cursor, Some((6, 0)));
    }

    #[test]
    fn control_characters_are_visible_and_wide_ones_count_two_columns() {
        let input = TextInput::single_line("a\u{1b}世");
        let v = view(&input, 10, 1, look(false), true);
        assert_eq!(texts(&v), ["a␛世"]);
        assert_eq!(v.cursor, Some((4, 0)));
    }

    #[test]
    fn multi_line_shows_the_window_around_the_cursor_line() {
        let mut input = TextInput::multi_line("1\n2\n3\n4\n5");
        input.set_cursor_line_col(4, 1);
        let v = view(&input, 5, 2, look(false), true);
        input.set_scroll(v.scroll);
        assert_eq!(texts(&v), ["4", "5"]);
        assert_eq!(v.cursor, Some((1, 1)));
        input.set_cursor_line_col(3, 0);
        let v = view(&input, 5, 2, look(false), true);
        assert_eq!(
            texts(&v),
            ["4", "5"],
            "the cursor is still in view: no scroll"
        );
    }

    #[test]
    fn zero_sizes_do_not_panic() {
        let input = TextInput::multi_line("abc\n世界");
        for (w, h) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            for editing in [false, true] {
                let _ = view(&input, w, h, look(false), editing);
            }
        }
    }
}
