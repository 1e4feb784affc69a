//! Environments in the UI, through the real `update` and rendered with
//! ratatui's `TestBackend`: the picker (`E`), the title bar naming the
//! environment, the choice remembered per profile, and copying the request
//! as curl without and with its secrets.

mod support;
use support::screen;

use std::path::Path;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use reqwest::Url;
use ssetui::config::ConfigFile;
use ssetui::message::{Effect, Msg};
use ssetui::sse::{Auth, RequestSpec};
use ssetui::state::{self, AppState, Environments, OpenProfile, Overlay};

const CONFIG: &str = r#"
[environments.dev]
base_url = "http://127.0.0.1:8900"
[environments.staging]
base_url = "https://staging.example"
token = "${env:STAGING_TOKEN}"
[profiles.p]
url = "{{base_url}}/chat"
env = "dev"
"#;

fn spec(url: &str) -> RequestSpec {
    RequestSpec::get(Url::parse(url).unwrap())
}

/// A state whose tab shows profile `p` opened in `dev`, as the app builds it.
fn state_with_profile() -> AppState {
    let (file, _) = ConfigFile::parse(Path::new("c.toml"), CONFIG).unwrap();
    let request = spec("http://127.0.0.1:8900/chat");
    let mut state = AppState::new(request.clone(), "p".into());
    state.environments = Environments {
        config: file.config().clone(),
        explicit: Vec::new(),
    };
    let env = state.environment_of("p");
    let session = state.active_mut();
    session.profile = Some(OpenProfile {
        name: "p".into(),
        saved: Box::new(request),
    });
    session.environment = env;
    state
}

fn press(state: &mut AppState, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    state::update(
        state,
        Msg::Input(Event::Key(KeyEvent::new(code, modifiers))),
    )
}

