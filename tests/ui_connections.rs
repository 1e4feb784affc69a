//! The UI's state fed by real connections to loopback servers, in the
//! sequences users reach: a second connection in the same tab, a reconnect
//! after the end, saving a tab that held several connections.

mod support;

use std::collections::HashMap;

use ratatui::crossterm::event::{Event as TermEvent, KeyCode, KeyEvent, KeyModifiers};
use ssetui::message::{Effect, Msg};
use ssetui::sse::{self, ReconnectPolicy, RequestSpec};
use ssetui::state::{self, AppState, RowKind};
use support::*;
use tokio::sync::mpsc;

/// A UI state whose connections really run, on a runtime of the test's.
struct Tab {
    runtime: tokio::runtime::Runtime,
    state: AppState,
    /// Connections kept running across key presses, by connection id.
    live: HashMap<state::ConnId, (sse::ConnectionHandle, mpsc::Receiver<sse::ConnMsg>)>,
}

impl Tab {
    /// A tab on `url` (the demo's or a test server's), connected and run to its close.
    fn connected(runtime: tokio::runtime::Runtime, url: &str) -> Self {
        let mut spec = RequestSpec::get(url.parse().unwrap());
        // Each connection runs to the end of its stream, so a test sees it whole.
        spec.reconnect = ReconnectPolicy::Never;
        let mut tab = Self {
            runtime,
            state: AppState::new(spec, "test".into()),
            live: HashMap::new(),
        };
        let first = state::connect(&mut tab.state);
        tab.run(first);
        tab
    }

    /// A tab on `url` that has not connected yet.
    fn new(runtime: tokio::runtime::Runtime, url: &str) -> Self {
        let mut spec = RequestSpec::get(url.parse().unwrap());
        spec.reconnect = ReconnectPolicy::Never;
        Self {
            runtime,
            state: AppState::new(spec, "test".into()),
            live: HashMap::new(),
        }
    }

    /// Starts the connections `effects` ask for (keeping them running, as the
    /// app does) and feeds the newest one's messages to `update` until `done`.
    fn run_until(&mut self, effects: Vec<Effect>, done: impl Fn(&AppState) -> bool) {
        let mut newest = None;
        for effect in effects {
            match effect {
                Effect::Connect { id, spec, .. } => {
                    let (tx, rx) = mpsc::channel(64);
                    let handle = self.runtime.block_on(async { sse::spawn(*spec, tx) });
                    self.live.insert(id, (handle, rx));
                    newest = Some(id);
                }
                Effect::Disconnect { .. } => self.live.clear(),
                _ => {}
            }
        }
        if let Some(id) = newest {
            self.pump(id, done);
        }
    }

    /// Feeds connection `id`'s messages to `update` until `done` holds.
    fn pump(&mut self, id: state::ConnId, done: impl Fn(&AppState) -> bool) {
        let (_, rx) = self.live.get_mut(&id).expect("a live connection");
        while !done(&self.state) {
            let msg = self.runtime.block_on(next_msg(rx));
            state::update(&mut self.state, Msg::Conn { id, msg });
        }
    }

