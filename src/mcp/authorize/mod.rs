//! The MCP authorization chain, followed when a server answers 401 to a
//! connection that has no credential of its own (MCP 2025-11-25 and
//! 2026-07-28, `basic/authorization`): the Protected Resource Metadata
//! (RFC 9728), its authorization server's metadata (RFC 8414 / OIDC
//! Discovery), a client id (given, or registered by RFC 7591), then the
//! authorization code grant with PKCE and a loopback redirect, naming the
//! server as `resource` (RFC 8707). The login itself is the OAuth2 source
//! of `auth` (`auth::pkce`); its refresh token and the client are kept per
//! server ([`store`]), so a later run refreshes instead of logging in.

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::Url;

use crate::auth::discovery::{self, ChainError, Challenge, Step};
use crate::auth::pkce::ExpectedIssuer;
use crate::auth::{Client, ClientAuth, Grant, OAuth2, Placement};
use crate::sse::session::{Credential, Freshness};
use crate::sse::{CredentialError, CredentialSource};

mod follow;
pub mod store;

use store::Saved;

/// How the chain runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where clients and refresh tokens are kept between runs; `None`
    /// keeps them for this run only.
    pub store_dir: Option<PathBuf>,
    /// A client id the user gave: nothing is registered.
    pub client_id: Option<String>,
    /// Whether the login opens a browser (its URL is shown either way).
    pub open_browser: bool,
}

impl Options {
    /// Tokens kept in `mcp-auth/` beside the config file at `config`
    /// (none kept without one), logging in as `client_id` when given.
    pub fn kept_beside(config: Option<&std::path::Path>, client_id: Option<String>) -> Self {
        Self {
            store_dir: config
                .and_then(std::path::Path::parent)
                .map(|dir| dir.join("mcp-auth")),
            client_id,
            open_browser: true,
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            store_dir: None,
            client_id: None,
            open_browser: true,
        }
    }
}

/// One step as followed: what was found, or why it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    pub step: Step,
    pub outcome: Result<String, String>,
}

