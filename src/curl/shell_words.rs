//! Splitting a bash command line into words, as bash would before running it:
//! single quotes, double quotes, `$'…'` ANSI-C quoting, backslash escapes and
//! backslash-newline continuations. A variable (`$NAME`, `${NAME}`, bare or
//! in double quotes) is not expanded here: it becomes a `${env:NAME}`
//! reference, read from the environment when the request is sent, so a
//! saved request never holds the secret. Single-quoted text stays literal.
//! Words are bytes because `$'\xff'` may spell a byte that is not UTF-8.

/// Why a command line cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("unbalanced {0} quote: the command ends inside a quoted string")]
    UnbalancedQuote(&'static str),
}

/// The words of `line`, quotes removed.
pub fn split(line: &str) -> Result<Vec<Vec<u8>>, SplitError> {
    let mut words = Vec::new();
    let mut word: Option<Vec<u8>> = None;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            }
            '\\' => match chars.next() {
                // bash: backslash-newline is a line continuation, not a character.
                Some('\n') => {}
                // A CRLF clipboard: treat backslash-CR-LF the same.
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(other) => push_char(word.get_or_insert_default(), other),
                None => {}
            },
            '\'' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(ch) => push_char(w, ch),
                        None => return Err(SplitError::UnbalancedQuote("single")),
                    }
                }
            }
            '"' => {
                let w = word.get_or_insert_default();
                loop {
                    match chars.next() {
                        Some('"') => break,
                        // bash: inside double quotes a backslash escapes only these.
                        Some('\\') => match chars.next() {
                            Some('\n') => {}
                            Some(ch @ ('\\' | '"' | '$' | '`')) => push_char(w, ch),
                            Some(ch) => {
                                w.push(b'\\');
                                push_char(w, ch);
                            }
                            None => return Err(SplitError::UnbalancedQuote("double")),
                        },
                        Some('$') => variable(&mut chars, w),
                        Some(ch) => push_char(w, ch),
                        None => return Err(SplitError::UnbalancedQuote("double")),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                ansi_c(&mut chars, word.get_or_insert_default())?;
            }
            '$' => variable(&mut chars, word.get_or_insert_default()),
            other => push_char(word.get_or_insert_default(), other),
        }
    }
    if let Some(w) = word {
        words.push(w);
    }
    Ok(words)
}

/// After a `$`: `NAME` or `{NAME}` becomes a `${env:NAME}` reference; any
/// other `$` (`$1`, `$(…)`, `${X:-y}`, a lone `$`) is kept as written.
fn variable(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, word: &mut Vec<u8>) {
    let braced = chars.peek() == Some(&'{');
    let mut ahead = chars.clone();
    if braced {
        ahead.next();
    }
    let name = identifier(&mut ahead);
    let closed = !braced || ahead.next() == Some('}');
    if name.is_empty() || !closed {
        word.push(b'$');
        return;
    }
    *chars = ahead;
    word.extend_from_slice(crate::sse::env_ref::reference(&name).as_bytes());
}

/// A variable name (a letter or `_`, then letters, digits and `_`), consumed.
fn identifier(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        let fits = c == '_' || c.is_ascii_alphabetic() || (!name.is_empty() && c.is_ascii_digit());
        if !fits {
            break;
        }
        name.push(c);
        chars.next();
    }
    name
}

