//! The config file on disk: loading, warnings, errors, and saves that keep
//! the user's file as they wrote it. Real files in scratch directories.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use ssetui::config::ThemeVariant;
use ssetui::config::{ConfigError, ConfigFile, Headers, Profile, ProfileAuth, TimeFormat};
use ssetui::sse::request::{ApiKeyLocation, Auth, ReconnectPolicy};
use support::scratch;

fn write(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("config.toml");
    fs::write(&path, text).unwrap();
    path
}

fn env(name: &str) -> Option<String> {
    match name {
        "SSETUI_DEMO_TOKEN" => Some("ssetui-demo-token".into()),
        "TOKEN" => Some("s3cret".into()),
        "EXAMPLE_CLIENT_SECRET" => Some("example-secret".into()),
        _ => None,
    }
}

const HAND_WRITTEN: &str = r#"# My endpoints. Do not lose this comment.
[settings]
theme = "light"   # the office terminal is white
retry_delay = "500ms"
mystery = 42

# Production, careful.
[profiles.prod]
url = "https://example.com/events"  # the real one
auth = { kind = "bearer", token = "${env:TOKEN}" }
colour = "blue"

[profiles.prod.headers]
X-Zeta = "z"
X-Alpha = "a"

# Local.
[profiles.local]
url = "localhost:8900/clock"
description = "the demo"
"#;

#[test]
fn the_example_file_loads_cleanly_and_every_profile_connects() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let (file, warnings) = ConfigFile::load(&path).expect("config.example.toml loads");
    assert_eq!(warnings, [], "config.example.toml gives no warnings");
    let settings = &file.config().settings;
    assert_eq!(settings.time_format, Some(TimeFormat::LocalMs));
    assert_eq!(settings.max_bytes, Some(256 << 20));
    let names = file.profile_names();
    assert!(names.contains(&"protected".to_owned()), "{names:?}");
    for name in &names {
        let spec = file.profile(name).unwrap().to_spec_with(name, &env);
        assert!(spec.is_ok(), "profile {name}: {spec:?}");
    }
    let protected = file
        .profile("protected")
        .unwrap()
        .to_spec_with("protected", &env)
        .unwrap();
    assert_eq!(
        protected.to_send(&env).unwrap().auth,
        Auth::Bearer("ssetui-demo-token".into())
    );
    assert_eq!(protected.url.path(), "/protected");
}

#[test]
fn settings_and_profiles_parse_with_headers_in_file_order() {
    let dir = scratch("parse");
    let (file, _) = ConfigFile::load(&write(&dir, HAND_WRITTEN)).unwrap();
    let config = file.config();
    assert_eq!(config.settings.theme, Some(ThemeVariant::Light));
    assert_eq!(
        config.settings.retry_delay,
        Some(std::time::Duration::from_millis(500))
    );
    assert_eq!(file.profile_names(), ["prod", "local"], "file order");
    let prod = file.profile("prod").unwrap();
    assert_eq!(
        prod.headers,
        Headers(vec![
            ("X-Zeta".into(), "z".into()),
            ("X-Alpha".into(), "a".into())
        ])
    );
    let local = file.profile("local").unwrap().to_spec("local").unwrap();
    assert_eq!(local.url.as_str(), "http://localhost:8900/clock");
    assert_eq!(local.reconnect, ReconnectPolicy::Always);
}

#[test]
fn unknown_keys_are_warned_about_with_their_line_and_kept_on_save() {
    let dir = scratch("unknown");
    let path = write(&dir, HAND_WRITTEN);
    let (mut file, warnings) = ConfigFile::load(&path).unwrap();
    let texts: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        texts
            .iter()
            .any(|w| w.ends_with("config.toml:5:1: unknown key settings.mystery (ignored)")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|w| w.contains(":11:1: unknown key profiles.prod.colour")),
        "{texts:?}"
    );
    let mut local = file.profile("local").unwrap().clone();
    local.url = "localhost:9000/clock".into();
    file.set_profile("local", &local);
    file.save().unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    assert!(saved.contains("mystery = 42"), "{saved}");
    assert!(saved.contains("colour = \"blue\""), "{saved}");
}

