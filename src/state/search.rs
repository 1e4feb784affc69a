//! Search across events: a query typed after `/`; `n`/`N` jump between
//! matching events and `F` hides everything else.
//!
//! The query language:
//! - **Free text** matches an event's type (as sent: the implied `message`
//!   would match every short query), id or data. Leading and trailing spaces
//!   are ignored; spaces inside are part of the text (`disk full` is one
//!   phrase).
//! - **Smart case**, as in ripgrep and vim: text without an upper-case letter
//!   ignores case; one upper-case letter makes the whole text case-sensitive.
//!   In a regex, letters in escapes (`\S`, `\p{Lu}`) do not count, and `(?i)`
//!   or `(?-i)` decide explicitly.
//! - **`type:NAME`** (or `event:NAME`), a word anywhere in the query, keeps
//!   only events of that exact, case-sensitive type; `message` is the type of
//!   events sent without an `event:` field. Several are alternatives
//!   (`type:warn type:error`). `type:!NAME` leaves that type out. A query of
//!   only such words matches by type alone. To find the literal text `type:x`
//!   in data, use a regex such as `type[:]x`. In an MCP tab a row's type is
//!   its stream, so `stream:get` (or `stream:post-7`) is the same word.
//! - **`jq:EXPR`**, as the whole query: events whose `data` is JSON for
//!   which the jq expression holds (jaq: `jq:.type == "content_block_delta"`,
//!   `jq:.choices[0].delta.content`); the list then shows the expression's
//!   value in place of the data. An invalid expression is reported with its
//!   column, like an invalid regex.
//! - **Regex**: Ctrl-T while typing switches between text and regex, or write
//!   the text as `/pattern/`. The syntax is the `regex` crate's; `^` and `$`
//!   match at line starts and ends inside multi-line data. An invalid regex is
//!   reported (see [`Search::error`]) and matches nothing until it is fixed.
//!
//! The query is compiled once per change, never per row.

use std::ops::Range;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use regex::{Regex, RegexBuilder};

use super::event_log::{Row, RowKind};
use crate::insight::jq::Query;
use crate::sse::Event;

/// A longer paste is cut here: a query is typed, not a document.
pub const MAX_QUERY_BYTES: usize = 4096;
/// At most this many ranges from [`Search::match_ranges`].
pub const MAX_MATCH_RANGES: usize = 1000;
/// The compiled size allowed for a pattern, so a pasted `a{1000}{1000}`
/// is an error message instead of a frozen UI.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// How the free text of a query is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatchMode {
    /// A literal phrase.
    #[default]
    Text,
    /// A regular expression.
    Regex,
}

/// What a key did to the search, so the caller knows what to redo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchEdit {
    /// The query or the mode changed: the matches must be recomputed.
    Changed,
    /// Enter: typing is over, the query stays in force.
    Done,
    /// Esc: the search is cleared.
    Cancelled,
    /// Nothing to recompute (the key was not for the search, or it only moved
    /// the cursor).
    Unchanged,
}

/// The search state: the query, and whether the list shows only matches
/// (whether it is being typed: `Overlay::Search`).
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// The query as typed ([`Search::query`]); it changes only through
    /// [`Search::edit`], [`Search::paste`] or [`Search::set_query`], which
    /// keep the compiled form in step.
    query: String,
    /// Show only matching events. The list depends on it: it changes
    /// through `Session::set_filter`, which lists the log afresh.
    filter: bool,
    /// Byte offset of the cursor in `query`, always on a character boundary.
    cursor: usize,
    /// Text or regex, as toggled with Ctrl-T (a `/pattern/` is a regex either way).
    mode: MatchMode,
    compiled: Compiled,
}

impl Search {
    /// The query as typed.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether the list shows only matching events.
    pub fn is_filtering(&self) -> bool {
        self.filter
    }

    /// Shows only matches, or everything; the caller lists the log afresh.
    pub(super) fn set_filter(&mut self, on: bool) {
        self.filter = on;
    }

    /// Whether a query is in force.
    pub fn is_active(&self) -> bool {
        !self.query.trim().is_empty()
    }

    /// Clears the query and stops filtering. The text/regex mode
    /// is a preference and is kept.
    pub fn clear(&mut self) {
        *self = Self {
            mode: self.mode,
            ..Self::default()
        };
    }

    /// Replaces the whole query, the cursor at its end.
    pub fn set_query(&mut self, query: &str) {
        self.query.clear();
        self.cursor = 0;
        self.insert(query);
        self.recompile();
    }

