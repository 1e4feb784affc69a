//! Which era and revision a server speaks, found as the official clients
//! find it (the Python SDK's `negotiate_auto`, the 2026-07-28 transport's
//! "Backward Compatibility"): `server/discover` at the newest stateless
//! revision first; on anything that is not positive evidence of a stateless
//! server, the `initialize` handshake at the newest handshake revision; and
//! when that POST fails with 400, 404 or 405, the 2024-11-05 HTTP+SSE
//! transport (2025-11-25 transports, "Backwards Compatibility": GET the URL,
//! the first event is `endpoint`, naming the URL to POST to).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use super::McpError;
use super::envelope::client_info;
use super::record::Observed;
use super::session::Client;
use super::wire::{self, EventReader, Wire};

/// The revisions reached through the `initialize` handshake, oldest first.
pub const HANDSHAKE_REVISIONS: &[&str] = &["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"];
/// The stateless revisions, oldest first.
pub const STATELESS_REVISIONS: &[&str] = &["2026-07-28"];
/// JSON-RPC error code of `UnsupportedProtocolVersionError` (2026-07-28).
pub const UNSUPPORTED_PROTOCOL_VERSION: i64 = -32022;

/// The two shapes of the Streamable HTTP transport, and the older one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// 2026-07-28: no handshake, no session; each request carries its
    /// revision, client info and capabilities in `_meta` and headers.
    Stateless,
    /// 2025-03-26 to 2025-11-25: `initialize`, an optional `Mcp-Session-Id`,
    /// `MCP-Protocol-Version` on every later request.
    Session,
    /// 2024-11-05 HTTP+SSE: a GET stream whose `endpoint` event names the POST URL.
    Legacy,
}

impl Era {
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Stateless => "stateless",
            Era::Session => "session",
            Era::Legacy => "legacy-http-sse",
        }
    }
}

/// Whether `revision` is one this client speaks.
pub fn is_known(revision: &str) -> bool {
    HANDSHAKE_REVISIONS.contains(&revision) || STATELESS_REVISIONS.contains(&revision)
}

/// What `--mcp-version REVISION` is told when ssetui does not speak
/// `revision` (naming those it does); `None` when it does.
pub fn unknown_revision(revision: &str) -> Option<String> {
    (!is_known(revision)).then(|| {
        format!(
            "--mcp-version {}: not a revision ssetui speaks ({}, {})",
            crate::text::one_line(revision),
            STATELESS_REVISIONS.join(", "),
            HANDSHAKE_REVISIONS.join(", ")
        )
    })
}

/// Connects to the server `wire` points at: negotiated, or at `forced` (a
/// revision from `--mcp-version`, which must be [`is_known`]).
pub async fn connect(
    wire: Wire,
    forced: Option<&str>,
    observer: Box<dyn FnMut(Observed)>,
) -> Result<Client, McpError> {
    connect_declaring(wire, forced, observer, Vec::new(), None).await
}

/// [`connect`] declaring the client capabilities `declared`, whose server
/// requests `answerer` answers.
pub async fn connect_declaring(
    wire: Wire,
    forced: Option<&str>,
    observer: Box<dyn FnMut(Observed)>,
    declared: Vec<super::capabilities::Capability>,
    answerer: Option<super::capabilities::Answerer>,
) -> Result<Client, McpError> {
    let mut client = Client::new(wire, observer);
    client.declared = declared;
    client.answerer = answerer;
    match forced {
        Some(revision) if STATELESS_REVISIONS.contains(&revision) => {
            discover(&mut client, revision).await?;
            Ok(client)
        }
        Some(revision) => {
            handshake(&mut client, revision).await?;
            Ok(client)
        }
        None => {
            negotiate(&mut client).await?;
            Ok(client)
        }
    }
}

/// Probe, then fall back: at most two probes (a second at a revision the
/// server names in an `UnsupportedProtocolVersionError`).
async fn negotiate(client: &mut Client) -> Result<(), McpError> {
    let newest = STATELESS_REVISIONS[STATELESS_REVISIONS.len() - 1];
    let mut revision = newest.to_owned();
    for attempt in 0..2 {
        match discover(client, &revision).await {
            Ok(()) => return Ok(()),
            Err(McpError::Rpc {
                code: UNSUPPORTED_PROTOCOL_VERSION,
                data,
                ..
            }) => {
                let supported = supported_in(data.as_ref());
                if let Some(mutual) = newest_mutual(&supported, STATELESS_REVISIONS)
                    && attempt == 0
                {
                    revision = mutual;
                    continue;
                }
                if !supported.is_empty() && newest_mutual(&supported, HANDSHAKE_REVISIONS).is_none()
                {
                    return Err(McpError::Protocol(format!(
                        "the server speaks only revisions {} of the stateless era; ssetui speaks {}",
                        supported.join(", "),
                        STATELESS_REVISIONS.join(", ")
                    )));
                }
                return fall_back(client).await;
            }
            Err(McpError::Rpc { .. } | McpError::Status { .. } | McpError::Protocol(_)) => {
                return fall_back(client).await;
            }
            Err(other) => return Err(other),
        }
    }
    fall_back(client).await
}

