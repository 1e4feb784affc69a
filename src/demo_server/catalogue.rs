//! The demo's endpoints, described once. The banner `ssetui serve` prints,
//! its `--help`, the index page, the 404 and the UI's demo picker all read
//! [`ENDPOINTS`]; the picker's entries ([`PICKS`]) are requests on those
//! endpoints.

use reqwest::Url;

use super::{CHAT_SAMPLE_BODY, DEMO_BEARER_TOKEN, MESSAGES_SAMPLE_BODY, RESPONSES_SAMPLE_BODY};
use crate::request::{self, Body, ContentType, Overrides};
use crate::sse::{Auth, BodyFormat, RequestSpec};

/// One endpoint as a person should first meet it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub path: &'static str,
    pub methods: &'static str,
    pub summary: &'static str,
    /// Each query parameter with its default and meaning.
    pub params: &'static [(&'static str, &'static str)],
    /// Path and query for the example command; `None` when it is not a stream.
    pub example: Option<&'static str>,
}

const COUNT: (&str, &str) = (
    "count=N",
    "end the stream cleanly after event N; a reconnect after that gets 204 (stop)",
);

const INDEX: Endpoint = Endpoint {
    path: "/",
    methods: "GET",
    summary: "an HTML page describing every endpoint",
    params: &[],
    example: None,
};

const CLOCK: Endpoint = Endpoint {
    path: "/clock",
    methods: "GET",
    summary: "a \"tick\" event every second, ids 1, 2, 3...; resumes after Last-Event-ID",
    params: &[("interval_ms=1000", "milliseconds between events"), COUNT],
    example: Some("/clock"),
};

const CHAT: Endpoint = Endpoint {
    path: "/chat",
    methods: "POST or GET",
    summary: "an LLM token stream in OpenAI's chunk format, then [DONE]",
    params: &[
        ("delay_ms=40", "milliseconds between tokens"),
        ("error=1", "fail mid-stream with an \"error\" event"),
        (
            "status=429",
            "answer with this 4xx/5xx status instead of streaming",
        ),
        (
            "format=ollama",
            "Ollama's NDJSON instead (read it with --parse-as ndjson); format=anthropic: Anthropic's Messages events",
        ),
        (
            "reasoning=1",
            "a reasoning model: thinking first (delta.reasoning_content, Ollama's message.thinking), reasoning_tokens in the usage",
        ),
    ],
    example: Some("/chat"),
};

/// The query parameters of every LLM API path.
const LLM_PARAMS: &[(&str, &str)] = &[
    ("delay_ms=40", "milliseconds between tokens"),
    (
        "reasoning=1",
        "thinking first (the body may ask too: reasoning_effort, reasoning, thinking, think)",
    ),
    ("error=1", "fail mid-stream the way the API does"),
    (
        "status=429",
        "answer with this 4xx/5xx status, in the API's error shape",
    ),
];

const OPENAI_CHAT: Endpoint = Endpoint {
    path: "/v1/chat/completions",
    methods: "POST",
    summary: "OpenAI Chat Completions for the openai SDK: chunks, usage with stream_options, [DONE]",
    params: LLM_PARAMS,
    example: None,
};

const OPENAI_RESPONSES: Endpoint = Endpoint {
    path: "/v1/responses",
    methods: "POST",
    summary: "OpenAI Responses for the openai SDK: response.* events with sequence_number",
    params: LLM_PARAMS,
    example: None,
};

const ANTHROPIC_MESSAGES: Endpoint = Endpoint {
    path: "/v1/messages",
    methods: "POST",
    summary: "Anthropic Messages for the anthropic SDK: message_start ... message_stop",
    params: LLM_PARAMS,
    example: None,
};

const OLLAMA_CHAT: Endpoint = Endpoint {
    path: "/api/chat",
    methods: "POST",
    summary: "Ollama's chat: NDJSON lines, done: true last (read it with --parse-as ndjson)",
    params: LLM_PARAMS,
    example: None,
};

const LOGS: Endpoint = Endpoint {
    path: "/logs",
    methods: "GET",
    summary: "log lines as \"info\", \"warn\", \"error\" events; some multi-line",
    params: &[("interval_ms=400", "milliseconds between events"), COUNT],
    example: Some("/logs"),
};

