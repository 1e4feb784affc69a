//! Basic Markdown for the Transcript view: ATX headings, `*`/`_`/`**`
//! emphasis, inline code, bullet and numbered lists, block quotes, rules,
//! fenced code highlighted by its language tag, paragraphs word-wrapped.
//! Not CommonMark: what model answers use, rendered sensibly when cut off
//! mid-stream (an open fence shows its code so far; an unmatched `*` is a `*`).
//!
//! The text is untrusted: every control character is made visible.
//! [`MarkdownCache`] re-renders only the last block as the text grows.

use std::collections::HashMap;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::easy::HighlightLines;

use crate::ui::Theme;
use crate::ui::highlight::{syntaxes, syntect_theme, terminal_style};
use crate::ui::text::{self, Context};
use crate::ui::theme::{ColorDepth, ThemeVariant};

/// Code blocks are coloured up to this many bytes each; the rest is plain,
/// as in the Content view (syntect does about 2 MB/s).
const MAX_CODE_BYTES: usize = 32 * 1024;

/// `text` rendered at `width` columns.
pub fn render(text: &str, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut renderer = Renderer::new(theme, width, Resume::default(), Vec::new());
    renderer.run(text, 0);
    renderer.finish().1
}

/// The lines of a growing text, kept between frames: blocks that can no longer
/// change (those before the last blank line or closed fence) are rendered
/// once, so a streaming answer costs only its last block per frame.
///
/// The text given must extend the text given before (a transcript only
/// grows); call [`MarkdownCache::reset`] for a new one. A shorter text or a
/// different start is detected and rendered afresh.
#[derive(Debug, Default)]
pub struct MarkdownCache {
    look: Option<(bool, ThemeVariant, ColorDepth, usize)>,
    resume: Resume,
    /// The text's length at the last render.
    text_len: usize,
    /// The text's start and the bytes before `resume.offset`, to notice a new text.
    head: String,
    before_resume: String,
    lines: Vec<Line<'static>>,
}

impl MarkdownCache {
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The rendered lines of `text` at `width`.
    pub fn lines(&mut self, text: &str, width: usize, theme: &Theme) -> &[Line<'static>] {
        let look = Some((theme.color, theme.variant, theme.depth, width));
        let offset = self.resume.offset;
        let same_text = text.len() >= offset
            && text.is_char_boundary(offset)
            && text.starts_with(self.head.as_str())
            && text[..offset].ends_with(self.before_resume.as_str());
        if look != self.look || !same_text {
            self.reset();
            self.look = look;
        } else if text.len() == self.text_len {
            return &self.lines;
        }
        let mut lines = std::mem::take(&mut self.lines);
        lines.truncate(self.resume.lines);
        let mut renderer = Renderer::new(theme, width, self.resume, lines);
        renderer.run(&text[self.resume.offset..], self.resume.offset);
        let (resume, lines) = renderer.finish();
        self.resume = resume;
        self.lines = lines;
        self.text_len = text.len();
        self.head = text::head(text, 64).to_owned();
        let from = text::floor_boundary(text, resume.offset.saturating_sub(64));
        self.before_resume = text[from..resume.offset].to_owned();
        &self.lines
    }
}

/// Where rendering can pick up again: everything before `offset` is final and
/// made `lines` lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Resume {
    offset: usize,
    lines: usize,
    /// A blank line came since the last block (the next one gets a gap).
    blank_since: bool,
    /// The last block was a list item (the next item follows without a gap).
    prev_item: bool,
}

/// What a paragraph is inside.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Container {
    Plain,
    /// Block quote nesting depth.
    Quote(usize),
    /// A list item: its indent in columns and its marker (`•`, `3.`).
    Item {
        indent: usize,
        marker: String,
    },
}

/// The block being read.
#[derive(Debug)]
enum Block {
    None,
    Paragraph {
        container: Container,
        text: String,
    },
    Fence {
        fence: char,
        fence_len: usize,
        opening: String,
        lang: String,
        code: Vec<String>,
    },
}

struct Renderer<'t> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    block: Block,
    blank_since: bool,
    prev_item: bool,
    stable: Resume,
}

