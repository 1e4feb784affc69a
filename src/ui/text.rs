//! Text made safe and measured for the terminal: control characters are never
//! written raw, and widths are display columns (CJK and emoji take two).

use std::borrow::Cow;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub use crate::text::{floor_boundary, head};

/// Where text is shown, which decides how tabs and newlines appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A one-line preview: a newline shows as `⏎`, a tab as `→`.
    Preview,
    /// The Content view: a tab becomes four spaces (the caller splits lines).
    Content,
    /// The Raw view and labels: a tab shows as `→`, a newline as `␊`.
    Raw,
}

/// What `c` must be shown as, or `None` when it can be shown as itself.
///
/// Tabs and newlines as the context wants them; everything else as
/// [`crate::text`] neutralises it for every sink (C0 controls as their
/// Control Pictures, DEL `␡`, C1, bidirectional and zero-width characters
/// as `\u{..}`). Ratatui drops zero-width characters, so they must be
/// replaced before they reach it.
pub fn replacement(c: char, ctx: Context) -> Option<Cow<'static, str>> {
    match c {
        '\t' if ctx == Context::Content => Some(Cow::Borrowed("    ")),
        '\t' => Some(Cow::Borrowed("→")),
        '\n' if ctx == Context::Preview => Some(Cow::Borrowed("⏎")),
        _ => crate::text::visible(c).map(|shown| Cow::Owned(shown.to_string())),
    }
}

/// Whether a replacement is just layout (Content's tab spaces), not worth dimming.
fn is_layout(c: char, ctx: Context) -> bool {
    c == '\t' && ctx == Context::Content
}

