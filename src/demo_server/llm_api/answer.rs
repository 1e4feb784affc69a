//! The demo model's one answer, shared by `/chat` and every LLM API path:
//! the canned reply quoting the user's last message, the reasoning a
//! reasoning model streams first, both cut into tokens, and the counts the
//! usage reports. Each API's file only decides how to frame the tokens.

use std::time::Duration;

/// How much of the user's message the answer quotes.
const QUOTE_CHARS: usize = 60;

/// What the demo model "thinks" before answering, in reasoning mode.
pub const REASONING: &str = "The user wants to see a reasoning model stream. I will think \
     in a few short steps, then answer the way the plain demo does, so the two \
     can be told apart: this part is the reasoning, shown dimmed above the answer.";

/// The model named in replies when the request names none.
pub(crate) const DEFAULT_MODEL: &str = "demo-1";

/// One answer to stream: what each API's framing needs.
#[derive(Debug, Clone)]
pub(crate) struct Script {
    /// The model's name, echoed from the request.
    pub(crate) model: String,
    /// The answer, a token at a time ([`tokenize`]).
    pub(crate) tokens: Vec<String>,
    /// The reasoning streamed before the answer; empty unless asked for.
    pub(crate) thinking: Vec<String>,
    /// The prompt's size as the usage reports it.
    pub(crate) prompt_tokens: u64,
    /// The pause between tokens.
    pub(crate) delay: Duration,
    /// After how many answer tokens the stream fails (`?error=1`).
    pub(crate) fail_after: Option<usize>,
}

impl Script {
    /// The answer to `messages` (role, text), reasoning first when `reasoning`.
    pub(crate) fn new(model: String, messages: &[(String, String)], reasoning: bool) -> Self {
        let last_user = messages
            .iter()
            .rev()
            .find(|(role, _)| role == "user")
            .map(|(_, text)| text.as_str());
        let prompt_tokens = messages
            .iter()
            .map(|(_, text)| 3 + text.split_whitespace().count() as u64)
            .sum();
        Self {
            model,
            tokens: tokenize(&answer(last_user)),
            thinking: if reasoning {
                tokenize(REASONING)
            } else {
                Vec::new()
            },
            prompt_tokens,
            delay: Duration::ZERO,
            fail_after: None,
        }
    }

    /// The whole answer, as a client assembles it.
    pub(crate) fn text(&self) -> String {
        self.tokens.concat()
    }

    /// The whole reasoning ("" without reasoning).
    pub(crate) fn reasoning(&self) -> String {
        self.thinking.concat()
    }

    /// Tokens generated: the answer's and the reasoning's, as APIs count them.
    pub(crate) fn completion_tokens(&self) -> u64 {
        (self.tokens.len() + self.thinking.len()) as u64
    }
}

/// The canned reply, quoting the user's last message when there is one:
/// what every LLM path of the demo streams, public so that tests and
/// clients can compare what they assembled with it.
pub fn answer(last_user: Option<&str>) -> String {
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
pub(crate) fn tokenize(text: &str) -> Vec<String> {
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