impl<'t> Renderer<'t> {
    fn new(theme: &'t Theme, width: usize, resume: Resume, lines: Vec<Line<'static>>) -> Self {
        Self {
            theme,
            width: width.max(1),
            lines,
            block: Block::None,
            blank_since: resume.blank_since,
            prev_item: resume.prev_item,
            stable: resume,
        }
    }

    /// Reads `text`, which starts at byte `base` of the whole text.
    fn run(&mut self, text: &str, base: usize) {
        let mut start = 0;
        while start < text.len() {
            let (line, next, complete) = match text[start..].find('\n') {
                Some(i) => (&text[start..start + i], start + i + 1, true),
                None => (&text[start..], text.len(), false),
            };
            let line = line.strip_suffix('\r').unwrap_or(line);
            if self.line(line) && complete {
                self.stable = Resume {
                    offset: base + next,
                    lines: self.lines.len(),
                    blank_since: self.blank_since,
                    prev_item: self.prev_item,
                };
            }
            start = next;
        }
    }

    /// Renders what is still open (a paragraph, a fence not yet closed).
    fn finish(mut self) -> (Resume, Vec<Line<'static>>) {
        self.flush(false);
        (self.stable, self.lines)
    }

    /// Reads one line; returns whether everything read so far is final.
    fn line(&mut self, line: &str) -> bool {
        if let Block::Fence {
            fence, fence_len, ..
        } = &self.block
        {
            if is_closing_fence(line, *fence, *fence_len) {
                self.flush(true);
                return true;
            }
            if let Block::Fence { code, .. } = &mut self.block {
                code.push(line.to_owned());
            }
            return false;
        }
        if line.trim().is_empty() {
            self.flush(false);
            self.blank_since = true;
            return true;
        }
        if let Some((fence, fence_len, lang)) = opening_fence(line) {
            self.flush(false);
            self.block = Block::Fence {
                fence,
                fence_len,
                opening: line.trim().to_owned(),
                lang: lang.to_owned(),
                code: Vec::new(),
            };
            return false;
        }
        if let Some((level, title)) = heading(line) {
            self.flush(false);
            self.gap(false);
            let style = self.heading_style(level);
            let spans = inline(title, style, self.theme);
            self.push_wrapped(spans, Vec::new(), Vec::new());
            return false;
        }
        if is_rule(line) {
            self.flush(false);
            self.gap(false);
            let rule = "─".repeat(self.width.min(80));
            self.lines.push(Line::styled(rule, self.theme.muted));
            return false;
        }
        if let Some((depth, rest)) = quote(line) {
            let container = Container::Quote(depth);
            match &mut self.block {
                Block::Paragraph { container: c, text } if *c == container => {
                    if rest.trim().is_empty() {
                        self.flush(false);
                    } else {
                        text.push(' ');
                        text.push_str(rest.trim());
                    }
                }
                _ => {
                    self.flush(false);
                    if !rest.trim().is_empty() {
                        self.block = Block::Paragraph {
                            container,
                            text: rest.trim().to_owned(),
                        };
                    }
                }
            }
            return false;
        }
        if let Some((indent, marker, rest)) = list_item(line) {
            self.flush(false);
            self.block = Block::Paragraph {
                container: Container::Item { indent, marker },
                text: rest.trim().to_owned(),
            };
            return false;
        }
        // A plain line continues any paragraph (list items and quotes too).
        match &mut self.block {
            Block::Paragraph { text, .. } => {
                text.push(' ');
                text.push_str(line.trim());
            }
            _ => {
                self.block = Block::Paragraph {
                    container: Container::Plain,
                    text: line.trim().to_owned(),
                }
            }
        }
        false
    }

    /// One empty line between blocks, except between items of a tight list.
    fn gap(&mut self, is_item: bool) {
        if !self.lines.is_empty() && (self.blank_since || !(is_item && self.prev_item)) {
            self.lines.push(Line::default());
        }
        self.blank_since = false;
        self.prev_item = is_item;
    }

