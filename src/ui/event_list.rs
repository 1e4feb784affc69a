//! The event list: one line per row, virtualized. Only the rows that fit are
//! looked at, so a log of a million rows costs what a screenful costs.

use std::ops::Range;
use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{self, Align, Context, fit};
use super::{Theme, pane, pane_title};
use crate::insight::jq::Query;
use crate::insight::llm::{self, ContentPath};
use crate::sse::{Block, BlockKind};
use crate::state::{AppState, ConnStatus, Focus, Row, RowKind, Search, Session};

const TIME_W: usize = 12;
const GAP_W: usize = 6;
const SIZE_W: usize = 5;
/// How far back to look for the event before the first one shown, for its gap.
const GAP_LOOKBACK: usize = 256;
/// An LLM chunk larger than this is not read for its text (the list shows
/// its data): a row costs at most this much JSON on a frame.
const LLM_CHUNK_BYTES: usize = 64 * 1024;
/// Types and ids are cut to this many bytes before they are measured.
const LABEL_BYTES: usize = 256;
/// Bytes searched for highlights beyond what a preview can show (at most four
/// bytes a column), so a match running past the edge is still found.
const PREVIEW_SLACK_BYTES: usize = 1024;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let session = state.active();
    let focused = session.focus == Focus::List;
    let n = session.list.len();
    let position = match (
        session.list.relisting_progress(session.log()),
        session.list.selected(),
    ) {
        // A filter looking at every row: how far it got.
        (Some((done, total)), _) => format!(
            " filtering {}% · {n} so far ",
            done.saturating_mul(100) / total.max(1)
        ),
        (None, Some(s)) if n > 0 => format!(" {} of {} ", s + 1, n),
        _ => format!(" {n} "),
    };
    let block = pane(focused, theme)
        .title(Line::from(pane_title("Events", theme.pane_title)))
        .title_top(Line::styled(position, theme.dim).right_aligned());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return;
    }
    if n == 0 {
        empty_hint(frame, inner, state, theme);
        return;
    }
    let header = inner.height >= 3;
    let rows_h = (inner.height - u16::from(header)) as usize;
    let start = session.list.window_start(rows_h);
    let end = (start + rows_h).min(n);
    let rows: Vec<(usize, Row)> = (start..end)
        .filter_map(|pos| session.visible_row(pos).map(|row| (pos, row)))
        .collect();
    let cols = Columns::measure(&rows, inner.width as usize);
    let column = Column::of(session);
    if header {
        let last = match &column {
            Column::Jq(query) => query.expr(),
            Column::Llm(_) => "text (data: v Raw)",
            Column::Mcp => "message (L: its request/response)",
            Column::Data => "data",
        };
        // An MCP row's type is its direction and stream.
        let kind = if matches!(column, Column::Mcp) {
            "stream"
        } else {
            "type"
        };
        let line = Line::styled(cols.header(kind, last), theme.dim);
        frame.render_widget(line, Rect { height: 1, ..inner });
    }
    let top = inner.y + u16::from(header);
    let mut previous = previous_event_time(state, start);
    for (i, (pos, row)) in rows.iter().enumerate() {
        let rect = Rect::new(inner.x, top + i as u16, inner.width, 1);
        let selected = session.list.selected() == Some(*pos);
        let matched =
            (session.search.is_active() && session.search.matches(row)).then_some(&session.search);
        let time = time_cell(state, row.received_at);
        let marks = Marks {
            selected,
            matched,
            invalid: session.violations_at(*pos).is_some(),
            column: &column,
        };
        let line = row_line(row, &time, &cols, &mut previous, &marks, theme);
        frame.render_widget(line, rect);
        if selected {
            let style = if focused {
                theme.selected
            } else {
                theme.selected_unfocused
            };
            frame.buffer_mut().set_style(rect, style);
        }
    }
}

