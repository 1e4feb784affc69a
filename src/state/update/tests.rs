use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use ratatui::crossterm::event::{
    Event as TermEvent, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;

use super::*;
use crate::message::ProfileChange;
use crate::sse::{
    Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, Numbering, Parser, ParserConfig,
    RequestSpec, ResponseInfo, SentRequest,
};
use crate::state::event_log::EventLog;
use crate::state::profile_picker::ProfileSummary;
use crate::state::request_form::Slot;
use crate::state::{
    AppState, ConnId, ConnStatus, DEFAULT_PAGE, DetailMode, Focus, FrameLayout, Overlay, RowKind,
    TabId,
};

const TAB1: TabId = TabId::new(1);
const CONN1: ConnId = ConnId::new(1);

fn state() -> AppState {
    let mut state = AppState::new(
        RequestSpec::get("http://h/s".parse().unwrap()),
        "test".into(),
    );
    let effects = connect(&mut state);
    assert!(matches!(&effects[..], [Effect::Connect { id: CONN1, .. }]));
    state
}

fn key(code: KeyCode) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn conn(msg: ConnMsg) -> Msg {
    Msg::Conn { id: CONN1, msg }
}

/// Parses `bytes` as one read at `offset` with event numbers from `first_seq`.
fn chunk(bytes: &[u8], offset: u64, first_seq: u64) -> ConnMsg {
    let mut parser = Parser::new(ParserConfig {
        start_offset: offset,
        ..ParserConfig::default()
    });
    let (mut items, mut seq) = (Vec::new(), first_seq - 1);
    let mut numbered = Numbering {
        items: &mut items,
        seq: &mut seq,
    };
    parser.feed(bytes, &mut numbered).unwrap();
    ConnMsg::Data(Chunk {
        attempt: 1,
        offset,
        bytes: Bytes::copy_from_slice(bytes),
        received_at: UNIX_EPOCH + Duration::from_secs(1_790_000_000),
        items,
    })
}

fn opened() -> ConnMsg {
    ConnMsg::Opened {
        attempt: 1,
        response: ResponseInfo {
            status: 200,
            version: "HTTP/1.1".into(),
            headers: vec![],
            redirects: vec![],
            final_url: "http://h/s".into(),
            time_to_first_byte: Duration::from_millis(3),
        },
    }
}

/// The data of the events listed, in order.
fn listed_data(state: &AppState) -> Vec<String> {
    (0..state.active().list.len())
        .filter_map(|pos| match state.active().visible_row(pos)?.kind {
            RowKind::Event { event, .. } => Some(event.data.to_string()),
            _ => None,
        })
        .collect()
}

/// The profile picker over the tab shown, if open.
fn picker_of(state: &AppState) -> Option<&crate::state::ProfilePicker> {
    match &state.active().overlay {
        Some(Overlay::Profiles(picker)) => Some(picker),
        _ => None,
    }
}

fn selected_data(state: &AppState) -> Option<String> {
    match &state.active().selected_row()?.kind {
        RowKind::Event { event, .. } => Some(event.data.to_string()),
        _ => None,
    }
}

#[test]
fn connect_starts_a_new_connection_id() {
    let mut s = state();
    assert_eq!(s.active().status, ConnStatus::Connecting);
    let [Effect::Connect { id, spec, .. }] = &connect(&mut s)[..] else {
        panic!()
    };
    let (id, spec) = (*id, spec.clone());
    assert_eq!((id, spec.url.as_str()), (ConnId::new(2), "http://h/s"));
}

#[test]
fn messages_of_an_old_connection_are_ignored() {
    let mut s = state();
    update(
        &mut s,
        Msg::Conn {
            id: ConnId::new(0),
            msg: chunk(b"data: stale\n\n", 0, 1),
        },
    );
    assert!(s.active().log.is_empty());
    update(&mut s, conn(chunk(b"data: fresh\n\n", 0, 1)));
    assert_eq!(s.active().log.events_received(), 1);
}

#[test]
fn opened_and_data_update_the_status_and_the_list() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert_eq!(s.active().status, ConnStatus::Open);
    assert_eq!(s.active().conn.http_status, Some(200));
    update(
        &mut s,
        conn(chunk(b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n", 0, 1)),
    );
    assert_eq!(s.active().log.events_received(), 2);
    assert_eq!(s.active().insight.stats.events(), 2);
    assert_eq!(s.active().conn.last_event_id, "2");
    assert_eq!(s.active().insight.stats.bytes(), 30);
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("b"),
        "follow selects the newest"
    );
    assert!(
        matches!(s.active().visible_row(0).unwrap().kind, RowKind::Marker(_)),
        "connected marker first"
    );
}

#[test]
fn scrolling_up_leaves_follow_mode_and_g_end_returns_to_it() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 0, 1)),
    );
    update(&mut s, ch('k'));
    assert!(!s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("2"));
    update(&mut s, conn(chunk(b"data: 4\n\n", 27, 4)));
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("2"),
        "the selection stays put"
    );
    update(&mut s, ch('G'));
    assert!(s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("4"));
    update(&mut s, ch('g'));
    assert_eq!(s.active().list.selected(), Some(0));
    assert!(
        !s.active().list.is_following(),
        "going to the top leaves follow mode"
    );
    update(&mut s, ch('f'));
    assert!(s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("4"));
}

#[test]
fn blocks_are_hidden_until_asked_for() {
    let mut s = state();
    update(&mut s, conn(chunk(b": ping\n\ndata: x\n\nid: 9\n\n", 0, 1)));
    let rows = |s: &AppState| s.active().list.len();
    assert_eq!(rows(&s), 1);
    update(&mut s, ch('b'));
    assert_eq!(rows(&s), 3);
    assert!(s.active().visible_row(2).unwrap().is_block());
    update(&mut s, ch('b'));
    assert_eq!(rows(&s), 1);
}

#[test]
fn content_raw_toggle_and_focus() {
    let mut s = state();
    assert_eq!(s.active().detail, DetailMode::Content);
    update(&mut s, ch('v'));
    assert_eq!(s.active().detail, DetailMode::Raw);
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.active().detail, DetailMode::Wire);
    for view in [
        DetailMode::Answer,
        DetailMode::Checks,
        DetailMode::Stats,
        DetailMode::Content,
    ] {
        update(&mut s, ch('v'));
        assert_eq!(s.active().detail, view, "the views cycle");
    }
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.active().focus, Focus::Detail);
    update(&mut s, ch('j'));
    assert_eq!(s.active().detail_scroll, 1, "j scrolls the focused detail");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.active().focus, Focus::List);
}

#[test]
fn resume_from_the_selected_event_sends_its_id() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(chunk(b"id: 7\ndata: a\n\nid: 8\ndata: b\n\n", 0, 1)),
    );
    update(&mut s, ch('k'));
    assert_eq!(
        update(&mut s, ch('e')),
        vec![Effect::ResumeFrom {
            tab: TAB1,
            id: "7".into()
        }]
    );
}

