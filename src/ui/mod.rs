//! Drawing: a pure function of the state, the theme and the time. Nothing here
//! does I/O, reads a clock or changes the state.
//!
//! ```text
//! ssetui · title · GET https://…            title line
//! ╭ Events ───────────╮╭ Content │ Raw ───╮
//! │ seq time  gap …   ││ {                │   side by side from 120 columns,
//! │                   ││   "a": 1         │   stacked below that
//! ╰───────────────────╯╰──────────────────╯
//! ● open 200 · attempt 1 · 12 events …      status bar
//! q quit  j/k move  …                       hint bar
//! ```

mod contract;
mod demo_picker;
mod detail;
mod environment_picker;
pub(crate) mod event_list;
mod help;
pub(crate) mod highlight;
mod history_picker;
mod insight;
mod json;
pub mod layout;
pub mod markdown;
mod mcp_answer;
mod mcp_ask;
mod mcp_checks;
pub mod mcp_panel;
mod profile_picker;
mod reasoning;
pub mod request_form;
mod status_bar;
pub mod text;
mod text_input;
pub mod theme;

use std::ops::Range;
use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub use highlight::ContentCache;
pub use theme::Theme;

use crate::state::{AppState, ConnStatus, FrameLayout, Overlay};

pub use layout::{MIN_HEIGHT, MIN_WIDTH, SIDE_BY_SIDE_WIDTH};

/// Draws the whole screen; returns what the frame learned, for the state
/// (the loop sends it back as `Msg::Drawn`).
pub fn draw(
    frame: &mut Frame,
    state: &AppState,
    theme: &Theme,
    cache: &mut ContentCache,
    now: Instant,
) -> FrameLayout {
    let session = state.active();
    let area = frame.area();
    let Some(panes) = layout::panes(area) else {
        too_small(frame, area, theme);
        return FrameLayout::empty(session.id);
    };
    let tab_columns = title_line(frame, panes.title, state, theme);
    let (list_rows, _) = layout::list_rows(panes.list);
    let mut drawn = FrameLayout {
        tab: session.id,
        title: panes.title,
        tab_columns,
        list: panes.list,
        list_rows,
        detail: panes.detail,
        detail_rows: panes.detail.height.saturating_sub(2),
        detail_max_scroll: None,
        editor: None,
    };
    match session.draft.as_ref().filter(|_| session.editor_open) {
        Some(draft) => {
            // The editor covers the list and the detail; the detail's length is unknown.
            let area = panes.list.union(panes.detail);
            drawn.editor = Some(request_form::render(frame, area, draft, theme, true));
        }
        None => {
            event_list::render(frame, panes.list, state, theme);
            let max = detail::render(frame, panes.detail, state, theme, cache, now);
            drawn.detail_max_scroll = Some(max);
        }
    }
    status_bar::render_status(frame, panes.status, state, theme, now);
    status_bar::render_hints(frame, panes.hints, state, theme);
    // On top, from the value that gives it the keys (the search prompt is
    // the hint line, drawn above).
    match &session.overlay {
        Some(Overlay::Demo) => demo_picker::render(frame, area, state, theme),
        Some(Overlay::Profiles(picker)) => profile_picker::render(frame, area, picker, theme),
        Some(Overlay::History(picker)) => history_picker::render(frame, area, picker, theme),
        Some(Overlay::Help(page, _)) => help::render(frame, area, &state.keymap, *page, theme),
        Some(Overlay::ConfirmQuit { why }) => confirm_quit(frame, area, why, theme),
        Some(Overlay::Environments(picker)) => {
            environment_picker::render(frame, area, picker, session.environment.as_deref(), theme)
        }
        Some(Overlay::ConfirmCopySecrets) => environment_picker::render_confirm(frame, area, theme),
        Some(Overlay::Resolved(view)) => {
            environment_picker::render_resolved(frame, area, view, theme);
        }
        Some(Overlay::McpAsk(prompt)) => mcp_ask::render(frame, area, prompt, theme),
        Some(Overlay::McpPanel) => {
            if let Some(mcp) = &session.mcp {
                mcp_panel::render(frame, area, &mcp.panel, theme);
            }
        }
        Some(Overlay::Search | Overlay::RenameTab(_)) | None => {}
    }
    drawn
}