fn empty_hint(frame: &mut Frame, inner: Rect, state: &AppState, theme: &Theme) {
    let session = state.active();
    let hint = match session.status {
        ConnStatus::Idle | ConnStatus::Closed(_) | ConnStatus::Failed(_) => "press c to connect",
        _ => "waiting for events…",
    };
    let y = inner.y + inner.height / 2;
    let rect = Rect::new(inner.x, y, inner.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(hint, theme.dim).centered()),
        rect,
    );
}

/// The receive time of the nearest event listed before position `start`.
fn previous_event_time(state: &AppState, start: usize) -> Option<SystemTime> {
    let session = state.active();
    (start.saturating_sub(GAP_LOOKBACK)..start)
        .rev()
        .filter_map(|pos| session.visible_row(pos))
        .find(|row| matches!(row.kind, RowKind::Event { .. }))
        .map(|row| row.received_at)
}

/// Column widths for the rows on screen.
struct Columns {
    seq: usize,
    kind: usize,
    id: usize,
    width: usize,
}

impl Columns {
    fn measure(rows: &[(usize, Row)], width: usize) -> Self {
        let mut seq = 3;
        let mut kind = 4;
        let mut id = 2;
        for (_, row) in rows {
            if let RowKind::Event { seq: s, event } = &row.kind {
                seq = seq.max(s.to_string().len());
                kind = kind.max(text::str_width(&text::escape(
                    text::head(event.event_type(), LABEL_BYTES),
                    Context::Raw,
                )));
                id = id.max(text::str_width(&text::escape(
                    text::head(&event.id, LABEL_BYTES),
                    Context::Raw,
                )));
            }
        }
        let mut cols = Self {
            seq,
            kind: kind.min(16),
            id: id.min(12),
            width,
        };
        if cols.preview_width() < 24 {
            cols.kind = cols.kind.min(10);
            cols.id = cols.id.min(6);
        }
        cols
    }

    /// Columns before the preview: gutter, seq, time, gap, type, id, size and their gaps.
    fn fixed(&self) -> usize {
        1 + self.seq + 1 + TIME_W + 1 + GAP_W + 1 + self.kind + 1 + self.id + 1 + SIZE_W + 1
    }

    fn preview_width(&self) -> usize {
        self.width.saturating_sub(self.fixed())
    }

    /// The header; the last column is `data`, or the `jq:` expression shown in its place.
    fn header(&self, kind: &str, last: &str) -> String {
        format!(
            " {} {} {} {} {} {} {}",
            fit("#", self.seq, Align::Right),
            fit("time", TIME_W, Align::Left),
            fit("gap", GAP_W, Align::Right),
            fit(kind, self.kind, Align::Left),
            fit("id", self.id, Align::Left),
            fit("size", SIZE_W, Align::Right),
            text::ellipsize(&text::escape(last, Context::Preview), self.preview_width()),
        )
    }
}

/// How a row is marked: selected, matched by the search (which then
/// highlights its hits), and the `jq:` expression whose value it shows.
#[derive(Clone, Copy)]
struct Marks<'a> {
    selected: bool,
    matched: Option<&'a Search>,
    /// The event breaks its schema.
    invalid: bool,
    column: &'a Column<'a>,
}

