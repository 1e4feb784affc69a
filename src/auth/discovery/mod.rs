//! Where a protected resource's tokens come from, found as the MCP
//! authorization spec says (revisions 2025-11-25 and 2026-07-28,
//! `basic/authorization`): the `WWW-Authenticate: Bearer` challenge of a
//! 401, the resource's Protected Resource Metadata (RFC 9728) and its
//! authorization server's metadata (RFC 8414, or OpenID Connect
//! Discovery). Every document is checked before it is used; a failure
//! names the step and the URL.

use reqwest::Url;
use serde::Deserialize;

mod challenge;
#[cfg(test)]
mod tests;

pub use challenge::Challenge;

/// The largest metadata document read: no honest one comes near.
const MAX_DOCUMENT: usize = 256 * 1024;

/// The steps of the chain, as errors and `check --mcp` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Finding and reading the Protected Resource Metadata.
    ResourceMetadata,
    /// Its `resource` naming the server asked.
    ResourceMatch,
    /// Finding and reading the authorization server's metadata.
    ServerMetadata,
    /// PKCE with S256 advertised.
    Pkce,
    /// A client id: given, or registered.
    Registration,
    /// The login and the token request.
    Login,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::ResourceMetadata => "protected-resource metadata",
            Step::ResourceMatch => "protected-resource metadata's resource",
            Step::ServerMetadata => "authorization-server metadata",
            Step::Pkce => "PKCE support",
            Step::Registration => "client registration",
            Step::Login => "login",
        }
    }
}

/// Why the chain stopped: the step, and what was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MCP authorization, {}: {message}", step.as_str())]
pub struct ChainError {
    pub step: Step,
    pub message: String,
}

impl ChainError {
    pub fn new(step: Step, message: impl Into<String>) -> Self {
        Self {
            step,
            message: message.into(),
        }
    }
}

/// Protected Resource Metadata (RFC 9728 §2), the fields MCP uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ResourceMetadata {
    #[serde(default)]
    pub resource: Option<String>,
    #[serde(default)]
    pub authorization_servers: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Option<Vec<String>>,
}

/// Authorization Server Metadata (RFC 8414 §2), the fields MCP uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ServerMetadata {
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub authorization_endpoint: Option<String>,
    #[serde(default)]
    pub token_endpoint: Option<String>,
    #[serde(default)]
    pub registration_endpoint: Option<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub client_id_metadata_document_supported: Option<bool>,
    /// RFC 9207 §2.3: the redirect carries `iss`.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: Option<bool>,
}

/// The canonical URI of an MCP server (MCP "Canonical Server URI", RFC
/// 8707 §2): no fragment, no query, and no trailing slash on a bare host.
pub fn canonical_resource(server: &Url) -> String {
    let mut url = server.clone();
    url.set_fragment(None);
    url.set_query(None);
    let text = url.to_string();
    if url.path() == "/" {
        text.trim_end_matches('/').to_owned()
    } else {
        text
    }
}

/// Where the Protected Resource Metadata is looked for, in order: the
/// challenge's `resource_metadata` alone when it has one; else "the
/// well-known URIs in the order listed": with the endpoint's path
/// inserted, then at the root (MCP 2025-11-25, "Protected Resource
/// Metadata Discovery Requirements"; RFC 9728 §3.1).
pub fn resource_metadata_urls(server: &Url, challenge: &Challenge) -> Vec<Url> {
    if let Some(given) = challenge
        .resource_metadata
        .as_deref()
        .and_then(|u| server.join(u).ok())
    {
        return vec![given];
    }
    well_known(server, "oauth-protected-resource", true)
}

/// `origin/.well-known/NAME/path` (when the path is not `/` and `with_path`)
/// then `origin/.well-known/NAME`.
fn well_known(base: &Url, name: &str, with_path: bool) -> Vec<Url> {
    let path = base.path().trim_end_matches('/');
    let mut urls = Vec::new();
    let mut at = |p: String| {
        let mut url = base.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.set_path(&p);
        urls.push(url);
    };
    if with_path && !path.is_empty() {
        at(format!("/.well-known/{name}{path}"));
    }
    at(format!("/.well-known/{name}"));
    urls
}

