//! Word wrap of styled spans, with the prefixes of list items and quotes.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::ui::text;

/// One word: its styled pieces and width, and the style of the space before it.
struct Word {
    pieces: Vec<Span<'static>>,
    width: usize,
    space: Style,
}

/// Greedy word wrap at `width` columns: `first` starts the first row, `rest`
/// every other; a word longer than a row is cut.
pub(super) fn wrap_words(
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
