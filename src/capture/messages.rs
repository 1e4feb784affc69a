//! A capture turned back into the messages a live connection sends, so the
//! UI shows a recording exactly as it showed the stream: the same markers,
//! the same reads, the same events (parsed again by our parser), the same
//! times. Plain `.sse` bodies are read as one attempt with one read.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::{Capture, Record};
use crate::sse::{
    Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, Numbering, ResponseInfo, SentRequest,
};

/// The messages of every attempt in `capture`, in order.
pub fn to_messages(capture: &Capture) -> Vec<ConnMsg> {
    let started =
        humantime::parse_rfc3339_weak(&capture.header.started).unwrap_or(SystemTime::UNIX_EPOCH);
    let at = |t: u64| started + Duration::from_millis(t);
    let request = &capture.header.request;
    let mut messages = Vec::new();
    let mut parser = None;
    let mut offset = 0;
    let mut seq = 0;
    // The attempt last opened: a reconnect schedules the one after it.
    let mut current = 1;
    let mut last_event_id = request.last_event_id.clone();
    for record in &capture.records {
        match record {
            Record::Open { attempt, open, t } => {
                current = *attempt;
                let sent_id = Some(last_event_id.clone()).filter(|id| !id.is_empty());
                messages.push(ConnMsg::Connecting {
                    attempt: *attempt,
                    request: SentRequest {
                        method: request.method.clone(),
                        url: request.url.clone(),
                        headers: request.headers.clone(),
                        body_len: request.body.as_ref().map(String::len),
                        last_event_id: sent_id,
                    },
                });
                messages.push(ConnMsg::Opened {
                    attempt: *attempt,
                    response: ResponseInfo {
                        status: open.status,
                        version: open.version.clone(),
                        headers: open.headers.clone(),
                        redirects: Vec::new(),
                        final_url: request.url.clone(),
                        time_to_first_byte: Duration::from_millis(*t),
                    },
                });
                // Each attempt's body is parsed afresh; the last event ID carries over.
                parser = Some(capture.body_parser(last_event_id.clone(), 0));
                offset = 0;
            }
            Record::Read { t, attempt, bytes } => {
                let parser = parser.get_or_insert_with(|| capture.body_parser(String::new(), 0));
                let bytes = Bytes::copy_from_slice(bytes);
                let mut items = Vec::new();
                // A capture past the size limit still opens: what parsed is shown.
                let _ = parser.feed(
                    &bytes,
                    &mut Numbering {
                        items: &mut items,
                        seq: &mut seq,
                    },
                );
                // As the live connection does: the parser's id carries over
                // to the next attempt (id-only blocks included).
                last_event_id = parser.last_event_id().to_owned();
                let len = bytes.len() as u64;
                messages.push(ConnMsg::Data(Chunk {
                    attempt: *attempt,
                    offset,
                    bytes,
                    received_at: at(*t),
                    items,
                }));
                offset += len;
            }
            Record::Ended { attempt, .. } => messages.push(ConnMsg::StreamEnded {
                attempt: *attempt,
                discarded: None,
            }),
            Record::Error {
                attempt, message, ..
            } => messages.push(ConnMsg::Error {
                attempt: *attempt,
                error: ConnError::new(ErrorKind::Network, message.clone()),
            }),
            Record::Reconnect { reconnect, .. } => {
                messages.push(ConnMsg::ReconnectScheduled {
                    next_attempt: current + 1,
                    delay: Duration::from_millis(reconnect.delay_ms),
                    last_event_id: reconnect.last_event_id.clone(),
                });
            }
            Record::Close { reason, .. } => messages.push(ConnMsg::Closed {
                reason: if reason.contains("204") {
                    CloseReason::NoContent
                } else {
                    CloseReason::Ended
                },
            }),
        }
    }
    if !messages.iter().any(|m| matches!(m, ConnMsg::Closed { .. })) {
        let reason = match &capture.damaged {
            Some(damage) => CloseReason::Failed(ConnError::new(
                ErrorKind::Decode,
                format!("the capture is damaged: {damage}"),
            )),
            None => CloseReason::Stopped,
        };
        messages.push(ConnMsg::Closed { reason });
    }
    messages
}
