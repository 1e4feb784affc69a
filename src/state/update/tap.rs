//! `ssetui tap` in the UI: the first tab lists every exchange, a line each
//! as it is over (or, for an event stream, as it begins); each event-stream
//! exchange gets a tab of its own, fed as a connection's would be, so Raw,
//! Wire, Answer, Checks, Stats, search and jq work on it unchanged. A new
//! exchange's tab opens beside the others without taking the screen from
//! the tab in view.

use crate::sse::ConnMsg;
use crate::state::AppState;
use crate::tap::TapMsg;

/// Folds one of the tap's messages into the tabs.
pub(super) fn observed(state: &mut AppState, msg: TapMsg) {
    let Some(overview) = state.tap.as_ref().map(|tap| tap.overview) else {
        return;
    };
    match msg {
        TapMsg::Stream {
            exchange,
            method,
            path,
            spec,
        } => {
            let title = format!("#{exchange} {method} {path}");
            let tab = state.append_tab(*spec, title.clone());
            if let Some(session) = state.tab_mut(tab) {
                session.offline = Some(
                    "a tapped exchange: the client's stream as it passed the tap; \
                     the client reconnects, not ssetui"
                        .into(),
                );
            }
            let id = super::connection::begin(state, tab);
            if let Some(tap) = &mut state.tap {
                tap.streams.insert(exchange, id);
                tap.exchanges += 1;
                tap.stream_count += 1;
            }
            overview_line(
                state,
                overview,
                format!("{title} → event stream (its own tab)"),
            );
        }
        TapMsg::Conn { exchange, msg } => {
            let Some(id) = state
                .tap
                .as_ref()
                .and_then(|t| t.streams.get(&exchange).copied())
            else {
                return;
            };
            let closed = matches!(msg, ConnMsg::Closed { .. });
            super::conn(state, id, msg);
            if closed && let Some(tap) = &mut state.tap {
                tap.streams.remove(&exchange);
            }
        }
        TapMsg::Other(summary) => {
            if let Some(tap) = &mut state.tap {
                tap.exchanges += 1;
            }
            overview_line(state, overview, summary.line());
        }
        // Only for the recorder's captures.
        TapMsg::Plain { .. } | TapMsg::PlainRead { .. } => {}
    }
}

/// A line in the tab that lists the exchanges.
fn overview_line(state: &mut AppState, overview: crate::state::TabId, text: String) {
    if let Some(session) = state.tab_mut(overview) {
        session.push_marker(0, text, None, None);
    }
}