    /// Types one character at the cursor. Control characters are ignored.
    pub fn push(&mut self, c: char) {
        if self.insert(c.encode_utf8(&mut [0; 4])) {
            self.recompile();
        }
    }

    /// Deletes the character before the cursor.
    pub fn pop(&mut self) {
        if self.backspace() {
            self.recompile();
        }
    }

    /// Applies a key typed while the query is edited: Enter ends, Esc clears,
    /// Backspace/Delete, Ctrl-U (to the start), Ctrl-W (a word back) delete,
    /// Ctrl-T toggles text/regex, Left/Right/Home/End (and Ctrl-A/Ctrl-E)
    /// move the cursor, printable characters are typed.
    pub fn edit(&mut self, key: KeyEvent) -> SearchEdit {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let changed = match key.code {
            KeyCode::Enter => return SearchEdit::Done,
            KeyCode::Esc => {
                self.clear();
                return SearchEdit::Cancelled;
            }
            KeyCode::Backspace if ctrl || alt => self.delete_word(),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End => {
                self.move_cursor(key.code, ctrl || alt);
                false
            }
            // Ctrl with a letter; AltGr arrives as Ctrl+Alt and types.
            KeyCode::Char(c) if ctrl && !alt => match c.to_ascii_lowercase() {
                't' => {
                    self.mode = match self.mode {
                        MatchMode::Text => MatchMode::Regex,
                        MatchMode::Regex => MatchMode::Text,
                    };
                    true
                }
                'u' => {
                    self.cursor = self.cursor();
                    self.query.replace_range(..self.cursor, "");
                    let changed = self.cursor > 0;
                    self.cursor = 0;
                    changed
                }
                'w' => self.delete_word(),
                'h' => self.backspace(),
                'a' => {
                    self.move_cursor(KeyCode::Home, false);
                    false
                }
                'e' => {
                    self.move_cursor(KeyCode::End, false);
                    false
                }
                _ => false,
            },
            KeyCode::Char(_) if alt && !ctrl => false,
            KeyCode::Char(c) => self.insert(c.encode_utf8(&mut [0; 4])),
            _ => false,
        };
        if changed {
            self.recompile();
            SearchEdit::Changed
        } else {
            SearchEdit::Unchanged
        }
    }

    /// Inserts pasted text at the cursor, control characters (newlines
    /// included) dropped, the query cut at [`MAX_QUERY_BYTES`]. Returns
    /// whether the query changed.
    pub fn paste(&mut self, text: &str) -> bool {
        let changed = self.insert(text);
        if changed {
            self.recompile();
        }
        changed
    }

    /// Byte offset of the cursor in `query`, on a character boundary.
    pub fn cursor(&self) -> usize {
        // `query` is a public field: never hand out an offset it no longer has.
        let mut i = self.cursor.min(self.query.len());
        while !self.query.is_char_boundary(i) {
            i -= 1;
        }
        i
    }

    /// How the free text is read now: a regex when toggled with Ctrl-T or
    /// written as `/pattern/`.
    pub fn mode(&self) -> MatchMode {
        if self.compiled.regex {
            MatchMode::Regex
        } else {
            MatchMode::Text
        }
    }

    /// Whether the free text is matched case-sensitively (smart case).
    pub fn case_sensitive(&self) -> bool {
        self.compiled.case_sensitive
    }

    /// Why the query matches nothing: an invalid or too large regex.
    pub fn error(&self) -> Option<&str> {
        self.compiled.error.as_deref()
    }

    /// The `jq:` expression in force, if the query is one.
    pub fn jq(&self) -> Option<&Query> {
        self.compiled.jq.as_ref()
    }

    /// The event types asked for with `type:` (any of them matches).
    pub fn types(&self) -> &[String] {
        &self.compiled.types
    }

    /// The event types left out with `type:!`.
    pub fn excluded_types(&self) -> &[String] {
        &self.compiled.excluded
    }

    /// Whether a row matches the query. Only events match; with no query, nothing does.
    pub fn matches(&self, row: &Row) -> bool {
        match &row.kind {
            RowKind::Event { event, .. } => self.compiled.matches(event),
            RowKind::Block(_) | RowKind::Marker(_) => false,
        }
    }

    /// Whether the given row (if any) matches.
    pub fn matches_row(&self, row: Option<&Row>) -> bool {
        row.is_some_and(|r| self.matches(r))
    }

    /// Whether a row is listed at all under this search.
    pub fn shows(&self, row: &Row) -> bool {
        !self.filter || !self.is_active() || self.matches(row)
    }

