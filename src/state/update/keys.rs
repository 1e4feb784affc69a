//! Keys: who gets a key (the overlay on top of the tab shown, else its
//! request editor, else the keymap), and what an action does. Actions on the
//! list and the detail of the tab shown are here; the others go to the file
//! of their concern.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{
    connection, demo, detail_rows, editor, environments, export, history, list_rows, move_by,
    profiles,
};
use super::{scroll_detail, tabs};
use crate::action::Action;
use crate::message::Effect;
use crate::state::search::SearchEdit;
use crate::state::text_input::TextInput;
use crate::state::{AppState, DetailMode, Focus, HelpPage, Overlay, QUIT_AGAIN_WITHIN, Session};

/// A key for the tab shown: the one place that decides who gets it. Ctrl-C
/// first (see [`ctrl_c`]); then what is drawn on top has it; then the
/// request editor, when the tab shows it; then the keymap. `now` is when the
/// key arrived (only Ctrl-C looks at it).
pub(super) fn key(state: &mut AppState, key: KeyEvent, now: Instant) -> Vec<Effect> {
    state.notice = None;
    if is_ctrl_c(&key) {
        return ctrl_c(state, now);
    }
    let session = state.active();
    match &session.overlay {
        Some(Overlay::Help(..)) => {
            // Tab turns the page; another bound key closes it, giving back
            // what it was opened over; the quit key quits.
            let action = state.keymap.action_for(key);
            let session = state.active_mut();
            if let Some(Overlay::Help(page, under)) = &mut session.overlay {
                match key.code {
                    KeyCode::Tab | KeyCode::BackTab => {
                        *page = page.turn(key.code == KeyCode::Tab);
                        return Vec::new();
                    }
                    _ if action == Some(Action::Quit) => return apply(state, Action::Quit),
                    _ if action.is_some() => session.overlay = under.take().map(|o| *o),
                    _ => {}
                }
            }
            Vec::new()
        }
        Some(Overlay::ConfirmQuit { .. }) => {
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                return apply(state, Action::Quit);
            }
            state.active_mut().overlay = None;
            Vec::new()
        }
        Some(Overlay::RenameTab(_)) => {
            rename_key(state.active_mut(), key);
            Vec::new()
        }
        Some(Overlay::McpAsk(_)) => super::mcp::ask_key(state, key),
        Some(Overlay::McpPanel) => super::mcp::panel_key(state, key),
        // A help key that cannot type (F1) opens the help from a text field;
        // from the search, on what a query may say (its keys a page back).
        Some(Overlay::Search) if is_untyped_help(state, &key) => {
            let session = state.active_mut();
            let under = session.overlay.take().map(Box::new);
            session.overlay = Some(Overlay::Help(HelpPage::SearchSyntax, under));
            Vec::new()
        }
        Some(Overlay::Profiles(_) | Overlay::Demo | Overlay::History(_))
            if is_untyped_help(state, &key) =>
        {
            apply(state, Action::ToggleHelp)
        }
        Some(Overlay::Profiles(_)) => profiles::key(state, key),
        Some(Overlay::History(_)) => history::key(state, key),
        Some(Overlay::Demo) => demo::key(state, key),
        Some(Overlay::Environments(_)) => environments::key(state, key),
        Some(Overlay::ConfirmCopySecrets) => environments::confirm_copy_secrets(state, key),
        Some(Overlay::Resolved(_)) => {
            state.active_mut().overlay = None;
            Vec::new()
        }
        Some(Overlay::Search) => {
            // A focused text field gets raw keys first: letters type, they do not act.
            edit_search(state.active_mut(), key);
            Vec::new()
        }
        None if session.editor_open => editor::key(state, key),
        None => keymap(state, key),
    }
}