#[test]
fn resume_when_closed_starts_a_connection_with_that_id() {
    let mut s = state();
    update(&mut s, conn(chunk(b"id: 7\ndata: a\n\n", 0, 1)));
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: CloseReason::Ended,
        }),
    );
    update(&mut s, ch('k'));
    let effects = update(&mut s, ch('e'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.last_event_id, "7");
}

#[test]
fn connect_key_toggles_between_connected_and_not() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert_eq!(
        update(&mut s, ch('c')),
        vec![Effect::Disconnect { tab: TAB1 }]
    );
    assert!(matches!(s.active().status, ConnStatus::Closed(_)));
    update(
        &mut s,
        Msg::Conn {
            id: CONN1,
            msg: chunk(b"data: late\n\n", 0, 1),
        },
    );
    assert_eq!(
        s.active().log.events_received(),
        0,
        "the disconnected task's messages are stale"
    );
    let effects = update(&mut s, ch('c'));
    assert!(matches!(effects[..], [Effect::Connect { .. }]));
    let ctrl_r = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        update(&mut s, ctrl_r),
        vec![Effect::Disconnect { tab: TAB1 }],
        "Ctrl-R works too"
    );
}

#[test]
fn reconnect_and_failure_statuses() {
    let mut s = state();
    update(
        &mut s,
        conn(ConnMsg::ReconnectScheduled {
            next_attempt: 2,
            delay: Duration::from_millis(500),
            last_event_id: "4".into(),
        }),
    );
    assert!(
        matches!(s.active().status, ConnStatus::Reconnecting { delay, .. } if delay == Duration::from_millis(500))
    );
    let err = ConnError::new(ErrorKind::Status, "answered 404");
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }),
    );
    assert_eq!(s.active().status, ConnStatus::Failed("answered 404".into()));
    let last = s.active().visible_row(s.active().list.len() - 1).unwrap();
    assert!(matches!(&last.kind, RowKind::Marker(t) if t.contains("404")));
}

#[test]
fn connecting_marker_shows_the_last_event_id_sent() {
    let mut s = state();
    let request = SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![("Last-Event-ID".into(), "5".into())],
        body_len: None,
        last_event_id: Some("5".into()),
    };
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 2,
            request,
        }),
    );
    assert_eq!(s.active().conn.attempt, 2);
    let row = s.active().visible_row(0).unwrap();
    assert!(
        matches!(&row.kind, RowKind::Marker(t) if t.contains("Last-Event-ID: 5")),
        "{row:?}"
    );
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut s = state();
    update(&mut s, ch('?'));
    assert!(matches!(s.active().overlay, Some(Overlay::Help)));
    assert_eq!(update(&mut s, ch('x')), vec![]);
    assert!(
        !matches!(s.active().overlay, Some(Overlay::Help)),
        "the key closed the overlay and did nothing else"
    );
}

#[test]
fn quit_and_ctrl_c_quit() {
    let mut s = state();
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    let mut s = state();
    let ctrl_c = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(update(&mut s, ctrl_c), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn clear_empties_the_list() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('x'));
    assert!(s.active().list.is_empty() && s.active().list.selected().is_none());
    update(&mut s, conn(chunk(b"data: 2\n\n", 9, 2)));
    assert_eq!(selected_data(&s).as_deref(), Some("2"));
}

#[test]
fn the_oldest_rows_are_dropped_at_the_cap_and_the_selection_follows_its_row() {
    let mut s = state();
    s.active_mut().log = EventLog::new(3, 1024);
    for n in 0..3u64 {
        let bytes = format!("data: {n}\n\n");
        update(&mut s, conn(chunk(bytes.as_bytes(), n * 9, n + 1)));
    }
    update(&mut s, ch('k'));
    assert_eq!(selected_data(&s).as_deref(), Some("1"));
    update(&mut s, conn(chunk(b"data: 3\n\n", 27, 4)));
    assert_eq!(s.active().log.dropped_rows(), 1);
    assert_eq!(s.active().list.len(), 3);
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("1"),
        "still the same row"
    );
}

#[test]
fn raw_bytes_of_an_event_come_from_the_wire_log() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b": hi\r\n\r\nid: 1\r\ndata: x\r\n\r\n", 0, 1)),
    );
    let row = s.active().selected_row().unwrap();
    let raw = row.raw().unwrap().clone();
    assert_eq!(
        s.active().log.raw_bytes(&raw).unwrap(),
        b"id: 1\r\ndata: x\r\n"
    );
    assert_eq!(s.active().log.terminator_after(raw.end), b"\r\n");
    let _ = SystemTime::now();
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, ch(c));
    }
}

#[test]
fn search_typing_goes_to_the_query_not_to_actions() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"data: alpha\n\ndata: beta\n\ndata: gamma\n\n", 0, 1)),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "qx");
    assert!(
        !s.quit && matches!(s.active().overlay, Some(Overlay::Search)),
        "q typed into the query did not quit"
    );
    assert_eq!(s.active().search.query, "qx");
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    type_text(&mut s, "alpha");
    update(&mut s, key(KeyCode::Enter));
    assert!(!matches!(s.active().overlay, Some(Overlay::Search)));
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("alpha"),
        "Enter jumps to a match"
    );
    assert!(!s.active().list.is_following());
}

#[test]
fn n_and_shift_n_jump_between_matches_wrapping() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"data: a1\n\ndata: b\n\ndata: a2\n\ndata: a3\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "a");
    update(&mut s, key(KeyCode::Enter));
    // The newest event matched already, so Enter kept it.
    let mut seen = vec![selected_data(&s).unwrap()];
    for _ in 0..3 {
        update(&mut s, ch('n'));
        seen.push(selected_data(&s).unwrap());
    }
    assert_eq!(
        seen,
        ["a3", "a1", "a2", "a3"],
        "b and the markers are skipped"
    );
    update(&mut s, ch('N'));
    assert_eq!(selected_data(&s).as_deref(), Some("a2"));
}

#[test]
fn filter_shows_only_matches_and_esc_clears_the_search() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"event: warn\ndata: 1\n\ndata: 2\n\nevent: warn\ndata: 3\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "warn");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 2, "only the two warn events");
    update(
        &mut s,
        conn(chunk(b"data: 4\n\nevent: warn\ndata: 5\n\n", 33, 4)),
    );
    assert_eq!(
        s.active().list.len(),
        3,
        "new matches are listed, others not"
    );
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.active().search.is_active());
    assert_eq!(
        s.active().list.len(),
        5,
        "no query: everything is listed again"
    );
}

#[test]
fn pasting_into_the_search_types_the_text() {
    let mut s = state();
    update(&mut s, ch('/'));
    update(&mut s, Msg::Input(TermEvent::Paste("dis\nk".into())));
    assert_eq!(
        s.active().search.query,
        "disk",
        "control characters are dropped"
    );
}

