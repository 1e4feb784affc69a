//! Secrets recognised by rule, wherever a request is shown or stored: `-v`,
//! error messages, captures, the UI's request pane and editor, and what
//! follows a redirect to another origin. Every test talks to a real loopback
//! server (the raw-TCP `support::TestServer`) or runs the real binary.

mod support;

use std::process::Stdio;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use reqwest::{Method, Url};
use ssetui::sse::{ConnMsg, RequestSpec, ResponseInfo};
use ssetui::state::request_form::RequestForm;
use ssetui::ui::{Theme, request_form};
use support::*;

const PATIENCE: Duration = Duration::from_secs(15);

/// Headers whose names say they carry a secret, as the APIs the issue names
/// spell them, each with a value found nowhere else.
const SECRET_HEADERS: &[(&str, &str)] = &[
    ("X-Api-Key", "anthropic-v4lue"),
    ("api-key", "azure-v4lue"),
    ("x-goog-api-key", "gemini-v4lue"),
    ("X-Auth-Token", "auth-token-v4lue"),
    ("Ocp-Apim-Subscription-Key", "apim-v4lue"),
    ("X-Session-Id", "session-v4lue"),
];

/// Query parameters that carry secrets in signed URLs, OAuth and APIs, each
/// with a value found nowhere else.
const SECRET_QUERY: &[(&str, &str)] = &[
    ("X-Amz-Signature", "amzsig-v4lue"),
    ("X-Amz-Credential", "amzcred-v4lue"),
    ("X-Goog-Signature", "googsig-v4lue"),
    ("code", "oauthcode-v4lue"),
    ("subscription-key", "subkey-v4lue"),
    ("id_token", "idtoken-v4lue"),
    ("refresh_token", "refresh-v4lue"),
    ("jwt", "jwt-v4lue"),
    ("private_token", "privtok-v4lue"),
    ("client_key", "clientkey-v4lue"),
    ("session", "sessionq-v4lue"),
    ("passwd", "passwd-v4lue"),
    ("accessToken", "accesstoken-v4lue"),
];

fn secret_values() -> impl Iterator<Item = &'static str> {
    SECRET_HEADERS
        .iter()
        .chain(SECRET_QUERY)
        .map(|(_, value)| *value)
}

/// `path` on `server` with every secret query parameter and a public one.
fn secret_url(server: &TestServer, path: &str) -> String {
    let query: Vec<String> = SECRET_QUERY
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    format!("{}?topic=prices&{}", server.url(path), query.join("&"))
}

/// `print` arguments: every secret header, then `rest`.
fn print_args(rest: &[&str]) -> Vec<String> {
    let mut args = vec!["print".to_owned()];
    for (name, value) in SECRET_HEADERS {
        args.push("-H".into());
        args.push(format!("{name}: {value}"));
    }
    args.extend(rest.iter().map(|a| (*a).to_owned()));
    args
}

fn run(args: &[String], dir: &std::path::Path) -> std::process::Output {
    let mut cmd = support::app();
    cmd.args(args)
        .current_dir(dir)
        .env("SSETUI_CONFIG", dir.join("config.toml"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    output_within(cmd, PATIENCE)
}

fn one_event_server() -> (tokio::runtime::Runtime, TestServer) {
    serve(vec![vec![sse_head(), write("data: one\n\n"), Step::Close]])
}

#[test]
fn verbose_output_shows_no_secret_header_or_query_value_but_sends_them() {
    let (runtime, mut server) = one_event_server();
    let dir = scratch("verbose");
    let url = secret_url(&server, "/s");
    let out = run(&print_args(&["-v", "--no-reconnect", &url]), &dir);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    for value in secret_values() {
        assert!(!stderr.contains(value), "{value} shown in -v:\n{stderr}");
    }
    for (name, _) in SECRET_HEADERS {
        // -v writes header names as people write them.
        let shown = format!("{}: ***", name.to_ascii_lowercase());
        assert!(
            stderr.to_ascii_lowercase().contains(&shown),
            "{shown} in:\n{stderr}"
        );
    }
    assert!(stderr.contains("topic=prices"), "{stderr}");
    assert!(stderr.contains("X-Amz-Signature=***"), "{stderr}");

    let sent = runtime.block_on(server.next_request());
    for (name, value) in SECRET_HEADERS {
        assert_eq!(sent.header(name), Some(*value), "{name} is sent as given");
    }
    for (name, value) in SECRET_QUERY {
        assert!(sent.target.contains(&format!("{name}={value}")), "{name}");
    }
}

#[test]
fn a_capture_that_says_its_secrets_are_not_revealed_holds_none_of_them() {
    let (_runtime, server) = one_event_server();
    let dir = scratch("capture");
    let url = secret_url(&server, "/s");
    let file = dir.join("s.ssecap");
    let out = run(
        &print_args(&["--no-reconnect", "--record", file.to_str().unwrap(), &url]),
        &dir,
    );
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"secrets_revealed\":false"), "{text}");
    for value in secret_values() {
        assert!(!text.contains(value), "{value} in the capture:\n{text}");
    }
    let header = ssetui::capture::read(&file).unwrap().header;
    let names: Vec<&str> = header
        .request
        .headers
        .iter()
        .filter(|(_, v)| v == "***")
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(names.len(), SECRET_HEADERS.len(), "{names:?}");
}

