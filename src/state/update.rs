//! `update`: the only place the UI state changes. Pure: no I/O, no tokio;
//! what must happen outside comes back as effects.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use super::profile_picker::{PickerOutcome, ProfilePicker, ProfileSummary};
use super::request_form::{FormOutcome, RequestForm, Slot};
use super::search::SearchEdit;
use super::session::OpenProfile;
use super::{
    AppState, AttemptInfo, ConnId, ConnStatus, ConnView, DetailMode, Focus, RowKind, Session,
};
use crate::action::Action;
use crate::capture::ndjson;
use crate::message::{Effect, Msg, ProfileChange};
use crate::sse::{CloseReason, ConnMsg, RequestSpec, Unsendable};
use crate::ui::layout;

/// The marker of a connection the user stopped.
const DISCONNECTED: &str = "disconnected";

/// How many rows the list shows before the terminal's size is known.
const DEFAULT_LIST_ROWS: usize = 20;

/// Applies one message; returns what the loop must do.
pub fn update(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    let effects = handle(state, msg);
    // The list's first row moves only as far as the selection needs.
    let rows = list_rows(state);
    state.list.settle(rows);
    effects
}

/// How many rows the list shows at the current terminal size.
fn list_rows(state: &AppState) -> usize {
    state
        .screen
        .and_then(layout::panes)
        .map_or(DEFAULT_LIST_ROWS, |p| {
            layout::list_rows(p.list).0.height as usize
        })
        .max(1)
}

/// Scrolls the detail by `delta` lines, no further than its last line.
fn scroll_detail(state: &mut Session, delta: i32) {
    let target = i32::from(state.detail_scroll).saturating_add(delta);
    let max = state.detail_max_scroll.unwrap_or(u16::MAX);
    state.detail_scroll = u16::try_from(target.max(0)).unwrap_or(u16::MAX).min(max);
}

/// How many lines the detail pane shows at the current terminal size.
fn detail_rows(state: &AppState) -> u16 {
    state
        .screen
        .and_then(layout::panes)
        .map_or(DEFAULT_LIST_ROWS as u16, |p| {
            p.detail.height.saturating_sub(2)
        })
        .max(1)
}

fn handle(state: &mut AppState, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Input(TermEvent::Key(key)) if key.kind != KeyEventKind::Release => {
            state.notice = None;
            // The picker opens over the editor too (P asks a name there).
            if state.profiles.is_some() && !is_ctrl_c(&key) {
                return pick_profile(state, key);
            }
            if state.editor_open && !state.show_help && !is_ctrl_c(&key) {
                return request_editor_key(state, key);
            }
            if state.search.editing && !is_ctrl_c(&key) {
                // A focused text field gets raw keys first: letters type, they do not act.
                edit_search(state, key);
                return Vec::new();
            }
            if state.demo.as_ref().is_some_and(|d| d.open) && !is_ctrl_c(&key) {
                return pick_demo(state, key);
            }
            match state.keymap.action_for(key) {
                Some(action) => apply(state, action),
                None => Vec::new(),
            }
        }
        Msg::Input(TermEvent::Paste(text)) if state.profiles.is_some() => {
            if let Some(picker) = &mut state.profiles {
                picker.paste(&text);
            }
            Vec::new()
        }
        Msg::Input(TermEvent::Paste(text)) if state.editor_open => {
            paste_into_editor(state, &text);
            Vec::new()
        }
        Msg::Input(TermEvent::Paste(text)) if state.search.editing => {
            if state.search.paste(&text) {
                state.relist();
            }
            Vec::new()
        }
        Msg::Input(TermEvent::Mouse(mouse)) => {
            mouse_event(state, mouse);
            Vec::new()
        }
        Msg::Input(TermEvent::Resize(width, height)) => {
            state.screen = Some(Rect::new(0, 0, width, height));
            Vec::new()
        }
        Msg::Input(_) | Msg::Tick(_) => Vec::new(),
        Msg::Drawn(drawn) => {
            state.detail_max_scroll = Some(drawn.detail_max_scroll);
            state.detail_scroll = state.detail_scroll.min(drawn.detail_max_scroll);
            Vec::new()
        }
        Msg::BodyEdited { tab, result } => {
            let draft = state.tab_mut(tab).and_then(|s| s.draft.as_mut());
            match (draft, result) {
                (Some(draft), Ok(text)) => draft.set_body(text),
                (None, Ok(_)) => state.notice = Some("the request editor was closed".into()),
                (_, Err(err)) => state.notice = Some(err),
            }
            Vec::new()
        }
        Msg::ProfilesChanged { list, change } => {
            profiles_changed(state, list, change);
            Vec::new()
        }
        Msg::ProfileOpened {
            tab,
            name,
            spec,
            view,
        } => {
            if !state.show_tab(tab) {
                return Vec::new();
            }
            state.title.clone_from(&name);
            state.request = (*spec).clone();
            state.offline = None;
            state.profile = Some(OpenProfile { name, saved: spec });
            state.draft = None;
            state.editor_open = false;
            state.list.set_follow(true);
            apply_view_settings(state, &view);
            connect(state)
        }
        Msg::Recording { tab, result } => {
            let session = state.tab_mut(tab);
            let notice = match (&result, session) {
                (Ok(path), Some(session)) => {
                    session.recording = Some(path.clone());
                    format!(
                        "recording to {} (C stops; ssetui open plays it back)",
                        path.display()
                    )
                }
                (Ok(path), None) => format!("the tab closed; {} is complete", path.display()),
                (Err(err), session) => {
                    if let Some(session) = session {
                        session.recording = None;
                    }
                    format!("not recording: {err}")
                }
            };
            state.notice = Some(notice);
            Vec::new()
        }
        Msg::Notice(text) => {
            state.notice = Some(text);
            Vec::new()
        }
        Msg::Conn { id, msg } => {
            // Background tabs keep receiving; a message of a replaced connection has no session.
            if let Some(session) = state.session_for(id) {
                connection(session, msg);
            }
            Vec::new()
        }
    }
}