#[test]
fn saving_keeps_comments_order_and_formatting() {
    let dir = scratch("roundtrip");
    let path = write(&dir, HAND_WRITTEN);
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    // Overwrite one profile, add another.
    let mut local = file.profile("local").unwrap().clone();
    local.url = "localhost:9000/clock".into();
    file.set_profile("local", &local);
    let new = Profile {
        url: "https://api.example.com/stream".into(),
        description: Some("new one".into()),
        auth: ProfileAuth::ApiKey {
            name: "api_key".into(),
            value: "${env:KEY}".into(),
            location: ApiKeyLocation::Query,
        },
        ..Profile::default()
    };
    file.set_profile("new", &new);
    file.save().unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    let expected_unchanged = HAND_WRITTEN.split("# Local.").next().unwrap();
    assert!(
        saved.starts_with(expected_unchanged),
        "everything before the edited profile is byte for byte the same:\n{saved}"
    );
    assert!(saved.contains("# Local.\n[profiles.local]\nurl = \"localhost:9000/clock\"\ndescription = \"the demo\"\n"), "{saved}");
    assert!(
        saved.find("[profiles.local]") < saved.find("[profiles.new]"),
        "{saved}"
    );
    let (again, _) = ConfigFile::load(&path).unwrap();
    assert_eq!(again.profile_names(), ["prod", "local", "new"]);
    assert_eq!(again.profile("new"), Some(&new));
    assert_eq!(again.profile("local"), Some(&local));
}

#[test]
fn rename_keeps_the_place_and_comment_and_delete_removes() {
    let dir = scratch("rename");
    let path = write(&dir, HAND_WRITTEN);
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    file.rename_profile("prod", "production").unwrap();
    assert!(matches!(
        file.rename_profile("local", "production"),
        Err(ConfigError::ProfileExists(_))
    ));
    assert!(matches!(
        file.rename_profile("nope", "x"),
        Err(ConfigError::NoProfile { .. })
    ));
    file.save().unwrap();
    let saved = fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("# Production, careful.\n[profiles.production]\n"),
        "{saved}"
    );
    assert!(saved.contains("[profiles.production.headers]"), "{saved}");
    let (mut again, _) = ConfigFile::load(&path).unwrap();
    assert_eq!(again.profile_names(), ["production", "local"]);
    assert!(again.delete_profile("local"));
    assert!(!again.delete_profile("local"));
    again.save().unwrap();
    let (after, _) = ConfigFile::load(&path).unwrap();
    assert_eq!(after.profile_names(), ["production"]);
    assert!(
        fs::read_to_string(&path)
            .unwrap()
            .starts_with("# My endpoints.")
    );
}

#[test]
fn env_references_resolve_and_are_written_back_instead_of_the_secret() {
    let dir = scratch("env");
    let path = write(&dir, HAND_WRITTEN);
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    let prod = file.profile("prod").unwrap().clone();
    let spec = prod.to_spec_with("prod", &env).unwrap();
    // The request names the secret; it is read as the request goes out.
    assert_eq!(spec.auth, Auth::Bearer("${env:TOKEN}".into()));
    assert_eq!(
        spec.to_send(&env).unwrap().auth,
        Auth::Bearer("s3cret".into())
    );

    let err = prod
        .to_spec_with("prod", &|_| None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("TOKEN") && err.contains("prod"), "{err}");

    // The UI edits the URL and saves: the token reference survives.
    let mut edited = spec.clone();
    edited.url = "https://example.com/other".parse().unwrap();
    let saved = Profile::from_spec_with(&edited, Some(&prod), &env, &[]);
    assert_eq!(
        saved.auth,
        ProfileAuth::Bearer {
            token: "${env:TOKEN}".into()
        }
    );
    file.set_profile("prod", &saved);
    file.save().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("token = \"${env:TOKEN}\""), "{text}");
    assert!(!text.contains("s3cret"), "{text}");

    // A changed secret is written as typed.
    edited.auth = Auth::Bearer("typed".into());
    let changed = Profile::from_spec_with(&edited, Some(&prod), &env, &[]);
    assert_eq!(
        changed.auth,
        ProfileAuth::Bearer {
            token: "typed".into()
        }
    );
}

