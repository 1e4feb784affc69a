//! Where a request is built: one place that composes a [`RequestSpec`] from
//! what each source says of it, and the rules every source shares, one copy
//! each: the URL policy ([`parse_url`]), the header rule ([`header`]), the
//! method token and the default method ([`parse_method`],
//! [`default_method`]).
//!
//! Each source turns what it holds into plain [`Overrides`] (no clap types,
//! no config types): the command line (`cli::RequestArgs`), a profile and
//! the settings (`config`), a curl command (`curl::parse`). [`compose`]
//! layers them in one order. The request editor edits a whole request, so it
//! does not layer; it checks its fields with the same rules.

mod compose;
pub mod header;
mod method;
mod url;
pub mod vars;

use std::path::PathBuf;
use std::time::Duration;

use reqwest::{Method, Url};

use crate::sse::redact::SecretNames;
use crate::sse::session::Session;
use crate::sse::{Auth, BodyFormat, HttpVersionPref, ReconnectPolicy};

pub use compose::{RequestError, compose};
pub use header::HeaderError;
pub use method::{InvalidMethod, default_method, parse_method};
pub use url::{UrlError, parse_url};
pub use vars::{UndefinedVar, VarSource, Vars};

/// What one source says of a request. Every field is optional: `None` (or
/// empty, or `false`) says nothing, and the layers under it decide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub url: Option<Url>,
    pub method: Option<Method>,
    /// In order; each replaces the headers of its name that layers under it
    /// give. A `Last-Event-ID` header is the initial id, not a header.
    pub headers: Vec<(String, String)>,
    pub body: Option<Body>,
    pub auth: Option<Auth>,
    pub last_event_id: Option<String>,
    pub reconnect: Option<ReconnectPolicy>,
    pub retry_delay: Option<Duration>,
    pub max_retry_delay: Option<Duration>,
    pub max_retries: Option<u32>,
    pub retry_statuses: Option<Vec<u16>>,
    pub connect_timeout: Option<Duration>,
    pub idle_timeout: Option<Duration>,
    pub max_event_size: Option<usize>,
    pub max_redirects: Option<u32>,
    pub body_format: Option<BodyFormat>,
    /// What the request speaks (a profile's `kind = "mcp"`).
    pub protocol: Option<crate::sse::Protocol>,
    pub http_version: Option<HttpVersionPref>,
    pub proxy: Option<String>,
    /// Replace the layers' under it when not empty.
    pub ca_certs: Vec<PathBuf>,
    pub client_cert: Option<(PathBuf, PathBuf)>,
    /// Turned on by any layer.
    pub insecure: bool,
    /// Turned on by any layer.
    pub compressed: bool,
    /// Header names whose values are secret, added to the layers' under it.
    pub secret_headers: Vec<String>,
    /// The exceptions to the rule of which names are secret (the settings').
    pub secret_names: Option<SecretNames>,
    /// Credentials fetched before each attempt (a token command, OAuth2)
    /// and the cookie jar (`--cookie-jar`, a UI tab's). A layer giving
    /// credentials replaces the `auth` of the layers under it, and the
    /// other way round; a jar replaces the jar under it.
    pub session: Session,
}

/// A body and the Content-Type it calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub bytes: Vec<u8>,
    pub content_type: ContentType,
}

/// How a body's Content-Type is decided, once the headers of every layer
/// are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentType {
    /// Whatever the headers say, or none (a profile's body).
    AsGiven,
    /// This type unless the headers give one (`-d`: form data).
    Default(String),
    /// This type, in place of any the headers give (`--json`; a multipart
    /// form, whose boundary is ours).
    Replace(String),
}

#[cfg(test)]
mod tests;
