//! JSON for the Content view: validated with serde_json, then re-indented
//! from the original text (two spaces, like `serde_json::to_string_pretty`).
//! Working on the text instead of a `Value` keeps the keys in their order and
//! every number exactly as sent. The result is either plain text (for syntect,
//! see `highlight`) or lines styled by the theme (the `NO_COLOR` look, and the
//! fallback when syntect cannot be used).
//!
//! Both are bounded: JSON nested [`DEPTH_LIMIT`] levels or deeper is not
//! re-indented at all (a document of a hundred thousand nested levels would
//! make a line per level, each indented further), and re-indenting stops
//! after [`MAX_LINES`] lines or [`MAX_BYTES`] bytes, leaving the rest of the
//! source to be shown as received.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{self, Context};
use super::theme::Theme;
use crate::limits::json::{DEPTH_LIMIT, too_deep};

/// Re-indenting stops after this many lines...
pub const MAX_LINES: usize = 10_000;
/// ...or this many bytes of re-indented text, whichever comes first.
pub const MAX_BYTES: usize = 1024 * 1024;

/// Why a text is not re-indented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotPretty {
    /// Not a JSON object or array: shown as it came.
    NotJson,
    /// A JSON object or array nested [`DEPTH_LIMIT`] levels deep or more.
    TooDeep,
}

/// Re-indented JSON, and where in the source re-indenting stopped at the
/// caps (`None` when it got to the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pretty<T> {
    pub pretty: T,
    /// Byte offset in the source of the first token not re-indented: the
    /// source from there is shown as received.
    pub rest: Option<usize>,
}

/// `src` re-indented as plain text, lines joined with `\n`, when it is a JSON
/// object or array. Strings are copied as sent: they may hold raw DEL and C1
/// controls, which whoever draws the text must escape.
pub fn pretty_text(src: &str) -> Result<Pretty<String>, NotPretty> {
    check(src)?;
    let mut sink = TextSink {
        out: String::with_capacity((src.len() + src.len() / 2).min(MAX_BYTES)),
        lines: 1,
    };
    let rest = format(src, &mut sink);
    Ok(Pretty {
        pretty: sink.out,
        rest,
    })
}

/// The pretty lines of `src` when it is a JSON object or array, styled with
/// the theme's `json_*` styles, control characters escaped.
pub fn pretty(src: &str, theme: &Theme) -> Result<Pretty<Vec<Line<'static>>>, NotPretty> {
    check(src)?;
    let mut sink = LineSink {
        theme,
        lines: Vec::new(),
        line: Vec::new(),
        bytes: 0,
    };
    let rest = format(src, &mut sink);
    if !sink.line.is_empty() {
        sink.lines.push(Line::from(sink.line));
    }
    Ok(Pretty {
        pretty: sink.lines,
        rest,
    })
}

/// Only objects and arrays are re-indented (a bare `42` or `"x"` is shown as
/// it came), and only when they nest less than [`DEPTH_LIMIT`] deep. The
/// validation skips values without building them, so it has no depth limit
/// of its own: the depth is checked apart.
fn check(src: &str) -> Result<(), NotPretty> {
    let trimmed = src.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('['))
        || serde_json::from_str::<serde::de::IgnoredAny>(src).is_err()
    {
        return Err(NotPretty::NotJson);
    }
    if too_deep(src.as_bytes()) {
        return Err(NotPretty::TooDeep);
    }
    Ok(())
}

/// What a piece of pretty JSON is, for styling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Indent,
    Punct,
    Key,
    String,
    Number,
    Literal,
}

/// Where the formatter's pieces go.
trait Sink {
    fn piece(&mut self, token: Token, s: &str);
    fn newline(&mut self);
    /// Whether the caps are reached: no new line is started.
    fn full(&self) -> bool;
}

struct TextSink {
    out: String,
    lines: usize,
}

impl Sink for TextSink {
    fn piece(&mut self, _: Token, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.lines += 1;
    }

    fn full(&self) -> bool {
        self.lines >= MAX_LINES || self.out.len() >= MAX_BYTES
    }
}

struct LineSink<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    line: Vec<Span<'static>>,
    bytes: usize,
}