    /// Byte ranges of the free text's (or regex's) matches in `text`, in
    /// order, non-empty and at most [`MAX_MATCH_RANGES`]: what to highlight.
    /// None for a query of types only. The cost is linear in `text`, so pass
    /// what is shown, not a whole megabyte event.
    pub fn match_ranges(&self, text: &str) -> Vec<Range<usize>> {
        let Some(pattern) = &self.compiled.pattern else {
            return Vec::new();
        };
        pattern
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .take(MAX_MATCH_RANGES)
            .map(|m| m.range())
            .collect()
    }

    /// Inserts `text` at the cursor without control characters, within the
    /// length cap. Returns whether anything was inserted.
    fn insert(&mut self, text: &str) -> bool {
        self.cursor = self.cursor();
        let room = MAX_QUERY_BYTES.saturating_sub(self.query.len());
        let mut kept = String::new();
        for c in text.chars().filter(|c| !c.is_control()) {
            if kept.len() + c.len_utf8() > room {
                break;
            }
            kept.push(c);
        }
        self.query.insert_str(self.cursor, &kept);
        self.cursor += kept.len();
        !kept.is_empty()
    }

    fn backspace(&mut self) -> bool {
        self.cursor = self.cursor();
        let Some(c) = self.query[..self.cursor].chars().next_back() else {
            return false;
        };
        self.cursor -= c.len_utf8();
        self.query.remove(self.cursor);
        true
    }

    fn delete(&mut self) -> bool {
        self.cursor = self.cursor();
        if self.cursor >= self.query.len() {
            return false;
        }
        self.query.remove(self.cursor);
        true
    }

    /// Deletes the word before the cursor and the spaces after it (readline's Ctrl-W).
    fn delete_word(&mut self) -> bool {
        self.cursor = self.cursor();
        let start = word_start(&self.query, self.cursor);
        self.query.replace_range(start..self.cursor, "");
        let changed = start < self.cursor;
        self.cursor = start;
        changed
    }

    /// Left/Right by a character (or a word with `by_word`), Home/End.
    fn move_cursor(&mut self, code: KeyCode, by_word: bool) {
        self.cursor = self.cursor();
        let q = &self.query;
        self.cursor = match code {
            KeyCode::Left if by_word => word_start(q, self.cursor),
            KeyCode::Left => q[..self.cursor]
                .chars()
                .next_back()
                .map_or(0, |c| self.cursor - c.len_utf8()),
            KeyCode::Right if by_word => word_end(q, self.cursor),
            KeyCode::Right => q[self.cursor..]
                .chars()
                .next()
                .map_or(q.len(), |c| self.cursor + c.len_utf8()),
            KeyCode::Home => 0,
            KeyCode::End => q.len(),
            _ => self.cursor,
        };
    }

    fn recompile(&mut self) {
        self.compiled = Compiled::new(&self.query, self.mode);
    }
}

/// Where the word ending at `cursor` starts, spaces before the cursor skipped.
fn word_start(s: &str, cursor: usize) -> usize {
    let before = &s[..cursor];
    let trimmed = before.trim_end();
    trimmed
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// Where the word starting at or after `cursor` ends.
fn word_end(s: &str, cursor: usize) -> usize {
    let after = &s[cursor..];
    let skipped = after.len() - after.trim_start().len();
    after[skipped..]
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(s.len(), |(i, _)| cursor + skipped + i)
}

/// A query parsed and compiled: what `matches` runs against every row.
#[derive(Debug, Clone, Default)]
struct Compiled {
    types: Vec<String>,
    excluded: Vec<String>,
    /// The free text as a regex (a literal one in text mode); `None` when
    /// there is no text or it did not compile.
    pattern: Option<Regex>,
    /// Whether the text is read as a regex.
    regex: bool,
    case_sensitive: bool,
    error: Option<String>,
    /// A `jq:` query: it alone decides.
    jq: Option<Query>,
}

impl Compiled {
    fn new(query: &str, mode: MatchMode) -> Self {
        if let Some(expr) = query.trim().strip_prefix("jq:") {
            return match Query::compile(expr) {
                Ok(jq) => Self {
                    jq: Some(jq),
                    ..Self::default()
                },
                Err(err) => Self {
                    error: Some(format!("jq: {err}")),
                    ..Self::default()
                },
            };
        }
        let (types, excluded, text) = split(query);
        let (text, regex) = match text.strip_prefix('/').and_then(|t| t.strip_suffix('/')) {
            Some(inner) => (inner, true),
            None => (text.as_str(), mode == MatchMode::Regex),
        };
        let mut compiled = Self {
            types,
            excluded,
            regex,
            ..Self::default()
        };
        if text.is_empty() {
            return compiled;
        }
        let (pattern, case_sensitive) = if regex {
            (text.to_owned(), regex_has_upper(text))
        } else {
            (regex::escape(text), text.chars().any(char::is_uppercase))
        };
        compiled.case_sensitive = case_sensitive;
        match RegexBuilder::new(&pattern)
            .case_insensitive(!case_sensitive)
            .multi_line(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) => compiled.pattern = Some(re),
            Err(e) => compiled.error = Some(describe(&e, regex)),
        }
        compiled
    }

    fn matches(&self, event: &Event) -> bool {
        if self.error.is_some() {
            return false;
        }
        if let Some(jq) = &self.jq {
            return jq.holds(&event.data);
        }
        let ty = event.event_type();
        // An MCP row's type is its direction and stream (`← get`): `stream:`
        // names the stream.
        let ty = crate::mcp::live::rows::parse_row_type(ty).map_or(ty, |(_, stream)| stream);
        let typed = !self.types.is_empty() || !self.excluded.is_empty();
        if !self.types.is_empty() && !self.types.iter().any(|t| t == ty) {
            return false;
        }
        if self.excluded.iter().any(|t| t == ty) {
            return false;
        }
        match &self.pattern {
            Some(re) => {
                re.is_match(&event.event) || re.is_match(&event.id) || re.is_match(&event.data)
            }
            // Types alone decide; a query with no condition at all matches nothing.
            None => typed,
        }
    }
}

