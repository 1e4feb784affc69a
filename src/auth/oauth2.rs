//! OAuth2 access tokens (RFC 6749): fetched with the client credentials,
//! refresh token, authorization code (with PKCE, RFC 7636) or device code
//! (RFC 8628) grant, cached in memory until shortly before they expire,
//! refreshed with the refresh token when there is one, and fetched anew
//! after the server rejects one. A refresh token is written to disk only
//! when the profile asks (`persist = true`), to a 0600 file.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Deserialize;
use tokio::sync::Mutex;

use super::Placement;
use crate::sse::session::{CredentialFuture, Notices};
use crate::sse::{CredentialError, CredentialSource, Freshness};

/// A token is refreshed this long before the server says it expires.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);
/// How long a token call may take.
const TOKEN_CALL_TIMEOUT: Duration = Duration::from_secs(30);
/// How much of a token endpoint's error body a message quotes.
const ERROR_SHOWN_CHARS: usize = 300;

/// The client: who asks, at which token endpoint, for what.
#[derive(Debug, Clone)]
pub struct Client {
    pub token_url: Url,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub scope: Option<String>,
    pub audience: Option<String>,
    /// How the secret goes to the endpoint (RFC 6749 2.3.1).
    pub secret_in: ClientAuth,
}

/// Where a client with a secret puts it (RFC 6749 2.3.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic, id and secret form-encoded (`client_secret_basic`):
    /// the way every server must accept, the RFC's and OIDC's default.
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body
    /// (`client_secret_post`), for servers that ask for it.
    Post,
}

/// How the first token is had.
#[derive(Debug, Clone)]
pub enum Grant {
    ClientCredentials,
    /// A refresh token the user already holds.
    RefreshToken(String),
    /// A browser login, its redirect caught on 127.0.0.1.
    AuthorizationCode {
        authorize_url: Url,
    },
    /// A login on another device: a code to type at a URL.
    DeviceCode {
        device_url: Url,
    },
}

/// An access token and how to get the next one.
#[derive(Default)]
struct Tokens {
    access: Option<(String, Option<Instant>)>,
    refresh: Option<String>,
}

/// An OAuth2 credential source.
pub struct OAuth2 {
    pub(super) client: Client,
    grant: Grant,
    placement: Placement,
    /// The refresh token's file when the profile persists it.
    persist: Option<PathBuf>,
    /// The token endpoint's client when no connection gave its own
    /// (ssetui's TLS roots), or why there is none.
    http: Result<reqwest::Client, String>,
    /// The connection's client ([`CredentialSource::use_client`]): its
    /// proxy, CA file and TLS settings hold for the token calls too.
    connection_http: std::sync::Mutex<Option<reqwest::Client>>,
    /// Whether the authorization code grant opens a browser (it always
    /// shows the URL).
    pub(super) open_browser: bool,
    /// The resource indicator (RFC 8707) sent with the login and every
    /// token call: the MCP authorization chain's server.
    pub(super) resource: Option<String>,
    /// The issuer the login's redirect must name (RFC 9207).
    pub(super) issuer: Option<super::pkce::ExpectedIssuer>,
    tokens: Mutex<Tokens>,
}

