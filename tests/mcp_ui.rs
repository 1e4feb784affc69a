//! An MCP tab fed by a real MCP connection (the demo's rmcp servers on
//! loopback), as state: negotiation in the title, each message a row typed
//! by its stream, a tool call's progress and answer, the request/response
//! link, cancelling, resuming from an event, the server probed for Checks.

mod support;

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use ssetui::mcp::live::{self, Command, Update};
use ssetui::message::{Effect, Msg};
use ssetui::sse::{ConnMsg, Protocol, RequestSpec};
use ssetui::state::mcp::Probe;
use ssetui::state::{self, AppState, ConnId, RowKind, TabId};
use support::*;
use tokio::sync::mpsc;

/// How long any one wait may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(20);

/// The UI's state with its MCP connection really running.
struct Tab {
    _demo: tokio::runtime::Runtime,
    runtime: tokio::runtime::Runtime,
    state: AppState,
    handle: Option<live::Handle>,
    id: Option<ConnId>,
    conn: Option<mpsc::Receiver<ConnMsg>>,
    updates: Option<mpsc::UnboundedReceiver<Update>>,
    /// Findings of `K`, run as the app runs them.
    probes: Option<std::sync::mpsc::Receiver<Msg>>,
    /// What `C` records to, written as the tab's pipe writes it.
    recording: Option<ssetui::capture::CaptureWriter>,
}

impl Tab {
    /// A tab on the demo's `path`, connected (negotiated).
    fn open(path: &str) -> Self {
        let (demo, url) = demo(path);
        let mut spec = RequestSpec::get(url.parse().unwrap());
        spec.protocol = Protocol::Mcp {
            version: None,
            capabilities: Vec::new(),
        };
        let mut tab = Self::new(demo, spec);
        tab.connect();
        tab
    }

    /// A tab for `spec`, not connected; `demo` serves it (or nothing).
    fn new(demo: tokio::runtime::Runtime, spec: RequestSpec) -> Self {
        Self {
            _demo: demo,
            runtime: tokio::runtime::Runtime::new().unwrap(),
            state: AppState::new(spec, "mcp".into()),
            handle: None,
            id: None,
            conn: None,
            updates: None,
            probes: None,
            recording: None,
        }
    }

    /// Connects, and waits for the negotiation.
    fn connect(&mut self) {
        let effects = state::connect(&mut self.state);
        self.run(effects);
        self.until("negotiated", |s| {
            s.active()
                .mcp
                .as_ref()
                .is_some_and(|m| m.negotiated.is_some())
        });
    }

    fn tab(&self) -> TabId {
        self.state.active_id()
    }