/// Starts (or restarts) the connection with the current request as it is
/// sent: its `${env:…}` references resolved. A request that cannot be sent
/// (a value redacted where it came from, a variable not set) is not: the
/// editor opens on the field, saying why.
pub fn connect(state: &mut AppState) -> Vec<Effect> {
    if let Some(why) = &state.offline {
        // A recording that holds no request: nothing to connect to.
        state.notice = Some(why.clone());
        return Vec::new();
    }
    let env = state.env.clone();
    match state.request.to_send(&|name| env.get(name)) {
        Ok(sent) => vec![start(state, sent)],
        Err(why) => {
            refuse(state, &why, "not sent");
            Vec::new()
        }
    }
}

/// A new connection for the tab with `sent`, the request as it goes out.
fn start(state: &mut AppState, sent: RequestSpec) -> Effect {
    let id = begin_connection(state);
    Effect::Connect {
        tab: state.id,
        id,
        spec: Box::new(sent),
    }
}

/// Makes the tab's connection a new one (fresh view and answer, connecting)
/// and returns its id: messages under any other id are stale from now on.
/// A recording replayed into the tab is read under this id too.
pub fn begin_connection(state: &mut AppState) -> ConnId {
    let id = state.new_conn_id();
    let session: &mut Session = state;
    session.conn_id = Some(id);
    session.conn = ConnView {
        // Until its first attempt starts, the new connection's answer is empty.
        attempt_first_row: session.log.end_row(),
        ..ConnView::default()
    };
    session.insight.restart();
    session.status = ConnStatus::Connecting;
    id
}

/// Why the tab's request cannot go (`doing`: "not sent", "not saved"): the
/// editor opens with the focus and the reason on the field to blame. A draft
/// already open is kept and checked itself (its rows may differ from the
/// request's).
fn refuse(state: &mut AppState, why: &Unsendable, doing: &str) {
    let env = state.env.clone();
    let session: &mut Session = state;
    let notice = match session.draft.as_mut() {
        None => {
            let mut draft = RequestForm::from_spec(&session.request);
            if let Some(path) = &session.insight.transcript_path {
                draft.answer_path.set_text(path.to_string());
            }
            draft.point_at(why.field, why.why.to_string());
            session.draft = Some(draft);
            format!("{doing}: {why}")
        }
        Some(draft) => match draft
            .build(&session.request)
            .map(|spec| spec.to_send(&|n| env.get(n)))
        {
            None => format!("{doing}: {why}; the edited request needs fixing too"),
            Some(Err(draft_why)) => {
                draft.point_at(draft_why.field, draft_why.why.to_string());
                format!("{doing}: {draft_why}")
            }
            Some(Ok(_)) => format!("{doing}: {why}; the edited request has it: Ctrl-R sends it"),
        },
    };
    state.notice = Some(notice);
    state.editor_open = true;
}

fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    if state.show_help && !matches!(action, Action::Quit) {
        // The overlay takes every key; any of them closes it.
        state.show_help = false;
        return Vec::new();
    }
    match action {
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::Down if state.focus == Focus::Detail => scroll_detail(state, 1),
        Action::Up if state.focus == Focus::Detail => {
            state.detail_scroll = state.detail_scroll.saturating_sub(1)
        }
        Action::Down => move_by(state, 1),
        Action::Up => move_by(state, -1),
        Action::PageDown | Action::PageUp if state.focus == Focus::Detail => {
            let page = detail_rows(state) as i32;
            scroll_detail(
                state,
                if action == Action::PageDown {
                    page
                } else {
                    -page
                },
            );
        }
        Action::PageDown => {
            let page = list_rows(state) as isize;
            move_by(state, page);
        }
        Action::PageUp => {
            let page = list_rows(state) as isize;
            move_by(state, -page);
        }
        Action::Top => state.select(0),
        Action::Bottom => follow_newest(state),
        Action::ToggleFollow if state.list.is_following() => state.list.set_follow(false),
        Action::ToggleFollow => follow_newest(state),
        Action::ToggleDetail => {
            state.detail = match state.detail {
                DetailMode::Content => DetailMode::Raw,
                DetailMode::Raw => DetailMode::Wire,
                DetailMode::Wire => DetailMode::Answer,
                DetailMode::Answer => DetailMode::Checks,
                DetailMode::Checks => DetailMode::Stats,
                DetailMode::Stats => DetailMode::Content,
            };
            state.detail_scroll = 0;
        }
        Action::FocusNext => {
            state.focus = match state.focus {
                Focus::List => Focus::Detail,
                Focus::Detail => Focus::List,
            }
        }
        Action::ToggleConnect => {
            return match state.status {
                ConnStatus::Connecting | ConnStatus::Open | ConnStatus::Reconnecting { .. } => {
                    state.status = ConnStatus::Closed("disconnected".into());
                    // No connection: anything still in flight from the old task is stale.
                    state.conn_id = None;
                    let attempt = state.conn.attempt;
                    // The close the old task will never get to tell, for a save.
                    let closed = ConnMsg::Closed {
                        reason: CloseReason::Stopped,
                    };
                    state
                        .log
                        .push_marker(attempt, DISCONNECTED.into(), None, Some(closed));
                    state.list_last();
                    vec![Effect::Disconnect { tab: state.id }]
                }
                ConnStatus::Idle | ConnStatus::Closed(_) | ConnStatus::Failed(_) => connect(state),
            };
        }
        Action::Reconnect => {
            let tab = state.id;
            return reconnect_effect(state, Effect::Reconnect { tab });
        }
        Action::ResumeFromSelected => {
            let id = match state.selected_row().map(|r| r.kind) {
                Some(RowKind::Event { event, .. }) => Some(event.id.to_string()),
                Some(RowKind::Block(block)) => block.id.map(|id| id.to_string()),
                _ => None,
            };
            if let Some(id) = id {
                let tab = state.id;
                return reconnect_effect(state, Effect::ResumeFrom { tab, id });
            }
        }
        Action::Clear => {
            state.log.clear();
            state.list.clear();
        }
        Action::ToggleBlocks => {
            let on = !state.list.shows_blocks();
            state.set_show_blocks(on);
        }
        Action::ToggleLineEndings => state.show_line_endings = !state.show_line_endings,
        Action::ToggleHelp => state.show_help = true,
        Action::Escape => {
            state.focus = Focus::List;
            state.banner = None;
        }
        Action::Search => {
            state.search.clear();
            state.search.editing = true;
            state.relist();
        }
        Action::NextMatch => jump_to_match(state, true),
        Action::PrevMatch => jump_to_match(state, false),
        Action::ToggleFilter => {
            state.search.filter = !state.search.filter;
            state.relist();
        }
        Action::DemoPicker => {
            if let Some(picker) = &mut state.demo {
                picker.open = true;
            }
        }
        Action::ToggleFreeze => {
            let session: &mut Session = state;
            session.list.toggle_freeze(&session.log, &session.search);
        }
        Action::CopyData => match state.selected_row().map(|r| r.kind) {
            Some(RowKind::Event { event, .. }) => {
                return vec![Effect::Copy(event.data.to_string())];
            }
            _ => state.notice = Some("select an event to copy its data".into()),
        },
        Action::ToggleRecord => {
            let tab = state.id;
            return vec![if state.recording.take().is_some() {
                Effect::StopRecording { tab }
            } else {
                Effect::StartRecording {
                    tab,
                    spec: Box::new(state.request.clone()),
                }
            }];
        }
        Action::CopyCurl => {
            return vec![Effect::Copy(crate::curl::to_curl(&state.request, false))];
        }
        Action::SaveEvent => return save_event(state),
        Action::SaveStream => return save_stream(state),
        Action::ToggleMouse => {
            state.mouse_capture = !state.mouse_capture;
            let how = if state.mouse_capture {
                "mouse on: click to select, wheel to scroll"
            } else {
                "mouse off: the terminal selects text; m turns it back on"
            };
            state.notice = Some(how.into());
            return vec![Effect::MouseCapture(state.mouse_capture)];
        }
        Action::NewTab => {
            let (request, title) = (state.request.clone(), state.title.clone());
            state.open_tab(request, title);
            open_editor(state);
            state.notice = Some("new tab: edit the request, Ctrl-R connects".into());
        }
        Action::EditRequest => open_editor(state),
        Action::Profiles => {
            state.profiles = Some(ProfilePicker::new(state.profile_list.clone()));
        }
        Action::SaveProfile => match state.profile.as_ref().map(|p| p.name.clone()) {
            Some(name) => {
                let Some((spec, view)) = to_save(state) else {
                    return Vec::new();
                };
                return vec![Effect::SaveProfile {
                    tab: state.id,
                    name,
                    spec: Box::new(spec),
                    view,
                    overwrite: true,
                }];
            }
            None => state.profiles = Some(ProfilePicker::naming_new(state.profile_list.clone())),
        },
        Action::CloseTab => match state.close_tab() {
            Some(tab) => return vec![Effect::CloseTab { tab }],
            None => state.notice = Some("the last tab stays open; q quits".into()),
        },
        Action::NextTab => {
            let n = state.tabs().len();
            state.show_tab_at((state.active_index() + 1) % n);
        }
        Action::PrevTab => {
            let n = state.tabs().len();
            state.show_tab_at((state.active_index() + n - 1) % n);
        }
        Action::GoToTab(n) => state.show_tab_at(usize::from(n).saturating_sub(1)),
    }
    Vec::new()
}

