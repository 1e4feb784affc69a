//! A UI that explains itself, against real servers: an LLM stream's rows
//! show their chunk text (the demo's OpenAI and Anthropic streams), and copying inside tmux goes through tmux.

mod support;

use std::process::Command;

use ssetui::message::Msg;
use ssetui::sse::{ConnMsg, RequestSpec};
use ssetui::state::{self, AppState};
use support::*;

/// Streams `spec` through the real engine into a UI state until it closes.
fn run_into_state(spec: RequestSpec) -> AppState {
    let mut state = AppState::new(spec.clone(), "llm".into());
    state::connect(&mut state);
    let id = state.active().conn_id.expect("connecting");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let msgs: Vec<ConnMsg> = runtime.block_on(async {
        let (_handle, mut rx) = connect(spec);
        until_closed(&mut rx).await
    });
    for msg in msgs {
        state::update(&mut state, Msg::Conn { id, msg });
    }
    state
}

/// The demo's OpenAI-style chat at `path`, asked "Hi" by POST, read into a tab.
fn chat_into_state(path: &str) -> AppState {
    let (_rt, url) = demo(path);
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.method = reqwest::Method::POST;
    spec.body = Some(br#"{"messages":[{"role":"user","content":"Hi"}]}"#.to_vec());
    spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
    run_into_state(spec)
}

#[test]
fn rows_of_the_demos_openai_stream_show_each_chunks_text() {
    let mut state = chat_into_state("/chat");
    let answer = state.active().insight.transcript.text().to_owned();
    assert!(!answer.is_empty(), "the demo streamed an answer");
    state.active_mut().select(0);
    let s = screen(&state, 110, 50);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains(" message ")).collect();
    assert!(rows.len() > 5, "{s}");
    // The header says what the column is, and no chunk row shows the
    // `{"id":"chatcmpl-…` prefix every chunk starts with…
    assert!(s.contains("text (data: v Raw)"), "{s}");
    let with_prefix = rows
        .iter()
        .filter(|r| r.contains("{\"id\":\"chatcmpl"))
        .count();
    assert!(
        with_prefix <= 2,
        "only chunks without text show their data:\n{s}"
    );
    // …but the words of the answer, each on its row.
    let first_word = answer.split_whitespace().next().unwrap();
    assert!(
        rows.iter().any(|r| r.contains(&format!("B {first_word} "))),
        "{first_word}:\n{s}"
    );
}

