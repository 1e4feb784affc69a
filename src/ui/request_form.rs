//! The request editor pane: labels on the left, values on the right, one
//! form line per field (two-part rows for query parameters and headers), the
//! body filling what is left. The focused field is highlighted, the one being
//! edited shows the terminal cursor, errors sit in red under their field.
//!
//! ```text
//! ╭ Request ───────────────────────────────── 1 error ╮
//! │ Method        POST                                │
//! │ URL           https://api.example.com/v1/chat     │
//! │ Query         [x] model    = gpt                  │
//! │ Headers       [x] Accept   : text/event-stream    │
//! │ Auth          ○ none ● Bearer ○ Basic ○ API key   │
//! │   token       ••••••••                            │
//! │ Last-Event-ID none                                │
//! │ Reconnect     ○ always ○ on error ● never         │
//! │ Body          {                                   │
//! │ JSON            "stream": true,                   │
//! │                 ✗ invalid JSON: …                 │
//! ╰───────────────────────────────────────────────────╯
//! ```

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders};

use super::text::{self, Align};
use super::text_input::{self, Look};
use super::theme::Theme;
use crate::sse::{ApiKeyLocation, BodyFormat, ReconnectPolicy};
use crate::state::EditorScroll;
use crate::state::request_form::{
    AuthKind, BODY_FORMATS, List, Part, RECONNECT_POLICIES, RequestForm, Slot,
};
use crate::state::text_input::Scroll;

/// Columns of the label column: a focus marker, the longest label
/// (`Last-Event-ID`) and a space.
const LABEL_WIDTH: usize = 15;
/// The fewest rows the body gets, scrolling the form if need be.
const MIN_BODY_ROWS: usize = 3;
/// Under a value the capture recorded masked: it is not sent as it is.
const REDACTED_NOTE: &str = "! redacted in the capture: type the value, or ${env:VAR}";

/// Draws the form into `area` as a bordered pane titled "Request"; returns
/// where it was drawn from, for the state (`RequestForm::set_scroll`).
pub fn render(
    frame: &mut Frame,
    area: Rect,
    form: &RequestForm,
    theme: &Theme,
    focused: bool,
) -> EditorScroll {
    let block = pane(form, theme, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.is_empty() {
        return EditorScroll {
            top: form.scroll(),
            input: None,
        };
    }
    let painter = Painter {
        form,
        theme,
        focused,
        value_width: (inner.width as usize).saturating_sub(LABEL_WIDTH),
    };
    let mut rows = painter.fields();
    let room = inner.height as usize;
    let body_rows = room.saturating_sub(rows.len()).max(MIN_BODY_ROWS);
    rows.extend(painter.body(body_rows));

    let top = scroll_to_focus(form, &rows, room);
    for (i, row) in rows.iter().skip(top).take(room).enumerate() {
        let y = inner.y + i as u16;
        frame.render_widget(row.line.clone(), Rect::new(inner.x, y, inner.width, 1));
        if let Some(x) = row.cursor {
            let x = (inner.x as usize + x).min(inner.right().saturating_sub(1) as usize);
            frame.set_cursor_position((x as u16, y));
        }
    }
    EditorScroll {
        top,
        input: rows
            .iter()
            .find_map(|r| r.input_scroll)
            .map(|s| (form.focus(), s)),
    }
}

/// The pane frame: ` Request ` on the left, the error count on the right.
fn pane<'a>(form: &RequestForm, theme: &Theme, focused: bool) -> Block<'a> {
    let (style, kind) = if focused {
        (theme.border_focused, theme.border_type_focused)
    } else {
        (theme.border, theme.border_type)
    };
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(style)
        .title_top(Span::styled(" Request ", theme.pane_title));
    let errors = form.error_count();
    if errors > 0 {
        let label = format!(" {} ", crate::text::plural(errors as u64, "error"));
        block = block.title_top(Line::from(Span::styled(label, theme.error)).right_aligned());
    }
    block
}

/// The first row shown: the form's last scroll, moved just enough to show
/// the focused field (its first row when it is taller than the pane).
fn scroll_to_focus(form: &RequestForm, rows: &[Row], room: usize) -> usize {
    let mut top = form.scroll();
    let focused = |r: &Row| r.slots.contains(&form.focus());
    if let (Some(first), Some(last)) = (
        rows.iter().position(focused),
        rows.iter().rposition(focused),
    ) {
        if last + 1 > top + room {
            top = last + 1 - room;
        }
        if first < top {
            top = first;
        }
    }
    // The cursor's row must be on screen even in a field taller than the pane.
    if let Some(c) = rows.iter().position(|r| r.cursor.is_some()) {
        top = top.clamp(c.saturating_sub(room - 1), c);
    }
    top.min(rows.len().saturating_sub(room))
}

/// One screen row of the form.
struct Row {
    line: Line<'static>,
    /// The slots this row shows (for scrolling to the focus).
    slots: Vec<Slot>,
    /// The cursor's column in the row, when it is here.
    cursor: Option<usize>,
    /// Where the field being typed in (on this row) was shown from.
    input_scroll: Option<Scroll>,
}

struct Painter<'a> {
    form: &'a RequestForm,
    theme: &'a Theme,
    /// Whether the pane has the focus: only then are the focus and cursor shown.
    focused: bool,
    value_width: usize,
}