/// What a save writes: the editor's draft when there is one (validated: its
/// errors are marked, and the editor opens on them), else the request; with
/// how the tab shows its stream (the draft's Answer path included). `None`,
/// with a notice, when it cannot be saved: an invalid draft, or a value
/// redacted where the request came from (a profile must never hold a mask).
fn to_save(state: &mut AppState) -> Option<(RequestSpec, crate::config::ViewSettings)> {
    let mut view = view_settings(state);
    let session: &mut Session = state;
    let spec = match session.draft.as_mut() {
        Some(draft) => {
            let built = draft.build(&session.request);
            let path = draft.answer_path();
            match (built, path) {
                (Some(spec), Ok(path)) => {
                    view.transcript_path = path.as_ref().map(ToString::to_string);
                    spec
                }
                _ => {
                    let n = draft.error_count();
                    let fields = if n == 1 { "field needs" } else { "fields need" };
                    state.notice = Some(format!("not saved: {n} {fields} fixing"));
                    state.editor_open = true;
                    return None;
                }
            }
        }
        None => session.request.clone(),
    };
    if let Err(why) = spec.check_redacted() {
        refuse(state, &why, "not saved");
        return None;
    }
    Some((spec, view))
}

/// What a profile saves of how this tab shows its stream.
fn view_settings(state: &Session) -> crate::config::ViewSettings {
    crate::config::ViewSettings {
        search: state
            .search
            .is_active()
            .then(|| state.search.query.trim().to_owned()),
        transcript_path: state
            .insight
            .transcript_path
            .as_ref()
            .map(ToString::to_string),
    }
}

/// A profile's search and Answer path, in force in its tab; a path that does
/// not read is said, and left out.
fn apply_view_settings(state: &mut AppState, view: &crate::config::ViewSettings) {
    match &view.search {
        Some(query) => state.search.set_query(query),
        None => state.search.clear(),
    }
    let path = view
        .transcript_path
        .as_deref()
        .map(crate::insight::llm::ContentPath::parse)
        .transpose();
    match path {
        Ok(path) => state.insight.set_transcript_path(path),
        Err(err) => {
            state.insight.set_transcript_path(None);
            state.notice = Some(format!("the profile's transcript_path: {err}"));
        }
    }
    state.relist();
}

/// Keys while the profile picker is open.
fn pick_profile(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(picker) = &mut state.profiles else {
        return Vec::new();
    };
    let outcome = picker.handle_key(key);
    let tab = state.id;
    let save = |state: &mut AppState, name: String, overwrite: bool| {
        let Some((spec, view)) = to_save(state) else {
            // Back to what needs fixing.
            state.profiles = None;
            return Vec::new();
        };
        vec![Effect::SaveProfile {
            tab,
            name,
            spec: Box::new(spec),
            view,
            overwrite,
        }]
    };
    match outcome {
        PickerOutcome::Nothing => Vec::new(),
        PickerOutcome::Close => {
            state.profiles = None;
            Vec::new()
        }
        PickerOutcome::Open(name) => {
            state.profiles = None;
            vec![Effect::OpenProfile { tab, name }]
        }
        PickerOutcome::SaveNew(name) => save(state, name, false),
        PickerOutcome::Overwrite(name) => save(state, name, true),
        PickerOutcome::Rename { from, to } => vec![Effect::RenameProfile { from, to }],
        PickerOutcome::Delete(name) => vec![Effect::DeleteProfile { name }],
    }
}

