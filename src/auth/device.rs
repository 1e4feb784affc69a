//! The device authorization grant (RFC 8628): a code to type at a URL on
//! any device, while ssetui polls the token endpoint at the server's
//! interval (slower after `slow_down`) until the login is done, refused or
//! expired.

use std::time::{Duration, Instant};

use reqwest::Url;
use serde::Deserialize;

use super::oauth2::{OAuth2, TokenAnswer, describe_failure};
use crate::sse::CredentialError;
use crate::sse::session::Notices;

/// RFC 8628 3.2: the interval when the server gives none.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// RFC 8628 3.5: what `slow_down` adds to the interval.
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);
/// How long a code lasts when the server does not say.
const DEFAULT_EXPIRY: Duration = Duration::from_secs(600);
/// The grant type of the polls.
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The device authorization endpoint's answer.
#[derive(Deserialize, Default)]
struct DeviceAnswer {
    device_code: Option<String>,
    user_code: Option<String>,
    verification_uri: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<u64>,
    interval: Option<u64>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Starts a device login, shows its code and URL, polls until done.
pub(super) async fn login(
    source: &OAuth2,
    device_url: &Url,
    notices: &Notices,
) -> Result<TokenAnswer, CredentialError> {
    let mut form = Vec::new();
    source.client_fields(&mut form);
    let (status, started) = source.post_form::<DeviceAnswer>(device_url, &form).await?;
    let refused = || {
        let answer = TokenAnswer {
            error: started.error.clone(),
            error_description: started.error_description.clone(),
            ..TokenAnswer::default()
        };
        CredentialError(format!(
            "the OAuth2 device endpoint {device_url} {}",
            describe_failure(status.as_u16(), &answer)
        ))
    };
    let (Some(device_code), Some(user_code), Some(uri)) = (
        started.device_code.clone(),
        started.user_code.clone(),
        started.verification_uri.clone(),
    ) else {
        return Err(refused());
    };
    let complete = started
        .verification_uri_complete
        .as_deref()
        .map(|u| format!(" (or open {})", crate::text::one_line(u)))
        .unwrap_or_default();
    let _ = notices.send(format!(
        "OAuth2 device login: open {} and enter the code {}{complete}",
        crate::text::one_line(&uri),
        crate::text::one_line(&user_code)
    ));
    let mut interval = started
        .interval
        .map_or(DEFAULT_INTERVAL, Duration::from_secs);
    let deadline = Instant::now()
        + started
            .expires_in
            .map_or(DEFAULT_EXPIRY, Duration::from_secs);
    let mut poll = vec![
        ("grant_type", DEVICE_GRANT.to_owned()),
        ("device_code", device_code),
    ];
    source.client_fields(&mut poll);
    loop {
        tokio::time::sleep(interval).await;
        if Instant::now() >= deadline {
            return Err(source.error("was not told of a device login before its code expired"));
        }
        let (status, answer) = source
            .post_form::<TokenAnswer>(&source.client.token_url, &poll)
            .await?;
        if answer.access_token.is_some() && status.is_success() {
            return Ok(answer);
        }
        match answer.error.as_deref() {
            Some("authorization_pending") => {}
            Some("slow_down") => interval += SLOW_DOWN_STEP,
            _ => return Err(source.error(&describe_failure(status.as_u16(), &answer))),
        }
    }
}