const METRICS: Endpoint = Endpoint {
    path: "/metrics",
    methods: "GET",
    summary: "a \"metrics\" event of changing JSON numbers",
    params: &[("interval_ms=500", "milliseconds between events"), COUNT],
    example: Some("/metrics"),
};

const PROTECTED: Endpoint = Endpoint {
    path: "/protected",
    methods: "GET",
    summary: "/clock behind credentials; a \"welcome\" event names the method",
    params: &[
        ("interval_ms=1000", "milliseconds between events"),
        COUNT,
        ("api_key=KEY", "one of the four ways to pass credentials"),
    ],
    example: Some(concat!("/protected?api_key=", demo_api_key!())),
};

const FLAKY: Endpoint = Endpoint {
    path: "/flaky",
    methods: "GET",
    summary: "sets retry:, drops the connection every few events, resumes",
    params: &[
        (
            "retry=2000",
            "the reconnection time it sets, in milliseconds",
        ),
        ("interval_ms=500", "milliseconds between events"),
        ("every=5", "events per connection before it drops"),
        (
            "count=N",
            "end cleanly after event N (then 204 to reconnects)",
        ),
    ],
    example: Some("/flaky"),
};

const FIREHOSE: Endpoint = Endpoint {
    path: "/firehose",
    methods: "GET",
    summary: "events as fast as the socket takes them, for load tests; resumes after Last-Event-ID",
    params: &[
        ("n=1000000", "how many events; then the stream ends"),
        ("size=100", "data bytes per event (at most 16 MiB)"),
        ("id=1", "1 numbers the events 1, 2, 3...; 0 sends no ids"),
        ("event=NAME", "the event type; none when absent"),
        (
            "json=0",
            "1 sends each data as a JSON object {\"pad\":\"abc…\"}",
        ),
    ],
    example: Some("/firehose?n=100000&event=tick"),
};

const MCP: Endpoint = Endpoint {
    path: "/mcp",
    methods: "POST, GET, DELETE",
    summary: "an MCP server (rmcp) at revision 2026-07-28, stateless; still answers initialize",
    params: &[],
    example: None,
};

const MCP_LEGACY: Endpoint = Endpoint {
    path: "/mcp-legacy",
    methods: "POST, GET, DELETE",
    summary: "an MCP server in the session era (to 2025-11-25); resumes after Last-Event-ID",
    params: &[(
        "drop_after=N",
        "close each call's SSE answer after N messages; GET with Last-Event-ID gets the rest",
    )],
    example: None,
};

/// Every endpoint, in the order they are listed everywhere.
pub const ENDPOINTS: &[Endpoint] = &[
    INDEX,
    CLOCK,
    CHAT,
    OPENAI_CHAT,
    OPENAI_RESPONSES,
    ANTHROPIC_MESSAGES,
    OLLAMA_CHAT,
    LOGS,
    METRICS,
    PROTECTED,
    FLAKY,
    FIREHOSE,
    MCP,
    MCP_LEGACY,
];

/// The revision `/mcp`'s pick speaks.
const MCP_VERSION: &str = "2026-07-28";

/// The pick's MCP call: the `progress` tool with a progress token, as a
/// stateless (2026-07-28) request carries it.
const MCP_PROGRESS_CALL: &str = concat!(
    r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"progress","#,
    r#""arguments":{"steps":10,"interval_ms":500},"_meta":{"progressToken":"demo","#,
    r#""io.modelcontextprotocol/protocolVersion":"2026-07-28","#,
    r#""io.modelcontextprotocol/clientInfo":{"name":"ssetui","version":"demo"},"#,
    r#""io.modelcontextprotocol/clientCapabilities":{}}}}"#
);

/// The pick's session-era handshake.
const MCP_INITIALIZE: &str = concat!(
    r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","#,
    r#""capabilities":{},"clientInfo":{"name":"ssetui","version":"demo"}}}"#
);

