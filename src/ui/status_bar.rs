//! The status bar (connection state and counters) and the hint bar (keys).

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::Theme;
use super::text::{self, Context};
use crate::action::{DETAIL_HINTS, HINTS};
use crate::state::search::MatchMode;
use crate::state::{AppState, ConnStatus, Focus, Overlay, Search};

/// Counters are dropped before the state text shrinks below this.
const MIN_STATE_WIDTH: usize = 32;
/// A long last event ID is cut to this.
const MAX_ID_WIDTH: usize = 24;
/// The search prompt drops its hints and notes before the query shrinks below this.
const MIN_QUERY_WIDTH: usize = 16;

pub fn render_status(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, now: Instant) {
    let session = state.active();
    let (label, style) = status_text(state, theme, now);
    // Counters in the order shown, each with its rank: when the line is too
    // narrow the lowest ranks go first.
    let mut stats: Vec<(u8, Span<'static>)> = Vec::new();
    if session.conn.attempt > 0 {
        stats.push((4, Span::raw(format!("attempt {}", session.conn.attempt))));
    }
    // The same counts as the Stats view's: one source. The tap's list of
    // exchanges counts exchanges instead: it has no stream of its own.
    let counts = &session.insight.stats;
    if let Some(tap) = state.tap_listing(session.id) {
        stats.push((9, Span::raw(crate::text::plural(tap.exchanges, "exchange"))));
        stats.push((
            6,
            Span::raw(crate::text::plural(tap.stream_count, "event stream")),
        ));
    } else {
        let (rate, bytes) = (counts.rate(now), counts.bytes());
        stats.push((9, Span::raw(crate::text::plural(counts.events(), "event"))));
        stats.push((6, Span::raw(format!("{rate:.1}/s"))));
        stats.push((3, Span::raw(crate::text::size(bytes))));
    }
    if !session.conn.last_event_id.is_empty() {
        let id = text::escape(text::head(&session.conn.last_event_id, 256), Context::Raw);
        stats.push((
            5,
            Span::raw(format!("id: {}", text::ellipsize(&id, MAX_ID_WIDTH))),
        ));
    }
    if let Some(opened) = session.conn.opened_at {
        let elapsed = clock_duration(now.saturating_duration_since(opened));
        stats.push((2, Span::styled(elapsed, theme.dim)));
    }
    let mut badges: Vec<Span<'static>> = Vec::new();
    if session.log().dropped_rows() > 0 {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            format!("{} dropped", session.log().dropped_rows()),
            theme.dropped,
        ));
    }
    // Mid-stream errors of an LLM answer (an `event: error`, an error object,
    // a rate limit) are easy to miss in a busy list: counted here, shown in
    // full in the Answer view.
    let transcript = &session.insight.transcript;
    let llm_errors = transcript.errors().len() + transcript.errors_dropped();
    if llm_errors > 0 {
        let what = if transcript.rate_limit().is_some() {
            "RATE LIMITED".to_owned()
        } else if llm_errors == 1 {
            "1 ERROR".to_owned()
        } else {
            format!("{llm_errors} ERRORS")
        };
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            format!(" {what} · v Answer "),
            theme.error.add_modifier(Modifier::REVERSED),
        ));
    }
    if session.is_live()
        && let Some(silent) = session.insight.stats.stalled(now, state.stall_after)
    {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            format!(" STALLED {}s ", silent.as_secs()),
            theme.warn.add_modifier(Modifier::REVERSED),
        ));
    }
    if session.recording.is_some() {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(
            " REC ",
            theme.error.add_modifier(Modifier::REVERSED),
        ));
    }
    if let Some(arrived) = session.arrived_while_frozen() {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(format!(" FROZEN +{arrived} "), theme.badge));
    }
    if session.list.is_following() {
        badges.push(Span::raw(" "));
        badges.push(Span::styled(" FOLLOW ", theme.badge));
    }
    let width = area.width as usize;
    let badges_w: usize = badges.iter().map(Span::width).sum();
    let label = text::escape(&label, Context::Raw).into_owned();
    let label_w = text::str_width(&label);
    // " ● " + label + (" · " + stat)* + " " + badges.
    let stats_w = |stats: &[(u8, Span)]| stats.iter().map(|(_, s)| 3 + s.width()).sum::<usize>();
    while !stats.is_empty()
        && 3 + label_w.min(MIN_STATE_WIDTH) + stats_w(&stats) + 1 + badges_w > width
    {
        let lowest = (0..stats.len()).min_by_key(|&i| stats[i].0).unwrap_or(0);
        stats.remove(lowest);
    }
    let room = width.saturating_sub(3 + stats_w(&stats) + 1 + badges_w);
    let label = text::ellipsize(&label, room).into_owned();
    let mut spans = vec![
        Span::raw(" "),
        Span::styled("●", style),
        Span::raw(" "),
        Span::styled(label, style),
    ];
    for (_, stat) in stats {
        spans.push(Span::styled(" · ", theme.dim));
        spans.push(stat);
    }
    let used: usize = spans.iter().map(Span::width).sum();
    // Badges sit at the right edge.
    if used + badges_w < width {
        spans.push(Span::raw(" ".repeat(width - used - badges_w)));
    }
    spans.extend(badges);
    frame.render_widget(Line::from(spans), area);
}

