//! The chain's discovery and registration: the steps before the login,
//! each noted as it is followed (for `check --mcp`) and failing with the
//! step named.

use reqwest::Url;

use super::Authorizer;
use super::store::Saved;
use crate::auth::discovery::{
    self, ChainError, Challenge, Fetched, ResourceMetadata, ServerMetadata, Step,
};
use crate::auth::registration::{self, Registered};

impl Authorizer {
    /// Discovery and registration: the client to log in with.
    pub(super) async fn follow(
        &self,
        http: &reqwest::Client,
        server: &Url,
        key: &str,
        challenge: &Challenge,
    ) -> Result<Saved, ChainError> {
        let metadata = self.resource_metadata(http, server, challenge).await?;
        let resource = metadata.resource.clone().unwrap_or_default();
        // Checked by `resource_metadata`: there is one. The spec leaves the
        // choice among several to the client: the first is taken.
        let issuer = metadata
            .authorization_servers
            .first()
            .cloned()
            .unwrap_or_default();
        let (at, as_metadata) = self.server_metadata(http, &issuer).await?;
        let registered = self.client(http, &at, &as_metadata).await?;
        // MCP "Scope Selection Strategy": the challenge's scope, else every
        // scope of scopes_supported, else none.
        let scope = challenge.scope.clone().or_else(|| {
            metadata
                .scopes_supported
                .as_ref()
                .filter(|s| !s.is_empty())
                .map(|s| s.join(" "))
        });
        Ok(Saved {
            server: key.to_owned(),
            resource,
            // The metadata's own spelling: RFC 9207 compares it unnormalised.
            issuer: as_metadata.issuer.clone().unwrap_or(issuer),
            iss_advertised: as_metadata
                .authorization_response_iss_parameter_supported
                .unwrap_or(false),
            authorization_endpoint: as_metadata.authorization_endpoint.unwrap_or_default(),
            token_endpoint: as_metadata.token_endpoint.unwrap_or_default(),
            client_id: registered.client_id,
            secret_in_body: registered.token_endpoint_auth_method.as_deref()
                == Some("client_secret_post"),
            client_secret: registered.client_secret,
            scope,
        })
    }

    /// Step 1: the Protected Resource Metadata, checked.
    async fn resource_metadata(
        &self,
        http: &reqwest::Client,
        server: &Url,
        challenge: &Challenge,
    ) -> Result<ResourceMetadata, ChainError> {
        let urls = discovery::resource_metadata_urls(server, challenge);
        let mut missing = Vec::new();
        for url in &urls {
            let fetched =
                discovery::fetch_json::<ResourceMetadata>(http, url, Step::ResourceMetadata)
                    .await
                    .map_err(|err| self.fail(err))?;
            let metadata = match fetched {
                Fetched::Found(metadata) => metadata,
                Fetched::Missing(why) => {
                    missing.push(why);
                    continue;
                }
            };
            let how = if challenge.resource_metadata.is_some() {
                "named by the 401's WWW-Authenticate"
            } else {
                "at a well-known URI (the 401 named none)"
            };
            self.note(Step::ResourceMetadata, Ok(format!("found at {url}, {how}")));
            let resource = metadata.resource.as_deref().unwrap_or("");
            if !discovery::resource_matches(resource, server) {
                return Err(self.fail(ChainError::new(
                    Step::ResourceMatch,
                    format!(
                        "the protected-resource metadata at {url} is for resource {}, not {}: RFC 9728 §3.3 forbids using it",
                        crate::text::quote(&crate::text::cut(resource, 200)),
                        discovery::canonical_resource(server)
                    ),
                )));
            }
            self.note(Step::ResourceMatch, Ok(format!("resource {resource}")));
            if metadata.authorization_servers.is_empty() {
                return Err(self.fail(ChainError::new(
                    Step::ResourceMetadata,
                    format!(
                        "the protected-resource metadata at {url} has no authorization_servers"
                    ),
                )));
            }
            return Ok(metadata);
        }
        let asked = if challenge.resource_metadata.is_some() {
            "the resource_metadata the 401 named is not there".to_owned()
        } else {
            "the 401 has no WWW-Authenticate resource_metadata and there is no document at the well-known URIs".to_owned()
        };
        Err(self.fail(ChainError::new(
            Step::ResourceMetadata,
            format!("{asked} ({})", missing.join("; ")),
        )))
    }

    /// Step 2: the authorization server's metadata, in the spec's order,
    /// its issuer checked and PKCE S256 required.
    async fn server_metadata(
        &self,
        http: &reqwest::Client,
        issuer: &str,
    ) -> Result<(Url, ServerMetadata), ChainError> {
        let issuer_url = Url::parse(issuer).map_err(|err| {
            self.fail(ChainError::new(
                Step::ServerMetadata,
                format!(
                    "the authorization server {} is not a URL: {err}",
                    crate::text::quote(&crate::text::cut(issuer, 200))
                ),
            ))
        })?;
        let mut missing = Vec::new();
        for url in discovery::server_metadata_urls(&issuer_url) {
            let metadata =
                match discovery::fetch_json::<ServerMetadata>(http, &url, Step::ServerMetadata)
                    .await
                    .map_err(|err| self.fail(err))?
                {
                    Fetched::Found(metadata) => metadata,
                    Fetched::Missing(why) => {
                        missing.push(why);
                        continue;
                    }
                };
            let declared = metadata.issuer.as_deref().unwrap_or("");
            if !discovery::issuer_matches(declared, issuer) {
                return Err(self.fail(ChainError::new(
                    Step::ServerMetadata,
                    format!(
                        "the metadata at {url} names issuer {}, not {}: RFC 8414 §3.3 forbids using it",
                        crate::text::quote(&crate::text::cut(declared, 200)),
                        crate::text::quote(issuer)
                    ),
                )));
            }
            self.note(Step::ServerMetadata, Ok(format!("found at {url}")));
            if let Some(err) = discovery::unusable(&metadata, &url) {
                return Err(self.fail(err));
            }
            self.note(
                Step::Pkce,
                Ok("code_challenge_methods_supported has S256".into()),
            );
            return Ok((url, metadata));
        }
        Err(self.fail(ChainError::new(
            Step::ServerMetadata,
            format!(
                "no metadata for the authorization server {} ({})",
                crate::text::quote(issuer),
                missing.join("; ")
            ),
        )))
    }

    /// Step 3: the client id: the user's, else a registration. Client ID
    /// Metadata Documents need an HTTPS URL ssetui does not have, so an
    /// AS that supports them gets a registration too (the spec's fallback).
    async fn client(
        &self,
        http: &reqwest::Client,
        at: &Url,
        metadata: &ServerMetadata,
    ) -> Result<Registered, ChainError> {
        if let Some(id) = &self.options.client_id {
            self.note(Step::Registration, Ok("the client id given".into()));
            return Ok(Registered {
                client_id: id.clone(),
                client_secret: None,
                token_endpoint_auth_method: None,
            });
        }
        let endpoint = metadata
            .registration_endpoint
            .as_deref()
            .and_then(|e| Url::parse(e).ok());
        let Some(endpoint) = endpoint else {
            return Err(self.fail(ChainError::new(
                Step::Registration,
                format!(
                    "the authorization-server metadata at {at} has no registration_endpoint: give a client id registered there with --mcp-client-id"
                ),
            )));
        };
        let registered = registration::register(http, &endpoint)
            .await
            .map_err(|err| self.fail(err))?;
        self.note(
            Step::Registration,
            Ok(format!("registered at {endpoint} (RFC 7591)")),
        );
        Ok(registered)
    }
}