/// A token endpoint's answer (RFC 6749 5.1 and 5.2 in one).
#[derive(Deserialize, Default)]
pub(super) struct TokenAnswer {
    pub access_token: Option<String>,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl OAuth2 {
    /// A source for `grant`; a refresh token persisted at `persist` by an
    /// earlier run is read now and used first.
    pub fn new(
        client: Client,
        grant: Grant,
        placement: Placement,
        persist: Option<PathBuf>,
    ) -> Self {
        let refresh = match &grant {
            Grant::RefreshToken(token) => Some(token.clone()),
            _ => None,
        }
        .or_else(|| persist.as_deref().and_then(read_persisted));
        Self {
            client,
            grant,
            placement,
            persist,
            http: crate::sse::client::build(
                &crate::sse::request::TransportOptions::default(),
                crate::sse::request::DEFAULT_CONNECT_TIMEOUT,
            )
            .map_err(|err| err.message),
            open_browser: true,
            resource: None,
            issuer: None,
            connection_http: std::sync::Mutex::new(None),
            tokens: Mutex::new(Tokens {
                access: None,
                refresh,
            }),
        }
    }

    /// The same source, showing the login URL without opening a browser.
    pub fn without_browser(mut self) -> Self {
        self.open_browser = false;
        self
    }

    /// The same source, naming `resource` (RFC 8707) in the authorization
    /// request and in every token request, as MCP asks ("MUST be included
    /// in both authorization requests and token requests").
    pub fn with_resource(mut self, resource: String) -> Self {
        self.resource = Some(resource);
        self
    }

    /// The same source, refusing a login redirect that names another
    /// issuer than `issuer` (RFC 9207).
    pub fn with_issuer(mut self, issuer: super::pkce::ExpectedIssuer) -> Self {
        self.issuer = Some(issuer);
        self
    }

    async fn fetch(
        &self,
        tokens: &mut Tokens,
        notices: &Notices,
    ) -> Result<String, CredentialError> {
        if let Some(refresh) = tokens.refresh.clone() {
            let mut form = vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", refresh),
            ];
            self.client_fields(&mut form);
            match self.token_call(&form).await {
                Ok(answer) => return self.keep(tokens, answer, notices),
                // A refresh token the user gave is all there is.
                Err(err) if matches!(self.grant, Grant::RefreshToken(_)) => return Err(err),
                // Expired or revoked: log in again with the grant.
                Err(_) => tokens.refresh = None,
            }
        }
        let answer = match &self.grant {
            Grant::ClientCredentials => {
                let mut form = vec![("grant_type", "client_credentials".to_owned())];
                self.client_fields(&mut form);
                self.token_call(&form).await?
            }
            Grant::RefreshToken(_) => {
                return Err(self.error("has no refresh token left to use"));
            }
            Grant::AuthorizationCode { authorize_url } => {
                super::pkce::login(self, authorize_url, notices).await?
            }
            Grant::DeviceCode { device_url } => {
                super::device::login(self, device_url, notices).await?
            }
        };
        self.keep(tokens, answer, notices)
    }

