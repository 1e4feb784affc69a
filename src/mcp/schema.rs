//! JSON Schema, the two things a tool call needs: an example of a tool's
//! `inputSchema` to start its arguments from ([`example_text`]), and a check
//! of a result's `structuredContent` against the tool's `outputSchema`
//! ([`check`]).
//!
//! The check is the `jsonschema` crate's (every keyword of the drafts it
//! knows, `$ref` within the schema followed), built without its retrievers:
//! a `$ref` to another document is reported as unusable, never fetched. The
//! example is ours: no crate writes one, and ours keeps the required
//! properties first, in the order the schema lists them.
//!
//! Both read schemas a server sent, so both are bounded: a schema or a value
//! nested deeper than [`MAX_DEPTH`] is not walked.

use std::fmt::Write as _;

use serde_json::{Map, Value};

/// How deep a schema (or the value checked) may nest before it is refused:
/// deeper than any real tool's, shallow enough that walking it recursively
/// is safe on any thread's stack.
pub const MAX_DEPTH: usize = 64;

/// Nested objects get their properties in an example down to this depth;
/// below it an object is `{}`.
const EXAMPLE_DEPTH: usize = 8;

/// Violations listed at most; a value wrong everywhere says so in a few.
const MAX_VIOLATIONS: usize = 50;

/// The outcome of checking a value against a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaCheck {
    /// The value is valid.
    Matches,
    /// Where the value breaks the schema, and how (at most [`MAX_VIOLATIONS`]).
    Violations(Vec<Violation>),
    /// The schema cannot be used (malformed, a `$ref` to another document,
    /// too deep): why.
    Unusable(String),
}

/// One place a value breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// A JSON Pointer to the value (`/items/0/name`); empty for the whole value.
    pub path: String,
    /// What is wrong there, as the validator words it (it may quote the value).
    pub why: String,
}

/// Checks `value` against `schema`.
pub fn check(schema: &Value, value: &Value) -> SchemaCheck {
    if depth(schema) > MAX_DEPTH {
        return SchemaCheck::Unusable(format!("the schema nests deeper than {MAX_DEPTH} levels"));
    }
    if depth(value) > MAX_DEPTH {
        return SchemaCheck::Unusable(format!(
            "the value nests deeper than {MAX_DEPTH} levels: not checked"
        ));
    }
    let validator = match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(error) => return SchemaCheck::Unusable(format!("not a usable JSON Schema: {error}")),
    };
    let violations: Vec<Violation> = validator
        .iter_errors(value)
        .take(MAX_VIOLATIONS)
        .map(|error| Violation {
            path: error.instance_path().to_string(),
            why: error.to_string(),
        })
        .collect();
    if violations.is_empty() {
        SchemaCheck::Matches
    } else {
        SchemaCheck::Violations(violations)
    }
}

/// How deeply `value` nests arrays and objects (a scalar is 0), without recursion.
fn depth(value: &Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((value, level)) = stack.pop() {
        deepest = deepest.max(level);
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, level + 1))),
            _ => {}
        }
    }
    deepest
}

/// A pretty-printed JSON object to start a tool's arguments from: every
/// property of `schema`, required ones first (in the order `required` lists
/// them), then the others by name; each value the property's `default`, else
/// its `const` or first `enum` value, else an example of its `type` (`""`,
/// `0`, `false`, `[]`, `{}` or, for an object, its own properties, to a
/// limited depth). A schema that is not an object's gives `{}`.
pub fn example_text(schema: &Value) -> String {
    let mut out = String::new();
    match example(schema, schema, 0) {
        Example::Object(fields) => write_object(&mut out, &fields, 0),
        Example::Plain(_) => out.push_str("{}"),
    }
    out
}

/// An example value; objects keep their fields in the order chosen.
enum Example {
    Plain(Value),
    Object(Vec<(String, Example)>),
}

fn example(schema: &Value, root: &Value, level: usize) -> Example {
    let Some(schema) = schema.as_object() else {
        return Example::Plain(Value::Null);
    };
    if level > EXAMPLE_DEPTH {
        return Example::Plain(Value::Null);
    }
    if let Some(value) = schema.get("default").or_else(|| schema.get("const")) {
        return Example::Plain(value.clone());
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Example::Plain(first.clone());
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return match local_ref(root, target) {
            Some(target) => example(target, root, level + 1),
            None => Example::Plain(Value::Null),
        };
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|b| b.first())
        {
            return example(first, root, level + 1);
        }
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        // `["string", "null"]`: the first type that is not null.
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null")
            .unwrap_or("null"),
        _ if schema.contains_key("properties") => "object",
        _ => "",
    };
    Example::Plain(match kind {
        "object" => return object_example(schema, root, level),
        "string" => Value::String(String::new()),
        "number" | "integer" => Value::from(0),
        "boolean" => Value::Bool(false),
        "array" => Value::Array(Vec::new()),
        _ => Value::Null,
    })
}

fn object_example(schema: &Map<String, Value>, root: &Value, level: usize) -> Example {
    let empty = Map::new();
    let properties = schema
        .get("properties")
        .and_then(Value::as_object)
        .filter(|_| level < EXAMPLE_DEPTH)
        .unwrap_or(&empty);
    let mut names: Vec<&String> = Vec::new();
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if let Some((key, _)) = properties.get_key_value(name)
                && !names.contains(&key)
            {
                names.push(key);
            }
        }
    }
    let required = names.len();
    let mut rest: Vec<&String> = properties
        .keys()
        .filter(|k| !names[..required].contains(k))
        .collect();
    rest.sort();
    names.extend(rest);
    Example::Object(
        names
            .into_iter()
            .map(|name| (name.clone(), example(&properties[name], root, level + 1)))
            .collect(),
    )
}

/// The schema a `$ref` within the same document points at (`#/$defs/x`, `#`).
fn local_ref<'a>(root: &'a Value, target: &str) -> Option<&'a Value> {
    let pointer = target.strip_prefix('#')?;
    root.pointer(pointer)
}

fn write_object(out: &mut String, fields: &[(String, Example)], indent: usize) {
    if fields.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (name, value)) in fields.iter().enumerate() {
        let pad = "  ".repeat(indent + 1);
        let key = Value::String(name.clone());
        let _ = write!(out, "{pad}{key}: ");
        match value {
            Example::Object(fields) => write_object(out, fields, indent + 1),
            Example::Plain(value) => {
                let text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
                out.push_str(&text.replace('\n', &format!("\n{pad}")));
            }
        }
        out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
    }
    out.push_str(&"  ".repeat(indent));
    out.push('}');
}

#[cfg(test)]
mod tests;
