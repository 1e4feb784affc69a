//! The tab's connection: starting, stopping and resuming it, recording
//! it, and the fold over its messages (status, the log, the list, the
//! insight).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::editor::refuse;
use crate::message::Effect;
use crate::sse::{CloseReason, ConnMsg, RequestSpec};
use crate::state::{AppState, AttemptInfo, ConnId, ConnStatus, ConnView, RowKind, Session, TabId};

/// The marker of a connection the user stopped.
const DISCONNECTED: &str = "disconnected";

/// Starts (or restarts) the connection of the tab shown with its request as
/// it is sent: its `${env:…}` references resolved. A request that cannot be
/// sent (a value redacted where it came from, a variable not set) is not:
/// the editor opens on the field, saying why.
pub fn connect(state: &mut AppState) -> Vec<Effect> {
    let tab = state.active_id();
    connect_tab(state, tab)
}

/// [`connect`] for tab `tab`.
pub(super) fn connect_tab(state: &mut AppState, tab: TabId) -> Vec<Effect> {
    let env = state.env.clone();
    let Some(session) = state.tab(tab) else {
        return Vec::new();
    };
    if let Some(why) = &session.offline {
        // A recording that holds no request: nothing to connect to.
        state.notice = Some(why.clone());
        return Vec::new();
    }
    match session.request.to_send(&|name| env.get(name)) {
        Ok(sent) => vec![start(state, tab, sent)],
        Err(why) => {
            refuse(state, tab, &why, "not sent");
            Vec::new()
        }
    }
}

/// A new connection for tab `tab` with `sent`, the request as it goes out.
pub(super) fn start(state: &mut AppState, tab: TabId, sent: RequestSpec) -> Effect {
    let id = begin(state, tab);
    let profile = state
        .tab(tab)
        .and_then(|s| s.profile.as_ref())
        .map(|p| p.name.clone());
    Effect::Connect {
        tab,
        id,
        spec: Box::new(sent),
        profile,
    }
}

/// Makes the connection of the tab shown a new one (fresh view and answer,
/// connecting) and returns its id: messages under any other id are stale
/// from now on. A recording replayed into the tab is read under this id too.
pub fn begin_connection(state: &mut AppState) -> ConnId {
    let tab = state.active_id();
    begin(state, tab)
}

/// [`begin_connection`] for tab `tab`.
pub(super) fn begin(state: &mut AppState, tab: TabId) -> ConnId {
    let id = state.new_conn_id();
    if let Some(session) = state.tab_mut(tab) {
        session.conn_id = Some(id);
        session.conn = ConnView {
            // Until its first attempt starts, the new connection's answer is empty.
            attempt_first_row: session.log().end_row(),
            ..ConnView::default()
        };
        session.insight.restart();
        session.contract.restart();
        session.status = ConnStatus::Connecting;
        // An MCP connection starts with nothing negotiated, linked or found.
        session.mcp = session
            .request
            .protocol
            .is_mcp()
            .then(crate::state::mcp::McpTab::default);
        session.insight.mcp = session.mcp.is_some();
    }
    id
}

/// `c`: stops the tab's live connection, or connects it.
pub(super) fn toggle(state: &mut AppState, tab: TabId) -> Vec<Effect> {
    let Some(session) = state.tab_mut(tab) else {
        return Vec::new();
    };
    if !session.is_live() {
        return connect_tab(state, tab);
    }
    session.status = ConnStatus::Closed(DISCONNECTED.into());
    // No connection: anything still in flight from the old task is stale.
    session.conn_id = None;
    let attempt = session.conn.attempt;
    // The close the old task will never get to tell, for a save.
    let closed = ConnMsg::Closed {
        reason: CloseReason::Stopped,
    };
    session.push_marker(attempt, DISCONNECTED.into(), None, Some(closed));
    vec![Effect::Disconnect { tab }]
}

/// `R`: reconnects now, keeping the last event ID (an MCP tab negotiates
/// afresh: its streams resume on their own).
pub(super) fn reconnect(state: &mut AppState, tab: TabId) -> Vec<Effect> {
    if state.tab(tab).is_some_and(|s| s.request.protocol.is_mcp()) {
        return connect_tab(state, tab);
    }
    reconnect_effect(state, tab, Effect::Reconnect { tab })
}

