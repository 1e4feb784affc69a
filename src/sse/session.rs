//! What a connection keeps from one attempt to the next besides its request:
//! credentials that are fetched (and fetched again) before an attempt, and
//! the cookies servers set. The connection engine sees credentials only as
//! a [`CredentialSource`]; where they come from (a token command, an OAuth2
//! grant) lives in `crate::auth`, a later layer.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};

use reqwest::Url;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::cookies::CookieJar;
use super::error::{ConnError, ErrorKind};

/// One credential as an attempt sends it: a header and its value.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The header it goes in (`Authorization`).
    pub header: String,
    /// The whole value sent (`Bearer abc`).
    pub value: String,
    /// The secret part alone (`abc`), scrubbed from any message.
    pub secret: String,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the value: a Debug print of a request must not leak it.
        write!(f, "Credential({}: ***)", self.header)
    }
}

/// Whether the credential cached so far will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// The cached one, unless it is older than its source allows.
    Cached,
    /// A new one: the server answered 401 or 403 to the cached one.
    Rejected,
}

/// A credential being fetched.
pub type CredentialFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credential, CredentialError>> + Send + 'a>>;

/// Why no credential could be had, in words for the user: what failed (the
/// command, the token endpoint) and what it said, neutralised, never the
/// credential itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

/// Where a source tells the user what a login needs of them (a URL to
/// open, a code to type): the connection shows each line as it comes.
pub type Notices = tokio::sync::mpsc::UnboundedSender<String>;

/// Where an attempt's credential comes from: asked before every attempt,
/// by the connection task itself (not the UI), so that a reconnect an hour
/// into a stream sends a token that is valid then.
pub trait CredentialSource: Send + Sync {
    /// The credential for the next attempt; what the user must do for it
    /// goes to `notices`.
    fn credential(&self, freshness: Freshness, notices: Notices) -> CredentialFuture<'_>;
    /// The source, for messages: "the token command `gcloud auth …`".
    fn describe(&self) -> String;
    /// The connection's HTTP client, given before each [`credential`]
    /// (Self::credential): a source that calls a server (an OAuth2 token
    /// endpoint) goes through it, so the request's proxy, CA file and TLS
    /// settings hold for that call too, as curl's options hold for every
    /// request it makes.
    fn use_client(&self, http: &reqwest::Client) {
        let _ = http;
    }
}

/// A cookie jar shared by the attempts of a connection (and, in the UI, by
/// every connection of a tab).
pub type SharedJar = Arc<Mutex<CookieJar>>;

/// A new empty shared jar, or one holding `jar`.
pub fn shared_jar(jar: CookieJar) -> SharedJar {
    Arc::new(Mutex::new(jar))
}

/// The jar, even when a thread panicked holding it (its cookies still are
/// what they were).
pub fn lock(jar: &SharedJar) -> MutexGuard<'_, CookieJar> {
    jar.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A connection's credentials and cookies. Two sessions are equal when they
/// share the same source and the same jar.
#[derive(Clone, Default)]
pub struct Session {
    pub credentials: Option<Arc<dyn CredentialSource>>,
    pub cookies: Option<SharedJar>,
}

impl Session {
    /// Whether a 401 or 403 may be answered by refreshing: a credential
    /// source is set, or the jar holds cookies (a rejection may have
    /// replaced one). An empty jar changes nothing on a retry.
    pub fn can_refresh(&self) -> bool {
        self.credentials.is_some()
            || self
                .cookies
                .as_ref()
                .is_some_and(|jar| !lock(jar).is_empty())
    }

    /// Names what supplies the credentials, for the message of a second
    /// rejection.
    pub fn describe(&self) -> String {
        match (&self.credentials, &self.cookies) {
            (Some(source), _) => source.describe(),
            (None, Some(_)) => "the cookie jar".to_owned(),
            (None, None) => "no auth source".to_owned(),
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field(
                "credentials",
                &self.credentials.as_ref().map(|c| c.describe()),
            )
            .field("cookies", &self.cookies.as_ref().map(|j| lock(j).len()))
            .finish()
    }
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        let same_source = match (&self.credentials, &other.credentials) {
            (None, None) => true,
            (Some(a), Some(b)) => std::ptr::addr_eq(Arc::as_ptr(a), Arc::as_ptr(b)),
            _ => false,
        };
        let same_jar = match (&self.cookies, &other.cookies) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        same_source && same_jar
    }
}

impl Eq for Session {}

/// Adds the credential (replacing a header of its name) and the jar's
/// cookies for `url` (after a `Cookie` header the user gave) to an
/// attempt's headers.
pub fn apply(
    headers: &mut HeaderMap,
    url: &Url,
    credential: Option<&Credential>,
    jar: Option<&SharedJar>,
) -> Result<(), ConnError> {
    if let Some(credential) = credential {
        let name = HeaderName::from_bytes(credential.header.trim().as_bytes()).map_err(|_| {
            ConnError::new(
                ErrorKind::Request,
                format!("invalid credential header name {:?}", credential.header),
            )
        })?;
        let mut value = HeaderValue::from_str(&credential.value).map_err(|_| {
            ConnError::new(
                ErrorKind::Request,
                "the fetched token holds characters a header cannot carry",
            )
        })?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    let Some(jar) = jar else { return Ok(()) };
    let Some(cookies) = lock(jar).header_for(url, now_secs()) else {
        return Ok(());
    };
    let joined = match headers.get(reqwest::header::COOKIE) {
        Some(given) => format!("{}; {cookies}", String::from_utf8_lossy(given.as_bytes())),
        None => cookies,
    };
    // A cookie the jar could not send is dropped, not the attempt.
    if let Ok(mut value) = HeaderValue::from_str(&joined) {
        value.set_sensitive(true);
        headers.insert(reqwest::header::COOKIE, value);
    }
    Ok(())
}

/// Keeps the `Set-Cookie`s of a response from `url`.
pub fn store(jar: &SharedJar, url: &Url, headers: &HeaderMap) {
    let mut set = headers
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .peekable();
    if set.peek().is_none() {
        return;
    }
    let now = now_secs();
    let mut jar = lock(jar);
    for line in set {
        jar.store(url, line, now);
    }
}

/// Seconds since the Unix epoch, the unit of a cookie's expiry.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