/// What the list's last column shows for an event.
enum Column<'a> {
    /// A `jq:` search's value, else the profile's `list_column`'s.
    Jq(&'a Query),
    /// An LLM stream's chunk text (as the Answer view reads it, through its
    /// path if set); the data when a chunk adds none.
    Llm(Option<&'a ContentPath>),
    /// An MCP message's gist: method, id, params, result or error.
    Mcp,
    /// The data.
    Data,
}

impl<'a> Column<'a> {
    fn of(session: &'a Session) -> Self {
        if let Some(query) = session.search.jq().or(session.list_column.as_ref()) {
            return Column::Jq(query);
        }
        if session.mcp.is_some() {
            return Column::Mcp;
        }
        let path = session.insight.transcript_path.as_ref();
        // Only a stream recognised as an LLM's pays for reading each row's JSON.
        if path.is_some() || session.insight.transcript.shape().is_some() {
            return Column::Llm(path);
        }
        Column::Data
    }
}

fn row_line(
    row: &Row,
    time: &str,
    cols: &Columns,
    previous: &mut Option<SystemTime>,
    marks: &Marks<'_>,
    theme: &Theme,
) -> Line<'static> {
    let Marks {
        selected,
        matched,
        invalid,
        column,
    } = *marks;
    let gutter = if selected {
        Span::styled("▌", theme.accent)
    } else if invalid {
        Span::styled("✗", theme.error)
    } else if matched.is_some() {
        Span::styled("•", theme.accent)
    } else {
        Span::raw(" ")
    };
    match &row.kind {
        RowKind::Event { seq, event } => {
            let gap = previous
                .and_then(|p| row.received_at.duration_since(p).ok())
                .map(format_gap)
                .unwrap_or_default();
            *previous = Some(row.received_at);
            let kind = text::escape(text::head(event.event_type(), LABEL_BYTES), Context::Raw);
            let id = text::escape(text::head(&event.id, LABEL_BYTES), Context::Raw);
            let hit = match_style(theme);
            // Text search looks at the type as sent: the implied `message` never matched.
            let kind_hits = match matched {
                Some(search) if !event.event.is_empty() => search.match_ranges(&kind),
                _ => Vec::new(),
            };
            let id_hits = matched.map(|s| s.match_ranges(&id)).unwrap_or_default();
            let mut spans = vec![
                gutter,
                // An event that breaks its schema: its number in red too,
                // so the mark stays when the row is selected.
                Span::styled(
                    fit(&seq.to_string(), cols.seq, Align::Right),
                    if invalid { theme.error } else { theme.dim },
                ),
                Span::raw(" "),
                Span::styled(fit(time, TIME_W, Align::Left), theme.dim),
                Span::raw(" "),
                Span::styled(fit(&gap, GAP_W, Align::Right), theme.dim),
                Span::raw(" "),
            ];
            spans.extend(fit_highlighted(
                &kind,
                cols.kind,
                theme.event_type(event.event_type()),
                &kind_hits,
                hit,
            ));
            spans.push(Span::raw(" "));
            // An id the block did not set is the one in force from before
            // (maybe the client's own Last-Event-ID): dimmed, not the event's.
            let id_style = if event.sets_id {
                Style::new()
            } else {
                theme.dim
            };
            spans.extend(fit_highlighted(&id, cols.id, id_style, &id_hits, hit));
            spans.extend([
                Span::raw(" "),
                Span::styled(
                    fit(
                        &compact_bytes(event.data.len() as u64),
                        SIZE_W,
                        Align::Right,
                    ),
                    theme.dim,
                ),
                Span::raw(" "),
            ]);
            let value = match column {
                // A `jq:` search (or the profile's column) shows its value in place of the data.
                Column::Jq(query) => Some((query.extract(&event.data).unwrap_or_default(), false)),
                Column::Llm(path) => {
                    let data = text::head(&event.data, LLM_CHUNK_BYTES);
                    llm::delta_text(event.event_type(), data, *path).map(|d| (d.text, d.reasoning))
                }
                // Only an MCP row: an earlier connection's events in the
                // tab (a plain stream) show their data.
                Column::Mcp => crate::mcp::live::rows::parse_row_type(event.event_type())
                    .map(|_| (crate::mcp::summary::line(&event.data), false)),
                Column::Data => None,
            };
            match value {
                // Reasoning dimmed, as in the Answer view.
                Some((value, reasoning)) => {
                    let value = text::escape(&value, Context::Preview);
                    spans.push(Span::styled(
                        text::ellipsize(&value, cols.preview_width()).into_owned(),
                        if reasoning { theme.dim } else { theme.accent },
                    ));
                }
                None => spans.extend(preview(&event.data, cols.preview_width(), matched, theme)),
            }
            Line::from(spans)
        }
        RowKind::Block(block) => {
            let room = cols
                .width
                .saturating_sub(1 + cols.seq + 1 + TIME_W + 1 + GAP_W + 1);
            let mut spans = vec![
                gutter,
                Span::raw(" ".repeat(cols.seq + 1)),
                Span::styled(fit(time, TIME_W, Align::Left), theme.dim),
                Span::raw(" ".repeat(GAP_W + 2)),
            ];
            let (desc, _, cut) = text::spans(
                &block_summary(block),
                Context::Raw,
                room,
                theme.dim,
                theme.escape,
            );
            spans.extend(desc);
            if cut {
                spans.push(Span::styled("…", theme.dim));
            }
            Line::from(spans)
        }
        RowKind::Marker(marker) => {
            let style = marker_style(marker, theme);
            let room = cols.width.saturating_sub(1 + 3 + 1);
            let mut spans = vec![gutter, Span::styled("── ", style)];
            let (mut body, mut used, cut) =
                text::spans(marker, Context::Raw, room, style, theme.escape);
            if cut && room > 0 {
                (body, used, _) = text::spans(marker, Context::Raw, room - 1, style, theme.escape);
                body.push(Span::styled("…", style));
                used += 1;
            }
            spans.extend(body);
            let rest = cols.width.saturating_sub(1 + 3 + used + 1);
            if rest > 0 {
                spans.push(Span::styled(format!(" {}", "─".repeat(rest)), style));
            }
            Line::from(spans)
        }
    }
}

