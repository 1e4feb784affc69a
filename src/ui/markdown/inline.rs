//! Inline Markdown: emphasis, code spans and escapes, as escaped spans.

use std::collections::HashMap;

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use crate::ui::Theme;
use crate::ui::text::{self, Context};

/// A piece of inline text.
#[derive(Debug)]
enum Token {
    Text(String),
    Code(String),
    /// A run of `*` or `_`: emphasis when paired, else literal.
    Delim {
        ch: char,
        len: usize,
        can_open: bool,
        can_close: bool,
        role: Role,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Literal,
    Open,
    Close,
}

/// Inline Markdown as escaped spans over `base`: `**strong**`, `*em*`,
/// `_em_` (not inside words), `` `code` ``, backslash escapes. Linear time:
/// delimiters pair through a stack per kind, never by searching ahead.
pub(super) fn inline(src: &str, base: Style, theme: &Theme) -> Vec<Span<'static>> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut plain = String::new();
    // Backtick run lengths with no closing run after a given position.
    let mut no_closer: HashMap<usize, usize> = HashMap::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            plain.push(chars[i + 1]);
            i += 2;
            continue;
        }
        let run = chars[i..].iter().take_while(|x| **x == c).count();
        if c == '`' {
            let closer = if no_closer.get(&run).is_some_and(|from| *from <= i) {
                None
            } else {
                find_backticks(&chars, i + run, run)
            };
            match closer {
                Some(end) => {
                    if !plain.is_empty() {
                        tokens.push(Token::Text(std::mem::take(&mut plain)));
                    }
                    let code: String = chars[i + run..end].iter().collect();
                    tokens.push(Token::Code(code));
                    i = end + run;
                }
                None => {
                    no_closer.insert(run, i);
                    plain.extend(&chars[i..i + run]);
                    i += run;
                }
            }
            continue;
        }
        if (c == '*' || c == '_') && run <= 3 {
            let prev = if i == 0 { ' ' } else { chars[i - 1] };
            let next = chars.get(i + run).copied().unwrap_or(' ');
            let left = !next.is_whitespace();
            let right = !prev.is_whitespace();
            let (can_open, can_close) = if c == '_' {
                (
                    left && !prev.is_alphanumeric(),
                    right && !next.is_alphanumeric(),
                )
            } else {
                (left, right)
            };
            if can_open || can_close {
                if !plain.is_empty() {
                    tokens.push(Token::Text(std::mem::take(&mut plain)));
                }
                tokens.push(Token::Delim {
                    ch: c,
                    len: run,
                    can_open,
                    can_close,
                    role: Role::Literal,
                });
                i += run;
                continue;
            }
        }
        plain.extend(&chars[i..i + run]);
        i += run;
    }
    if !plain.is_empty() {
        tokens.push(Token::Text(plain));
    }
    pair_delimiters(&mut tokens);

    let mut spans = Vec::new();
    let (mut strong, mut em) = (0usize, 0usize);
    for token in tokens {
        let mut style = base;
        if strong > 0 {
            style = style.add_modifier(Modifier::BOLD);
        }
        if em > 0 {
            style = style.add_modifier(Modifier::ITALIC);
        }
        match token {
            Token::Text(s) => spans.extend(escaped(&s, style, theme)),
            Token::Code(s) => spans.extend(escaped(&s, style.patch(theme.accent), theme)),
            Token::Delim { ch, len, role, .. } => {
                let step = |n: &mut usize| match role {
                    Role::Open => *n += 1,
                    Role::Close => *n = n.saturating_sub(1),
                    Role::Literal => {}
                };
                if role == Role::Literal {
                    spans.push(Span::styled(ch.to_string().repeat(len), style));
                }
                if len >= 2 {
                    step(&mut strong);
                }
                if len != 2 {
                    step(&mut em);
                }
            }
        }
    }
    spans
}

/// The index of the next run of exactly `len` backticks at or after `from`.
fn find_backticks(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut j = from;
    while j < chars.len() {
        if chars[j] == '`' {
            let run = chars[j..].iter().take_while(|x| **x == '`').count();
            if run == len {
                return Some(j);
            }
            j += run;
        } else {
            j += 1;
        }
    }
    None
}

/// Pairs each closing run with the nearest open run of the same character
/// and length; the rest stay literal.
fn pair_delimiters(tokens: &mut [Token]) {
    let mut open: HashMap<(char, usize), Vec<usize>> = HashMap::new();
    for i in 0..tokens.len() {
        let Token::Delim {
            ch,
            len,
            can_open,
            can_close,
            ..
        } = tokens[i]
        else {
            continue;
        };
        let stack = open.entry((ch, len)).or_default();
        if can_close && let Some(opener) = stack.pop() {
            if let Token::Delim { role, .. } = &mut tokens[opener] {
                *role = Role::Open;
            }
            if let Token::Delim { role, .. } = &mut tokens[i] {
                *role = Role::Close;
            }
        } else if can_open {
            stack.push(i);
        }
    }
}

pub(super) fn escaped(s: &str, style: Style, theme: &Theme) -> Vec<Span<'static>> {
    text::spans(s, Context::Content, usize::MAX, style, theme.escape).0
}
