//! One reusable text editor buffer for every field of the UI: single-line
//! (URL, header value, token) or multi-line (the request body). It owns the
//! text, the cursor and the undo history; the keys it knows are the readline
//! and editor ones a terminal user expects. Keys it does not use (Ctrl-R,
//! Ctrl-C, F-keys, and in a single line Enter, Tab, Up/Down) return `false`
//! so the form or the app can act on them.
//!
//! The cursor is a byte offset always on a `char` boundary; columns are
//! counted in chars. Display widths are the renderer's business
//! (`ui::text_input`), which also keeps [`Scroll`] so the cursor stays visible.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Undo steps kept; older ones are dropped.
const UNDO_LIMIT: usize = 100;
/// What Tab inserts in a multi-line input (JSON bodies are indented by two).
const INDENT: &str = "  ";
/// Lines moved by PageUp/PageDown in a multi-line input.
const PAGE_LINES: usize = 10;

/// The first line and the first display column shown. A frame reports where
/// it drew the text from (`FrameLayout::editor`), and the next one moves it
/// only as far as the cursor needs, so the view jumps as little as possible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub top: usize,
    pub left: usize,
}

/// Which kind of edit the last undo step started, so runs of typing (or of
/// deleting) undo as one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EditGroup {
    Insert,
    Delete,
}

/// A state of the text, for undo and redo.
#[derive(Debug, Clone, Default)]
struct Snapshot {
    text: String,
    cursor: usize,
    redacted: bool,
}

/// An editable text with a cursor and undo/redo.
#[derive(Debug, Clone, Default)]
pub struct TextInput {
    text: String,
    /// Byte offset into `text`, always on a char boundary.
    cursor: usize,
    multiline: bool,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    group: Option<EditGroup>,
    /// The column Up/Down aim for, kept across a run of vertical moves.
    goal_col: Option<usize>,
    /// Bumped on every change of the text, so owners can notice edits.
    revision: u64,
    /// The text stands for a value masked where it came from (a capture
    /// recorded without its secrets), not for the value itself. Any edit
    /// clears it; undoing back to the masked text sets it again.
    redacted: bool,
    scroll: Scroll,
}

impl TextInput {
    /// A one-line input holding `text` (line breaks dropped), cursor at the end.
    pub fn single_line(text: impl Into<String>) -> Self {
        let text = one_line(&text.into());
        Self {
            cursor: text.len(),
            text,
            ..Self::default()
        }
    }

    /// A multi-line input holding `text` (CRLF and CR become LF), cursor at the start.
    pub fn multi_line(text: impl Into<String>) -> Self {
        Self {
            text: normalize_newlines(&text.into()),
            multiline: true,
            ..Self::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_multiline(&self) -> bool {
        self.multiline
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// A counter that changes whenever the text does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The cursor as a byte offset into [`text`](Self::text).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The cursor's line and column, both 0-based, the column in chars.
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let col = before[line_start(&self.text, self.cursor)..]
            .chars()
            .count();
        (line, col)
    }

    /// Puts the cursor on `line`, `col` (chars), clamped to the text.
    pub fn set_cursor_line_col(&mut self, line: usize, col: usize) {
        let start = self
            .text
            .split_inclusive('\n')
            .take(line)
            .map(str::len)
            .sum::<usize>()
            .min(self.text.len());
        let start = line_start(&self.text, start);
        self.cursor = offset_of_col(&self.text, start, col);
        self.break_group();
    }

    pub fn move_to_end(&mut self) {
        self.cursor = self.text.len();
        self.break_group();
    }

    /// Where the renderer last showed the text from.
    pub fn scroll(&self) -> Scroll {
        self.scroll
    }

    /// Where a frame showed the text from, as it reported it.
    pub fn set_scroll(&mut self, scroll: Scroll) {
        self.scroll = scroll;
    }

    /// Replaces the whole text as one undoable step, cursor at the start (multi-line) or end.
    pub fn set_text(&mut self, text: impl Into<String>) {
        let text = self.clean(&text.into());
        if text == self.text {
            return;
        }
        self.checkpoint(None);
        self.text = text;
        self.cursor = if self.multiline { 0 } else { self.text.len() };
        self.changed();
    }

    /// Inserts `s` at the cursor as one undoable step: a bracketed paste.
    /// A single line drops line breaks (a wrapped token or URL joins up);
    /// a multi-line input keeps them, CRLF and CR turned into LF.
    pub fn insert_str(&mut self, s: &str) {
        let s = self.clean(s);
        if s.is_empty() {
            return;
        }
        self.checkpoint(None);
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
        self.changed();
    }

    /// Types one character (a newline only in a multi-line input).
    pub fn insert_char(&mut self, c: char) {
        if c == '\n' && !self.multiline {
            return;
        }
        if (c == '}' || c == ']') && self.multiline {
            self.dedent_blank_line();
        }
        self.checkpoint(Some(EditGroup::Insert));
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        self.changed();
        if c.is_whitespace() {
            // A word typed after a space undoes on its own.
            self.group = None;
        }
    }

    /// Applies an editing key; `false` when the key means nothing here.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        let vertical = matches!(
            key.code,
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown
        );
        if !vertical {
            self.goal_col = None;
        }
        match key.code {
            KeyCode::Char(c) if ctrl => return self.control_key(c),
            KeyCode::Char(c) if alt => match c {
                'b' => self.cursor = word_left(&self.text, self.cursor),
                'f' => self.cursor = word_right(&self.text, self.cursor),
                'd' => self.delete_to(word_right(&self.text, self.cursor)),
                _ => return false,
            },
            KeyCode::Char(c) => self.insert_char(c),
            KeyCode::Backspace if ctrl || alt => self.delete_to(word_left(&self.text, self.cursor)),
            KeyCode::Backspace => self.delete_to(prev_boundary(&self.text, self.cursor)),
            KeyCode::Delete if ctrl || alt => self.delete_to(word_right(&self.text, self.cursor)),
            KeyCode::Delete => self.delete_to(next_boundary(&self.text, self.cursor)),
            KeyCode::Left if ctrl || alt => self.cursor = word_left(&self.text, self.cursor),
            KeyCode::Right if ctrl || alt => self.cursor = word_right(&self.text, self.cursor),
            KeyCode::Left => self.cursor = prev_boundary(&self.text, self.cursor),
            KeyCode::Right => self.cursor = next_boundary(&self.text, self.cursor),
            KeyCode::Home if ctrl => self.cursor = 0,
            KeyCode::End if ctrl => self.cursor = self.text.len(),
            KeyCode::Home => self.cursor = line_start(&self.text, self.cursor),
            KeyCode::End => self.cursor = line_end(&self.text, self.cursor),
            KeyCode::Up if self.multiline => self.move_lines(-1),
            KeyCode::Down if self.multiline => self.move_lines(1),
            KeyCode::PageUp if self.multiline => self.move_lines(-(PAGE_LINES as isize)),
            KeyCode::PageDown if self.multiline => self.move_lines(PAGE_LINES as isize),
            KeyCode::Enter if self.multiline => self.newline(),
            KeyCode::Tab if self.multiline => {
                self.checkpoint(None);
                self.text.insert_str(self.cursor, INDENT);
                self.cursor += INDENT.len();
                self.changed();
            }
            KeyCode::BackTab if self.multiline => self.dedent_line(),
            _ => return false,
        }
        if !matches!(
            key.code,
            KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete
        ) {
            self.break_group();
        }
        true
    }