/// What a pick sends besides its URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sends {
    Nothing,
    /// The sample chat request ([`CHAT_SAMPLE_BODY`]) as JSON.
    SampleChat,
    /// The sample Responses request ([`RESPONSES_SAMPLE_BODY`]) as JSON.
    SampleResponses,
    /// The sample Anthropic Messages request ([`MESSAGES_SAMPLE_BODY`]) as JSON.
    SampleMessages,
    /// The demo's bearer token.
    DemoToken,
    /// A stateless MCP `tools/call` of `progress`, with the headers the
    /// 2026-07-28 revision asks for: the answer streams progress, then the result.
    McpProgressCall,
    /// The session era's `initialize`: the answer has the session id and a priming event.
    McpInitialize,
    /// Nothing by hand: the pick opens an MCP connection (negotiated, every
    /// stream shown, tools called from the panel).
    McpConnection,
}

/// A request the UI's demo picker offers: an endpoint of the catalogue with
/// a query, what to send it and how to read its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub endpoint: Endpoint,
    /// `""`, or the query with its `?`.
    pub query: &'static str,
    pub about: &'static str,
    pub sends: Sends,
    pub body_format: BodyFormat,
}

const fn pick(endpoint: Endpoint, query: &'static str, about: &'static str) -> Pick {
    Pick {
        endpoint,
        query,
        about,
        sends: Sends::Nothing,
        body_format: BodyFormat::EventStream,
    }
}

const fn chat(query: &'static str, about: &'static str, body_format: BodyFormat) -> Pick {
    Pick {
        query,
        ..llm(CHAT, Sends::SampleChat, about, body_format)
    }
}

/// A POST of a sample body to an LLM endpoint.
const fn llm(
    endpoint: Endpoint,
    sends: Sends,
    about: &'static str,
    body_format: BodyFormat,
) -> Pick {
    Pick {
        sends,
        body_format,
        ..pick(endpoint, "", about)
    }
}

/// The picker's entries, in the order listed: the UI's own start (`/chat`)
/// first, then each stream, then variants.
pub const PICKS: &[Pick] = &[
    chat(
        "",
        "POST: an LLM token stream ending with [DONE]",
        BodyFormat::EventStream,
    ),
    pick(
        CLOCK,
        "",
        "a tick every second with ids; resumes after Last-Event-ID",
    ),
    pick(LOGS, "", "info / warn / error events, some multi-line"),
    pick(
        METRICS,
        "",
        "a JSON object of changing numbers every 500 ms",
    ),
    Pick {
        sends: Sends::DemoToken,
        ..pick(PROTECTED, "", "needs credentials (sent: Bearer token)")
    },
    pick(
        FLAKY,
        "?retry=1000",
        "drops the connection every few events, then resumes",
    ),
    llm(
        OPENAI_CHAT,
        Sends::SampleChat,
        "POST: OpenAI chat completions, as the openai SDK reads them",
        BodyFormat::EventStream,
    ),
    llm(
        OPENAI_RESPONSES,
        Sends::SampleResponses,
        "POST: OpenAI Responses events, response.created...",
        BodyFormat::EventStream,
    ),
    llm(
        ANTHROPIC_MESSAGES,
        Sends::SampleMessages,
        "POST: Anthropic Messages events, message_start...",
        BodyFormat::EventStream,
    ),
    llm(
        OLLAMA_CHAT,
        Sends::SampleChat,
        "POST: Ollama's /api/chat NDJSON, read as NDJSON",
        BodyFormat::Ndjson,
    ),
    chat(
        "?error=1",
        "POST: fails mid-stream with event: error",
        BodyFormat::EventStream,
    ),
    chat(
        "?format=ollama",
        "POST: the answer as Ollama's NDJSON, read as NDJSON",
        BodyFormat::Ndjson,
    ),
    chat(
        "?reasoning=1",
        "POST: a reasoning model: thinking, then the answer",
        BodyFormat::EventStream,
    ),
    Pick {
        sends: Sends::McpConnection,
        ..pick(
            MCP,
            "",
            "MCP connection (stateless era): M lists and calls tools",
        )
    },
    Pick {
        sends: Sends::McpConnection,
        ..pick(
            MCP_LEGACY,
            "?drop_after=3",
            "MCP session era: calls drop after 3 messages and resume",
        )
    },
    Pick {
        sends: Sends::McpProgressCall,
        ..pick(MCP, "", "POST: an MCP tool call; progress, then the result")
    },
    Pick {
        sends: Sends::McpInitialize,
        ..pick(
            MCP_LEGACY,
            "",
            "POST: MCP initialize; a priming event, the session",
        )
    },
];