/// Ctrl-C with unsaved work: what would be lost, and the keys.
fn confirm_quit(frame: &mut Frame, area: Rect, why: &str, theme: &Theme) {
    let why = text::escape(why, text::Context::Raw);
    let lines = [
        format!("Quit? {why}."),
        "y quits · any other key stays · Ctrl-C again quits".to_owned(),
    ];
    let width = lines.iter().map(|l| text::str_width(l)).max().unwrap_or(0) as u16 + 4;
    let max_w = area.width.saturating_sub(2);
    let rect = area.centered(
        ratatui::layout::Constraint::Length(width.min(max_w)),
        ratatui::layout::Constraint::Length(4),
    );
    let inner = overlay(frame, rect, "Quit", theme);
    let room = (inner.width as usize).saturating_sub(1);
    let body: Vec<Line> = lines
        .iter()
        .map(|l| Line::raw(format!(" {}", text::ellipsize(l, room))))
        .collect();
    frame.render_widget(Paragraph::new(body), inner);
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    if area.is_empty() {
        return;
    }
    let width = area.width as usize;
    let message = [
        "terminal too small (need 80x24)",
        "too small (need 80x24)",
        "need 80x24",
    ]
    .into_iter()
    .find(|m| m.len() <= width)
    .map_or_else(
        || text::ellipsize("need 80x24", width).into_owned(),
        str::to_owned,
    );
    let y = area.y + area.height / 2;
    let row = Rect::new(area.x, y, area.width, 1);
    frame.render_widget(
        Paragraph::new(Line::styled(message, theme.warn).centered()),
        row,
    );
}

/// `ssetui · <title> · <METHOD> <redacted URL>`; with several tabs, the tabs
/// (number, title and a connection dot) take the title's place. Returns the
/// columns each tab was drawn on, for mouse clicks.
fn title_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) -> Vec<Range<u16>> {
    let session = state.active();
    let url = crate::sse::redact::url(&session.request.url, &session.request.secret_names());
    let mut spans = vec![Span::styled(" ssetui", theme.app_name)];
    let mut tab_columns = Vec::new();
    if state.tabs().len() > 1 {
        spans.push(Span::raw(" "));
        let mut left = area.x as usize + spans.iter().map(Span::width).sum::<usize>();
        for tab in tab_spans(state, theme, area.width as usize / 2) {
            let right = left + tab.iter().map(Span::width).sum::<usize>();
            tab_columns.push(clamp_u16(left)..clamp_u16(right));
            left = right;
            spans.extend(tab);
        }
    } else {
        let title = text::escape(session.label(), text::Context::Raw);
        if !title.is_empty() {
            spans.push(Span::styled(" · ", theme.dim));
            spans.push(Span::styled(title.into_owned(), theme.title));
        }
        if session.profile_modified() {
            // The request differs from the profile as saved.
            spans.push(Span::styled(" (modified)", theme.warn));
        }
    }
    if let Some(env) = &session.environment {
        // Which [environments.NAME] filled the request's {{name}}.
        spans.push(Span::styled(" · env ", theme.dim));
        spans.push(Span::styled(
            text::escape(env, text::Context::Raw).into_owned(),
            theme.badge,
        ));
    }
    spans.push(Span::styled(" · ", theme.dim));
    if session.request.url.scheme() == "file" {
        // `open -`: nothing was requested; say where the bytes come from
        // rather than a GET of a made-up URL.
        let how = match session.request.body_format {
            crate::sse::BodyFormat::Ndjson => "NDJSON",
            _ => "SSE",
        };
        spans.push(Span::raw(format!("read from a pipe, as {how}")));
        frame.render_widget(Line::from(spans), area);
        return tab_columns;
    }
    // An MCP tab names the era and revision in use where others name the method.
    let method = match (&session.mcp, session.request.protocol.is_mcp()) {
        (Some(mcp), _) => text::escape(&mcp.title(), text::Context::Raw).into_owned(),
        (None, true) => "MCP".to_owned(),
        (None, false) => session.request.method.to_string(),
    };
    spans.push(Span::styled(format!("{method} "), theme.accent));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = (area.width as usize).saturating_sub(used + 1);
    let url = text::escape(&url, text::Context::Raw);
    spans.push(Span::raw(text::ellipsize(&url, room).into_owned()));
    frame.render_widget(Line::from(spans), area);
    tab_columns
}

