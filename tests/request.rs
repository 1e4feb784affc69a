//! What makes a request, the same whichever way it comes in (`src/request/`):
//! the URL policy (no scheme means `http://`, a mistyped one is an error
//! naming it), the header rule and the default method, through the command
//! line, profiles, curl commands and the request editor.

mod support;

use std::path::Path;
use std::process::Stdio;

use clap::Parser;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ssetui::cli::Cli;
use ssetui::config::ConfigFile;
use ssetui::message::{Effect, Msg};
use ssetui::sse::RequestSpec;
use ssetui::state::request_form::{RequestForm, Row};
use ssetui::state::{self, AppState};
use ssetui::ui::{self, Theme};
use support::*;

/// `ssetui ARGS` run to its end, its output piped.
fn ssetui(args: &[&str]) -> std::process::Output {
    let mut cmd = support::app();
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    output_within(cmd, WAIT)
}

/// One event, then the end of the stream.
fn one_event() -> Vec<Vec<Step>> {
    vec![vec![sse_head(), write("data: hi\n\n"), Step::Close]]
}

#[test]
fn print_takes_host_port_path_without_a_scheme_as_http() {
    let (runtime, mut server) = serve(one_event());
    let target = format!("127.0.0.1:{}/path?x=1", server.addr.port());
    let out = ssetui(&["print", &target, "--max-events", "1"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"data\":\"hi\""), "{stdout}");
    let request = runtime.block_on(server.next_request());
    assert_eq!(request.target, "/path?x=1");
}