#[test]
fn rows_of_the_demos_anthropic_stream_show_each_deltas_text() {
    let (_rt, url) = demo("/chat?format=anthropic");
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.method = reqwest::Method::POST;
    spec.body = Some(br#"{"messages":[{"role":"user","content":"Bonjour"}]}"#.to_vec());
    spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
    let mut state = run_into_state(spec);
    let transcript = &state.active().insight.transcript;
    assert_eq!(
        transcript.shape().map(|s| s.label()),
        Some("Anthropic Messages")
    );
    let answer = transcript.text().to_owned();
    assert!(answer.contains("You wrote: \"Bonjour\"."), "{answer}");
    state.active_mut().select(0);
    let s = screen(&state, 110, 50);
    let deltas: Vec<&str> = s
        .lines()
        .filter(|l| l.contains("content_block_d"))
        .collect();
    assert!(deltas.len() > 10, "{s}");
    // Each delta row shows its token, never the JSON around it.
    assert!(deltas[0].contains("B Hi! "), "{s}");
    assert!(deltas[1].contains("B  I "), "{s}");
    assert!(deltas.iter().all(|r| !r.contains("{\"type\"")), "{s}");
    // Events without text keep their data.
    let start = s.lines().find(|l| l.contains("message_sta")).unwrap();
    assert!(start.contains("{\"type\":\"message_start\""), "{start}");
}

#[test]
fn a_profiles_list_column_shows_its_jq_value_in_place_of_the_data() {
    let body = "data: {\"n\":1,\"who\":\"ada\"}\n\ndata: {\"n\":2,\"who\":\"grace\"}\n\n";
    let (_rt, server) = serve(vec![vec![sse_head(), write(body)]]);
    let mut spec = fast_spec(&server, "/feed");
    spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
    let mut state = run_into_state(spec);
    state.active_mut().list_column =
        Some(ssetui::insight::jq::Query::compile(".who | ascii_upcase").unwrap());
    let s = screen(&state, 100, 30);
    assert!(
        s.contains(".who | ascii_upcase"),
        "the header names it: {s}"
    );
    assert!(s.contains("B ADA"), "{s}");
    assert!(s.contains("B GRACE"), "{s}");
}

/// A private tmux server on its own socket, killed when dropped.
struct PrivateTmux {
    socket: String,
}

impl PrivateTmux {
    fn start() -> Option<Self> {
        let version = Command::new("tmux").arg("-V").output().ok()?;
        if !version.status.success() {
            return None;
        }
        let socket = format!("ssetui-test-{}", std::process::id());
        let tmux = Self { socket };
        let started = tmux
            .command(&["-f", "/dev/null", "new-session", "-d", "-s", "copy"])
            .status()
            .ok()?;
        started.success().then_some(tmux)
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command
            .args(["-L", &self.socket])
            .args(args)
            .env_remove("TMUX");
        command
    }

    fn output(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run tmux");
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }
}

impl Drop for PrivateTmux {
    fn drop(&mut self) {
        let _ = self.command(&["kill-server"]).status();
    }
}

#[test]
fn inside_tmux_a_copy_goes_to_tmuxs_buffer() {
    let Some(tmux) = PrivateTmux::start() else {
        println!("skipped: tmux is not installed (or cannot start a server)");
        return;
    };
    // $TMUX as tmux sets it inside a session: socket path, server pid, session.
    let socket_path = tmux.output(&["display-message", "-p", "-t", "copy", "#{socket_path}"]);
    let pid = tmux.output(&["display-message", "-p", "-t", "copy", "#{pid}"]);
    let value = format!("{},{},0", socket_path.trim(), pid.trim());
    let text = "the answer: ✓ \"quoted\"\nsecond line";
    let route = ssetui::app::clipboard::copy(text.as_bytes(), Some(value.as_ref()))
        .expect("the copy succeeds");
    assert_eq!(route, ssetui::app::clipboard::Route::Tmux);
    assert_eq!(route.describe(), "with tmux load-buffer");
    assert_eq!(tmux.output(&["show-buffer"]), text);
    // A server that is not there: tmux's error, and OSC 52 instead.
    let gone = format!("{}-gone,1,0", socket_path.trim());
    let err = ssetui::app::clipboard::copy_tmux(b"x", gone.as_ref()).unwrap_err();
    assert!(!err.to_string().is_empty());
}

#[test]
fn rows_of_a_reasoning_models_thinking_show_the_thinking_not_the_json() {
    let mut state = chat_into_state("/chat?reasoning=1&delay_ms=1");
    let reasoning = state.active().insight.transcript.reasoning().to_owned();
    assert!(!reasoning.is_empty(), "the demo streamed reasoning");
    state.active_mut().select(0);
    let s = screen(&state, 110, 50);
    let rows: Vec<&str> = s.lines().filter(|l| l.contains(" message ")).collect();
    // The thinking chunks come first: each shows its words, none its JSON.
    let first_word = reasoning.split_whitespace().next().unwrap();
    assert!(
        rows.iter().any(|r| r.contains(&format!("B {first_word} "))),
        "{first_word}:\n{s}"
    );
    let with_prefix = rows
        .iter()
        .filter(|r| r.contains("{\"id\":\"chatcmpl"))
        .count();
    assert!(
        with_prefix <= 2,
        "only chunks without text show their data:\n{s}"
    );
}
