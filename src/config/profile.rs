//! Profiles to requests and back. `to_overrides` makes the layer
//! `request::compose` puts over the settings, its `${env:…}` references
//! checked but kept for the moment the request is sent (the URL's and the
//! method's, which must parse first, resolved); `from_spec` keeps the
//! references of the profile it started from wherever the value did not
//! change, so a save never writes a resolved secret over a reference.

use super::ConfigError;
use super::model::{Headers, Profile, ProfileAuth};
use crate::request::vars::Piece;
use crate::request::{self, Body, ContentType, Overrides, VarSource, Vars};
use crate::sse::env_ref::{self, EnvRefError};
use crate::sse::redact::{self, SecretNames};
use crate::sse::request::{Auth, ReconnectPolicy, RequestSpec};

pub use crate::sse::env_ref::EnvLookup;

impl Profile {
    /// The request this profile describes alone, references resolved from
    /// the process environment. `name` is for the error messages.
    pub fn to_spec(&self, name: &str) -> Result<RequestSpec, ConfigError> {
        self.to_spec_with(name, &env_ref::process_env)
    }

    /// [`Profile::to_spec`] with the environment given.
    pub fn to_spec_with(&self, name: &str, env: EnvLookup<'_>) -> Result<RequestSpec, ConfigError> {
        let vars = Vars::new().with(VarSource::Profile(name.to_owned()), self.vars.0.clone());
        request::compose([self.to_overrides(name, env, &vars)?])
            .map_err(|e| invalid(name, e.to_string()))
    }

    /// What this profile says of a request, `{{name}}` placeholders filled
    /// from `vars` and then `${env:…}` references resolved from `env`: the
    /// layer `request::compose` puts over the settings and under the
    /// command line. `name` is for the error messages.
    pub fn to_overrides(
        &self,
        name: &str,
        env: EnvLookup<'_>,
        vars: &Vars,
    ) -> Result<Overrides, ConfigError> {
        self.to_overrides_in(name, env, None, vars)
    }

    /// [`Profile::to_overrides`] for a profile of the config file in
    /// `config_dir`, where an OAuth2 refresh token it persists is kept
    /// (`None`: beside the config file `SSETUI_CONFIG` or the default names).
    pub fn to_overrides_in(
        &self,
        name: &str,
        env: EnvLookup<'_>,
        config_dir: Option<&std::path::Path>,
        vars: &Vars,
    ) -> Result<Overrides, ConfigError> {
        let env_error = |field: &str, err: EnvRefError| match err {
            EnvRefError::Missing(var) => ConfigError::MissingEnv {
                profile: name.to_owned(),
                var,
            },
            EnvRefError::Unterminated => invalid(
                name,
                format!("{field}: \"${{env:\" without its closing \"}}\""),
            ),
        };
        // `${env:…}` references, the profile's own and a variable's (an
        // environment's `token = "${env:STAGING_TOKEN}"`), are kept for the
        // moment the request is sent (`RequestSpec::to_send`), so the request
        // names the secret instead of holding it: `Y` writes "$STAGING_TOKEN"
        // and a capture or the history never sees the value. The profile's
        // own are checked now, so a variable not set is still the profile's
        // error as it opens.
        let resolve = |field: &str, text: &str| -> Result<String, ConfigError> {
            let pieces = vars
                .pieces(field, text)
                .map_err(|e| invalid(name, e.to_string()))?;
            let mut out = String::with_capacity(text.len());
            for piece in pieces {
                match piece {
                    Piece::Written(text) => {
                        env_ref::resolve(&text, env).map_err(|e| env_error(field, e))?;
                        out.push_str(&text);
                    }
                    Piece::Value(value) => out.push_str(&value),
                }
            }
            Ok(out)
        };
        // Fields that must parse before the request exists: resolved whole.
        let resolve_all = |field: &str, text: &str| -> Result<String, ConfigError> {
            let text = vars
                .fill(field, text)
                .map_err(|e| invalid(name, e.to_string()))?;
            env_ref::resolve(&text, env).map_err(|e| env_error(field, e))
        };
        let url_text = resolve_all("url", &self.url)?;
        let url = request::parse_url(&url_text).map_err(|e| invalid(name, e.to_string()))?;
        let body = self
            .body
            .as_deref()
            .map(|b| resolve("body", b))
            .transpose()?;
        let method = match &self.method {
            Some(text) => {
                let text = resolve_all("method", text)?;
                let method = request::parse_method(&text.trim().to_ascii_uppercase())
                    .map_err(|e| invalid(name, e.to_string()))?;
                Some(method)
            }
            None => None,
        };
        let mut headers = Vec::with_capacity(self.headers.0.len());
        for (header, value) in &self.headers.0 {
            let value = resolve(&format!("headers.{header}"), value)?;
            request::header::check(header, &value).map_err(|e| invalid(name, e.to_string()))?;
            headers.push((header.clone(), value));
        }
        let last_event_id = match &self.last_event_id {
            Some(id) => Some(resolve("last_event_id", id)?),
            None => None,
        };
        let auth = match &self.auth {
            ProfileAuth::None => None,
            ProfileAuth::Bearer { token } => Some(Auth::Bearer(resolve("auth.token", token)?)),
            ProfileAuth::Basic { user, password } => Some(Auth::Basic {
                user: resolve("auth.user", user)?,
                password: resolve("auth.password", password)?,
            }),
            ProfileAuth::ApiKey {
                name: key,
                value,
                location,
            } => Some(Auth::ApiKey {
                name: resolve("auth.name", key)?,
                value: resolve("auth.value", value)?,
                location: *location,
            }),
            ProfileAuth::Command { .. } | ProfileAuth::Oauth2(_) => None,
        };
        let credentials = self.credentials(name, &resolve_all, config_dir)?;
        Ok(Overrides {
            url: Some(url),
            method,
            headers,
            body: body.map(|text| Body {
                bytes: text.into_bytes(),
                content_type: ContentType::AsGiven,
            }),
            auth,
            last_event_id,
            reconnect: self.reconnect,
            body_format: self.parse_as,
            protocol: match self.kind {
                Some(super::model::ProfileKind::Mcp) => Some(crate::sse::Protocol::Mcp {
                    version: self.mcp_version.clone(),
                    capabilities: Vec::new(),
                }),
                Some(super::model::ProfileKind::Sse) => Some(crate::sse::Protocol::Sse),
                None => None,
            },
            secret_headers: self.secret_headers.clone(),
            session: crate::sse::Session {
                credentials,
                cookies: None,
            },
            ..Overrides::default()
        })
    }

