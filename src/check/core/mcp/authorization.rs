//! The authorization rules: what `check --mcp` reports when the server
//! answered 401 and the MCP authorization chain was followed (MCP
//! `basic/authorization`, 2025-06-18 on; the PKCE refusal and the
//! discovery order as 2025-11-25 and 2026-07-28 word them). One finding
//! per step, from what the chain noted; the steps after a failed one are
//! not applicable.

use super::{Finding, Level, Outcome, Rule};
use crate::auth::discovery::Step;
use crate::mcp::authorize::Followed;

const AUTH_ERA: &str = "2025-06-18 to 2026-07-28";

/// "MCP servers MUST implement one of the following discovery mechanisms"
/// (the `resource_metadata` of the 401, or a well-known URI).
pub static RESOURCE_METADATA: Rule = Rule {
    id: "auth-resource-metadata",
    title: "a 401 leads to Protected Resource Metadata (RFC 9728) naming an authorization server",
    revisions: AUTH_ERA,
    level: Level::Must,
    why: "a client finds where to log in only through this document: without it, no MCP client can get a token for the server",
    fix: "answer 401 with WWW-Authenticate: Bearer resource_metadata=\"https://HOST/.well-known/oauth-protected-resource/PATH\" and serve there {\"resource\": \"<the endpoint URL>\", \"authorization_servers\": [\"<issuer>\"]}",
};

/// RFC 9728 §3.3: a `resource` other than the server asked means the
/// client "MUST NOT use the metadata".
pub static RESOURCE_MATCH: Rule = Rule {
    id: "auth-resource",
    title: "the metadata's resource names the MCP endpoint",
    revisions: AUTH_ERA,
    level: Level::Must,
    why: "a client must refuse metadata for another resource (it could send the user's login to an attacker's authorization server), so a mismatch stops every client",
    fix: "set resource to the endpoint's canonical URL (scheme, host, port and path, no trailing slash), or to its origin when the document sits at the root",
};

/// "MCP authorization servers MUST provide at least one of the following
/// discovery mechanisms" (RFC 8414 or OIDC Discovery), its issuer its own.
pub static SERVER_METADATA: Rule = Rule {
    id: "auth-server-metadata",
    title: "the authorization server publishes its metadata (RFC 8414 or OpenID Connect Discovery)",
    revisions: AUTH_ERA,
    level: Level::Must,
    why: "the metadata gives the authorize, token and registration endpoints; without it (or with an issuer that is not its own) a client cannot log in",
    fix: "serve /.well-known/oauth-authorization-server (path inserted for an issuer with a path) with issuer, authorization_endpoint, token_endpoint and code_challenge_methods_supported",
};

/// "If `code_challenge_methods_supported` is absent, the authorization
/// server does not support PKCE and MCP clients MUST refuse to proceed."
pub static PKCE: Rule = Rule {
    id: "auth-pkce",
    title: "the authorization server lists S256 in code_challenge_methods_supported",
    revisions: "2025-11-25, 2026-07-28",
    level: Level::Must,
    why: "MCP clients must refuse to log in without PKCE S256: the code could otherwise be stolen from the redirect and used",
    fix: "support PKCE with S256 and say so: \"code_challenge_methods_supported\": [\"S256\"]",
};

/// Client ID Metadata Documents or Dynamic Client Registration: clients
/// with no prior relationship "SHOULD" use one of them.
pub static REGISTRATION: Rule = Rule {
    id: "auth-registration",
    title: "a client without a pre-registered id can get one (Client ID Metadata Documents or Dynamic Client Registration)",
    revisions: AUTH_ERA,
    level: Level::Should,
    why: "an MCP client meets most servers for the first time: without a way to register, each user must register a client by hand",
    fix: "advertise client_id_metadata_document_supported, or a registration_endpoint accepting RFC 7591 registrations of public native clients (token_endpoint_auth_method none)",
};

/// The login, its token, and the server accepting it.
pub static LOGIN: Rule = Rule {
    id: "auth-login",
    title: "the authorization code login with PKCE and resource gives a token the server accepts",
    revisions: AUTH_ERA,
    level: Level::Must,
    why: "the chain is only worth following if its token opens the server",
    fix: "issue tokens for the resource the client names (RFC 8707) and accept them on the MCP endpoint",
};

const ORDER: [(Step, &Rule); 6] = [
    (Step::ResourceMetadata, &RESOURCE_METADATA),
    (Step::ResourceMatch, &RESOURCE_MATCH),
    (Step::ServerMetadata, &SERVER_METADATA),
    (Step::Pkce, &PKCE),
    (Step::Registration, &REGISTRATION),
    (Step::Login, &LOGIN),
];

/// The findings of a followed chain; none when it was not followed (the
/// server asked for no login).
pub fn authorization(followed: &[Followed]) -> Vec<Finding> {
    if followed.is_empty() {
        return Vec::new();
    }
    let mut failed = false;
    let mut findings = Vec::new();
    for (step, rule) in ORDER {
        let last = followed.iter().rev().find(|f| f.step == step);
        let outcome = match last.map(|f| &f.outcome) {
            Some(Ok(seen)) => Outcome::Passed(seen.clone()),
            Some(Err(why)) => {
                failed = true;
                Outcome::Failed(why.clone())
            }
            None if failed => Outcome::NotApplicable("not reached: an earlier step failed".into()),
            None => Outcome::NotApplicable(
                "not followed: the client kept from an earlier run was used".into(),
            ),
        };
        findings.push(Finding::new(rule, outcome));
    }
    findings
}
