//! `/chat`: an LLM-style token stream shaped like OpenAI's streaming chat completions.
//!
//! Most SSE traffic people debug today is a model streaming tokens, so the demo
//! speaks that dialect: `data:`-only `chat.completion.chunk` objects (no
//! `event:` field), a role chunk, one chunk per token, a `finish_reason` chunk,
//! a usage chunk, then `data: [DONE]`. `?error=1` fails mid-stream and
//! `?status=` answers with an HTTP error instead, as real APIs do.
//! `?reasoning=1` streams a reasoning model's thinking first, as DeepSeek
//! and vLLM do (`delta.reasoning_content`), counted in the usage's
//! `completion_tokens_details.reasoning_tokens`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde::Serialize;

use super::chat_request::read_body;
use super::params::{BadRequest, Params};
use super::stream::sse_response;
use super::wire::{Frame, to_json};
use super::{chat_anthropic, chat_ollama};

/// The default pause between tokens, in milliseconds.
const DEFAULT_DELAY_MS: u64 = 40;
/// With `?error=1`, how many tokens go out before the failure.
const TOKENS_BEFORE_ERROR: usize = 5;
/// How much of the user's message the answer quotes.
const QUOTE_CHARS: usize = 60;

/// One `chat.completion.chunk`, fields in OpenAI's order.
#[derive(Serialize)]
struct Chunk<'a> {
    id: &'a str,
    object: &'static str,
    created: u64,
    model: &'a str,
    choices: Vec<Choice<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usage: Option<Usage>,
}

/// The single choice in a chunk.
#[derive(Serialize)]
struct Choice<'a> {
    index: u32,
    delta: Delta<'a>,
    finish_reason: Option<&'static str>,
}

/// What a chunk adds to the answer: the role first, then text; empty at the end.
#[derive(Serialize, Default)]
struct Delta<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a str>,
    /// A reasoning model's thinking (`?reasoning=1`), DeepSeek's field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    reasoning_content: Option<&'a str>,
}

/// Token counts, sent in their own chunk after the answer.
#[derive(Serialize)]
struct Usage {
    prompt_tokens: u64,
    completion_tokens: u64,
    total_tokens: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    completion_tokens_details: Option<CompletionDetails>,
}

/// What the completion tokens were spent on (`?reasoning=1`).
#[derive(Serialize)]
struct CompletionDetails {
    reasoning_tokens: u64,
}

/// An OpenAI-style error object, for `event: error` and `?status=` bodies.
#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    r#type: &'static str,
    message: String,
}

