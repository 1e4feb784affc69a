//! The tiny condition language of `--expect` / `--expect-any`: a path into
//! an event's JSON data, optionally compared with a JSON literal.
//!
//! ```text
//! condition := path [ op literal ]
//! path      := "." | step+            e.g. .choices[0].delta.content
//! step      := "." key | "." "\"" quoted key "\"" | "[" index "]"
//! key       := one or more of A-Z a-z 0-9 _ -
//! op        := == | != | > | >= | < | <=
//! literal   := any JSON value: null, true, 3, 2.5, "text", [1], {"a":1}
//! ```
//!
//! A bare path holds when the value is present and neither `null` nor
//! `false`. A missing value compares as `null`, so `.a != null` means "present".
//! `==`/`!=` compare JSON values (numbers by value); the orderings hold only
//! between two numbers or two strings (strings by bytes), never otherwise.
//! No dependency: jq would be a whole language, and CI checks need this much.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

/// A condition that cannot be parsed; the message says where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid expression {text:?}: {reason}")]
pub struct ConditionError {
    text: String,
    reason: String,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Op {
    fn text(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
}

/// A parsed condition. `Display` gives back the text it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    text: String,
    path: Vec<Step>,
    compare: Option<(Op, Value)>,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Condition {
    type Err = ConditionError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Condition::parse(text)
    }
}

impl Condition {
    /// Parses `text` per the grammar in the module documentation.
    pub fn parse(text: &str) -> Result<Self, ConditionError> {
        let error = |reason: &str| ConditionError {
            text: text.to_owned(),
            reason: reason.to_owned(),
        };
        let trimmed = text.trim();
        let (path, rest) = parse_path(trimmed).map_err(|r| error(&r))?;
        let rest = rest.trim_start();
        let compare = if rest.is_empty() {
            None
        } else {
            let (op, literal) = split_op(rest)
                .ok_or_else(|| error("expected ==, !=, >, >=, < or <= after the path"))?;
            let literal = literal.trim();
            if literal.is_empty() {
                return Err(error("expected a JSON value after the operator"));
            }
            let value: Value = serde_json::from_str(literal).map_err(|_| {
                error("the value is not JSON (strings need double quotes, e.g. \"stop\")")
            })?;
            Some((op, value))
        };
        Ok(Self {
            text: trimmed.to_owned(),
            path,
            compare,
        })
    }

    /// Whether the condition holds for this JSON value (an event's data).
    pub fn holds(&self, root: &Value) -> bool {
        let found = self.lookup(root);
        match &self.compare {
            None => !matches!(found, None | Some(Value::Null) | Some(Value::Bool(false))),
            Some((op, literal)) => {
                let left = found.unwrap_or(&Value::Null);
                match op {
                    Op::Eq => json_eq(left, literal),
                    Op::Ne => !json_eq(left, literal),
                    Op::Gt => order(left, literal) == Some(Ordering::Greater),
                    Op::Ge => matches!(
                        order(left, literal),
                        Some(Ordering::Greater | Ordering::Equal)
                    ),
                    Op::Lt => order(left, literal) == Some(Ordering::Less),
                    Op::Le => {
                        matches!(order(left, literal), Some(Ordering::Less | Ordering::Equal))
                    }
                }
            }
        }
    }

    /// The value the path points at, if present.
    pub fn lookup<'v>(&self, root: &'v Value) -> Option<&'v Value> {
        self.path.iter().try_fold(root, |value, step| match step {
            Step::Key(key) => value.get(key.as_str()),
            Step::Index(i) => value.get(*i),
        })
    }

    /// The operator as written, for reports; `None` for a bare path.
    pub fn operator(&self) -> Option<&'static str> {
        self.compare.as_ref().map(|(op, _)| op.text())
    }
}

/// Reads the path at the start of `text`; returns it and the rest.
fn parse_path(text: &str) -> Result<(Vec<Step>, &str), String> {
    if !text.starts_with(['.', '[']) {
        return Err("a path starts with \".\", e.g. .choices[0].delta".into());
    }
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
            if end == 0 {
                // A lone "." is the whole value; only "[" may follow it.
                if !rest.starts_with('[') {
                    return Ok((steps, rest));
                }
            }
        } else {
            return Ok((steps, rest));
        }
    }
}

/// Splits `rest` into an operator and the literal after it.
fn split_op(rest: &str) -> Option<(Op, &str)> {
    // Two-character operators first, so ">=" is not read as ">" then "=".
    const OPS: [(&str, Op); 6] = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        (">", Op::Gt),
        ("<", Op::Lt),
    ];
    OPS.iter()
        .find_map(|(text, op)| rest.strip_prefix(text).map(|lit| (*op, lit)))
}

/// JSON equality with numbers compared by value (`1` equals `1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The order of two numbers or two strings; `None` for anything else.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64()?.partial_cmp(&y.as_f64()?),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(text: &str, value: Value) -> bool {
        Condition::parse(text).expect("parses").holds(&value)
    }

    #[test]
    fn bare_path_means_present_and_not_null_or_false() {
        let v = json!({"a": {"b": [0, null, false, "x"]}});
        assert!(holds(".a.b[0]", v.clone()));
        assert!(!holds(".a.b[1]", v.clone()));
        assert!(!holds(".a.b[2]", v.clone()));
        assert!(holds(".a.b[3]", v.clone()));
        assert!(!holds(".a.c", v.clone()));
        assert!(!holds(".a.b[9]", v));
    }

    #[test]
    fn comparisons_against_json_literals() {
        let v = json!({"n": 4, "s": "stop", "c": [{"delta": {"content": "hi"}}]});
        assert!(holds(".n > 3", v.clone()));
        assert!(holds(".n >= 4", v.clone()));
        assert!(!holds(".n < 4", v.clone()));
        assert!(holds(".n <= 4.0", v.clone()));
        assert!(holds(".n == 4.0", v.clone()));
        assert!(holds(".s == \"stop\"", v.clone()));
        assert!(holds(".s != \"go\"", v.clone()));
        assert!(holds(".c[0].delta.content != null", v.clone()));
        assert!(!holds(".c[1].delta.content != null", v.clone()));
        assert!(holds(".missing == null", v.clone()));
        // Orderings between different kinds never hold.
        assert!(!holds(".s > 3", v.clone()));
        assert!(!holds(".s < 3", v));
    }

    #[test]
    fn whole_value_and_quoted_keys() {
        assert!(holds(". == 5", json!(5)));
        assert!(holds(".[1] == 2", json!([1, 2])));
        assert!(holds(".\"a b\".c", json!({"a b": {"c": 1}})));
    }

    #[test]
    fn malformed_conditions_are_errors_not_panics() {
        for text in [
            "",
            "a.b",
            ".a ~ 3",
            ".a ==",
            ".a == stop",
            ".a[",
            ".a[x]",
            ".a..b",
            ".\"a",
            "é",
            ".a[99999999999999999999999]",
        ] {
            assert!(Condition::parse(text).is_err(), "{text:?} should not parse");
        }
    }

    #[test]
    fn display_is_the_text_parsed() {
        let c = Condition::parse("  .n > 3 ").unwrap();
        assert_eq!(c.to_string(), ".n > 3");
        assert_eq!(c.operator(), Some(">"));
    }
}