    /// Carries out `effects` as the app's executor does.
    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Connect { id, spec, .. } => {
                    let (tx, rx) = mpsc::channel(1024);
                    let (up, updates) = mpsc::unbounded_channel();
                    assert!(spec.protocol.is_mcp(), "an MCP tab connects as MCP");
                    let updates_fn = Box::new(move |u| {
                        let _ = up.send(u);
                    });
                    self.handle = Some(live::spawn(
                        *spec,
                        ssetui::mcp::authorize::Options::kept_beside(None, None),
                        tx,
                        updates_fn,
                    ));
                    self.id = Some(id);
                    self.conn = Some(rx);
                    self.updates = Some(updates);
                }
                Effect::Mcp { command, .. } => {
                    self.handle.as_ref().expect("connected").send(command)
                }
                Effect::ResumeFrom { id, .. } => self
                    .handle
                    .as_ref()
                    .expect("connected")
                    .send(Command::ResumeFrom { event_id: id }),
                Effect::ProbeMcp { tab, spec } => {
                    let (tx, rx) = std::sync::mpsc::channel();
                    std::thread::spawn(move || {
                        let runtime = tokio::runtime::Builder::new_current_thread()
                            .enable_all()
                            .build()
                            .unwrap();
                        let result = runtime.block_on(ssetui::check::mcp::probe_server(
                            *spec,
                            None,
                            &mut |_| {},
                        ));
                        let _ = tx.send(Msg::McpProbed { tab, result });
                    });
                    self.probes = Some(rx);
                }
                _ => {}
            }
        }
    }

    /// Feeds the connection's messages and updates to `update` until `done`.
    fn until(&mut self, what: &str, done: impl Fn(&AppState) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        let id = self.id.expect("connected");
        let tab = self.tab();
        while !done(&self.state) {
            assert!(Instant::now() < deadline, "timed out waiting for: {what}");
            if let Some(probes) = &self.probes
                && let Ok(msg) = probes.try_recv()
            {
                state::update(&mut self.state, msg);
                continue;
            }
            let (conn, updates) = (self.conn.as_mut().unwrap(), self.updates.as_mut().unwrap());
            let msg = self.runtime.block_on(async {
                // Rows first: an update is sent after the rows before it.
                tokio::select! {
                    biased;
                    Some(msg) = conn.recv() => Some(Msg::Conn { id, msg }),
                    Some(update) = updates.recv() => Some(Msg::Mcp { tab, id, update }),
                    _ = tokio::time::sleep(Duration::from_millis(50)) => None,
                }
            });
            if let (Some(Msg::Conn { msg, .. }), Some(writer)) = (&msg, &mut self.recording) {
                writer.record(msg).expect("the capture is written");
            }
            if let Some(msg) = msg {
                let effects = state::update(&mut self.state, msg);
                self.run(effects);
            }
        }
    }

    fn press(&mut self, keys: &str) {
        for c in keys.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            let effects = state::update(&mut self.state, Msg::Input(TermEvent::Key(key)));
            self.run(effects);
        }
    }

    /// Asks for `method` as the call panel does.
    fn request(&mut self, method: &str, params: serde_json::Value) {
        let tab = self.tab();
        self.run(vec![Effect::Mcp {
            tab,
            command: Command::Request {
                method: method.into(),
                params,
            },
        }]);
    }

    /// Each listed event's type and gist, in order.
    fn rows(&self) -> Vec<(String, String)> {
        let session = self.state.active();
        (0..session.list.len())
            .filter_map(|pos| match session.visible_row(pos)?.kind {
                RowKind::Event { event, .. } => Some((
                    event.event_type().to_owned(),
                    ssetui::mcp::summary::line(&event.data),
                )),
                _ => None,
            })
            .collect()
    }
}

/// A tab showing the recording at `path` as `ssetui open` does.
fn opened(path: &std::path::Path) -> AppState {
    let recording = ssetui::capture::load_recording(path).expect("the capture opens");
    let mut state = AppState::new(recording.spec, recording.title);
    let id = state::begin_connection(&mut state);
    for msg in recording.messages {
        state::update(&mut state, Msg::Conn { id, msg });
    }
    state
}

/// Each listed row's type and gist (markers by their text), in order.
fn all_rows(state: &AppState) -> Vec<String> {
    let session = state.active();
    (0..session.list.len())
        .filter_map(|pos| match session.visible_row(pos)?.kind {
            RowKind::Event { event, .. } => Some(format!(
                "{} {}",
                event.event_type(),
                ssetui::mcp::summary::line(&event.data)
            )),
            RowKind::Marker(text) => Some(text),
            RowKind::Block(_) => None,
        })
        .collect()
}

/// The call sent was answered (or ended).
fn answered(state: &AppState) -> bool {
    let mcp = state.active().mcp.as_ref().unwrap();
    mcp.call.is_none() && mcp.last_answer.is_some()
}