#[test]
fn from_spec_round_trips_a_profile_unchanged() {
    let dir = scratch("fromspec");
    let (file, _) = ConfigFile::load(&write(&dir, HAND_WRITTEN)).unwrap();
    for name in file.profile_names() {
        let profile = file.profile(&name).unwrap();
        let spec = profile.to_spec_with(&name, &env).unwrap();
        assert_eq!(
            &Profile::from_spec_with(&spec, Some(profile), &env, &[]),
            profile,
            "{name}"
        );
    }
}

#[test]
fn malformed_toml_names_the_line_and_column() {
    let dir = scratch("malformed");
    let path = write(&dir, "[settings]\ntheme = \"dark\"\nretry_delay = 3s\n");
    let err = ConfigFile::load(&path).unwrap_err().to_string();
    let expected = format!("{}:3:15: ", path.display());
    assert!(err.starts_with(&expected), "{err}");

    let path = write(&dir, "[settings]\n\ntheme = \"blue\"\n");
    let err = ConfigFile::load(&path).unwrap_err().to_string();
    assert!(err.contains(":3:9: "), "{err}");
    assert!(err.contains("\"dark\", \"light\""), "{err}");

    let path = write(&dir, "[profiles.x]\nmethod = \"GET\"\n");
    let err = ConfigFile::load(&path).unwrap_err().to_string();
    assert!(err.contains("url"), "a profile needs a URL: {err}");
}

#[test]
fn a_missing_file_is_empty_and_saving_creates_it_and_its_directory() {
    let dir = scratch("missing");
    let path = dir.join("deeper").join("config.toml");
    let (mut file, warnings) = ConfigFile::load(&path).unwrap();
    assert!(warnings.is_empty() && file.profile_names().is_empty());
    file.set_profile(
        "one",
        &Profile {
            url: "http://h/".into(),
            ..Profile::default()
        },
    );
    file.save().unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert_eq!(text, "[profiles.one]\nurl = \"http://h/\"\n");
    assert!(
        !dir.join("deeper/config.toml.bak").exists(),
        "nothing to back up"
    );
}

#[cfg(unix)]
#[test]
fn saves_are_private_and_keep_the_previous_version() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("mode");
    let path = write(&dir, HAND_WRITTEN);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    assert!(file.delete_profile("local"));
    file.save().unwrap();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    let bak = dir.join("config.toml.bak");
    assert_eq!(fs::read_to_string(&bak).unwrap(), HAND_WRITTEN);
    assert_eq!(mode(&bak), 0o600);
    assert!(
        !fs::read_to_string(&path)
            .unwrap()
            .contains("[profiles.local]")
    );
}

