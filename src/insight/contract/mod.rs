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

pub use source::{SchemaError, SchemaRule, SchemaSource};

/// Errors listed at most for one event: a value wrong everywhere says so in a few.
pub const MAX_ERRORS: usize = 10;

/// Characters of an expected or actual value kept in an error.
const SHORT: usize = 60;

/// One compiled schema, with the file it came from.
struct Compiled {
    validator: jsonschema::Validator,
    /// The file, as the user named it: for messages.
    file: String,
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
            };
            match &source.event_type {
                None => schemas.every = Some(compiled),
                Some(kind) => {
                    schemas.by_type.retain(|(k, _)| k != kind);
                    schemas.by_type.push((kind.clone(), compiled));
                }
            }
        }
        Ok(schemas)
    }

    /// Whether no schema was given at all.
    pub fn is_empty(&self) -> bool {
        self.every.is_none() && self.by_type.is_empty()
    }

    /// The files, for a report: `every.json; delta: delta.json`.
    pub fn describe(&self) -> String {
        let every = self.every.iter().map(|c| c.file.clone());
        let typed = self
            .by_type
            .iter()
            .map(|(kind, c)| format!("{kind}: {}", c.file));
        every.chain(typed).collect::<Vec<_>>().join("; ")
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

    /// Judges one event's data against the schema for its type.
    pub fn validate(&self, event_type: &str, data: &str) -> Verdict {
        let Some(schema) = self.schema_for(event_type) else {
            return Verdict::Unchecked;
        };
        let violations = match serde_json::from_str::<Value>(data) {
            Ok(value) => {
                if schema.validator.is_valid(&value) {
                    return Verdict::Valid;
                }
                schema
                    .validator
                    .iter_errors(&value)
                    .take(MAX_ERRORS)
                    .map(|error| Violation {
                        pointer: error.instance_path().to_string(),
                        rule: error.kind().keyword().to_owned(),
                        expected: short(&error.masked().to_string()),
                        actual: short(&error.instance().to_string()),
                    })
                    .collect()
            }
            Err(err) => vec![not_json(data, &err)],
        };
        // Only a failing event is asked whether it is an end marker: the
        // markers that are not JSON (`[DONE]`) or do not fit an event schema.
        if crate::sse::end_marker::of_text(event_type, data).is_some() || violations.is_empty() {
            return Verdict::Valid;
        }
        Verdict::Invalid(violations)
    }
}

/// The violation of data that is not JSON.
fn not_json(data: &str, err: &serde_json::Error) -> Violation {
    let expected = if crate::limits::json::too_deep(data.as_bytes()) {
        format!(
            "JSON nested less than {} levels deep",
            crate::limits::json::DEPTH_LIMIT
        )
    } else {
        format!("JSON ({err})")
    };
    Violation {
        pointer: String::new(),
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
