//! Pure string helpers shared by every layer. No ratatui, no I/O. Counts,
//! durations, sizes and cut text have one format each ([`plural`],
//! [`duration`], [`size`], [`cut`]).
//!
//! Above all, the one way server- or file-controlled text reaches a
//! terminal: [`neutralise`] (and its forms [`one_line`], [`multi_line`],
//! [`TerminalBytes`]). A terminal obeys escape sequences, C1 controls
//! (U+009B is a whole CSI) and reorders or hides text around bidirectional
//! and zero-width characters; each of those is replaced by a visible form,
//! never dropped, so what arrived can still be read:
//!
//! - C0 controls as their Control Pictures (`␛`, `␀`, `␊`, `␍`...), DEL as `␡`;
//! - everything else of the set as `\u{…}` (`\u{9b}`, `\u{202e}`, `\u{200b}`).
//!
//! The set: C0 controls (except `\n` and `\t` in a multi-line sink), DEL, C1
//! controls, U+061C, U+200B–U+200F, U+202A–U+202E, U+2060–U+2069, U+FEFF,
//! U+2028 and U+2029.

pub mod byte_mask;
mod format;

pub use format::{cut, duration, plural, size};

use std::borrow::Cow;
use std::fmt::{self, Write as _};

/// What kind of sink text goes to, which decides whether `\n` and `\t` pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A message, a header, a table cell, a report line: a newline or a tab
    /// in the value is shown (`␊`, `␉`), so a value can never forge a line.
    Single,
    /// A transcript, a raw body, a whole report: `\n` and `\t` pass as themselves.
    Multi,
}

/// Whether `c` is one of the characters never written to a terminal as
/// itself (in any sink; see [`Lines`] for `\n` and `\t`).
pub fn is_neutralised(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Compact JSON text (as serde_json writes it) with every character a
/// terminal must not see raw written as a `\uXXXX` escape. serde_json
/// escapes the C0 controls itself; DEL, C1, bidirectional and zero-width
/// characters, which JSON lets through, can only be inside strings, where
/// the escape reads back as the same text. The one way JSON we build (the
/// history's lines, `print --mcp`'s) is made safe for a terminal.
pub fn json_safe(json: &str) -> std::borrow::Cow<'_, str> {
    if !json.chars().any(is_neutralised) {
        return std::borrow::Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_neutralised(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `c` must be shown by its visible form in a sink of this kind.
pub fn is_neutralised_in(c: char, lines: Lines) -> bool {
    is_neutralised(c) && !(lines == Lines::Multi && (c == '\n' || c == '\t'))
}

/// The visible form of a neutralised character: a Control Picture for C0
/// and DEL, `\u{…}` (lower-case hex) for the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible(char);

impl fmt::Display for Visible {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = self.0 as u32;
        match code {
            // U+2400 CONTROL PICTURE FOR NULL onwards, in the order of C0.
            0..=0x1f => f.write_char(char::from_u32(0x2400 + code).unwrap_or('\u{fffd}')),
            0x7f => f.write_char('␡'),
            _ => write!(f, "\\u{{{code:x}}}"),
        }
    }
}

/// How `c` is shown when it is one of the set ([`is_neutralised`]), `None`
/// when it can be shown as itself.
pub fn visible(c: char) -> Option<Visible> {
    is_neutralised(c).then_some(Visible(c))
}

/// `text` made safe for a terminal: each neutralised character replaced by
/// its visible form. Borrowed when nothing needed replacing.
pub fn neutralise(text: &str, lines: Lines) -> Cow<'_, str> {
    let Some(first) = text.find(|c| is_neutralised_in(c, lines)) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    let _ = write_neutralised(&mut out, &text[first..], lines);
    Cow::Owned(out)
}

/// Writes `text` to `out` neutralised, copying the runs between replacements.
pub fn write_neutralised(out: &mut impl fmt::Write, text: &str, lines: Lines) -> fmt::Result {
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if is_neutralised_in(c, lines) {
            out.write_str(&text[start..at])?;
            write!(out, "{}", Visible(c))?;
            start = at + c.len_utf8();
        }
    }
    out.write_str(&text[start..])
}