#[test]
fn what_is_drawn_on_top_gets_the_keys_when_the_editor_opens_beneath_it() {
    let mut s = state();
    s.env = crate::sse::Env::fixed(&[]);
    s.demo = Some(crate::state::DemoPicker::new(
        "http://127.0.0.1:1/".parse().unwrap(),
    ));
    update(&mut s, ch('d'));
    // A profile read meanwhile (its effect was under way) cannot be sent:
    // the editor opens on the field to blame, under the picker.
    let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
    spec.headers
        .push(("X-Key".into(), "${env:SSETUI_NOT_SET}".into()));
    let tab = s.active_id();
    let opened = Msg::ProfileOpened {
        tab,
        name: "p".into(),
        spec: Box::new(spec),
        view: crate::config::ViewSettings::default(),
    };
    assert!(update(&mut s, opened).is_empty(), "not sent");
    assert!(s.active().editor_open);
    update(&mut s, ch('j'));
    assert_eq!(
        s.demo.as_ref().unwrap().selected,
        1,
        "the picker drawn on top moved"
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('j'));
    assert_eq!(s.demo.as_ref().unwrap().selected, 1, "closed");
    assert!(s.active().editor_open, "the editor has the keys again");
}

#[test]
fn demo_picker_switches_endpoint_and_connects() {
    let mut s = state();
    assert!(
        update(&mut s, ch('d')).is_empty(),
        "no picker without the in-process demo"
    );
    s.demo = Some(crate::state::DemoPicker::new(
        "http://127.0.0.1:9/".parse().unwrap(),
    ));
    update(&mut s, ch('d'));
    assert!(matches!(s.active().overlay, Some(Overlay::Demo)));
    update(&mut s, ch('j'));
    assert!(!s.quit);
    let effects = update(&mut s, key(KeyCode::Enter));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://127.0.0.1:9/clock");
    assert_eq!(s.active().title, "demo /clock");
    assert!(s.active().list.is_following(), "the new stream is followed");
    assert!(!matches!(s.active().overlay, Some(Overlay::Demo)));
    update(&mut s, ch('d'));
    update(&mut s, key(KeyCode::Esc));
    assert!(
        !matches!(s.active().overlay, Some(Overlay::Demo)),
        "Esc closes the picker"
    );
}

#[test]
fn each_attempts_markers_keep_that_attempts_request_and_response() {
    let mut s = state();
    let request = |id: Option<&str>| SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![],
        body_len: None,
        last_event_id: id.map(str::to_owned),
    };
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 1,
            request: request(None),
        }),
    );
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 2,
            request: request(Some("5")),
        }),
    );
    assert!(
        s.active().conn.http_status.is_none(),
        "the new attempt has no status yet"
    );
    let infos: Vec<_> = (0..s.active().list.len())
        .filter_map(|p| s.active().visible_row(p))
        .map(|row| {
            row.attempt_info
                .clone()
                .expect("markers carry their attempt")
        })
        .collect();
    assert_eq!(infos.len(), 3, "attempt 1, connected, attempt 2");
    assert_eq!(infos[1].request.last_event_id, None);
    assert_eq!(
        infos[1].response.as_ref().map(|r| r.status),
        Some(200),
        "attempt 1 answered"
    );
    assert_eq!(infos[2].request.last_event_id.as_deref(), Some("5"));
    assert!(
        infos[2].response.is_none(),
        "attempt 2 has not answered: no stale response"
    );
}

#[test]
fn freeze_keeps_the_list_still_and_counts_what_arrives() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('p'));
    let shown = s.active().list.len();
    update(&mut s, conn(chunk(b"data: 2\n\ndata: 3\n\n", 9, 2)));
    assert_eq!(
        s.active().list.len(),
        shown,
        "frozen: nothing new is listed"
    );
    assert_eq!(s.active().arrived_while_frozen(), Some(2));
    assert_eq!(s.active().log.events_received(), 3, "receiving goes on");
    update(&mut s, ch('p'));
    assert_eq!(s.active().arrived_while_frozen(), None);
    assert_eq!(s.active().list.len(), shown + 2);
    assert_eq!(selected_data(&s).as_deref(), Some("3"), "following again");
}

#[test]
fn a_frozen_list_listed_afresh_still_lists_nothing_that_arrived_after_the_freeze() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('p'));
    update(&mut s, conn(chunk(b"data: 2\n\n: ping\n\n", 9, 2)));
    // Showing blocks and typing a search list the log afresh.
    update(&mut s, ch('b'));
    assert_eq!(listed_data(&s), ["1"], "frozen: nothing new is listed");
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(listed_data(&s), ["1"]);
    assert_eq!(s.active().arrived_while_frozen(), Some(2));
    update(&mut s, ch('p'));
    assert_eq!(
        listed_data(&s),
        ["1", "2"],
        "thawed: what arrived is listed"
    );
}

#[test]
fn copy_takes_the_selected_events_data() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: {\"a\":1}\n\n", 0, 1)));
    assert_eq!(
        update(&mut s, ch('y')),
        vec![Effect::Copy("{\"a\":1}".into())]
    );
    update(
        &mut s,
        conn(ConnMsg::StreamEnded {
            attempt: 1,
            discarded: None,
            end_marker: None,
        }),
    );
    assert!(matches!(
        s.active().selected_row().unwrap().kind,
        RowKind::Marker(_)
    ));
    assert!(
        update(&mut s, ch('y')).is_empty(),
        "a marker has no data to copy"
    );
    assert!(s.notice.is_some());
    update(&mut s, Msg::Notice("copied".into()));
    assert_eq!(s.notice.as_deref(), Some("copied"));
    update(&mut s, ch('j'));
    assert_eq!(s.notice, None, "the next key clears the notice");
}

