use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

#[test]
fn bearer_challenge_parameters_are_read_quoted_or_not_after_another_scheme() {
    let challenge = Challenge::parse(
        r#"Basic realm="x", Bearer error=invalid_token, resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", scope="files:read files:write""#,
    );
    assert!(challenge.bearer);
    assert_eq!(
        challenge.resource_metadata.as_deref(),
        Some("https://a.example/.well-known/oauth-protected-resource/mcp")
    );
    assert_eq!(challenge.scope.as_deref(), Some("files:read files:write"));
    assert_eq!(challenge.error.as_deref(), Some("invalid_token"));
}

#[test]
fn a_challenge_of_another_scheme_or_garbage_is_no_bearer_and_no_panic() {
    for value in [
        "Basic realm=\"x\"",
        "",
        "=",
        "\"",
        "Bearer=",
        ",,,",
        "Digest a=\"\\",
    ] {
        let challenge = Challenge::parse(value);
        assert!(!challenge.bearer, "{value}");
        assert_eq!(challenge.resource_metadata, None, "{value}");
    }
    let bare = Challenge::parse("Bearer");
    assert!(bare.bearer);
    assert_eq!(bare.resource_metadata, None);
}

#[test]
fn resource_metadata_comes_from_the_challenge_else_the_well_known_uris_in_order() {
    let server = url("https://mcp.example/public/mcp?x=1");
    let given = Challenge::parse(r#"Bearer resource_metadata="/meta""#);
    assert_eq!(
        resource_metadata_urls(&server, &given),
        [url("https://mcp.example/meta")]
    );
    assert_eq!(
        resource_metadata_urls(&server, &Challenge::default()),
        [
            url("https://mcp.example/.well-known/oauth-protected-resource/public/mcp"),
            url("https://mcp.example/.well-known/oauth-protected-resource"),
        ]
    );
    assert_eq!(
        resource_metadata_urls(&url("https://mcp.example/"), &Challenge::default()),
        [url(
            "https://mcp.example/.well-known/oauth-protected-resource"
        )]
    );
}

#[test]
fn server_metadata_is_looked_for_in_the_spec_order() {
    assert_eq!(
        server_metadata_urls(&url("https://auth.example/tenant1")),
        [
            url("https://auth.example/.well-known/oauth-authorization-server/tenant1"),
            url("https://auth.example/.well-known/openid-configuration/tenant1"),
            url("https://auth.example/tenant1/.well-known/openid-configuration"),
        ]
    );
    assert_eq!(
        server_metadata_urls(&url("https://auth.example")),
        [
            url("https://auth.example/.well-known/oauth-authorization-server"),
            url("https://auth.example/.well-known/openid-configuration"),
        ]
    );
}

#[test]
fn the_resource_must_name_the_server_or_a_parent_on_its_origin() {
    let server = url("https://mcp.example/public/mcp");
    for ok in [
        "https://mcp.example/public/mcp",
        "https://mcp.example/public/mcp/",
        "https://mcp.example/public",
        "https://mcp.example",
        "HTTPS://MCP.EXAMPLE/public/mcp",
    ] {
        assert!(resource_matches(ok, &server), "{ok}");
    }
    for bad in [
        "https://other.example/public/mcp",
        "http://mcp.example/public/mcp",
        "https://mcp.example:8443/public/mcp",
        "https://mcp.example/pub",
        "https://mcp.example/public/mcp/deeper",
        "not a url",
    ] {
        assert!(!resource_matches(bad, &server), "{bad}");
    }
}

#[test]
fn canonical_resource_drops_fragment_query_and_a_bare_trailing_slash() {
    assert_eq!(
        canonical_resource(&url("https://MCP.example/mcp?a=1#f")),
        "https://mcp.example/mcp"
    );
    assert_eq!(
        canonical_resource(&url("https://mcp.example/")),
        "https://mcp.example"
    );
}

#[test]
fn an_authorization_server_without_s256_is_refused_at_the_pkce_step() {
    let at = url("https://auth.example/.well-known/oauth-authorization-server");
    let mut metadata = ServerMetadata {
        authorization_endpoint: Some("https://auth.example/authorize".into()),
        token_endpoint: Some("https://auth.example/token".into()),
        ..ServerMetadata::default()
    };
    let err = unusable(&metadata, &at).unwrap();
    assert_eq!(err.step, Step::Pkce);
    assert!(err.message.contains("no code_challenge_methods_supported"));
    metadata.code_challenge_methods_supported = Some(vec!["plain".into()]);
    assert!(unusable(&metadata, &at).unwrap().message.contains("plain"));
    metadata.code_challenge_methods_supported = Some(vec!["S256".into()]);
    assert!(unusable(&metadata, &at).is_none());
    assert!(issuer_matches(
        "https://auth.example/",
        "https://auth.example"
    ));
    assert!(!issuer_matches(
        "https://honest.example",
        "https://auth.example"
    ));
}
