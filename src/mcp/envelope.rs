//! What each era adds to a request: the stateless era's `_meta` fields and
//! routing headers (2026-07-28 transports, "Request metadata"), the
//! session era's `Mcp-Session-Id` and `MCP-Protocol-Version`.

use serde_json::{Map, Value, json};

use super::jsonrpc::Message;
use super::negotiate::Era;

/// `_meta` keys of the stateless era (2026-07-28, basic/index "Per-request protocol fields").
pub const META_PROTOCOL_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
pub const META_CLIENT_INFO: &str = "io.modelcontextprotocol/clientInfo";
pub const META_CLIENT_CAPABILITIES: &str = "io.modelcontextprotocol/clientCapabilities";

/// The client's name and version, sent as `clientInfo`.
pub fn client_info() -> Value {
    json!({"name": "ssetui", "version": env!("CARGO_PKG_VERSION")})
}

/// The headers of a POST carrying `message`: `session` is the session
/// era's id and whether `MCP-Protocol-Version` goes on requests yet.
pub fn headers(
    era: Era,
    revision: &str,
    session: Option<(Option<&str>, bool)>,
    message: &Message,
) -> Vec<(&'static str, String)> {
    let mut headers = Vec::new();
    match era {
        Era::Stateless => {
            headers.push(("mcp-protocol-version", revision.to_owned()));
            if let Some(method) = message.method() {
                headers.push(("mcp-method", method.to_owned()));
                if let Some(name) = name_of(message) {
                    headers.push(("mcp-name", encode_header_value(&name)));
                }
            }
        }
        Era::Session => {
            let (id, version_header) = session.unwrap_or((None, false));
            if let Some(id) = id {
                headers.push(("mcp-session-id", id.to_owned()));
            }
            if version_header {
                headers.push(("mcp-protocol-version", revision.to_owned()));
            }
        }
        Era::Legacy => {}
    }
    headers
}

/// `params` with the stateless era's `_meta` fields: the revision, the
/// client's info and its capabilities (see `capabilities::declaration`).
pub fn stamp(revision: &str, capabilities: &Value, params: Option<Value>) -> Value {
    let mut params = match params {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let meta = params
        .entry("_meta")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(meta) = meta {
        meta.insert(META_PROTOCOL_VERSION.into(), revision.into());
        meta.insert(META_CLIENT_INFO.into(), client_info());
        meta.insert(META_CLIENT_CAPABILITIES.into(), capabilities.clone());
    }
    Value::Object(params)
}

/// The name a stateless request carries in `Mcp-Name`: `params.name` of
/// `tools/call` and `prompts/get`, `params.uri` of `resources/read`.
fn name_of(message: &Message) -> Option<String> {
    let Message::Request {
        method,
        params: Some(params),
        ..
    } = message
    else {
        return None;
    };
    let key = match method.as_str() {
        "tools/call" | "prompts/get" => "name",
        "resources/read" => "uri",
        _ => return None,
    };
    params.get(key)?.as_str().map(str::to_owned)
}

/// A header value as 2026-07-28 sends one: as it is when it is printable
/// ASCII without edge spaces, else in the `=?base64?…?=` sentinel form.
pub fn encode_header_value(value: &str) -> String {
    use base64::Engine as _;
    let plain = value.bytes().all(|b| (0x20..=0x7e).contains(&b))
        && value == value.trim()
        && !(value.starts_with("=?base64?") && value.ends_with("?="));
    if plain {
        value.to_owned()
    } else {
        format!(
            "=?base64?{}?=",
            base64::engine::general_purpose::STANDARD.encode(value.as_bytes())
        )
    }
}

#[cfg(test)]
mod tests;
