//! JSON for the Content view: validated with serde_json, then re-indented
//! from the original text (two spaces, like `serde_json::to_string_pretty`).
//! Working on the text instead of a `Value` keeps the keys in their order and
//! every number exactly as sent. The result is either plain text (for syntect,
//! see `highlight`) or lines styled by the theme (the `NO_COLOR` look, and the
//! fallback when syntect cannot be used).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{self, Context};
use super::theme::Theme;

/// `src` re-indented as plain text, lines joined with `\n`, when it is a JSON
/// object or array. Strings are copied as sent: they may hold raw DEL and C1
/// controls, which whoever draws the text must escape.
pub fn pretty_text(src: &str) -> Option<String> {
    if !is_json_container(src) {
        return None;
    }
    let mut sink = TextSink {
        out: String::with_capacity(src.len() + src.len() / 2),
    };
    format(src, &mut sink);
    Some(sink.out)
}

/// The pretty lines of `src` when it is a JSON object or array, styled with
/// the theme's `json_*` styles, control characters escaped.
pub fn pretty(src: &str, theme: &Theme) -> Option<Vec<Line<'static>>> {
    if !is_json_container(src) {
        return None;
    }
    let mut sink = LineSink {
        theme,
        lines: Vec::new(),
        line: Vec::new(),
    };
    format(src, &mut sink);
    if !sink.line.is_empty() {
        sink.lines.push(Line::from(sink.line));
    }
    Some(sink.lines)
}

/// Only objects and arrays are re-indented: a bare `42` or `"x"` is shown as it came.
fn is_json_container(src: &str) -> bool {
    let trimmed = src.trim_start();
    (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(src).is_ok()
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
}

struct TextSink {
    out: String,
}

impl Sink for TextSink {
    fn piece(&mut self, _: Token, s: &str) {
        self.out.push_str(s);
    }

    fn newline(&mut self) {
        self.out.push('\n');
    }
}

struct LineSink<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    line: Vec<Span<'static>>,
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
    }

    fn newline(&mut self) {
        self.lines.push(Line::from(std::mem::take(&mut self.line)));
    }
}

/// Two spaces per level; serde_json's nesting limit (128) keeps this enough.
const INDENT: &str = match std::str::from_utf8(&[b' '; 512]) {
    Ok(s) => s,
    Err(_) => "",
};

/// Feeds the re-indented pieces of `src` (valid JSON) to `sink`.
fn format(src: &str, sink: &mut impl Sink) {
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
                    indent += 1;
                    newline(sink, indent);
                    i += 1;
                }
            }
            close @ (b'}' | b']') => {
                indent = indent.saturating_sub(1);
                newline(sink, indent);
                sink.piece(Token::Punct, if close == b'}' { "}" } else { "]" });
                i += 1;
            }
            b',' => {
                sink.piece(Token::Punct, ",");
                newline(sink, indent);
                i += 1;
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
        let lines = pretty(src, &theme).unwrap();
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
        assert_eq!(plain(&pretty(src, &theme).unwrap()).join("\n"), expected);
    }

    #[test]
    fn keys_and_values_are_coloured() {
        let theme = Theme::new(true);
        let lines = pretty(r#"{"k":"v","n":1}"#, &theme).unwrap();
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
        assert!(pretty("hello", &theme).is_none());
        assert!(pretty("42", &theme).is_none());
        assert!(pretty("{broken", &theme).is_none());
    }

    #[test]
    fn plain_text_has_the_same_layout_as_the_styled_lines() {
        let theme = Theme::new(false);
        let src = r#"{"z":1,"a":[true,null,{"k":"v\u0041"}],"e":{},"n":1e400,"x":-0.0}"#;
        let text = pretty_text(src).unwrap();
        assert_eq!(text, plain(&pretty(src, &theme).unwrap()).join("\n"));
        assert!(text.contains(r#""n": 1e400,"#), "{text}");
        assert!(
            text.find("\"z\"") < text.find("\"a\""),
            "key order kept: {text}"
        );
        assert!(pretty_text("[1,").is_none());
    }

    #[test]
    fn deep_nesting_is_indented_two_spaces_per_level() {
        let src = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let text = pretty_text(&src).unwrap();
        let one = text.lines().find(|l| l.trim() == "1").unwrap();
        assert_eq!(one.len() - 1, 200);
    }

    #[test]
    fn raw_controls_inside_strings_are_escaped() {
        let theme = Theme::new(true);
        let lines = pretty("[\"a\u{7f}b\u{85}\"]", &theme).unwrap();
        assert_eq!(plain(&lines)[1], "  \"a␡b\\u{85}\"");
    }
}
