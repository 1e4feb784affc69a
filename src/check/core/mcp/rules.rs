//! The rules, in the order the report lists them. The wording of each
//! follows the transport sections of the spec revisions it names
//! (`docs/specification/<revision>/basic/transports.mdx`, and
//! `transports/streamable-http.mdx` for 2026-07-28).

use super::{Level, Rule};

const SESSION_ERA: &str = "2025-03-26 to 2025-11-25";

/// Session era: "The server MUST either return `Content-Type:
/// text/event-stream` in response to this HTTP GET, or else return HTTP 405".
pub static GET_STREAM: Rule = Rule {
    id: "get-stream",
    title: "GET on the endpoint is answered with text/event-stream or 405",
    revisions: SESSION_ERA,
    level: Level::Must,
    why: "a client opens the GET stream to hear the server's own requests and notifications; any other answer leaves it unable to tell a server with nothing to say from a broken one",
    fix: "answer a GET carrying the session id with Content-Type: text/event-stream, or with 405 Method Not Allowed when the server never sends on its own",
};

/// 2026-07-28, "Earlier Streamable HTTP Revisions": a server of this
/// revision only "SHOULD respond ... HTTP GET or DELETE: 405".
pub static GET_STATELESS: Rule = Rule {
    id: "get-stream",
    title: "GET on the endpoint is answered with 405 (or an event stream, for a server that also serves the session era)",
    revisions: "2026-07-28",
    level: Level::Should,
    why: "2026-07-28 has no GET stream: a 405 tells an older client to stop trying, anything else looks like a broken server",
    fix: "answer GET and DELETE on the endpoint with 405 Method Not Allowed (notifications go on subscriptions/listen streams)",
};

/// "Servers that require a session ID SHOULD respond to requests without an
/// `Mcp-Session-Id` header (other than initialization) with HTTP 400".
pub static SESSION_REQUIRED: Rule = Rule {
    id: "session-required",
    title: "a request without the issued Mcp-Session-Id gets 400",
    revisions: SESSION_ERA,
    level: Level::Should,
    why: "a server that issued a session but answers requests without it serves them outside any session, which hides a client's lost session id until something subtler breaks",
    fix: "answer every request other than initialize that lacks Mcp-Session-Id with 400 Bad Request",
};

/// "after which it MUST respond to requests containing that session ID with HTTP 404".
pub static SESSION_UNKNOWN: Rule = Rule {
    id: "session-unknown",
    title: "a request with an unknown Mcp-Session-Id gets 404",
    revisions: SESSION_ERA,
    level: Level::Must,
    why: "404 is a client's signal to start a new session with initialize; any other status leaves a client whose session expired stuck",
    fix: "answer 404 Not Found to a session id the server does not know (expired, deleted or never issued)",
};

/// DELETE "SHOULD" end a session (or 405); then the id is unknown: 404 (MUST).
pub static SESSION_DELETE: Rule = Rule {
    id: "session-delete",
    title: "after DELETE ends the session, its id gets 404",
    revisions: SESSION_ERA,
    level: Level::Must,
    why: "a session the client ended must not live on: its id would still reach the session's state",
    fix: "on DELETE with Mcp-Session-Id, end the session and answer 404 to later requests with its id; answer DELETE with 405 if clients may not end sessions",
};

/// "the server MUST either return `Content-Type: text/event-stream` ... or
/// `Content-Type: application/json`".
pub static CONTENT_TYPE: Rule = Rule {
    id: "content-type",
    title: "the answer to a request is application/json or text/event-stream",
    revisions: "2025-03-26 to 2026-07-28",
    level: Level::Must,
    why: "a client reads an answer by its Content-Type: under any other type it reads nothing and the call never completes",
    fix: "send a JSON answer with Content-Type: application/json and a streamed one with Content-Type: text/event-stream",
};

/// JSON-RPC 2.0 §4-5 and the MCP base protocol: every request gets exactly
/// one response with its id.
pub static JSONRPC: Rule = Rule {
    id: "jsonrpc",
    title: "every message is JSON-RPC 2.0 and every request gets a response with its id",
    revisions: "all",
    level: Level::Must,
    why: "a client matches answers to requests by id: a malformed message, a missing answer or a wrong id leaves a call hanging until it times out",
    fix: "send objects with \"jsonrpc\": \"2.0\", and answer each request exactly once, with its own id",
};

/// "Servers MUST validate the `Origin` header on all incoming connections";
/// 2025-11-25 on: "If the `Origin` header is present and invalid, servers
/// MUST respond with HTTP 403 Forbidden".
pub static ORIGIN: Rule = Rule {
    id: "origin",
    title: "a request with a foreign Origin (https://ssetui-check.invalid) is refused with 403",
    revisions: "2025-03-26 to 2026-07-28 (403 named from 2025-11-25; before, any refusal)",
    level: Level::Must,
    why: "without it a web page the user visits can reach a local MCP server through DNS rebinding and call its tools",
    fix: "check Origin on every request and answer 403 Forbidden to an origin not on the server's allow-list",
};

