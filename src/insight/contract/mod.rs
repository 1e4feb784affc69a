//! Contracts: JSON Schemas that events' data must meet (`--schema FILE`,
//! `--schema TYPE=FILE`, a profile's `schema` and `schemas`), compiled once
//! and applied to each event as it comes.
//!
//! The validator is the `jsonschema` crate's, as for MCP's `outputSchema`
//! (`mcp::schema`), built without its retrievers: a `$ref` is followed
//! within its own file, a `$ref` to another document makes the schema
//! unusable and is never fetched. The dialect is the schema's `$schema`
//! (2020-12 when it has none; draft 7, 2019-09, 6 and 4 are known too).
//!
//! Pure: the edges read the files and hand their text here
//! ([`SchemaSource`]). An event costs a JSON parse and one validation, and
//! nothing at all when no schema is set (there is no [`Schemas`] then).

mod source;

use std::fmt;

use serde_json::Value;

pub use source::{SchemaError, SchemaRule, SchemaSource, Target};

/// Errors listed at most for one event: a value wrong everywhere says so in a few.
pub const MAX_ERRORS: usize = 10;

/// Characters of an expected or actual value kept in an error.
const SHORT: usize = 60;

/// One compiled schema, with the file it came from.
struct Compiled {
    validator: jsonschema::Validator,
    /// The file, as the user named it: for messages.
    file: String,
    /// Put before each violation's pointer: `/data` for a data schema that
    /// an event object's schema holds, so pointers read as in that object.
    prefix: &'static str,
}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compiled")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// The schemas of a run: one for every event, and one per event type (the
/// type's wins over the one for every event).
#[derive(Debug, Default)]
pub struct Schemas {
    /// The event object's schema (OpenAPI 3.2 `itemSchema`), for every event.
    item: Option<Compiled>,
    every: Option<Compiled>,
    /// Few, so a list: looked up by comparing the event's type.
    by_type: Vec<(String, Compiled)>,
}

/// One place an event's data breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer to the value (`/choices/0/index`); empty for the whole data.
    pub pointer: String,
    /// The schema keyword broken (`type`, `required`, …), or `json` when the
    /// data is not JSON at all.
    pub rule: String,
    /// What the schema asks for, short (the validator's words, the value masked).
    pub expected: String,
    /// The value found, as JSON, short. Raw event text: neutralise before showing.
    pub actual: String,
}

/// An event as a schema sees it: its fields as its block gave them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fields<'a> {
    /// The `event:` field; `None` when the block set none (its type is `message`).
    pub event: Option<&'a str>,
    pub data: &'a str,
    /// The id the event's own block set; `None` when it inherited one.
    pub id: Option<&'a str>,
    /// The block's `retry:`, when it had a valid one.
    pub retry: Option<u64>,
}

impl<'a> Fields<'a> {
    /// The type as a browser reports it.
    pub fn event_type(&self) -> &'a str {
        self.event.unwrap_or("message")
    }

    /// The event object of OpenAPI 3.2's SSE section: the fields the block
    /// had and no other (no defaults: an absent `event:` is no `event`).
    fn object(&self) -> Value {
        let mut object = serde_json::Map::new();
        if let Some(event) = self.event {
            object.insert("event".into(), event.into());
        }
        object.insert("data".into(), self.data.into());
        if let Some(id) = self.id {
            object.insert("id".into(), id.into());
        }
        if let Some(retry) = self.retry {
            object.insert("retry".into(), retry.into());
        }
        Value::Object(object)
    }
}

impl<'a> From<&'a crate::sse::Event> for Fields<'a> {
    fn from(event: &'a crate::sse::Event) -> Self {
        Self {
            event: (!event.event.is_empty()).then_some(&*event.event),
            data: &event.data,
            id: event.sets_id.then_some(&*event.id),
            retry: event.retry_ms,
        }
    }
}

/// What a schema says of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No schema applies to this event's type.
    Unchecked,
    /// The data meets its schema, or is an end marker (`[DONE]`), exempt.
    Valid,
    /// Where the data breaks the schema (at most [`MAX_ERRORS`]; at least one).
    Invalid(Vec<Violation>),
}