/// The query's `type:` words (wanted, left out) and the rest, the free text.
fn split(query: &str) -> (Vec<String>, Vec<String>, String) {
    let mut types = Vec::new();
    let mut excluded = Vec::new();
    let mut text = String::new();
    // Start of the text not yet copied; a type word and the spaces after it are skipped.
    let mut copied = 0;
    let mut words = words(query).peekable();
    while let Some((start, word)) = words.next() {
        // In an MCP tab an event's type is its stream (`stream:get`).
        let Some(name) = word
            .strip_prefix("type:")
            .or_else(|| word.strip_prefix("event:"))
            .or_else(|| word.strip_prefix("stream:"))
        else {
            continue;
        };
        match name.strip_prefix('!') {
            Some(not) if !not.is_empty() => excluded.push(not.to_owned()),
            Some(_) => {}
            None if !name.is_empty() => types.push(name.to_owned()),
            None => {}
        }
        text.push_str(&query[copied..start]);
        copied = words.peek().map_or(query.len(), |(next, _)| *next);
    }
    text.push_str(&query[copied..]);
    (types, excluded, text.trim().to_owned())
}

/// The whitespace-separated words of `s` with their byte offsets.
fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    s.split_whitespace()
        // Each word is a slice of `s`: its offset is the pointer difference.
        .map(move |w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
}

/// Smart case for a regex: an upper-case letter that is not part of an
/// escape (`\S`, `\p{Lu}`) or a group name (`(?P<Name>`).
fn regex_has_upper(pattern: &str) -> bool {
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next();
                // `\p{..}`, `\P{..}`: a class name; `\x{..}`, `\u{..}`: a code point.
                if matches!(escaped, Some('p' | 'P' | 'x' | 'u' | 'U'))
                    && chars.peek() == Some(&'{')
                {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                } else if matches!(escaped, Some('p' | 'P')) {
                    // `\pL`: a one-letter class name.
                    chars.next();
                }
            }
            '(' if chars.peek() == Some(&'?') => {
                // `(?P<Name>`, `(?<Name>`: skip to the `>`; flags like `(?i)` have no upper case.
                while let Some(&c) = chars.peek() {
                    if c == ')' || c == ':' {
                        break;
                    }
                    chars.next();
                    if c == '>' {
                        break;
                    }
                }
            }
            c if c.is_uppercase() => return true,
            _ => {}
        }
    }
    false
}

/// A one-line reason for a pattern that did not compile.
fn describe(error: &regex::Error, regex: bool) -> String {
    match error {
        regex::Error::Syntax(message) => {
            // The message draws the pattern and a caret over several lines; the last says what is wrong.
            let last = message
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid regex");
            let reason = last.trim().trim_start_matches("error: ");
            format!("invalid regex: {reason}")
        }
        regex::Error::CompiledTooBig(_) if regex => "regex too large".to_owned(),
        regex::Error::CompiledTooBig(_) => "query too long".to_owned(),
        _ => "invalid regex".to_owned(),
    }
}

#[cfg(test)]
mod tests;