/// `GET|POST /chat?delay_ms=&error=&status=&format=` with an optional JSON body.
pub(crate) async fn chat(uri: Uri, body: Bytes) -> Result<Response, BadRequest> {
    let params = Params::parse(
        &uri,
        "/chat",
        &["delay_ms", "error", "status", "format", "reasoning"],
    )?;
    let (ollama, anthropic) = match params.get("format") {
        None | Some("openai") => (false, false),
        Some("ollama") => (true, false),
        Some("anthropic") => (false, true),
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
    if reasoning && anthropic {
        return Err(BadRequest(
            "reasoning=1 is for format=openai and format=ollama".to_owned(),
        ));
    }
    if let Some(status) = params.number("status", 400..=599, "the HTTP status to answer with")? {
        return Ok(simulated_status(status));
    }
    let (model, messages) = read_body(&body)?;
    let last_user = messages
        .iter()
        .rev()
        .find(|(role, _)| role == "user")
        .map(|(_, text)| text.as_str());
    let tokens = tokenize(&answer(last_user));
    let thinking = if reasoning {
        tokenize(REASONING)
    } else {
        Vec::new()
    };
    let prompt_tokens = messages
        .iter()
        .map(|(_, text)| 3 + text.split_whitespace().count() as u64)
        .sum();
    if anthropic {
        return Ok(chat_anthropic::response(chat_anthropic::Answer {
            model,
            tokens,
            prompt_tokens,
            delay: Duration::from_millis(delay),
            fail_after: fail_midway.then_some(TOKENS_BEFORE_ERROR),
        }));
    }
    if ollama {
        return Ok(chat_ollama::response(chat_ollama::Answer {
            model,
            tokens,
            thinking,
            prompt_tokens,
            delay: Duration::from_millis(delay),
            fail_after: fail_midway.then_some(TOKENS_BEFORE_ERROR),
        }));
    }
    Ok(sse_response(move |sink| async move {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let created = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let id = format!(
            "chatcmpl-demo-{created:x}{:04x}",
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let chunk = |choices: Vec<Choice>, usage: Option<Usage>| {
            let chunk = Chunk {
                id: &id,
                object: "chat.completion.chunk",
                created,
                model: &model,
                choices,
                usage,
            };
            Frame::new().data(&to_json(&chunk))
        };
        let role = Delta {
            role: Some("assistant"),
            content: Some(""),
            reasoning_content: None,
        };
        sink.send(chunk(choice(role, None), None)).await?;
        for token in &thinking {
            sink.sleep(Duration::from_millis(delay)).await?;
            let delta = Delta {
                reasoning_content: Some(token),
                ..Delta::default()
            };
            sink.send(chunk(choice(delta, None), None)).await?;
        }
        for (i, token) in tokens.iter().enumerate() {
            sink.sleep(Duration::from_millis(delay)).await?;
            if fail_midway && i == TOKENS_BEFORE_ERROR {
                let error = ErrorBody {
                    error: ErrorDetail {
                        r#type: "server_error",
                        message: "demo: simulated mid-stream failure".to_owned(),
                    },
                };
                return sink
                    .send(Frame::new().event("error").data(&to_json(&error)))
                    .await;
            }
            let delta = Delta {
                content: Some(token),
                ..Delta::default()
            };
            sink.send(chunk(choice(delta, None), None)).await?;
        }
        let stop = choice(Delta::default(), Some("stop"));
        sink.send(chunk(stop, None)).await?;
        // As OpenAI counts them: the reasoning is part of the completion.
        let reasoning_tokens = thinking.len() as u64;
        let completion_tokens = tokens.len() as u64 + reasoning_tokens;
        let usage = Usage {
            prompt_tokens,
            completion_tokens,
            total_tokens: prompt_tokens + completion_tokens,
            completion_tokens_details: (reasoning_tokens > 0)
                .then_some(CompletionDetails { reasoning_tokens }),
        };
        sink.send(chunk(Vec::new(), Some(usage))).await?;
        sink.send(Frame::new().data("[DONE]")).await
    }))
}

/// The one choice every demo chunk carries.
fn choice<'a>(delta: Delta<'a>, finish_reason: Option<&'static str>) -> Vec<Choice<'a>> {
    vec![Choice {
        index: 0,
        delta,
        finish_reason,
    }]
}

/// What the demo model "thinks" before answering, with `?reasoning=1`.
const REASONING: &str = "The user wants to see a reasoning model stream. I will think \
     in a few short steps, then answer the way the plain demo does, so the two \
     can be told apart: this part is the reasoning, shown dimmed above the answer.";

/// The canned reply, quoting the user's last message when there is one.
fn answer(last_user: Option<&str>) -> String {
    let words: Vec<&str> = last_user.unwrap_or("").split_whitespace().collect();
    let echo = if words.is_empty() {
        "You sent no user message, so here is the canned reply.".to_owned()
    } else {
        let said = words.join(" ");
        let mut quote: String = said.chars().take(QUOTE_CHARS).collect();
        if quote.len() < said.len() {
            quote.push('…');
        }
        format!("You wrote: \"{quote}\".")
    };
    format!(
        "Hi! I am the ssetui demo model, streaming this reply one token at a time \
         the way a chat API does. {echo} Each chunk carries a small delta, the last \
         ones say why the answer stopped and how many tokens it took. Try ?error=1 \
         to see a failure mid-stream, ?status=429 to see a rate limit, or \
         ?format=ollama for the same answer as Ollama's NDJSON."
    )
}

/// Words with their leading spaces, the way model tokenizers split English.
fn tokenize(text: &str) -> Vec<String> {
    text.split(' ')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                word.to_owned()
            } else {
                format!(" {word}")
            }
        })
        .collect()
}

/// The HTTP error `?status=` asks for, with a JSON body like a real API's.
fn simulated_status(code: u64) -> Response {
    let status = u16::try_from(code)
        .ok()
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let r#type = match status.as_u16() {
        401 | 403 => "authentication_error",
        429 => "rate_limit_error",
        400..=499 => "invalid_request_error",
        _ => "server_error",
    };
    let reason = status.canonical_reason().unwrap_or("error");
    let body = ErrorBody {
        error: ErrorDetail {
            r#type,
            message: format!("demo: simulated HTTP {} ({reason})", status.as_u16()),
        },
    };
    let mut response =
        (status, [(CONTENT_TYPE, "application/json")], to_json(&body)).into_response();
    if matches!(status.as_u16(), 429 | 503) {
        response
            .headers_mut()
            .insert(RETRY_AFTER, axum::http::HeaderValue::from_static("2"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_is_a_few_sentences_and_quotes_the_user() {
        let long = "word ".repeat(40);
        for user in [None, Some("hi"), Some(long.as_str())] {
            let tokens = tokenize(&answer(user));
            assert!((40..=80).contains(&tokens.len()), "{} tokens", tokens.len());
            assert_eq!(tokens.concat(), answer(user));
        }
        assert!(answer(Some("what  is\nSSE?")).contains("\"what is SSE?\""));
        assert!(answer(Some(&long)).contains('…'));
    }
}
