//! `print -v`: the connection's state changes on stderr, curl-like.

use std::io::{self, Write};

use crate::sse::{self, CloseReason, ConnMsg};
use crate::text::one_line;

/// `-v`: each state change on stderr, curl-like (`>` sent, `<` received, `*` info, `!` error).
/// Every value a server, a file or a user gave is neutralised on its line.
pub(super) fn verbose(msg: &ConnMsg) {
    let text = lines(msg);
    if !text.is_empty() {
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }
}

/// The lines `-v` writes for `msg`: none for data and the close, which
/// `print` reports itself.
fn lines(msg: &ConnMsg) -> String {
    match msg {
        ConnMsg::Connecting { attempt, request } => {
            let mut text = format!(
                "* attempt {attempt}\n> {} {}\n",
                one_line(&request.method),
                one_line(&request.url)
            );
            for (name, value) in &request.headers {
                text.push_str(&format!("> {}: {}\n", one_line(name), one_line(value)));
            }
            text
        }
        ConnMsg::Opened { response, .. } => response_head(response),
        ConnMsg::AuthNotice { text, .. } => format!("* {}\n", one_line(text)),
        ConnMsg::Negotiated { negotiation, .. } => {
            format!("* {}\n", one_line(&negotiation.describe()))
        }
        ConnMsg::StreamEnded {
            discarded,
            end_marker,
            ..
        } => {
            let mut text = match discarded {
                Some(range) => format!(
                    "* stream ended; an incomplete event of {} bytes was discarded\n",
                    range.end - range.start
                ),
                None => "* stream ended\n".to_owned(),
            };
            if let Some(end) = end_marker {
                text.push_str(&format!(
                    "* the answer had ended ({end}): no reconnect unless --reconnect always\n"
                ));
            }
            text
        }
        ConnMsg::Error { attempt, error } => {
            // A rejected response's head first, as for one accepted: the
            // status line and headers (WWW-Authenticate, Retry-After) say why.
            let mut text = error
                .response
                .as_deref()
                .map(response_head)
                .unwrap_or_default();
            text.push_str(&format!(
                "! attempt {attempt} failed ({}): {}\n",
                error.kind.name(),
                one_line(error)
            ));
            text
        }
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => {
            let id = if last_event_id.is_empty() {
                "no Last-Event-ID".to_owned()
            } else {
                format!("Last-Event-ID: {}", one_line(last_event_id))
            };
            format!(
                "* reconnecting in {} (attempt {next_attempt}, {id})\n",
                crate::text::duration(*delay)
            )
        }
        ConnMsg::Data(_) | ConnMsg::Closed { .. } => String::new(),
    }
}