#[test]
fn the_stateless_demo_negotiates_and_a_tool_call_shows_its_progress_and_answer() {
    let mut tab = Tab::open("/mcp");
    let mcp = tab.state.active().mcp.clone().unwrap();
    assert_eq!(mcp.title(), "MCP stateless 2026-07-28");
    let screen = screen(&tab.state, 120, 30);
    assert!(screen.contains("MCP stateless 2026-07-28"), "{screen}");
    tab.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 3, "interval_ms": 50}}),
    );
    tab.until("the call's answer", answered);
    let rows = tab.rows();
    let progress: Vec<_> = rows
        .iter()
        .filter(|(_, gist)| gist.starts_with("notifications/progress"))
        .collect();
    assert_eq!(progress.len(), 3, "{rows:#?}");
    let call = rows
        .iter()
        .position(|(ty, gist)| ty.starts_with("→ post-") && gist.starts_with("tools/call"))
        .expect("the call is a row");
    let stream = rows[call].0.trim_start_matches("→ ").to_owned();
    assert!(
        rows[call + 1..]
            .iter()
            .all(|(ty, _)| ty == &format!("← {stream}")),
        "progress and the answer come on the call's own stream: {rows:#?}"
    );
    let (method, result) = tab.state.active().mcp.clone().unwrap().last_answer.unwrap();
    assert_eq!(method, "tools/call");
    assert!(result.unwrap()["content"][0]["text"].is_string());
}

#[test]
fn l_jumps_from_a_response_to_its_request_and_back() {
    let mut tab = Tab::open("/mcp");
    tab.request(
        "tools/call",
        json!({"name": "add", "arguments": {"a": 2, "b": 3}}),
    );
    tab.until("the call's answer", answered);
    let rows = tab.rows();
    let call = rows
        .iter()
        .position(|(_, gist)| gist.starts_with("tools/call"))
        .unwrap();
    let answer = rows
        .iter()
        .rposition(|(ty, gist)| ty.starts_with("← ") && gist.contains(" result "))
        .unwrap();
    // Rows are events only here; the list also holds markers, so find positions by data.
    let pos_of = |tab: &Tab, n: usize| {
        let session = tab.state.active();
        let mut seen = 0;
        (0..session.list.len())
            .find(|pos| {
                let is_event = matches!(
                    session.visible_row(*pos).map(|r| r.kind),
                    Some(RowKind::Event { .. })
                );
                if is_event {
                    seen += 1;
                }
                is_event && seen == n + 1
            })
            .unwrap()
    };
    let answer_pos = pos_of(&tab, answer);
    let call_pos = pos_of(&tab, call);
    tab.state.active_mut().select(answer_pos);
    tab.press("L");
    assert_eq!(tab.state.active().list.selected(), Some(call_pos));
    // Drawn: the request's row is the one marked, its message in the detail.
    let drawn = screen(&tab.state, 140, 40);
    let marked = drawn.lines().find(|l| l.contains('▌')).unwrap_or_default();
    assert!(
        marked.contains("→ post-") && marked.contains("tools/call"),
        "{drawn}"
    );
    assert!(drawn.contains(r#""method": "tools/call""#), "{drawn}");
    tab.press("L");
    assert_eq!(tab.state.active().list.selected(), Some(answer_pos));
    // A notification has no other half: the key says so and stays.
    let note = rows
        .iter()
        .position(|(_, gist)| gist.starts_with("notifications/"))
        .expect("the listen stream's acknowledgement");
    let note = pos_of(&tab, note);
    tab.state.active_mut().select(note);
    tab.press("L");
    assert_eq!(tab.state.active().list.selected(), Some(note));
    assert!(
        tab.state
            .notice
            .as_deref()
            .unwrap_or_default()
            .contains("no other half")
    );
}

#[test]
fn stream_search_keeps_one_streams_messages() {
    let mut tab = Tab::open("/mcp");
    tab.request(
        "tools/call",
        json!({"name": "add", "arguments": {"a": 1, "b": 1}}),
    );
    tab.until("the call's answer", answered);
    let rows = tab.rows();
    let stream = rows
        .iter()
        .find(|(_, gist)| gist.starts_with("tools/call"))
        .map(|(ty, _)| ty.trim_start_matches("→ ").to_owned())
        .unwrap();
    tab.press("/");
    tab.press(&format!("stream:{stream}"));
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    state::update(&mut tab.state, Msg::Input(TermEvent::Key(enter)));
    tab.press("F");
    let shown = tab.rows();
    assert_eq!(
        shown.len(),
        2,
        "the call and its answer: {shown:#?} of {rows:#?}"
    );
    assert!(
        shown.iter().all(|(ty, _)| ty.ends_with(&stream)),
        "{shown:#?}"
    );
}

#[test]
fn a_dropped_call_on_the_session_era_demo_is_resumed_with_nothing_lost_or_repeated() {
    let mut tab = Tab::open("/mcp-legacy?drop_after=2");
    let mcp = tab.state.active().mcp.clone().unwrap();
    assert_eq!(mcp.title(), "MCP session 2025-11-25");
    assert!(mcp.negotiated.as_ref().unwrap().session.is_some());
    tab.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 5, "interval_ms": 20}}),
    );
    tab.until("the call's answer", answered);
    let rows = tab.rows();
    let progress: Vec<&String> = rows
        .iter()
        .filter(|(_, gist)| gist.starts_with("notifications/progress"))
        .map(|(_, gist)| gist)
        .collect();
    assert_eq!(progress.len(), 5, "every step once: {rows:#?}");
    let mut sorted = progress.clone();
    sorted.dedup();
    assert_eq!(sorted.len(), 5, "none twice: {progress:#?}");
    let markers = markers(&tab.state);
    assert!(
        markers
            .iter()
            .any(|m| m.contains("resumed with Last-Event-ID")),
        "{markers:#?}"
    );
    assert!(tab.state.active().mcp.as_ref().unwrap().findings.is_empty());
}

