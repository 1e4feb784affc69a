//! What the client may be asked by the server. ssetui declares no client
//! capability unless the user names one (`--mcp-capability`); a server
//! request of a declared kind is put to the user, whose JSON is the result;
//! one of an undeclared kind is answered "method not found" (-32601).
//!
//! 2025-11-25 client features: `sampling/createMessage` (capability
//! `sampling`), `elicitation/create` (`elicitation`), `roots/list` (`roots`).

use std::future::Future;
use std::pin::Pin;

use serde_json::{Map, Value, json};

pub use crate::sse::McpCapability as Capability;

/// What answers a server's request of a declared kind: the result, or why
/// not (answered as a JSON-RPC error).
pub type Answerer =
    Box<dyn FnMut(Capability, Value) -> Pin<Box<dyn Future<Output = Result<Value, String>>>>>;

/// The capability a server request needs, by its method.
pub fn of_method(method: &str) -> Option<Capability> {
    match method {
        "sampling/createMessage" => Some(Capability::Sampling),
        "elicitation/create" => Some(Capability::Elicitation),
        "roots/list" => Some(Capability::Roots),
        _ => None,
    }
}

/// The method a capability answers.
pub fn method(capability: Capability) -> &'static str {
    match capability {
        Capability::Sampling => "sampling/createMessage",
        Capability::Elicitation => "elicitation/create",
        Capability::Roots => "roots/list",
    }
}

/// The `capabilities` object declaring `declared` (empty: none).
pub fn declaration(declared: &[Capability]) -> Value {
    let mut object = Map::new();
    for capability in declared {
        let (key, value) = match capability {
            Capability::Sampling => ("sampling", json!({})),
            Capability::Elicitation => ("elicitation", json!({})),
            Capability::Roots => ("roots", json!({ "listChanged": false })),
        };
        object.insert(key.into(), value);
    }
    Value::Object(object)
}

/// A result to start the user's answer from, shaped as the spec's result
/// for `capability` (an elicitation's content from its requested schema).
pub fn template(capability: Capability, params: &Value) -> Value {
    match capability {
        Capability::Sampling => json!({
            "role": "assistant",
            "content": { "type": "text", "text": "" },
            "model": "ssetui-user",
            "stopReason": "endTurn",
        }),
        Capability::Elicitation => {
            let mut content = Map::new();
            if let Some(Value::Object(properties)) = params
                .get("requestedSchema")
                .and_then(|schema| schema.get("properties"))
            {
                for (name, schema) in properties {
                    content.insert(name.clone(), example(schema));
                }
            }
            json!({ "action": "accept", "content": content })
        }
        Capability::Roots => json!({
            "roots": [{ "uri": "file:///", "name": "root" }]
        }),
    }
}

/// A value of a primitive schema (elicitation schemas are flat): its
/// default, else its first enum value, else an empty value of its type.
fn example(schema: &Value) -> Value {
    if let Some(default) = schema.get("default") {
        return default.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("number" | "integer") => json!(0),
        Some("boolean") => json!(false),
        _ => json!(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_declared_capabilities_are_declared() {
        assert_eq!(declaration(&[]), json!({}));
        assert_eq!(
            declaration(&[Capability::Roots, Capability::Sampling]),
            json!({"roots": {"listChanged": false}, "sampling": {}})
        );
        for capability in [
            Capability::Sampling,
            Capability::Elicitation,
            Capability::Roots,
        ] {
            assert_eq!(of_method(method(capability)), Some(capability));
        }
        assert_eq!(of_method("tools/list"), None);
    }

    #[test]
    fn an_elicitation_template_has_each_requested_field() {
        let params = json!({"message": "who?", "requestedSchema": {"type": "object", "properties": {
            "name": {"type": "string"},
            "age": {"type": "integer", "default": 30},
            "color": {"type": "string", "enum": ["red", "blue"]},
            "ok": {"type": "boolean"}
        }}});
        assert_eq!(
            template(Capability::Elicitation, &params),
            json!({"action": "accept", "content": {"name": "", "age": 30, "color": "red", "ok": false}})
        );
    }
}