/// `-v`'s lines for a response head: redirects, `< ` status line and
/// headers, time to first byte.
fn response_head(response: &sse::ResponseInfo) -> String {
    let mut text = String::new();
    for hop in &response.redirects {
        text.push_str(&format!(
            "* redirect {} {} -> {} ({})\n",
            hop.status,
            one_line(&hop.from),
            one_line(&hop.to),
            one_line(&hop.method)
        ));
    }
    let reason = reqwest::StatusCode::from_u16(response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    text.push_str(&format!(
        "< {} {} {reason}\n",
        one_line(&response.version),
        response.status
    ));
    for (name, value) in &response.headers {
        text.push_str(&format!("< {}: {}\n", one_line(name), one_line(value)));
    }
    text.push_str(&format!(
        "* time to first byte: {} ms\n",
        response.time_to_first_byte.as_millis()
    ));
    text
}

/// What `-v` says of a close.
pub(super) fn close_text(reason: &CloseReason) -> String {
    match reason {
        CloseReason::Ended => "the stream ended".into(),
        CloseReason::NoContent => "the server answered 204 No Content: stop reconnecting".into(),
        CloseReason::Stopped => "stopped".into(),
        CloseReason::Failed(err) => err.to_string(),
        CloseReason::RetriesExhausted { attempts, last } => {
            format!("gave up after {attempts} attempts: {last}")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::sse::message::{Redirect, ResponseInfo, SentRequest};
    use crate::sse::{ConnError, ErrorKind};

    fn response(status: u16, headers: &[(&str, &str)]) -> ResponseInfo {
        ResponseInfo {
            status,
            version: "HTTP/1.1".into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            redirects: Vec::new(),
            final_url: "http://127.0.0.1/".into(),
            time_to_first_byte: Duration::from_millis(12),
        }
    }

    #[test]
    fn an_attempt_shows_the_request_as_sent() {
        let msg = ConnMsg::Connecting {
            attempt: 2,
            request: SentRequest {
                method: "GET".into(),
                url: "http://127.0.0.1:9/events".into(),
                headers: vec![("Last-Event-ID".into(), "7".into())],
                body_len: None,
                last_event_id: Some("7".into()),
            },
        };
        assert_eq!(
            lines(&msg),
            "* attempt 2\n> GET http://127.0.0.1:9/events\n> Last-Event-ID: 7\n"
        );
    }

    #[test]
    fn a_response_head_shows_redirects_status_headers_and_first_byte() {
        let mut head = response(200, &[("content-type", "text/event-stream")]);
        head.redirects.push(Redirect {
            status: 302,
            from: "http://127.0.0.1/a".into(),
            to: "http://127.0.0.1/b".into(),
            method: "GET".into(),
        });
        let msg = ConnMsg::Opened {
            attempt: 1,
            response: head,
        };
        assert_eq!(
            lines(&msg),
            "* redirect 302 http://127.0.0.1/a -> http://127.0.0.1/b (GET)\n\
             < HTTP/1.1 200 OK\n\
             < content-type: text/event-stream\n\
             * time to first byte: 12 ms\n"
        );
    }

    #[test]
    fn a_rejected_response_shows_its_head_before_the_failure() {
        let mut error = ConnError::new(ErrorKind::Status, "HTTP 401 from the server");
        error.response = Some(Box::new(response(
            401,
            &[("www-authenticate", "Bearer realm=\"x\"")],
        )));
        let text = lines(&ConnMsg::Error { attempt: 1, error });
        assert_eq!(
            text,
            "< HTTP/1.1 401 Unauthorized\n\
             < www-authenticate: Bearer realm=\"x\"\n\
             * time to first byte: 12 ms\n\
             ! attempt 1 failed (status): HTTP 401 from the server\n"
        );
    }

    #[test]
    fn a_server_value_cannot_forge_a_line_or_drive_the_terminal() {
        let head = response(200, &[("x-evil", "a\n< forged: 1\u{1b}[2J\u{202e}")]);
        let text = lines(&ConnMsg::Opened {
            attempt: 1,
            response: head,
        });
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(text.contains("< x-evil: a␊< forged: 1␛[2J"), "{text}");
    }

    #[test]
    fn reconnects_and_ends_say_what_follows() {
        let msg = ConnMsg::ReconnectScheduled {
            next_attempt: 3,
            delay: Duration::from_millis(1500),
            last_event_id: String::new(),
        };
        assert_eq!(
            lines(&msg),
            "* reconnecting in 1.5 s (attempt 3, no Last-Event-ID)\n"
        );
        let msg = ConnMsg::StreamEnded {
            attempt: 1,
            discarded: Some(10..25),
            end_marker: Some("[DONE]"),
        };
        assert_eq!(
            lines(&msg),
            "* stream ended; an incomplete event of 15 bytes was discarded\n\
             * the answer had ended ([DONE]): no reconnect unless --reconnect always\n"
        );
        let closed = ConnMsg::Closed {
            reason: CloseReason::NoContent,
        };
        assert_eq!(lines(&closed), "", "print reports the close itself");
        assert_eq!(
            close_text(&CloseReason::NoContent),
            "the server answered 204 No Content: stop reconnecting"
        );
    }
}