    /// The method as lists show it: the one written (upper-cased), else
    /// the one a request from this profile alone takes.
    pub fn shown_method(&self) -> String {
        match &self.method {
            Some(method) => method.trim().to_ascii_uppercase(),
            None => request::default_method(self.body.is_some()).to_string(),
        }
    }

    /// The profile that saves `spec`. Values equal to what `previous` resolves
    /// to are written as `previous` wrote them (references included); the
    /// description and the secret header names are carried over.
    pub fn from_spec(spec: &RequestSpec, previous: Option<&Profile>) -> Profile {
        Self::from_spec_with(spec, previous, &env_ref::process_env, &[])
    }

    /// [`Profile::from_spec`] with the environment given, and the sets of
    /// variables `spec` may have been filled from (each environment's): a
    /// previous `{{name}}` is kept when it fills to the value under one.
    pub fn from_spec_with(
        spec: &RequestSpec,
        previous: Option<&Profile>,
        env: EnvLookup<'_>,
        vars: &[Vars],
    ) -> Profile {
        let no_vars = [Vars::new()];
        let var_sets = if vars.is_empty() { &no_vars[..] } else { vars };
        // Whether the previous raw text still resolves to what `is_now` wants.
        let resolves = |raw: &str, is_now: &dyn Fn(&str) -> bool| -> bool {
            var_sets.iter().any(|vars| {
                // A variable's `${env:…}` may still be in the request as written.
                vars.fill("", raw).is_ok_and(|filled| {
                    is_now(&filled)
                        || env_ref::resolve(&filled, env).is_ok_and(|text| is_now(&text))
                })
            })
        };
        // The previous raw text when it still resolves to `now`.
        let keep = |raw: Option<&str>, now: &str| -> String {
            match raw {
                Some(raw) if resolves(raw, &|text| text == now) => raw.to_owned(),
                _ => now.to_owned(),
            }
        };
        let url = match previous {
            Some(p)
                if resolves(&p.url, &|text| {
                    request::parse_url(text).ok().as_ref() == Some(&spec.url)
                }) =>
            {
                p.url.clone()
            }
            _ => spec.url.to_string(),
        };
        let default_method = request::default_method(spec.body.is_some());
        let method = match previous.and_then(|p| p.method.as_deref()) {
            Some(raw)
                if resolves(raw, &|m| {
                    m.trim().eq_ignore_ascii_case(spec.method.as_str())
                }) =>
            {
                Some(raw.to_owned())
            }
            None if previous.is_some() && spec.method == default_method => None,
            _ => Some(spec.method.as_str().to_owned()),
        };
        let prev_headers: &[(String, String)] = previous.map_or(&[], |p| &p.headers.0);
        let mut used = vec![false; prev_headers.len()];
        let headers = spec
            .headers
            .iter()
            .map(|(name, value)| {
                let found = prev_headers.iter().enumerate().position(|(i, (n, raw))| {
                    !used[i] && n.eq_ignore_ascii_case(name) && resolves(raw, &|text| text == value)
                });
                match found {
                    Some(i) => {
                        used[i] = true;
                        prev_headers[i].clone()
                    }
                    None => (name.clone(), value.clone()),
                }
            })
            .collect();
        let body = spec.body.as_deref().map(|bytes| {
            keep(
                previous.and_then(|p| p.body.as_deref()),
                &String::from_utf8_lossy(bytes),
            )
        });
        let last_event_id = (!spec.last_event_id.is_empty()).then(|| {
            keep(
                previous.and_then(|p| p.last_event_id.as_deref()),
                &spec.last_event_id,
            )
        });
        let prev_auth = previous.map(|p| &p.auth);
        let auth = match &spec.auth {
            // A token command or OAuth2 grant is no `Auth`: kept as written.
            Auth::None if spec.session.credentials.is_some() => {
                prev_auth.cloned().unwrap_or_default()
            }
            Auth::None => ProfileAuth::None,
            Auth::Bearer(token) => {
                let raw = match prev_auth {
                    Some(ProfileAuth::Bearer { token }) => Some(token.as_str()),
                    _ => None,
                };
                ProfileAuth::Bearer {
                    token: keep(raw, token),
                }
            }
            Auth::Basic { user, password } => {
                let (raw_user, raw_password) = match prev_auth {
                    Some(ProfileAuth::Basic { user, password }) => {
                        (Some(user.as_str()), Some(password.as_str()))
                    }
                    _ => (None, None),
                };
                ProfileAuth::Basic {
                    user: keep(raw_user, user),
                    password: keep(raw_password, password),
                }
            }
            Auth::ApiKey {
                name,
                value,
                location,
            } => {
                let (raw_name, raw_value) = match prev_auth {
                    Some(ProfileAuth::ApiKey { name, value, .. }) => {
                        (Some(name.as_str()), Some(value.as_str()))
                    }
                    _ => (None, None),
                };
                ProfileAuth::ApiKey {
                    name: keep(raw_name, name),
                    value: keep(raw_value, value),
                    location: *location,
                }
            }
        };
        let reconnect = match previous {
            Some(p)
                if p.reconnect.is_none()
                    && spec.reconnect == ReconnectPolicy::default_for(&spec.method) =>
            {
                None
            }
            _ => Some(spec.reconnect),
        };
        Profile {
            url,
            method,
            headers: Headers(headers),
            secret_headers: previous
                .map(|p| p.secret_headers.clone())
                .unwrap_or_default(),
            body,
            auth,
            last_event_id,
            reconnect,
            // Written only when it is not the spec's way.
            parse_as: (spec.body_format != crate::sse::BodyFormat::EventStream)
                .then_some(spec.body_format),
            kind: spec
                .protocol
                .is_mcp()
                .then_some(super::model::ProfileKind::Mcp),
            mcp_version: match &spec.protocol {
                crate::sse::Protocol::Mcp { version, .. } => version.clone(),
                crate::sse::Protocol::Sse => None,
            },
            view: previous.map(|p| p.view.clone()).unwrap_or_default(),
            description: previous.and_then(|p| p.description.clone()),
            check: previous.and_then(|p| p.check.clone()),
            schema: previous.and_then(|p| p.schema.clone()),
            schemas: previous.map(|p| p.schemas.clone()).unwrap_or_default(),
            env: previous.and_then(|p| p.env.clone()),
            vars: previous.map(|p| p.vars.clone()).unwrap_or_default(),
            mcp_client_id: previous.and_then(|p| p.mcp_client_id.clone()),
        }
    }

