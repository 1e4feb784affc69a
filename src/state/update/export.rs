//! Exports of the tab shown: its selected event's data or its request as
//! curl to the clipboard, the selected event's exact bytes (`s`), and the
//! whole retained stream as NDJSON and a capture (`S`).

use std::path::PathBuf;

use crate::capture::ndjson;
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
    let mut contents = Vec::new();
    let mut count = 0u64;
    let mut first_time = None;
    for row in session.log().rows() {
        if let RowKind::Event { seq, event } = &row.kind {
            let time = humantime::format_rfc3339_millis(row.received_at).to_string();
            first_time.get_or_insert_with(|| time.clone());
            // The same bytes `ssetui print` writes (a terminal's characters
            // escaped), from the same writer.
            let time = ndjson::json_string(&time);
            if ndjson::write_event(&mut contents, event, *seq, row.attempt, &time, None).is_ok() {
                count += 1;
            }
        }
    }
    let Some(first_time) = first_time else {
        return Err("no events to save yet".into());
    };
    let stamp: String = first_time
        .chars()
        .filter(char::is_ascii_digit)
        .take(14)
        .collect();
    let capture = crate::capture::writer::encode(&session.request, &session.log().replay());
    let dropped = if session.log().dropped_rows() > 0 {
        " (from the oldest retained row)"
    } else {
        ""
    };
    Ok(Effect::Save {
        files: vec![
            (
                PathBuf::from(format!("ssetui-stream-{stamp}.ndjson")),
                contents,
            ),
            (
                PathBuf::from(format!("ssetui-stream-{stamp}.ssecap")),
                capture,
            ),
        ],
        what: format!("{count} events as NDJSON and the session as a capture{dropped}"),
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
