//! What a user asks of a server: its lists (every page, following
//! `nextCursor`) and a tool call with a progress token.

use std::collections::HashSet;

use serde_json::{Value, json};

use super::McpError;
use super::session::Client;

/// The most pages one list is read in: a server whose cursors never end
/// must not keep the client for ever.
const MAX_PAGES: usize = 1000;

/// A list a server keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListKind {
    Tools,
    Resources,
    /// Resource templates (`resources/templates/list`).
    Templates,
    Prompts,
}

impl ListKind {
    /// Every list, in the order the panel shows them.
    pub const ALL: [ListKind; 4] = [
        ListKind::Tools,
        ListKind::Resources,
        ListKind::Templates,
        ListKind::Prompts,
    ];

    /// The method that reads it.
    pub fn method(self) -> &'static str {
        match self {
            ListKind::Tools => "tools/list",
            ListKind::Resources => "resources/list",
            ListKind::Templates => "resources/templates/list",
            ListKind::Prompts => "prompts/list",
        }
    }

    /// The key of the result that holds the items.
    pub fn key(self) -> &'static str {
        match self {
            ListKind::Tools => "tools",
            ListKind::Resources => "resources",
            ListKind::Templates => "resourceTemplates",
            ListKind::Prompts => "prompts",
        }
    }
}

/// Every item of the list, page after page. A cursor seen before ends the
/// reading with an error rather than a loop.
pub async fn list(client: &mut Client, kind: ListKind) -> Result<Vec<Value>, McpError> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut seen = HashSet::new();
    for _ in 0..MAX_PAGES {
        let params = cursor.as_ref().map(|c| json!({ "cursor": c }));
        let result = client.request(kind.method(), params).await?;
        if let Some(Value::Array(page)) = result.get(kind.key()) {
            items.extend(page.iter().cloned());
        }
        match result.get("nextCursor").and_then(Value::as_str) {
            Some(next) if !next.is_empty() => {
                if !seen.insert(next.to_owned()) {
                    return Err(McpError::Protocol(format!(
                        "{}: the server gave the cursor {:?} twice",
                        kind.method(),
                        crate::text::one_line(next).to_string()
                    )));
                }
                cursor = Some(next.to_owned());
            }
            _ => return Ok(items),
        }
    }
    Err(McpError::Protocol(format!(
        "{}: more than {MAX_PAGES} pages",
        kind.method()
    )))
}

/// How a tool call ended, when the server answered it with a result.
#[derive(Debug, Clone, PartialEq)]
pub struct CallOutcome {
    pub result: Value,
    /// The result says `isError: true`: the tool ran and failed.
    pub is_error: bool,
}

/// Calls `tool` with `arguments`, asking for progress: the server's
/// `notifications/progress` reach the observer as they arrive.
pub async fn call_tool(
    client: &mut Client,
    tool: &str,
    arguments: Value,
) -> Result<CallOutcome, McpError> {
    let params = json!({
        "name": tool,
        "arguments": arguments,
        "_meta": { "progressToken": "ssetui-progress-1" },
    });
    let result = client.request("tools/call", Some(params)).await?;
    let is_error = result.get("isError").and_then(Value::as_bool) == Some(true);
    Ok(CallOutcome { result, is_error })
}
