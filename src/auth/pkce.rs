//! The authorization code grant with PKCE (RFC 7636, S256) and a loopback
//! redirect (RFC 8252 7.3): a listener on 127.0.0.1 at a free port catches
//! the browser's redirect, checks its `state`, and the code is exchanged
//! with the verifier whose hash the login was started with.

use std::time::Duration;

use base64::Engine as _;
use reqwest::Url;
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

use super::oauth2::{OAuth2, TokenAnswer};
use crate::sse::CredentialError;
use crate::sse::session::Notices;

#[cfg(test)]
mod tests;

/// How long the login may take in the browser.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);
/// The longest redirect request head read.
const MAX_REDIRECT_HEAD: usize = 16 * 1024;
/// The redirect's path on the listener (a client registered for the
/// loopback redirect names it, with no port: RFC 8252 7.3).
pub const CALLBACK_PATH: &str = "/callback";

/// The issuer a login's redirect must name (RFC 9207): the one whose
/// metadata gave the authorize endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedIssuer {
    pub issuer: String,
    /// `authorization_response_iss_parameter_supported`: `iss` must be there.
    pub advertised: bool,
}

/// A PKCE code verifier: 32 random bytes, base64url (43 characters).
pub fn new_verifier() -> Result<String, CredentialError> {
    Ok(base64url(&random_bytes()?))
}

/// The S256 challenge of a verifier: base64url(sha256(verifier)).
pub fn challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn random_bytes() -> Result<[u8; 32], CredentialError> {
    use std::io::Read as _;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|err| CredentialError(format!("no random bytes for the OAuth2 login: {err}")))?;
    Ok(bytes)
}

/// Runs the browser login: shows the URL (and opens a browser where one
/// can be), waits for the redirect, exchanges the code.
pub(super) async fn login(
    source: &OAuth2,
    authorize_url: &Url,
    notices: &Notices,
) -> Result<TokenAnswer, CredentialError> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|err| {
        CredentialError(format!(
            "cannot listen on 127.0.0.1 for the OAuth2 redirect: {err}"
        ))
    })?;
    let port = listener
        .local_addr()
        .map_err(|err| CredentialError(format!("the OAuth2 redirect listener: {err}")))?
        .port();
    let redirect_uri = format!("http://127.0.0.1:{port}{CALLBACK_PATH}");
    let verifier = new_verifier()?;
    let state = new_verifier()?;
    let mut url = authorize_url.clone();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &source.client.client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge(&verifier))
            .append_pair("code_challenge_method", "S256");
        if let Some(scope) = &source.client.scope {
            query.append_pair("scope", scope);
        }
        if let Some(audience) = &source.client.audience {
            query.append_pair("audience", audience);
        }
        if let Some(resource) = &source.resource {
            query.append_pair("resource", resource);
        }
    }
    let _ = notices.send(format!("OAuth2 login: open {url}"));
    if source.open_browser {
        open_browser(url.as_str());
    }
    let issuer = source.issuer.as_ref();
    let code = tokio::time::timeout(LOGIN_TIMEOUT, wait_for_code(&listener, &state, issuer))
        .await
        .map_err(|_| {
            CredentialError(format!(
                "the OAuth2 login did not come back to {redirect_uri} within {}",
                crate::text::duration(LOGIN_TIMEOUT)
            ))
        })??;
    let mut form = vec![
        ("grant_type", "authorization_code".to_owned()),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    source.client_fields(&mut form);
    source.token_call(&form).await
}

/// Accepts redirects until one carries this login's `state`: its `code`.
async fn wait_for_code(
    listener: &TcpListener,
    state: &str,
    issuer: Option<&ExpectedIssuer>,
) -> Result<String, CredentialError> {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            continue;
        };
        let mut head = Vec::new();
        let mut buf = [0u8; 2048];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REDIRECT_HEAD {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let answer = redirect_answer(&head, state, issuer);
        let page = match &answer {
            Some(Ok(_)) => "Logged in: you can close this tab and go back to ssetui.",
            Some(Err(_)) => "The login failed: see ssetui for why.",
            None => "Not this login's redirect.",
        };
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
            page.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        if let Some(answer) = answer {
            return answer;
        }
    }
}

/// What a redirect request says: `None` when it is not this login's
/// (another path, another state), else its code or the error it carries.
/// With an expected issuer, its `iss` is checked first (RFC 9207 §2.4, as
/// MCP 2026-07-28 asks: compared as strings, unnormalised; required when
/// the server advertises it); on a mismatch neither the code nor the
/// error is used.
fn redirect_answer(
    head: &[u8],
    state: &str,
    issuer: Option<&ExpectedIssuer>,
) -> Option<Result<String, CredentialError>> {
    let head = String::from_utf8_lossy(head);
    let target = head.lines().next()?.split(' ').nth(1)?;
    let url = Url::parse(&format!("http://127.0.0.1{target}")).ok()?;
    if url.path() != CALLBACK_PATH {
        return None;
    }
    let get = |key: &str| {
        url.query_pairs()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    if get("state").as_deref() != Some(state) {
        return None;
    }
    if let Some(expected) = issuer {
        let wrong = match get("iss") {
            Some(iss) if iss != expected.issuer => Some(format!(
                "names the issuer {}, not {}",
                crate::text::one_line(crate::text::cut(&iss, 200)),
                crate::text::one_line(&expected.issuer)
            )),
            None if expected.advertised => Some(format!(
                "has no iss, though {} says it sends one",
                crate::text::one_line(&expected.issuer)
            )),
            _ => None,
        };
        if let Some(wrong) = wrong {
            return Some(Err(CredentialError(format!(
                "the OAuth2 login's redirect {wrong} (RFC 9207): its answer is not used"
            ))));
        }
    }
    if let Some(error) = get("error") {
        let description = get("error_description").unwrap_or_default();
        return Some(Err(CredentialError(format!(
            "the OAuth2 login was refused: {} {}",
            crate::text::one_line(error),
            crate::text::one_line(description)
        ))));
    }
    Some(
        get("code")
            .ok_or_else(|| CredentialError("the OAuth2 redirect carried no code".to_owned())),
    )
}

/// Opens `url` in a browser, best effort: `open` on macOS, `xdg-open`
/// elsewhere; nothing when `SSETUI_NO_BROWSER` is set. The URL is shown
/// either way.
fn open_browser(url: &str) {
    if std::env::var_os("SSETUI_NO_BROWSER").is_some() {
        return;
    }
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(program)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