/// The file changed: the picker lists what is there now, and the tabs follow
/// a save, a rename or a delete of their profile.
fn profiles_changed(state: &mut AppState, list: Vec<ProfileSummary>, change: ProfileChange) {
    if let Some(picker) = &mut state.profiles {
        picker.set_profiles(list.clone());
    }
    state.profile_list = list;
    match change {
        ProfileChange::None => {}
        ProfileChange::Saved {
            tab,
            name,
            spec,
            plain_secrets,
        } => {
            if let Some(session) = state.tab_mut(tab) {
                session.title.clone_from(&name);
                session.profile = Some(OpenProfile {
                    name: name.clone(),
                    saved: spec,
                });
            }
            // Saved: back to the events (renames and deletes keep the picker open).
            state.profiles = None;
            state.notice = Some(match plain_secrets.as_slice() {
                [] => format!("saved the request as profile {name:?}"),
                fields => format!(
                    "saved the request as profile {name:?}; in plain text in the file (mode 0600): {}: write ${{env:NAME}} there to keep a secret out",
                    fields.join(", ")
                ),
            });
        }
        ProfileChange::Renamed { from, to } => {
            for session in &mut state.sessions {
                if let Some(profile) = session.profile.as_mut().filter(|p| p.name == from) {
                    profile.name.clone_from(&to);
                    session.title.clone_from(&to);
                }
            }
            state.notice = Some(format!("renamed profile {from:?} to {to:?}"));
        }
        ProfileChange::Deleted(name) => {
            for session in &mut state.sessions {
                if session.profile.as_ref().is_some_and(|p| p.name == name) {
                    session.profile = None;
                }
            }
            state.notice = Some(format!("deleted profile {name:?}"));
        }
    }
}

/// A paste goes into the field being edited, except a curl command pasted on
/// the URL ("Copy as cURL" from a browser): that replaces the whole draft.
fn paste_into_editor(state: &mut AppState, text: &str) {
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    let is_curl = crate::curl::looks_like_command(text);
    if draft.focus() != Slot::Url || !is_curl {
        draft.paste(text);
        return;
    }
    match crate::curl::parse(text) {
        Ok(imported) => {
            *draft = RequestForm::from_spec(&imported.spec);
            state.notice = Some(match imported.ignored.as_slice() {
                [] => "imported the curl command: Ctrl-R sends it".to_owned(),
                ignored => format!(
                    "imported the curl command (ignored: {}): Ctrl-R sends it",
                    ignored.join(" ")
                ),
            });
        }
        Err(err) => state.notice = Some(err.to_string()),
    }
}

/// Opens the request editor on the draft, or on the request as it is.
fn open_editor(state: &mut Session) {
    if state.draft.is_none() {
        let mut draft = RequestForm::from_spec(&state.request);
        if let Some(path) = &state.insight.transcript_path {
            draft.answer_path.set_text(path.to_string());
        }
        state.draft = Some(draft);
    }
    state.editor_open = true;
}

/// Keys while the request editor is open: Ctrl-R sends, the form takes what it
/// knows, and of the rest only what makes sense over the form reaches the app.
fn request_editor_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('r') {
        return send_request(state);
    }
    let tab = state.id;
    let Some(draft) = state.draft.as_mut() else {
        state.editor_open = false;
        return Vec::new();
    };
    match draft.handle_key(key) {
        FormOutcome::Handled => Vec::new(),
        FormOutcome::Close => {
            state.editor_open = false;
            Vec::new()
        }
        FormOutcome::EditBody(text) => {
            let json = draft.body_is_json();
            vec![Effect::EditBody { tab, text, json }]
        }
        FormOutcome::NotHandled => match state.keymap.action_for(key) {
            Some(action) if works_over_the_editor(action) => apply(state, action),
            _ => Vec::new(),
        },
    }
}

/// Actions that still make sense while the editor covers the list and detail.
fn works_over_the_editor(action: Action) -> bool {
    matches!(
        action,
        Action::Quit
            | Action::ToggleHelp
            | Action::ToggleConnect
            | Action::SaveProfile
            | Action::Reconnect
            | Action::ToggleMouse
            | Action::NewTab
            | Action::CloseTab
            | Action::NextTab
            | Action::PrevTab
            | Action::GoToTab(_)
    )
}

