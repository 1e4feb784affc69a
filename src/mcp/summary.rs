//! One line for a JSON-RPC message, as the list shows it: what it is, its
//! id, and the gist of its params, result or error. The text is the
//! server's: the caller escapes it before it reaches a terminal.

use serde_json::Value;

/// The most characters of JSON shown after the method.
const GIST: usize = 200;

/// The line for `data`, a message's text; a text that is no JSON-RPC
/// message says so.
pub fn line(data: &str) -> String {
    let Ok(value) = serde_json::from_str::<Value>(data) else {
        return format!("not JSON: {}", head(data));
    };
    let Some(object) = value.as_object() else {
        return format!("not a JSON-RPC message: {}", head(data));
    };
    let id = object.get("id").map(|id| format!("#{id}"));
    let method = object.get("method").and_then(Value::as_str);
    match (method, id) {
        (Some(method), Some(id)) => {
            format!(
                "{method} {id} {}",
                params_gist(method, object.get("params"))
            )
        }
        (Some(method), None) => format!("{method} {}", params_gist(method, object.get("params"))),
        (None, Some(id)) => match (object.get("result"), object.get("error")) {
            (Some(result), None) => format!("{id} result {}", result_gist(result)),
            (None, Some(error)) => format!(
                "{id} error {} {}",
                error.get("code").map(Value::to_string).unwrap_or_default(),
                error
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
            ),
            _ => format!("{id} neither result nor error: {}", head(data)),
        },
        (None, None) => format!("no method and no id: {}", head(data)),
    }
}

/// The params worth a glance: a tool's name and arguments, progress as
/// `3/5`, a log line's level and data; else the params without `_meta`.
fn params_gist(method: &str, params: Option<&Value>) -> String {
    let Some(params) = params else {
        return String::new();
    };
    let get = |key: &str| params.get(key);
    match method {
        "tools/call" | "prompts/get" => format!(
            "{} {}",
            get("name").and_then(Value::as_str).unwrap_or("?"),
            get("arguments").map(compact).unwrap_or_default()
        ),
        "notifications/progress" => {
            let of = get("total")
                .map(|t| format!("/{}", number(t)))
                .unwrap_or_default();
            let message = get("message").and_then(Value::as_str).unwrap_or_default();
            format!(
                "{}{of} {message}",
                get("progress").map(number).unwrap_or_default()
            )
        }
        "notifications/message" => format!(
            "[{}] {}",
            get("level").and_then(Value::as_str).unwrap_or("?"),
            get("data").map(compact).unwrap_or_default()
        ),
        "notifications/cancelled" => format!(
            "#{} {}",
            get("requestId").map(Value::to_string).unwrap_or_default(),
            get("reason").and_then(Value::as_str).unwrap_or_default()
        ),
        _ => {
            let mut shown = params.clone();
            if let Some(object) = shown.as_object_mut() {
                object.remove("_meta");
                if object.is_empty() {
                    return String::new();
                }
            }
            compact(&shown)
        }
    }
}

/// A result's gist: a list's item count, a tool result's text, else the JSON.
fn result_gist(result: &Value) -> String {
    for key in ["tools", "resources", "resourceTemplates", "prompts"] {
        if let Some(Value::Array(items)) = result.get(key) {
            let more = if result.get("nextCursor").is_some_and(|c| !c.is_null()) {
                " (more: nextCursor)"
            } else {
                ""
            };
            return format!("{} {key}{more}", items.len());
        }
    }
    if let Some(Value::Array(content)) = result.get("content") {
        let failed = if result.get("isError") == Some(&Value::Bool(true)) {
            "isError "
        } else {
            ""
        };
        let text: Vec<&str> = content
            .iter()
            .filter_map(|item| item.get("text").and_then(Value::as_str))
            .collect();
        return format!("{failed}{}", head(&text.join(" ")));
    }
    compact(result)
}

/// A number as a person writes it: `3`, not `3.0`.
fn number(value: &Value) -> String {
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        _ => value.to_string(),
    }
}

fn compact(value: &Value) -> String {
    head(&value.to_string())
}

fn head(text: &str) -> String {
    match text.char_indices().nth(GIST) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn each_kind_of_message_has_its_line() {
        let cases = [
            (
                r#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"add","arguments":{"a":1},"_meta":{"progressToken":"t"}}}"#,
                r#"tools/call #3 add {"a":1}"#,
            ),
            (
                r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":"t","progress":2.0,"total":5,"message":"step"}}"#,
                "notifications/progress 2/5 step",
            ),
            (
                r#"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"hi"}}"#,
                r#"notifications/message [info] "hi""#,
            ),
            (
                r#"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"42"}]}}"#,
                "#3 result 42",
            ),
            (
                r#"{"jsonrpc":"2.0","id":"a","result":{"tools":[{},{}],"nextCursor":"x"}}"#,
                r#"#"a" result 2 tools (more: nextCursor)"#,
            ),
            (
                r#"{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"no"}}"#,
                "#4 error -32601 no",
            ),
            (r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, "ping #1 "),
            ("oops", "not JSON: oops"),
            ("[1]", "not a JSON-RPC message: [1]"),
        ];
        for (data, want) in cases {
            assert_eq!(line(data), want, "{data}");
        }
    }

    #[test]
    fn a_long_message_is_cut_on_a_character_boundary() {
        let data = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{{"t":"{}"}}}}"#,
            "é".repeat(500)
        );
        let shown = line(&data);
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < 220, "{shown}");
    }
}
