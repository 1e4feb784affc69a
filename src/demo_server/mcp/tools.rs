//! The demo's MCP tools, each chosen to make one case visible in a client:
//! `echo` and `add` are ordinary calls with an input and an output schema
//! (their results carry `structuredContent`); `progress` streams progress
//! notifications for a while; `log` sends logging notifications; `fail`
//! answers with a JSON-RPC error.

use std::sync::Arc;
use std::time::Duration;

use rmcp::ErrorData;
use rmcp::RoleServer;
use rmcp::model::{
    CallToolResult, ContentBlock, ErrorCode, JsonObject, ProgressNotificationParam, Tool,
};
#[allow(deprecated)] // logging: see `log`
use rmcp::model::{LoggingLevel, LoggingMessageNotificationParam};
use rmcp::service::RequestContext;
use serde_json::{Value, json};

/// The JSON-RPC error code `fail` answers with: in the range JSON-RPC
/// leaves to servers (-32000 to -32099).
pub const FAIL_CODE: i32 = -32050;

const DEFAULT_STEPS: u64 = 5;
const MAX_STEPS: u64 = 100;
const DEFAULT_INTERVAL_MS: u64 = 500;
const MAX_INTERVAL_MS: u64 = 10_000;

fn object(value: Value) -> Arc<JsonObject> {
    match value {
        Value::Object(map) => Arc::new(map),
        _ => Arc::new(JsonObject::new()),
    }
}

/// Every tool, in the order `tools/list` gives them.
pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            "echo",
            "Returns its text, and its length in characters, as structured content.",
            object(json!({
                "type": "object",
                "properties": {"text": {"type": "string", "description": "what to echo"}},
                "required": ["text"],
            })),
        )
        .with_raw_output_schema(object(json!({
            "type": "object",
            "properties": {"text": {"type": "string"}, "length": {"type": "integer"}},
            "required": ["text", "length"],
        }))),
        Tool::new(
            "add",
            "Adds two numbers; the sum comes back as structured content.",
            object(json!({
                "type": "object",
                "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                "required": ["a", "b"],
            })),
        )
        .with_raw_output_schema(object(json!({
            "type": "object",
            "properties": {"sum": {"type": "number"}},
            "required": ["sum"],
        }))),
        Tool::new(
            "progress",
            "Works for steps x interval_ms, sending a notifications/progress after each step \
             when the call carries _meta.progressToken.",
            object(json!({
                "type": "object",
                "properties": {
                    "steps": {"type": "integer", "minimum": 1, "maximum": MAX_STEPS, "default": DEFAULT_STEPS},
                    "interval_ms": {"type": "integer", "minimum": 0, "maximum": MAX_INTERVAL_MS, "default": DEFAULT_INTERVAL_MS},
                },
            })),
        )
        .with_raw_output_schema(object(json!({
            "type": "object",
            "properties": {"steps": {"type": "integer"}},
            "required": ["steps"],
        }))),
        Tool::new(
            "log",
            "Sends an info, a warning and an error notifications/message, then returns.",
            object(json!({
                "type": "object",
                "properties": {"text": {"type": "string", "description": "added to each log message"}},
            })),
        ),
        Tool::new(
            "fail",
            "Always answers with a JSON-RPC error (code -32050) instead of a result.",
            object(json!({
                "type": "object",
                "properties": {"message": {"type": "string", "description": "the error's message"}},
            })),
        ),
    ]
}

