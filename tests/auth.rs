//! Credentials: each kind reaches the server as it should, and is never shown
//! in clear (the `Connecting` request, error messages). Then the same against
//! the demo server's `/protected`.

mod support;

use ssetui::demo_server::{
    self, DEMO_API_KEY, DEMO_API_KEY_HEADER, DEMO_API_KEY_QUERY, DEMO_BASIC_PASSWORD,
    DEMO_BASIC_USER, DEMO_BEARER_TOKEN,
};
use ssetui::sse::{
    ApiKeyLocation, Auth, CloseReason, ConnMsg, ErrorKind, RequestSpec, SentRequest,
};
use support::*;

fn shown_header<'a>(request: &'a SentRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// A URL on a loopback port nothing listens on.
fn closed_port_url(path_and_query: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}{path_and_query}")
}

#[tokio::test]
async fn bearer_token_is_sent_as_authorization_and_shown_redacted() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.auth = Auth::Bearer("tok-3f9a7c".into());
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    assert_eq!(shown_header(&shown, "authorization"), Some("Bearer ***"));
    assert!(!format!("{shown:?}").contains("tok-3f9a7c"), "{shown:?}");
    let request = server.next_request().await;
    assert_eq!(request.header("authorization"), Some("Bearer tok-3f9a7c"));
    handle.stop();
}

#[tokio::test]
async fn basic_credentials_are_sent_base64_encoded_and_shown_redacted() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    // RFC 7617's example.
    spec.auth = Auth::Basic {
        user: "Aladdin".into(),
        password: "open sesame".into(),
    };
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    assert_eq!(shown_header(&shown, "authorization"), Some("Basic ***"));
    let text = format!("{shown:?}");
    assert!(
        !text.contains("QWxhZGRpbjpvcGVuIHNlc2FtZQ") && !text.contains("open sesame"),
        "{text}"
    );
    let request = server.next_request().await;
    assert_eq!(
        request.header("authorization"),
        Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    );
    handle.stop();
}

#[tokio::test]
async fn api_key_header_uses_its_custom_name_and_is_shown_redacted() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.auth = Auth::ApiKey {
        name: "X-Custom-Key".into(),
        value: "key-81c2d4".into(),
        location: ApiKeyLocation::Header,
    };
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    assert_eq!(shown_header(&shown, "x-custom-key"), Some("***"));
    assert!(!format!("{shown:?}").contains("key-81c2d4"), "{shown:?}");
    let request = server.next_request().await;
    assert_eq!(request.header("x-custom-key"), Some("key-81c2d4"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(request.target, "/s");
    handle.stop();
}

#[tokio::test]
async fn api_key_query_parameter_is_appended_to_the_existing_query_and_shown_redacted() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s?topic=a%20b&page=2");
    // Not a name redacted by default: the redaction must come from the auth setting.
    spec.auth = Auth::ApiKey {
        name: "sub".into(),
        value: "qk-5e6f".into(),
        location: ApiKeyLocation::Query,
    };
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    assert_eq!(shown.url, server.url("/s?topic=a%20b&page=2&sub=***"));
    assert!(!format!("{shown:?}").contains("qk-5e6f"), "{shown:?}");
    let request = server.next_request().await;
    assert_eq!(request.target, "/s?topic=a%20b&page=2&sub=qk-5e6f");
    assert_eq!(request.header("authorization"), None);
    let msgs = until(&mut rx, |m| matches!(m, ConnMsg::Opened { .. })).await;
    match msgs.last() {
        Some(ConnMsg::Opened { response, .. }) => {
            assert_eq!(
                response.final_url,
                server.url("/s?topic=a%20b&page=2&sub=***")
            );
        }
        other => panic!("{other:?}"),
    }
    handle.stop();
}