#[test]
fn a_saved_stream_capture_and_the_curl_command_hold_no_secret_either() {
    let server_url = "http://127.0.0.1:9/s";
    let query: Vec<String> = SECRET_QUERY
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let url = Url::parse(&format!("{server_url}?{}", query.join("&"))).unwrap();
    let mut spec = RequestSpec::get(url);
    spec.headers = SECRET_HEADERS
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    let capture = String::from_utf8(ssetui::capture::writer::encode(&spec, &[])).unwrap();
    let curl = ssetui::curl::to_curl(&spec, false);
    for value in secret_values() {
        assert!(
            !capture.contains(value),
            "{value} in S's capture: {capture}"
        );
        assert!(!curl.contains(value), "{value} in Y's command: {curl}");
    }
    let revealed = ssetui::curl::to_curl(&spec, true);
    assert!(secret_values().all(|v| revealed.contains(v)), "{revealed}");
}

#[test]
fn the_request_editor_masks_every_secret_header_and_query_value() {
    let query: Vec<String> = SECRET_QUERY
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    let url = Url::parse(&format!("https://h.example/s?{}", query.join("&"))).unwrap();
    let mut spec = RequestSpec::new(Method::GET, url);
    spec.headers = SECRET_HEADERS
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    let form = RequestForm::from_spec(&spec);
    let mut terminal = Terminal::new(TestBackend::new(100, 60)).unwrap();
    terminal
        .draw(|f| {
            request_form::render(f, f.area(), &form, &Theme::new(true), true);
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    for value in secret_values() {
        assert!(!screen.contains(value), "{value} on screen:\n{screen}");
    }
    assert!(screen.contains("X-Amz-Signature"), "{screen}");
}

#[test]
fn the_title_bar_masks_secret_query_values() {
    let url = Url::parse("https://h.example/s?X-Goog-Signature=googsig-v4lue&n=1").unwrap();
    let state = ssetui::state::AppState::new(RequestSpec::get(url), "t".into());
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|f| {
            ssetui::ui::draw(
                f,
                &state,
                &Theme::new(true),
                &mut ssetui::ui::ContentCache::default(),
                std::time::Instant::now(),
            );
        })
        .unwrap();
    let screen = terminal.backend().to_string();
    assert!(!screen.contains("googsig-v4lue"), "{screen}");
    assert!(screen.contains("X-Goog-Signature=***"), "{screen}");
}

#[tokio::test]
async fn every_secret_header_is_stripped_on_a_redirect_to_another_origin() {
    let mut other =
        TestServer::always(vec![sse_head(), write("data: elsewhere\n\n"), Step::Hold]).await;
    let location = other.url("/landing");
    let mut origin = TestServer::always(vec![
        head(307, "text/plain", &[("Location", location.as_str())]),
        Step::Close,
    ])
    .await;
    let mut spec = origin.spec("/start");
    spec.headers = SECRET_HEADERS
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    spec.headers.push(("X-Trace".into(), "t-1".into()));
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "elsewhere")).await;
    let first = origin.next_request().await;
    for (name, value) in SECRET_HEADERS {
        assert_eq!(
            first.header(name),
            Some(*value),
            "{name} goes to its origin"
        );
    }
    let second = other.next_request().await;
    assert_eq!(second.target, "/landing");
    for (name, _) in SECRET_HEADERS {
        assert_eq!(second.header(name), None, "{name} crossed origins");
    }
    assert_eq!(second.header("x-trace"), Some("t-1"), "other headers go");
    handle.stop();
}