#[test]
fn save_event_writes_its_exact_bytes_with_the_blank_line() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"id: 7\r\nevent: e\r\ndata: x\r\n\r\n", 0, 1)),
    );
    let effects = update(&mut s, ch('s'));
    let [Effect::Save { files, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let [(path, contents)] = &files[..] else {
        panic!("{files:?}")
    };
    assert_eq!(contents, b"id: 7\r\nevent: e\r\ndata: x\r\n\r\n");
    assert_eq!(path.to_str(), Some("ssetui-event-1-id-7.sse"));
}

#[test]
fn a_server_chosen_id_cannot_make_the_saved_file_name_a_path() {
    for id in ["../../.bashrc", "/etc/passwd", "..", "a/b\\c", ".hidden"] {
        let mut s = state();
        let bytes = format!("id: {id}\ndata: x\n\n");
        update(&mut s, conn(chunk(bytes.as_bytes(), 0, 1)));
        let effects = update(&mut s, ch('s'));
        let [Effect::Save { files, .. }] = &effects[..] else {
            panic!("{effects:?}")
        };
        let name = files[0].0.to_str().unwrap();
        assert!(
            !name.contains('/') && !name.contains('\\') && !name.contains(".."),
            "{id:?} gave {name:?}"
        );
        assert_eq!(files[0].0.components().count(), 1, "{name:?}");
        assert!(name.starts_with("ssetui-event-1-id-") && name.ends_with(".sse"));
    }
}

#[test]
fn save_stream_writes_ndjson_in_the_print_schema() {
    let mut s = state();
    assert!(update(&mut s, ch('S')).is_empty(), "nothing to save yet");
    update(
        &mut s,
        conn(chunk(b"id: 1\ndata: a\n\nevent: t\ndata: b\n\n", 0, 1)),
    );
    let effects = update(&mut s, ch('S'));
    let [Effect::Save { files, what }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let [(path, contents), (capture_path, capture)] = &files[..] else {
        panic!("{files:?}")
    };
    assert!(capture_path.to_str().unwrap().ends_with(".ssecap"));
    // The capture reads back to the same events.
    let read = crate::capture::from_reader(&capture[..]).unwrap();
    let events: Vec<(String, String)> = read
        .events()
        .into_iter()
        .map(|e| (e.event.event_type().to_owned(), e.event.data.to_string()))
        .collect();
    assert_eq!(
        events,
        [
            ("message".to_owned(), "a".to_owned()),
            ("t".to_owned(), "b".to_owned())
        ]
    );
    let lines: Vec<serde_json::Value> = std::str::from_utf8(contents)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["event"], "message");
    assert_eq!(lines[1]["event"], "t");
    assert_eq!(lines[1]["id"], "1");
    assert_eq!(lines[1]["seq"], 2);
    assert_eq!(what, "2 events as NDJSON and the session as a capture");
    assert!(path.to_str().unwrap().ends_with(".ndjson"));
}

/// What a frame of the tab shown reports, laid out as `ui::draw` does a
/// screen 100 columns wide: the title line, the list (a header, then `rows`
/// rows) and the detail (`detail_rows` lines) stacked, each in a border.
fn frame(s: &AppState, rows: u16, detail_rows: u16) -> FrameLayout {
    let list = Rect::new(0, 1, 100, rows + 3);
    FrameLayout {
        tab: s.active_id(),
        title: Rect::new(0, 0, 100, 1),
        tab_columns: Vec::new(),
        list,
        list_rows: Rect::new(1, 3, 98, rows),
        detail: Rect::new(0, list.bottom(), 100, detail_rows + 2),
        detail_rows,
        detail_max_scroll: Some(u16::MAX),
        editor: None,
    }
}

fn mouse(kind: ratatui::crossterm::event::MouseEventKind, column: u16, row: u16) -> Msg {
    Msg::Input(TermEvent::Mouse(ratatui::crossterm::event::MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }))
}

#[test]
fn a_click_selects_the_row_under_it_and_focuses_its_pane() {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    let mut s = state();
    let layout = frame(&s, 10, 10);
    update(&mut s, Msg::Drawn(layout.clone()));
    update(
        &mut s,
        conn(chunk(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 0, 1)),
    );
    let (rows, detail) = (layout.list_rows, layout.detail);
    // The list shows all three rows from its top: the first row is event 1.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), rows.x + 2, rows.y),
    );
    assert_eq!(selected_data(&s).as_deref(), Some("1"));
    assert!(!s.active().list.is_following());
    update(
        &mut s,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            detail.x + 3,
            detail.y + 2,
        ),
    );
    assert_eq!(s.active().focus, Focus::Detail);
    update(
        &mut s,
        mouse(MouseEventKind::ScrollDown, detail.x + 3, detail.y + 2),
    );
    assert_eq!(
        s.active().detail_scroll,
        3,
        "the wheel scrolls the pane under it"
    );
    update(
        &mut s,
        mouse(MouseEventKind::ScrollDown, rows.x + 2, rows.y),
    );
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("3"),
        "over the list it moves the selection"
    );
    update(
        &mut s,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            rows.x + 2,
            rows.y + 20,
        ),
    );
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("3"),
        "a click below the last row selects nothing new"
    );
}

#[test]
fn mouse_capture_toggles_with_m() {
    let mut s = state();
    assert!(s.mouse_capture);
    assert_eq!(update(&mut s, ch('m')), vec![Effect::MouseCapture(false)]);
    assert!(s.notice.as_deref().unwrap().contains("selects text"));
    assert_eq!(update(&mut s, ch('m')), vec![Effect::MouseCapture(true)]);
}

#[test]
fn clicks_before_the_first_frame_are_ignored() {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    let before = s.active().list.selected();
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 5, 5));
    assert_eq!(s.active().list.selected(), before);
}

#[test]
fn a_new_tab_copies_the_request_and_background_tabs_keep_receiving() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert!(update(&mut s, ch('t')).is_empty(), "a new tab waits for c");
    assert_eq!((s.tabs().len(), s.active_index()), (2, 1));
    assert_eq!(s.active().request.url.as_str(), "http://h/s");
    assert_eq!(s.active().status, ConnStatus::Idle);
    // Tab 1's connection still lands in tab 1 while tab 2 is shown.
    update(&mut s, conn(chunk(b"data: bg\n\n", 0, 1)));
    assert!(s.active().log.is_empty());
    assert_eq!(s.tabs()[0].log.events_received(), 1);
    // Connecting tab 2 gives it its own id and tab key.
    let effects = update(&mut s, ch('c'));
    let [Effect::Connect { tab, id, .. }] = effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!((tab, id), (TabId::new(2), ConnId::new(2)));
    update(
        &mut s,
        Msg::Conn {
            id: ConnId::new(2),
            msg: chunk(b"data: fg\n\n", 0, 1),
        },
    );
    assert_eq!(selected_data(&s).as_deref(), Some("fg"));
    assert_eq!(s.tabs()[0].log.events_received(), 1);
}

#[test]
fn tabs_switch_by_number_and_cycle_and_closing_stops_the_connection() {
    let mut s = state();
    update(&mut s, ch('t'));
    update(&mut s, ch('t'));
    assert_eq!((s.tabs().len(), s.active_index()), (3, 2));
    update(&mut s, ch('1'));
    assert_eq!(s.active_index(), 0);
    update(&mut s, ch('9'));
    assert_eq!(s.active_index(), 0, "no tab 9");
    update(&mut s, ch('['));
    assert_eq!(s.active_index(), 2, "previous wraps around");
    update(&mut s, ch(']'));
    assert_eq!(s.active_index(), 0, "next wraps around");
    let key = s.active_id();
    assert_eq!(update(&mut s, ch('W')), vec![Effect::CloseTab { tab: key }]);
    assert_eq!((s.tabs().len(), s.active_index()), (2, 0));
    update(&mut s, ch('W'));
    assert!(update(&mut s, ch('W')).is_empty(), "the last tab stays");
    assert_eq!(s.tabs().len(), 1);
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("last tab")));
}

#[test]
fn messages_for_a_closed_tab_are_dropped() {
    let mut s = state();
    update(&mut s, ch('t'));
    update(&mut s, ch('1'));
    update(&mut s, ch('W'));
    update(&mut s, conn(chunk(b"data: late\n\n", 0, 1)));
    assert_eq!(s.tabs().len(), 1);
    assert!(
        s.active().log.is_empty(),
        "the remaining tab never connected"
    );
}

