//! Why an attempt or a connection failed, in words a user can act on.

use std::time::Duration;

/// What kind of failure, so consumers can decide how to show it and the engine
/// whether to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request could not be built (bad header, unreadable certificate, bad proxy URL).
    Request,
    /// DNS, TCP, TLS handshake or connect timeout, before any response.
    Connect,
    /// The server's certificate was rejected: retrying will not help.
    Tls,
    /// The connection broke while reading the body.
    Network,
    /// No bytes arrived for the idle timeout.
    IdleTimeout,
    /// The response status was not 200 (nor 204).
    Status,
    /// The response was not `text/event-stream`.
    ContentType,
    /// Too many redirects, or a redirect without a usable `Location`.
    Redirect,
    /// An event grew past the size limit.
    EventTooLarge,
    /// A compressed body could not be decoded.
    Decode,
}

impl ErrorKind {
    /// Whether the spec's "reestablish the connection" applies: network errors
    /// do; a rejected response or a futile one does not.
    pub fn is_network(self) -> bool {
        matches!(self, Self::Connect | Self::Network | Self::IdleTimeout)
    }

    /// A short stable name, used in NDJSON and verbose output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Request => "request",
            Self::Connect => "connect",
            Self::Tls => "tls",
            Self::Network => "network",
            Self::IdleTimeout => "idle_timeout",
            Self::Status => "status",
            Self::ContentType => "content_type",
            Self::Redirect => "redirect",
            Self::EventTooLarge => "event_too_large",
            Self::Decode => "decode",
        }
    }
}

/// A failure of one attempt. The message never holds a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConnError {
    pub kind: ErrorKind,
    /// One line: what happened, to what, and where useful what to do.
    pub message: String,
    /// The HTTP status, for `Status` errors and retried statuses.
    pub status: Option<u16>,
    /// How long the server asked us to wait (`Retry-After`), if it did.
    pub retry_after: Option<Duration>,
    /// The head of a response that was rejected (a status other than 200,
    /// the wrong Content-Type): its status line and headers
    /// (`WWW-Authenticate`, `Retry-After`, a request id) explain the failure.
    pub response: Option<Box<super::message::ResponseInfo>>,
}

impl ConnError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            retry_after: None,
            response: None,
        }
    }
}

/// A reqwest error and its sources on one line, without the URL reqwest
/// appends (it would show credentials and API keys in clear).
pub fn detail(err: &reqwest::Error) -> String {
    let own = err.to_string();
    let text = match err.url() {
        Some(u) => own
            .replace(&format!(" for url ({u})"), "")
            .replace(u.as_str(), "<url>"),
        None => own,
    };
    match std::error::Error::source(err) {
        Some(source) => format!("{text}: {}", chain(source)),
        None => text,
    }
}

/// An error and its sources on one line, repeated parts dropped
/// (hyper and reqwest often repeat their inner error's text).
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    parts.join(": ")
}

/// Whether a certificate problem is somewhere in the error's sources: then
/// retrying is futile. An `io::Error`'s `source()` skips the error it wraps,
/// so the walk goes through `get_ref()` for those.
pub fn is_certificate_error(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(rustls::Error::InvalidCertificate(_)) = e.downcast_ref::<rustls::Error>() {
            return true;
        }
        current = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }
    false
}