impl Painter<'_> {
    /// Every field but the body, each followed by its error if it has one.
    fn fields(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for line in self.form.lines() {
            let first = line[0];
            let label = match first {
                Slot::Body => continue,
                // A list's name labels its first row only.
                Slot::Row(_, i, _) if i > 0 => "",
                slot => slot_label(slot),
            };
            let (spans, cursor) = match first {
                Slot::Row(list, i, _) => self.row(list, i),
                Slot::AddRow(list) => (self.add_row(list), None),
                slot if slot.is_choice() => (self.choice(slot), None),
                slot => self.field(slot, self.value_width, placeholder(slot)),
            };
            rows.push(self.labelled(label, &line, spans, cursor));
            if let Some(error) = line.iter().find_map(|s| self.form.error(*s)) {
                rows.push(self.error_row(error, line.clone()));
            } else if line.iter().any(|s| self.form.is_redacted(*s)) {
                rows.push(self.note_row(REDACTED_NOTE, line.clone()));
            }
        }
        rows
    }

    /// A warning under a field that is not an error yet (a masked value).
    fn note_row(&self, note: &str, slots: Vec<Slot>) -> Row {
        let spans = vec![
            Span::raw(" ".repeat(LABEL_WIDTH)),
            Span::styled(
                text::ellipsize(note, self.value_width).into_owned(),
                self.theme.warn,
            ),
        ];
        Row {
            line: Line::from(spans),
            slots,
            cursor: None,
            input_scroll: None,
        }
    }

    /// The body: `height` rows (its error included), a JSON badge under the label.
    fn body(&self, height: usize) -> Vec<Row> {
        let form = self.form;
        let error = form.error(Slot::Body);
        let text_rows = height.saturating_sub(usize::from(error.is_some())).max(1);
        let editing = self.editing(Slot::Body);
        let look = Look {
            style: Style::new(),
            escape: self.theme.escape,
            masked: false,
        };
        let view = text_input::view(&form.body, self.value_width, text_rows, look, editing);
        let mut lines = view.lines;
        if form.body.is_empty() && !editing {
            let style = if self.has_focus(Slot::Body) {
                self.selected()
            } else {
                self.theme.muted
            };
            lines = vec![Line::from(Span::styled(
                text::ellipsize("empty · Enter types, E opens $EDITOR", self.value_width)
                    .into_owned(),
                style,
            ))];
        }
        lines.resize(text_rows, Line::default());
        // Notes under the label: whether it is checked as JSON, its length when cut.
        let line_count = form.body.text().lines().count();
        let notes: Vec<String> = [
            form.body_is_json().then(|| "JSON".to_owned()),
            (line_count > text_rows).then(|| format!("{line_count} lines")),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut rows = Vec::new();
        for (i, line) in lines.into_iter().enumerate() {
            let label = match i {
                0 => "Body",
                i => notes.get(i - 1).map_or("", String::as_str),
            };
            let cursor = view
                .cursor
                .filter(|(_, y)| *y as usize == i)
                .map(|(x, _)| (x as usize, view.scroll));
            let mut row = self.labelled(label, &[Slot::Body], line.spans, cursor);
            if i > 0 {
                // Only the first row's label is the field's name; the rest are notes.
                row.line.spans[1].style = self.theme.dim;
            }
            rows.push(row);
        }
        if let Some(error) = error {
            rows.push(self.error_row(error, vec![Slot::Body]));
        }
        rows
    }

    /// A row: the focus marker, the label, then the value.
    fn labelled(
        &self,
        label: &str,
        slots: &[Slot],
        value: Vec<Span<'static>>,
        cursor: Option<(usize, Scroll)>,
    ) -> Row {
        let focus_here = self.focused && slots.contains(&self.form.focus());
        let (marker, label_style) = if focus_here {
            (Span::styled("▌", self.theme.accent), self.theme.accent)
        } else {
            (Span::raw(" "), self.theme.dim)
        };
        let mut spans = vec![
            marker,
            Span::styled(text::fit(label, LABEL_WIDTH - 1, Align::Left), label_style),
        ];
        spans.extend(value);
        Row {
            line: Line::from(spans),
            slots: slots.to_vec(),
            cursor: cursor
                .filter(|_| self.focused)
                .map(|(x, _)| x + LABEL_WIDTH),
            input_scroll: cursor.map(|(_, scroll)| scroll),
        }
    }

    fn error_row(&self, error: &str, slots: Vec<Slot>) -> Row {
        let shown = text::escape(error, text::Context::Raw);
        let message = format!("✗ {shown}");
        let spans = vec![
            Span::raw(" ".repeat(LABEL_WIDTH)),
            Span::styled(
                text::ellipsize(&message, self.value_width).into_owned(),
                self.theme.error,
            ),
        ];
        Row {
            line: Line::from(spans),
            slots,
            cursor: None,
            input_scroll: None,
        }
    }

    /// A one-line text field `width` columns wide, and while it is typed in,
    /// the cursor's column in it and where its text was shown from.
    fn field(
        &self,
        slot: Slot,
        width: usize,
        placeholder: &str,
    ) -> (Vec<Span<'static>>, Option<(usize, Scroll)>) {
        let Some(input) = self.form.input(slot) else {
            return (Vec::new(), None);
        };
        let editing = self.editing(slot);
        let disabled = matches!(slot, Slot::Row(list, i, _)
            if self.form.rows(list).get(i).is_some_and(|r| !r.enabled));
        let style = if editing {
            Style::new()
        } else if self.has_focus(slot) {
            self.selected()
        } else if disabled {
            self.theme.muted
        } else {
            Style::new()
        };
        if input.is_empty() && !editing {
            let style = if self.has_focus(slot) {
                style
            } else {
                self.theme.muted
            };
            let shown = text::ellipsize(placeholder, width).into_owned();
            return (vec![Span::styled(shown, style)], None);
        }
        let look = Look {
            style,
            escape: self.theme.escape,
            masked: self.form.is_masked(slot),
        };
        let view = text_input::view(input, width, 1, look, editing);
        let spans = view
            .lines
            .into_iter()
            .next()
            .map(|l| l.spans)
            .unwrap_or_default();
        (spans, view.cursor.map(|(x, _)| (x as usize, view.scroll)))
    }

    /// `[x] name = value` (query) or `[x] name: value` (headers).
    fn row(&self, list: List, i: usize) -> (Vec<Span<'static>>, Option<(usize, Scroll)>) {
        let Some(row) = self.form.rows(list).get(i) else {
            return (Vec::new(), None);
        };
        let (check, check_style) = if row.enabled {
            ("[x] ", self.theme.ok)
        } else {
            ("[ ] ", self.theme.muted)
        };
        let sep = if list == List::Query { " = " } else { ": " };
        let longest = self
            .form
            .rows(list)
            .iter()
            .map(|r| text::str_width(r.name.text()))
            .max()
            .unwrap_or(0);
        let room = self.value_width.saturating_sub(check.len() + sep.len());
        let name_width = (longest + 1).clamp(6, (room / 3).max(6)).min(room);
        let (name, name_cursor) = self.field(Slot::Row(list, i, Part::Name), name_width, "name");
        let used: usize = name.iter().map(Span::width).sum();
        let (value, value_cursor) = self.field(
            Slot::Row(list, i, Part::Value),
            room.saturating_sub(name_width),
            "value",
        );
        let mut spans = vec![Span::styled(check, check_style)];
        spans.extend(name);
        spans.push(Span::raw(" ".repeat(name_width.saturating_sub(used))));
        spans.push(Span::styled(sep, self.theme.dim));
        spans.extend(value);
        let cursor = name_cursor
            .map(|(x, scroll)| (check.len() + x, scroll))
            .or(value_cursor.map(|(x, scroll)| (check.len() + name_width + sep.len() + x, scroll)));
        (spans, cursor)
    }

    /// The line standing for an empty list.
    fn add_row(&self, list: List) -> Vec<Span<'static>> {
        let what = match list {
            List::Query => "none · a adds a parameter",
            List::Headers => "none · a adds a header",
        };
        let style = if self.has_focus(Slot::AddRow(list)) {
            self.selected()
        } else {
            self.theme.muted
        };
        vec![Span::styled(
            text::ellipsize(what, self.value_width).into_owned(),
            style,
        )]
    }

    /// A choice as radio buttons, `● current ○ other`.
    fn choice(&self, slot: Slot) -> Vec<Span<'static>> {
        let form = self.form;
        let options: Vec<(&str, bool)> = match slot {
            Slot::AuthKind => AuthKind::ALL
                .iter()
                .map(|k| (k.label(), *k == form.auth.kind))
                .collect(),
            Slot::AuthKeyLocation => [ApiKeyLocation::Header, ApiKeyLocation::Query]
                .iter()
                .map(|l| (location_label(*l), *l == form.auth.key_location))
                .collect(),
            Slot::Reconnect => RECONNECT_POLICIES
                .iter()
                .map(|p| (reconnect_label(*p), *p == form.reconnect))
                .collect(),
            Slot::Kind => vec![("SSE", !form.mcp), ("MCP", form.mcp)],
            Slot::ParseAs => BODY_FORMATS
                .iter()
                .map(|f| (body_format_label(*f), *f == form.parse_as))
                .collect(),
            _ => Vec::new(),
        };
        let mut spans = Vec::new();
        let mut used = 0;
        for (label, on) in options {
            let (mark, style) = match (on, self.has_focus(slot)) {
                (true, true) => ("● ", self.selected()),
                (true, false) => ("● ", self.theme.accent),
                (false, _) => ("○ ", self.theme.dim),
            };
            let piece = format!("{mark}{label}");
            let width = text::str_width(&piece) + 1;
            if used + width > self.value_width + 1 {
                break;
            }
            spans.push(Span::styled(piece, style));
            spans.push(Span::raw(" "));
            used += width;
        }
        // A token command or OAuth2 from the profile: not "no auth".
        if slot == Slot::AuthKind
            && form.auth.kind == AuthKind::None
            && let Some(source) = form.credentials_from()
        {
            let note = format!(
                "· credentials from {}",
                text::escape(source, text::Context::Raw)
            );
            let room = (self.value_width + 1).saturating_sub(used);
            spans.push(Span::styled(
                text::ellipsize(&note, room).into_owned(),
                self.theme.dim,
            ));
        }
        spans
    }

    fn has_focus(&self, slot: Slot) -> bool {
        self.focused && self.form.focus() == slot
    }

    fn editing(&self, slot: Slot) -> bool {
        self.has_focus(slot) && self.form.is_editing()
    }

    fn selected(&self) -> Style {
        self.theme.selected
    }
}