/// One line of the data, at most `width` columns, newlines as `⏎`, the
/// search's matches (when the row matched) highlighted.
fn preview(
    data: &str,
    width: usize,
    matched: Option<&Search>,
    theme: &Theme,
) -> Vec<Span<'static>> {
    if data.is_empty() {
        return vec![Span::styled("(empty)", theme.dim)];
    }
    // Matched in the raw data, so a pattern spanning a newline is found; only
    // the start that can be shown is searched.
    let shown = text::head(
        data,
        width.saturating_mul(4).saturating_add(PREVIEW_SLACK_BYTES),
    );
    let hits = matched.map(|s| s.match_ranges(shown)).unwrap_or_default();
    let hit = match_style(theme);
    let (spans, _, cut) = highlighted(data, &hits, width, theme, hit);
    if !cut || width == 0 {
        return spans;
    }
    let (mut spans, _, _) = highlighted(data, &hits, width - 1, theme, hit);
    spans.push(Span::styled("…", theme.dim));
    spans
}

/// The style of a search match: black on yellow. Written as yellow on black
/// reversed so that it stays a highlight when the selected row's background
/// is laid over it. Without colour: reversed, bold and underlined, which still
/// shows on a reversed selected row.
// A candidate for a `Theme` field (`search_match`), for the detail view too.
pub fn match_style(theme: &Theme) -> Style {
    let style = Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD);
    if theme.color {
        style.fg(Color::Yellow).bg(Color::Black)
    } else {
        style.add_modifier(Modifier::UNDERLINED)
    }
}

/// `data` as a one-line preview like `text::spans`, with the byte ranges
/// `hits` (sorted, not overlapping, on character boundaries) in `hit` style.
/// Returns the spans, the columns used and whether `data` was cut.
fn highlighted(
    data: &str,
    hits: &[Range<usize>],
    max_width: usize,
    theme: &Theme,
    hit: Style,
) -> (Vec<Span<'static>>, usize, bool) {
    let mut out = Vec::new();
    let mut used = 0;
    let mut at = 0;
    let parts = hits
        .iter()
        .flat_map(|r| {
            [
                (boundary_or_end(r.start, data), false),
                (boundary_or_end(r.end, data), true),
            ]
        })
        .chain([(data.len(), false)]);
    for (end, is_hit) in parts {
        if end <= at {
            continue;
        }
        // Inside a match a `⏎` looks like the rest of the match.
        let (style, escape) = if is_hit {
            (hit, Style::new())
        } else {
            (Style::new(), theme.escape)
        };
        let (spans, width, cut) = text::spans(
            &data[at..end],
            Context::Preview,
            max_width - used,
            style,
            escape,
        );
        out.extend(spans);
        used += width;
        if cut {
            return (out, used, true);
        }
        at = end;
    }
    (out, used, false)
}

