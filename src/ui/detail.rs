//! The detail pane: the selected row as Content (data, pretty JSON) or Raw
//! (the exact protocol text). Both are capped so a huge event cannot stall a
//! frame, and an event's Content is built once and cached (`highlight`).
//! `render` returns how far the pane can scroll, which the loop feeds back
//! to the state so scrolling stops at the last line.

use std::borrow::Cow;
use std::rc::Rc;
use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::event_list::{marker_style, match_style};
use super::highlight::{self, ContentCache, RawKey};
use super::insight;
use super::text::{self, Context};
use super::{Theme, pane};
use crate::sse::Block;
use crate::state::{AppState, DetailMode, Focus, Row, RowKind};

/// From this width the title shows every view's tab; narrower, the view in
/// use and its neighbours.
const WIDE_TITLE: u16 = 100;

/// At most this much of an event is formatted and shown.
pub const CAP: usize = 256 * 1024;

pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    cache: &mut ContentCache,
    now: Instant,
) -> u16 {
    let session = state.active();
    let focused = session.focus == Focus::Detail;
    let tab = |mode: DetailMode| {
        if session.detail == mode {
            theme.tab_active
        } else {
            theme.tab_inactive
        }
    };
    // Every view's tab in a wide pane, the row's views and the connection's
    // apart; a narrow one shows the view in use and its neighbours (what
    // `V` and `v` reach), so the title keeps room for the event's summary.
    let wide = area.width >= WIDE_TITLE;
    let mut spans = vec![Span::raw(" ")];
    if wide {
        for mode in DetailMode::ALL {
            if mode == DetailMode::Answer {
                spans.push(Span::styled("│ ", theme.dim));
            }
            spans.push(Span::styled(format!(" {} ", mode.label()), tab(mode)));
            spans.push(Span::raw(" "));
        }
    } else {
        let (prev, next) = (session.detail.step(false), session.detail.step(true));
        spans.push(Span::styled("‹", theme.dim));
        for mode in [prev, session.detail, next] {
            spans.push(Span::styled(format!(" {} ", mode.label()), tab(mode)));
        }
        spans.push(Span::styled("› ", theme.dim));
    }
    let tabs = Line::from(spans);
    let tabs_width = tabs.width();
    let mut block = pane(focused, theme).title(tabs);
    let inner = block.inner(area);
    let width = inner.width as usize;
    // The event's data only as far as it is shown: a 16 MiB event costs
    // what 256 KiB does on every frame.
    let row = if session.detail.is_connection_wide() {
        None
    } else {
        session.selected_row_capped(CAP)
    };
    // Rows after `rows`, shared with a cache (the Answer's text).
    let mut tail: Option<Rc<Vec<Line<'static>>>> = None;
    let rows = match session.detail {
        DetailMode::Answer if session.mcp.is_some() => session
            .mcp
            .as_ref()
            .map(|mcp| Rc::new(super::mcp_answer::answer(mcp, theme, width))),
        DetailMode::Answer => {
            let (head, text) = insight::answer(
                &session.insight,
                session.reasoning_view,
                theme,
                width,
                &mut cache.markdown,
                now,
                session.is_live(),
            );
            tail = text;
            Some(Rc::new(head))
        }
        DetailMode::Checks if session.mcp.is_some() => session
            .mcp
            .as_ref()
            .map(|mcp| Rc::new(super::mcp_checks::checks(mcp, theme, width))),
        DetailMode::Checks => {
            let mut lines = super::contract::checks(&session.contract, theme, width);
            lines.extend(insight::checks(&session.insight, theme, width, now));
            Some(Rc::new(lines))
        }
        DetailMode::Stats => Some(Rc::new(insight::stats(
            &session.insight,
            theme,
            width,
            now,
            session.is_live().then_some(state.stall_after),
        ))),
        _ => None,
    };
    if let Some((row, data_len)) = &row {
        let room = (area.width as usize).saturating_sub(tabs_width + 4);
        let mut info = text::escape(&info(row, *data_len), Context::Raw).into_owned();
        // Said in the title too: the errors themselves are below the data,
        // maybe out of view.
        if let Some(list) = session.selected_violations() {
            info.push_str(&format!(
                " · ✗ {}",
                crate::text::plural(list.len() as u64, "schema error")
            ));
        }
        let info = format!(" {} ", text::ellipsize(&info, room));
        block = block.title_top(Line::styled(info, theme.dim).right_aligned());
    }
    let rows = match (rows, row) {
        (Some(rows), _) => rows,
        (None, Some((row, data_len))) => match session.detail {
            DetailMode::Raw => match row.raw() {
                // Laid out once per row and width, not on every frame.
                Some(range) => {
                    let span = session.log().wire_span();
                    let key = RawKey {
                        range: range.clone(),
                        retained: span.start <= range.start && range.end <= span.end,
                        line_endings: state.show_line_endings,
                        width,
                        look: (theme.color, theme.variant, theme.depth),
                    };
                    cache.raw_rows(key, || text::wrap(raw_lines(&row, state, theme), width))
                }
                None => Rc::new(text::wrap(raw_lines(&row, state, theme), width)),
            },
            DetailMode::Wire => Rc::new(text::wrap(wire_lines(&row, state, theme), width)),
            _ => match &row.kind {
                // A failure's marker: the diagnosis of what went wrong below it.
                RowKind::Marker(text) if super::event_list::is_failure_marker(text) => {
                    let mut rows = (*content_rows(&row, data_len, theme, width, cache)).clone();
                    rows.extend(insight::diagnosis(&session.insight, theme, width));
                    Rc::new(rows)
                }
                // An event that breaks its schema: where, below its data.
                RowKind::Event { .. } if let Some(list) = session.selected_violations() => {
                    let mut rows = (*content_rows(&row, data_len, theme, width, cache)).clone();
                    rows.extend(super::contract::violations(list, theme, width));
                    Rc::new(rows)
                }
                _ => content_rows(&row, data_len, theme, width, cache),
            },
        },
        (None, None) => {
            frame.render_widget(block, area);
            if !inner.is_empty() {
                let hint = Line::styled("no event selected", theme.dim).centered();
                let y = inner.y + inner.height / 2;
                frame.render_widget(Paragraph::new(hint), Rect::new(inner.x, y, inner.width, 1));
            }
            return 0;
        }
    };
    let height = inner.height as usize;
    let tail: &[Line<'static>] = tail.as_deref().map_or(&[], Vec::as_slice);
    let total = rows.len() + tail.len();
    let max_scroll = total.saturating_sub(height);
    let scroll = (session.detail_scroll as usize).min(max_scroll);
    if total > height && height > 0 {
        let last = (scroll + height).min(total);
        let position = format!(" {}-{} of {} ", scroll + 1, last, total);
        block = block.title_bottom(Line::styled(position, theme.dim).right_aligned());
    }
    frame.render_widget(block, area);
    let visible = rows.iter().chain(tail).skip(scroll).take(height);
    let marked = matches!(session.detail, DetailMode::Content | DetailMode::Raw);
    let shown: Vec<Line> = if session.search.is_active() && marked {
        // Matches are marked on the lines on screen only, so a huge event costs nothing.
        let hit = match_style(theme);
        visible
            .map(|line| text::mark(line, &session.search.match_ranges(&line.to_string()), hit))
            .collect()
    } else {
        visible.cloned().collect()
    };
    frame.render_widget(Paragraph::new(shown), inner);
    u16::try_from(max_scroll).unwrap_or(u16::MAX)
}

/// The title's summary: `event <type> · id <id> · <size>`, the size
/// `data_len` (the row's data may be cut to what is shown).
fn info(row: &Row, data_len: usize) -> String {
    match &row.kind {
        RowKind::Event { event, .. } => {
            let mut info = format!("event {}", text::head(event.event_type(), 256));
            if !event.id.is_empty() {
                info.push_str(&format!(" · id {}", text::head(&event.id, 256)));
            }
            info.push_str(&format!(" · {}", crate::text::size(data_len as u64)));
            if let Some(ms) = event.retry_ms {
                info.push_str(&format!(" · retry {ms} ms"));
            }
            info
        }
        RowKind::Block(block) => format!(
            "{} block · {}",
            Row::block_label(block),
            crate::text::size(block.raw.end - block.raw.start)
        ),
        RowKind::Marker(_) => format!("attempt {}", row.attempt),
    }
}

/// The Content rows wrapped at `width`; an event's come from the cache.
/// `data_len` is the event's full length, its row's data at most `CAP` of it.
fn content_rows(
    row: &Row,
    data_len: usize,
    theme: &Theme,
    width: usize,
    cache: &mut ContentCache,
) -> Rc<Vec<Line<'static>>> {
    let lines = match &row.kind {
        RowKind::Event { event, .. } => {
            let shown = text::head(&event.data, CAP);
            return cache.rows(shown, data_len, theme, width, || {
                event_content(shown, data_len, theme)
            });
        }
        RowKind::Block(block) => block_content(block, theme),
        RowKind::Marker(marker) => marker_content(row, marker, theme),
    };
    Rc::new(text::wrap(lines, width))
}