/// Ctrl-C: a second one within [`QUIT_AGAIN_WITHIN`] quits, whatever is
/// open. Otherwise, in a text field (the search, the editor's field being
/// edited, a picker, a tab's name) it cancels the edit; elsewhere it quits,
/// asking first (y/n) when quitting would lose work.
fn ctrl_c(state: &mut AppState, now: Instant) -> Vec<Effect> {
    let again = state
        .last_ctrl_c
        .is_some_and(|at| now.saturating_duration_since(at) < QUIT_AGAIN_WITHIN);
    state.last_ctrl_c = Some(now);
    let session = state.active_mut();
    if again || matches!(session.overlay, Some(Overlay::ConfirmQuit { .. })) {
        return apply(state, Action::Quit);
    }
    let cancelled = match &mut session.overlay {
        Some(Overlay::Search) => {
            edit_search(session, KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
            Some("search cancelled")
        }
        Some(Overlay::Profiles(_) | Overlay::History(_)) => {
            session.overlay = None;
            Some("picker closed")
        }
        Some(Overlay::RenameTab(_)) => {
            session.overlay = None;
            Some("rename cancelled")
        }
        None if session.editor_open => match session.draft.as_mut() {
            Some(draft) if draft.is_editing() => {
                draft.cancel_edit();
                Some("edit cancelled")
            }
            _ => None,
        },
        _ => None,
    };
    if let Some(what) = cancelled {
        state.notice = Some(format!("{what} · Ctrl-C again quits"));
        return Vec::new();
    }
    match state.unsaved_work() {
        Some(why) => {
            state.active_mut().overlay = Some(Overlay::ConfirmQuit { why });
            Vec::new()
        }
        None => apply(state, Action::Quit),
    }
}

/// Whether `key` is a help key no text field would type (F1, not `?`).
fn is_untyped_help(state: &AppState, key: &KeyEvent) -> bool {
    let typed = matches!(key.code, KeyCode::Char(_))
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    !typed && state.keymap.action_for(*key) == Some(Action::ToggleHelp)
}

/// Keys while a tab's name is typed: Enter keeps it (empty: back to the
/// default name), Esc cancels, the rest edit.
fn rename_key(session: &mut Session, key: KeyEvent) {
    let Some(Overlay::RenameTab(input)) = &mut session.overlay else {
        return;
    };
    match key.code {
        KeyCode::Enter => {
            let name = input.text().trim().to_owned();
            session.name = (!name.is_empty()).then_some(name);
            session.overlay = None;
        }
        KeyCode::Esc => session.overlay = None,
        _ => {
            input.handle_key(key);
        }
    }
}

/// The action the keymap binds to `key`, applied.
fn keymap(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    match state.keymap.action_for(key) {
        Some(action) => apply(state, action),
        None => Vec::new(),
    }
}

/// A paste goes where keys go: into the text being typed, if any.
pub(super) fn paste(state: &mut AppState, text: &str) {
    let session = state.active_mut();
    match &mut session.overlay {
        Some(Overlay::Profiles(picker)) => picker.paste(text),
        Some(Overlay::History(picker)) => history::paste(picker, text),
        Some(Overlay::Search) if session.search.paste(text) => session.relist(),
        Some(Overlay::RenameTab(input)) => input.insert_str(&text.replace(['\r', '\n'], " ")),
        Some(Overlay::McpAsk(prompt)) => prompt.input.insert_str(text),
        Some(Overlay::McpPanel) => {
            if let Some(mcp) = &mut session.mcp {
                mcp.panel.paste(text);
            }
        }
        Some(_) => {}
        None if session.editor_open => editor::paste(state, text),
        None => {}
    }
}

/// What an action does, on the tab shown or the whole app.
pub(super) fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    let tab = state.active_id();
    match action {
        Action::Quit => {
            state.quit = true;
            vec![Effect::Quit]
        }
        Action::ToggleConnect => connection::toggle(state, tab),
        Action::Reconnect => connection::reconnect(state, tab),
        Action::ResumeFromSelected => connection::resume_from_selected(state, tab),
        Action::ToggleRecord => vec![connection::toggle_recording(state.active_mut())],
        Action::CopyData => or_notice(state, export::copy_data(state.active())),
        Action::CopyCurl => vec![export::copy_curl(state.active())],
        Action::CopyCurlSecrets => {
            environments::ask_copy_secrets(state);
            Vec::new()
        }
        Action::Environment => {
            environments::open(state);
            Vec::new()
        }
        Action::SaveEvent => or_notice(state, export::save_event(state.active())),
        Action::SaveStream => or_notice(state, export::save_stream(state.active())),
        Action::NewTab => tabs::new_tab(state),
        Action::CloseTab => tabs::close(state),
        Action::NextTab | Action::PrevTab | Action::GoToTab(_) => {
            tabs::show(state, action);
            Vec::new()
        }
        Action::Profiles | Action::SaveProfile => profiles::apply(state, action),
        Action::History => history::apply(),
        Action::EditRequest => {
            editor::open(state.active_mut());
            Vec::new()
        }
        Action::DemoPicker => {
            demo::open(state);
            Vec::new()
        }
        Action::ToggleMouse => {
            state.mouse_capture = !state.mouse_capture;
            let how = if state.mouse_capture {
                "mouse on: click to select, wheel to scroll"
            } else {
                "mouse off: the terminal selects text; m turns it back on"
            };
            state.notice = Some(how.into());
            vec![Effect::MouseCapture(state.mouse_capture)]
        }
        Action::ToggleLineEndings => {
            state.show_line_endings = !state.show_line_endings;
            Vec::new()
        }
        Action::ToggleHelp => {
            // Over what has the keys now (a picker, or nothing), which
            // closing the help gives back.
            let page = state.focused_pane();
            let session = state.active_mut();
            let under = session.overlay.take().map(Box::new);
            session.overlay = Some(Overlay::Help(page, under));
            Vec::new()
        }
        Action::McpPanel | Action::JumpToLinked | Action::McpCancel | Action::McpProbe => {
            super::mcp::apply(state, action)
        }
        Action::RenameTab => {
            let session = state.active_mut();
            let input = TextInput::single_line(session.label().to_owned());
            session.overlay = Some(Overlay::RenameTab(input));
            Vec::new()
        }
        Action::Escape => {
            state.active_mut().focus = Focus::List;
            state.banner = None;
            Vec::new()
        }
        _ => {
            let pages = (list_rows(state), detail_rows(state));
            view(state.active_mut(), action, pages);
            Vec::new()
        }
    }
}