/// What the UI opens when it starts the demo itself: the first pick, `/chat`.
pub const START: &Pick = &PICKS[0];

impl Pick {
    /// Path and query, relative to the demo's base URL.
    pub fn target(&self) -> String {
        format!("{}{}", self.endpoint.path, self.query)
    }

    /// What this pick says of a request on the demo at `base`, as a layer
    /// for `request::compose`: the sample chat as JSON (a POST, the default
    /// method of a request with a body), the bearer token to `/protected`;
    /// the body read as the pick says.
    pub fn overrides(&self, base: &Url) -> Overrides {
        let url = base.join(&self.target()).unwrap_or_else(|_| base.clone());
        let json = |text: &str| Body {
            bytes: text.as_bytes().to_vec(),
            content_type: ContentType::Replace("application/json".into()),
        };
        let (body, headers) = match self.sends {
            Sends::SampleChat => (Some(json(CHAT_SAMPLE_BODY)), vec![]),
            Sends::SampleResponses => (Some(json(RESPONSES_SAMPLE_BODY)), vec![]),
            Sends::SampleMessages => (Some(json(MESSAGES_SAMPLE_BODY)), vec![]),
            Sends::McpProgressCall => (
                Some(json(MCP_PROGRESS_CALL)),
                vec![
                    ("MCP-Protocol-Version", MCP_VERSION),
                    ("Mcp-Method", "tools/call"),
                    ("Mcp-Name", "progress"),
                ],
            ),
            Sends::McpInitialize => (Some(json(MCP_INITIALIZE)), vec![]),
            Sends::Nothing | Sends::DemoToken | Sends::McpConnection => (None, vec![]),
        };
        let mut headers: Vec<(String, String)> = headers
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect();
        if matches!(self.sends, Sends::McpProgressCall | Sends::McpInitialize) {
            // The MCP transport answers 406 to a POST that does not accept both.
            headers.push((
                "Accept".into(),
                "application/json, text/event-stream".into(),
            ));
        }
        Overrides {
            url: Some(url),
            headers,
            body,
            auth: (self.sends == Sends::DemoToken).then(|| Auth::Bearer(DEMO_BEARER_TOKEN.into())),
            body_format: Some(self.body_format),
            protocol: (self.sends == Sends::McpConnection).then_some(crate::sse::Protocol::Mcp {
                version: None,
                capabilities: Vec::new(),
            }),
            ..Overrides::default()
        }
    }

    /// The request this pick makes alone on the demo at `base`.
    pub fn request(&self, base: &Url) -> RequestSpec {
        // Cannot fail: the URL is given and every value is the demo's own.
        request::compose([self.overrides(base)]).unwrap_or_else(|_| RequestSpec::get(base.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pick_is_a_request_on_an_endpoint_of_the_catalogue() {
        let base: Url = "http://127.0.0.1:9/".parse().unwrap();
        for pick in PICKS {
            assert!(ENDPOINTS.contains(&pick.endpoint), "{}", pick.target());
            for param in pick.query.trim_start_matches('?').split('&') {
                let name = param.split('=').next().unwrap_or("");
                assert!(
                    name.is_empty()
                        || pick
                            .endpoint
                            .params
                            .iter()
                            .any(|(p, _)| p.starts_with(&format!("{name}="))),
                    "{}: {name}",
                    pick.target()
                );
            }
            let spec = pick.request(&base);
            assert_eq!(
                spec.url.as_str(),
                format!("http://127.0.0.1:9{}", pick.target())
            );
            assert!(
                pick.endpoint.methods.contains(spec.method.as_str()),
                "{}: {}",
                pick.target(),
                spec.method
            );
            assert_eq!(
                spec.body.is_some(),
                !matches!(
                    pick.sends,
                    Sends::Nothing | Sends::DemoToken | Sends::McpConnection
                )
            );
            assert_eq!(
                spec.protocol.is_mcp(),
                pick.sends == Sends::McpConnection,
                "{}",
                pick.target()
            );
            assert_eq!(spec.auth != Auth::None, pick.sends == Sends::DemoToken);
        }
    }
}