/// 2025-06-18 on: "If the server receives a request with an invalid or
/// unsupported `MCP-Protocol-Version`, it MUST respond with `400 Bad Request`".
pub static PROTOCOL_VERSION: Rule = Rule {
    id: "protocol-version",
    title: "a request with an unsupported MCP-Protocol-Version (1999-01-01) gets 400",
    revisions: "2025-06-18 to 2026-07-28",
    level: Level::Must,
    why: "a server that answers a revision it does not speak gives the client answers it may misread, instead of the signal to negotiate",
    fix: "answer 400 Bad Request to a revision the server does not speak (in 2026-07-28 with an UnsupportedProtocolVersionError listing the supported ones)",
};

/// 2026-07-28, "Server Validation": headers that do not match the body
/// "MUST" be rejected with 400 and `HeaderMismatch` (-32020).
pub static ROUTING_HEADERS: Rule = Rule {
    id: "routing-headers",
    title: "a request whose Mcp-Method header disagrees with its body is refused with 400",
    revisions: "2026-07-28",
    level: Level::Must,
    why: "gateways route and authorise by Mcp-Method and Mcp-Name: a server that trusts the body where a proxy trusted the header runs what the proxy refused",
    fix: "compare Mcp-Method (and Mcp-Name) with the body and answer 400 Bad Request with a HeaderMismatch error (-32020)",
};

/// "If present, the ID MUST be globally unique across all streams within
/// that session".
pub static EVENT_IDS: Rule = Rule {
    id: "event-ids-unique",
    title: "SSE event ids are unique across the streams seen",
    revisions: SESSION_ERA,
    level: Level::Must,
    why: "a client resumes with Last-Event-ID: an id used on two streams makes the server replay from the wrong place, or another stream's messages",
    fix: "give each event an id unique across all streams of the session, e.g. the stream's id and a sequence number",
};

/// 2025-11-25: "If the server initiates an SSE stream: The server SHOULD
/// immediately send an SSE event consisting of an event ID and an empty
/// `data` field in order to prime the client to reconnect".
pub static PRIMING: Rule = Rule {
    id: "priming-event",
    title: "an SSE answer with event ids opens with a priming event (an id, empty data)",
    revisions: "2025-11-25",
    level: Level::Should,
    why: "the priming event gives the client an id to resume from before any message arrives: a stream cut before its first message cannot be resumed without it, and the request's answer is lost",
    fix: "open each SSE answer with an event carrying an id and an empty data field (with retry: to say when to reconnect)",
};

/// 2025-11-25 transports, "Resumability and Redelivery": the server "MAY
/// use this header to replay messages that would have been sent after the
/// last event ID, on the stream that was disconnected", and "MUST NOT
/// replay messages that would have been delivered on a different stream".
pub static REPLAY: Rule = Rule {
    id: "replay-own-stream",
    title: "a GET with Last-Event-ID replays only what came after it, on its own stream",
    revisions: SESSION_ERA,
    level: Level::Must,
    why: "a client that resumes one stream and gets another stream's messages, or messages it had already, answers a request twice or takes a response for the wrong request",
    fix: "keep each stream's events apart in the event store; on Last-Event-ID replay only the events after that id on that id's stream, each once",
};

/// 2025-11-25 transports, "Sending Messages to the Server": a server that
/// closes the stream before the response "SHOULD send an SSE event with a
/// standard `retry` field".
pub static RETRY_BEFORE_CLOSE: Rule = Rule {
    id: "retry-before-close",
    title: "a stream closed before its response had set retry: first",
    revisions: "2025-11-25",
    level: Level::Should,
    why: "without retry: each client picks its own wait before resuming, from none (a burst of reconnects when the server sheds load) to a minute (a call that looks hung)",
    fix: "send retry: (in milliseconds) on the stream, with the priming event, before closing it early",
};

/// Not the spec's: an idle stream that carries nothing for long is cut by
/// proxies and load balancers (often after 30–100 s), and the client sees
/// a network error it must resume from.
pub static KEEP_ALIVE: Rule = Rule {
    id: "keep-alive",
    title: "an idle GET stream carries keep-alive comments",
    revisions: SESSION_ERA,
    level: Level::Advice,
    why: "proxies and load balancers close connections idle for 30 to 100 s; a GET stream silent for longer is cut, and messages the server sends meanwhile wait for the client to resume",
    fix: "send an SSE comment (a line starting with ':') every 15 to 30 s while the stream has nothing else to say",
};
