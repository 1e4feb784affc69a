//! Scripts of a raw MCP server (see [`super::TestServer`]): exactly the
//! bytes each exchange answers, so a test can make a server misbehave.

use serde_json::Value;

use super::{Recorded, Step, head, write};

/// A JSON answer (status 200) with `extra` headers.
pub fn json_answer(body: &str, extra: &[(&str, &str)]) -> Vec<Step> {
    vec![
        head(200, "application/json", extra),
        write(body),
        Step::Close,
    ]
}

/// 202 Accepted, no body: a notification or a response taken.
pub fn accepted() -> Vec<Step> {
    vec![head(202, "text/plain", &[]), Step::Close]
}

/// The answer to the session era's GET when the server offers no stream.
pub fn no_get_stream() -> Vec<Step> {
    vec![head(405, "text/plain", &[]), Step::Close]
}

/// A request's body as JSON (`null` when it is none).
pub fn body(request: &Recorded) -> Value {
    serde_json::from_slice(&request.body).unwrap_or(Value::Null)
}
