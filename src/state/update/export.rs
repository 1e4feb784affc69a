//! Exports of the tab shown: its selected event's data (or raw bytes, the
//! answer, a `jq:` search's values) or its request as curl to the clipboard, the selected event's exact bytes (`s`), and the
//! whole retained stream as NDJSON and a capture (`S`).

use std::path::PathBuf;

use crate::message::Effect;
use crate::state::{DetailMode, RowKind, Session};

/// The most bytes `y` copies of a `jq:` search's values.
const MAX_JQ_COPY_BYTES: usize = 16 * 1024 * 1024;

/// `y`: what the tab shows to the clipboard, or why not: in the Answer
/// view the assembled answer; in the Raw view the selected event's exact
/// bytes; under a `jq:` search its value for each row listed (a line each);
/// else the selected event's data.
pub(super) fn copy_data(session: &Session) -> Result<Effect, String> {
    if session.detail == DetailMode::Answer {
        let text = session.insight.transcript.text();
        if text.is_empty() {
            return Err("no answer assembled yet: nothing to copy".into());
        }
        return Ok(copy(text.as_bytes().to_vec(), "the answer".into(), None));
    }
    if session.detail == DetailMode::Raw {
        return copy_raw(session);
    }
    if let Some(query) = session.search.jq() {
        return copy_jq_values(session, query);
    }
    match session.selected_row().map(|r| r.kind) {
        Some(RowKind::Event { seq, event }) => Ok(copy(
            event.data.as_bytes().to_vec(),
            format!("event {seq}'s data"),
            Some(SAVE_INSTEAD),
        )),
        _ => Err("select an event to copy its data".into()),
    }
}

/// What to do when the terminal ignores OSC 52 and an event was copied.
const SAVE_INSTEAD: &str = "s saves the event to a file instead";

fn copy(bytes: Vec<u8>, what: String, or_else: Option<&'static str>) -> Effect {
    Effect::Copy {
        bytes,
        what,
        or_else,
    }
}

/// The selected event's bytes as received, with the blank line that ended it.
fn copy_raw(session: &Session) -> Result<Effect, String> {
    let row = session.selected_row();
    let Some((RowKind::Event { seq, .. }, Some(raw))) =
        row.as_ref().map(|row| (&row.kind, row.raw()))
    else {
        return Err("select an event to copy its bytes".into());
    };
    let Some(mut bytes) = session.log().raw_bytes(raw) else {
        return Err("this event's bytes are no longer kept".into());
    };
    bytes.extend_from_slice(session.log().terminator_after(raw.end));
    Ok(copy(
        bytes,
        format!("event {seq}'s raw bytes"),
        Some(SAVE_INSTEAD),
    ))
}

/// A `jq:` search's value for every event the list shows that it matches,
/// a line each, as the list shows them.
fn copy_jq_values(session: &Session, query: &crate::insight::jq::Query) -> Result<Effect, String> {
    let mut out = String::new();
    let mut rows = 0usize;
    for pos in 0..session.list.len() {
        let Some(row) = session.visible_row(pos) else {
            continue;
        };
        let RowKind::Event { event, .. } = &row.kind else {
            continue;
        };
        if !session.search.matches(&row) {
            continue;
        }
        let Some(value) = query.extract(&event.data) else {
            continue;
        };
        if out.len() + value.len() + 1 > MAX_JQ_COPY_BYTES {
            break;
        }
        out.push_str(&value);
        out.push('\n');
        rows += 1;
    }
    if rows == 0 {
        return Err("the jq: search has no values on the rows listed".into());
    }
    let what = format!("jq values of {}", crate::text::plural(rows as u64, "row"));
    Ok(copy(out.into_bytes(), what, None))
}

/// `Y`: the request as a curl command to the clipboard.
pub(super) fn copy_curl(session: &Session) -> Effect {
    let command = crate::curl::to_curl(&session.request, false);
    copy(command.into_bytes(), "the request as curl".into(), None)
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
