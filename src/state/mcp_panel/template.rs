//! URI templates (RFC 6570, levels 1 to 3), as a resource template's
//! `uriTemplate` is written: the variables it names, and the URI it expands
//! to with the values the user typed. Prefix (`:3`) and explode (`*`)
//! modifiers are read; a value is one string, so explode changes nothing.

use serde_json::{Map, Value};

/// The variables of `template`, each once, in order of appearance.
pub fn variables(template: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for expression in expressions(template) {
        let (_, specs) = operator(expression);
        for spec in specs.split(',') {
            let (name, _) = varspec(spec);
            if !name.is_empty() && !names.iter().any(|n| n == name) {
                names.push(name.to_owned());
            }
        }
    }
    names
}

/// `template` with its expressions expanded from `values` (strings; other
/// scalars by their JSON text; null or missing means undefined and leaves
/// the variable out, as the RFC says). Text outside expressions is kept.
pub fn expand(template: &str, values: &Map<String, Value>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        expand_one(&rest[open + 1..close], values, &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The text inside each `{…}`.
fn expressions(template: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        found.push(&rest[open + 1..close]);
        rest = &rest[close + 1..];
    }
    found
}

/// How an operator expands (RFC 6570, appendix A).
struct Operator {
    first: &'static str,
    separator: &'static str,
    named: bool,
    if_empty: &'static str,
    reserved: bool,
}

/// The operator at the start of an expression, and the variable list after it.
fn operator(expression: &str) -> (Operator, &str) {
    let op = |first, separator, named, if_empty, reserved| Operator {
        first,
        separator,
        named,
        if_empty,
        reserved,
    };
    let mut chars = expression.chars();
    let (operator, skip) = match chars.next() {
        Some('+') => (op("", ",", false, "", true), 1),
        Some('#') => (op("#", ",", false, "", true), 1),
        Some('.') => (op(".", ".", false, "", false), 1),
        Some('/') => (op("/", "/", false, "", false), 1),
        Some(';') => (op(";", ";", true, "", false), 1),
        Some('?') => (op("?", "&", true, "=", false), 1),
        Some('&') => (op("&", "&", true, "=", false), 1),
        _ => (op("", ",", false, "", false), 0),
    };
    (operator, &expression[skip..])
}

/// A variable's name and its prefix length, if any (`name:3`, `name*`).
fn varspec(spec: &str) -> (&str, Option<usize>) {
    let spec = spec.trim();
    if let Some((name, length)) = spec.split_once(':') {
        return (name, length.parse().ok());
    }
    (spec.trim_end_matches('*'), None)
}

fn expand_one(expression: &str, values: &Map<String, Value>, out: &mut String) {
    let (op, specs) = operator(expression);
    let mut first = true;
    for spec in specs.split(',') {
        let (name, prefix) = varspec(spec);
        let value = match values.get(name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        let value: String = match prefix {
            Some(n) => value.chars().take(n).collect(),
            None => value,
        };
        out.push_str(if first { op.first } else { op.separator });
        first = false;
        if op.named {
            encode(name, true, out);
            if value.is_empty() {
                out.push_str(op.if_empty);
                continue;
            }
            out.push('=');
        }
        encode(&value, op.reserved, out);
    }
}

/// Percent-encodes all but the unreserved characters (and, with `reserved`,
/// the reserved ones and existing `%XX` triplets).
fn encode(value: &str, reserved: bool, out: &mut String) {
    let bytes = value.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let unreserved = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        let kept_reserved = reserved
            && (b":/?#[]@!$&'()*+,;=".contains(&b)
                || (b == b'%'
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)));
        if unreserved || kept_reserved {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}