fn clamp_u16(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// ` 1 title ● ` per tab (its spans), the active one highlighted, within
/// `room` columns: titles shrink first, then tabs become their numbers. A
/// background tab adds its badges: `+N` events since it was last shown,
/// `!` an error.
fn tab_spans(state: &AppState, theme: &Theme, room: usize) -> Vec<Vec<Span<'static>>> {
    let n = state.tabs().len();
    let badges: Vec<(String, bool)> = state
        .tabs()
        .iter()
        .enumerate()
        .map(|(i, session)| {
            if i == state.active_index() {
                return (String::new(), false);
            }
            let unseen = session.unseen_events();
            let new = if unseen > 0 {
                format!("+{}", compact_count(unseen))
            } else {
                String::new()
            };
            (new, session.unseen_error)
        })
        .collect();
    // Each tab needs " N ● " (5 to 6 columns) and its badges before any of its title shows.
    let fixed: usize = (1..=n)
        .zip(&badges)
        .map(|(i, (new, error))| {
            let badge_w = new.len() + if *error { 2 } else { 0 } + usize::from(!new.is_empty());
            i.to_string().len() + 4 + badge_w
        })
        .sum();
    let per_title = room.saturating_sub(fixed) / n;
    let mut tabs = Vec::new();
    for (i, (session, (new, error))) in state.tabs().iter().zip(badges).enumerate() {
        let active = i == state.active_index();
        let style = if active {
            theme.tab_active
        } else {
            theme.tab_inactive
        };
        let title = text::escape(session.label(), text::Context::Raw);
        let mark = if session.profile_modified() { "*" } else { "" };
        let title = if per_title >= 4 {
            format!(
                " {}{mark}",
                text::ellipsize(&title, per_title - 1 - mark.len())
            )
        } else {
            String::new()
        };
        let mut spans = vec![
            Span::styled(format!(" {}{title} ", i + 1), style),
            Span::styled("●", status_style(&session.status, theme)),
        ];
        if !new.is_empty() {
            spans.push(Span::styled(format!(" {new}"), theme.accent));
        }
        if error {
            spans.push(Span::styled(" !", theme.error));
        }
        spans.push(Span::raw(" "));
        tabs.push(spans);
    }
    tabs
}

/// A count in at most 4 columns: `999`, `1.2k`, `12k`, `1.2M`.
fn compact_count(n: u64) -> String {
    match n {
        0..1_000 => n.to_string(),
        1_000..10_000 => format!("{:.1}k", n as f64 / 1_000.0),
        10_000..1_000_000 => format!("{}k", n / 1_000),
        _ => format!("{:.1}M", n as f64 / 1_000_000.0),
    }
}

/// The colour of a connection state: green open, yellow on the way, red failed.
pub(crate) fn status_style(status: &ConnStatus, theme: &Theme) -> Style {
    match status {
        ConnStatus::Open => theme.ok,
        ConnStatus::Connecting | ConnStatus::Reconnecting { .. } => theme.warn,
        ConnStatus::Failed(_) => theme.error,
        ConnStatus::Idle | ConnStatus::Closed(_) => theme.muted,
    }
}

/// Clears `rect` and frames it as a focused overlay titled `title`; returns
/// the area inside the frame.
pub(crate) fn overlay(frame: &mut Frame, rect: Rect, title: &str, theme: &Theme) -> Rect {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(theme.border_type_focused)
        .border_style(theme.border_focused)
        .title(Line::styled(format!(" {title} "), theme.pane_title));
    let inner = block.inner(rect);
    frame.render_widget(ratatui::widgets::Clear, rect);
    frame.render_widget(block, rect);
    inner
}