/// The effect, or the notice that says why there is none.
fn or_notice(state: &mut AppState, result: Result<Effect, String>) -> Vec<Effect> {
    match result {
        Ok(effect) => vec![effect],
        Err(notice) => {
            state.notice = Some(notice);
            Vec::new()
        }
    }
}

/// Actions on the tab's list and detail; `pages` is how many rows the list
/// and lines the detail show.
fn view(session: &mut Session, action: Action, (list_page, detail_page): (usize, u16)) {
    let detail_focused = session.focus == Focus::Detail;
    match action {
        Action::Down if detail_focused => scroll_detail(session, 1),
        Action::Up if detail_focused => scroll_detail(session, -1),
        Action::PageDown if detail_focused => scroll_detail(session, i32::from(detail_page)),
        Action::PageUp if detail_focused => scroll_detail(session, -i32::from(detail_page)),
        Action::Down => move_by(session, 1),
        Action::Up => move_by(session, -1),
        Action::PageDown => move_by(session, list_page as isize),
        Action::PageUp => move_by(session, -(list_page as isize)),
        Action::Top if detail_focused => session.detail_scroll = 0,
        Action::Bottom if detail_focused => {
            // Clamped to the last line when drawn, if not known yet.
            session.detail_scroll = session.detail_max_scroll.unwrap_or(u16::MAX);
        }
        Action::Top => session.select(0),
        Action::Bottom => follow_newest(session),
        Action::ToggleFollow if session.list.is_following() => session.list.set_follow(false),
        Action::ToggleFollow => follow_newest(session),
        Action::ToggleDetail => show_view(session, session.detail.step(true)),
        Action::PrevView => show_view(session, session.detail.step(false)),
        Action::ViewContent => show_view(session, DetailMode::Content),
        Action::ViewRaw => show_view(session, DetailMode::Raw),
        Action::ViewWire => show_view(session, DetailMode::Wire),
        Action::ViewAnswer => show_view(session, DetailMode::Answer),
        Action::ViewChecks => show_view(session, DetailMode::Checks),
        Action::ViewStats => show_view(session, DetailMode::Stats),
        Action::ToggleReasoning => {
            session.reasoning_view = session.reasoning_view.toggled();
            if session.detail != DetailMode::Answer {
                show_view(session, DetailMode::Answer);
            }
        }
        Action::FocusNext => {
            session.focus = match session.focus {
                Focus::List => Focus::Detail,
                Focus::Detail => Focus::List,
            }
        }
        Action::Clear => session.clear_log(),
        Action::ToggleBlocks => {
            let on = !session.list.shows_blocks();
            session.set_show_blocks(on);
        }
        Action::Search => {
            session.search.clear();
            session.overlay = Some(Overlay::Search);
            session.relist();
        }
        Action::NextMatch => jump_to_match(session, true),
        Action::PrevMatch => jump_to_match(session, false),
        Action::ToggleFilter => {
            let on = !session.search.is_filtering();
            session.set_filter(on);
        }
        Action::ToggleFreeze => session.toggle_freeze(),
        _ => {}
    }
}

/// Shows `mode` in the detail, from its top when it changes.
fn show_view(session: &mut Session, mode: DetailMode) {
    if session.detail != mode {
        session.detail = mode;
        session.detail_scroll = 0;
    }
}

/// Selects the newest row and follows from now on.
fn follow_newest(session: &mut Session) {
    if session.list.follow_newest() {
        session.detail_scroll = 0;
    }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// Keys while the search query is being typed: the search edits itself, the
/// list follows what changed.
fn edit_search(session: &mut Session, key: KeyEvent) {
    match session.search.edit(key) {
        SearchEdit::Done => {
            session.overlay = None;
            if !session.search.matches_row(session.selected_row().as_ref()) {
                jump_to_match(session, true);
            }
        }
        SearchEdit::Cancelled => {
            session.overlay = None;
            session.relist();
        }
        SearchEdit::Changed => session.relist(),
        SearchEdit::Unchanged => {}
    }
}

/// Selects the next (or previous) matching row after the selection, wrapping.
fn jump_to_match(session: &mut Session, forward: bool) {
    let len = session.list.len();
    if len == 0 || !session.search.is_active() {
        return;
    }
    let start = session
        .list
        .selected()
        .unwrap_or(if forward { len - 1 } else { 0 });
    for step in 1..=len {
        let pos = if forward {
            (start + step) % len
        } else {
            (start + len - step % len) % len
        };
        if session
            .visible_row(pos)
            .is_some_and(|row| session.search.matches(&row))
        {
            session.select(pos);
            return;
        }
    }
}