fn list_label(list: List) -> &'static str {
    match list {
        List::Query => "Query",
        List::Headers => "Headers",
    }
}

fn slot_label(slot: Slot) -> &'static str {
    match slot {
        Slot::Method => "Method",
        Slot::Url => "URL",
        Slot::AuthKind => "Auth",
        Slot::AuthToken => "  token",
        Slot::AuthUser => "  user",
        Slot::AuthPassword => "  password",
        Slot::AuthKeyName => "  key name",
        Slot::AuthKeyValue => "  key value",
        Slot::AuthKeyLocation => "  send in",
        Slot::LastEventId => "Last-Event-ID",
        Slot::Reconnect => "Reconnect",
        Slot::Kind => "Kind",
        Slot::ParseAs => "Read body as",
        Slot::AnswerPath => "Answer path",
        Slot::Body => "Body",
        Slot::Row(list, ..) | Slot::AddRow(list) => list_label(list),
    }
}

/// What an empty field shows, dimmed.
fn placeholder(slot: Slot) -> &'static str {
    match slot {
        Slot::Method => "GET",
        Slot::Url => "https://…",
        Slot::LastEventId => "none",
        Slot::AnswerPath => "by shape (OpenAI, Anthropic, Gemini, Ollama) or e.g. .text",
        Slot::AuthToken | Slot::AuthPassword | Slot::AuthKeyValue => "empty",
        Slot::AuthKeyName => "e.g. X-API-Key",
        _ => "",
    }
}

fn location_label(location: ApiKeyLocation) -> &'static str {
    match location {
        ApiKeyLocation::Header => "header",
        ApiKeyLocation::Query => "query",
    }
}

fn body_format_label(format: BodyFormat) -> &'static str {
    match format {
        BodyFormat::EventStream => "event stream",
        BodyFormat::ForceSse => "SSE, any type",
        BodyFormat::Ndjson => "NDJSON",
    }
}

fn reconnect_label(policy: ReconnectPolicy) -> &'static str {
    match policy {
        ReconnectPolicy::Always => "always",
        ReconnectPolicy::OnError => "on error",
        ReconnectPolicy::Never => "never",
    }
}
