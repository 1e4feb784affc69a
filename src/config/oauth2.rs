//! A profile's `auth = { kind = "oauth2", … }` as an OAuth2 credential source.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::ConfigError;
use super::auth::Credentials;
use super::model::{OAuth2ClientAuth, OAuth2Config, OAuth2GrantKind};
use crate::auth::{Client, ClientAuth, Grant, OAuth2, Placement};

/// The source a profile's OAuth2 table describes. `name` names the
/// profile in errors and the persisted refresh token's file.
pub(super) fn source(
    name: &str,
    config: &OAuth2Config,
    resolve: &dyn Fn(&str, &str) -> Result<String, ConfigError>,
    config_dir: Option<&Path>,
    placement: Placement,
) -> Result<Credentials, ConfigError> {
    let invalid = |message: String| ConfigError::InvalidProfile {
        profile: name.to_owned(),
        message,
    };
    let url = |field: &str, text: &str| -> Result<reqwest::Url, ConfigError> {
        let text = resolve(field, text)?;
        reqwest::Url::parse(&text).map_err(|err| invalid(format!("{field}: {err}")))
    };
    let optional = |field: &str, value: &Option<String>| -> Result<Option<String>, ConfigError> {
        value.as_deref().map(|v| resolve(field, v)).transpose()
    };
    let client = Client {
        token_url: url("auth.token_url", &config.token_url)?,
        client_id: resolve("auth.client_id", &config.client_id)?,
        client_secret: optional("auth.client_secret", &config.client_secret)?,
        scope: optional("auth.scope", &config.scope)?,
        audience: optional("auth.audience", &config.audience)?,
        secret_in: match config.client_auth {
            OAuth2ClientAuth::Basic => ClientAuth::Basic,
            OAuth2ClientAuth::Post => ClientAuth::Post,
        },
    };
    let required = |field: &str, value: &Option<String>| {
        value
            .clone()
            .ok_or_else(|| invalid(format!("{field} is required by this grant")))
    };
    let grant = match config.grant {
        OAuth2GrantKind::ClientCredentials => Grant::ClientCredentials,
        OAuth2GrantKind::RefreshToken => Grant::RefreshToken(resolve(
            "auth.refresh_token",
            &required("auth.refresh_token", &config.refresh_token)?,
        )?),
        OAuth2GrantKind::AuthorizationCode => Grant::AuthorizationCode {
            authorize_url: url(
                "auth.authorize_url",
                &required("auth.authorize_url", &config.authorize_url)?,
            )?,
        },
        OAuth2GrantKind::DeviceCode => Grant::DeviceCode {
            device_url: url(
                "auth.device_url",
                &required("auth.device_url", &config.device_url)?,
            )?,
        },
    };
    let persist = config
        .persist
        .then(|| persist_path(name, config_dir))
        .flatten();
    Ok(Arc::new(OAuth2::new(client, grant, placement, persist)))
}

/// `oauth2-NAME.token` in `config_dir` (else beside the config file the
/// environment or the default names), the name made safe for a file name.
fn persist_path(profile: &str, config_dir: Option<&Path>) -> Option<PathBuf> {
    let dir = match config_dir {
        Some(dir) => dir.to_owned(),
        None => super::location::resolve(None)?.parent()?.to_owned(),
    };
    let safe: String = profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Some(dir.join(format!("oauth2-{safe}.token")))
}
