//! Credentials that keep a stream authenticated across reconnects: a token
//! command and OAuth2 grants, each a [`CredentialSource`](crate::sse::CredentialSource)
//! the connection asks before every attempt (and again, once, after a 401
//! or 403). The connection engine knows only that trait; this module knows
//! where tokens come from.

pub mod command;
mod device;
pub mod discovery;
pub mod oauth2;
pub mod pkce;
pub mod registration;

pub use command::TokenCommand;
pub use oauth2::{Client, ClientAuth, Grant, OAuth2};

/// Where a token goes: a header, and what precedes the token in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// `Authorization` by default.
    pub header: String,
    /// `Bearer ` by default (with its space).
    pub prefix: String,
}

impl Default for Placement {
    fn default() -> Self {
        Self {
            header: "Authorization".to_owned(),
            prefix: "Bearer ".to_owned(),
        }
    }
}