/// Reconnects from the selected event (or block): its id is sent as
/// `Last-Event-ID`.
pub(super) fn resume_from_selected(state: &mut AppState, tab: TabId) -> Vec<Effect> {
    let id = match state
        .tab(tab)
        .and_then(Session::selected_row)
        .map(|r| r.kind)
    {
        Some(RowKind::Event { event, .. }) => Some(event.id.to_string()),
        Some(RowKind::Block(block)) => block.id.map(|id| id.to_string()),
        _ => None,
    };
    match id {
        Some(id) => {
            if id.is_empty() {
                // Resuming from no id is starting over: say so.
                state.notice = Some(
                    "this event has no id: reconnecting from the start, without Last-Event-ID"
                        .into(),
                );
            }
            reconnect_effect(state, tab, Effect::ResumeFrom { tab, id })
        }
        None => {
            state.notice = Some("select an event to resume from it".into());
            Vec::new()
        }
    }
}

/// A reconnect reuses the running task; with none running it starts one.
fn reconnect_effect(state: &mut AppState, tab: TabId, effect: Effect) -> Vec<Effect> {
    let Some(session) = state.tab_mut(tab) else {
        return Vec::new();
    };
    if session.is_live() {
        return vec![effect];
    }
    if let Effect::ResumeFrom { id, .. } = &effect {
        session.request.last_event_id.clone_from(id);
    }
    connect_tab(state, tab)
}

/// `C`: starts recording the tab's connection, or stops it.
pub(super) fn toggle_recording(session: &mut Session) -> Effect {
    let tab = session.id;
    if session.recording.take().is_some() {
        Effect::StopRecording { tab }
    } else {
        Effect::StartRecording {
            tab,
            spec: Box::new(session.request.clone()),
        }
    }
}

/// Recording of tab `tab` started, or could not: the tab and the notice say so.
pub(super) fn recording(state: &mut AppState, tab: TabId, result: Result<PathBuf, String>) {
    let session = state.tab_mut(tab);
    let notice = match (&result, session) {
        (Ok(path), Some(session)) => {
            session.recording = Some(path.clone());
            format!(
                "recording to {} (C stops; ssetui open plays it back)",
                path.display()
            )
        }
        (Ok(path), None) => format!("the tab closed; {} is complete", path.display()),
        (Err(err), session) => {
            if let Some(session) = session {
                session.recording = None;
            }
            format!("not recording: {err}")
        }
    };
    state.notice = Some(notice);
}

