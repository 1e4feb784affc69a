//! `update`'s unit tests, a file per concern as `update` is; the helpers
//! that build states and messages are here.

mod connection;
mod editor;
mod explain;
mod export;
mod history;
mod keys;
mod mouse;
mod profiles;
mod tabs;

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
use crate::state::profile_picker::ProfileSummary;
use crate::state::request_form::Slot;
use crate::state::{
    AppState, ConnId, ConnStatus, DEFAULT_PAGE, DetailMode, Focus, FrameLayout, HelpPage, Overlay,
    RowKind, TabId,
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
        facts: None,
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

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(s, ch(c));
    }
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

fn ctrl(c: char) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
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

fn key_esc() -> Msg {
    key(KeyCode::Esc)
}