    /// Renders the open block; `closed` says a fence saw its closing line.
    fn flush(&mut self, closed: bool) {
        match std::mem::replace(&mut self.block, Block::None) {
            Block::None => {}
            Block::Paragraph { container, text } => {
                self.gap(matches!(container, Container::Item { .. }));
                let spans = inline(&text, Style::new(), self.theme);
                let (first, rest) = match container {
                    Container::Plain => (Vec::new(), Vec::new()),
                    Container::Quote(depth) => {
                        let bar = Span::styled("│ ".repeat(depth), self.theme.muted);
                        (vec![bar.clone()], vec![bar])
                    }
                    Container::Item { indent, marker } => {
                        let lead = " ".repeat(indent);
                        let hang = " ".repeat(indent + text::str_width(&marker) + 1);
                        let first = vec![
                            Span::raw(lead),
                            Span::styled(marker, self.theme.accent),
                            Span::raw(" "),
                        ];
                        (first, vec![Span::raw(hang)])
                    }
                };
                self.push_wrapped(spans, first, rest);
            }
            Block::Fence {
                opening,
                lang,
                code,
                ..
            } => {
                self.gap(false);
                let dim = self.theme.dim;
                self.lines
                    .push(Line::from(escaped(&opening, dim, self.theme)));
                let code = code_lines(&code, &lang, self.theme);
                self.lines.extend(text::wrap(code, self.width));
                if closed {
                    self.lines.push(Line::styled("```", dim));
                }
            }
        }
    }

    fn heading_style(&self, level: usize) -> Style {
        let title = self.theme.title;
        match level {
            1 => title
                .patch(self.theme.accent)
                .add_modifier(Modifier::UNDERLINED),
            2 => title.patch(self.theme.accent),
            _ => title,
        }
    }

    fn push_wrapped(
        &mut self,
        spans: Vec<Span<'static>>,
        first: Vec<Span<'static>>,
        rest: Vec<Span<'static>>,
    ) {
        let rows = wrap_words(spans, self.width, first, rest);
        self.lines.extend(rows);
    }
}

/// ```` ```lang ```` or `~~~`: the fence character, its length, the language tag.
fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = strip_indent(line)?;
    let fence = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == fence).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim();
    // A backtick fence's info string may not contain a backtick.
    if fence == '`' && info.contains('`') {
        return None;
    }
    Some((fence, len, info.split_whitespace().next().unwrap_or("")))
}

fn is_closing_fence(line: &str, fence: char, len: usize) -> bool {
    let Some(trimmed) = strip_indent(line) else {
        return false;
    };
    let run = trimmed.chars().take_while(|c| *c == fence).count();
    run >= len && trimmed[run * fence.len_utf8()..].trim().is_empty()
}

/// The line without up to three spaces of indent; `None` with four or more
/// (an indented line is not a fence, heading or rule).
fn strip_indent(line: &str) -> Option<&str> {
    let spaces = line.len() - line.trim_start_matches(' ').len();
    (spaces <= 3).then(|| &line[spaces..])
}

/// `## Title ##` → (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let trimmed = strip_indent(line)?;
    let level = trimmed.chars().take_while(|c| *c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let title = rest.trim();
    let title = title.trim_end_matches('#');
    // Closing hashes count only after a space (`# C#` keeps its `#`).
    let title = if title.len() < rest.trim().len() && !(title.is_empty() || title.ends_with(' ')) {
        rest.trim()
    } else {
        title.trim_end()
    };
    Some((level, title))
}

/// `---`, `***`, `___` (three or more, spaces allowed between).
fn is_rule(line: &str) -> bool {
    let Some(trimmed) = strip_indent(line) else {
        return false;
    };
    let Some(c) = trimmed
        .chars()
        .next()
        .filter(|c| matches!(c, '-' | '*' | '_'))
    else {
        return false;
    };
    trimmed.chars().filter(|x| *x == c).count() >= 3
        && trimmed.chars().all(|x| x == c || x == ' ' || x == '\t')
}

/// `> > text` → (2, "text").
fn quote(line: &str) -> Option<(usize, &str)> {
    let mut rest = strip_indent(line)?;
    let mut depth = 0;
    while let Some(after) = rest.strip_prefix('>') {
        depth += 1;
        rest = after
            .strip_prefix(' ')
            .unwrap_or(after)
            .trim_start_matches(' ');
    }
    (depth > 0).then_some((depth, rest))
}