/// A picker's framed box, centred in `area`: at most `max_width` columns,
/// and room for its prompt, a blank line, `rows` list rows (at least 3, at
/// most `max_rows`), a blank line and its keys. `None` when the screen is
/// too small to show one.
pub(crate) fn picker_box(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    (max_width, rows, max_rows): (u16, usize, usize),
    theme: &Theme,
) -> Option<Rect> {
    let width = area.width.saturating_sub(4).min(max_width);
    let wanted = rows.clamp(3, max_rows) as u16 + 6;
    let height = area.height.saturating_sub(4).min(wanted);
    let rect = area.centered(
        ratatui::layout::Constraint::Length(width),
        ratatui::layout::Constraint::Length(height),
    );
    if rect.width < 20 || rect.height < 6 {
        return None;
    }
    Some(overlay(frame, rect, title, theme))
}

/// A pane's frame: rounded, its border highlighted when it has the focus.
fn pane<'a>(focused: bool, theme: &Theme) -> Block<'a> {
    let (style, kind) = if focused {
        (theme.border_focused, theme.border_type_focused)
    } else {
        (theme.border, theme.border_type)
    };
    Block::new()
        .borders(Borders::ALL)
        .border_type(kind)
        .border_style(style)
}

/// A pane title: ` text ` in the pane-title style.
fn pane_title<'a>(text: impl Into<String>, style: Style) -> Span<'a> {
    Span::styled(format!(" {} ", text.into()), style)
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;
    use crate::sse::RequestSpec;

    fn title_of(state: &AppState, width: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, 1)).unwrap();
        let theme = Theme::new(true);
        terminal
            .draw(|f| {
                title_line(f, f.area(), state, &theme);
            })
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol()).collect()
    }

    #[test]
    fn several_tabs_show_numbered_in_the_title_line_the_active_highlighted() {
        let spec = RequestSpec::get("http://example.com/feed".parse().unwrap());
        let mut state = AppState::new(spec.clone(), "feed".into());
        assert_eq!(
            title_of(&state, 60).trim_end(),
            " ssetui · feed · GET http://example.com/feed"
        );
        state.open_tab(
            RequestSpec::get("http://other.test/x".parse().unwrap()),
            "other".into(),
        );
        let first = state.tabs()[0].id;
        state.tab_mut(first).unwrap().status = ConnStatus::Open;
        let line = title_of(&state, 100);
        assert!(
            line.starts_with(" ssetui  1 feed ●  2 other ●  · GET http://other.test/x"),
            "{line:?}"
        );
        // Narrow: titles give way, numbers stay.
        let narrow = title_of(&state, 30);
        assert!(narrow.contains(" 1 ● "), "{narrow:?}");
        assert!(narrow.contains(" 2 ● "), "{narrow:?}");

        let mut terminal = Terminal::new(TestBackend::new(100, 1)).unwrap();
        let theme = Theme::new(true);
        let mut columns = Vec::new();
        terminal
            .draw(|f| columns = title_line(f, f.area(), &state, &theme))
            .unwrap();
        // The columns reported for each tab are where it was drawn.
        let at = |needle: &str| line.find(needle).unwrap() as u16;
        assert_eq!(columns.len(), 2);
        assert!(columns[0].contains(&at("1 feed")), "{columns:?}");
        assert!(columns[1].contains(&at("2 other")), "{columns:?}");
        assert!(!columns[0].contains(&at("ssetui")), "{columns:?}");
        assert_eq!(columns[0].end, columns[1].start);
        let buffer = terminal.backend().buffer();
        let x = line.find("2 other").unwrap() as u16;
        assert_eq!(buffer[(x, 0)].style().fg, theme.tab_active.fg);
        let dot = line.find('●').unwrap();
        let dot_x = line[..dot].chars().count() as u16;
        assert_eq!(buffer[(dot_x, 0)].fg, theme.ok.fg.unwrap());
    }
}
