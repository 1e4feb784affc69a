//! Environments in the UI: `E` opens the picker; choosing one names it in
//! the title bar, remembers it for the tab's profile for the rest of the
//! session, and opens the profile again with its `{{name}}` filled from it.
//! Also `copy_curl_secrets`, which asks before a request's secrets go to the
//! clipboard.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::message::Effect;
use crate::state::environment_picker::EnvironmentPicker;
use crate::state::resolved::ResolvedView;
use crate::state::{AppState, Overlay};

/// `E`: the picker, or a notice when the config has no environments.
pub(super) fn open(state: &mut AppState) {
    let names = state.environments.names();
    if names.is_empty() {
        state.notice = Some(
            "no environments: add [environments.NAME] tables to the config (ssetui envs lists them)"
                .into(),
        );
        return;
    }
    let session = state.active_mut();
    let picker = EnvironmentPicker::new(names, session.environment.as_deref());
    session.overlay = Some(Overlay::Environments(picker));
}

/// Keys while the picker is open: move, choose, or close.
pub(super) fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let tab = state.active_id();
    let session = state.active_mut();
    let Some(Overlay::Environments(picker)) = &mut session.overlay else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Char('j') | KeyCode::Down => picker.move_by(1),
        KeyCode::Char('k') | KeyCode::Up => picker.move_by(-1),
        KeyCode::Enter => {
            let chosen = picker.chosen().map(str::to_owned);
            session.overlay = None;
            let Some(env) = chosen else {
                return Vec::new();
            };
            return choose(state, tab, env);
        }
        KeyCode::Esc | KeyCode::Char('E') | KeyCode::Char('q') => session.overlay = None,
        _ => {}
    }
    Vec::new()
}

/// Environment `env` for tab `tab`: a tab opened from a profile opens it
/// again in `env` (and connects); another tab keeps its request, whose
/// placeholders were filled when it was made.
fn choose(state: &mut AppState, tab: crate::state::TabId, env: String) -> Vec<Effect> {
    let Some(session) = state.tab_mut(tab) else {
        return Vec::new();
    };
    session.environment = Some(env.clone());
    let Some(profile) = session.profile.as_ref().map(|p| p.name.clone()) else {
        state.notice = Some(format!(
            "environment {env}: profiles opened in this tab (o) fill their {{{{name}}}} from it"
        ));
        return Vec::new();
    };
    state.profile_envs.insert(profile.clone(), env.clone());
    state.notice = Some(format!(
        "environment {env}: opening profile {profile} in it"
    ));
    let remembered = crate::config::remembered::Remembered {
        environments: state.profile_envs.clone(),
    };
    vec![
        Effect::Remember(remembered),
        Effect::OpenProfile {
            tab,
            name: profile,
            env: Some(env),
        },
    ]
}

/// `v` in the editor: the draft as it will be sent, in an overlay (any key
/// closes it); a draft with a bad field says so instead.
pub(super) fn show_resolved(state: &mut AppState) {
    let session = state.active();
    let Some(spec) = session
        .draft
        .as_ref()
        .and_then(|draft| draft.to_spec(&session.request))
    else {
        state.notice = Some("fix the fields marked first (Ctrl-R shows which)".into());
        return;
    };
    let profile = session.profile.as_ref().map(|p| p.name.as_str());
    let view = match state
        .environments
        .vars(profile, session.environment.as_deref())
    {
        Ok(vars) => ResolvedView::of(&spec, &vars, &state.env),
        Err(err) => ResolvedView {
            environment: session.environment.clone(),
            rows: Err(err),
        },
    };
    state.active_mut().overlay = Some(Overlay::Resolved(Box::new(view)));
}

/// `copy_curl_secrets`: asks first (y/n), as the command will hold secrets.
pub(super) fn ask_copy_secrets(state: &mut AppState) {
    state.active_mut().overlay = Some(Overlay::ConfirmCopySecrets);
}

/// The answer: `y` copies the request as curl with its secrets; any other
/// key copies nothing.
pub(super) fn confirm_copy_secrets(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    state.active_mut().overlay = None;
    if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
        let command = crate::curl::to_curl(&state.active().request, true);
        vec![Effect::Copy {
            bytes: command.into_bytes(),
            what: "the request as curl, secrets included".into(),
            or_else: None,
        }]
    } else {
        state.notice = Some("not copied".into());
        Vec::new()
    }
}