/// Ctrl-R in the editor: a valid draft becomes the request and connects (the
/// same request again disconnects, as Ctrl-R does elsewhere); an invalid one
/// stays open with its errors marked, and nothing is sent.
fn send_request(state: &mut AppState) -> Vec<Effect> {
    let env = state.env.clone();
    let session: &mut Session = state;
    let Some(draft) = session.draft.as_mut() else {
        return apply(state, Action::ToggleConnect);
    };
    let (Some(spec), Ok(path)) = (draft.build(&session.request), draft.answer_path()) else {
        let n = draft.error_count();
        let fields = if n == 1 { "field needs" } else { "fields need" };
        state.notice = Some(format!("not sent: {n} {fields} fixing"));
        return Vec::new();
    };
    // As it goes out: references resolved; a masked value or a variable
    // not set is said on its field, and nothing is sent.
    let sent = match spec.to_send(&|name| env.get(name)) {
        Ok(sent) => sent,
        Err(why) => {
            draft.point_at(why.field, why.why.to_string());
            state.notice = Some(format!("not sent: {why}"));
            return Vec::new();
        }
    };
    let path_changed = path != state.insight.transcript_path;
    if path_changed {
        // The answer is assembled again from what the tab kept of the
        // current attempt (each attempt is a new answer), at once.
        state.insight.set_transcript_path(path);
        let session: &mut Session = state;
        let rows = session.log.rows_since(session.conn.attempt_first_row);
        session
            .insight
            .reassemble(rows.filter_map(|row| match row.kind {
                RowKind::Event { event, .. } => Some((event, row.received_at)),
                _ => None,
            }));
    }
    if spec == state.request && state.is_live() {
        if path_changed {
            // Only the Answer path changed: the stream goes on.
            state.draft = None;
            state.editor_open = false;
            state.notice = Some("Answer path set".into());
            return Vec::new();
        }
        return apply(state, Action::ToggleConnect);
    }
    if spec.url != state.request.url {
        // The tab's name follows the endpoint: host and path.
        state.title = format!(
            "{}{}",
            spec.url.host_str().unwrap_or_default(),
            spec.url.path()
        );
    }
    state.request = spec;
    state.offline = None;
    state.draft = None;
    state.editor_open = false;
    state.list.set_follow(true);
    vec![start(state, sent)]
}

/// The wheel scrolls the pane under it; a click focuses a pane and selects the row hit.
fn mouse_event(state: &mut AppState, mouse: MouseEvent) {
    let Some(panes) = state.screen.and_then(layout::panes) else {
        return;
    };
    let at = Position::new(mouse.column, mouse.row);
    let over_detail = panes.detail.contains(at);
    match mouse.kind {
        // The editor covers the list and the detail.
        _ if state.editor_open && !panes.title.contains(at) => {}
        MouseEventKind::ScrollDown if over_detail => scroll_detail(state, 3),
        MouseEventKind::ScrollUp if over_detail => {
            state.detail_scroll = state.detail_scroll.saturating_sub(3)
        }
        MouseEventKind::ScrollDown => move_by(state, 3),
        MouseEventKind::ScrollUp => move_by(state, -3),
        MouseEventKind::Down(MouseButton::Left) if panes.title.contains(at) => {
            if let Some(tab) = crate::ui::tab_at(state, panes.title.width, at.x) {
                state.show_tab_at(tab);
            }
        }
        MouseEventKind::Down(MouseButton::Left) if over_detail => state.focus = Focus::Detail,
        MouseEventKind::Down(MouseButton::Left) if panes.list.contains(at) => {
            state.focus = Focus::List;
            let (rows, _) = layout::list_rows(panes.list);
            if !rows.contains(at) {
                return;
            }
            let start = state.list.window_start(rows.height as usize);
            let pos = start + (at.y - rows.y) as usize;
            if pos < state.list.len() {
                state.select(pos);
            }
        }
        _ => {}
    }
}

/// The selected event's exact bytes, with the blank line that ended it.
fn save_event(state: &mut AppState) -> Vec<Effect> {
    let Some(row) = state.selected_row() else {
        state.notice = Some("select an event to save it".into());
        return Vec::new();
    };
    let (RowKind::Event { seq, event }, Some(raw)) = (&row.kind, row.raw()) else {
        state.notice = Some("select an event to save it".into());
        return Vec::new();
    };
    let Some(mut contents) = state.log.raw_bytes(raw) else {
        state.notice = Some("this event's bytes are no longer kept".into());
        return Vec::new();
    };
    contents.extend_from_slice(state.log.terminator_after(raw.end));
    let what = format!("event {seq} ({} bytes)", contents.len());
    let path = PathBuf::from(format!(
        "ssetui-event-{seq}-id-{}.sse",
        file_safe(&event.id)
    ));
    vec![Effect::Save {
        files: vec![(path, contents)],
        what,
    }]
}