#[test]
fn before_the_first_frame_a_page_is_twenty_rows() {
    let mut s = state();
    let body: String = (1..=30).map(|i| format!("data: {i}\n\n")).collect();
    update(&mut s, conn(chunk(body.as_bytes(), 0, 1)));
    update(&mut s, ch('g'));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().list.selected(), Some(usize::from(DEFAULT_PAGE)));
}

#[test]
fn the_list_scrolls_a_line_at_a_time_and_pages_by_its_height() {
    let mut s = state();
    let rows = 8;
    let layout = frame(&s, rows as u16, 10);
    update(&mut s, Msg::Drawn(layout));
    let body: String = (1..=100).map(|i| format!("data: {i}\n\n")).collect();
    update(&mut s, conn(chunk(body.as_bytes(), 0, 1)));
    assert_eq!(
        s.active().list.window_start(rows),
        100 - rows,
        "following shows the newest"
    );
    update(&mut s, ch('g'));
    assert_eq!(
        (
            s.active().list.selected(),
            s.active().list.window_start(rows)
        ),
        (Some(0), 0)
    );
    for _ in 0..rows {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.active().list.selected(), Some(rows));
    assert_eq!(
        s.active().list.window_start(rows),
        1,
        "one line past the window scrolls one line"
    );
    update(&mut s, ch('k'));
    assert_eq!(
        s.active().list.window_start(rows),
        1,
        "moving up inside the window keeps it"
    );
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().list.selected(), Some(rows - 1 + rows));
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(s.active().list.selected(), Some(rows - 1));
}

#[test]
fn a_click_on_a_tab_in_the_title_line_shows_it() {
    let mut s = state();
    update(&mut s, ch('t'));
    assert_eq!(s.active_index(), 1);
    // The columns a frame drew the two tabs on.
    let mut layout = frame(&s, 10, 10);
    layout.tab_columns = vec![8..16, 16..24];
    update(&mut s, Msg::Drawn(layout));
    let click = |column| {
        Msg::Input(TermEvent::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }))
    };
    update(&mut s, click(10));
    assert_eq!(s.active_index(), 0);
    update(&mut s, click(20));
    assert_eq!(s.active_index(), 1);
    update(&mut s, click(2));
    assert_eq!(s.active_index(), 1, "the app name is not a tab");
}

#[test]
fn page_keys_scroll_the_detail_by_its_height_when_it_has_the_focus() {
    let mut s = state();
    let page = 9;
    let layout = frame(&s, 10, page);
    update(&mut s, Msg::Drawn(layout));
    update(&mut s, conn(chunk(b"data: a\n\ndata: b\n\n", 0, 1)));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::PageDown));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().detail_scroll, 2 * page);
    assert_eq!(selected_data(&s).as_deref(), Some("b"), "the list stays");
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(s.active().detail_scroll, page);
}

#[test]
fn a_search_by_type_and_regex_filters_the_list() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"event: log\ndata: disk 91%\n\nevent: log\ndata: cpu 10%\n\nevent: tick\ndata: disk 1\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "type:log disk");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 1, "the log event about the disk");
    let ctrl_t = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('t'),
        KeyModifiers::CONTROL,
    )));
    update(&mut s, ch('/'));
    type_text(&mut s, "type:log disk|(cpu");
    update(&mut s, ctrl_t);
    assert!(s.active().search.error().is_some(), "an unclosed group");
    type_text(&mut s, ")");
    assert!(s.active().search.error().is_none());
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 2, "both log events, not the tick");
}

#[test]
fn the_detail_scrolls_no_further_than_its_last_line_once_drawn() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: a\n\n", 0, 1)));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('j'));
    assert_eq!(
        s.active().detail_scroll,
        1,
        "before any frame nothing limits it"
    );
    let mut layout = frame(&s, 10, 10);
    layout.detail_max_scroll = Some(0);
    update(&mut s, Msg::Drawn(layout.clone()));
    assert_eq!(
        s.active().detail_scroll,
        0,
        "a frame cuts it to what is there"
    );
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().detail_scroll, 0);
    layout.detail_max_scroll = Some(5);
    update(&mut s, Msg::Drawn(layout));
    for _ in 0..10 {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.active().detail_scroll, 5);
    update(&mut s, ch('k'));
    assert_eq!(
        s.active().detail_scroll,
        4,
        "up moves at once, no dead presses"
    );
}

fn ctrl(c: char) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

#[test]
fn the_request_editor_takes_letters_and_ctrl_r_sends_the_edited_request() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(&mut s, ch('r'));
    assert!(s.active().editor_open);
    // Edit the URL (focused first): letters type, they do not act.
    update(&mut s, key(KeyCode::Enter));
    assert!(s.active().draft.as_ref().unwrap().is_editing());
    type_text(&mut s, "/more");
    assert!(!s.quit && s.tabs().len() == 1, "q, t... typed nothing else");
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://h/s/more");
    assert_eq!(s.active().request.url.as_str(), "http://h/s/more");
    assert!(
        !s.active().editor_open && s.active().draft.is_none(),
        "sent: back to the events"
    );
    assert_eq!(s.active().title, "h/s/more");
}

#[test]
fn an_invalid_request_is_not_sent_and_the_editor_stays() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    for _ in 0..20 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "not a url");
    assert!(update(&mut s, ctrl('r')).is_empty());
    assert!(s.active().editor_open);
    assert!(s.active().draft.as_ref().unwrap().error_count() > 0);
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("not sent")));
    assert_eq!(
        s.active().request.url.as_str(),
        "http://h/s",
        "the request is unchanged"
    );
}

#[test]
fn esc_closes_the_editor_keeping_the_draft_and_ctrl_r_on_the_same_request_disconnects() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "x");
    update(&mut s, key(KeyCode::Esc));
    assert!(s.active().editor_open, "the first Esc leaves the field");
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.active().editor_open, "the second closes the editor");
    update(&mut s, ch('r'));
    assert_eq!(
        s.active().draft.as_ref().unwrap().url.text(),
        "http://h/sx",
        "the draft was kept"
    );
    // Typing the change away: the same request again, so Ctrl-R disconnects.
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        update(&mut s, ctrl('r')),
        vec![Effect::Disconnect { tab: TAB1 }]
    );
    // Keys that make no sense over the editor do nothing; tabs and help still work.
    update(&mut s, ch('x'));
    assert!(s.active().editor_open);
    update(&mut s, ch('?'));
    assert!(matches!(s.active().overlay, Some(Overlay::Help)));
}

