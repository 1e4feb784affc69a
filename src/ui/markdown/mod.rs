//! Basic Markdown for the Transcript view: ATX headings, `*`/`_`/`**`
//! emphasis, inline code, bullet and numbered lists, block quotes, rules,
//! fenced code highlighted by its language tag, paragraphs word-wrapped.
//! Not CommonMark: what model answers use, rendered sensibly when cut off
//! mid-stream (an open fence shows its code so far; an unmatched `*` is a `*`).
//!
//! The text is untrusted: every control character is made visible.
//! [`MarkdownCache`] re-renders only the last block as the text grows.

mod blocks;
mod code;
mod inline;
mod markers;
#[cfg(test)]
mod tests;
mod wrap;

use std::rc::Rc;
use std::time::{Duration, Instant};

use ratatui::text::Line;

use crate::ui::Theme;
use crate::ui::text;
use crate::ui::theme::{ColorDepth, ThemeVariant};
use blocks::Renderer;

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
/// That last block can be large (an answer with no blank line, a long code
/// fence still open) and its rendering can no longer be cut short without
/// changing it (a `**` closed late turns earlier words bold). So its cost is
/// bounded in time instead: once rendering the open block took longer than
/// [`SLOW_RENDER`], the next one waits [`SLOW_FACTOR`] times that, showing
/// the lines as they were meanwhile. Frames stay fast; the newest words of a
/// huge block show a little late while it streams, and all of them at once
/// when the stream ends.
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
    /// Shared with the frame that shows them: the Answer view takes the
    /// lines on screen from it instead of a copy of every line.
    lines: Rc<Vec<Line<'static>>>,
    /// When the last render was done, and how long it took.
    last_render: Option<(Instant, Duration)>,
}

/// A render slower than this is not repeated at once (see [`MarkdownCache`]).
const SLOW_RENDER: Duration = Duration::from_millis(4);
/// How many times its own cost a slow render waits before the next one:
/// about 5% of the time goes to it at most.
const SLOW_FACTOR: u32 = 20;

impl MarkdownCache {
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// The rendered lines of `text` at `width` (the cache's own, shared),
    /// `now` being the frame's time. `live`: the text may still grow, so a
    /// slow render may wait; a text that stopped growing is shown whole at
    /// once (nothing may redraw the screen after this frame).
    pub fn lines(
        &mut self,
        text: &str,
        width: usize,
        theme: &Theme,
        now: Instant,
        live: bool,
    ) -> Rc<Vec<Line<'static>>> {
        let look = Some((theme.color, theme.variant, theme.depth, width));
        let offset = self.resume.offset;
        let same_text = text.len() >= offset
            && text.is_char_boundary(offset)
            && text.starts_with(self.head.as_str())
            && text[..offset].ends_with(self.before_resume.as_str());
        if look != self.look || !same_text {
            self.reset();
            self.look = look;
        } else if text.len() == self.text_len || (live && self.waits(now)) {
            return Rc::clone(&self.lines);
        }
        let started = Instant::now();
        // The last frame's handle is gone by now, so this takes the lines
        // back without copying them.
        let mut lines = Rc::unwrap_or_clone(std::mem::take(&mut self.lines));
        lines.truncate(self.resume.lines);
        let mut renderer = Renderer::new(theme, width, self.resume, lines);
        renderer.run(&text[self.resume.offset..], self.resume.offset);
        let (resume, lines) = renderer.finish();
        self.resume = resume;
        self.lines = Rc::new(lines);
        self.text_len = text.len();
        self.head = text::head(text, 64).to_owned();
        let from = text::floor_boundary(text, resume.offset.saturating_sub(64));
        self.before_resume = text[from..resume.offset].to_owned();
        self.last_render = Some((now, started.elapsed()));
        Rc::clone(&self.lines)
    }

    /// Whether the last render was slow and not long enough ago.
    fn waits(&self, now: Instant) -> bool {
        self.last_render.is_some_and(|(at, took)| {
            took > SLOW_RENDER && now.saturating_duration_since(at) < took * SLOW_FACTOR
        })
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
