//! Profiles: the picker's keys, opening a profile into its tab, saving the
//! tab's request (or the editor's draft) as one, and the tabs following a
//! save, a rename or a delete of their profile.

use ratatui::crossterm::event::KeyEvent;

use super::{connection, editor};
use crate::action::Action;
use crate::config::ViewSettings;
use crate::message::{Effect, ProfileChange};
use crate::sse::RequestSpec;
use crate::state::profile_picker::{PickerOutcome, ProfilePicker, ProfileSummary};
use crate::state::{AppState, OpenProfile, Overlay, Session, TabId};

/// `o` opens the picker; `P` saves the tab's request as its profile, or asks
/// a name when it has none.
pub(super) fn apply(state: &mut AppState, action: Action) -> Vec<Effect> {
    let tab = state.active_id();
    let profile = state.active().profile.as_ref().map(|p| p.name.clone());
    match (action, profile) {
        (Action::SaveProfile, Some(name)) => save(state, tab, name, true).into_iter().collect(),
        (Action::SaveProfile, None) => {
            let picker = ProfilePicker::naming_new(state.profile_list.clone());
            state.active_mut().overlay = Some(Overlay::Profiles(Box::new(picker)));
            Vec::new()
        }
        _ => {
            let picker = ProfilePicker::new(state.profile_list.clone());
            state.active_mut().overlay = Some(Overlay::Profiles(Box::new(picker)));
            Vec::new()
        }
    }
}

/// Keys while the profile picker is open, for the tab shown.
pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let tab = state.active_id();
    let session = state.active_mut();
    let Some(Overlay::Profiles(picker)) = &mut session.overlay else {
        return Vec::new();
    };
    let outcome = picker.handle_key(key);
    let close = |state: &mut AppState| state.active_mut().overlay = None;
    let save = |state: &mut AppState, name: String, overwrite: bool| match save(
        state, tab, name, overwrite,
    ) {
        Some(effect) => vec![effect],
        None => {
            // Back to what needs fixing.
            close(state);
            Vec::new()
        }
    };
    match outcome {
        PickerOutcome::Nothing => Vec::new(),
        PickerOutcome::Close => {
            close(state);
            Vec::new()
        }
        PickerOutcome::Open(name) => {
            close(state);
            let env = state.profile_envs.get(&name).cloned();
            vec![Effect::OpenProfile { tab, name, env }]
        }
        PickerOutcome::SaveNew(name) => save(state, name, false),
        PickerOutcome::Overwrite(name) => save(state, name, true),
        PickerOutcome::Rename { from, to } => vec![Effect::RenameProfile { from, to }],
        PickerOutcome::Delete(name) => vec![Effect::DeleteProfile { name }],
    }
}

/// Saving tab `tab` as profile `name`, or `None` (with a notice, the editor
/// open on what to fix) when it cannot be saved.
fn save(state: &mut AppState, tab: TabId, name: String, overwrite: bool) -> Option<Effect> {
    let (spec, view) = to_save(state, tab)?;
    Some(Effect::SaveProfile {
        tab,
        name,
        spec: Box::new(spec),
        view,
        overwrite,
    })
}

/// What a save of tab `tab` writes: the editor's draft when there is one
/// (validated: its errors are marked, and the editor opens on them), else
/// the request; with how the tab shows its stream (the draft's Answer path
/// included). `None`, with a notice, when it cannot be saved: an invalid
/// draft, or a value redacted where the request came from (a profile must
/// never hold a mask).
fn to_save(state: &mut AppState, tab: TabId) -> Option<(RequestSpec, ViewSettings)> {
    let session = state.tab_mut(tab)?;
    let mut view = view_settings(session);
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
                    session.editor_open = true;
                    state.notice = Some(format!("not saved: {n} {fields} fixing"));
                    return None;
                }
            }
        }
        None => session.request.clone(),
    };
    if let Err(why) = spec.check_redacted() {
        editor::refuse(state, tab, &why, "not saved");
        return None;
    }
    Some((spec, view))
}