impl Sink for LineSink<'_> {
    /// Escaped: JSON strings may hold DEL and C1 controls raw.
    fn piece(&mut self, token: Token, s: &str) {
        let theme = self.theme;
        let style = match token {
            Token::Indent => Style::new(),
            Token::Punct => theme.json_punct,
            Token::Key => theme.json_key,
            Token::String => theme.json_string,
            Token::Number => theme.json_number,
            Token::Literal => theme.json_literal,
        };
        let (spans, _, _) = text::spans(s, Context::Raw, usize::MAX, style, theme.escape);
        self.line.extend(spans);
        self.bytes += s.len();
    }

    fn newline(&mut self) {
        self.lines.push(Line::from(std::mem::take(&mut self.line)));
        self.bytes += 1;
    }

    fn full(&self) -> bool {
        self.lines.len() + 1 >= MAX_LINES || self.bytes >= MAX_BYTES
    }
}

/// Two spaces per level; [`DEPTH_LIMIT`] keeps this enough.
const INDENT: &str = match std::str::from_utf8(&[b' '; 2 * DEPTH_LIMIT]) {
    Ok(s) => s,
    Err(_) => "",
};

/// Feeds the re-indented pieces of `src` (valid JSON) to `sink`, until the
/// sink is full; returns where in `src` it stopped then (always before a
/// token, so on a char boundary), or `None` when all of `src` went.
fn format(src: &str, sink: &mut impl Sink) -> Option<usize> {
    let b = src.as_bytes();
    let mut indent = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                let next = skip_ws(b, i + 1);
                if b.get(next) == Some(&close) {
                    let pair = if open == b'{' { "{}" } else { "[]" };
                    sink.piece(Token::Punct, pair);
                    i = next + 1;
                } else {
                    sink.piece(Token::Punct, if open == b'{' { "{" } else { "[" });
                    i += 1;
                    if sink.full() {
                        return Some(skip_ws(b, i));
                    }
                    indent += 1;
                    newline(sink, indent);
                }
            }
            close @ (b'}' | b']') => {
                if sink.full() {
                    return Some(i);
                }
                indent = indent.saturating_sub(1);
                newline(sink, indent);
                sink.piece(Token::Punct, if close == b'}' { "}" } else { "]" });
                i += 1;
            }
            b',' => {
                sink.piece(Token::Punct, ",");
                i += 1;
                if sink.full() {
                    return Some(skip_ws(b, i));
                }
                newline(sink, indent);
            }
            b':' => {
                sink.piece(Token::Punct, ":");
                sink.piece(Token::Indent, " ");
                i += 1;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(b.len());
                let is_key = b.get(skip_ws(b, end)) == Some(&b':');
                let token = if is_key { Token::Key } else { Token::String };
                sink.piece(token, &src[i..end]);
                i = end;
            }
            _ => {
                let mut j = i;
                while j < b.len()
                    && !matches!(
                        b[j],
                        b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b']' | b'}'
                    )
                {
                    j += 1;
                }
                let j = j.max(i + 1);
                let piece = &src[i..j];
                let token = if piece.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                    Token::Number
                } else {
                    Token::Literal
                };
                sink.piece(token, piece);
                i = j;
            }
        }
    }
    None
}