/// Folds one message of the tab's connection into the tab: status, counters,
/// the log and the list, the insight.
pub(super) fn fold(state: &mut Session, msg: ConnMsg) {
    let now = Instant::now();
    // A marker keeps the message it stands for, so the log can be saved as
    // a capture; `Connecting` is in the capture's header, reads are bytes.
    let record = match &msg {
        ConnMsg::Connecting { .. } | ConnMsg::Data(_) | ConnMsg::AuthNotice { .. } => None,
        other => Some(other.clone()),
    };
    state.insight.observe(&msg, now);
    match msg {
        // A login's URL or code, in the list where the attempt waits for it.
        ConnMsg::AuthNotice { attempt, text } => marker(state, attempt, text, None),
        // An MCP connection is open once negotiated.
        ConnMsg::Negotiated {
            attempt,
            negotiation,
        } => {
            state.status = ConnStatus::Open;
            state.conn.opened_at = Some(now);
            let text = negotiation.describe();
            state
                .mcp
                .get_or_insert_with(crate::state::mcp::McpTab::default)
                .negotiated = Some(negotiation);
            marker(state, attempt, text, record);
        }
        ConnMsg::Connecting { attempt, request } => {
            state.status = ConnStatus::Connecting;
            state.conn.attempt = attempt;
            // A new record: the previous attempt's response must not pass for this one's.
            state.conn.http_status = None;
            let id = request
                .last_event_id
                .as_deref()
                .map_or(String::new(), |id| format!(" · Last-Event-ID: {id}"));
            let text = format!("attempt {attempt}: {} {}{id}", request.method, request.url);
            state.conn.attempt_info = Some(Arc::new(AttemptInfo {
                request,
                response: None,
            }));
            state.conn.attempt_first_row = state.log().end_row();
            marker(state, attempt, text, None);
        }
        ConnMsg::Opened { attempt, response } => {
            state.status = ConnStatus::Open;
            state.conn.http_status = Some(response.status);
            state.conn.opened_at = Some(now);
            let text = format!(
                "connected: {} {} in {} ms",
                response.status,
                response.version,
                response.time_to_first_byte.as_millis()
            );
            if let Some(info) = &mut state.conn.attempt_info {
                Arc::make_mut(info).response = Some(response);
            }
            marker(state, attempt, text, record);
        }
        ConnMsg::Data(chunk) => {
            let mut last_id = None;
            for item in &chunk.items {
                if let crate::sse::StreamItem::Event { event, .. } = item {
                    last_id = Some(&event.id);
                }
            }
            if let Some(id) = last_id {
                // A copy: the event's id is a slice of the read, which need not live on.
                state.conn.last_event_id.clear();
                state.conn.last_event_id.push_str(id);
            }
            if state.mcp.is_some() {
                let first = state.log().end_row();
                for (row, item) in (first..).zip(chunk.items.iter()) {
                    if let crate::sse::StreamItem::Event { event, .. } = item {
                        super::mcp::note_row(state, row, event.event_type(), &event.data);
                    }
                }
            }
            state.push_chunk(chunk);
        }
        ConnMsg::StreamEnded {
            attempt,
            end_marker,
            ..
        } => {
            let text = match end_marker {
                Some(end) => format!("stream ended by the server after the answer's end ({end})"),
                None => "stream ended by the server".to_owned(),
            };
            marker(state, attempt, text, record)
        }
        ConnMsg::Error { attempt, error } => {
            // A rejected response's head goes with the attempt, as an accepted
            // one's does: the failure's marker shows why (WWW-Authenticate…).
            if let (Some(response), Some(info)) = (&error.response, &mut state.conn.attempt_info) {
                Arc::make_mut(info).response = Some((**response).clone());
            }
            marker(
                state,
                attempt,
                format!("error ({}): {}", error.kind.name(), error.message),
                record,
            )
        }
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => {
            state.status = ConnStatus::Reconnecting {
                // A server's `retry:` or the settings' `retry_delay` can be any length.
                at: crate::limits::time::later(now, delay),
                delay,
            };
            let id = if last_event_id.is_empty() {
                "no Last-Event-ID".to_owned()
            } else {
                format!("Last-Event-ID: {last_event_id}")
            };
            let text = format!(
                "reconnecting in {} (attempt {next_attempt}, {id})",
                crate::text::duration(delay)
            );
            marker(state, next_attempt - 1, text, record);
        }
        ConnMsg::Closed { reason } => {
            let (status, text) = match reason {
                CloseReason::Ended => (
                    ConnStatus::Closed("stream ended".into()),
                    "closed: stream ended".to_owned(),
                ),
                CloseReason::NoContent => (
                    ConnStatus::Closed("204: server said stop".into()),
                    "closed: 204 No Content, the server said stop reconnecting".to_owned(),
                ),
                // The user stopped it: in the UI, only a recording of a
                // disconnect says so (the live one is marked at the key).
                CloseReason::Stopped => (
                    ConnStatus::Closed(DISCONNECTED.into()),
                    DISCONNECTED.to_owned(),
                ),
                CloseReason::Failed(err) => (
                    ConnStatus::Failed(err.message.clone()),
                    format!("failed: {}", err.message),
                ),
                CloseReason::RetriesExhausted { attempts, last } => {
                    let text = format!("gave up after {attempts} attempts: {}", last.message);
                    (ConnStatus::Failed(text.clone()), text)
                }
            };
            state.status = status;
            let attempt = state.conn.attempt;
            marker(state, attempt, text, record);
        }
    }
}

fn marker(state: &mut Session, attempt: u32, text: String, record: Option<ConnMsg>) {
    let info = state.conn.attempt_info.clone();
    state.push_marker(attempt, text, info, record);
}
