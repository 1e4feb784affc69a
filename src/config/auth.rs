//! A profile's token command or OAuth2 grant, made into the credential
//! source its connections ask before each attempt (`crate::auth`).

use std::sync::Arc;

use super::ConfigError;
use super::model::{Profile, ProfileAuth};
use crate::auth::{Placement, TokenCommand};
use crate::sse::CredentialSource;

/// A credential source as a profile gives it.
pub type Credentials = Arc<dyn CredentialSource>;

impl Profile {
    /// The credential source of a `command` or `oauth2` auth, `None` for
    /// the others. `resolve` resolves `${env:…}` for a named field.
    pub(super) fn credentials(
        &self,
        name: &str,
        resolve: &dyn Fn(&str, &str) -> Result<String, ConfigError>,
        config_dir: Option<&std::path::Path>,
    ) -> Result<Option<Credentials>, ConfigError> {
        let invalid = |message: &str| ConfigError::InvalidProfile {
            profile: name.to_owned(),
            message: message.to_owned(),
        };
        let placement = |header: &Option<String>, prefix: &Option<String>| {
            let default = Placement::default();
            Placement {
                header: header.clone().unwrap_or(default.header),
                prefix: prefix.clone().unwrap_or(default.prefix),
            }
        };
        match &self.auth {
            ProfileAuth::Command {
                command,
                ttl,
                timeout,
                header,
                prefix,
            } => {
                let argv = command
                    .iter()
                    .map(|arg| resolve("auth.command", arg))
                    .collect::<Result<Vec<_>, _>>()?;
                let source = TokenCommand::new(argv, *ttl, *timeout, placement(header, prefix))
                    .ok_or_else(|| invalid("auth.command: the program to run is missing"))?;
                Ok(Some(Arc::new(source)))
            }
            ProfileAuth::Oauth2(config) => {
                let source = super::oauth2::source(
                    name,
                    config,
                    resolve,
                    config_dir,
                    placement(&config.header, &config.prefix),
                )?;
                Ok(Some(source))
            }
            _ => Ok(None),
        }
    }
}
