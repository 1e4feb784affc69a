//! Errors in each API's own JSON shape, so an SDK raises its own error type
//! (`openai.BadRequestError`, `anthropic.RateLimitError`…) rather than a
//! generic one: a refused request body, a bad query parameter, and the
//! HTTP error `?status=` asks for.
//!
//! - OpenAI: `{"error":{"message","type","param","code"}}`;
//! - Anthropic: `{"type":"error","error":{"type","message"}}`;
//! - Ollama: `{"error":"…"}`.

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::Api;
use crate::demo_server::wire::to_json;

#[derive(Serialize)]
struct OpenAi<'a> {
    error: OpenAiDetail<'a>,
}

#[derive(Serialize)]
struct OpenAiDetail<'a> {
    message: &'a str,
    r#type: &'static str,
    param: Option<()>,
    code: Option<()>,
}

#[derive(Serialize)]
struct Anthropic<'a> {
    r#type: &'static str,
    error: AnthropicDetail<'a>,
}

#[derive(Serialize)]
struct AnthropicDetail<'a> {
    r#type: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct Ollama<'a> {
    error: &'a str,
}

/// A refusal of `api`'s shape with `status`; the message, which may quote
/// the request, is neutralised as any text a terminal may show.
pub(crate) fn refusal(api: Api, status: StatusCode, message: &str) -> Response {
    let message = crate::text::neutralise(message, crate::text::Lines::Single);
    let body = match api {
        Api::OpenAiChat | Api::Responses => to_json(&OpenAi {
            error: OpenAiDetail {
                message: &message,
                r#type: openai_type(status),
                param: None,
                code: None,
            },
        }),
        Api::Anthropic => to_json(&Anthropic {
            r#type: "error",
            error: AnthropicDetail {
                r#type: anthropic_type(status),
                message: &message,
            },
        }),
        Api::Ollama => to_json(&Ollama { error: &message }),
    };
    let mut response = (status, [(CONTENT_TYPE, "application/json")], body).into_response();
    if matches!(status.as_u16(), 429 | 503 | 529) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from_static("2"));
    }
    response
}

/// The HTTP error `?status=CODE` asks for (400–599), in `api`'s shape.
pub(crate) fn simulated(api: Api, code: u64) -> Response {
    let status = u16::try_from(code)
        .ok()
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("error");
    let message = format!("demo: simulated HTTP {} ({reason})", status.as_u16());
    refusal(api, status, &message)
}

/// OpenAI's error `type` for a status.
fn openai_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "authentication_error",
        429 => "rate_limit_error",
        400..=499 => "invalid_request_error",
        _ => "server_error",
    }
}

/// Anthropic's error `type` for a status, as its errors page lists them.
fn anthropic_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        400..=499 => "invalid_request_error",
        _ => "api_error",
    }
}
