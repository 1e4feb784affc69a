//! What a failed attempt says about the endpoint: rejected statuses and
//! types, TLS, connection, redirect and decoding failures.

use super::format::{QUOTE_CHARS, duration, one_line};
use super::response_head::content_type_finding;
use super::{Finding, Severity};
use crate::sse::{ConnError, ErrorKind};

/// What a failed attempt's error says about the endpoint, if anything.
pub(super) fn error_finding(error: &ConnError) -> Option<Finding> {
    let message = one_line(&error.message, 200);
    let finding = match error.kind {
        ErrorKind::ContentType => content_type_finding(rejected_type(&error.message)),
        ErrorKind::Status => status_finding(error),
        ErrorKind::Tls => Finding {
            id: "tls",
            severity: Severity::Error,
            title: message,
            why: "The server's certificate is not trusted (expired, self-signed, or for another name), so no client will connect without disabling verification.",
            fix: "Give the server a certificate valid for this host name, or trust its CA with --cacert FILE (--insecure only for testing).",
        },
        ErrorKind::Connect => Finding {
            id: "connect",
            severity: Severity::Error,
            title: message,
            why: "No response came: the host, port or network path is wrong, or the server is down or too slow to answer.",
            fix: "Check the URL, that the server is running and reachable from here (proxy settings included), and raise --connect-timeout if it is slow to answer.",
        },
        ErrorKind::Redirect => Finding {
            id: "redirect",
            severity: Severity::Error,
            title: message,
            why: "The redirects lead nowhere usable; EventSource follows redirects too and fails the same way.",
            fix: "Point the client at the final URL, and fix the Location headers or the redirect loop on the server.",
        },
        ErrorKind::EventTooLarge => Finding {
            id: "event-too-large",
            severity: Severity::Error,
            title: message,
            why: "An event grew past the client's size limit, so the stream was abandoned; an event that never ends (no blank line) looks the same.",
            fix: "End every event with a blank line and keep events small; raise --max-event-size if such large events are intended.",
        },
        ErrorKind::Decode => Finding {
            id: "decode",
            severity: Severity::Error,
            title: message,
            why: "The compressed body could not be decoded: the Content-Encoding does not match the bytes, or the compressor's output was cut.",
            fix: "Do not compress text/event-stream; otherwise make sure the declared Content-Encoding matches what is sent.",
        },
        ErrorKind::IdleTimeout => Finding {
            id: "idle-timeout",
            severity: Severity::Warning,
            title: message,
            why: "Nothing arrived for the idle timeout, so the connection was treated as lost; a proxy with a similar timeout would cut it too.",
            fix: "Have the server send a `: keep-alive` comment every 15 to 20 seconds when it has no event to send.",
        },
        ErrorKind::Request => Finding {
            id: "request",
            severity: Severity::Error,
            title: message,
            why: "The request could not be built, so nothing was sent.",
            fix: "Correct the request as the message says (header syntax, certificate files, proxy URL).",
        },
        // Counted as a dropped connection instead.
        ErrorKind::Network => return None,
    };
    Some(finding)
}

/// The title for a response rejected for its type, from the engine's message
/// (`... answered 200 with Content-Type "text/html", not text/event-stream; body: ...`).
fn rejected_type(message: &str) -> String {
    if message.contains("with no Content-Type") {
        return "response rejected: no Content-Type (expected text/event-stream)".into();
    }
    let got = message
        .split_once("with Content-Type ")
        .and_then(|(_, rest)| rest.split_once(", not text/event-stream"))
        .map(|(got, _)| one_line(got, QUOTE_CHARS + 2));
    match got {
        Some(got) => format!("response rejected: Content-Type {got}, not text/event-stream"),
        None => "response rejected: not text/event-stream".into(),
    }
}

fn status_finding(error: &ConnError) -> Finding {
    let Some(status) = error.status else {
        return Finding {
            id: "status",
            severity: Severity::Error,
            title: one_line(&error.message, 200),
            why: STATUS_OTHER.0,
            fix: STATUS_OTHER.1,
        };
    };
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .map_or(String::new(), |r| format!(" {r}"));
    let wait = error
        .retry_after
        .map_or(String::new(), |d| format!(", Retry-After {}", duration(d)));
    let (why, fix) = match status {
        401 | 403 => (
            "The server refused the credentials (missing, expired, or without access to this resource).",
            "Send valid credentials (--bearer, --basic, --api-key or --header), and check that they grant access to this URL; EventSource itself cannot send an Authorization header, so browsers need cookies or a token in the URL.",
        ),
        404 | 410 => (
            "Nothing streams at this URL: a wrong path, a missing route, or a proxy that does not forward it.",
            "Check the URL and the server's routes; behind a proxy, check that the path is forwarded.",
        ),
        405 => (
            "The endpoint does not accept this method; many streaming APIs want a POST with a JSON body, EventSource only sends GET.",
            "Use the method the API documents (-X POST with --data for most LLM APIs).",
        ),
        406 | 415 => (
            "The server did not accept the request's Accept or Content-Type header.",
            "Send `Accept: text/event-stream`, and the body type the API expects (usually application/json).",
        ),
        429 => (
            "Rate limited: too many requests or tokens for the account or key.",
            "Wait for the time Retry-After gives, lower the request rate, or ask for a higher limit; a client should honour Retry-After rather than retry at once.",
        ),
        500..=599 => (
            "The server or a gateway in front of it failed (502/503/504 usually come from a proxy that could not reach the server in time).",
            "Look at the server's logs; for 502/504 check the proxy's upstream address and timeouts.",
        ),
        _ => STATUS_OTHER,
    };
    Finding {
        id: "status",
        severity: Severity::Error,
        title: format!(
            "response rejected: status {status}{reason}{wait}, expected 200 with an event stream"
        ),
        why,
        fix,
    }
}

const STATUS_OTHER: (&str, &str) = (
    "An SSE client only reads a stream from a 200 response; any other status ends the connection.",
    "Answer the stream request with 200 and `Content-Type: text/event-stream` (204 tells clients to stop reconnecting).",
);
