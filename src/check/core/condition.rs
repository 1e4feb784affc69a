//! The expressions of `--expect` and `--expect-any`: jq, run by the engine
//! behind `print --filter` and `jq:` searches ([`crate::insight::jq`]), so
//! there is one language to learn. An expression is compiled once, when the
//! flags or the profile are read, and run on each event's data.
//!
//! It holds for an event when its data is JSON and every output of the
//! expression is neither `false` nor `null`, with at least one output. Where
//! jq differs from a plain path language, jq wins: values are ordered across
//! types (`.n > 3` holds for a string), indexing a non-object is an error,
//! which does not hold (`.a` of `5`; `.a?` yields nothing instead), and
//! `.items[] > 2` must hold for every item.

use std::fmt;

use crate::insight::jq::{Input, NotHeld, Query, QueryError};

/// A jq expression an event's data is judged by. `Display` gives back the
/// expression as written, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition(Query);

/// An expression jq cannot compile: what is wrong and, when known, at which column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid jq expression {text:?}: {error}")]
pub struct ConditionError {
    text: String,
    error: QueryError,
}

impl Condition {
    /// Compiles `text` as jq (with its nesting limit), or says what is wrong
    /// with it and where: columns count in `text` as written.
    pub fn parse(text: &str) -> Result<Self, ConditionError> {
        Query::compile(text)
            .map(Self)
            .map_err(|error| ConditionError {
                text: text.to_owned(),
                error,
            })
    }

    /// Whether the condition holds for an event's data read as JSON, or why not.
    pub fn holds(&self, data: &Input) -> Result<(), NotHeld> {
        self.0.all_outputs_hold(data)
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expr().trim())
    }
}

impl std::str::FromStr for Condition {
    type Err = ConditionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Condition::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expression_is_compiled_once_and_shown_as_written() {
        let c: Condition = "  .choices[0].delta != null ".parse().unwrap();
        assert_eq!(c.to_string(), ".choices[0].delta != null");
        let data = Input::parse(r#"{"choices":[{"delta":{}}]}"#).unwrap();
        assert_eq!(c.holds(&data), Ok(()));
        let data = Input::parse(r#"{"choices":[]}"#).unwrap();
        assert!(matches!(
            c.holds(&data),
            Err(NotHeld::Falsy { index: 1, .. })
        ));
    }

    #[test]
    fn an_error_names_the_expression_and_the_column_as_typed() {
        let err = Condition::parse("  .a ~ 3").unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid jq expression \"  .a ~ 3\": unexpected `~` at column 6"
        );
        let deep = format!(". == {}{}", "[".repeat(60_000), "]".repeat(60_000));
        let err = Condition::parse(&deep).unwrap_err().to_string();
        assert!(err.contains("too complex"), "{err:.200}");
    }
}