    /// The client's own fields every call sends: scope, audience, and the
    /// id and secret when they go in the body (no secret, or
    /// [`ClientAuth::Post`]); otherwise [`Self::basic_auth`] carries them.
    pub(super) fn client_fields(&self, form: &mut Vec<(&'static str, String)>) {
        if self.basic_auth().is_none() {
            form.push(("client_id", self.client.client_id.clone()));
            if let Some(secret) = &self.client.client_secret {
                form.push(("client_secret", secret.clone()));
            }
        }
        if let Some(scope) = &self.client.scope {
            form.push(("scope", scope.clone()));
        }
        if let Some(audience) = &self.client.audience {
            form.push(("audience", audience.clone()));
        }
        if let Some(resource) = &self.resource {
            form.push(("resource", resource.clone()));
        }
    }

    /// Posts a form to the token endpoint: its answer, or an error with the
    /// endpoint's own `error` and description (neutralised).
    pub(super) async fn token_call(
        &self,
        form: &[(&str, String)],
    ) -> Result<TokenAnswer, CredentialError> {
        let (status, answer) = self
            .post_form::<TokenAnswer>(&self.client.token_url, form)
            .await?;
        if answer.access_token.is_some() && status.is_success() {
            return Ok(answer);
        }
        Err(self.error(&describe_failure(status.as_u16(), &answer)))
    }

    /// The `Authorization` value of a client with a secret sent by HTTP
    /// Basic: id and secret each form-encoded first, as RFC 6749 2.3.1
    /// says (a `:` or a `%` in a secret must not change what the server reads).
    fn basic_auth(&self) -> Option<String> {
        use base64::Engine as _;
        let secret = self.client.client_secret.as_deref()?;
        if self.client.secret_in != ClientAuth::Basic {
            return None;
        }
        let encode =
            |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let pair = format!("{}:{}", encode(&self.client.client_id), encode(secret));
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        ))
    }

    /// Posts a form and reads a JSON answer, whatever the status.
    pub(super) async fn post_form<T: for<'de> Deserialize<'de> + Default>(
        &self,
        url: &Url,
        form: &[(&str, String)],
    ) -> Result<(reqwest::StatusCode, T), CredentialError> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        let given = self
            .connection_http
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let http = match given {
            Some(http) => http,
            None => self.http.clone().map_err(|why| self.error(&why))?,
        };
        let mut request = http
            .post(url.clone())
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(basic) = self.basic_auth() {
            request = request.header("authorization", basic);
        }
        let call = async {
            let response = request.body(body).send().await?;
            let status = response.status();
            Ok::<_, reqwest::Error>((status, response.bytes().await?))
        };
        let (status, bytes) = tokio::time::timeout(TOKEN_CALL_TIMEOUT, call)
            .await
            .map_err(|_| {
                self.error(&format!(
                    "did not answer at {url} within {}",
                    crate::text::duration(TOKEN_CALL_TIMEOUT)
                ))
            })?
            .map_err(|err| {
                self.error(&format!(
                    "could not be reached at {url}: {}",
                    crate::sse::error::detail(&err)
                ))
            })?;
        let answer = serde_json::from_slice(&bytes).unwrap_or_else(|_| T::default());
        Ok((status, answer))
    }

    /// Caches the answer's tokens (persisting a new refresh token when asked).
    fn keep(
        &self,
        tokens: &mut Tokens,
        answer: TokenAnswer,
        notices: &Notices,
    ) -> Result<String, CredentialError> {
        let access = answer
            .access_token
            .ok_or_else(|| self.error("answered without an access_token"))?;
        let expires = answer
            .expires_in
            .map(|s| Instant::now() + Duration::from_secs(s).saturating_sub(EXPIRY_MARGIN));
        tokens.access = Some((access.clone(), expires));
        if let Some(refresh) = answer.refresh_token {
            if let Some(path) = &self.persist
                && let Err(err) = write_persisted(path, &refresh)
            {
                let _ = notices.send(format!(
                    "could not keep the refresh token in {}: {err}",
                    crate::text::one_line(path.display())
                ));
            }
            tokens.refresh = Some(refresh);
        }
        Ok(access)
    }

    pub(super) fn error(&self, what: &str) -> CredentialError {
        CredentialError(format!(
            "the OAuth2 token endpoint {} {what}",
            self.client.token_url
        ))
    }
}

impl CredentialSource for OAuth2 {
    fn credential(&self, freshness: Freshness, notices: Notices) -> CredentialFuture<'_> {
        Box::pin(async move {
            let mut tokens = self.tokens.lock().await;
            if freshness == Freshness::Cached
                && let Some((token, expires)) = &tokens.access
                && expires.is_none_or(|at| Instant::now() < at)
            {
                return Ok(self.placement.credential(token));
            }
            tokens.access = None;
            let token = self.fetch(&mut tokens, &notices).await?;
            Ok(self.placement.credential(&token))
        })
    }

    fn use_client(&self, http: &reqwest::Client) {
        *self
            .connection_http
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(http.clone());
    }

    fn describe(&self) -> String {
        format!("the OAuth2 token endpoint {}", self.client.token_url)
    }
}

/// An endpoint's refusal in one line: its `error` code and description.
pub(super) fn describe_failure(status: u16, answer: &TokenAnswer) -> String {
    let code = answer.error.as_deref().unwrap_or("no error code");
    let description = answer
        .error_description
        .as_deref()
        .map(|d| {
            let d: String = d.chars().take(ERROR_SHOWN_CHARS).collect();
            format!(": {}", crate::text::one_line(d))
        })
        .unwrap_or_default();
    format!(
        "refused the request ({status}, {}){description}",
        crate::text::one_line(code)
    )
}

fn read_persisted(path: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let token = text.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

/// Through a new file renamed over the old one: a crash mid-write must not
/// leave half a refresh token to be sent next time.
fn write_persisted(path: &std::path::Path, token: &str) -> std::io::Result<()> {
    crate::private_file::write_atomically(path, format!("{token}\n").as_bytes())
}