/// What the connection is doing, and its colour.
fn status_text(state: &AppState, theme: &Theme, now: Instant) -> (String, Style) {
    let session = state.active();
    match &session.status {
        ConnStatus::Idle if state.tap_listing(session.id).is_some() => {
            ("tapping".to_owned(), theme.ok)
        }
        ConnStatus::Idle => ("idle".to_owned(), theme.muted),
        ConnStatus::Connecting => ("connecting".to_owned(), theme.warn),
        ConnStatus::Open => {
            let label = match session.conn.http_status {
                Some(status) => format!("open {status}"),
                None => "open".to_owned(),
            };
            (label, theme.ok)
        }
        ConnStatus::Reconnecting { at, .. } => {
            // A countdown in tenths, as the screen redraws: a millisecond
            // figure would flicker.
            let tenths = at.saturating_duration_since(now).as_millis().div_ceil(100);
            let left = Duration::from_millis(u64::try_from(tenths * 100).unwrap_or(u64::MAX));
            (
                format!("reconnecting in {}", crate::text::duration(left)),
                theme.warn,
            )
        }
        ConnStatus::Closed(reason) => (format!("closed: {reason}"), theme.muted),
        ConnStatus::Failed(message) => (format!("error: {message}"), theme.error),
    }
}

/// The first help key that does not type (F1 by default, not `?`): the one
/// that opens the help from a text field.
fn untyped_help_key(state: &AppState) -> Option<String> {
    use crate::action::Action;
    state
        .keymap
        .bound(Action::ToggleHelp)
        .iter()
        .find(|key| {
            !matches!(key.code(), ratatui::crossterm::event::KeyCode::Char(_))
                || !key.modifiers().is_empty()
        })
        .map(|key| text::escape(&key.to_string(), Context::Raw).into_owned())
}

/// The tab's name being typed, with its cursor, then the keys.
fn rename_prompt(name: &str, cursor: usize, width: usize, theme: &Theme) -> Line<'static> {
    const LEAD: &str = " tab name: ";
    const KEYS: &str = "  Enter keeps · empty: default · Esc cancels";
    let cursor = crate::text::floor_boundary(name, cursor.min(name.len()));
    let (before, after) = name.split_at(cursor);
    let before = text::escape(before, Context::Raw).into_owned();
    let after = text::escape(after, Context::Raw).into_owned();
    let keys = if width >= LEAD.len() + 24 + KEYS.len() {
        KEYS
    } else {
        ""
    };
    let room = width.saturating_sub(LEAD.len() + keys.len() + 1);
    let after_room = text::str_width(&after).min(room / 3);
    Line::from(vec![
        Span::styled(LEAD, theme.key),
        Span::raw(tail(&before, room.saturating_sub(after_room))),
        Span::styled("▏", theme.accent),
        Span::raw(text::ellipsize(&after, after_room).into_owned()),
        Span::styled(keys, theme.dim),
    ])
}