/// `  - item` / `3. item` → (indent, marker shown, text).
fn list_item(line: &str) -> Option<(usize, String, &str)> {
    let body = line.trim_start_matches([' ', '\t']);
    let indent = line[..line.len() - body.len()]
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum::<usize>()
        .min(40);
    let mut chars = body.chars();
    let first = chars.next()?;
    if matches!(first, '-' | '*' | '+') {
        let rest = &body[1..];
        return (rest.starts_with([' ', '\t']) || rest.is_empty())
            .then(|| (indent, "•".to_owned(), rest));
    }
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let after = &body[digits..];
    let delimiter = after.chars().next().filter(|c| *c == '.' || *c == ')')?;
    let rest = &after[1..];
    (rest.starts_with([' ', '\t']) || rest.is_empty())
        .then(|| (indent, format!("{}{delimiter}", &body[..digits]), rest))
}

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
fn inline(src: &str, base: Style, theme: &Theme) -> Vec<Span<'static>> {
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

fn escaped(s: &str, style: Style, theme: &Theme) -> Vec<Span<'static>> {
    text::spans(s, Context::Content, usize::MAX, style, theme.escape).0
}

/// One word: its styled pieces and width, and the style of the space before it.
struct Word {
    pieces: Vec<Span<'static>>,
    width: usize,
    space: Style,
}

/// Greedy word wrap at `width` columns: `first` starts the first row, `rest`
/// every other; a word longer than a row is cut.
fn wrap_words(
    spans: Vec<Span<'static>>,
    width: usize,
    first: Vec<Span<'static>>,
    rest: Vec<Span<'static>>,
) -> Vec<Line<'static>> {
    let mut words: Vec<Word> = Vec::new();
    let mut current: Option<Word> = None;
    let mut space = Style::new();
    for span in spans {
        let style = span.style;
        for c in span.content.chars() {
            if c == ' ' {
                if let Some(word) = current.take() {
                    words.push(word);
                }
                space = style;
                continue;
            }
            let word = current.get_or_insert_with(|| Word {
                pieces: Vec::new(),
                width: 0,
                space,
            });
            word.width += text::char_width(c);
            match word.pieces.last_mut() {
                Some(last) if last.style == style => last.content.to_mut().push(c),
                _ => word.pieces.push(Span::styled(c.to_string(), style)),
            }
        }
    }
    words.extend(current);

    let rest_width: usize = rest.iter().map(Span::width).sum();
    let mut rows = Vec::new();
    let mut row = first;
    let mut used: usize = row.iter().map(Span::width).sum();
    let mut has_word = false;
    for word in words {
        if has_word && used + 1 + word.width > width {
            rows.push(Line::from(std::mem::replace(&mut row, rest.clone())));
            used = rest_width;
            has_word = false;
        }
        if has_word {
            row.push(Span::styled(" ", word.space));
            used += 1;
        }
        if used + word.width <= width || used + 1 > width {
            // Fits, or the row has no room at all (a tiny width): as is.
            used += word.width;
            row.extend(word.pieces);
        } else {
            // Longer than a row: cut it character by character.
            for piece in word.pieces {
                let mut part = String::new();
                for c in piece.content.chars() {
                    let w = text::char_width(c);
                    if used + w > width && used > rest_width {
                        if !part.is_empty() {
                            row.push(Span::styled(std::mem::take(&mut part), piece.style));
                        }
                        rows.push(Line::from(std::mem::replace(&mut row, rest.clone())));
                        used = rest_width;
                    }
                    used += w;
                    part.push(c);
                }
                if !part.is_empty() {
                    row.push(Span::styled(part, piece.style));
                }
            }
        }
        has_word = true;
    }
    rows.push(Line::from(row));
    rows
}