#[test]
fn the_body_goes_to_the_external_editor_and_comes_back() {
    let mut s = state();
    update(&mut s, ch('r'));
    let effects = update(&mut s, ch('E'));
    let [
        Effect::EditBody {
            tab: TAB1,
            text,
            json,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!((text.as_str(), *json), ("", false));
    update(
        &mut s,
        Msg::BodyEdited {
            tab: TAB1,
            result: Ok("{\"a\": 1}".into()),
        },
    );
    assert_eq!(s.active().draft.as_ref().unwrap().body.text(), "{\"a\": 1}");
    update(
        &mut s,
        Msg::BodyEdited {
            tab: TAB1,
            result: Err("the editor `nope` failed".into()),
        },
    );
    assert_eq!(s.notice.as_deref(), Some("the editor `nope` failed"));
    assert_eq!(s.active().draft.as_ref().unwrap().body.text(), "{\"a\": 1}");
}

#[test]
fn a_paste_goes_to_the_field_being_edited() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, Msg::Input(TermEvent::Paste("?q=1".into())));
    assert_eq!(
        s.active().draft.as_ref().unwrap().url.text(),
        "http://h/s?q=1"
    );
}

fn summaries(names: &[&str]) -> Vec<ProfileSummary> {
    names
        .iter()
        .map(|name| ProfileSummary {
            name: (*name).into(),
            method: "GET".into(),
            url: format!("http://{name}/s"),
            description: String::new(),
        })
        .collect()
}

fn open_picker(s: &mut AppState) {
    let picker = crate::state::ProfilePicker::new(s.profile_list.clone());
    s.active_mut().overlay = Some(Overlay::Profiles(Box::new(picker)));
}

#[test]
fn opening_a_profile_loads_it_into_the_tab_and_connects() {
    let mut s = state();
    s.profile_list = summaries(&["alpha", "beta"]);
    open_picker(&mut s);
    type_text(&mut s, "bet");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::OpenProfile {
            tab: TAB1,
            name: "beta".into()
        }]
    );
    assert!(picker_of(&s).is_none(), "the picker closes");
    let spec = RequestSpec::get("http://beta/s".parse().unwrap());
    let effects = update(
        &mut s,
        Msg::ProfileOpened {
            tab: TAB1,
            name: "beta".into(),
            spec: Box::new(spec.clone()),
            view: crate::config::ViewSettings {
                search: Some("jq:.n > 1".into()),
                transcript_path: Some("message.content".into()),
            },
        },
    );
    assert!(matches!(&effects[..], [Effect::Connect { spec: sent, .. }] if **sent == spec));
    assert_eq!(s.active().title, "beta");
    // The profile's search and Answer path are in force.
    assert!(s.active().search.jq().is_some());
    assert_eq!(
        s.active()
            .insight
            .transcript_path
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some(".message.content"),
        "written back in its full form"
    );
    assert!(!s.active().profile_modified());
    s.active_mut().request.last_event_id = "7".into();
    assert!(s.active().profile_modified(), "a change shows until saved");
}

#[test]
fn saving_renaming_and_deleting_go_through_the_file_and_the_tabs_follow() {
    let mut s = state();
    s.profile_list = summaries(&["alpha"]);
    open_picker(&mut s);
    update(&mut s, ctrl('s'));
    type_text(&mut s, "mine");
    let effects = update(&mut s, key(KeyCode::Enter));
    let [
        Effect::SaveProfile {
            tab: TAB1,
            name,
            spec,
            view,
            overwrite: false,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        view,
        &crate::config::ViewSettings::default(),
        "no search yet"
    );
    assert_eq!((name.as_str(), spec.url.as_str()), ("mine", "http://h/s"));
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha", "mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec: spec.clone(),
                plain_secrets: Vec::new(),
            },
        },
    );
    assert_eq!(s.active().profile.as_ref().unwrap().name, "mine");
    assert!(picker_of(&s).is_none(), "a save closes the picker");
    assert_eq!(s.profile_list.len(), 2);
    open_picker(&mut s);
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha", "ours"]),
            change: ProfileChange::Renamed {
                from: "mine".into(),
                to: "ours".into(),
            },
        },
    );
    assert_eq!(
        (
            s.active().profile.as_ref().unwrap().name.as_str(),
            s.active().title.as_str()
        ),
        ("ours", "ours")
    );
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["alpha"]),
            change: ProfileChange::Deleted("ours".into()),
        },
    );
    assert!(s.active().profile.is_none());
    assert!(s.notice.as_deref().unwrap().contains("deleted"));
}

#[test]
fn a_saved_profile_holding_a_plain_secret_says_where_it_is() {
    let mut s = state();
    let spec = Box::new(s.active().request.clone());
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec,
                plain_secrets: vec!["headers.X-Api-Key".into()],
            },
        },
    );
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("saved the request as profile \"mine\""),
        "{notice}"
    );
    assert!(notice.contains("headers.X-Api-Key"), "{notice}");
    assert!(notice.contains("${env:NAME}"), "{notice}");
}

#[test]
fn save_profile_overwrites_the_open_one_or_asks_a_name() {
    let mut s = state();
    update(&mut s, ch('P'));
    let picker = picker_of(&s).expect("a name is asked");
    assert!(matches!(
        picker.mode,
        crate::state::profile_picker::PickerMode::Naming { .. }
    ));
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert!(picker_of(&s).is_none());
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(s.active().request.clone()),
    });
    let effects = update(&mut s, ch('P'));
    assert!(matches!(
        &effects[..],
        [Effect::SaveProfile { tab: TAB1, name, overwrite: true, .. }] if name == "mine"
    ));
    update(&mut s, ch('o'));
    assert!(picker_of(&s).is_some(), "o opens the picker");
}

#[test]
fn a_curl_command_pasted_on_the_url_becomes_the_draft_and_y_copies_the_request_as_curl() {
    let mut s = state();
    update(&mut s, ch('r'));
    let curl = "curl 'https://api.example.com/v1/chat' -H 'authorization: Bearer sk-1' \
                -H 'content-type: application/json' --data-raw '{\"stream\":true}'";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    let draft = s.active().draft.as_ref().unwrap();
    assert_eq!(draft.url.text(), "https://api.example.com/v1/chat");
    assert_eq!(draft.method.text(), "POST");
    assert_eq!(draft.body.text(), "{\"stream\":true}");
    assert!(s.notice.as_deref().unwrap().starts_with("imported"));
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.auth, crate::sse::Auth::Bearer("sk-1".into()));
    // Y: the request back as a curl command, its token redacted.
    let effects = update(&mut s, ch('Y'));
    let [Effect::Copy(command)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert!(command.starts_with("curl -N"), "{command}");
    assert!(command.contains("https://api.example.com/v1/chat"));
    assert!(!command.contains("sk-1"), "{command}");
}

#[test]
fn a_multi_line_curl_paste_with_cr_line_ends_imports_without_warnings() {
    // Terminals send the newlines of a paste as CR.
    let mut s = state();
    update(&mut s, ch('r'));
    let curl = "curl 'https://api.example.com/v1/chat' \\\r  -H \"Authorization: Bearer $OPENAI_API_KEY\" \\\r  --data-raw '{}'\r";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    assert_eq!(
        s.notice.as_deref(),
        Some("imported the curl command: Ctrl-R sends it")
    );
    let draft = s.active().draft.as_ref().unwrap();
    assert_eq!(draft.url.text(), "https://api.example.com/v1/chat");
    assert_eq!(draft.auth.token.text(), "${env:OPENAI_API_KEY}");
}

