//! Dynamic Client Registration (RFC 7591) of ssetui as a native public
//! client: a loopback redirect, the authorization code and refresh token
//! grants, no client secret (`token_endpoint_auth_method: none`), as the
//! MCP spec's "Dynamic Client Registration" fallback describes (2026-07-28:
//! "MCP clients MUST specify an appropriate `application_type`": `native`
//! for a loopback redirect).

use reqwest::Url;
use serde::Deserialize;
use serde_json::json;

use super::discovery::{ChainError, Step};

/// A registered client, as the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Registered {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// How the server wants the secret, when it issued one.
    #[serde(default)]
    pub token_endpoint_auth_method: Option<String>,
}

/// The registration request ssetui sends.
pub fn request_body() -> serde_json::Value {
    // RFC 8252 §7.3: the authorization server "MUST allow any port to be
    // specified at the time of the request for loopback IP redirect URIs",
    // and the port is only known when the login starts.
    let redirect = format!("http://127.0.0.1{}", super::pkce::CALLBACK_PATH);
    json!({
        "client_name": "ssetui",
        "redirect_uris": [redirect],
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
        "application_type": "native",
    })
}

/// Registers at `endpoint`: the client, or an error naming the endpoint
/// and its own `error` (RFC 7591 §3.2.2).
pub async fn register(http: &reqwest::Client, endpoint: &Url) -> Result<Registered, ChainError> {
    let failed = |what: String| {
        ChainError::new(
            Step::Registration,
            format!("the registration endpoint {endpoint} {what}"),
        )
    };
    let response = http
        .post(endpoint.clone())
        .header("accept", "application/json")
        .header("content-type", "application/json")
        .body(request_body().to_string())
        .send()
        .await
        .map_err(|err| {
            failed(format!(
                "could not be reached: {}",
                crate::sse::error::detail(&err)
            ))
        })?;
    let status = response.status();
    let body = response.bytes().await.unwrap_or_default();
    if !status.is_success() {
        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let code = answer["error"].as_str().unwrap_or("no error code");
        let description = answer["error_description"].as_str().unwrap_or("");
        return Err(failed(format!(
            "refused ssetui ({}, {}) {}",
            status.as_u16(),
            crate::text::one_line(code),
            crate::text::one_line(crate::text::cut(description, 300))
        )));
    }
    serde_json::from_slice::<Registered>(&body)
        .map_err(|err| failed(format!("answered without a client_id: {err}")))
}