/// `mm:ss`, or `h:mm:ss` from an hour.
pub fn clock_duration(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

/// `q quit  j/k move  …` from `action::HINTS` with the keys in force, as
/// many as fit with `? help` kept last; or the search prompt while a query is
/// typed.
pub fn render_hints(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    use crate::action::Action;
    let session = state.active();
    let width = area.width as usize;
    if matches!(session.overlay, Some(Overlay::Search)) {
        // The help key that works while typing (not `?`, which types): it
        // opens the search's help, its syntax a page further.
        let help = untyped_help_key(state);
        let prompt = search_prompt(&session.search, help.as_deref(), width, theme);
        frame.render_widget(prompt, area);
        return;
    }
    if let Some(Overlay::RenameTab(input)) = &session.overlay {
        frame.render_widget(
            rename_prompt(input.text(), input.cursor(), width, theme),
            area,
        );
        return;
    }
    let query = text::escape(session.search.query(), Context::Raw).into_owned();
    if let Some(notice) = &state.notice {
        // The outcome of the last action, until the next key.
        let shown = text::escape(notice, Context::Raw);
        let line = Line::from(vec![
            Span::raw(" "),
            Span::styled(
                text::ellipsize(&shown, width.saturating_sub(2)).into_owned(),
                theme.accent,
            ),
        ]);
        frame.render_widget(line, area);
        return;
    }
    if let Some(banner) = &state.banner {
        // Stays until Esc: the user must see it, whatever they press meanwhile.
        let shown = text::escape(banner, Context::Raw);
        let room = width.saturating_sub(2 + " · Esc dismisses".len());
        let line = Line::from(vec![
            Span::raw(" "),
            // The middle goes first: the end says where and why.
            Span::styled(
                text::ellipsize_middle(&shown, room).into_owned(),
                theme.error,
            ),
            Span::styled(" · Esc dismisses", theme.dim),
        ]);
        frame.render_widget(line, area);
        return;
    }
    let mut right: Vec<Span<'static>> = Vec::new();
    if session.search.is_active() {
        right.push(Span::styled("/", theme.key));
        right.push(Span::styled(
            text::ellipsize(&query, 24).into_owned(),
            theme.accent,
        ));
        if session.search.error().is_some() {
            right.push(Span::styled(" invalid", theme.error));
        } else if session.search.jq().is_some() {
            right.push(Span::styled(" jq", theme.dim));
        } else if session.search.mode() == MatchMode::Regex {
            right.push(Span::styled(" regex", theme.dim));
        }
        if session.search.is_filtering() {
            right.push(Span::raw(" "));
            right.push(Span::styled(" only matches ", theme.badge));
        }
        right.push(Span::raw(" "));
    }
    let right_w: usize = right.iter().map(Span::width).sum();
    let item = |key: &str, what: &'static str| {
        // Keys come from the user's config: make anything odd in them visible.
        let key = text::ellipsize(&text::escape(key, Context::Raw), 12).into_owned();
        vec![
            Span::raw("  "),
            Span::styled(key, theme.key),
            Span::raw(" "),
            Span::styled(what, theme.dim),
        ]
    };
    let width_of = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    // The request editor has hints of its own; letters type while it edits.
    let editor = session.draft.as_ref().filter(|_| session.editor_open);
    // Under a picker its keys (the picker shows them all); `?` types in its filter.
    let picker = matches!(
        session.overlay,
        Some(Overlay::Profiles(_) | Overlay::Demo | Overlay::History(_))
    );
    let mut hints: Vec<(String, &'static str)> = match editor {
        _ if picker => [("↑/↓", "move"), ("Enter", "open"), ("Esc", "close")]
            .map(|(key, what)| (key.to_owned(), what))
            .into(),
        Some(draft) => draft
            .hints()
            .iter()
            .filter(|(key, _)| *key != "?")
            .map(|(key, what)| ((*key).to_owned(), *what))
            .collect(),
        None => (if session.focus == Focus::Detail {
            DETAIL_HINTS
        } else {
            HINTS
        })
        .iter()
        // The demo picker exists only when the UI runs the demo itself.
        .filter(|(actions, _)| {
            !actions.contains(&Action::ToggleHelp)
                && (state.demo.is_some() || !actions.contains(&Action::DemoPicker))
        })
        .filter_map(|(actions, what)| Some((state.keymap.hint_keys(actions)?, *what)))
        .collect(),
    };
    // An MCP tab's own keys, after the view's: the panel and the link.
    if session.mcp.is_some() && !picker && editor.is_none() {
        let at = hints.len().min(3);
        let mcp = [(Action::McpPanel, "call"), (Action::JumpToLinked, "link")]
            .into_iter()
            .filter_map(|(action, what)| Some((state.keymap.hint_keys(&[action])?, what)));
        hints.splice(at..at, mcp);
    }
    let typing = picker || editor.is_some_and(|d| d.is_editing());
    let help = if typing {
        untyped_help_key(state)
    } else {
        state.keymap.hint_keys(&[Action::ToggleHelp])
    };
    let help = help.map(|key| item(&key, "help")).unwrap_or_default();
    let budget = width.saturating_sub(right_w + width_of(&help) + 1);
    let mut spans: Vec<Span<'static>> = Vec::new();
    for (key, what) in &hints {
        let next = item(key, what);
        if width_of(&spans) + width_of(&next) > budget {
            break;
        }
        spans.extend(next);
    }
    spans.extend(help);
    // One leading space instead of the first item's two.
    if let Some(first) = spans.first_mut() {
        *first = Span::raw(" ");
    }
    let used = width_of(&spans);
    if used + right_w < width {
        spans.push(Span::raw(" ".repeat(width - used - right_w)));
    }
    spans.extend(right);
    frame.render_widget(Line::from(spans), area);
}

