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
    // A hostile file's times cannot overflow the clock.
    let at = |t: u64| crate::limits::time::later_wall(started, Duration::from_millis(t));
    let request = &capture.header.request;
    let mut messages = Vec::new();
    let mut parser = None;
    let mut offset = 0;
    let mut seq = 0;
    // The attempt last opened: a reconnect schedules the one after it.
    let mut current = 1;
    let mut last_event_id = request.last_event_id.clone();
    // An MCP connection's messages become rows as they did live.
    let mut mcp_rows = crate::mcp::live::rows::Rows::default();
    // When the next attempt began (its request sent), for captures that do
    // not record the time to first byte.
    let mut attempt_began = 0;
    // An attempt's request as the header recorded it, sending `last_event_id`.
    let connecting = |attempt: u32, last_event_id: &str| ConnMsg::Connecting {
        attempt,
        request: SentRequest {
            method: request.method.clone(),
            url: request.url.clone(),
            headers: request.headers.clone(),
            body_len: request.body.as_ref().map(String::len),
            last_event_id: Some(last_event_id.to_owned()).filter(|id| !id.is_empty()),
        },
    };
    let response_info = |open: &super::Open, ttfb: u64| ResponseInfo {
        status: open.status,
        version: open.version.clone(),
        headers: open.headers.clone(),
        redirects: Vec::new(),
        final_url: request.url.clone(),
        time_to_first_byte: Duration::from_millis(ttfb),
    };
    for record in &capture.records {
        match record {
            Record::Open { attempt, open, t } => {
                current = *attempt;
                let ttfb = open.ttfb_ms.unwrap_or(t.saturating_sub(attempt_began));
                messages.push(connecting(*attempt, &last_event_id));
                messages.push(ConnMsg::Opened {
                    attempt: *attempt,
                    response: response_info(open, ttfb),
                });
                // Each attempt's body is parsed afresh; the last event ID carries
                // over, and stream offsets go on counting, as the live connection's do
                // (the UI's wire log finds each event's bytes by them).
                parser = Some(capture.body_parser(last_event_id.clone(), offset));
            }
            Record::Read { t, attempt, bytes } => {
                let parser =
                    parser.get_or_insert_with(|| capture.body_parser(String::new(), offset));
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
                    facts: parser.take_facts(),
                }));
                offset += len;
            }
            Record::Ended {
                attempt,
                end_marker,
                ..
            } => messages.push(ConnMsg::StreamEnded {
                end_marker: end_marker
                    .as_deref()
                    .and_then(crate::sse::end_marker::named),
                attempt: *attempt,
                discarded: None,
            }),
            Record::Error {
                attempt,
                message,
                response: None,
                ..
            } => messages.push(ConnMsg::Error {
                attempt: *attempt,
                error: ConnError::new(ErrorKind::Network, message.clone()),
            }),
            Record::Error {
                attempt,
                message,
                response: Some(open),
                t,
            } => {
                // A rejected response: its attempt was sent as any other, and
                // its head explains the failure, as it did live.
                current = *attempt;
                messages.push(connecting(*attempt, &last_event_id));
                let kind = if open.status == 200 {
                    ErrorKind::ContentType
                } else {
                    ErrorKind::Status
                };
                let mut error = ConnError::new(kind, message.clone());
                error.status = Some(open.status);
                let ttfb = open.ttfb_ms.unwrap_or(t.saturating_sub(attempt_began));
                error.response = Some(Box::new(response_info(open, ttfb)));
                messages.push(ConnMsg::Error {
                    attempt: *attempt,
                    error,
                });
            }
            Record::Reconnect { reconnect, t } => {
                attempt_began = t.saturating_add(reconnect.delay_ms);
                messages.push(ConnMsg::ReconnectScheduled {
                    next_attempt: current + 1,
                    delay: Duration::from_millis(reconnect.delay_ms),
                    last_event_id: reconnect.last_event_id.clone(),
                });
            }
            Record::Negotiated {
                attempt,
                negotiation,
                ..
            } => {
                if !messages
                    .iter()
                    .any(|m| matches!(m, ConnMsg::Connecting { .. }))
                {
                    messages.push(connecting(*attempt, &last_event_id));
                }
                messages.push(ConnMsg::Negotiated {
                    attempt: *attempt,
                    negotiation: negotiation.clone(),
                });
            }
            Record::Message { t, message } => {
                let mut chunk = mcp_rows.chunk(message);
                chunk.received_at = at(*t);
                messages.push(ConnMsg::Data(chunk));
            }
            Record::Close { reason, t } => {
                messages.push(ConnMsg::Closed {
                    reason: super::close_reason(reason),
                });
                // A tab saved with several connections goes on with the
                // next one, which starts from the request again: its own
                // Last-Event-ID and event numbers (byte offsets go on, as
                // the tab's log counts them).
                last_event_id.clone_from(&request.last_event_id);
                seq = 0;
                parser = None;
                attempt_began = *t;
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::StreamItem;

    #[test]
    fn stream_offsets_go_on_across_attempts_as_the_live_connection_counts_them() {
        let text = concat!(
            r#"{"ssecap":1,"request":{"method":"GET","url":"http://x/s","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
            "\n",
            r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#,
            "\n",
            r#"{"t":1,"read":"aWQ6IDEKZGF0YTogb25lCgo="}"#,
            "\n",
            r#"{"t":2,"attempt":1,"ended":0}"#,
            "\n",
            r#"{"t":3,"reconnect":{"delay_ms":1,"last_event_id":"1"}}"#,
            "\n",
            r#"{"t":4,"attempt":2,"open":{"status":200,"headers":[],"version":"HTTP/1.1"}}"#,
            "\n",
            r#"{"t":5,"read":"ZGF0YTogdHdvCgo="}"#,
            "\n",
        );
        let capture = crate::capture::from_reader(text.as_bytes()).unwrap();
        let messages = to_messages(&capture);
        let chunks: Vec<&Chunk> = messages
            .iter()
            .filter_map(|m| match m {
                ConnMsg::Data(chunk) => Some(chunk),
                _ => None,
            })
            .collect();
        let [first, second] = chunks[..] else {
            panic!("{chunks:?}")
        };
        assert_eq!(second.offset, first.bytes.len() as u64);
        // The same raw ranges as the capture's own events, which count over the whole capture.
        let raw: Vec<_> = chunks
            .iter()
            .flat_map(|c| &c.items)
            .filter_map(|item| match item {
                StreamItem::Event { event, .. } => Some((event.raw.clone(), event.id.to_string())),
                StreamItem::Block(_) => None,
            })
            .collect();
        let expected: Vec<_> = capture
            .events()
            .into_iter()
            .map(|e| (e.event.raw, e.event.id.to_string()))
            .collect();
        assert_eq!(raw, expected);
        assert_eq!(raw[1].1, "1", "the id carries over to attempt 2");
    }
}
