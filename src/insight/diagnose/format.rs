//! How findings write server text and counts; durations, sizes and plurals
//! are the one format of [`crate::text`].

pub(super) use crate::text::{duration, plural, size};

/// How much of a server-supplied value a title quotes.
pub(super) const QUOTE_CHARS: usize = 40;

/// `text` quoted ([`crate::text::quote`]: neutralised for the terminal),
/// cut to a short length.
pub(super) fn quote(text: &str) -> String {
    crate::text::quote(&crate::text::cut(text, QUOTE_CHARS))
}

/// `text` on one line, neutralised for the terminal, at most `max_chars`
/// characters of it.
pub(super) fn one_line(text: &str, max_chars: usize) -> String {
    let shown = crate::text::cut(text, max_chars);
    crate::text::neutralise(&shown, crate::text::Lines::Single).into_owned()
}

pub(super) fn times(n: u64) -> String {
    if n == 1 {
        "once".into()
    } else {
        format!("{n} times")
    }
}