    /// Ctrl + a letter: readline's moves and kills, undo and redo.
    fn control_key(&mut self, c: char) -> bool {
        match c {
            'a' => self.cursor = line_start(&self.text, self.cursor),
            'e' => self.cursor = line_end(&self.text, self.cursor),
            'b' => self.cursor = prev_boundary(&self.text, self.cursor),
            'f' => self.cursor = next_boundary(&self.text, self.cursor),
            'h' => self.delete_to(prev_boundary(&self.text, self.cursor)),
            'd' => self.delete_to(next_boundary(&self.text, self.cursor)),
            'w' => self.delete_to(word_left(&self.text, self.cursor)),
            'u' => {
                self.checkpoint(None);
                self.delete_to(line_start(&self.text, self.cursor));
            }
            'k' => {
                self.checkpoint(None);
                let end = line_end(&self.text, self.cursor);
                // At the end of a line, Ctrl-K joins the next one (as in Emacs).
                let end = if end == self.cursor {
                    next_boundary(&self.text, end)
                } else {
                    end
                };
                self.delete_to(end);
            }
            // Ctrl-_ arrives as Ctrl-7 or Ctrl-/ depending on the terminal.
            'z' | '_' | '7' | '/' => {
                self.undo();
            }
            'y' | 'Z' => {
                self.redo();
            }
            _ => return false,
        }
        self.break_group();
        true
    }

    /// Restores the text before the last edit; `false` when there is none.
    pub fn undo(&mut self) -> bool {
        let Some(before) = self.undo.pop() else {
            return false;
        };
        let current = self.restore(before);
        self.redo.push(current);
        true
    }

    /// Re-applies the last undone edit; `false` when there is none.
    pub fn redo(&mut self) -> bool {
        let Some(after) = self.redo.pop() else {
            return false;
        };
        let current = self.restore(after);
        self.undo.push(current);
        true
    }

