//! The demo model served at the paths and in the shapes the official SDKs
//! expect, so an app's own SDK can be pointed at `ssetui serve`:
//!
//! - `POST /v1/chat/completions`: OpenAI Chat Completions (`openai_chat.rs`);
//! - `POST /v1/responses`: OpenAI Responses (`responses.rs`);
//! - `POST /v1/messages`: Anthropic Messages (`anthropic.rs`);
//! - `POST /api/chat`: Ollama's native chat, NDJSON (`ollama.rs`).
//!
//! Each streams the one canned answer (`answer.rs`) the way its API does
//! when the body says `"stream": true` (Ollama: unless it says false), and
//! answers with one JSON object otherwise. Reasoning mode, `?reasoning=1`
//! or the body's own way of asking, streams the thinking first. Refusals
//! are in each API's error shape (`errors.rs`). `/chat` streams the same
//! answer through the same files.

mod answer;
mod anthropic;
mod errors;
mod ollama;
mod openai_chat;
mod request;
mod responses;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::post;
use bytes::Bytes;

pub(crate) use answer::Script;
pub use answer::{REASONING as CANNED_REASONING, answer as canned_answer};
pub(crate) use openai_chat::UsageChunk;
pub(crate) use request::read_body;
pub use request::{CHAT_SAMPLE_BODY, MESSAGES_SAMPLE_BODY, RESPONSES_SAMPLE_BODY};

use super::params::Params;

/// The default pause between tokens, in milliseconds.
pub(crate) const DEFAULT_DELAY_MS: u64 = 40;
/// With `?error=1`, how many tokens go out before the failure.
pub(crate) const TOKENS_BEFORE_ERROR: usize = 5;
/// The query parameters every LLM API path takes.
const PARAMS: &[&str] = &["delay_ms", "reasoning", "error", "status"];

/// The LLM APIs the demo speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Api {
    OpenAiChat,
    Responses,
    Anthropic,
    Ollama,
}

impl Api {
    /// The path the API's SDKs post to.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Api::OpenAiChat => "/v1/chat/completions",
            Api::Responses => "/v1/responses",
            Api::Anthropic => "/v1/messages",
            Api::Ollama => "/api/chat",
        }
    }
}

/// The four LLM API paths.
pub(crate) fn router() -> Router {
    let route = |api: Api| post(move |uri: Uri, body: Bytes| answer(api, uri, body));
    [Api::OpenAiChat, Api::Responses, Api::Anthropic, Api::Ollama]
        .into_iter()
        .fold(Router::new(), |router, api| {
            router.route(api.path(), route(api))
        })
}

/// One request to `api`'s path: the answer, streamed or whole, or a refusal
/// in the API's shape.
async fn answer(api: Api, uri: Uri, body: Bytes) -> Response {
    let bad = |message: &str| errors::refusal(api, StatusCode::BAD_REQUEST, message);
    let params = match Params::parse(&uri, api.path(), PARAMS) {
        Ok(params) => params,
        Err(e) => return bad(&e.0),
    };
    let query = (|| {
        let delay = params
            .number("delay_ms", 0..=60_000, "milliseconds between tokens")?
            .unwrap_or(DEFAULT_DELAY_MS);
        let status = params.number("status", 400..=599, "the HTTP status to answer with")?;
        Ok((
            delay,
            params.flag("reasoning")?,
            params.flag("error")?,
            status,
        ))
    })();
    let (delay, reasoning, fail, status) = match query {
        Ok(query) => query,
        Err(super::params::BadRequest(e)) => return bad(&e),
    };
    if let Some(status) = status {
        return errors::simulated(api, status);
    }
    let ask = match request::read(api, &body) {
        Ok(ask) => ask,
        Err(e) => return bad(&e),
    };
    let mut script = Script::new(ask.model, &ask.messages, reasoning || ask.reasoning);
    script.delay = Duration::from_millis(delay);
    script.fail_after = fail.then_some(TOKENS_BEFORE_ERROR);
    match (api, ask.stream) {
        (Api::OpenAiChat, true) => {
            let usage = if ask.include_usage {
                UsageChunk::Requested
            } else {
                UsageChunk::Never
            };
            openai_chat::stream(script, usage)
        }
        (Api::OpenAiChat, false) => openai_chat::completion(&script),
        (Api::Responses, true) => responses::stream(script),
        (Api::Responses, false) => responses::whole(&script),
        (Api::Anthropic, true) => anthropic::stream(script),
        (Api::Anthropic, false) => anthropic::message(&script),
        (Api::Ollama, true) => ollama::stream(script),
        (Api::Ollama, false) => ollama::whole(&script),
    }
}

/// The answer of `/chat` in `api`'s stream shape (its `format=`).
pub(crate) fn stream(api: Api, script: Script) -> Response {
    match api {
        Api::OpenAiChat => openai_chat::stream(script, UsageChunk::Always),
        Api::Responses => responses::stream(script),
        Api::Anthropic => anthropic::stream(script),
        Api::Ollama => ollama::stream(script),
    }
}

/// The HTTP error `/chat?status=` asks for, in OpenAI's shape.
pub(crate) fn simulated_status(code: u64) -> Response {
    errors::simulated(Api::OpenAiChat, code)
}

/// A fresh id for an answer or item: `prefix`, the time and a counter.
fn new_id(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "{prefix}{:x}{:04x}",
        unix_now(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Seconds since the Unix epoch (0 should the clock be before it).
fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
