//! The demo's MCP prompts: one more than fits on a page of `prompts/list`.

use rmcp::ErrorData;
use rmcp::model::{JsonObject, Prompt, PromptArgument, PromptMessage, Role};

fn argument(name: &str, description: &str, required: bool) -> PromptArgument {
    PromptArgument::new(name)
        .with_description(description)
        .with_required(required)
}

/// Every prompt, in order.
pub(super) fn prompts() -> Vec<Prompt> {
    vec![
        Prompt::new(
            "greet",
            Some("Greets someone by name"),
            Some(vec![argument("name", "who to greet", true)]),
        ),
        Prompt::new(
            "explain_sse",
            Some("Asks for an explanation of Server-Sent Events"),
            None,
        ),
        Prompt::new(
            "summarise",
            Some("Asks for a summary of a text"),
            Some(vec![argument("text", "the text to summarise", true)]),
        ),
        Prompt::new(
            "review_stream",
            Some("Asks for a review of a captured stream"),
            Some(vec![argument("stream", "the raw SSE to review", false)]),
        ),
    ]
}

/// The messages of prompt `name` with `args`.
pub(super) fn get(
    name: &str,
    args: Option<&JsonObject>,
) -> Result<(String, Vec<PromptMessage>), ErrorData> {
    let arg = |key: &str| args.and_then(|a| a.get(key)).and_then(|v| v.as_str());
    let required = |key: &str| {
        arg(key).ok_or_else(|| {
            ErrorData::invalid_params(format!("prompt {name:?} needs argument {key:?}"), None)
        })
    };
    let (description, text) = match name {
        "greet" => ("a greeting", format!("Say hello to {}.", required("name")?)),
        "explain_sse" => (
            "an explanation",
            "Explain Server-Sent Events in three sentences.".to_owned(),
        ),
        "summarise" => (
            "a summary",
            format!("Summarise this text:\n{}", required("text")?),
        ),
        "review_stream" => (
            "a review",
            format!(
                "Review this event stream:\n{}",
                arg("stream").unwrap_or("(none given)")
            ),
        ),
        other => {
            return Err(ErrorData::invalid_params(
                format!("unknown prompt {other:?}; prompts/list names the prompts"),
                None,
            ));
        }
    };
    Ok((
        description.to_owned(),
        vec![PromptMessage::new_text(Role::User, text)],
    ))
}