#[tokio::test]
async fn a_secret_in_the_url_never_reaches_an_error_message() {
    // A connect failure.
    let mut spec = RequestSpec::get(closed_port_url("/s?api_key=secret&x=1").parse().unwrap());
    spec.reconnect = ssetui::sse::ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let text = format!("{msgs:?}");
    assert!(!text.contains("secret"), "{text}");
    match msgs.last() {
        Some(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }) => {
            assert_eq!(err.kind, ErrorKind::Connect);
            assert!(err.message.contains("api_key=***&x=1"), "{err}");
        }
        other => panic!("{other:?}"),
    }

    // A status failure, with a secret query API key from the auth settings too.
    let mut server = TestServer::always(vec![
        head(403, "text/plain", &[]),
        write("forbidden"),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/s?api_key=secret");
    spec.auth = Auth::ApiKey {
        name: "sub".into(),
        value: "qk-hidden".into(),
        location: ApiKeyLocation::Query,
    };
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let text = format!("{msgs:?}");
    assert!(
        !text.contains("secret") && !text.contains("qk-hidden"),
        "{text}"
    );
    match msgs.last() {
        Some(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }) => {
            assert_eq!(err.status, Some(403));
            assert!(err.message.contains("api_key=***&sub=***"), "{err}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.next_request().await.target,
        "/s?api_key=secret&sub=qk-hidden"
    );
}

#[tokio::test]
async fn a_token_in_an_error_message_is_scrubbed() {
    // A Bearer token with a character a header cannot carry fails before sending;
    // the message must not quote it.
    let server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.auth = Auth::Bearer("tok-bad\nline".into());
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let text = format!("{msgs:?}");
    assert!(!text.contains("tok-bad"), "{text}");
    match msgs.last() {
        Some(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }) => assert_eq!(err.kind, ErrorKind::Request),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.connections(), 0);
}

// ---- the demo server's /protected ---------------------------------------------

async fn demo() -> demo_server::DemoServer {
    demo_server::bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn demo_protected_accepts_each_kind_of_right_credentials() {
    let server = demo().await;
    let url = server.url("/protected?interval_ms=50");
    server.spawn();
    let cases = [
        (Auth::Bearer(DEMO_BEARER_TOKEN.into()), "bearer"),
        (
            Auth::Basic {
                user: DEMO_BASIC_USER.into(),
                password: DEMO_BASIC_PASSWORD.into(),
            },
            "basic",
        ),
        (
            Auth::ApiKey {
                name: DEMO_API_KEY_HEADER.into(),
                value: DEMO_API_KEY.into(),
                location: ApiKeyLocation::Header,
            },
            "api_key_header",
        ),
        (
            Auth::ApiKey {
                name: DEMO_API_KEY_QUERY.into(),
                value: DEMO_API_KEY.into(),
                location: ApiKeyLocation::Query,
            },
            "api_key_query",
        ),
    ];
    for (auth, method) in cases {
        let mut spec = RequestSpec::get(url.parse().unwrap());
        spec.auth = auth;
        let (handle, mut rx) = connect(spec);
        let msgs = until(&mut rx, |m| !events(std::slice::from_ref(m)).is_empty()).await;
        let opened = msgs.iter().find_map(|m| match m {
            ConnMsg::Opened { response, .. } => Some(response.status),
            _ => None,
        });
        assert_eq!(opened, Some(200), "{method}");
        let first = &events(&msgs)[0];
        assert_eq!(first.event_type(), "welcome", "{method}");
        let data: serde_json::Value = serde_json::from_str(&first.data).unwrap();
        assert_eq!(data["auth"], method);
        let text = format!("{msgs:?}");
        for secret in [DEMO_BEARER_TOKEN, DEMO_BASIC_PASSWORD, DEMO_API_KEY] {
            assert!(!text.contains(secret), "{method}: {secret} shown in {text}");
        }
        handle.stop();
    }
}

#[tokio::test]
async fn demo_protected_rejects_wrong_credentials_with_401() {
    let server = demo().await;
    let url = server.url("/protected");
    server.spawn();
    for auth in [
        Auth::None,
        Auth::Bearer("not-the-token".into()),
        Auth::Basic {
            user: DEMO_BASIC_USER.into(),
            password: "wrong".into(),
        },
    ] {
        let mut spec = RequestSpec::get(url.parse().unwrap());
        spec.auth = auth.clone();
        let (_handle, mut rx) = connect(spec);
        let msgs = until_closed(&mut rx).await;
        match msgs.last() {
            Some(ConnMsg::Closed {
                reason: CloseReason::Failed(err),
            }) => {
                assert_eq!(
                    (err.kind, err.status),
                    (ErrorKind::Status, Some(401)),
                    "{auth:?}"
                );
                assert!(err.message.contains("401"), "{err}");
                assert!(!err.message.contains("not-the-token"), "{err}");
            }
            other => panic!("{auth:?}: {other:?}"),
        }
        let attempts = msgs
            .iter()
            .filter(|m| matches!(m, ConnMsg::Connecting { .. }))
            .count();
        assert_eq!(attempts, 1, "a 401 is not retried");
    }
}

#[tokio::test]
async fn credentials_in_the_url_never_reach_a_mid_stream_error() {
    let server = TestServer::always(vec![sse_head(), write("data: partial"), Step::Reset]).await;
    let url = format!("http://alice:pw-hidden@{}/s?token=tk-hidden", server.addr);
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.reconnect = ssetui::sse::ReconnectPolicy::OnError;
    spec.retry.max_retries = Some(0);
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    let error = pick(&msgs, |m| match m {
        ConnMsg::Error { error, .. } => Some(error.clone()),
        _ => None,
    });
    assert_eq!(error[0].kind, ErrorKind::Network, "{error:?}");
    let text = format!("{msgs:?}");
    assert!(
        !text.contains("pw-hidden") && !text.contains("tk-hidden"),
        "{text}"
    );
}

/// The last guard: whoever starts a connection, a value masked where the
/// request came from (a capture recorded without its secrets) never leaves.
#[tokio::test]
async fn a_value_redacted_where_the_request_came_from_is_never_sent() {
    let server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.headers = vec![("Authorization".into(), "Bearer ***".into())];
    spec.redacted = vec![ssetui::sse::Field::Header(0)];
    let (_handle, mut rx) = connect(spec);
    let msgs = until_closed(&mut rx).await;
    match close_reason(&msgs) {
        CloseReason::Failed(err) => {
            assert_eq!(err.kind, ErrorKind::Request);
            assert!(err.message.contains("redacted"), "{}", err.message);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        !msgs.iter().any(|m| matches!(m, ConnMsg::Connecting { .. })),
        "no attempt"
    );
    assert_eq!(server.connections(), 0, "nothing reached the server");
}