fn key(state: &mut AppState, c: char) -> Vec<Effect> {
    press(state, KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn the_picker_lists_environments_and_the_title_bar_names_the_current_one() {
    let mut state = state_with_profile();
    let title = screen(&state, 80, 24);
    let first_line = title.lines().next().unwrap();
    assert!(
        first_line.contains("ssetui · p · env dev · GET"),
        "{first_line}"
    );

    assert!(key(&mut state, 'E').is_empty());
    assert!(matches!(
        state.active().overlay,
        Some(Overlay::Environments(_))
    ));
    let shown = screen(&state, 80, 24);
    assert!(shown.contains(" Environment "), "{shown}");
    assert!(
        shown.contains("● dev"),
        "the current one is marked:\n{shown}"
    );
    assert!(shown.contains("  staging"), "{shown}");
    assert!(shown.contains("Enter uses it"), "{shown}");

    key(&mut state, 'j');
    let tab = state.active_id();
    let effects = press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    let remembered = ssetui::config::remembered::Remembered {
        environments: [("p".to_owned(), "staging".to_owned())].into(),
    };
    assert_eq!(
        effects,
        vec![
            Effect::Remember(remembered),
            Effect::OpenProfile {
                tab,
                name: "p".into(),
                env: Some("staging".into()),
            }
        ],
        "the choice is remembered and the profile opens again in it"
    );
    assert!(state.active().overlay.is_none());
    let first_line = screen(&state, 80, 24).lines().next().unwrap().to_owned();
    assert!(first_line.contains("env staging"), "{first_line}");

    // The profile read in staging: the tab keeps the choice, and the
    // choice is remembered for the profile (the picker `o` opens it in staging).
    state::update(
        &mut state,
        Msg::ProfileOpened {
            tab,
            name: "p".into(),
            spec: Box::new(spec("https://staging.example/chat")),
            view: Default::default(),
            schemas: Ok(None),
        },
    );
    assert_eq!(state.active().environment.as_deref(), Some("staging"));
    assert_eq!(state.environment_of("p").as_deref(), Some("staging"));
    let first_line = screen(&state, 100, 24).lines().next().unwrap().to_owned();
    assert!(
        first_line.contains("env staging · GET https://staging.example/chat"),
        "{first_line}"
    );
}

#[test]
fn with_no_environments_the_picker_says_how_to_add_one() {
    let mut state = AppState::new(spec("http://h/s"), "t".into());
    key(&mut state, 'E');
    assert!(state.active().overlay.is_none());
    let notice = state.notice.clone().unwrap_or_default();
    assert!(notice.contains("[environments.NAME]"), "{notice}");
    assert!(
        !screen(&state, 80, 24)
            .lines()
            .next()
            .unwrap()
            .contains("env ")
    );
}

#[test]
fn copy_as_curl_masks_secrets_and_the_secrets_copy_asks_first() {
    let mut request = spec("http://h/s?api_key=${env:KEY}&token=t0k");
    request.auth = Auth::Bearer("${env:STAGING_TOKEN}".into());
    request.headers = vec![("X-Session".into(), "plain-session".into())];
    let mut state = AppState::new(request, "t".into());

    let copied = |effects: Vec<Effect>| match effects.as_slice() {
        [Effect::Copy { bytes, .. }] => String::from_utf8(bytes.clone()).unwrap(),
        other => panic!("expected one copy, got {other:?}"),
    };
    let plain = copied(key(&mut state, 'Y'));
    assert!(
        plain.contains(r#"'Authorization: Bearer '"$STAGING_TOKEN""#),
        "{plain}"
    );
    assert!(plain.contains(r#"api_key='"$KEY"'&token=***"#), "{plain}");
    assert!(plain.contains("'X-Session: ***'"), "{plain}");
    assert!(!plain.contains("t0k") && !plain.contains("plain-session"));

    // Alt-Y asks; anything but y copies nothing.
    assert!(press(&mut state, KeyCode::Char('y'), KeyModifiers::ALT).is_empty());
    assert!(matches!(
        state.active().overlay,
        Some(Overlay::ConfirmCopySecrets)
    ));
    let shown = screen(&state, 80, 24);
    assert!(shown.contains("with its secrets in clear?"), "{shown}");
    assert!(key(&mut state, 'n').is_empty());
    assert!(state.active().overlay.is_none());
    assert_eq!(state.notice.as_deref(), Some("not copied"));

    press(&mut state, KeyCode::Char('y'), KeyModifiers::ALT);
    let revealed = copied(key(&mut state, 'y'));
    assert!(revealed.contains("token=t0k"), "{revealed}");
    assert!(
        revealed.contains("'X-Session: plain-session'"),
        "{revealed}"
    );
    assert!(revealed.contains(r#""$STAGING_TOKEN""#), "{revealed}");
}

#[test]
fn v_in_the_editor_shows_the_request_as_sent_and_ctrl_r_sends_it_filled() {
    let (file, _) = ConfigFile::parse(Path::new("c.toml"), CONFIG).unwrap();
    let mut request = spec("https://api.example/{{org}}/s");
    request.headers = vec![("X-Org".into(), "{{org}}".into())];
    request.auth = Auth::Bearer("{{token}}".into());
    let mut state = AppState::new(request, "t".into());
    state.env = ssetui::sse::Env::fixed(&[("STAGING_TOKEN", "s3cret-staging")]);
    state.environments = Environments {
        config: file.config().clone(),
        explicit: vec![("org".into(), "acme".into())],
    };
    state.active_mut().environment = Some("staging".into());

    key(&mut state, 'r');
    assert!(state.active().editor_open);
    let hints = screen(&state, 100, 24);
    assert!(
        hints.lines().last().unwrap().contains("v as sent"),
        "{hints}"
    );
    key(&mut state, 'v');
    assert!(matches!(state.active().overlay, Some(Overlay::Resolved(_))));
    let shown = screen(&state, 100, 24);
    assert!(shown.contains("As sent · environment staging"), "{shown}");
    assert!(shown.contains("https://api.example/acme/s"), "{shown}");
    assert!(shown.contains("X-Org"), "{shown}");
    assert!(shown.contains("Authorization  Bearer ***"), "{shown}");
    assert!(!shown.contains("s3cret-staging"), "{shown}");
    // Any key closes it; the editor is still there.
    key(&mut state, 'x');
    assert!(state.active().overlay.is_none());
    assert!(state.active().editor_open);

    let effects = press(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let sent = effects
        .iter()
        .find_map(|e| match e {
            Effect::Connect { spec, .. } => Some(spec.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no connect in {effects:?}"));
    assert_eq!(sent.url.as_str(), "https://api.example/acme/s");
    assert_eq!(sent.headers, vec![("X-Org".to_owned(), "acme".to_owned())]);
    assert_eq!(sent.auth, Auth::Bearer("s3cret-staging".into()));
    // The tab's request keeps the reference, not the secret.
    assert_eq!(
        state.active().request.auth,
        Auth::Bearer("${env:STAGING_TOKEN}".into())
    );
}

#[test]
fn a_url_whose_host_is_a_variable_is_filled_in_the_editor_and_sent() {
    let (file, _) = ConfigFile::parse(Path::new("c.toml"), CONFIG).unwrap();
    let mut state = AppState::new(spec("http://127.0.0.1:8900/chat"), "t".into());
    state.environments = Environments {
        config: file.config().clone(),
        explicit: Vec::new(),
    };
    state.active_mut().environment = Some("staging".into());
    key(&mut state, 'r');
    let draft = state
        .active_mut()
        .draft
        .as_mut()
        .expect("the editor's draft");
    // The common case: the environment holds the scheme and host.
    draft.url.set_text("{{base_url}}/stream");
    let effects = press(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let sent = effects
        .iter()
        .find_map(|e| match e {
            Effect::Connect { spec, .. } => Some(spec.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no connect in {effects:?}: {:?}", state.notice));
    assert_eq!(sent.url.as_str(), "https://staging.example/stream");

    // A name no layer defines is the URL field's error, named, and nothing goes.
    key(&mut state, 'r');
    let draft = state
        .active_mut()
        .draft
        .as_mut()
        .expect("the editor's draft");
    draft.url.set_text("{{nowhere}}/stream");
    let effects = press(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Connect { .. })),
        "{effects:?}"
    );
    let shown = screen(&state, 100, 30);
    assert!(shown.contains("nowhere"), "{shown}");
}

/// A profile's own `${env:VAR}` is a secret held in the environment as much
/// as an environment's is: the tab keeps the reference, so `Y` writes
/// `"$VAR"` (runnable, nothing leaked) and the value is read as it goes out.
#[test]
fn a_profiles_own_env_reference_copies_as_a_shell_variable() {
    let text = "[profiles.api]\nurl = \"http://h/s\"\nauth = { kind = \"bearer\", token = \"${env:API_TOKEN}\" }\n";
    let (file, _) = ConfigFile::parse(Path::new("c.toml"), text).unwrap();
    let env = |name: &str| (name == "API_TOKEN").then(|| "tok-123".to_owned());
    let spec = file
        .profile("api")
        .unwrap()
        .to_spec_with("api", &env)
        .unwrap();
    assert_eq!(spec.auth, Auth::Bearer("${env:API_TOKEN}".into()));
    let mut state = AppState::new(spec, "api".into());
    let copied = match key(&mut state, 'Y').as_slice() {
        [Effect::Copy { bytes, .. }] => String::from_utf8(bytes.clone()).unwrap(),
        other => panic!("expected one copy, got {other:?}"),
    };
    assert!(
        copied.contains(r#"'Authorization: Bearer '"$API_TOKEN""#),
        "{copied}"
    );
    assert!(!copied.contains("tok-123"), "{copied}");
}

/// The real binary twice: the environment picked with `E` for a profile
/// is what it opens in next time (kept in `remembered.toml` beside the
/// config, 0600), and `--env` still wins over it.
#[test]
fn the_environment_chosen_for_a_profile_is_remembered_across_runs() {
    use std::os::unix::fs::PermissionsExt;
    use support::pty::Pty;
    let (_rt, base) = support::demo("");
    let dir = support::scratch("remembered-env");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[environments.dev]\nbase_url = \"{base}\"\n\
             [environments.staging]\nbase_url = \"{base}\"\n\
             [profiles.p]\nurl = \"{{{{base_url}}}}/clock?interval_ms=50\"\nenv = \"dev\"\n"
        ),
    )
    .unwrap();
    let config_var = config.to_str().unwrap();
    let env = [("SSETUI_CONFIG", config_var)];

    let mut app = Pty::start_with_env(&["--profile", "p"], &env);
    app.wait_for("the profile in its own env", |s| {
        s.contains("· p · env dev ·")
    });
    app.keys("E");
    app.wait_for("the picker", |s| s.contains("● dev"));
    app.keys("j\r");
    app.wait_for("the profile in staging", |s| {
        s.contains("· p · env staging ·")
    });
    assert!(app.quit());
    let remembered = dir.join("remembered.toml");
    let text = std::fs::read_to_string(&remembered).unwrap();
    assert!(text.contains("p = \"staging\""), "{text}");
    let mode = std::fs::metadata(&remembered).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let mut app = Pty::start_with_env(&["--profile", "p"], &env);
    app.wait_for("the profile in the environment chosen last time", |s| {
        s.contains("· p · env staging ·")
    });
    assert!(app.quit());

    let mut app = Pty::start_with_env(&["--profile", "p", "--env", "dev"], &env);
    app.wait_for("--env over the remembered one", |s| {
        s.contains("· p · env dev ·")
    });
    assert!(app.quit());
}