/// What a profile saves of how this tab shows its stream.
fn view_settings(session: &Session) -> ViewSettings {
    ViewSettings {
        search: session
            .search
            .is_active()
            .then(|| session.search.query().trim().to_owned()),
        transcript_path: session
            .insight
            .transcript_path
            .as_ref()
            .map(ToString::to_string),
        list_column: session.list_column.as_ref().map(|q| q.expr().to_owned()),
    }
}

/// Profile `name` was read for tab `tab`: the tab is shown, takes its
/// request and how it shows its stream, and connects.
pub(super) fn opened(
    state: &mut AppState,
    tab: TabId,
    name: String,
    spec: Box<RequestSpec>,
    view: &ViewSettings,
    schemas: Result<Option<std::sync::Arc<crate::insight::contract::Schemas>>, String>,
) -> Vec<Effect> {
    if !state.show_tab(tab) {
        return Vec::new();
    }
    let state_env = state.environment_of(&name);
    let Some(session) = state.tab_mut(tab) else {
        return Vec::new();
    };
    session.title.clone_from(&name);
    session.environment = state_env;
    session.request = (*spec).clone();
    session.offline = None;
    session.profile = Some(OpenProfile { name, saved: spec });
    session.draft = None;
    session.editor_open = false;
    session.list.set_follow(true);
    let mut notices = Vec::new();
    if let Err(notice) = apply_view_settings(session, view) {
        notices.push(notice);
    }
    // A schema that cannot be read judges nothing, and says why.
    match schemas {
        Ok(schemas) => session.contract.set(schemas),
        Err(err) => {
            session.contract.set(None);
            notices.push(format!("events not validated: {err}"));
        }
    }
    if !notices.is_empty() {
        state.notice = Some(notices.join("; "));
    }
    connection::connect_tab(state, tab)
}

/// A profile's search and Answer path, in force in its tab; a path that does
/// not read is left out, and the error returned to be said.
fn apply_view_settings(session: &mut Session, view: &ViewSettings) -> Result<(), String> {
    match &view.search {
        Some(query) => session.search.set_query(query),
        None => session.search.clear(),
    }
    let path = view
        .transcript_path
        .as_deref()
        .map(crate::insight::llm::ContentPath::parse)
        .transpose();
    let mut result = match path {
        Ok(path) => {
            session.insight.set_transcript_path(path);
            Ok(())
        }
        Err(err) => {
            session.insight.set_transcript_path(None);
            Err(format!("the profile's transcript_path: {err}"))
        }
    };
    session.list_column = None;
    if let Some(expr) = view.list_column.as_deref().filter(|e| !e.trim().is_empty()) {
        match crate::insight::jq::Query::compile(expr) {
            Ok(query) => session.list_column = Some(query),
            Err(err) => result = Err(format!("the profile's list_column: {err}")),
        }
    }
    session.relist();
    result
}

/// The file changed: the picker lists what is there now, and the tabs follow
/// a save, a rename or a delete of their profile.
pub(super) fn changed(state: &mut AppState, list: Vec<ProfileSummary>, change: ProfileChange) {
    for session in state.tabs_mut() {
        if let Some(Overlay::Profiles(picker)) = &mut session.overlay {
            picker.set_profiles(list.clone());
        }
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
                // Saved: the picker closes (renames and deletes keep it open).
                if matches!(session.overlay, Some(Overlay::Profiles(_))) {
                    session.overlay = None;
                }
            }
            state.notice = Some(match plain_secrets.as_slice() {
                [] => format!("saved the request as profile {name:?}"),
                fields => format!(
                    "saved the request as profile {name:?}; in plain text in the file (mode 0600): {}: write ${{env:NAME}} there to keep a secret out",
                    fields.join(", ")
                ),
            });
        }
        ProfileChange::Renamed { from, to } => {
            for session in state.tabs_mut() {
                if let Some(profile) = session.profile.as_mut().filter(|p| p.name == from) {
                    profile.name.clone_from(&to);
                    session.title.clone_from(&to);
                }
            }
            state.notice = Some(format!("renamed profile {from:?} to {to:?}"));
        }
        ProfileChange::Deleted(name) => {
            for session in state.tabs_mut() {
                if session.profile.as_ref().is_some_and(|p| p.name == name) {
                    session.profile = None;
                }
            }
            state.notice = Some(format!("deleted profile {name:?}"));
        }
    }
}
