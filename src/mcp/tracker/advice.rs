//! Why each finding about ids and streams matters and how a server fixes
//! it, as the other checks say it.

use super::Finding;

impl Finding {
    /// Short and stable, for tests and the Checks view.
    pub fn id(&self) -> &'static str {
        match self {
            Finding::DuplicateId { .. } => "duplicate-id",
            Finding::NoRequest { .. } => "no-request",
            Finding::NoResponse { .. } => "no-response",
            Finding::RepeatedEvent { .. } => "repeated-event",
            Finding::StreamFailed { .. } => "stream-failed",
        }
    }

    /// Whether the spec is broken (else it is a stream's trouble to know of).
    pub fn is_error(&self) -> bool {
        !matches!(self, Finding::StreamFailed { .. })
    }

    pub fn why(&self) -> &'static str {
        match self {
            Finding::DuplicateId { .. } => {
                "A response is matched to its request by id: with one id used twice, an answer can be taken for the other request's (MCP lifecycle: an id MUST NOT have been used before in the session)."
            }
            Finding::NoRequest { .. } => {
                "A client matches responses to requests by id: a response that answers nothing is dropped, or worse, resolves a request it does not belong to."
            }
            Finding::NoResponse { .. } => {
                "JSON-RPC 2.0: every request MUST get a response. A client waits for it until its own timeout, and the user sees a call that hangs."
            }
            Finding::RepeatedEvent { .. } => {
                "After Last-Event-ID the server should replay only what came after it, on that stream: an event given again is shown twice by clients that do not filter repeats, and a tool result or a notification is acted on twice."
            }
            Finding::StreamFailed { .. } => {
                "Messages the server sends on its own (notifications, its requests) come on this stream: without it they are lost, or wait for the next request."
            }
        }
    }

    pub fn fix(&self) -> &'static str {
        match self {
            Finding::DuplicateId { .. } => {
                "Give every request of the session a new id (a counter per session is enough)."
            }
            Finding::NoRequest { .. } => {
                "Answer each request once, with its id unchanged (a number stays a number, a string a string)."
            }
            Finding::NoResponse { .. } => {
                "Send the response (or a JSON-RPC error) for every request, on its POST's stream or, after a drop, on the resumed one."
            }
            Finding::RepeatedEvent { .. } => {
                "Keep event ids unique per session and ordered per stream; on Last-Event-ID replay only the events after it, and only that stream's."
            }
            Finding::StreamFailed { .. } => {
                "Answer the GET with text/event-stream (or 405 if the server sends nothing on its own); keep the stream open, with keep-alive comments if idle."
            }
        }
    }
}
