//! Capture files (`*.ssecap`): a connection recorded byte for byte with its
//! timing, read back later, or served again as a stream.
//!
//! Events are not stored: they are re-derived from the recorded reads by the
//! same parser the live connection uses, so nothing the wire carried is lost
//! (read boundaries, comments, timing, reconnects). The format is described
//! in `docs/capture-format.md`.

pub mod format;
pub mod messages;
pub mod ndjson;
pub mod piped;
pub mod reader;
pub mod recording;
pub mod replay;
pub mod writer;

pub use format::{Header, Open, Reconnect, Record, RequestInfo, VERSION};
pub use messages::to_messages;
pub use reader::{Capture, CaptureError, CapturedEvent, from_reader, read};
pub use recording::{Recording, load_recording, spec_from};
pub use replay::{ReplayOptions, Speed};
pub use writer::{CaptureWriter, request_info};

use crate::sse::CloseReason;

/// The reason a `close` record's text stands for ([`close_text`] read back).
/// A failure keeps its message; its kind is not recorded.
fn close_reason(text: &str) -> CloseReason {
    use crate::sse::{ConnError, ErrorKind};
    let gave_up = text.strip_prefix("gave up after ").and_then(|rest| {
        let (attempts, last) = rest.split_once(" attempts: ")?;
        Some((attempts.parse().ok()?, last))
    });
    match text {
        "ended" => CloseReason::Ended,
        "stopped" => CloseReason::Stopped,
        _ if text.contains("204") => CloseReason::NoContent,
        _ => match (gave_up, text.strip_prefix("failed: ")) {
            (Some((attempts, last)), _) => CloseReason::RetriesExhausted {
                attempts,
                last: ConnError::new(ErrorKind::Network, last),
            },
            (None, Some(message)) => {
                CloseReason::Failed(ConnError::new(ErrorKind::Network, message))
            }
            (None, None) => CloseReason::Ended,
        },
    }
}

/// The text of a `close` record.
fn close_text(reason: &CloseReason) -> String {
    match reason {
        CloseReason::Ended => "ended".into(),
        CloseReason::NoContent => "no content (204)".into(),
        CloseReason::Stopped => "stopped".into(),
        CloseReason::Failed(err) => format!("failed: {err}"),
        CloseReason::RetriesExhausted { attempts, last } => {
            format!("gave up after {attempts} attempts: {last}")
        }
    }
}
