//! JSON for the Content view: validated with serde_json, then re-indented
//! from the original text (two spaces, like `serde_json::to_string_pretty`)
//! and coloured. Working on the text instead of a `Value` keeps the keys in
//! their order and every number exactly as sent.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::text::{self, Context};
use super::theme::Theme;

/// The pretty, coloured lines of `src` when it is a JSON object or array.
pub fn pretty(src: &str, theme: &Theme) -> Option<Vec<Line<'static>>> {
    let trimmed = src.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str::<serde::de::IgnoredAny>(src).ok()?;
    Some(Formatter::new(theme).run(src))
}

struct Formatter<'t> {
    theme: &'t Theme,
    lines: Vec<Line<'static>>,
    line: Vec<Span<'static>>,
    indent: usize,
}

impl<'t> Formatter<'t> {
    fn new(theme: &'t Theme) -> Self {
        Self {
            theme,
            lines: Vec::new(),
            line: Vec::new(),
            indent: 0,
        }
    }

    fn run(mut self, src: &str) -> Vec<Line<'static>> {
        let b = src.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b' ' | b'\t' | b'\n' | b'\r' => i += 1,
                open @ (b'{' | b'[') => {
                    let close = if open == b'{' { b'}' } else { b']' };
                    let next = skip_ws(b, i + 1);
                    if b.get(next) == Some(&close) {
                        let pair = if open == b'{' { "{}" } else { "[]" };
                        self.punct(pair);
                        i = next + 1;
                    } else {
                        self.punct(if open == b'{' { "{" } else { "[" });
                        self.indent += 1;
                        self.newline();
                        i += 1;
                    }
                }
                close @ (b'}' | b']') => {
                    self.indent = self.indent.saturating_sub(1);
                    self.newline();
                    self.punct(if close == b'}' { "}" } else { "]" });
                    i += 1;
                }
                b',' => {
                    self.punct(",");
                    self.newline();
                    i += 1;
                }
                b':' => {
                    self.punct(":");
                    self.line.push(Span::raw(" "));
                    i += 1;
                }
                b'"' => {
                    let mut j = i + 1;
                    while j < b.len() && b[j] != b'"' {
                        j += if b[j] == b'\\' { 2 } else { 1 };
                    }
                    let end = (j + 1).min(b.len());
                    let is_key = b.get(skip_ws(b, end)) == Some(&b':');
                    let style = if is_key {
                        self.theme.json_key
                    } else {
                        self.theme.json_string
                    };
                    self.token(&src[i..end], style);
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
                    let token = &src[i..j];
                    let style = if token.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
                        self.theme.json_number
                    } else {
                        self.theme.json_literal
                    };
                    self.token(token, style);
                    i = j;
                }
            }
        }
        if !self.line.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.line)));
        }
        self.lines
    }

    fn punct(&mut self, s: &'static str) {
        self.line.push(Span::styled(s, self.theme.json_punct));
    }

    /// A string or scalar, escaped: JSON strings may hold DEL and C1 controls raw.
    fn token(&mut self, s: &str, style: Style) {
        let (spans, _, _) = text::spans(s, Context::Raw, usize::MAX, style, self.theme.escape);
        self.line.extend(spans);
    }

    fn newline(&mut self) {
        self.lines.push(Line::from(std::mem::take(&mut self.line)));
        if self.indent > 0 {
            self.line.push(Span::raw("  ".repeat(self.indent)));
        }
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
    fn raw_controls_inside_strings_are_escaped() {
        let theme = Theme::new(true);
        let lines = pretty("[\"a\u{7f}b\u{85}\"]", &theme).unwrap();
        assert_eq!(plain(&lines)[1], "  \"a␡b\\u{85}\"");
    }
}