/// Runs the tool `name` with `args` for the request in `context`.
pub(super) async fn call(
    name: &str,
    args: &JsonObject,
    context: &RequestContext<RoleServer>,
) -> Result<CallToolResult, ErrorData> {
    match name {
        "echo" => {
            let text = string_arg(args, "text")?.ok_or_else(|| missing("text"))?;
            let length = text.chars().count();
            Ok(CallToolResult::structured(
                json!({"text": text, "length": length}),
            ))
        }
        "add" => {
            let (a, b) = (number_arg(args, "a")?, number_arg(args, "b")?);
            Ok(CallToolResult::structured(json!({"sum": a + b})))
        }
        "progress" => progress(args, context).await,
        "log" => log(args, context).await,
        "fail" => {
            let message = string_arg(args, "message")?.unwrap_or("the fail tool always fails");
            Err(ErrorData::new(
                ErrorCode(FAIL_CODE),
                message.to_owned(),
                Some(json!({"tool": "fail"})),
            ))
        }
        other => Err(ErrorData::invalid_params(
            format!("unknown tool {other:?}; tools/list names the tools"),
            None,
        )),
    }
}

async fn progress(
    args: &JsonObject,
    context: &RequestContext<RoleServer>,
) -> Result<CallToolResult, ErrorData> {
    let steps = integer_arg(args, "steps", 1..=MAX_STEPS)?.unwrap_or(DEFAULT_STEPS);
    let interval_ms =
        integer_arg(args, "interval_ms", 0..=MAX_INTERVAL_MS)?.unwrap_or(DEFAULT_INTERVAL_MS);
    let token = context.meta.get_progress_token();
    for step in 1..=steps {
        // The pacing is the point of this tool: a call that takes a while.
        tokio::select! {
            () = tokio::time::sleep(Duration::from_millis(interval_ms)) => {}
            () = context.ct.cancelled() => {
                return Err(ErrorData::internal_error("the call was cancelled", None));
            }
        }
        if let Some(token) = &token {
            let note = ProgressNotificationParam::new(token.clone(), step as f64)
                .with_total(steps as f64)
                .with_message(format!("step {step} of {steps}"));
            // A client that went away cannot be told; the call still ends.
            let _ = context.peer.notify_progress(note).await;
        }
    }
    let mut result = CallToolResult::structured(json!({"steps": steps}));
    result.content = vec![ContentBlock::text(format!("done after {steps} steps"))];
    Ok(result)
}

// Logging is deprecated in the 2026-07-28 revision (SEP-2577) but still part
// of the session era this tool shows.
#[allow(deprecated)]
async fn log(
    args: &JsonObject,
    context: &RequestContext<RoleServer>,
) -> Result<CallToolResult, ErrorData> {
    let text = string_arg(args, "text")?.unwrap_or("hello from the demo");
    let levels = [
        (LoggingLevel::Info, "info"),
        (LoggingLevel::Warning, "warning"),
        (LoggingLevel::Error, "error"),
    ];
    for (level, name) in levels {
        let message = LoggingMessageNotificationParam::new(level, json!(format!("{name}: {text}")))
            .with_logger("ssetui-demo");
        let _ = context.peer.notify_logging_message(message).await;
    }
    Ok(CallToolResult::success(vec![ContentBlock::text(
        "sent 3 log messages",
    )]))
}

fn missing(name: &str) -> ErrorData {
    ErrorData::invalid_params(format!("missing argument {name:?}"), None)
}

fn wrong_type(name: &str, expected: &str) -> ErrorData {
    ErrorData::invalid_params(format!("argument {name:?} must be {expected}"), None)
}

fn string_arg<'a>(args: &'a JsonObject, name: &str) -> Result<Option<&'a str>, ErrorData> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(wrong_type(name, "a string")),
    }
}

fn number_arg(args: &JsonObject, name: &str) -> Result<f64, ErrorData> {
    match args.get(name) {
        None | Some(Value::Null) => Err(missing(name)),
        Some(value) => value.as_f64().ok_or_else(|| wrong_type(name, "a number")),
    }
}

fn integer_arg(
    args: &JsonObject,
    name: &str,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>, ErrorData> {
    match args.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => match value.as_u64() {
            Some(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(wrong_type(
                name,
                &format!("a whole number from {} to {}", range.start(), range.end()),
            )),
        },
    }
}