/// The query being typed, with its cursor, then what it means (text or regex,
/// case, types), a regex's error, and the keys. When the line is short the
/// keys go first, then the notes; the error is cut, never dropped.
fn search_prompt(
    search: &Search,
    help: Option<&str>,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    const ERROR: u8 = u8::MAX;
    let (before, after) = search.query().split_at(search.cursor());
    let before = text::escape(before, Context::Raw).into_owned();
    let after = text::escape(after, Context::Raw).into_owned();
    let (before_w, after_w) = (text::str_width(&before), text::str_width(&after));
    let query_w = (before_w + 1 + after_w).min(MIN_QUERY_WIDTH);

    // What follows the query, in order, each with its rank: the lowest goes first.
    let mut parts: Vec<(u8, Span<'static>)> = Vec::new();
    let case = if search.case_sensitive() {
        ", match case"
    } else {
        ""
    };
    let (mode, other) = match search.mode() {
        // A `jq:` query is neither text nor regex: say what it is.
        _ if search.jq().is_some() => ("jq", "regex"),
        MatchMode::Text => ("text", "regex"),
        MatchMode::Regex => ("regex", "text"),
    };
    parts.push((3, Span::styled(format!("  {mode}{case}"), theme.accent)));
    let types: Vec<String> = (search.types().iter().cloned())
        .chain(search.excluded_types().iter().map(|t| format!("!{t}")))
        .collect();
    if !types.is_empty() {
        let types = text::escape(&types.join(", "), Context::Raw).into_owned();
        let types = text::ellipsize(&types, 32);
        parts.push((2, Span::styled(format!(" · type: {types}"), theme.accent)));
    }
    let error = search
        .error()
        .map(|e| text::escape(e, Context::Raw).into_owned());
    if let Some(error) = &error {
        parts.push((ERROR, Span::styled(format!("  {error}"), theme.error)));
    }
    let hint = format!("  Enter keeps it · Esc clears · ^T {other}");
    parts.push((1, Span::styled(hint, theme.dim)));
    if let Some(key) = help {
        let key = text::ellipsize(key, 12);
        parts.push((0, Span::styled(format!(" · {key} syntax"), theme.dim)));
    }

    let parts_w = |parts: &[(u8, Span)]| parts.iter().map(|(_, s)| s.width()).sum::<usize>();
    // " /" + query + parts.
    while 2 + query_w + parts_w(&parts) > width {
        let droppable = (0..parts.len())
            .filter(|&i| parts[i].0 != ERROR)
            .min_by_key(|&i| parts[i].0);
        match droppable {
            Some(i) => {
                parts.remove(i);
            }
            None => break,
        }
    }
    if let (Some(error), Some(i)) = (&error, parts.iter().position(|(r, _)| *r == ERROR)) {
        let others = parts_w(&parts) - parts[i].1.width();
        let room = width.saturating_sub(2 + query_w + others + 2);
        if room == 0 {
            // Too narrow to say anything: the query itself comes first.
            parts.remove(i);
        } else {
            let shown = text::ellipsize(error, room).into_owned();
            parts[i].1 = Span::styled(format!("  {shown}"), theme.error);
        }
    }

    // The query gets the rest; the cursor stays in view with a little of what follows it.
    let room = width.saturating_sub(2 + parts_w(&parts)).max(1);
    let after_room = if before_w + 1 + after_w <= room {
        after_w
    } else {
        // At most a third after the cursor, more when the text before it is short.
        after_w
            .min((room - 1) / 3)
            .max((room - 1).saturating_sub(before_w))
            .min(room - 1)
    };
    let before_room = room - 1 - after_room;
    let mut spans = vec![
        Span::raw(" "),
        Span::styled("/", theme.key),
        Span::raw(tail(&before, before_room)),
        Span::styled("▏", theme.accent),
        Span::raw(text::ellipsize(&after, after_room).into_owned()),
    ];
    spans.extend(parts.into_iter().map(|(_, span)| span));
    Line::from(spans)
}

/// The last `width` columns of `s`, led by `…` when cut.
fn tail(s: &str, width: usize) -> String {
    if text::str_width(s) <= width {
        return s.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    format!("…{}", text::truncate_end(s, width - 1).0)
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;

    #[test]
    fn durations_read_like_a_clock() {
        assert_eq!(clock_duration(Duration::from_secs(0)), "00:00");
        assert_eq!(clock_duration(Duration::from_secs(83)), "01:23");
        assert_eq!(clock_duration(Duration::from_secs(3723)), "1:02:03");
    }

    fn prompt(search: &Search, width: usize) -> String {
        search_prompt(search, Some("F1"), width, &Theme::new(true)).to_string()
    }

    #[test]
    fn the_prompt_fits_any_width_and_keeps_the_cursor_and_the_error() {
        let mut search = Search::default();
        search.set_query(&format!("type:log {}(END", "x".repeat(200)));
        search.edit(KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL));
        assert!(search.error().is_some());
        for width in 0..=200 {
            let shown = prompt(&search, width);
            assert!(text::str_width(&shown) <= width.max(3), "{width}: {shown}");
            if width >= 30 {
                assert!(shown.contains("(END▏"), "{width}: {shown}");
                assert!(shown.contains("invalid"), "{width}: {shown}");
            }
        }
        // The cursor at the start: what follows it shows, cut.
        search.edit(KeyEvent::new(KeyCode::Home, KeyModifiers::NONE));
        let shown = prompt(&search, 60);
        assert!(shown.starts_with(" /▏type:log xx"), "{shown}");
        // Control characters in the query are shown escaped.
        search.set_query("a\u{202e}b");
        search.paste("\u{202e}");
        assert!(!prompt(&search, 80).contains('\u{202e}'));
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 4), "…def");
        assert_eq!(tail("abc", 4), "abc");
    }
}
