//! `/protected`: a clock behind credentials, to try the tool's auth options.
//!
//! It accepts the four ways real SSE APIs take credentials (bearer token,
//! HTTP Basic, an API-key header, an API-key query parameter) and answers
//! anything else with a 401 that says what would work. The first event names
//! the method that got in, so a client can see which of its settings was used.

use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use super::clock::{tick_frame, ticker};
use super::params::{BadRequest, Params};
use super::stream::{no_more_events, sse_response, text_response};
use super::wire::{Frame, to_json};
use super::{
    DEMO_API_KEY, DEMO_API_KEY_HEADER, DEMO_API_KEY_QUERY, DEMO_BASIC_PASSWORD, DEMO_BASIC_USER,
    DEMO_BEARER_TOKEN,
};

/// The data of the `welcome` event.
#[derive(Serialize)]
struct Welcome {
    auth: &'static str,
}

/// `GET /protected?interval_ms=&count=&api_key=`.
pub(crate) async fn protected(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(
        &uri,
        "/protected",
        &["interval_ms", "count", DEMO_API_KEY_QUERY],
    )?;
    let ticker = ticker(&params, &headers)?;
    let Some(auth) = authenticate(&headers, &params) else {
        return Ok(unauthorized());
    };
    if ticker.is_finished() {
        return Ok(no_more_events());
    }
    Ok(sse_response(move |sink| async move {
        let welcome = Frame::new()
            .event("welcome")
            .data(&to_json(&Welcome { auth }));
        sink.send(welcome).await?;
        ticker.run(&sink, tick_frame).await
    }))
}

/// The name of the first method whose credentials are right, if any.
fn authenticate(headers: &HeaderMap, params: &Params) -> Option<&'static str> {
    for value in headers.get_all(AUTHORIZATION) {
        let Ok(value) = value.to_str() else { continue };
        let (scheme, rest) = value.trim().split_once(' ').unwrap_or((value, ""));
        let rest = rest.trim();
        if scheme.eq_ignore_ascii_case("bearer") && rest == DEMO_BEARER_TOKEN {
            return Some("bearer");
        }
        if scheme.eq_ignore_ascii_case("basic") && basic_matches(rest) {
            return Some("basic");
        }
    }
    if headers
        .get_all(DEMO_API_KEY_HEADER)
        .iter()
        .any(|v| v.as_bytes() == DEMO_API_KEY.as_bytes())
    {
        return Some("api_key_header");
    }
    if params.get(DEMO_API_KEY_QUERY) == Some(DEMO_API_KEY) {
        return Some("api_key_query");
    }
    None
}

/// Whether base64 `encoded` is `user:password` for the demo account.
fn basic_matches(encoded: &str) -> bool {
    let Ok(decoded) = STANDARD.decode(encoded) else {
        return false;
    };
    let expected = format!("{DEMO_BASIC_USER}:{DEMO_BASIC_PASSWORD}");
    decoded == expected.as_bytes()
}

/// 401 with a challenge and a body listing the credentials that work.
fn unauthorized() -> Response {
    let text = format!(
        "401 Unauthorized: /protected needs one of these demo credentials:\n\
         \x20 Authorization: Bearer {DEMO_BEARER_TOKEN}\n\
         \x20 Basic auth: user {DEMO_BASIC_USER:?}, password {DEMO_BASIC_PASSWORD:?}\n\
         \x20 {DEMO_API_KEY_HEADER}: {DEMO_API_KEY}\n\
         \x20 ?{DEMO_API_KEY_QUERY}={DEMO_API_KEY}\n"
    );
    let mut response = text_response(StatusCode::UNAUTHORIZED, text);
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"ssetui-demo\""),
    );
    response
}