fn push_char(word: &mut Vec<u8>, c: char) {
    let mut buf = [0; 4];
    word.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// The body of a `$'…'` string up to its closing quote (bash's "ANSI-C quoting").
fn ansi_c(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    w: &mut Vec<u8>,
) -> Result<(), SplitError> {
    loop {
        let c = chars.next().ok_or(SplitError::UnbalancedQuote("$'…'"))?;
        match c {
            '\'' => return Ok(()),
            '\\' => {
                let e = chars.next().ok_or(SplitError::UnbalancedQuote("$'…'"))?;
                match e {
                    'n' => w.push(b'\n'),
                    't' => w.push(b'\t'),
                    'r' => w.push(b'\r'),
                    'a' => w.push(0x07),
                    'b' => w.push(0x08),
                    'e' | 'E' => w.push(0x1b),
                    'f' => w.push(0x0c),
                    'v' => w.push(0x0b),
                    'x' => {
                        let n = digits(chars, 16, 2);
                        match n {
                            Some(n) => w.push(n as u8),
                            None => w.extend_from_slice(b"\\x"),
                        }
                    }
                    'u' | 'U' => {
                        let max = if e == 'u' { 4 } else { 8 };
                        match digits(chars, 16, max).and_then(char::from_u32) {
                            Some(ch) => push_char(w, ch),
                            None => {
                                w.push(b'\\');
                                push_char(w, e);
                            }
                        }
                    }
                    '0'..='7' => {
                        let mut n = e.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|d| d.to_digit(8)) {
                                Some(d) => {
                                    n = n * 8 + d;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        w.push((n & 0xff) as u8);
                    }
                    '\\' | '\'' | '"' | '?' => push_char(w, e),
                    other => {
                        w.push(b'\\');
                        push_char(w, other);
                    }
                }
            }
            other => push_char(w, other),
        }
    }
}

/// Up to `max` digits in `radix`, consumed; `None` when there is none.
fn digits(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    radix: u32,
    max: usize,
) -> Option<u32> {
    let mut n: Option<u32> = None;
    for _ in 0..max {
        match chars.peek().and_then(|d| d.to_digit(radix)) {
            Some(d) => {
                n = Some(n.unwrap_or(0) * radix + d);
                chars.next();
            }
            None => break,
        }
    }
    n
}

/// `text` as one bash word: single-quoted, a `'` written `'\''`. Text with
/// any character a terminal must not see raw ([`crate::text`]'s set) other
/// than newline and tab uses `$'…'` so the command stays on the screen as
/// it is, nothing hidden or reordered, and pastes back byte for byte.
pub fn quote(text: &[u8]) -> String {
    let plain = std::str::from_utf8(text).ok().filter(|s| {
        !s.chars()
            .any(|c| crate::text::is_neutralised_in(c, crate::text::Lines::Multi))
    });
    match plain {
        Some(s) => format!("'{}'", s.replace('\'', r"'\''")),
        None => {
            let mut out = String::from("$'");
            for chunk in text.utf8_chunks() {
                for c in chunk.valid().chars() {
                    match c {
                        '\\' => out.push_str(r"\\"),
                        '\'' => out.push_str(r"\'"),
                        '\n' => out.push_str(r"\n"),
                        '\t' => out.push_str(r"\t"),
                        '\r' => out.push_str(r"\r"),
                        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                            out.push_str(&format!("\\x{:02x}", c as u32));
                        }
                        // C1, bidirectional and zero-width characters as \u, so nothing invisible is pasted.
                        c if crate::text::is_neutralised(c) => {
                            out.push_str(&format!("\\u{:04x}", c as u32));
                        }
                        c => out.push(c),
                    }
                }
                for b in chunk.invalid() {
                    out.push_str(&format!("\\x{b:02x}"));
                }
            }
            out.push('\'');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        split(line)
            .unwrap()
            .into_iter()
            .map(|w| String::from_utf8(w).unwrap())
            .collect()
    }

    #[test]
    fn each_quoting_form_joins_into_one_word() {
        assert_eq!(
            words(r#"a 'b c' "d \"e\" \$f \x" g\ h"#),
            ["a", "b c", r#"d "e" $f \x"#, "g h"]
        );
        assert_eq!(words(r"$'it\'s\n\x41\u00e9\101'"), ["it's\nAé\x41"]);
        assert_eq!(words("x'a'\"b\"$'c'"), ["xabc"]);
        assert_eq!(words("''"), [""]);
    }

    #[test]
    fn variables_become_references_and_other_dollars_stay() {
        assert_eq!(
            words(r#"$KEY "a $B_2 ${C}" '$D' "\$E" $1 ${F:-x} $(g) 5$ $"#),
            [
                "${env:KEY}",
                "a ${env:B_2} ${env:C}",
                "$D",
                "$E",
                "$1",
                "${F:-x}",
                "$(g)",
                "5$",
                "$"
            ]
        );
    }

    #[test]
    fn backslash_newline_continues_the_line() {
        assert_eq!(words("curl \\\n  -N \\\r\n 'u'"), ["curl", "-N", "u"]);
    }

    #[test]
    fn an_unclosed_quote_is_an_error() {
        for line in ["'a", "\"a", "$'a", "\"a\\"] {
            assert!(
                matches!(split(line), Err(SplitError::UnbalancedQuote(_))),
                "{line}"
            );
        }
    }

    #[test]
    fn ansi_c_keeps_bytes_that_are_not_utf8() {
        assert_eq!(split(r"$'\xff\x00'").unwrap(), [vec![0xff, 0x00]]);
    }

    #[test]
    fn characters_that_hide_or_reorder_text_are_quoted_visibly() {
        for c in [
            '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}', '\u{61c}', '\u{2028}', '\u{85}',
        ] {
            let text = format!("curl a{c}b");
            let quoted = quote(text.as_bytes());
            assert!(!quoted.contains(c), "{quoted:?}");
            assert_eq!(split(&quoted).unwrap(), [text.into_bytes()], "{quoted}");
        }
    }

    #[test]
    fn quoting_splits_back_to_the_same_bytes() {
        for text in [
            &b"plain"[..],
            b"it's",
            b"''",
            b"a\nb\tc",
            b"\x1b[31m\r\x00\xff\\'",
            "é\u{2028}".as_bytes(),
            b"",
        ] {
            let quoted = quote(text);
            assert_eq!(split(&quoted).unwrap(), [text.to_vec()], "{quoted}");
        }
        assert_eq!(quote(b"it's"), r"'it'\''s'");
    }
}