#[test]
fn x_cancels_a_session_era_call_with_notifications_cancelled() {
    let mut tab = Tab::open("/mcp-legacy");
    tab.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 50, "interval_ms": 100}}),
    );
    tab.until("the first progress", |s| {
        s.active()
            .mcp
            .as_ref()
            .and_then(|m| m.call.as_ref())
            .is_some_and(|c| c.progress.is_some())
    });
    tab.press("X");
    tab.until("the call ends", answered);
    let rows = tab.rows();
    assert!(
        rows.iter()
            .any(|(ty, gist)| ty == "→ cancel" && gist.starts_with("notifications/cancelled")),
        "{rows:#?}"
    );
    let (_, result) = tab.state.active().mcp.clone().unwrap().last_answer.unwrap();
    assert!(result.is_err(), "a cancelled call has no result");
}

#[test]
fn e_on_an_event_resumes_the_session_stream_from_it_as_a_stream_of_its_own() {
    let mut tab = Tab::open("/mcp-legacy?drop_after=2");
    tab.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 4, "interval_ms": 20}}),
    );
    tab.until("the call's answer", answered);
    // The first progress event that carries an id.
    let session = tab.state.active();
    let pos = (0..session.list.len())
        .find(|pos| match session.visible_row(*pos).map(|r| r.kind) {
            Some(RowKind::Event { event, .. }) => {
                event.sets_id && event.data.contains("notifications/progress")
            }
            _ => false,
        })
        .expect("a progress event with an id");
    tab.state.active_mut().select(pos);
    tab.press("e");
    tab.until("the replay", |s| {
        let session = s.active();
        (0..session.list.len()).any(|pos| match session.visible_row(pos).map(|r| r.kind) {
            Some(RowKind::Event { event, .. }) => event.event_type().starts_with("← resume-1"),
            _ => false,
        })
    });
}

#[test]
fn k_probes_the_server_and_the_checks_view_shows_each_rule() {
    let mut tab = Tab::open("/mcp-legacy");
    tab.press("K");
    assert_eq!(
        tab.state.active().mcp.as_ref().unwrap().probe,
        Probe::Running
    );
    tab.until("the probes", |s| {
        matches!(
            s.active().mcp.as_ref().unwrap().probe,
            Probe::Done { .. } | Probe::Failed(_)
        )
    });
    let Probe::Done { findings, .. } = tab.state.active().mcp.clone().unwrap().probe else {
        panic!("the probes ran");
    };
    assert!(findings.iter().any(|f| f.rule.id == "session-unknown"));
    let screen = screen(&tab.state, 120, 60);
    assert!(screen.contains("The server, probed (K)"), "{screen}");
    assert!(screen.contains("MUST session-unknown"), "{screen}");
}