/// A fenced block's lines, coloured by syntect when the language is known and
/// the theme has colours; escaped either way.
fn code_lines(code: &[String], lang: &str, theme: &Theme) -> Vec<Line<'static>> {
    let plain = |line: &str| Line::from(escaped(line, Style::new(), theme));
    let syntax = (!lang.is_empty() && theme.color)
        .then(|| syntaxes().find_syntax_by_token(lang))
        .flatten();
    let (Some(syntax), Some(syntect_theme)) = (syntax, syntect_theme(theme.variant)) else {
        return code.iter().map(|l| plain(l)).collect();
    };
    let default_fg = syntect_theme.settings.foreground;
    let mut highlighter = HighlightLines::new(syntax, syntect_theme);
    let mut budget = MAX_CODE_BYTES;
    let mut buffer = String::new();
    let mut lines = Vec::with_capacity(code.len());
    for line in code {
        if line.len() >= budget {
            budget = 0;
            lines.push(plain(line));
            continue;
        }
        buffer.clear();
        buffer.push_str(line);
        buffer.push('\n');
        match highlighter.highlight_line(&buffer, syntaxes()) {
            Ok(regions) => {
                budget -= buffer.len();
                let mut spans = Vec::new();
                for (style, piece) in regions {
                    let piece = piece.strip_suffix('\n').unwrap_or(piece);
                    if !piece.is_empty() {
                        spans.extend(escaped(
                            piece,
                            terminal_style(style, default_fg, theme.depth),
                            theme,
                        ));
                    }
                }
                lines.push(Line::from(spans));
            }
            Err(_) => {
                budget = 0;
                lines.push(plain(line));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn mono() -> Theme {
        Theme::new(false)
    }

    #[test]
    fn emphasis_pairs_and_leaves_strays_literal() {
        let spans = inline(
            "a **b** *c* _d_ snake_case_name 2 * 3 **open",
            Style::new(),
            &mono(),
        );
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text, "a b c d snake_case_name 2 * 3 **open");
        let style_of = |needle: &str| {
            spans
                .iter()
                .find(|s| s.content == needle)
                .map(|s| s.style)
                .unwrap_or_else(|| panic!("{needle:?} in {spans:?}"))
        };
        assert!(style_of("b").add_modifier.contains(Modifier::BOLD));
        assert!(style_of("c").add_modifier.contains(Modifier::ITALIC));
        assert!(style_of("d").add_modifier.contains(Modifier::ITALIC));
    }

    #[test]
    fn code_spans_and_backslash_escapes() {
        let text: String = inline(r"`a*b*` \*not\* ``x`y`` `open", Style::new(), &mono())
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(text, "a*b* *not* x`y `open");
    }

    #[test]
    fn pathological_inline_input_is_linear_enough() {
        let nasty = "` * _ ** ".repeat(20_000);
        let spans = inline(&nasty, Style::new(), &mono());
        assert!(!spans.is_empty());
    }

    #[test]
    fn words_wrap_with_a_hanging_indent() {
        let lines = render("- alpha beta gamma delta", 12, &mono());
        assert_eq!(plain(&lines), ["• alpha beta", "  gamma", "  delta"]);
        let lines = render("abcdefghijklmnop", 5, &mono());
        assert_eq!(plain(&lines), ["abcde", "fghij", "klmno", "p"]);
    }

    #[test]
    fn headings_lists_quotes_and_rules() {
        let src = "# Title #\n\nSome *text*\nwrapped.\n\n1. one\n2. two\n\n> quoted\n> more\n\n---\n## C#";
        let lines = render(src, 40, &mono());
        assert_eq!(
            plain(&lines),
            [
                "Title",
                "",
                "Some text wrapped.",
                "",
                "1. one",
                "2. two",
                "",
                "│ quoted more",
                "",
                &"─".repeat(40),
                "",
                "C#",
            ]
        );
    }

    #[test]
    fn the_cache_matches_a_full_render_at_every_prefix() {
        let src = "# Plan\n\nFirst para with **bold**.\n\n- a\n- b\n\n```rust\nfn main() {}\n```\nAfter the fence.\n\n> q\n\nEnd";
        let theme = Theme::new(true);
        let mut cache = MarkdownCache::default();
        for end in (0..=src.len()).filter(|i| src.is_char_boundary(*i)) {
            let text = &src[..end];
            assert_eq!(
                cache.lines(text, 30, &theme),
                render(text, 30, &theme),
                "at {end}"
            );
        }
        // A new text is noticed.
        assert_eq!(
            cache.lines("other", 30, &theme),
            render("other", 30, &theme)
        );
    }
}
