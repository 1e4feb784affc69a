//! One entry of a server's list (a tool, a resource, a resource template or
//! a prompt), read leniently from its JSON: a field missing or of the wrong
//! type is shown as absent, never refused. The JSON is kept whole, for what
//! the panel reads on demand (schemas, arguments).

use serde_json::Value;

use crate::mcp::calls::ListKind;

/// A listed item.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub kind: ListKind,
    /// The tool's or prompt's `name`; a resource's or template's `name`, else its URI.
    pub name: String,
    /// The optional display `title`.
    pub title: Option<String>,
    pub description: String,
    /// The item as the server sent it.
    pub raw: Value,
}

/// One named input of an item: a tool's property (`about` is its type) or a
/// prompt's argument (`about` is its description).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub about: String,
    pub required: bool,
}

impl Item {
    /// The item `raw` describes, as a list of `kind` holds it.
    pub fn new(kind: ListKind, raw: Value) -> Self {
        let name = string(&raw, "name")
            .or_else(|| string(&raw, "uri"))
            .or_else(|| string(&raw, "uriTemplate"))
            .unwrap_or_default();
        Self {
            kind,
            name,
            title: string(&raw, "title").filter(|t| !t.is_empty()),
            description: string(&raw, "description").unwrap_or_default(),
            raw,
        }
    }

    /// A resource's `uri`.
    pub fn uri(&self) -> Option<String> {
        string(&self.raw, "uri")
    }

    /// A template's `uriTemplate`.
    pub fn uri_template(&self) -> Option<String> {
        string(&self.raw, "uriTemplate")
    }

    /// A resource's or template's `mimeType`.
    pub fn mime_type(&self) -> Option<String> {
        string(&self.raw, "mimeType")
    }

    /// A tool's `inputSchema`.
    pub fn input_schema(&self) -> Option<&Value> {
        self.raw.get("inputSchema").filter(|s| s.is_object())
    }

    /// A tool's `outputSchema`, when it declares one.
    pub fn output_schema(&self) -> Option<&Value> {
        self.raw.get("outputSchema").filter(|s| s.is_object())
    }

    /// A tool's input properties for the detail: name, type and whether
    /// required, required first.
    pub fn input_properties(&self) -> Vec<Field> {
        let Some(schema) = self.input_schema() else {
            return Vec::new();
        };
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut found: Vec<Field> = schema
            .get("properties")
            .and_then(Value::as_object)
            .map(|props| {
                props
                    .iter()
                    .map(|(name, prop)| Field {
                        name: name.clone(),
                        about: type_name(prop),
                        required: required.contains(&name.as_str()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|p| !p.required);
        found
    }

    /// A prompt's `arguments`.
    pub fn prompt_arguments(&self) -> Vec<Field> {
        let Some(list) = self.raw.get("arguments").and_then(Value::as_array) else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|arg| {
                Some(Field {
                    name: string(arg, "name")?,
                    about: string(arg, "description").unwrap_or_default(),
                    required: arg.get("required").and_then(Value::as_bool) == Some(true),
                })
            })
            .collect()
    }

    /// Whether the filter's words are all in its name, title, description or URI (case ignored).
    pub fn matches(&self, words: &[String]) -> bool {
        if words.is_empty() {
            return true;
        }
        let text = format!(
            "{} {} {} {}",
            self.name,
            self.title.as_deref().unwrap_or(""),
            self.description,
            self.uri()
                .or_else(|| self.uri_template())
                .unwrap_or_default()
        )
        .to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    }
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// A property's type as a schema gives it (`string`, `integer | null`, `enum`), or `any`.
fn type_name(schema: &Value) -> String {
    match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ if schema.get("enum").is_some() => "enum".into(),
        _ if schema.get("$ref").is_some() => "$ref".into(),
        _ => "any".into(),
    }
}