    /// Presses `keys`; returns the effects, not run.
    fn press(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for c in keys.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            all.extend(state::update(
                &mut self.state,
                Msg::Input(TermEvent::Key(key)),
            ));
        }
        all
    }

    /// Presses `keys`, running any connection they start to its close.
    fn keys(&mut self, keys: &str) -> Vec<Effect> {
        let mut all = Vec::new();
        for c in keys.chars() {
            let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
            let effects = state::update(&mut self.state, Msg::Input(TermEvent::Key(key)));
            all.extend(self.run(effects));
        }
        all
    }

    /// Runs each `Connect` among `effects` until its connection closes,
    /// feeding every message to `update`; returns the other effects.
    fn run(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut others = Vec::new();
        for effect in effects {
            let Effect::Connect { id, spec, .. } = effect else {
                others.push(effect);
                continue;
            };
            let msgs = self.runtime.block_on(async {
                let (tx, mut rx) = mpsc::channel(64);
                let _handle = sse::spawn(*spec, tx);
                until_closed(&mut rx).await
            });
            for msg in msgs {
                others.extend(state::update(&mut self.state, Msg::Conn { id, msg }));
            }
        }
        others
    }

    /// The data of the events listed, in order.
    fn listed_data(&self) -> Vec<String> {
        (0..self.state.active().list.len())
            .filter_map(|pos| match self.state.active().visible_row(pos)?.kind {
                RowKind::Event { event, .. } => Some(event.data.to_string()),
                _ => None,
            })
            .collect()
    }

    /// Selects the last listed event with this data.
    fn select(&mut self, data: &str) {
        let pos = (0..self.state.active().list.len())
            .rev()
            .find(|pos| {
                matches!(self.state.active().visible_row(*pos).map(|r| r.kind),
                    Some(RowKind::Event { event, .. }) if event.data == data)
            })
            .unwrap_or_else(|| panic!("an event with data {data:?}"));
        self.state.active_mut().select(pos);
    }

    /// The selected row's bytes as the wire log keeps them (what Raw shows).
    fn selected_raw(&self) -> String {
        let row = self.state.active().selected_row().expect("a selected row");
        let raw = row.raw().expect("an event's raw range");
        String::from_utf8(self.state.active().log().raw_bytes(raw).expect("retained")).unwrap()
    }
}

/// Three events whose data differs on each connection: each connection's
/// server numbers its own events but says which connection it is.
fn two_connection_server() -> (tokio::runtime::Runtime, TestServer) {
    let script = |conn: u32| {
        let events: String = (1..=3)
            .map(|n| format!("id: {n}\nevent: tick\ndata: conn {conn} event {n}\n\n"))
            .collect();
        vec![sse_head(), write(events), Step::Close]
    };
    serve(vec![script(1), script(2), script(3)])
}

/// What `S` writes, as bytes: the NDJSON and the capture.
fn written(effects: &[Effect]) -> (Vec<u8>, Vec<u8>) {
    let Some(Effect::SaveStream {
        snapshot, request, ..
    }) = effects.first()
    else {
        panic!("S saves: {effects:?}")
    };
    let (mut ndjson, mut capture) = (Vec::new(), Vec::new());
    snapshot.write_ndjson(&mut ndjson).unwrap();
    snapshot.write_capture(request, &mut capture).unwrap();
    (ndjson, capture)
}

/// `S`'s capture of the tab, opened as `ssetui open` opens it, and the rows
/// both tabs list: markers as their text, events as `+gap data` where the
/// gap is to the row before (what the list's gap column shows).
fn saved_and_reopened(tab: &mut Tab, name: &str) -> (Vec<String>, Vec<String>) {
    let saved = tab.keys("S");
    let (_, capture) = written(&saved);
    let dir = scratch(name);
    let path = dir.join("tab.ssecap");
    std::fs::write(&path, &capture).unwrap();
    let recording = ssetui::capture::load_recording(&path).unwrap();
    let mut opened = AppState::new(recording.spec, "opened".into());
    let id = state::begin_connection(&mut opened);
    for msg in recording.messages {
        state::update(&mut opened, Msg::Conn { id, msg });
    }
    let _ = std::fs::remove_dir_all(&dir);
    (rows(&tab.state), rows(&opened))
}

fn rows(state: &AppState) -> Vec<String> {
    // The gap is to the event before, as the list's gap column shows it.
    let mut last_event = None;
    state
        .active()
        .log()
        .rows()
        .map(|row| match row.kind {
            RowKind::Event { event, .. } => {
                let gap = last_event.map_or(0, |t| {
                    row.received_at
                        .duration_since(t)
                        .map_or(0, |d: std::time::Duration| d.as_millis())
                });
                last_event = Some(row.received_at);
                format!("+{gap} {}", event.data)
            }
            RowKind::Marker(text) => text,
            RowKind::Block(_) => "block".into(),
        })
        .collect()
}

