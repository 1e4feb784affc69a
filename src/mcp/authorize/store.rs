//! What the authorization chain keeps between runs, per MCP server: the
//! client it registered (or was given) with the endpoints it found, in
//! `DIR/<host>-<hash>.json`, and the refresh token beside it in
//! `DIR/<host>-<hash>.token` (written by the OAuth2 source as a profile's
//! persisted token is). Both 0600, written through `private_file`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

/// A server's client, as found and registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    /// The canonical URI of the MCP server the entry is for.
    pub server: String,
    /// The `resource` sent (RFC 8707), from the server's metadata.
    pub resource: String,
    /// The authorization server's issuer, as its validated metadata names
    /// it: a client id is only good there, and the login's redirect must
    /// name it (RFC 9207).
    pub issuer: String,
    /// Whether the server said its redirects carry `iss`.
    #[serde(default)]
    pub iss_advertised: bool,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Whether a secret goes in the body (`client_secret_post`).
    #[serde(default)]
    pub secret_in_body: bool,
    #[serde(default)]
    pub scope: Option<String>,
}

/// The files' shared name for `server`: its host made safe, and a hash of
/// the whole canonical URI (two endpoints on one host differ).
fn stem(server: &str) -> String {
    let host = reqwest::Url::parse(server)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let safe: String = host
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let hash = Sha256::digest(server.as_bytes());
    let hex: String = hash[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{safe}-{hex}")
}

/// The client file of `server`.
pub fn client_path(dir: &Path, server: &str) -> PathBuf {
    dir.join(format!("{}.json", stem(server)))
}

/// The refresh token file of `server`.
pub fn token_path(dir: &Path, server: &str) -> PathBuf {
    dir.join(format!("{}.token", stem(server)))
}

/// The saved client of `server`, if one is there and readable.
pub fn load(dir: &Path, server: &str) -> Option<Saved> {
    let text = std::fs::read(client_path(dir, server)).ok()?;
    let saved: Saved = serde_json::from_slice(&text).ok()?;
    (saved.server == server).then_some(saved)
}

/// Keeps `saved` (replacing the server's entry) and drops a refresh token
/// issued to an earlier client.
pub fn save(dir: &Path, saved: &Saved) -> std::io::Result<()> {
    let token = token_path(dir, &saved.server);
    if load(dir, &saved.server).is_none_or(|old| old.client_id != saved.client_id) {
        match std::fs::remove_file(&token) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
    }
    let json = serde_json::to_vec_pretty(saved).map_err(std::io::Error::other)?;
    crate::private_file::write_atomically(&client_path(dir, &saved.server), &json)
}