/// `value` as its `Display` writes it, neutralised for a one-line sink: how
/// a header or a `-v` line is written (`format!("* id: {}", text::one_line(id))`;
/// errors and warnings go through `stdout::log`, which uses it). Formats
/// without building a string first.
pub fn one_line<T: fmt::Display>(value: T) -> Neutralised<T> {
    Neutralised {
        value,
        lines: Lines::Single,
    }
}

/// `value` as its `Display` writes it, neutralised for a multi-line sink
/// (`\n` and `\t` kept): a report, a transcript.
pub fn multi_line<T: fmt::Display>(value: T) -> Neutralised<T> {
    Neutralised {
        value,
        lines: Lines::Multi,
    }
}

/// A value shown neutralised; see [`one_line`] and [`multi_line`].
#[derive(Debug, Clone, Copy)]
pub struct Neutralised<T> {
    value: T,
    lines: Lines,
}

impl<T: fmt::Display> fmt::Display for Neutralised<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Passes each piece the value writes through [`write_neutralised`];
        /// `fmt::Write` only ever receives whole characters.
        struct Filter<'a, 'b> {
            out: &'a mut fmt::Formatter<'b>,
            lines: Lines,
        }
        impl fmt::Write for Filter<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                write_neutralised(self.out, s, self.lines)
            }
        }
        write!(
            Filter {
                out: f,
                lines: self.lines
            },
            "{}",
            self.value
        )
    }
}

/// `text` in double quotes, neutralised for one line, with `"` and `\`
/// inside escaped, so where the value starts and ends is never in doubt.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c == '"' || c == '\\' {
            let _ = write_neutralised(&mut out, &text[start..at], Lines::Single);
            out.push('\\');
            out.push(c);
            start = at + 1;
        }
    }
    let _ = write_neutralised(&mut out, &text[start..], Lines::Single);
    out.push('"');
    out
}

/// Bytes as they arrive (a raw body, read by read) made safe for a
/// terminal, multi-line: valid UTF-8 neutralised, invalid bytes as U+FFFD,
/// and a character cut by a read boundary carried to the next read.
#[derive(Debug, Default)]
pub struct TerminalBytes {
    /// The start of a character whose remaining bytes have not arrived yet.
    pending: Vec<u8>,
}