/// The marker rows' text.
fn markers(state: &AppState) -> Vec<String> {
    let session = state.active();
    (0..session.list.len())
        .filter_map(|pos| match session.visible_row(pos)?.kind {
            RowKind::Marker(text) => Some(text),
            _ => None,
        })
        .collect()
}

#[test]
fn a_recorded_mcp_tab_opens_again_with_every_message_on_its_stream() {
    let dir = scratch("mcp-capture");
    let recorded = dir.join("recorded.ssecap");
    let saved = dir.join("saved.ssecap");
    let (demo, url) = demo("/mcp-legacy?drop_after=2");
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.protocol = Protocol::Mcp {
        version: None,
        capabilities: Vec::new(),
    };
    let mut tab = Tab::new(demo, spec.clone());
    tab.recording = Some(ssetui::capture::CaptureWriter::create(&recorded, &spec, false).unwrap());
    let effects = state::connect(&mut tab.state);
    tab.run(effects);
    tab.request(
        "tools/call",
        json!({"name": "progress", "arguments": {"steps": 4, "interval_ms": 20}}),
    );
    tab.until("the call's answer", answered);
    tab.recording.take().unwrap().finish().unwrap();
    let live = all_rows(&tab.state);
    // Saved (S) from the log, and recorded (C) as it came: both open as they were.
    let snapshot = tab.state.active().log().snapshot();
    let file = std::fs::File::create(&saved).unwrap();
    snapshot
        .write_capture(&tab.state.active().request, file)
        .unwrap();
    for path in [&recorded, &saved] {
        let text = std::fs::read_to_string(path).unwrap();
        assert!(
            text.lines().next().unwrap().contains(r#""mcp":{}"#),
            "{text}"
        );
        assert!(
            text.contains(
                r#""negotiated":{"protocol":"mcp","era":"session","revision":"2025-11-25""#
            ),
            "{text}"
        );
        assert!(text.contains(r#""message":{"stream":"post-"#), "{text}");
        let again = opened(path);
        let mcp = again.active().mcp.as_ref().expect("an MCP tab");
        assert_eq!(mcp.title(), "MCP session 2025-11-25");
        let rows: Vec<String> = all_rows(&again)
            .into_iter()
            .filter(|row| !row.starts_with("attempt ") && row != "disconnected")
            .collect();
        let want: Vec<String> = live
            .iter()
            .filter(|row| !row.starts_with("attempt "))
            .filter(|row| !row.contains("resumed with Last-Event-ID"))
            .cloned()
            .collect();
        assert_eq!(rows, want, "{}", path.display());
        // The Raw bytes are the wire's: an SSE event's lines.
        let session = again.active();
        let progress = (0..session.list.len())
            .find_map(|pos| match session.visible_row(pos)?.kind {
                RowKind::Event { event, .. } if event.data.contains("notifications/progress") => {
                    Some(event.raw)
                }
                _ => None,
            })
            .unwrap();
        let raw = session.log().raw_bytes(&progress).unwrap_or_default();
        assert!(
            raw.starts_with(b"data:") || raw.starts_with(b"id:") || raw.starts_with(b"event:"),
            "{:?}",
            String::from_utf8_lossy(&raw)
        );
    }
    // And a replay server says it cannot serve one.
    let out = output_within(
        {
            let mut cmd = app();
            cmd.args(["serve", "--port", "0", "--replay"])
                .arg(&recorded)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd
        },
        PATIENCE,
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("an MCP capture"),
        "{out:?}"
    );
}

#[test]
fn a_declared_capabilitys_request_opens_a_prompt_whose_json_is_the_answer() {
    use support::mcp::{ASK_NAME, INITIALIZED, accepted, body, json_answer, no_get_stream};
    let asks = format!(
        "{ASK_NAME}id: e2\ndata: {{\"jsonrpc\":\"2.0\",\"id\":\"q2\",\"method\":\"sampling/createMessage\",\"params\":{{}}}}\n\n"
    );
    let answer = "id: e3\ndata: {\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hi Ada\"}]}}\n\n";
    let (server_runtime, mut server) = serve(vec![
        json_answer(INITIALIZED, &[("Mcp-Session-Id", "s-1")]),
        accepted(),
        no_get_stream(),
        vec![
            sse_head(),
            write(&asks),
            Step::Gate,
            write(answer),
            Step::Close,
        ],
        accepted(),
        accepted(),
        accepted(),
    ]);
    let mut spec = RequestSpec::get(server.url("/mcp").parse().unwrap());
    spec.protocol = Protocol::Mcp {
        version: Some("2025-11-25".into()),
        capabilities: vec![ssetui::sse::McpCapability::Elicitation],
    };
    let mut tab = Tab::new(tokio::runtime::Runtime::new().unwrap(), spec);
    let effects = state::connect(&mut tab.state);
    tab.run(effects);
    tab.until("negotiated", |s| {
        s.active()
            .mcp
            .as_ref()
            .is_some_and(|m| m.negotiated.is_some())
    });
    tab.request("tools/call", json!({"name": "greet", "arguments": {}}));
    tab.until("the prompt", |s| {
        matches!(s.active().overlay, Some(state::Overlay::McpAsk(_)))
    });
    let screen = screen(&tab.state, 100, 40);
    assert!(screen.contains("elicitation/create"), "{screen}");
    assert!(screen.contains("your name?"), "{screen}");
    assert!(screen.contains("Ctrl-S sends"), "{screen}");
    // The template has the requested field: write a name into it.
    if let Some(state::Overlay::McpAsk(prompt)) = &mut tab.state.active_mut().overlay {
        prompt
            .input
            .set_text(r#"{"action":"accept","content":{"name":"Ada"}}"#);
    }
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let effects = state::update(&mut tab.state, Msg::Input(TermEvent::Key(ctrl_s)));
    tab.run(effects);
    server.release();
    tab.until("the call's answer", answered);
    let seen: Vec<_> = (0..6)
        .map(|_| server_runtime.block_on(server.next_request()))
        .collect();
    assert_eq!(
        body(&seen[0])["params"]["capabilities"],
        json!({"elicitation": {}}),
        "only the declared capability"
    );
    let answers: Vec<serde_json::Value> = seen[4..].iter().map(body).collect();
    assert!(
        answers.contains(&json!({"jsonrpc":"2.0","id":"q1","result":{"action":"accept","content":{"name":"Ada"}}})),
        "{answers:#?}"
    );
    // Sampling was not declared: answered -32601 without asking.
    assert!(
        answers
            .iter()
            .any(|a| a["id"] == "q2" && a["error"]["code"] == -32601),
        "{answers:#?}"
    );
    assert!(tab.state.active().overlay.is_none());
}

#[test]
fn m_opens_the_call_panel_whose_call_shows_its_progress_and_answer() {
    let mut tab = Tab::open("/mcp");
    tab.press("M");
    assert!(matches!(
        tab.state.active().overlay,
        Some(state::Overlay::McpPanel)
    ));
    tab.until("the tools", |s| {
        s.active()
            .mcp
            .as_ref()
            .is_some_and(|m| m.panel.matches().iter().any(|i| i.name == "progress"))
    });
    // Filter to the tool, open its arguments (pre-filled from its schema), call it.
    tab.press("/");
    tab.press("progress");
    let key = |code| Msg::Input(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    state::update(&mut tab.state, key(KeyCode::Enter));
    let effects = state::update(&mut tab.state, key(KeyCode::Enter));
    tab.run(effects);
    let args = {
        let mcp = tab.state.active().mcp.as_ref().unwrap();
        mcp.panel
            .editor
            .as_ref()
            .expect("the arguments editor")
            .input
            .text()
            .to_owned()
    };
    assert!(
        args.contains("\"steps\""),
        "pre-filled from the input schema: {args}"
    );
    if let Some(mcp) = &mut tab.state.active_mut().mcp
        && let Some(editor) = &mut mcp.panel.editor
    {
        editor.input.set_text(r#"{"steps": 4, "interval_ms": 100}"#);
    }
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    let effects = state::update(&mut tab.state, Msg::Input(TermEvent::Key(ctrl_s)));
    tab.run(effects);
    tab.until("some progress", |s| {
        s.active()
            .mcp
            .as_ref()
            .and_then(|m| m.call.as_ref())
            .is_some_and(|c| c.progress.is_some())
    });
    let during = screen(&tab.state, 120, 40);
    assert!(during.contains("█"), "a gauge while it runs: {during}");
    tab.until("the call's answer", answered);
    let after = screen(&tab.state, 120, 40);
    assert!(after.contains("done after 4 steps"), "{after}");
    // Esc steps back and closes; the list has every message of the call.
    for _ in 0..3 {
        state::update(&mut tab.state, key(KeyCode::Esc));
    }
    assert!(tab.state.active().overlay.is_none());
    let rows = tab.rows();
    assert_eq!(
        rows.iter()
            .filter(|(_, gist)| gist.starts_with("notifications/progress"))
            .count(),
        4,
        "{rows:#?}"
    );
}

#[test]
fn closing_the_tab_ends_the_session_with_delete() {
    use support::mcp::{accepted, json_answer, no_get_stream};
    const INITIALIZED: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{},"serverInfo":{"name":"raw","version":"1"}}}"#;
    let (server_runtime, mut server) = serve(vec![
        json_answer(INITIALIZED, &[("Mcp-Session-Id", "s-9")]),
        accepted(),
        no_get_stream(),
        accepted(),
    ]);
    let mut spec = RequestSpec::get(server.url("/mcp").parse().unwrap());
    spec.protocol = Protocol::Mcp {
        version: Some("2025-11-25".into()),
        capabilities: Vec::new(),
    };
    let mut tab = Tab::new(tokio::runtime::Runtime::new().unwrap(), spec);
    tab.connect();
    // As quitting does: the handle finished, waited for a little.
    tab.handle.take().unwrap().finish(PATIENCE);
    let seen: Vec<_> = (0..4)
        .map(|_| server_runtime.block_on(server.next_request()))
        .collect();
    let delete = &seen[3];
    assert_eq!(delete.method, "DELETE");
    assert_eq!(delete.header("mcp-session-id"), Some("s-9"));
}

#[test]
fn an_earlier_plain_connections_events_keep_their_data_in_an_mcp_tab() {
    let mut tab = Tab::open("/mcp");
    // A plain event from before, as a second connection in one tab leaves it.
    let id = tab.id.unwrap();
    let chunk = |data: &str| {
        let bytes = format!("data: {data}\n\n");
        ConnMsg::Data(ssetui::sse::Chunk {
            attempt: 1,
            offset: 0,
            bytes: bytes.clone().into_bytes().into(),
            received_at: std::time::SystemTime::now(),
            items: vec![ssetui::sse::StreamItem::Event {
                seq: 99,
                event: ssetui::sse::Event {
                    event: "".into(),
                    data: data.into(),
                    id: "".into(),
                    sets_id: false,
                    retry_ms: None,
                    raw: 0..bytes.len() as u64,
                },
            }],
            facts: None,
        })
    };
    state::update(
        &mut tab.state,
        Msg::Conn {
            id,
            msg: chunk(r#"{"id":"chatcmpl-1","object":"chat"}"#),
        },
    );
    let screen = screen(&tab.state, 140, 30);
    assert!(screen.contains(r#"{"id":"chatcmpl-1""#), "{screen}");
    assert!(!screen.contains(r#"#"chatcmpl-1""#), "{screen}");
}