#[test]
fn a_failed_save_leaves_the_old_file_intact() {
    let dir = scratch("failed");
    let path = write(&dir, HAND_WRITTEN);
    // The backup cannot be written where a directory stands (root or not).
    fs::create_dir(dir.join("config.toml.bak")).unwrap();
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    file.delete_profile("prod");
    let err = file.save().unwrap_err();
    assert!(matches!(err, ConfigError::Write { .. }));
    assert!(err.to_string().contains("unchanged"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), HAND_WRITTEN);
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn plain_secrets_in_a_readable_file_are_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("secrets");
    let text = "[profiles.p]\nurl = \"http://h/\"\nauth = { kind = \"basic\", user = \"u\", password = \"hunter2\" }\n\
                [profiles.q]\nurl = \"http://h/\"\nsecret_headers = [\"X-Key\"]\nheaders = { X-Key = \"${env:KEY}\" }\n";
    let path = write(&dir, text);
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let (_, warnings) = ConfigFile::load(&path).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let warning = warnings[0].to_string();
    assert!(
        warning.contains("p: auth.password") && warning.contains("chmod 600"),
        "{warning}"
    );
    assert!(
        !warning.contains("hunter2") && !warning.contains("q:"),
        "{warning}"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let (_, warnings) = ConfigFile::load(&path).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_new_profile_is_written_in_a_readable_shape() {
    let dir = scratch("shape");
    let path = write(&dir, "# top\n[settings]\ntheme = \"dark\"\n");
    let (mut file, _) = ConfigFile::load(&path).unwrap();
    let profile = Profile {
        url: "http://h/s".into(),
        method: Some("POST".into()),
        headers: Headers(vec![("X-B".into(), "2".into()), ("X-A".into(), "1".into())]),
        secret_headers: vec!["X-B".into()],
        body: Some("{\"a\":1}".into()),
        auth: ProfileAuth::Bearer {
            token: "${env:T}".into(),
        },
        reconnect: Some(ReconnectPolicy::OnError),
        parse_as: Some(ssetui::sse::BodyFormat::Ndjson),
        view: ssetui::config::ViewSettings {
            search: Some("jq:.type == \"delta\"".into()),
            transcript_path: Some(".message.content".into()),
            list_column: Some(".choices[0].delta.content".into()),
        },
        description: Some("d".into()),
        check: None,
        last_event_id: None,
        ..Profile::default()
    };
    file.set_profile("my api", &profile);
    file.save().unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "# top\n[settings]\ntheme = \"dark\"\n\n[profiles.\"my api\"]\ndescription = \"d\"\n\
         url = \"http://h/s\"\nmethod = \"POST\"\nheaders = { X-B = \"2\", X-A = \"1\" }\n\
         secret_headers = [\"X-B\"]\nbody = '{\"a\":1}'\nauth = { kind = \"bearer\", token = \"${env:T}\" }\n\
         reconnect = \"on-error\"\nparse_as = \"ndjson\"\n\
         search = 'jq:.type == \"delta\"'\ntranscript_path = \".message.content\"\n\
         list_column = \".choices[0].delta.content\"\n"
    );
    let (again, _) = ConfigFile::load(&path).unwrap();
    assert_eq!(again.profile("my api"), Some(&profile));
    let spec = profile
        .to_spec_with("my api", &|_| Some("t".into()))
        .unwrap();
    assert_eq!(spec.body_format, ssetui::sse::BodyFormat::Ndjson);
    assert_eq!(
        Profile::from_spec(&spec, Some(&profile)).parse_as,
        profile.parse_as
    );
}

/// The `[keys]` shown in the README and (commented) in the example file are
/// bindings the keymap accepts.
#[test]
fn the_documented_key_tables_are_accepted() {
    let example =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml"))
            .unwrap();
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let readme_keys = readme
        .split("```toml\n[keys]\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a [keys] example in the README");
    let example_keys: String = example
        .lines()
        .skip_while(|l| *l != "[keys]")
        .skip(1)
        .take_while(|l| l.starts_with("# ") && l.contains(" = "))
        .map(|l| format!("{}\n", &l[2..]))
        .collect();
    assert!(!example_keys.is_empty(), "commented bindings under [keys]");
    for keys in [readme_keys, example_keys.as_str()] {
        let text = format!("[keys]\n{keys}");
        let (file, warnings) = ConfigFile::parse(Path::new("keys.toml"), &text).unwrap();
        assert_eq!(warnings, []);
        let table = file.config().key_table();
        assert!(!table.is_empty());
        ssetui::keymap::Keymap::from_config(&table).unwrap_or_else(|e| panic!("{keys}: {e}"));
    }
}

#[test]
fn headers_a_profile_marks_secret_are_redacted_wherever_the_request_is_shown() {
    let text = "[profiles.p]\nurl = \"http://h/s\"\nheaders = { \"X-Session\" = \"s3cr3t\", Accept = \"text/event-stream\" }\nsecret_headers = [\"X-Session\"]\n";
    let (file, _) = ConfigFile::parse(Path::new("p.toml"), text).unwrap();
    let spec = file.profile("p").unwrap().to_spec("p").unwrap();
    let names = spec.secret_names();
    let shown = ssetui::sse::redact::header_value("X-Session", "s3cr3t", &names);
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert_eq!(
        ssetui::sse::redact::header_value("Accept", "text/event-stream", &names),
        "text/event-stream"
    );
}