async fn fall_back(client: &mut Client) -> Result<(), McpError> {
    let newest = HANDSHAKE_REVISIONS[HANDSHAKE_REVISIONS.len() - 1];
    handshake(client, newest).await
}

/// `server/discover` at `revision`: the stateless era when the server
/// lists a stateless revision among its `supportedVersions`.
async fn discover(client: &mut Client, revision: &str) -> Result<(), McpError> {
    client.era = Era::Stateless;
    client.revision = revision.to_owned();
    let result = client.request("server/discover", None).await?;
    let supported = supported_versions(&result);
    match newest_mutual(&supported, STATELESS_REVISIONS) {
        Some(_) if supported.iter().any(|v| v == revision) => {
            client.listen(&result).await;
            Ok(())
        }
        Some(mutual) => {
            client.revision = mutual;
            client.listen(&result).await;
            Ok(())
        }
        None => Err(McpError::Protocol(format!(
            "server/discover lists no stateless revision ({})",
            supported.join(", ")
        ))),
    }
}

/// The `initialize` handshake at `revision`, then `notifications/initialized`.
/// A 400, 404 or 405 to the POST means the 2024-11-05 transport may be there.
async fn handshake(client: &mut Client, revision: &str) -> Result<(), McpError> {
    client.era = Era::Session;
    client.revision = revision.to_owned();
    client.version_header = false;
    let params = json!({
        "protocolVersion": revision,
        "capabilities": super::capabilities::declaration(&client.declared),
        "clientInfo": client_info(),
    });
    let result = match client.request("initialize", Some(params.clone())).await {
        Ok(result) => result,
        Err(McpError::Status {
            status: 400 | 404 | 405,
            ..
        }) => {
            open_legacy(client).await?;
            client.request("initialize", Some(params)).await?
        }
        Err(other) => return Err(other),
    };
    let chosen = result
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !HANDSHAKE_REVISIONS.contains(&chosen.as_str()) {
        return Err(McpError::Protocol(format!(
            "the server chose revision {:?}, which ssetui does not speak ({})",
            crate::text::one_line(&chosen).to_string(),
            HANDSHAKE_REVISIONS.join(", ")
        )));
    }
    client.revision = chosen;
    // The header came with 2025-06-18 (revisions are dates, so they order as text).
    client.version_header = client.era == Era::Session && client.revision.as_str() >= "2025-06-18";
    client.notify("notifications/initialized", None).await?;
    client.open_get_stream().await;
    Ok(())
}

/// GETs the URL and reads the `endpoint` event: the legacy transport's POST URL.
async fn open_legacy(client: &mut Client) -> Result<(), McpError> {
    let url = client.wire.url().clone();
    let response = client.wire.send(Method::GET, &url, &[], None).await?;
    let status = response.status();
    if status != StatusCode::OK
        || wire::body_kind(response.headers()) != wire::BodyKind::EventStream
    {
        return Err(McpError::Status {
            what: "neither Streamable HTTP (POST initialize failed) nor HTTP+SSE (GET gave no event stream)".into(),
            status: status.as_u16(),
            preview: wire::preview(response).await,
        });
    }
    let mut reader = EventReader::new(response);
    let Some(first) = reader.next().await? else {
        return Err(McpError::Protocol(
            "the HTTP+SSE stream ended before its endpoint event".into(),
        ));
    };
    if first.event != "endpoint" {
        return Err(McpError::Protocol(format!(
            "the HTTP+SSE stream's first event is {:?}, not endpoint",
            crate::text::one_line(&first.event).to_string()
        )));
    }
    let endpoint = url.join(first.data.trim()).map_err(|err| {
        McpError::Protocol(format!("the endpoint event's URL does not parse: {err}"))
    })?;
    if endpoint.origin() != url.origin() {
        return Err(McpError::Protocol(
            "the endpoint event names another origin: refused".into(),
        ));
    }
    client.era = Era::Legacy;
    client.revision = HANDSHAKE_REVISIONS[0].to_owned();
    client.endpoint = endpoint;
    client.legacy_stream = Some(super::session::Stream::fixed("get", reader));
    Ok(())
}

/// `supportedVersions` of a discover result.
fn supported_versions(result: &Value) -> Vec<String> {
    strings(result.get("supportedVersions"))
}

/// `supported` of an `UnsupportedProtocolVersionError`'s data.
fn supported_in(data: Option<&Value>) -> Vec<String> {
    strings(data.and_then(|d| d.get("supported")))
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// The newest of `ours` that `theirs` lists.
fn newest_mutual(theirs: &[String], ours: &[&str]) -> Option<String> {
    ours.iter()
        .rev()
        .find(|v| theirs.iter().any(|t| t == *v))
        .map(|v| (*v).to_owned())
}