/// An event's Content: `shown`, the first `CAP` bytes at most of its
/// `data_len` bytes of data.
fn event_content(shown: &str, data_len: usize, theme: &Theme) -> Vec<Line<'static>> {
    if data_len == 0 {
        return vec![Line::styled("(empty data)", theme.dim)];
    }
    let truncated = data_len > shown.len();
    let pretty = if truncated {
        None
    } else {
        highlight::json(shown, theme)
    };
    let mut lines = pretty.unwrap_or_else(|| highlight::plain_lines(shown, theme));
    if truncated {
        // On top, where it is seen without scrolling through 256 KiB.
        lines.splice(0..0, [cap_note(data_len, theme), Line::raw("")]);
    }
    lines
}

fn cap_note(total: usize, theme: &Theme) -> Line<'static> {
    Line::styled(
        format!(
            "… showing the first 256 KiB of {}",
            crate::text::size(total as u64)
        ),
        theme.dim,
    )
}

fn block_content(block: &Block, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if block.comment_lines > 0 {
        let mut spans = vec![Span::styled("comment: ", theme.accent)];
        spans.extend(escaped(
            block.comment.as_deref().unwrap_or(""),
            Context::Raw,
            Style::new(),
            theme,
        ));
        if block.comment_lines > 1 {
            spans.push(Span::styled(
                format!("  ({} comment lines, the first shown)", block.comment_lines),
                theme.dim,
            ));
        }
        lines.push(Line::from(spans));
    }
    if let Some(id) = &block.id {
        let mut spans = vec![Span::styled("id: ", theme.accent)];
        spans.extend(escaped(id, Context::Raw, Style::new(), theme));
        spans.push(Span::styled("  (sets the last event ID)", theme.dim));
        lines.push(Line::from(spans));
    }
    if let Some(ms) = block.retry_ms {
        lines.push(Line::from(vec![
            Span::styled("retry: ", theme.accent),
            Span::raw(format!("{ms} ms")),
            Span::styled("  (sets the reconnection time)", theme.dim),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "A block that dispatched no event: its data was empty.",
        theme.dim,
    ));
    lines
}

fn marker_content(row: &Row, marker: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(escaped(
        marker,
        Context::Raw,
        marker_style(marker, theme),
        theme,
    ))];
    let Some(info) = &row.attempt_info else {
        return lines;
    };
    {
        let request = &info.request;
        lines.push(Line::raw(""));
        lines.push(Line::styled("Request", theme.accent));
        lines.push(Line::from(escaped(
            &format!("{} {}", request.method, request.url),
            Context::Raw,
            Style::new(),
            theme,
        )));
        lines.extend(headers(&request.headers, theme));
        if let Some(len) = request.body_len {
            lines.push(Line::styled(
                format!("({} body)", crate::text::size(len as u64)),
                theme.dim,
            ));
        }
    }
    if let Some(response) = &info.response {
        lines.push(Line::raw(""));
        lines.push(Line::styled("Response", theme.accent));
        // The version is a capture file's text when the stream is a recording.
        lines.push(Line::from(escaped(
            &format!("{} {}", response.version, response.status),
            Context::Raw,
            Style::new(),
            theme,
        )));
        lines.extend(headers(&response.headers, theme));
        for redirect in &response.redirects {
            let text = format!(
                "redirect {} {} → {} ({})",
                redirect.status, redirect.from, redirect.to, redirect.method
            );
            lines.push(Line::from(escaped(&text, Context::Raw, theme.dim, theme)));
        }
        if !response.redirects.is_empty() {
            let text = format!("final URL {}", response.final_url);
            lines.push(Line::from(escaped(&text, Context::Raw, theme.dim, theme)));
        }
        lines.push(Line::styled(
            format!(
                "time to first byte {} ms",
                response.time_to_first_byte.as_millis()
            ),
            theme.dim,
        ));
    }
    lines
}

fn headers(headers: &[(String, String)], theme: &Theme) -> Vec<Line<'static>> {
    headers
        .iter()
        .map(|(name, value)| {
            let mut spans = escaped(name, Context::Raw, theme.field, theme);
            spans.push(Span::styled(": ", theme.dim));
            spans.extend(escaped(value, Context::Raw, Style::new(), theme));
            Line::from(spans)
        })
        .collect()
}