    /// The URL as written (references unresolved) for a listing: a password
    /// and secret query values shown as `***`, by the rule with `overrides`.
    pub fn shown_url(&self, overrides: &SecretNames) -> String {
        let names = overrides.clone().with_secret(self.secret_headers.clone());
        redact::url_text(&self.url, &names)
    }

    /// Values that are secrets written in clear (not `${env:…}` references):
    /// auth values, a password or secret query value in the URL, and the
    /// values of headers whose names are secret (by the rule, with
    /// `overrides` from the settings and the profile's `secret_headers`).
    /// Named by field, never shown.
    pub fn plain_secrets(&self, overrides: &SecretNames) -> Vec<String> {
        let mut found = Vec::new();
        let mut check = |field: String, value: &str| {
            // A reference or a placeholder (`{{token}}`) holds no secret here.
            if !value.is_empty() && !env_ref::has_ref(value) && !value.contains("{{") {
                found.push(field);
            }
        };
        let mut names = overrides.clone().with_secret(self.secret_headers.clone());
        match &self.auth {
            ProfileAuth::None => {}
            ProfileAuth::Bearer { token } => check("auth.token".into(), token),
            ProfileAuth::Basic { password, .. } => check("auth.password".into(), password),
            ProfileAuth::ApiKey { name, value, .. } => {
                names.secret.push(name.clone());
                check("auth.value".into(), value);
            }
            ProfileAuth::Command { .. } => {}
            ProfileAuth::Oauth2(oauth2) => {
                for (field, value) in [
                    ("auth.client_secret", &oauth2.client_secret),
                    ("auth.refresh_token", &oauth2.refresh_token),
                ] {
                    check(field.into(), value.as_deref().unwrap_or_default());
                }
            }
        }
        for (name, value) in &self.headers.0 {
            if names.is_secret(name) {
                check(format!("headers.{name}"), value);
            }
        }
        // The URL with its references left out: what masking still changes is written in it.
        if let Ok(written) = env_ref::resolve(&self.url, &|_| Some(String::new()))
            && redact::url_text(&written, &names) != written
        {
            found.push("url".into());
        }
        found
    }
}

fn invalid(profile: &str, message: String) -> ConfigError {
    ConfigError::InvalidProfile {
        profile: profile.to_owned(),
        message,
    }
}