#[test]
fn print_refuses_a_mistyped_scheme_and_names_it() {
    for url in ["htp:/bad url", "htps://example.com/s", "ftp://example.com/"] {
        let out = ssetui(&["print", url]);
        assert_eq!(out.status.code(), Some(2), "{url}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let scheme = url.split(':').next().unwrap();
        assert!(
            stderr.contains(&format!("scheme \"{scheme}\"")),
            "{url}: {stderr}"
        );
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(c: char) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

/// Opens the editor on `state`'s request, replaces the URL with `url` as a
/// user types it, ends the edit and presses Ctrl-R; returns its effects.
fn type_url_and_send(state: &mut AppState, url: &str) -> Vec<Effect> {
    state::update(state, key(KeyCode::Char('r')));
    state::update(state, key(KeyCode::Enter));
    state::update(state, ctrl('u'));
    for c in url.chars() {
        state::update(state, key(KeyCode::Char(c)));
    }
    state::update(state, key(KeyCode::Enter));
    state::update(state, ctrl('r'))
}

fn screen(state: &AppState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal
        .draw(|f| {
            ui::draw(
                f,
                state,
                &Theme::new(false),
                &mut ui::ContentCache::default(),
                std::time::Instant::now(),
            );
        })
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn the_editor_sends_host_port_path_typed_without_a_scheme_over_http() {
    let (runtime, mut server) = serve(one_event());
    let mut state = AppState::new(
        RequestSpec::get("http://example.invalid/s".parse().unwrap()),
        "t".into(),
    );
    let typed = format!("127.0.0.1:{}/path", server.addr.port());
    let effects = type_url_and_send(&mut state, &typed);
    let spec = effects
        .into_iter()
        .find_map(|effect| match effect {
            Effect::Connect { spec, .. } => Some(spec),
            _ => None,
        })
        .unwrap_or_else(|| panic!("Ctrl-R sent nothing: {}", screen(&state)));
    assert_eq!(spec.url.as_str(), format!("http://{typed}"));
    runtime.block_on(async {
        let (_handle, mut rx) = connect(*spec);
        until(&mut rx, |m| has_event(m, "hi")).await
    });
    assert_eq!(runtime.block_on(server.next_request()).target, "/path");
}

#[test]
fn the_editor_marks_a_mistyped_scheme_on_the_url_field_naming_it() {
    let mut state = AppState::new(
        RequestSpec::get("http://example.invalid/s".parse().unwrap()),
        "t".into(),
    );
    let effects = type_url_and_send(&mut state, "htp:/bad url");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Connect { .. })),
        "{effects:?}"
    );
    let shown = screen(&state);
    assert!(
        shown.contains("✗ unsupported URL scheme \"htp\""),
        "{shown}"
    );
}

/// A TOML basic string holding `text`.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A bash ANSI-C string (`$'…'`) holding `text`.
fn ansi_c_string(text: &str) -> String {
    let mut out = String::from("$'");
    for c in text.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The request the command line makes of `args` (after `ssetui`), with `config`.
fn command_line(args: &[&str], config: Option<&ConfigFile>) -> Result<RequestSpec, String> {
    let cli = Cli::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
        .map_err(|e| e.to_string())?;
    cli.request
        .to_spec_with_config(config, None)
        .map_err(|e| e.to_string())
}

fn config(text: &str) -> ConfigFile {
    ConfigFile::parse(Path::new("request-test.toml"), text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .0
}

/// Whether each way in takes the header `name: value`: `-H`, a profile, a
/// curl command and the editor (`None` where it cannot hold the header: a
/// line break in one of the editor's one-line fields).
fn verdicts(name: &str, value: &str) -> [(&'static str, Option<bool>); 4] {
    let line = format!("{name}: {value}");
    let flag = command_line(&["http://h/", "-H", &line], None).is_ok();
    let profile = config(&format!(
        "[profiles.p]\nurl = \"http://h/\"\n[profiles.p.headers]\n{} = {}\n",
        toml_string(name),
        toml_string(value)
    ));
    let profile = command_line(&["--profile", "p"], Some(&profile)).is_ok();
    let curl = format!("curl http://h/ -H {}", ansi_c_string(&line));
    let curl = command_line(&["--from-curl", &curl], None).is_ok();
    let editor = (!value.contains(['\r', '\n'])).then(|| {
        let spec = RequestSpec::get("http://h/".parse().unwrap());
        let mut form = RequestForm::from_spec(&spec);
        form.headers.push(Row::new(name, value));
        form.build(&spec).is_some()
    });
    [
        ("-H", Some(flag)),
        ("profile", Some(profile)),
        ("curl", Some(curl)),
        ("editor", editor),
    ]
}

#[test]
fn every_way_in_gives_a_header_the_same_verdict() {
    let good = [
        ("X-Trace", "1"),
        ("x!#$%&'*+-.^_`|~9", "v"),
        ("X-Tab", "a\tb"),
        ("X-Utf8", "café ☕"),
        ("Accept", ""),
    ];
    let bad = [
        ("Bad Name", "v"),
        ("X(a)", "v"),
        ("X@a", "v"),
        ("X\"a", "v"),
        ("Café", "v"),
        ("X-Cr", "a\rb"),
        ("X-Lf", "a\nInjected: 1"),
        ("X-Nul", "a\0b"),
        ("X-Ctl", "a\u{1}b"),
        ("X-Esc", "a\u{1b}[31m"),
        ("X-Del", "a\u{7f}b"),
    ];
    for (cases, expected) in [(&good[..], true), (&bad[..], false)] {
        for (name, value) in cases {
            for (path, verdict) in verdicts(name, value) {
                if let Some(verdict) = verdict {
                    assert_eq!(verdict, expected, "{path}: {name:?}: {value:?}");
                }
            }
        }
    }
}

#[test]
fn a_body_from_any_source_makes_a_post_unless_a_method_is_given() {
    let profiles = config(
        "[profiles.body]\nurl = \"http://h/\"\nbody = \"x\"\n\
         [profiles.put]\nurl = \"http://h/\"\nmethod = \"put\"\nbody = \"x\"\n\
         [profiles.plain]\nurl = \"http://h/\"\n\
         [profiles.get]\nurl = \"http://h/\"\nmethod = \"GET\"\n",
    );
    let cases: &[(&[&str], &str)] = &[
        (&["http://h/"], "GET"),
        (&["http://h/", "-d", "a=1"], "POST"),
        (&["http://h/", "--json", "{}"], "POST"),
        (&["http://h/", "-X", "PUT", "-d", "a=1"], "PUT"),
        (&["--profile", "body"], "POST"),
        (&["--profile", "put"], "PUT"),
        (&["--profile", "plain"], "GET"),
        (&["--profile", "plain", "--json", "{}"], "POST"),
        (&["--profile", "get", "-d", "a=1"], "GET"),
        (&["--profile", "body", "-X", "PATCH"], "PATCH"),
        (&["--from-curl", "curl http://h/"], "GET"),
        (&["--from-curl", "curl http://h/ -d a"], "POST"),
        (&["--from-curl", "curl http://h/ --json {}"], "POST"),
        (&["--from-curl", "curl http://h/ -F a=b"], "POST"),
        (&["--from-curl", "curl http://h/ -X PUT -d a"], "PUT"),
        (&["--from-curl", "curl -G http://h/ -d a"], "GET"),
        (&["--from-curl", "curl http://h/", "-d", "a=1"], "POST"),
        (&["--from-curl", "curl http://h/ -d a", "-X", "GET"], "GET"),
    ];
    for (args, method) in cases {
        let spec = command_line(args, Some(&profiles)).unwrap_or_else(|e| panic!("{args:?}: {e}"));
        assert_eq!(spec.method.as_str(), *method, "{args:?}");
    }
}