/// Every retained event as NDJSON, in the schema `ssetui print` writes, and
/// the whole retained session (bytes, timing, reconnects) as a capture that
/// `ssetui open`, `serve --replay` and `check --capture` take.
fn save_stream(state: &mut AppState) -> Vec<Effect> {
    let mut contents = Vec::new();
    let mut count = 0u64;
    let mut first_time = None;
    for row in state.log.rows() {
        if let RowKind::Event { seq, event } = &row.kind {
            let time = humantime::format_rfc3339_millis(row.received_at).to_string();
            first_time.get_or_insert_with(|| time.clone());
            // The same bytes `ssetui print` writes (a terminal's characters
            // escaped), from the same writer.
            let time = ndjson::json_string(&time);
            if ndjson::write_event(&mut contents, event, *seq, row.attempt, &time, None).is_ok() {
                count += 1;
            }
        }
    }
    let Some(first_time) = first_time else {
        state.notice = Some("no events to save yet".into());
        return Vec::new();
    };
    let stamp: String = first_time
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let capture = crate::capture::writer::encode(&state.request, &state.log.replay());
    let dropped = if state.log.dropped_rows() > 0 {
        " (from the oldest retained row)"
    } else {
        ""
    };
    vec![Effect::Save {
        files: vec![
            (
                PathBuf::from(format!("ssetui-stream-{stamp}.ndjson")),
                contents,
            ),
            (
                PathBuf::from(format!("ssetui-stream-{stamp}.ssecap")),
                capture,
            ),
        ],
        what: format!("{count} events as NDJSON and the session as a capture{dropped}"),
    }]
}

/// An id as part of a file name: letters, digits, `-` and `_` only.
fn file_safe(id: &str) -> String {
    let safe: String = id
        .chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() { "none".into() } else { safe }
}

fn is_ctrl_c(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c')
}

/// Keys while the search query is being typed: the search edits itself, the
/// list follows what changed.
fn edit_search(state: &mut AppState, key: KeyEvent) {
    match state.search.edit(key) {
        SearchEdit::Done => {
            if !state.search.matches_row(state.selected_row().as_ref()) {
                jump_to_match(state, true);
            }
        }
        SearchEdit::Changed | SearchEdit::Cancelled => state.relist(),
        SearchEdit::Unchanged => {}
    }
}

/// Selects the next (or previous) matching row after the selection, wrapping.
fn jump_to_match(state: &mut Session, forward: bool) {
    let len = state.list.len();
    if len == 0 || !state.search.is_active() {
        return;
    }
    let start = state
        .list
        .selected()
        .unwrap_or(if forward { len - 1 } else { 0 });
    for step in 1..=len {
        let pos = if forward {
            (start + step) % len
        } else {
            (start + len - step % len) % len
        };
        if state
            .visible_row(pos)
            .is_some_and(|row| state.search.matches(&row))
        {
            state.select(pos);
            return;
        }
    }
}

/// Keys while the demo picker is open: move, choose (and connect), or close.
fn pick_demo(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(picker) = &mut state.demo else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => picker.move_by(1),
        KeyCode::Char('k') | KeyCode::Up => picker.move_by(-1),
        KeyCode::Enter => {
            picker.open = false;
            let (spec, path) = picker.request();
            state.request = spec;
            state.offline = None;
            state.draft = None;
            state.editor_open = false;
            state.title = format!("demo {path}");
            state.list.set_follow(true);
            let attempt = state.conn.attempt;
            state.log.push_marker(
                attempt,
                format!("switched to the demo's {path}"),
                None,
                None,
            );
            state.list_last();
            return connect(state);
        }
        KeyCode::Esc | KeyCode::Char('d') | KeyCode::Char('q') => picker.open = false,
        _ => {}
    }
    Vec::new()
}

/// A reconnect reuses the running task; with none running it starts one.
fn reconnect_effect(state: &mut AppState, effect: Effect) -> Vec<Effect> {
    match state.status {
        ConnStatus::Connecting | ConnStatus::Open | ConnStatus::Reconnecting { .. } => {
            vec![effect]
        }
        _ => {
            if let Effect::ResumeFrom { id, .. } = &effect {
                state.request.last_event_id.clone_from(id);
            }
            connect(state)
        }
    }
}

/// Moves the selection; the detail starts at the top of a new row.
fn move_by(state: &mut Session, delta: isize) {
    if state.list.move_by(delta) {
        state.detail_scroll = 0;
    }
}

/// Selects the newest row and follows from now on.
fn follow_newest(state: &mut Session) {
    if state.list.follow_newest() {
        state.detail_scroll = 0;
    }
}

