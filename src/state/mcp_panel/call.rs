//! The call the panel made: what was called, its progress while it runs,
//! and its result turned into blocks to show (the content's text, the
//! structured content as JSON, the `outputSchema` check). Computed once
//! when the result arrives, not per frame.

use serde_json::Value;

use crate::mcp::schema::{self, SchemaCheck, Violation};

/// A text shown is cut after this many bytes (a huge result stays cheap to draw).
const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Where a call is.
#[derive(Debug, Clone, PartialEq)]
pub enum CallStatus {
    /// Asked for; the app has not said it started yet.
    Sent,
    Running,
    /// `x` was pressed; waiting for the call to end.
    Cancelling,
    /// Answered with a result (a tool's may still say `isError`).
    Finished {
        is_error: bool,
    },
    /// Answered with a JSON-RPC error, or never answered: why.
    Failed(String),
}

impl CallStatus {
    /// Whether the call has not ended yet.
    pub fn is_running(&self) -> bool {
        matches!(
            self,
            CallStatus::Sent | CallStatus::Running | CallStatus::Cancelling
        )
    }
}

/// The last `notifications/progress` of the call.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub progress: f64,
    pub total: Option<f64>,
    pub message: Option<String>,
}

impl Progress {
    /// How far, 0 to 1, when the server gave a total.
    pub fn ratio(&self) -> Option<f64> {
        let total = self.total?;
        let ratio = self.progress / total;
        (ratio.is_finite() && total > 0.0).then_some(ratio.clamp(0.0, 1.0))
    }
}

/// One block of the result view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// A heading line: `structuredContent`, a resource's URI, a message's role.
    Heading(String),
    /// Text as the server sent it (lines split by the renderer).
    Text(String),
    /// Pretty-printed JSON.
    Json(String),
    /// A line about the result rather than from it (`image, image/png`).
    Note(String),
    Error(String),
    /// The structured content matches the tool's `outputSchema`.
    SchemaMatches,
    Violation(Violation),
    /// The `outputSchema` could not be used: why.
    SchemaUnusable(String),
}

impl Output {
    /// How many lines it takes before wrapping.
    pub fn line_count(&self) -> usize {
        match self {
            Output::Text(text) | Output::Json(text) => text.split('\n').count(),
            _ => 1,
        }
    }
}

/// The call shown in the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct CallView {
    /// What was called, for the heading: `tools/call echo`, `resources/read file:///a`.
    pub label: String,
    /// The tool, for a `tools/call`.
    pub tool: Option<String>,
    /// The tool's `outputSchema`, to check the result against.
    pub output_schema: Option<Value>,
    pub status: CallStatus,
    pub progress: Option<Progress>,
    /// The result, once it came.
    pub output: Vec<Output>,
    /// The first line shown of the output.
    pub scroll: usize,
}

impl CallView {
    pub fn new(label: String, tool: Option<String>, output_schema: Option<Value>) -> Self {
        Self {
            label,
            tool,
            output_schema,
            status: CallStatus::Sent,
            progress: None,
            output: Vec::new(),
            scroll: 0,
        }
    }

    /// Lines of output before wrapping, for scrolling.
    pub fn line_count(&self) -> usize {
        self.output.iter().map(Output::line_count).sum()
    }

    /// The call ended: its result (the JSON-RPC `result`) or why it failed.
    pub fn finish(&mut self, result: Result<Value, String>) {
        self.progress = None;
        self.scroll = 0;
        match result {
            Err(why) => {
                self.output = vec![Output::Error(why.clone())];
                self.status = CallStatus::Failed(why);
            }
            Ok(result) => {
                let is_error = result.get("isError").and_then(Value::as_bool) == Some(true);
                self.status = CallStatus::Finished { is_error };
                self.output = blocks(&result);
                if is_error {
                    self.output.insert(
                        0,
                        Output::Error("the tool reports an error (isError: true)".into()),
                    );
                } else if let Some(schema) = &self.output_schema {
                    self.output
                        .extend(schema_blocks(schema, result.get("structuredContent")));
                }
            }
        }
    }
}