impl TerminalBytes {
    /// Appends `bytes`, neutralised, to `out`.
    pub fn push(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        let joined;
        let mut rest = if self.pending.is_empty() {
            bytes
        } else {
            let mut carried = std::mem::take(&mut self.pending);
            carried.extend_from_slice(bytes);
            joined = carried;
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    push_neutralised(out, valid);
                    return;
                }
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    push_neutralised(out, str_of(valid));
                    match err.error_len() {
                        Some(bad) => {
                            out.extend_from_slice("\u{fffd}".as_bytes());
                            rest = &after[bad..];
                        }
                        None => {
                            // A character cut by the end of this read.
                            self.pending = after.to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// The end of the bytes: a character left unfinished is shown as U+FFFD.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if !std::mem::take(&mut self.pending).is_empty() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
}

fn str_of(valid: &[u8]) -> &str {
    // `valid` is the prefix `Utf8Error::valid_up_to` vouched for.
    std::str::from_utf8(valid).unwrap_or_default()
}

fn push_neutralised(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(neutralise(text, Lines::Multi).as_bytes());
}

/// At most the first `max_bytes` of `s` (on a char boundary): labels such as
/// ids can be megabytes long, and only their start is ever shown.
pub fn head(s: &str, max_bytes: usize) -> &str {
    &s[..floor_boundary(s, max_bytes)]
}

/// Where `part` lies in `whole` (its bytes' range), when it is a slice of
/// it rather than a copy: how a parser's or a library's subslice is turned
/// back into a position.
#[inline]
pub fn range_in(whole: &[u8], part: &[u8]) -> Option<std::ops::Range<usize>> {
    let whole_range = whole.as_ptr_range();
    let part_range = part.as_ptr_range();
    (whole_range.start <= part_range.start && part_range.end <= whole_range.end).then(|| {
        let start = part_range.start as usize - whole_range.start as usize;
        start..start + part.len()
    })
}

/// The largest index `<= i` that is a char boundary of `s`.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_safe_escapes_what_a_terminal_must_not_see_and_reads_back_the_same() {
        let value = serde_json::json!({"t": "a\u{9b}b\u{202e}c\u{7f}\u{1b}", "n": 1});
        let json = value.to_string();
        let safe = json_safe(&json);
        assert!(!safe.chars().any(is_neutralised), "{safe}");
        assert!(safe.contains("\\u009b") && safe.contains("\\u202e") && safe.contains("\\u007f"));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
        assert!(matches!(
            json_safe("{\"plain\":1}"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn floor_boundary_backs_off_inside_a_character() {
        let s = "a世";
        assert_eq!(floor_boundary(s, 2), 1);
        assert_eq!(floor_boundary(s, 10), s.len());
    }

    /// Every character of the set, by the list.
    fn the_set() -> Vec<char> {
        (0u32..0x20)
            .chain(0x7f..0xa0)
            .chain([0x61c, 0xfeff, 0x2028, 0x2029])
            .chain(0x200b..=0x200f)
            .chain(0x202a..=0x202e)
            .chain(0x2060..=0x2069)
            .filter_map(char::from_u32)
            .collect()
    }

    #[test]
    fn every_character_of_the_set_is_replaced_by_a_visible_form() {
        for c in the_set() {
            for lines in [Lines::Single, Lines::Multi] {
                let shown = neutralise(&format!("a{c}b"), lines).into_owned();
                if lines == Lines::Multi && (c == '\n' || c == '\t') {
                    assert_eq!(shown, format!("a{c}b"));
                    continue;
                }
                assert!(!shown.contains(c), "{:#x} passed in {lines:?}", c as u32);
                assert!(
                    shown.chars().count() > 2,
                    "{:#x} dropped, not shown",
                    c as u32
                );
                assert!(!shown.chars().any(is_neutralised), "{shown:?}");
            }
        }
    }

    #[test]
    fn the_visible_forms_are_control_pictures_and_code_points() {
        let shown = neutralise(
            "\u{1b}[2J\u{0}\r\n\t\u{7f}\u{9b}\u{85}\u{61c}\u{200b}\u{200d}\u{202e}\u{2066}\u{feff}\u{2028}",
            Lines::Single,
        );
        assert_eq!(
            shown,
            "␛[2J␀␍␊␉␡\\u{9b}\\u{85}\\u{61c}\\u{200b}\\u{200d}\\u{202e}\\u{2066}\\u{feff}\\u{2028}"
        );
        assert_eq!(neutralise("a\r\n\tb", Lines::Multi), "a␍\n\tb");
    }

    #[test]
    fn characters_around_the_set_pass_unchanged() {
        let near = "\u{a0}\u{a1}\u{61b}\u{61d}\u{200a}\u{2010}\u{2027}\u{202f}\u{205f}\u{206a}\u{fefe}\u{ff00} é 世界 🦀 \u{1f468}";
        assert!(matches!(neutralise(near, Lines::Single), Cow::Borrowed(_)));
    }

    #[test]
    fn display_adapters_neutralise_what_the_value_writes() {
        let err = std::io::Error::other("bad \u{1b}]0;title\u{7}\nnext");
        assert_eq!(
            format!("ssetui: {}", one_line(&err)),
            "ssetui: bad ␛]0;title␇␊next"
        );
        assert_eq!(format!("{}", multi_line("a\nb\u{9b}")), "a\nb\\u{9b}");
    }

    #[test]
    fn quote_marks_the_ends_and_neutralises_the_inside() {
        assert_eq!(quote("a\"b\\c\u{1b}\u{202e}"), "\"a\\\"b\\\\c␛\\u{202e}\"");
        assert_eq!(quote(""), "\"\"");
    }

    #[test]
    fn terminal_bytes_carry_a_split_character_and_show_invalid_bytes() {
        let text = "a\u{1b}é\u{202e}b\u{9b}".as_bytes();
        let expected = "a␛é\\u{202e}b\\u{9b}";
        // Every split of the bytes into two reads gives the same text.
        for cut in 0..=text.len() {
            let mut shown = TerminalBytes::default();
            let mut out = Vec::new();
            shown.push(&text[..cut], &mut out);
            shown.push(&text[cut..], &mut out);
            shown.finish(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), expected, "cut at {cut}");
        }
        let mut shown = TerminalBytes::default();
        let mut out = Vec::new();
        shown.push(b"x\xffy\xe2\x80", &mut out);
        shown.finish(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), "x\u{fffd}y\u{fffd}");
    }
}
