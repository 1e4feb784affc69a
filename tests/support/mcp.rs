//! Scripts of a raw MCP server (see [`super::TestServer`]): exactly the
//! bytes each exchange answers, so a test can make a server misbehave.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use super::{Recorded, Step, TestServer, app, head, output_within, write};

/// How long a `print --mcp` run may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(30);

/// A 2025-11-25 session's `initialize` answer with the tools capability.
pub const INITIALIZED: &str = r#"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"2025-11-25","capabilities":{"tools":{}},"serverInfo":{"name":"raw","version":"1"}}}"#;

/// A server's `elicitation/create` (id `q1`) asking for a name, as the SSE
/// event (id `e1`) that carries it while a call is in flight.
pub const ASK_NAME: &str = concat!(
    "id: e1\ndata: {\"jsonrpc\":\"2.0\",\"id\":\"q1\",\"method\":\"elicitation/create\",",
    "\"params\":{\"mode\":\"form\",\"message\":\"your name?\",\"requestedSchema\":{\"type\":\"object\",",
    "\"properties\":{\"name\":{\"type\":\"string\"}}}}}\n\n",
);

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

/// `ssetui print --mcp URL ARGS`, its output piped.
pub fn print_mcp(url: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = app();
    cmd.args(["print", "--mcp", url]).args(args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    output_within(cmd, PATIENCE)
}

/// Each stdout line as JSON.
pub fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}")))
        .collect()
}

/// The next `n` requests the server received.
pub fn requests(
    runtime: &tokio::runtime::Runtime,
    server: &mut TestServer,
    n: usize,
) -> Vec<Recorded> {
    (0..n)
        .map(|_| runtime.block_on(server.next_request()))
        .collect()
}
