//! The `*.ssecap` format: one JSON object per line, a header then records in
//! the order things happened. `docs/capture-format.md` is the user-facing
//! description; these types are its single definition in code.
//!
//! Each record is an object with `t` and exactly one kind key (`open`, `read`,
//! `ended`, `error`, `reconnect`, `close`; an MCP connection's `negotiated`
//! and `message`). On disk that is [`Line`], a flat
//! struct of optional fields, because it keeps the JSON as plain as the docs
//! show it; in memory it is the [`Record`] enum.

use serde::{Deserialize, Serialize};

use crate::sse::{BodyFormat, Field};

/// The format version written in the header's `ssecap` field.
pub const VERSION: u32 = 1;

/// The first line of a capture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The format version ([`VERSION`]).
    pub ssecap: u32,
    pub request: RequestInfo,
    /// When recording started, RFC 3339 with milliseconds, UTC. Every `t` counts from here.
    pub started: String,
}

/// The request that was recorded, secrets redacted unless the user asked otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestInfo {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The request body as text (lossy UTF-8), when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The `Last-Event-ID` the first attempt sent ("" when none).
    #[serde(default)]
    pub last_event_id: String,
    /// Whether secret values were kept in clear (`--record-secrets`).
    #[serde(default)]
    pub secrets_revealed: bool,
    /// How the body was read (`--parse-as`); absent for the default, an event stream.
    #[serde(default, skip_serializing_if = "BodyFormat::requires_event_stream")]
    pub parse_as: BodyFormat,
    /// Which values hold the mask instead of the value: `"url"` (its user
    /// info), `{"query":N}`, `{"header":N}`. Absent in captures written
    /// before it was recorded; there, the values the secret rule masks are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redacted: Option<Vec<Field>>,
    /// An MCP connection: its messages are `message` records, not reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mcp: Option<McpRequest>,
}

/// The header's mark of an MCP connection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpRequest {
    /// The revision forced (`--mcp-version`); absent when negotiated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One MCP message as recorded: the stream it went on, which way, the SSE
/// event id it came with, the message's text and the bytes that carried it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpMessage {
    pub stream: String,
    /// `sent` or `received`.
    pub direction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// The message as JSON text (or the text that was no JSON).
    pub data: String,
    /// Base64 of the bytes that carried it (the SSE event's lines, the
    /// JSON body, the POST's body).
    pub raw: String,
}

/// The response head of one attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Open {
    pub status: u16,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub version: String,
    /// Time to first byte: from the attempt's request to its response head.
    /// Absent in older captures (then read as the time since the attempt began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttfb_ms: Option<u64>,
}

/// A reconnect the client scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reconnect {
    pub delay_ms: u64,
    #[serde(default)]
    pub last_event_id: String,
}

/// One record as it is read back. `t` is milliseconds since the header's `started`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// An attempt's response arrived; its body's reads follow.
    Open { t: u64, attempt: u32, open: Open },
    /// One read of body bytes exactly as received, for the attempt last opened.
    Read {
        t: u64,
        attempt: u32,
        bytes: Vec<u8>,
    },
    /// The attempt's body ended cleanly; `discarded` bytes of an incomplete block were dropped.
    Ended {
        t: u64,
        attempt: u32,
        discarded: u64,
        /// The LLM answer's end marker the last event was (`[DONE]`…), if any.
        end_marker: Option<String>,
    },
    /// The attempt failed; `response` is the head of a response that was
    /// rejected (a status other than 200, the wrong Content-Type).
    Error {
        t: u64,
        attempt: u32,
        message: String,
        response: Option<Open>,
    },
    /// The next attempt was scheduled.
    Reconnect { t: u64, reconnect: Reconnect },
    /// The connection finished for good; the text says why.
    Close { t: u64, reason: String },
    /// A protocol was agreed with the server (MCP: era and revision).
    Negotiated {
        t: u64,
        attempt: u32,
        negotiation: crate::sse::Negotiation,
    },
    /// One MCP message, its bytes decoded.
    Message {
        t: u64,
        message: Box<crate::mcp::Record>,
    },
}

impl Record {
    /// Milliseconds since the capture started.
    pub fn t(&self) -> u64 {
        match self {
            Record::Open { t, .. }
            | Record::Read { t, .. }
            | Record::Ended { t, .. }
            | Record::Error { t, .. }
            | Record::Reconnect { t, .. }
            | Record::Close { t, .. }
            | Record::Negotiated { t, .. }
            | Record::Message { t, .. } => *t,
        }
    }
}

/// A record line on disk. Exactly one of the kind fields is set.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Line {
    pub t: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<Open>,
    /// Base64 (standard alphabet, padded) of the bytes read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<String>,
    /// The number of bytes of an incomplete final block that were discarded (0 when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<u64>,
    /// With `ended`: the end marker of an LLM answer the last event was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_marker: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// With `error`: the head of the response that was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Open>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconnect: Option<Reconnect>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negotiated: Option<crate::sse::Negotiation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<McpMessage>,
}
