//! Blocks: the lines of a Markdown text read into paragraphs, list items,
//! quotes, headings, rules and fences, each rendered as it closes.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::Resume;
use super::code::code_lines;
use super::inline::{escaped, inline};
use super::markers::{heading, is_closing_fence, is_rule, list_item, opening_fence, quote};
use super::wrap::wrap_words;
use crate::ui::Theme;
use crate::ui::text;

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

pub(super) struct Renderer<'t> {
    theme: &'t Theme,
    width: usize,
    lines: Vec<Line<'static>>,
    block: Block,
    blank_since: bool,
    prev_item: bool,
    stable: Resume,
}

impl<'t> Renderer<'t> {
    pub(super) fn new(
        theme: &'t Theme,
        width: usize,
        resume: Resume,
        lines: Vec<Line<'static>>,
    ) -> Self {
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
    pub(super) fn run(&mut self, text: &str, base: usize) {
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
    pub(super) fn finish(mut self) -> (Resume, Vec<Line<'static>>) {
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
