//! The request description: everything a connection needs to open and reopen a stream.
//! Plain data, composed by `request::compose` (the command line, profiles,
//! curl commands) or edited whole in the UI's request editor.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Method;
use reqwest::Url;

use super::parser::DEFAULT_MAX_EVENT_SIZE;
use super::redact::{self, SecretNames};

/// The spec's default reconnection time when the server sends no `retry:`.
pub const DEFAULT_RETRY_DELAY: Duration = Duration::from_millis(3000);
/// The longest a back-off may grow to by default.
pub const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(30);
/// The default TCP+TLS connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many redirects are followed before the attempt fails.
pub const DEFAULT_MAX_REDIRECTS: u32 = 10;

/// Credentials sent with every attempt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Auth {
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic base64(user:password)`.
    Basic { user: String, password: String },
    /// An API key sent as a header or a query parameter.
    ApiKey {
        name: String,
        value: String,
        location: ApiKeyLocation,
    },
}

/// The header an [`Auth`] adds, as sent: what an attempt puts on the wire and
/// what a capture records (redacted there unless asked otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeader {
    pub name: String,
    pub value: String,
    /// What the value is, for an error about it ("Bearer token", "API key").
    pub what: &'static str,
}

impl Auth {
    /// The same credentials with each text field passed through `f`, told
    /// which field it is: the one walk over an `Auth`'s text that filling
    /// `{{name}}` and resolving `${env:VAR}` share, so a new kind of auth is
    /// added in one place.
    pub fn try_map_text<E>(
        &self,
        mut f: impl FnMut(Field, &str) -> Result<String, E>,
    ) -> Result<Auth, E> {
        Ok(match self {
            Auth::None => Auth::None,
            Auth::Bearer(token) => Auth::Bearer(f(Field::AuthToken, token)?),
            Auth::Basic { user, password } => Auth::Basic {
                user: f(Field::AuthUser, user)?,
                password: f(Field::AuthPassword, password)?,
            },
            Auth::ApiKey {
                name,
                value,
                location,
            } => Auth::ApiKey {
                name: f(Field::ApiKeyName, name)?,
                value: f(Field::ApiKeyValue, value)?,
                location: *location,
            },
        })
    }

    /// The header these credentials add, if they go in one.
    pub fn header(&self) -> Option<AuthHeader> {
        let (name, value, what) = match self {
            Auth::None
            | Auth::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            } => return None,
            Auth::Bearer(token) => (
                "Authorization".to_owned(),
                format!("Bearer {token}"),
                "Bearer token",
            ),
            Auth::Basic { user, password } => {
                use base64::Engine as _;
                let encoded =
                    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
                (
                    "Authorization".to_owned(),
                    format!("Basic {encoded}"),
                    "Basic credentials",
                )
            }
            Auth::ApiKey {
                name,
                value,
                location: ApiKeyLocation::Header,
            } => (name.clone(), value.clone(), "API key"),
        };
        Some(AuthHeader { name, value, what })
    }

    /// The query parameter these credentials add, if they go in the URL.
    pub fn query_pair(&self) -> Option<(&str, &str)> {
        match self {
            Auth::ApiKey {
                name,
                value,
                location: ApiKeyLocation::Query,
            } => Some((name, value)),
            _ => None,
        }
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ApiKeyLocation {
    #[default]
    Header,
    Query,
}

/// When a connection reopens by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReconnectPolicy {
    /// The spec's behaviour: after a clean end of the stream and after a network error.
    Always,
    /// Only after a network error or an idle timeout.
    OnError,
    /// Never: the first end or failure closes the connection.
    Never,
}

impl ReconnectPolicy {
    /// `always` for GET, `never` otherwise: re-sending a POST repeats a
    /// non-idempotent, often billed, request.
    pub fn default_for(method: &Method) -> Self {
        if method == Method::GET {
            Self::Always
        } else {
            Self::Never
        }
    }
}

/// Which HTTP version to speak.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HttpVersionPref {
    /// HTTP/2 when TLS negotiates it, else HTTP/1.1.
    #[default]
    Auto,
    Http1Only,
    /// HTTP/2 only; over plain http this means prior knowledge.
    Http2Only,
}

/// Transport settings: TLS, proxy, HTTP version, compression.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransportOptions {
    pub http_version: HttpVersionPref,
    /// An explicit proxy (http, https or socks5 URL); otherwise the environment's.
    pub proxy: Option<String>,
    /// Extra PEM root certificates trusted besides the system and bundled roots.
    pub ca_certs: Vec<PathBuf>,
    /// A PEM client certificate chain and its private key.
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// Skip server certificate verification.
    pub insecure: bool,
    /// Ask for a compressed body and decode it (the raw views then show decoded bytes).
    pub compressed: bool,
}

/// The retry and reconnection settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryOptions {
    /// The reconnection time until the server sends `retry:`.
    pub initial_delay: Duration,
    /// The cap for exponential back-off after failed attempts.
    pub max_delay: Duration,
    /// Consecutive failed attempts tolerated before giving up; `None` retries forever.
    pub max_retries: Option<u32>,
    /// Statuses retried (honouring `Retry-After`) instead of failing the connection.
    pub retry_statuses: Vec<u16>,
}

impl Default for RetryOptions {
    fn default() -> Self {
        Self {
            initial_delay: DEFAULT_RETRY_DELAY,
            max_delay: DEFAULT_MAX_RETRY_DELAY,
            max_retries: None,
            retry_statuses: Vec::new(),
        }
    }
}

/// Everything needed to open (and reopen) one SSE stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSpec {
    pub method: Method,
    pub url: Url,
    /// Headers in the order given; a later one with the same name adds another value.
    /// `Accept` and `Cache-Control` given here replace the defaults.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
    pub auth: Auth,
    /// Sent as `Last-Event-ID` on the first attempt when not empty.
    pub last_event_id: String,
    pub reconnect: ReconnectPolicy,
    /// Whether the user chose `reconnect` (`--reconnect`, a profile's
    /// `reconnect`, the editor) rather than taking the default for the
    /// method: only a chosen `always` reconnects after an LLM answer's end
    /// marker ([`super::end_marker`]).
    pub reconnect_explicit: bool,
    pub retry: RetryOptions,
    pub connect_timeout: Duration,
    /// No bytes for this long counts as a network error. Off by default: LLM
    /// reasoning models can be silent for minutes before their first token.
    pub idle_timeout: Option<Duration>,
    pub max_event_size: usize,
    pub max_redirects: u32,
    pub transport: TransportOptions,
    /// Header names the user marked secret (a profile's `secret_headers`):
    /// their values are masked and redacted like `Authorization`'s.
    pub secret_headers: Vec<String>,
    /// The user's exceptions to the rule of which names are secret
    /// (`[settings] secret_names` and `public_names`).
    pub secret_overrides: SecretNames,
    /// How the body is read: an event stream (required or forced) or NDJSON.
    pub body_format: super::BodyFormat,
    /// The values that were redacted where this request came from (a capture
    /// recorded without its secrets): they hold a mask, not the value, and
    /// the request is refused until each is typed in again
    /// ([`RequestSpec::to_send`]). Set from what the capture recorded, never
    /// by looking at the text.
    pub redacted: Vec<Field>,
    /// Credentials fetched before each attempt and the cookie jar: what
    /// keeps a stream authenticated across reconnects (`crate::auth`).
    pub session: super::session::Session,
    /// What the request speaks: an event stream, or MCP over HTTP.
    pub protocol: Protocol,
}

/// What a request speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Protocol {
    /// Sent once, its body read as an event stream (or NDJSON), reconnected
    /// as the SSE spec says.
    #[default]
    Sse,
    /// MCP over HTTP: negotiated with the server, then each request a POST
    /// whose answer is JSON or an event stream (`crate::mcp`); `version`
    /// forces a revision (`--mcp-version`); `capabilities` are the client
    /// capabilities declared (`--mcp-capability`), none by default.
    Mcp {
        version: Option<String>,
        capabilities: Vec<McpCapability>,
    },
}

/// A client capability an MCP connection may declare (`crate::mcp::capabilities`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum McpCapability {
    /// The server may ask for an LLM completion (`sampling/createMessage`).
    Sampling,
    /// The server may ask the user for input (`elicitation/create`).
    Elicitation,
    /// The server may ask for the client's roots (`roots/list`).
    Roots,
}

impl Protocol {
    pub fn is_mcp(&self) -> bool {
        matches!(self, Protocol::Mcp { .. })
    }
}

/// A value of a request that a user fills in, so that a problem with it (a
/// value redacted where the request came from, a variable that is not set)
/// can be pointed at, in the editor and in a message.
/// In a capture's header it is written `"url"`, `{"query":1}`, `{"header":0}`…
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The URL before its query: user info, host and path.
    Url,
    /// The value of the n-th `&`-separated pair of the URL's query (from 0,
    /// empty pairs not counted: see [`query_pairs`]).
    Query(usize),
    /// The value of `headers[n]`.
    Header(usize),
    AuthToken,
    AuthUser,
    AuthPassword,
    ApiKeyName,
    ApiKeyValue,
    Body,
    LastEventId,
}

impl RequestSpec {
    /// A GET of `url` with every default.
    pub fn get(url: Url) -> Self {
        Self::new(Method::GET, url)
    }

    /// A request with every default, the reconnect policy chosen by method.
    pub fn new(method: Method, url: Url) -> Self {
        Self {
            reconnect: ReconnectPolicy::default_for(&method),
            reconnect_explicit: false,
            method,
            url,
            headers: Vec::new(),
            body: None,
            auth: Auth::None,
            last_event_id: String::new(),
            retry: RetryOptions::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            idle_timeout: None,
            max_event_size: DEFAULT_MAX_EVENT_SIZE,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            transport: TransportOptions::default(),
            secret_headers: Vec::new(),
            secret_overrides: SecretNames::default(),
            body_format: super::BodyFormat::EventStream,
            redacted: Vec::new(),
            session: super::session::Session::default(),
            protocol: Protocol::Sse,
        }
    }

    /// Which header and query parameter names hold secrets for this request:
    /// the rule (`redact::is_secret_by_rule`) with the user's exceptions, the
    /// headers a profile marks secret and the API key's name.
    pub fn secret_names(&self) -> SecretNames {
        let api_key = match &self.auth {
            Auth::ApiKey { name, .. } => Some(name.clone()),
            _ => None,
        };
        self.secret_overrides
            .clone()
            .with_secret(self.secret_headers.iter().cloned().chain(api_key))
    }

    /// Every secret value this request sends (credentials, the values of
    /// secret headers and query parameters, a password or user name in the
    /// URL), to scrub from free text such as error messages.
    pub fn secret_values(&self) -> Vec<String> {
        let names = self.secret_names();
        let mut values = match &self.auth {
            Auth::None => Vec::new(),
            Auth::Bearer(token) => vec![token.clone()],
            Auth::Basic { user, password } => vec![password.clone(), format!("{user}:{password}")],
            Auth::ApiKey { value, .. } => vec![value.clone()],
        };
        for (name, value) in &self.headers {
            if names.is_secret(name) {
                values.push(value.clone());
                // `Bearer abc`: the credential alone too.
                if let Some((_, credential)) = value.split_once(' ') {
                    values.push(credential.trim().to_owned());
                }
            }
        }
        let proxy = self
            .transport
            .proxy
            .as_deref()
            .and_then(|p| Url::parse(p).ok());
        for url in std::iter::once(&self.url).chain(proxy.as_ref()) {
            values.extend(redact::query_values(url, &names));
            values.extend(url.password().map(str::to_owned));
            if !url.username().is_empty() {
                values.push(url.username().to_owned());
            }
        }
        values
    }
}

/// The pairs of `url`'s query as written, empty ones (`a=1&&b=2`) left out:
/// what [`Field::Query`] counts.
pub fn query_pairs(url: &Url) -> impl Iterator<Item = &str> {
    url.query()
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| !pair.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_the_request_sends_is_listed_for_scrubbing() {
        let mut spec = RequestSpec::get(
            Url::parse("http://me:url-pw@h.example/s?X-Amz-Signature=sig-1&n=42").unwrap(),
        );
        spec.headers = vec![
            ("X-Goog-Api-Key".into(), "gkey-1".into()),
            ("Authorization".into(), "Bearer tok-1".into()),
            ("X-Trace".into(), "trace-1".into()),
        ];
        spec.auth = Auth::Basic {
            user: "ann".into(),
            password: "basic-pw".into(),
        };
        spec.transport.proxy = Some("http://proxy-user:proxy-pw@p.example:3128".into());
        let values = spec.secret_values();
        for secret in [
            "gkey-1",
            "Bearer tok-1",
            "tok-1",
            "sig-1",
            "url-pw",
            "me",
            "basic-pw",
            "ann:basic-pw",
            "proxy-pw",
            "proxy-user",
        ] {
            assert!(values.iter().any(|v| v == secret), "{secret} in {values:?}");
        }
        assert!(
            !values.iter().any(|v| v == "trace-1" || v == "42"),
            "{values:?}"
        );
    }
}