fn raw_lines(row: &Row, state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let session = state.active();
    let Some(range) = row.raw() else {
        return vec![Line::styled(
            "A connection marker: nothing was received for it. Content shows the request and response.",
            theme.dim,
        )];
    };
    let total = (range.end - range.start) as usize;
    let truncated = total > CAP;
    let end = if truncated {
        range.start + CAP as u64
    } else {
        range.end
    };
    let Some(mut bytes) = session.log().raw_bytes(&(range.start..end)) else {
        return vec![Line::styled(
            "The raw bytes of this row are no longer retained: the wire log dropped them to stay within its cap.",
            theme.dim,
        )];
    };
    if !truncated {
        bytes.extend_from_slice(session.log().terminator_after(range.end));
    }
    let mut lines: Vec<Line<'static>> = split_lines(&bytes)
        .into_iter()
        .map(|(line, ending)| raw_line(line, ending, state.show_line_endings, theme))
        .collect();
    if truncated {
        lines.splice(0..0, [cap_note(total, theme), Line::raw("")]);
    }
    lines
}

/// How much of the wire log the Wire view shows at once.
const WIRE_WINDOW: u64 = 64 * 1024;

/// Every byte received from the selected row on (from the newest bytes for a
/// marker), keep-alives and line endings as they came: what the server sent
/// between events too.
fn wire_lines(row: &Row, state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let session = state.active();
    let span = session.log().wire_span();
    if span.is_empty() {
        return vec![Line::styled("Nothing received yet.", theme.dim)];
    }
    let start = match row.raw() {
        Some(raw) => raw.start.max(span.start),
        None => span.end.saturating_sub(WIRE_WINDOW).max(span.start),
    };
    let end = (start + WIRE_WINDOW).min(span.end);
    let Some(bytes) = session.log().raw_bytes(&(start..end)) else {
        return vec![Line::styled(
            "These bytes are no longer retained.",
            theme.dim,
        )];
    };
    let note = format!(
        "wire log: bytes {start}-{end} of {} received{}",
        span.end,
        if end < span.end {
            " (scroll, or select a later row, for more)"
        } else {
            ""
        }
    );
    let mut lines = vec![Line::styled(note, theme.dim), Line::raw("")];
    lines.extend(
        split_lines(&bytes)
            .into_iter()
            .map(|(line, ending)| raw_line(line, ending, state.show_line_endings, theme)),
    );
    lines
}

