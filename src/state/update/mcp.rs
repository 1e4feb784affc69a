//! An MCP tab: what its connection tells besides its messages, and the
//! keys that only mean something there (the call panel, the link between a
//! request and its response, cancelling a call).

use crate::mcp::live::{Command, Update};
use crate::message::Effect;
use crate::state::mcp::{McpTab, Probe, role};
use crate::state::{AppState, ConnId, RowKind, Session, TabId};

/// Folds an update of connection `id` of tab `tab` into the tab; an update
/// of a connection the tab no longer has is stale and dropped.
pub(super) fn updated(state: &mut AppState, tab: TabId, id: ConnId, update: Update) {
    let Some(session) = state.tab_mut(tab) else {
        return;
    };
    if session.conn_id != Some(id) {
        return;
    }
    let mcp = session.mcp.get_or_insert_with(McpTab::default);
    if let Some(line) = mcp.apply(update) {
        let attempt = session.conn.attempt;
        session.push_marker(attempt, line, None, None);
    }
    next_ask(session);
}

/// Opens the prompt for the oldest question the server asked, when the tab
/// shows nothing else over it.
fn next_ask(session: &mut Session) {
    if session.overlay.is_some() {
        return;
    }
    if let Some(ask) = session.mcp.as_mut().and_then(|m| m.asks.pop_front()) {
        session.overlay = Some(crate::state::Overlay::McpAsk(Box::new(
            crate::state::mcp_ask::AskPrompt::new(ask),
        )));
    }
}

/// A key in the call panel.
pub(super) fn panel_key(
    state: &mut AppState,
    key: ratatui::crossterm::event::KeyEvent,
) -> Vec<Effect> {
    use crate::state::mcp_panel::PanelAction;
    let tab = state.active_id();
    let session = state.active_mut();
    let Some(mcp) = &mut session.mcp else {
        session.overlay = None;
        return Vec::new();
    };
    let command = match mcp.panel.key(key) {
        PanelAction::None => return Vec::new(),
        PanelAction::Close => {
            session.overlay = None;
            next_ask(session);
            return Vec::new();
        }
        PanelAction::Call { method, params, .. } => Command::Request { method, params },
        PanelAction::Refresh(crate::mcp::calls::ListKind::Resources) => {
            return [
                crate::mcp::calls::ListKind::Resources,
                crate::mcp::calls::ListKind::Templates,
            ]
            .into_iter()
            .map(|kind| Effect::Mcp {
                tab,
                command: Command::List(kind),
            })
            .collect();
        }
        PanelAction::Refresh(kind) => Command::List(kind),
        PanelAction::Cancel => Command::Cancel,
    };
    vec![Effect::Mcp { tab, command }]
}

/// A key in the prompt for the server's question.
pub(super) fn ask_key(
    state: &mut AppState,
    key: ratatui::crossterm::event::KeyEvent,
) -> Vec<Effect> {
    let tab = state.active_id();
    let session = state.active_mut();
    let Some(crate::state::Overlay::McpAsk(prompt)) = &mut session.overlay else {
        return Vec::new();
    };
    match prompt.key(key) {
        crate::state::mcp_ask::AskAction::None => Vec::new(),
        crate::state::mcp_ask::AskAction::Reply { n, result } => {
            session.overlay = None;
            next_ask(session);
            vec![Effect::Mcp {
                tab,
                command: Command::Reply { n, result },
            }]
        }
    }
}

/// Notes which request or response a new row is, for [`jump_to_linked`].
pub(super) fn note_row(session: &mut Session, row: u64, row_type: &str, data: &str) {
    if let Some(mcp) = &mut session.mcp
        && let Some(role) = role(row_type, data)
    {
        mcp.links.note(row, role);
    }
}

/// The keys of an MCP tab; `None` when the tab is not one (the key then
/// says so).
pub(super) fn apply(state: &mut AppState, action: crate::action::Action) -> Vec<Effect> {
    use crate::action::Action;
    let tab = state.active_id();
    let session = state.active_mut();
    if session.mcp.is_none() {
        state.notice =
            Some("not an MCP tab: open one with ssetui mcp URL, or d → an MCP demo".into());
        return Vec::new();
    }
    match action {
        Action::McpPanel => {
            session.overlay = Some(crate::state::Overlay::McpPanel);
            // Each list read afresh as the panel opens.
            crate::mcp::calls::ListKind::ALL
                .into_iter()
                .map(|kind| Effect::Mcp {
                    tab,
                    command: Command::List(kind),
                })
                .collect()
        }
        Action::McpCancel => {
            let running = session.mcp.as_ref().and_then(|m| m.call.as_ref());
            match running {
                Some(call) => {
                    state.notice = Some(format!("cancelling {}", call.method));
                    vec![Effect::Mcp {
                        tab,
                        command: Command::Cancel,
                    }]
                }
                None => {
                    state.notice = Some("no call in flight".into());
                    Vec::new()
                }
            }
        }
        Action::McpProbe => {
            let Some(mcp) = &mut session.mcp else {
                return Vec::new();
            };
            if mcp.probe == Probe::Running {
                state.notice = Some("the probes are running".into());
                return Vec::new();
            }
            let env = state.env.clone();
            let session = state.active_mut();
            match session.request.to_send(&|name| env.get(name)) {
                Ok(spec) => {
                    if let Some(mcp) = &mut session.mcp {
                        mcp.probe = Probe::Running;
                    }
                    session.detail = crate::state::DetailMode::Checks;
                    vec![Effect::ProbeMcp {
                        tab,
                        spec: Box::new(spec),
                    }]
                }
                Err(why) => {
                    state.notice = Some(format!("not probed: {why}"));
                    Vec::new()
                }
            }
        }
        Action::JumpToLinked => {
            if let Err(why) = jump_to_linked(session) {
                state.notice = Some(why.into());
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Selects the response of the selected request, or the request of the
/// selected response, wherever it arrived.
fn jump_to_linked(session: &mut Session) -> Result<(), &'static str> {
    let Some(RowKind::Event { event, .. }) = session.selected_row().map(|r| r.kind) else {
        return Err("select a request or a response");
    };
    let role = role(event.event_type(), &event.data)
        .ok_or("this message is a notification or no JSON-RPC message: it has no other half")?;
    let other = session
        .mcp
        .as_ref()
        .and_then(|mcp| mcp.links.other(&role))
        .ok_or(match role {
            crate::state::mcp::Role::Request(..) => "no response to this request yet",
            crate::state::mcp::Role::Response(..) => "no request with this id was seen",
        })?;
    let pos = session
        .list
        .position_of(other)
        .ok_or("the other half is not listed (filtered out, or dropped from the log)")?;
    session.select(pos);
    Ok(())
}

/// The probes of tab `tab`'s server ended.
pub(super) fn probed(
    state: &mut AppState,
    tab: TabId,
    result: Result<(String, Vec<crate::check::core::mcp::Finding>), String>,
) {
    let Some(mcp) = state.tab_mut(tab).and_then(|s| s.mcp.as_mut()) else {
        return;
    };
    mcp.probe = match result {
        Ok((target, findings)) => Probe::Done { target, findings },
        Err(why) => Probe::Failed(why),
    };
}
