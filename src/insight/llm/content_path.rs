//! A user-set path to an answer's text, for APIs not recognised by shape.

use serde_json::Value;

use crate::check::json_path::Condition;

/// A user-set path to the text in each event's JSON data, for APIs not
/// recognised by shape: `.message.content`, `choices[0].delta.content`.
/// The grammar is `--expect`'s (see `check::json_path`), without a comparison;
/// the leading `.` may be left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath(Condition);

/// A path that cannot be used; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ContentPathError(String);

impl ContentPath {
    pub fn parse(text: &str) -> Result<Self, ContentPathError> {
        let trimmed = text.trim();
        let dotted = if trimmed.starts_with(['.', '[']) {
            trimmed.to_owned()
        } else {
            format!(".{trimmed}")
        };
        let condition = Condition::parse(&dotted).map_err(|e| ContentPathError(e.to_string()))?;
        if condition.operator().is_some() {
            return Err(ContentPathError(format!(
                "{trimmed:?} compares; a text path is only a path, e.g. .message.content"
            )));
        }
        Ok(Self(condition))
    }

    /// The string the path points at in `value`, if it is a string.
    pub(super) fn text<'v>(&self, value: &'v Value) -> Option<&'v str> {
        self.0.lookup(value).and_then(Value::as_str)
    }
}

impl std::fmt::Display for ContentPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}
