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
}

impl ConnError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            status: None,
            retry_after: None,
        }
    }
}