impl Schemas {
    /// Compiles every source; the first that is not JSON or not a schema is
    /// the error, naming its file. A later rule for the same type (or for
    /// every event) replaces an earlier one, as a command-line flag after a
    /// profile's key does.
    pub fn compile(sources: &[SchemaSource]) -> Result<Self, SchemaError> {
        let mut schemas = Self::default();
        for source in sources {
            let compiled = Compiled {
                validator: source.validator()?,
                file: source.file.clone(),
                prefix: match source.target {
                    Target::DataInEvent => "/data",
                    Target::Data | Target::Event => "",
                },
            };
            match (&source.event_type, source.target) {
                (_, Target::Event) => schemas.item = Some(compiled),
                (None, _) => schemas.every = Some(compiled),
                (Some(kind), _) => {
                    schemas.by_type.retain(|(k, _)| k != kind);
                    schemas.by_type.push((kind.clone(), compiled));
                }
            }
        }
        Ok(schemas)
    }

    /// Whether no schema was given at all.
    pub fn is_empty(&self) -> bool {
        self.item.is_none() && self.every.is_none() && self.by_type.is_empty()
    }

    /// The files, for a report: `every.json; delta: delta.json`.
    pub fn describe(&self) -> String {
        let item = self.item.iter().map(|c| format!("events: {}", c.file));
        let every = self.every.iter().map(|c| c.file.clone());
        let typed = self
            .by_type
            .iter()
            .map(|(kind, c)| format!("{kind}: {}", c.file));
        item.chain(every)
            .chain(typed)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The file of the schema that applies to events of `event_type`.
    pub fn file_for(&self, event_type: &str) -> Option<&str> {
        self.schema_for(event_type).map(|c| c.file.as_str())
    }

    fn schema_for(&self, event_type: &str) -> Option<&Compiled> {
        self.by_type
            .iter()
            .find(|(kind, _)| kind == event_type)
            .map(|(_, c)| c)
            .or(self.every.as_ref())
    }

    /// Judges one event's data against the schema for its type (an event
    /// object's schema sees `event` as `event_type`): the tests' shorthand;
    /// every caller has the event's own fields and uses `validate_event`.
    #[cfg(test)]
    pub(crate) fn validate(&self, event_type: &str, data: &str) -> Verdict {
        self.validate_event(&Fields {
            event: Some(event_type),
            data,
            id: None,
            retry: None,
        })
    }

    /// Judges one event: its object against the event schema, then its
    /// data against the schema for its type.
    pub fn validate_event(&self, fields: &Fields<'_>) -> Verdict {
        let data_schema = self.schema_for(fields.event_type());
        if self.item.is_none() && data_schema.is_none() {
            return Verdict::Unchecked;
        }
        let mut violations = Vec::new();
        if let Some(item) = &self.item {
            violations_of(item, &fields.object(), &mut violations);
        }
        if let Some(schema) = data_schema {
            match serde_json::from_str::<Value>(fields.data) {
                Ok(value) => violations_of(schema, &value, &mut violations),
                Err(err) => violations.push(not_json(schema.prefix, fields.data, &err)),
            }
        }
        // Only a failing event is asked whether it is an end marker: the
        // markers that are not JSON (`[DONE]`) or do not fit an event schema.
        if violations.is_empty()
            || crate::sse::end_marker::of_text(fields.event_type(), fields.data).is_some()
        {
            return Verdict::Valid;
        }
        violations.truncate(MAX_ERRORS);
        Verdict::Invalid(violations)
    }
}

/// Adds where `value` breaks `schema` to `out`, up to [`MAX_ERRORS`] in all.
fn violations_of(schema: &Compiled, value: &Value, out: &mut Vec<Violation>) {
    if schema.validator.is_valid(value) {
        return;
    }
    let room = MAX_ERRORS.saturating_sub(out.len());
    out.extend(
        schema
            .validator
            .iter_errors(value)
            .take(room)
            .map(|error| Violation {
                pointer: format!("{}{}", schema.prefix, error.instance_path()),
                rule: error.kind().keyword().to_owned(),
                expected: short(&error.masked().to_string()),
                actual: short(&error.instance().to_string()),
            }),
    );
}

/// The violation of data that is not JSON.
fn not_json(prefix: &str, data: &str, err: &serde_json::Error) -> Violation {
    let expected = if crate::limits::json::too_deep(data.as_bytes()) {
        format!(
            "JSON nested less than {} levels deep",
            crate::limits::json::DEPTH_LIMIT
        )
    } else {
        format!("JSON ({err})")
    };
    Violation {
        pointer: prefix.to_owned(),
        rule: "json".into(),
        expected: short(&expected),
        actual: short(data),
    }
}

/// `text` cut to [`SHORT`] characters.
fn short(text: &str) -> String {
    crate::text::cut(text, SHORT).into_owned()
}

#[cfg(test)]
mod tests;
