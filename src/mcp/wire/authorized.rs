//! A 401 to a request without a credential source: the MCP authorization
//! chain ([`authorize`](crate::mcp::authorize)) gives a token and the
//! exchange is sent again with it.

use reqwest::{Method, Response, StatusCode, Url};

use super::{McpError, Wire, preview};
use crate::auth::discovery::Challenge;
use crate::sse::session::Credential;

impl Wire {
    /// After a 401 with a Bearer challenge (or none at all): follows the
    /// authorization chain and sends the exchange again with its token; a
    /// second 401 is an error. Any other rejection is given back as it is.
    pub(super) async fn authorized(
        &self,
        response: Response,
        sent: Option<Credential>,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, McpError> {
        let mut challenge = Challenge::from_headers(response.headers());
        let challenged = response
            .headers()
            .contains_key(reqwest::header::WWW_AUTHENTICATE);
        if response.status() != StatusCode::UNAUTHORIZED || (challenged && !challenge.bearer) {
            return Ok(response);
        }
        drop(response);
        let notify = |note: &str| self.notify(note);
        let mut sent = sent;
        // A second round only when the first token came from a client kept
        // by an earlier run: the chain is then followed afresh.
        let again = loop {
            let kept = self.authorizer.uses_kept_client();
            let fresh = self
                .authorizer
                .authorize(
                    &self.http,
                    &self.base.url,
                    &challenge,
                    sent.as_ref(),
                    &notify,
                )
                .await
                .map_err(|err| McpError::Request(err.to_string()))?;
            *self
                .credential
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fresh.clone());
            let again = self
                .send_once(method.clone(), url, headers, body.clone())
                .await?;
            if again.status() != StatusCode::UNAUTHORIZED {
                return Ok(again);
            }
            if kept || !self.authorizer.uses_kept_client() {
                break again;
            }
            challenge = Challenge::from_headers(again.headers());
            sent = Some(fresh);
        };
        let what = format!(
            "{method} {}: the token the MCP authorization chain got was refused",
            crate::sse::redact::url(url, &self.base.secret_overrides),
        );
        self.authorizer.refused(&what);
        Err(McpError::Status {
            what,
            status: again.status().as_u16(),
            preview: self.scrubbed(&preview(again).await),
        })
    }
}
