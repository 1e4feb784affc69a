//! `/chat`: the demo model's token stream, shaped like OpenAI's streaming
//! chat completions by default, for a first try with any client (GET works,
//! an empty body too).
//!
//! `data:`-only `chat.completion.chunk` objects, a role chunk, one chunk per
//! token, a `finish_reason` chunk, a usage chunk, then `data: [DONE]`.
//! `?error=1` fails mid-stream and `?status=` answers with an HTTP error
//! instead, as real APIs do. `?reasoning=1` streams a reasoning model's
//! thinking first. `?format=` picks another API's framing of the same
//! answer; the framings live in `llm_api/`, which also serves them at the
//! paths the SDKs use.

use std::time::Duration;

use axum::http::Uri;
use axum::response::Response;
use bytes::Bytes;

use super::llm_api::{self, Api, DEFAULT_DELAY_MS, Script, TOKENS_BEFORE_ERROR};
use super::params::{BadRequest, Params};

/// `GET|POST /chat?delay_ms=&error=&status=&format=&reasoning=` with an optional JSON body.
pub(crate) async fn chat(uri: Uri, body: Bytes) -> Result<Response, BadRequest> {
    let params = Params::parse(
        &uri,
        "/chat",
        &["delay_ms", "error", "status", "format", "reasoning"],
    )?;
    let api = match params.get("format") {
        None | Some("openai") => Api::OpenAiChat,
        Some("ollama") => Api::Ollama,
        Some("anthropic") => Api::Anthropic,
        Some(other) => {
            return Err(BadRequest(format!(
                "format={other:?} is not valid for /chat: expected openai, anthropic or ollama"
            )));
        }
    };
    let delay = params
        .number("delay_ms", 0..=60_000, "milliseconds between tokens")?
        .unwrap_or(DEFAULT_DELAY_MS);
    let fail_midway = params.flag("error")?;
    let reasoning = params.flag("reasoning")?;
    if reasoning && api == Api::Anthropic {
        return Err(BadRequest(
            "reasoning=1 is for format=openai and format=ollama (POST /v1/messages?reasoning=1 streams Anthropic's thinking)".to_owned(),
        ));
    }
    if let Some(status) = params.number("status", 400..=599, "the HTTP status to answer with")? {
        return Ok(llm_api::simulated_status(status));
    }
    let (model, messages) = llm_api::read_body(&body).map_err(BadRequest)?;
    let mut script = Script::new(model, &messages, reasoning);
    script.delay = Duration::from_millis(delay);
    script.fail_after = fail_midway.then_some(TOKENS_BEFORE_ERROR);
    Ok(llm_api::stream(api, script))
}