#[tokio::test]
async fn a_same_origin_redirect_keeps_the_secret_headers() {
    let mut server = TestServer::start(vec![
        vec![head(302, "text/plain", &[("Location", "/b")]), Step::Close],
        vec![sse_head(), write("data: moved\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = server.spec("/a");
    spec.headers
        .push(("X-Api-Key".into(), "same-origin".into()));
    let (handle, mut rx) = connect(spec);
    until(&mut rx, |m| has_event(m, "moved")).await;
    server.next_request().await;
    let second = server.next_request().await;
    assert_eq!(second.header("x-api-key"), Some("same-origin"));
    handle.stop();
}

#[tokio::test]
async fn response_headers_are_shown_in_clear_except_set_cookie() {
    let server = TestServer::always(vec![
        head(
            200,
            "text/event-stream",
            &[
                ("WWW-Authenticate", "Bearer realm=\"api\""),
                ("X-RateLimit-Remaining-Tokens", "9000"),
                ("X-Session-Expires", "3600"),
                ("Set-Cookie", "sid=cookie-v4lue; HttpOnly"),
            ],
        ),
        write("data: one\n\n"),
        Step::Hold,
    ])
    .await;
    let (handle, mut rx) = connect(server.spec("/s"));
    let msgs = until(&mut rx, |m| matches!(m, ConnMsg::Opened { .. })).await;
    let response: &ResponseInfo = msgs
        .iter()
        .find_map(|m| match m {
            ConnMsg::Opened { response, .. } => Some(response),
            _ => None,
        })
        .unwrap();
    let value = |name: &str| {
        response
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(value("www-authenticate"), Some("Bearer realm=\"api\""));
    assert_eq!(value("x-ratelimit-remaining-tokens"), Some("9000"));
    assert_eq!(value("x-session-expires"), Some("3600"));
    assert_eq!(value("set-cookie"), Some("***"));
    handle.stop();
}

#[tokio::test]
async fn a_server_that_echoes_a_secret_header_value_has_it_scrubbed_from_the_error() {
    let server = TestServer::always(vec![
        head(401, "text/plain", &[]),
        write("invalid x-api-key: anthropic-v4lue\n"),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/s");
    spec.headers
        .push(("X-Api-Key".into(), "anthropic-v4lue".into()));
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let errors = errors(&msgs);
    assert!(!errors.is_empty(), "{msgs:?}");
    for err in errors {
        assert!(!err.message.contains("anthropic-v4lue"), "{err}");
        assert!(err.message.contains("invalid x-api-key: ***"), "{err}");
    }
}

#[test]
fn settings_secret_names_and_public_names_override_the_rule() {
    let (_runtime, server) = serve(vec![vec![sse_head(), write("data: one\n\n"), Step::Close]]);
    let dir = scratch("overrides");
    std::fs::write(
        dir.join("config.toml"),
        "[settings]\nsecret_names = [\"X-Tenant\", \"region\"]\npublic_names = [\"author\", \"X-Session-Mode\"]\n",
    )
    .unwrap();
    let url = format!(
        "{}?author=ann&region=eu-1&token=tok-v4lue",
        server.url("/s")
    );
    let args: Vec<String> = [
        "print",
        "-v",
        "--no-reconnect",
        "-H",
        "X-Tenant: tenant-v4lue",
        "-H",
        "X-Session-Mode: live",
        &url,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    let out = run(&args, &dir);
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("tenant-v4lue"), "{stderr}");
    assert!(!stderr.contains("eu-1"), "{stderr}");
    assert!(!stderr.contains("tok-v4lue"), "{stderr}");
    assert!(stderr.contains("author=ann"), "{stderr}");
    assert!(stderr.contains("X-Session-Mode: live"), "{stderr}");
}

#[test]
fn an_invalid_url_never_shows_its_password_in_the_error() {
    let dir = scratch("bad-url");
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.p]\nurl = \"http://me:hunter2@h.example:99999/s?token=tok-v4lue\"\n",
    )
    .unwrap();
    let bad = "http://me:hunter2@h.example:99999/s?token=tok-v4lue";
    let curl = format!("curl '{bad}'");
    for args in [
        vec!["print", bad],
        vec!["print", "--from-curl", &curl],
        vec!["print", "--profile", "p"],
        vec!["check", "--min-events", "1", bad],
    ] {
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        let out = run(&args, &dir);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid URL"), "{args:?}: {stderr}");
        assert!(!stderr.contains("hunter2"), "{args:?}: {stderr}");
        assert!(!stderr.contains("tok-v4lue"), "{args:?}: {stderr}");
        assert!(stderr.contains("h.example:99999"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_profile_with_a_plain_secret_header_is_flagged_when_others_can_read_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("plain");
    let path = dir.join("config.toml");
    std::fs::write(
        &path,
        "[profiles.p]\nurl = \"http://h.example/s?X-Amz-Signature=amzsig-v4lue\"\n\
         headers = { X-Goog-Api-Key = \"gemini-v4lue\", X-Trace = \"t\", X-Auth-Token = \"${env:T}\" }\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (_, warnings) = ssetui::config::ConfigFile::load(&path).unwrap();
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    let text = text.join("\n");
    assert!(text.contains("headers.X-Goog-Api-Key"), "{text}");
    assert!(text.contains("url"), "{text}");
    assert!(!text.contains("X-Trace"), "{text}");
    assert!(
        !text.contains("X-Auth-Token"),
        "a reference is no plain secret: {text}"
    );
    assert!(!text.contains("gemini-v4lue"), "{text}");
}

#[test]
fn profiles_are_listed_without_the_credentials_written_in_their_urls() {
    let dir = scratch("listing");
    std::fs::write(
        dir.join("config.toml"),
        "[profiles.p]\nurl = \"http://me:hunter2@h.example/s?X-Amz-Signature=amzsig-v4lue&n=1\"\n\
         [profiles.q]\nurl = \"http://h.example/s?token=${env:T}\"\n",
    )
    .unwrap();
    let out = run(&["profiles".to_owned()], &dir);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("hunter2"), "{stdout}");
    assert!(!stdout.contains("amzsig-v4lue"), "{stdout}");
    assert!(
        stdout.contains("http://me:***@h.example/s?X-Amz-Signature=***&n=1"),
        "{stdout}"
    );
    assert!(stdout.contains("token=***"), "{stdout}");
}