/// `s` with every control character replaced, as plain text.
pub fn escape(s: &str, ctx: Context) -> Cow<'_, str> {
    if !s.chars().any(|c| replacement(c, ctx).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match replacement(c, ctx) {
            Some(r) => out.push_str(&r),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` escaped into styled spans: text in `style`, replacements in
/// `style.patch(escape_style)`, at most `max_width` columns (`usize::MAX` for
/// all). Reads only as much of `s` as fits, so a huge string costs nothing.
/// Returns the spans, the columns used and whether `s` was cut.
pub fn spans(
    s: &str,
    ctx: Context,
    max_width: usize,
    style: Style,
    escape_style: Style,
) -> (Vec<Span<'static>>, usize, bool) {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut width = 0;
    let escaped = style.patch(escape_style);
    for c in s.chars() {
        match replacement(c, ctx) {
            Some(r) => {
                let w = str_width(&r);
                if width + w > max_width {
                    flush(&mut plain, style, &mut out);
                    return (out, width, true);
                }
                width += w;
                if is_layout(c, ctx) {
                    plain.push_str(&r);
                } else {
                    flush(&mut plain, style, &mut out);
                    out.push(Span::styled(r.into_owned(), escaped));
                }
            }
            None => {
                let w = char_width(c);
                if width + w > max_width {
                    flush(&mut plain, style, &mut out);
                    return (out, width, true);
                }
                width += w;
                plain.push(c);
            }
        }
    }
    flush(&mut plain, style, &mut out);
    (out, width, false)
}

fn flush(plain: &mut String, style: Style, out: &mut Vec<Span<'static>>) {
    if !plain.is_empty() {
        out.push(Span::styled(std::mem::take(plain), style));
    }
}

/// Display columns of `s` (no control characters expected).
pub fn str_width(s: &str) -> usize {
    Span::raw(s).width()
}

/// Display columns of `c`: 0 for combining marks, 2 for wide characters.
pub fn char_width(c: char) -> usize {
    let mut buf = [0; 4];
    str_width(c.encode_utf8(&mut buf))
}

/// The longest prefix of `s` that fits in `max` columns, and its width.
pub fn truncate(s: &str, max: usize) -> (&str, usize) {
    let mut width = 0;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if width + w > max {
            return (&s[..i], width);
        }
        width += w;
    }
    (s, width)
}

/// The longest suffix of `s` that fits in `max` columns, and its width.
pub fn truncate_end(s: &str, max: usize) -> (&str, usize) {
    let mut width = 0;
    for (i, c) in s.char_indices().rev() {
        let w = char_width(c);
        if width + w > max {
            return (&s[i + c.len_utf8()..], width);
        }
        width += w;
    }
    (s, width)
}

/// How [`fit`] aligns text shorter than the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// `s` (already escaped) padded or cut to exactly `width` columns; a cut ends in `…`.
pub fn fit(s: &str, width: usize, align: Align) -> String {
    let full = str_width(s);
    let (shown, used) = if full > width {
        if width == 0 {
            return String::new();
        }
        let (prefix, used) = truncate(s, width - 1);
        (format!("{prefix}…"), used + 1)
    } else {
        (s.to_owned(), full)
    };
    let pad = " ".repeat(width.saturating_sub(used));
    match align {
        Align::Left => shown + &pad,
        Align::Right => pad + &shown,
    }
}

/// `s` cut to `width` columns with a trailing `…` when it does not fit (no padding).
pub fn ellipsize(s: &str, width: usize) -> Cow<'_, str> {
    if str_width(s) <= width {
        Cow::Borrowed(s)
    } else if width == 0 {
        Cow::Borrowed("")
    } else {
        Cow::Owned(format!("{}…", truncate(s, width - 1).0))
    }
}

/// `s` cut to `width` columns by an ellipsis in the middle, for a message
/// whose end (where and why) matters as much as its start: two fifths of
/// the room keep the start, the rest the end.
pub fn ellipsize_middle(s: &str, width: usize) -> Cow<'_, str> {
    if str_width(s) <= width {
        return Cow::Borrowed(s);
    }
    if width == 0 {
        return Cow::Borrowed("");
    }
    let (head, used) = truncate(s, (width - 1) * 2 / 5);
    let (tail, _) = truncate_end(s, width - 1 - used);
    Cow::Owned(format!("{head}…{tail}"))
}

/// Wraps lines (already escaped) at `width` columns, character by character,
/// never splitting a wide character. An empty line stays one empty row.
pub fn wrap(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let width = width.max(2);
    let mut rows = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            rows.push(line);
            continue;
        }
        let mut row: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for span in line.spans {
            let style = span.style;
            let mut part = String::new();
            for c in span.content.chars() {
                let w = char_width(c);
                if used + w > width {
                    if !part.is_empty() {
                        row.push(Span::styled(std::mem::take(&mut part), style));
                    }
                    rows.push(Line::from(std::mem::take(&mut row)));
                    used = 0;
                }
                used += w;
                part.push(c);
            }
            if !part.is_empty() {
                row.push(Span::styled(part, style));
            }
        }
        if !row.is_empty() {
            rows.push(Line::from(row));
        }
    }
    rows
}

/// `line` with the byte ranges `hits` of its text (as `Line::to_string`
/// gives it; sorted, not overlapping) patched with `hit`: how a search match
/// is marked inside already styled text.
pub fn mark(line: &Line<'static>, hits: &[std::ops::Range<usize>], hit: Style) -> Line<'static> {
    if hits.is_empty() {
        return line.clone();
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for span in &line.spans {
        let text = span.content.as_ref();
        let end = start + text.len();
        let mut at = start;
        for r in hits.iter().filter(|r| r.start < end && r.end > start) {
            let (from, to) = (r.start.max(start), r.end.min(end));
            if from > at {
                spans.push(Span::styled(
                    text[at - start..from - start].to_owned(),
                    span.style,
                ));
            }
            spans.push(Span::styled(
                text[from - start..to - start].to_owned(),
                span.style.patch(hit),
            ));
            at = to;
        }
        if at < end {
            spans.push(Span::styled(text[at - start..].to_owned(), span.style));
        }
        start = end;
    }
    Line::from(spans).style(line.style)
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier};

    use super::*;

    fn has_raw_control(s: &str) -> bool {
        s.chars()
            .any(|c| c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c))
    }

    #[test]
    fn ellipsize_middle_keeps_both_ends_within_the_width() {
        let message = "config not used: /a/long/directory/config.toml:1:10: unclosed table";
        assert_eq!(ellipsize_middle(message, 80), message);
        let cut = ellipsize_middle(message, 40);
        assert_eq!(str_width(&cut), 40);
        assert_eq!(cut, "config not used…oml:1:10: unclosed table");
        // Wide characters are never split, whichever end they are at.
        let wide = "日本語のテキスト日本語のテキスト";
        for width in 0..=str_width(wide) {
            assert!(
                str_width(&ellipsize_middle(wide, width)) <= width,
                "{width}"
            );
        }
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(escape("a\u{1b}[31mb", Context::Raw), "a␛[31mb");
        assert_eq!(escape("nul\0", Context::Raw), "nul␀");
        assert_eq!(escape("cr\rlf\n", Context::Raw), "cr␍lf␊");
        assert_eq!(escape("bell\u{7}", Context::Raw), "bell␇");
        assert_eq!(escape("del\u{7f}", Context::Raw), "del␡");
        assert_eq!(escape("c1\u{85}\u{9b}", Context::Raw), "c1\\u{85}\\u{9b}");
        assert_eq!(escape("rtl\u{202e}", Context::Raw), "rtl\\u{202e}");
    }

    #[test]
    fn zero_width_and_bidi_characters_are_shown_not_dropped() {
        assert_eq!(
            escape("zw[\u{200b}\u{200d}\u{feff}]", Context::Raw),
            "zw[\\u{200b}\\u{200d}\\u{feff}]"
        );
        assert_eq!(
            escape("\u{61c}\u{2060}\u{2069}\u{202a}", Context::Preview),
            "\\u{61c}\\u{2060}\\u{2069}\\u{202a}"
        );
        let (spans, width, _) = spans("a\u{200b}b", Context::Raw, 80, Style::new(), Style::new());
        let shown: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!((shown.as_str(), width), ("a\\u{200b}b", 10));
    }

    #[test]
    fn tabs_and_newlines_depend_on_the_context() {
        assert_eq!(escape("a\tb", Context::Raw), "a→b");
        assert_eq!(escape("a\tb", Context::Preview), "a→b");
        assert_eq!(escape("a\tb", Context::Content), "a    b");
        assert_eq!(escape("a\nb", Context::Preview), "a⏎b");
        assert_eq!(escape("a\nb", Context::Raw), "a␊b");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            escape("héllo 世界 🎉", Context::Raw),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn every_c0_c1_and_del_is_escaped() {
        for code in (0u32..0x20).chain(0x7f..0xa0) {
            let c = char::from_u32(code).unwrap();
            for ctx in [Context::Raw, Context::Preview, Context::Content] {
                let shown = escape(&c.to_string(), ctx).into_owned();
                assert!(
                    !has_raw_control(&shown),
                    "{code:#x} in {ctx:?} gave {shown:?}"
                );
            }
        }
    }

    #[test]
    fn spans_stop_at_the_width_and_style_escapes() {
        let style = Style::new();
        let esc = Style::new().add_modifier(ratatui::style::Modifier::DIM);
        let (spans, width, cut) = spans("ab\u{1b}cd", Context::Raw, 4, style, esc);
        assert_eq!(width, 4);
        assert!(cut);
        let text: Vec<_> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, ["ab", "␛", "c"]);
        assert_eq!(spans[1].style, esc);
        // A wide character that would straddle the edge is left out.
        let (spans, width, cut) = spans_of("a世界", 4);
        assert_eq!((spans.as_str(), width, cut), ("a世", 3, true));
    }

    fn spans_of(s: &str, max: usize) -> (String, usize, bool) {
        let (spans, w, cut) = spans(s, Context::Raw, max, Style::new(), Style::new());
        (spans.iter().map(|s| s.content.as_ref()).collect(), w, cut)
    }

    #[test]
    fn fit_pads_and_cuts_by_display_width() {
        assert_eq!(fit("abc", 5, Align::Left), "abc  ");
        assert_eq!(fit("abc", 5, Align::Right), "  abc");
        assert_eq!(fit("abcdef", 4, Align::Left), "abc…");
        // 世界 is four columns: cut to three, "世…" is three, padded to four.
        assert_eq!(fit("世界x", 4, Align::Left), "世… ");
        assert_eq!(str_width(&fit("世界x", 4, Align::Left)), 4);
        assert_eq!(fit("abc", 0, Align::Left), "");
    }

    #[test]
    fn wrap_never_splits_a_wide_character() {
        let rows = wrap(vec![Line::from("ab世界cd")], 3);
        let text: Vec<String> = rows.iter().map(|l| l.to_string()).collect();
        assert_eq!(text, ["ab", "世", "界c", "d"]);
        assert_eq!(wrap(vec![Line::from("")], 10).len(), 1);
    }

    #[test]
    fn mark_patches_the_hits_across_spans_and_keeps_the_rest() {
        let line = Line::from(vec![
            Span::styled("\"price\"", Style::new().fg(Color::Red)),
            Span::raw(": 12"),
        ]);
        let hit = Style::new().add_modifier(Modifier::REVERSED);
        // "ice": inside the first span; "\": 1": across both.
        let marked = mark(&line, &[3..6, 6..10], hit);
        assert_eq!(marked.to_string(), line.to_string());
        let styled: Vec<(&str, bool)> = marked
            .spans
            .iter()
            .map(|s| {
                (
                    s.content.as_ref(),
                    s.style.add_modifier.contains(Modifier::REVERSED),
                )
            })
            .collect();
        assert_eq!(
            styled,
            [
                ("\"pr", false),
                ("ice", true),
                ("\"", true),
                (": 1", true),
                ("2", false)
            ]
        );
        assert_eq!(marked.spans[1].style.fg, Some(Color::Red), "colour kept");
        assert_eq!(mark(&line, &[], hit), line);
    }
}