#[test]
fn a_windows_curl_exe_command_pasted_on_the_url_is_imported_too() {
    let mut s = state();
    update(&mut s, ch('r'));
    // Firefox's "Copy as cURL (Windows)": curl.exe, cmd escapes, ^ line ends.
    let curl = "curl.exe ^\"https://api.example.com/v1/feed?x=1^\" ^\r\n  -H ^\"Accept: text/event-stream^\"";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    let draft = s.active().draft.as_ref().unwrap();
    // The query goes to the editor's query rows.
    assert_eq!(draft.url.text(), "https://api.example.com/v1/feed");
    assert!(
        s.notice.as_deref().unwrap().starts_with("imported"),
        "{:?}",
        s.notice
    );
}

#[test]
fn a_broken_curl_command_is_reported_and_the_draft_kept() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(
        &mut s,
        Msg::Input(TermEvent::Paste("curl 'unbalanced".into())),
    );
    assert!(s.notice.as_deref().unwrap().contains("curl command"));
    assert_eq!(s.active().draft.as_ref().unwrap().url.text(), "http://h/s");
}

#[test]
fn c_starts_and_stops_recording_the_tab_and_the_status_shows_it() {
    let mut s = state();
    let effects = update(&mut s, ch('C'));
    assert!(matches!(
        &effects[..],
        [Effect::StartRecording { tab: TAB1, .. }]
    ));
    assert!(s.active().recording.is_none(), "only once the file exists");
    update(
        &mut s,
        Msg::Recording {
            tab: TAB1,
            result: Ok("ssetui-1.ssecap".into()),
        },
    );
    assert_eq!(
        s.active().recording.as_deref(),
        Some(std::path::Path::new("ssetui-1.ssecap"))
    );
    assert_eq!(
        update(&mut s, ch('C')),
        vec![Effect::StopRecording { tab: TAB1 }]
    );
    assert!(s.active().recording.is_none());
    update(
        &mut s,
        Msg::Recording {
            tab: TAB1,
            result: Err("disk full".into()),
        },
    );
    assert!(s.notice.as_deref().unwrap().contains("disk full"));
}

