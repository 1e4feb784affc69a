//! The request editor: opening it on the tab's draft, its keys (Ctrl-R
//! sends), pastes (a curl command on the URL imports it), the body back from
//! `$EDITOR`, and opening it on the field to blame when a request cannot go.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{connection, keys};
use crate::action::Action;
use crate::message::Effect;
use crate::request::vars::fill_spec;
use crate::sse::Unsendable;
use crate::state::request_form::{FormOutcome, RequestForm, Slot};
use crate::state::{AppState, Session, TabId};

/// Opens the request editor on the draft, or on the request as it is.
pub(super) fn open(session: &mut Session) {
    if session.draft.is_none() {
        session.draft = Some(draft_of(session));
    }
    session.editor_open = true;
}

/// A draft of the tab's request, with its Answer path.
fn draft_of(session: &Session) -> RequestForm {
    let mut draft = RequestForm::from_spec(&session.request);
    if let Some(path) = &session.insight.transcript_path {
        draft.answer_path.set_text(path.to_string());
    }
    draft
}

/// Keys while the request editor of the tab shown is open: Ctrl-R sends, the
/// form takes what it knows, and of the rest only what makes sense over the
/// form reaches the app.
pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let tab = state.active_id();
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('r') {
        return send(state, tab);
    }
    let vars = tab_vars(state, tab);
    let session = state.active_mut();
    let Some(draft) = session.draft.as_mut() else {
        session.editor_open = false;
        return Vec::new();
    };
    // The URL is checked as it is typed: `{{base_url}}/chat` needs the
    // tab's variables to be a URL at all.
    draft.set_url_vars(vars);
    match draft.handle_key(key) {
        FormOutcome::Handled => Vec::new(),
        FormOutcome::Close => {
            session.editor_open = false;
            Vec::new()
        }
        FormOutcome::ShowResolved => {
            super::environments::show_resolved(state);
            Vec::new()
        }
        FormOutcome::EditBody(text) => {
            let json = draft.body_is_json();
            vec![Effect::EditBody { tab, text, json }]
        }
        FormOutcome::NotHandled => match state.keymap.action_for(key) {
            Some(action) if works_over_the_editor(action) => keys::apply(state, action),
            _ => Vec::new(),
        },
    }
}

/// The variables of tab `tab` (its environment, profile and settings), if
/// they can be had.
fn tab_vars(state: &AppState, tab: TabId) -> Option<crate::request::vars::Vars> {
    vars_of(state, tab)?.ok()
}

/// The variables of tab `tab`, or why they cannot be had (`None`: no such tab).
fn vars_of(state: &AppState, tab: TabId) -> Option<Result<crate::request::vars::Vars, String>> {
    let session = state.tab(tab)?;
    let profile = session.profile.as_ref().map(|p| p.name.as_str());
    Some(
        state
            .environments
            .vars(profile, session.environment.as_deref()),
    )
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
            | Action::RenameTab
    )
}

/// Ctrl-R in the editor: a valid draft becomes the request and connects (the
/// same request again disconnects, as Ctrl-R does elsewhere); an invalid one
/// stays open with its errors marked, and nothing is sent.
fn send(state: &mut AppState, tab: TabId) -> Vec<Effect> {
    let env = state.env.clone();
    let vars = vars_of(state, tab);
    let url_vars = vars.as_ref().and_then(|v| v.as_ref().ok()).cloned();
    let Some(session) = state.tab_mut(tab) else {
        return Vec::new();
    };
    let Some(draft) = session.draft.as_mut() else {
        return connection::toggle(state, tab);
    };
    draft.set_url_vars(url_vars);
    let (Some(spec), Ok(path)) = (draft.build(&session.request), draft.answer_path()) else {
        let n = draft.error_count();
        let fields = if n == 1 { "field needs" } else { "fields need" };
        state.notice = Some(format!("not sent: {n} {fields} fixing"));
        return Vec::new();
    };
    // `{{name}}` typed in the editor filled from the tab's environment: the
    // request keeps the values (an undefined name is said, nothing sent).
    let filled = vars
        .unwrap_or_else(|| Ok(Default::default()))
        .and_then(|vars| fill_spec(&vars, &spec).map_err(|e| e.to_string()));
    let spec = match filled {
        Ok(spec) => spec,
        Err(why) => {
            state.notice = Some(format!("not sent: {why}"));
            return Vec::new();
        }
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
    let path_changed = path != session.insight.transcript_path;
    if path_changed {
        session.insight.set_transcript_path(path);
        session.reassemble_answer();
    }
    if spec == session.request && session.is_live() {
        if !path_changed {
            return connection::toggle(state, tab);
        }
        // Only the Answer path changed: the stream goes on.
        session.draft = None;
        session.editor_open = false;
        state.notice = Some("Answer path set".into());
        return Vec::new();
    }
    if spec.url != session.request.url {
        // The tab's name follows the endpoint: host and path.
        session.title = Session::title_for(&spec.url);
    }
    session.request = spec;
    session.offline = None;
    session.draft = None;
    session.editor_open = false;
    session.list.set_follow(true);
    vec![connection::start(state, tab, sent)]
}

/// A paste into the tab's editor goes into the field being edited, except a
/// curl command pasted on the URL ("Copy as cURL" from a browser): that
/// replaces the whole draft.
pub(super) fn paste(state: &mut AppState, text: &str) {
    let Some(draft) = state.active_mut().draft.as_mut() else {
        return;
    };
    let is_curl = crate::curl::looks_like_command(text);
    if draft.focus() != Slot::Url || !is_curl {
        draft.paste(text);
        return;
    }
    let notice = match crate::curl::parse(text) {
        Ok(imported) => {
            *draft = RequestForm::from_spec(&imported.spec);
            match imported.ignored.as_slice() {
                [] => "imported the curl command: Ctrl-R sends it".to_owned(),
                ignored => format!(
                    "imported the curl command (ignored: {}): Ctrl-R sends it",
                    ignored.join(" ")
                ),
            }
        }
        Err(err) => err.to_string(),
    };
    state.notice = Some(notice);
}

/// The body text back from `$EDITOR` for tab `tab`'s draft, or why not.
pub(super) fn body_edited(state: &mut AppState, tab: TabId, result: Result<String, String>) {
    let draft = state.tab_mut(tab).and_then(|s| s.draft.as_mut());
    match (draft, result) {
        (Some(draft), Ok(text)) => draft.set_body(text),
        (None, Ok(_)) => state.notice = Some("the request editor was closed".into()),
        (_, Err(err)) => state.notice = Some(err),
    }
}

/// Why tab `tab`'s request cannot go (`doing`: "not sent", "not saved"): the
/// editor opens with the focus and the reason on the field to blame. A draft
/// already open is kept and checked itself (its rows may differ from the
/// request's).
pub(super) fn refuse(state: &mut AppState, tab: TabId, why: &Unsendable, doing: &str) {
    let env = state.env.clone();
    let Some(session) = state.tab_mut(tab) else {
        return;
    };
    let notice = match session.draft.as_mut() {
        None => {
            let mut draft = draft_of(session);
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
    session.editor_open = true;
    state.notice = Some(notice);
}