#[test]
fn raw_and_save_of_a_second_connection_in_the_tab_show_its_own_bytes() {
    let (runtime, server) = two_connection_server();
    let url = server.url("/feed");
    let mut tab = Tab::connected(runtime, &url);
    assert_eq!(tab.listed_data().len(), 3);
    // The stream ended; `c` connects again, in the same tab.
    tab.keys("c");
    assert_eq!(
        tab.listed_data(),
        [1, 2]
            .iter()
            .flat_map(|c| (1..=3).map(move |n| format!("conn {c} event {n}")))
            .collect::<Vec<_>>()
    );
    tab.select("conn 2 event 3");
    assert_eq!(
        tab.selected_raw(),
        "id: 3\nevent: tick\ndata: conn 2 event 3\n"
    );
    // `s` saves the same bytes, with the blank line that ended them.
    let saved = tab.keys("s");
    let Some(Effect::Save { files, .. }) = saved.first() else {
        panic!("s saves: {saved:?}")
    };
    assert_eq!(files[0].1, b"id: 3\nevent: tick\ndata: conn 2 event 3\n\n");
    // And an event of the first connection still shows its own.
    tab.select("conn 1 event 2");
    assert_eq!(
        tab.selected_raw(),
        "id: 2\nevent: tick\ndata: conn 1 event 2\n"
    );
}

#[test]
fn wire_from_an_event_of_a_second_connection_starts_at_its_bytes() {
    let (runtime, server) = two_connection_server();
    let url = server.url("/feed");
    let mut tab = Tab::connected(runtime, &url);
    tab.keys("c");
    tab.select("conn 2 event 2");
    let row = tab.state.active().selected_row().unwrap();
    let from = row.raw().unwrap().start;
    let rest = tab
        .state
        .active()
        .log()
        .raw_bytes(&(from..tab.state.active().log().wire_span().end));
    assert_eq!(
        String::from_utf8(rest.unwrap()).unwrap(),
        "id: 2\nevent: tick\ndata: conn 2 event 2\n\nid: 3\nevent: tick\ndata: conn 2 event 3\n\n"
    );
}

#[test]
fn a_tab_of_two_connections_saved_with_s_opens_with_the_same_rows_times_and_markers() {
    // The first connection stays open until `c` disconnects it; the second
    // sends its events a read apart, released by the test.
    let (runtime, server) = serve(vec![
        vec![sse_head(), write("id: 1\ndata: first\n\n"), Step::Hold],
        vec![
            sse_head(),
            write("id: 1\ndata: a\n\n"),
            Step::Gate,
            write("id: 2\ndata: b\n\n"),
            Step::Close,
        ],
    ]);
    let url = server.url("/feed");
    let mut tab = Tab::new(runtime, &url);
    let first = state::connect(&mut tab.state);
    tab.run_until(first, |s| s.active().log().events_received() == 1);
    // `c` disconnects the live stream, `c` again connects anew.
    let effects = tab.press("c");
    tab.run_until(effects, |_| true);
    let effects = tab.press("c");
    let id = tab.state.active().conn_id.unwrap();
    tab.run_until(effects, |s| s.active().log().events_received() == 2);
    server.release();
    tab.pump(id, |s| {
        matches!(s.active().status, state::ConnStatus::Closed(_))
    });

    let (live, opened) = saved_and_reopened(&mut tab, "two-connections");
    // What the tab listed, in the same order, with the same markers (the
    // time to first byte included) and the events' gaps to the ms.
    assert!(live.iter().any(|r| r == "disconnected"), "{live:?}");
    assert_eq!(
        opened
            .iter()
            .filter(|r| !r.starts_with('+'))
            .collect::<Vec<_>>(),
        live.iter()
            .filter(|r| !r.starts_with('+'))
            .collect::<Vec<_>>(),
        "the markers"
    );
    let events = |rows: &[String]| -> Vec<String> {
        rows.iter()
            .filter(|r| r.starts_with('+'))
            .cloned()
            .collect()
    };
    assert_eq!(events(&opened).len(), 3);
    // The gaps as recorded, to the millisecond a capture keeps.
    let gaps = |rows: &[String]| -> Vec<i64> {
        events(rows)
            .iter()
            .map(|r| r[1..].split_once(' ').unwrap().0.parse().unwrap())
            .collect()
    };
    for (live, opened) in gaps(&live).iter().zip(gaps(&opened)) {
        assert!(
            (live - opened).abs() <= 1,
            "{live} ms live, {opened} ms opened"
        );
    }
    assert_eq!(
        events(&opened)
            .iter()
            .map(|r| r.split_once(' ').unwrap().1)
            .collect::<Vec<_>>(),
        ["first", "a", "b"]
    );
}