/// The chain of one connection: the source it built, once it has.
pub struct Authorizer {
    options: Options,
    state: tokio::sync::Mutex<State>,
    followed: std::sync::Mutex<Vec<Followed>>,
    /// Whether the source in force is a client kept from an earlier run
    /// (not found by this run's discovery).
    kept: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct State {
    source: Option<Arc<OAuth2>>,
    /// The credential last handed out: a 401 to an older one needs no new login.
    last: Option<Credential>,
}

impl Authorizer {
    pub fn new(options: Options) -> Self {
        Self {
            options,
            state: tokio::sync::Mutex::new(State::default()),
            followed: std::sync::Mutex::new(Vec::new()),
            kept: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The steps followed so far, in order.
    pub fn followed(&self) -> Vec<Followed> {
        self.lock_followed().clone()
    }

    fn lock_followed(&self) -> std::sync::MutexGuard<'_, Vec<Followed>> {
        self.followed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn note(&self, step: Step, outcome: Result<String, String>) {
        self.lock_followed().push(Followed { step, outcome });
    }

    /// Whether the credential in force came from a client kept from an
    /// earlier run: a refusal of it is worth one more round of the chain.
    pub fn uses_kept_client(&self) -> bool {
        self.kept.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Notes that the server refused the chain's token.
    pub fn refused(&self, why: &str) {
        self.note(Step::Login, Err(why.to_owned()));
    }

    /// Notes a failed step and gives its error.
    fn fail(&self, error: ChainError) -> ChainError {
        self.note(error.step, Err(error.message.clone()));
        error
    }

    /// A credential for `server`, which answered 401 with `challenge` to a
    /// request carrying `sent`. What the login asks of the user goes to
    /// `notice` as it happens.
    pub async fn authorize(
        &self,
        http: &reqwest::Client,
        server: &Url,
        challenge: &Challenge,
        sent: Option<&Credential>,
        notice: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<Credential, ChainError> {
        let mut state = self.state.lock().await;
        if state.last.as_ref() != sent
            && let Some(last) = state.last.clone()
        {
            return Ok(last);
        }
        // A kept client's token refused: the server may have moved to
        // another authorization server, whose metadata the chain finds.
        if self.kept.swap(false, std::sync::atomic::Ordering::Relaxed) {
            *state = State::default();
            return self
                .follow_and_log_in(&mut state, http, server, challenge, notice)
                .await;
        }
        if let Some(source) = state.source.clone() {
            let fresh = ask(source.as_ref(), Freshness::Rejected, notice)
                .await
                .map_err(|err| ChainError::new(Step::Login, err.0))?;
            state.last = Some(fresh.clone());
            return Ok(fresh);
        }
        let key = discovery::canonical_resource(server);
        if let Some(dir) = &self.options.store_dir
            && let Some(saved) = store::load(dir, &key)
            && self
                .options
                .client_id
                .as_ref()
                .is_none_or(|id| *id == saved.client_id)
            && let Some(source) = self.source(&saved, http)
            && let Ok(credential) = ask(source.as_ref(), Freshness::Cached, notice).await
        {
            self.note(
                Step::Registration,
                Ok(format!(
                    "the client kept from an earlier run, at {}",
                    saved.issuer
                )),
            );
            self.note(
                Step::Login,
                Ok(format!(
                    "a token from {} for the kept client",
                    saved.token_endpoint
                )),
            );
            state.source = Some(source);
            state.last = Some(credential.clone());
            self.kept.store(true, std::sync::atomic::Ordering::Relaxed);
            return Ok(credential);
        }
        self.follow_and_log_in(&mut state, http, server, challenge, notice)
            .await
    }

    /// The whole chain: discovery, registration, login.
    async fn follow_and_log_in(
        &self,
        state: &mut State,
        http: &reqwest::Client,
        server: &Url,
        challenge: &Challenge,
        notice: &(dyn Fn(&str) + Send + Sync),
    ) -> Result<Credential, ChainError> {
        let key = discovery::canonical_resource(server);
        let saved = self.follow(http, server, &key, challenge).await?;
        if let Some(dir) = &self.options.store_dir
            && let Err(err) = store::save(dir, &saved)
        {
            notice(&format!(
                "could not keep the MCP client in {}: {err}",
                crate::text::one_line(dir.display())
            ));
        }
        let source = self.source(&saved, http).ok_or_else(|| {
            self.fail(ChainError::new(
                Step::ServerMetadata,
                "the authorization server's endpoints are no URLs",
            ))
        })?;
        let credential = ask(source.as_ref(), Freshness::Cached, notice)
            .await
            .map_err(|err| self.fail(ChainError::new(Step::Login, err.0)))?;
        self.note(
            Step::Login,
            Ok(format!("a token from {}", saved.token_endpoint)),
        );
        state.source = Some(source);
        state.last = Some(credential.clone());
        Ok(credential)
    }

    /// The OAuth2 source that logs in (and refreshes) with `saved`; `None`
    /// when its endpoints are no URLs (a hand-edited file).
    fn source(&self, saved: &Saved, http: &reqwest::Client) -> Option<Arc<OAuth2>> {
        let client = Client {
            token_url: Url::parse(&saved.token_endpoint).ok()?,
            client_id: saved.client_id.clone(),
            client_secret: saved.client_secret.clone(),
            scope: saved.scope.clone(),
            audience: None,
            secret_in: if saved.secret_in_body {
                ClientAuth::Post
            } else {
                ClientAuth::Basic
            },
        };
        let grant = Grant::AuthorizationCode {
            authorize_url: Url::parse(&saved.authorization_endpoint).ok()?,
        };
        let persist = self
            .options
            .store_dir
            .as_deref()
            .map(|dir| store::token_path(dir, &saved.server));
        let mut source = OAuth2::new(client, grant, Placement::default(), persist)
            .with_resource(saved.resource.clone())
            .with_issuer(ExpectedIssuer {
                issuer: saved.issuer.clone(),
                advertised: saved.iss_advertised,
            });
        if !self.options.open_browser {
            source = source.without_browser();
        }
        source.use_client(http);
        Some(Arc::new(source))
    }
}

/// Asks `source` for a credential, showing its notices (a login URL)
/// while it waits: a login cannot finish before the user has its URL.
pub async fn ask(
    source: &dyn CredentialSource,
    freshness: Freshness,
    mut notice: impl FnMut(&str),
) -> Result<Credential, CredentialError> {
    let (notices, mut notes) = tokio::sync::mpsc::unbounded_channel();
    let mut fetched = source.credential(freshness, notices);
    loop {
        tokio::select! {
            result = &mut fetched => {
                while let Ok(note) = notes.try_recv() {
                    notice(&note);
                }
                return result;
            }
            Some(note) = notes.recv() => notice(&note),
        }
    }
}