fn connection(state: &mut Session, msg: ConnMsg) {
    let now = Instant::now();
    // A marker keeps the message it stands for, so the log can be saved as
    // a capture; `Connecting` is in the capture's header, reads are bytes.
    let record = match &msg {
        ConnMsg::Connecting { .. } | ConnMsg::Data(_) => None,
        other => Some(other.clone()),
    };
    state.insight.observe(&msg, now);
    match msg {
        ConnMsg::Connecting { attempt, request } => {
            state.status = ConnStatus::Connecting;
            state.conn.attempt = attempt;
            // A new record: the previous attempt's response must not pass for this one's.
            state.conn.http_status = None;
            let id = request
                .last_event_id
                .as_deref()
                .map_or(String::new(), |id| format!(" · Last-Event-ID: {id}"));
            let text = format!("attempt {attempt}: {} {}{id}", request.method, request.url);
            state.conn.attempt_info = Some(Arc::new(AttemptInfo {
                request,
                response: None,
            }));
            state.conn.attempt_first_row = state.log.end_row();
            marker(state, attempt, text, None);
        }
        ConnMsg::Opened { attempt, response } => {
            state.status = ConnStatus::Open;
            state.conn.http_status = Some(response.status);
            state.conn.opened_at = Some(now);
            let text = format!(
                "connected: {} {} in {} ms",
                response.status,
                response.version,
                response.time_to_first_byte.as_millis()
            );
            if let Some(info) = &mut state.conn.attempt_info {
                Arc::make_mut(info).response = Some(response);
            }
            marker(state, attempt, text, record);
        }
        ConnMsg::Data(chunk) => {
            state.conn.bytes += chunk.bytes.len() as u64;
            let before = state.log.end_row();
            let mut last_id = None;
            for item in &chunk.items {
                if let crate::sse::StreamItem::Event { event, .. } = item {
                    last_id = Some(&event.id);
                    state.conn.recent.push_back(now);
                    state.conn.events += 1;
                }
            }
            if let Some(id) = last_id {
                // A copy: the event's id is a slice of the read, which need not live on.
                state.conn.last_event_id.clear();
                state.conn.last_event_id.push_str(id);
            }
            state.log.push_chunk(chunk);
            while state.conn.recent.len() > 100_000 {
                state.conn.recent.pop_front();
            }
            state.list_from(before);
        }
        ConnMsg::StreamEnded {
            attempt,
            end_marker,
            ..
        } => {
            let text = match end_marker {
                Some(end) => format!("stream ended by the server after the answer's end ({end})"),
                None => "stream ended by the server".to_owned(),
            };
            marker(state, attempt, text, record)
        }
        ConnMsg::Error { attempt, error } => {
            // A rejected response's head goes with the attempt, as an accepted
            // one's does: the failure's marker shows why (WWW-Authenticate…).
            if let (Some(response), Some(info)) = (&error.response, &mut state.conn.attempt_info) {
                Arc::make_mut(info).response = Some((**response).clone());
            }
            marker(
                state,
                attempt,
                format!("error ({}): {}", error.kind.name(), error.message),
                record,
            )
        }
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => {
            state.status = ConnStatus::Reconnecting {
                // A server's `retry:` or the settings' `retry_delay` can be any length.
                at: crate::limits::time::later(now, delay),
                delay,
            };
            let id = if last_event_id.is_empty() {
                "no Last-Event-ID".to_owned()
            } else {
                format!("Last-Event-ID: {last_event_id}")
            };
            let text = format!(
                "reconnecting in {:.1}s (attempt {next_attempt}, {id})",
                delay.as_secs_f64()
            );
            marker(state, next_attempt - 1, text, record);
        }
        ConnMsg::Closed { reason } => {
            let (status, text) = match reason {
                CloseReason::Ended => (
                    ConnStatus::Closed("stream ended".into()),
                    "closed: stream ended".to_owned(),
                ),
                CloseReason::NoContent => (
                    ConnStatus::Closed("204: server said stop".into()),
                    "closed: 204 No Content, the server said stop reconnecting".to_owned(),
                ),
                // The user stopped it: in the UI, only a recording of a
                // disconnect says so (the live one is marked at the key).
                CloseReason::Stopped => (
                    ConnStatus::Closed(DISCONNECTED.into()),
                    DISCONNECTED.to_owned(),
                ),
                CloseReason::Failed(err) => (
                    ConnStatus::Failed(err.message.clone()),
                    format!("failed: {}", err.message),
                ),
                CloseReason::RetriesExhausted { attempts, last } => {
                    let text = format!("gave up after {attempts} attempts: {}", last.message);
                    (ConnStatus::Failed(text.clone()), text)
                }
            };
            state.status = status;
            let attempt = state.conn.attempt;
            marker(state, attempt, text, record);
        }
    }
}

fn marker(state: &mut Session, attempt: u32, text: String, record: Option<ConnMsg>) {
    let info = state.conn.attempt_info.clone();
    state.log.push_marker(attempt, text, info, record);
    state.list_last();
}

#[cfg(test)]
mod tests;