/// Where an issuer's metadata is looked for, in the MCP spec's order
/// ("Authorization Server Metadata Discovery"): RFC 8414 with path
/// insertion, OIDC with path insertion, OIDC with the path appended; for
/// an issuer without a path, RFC 8414 then OIDC at the root.
pub fn server_metadata_urls(issuer: &Url) -> Vec<Url> {
    let path = issuer.path().trim_end_matches('/');
    let mut urls = well_known(issuer, "oauth-authorization-server", true);
    urls.truncate(1);
    urls.extend(
        well_known(issuer, "openid-configuration", true)
            .into_iter()
            .take(1),
    );
    if !path.is_empty() {
        let mut appended = issuer.clone();
        appended.set_query(None);
        appended.set_path(&format!("{path}/.well-known/openid-configuration"));
        urls.push(appended);
    }
    urls
}

/// Whether the metadata's `resource` names the server asked (RFC 9728
/// §3.3: a client "MUST NOT use the metadata" otherwise). The same origin,
/// and a path that is the server's own or one of its parents (a server
/// whose metadata sits at the root names its origin); a trailing slash
/// is no difference.
pub fn resource_matches(resource: &str, server: &Url) -> bool {
    let Ok(declared) = Url::parse(resource) else {
        return false;
    };
    if declared.origin() != server.origin() || declared.query().is_some() {
        return false;
    }
    let declared_path = declared.path().trim_end_matches('/');
    let server_path = server.path().trim_end_matches('/');
    server_path == declared_path
        || server_path
            .strip_prefix(declared_path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a metadata document's `issuer` is the one its URL was made
/// from (RFC 8414 §3.3; MCP 2026-07-28: "If they differ, the client MUST
/// NOT use the metadata"). A trailing slash on a bare origin is allowed.
pub fn issuer_matches(declared: &str, expected: &str) -> bool {
    declared == expected || declared.trim_end_matches('/') == expected.trim_end_matches('/')
}

/// Why an AS cannot be used for the login: no S256 in its PKCE methods
/// (MCP: "If `code_challenge_methods_supported` is absent ... MCP clients
/// MUST refuse to proceed"), or no endpoint to log in at.
pub fn unusable(metadata: &ServerMetadata, at: &Url) -> Option<ChainError> {
    let methods = metadata
        .code_challenge_methods_supported
        .as_deref()
        .unwrap_or_default();
    if !methods.iter().any(|m| m == "S256") {
        let listed = if metadata.code_challenge_methods_supported.is_none() {
            "has no code_challenge_methods_supported".to_owned()
        } else {
            format!(
                "lists code_challenge_methods_supported {} without S256",
                crate::text::one_line(methods.join(", "))
            )
        };
        return Some(ChainError::new(
            Step::Pkce,
            format!(
                "the authorization-server metadata at {at} {listed}: PKCE with S256 is required, so ssetui will not log in there"
            ),
        ));
    }
    for (name, value) in [
        ("authorization_endpoint", &metadata.authorization_endpoint),
        ("token_endpoint", &metadata.token_endpoint),
    ] {
        if value.as_deref().and_then(|v| Url::parse(v).ok()).is_none() {
            return Some(ChainError::new(
                Step::ServerMetadata,
                format!("the authorization-server metadata at {at} has no usable {name}"),
            ));
        }
    }
    None
}

/// What a GET for a metadata document gave.
pub enum Fetched<T> {
    Found(T),
    /// Not there (a 4xx other than a server error): try the next URL.
    Missing(String),
}

/// GETs `url` and reads it as `T`: `Missing` on a 4xx; an error (naming
/// `step`) when it cannot be reached, on a 5xx or when the body is not
/// the JSON object expected.
pub async fn fetch_json<T: for<'de> Deserialize<'de>>(
    http: &reqwest::Client,
    url: &Url,
    step: Step,
) -> Result<Fetched<T>, ChainError> {
    let failed = |what: String| ChainError::new(step, format!("{url}: {what}"));
    let response = http
        .get(url.clone())
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|err| failed(crate::sse::error::detail(&err)))?;
    let status = response.status();
    if status.is_client_error() {
        return Ok(Fetched::Missing(format!(
            "{url} answered {}",
            status.as_u16()
        )));
    }
    if !status.is_success() {
        return Err(failed(format!("answered HTTP {}", status.as_u16())));
    }
    let body = read_capped(response)
        .await
        .map_err(|why| failed(why.to_owned()))?;
    serde_json::from_slice(&body)
        .map(Fetched::Found)
        .map_err(|err| failed(format!("not the JSON document expected: {err}")))
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, &'static str> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|_| "the body broke off")? {
        if body.len() + chunk.len() > MAX_DOCUMENT {
            return Err("the document is over 256 KiB");
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