    /// Puts `snapshot` in place (a change like any other); returns what it replaced.
    fn restore(&mut self, snapshot: Snapshot) -> Snapshot {
        let current = self.snapshot();
        self.text = snapshot.text;
        self.cursor = snapshot.cursor.min(self.text.len());
        self.changed();
        self.redacted = snapshot.redacted;
        self.group = None;
        current
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            cursor: self.cursor,
            redacted: self.redacted,
        }
    }

    /// Marks the text as a value masked where it came from (see [`is_redacted`](Self::is_redacted)).
    pub fn mark_redacted(&mut self) {
        self.redacted = true;
    }

    /// Whether the text is a mask standing for a value that was redacted
    /// where it came from: never to be sent as it is. Any edit clears it.
    pub fn is_redacted(&self) -> bool {
        self.redacted
    }

    /// Deletes between the cursor and `to` (either side), as an undoable step.
    fn delete_to(&mut self, to: usize) {
        let (start, end) = if to < self.cursor {
            (to, self.cursor)
        } else {
            (self.cursor, to)
        };
        if start == end {
            return;
        }
        self.checkpoint(Some(EditGroup::Delete));
        self.text.replace_range(start..end, "");
        self.cursor = start;
        self.changed();
    }

    /// Enter in a multi-line input: a newline keeping the line's indentation,
    /// one level deeper after an opening `{` or `[`.
    fn newline(&mut self) {
        let start = line_start(&self.text, self.cursor);
        let line = &self.text[start..self.cursor];
        let mut indent: String = line.chars().take_while(|c| *c == ' ').collect();
        if line.trim_end().ends_with(['{', '[']) {
            indent.push_str(INDENT);
        }
        self.checkpoint(None);
        let inserted = format!("\n{indent}");
        self.text.insert_str(self.cursor, &inserted);
        self.cursor += inserted.len();
        self.changed();
    }

    /// Typing a closing bracket on a blank line takes one level of indentation back.
    fn dedent_blank_line(&mut self) {
        let start = line_start(&self.text, self.cursor);
        let before = &self.text[start..self.cursor];
        if before.len() >= INDENT.len() && before.bytes().all(|b| b == b' ') {
            self.checkpoint(Some(EditGroup::Insert));
            self.text
                .replace_range(self.cursor - INDENT.len()..self.cursor, "");
            self.cursor -= INDENT.len();
            self.changed();
        }
    }

    /// Shift-Tab: removes up to one indentation level from the cursor's line.
    fn dedent_line(&mut self) {
        let start = line_start(&self.text, self.cursor);
        let spaces = self.text[start..]
            .bytes()
            .take(INDENT.len())
            .take_while(|b| *b == b' ')
            .count();
        if spaces == 0 {
            return;
        }
        self.checkpoint(None);
        self.text.replace_range(start..start + spaces, "");
        self.cursor = if self.cursor >= start + spaces {
            self.cursor - spaces
        } else {
            start
        };
        self.changed();
    }

    /// Up/Down/PageUp/PageDown: `delta` lines, aiming for the column the run started at.
    fn move_lines(&mut self, delta: isize) {
        let (line, col) = self.cursor_line_col();
        let goal = *self.goal_col.get_or_insert(col);
        let last = self.text.matches('\n').count();
        let target = line.saturating_add_signed(delta).min(last);
        if target == line {
            // Already on the first or last line: go to its start or end.
            self.cursor = if delta < 0 { 0 } else { self.text.len() };
            return;
        }
        self.set_cursor_line_col(target, goal);
        self.goal_col = Some(goal);
    }

    /// Saves the text for undo unless this edit continues the same group.
    fn checkpoint(&mut self, group: Option<EditGroup>) {
        if group.is_some() && group == self.group {
            return;
        }
        self.undo.push(self.snapshot());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.group = group;
    }

    fn break_group(&mut self) {
        self.group = None;
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.redacted = false;
    }

    fn clean(&self, s: &str) -> String {
        if self.multiline {
            normalize_newlines(s)
        } else {
            one_line(s)
        }
    }
}

/// `s` with line breaks removed: pasted into a single line, a wrapped URL or
/// token joins up (a trailing newline from a copied line disappears).
fn one_line(s: &str) -> String {
    s.chars().filter(|c| *c != '\n' && *c != '\r').collect()
}

/// CRLF and lone CR become LF.
fn normalize_newlines(s: &str) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s.to_owned()
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map_or(0, |i| i + 1)
}

fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

fn prev_boundary(text: &str, pos: usize) -> usize {
    text[..pos]
        .chars()
        .next_back()
        .map_or(pos, |c| pos - c.len_utf8())
}

fn next_boundary(text: &str, pos: usize) -> usize {
    text[pos..]
        .chars()
        .next()
        .map_or(pos, |c| pos + c.len_utf8())
}

/// The start of the word before `pos` (skipping the separators before it).
fn word_left(text: &str, pos: usize) -> usize {
    let mut chars = text[..pos].char_indices().rev().peekable();
    while chars.next_if(|(_, c)| !is_word(*c)).is_some() {}
    while chars.next_if(|(_, c)| is_word(*c)).is_some() {}
    chars.peek().map_or(0, |(i, c)| i + c.len_utf8())
}

/// The end of the word after `pos` (skipping the separators before it).
fn word_right(text: &str, pos: usize) -> usize {
    let mut chars = text[pos..].char_indices().peekable();
    while chars.next_if(|(_, c)| !is_word(*c)).is_some() {}
    while chars.next_if(|(_, c)| is_word(*c)).is_some() {}
    chars.peek().map_or(text.len(), |(i, _)| pos + i)
}

/// The byte offset of char column `col` in the line starting at `start`, or the line's end.
fn offset_of_col(text: &str, start: usize, col: usize) -> usize {
    let end = line_end(text, start);
    text[start..end]
        .char_indices()
        .nth(col)
        .map_or(end, |(i, _)| start + i)
}

#[cfg(test)]
mod tests;
