//! Bounds on what an expression and its outputs may cost: the structure an
//! expression may hold before jaq's recursion is at risk, and text that
//! stops growing at a cap.

use std::fmt::{self, Write as _};

use jaq_json::Val;

use super::MAX_STRUCTURE;

/// What marks text cut by one of the bounds above.
const ELLIPSIS: char = '…';

/// A text buffer that stops growing at a byte cap (on a char boundary) and
/// remembers that it did, so formatting a huge value stops early.
pub(super) struct CappedText {
    buf: String,
    cap_bytes: usize,
    pub(super) full: bool,
}

impl CappedText {
    pub(super) fn new(cap_bytes: usize) -> Self {
        CappedText {
            buf: String::new(),
            cap_bytes,
            full: false,
        }
    }

    /// Appends what fits of `s`; returns false once the cap is reached.
    pub(super) fn push(&mut self, s: &str) -> bool {
        if self.full {
            return false;
        }
        let room = self.cap_bytes.saturating_sub(self.buf.len());
        if s.len() <= room {
            self.buf.push_str(s);
            return true;
        }
        self.buf.push_str(crate::text::head(s, room));
        self.full = true;
        false
    }

    /// A string value's text as is (like `jq -r`), anything else as compact JSON.
    pub(super) fn push_value(&mut self, value: &Val) {
        match value {
            Val::TStr(bytes) => {
                self.push(&String::from_utf8_lossy(bytes));
            }
            // A full buffer makes `write!` fail, which only ends the formatting.
            other => {
                let _ = write!(self, "{other}");
            }
        }
    }

    pub(super) fn finish(mut self) -> String {
        if self.full {
            self.buf.push(ELLIPSIS);
        }
        self.buf
    }
}

impl fmt::Write for CappedText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.push(s) {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}

/// Where (a byte offset) `expr`'s operators, opening brackets and keywords
/// pass [`MAX_STRUCTURE`], if they do: each is a level of recursion in jaq.
/// Strings and comments do not count, a string's `\(…)` interpolations do.
/// One pass, no recursion, so any input is safe to measure.
pub(super) fn past_structure_limit(expr: &str) -> Option<usize> {
    const KEYWORDS: [&str; 10] = [
        "if", "elif", "try", "reduce", "foreach", "def", "label", "as", "and", "or",
    ];
    let b = expr.as_bytes();
    let mut count = 0;
    // For each `\(` being read, its parentheses still open; empty at the top.
    let mut interpolations: Vec<usize> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let at = i;
        let counted = if in_string {
            match (b[i], b.get(i + 1)) {
                (b'\\', Some(b'(')) => {
                    interpolations.push(1);
                    in_string = false;
                    i += 2;
                    true
                }
                (b'\\', _) => {
                    i += 2;
                    false
                }
                (b'"', _) => {
                    in_string = false;
                    i += 1;
                    false
                }
                _ => {
                    i += 1;
                    false
                }
            }
        } else {
            match b[i] {
                b'"' => {
                    in_string = true;
                    i += 1;
                    false
                }
                b'#' => {
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    false
                }
                b'(' => {
                    if let Some(open) = interpolations.last_mut() {
                        *open += 1;
                    }
                    i += 1;
                    true
                }
                b')' => {
                    if let Some(open) = interpolations.last_mut() {
                        *open -= 1;
                        if *open == 0 {
                            interpolations.pop();
                            in_string = true;
                        }
                    }
                    i += 1;
                    false
                }
                b'[' | b'{' | b'|' | b',' | b'+' | b'-' | b'*' | b'/' | b'%' | b'<' | b'>'
                | b'=' | b'!' => {
                    i += 1;
                    true
                }
                c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
                    let start = i;
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                    KEYWORDS.contains(&&expr[start..i])
                }
                _ => {
                    i += 1;
                    false
                }
            }
        };
        if counted {
            count += 1;
            if count > MAX_STRUCTURE {
                return Some(at);
            }
        }
    }
    None
}
