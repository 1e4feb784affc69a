//! A user-set path to an answer's text, for APIs not recognised by shape.
//!
//! ```text
//! path := "." | step+            e.g. .choices[0].delta.content
//! step := "." key | "." "\"" quoted key "\"" | "[" index "]"
//! key  := one or more of A-Z a-z 0-9 _ -
//! ```
//!
//! A path, not an expression: it only reads a value (which a stream's chunk
//! rate makes cheap), so it has its own small reader rather than jq.

use serde_json::Value;

/// A user-set path to the text in each event's JSON data, for APIs not
/// recognised by shape: `.message.content`, `choices[0].delta.content`,
/// `."a key"`. The leading `.` may be left out. `Display` gives back the path
/// as read, with its leading `.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentPath {
    text: String,
    steps: Vec<Step>,
}

/// A path that cannot be used; the message says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ContentPathError(String);

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// What may follow a path in an `--expect` condition, which a text path refuses by name.
const OPERATORS: [&str; 6] = ["==", "!=", ">=", "<=", ">", "<"];

impl ContentPath {
    pub fn parse(text: &str) -> Result<Self, ContentPathError> {
        let trimmed = text.trim();
        let dotted = if trimmed.starts_with(['.', '[']) {
            trimmed.to_owned()
        } else {
            format!(".{trimmed}")
        };
        let error = |reason: &str| ContentPathError(format!("invalid path {dotted:?}: {reason}"));
        let (steps, rest) = parse_steps(&dotted).map_err(|reason| error(&reason))?;
        let rest = rest.trim_start();
        if OPERATORS.iter().any(|op| rest.starts_with(op)) {
            return Err(ContentPathError(format!(
                "{trimmed:?} compares; a text path is only a path, e.g. .message.content"
            )));
        }
        if !rest.is_empty() {
            return Err(error("a path is keys and indexes, e.g. .choices[0].delta"));
        }
        Ok(Self {
            text: dotted,
            steps,
        })
    }

    /// The string the path points at in `value`, if it is a string.
    pub(super) fn text<'v>(&self, value: &'v Value) -> Option<&'v str> {
        self.lookup(value).and_then(Value::as_str)
    }

    /// The value the path points at, if present.
    fn lookup<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        self.steps.iter().try_fold(root, |value, step| match step {
            Step::Key(key) => value.get(key.as_str()),
            Step::Index(i) => value.get(*i),
        })
    }
}

impl std::fmt::Display for ContentPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Reads the path at the start of `text`; returns it and the rest.
fn parse_steps(text: &str) -> Result<(Vec<Step>, &str), String> {
    let mut steps = Vec::new();
    let mut rest = text;
    loop {
        if let Some(after) = rest.strip_prefix('[') {
            let close = after
                .find(']')
                .ok_or_else(|| "a \"[\" without its \"]\"".to_owned())?;
            let index = after[..close]
                .trim()
                .parse::<usize>()
                .map_err(|_| format!("{:?} is not an array index", &after[..close]))?;
            steps.push(Step::Index(index));
            rest = &after[close + 1..];
        } else if let Some(after) = rest.strip_prefix(".\"") {
            let close = after
                .find('"')
                .ok_or_else(|| "a quoted key without its closing quote".to_owned())?;
            steps.push(Step::Key(after[..close].to_owned()));
            rest = &after[close + 1..];
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            if end > 0 {
                steps.push(Step::Key(after[..end].to_owned()));
            } else if !steps.is_empty() {
                return Err("a \".\" must be followed by a key".into());
            }
            rest = &after[end..];
            // A lone "." is the whole value; only "[" may follow it.
            if end == 0 && !rest.starts_with('[') {
                return Ok((steps, rest));
            }
        } else {
            return Ok((steps, rest));
        }
    }
}
