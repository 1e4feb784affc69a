//! Why an MCP exchange did not give its answer.

use serde_json::Value;

/// What went wrong, in words for the user: what failed and what the server
/// said (its text neutralised where it is shown).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum McpError {
    /// The server answered the request with a JSON-RPC error.
    #[error("the server answered {method} with JSON-RPC error {code}: {message}")]
    Rpc {
        method: String,
        code: i64,
        message: String,
        data: Option<Value>,
    },
    /// An HTTP status other than the one expected, with no JSON-RPC error in its body.
    #[error("{what}: the server answered HTTP {status}{}", preview_suffix(.preview))]
    Status {
        what: String,
        status: u16,
        preview: String,
    },
    /// The request could not be sent, or its answer could not be read.
    #[error("{0}")]
    Network(String),
    /// The server broke the transport's rules (a wrong Content-Type, a
    /// stream that ended before the response).
    #[error("{0}")]
    Protocol(String),
    /// The request could not be built (a header value, a credential).
    #[error("{0}")]
    Request(String),
}

fn preview_suffix(preview: &str) -> String {
    if preview.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            crate::text::one_line(crate::text::cut(preview, 200))
        )
    }
}

impl McpError {
    /// The JSON-RPC error code, when the server gave one.
    pub fn rpc_code(&self) -> Option<i64> {
        match self {
            McpError::Rpc { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered with an unexpected one.
    pub fn status(&self) -> Option<u16> {
        match self {
            McpError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