/// `i` if it is a character boundary inside `s`, else the end of `s`: ranges
/// from a shorter head of `s` are safe, and a bad one cannot split a character.
fn boundary_or_end(i: usize, s: &str) -> usize {
    if i <= s.len() && s.is_char_boundary(i) {
        i
    } else {
        s.len()
    }
}

/// `s` (already escaped) padded or cut to `width` columns like `text::fit`
/// (left-aligned), the byte ranges `hits` of `s` in `hit` style.
fn fit_highlighted(
    s: &str,
    width: usize,
    style: Style,
    hits: &[Range<usize>],
    hit: Style,
) -> Vec<Span<'static>> {
    if hits.is_empty() {
        return vec![Span::styled(fit(s, width, Align::Left), style)];
    }
    let full = text::str_width(s);
    let (shown, used, cut) = if full > width {
        if width == 0 {
            return Vec::new();
        }
        let (prefix, used) = text::truncate(s, width - 1);
        (prefix, used + 1, true)
    } else {
        (s, full, false)
    };
    let mut spans = Vec::new();
    let mut at = 0;
    for r in hits {
        let (start, end) = (
            boundary_or_end(r.start, shown),
            boundary_or_end(r.end, shown),
        );
        if start >= end || start < at {
            continue;
        }
        if start > at {
            spans.push(Span::styled(shown[at..start].to_owned(), style));
        }
        spans.push(Span::styled(shown[start..end].to_owned(), hit));
        at = end;
    }
    if at < shown.len() {
        spans.push(Span::styled(shown[at..].to_owned(), style));
    }
    if cut {
        spans.push(Span::styled("…", style));
    }
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), style));
    }
    spans
}

/// What a non-dispatching block did, the way it would be written.
fn block_summary(block: &Block) -> String {
    let comment = || {
        let text = block.comment.as_deref().unwrap_or("");
        let more = match block.comment_lines {
            0 | 1 => String::new(),
            n => format!(" (+{} lines)", n - 1),
        };
        if text.is_empty() {
            format!(":{more}")
        } else {
            format!(": {text}{more}")
        }
    };
    let id = || format!("id: {}", block.id.as_deref().unwrap_or(""));
    let retry = || format!("retry: {}", block.retry_ms.unwrap_or(0));
    match block.kind() {
        BlockKind::Comment => comment(),
        BlockKind::IdOnly => id(),
        BlockKind::RetryOnly => retry(),
        BlockKind::IdAndRetry => format!("{} · {}", id(), retry()),
        BlockKind::Other if block.comment_lines > 0 => comment(),
        BlockKind::Other => "(block without data)".to_owned(),
    }
}

/// Whether a marker reports a failed attempt or connection (the texts
/// `update::connection` writes: `error (…)`, `failed: …`, `gave up …`).
pub fn is_failure_marker(marker: &str) -> bool {
    ["error", "failed", "gave up"]
        .iter()
        .any(|p| marker.starts_with(p))
}

/// Markers about failures in red, reconnects in yellow, connects in green.
pub fn marker_style(marker: &str, theme: &Theme) -> Style {
    if is_failure_marker(marker) {
        theme.error
    } else if marker.starts_with("reconnecting") {
        theme.warn
    } else if marker.starts_with("connected") {
        theme.ok
    } else {
        theme.dim
    }
}

mod cells;
#[cfg(test)]
mod tests;

use cells::{compact_bytes, format_gap, time_cell};