/// Splits at CRLF, CR and LF, keeping each line's ending (`""` for the last
/// line when it has none).
pub fn split_lines(bytes: &[u8]) -> Vec<(&[u8], &'static str)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let ending = match (bytes[i], bytes.get(i + 1)) {
            (b'\r', Some(b'\n')) => "\r\n",
            (b'\r', _) => "\r",
            (b'\n', _) => "\n",
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push((&bytes[start..i], ending));
        i += ending.len();
        start = i;
    }
    if start < bytes.len() {
        lines.push((&bytes[start..], ""));
    }
    lines
}

/// One protocol line: the field name accented, a comment dim, then the ending's marker.
fn raw_line(line: &[u8], ending: &str, show_endings: bool, theme: &Theme) -> Line<'static> {
    let text: Cow<str> = String::from_utf8_lossy(line);
    let mut spans = if text.starts_with(':') {
        escaped(&text, Context::Raw, theme.comment, theme)
    } else {
        let (name, rest) = match text.find(':') {
            Some(i) => (&text[..i], Some(&text[i + 1..])),
            None => (text.as_ref(), None),
        };
        let style = match name {
            "data" | "id" | "event" | "retry" => theme.field,
            _ => theme.unknown_field,
        };
        let mut spans = escaped(name, Context::Raw, style, theme);
        if let Some(value) = rest {
            spans.push(Span::styled(":", theme.dim));
            spans.extend(escaped(value, Context::Raw, Style::new(), theme));
        }
        spans
    };
    if show_endings {
        let marker = match ending {
            "\r\n" => "␍␊",
            "\r" => "␍",
            "\n" => "␊",
            _ => "",
        };
        if !marker.is_empty() {
            spans.push(Span::styled(marker, theme.line_ending));
        }
    }
    Line::from(spans)
}

fn escaped(s: &str, ctx: Context, style: Style, theme: &Theme) -> Vec<Span<'static>> {
    text::spans(s, ctx, usize::MAX, style, theme.escape).0
}

#[cfg(test)]
mod tests;