/// Ends the line and indents the next one `indent` levels.
fn newline(sink: &mut impl Sink, indent: usize) {
    sink.newline();
    if indent > 0 {
        let width = (indent * 2).min(INDENT.len());
        sink.piece(Token::Indent, &INDENT[..width]);
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn matches_serde_pretty_but_keeps_order_and_numbers() {
        let theme = Theme::new(true);
        let src = r#"{"z":1,"a":[true,null,{"k":"v"}],"e":{},"f":[],"n":12345678901234567890123,"x":1.10}"#;
        let lines = pretty(src, &theme).unwrap().pretty;
        assert_eq!(
            plain(&lines),
            [
                "{",
                r#"  "z": 1,"#,
                r#"  "a": ["#,
                "    true,",
                "    null,",
                "    {",
                r#"      "k": "v""#,
                "    }",
                "  ],",
                r#"  "e": {},"#,
                r#"  "f": [],"#,
                r#"  "n": 12345678901234567890123,"#,
                r#"  "x": 1.10"#,
                "}",
            ]
        );
    }

    #[test]
    fn same_layout_as_serde_for_ordinary_json() {
        let theme = Theme::new(true);
        let src = r#"{"a": {"b": [1, 2, "three"], "c": "d\"e"}, "f": false}"#;
        let value: serde_json::Value = serde_json::from_str(src).unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(
            plain(&pretty(src, &theme).unwrap().pretty).join("\n"),
            expected
        );
    }

    #[test]
    fn keys_and_values_are_coloured() {
        let theme = Theme::new(true);
        let lines = pretty(r#"{"k":"v","n":1}"#, &theme).unwrap().pretty;
        let key = lines[1]
            .spans
            .iter()
            .find(|s| s.content == "\"k\"")
            .unwrap();
        assert_eq!(key.style, theme.json_key);
        let value = lines[1]
            .spans
            .iter()
            .find(|s| s.content == "\"v\"")
            .unwrap();
        assert_eq!(value.style, theme.json_string);
    }

    #[test]
    fn not_json_or_scalars_are_left_alone() {
        let theme = Theme::new(true);
        for src in ["hello", "42", "{broken"] {
            assert_eq!(pretty(src, &theme).err(), Some(NotPretty::NotJson), "{src}");
        }
    }

    #[test]
    fn plain_text_has_the_same_layout_as_the_styled_lines() {
        let theme = Theme::new(false);
        let src = r#"{"z":1,"a":[true,null,{"k":"v\u0041"}],"e":{},"n":1e400,"x":-0.0}"#;
        let text = pretty_text(src).unwrap().pretty;
        assert_eq!(text, plain(&pretty(src, &theme).unwrap().pretty).join("\n"));
        assert!(text.contains(r#""n": 1e400,"#), "{text}");
        assert!(
            text.find("\"z\"") < text.find("\"a\""),
            "key order kept: {text}"
        );
        assert_eq!(pretty_text("[1,").err(), Some(NotPretty::NotJson));
    }

    #[test]
    fn deep_nesting_is_indented_two_spaces_per_level() {
        let src = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let text = pretty_text(&src).unwrap().pretty;
        let one = text.lines().find(|l| l.trim() == "1").unwrap();
        assert_eq!(one.len() - 1, 200);
    }

    #[test]
    fn raw_controls_inside_strings_are_escaped() {
        let theme = Theme::new(true);
        let lines = pretty("[\"a\u{7f}b\u{85}\"]", &theme).unwrap().pretty;
        assert_eq!(plain(&lines)[1], "  \"a␡b\\u{85}\"");
    }

    /// The issue's event: 256 KB of brackets, 131,000 levels deep.
    #[test]
    fn json_nested_past_the_limit_is_not_reindented() {
        let theme = Theme::new(true);
        let deep = format!("{}{}", "[".repeat(131_000), "]".repeat(131_000));
        assert_eq!(pretty_text(&deep).err(), Some(NotPretty::TooDeep));
        assert_eq!(pretty(&deep, &theme).err(), Some(NotPretty::TooDeep));
        let objects = format!(
            "{}1{}",
            r#"{"a":"#.repeat(DEPTH_LIMIT),
            "}".repeat(DEPTH_LIMIT)
        );
        assert_eq!(pretty_text(&objects).err(), Some(NotPretty::TooDeep));

        let deepest = format!(
            "{}1{}",
            "[".repeat(DEPTH_LIMIT - 1),
            "]".repeat(DEPTH_LIMIT - 1)
        );
        let text = pretty_text(&deepest).unwrap().pretty;
        let one = text.lines().find(|l| l.trim() == "1").unwrap();
        assert_eq!(one.len() - 1, 2 * (DEPTH_LIMIT - 1));
    }

    #[test]
    fn reindenting_stops_at_the_line_cap_before_a_token() {
        let theme = Theme::new(true);
        let src = format!("[{}1]", "1, ".repeat(3 * MAX_LINES));
        let Pretty { pretty: text, rest } = pretty_text(&src).unwrap();
        assert_eq!(text.lines().count(), MAX_LINES);
        let rest = rest.expect("stopped at the cap");
        assert!(
            src[rest..].starts_with("1, 1"),
            "{:?}",
            &src[rest..rest + 8]
        );
        // What was re-indented and what is left hold every value once.
        let values = |s: &str| s.matches('1').count();
        assert_eq!(values(&text) + values(&src[rest..]), 3 * MAX_LINES + 1);

        let styled = pretty(&src, &theme).unwrap();
        assert_eq!(styled.pretty.len(), MAX_LINES);
        assert_eq!(styled.rest, Some(rest));
        assert_eq!(plain(&styled.pretty).join("\n"), text);
    }

    #[test]
    fn reindenting_stops_at_the_byte_cap() {
        let long = format!("\"{}\"", "x".repeat(100_000));
        let src = format!("[{}]", vec![long.as_str(); 20].join(","));
        let Pretty { pretty: text, rest } = pretty_text(&src).unwrap();
        assert!(text.len() >= MAX_BYTES && text.len() < MAX_BYTES + 100_010);
        let rest = rest.expect("stopped at the cap");
        assert!(src[rest..].starts_with('"'));
        assert!(pretty_text("[1]").unwrap().rest.is_none());
    }
}