#[test]
fn a_session_saved_as_a_capture_reads_back_with_its_attempts_bytes_and_times() {
    let mut s = state();
    // Markers are stamped with the clock when they are logged: reads are
    // stamped just after, as they would be live.
    let base = SystemTime::now();
    let at = |ms: u64| base + Duration::from_millis(ms);
    let data = |bytes: &[u8], offset: u64, seq: u64, attempt: u32, ms: u64| {
        let ConnMsg::Data(mut c) = chunk(bytes, offset, seq) else {
            unreachable!()
        };
        c.attempt = attempt;
        c.received_at = at(ms);
        conn(ConnMsg::Data(c))
    };
    update(&mut s, conn(opened()));
    let first: &[u8] = b"id: 1\ndata: one\n\n: ping\n\nid: 2\ndata: two\n\ndata: cut";
    update(&mut s, data(first, 0, 1, 1, 10));
    update(
        &mut s,
        conn(ConnMsg::StreamEnded {
            attempt: 1,
            discarded: Some(first.len() as u64 - 9..first.len() as u64),
            end_marker: None,
        }),
    );
    update(
        &mut s,
        conn(ConnMsg::ReconnectScheduled {
            next_attempt: 2,
            delay: Duration::from_millis(500),
            last_event_id: "2".into(),
        }),
    );
    let ConnMsg::Opened { response, .. } = opened() else {
        unreachable!()
    };
    update(
        &mut s,
        conn(ConnMsg::Opened {
            attempt: 2,
            response,
        }),
    );
    let second: &[u8] = b"id: 3\r\ndata: three\r\n\r\n";
    update(&mut s, data(second, first.len() as u64, 3, 2, 900));
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: crate::sse::CloseReason::Stopped,
        }),
    );

    let effects = update(&mut s, ch('S'));
    let [Effect::Save { files, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let capture = crate::capture::from_reader(&files[1].1[..]).unwrap();
    assert_eq!(capture.damaged, None);
    let events: Vec<(u32, String, String)> = capture
        .events()
        .into_iter()
        .map(|e| (e.attempt, e.event.id.to_string(), e.event.data.to_string()))
        .collect();
    assert_eq!(
        events,
        [
            (1, "1".into(), "one".into()),
            (1, "2".into(), "two".into()),
            (2, "3".into(), "three".into())
        ]
    );
    // Every byte, in order: the keep-alive and the cut-off block too.
    let bytes: Vec<u8> = capture
        .records
        .iter()
        .filter_map(|r| match r {
            crate::capture::Record::Read { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(bytes, [first, second].concat());
    let kinds: Vec<String> = capture
        .records
        .iter()
        .map(|r| {
            format!("{r:?}")
                .split([' ', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("Open"));
    assert!(kinds.contains(&"Ended".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"Reconnect".to_owned()), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "Open").count(), 2);
    assert_eq!(kinds.last().map(String::as_str), Some("Close"));
    // Times are kept relative to the first message.
    let last_read_t = capture
        .records
        .iter()
        .filter_map(|r| match r {
            crate::capture::Record::Read { t, .. } => Some(*t),
            _ => None,
        })
        .max();
    assert!(last_read_t >= Some(890), "{last_read_t:?}");
}

/// A request as `ssetui open` gives it for a capture recorded without its
/// secrets: the auth header holds the mask, flagged as redacted.
fn captured() -> AppState {
    let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
    spec.headers = vec![
        ("Accept".into(), "text/event-stream".into()),
        ("Authorization".into(), "Bearer ***".into()),
    ];
    spec.redacted = vec![crate::sse::Field::Header(1)];
    AppState::new(spec, "capture".into())
}

fn header_value_slot() -> Slot {
    Slot::Row(
        crate::state::request_form::List::Headers,
        1,
        crate::state::request_form::Part::Value,
    )
}

#[test]
fn a_redacted_value_is_never_sent_c_and_ctrl_r_focus_it_and_say_why() {
    let mut s = captured();
    for key in ["c", "R", "Ctrl-R"] {
        let msg = match key {
            "Ctrl-R" => ctrl('r'),
            letter => ch(letter.chars().next().unwrap()),
        };
        let effects = update(&mut s, msg);
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(s.active().editor_open, "{key} opens the editor");
        let draft = s.active().draft.as_ref().unwrap();
        assert_eq!(draft.focus(), header_value_slot(), "{key}");
        assert!(
            draft
                .error(header_value_slot())
                .is_some_and(|e| e.contains("redacted")),
            "{:?}",
            draft.error(header_value_slot())
        );
        let notice = s.notice.as_deref().unwrap();
        assert!(
            notice.contains("Authorization") && notice.contains("not sent"),
            "{key}: {notice}"
        );
        update(&mut s, key_esc());
    }
    // Ctrl-R in the editor, the value untouched: still refused.
    update(&mut s, ch('r'));
    assert!(
        update(&mut s, ctrl('r')).is_empty(),
        "the mask is never sent"
    );
    // Typed in: sent, and the request is the user's now.
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ctrl('u'));
    type_text(&mut s, "Bearer tok-typed");
    update(&mut s, key_esc());
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.headers[1].1, "Bearer tok-typed");
    assert!(s.active().request.redacted.is_empty());
}

#[test]
fn a_request_with_a_redacted_value_is_not_saved_as_a_profile() {
    let mut s = captured();
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(RequestSpec::get("http://h/s".parse().unwrap())),
    });
    assert!(update(&mut s, ch('P')).is_empty());
    assert!(
        s.notice.as_deref().unwrap().contains("not saved"),
        "{:?}",
        s.notice
    );
    assert_eq!(
        s.active().draft.as_ref().unwrap().focus(),
        header_value_slot()
    );
}

#[test]
fn a_typed_env_reference_is_resolved_when_sent_and_kept_in_the_request() {
    let mut s = state();
    s.env = crate::sse::Env::fixed(&[("SSETUI_TOK", "tok-from-env")]);
    update(&mut s, ch('r'));
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Key");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "${env:SSETUI_TOK}");
    update(&mut s, key_esc());
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.headers[0], ("X-Key".into(), "tok-from-env".into()));
    assert_eq!(
        s.active().request.headers[0].1,
        "${env:SSETUI_TOK}",
        "the request keeps the reference (a save writes it, never the value)"
    );
    // Reconnecting resolves again; an unset variable is said on its field.
    update(&mut s, ch('r'));
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Other");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "${env:SSETUI_NOT_SET}");
    update(&mut s, key_esc());
    assert!(update(&mut s, ctrl('r')).is_empty(), "nothing sent");
    let draft = s.active().draft.as_ref().unwrap();
    let error = draft.error(draft.focus()).unwrap_or_default();
    assert!(error.contains("SSETUI_NOT_SET"), "{error}");
    assert_eq!(
        draft.input(draft.focus()).unwrap().text(),
        "${env:SSETUI_NOT_SET}"
    );
}

#[test]
fn p_saves_the_editors_draft_and_the_tab_shows_modified_as_soon_as_it_differs() {
    let mut s = state();
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "mine".into(),
        saved: Box::new(s.active().request.clone()),
    });
    // r, add header X-Trace: abc123, Esc Esc, P: the header is in what is saved.
    update(&mut s, ch('r'));
    assert!(
        !s.active().profile_modified(),
        "an untouched draft is the profile"
    );
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Trace");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "abc123");
    assert!(
        s.active().profile_modified(),
        "modified while typing, before anything is sent"
    );
    update(&mut s, key_esc());
    update(&mut s, key_esc());
    assert!(!s.active().editor_open);
    assert!(s.active().profile_modified());
    let effects = update(&mut s, ch('P'));
    let [
        Effect::SaveProfile {
            name,
            spec,
            overwrite: true,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(name, "mine");
    assert!(
        spec.headers.contains(&("X-Trace".into(), "abc123".into())),
        "{:?}",
        spec.headers
    );
    let saved = spec.clone();
    update(
        &mut s,
        Msg::ProfilesChanged {
            list: summaries(&["mine"]),
            change: ProfileChange::Saved {
                tab: TAB1,
                name: "mine".into(),
                spec: saved,
                plain_secrets: Vec::new(),
            },
        },
    );
    assert!(
        !s.active().profile_modified(),
        "saved: the draft is the profile"
    );
    // From inside the editor: P in navigation, Ctrl-S while a field is edited.
    update(&mut s, ch('r'));
    let effects = update(&mut s, ch('P'));
    assert!(
        matches!(&effects[..], [Effect::SaveProfile { .. }]),
        "{effects:?}"
    );
    assert!(s.active().editor_open, "the editor stays open");
    // Up to the URL (g: the method, j: the URL) and into it.
    update(&mut s, ch('g'));
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "/more");
    let effects = update(&mut s, ctrl('s'));
    let [Effect::SaveProfile { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://h/s/more");
    assert!(
        s.active().draft.as_ref().unwrap().is_editing(),
        "still editing the field"
    );
}

#[test]
fn p_in_the_editor_without_a_profile_asks_a_name_over_it_and_saves_the_draft() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "/drafted");
    update(&mut s, key_esc());
    update(&mut s, ch('P'));
    assert!(picker_of(&s).is_some(), "a name is asked");
    type_text(&mut s, "new");
    let effects = update(&mut s, key(KeyCode::Enter));
    let [
        Effect::SaveProfile {
            name,
            spec,
            overwrite: false,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        (name.as_str(), spec.url.as_str()),
        ("new", "http://h/s/drafted")
    );
}

fn key_esc() -> Msg {
    key(KeyCode::Esc)
}

#[test]
fn the_answer_path_set_in_the_editor_reassembles_the_answer_without_reconnecting() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(chunk(
            b"data: {\"message\":{\"content\":\"Hi \"}}\n\ndata: {\"message\":{\"content\":\"there\"}}\n\n",
            0,
            1,
        )),
    );
    assert_eq!(s.active().insight.transcript.text(), "", "no known shape");
    update(&mut s, ch('r'));
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text("message[");
    assert!(update(&mut s, ctrl('r')).is_empty());
    assert!(
        s.notice.as_deref().unwrap().starts_with("not sent"),
        "{:?}",
        s.notice
    );
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text(".message.content");
    let effects = update(&mut s, ctrl('r'));
    assert!(effects.is_empty(), "the stream goes on: {effects:?}");
    assert_eq!(s.active().insight.transcript.text(), "Hi there");
    assert!(!s.active().editor_open);
    // Opened again, the editor shows the path in force.
    update(&mut s, ch('r'));
    assert_eq!(
        s.active().draft.as_ref().unwrap().answer_path.text(),
        ".message.content"
    );
}

#[test]
fn an_answer_reassembled_after_a_reconnect_holds_only_the_current_attempt() {
    let mut s = state();
    let request = SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![],
        body_len: None,
        last_event_id: None,
    };
    let connecting = |attempt| {
        conn(ConnMsg::Connecting {
            attempt,
            request: request.clone(),
        })
    };
    update(&mut s, connecting(1));
    update(&mut s, conn(opened()));
    let first: &[u8] = b"data: {\"message\":{\"content\":\"old \"}}\n\n";
    update(&mut s, conn(chunk(first, 0, 1)));
    update(&mut s, connecting(2));
    // Stream offsets go on across attempts, as the connection counts them.
    let offset = first.len() as u64;
    let mut second = chunk(b"data: {\"message\":{\"content\":\"new\"}}\n\n", offset, 2);
    if let ConnMsg::Data(chunk) = &mut second {
        chunk.attempt = 2;
    }
    update(&mut s, conn(second));
    assert_eq!(s.active().log.events_received(), 2);

    update(&mut s, ch('r'));
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text(".message.content");
    update(&mut s, ctrl('r'));
    assert_eq!(
        s.active().insight.transcript.text(),
        "new",
        "as the live answer restarted at attempt 2"
    );
}
