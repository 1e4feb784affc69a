//! Exports of the tab shown: its selected event's data or its request as
//! curl to the clipboard, the selected event's exact bytes (`s`), and the
//! whole retained stream as NDJSON and a capture (`S`).

use std::path::PathBuf;

use crate::message::Effect;
use crate::state::{RowKind, Session};

/// The selected event's data to the clipboard, or why not.
pub(super) fn copy_data(session: &Session) -> Result<Effect, String> {
    match session.selected_row().map(|r| r.kind) {
        Some(RowKind::Event { event, .. }) => Ok(Effect::Copy(event.data.to_string())),
        _ => Err("select an event to copy its data".into()),
    }
}

/// The request as a curl command to the clipboard.
pub(super) fn copy_curl(session: &Session) -> Effect {
    Effect::Copy(crate::curl::to_curl(&session.request, false))
}

/// The selected event's exact bytes, with the blank line that ended it.
pub(super) fn save_event(session: &Session) -> Result<Effect, String> {
    let Some(row) = session.selected_row() else {
        return Err("select an event to save it".into());
    };
    let (RowKind::Event { seq, event }, Some(raw)) = (&row.kind, row.raw()) else {
        return Err("select an event to save it".into());
    };
    let Some(mut contents) = session.log().raw_bytes(raw) else {
        return Err("this event's bytes are no longer kept".into());
    };
    contents.extend_from_slice(session.log().terminator_after(raw.end));
    let what = format!("event {seq} ({} bytes)", contents.len());
    let path = PathBuf::from(format!(
        "ssetui-event-{seq}-id-{}.sse",
        file_safe(&event.id)
    ));
    Ok(Effect::Save {
        files: vec![(path, contents)],
        what,
    })
}

/// Every retained event as NDJSON, in the schema `ssetui print` writes, and
/// the whole retained session (bytes, timing, reconnects) as a capture that
/// `ssetui open`, `serve --replay` and `check --capture` take.
pub(super) fn save_stream(session: &Session) -> Result<Effect, String> {
    // A snapshot shares the log's rows and bytes: taken here at once, read
    // and written off the UI task however large the log.
    let snapshot = session.log().snapshot();
    let Some(first) = snapshot.first_event_at() else {
        return Err("no events to save yet".into());
    };
    let stamp: String = humantime::format_rfc3339_millis(first)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    Ok(Effect::SaveStream {
        snapshot: Box::new(snapshot),
        request: Box::new(session.request.clone()),
        ndjson: PathBuf::from(format!("ssetui-stream-{stamp}.ndjson")),
        capture: PathBuf::from(format!("ssetui-stream-{stamp}.ssecap")),
        from_oldest_retained: session.log().dropped_rows() > 0,
    })
}

/// An id as part of a file name: letters, digits, `-` and `_` only.
fn file_safe(id: &str) -> String {
    let safe: String = id
        .chars()
        .take(40)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() { "none".into() } else { safe }
}