/// A tab showing the recording at `path`, as `ssetui open` shows it.
fn opened(path: &std::path::Path) -> AppState {
    let recording = ssetui::capture::load_recording(path).unwrap();
    let mut state = AppState::new(recording.spec.clone(), "opened".into());
    let id = state::begin_connection(&mut state);
    for msg in recording.messages {
        state::update(&mut state, Msg::Conn { id, msg });
    }
    state.notice = Some(recording.notice);
    state.active_mut().offline = recording.offline;
    state
}

#[test]
fn an_ndjson_export_opens_at_its_times_and_c_says_it_holds_no_request() {
    let dir = scratch("export");
    let path = dir.join("export.ndjson");
    let line = |n: u32, ms: u32, attempt: u32| {
        format!(
            "{{\"event\":\"tick\",\"data\":\"{n}\",\"id\":\"{n}\",\"seq\":{n},\"attempt\":{attempt},\"time\":\"2026-11-24T15:00:00.{ms:03}Z\"}}\n"
        )
    };
    std::fs::write(&path, line(1, 0, 1) + &line(2, 300, 1) + &line(3, 600, 2)).unwrap();
    let mut tab = opened(&path);
    let notice = tab.notice.clone().unwrap();
    assert!(notice.contains("holds no request"), "{notice}");
    assert!(!notice.contains("c connects"), "{notice}");
    // Each event at its own time: 300 ms apart, not all at once.
    let times: Vec<std::time::SystemTime> = tab
        .active()
        .log()
        .rows()
        .filter(|row| matches!(row.kind, RowKind::Event { .. }))
        .map(|row| row.received_at)
        .collect();
    let gaps: Vec<u128> = times
        .windows(2)
        .map(|w| w[1].duration_since(w[0]).unwrap().as_millis())
        .collect();
    assert_eq!(gaps, [300, 300]);
    let attempts: Vec<u32> = tab
        .active()
        .log()
        .rows()
        .filter(|row| matches!(row.kind, RowKind::Event { .. }))
        .map(|row| row.attempt)
        .collect();
    assert_eq!(attempts, [1, 1, 2]);
    // `c` does not try to connect to a file: it says why not.
    let key = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::NONE);
    let effects = state::update(&mut tab, Msg::Input(TermEvent::Key(key)));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Connect { .. })),
        "{effects:?}"
    );
    let notice = tab.notice.clone().unwrap_or_default();
    assert!(notice.contains("holds no request"), "{notice}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The screen at 120x40 with the detail pane on `mode`.
fn screen_with(state: &mut AppState, mode: state::DetailMode) -> String {
    state.active_mut().detail = mode;
    support::screen(state, 120, 40)
}

#[test]
fn one_rejected_attempt_is_one_error() {
    let (runtime, server) = serve(vec![vec![
        head(401, "application/json", &[("www-authenticate", "Bearer")]),
        write("{\"error\":{\"message\":\"bad token\"}}"),
        Step::Close,
    ]]);
    let url = server.url("/s");
    let mut tab = Tab::connected(runtime, &url);
    let transcript = &tab.state.active().insight.transcript;
    assert_eq!(transcript.errors().len(), 1, "{:?}", transcript.errors());
    let screen = screen_with(&mut tab.state, state::DetailMode::Answer);
    assert!(screen.contains("1 ERROR"), "{screen}");
    assert_eq!(screen.matches("bad token").count(), 1, "{screen}");
}

#[test]
fn a_log_streams_error_lines_are_not_answer_errors_and_the_answer_counts_every_event() {
    // 138 events of a log tail, some of level error: not an LLM answer.
    let (runtime, url) = demo("/logs?count=138&interval_ms=1");
    let mut tab = Tab::connected(runtime, &url);
    assert_eq!(tab.state.active().insight.stats.events(), 138);
    let transcript = &tab.state.active().insight.transcript;
    assert!(transcript.errors().is_empty(), "{:?}", transcript.errors());
    let screen = screen_with(&mut tab.state, state::DetailMode::Answer);
    assert!(!screen.contains("ERROR ·"), "no error badge: {screen}");
    assert!(
        screen.contains("138 events"),
        "the Answer counts them all: {screen}"
    );
}

#[test]
fn x_clears_the_list_and_the_dropped_count() {
    let (runtime, url) = demo("/firehose?n=50&size=10");
    let mut tab = Tab::new(runtime, &url);
    tab.state.set_log_caps(20, 1 << 20);
    let first = state::connect(&mut tab.state);
    tab.run(first);
    assert!(tab.state.active().log().dropped_rows() > 0);
    assert!(screen_with(&mut tab.state, state::DetailMode::Content).contains("dropped"));
    tab.press("x");
    assert_eq!(tab.state.active().log().dropped_rows(), 0);
    assert!(tab.state.active().log().is_empty());
    let screen = screen_with(&mut tab.state, state::DetailMode::Content);
    assert!(!screen.contains("dropped"), "{screen}");
}

#[test]
fn a_tab_on_an_llm_stream_closes_at_its_end_marker_and_says_so() {
    let (runtime, url) = demo("/chat?delay_ms=1");
    // The UI's default for a GET: reconnect for ever, as the spec says.
    let spec = RequestSpec::get(url.parse().unwrap());
    assert_eq!(spec.reconnect, ReconnectPolicy::Always);
    let mut tab = Tab {
        runtime,
        state: AppState::new(spec, "chat".into()),
        live: HashMap::new(),
    };
    let first = state::connect(&mut tab.state);
    tab.run(first);
    let markers: Vec<String> = tab
        .state
        .active()
        .log()
        .rows()
        .filter_map(|row| match row.kind {
            RowKind::Marker(text) => Some(text),
            _ => None,
        })
        .collect();
    assert!(
        markers
            .iter()
            .any(|m| m == "stream ended by the server after the answer's end ([DONE])"),
        "{markers:?}"
    );
    assert_eq!(
        markers.last().map(String::as_str),
        Some("closed: stream ended")
    );
    assert!(
        !markers.iter().any(|m| m.starts_with("reconnecting")),
        "{markers:?}"
    );
}

#[test]
fn s_saves_the_same_ndjson_bytes_print_writes_terminal_characters_escaped() {
    // C1, a bidi override, zero-width and DEL in the data, type and id.
    let body = "id: \u{202e}7\nevent: t\u{9b}k\ndata: a\u{200b}b\u{7f}c\u{85}\n\n";
    let (runtime, server) = serve(vec![vec![sse_head(), write(body), Step::Close]]);
    let url = server.url("/s");
    let mut tab = Tab::connected(runtime, &url);
    let saved = tab.keys("S");
    let (ndjson, _) = written(&saved);
    let out = support::app()
        .args(["print", "--no-reconnect", &url])
        .output()
        .unwrap();
    // The receive times differ; everything else is the same bytes.
    let without_time = |line: &[u8]| {
        let text = String::from_utf8(line.to_vec()).unwrap();
        let at = text.find(",\"time\":").unwrap();
        let end = at + text[at + 9..].find('"').unwrap() + 10;
        format!("{}{}", &text[..at], &text[end..])
    };
    assert_eq!(without_time(&ndjson), without_time(&out.stdout));
    let saved = String::from_utf8(ndjson).unwrap();
    for raw in ['\u{202e}', '\u{9b}', '\u{200b}', '\u{7f}', '\u{85}'] {
        assert!(!saved.contains(raw), "{raw:?} raw in {saved}");
    }
    assert!(saved.contains("\\u202e"), "{saved}");
}