/// The blocks of a result: a tool's `content` and `structuredContent`, a
/// read's `contents`, a prompt's `messages`; anything else as JSON.
fn blocks(result: &Value) -> Vec<Output> {
    let mut out = Vec::new();
    if let Some(content) = result.get("content").and_then(Value::as_array) {
        for item in content {
            content_item(item, &mut out);
        }
    }
    if let Some(structured) = result.get("structuredContent") {
        out.push(Output::Heading("structuredContent".into()));
        out.push(Output::Json(pretty(structured)));
    }
    if let Some(contents) = result.get("contents").and_then(Value::as_array) {
        for item in contents {
            let uri = item.get("uri").and_then(Value::as_str).unwrap_or("");
            let heading = match item.get("mimeType").and_then(Value::as_str) {
                Some(mime) => format!("{uri} ({mime})"),
                None => uri.to_owned(),
            };
            out.push(Output::Heading(heading));
            resource_body(item, &mut out);
        }
    }
    if let Some(messages) = result.get("messages").and_then(Value::as_array) {
        if let Some(description) = result.get("description").and_then(Value::as_str) {
            out.push(Output::Note(description.to_owned()));
        }
        for message in messages {
            let role = message.get("role").and_then(Value::as_str).unwrap_or("?");
            out.push(Output::Heading(role.to_owned()));
            if let Some(content) = message.get("content") {
                content_item(content, &mut out);
            }
        }
    }
    if out.is_empty() {
        out.push(Output::Json(pretty(result)));
    }
    out
}

/// One content item: text shown, other kinds named.
fn content_item(item: &Value, out: &mut Vec<Output>) {
    let field = |key: &str| item.get(key).and_then(Value::as_str);
    match field("type").unwrap_or("") {
        "text" => out.push(text(field("text").unwrap_or(""))),
        "resource" => {
            let resource = item.get("resource").unwrap_or(&Value::Null);
            let uri = resource.get("uri").and_then(Value::as_str).unwrap_or("");
            out.push(Output::Heading(format!("resource {uri}")));
            resource_body(resource, out);
        }
        "resource_link" => out.push(Output::Note(format!(
            "link to {} {}",
            field("uri").unwrap_or(""),
            field("name").unwrap_or("")
        ))),
        kind => {
            let size = field("data").map_or(0, str::len);
            let mime = field("mimeType").unwrap_or("no MIME type");
            out.push(Output::Note(format!(
                "{kind} content, {mime}, {size} bytes of base64"
            )));
        }
    }
}

fn resource_body(resource: &Value, out: &mut Vec<Output>) {
    if let Some(body) = resource.get("text").and_then(Value::as_str) {
        out.push(text(body));
    } else if let Some(blob) = resource.get("blob").and_then(Value::as_str) {
        out.push(Output::Note(format!(
            "binary, {} bytes of base64",
            blob.len()
        )));
    }
}

/// A text block, cut at [`MAX_TEXT_BYTES`].
fn text(body: &str) -> Output {
    Output::Text(cut(body))
}

/// Pretty JSON, cut at [`MAX_TEXT_BYTES`].
fn pretty(value: &Value) -> String {
    cut(&serde_json::to_string_pretty(value).unwrap_or_default())
}

/// `body`, or its first [`MAX_TEXT_BYTES`] and how much more there was.
fn cut(body: &str) -> String {
    if body.len() <= MAX_TEXT_BYTES {
        return body.to_owned();
    }
    let end = crate::text::floor_boundary(body, MAX_TEXT_BYTES);
    format!(
        "{}\n… {} more bytes not shown",
        &body[..end],
        body.len() - end
    )
}

/// The `outputSchema` check of a tool's result, as blocks.
fn schema_blocks(schema: &Value, structured: Option<&Value>) -> Vec<Output> {
    let mut out = vec![Output::Heading("outputSchema".into())];
    let Some(structured) = structured else {
        out.push(Output::Error(
            "no structuredContent, though the tool declares an outputSchema: \
             the spec says a server MUST return structured results that conform to it"
                .into(),
        ));
        return out;
    };
    match schema::check(schema, structured) {
        SchemaCheck::Matches => out.push(Output::SchemaMatches),
        SchemaCheck::Violations(found) => out.extend(found.into_iter().map(Output::Violation)),
        SchemaCheck::Unusable(why) => out.push(Output::SchemaUnusable(why)),
    }
    out
}
