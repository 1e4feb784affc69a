//! `{{name}}` placeholders: the variables of an environment (`[environments.NAME]`),
//! a profile, the settings or the command line (`--var`), put into a
//! request's text before it is parsed, so `{{base_url}}/chat` can stand for
//! a URL in every environment.
//!
//! The grammar is narrow on purpose, so text that only looks like a
//! placeholder is left alone: a name is `[A-Za-z_][A-Za-z0-9_.-]*` directly
//! between `{{` and `}}`. Anything else between braces (a prompt template's
//! `{{ user }}` with spaces, `{{#if}}`, `{{{x}}}`) is kept as written, and
//! `{{{{` writes a literal `{{`. `${env:VAR}` references are not touched
//! here: they are resolved after the placeholders, in what the placeholders
//! produced (`sse::env_ref`).

use std::collections::BTreeMap;
use std::fmt;

use crate::sse::request::{Field, RequestSpec};

/// Where a variable's value came from, highest precedence first: the order
/// [`Vars`] looks a name up in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum VarSource {
    /// `--var NAME=VALUE` on the command line.
    Explicit,
    /// `[environments.NAME]`, chosen by `--env`, the UI's picker or the profile's `env`.
    Environment(String),
    /// A profile's `vars` table.
    Profile(String),
    /// `[settings] vars`.
    Settings,
}

impl fmt::Display for VarSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Explicit => f.write_str("--var"),
            Self::Environment(name) => write!(f, "environment {name:?}"),
            Self::Profile(name) => write!(f, "profile {name:?}"),
            Self::Settings => f.write_str("the settings"),
        }
    }
}

/// A part of a text with placeholders: see [`Vars::pieces`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text as written (escapes undone).
    Written(String),
    /// A variable's value, in place of its `{{name}}`.
    Value(String),
}

impl Piece {
    pub fn text(&self) -> &str {
        match self {
            Self::Written(text) | Self::Value(text) => text,
        }
    }
}

/// The variables in force for one request, in layers: a name is looked up
/// in each layer by [`VarSource`] order (explicit option, environment,
/// profile, settings) and the first that defines it wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    layers: Vec<(VarSource, BTreeMap<String, String>)>,
}

/// A `{{name}}` that no layer defines, and the field it stands in: nothing
/// is sent while one is left.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: the variable {{{{{name}}}}} is not defined ({looked})")]
pub struct UndefinedVar {
    pub name: String,
    /// The field in words: `the URL`, `header "X-Org"`, `the body`.
    pub field: String,
    /// Where it was looked for, in words.
    pub looked: String,
}

impl Vars {
    /// No variables: every `{{name}}` is undefined.
    pub fn new() -> Self {
        Self::default()
    }

    /// These variables with `values` as a layer of `source`. Layers may be
    /// added in any order; lookups follow [`VarSource`]'s.
    pub fn with<K, V>(mut self, source: VarSource, values: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let values = values
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let at = self.layers.partition_point(|(s, _)| *s <= source);
        self.layers.insert(at, (source, values));
        self
    }

    /// The value of `name` and the layer it comes from, if any defines it.
    pub fn lookup(&self, name: &str) -> Option<(&str, &VarSource)> {
        self.layers
            .iter()
            .find_map(|(source, values)| values.get(name).map(|v| (v.as_str(), source)))
    }

    /// The value of `name`, if any layer defines it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.lookup(name).map(|(value, _)| value)
    }

    /// Every name some layer defines.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.layers
            .iter()
            .flat_map(|(_, values)| values.keys().map(String::as_str))
    }

    /// The environment in force, if one is.
    pub fn environment(&self) -> Option<&str> {
        self.layers.iter().find_map(|(source, _)| match source {
            VarSource::Environment(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// `text` with each `{{name}}` replaced by its value and each `{{{{` by
    /// `{{`; anything else kept as written. `field` names the field in the
    /// error when a name is not defined.
    pub fn fill(&self, field: &str, text: &str) -> Result<String, UndefinedVar> {
        Ok(self.pieces(field, text)?.iter().map(Piece::text).collect())
    }

    /// `text` cut into what was written and what the variables put in, in
    /// order (a `{{{{` is written text `{{`): for a caller that treats the
    /// two differently (a profile resolves its own `${env:…}` when it is
    /// opened, and leaves a variable's for the moment the request is sent).
    pub fn pieces(&self, field: &str, text: &str) -> Result<Vec<Piece>, UndefinedVar> {
        let mut pieces = Vec::new();
        let mut written = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            written.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            if let Some(tail) = after.strip_prefix("{{") {
                written.push_str("{{");
                rest = tail;
                continue;
            }
            match placeholder(after) {
                Some((name, tail)) => {
                    let value = self.get(name).ok_or_else(|| self.undefined(name, field))?;
                    pieces.push(Piece::Written(std::mem::take(&mut written)));
                    pieces.push(Piece::Value(value.to_owned()));
                    rest = tail;
                }
                None => {
                    written.push_str("{{");
                    rest = after;
                }
            }
        }
        written.push_str(rest);
        pieces.push(Piece::Written(written));
        pieces.retain(|p| !p.text().is_empty());
        Ok(pieces)
    }

    /// [`Vars::fill`] over bytes: a body that is not UTF-8 is not a template
    /// and is kept as it is.
    pub fn fill_bytes(&self, field: &str, bytes: Vec<u8>) -> Result<Vec<u8>, UndefinedVar> {
        match std::str::from_utf8(&bytes) {
            Ok(text) if text.contains("{{") => Ok(self.fill(field, text)?.into_bytes()),
            _ => Ok(bytes),
        }
    }

    fn undefined(&self, name: &str, field: &str) -> UndefinedVar {
        let looked = if self.layers.is_empty() {
            "no environment is chosen: use --env NAME, or --var NAME=VALUE".to_owned()
        } else {
            let places: Vec<String> = self.layers.iter().map(|(s, _)| s.to_string()).collect();
            let mut looked = format!("looked in {}", places.join(", "));
            if self.environment().is_none() {
                looked.push_str("; no environment is chosen (--env NAME)");
            }
            looked
        };
        UndefinedVar {
            name: name.to_owned(),
            field: field.to_owned(),
            looked,
        }
    }
}

/// `spec` with its `{{name}}` filled in every field a person types (the
/// URL, headers, credentials, body, Last-Event-ID): what the request editor
/// sends. In the URL a placeholder is read in the form the URL parser
/// writes it (`%7B%7Bname%7D%7D` in the path). An undefined name is an
/// error naming it and the field.
pub fn fill_spec(vars: &Vars, spec: &RequestSpec) -> Result<RequestSpec, UndefinedVar> {
    let mut out = spec.clone();
    let url_text = spec
        .url
        .as_str()
        .replace("%7B%7B", "{{")
        .replace("%7D%7D", "}}");
    if url_text.contains("{{") {
        let filled = vars.fill(&spec.describe(Field::Url), &url_text)?;
        if filled != url_text {
            out.url = super::parse_url(&filled).map_err(|e| UndefinedVar {
                name: String::new(),
                field: spec.describe(Field::Url),
                looked: e.to_string(),
            })?;
        }
    }
    for (i, (_, value)) in out.headers.iter_mut().enumerate() {
        *value = vars.fill(&spec.describe(Field::Header(i)), value)?;
    }
    let fill = |field: Field, text: &str| vars.fill(&spec.describe(field), text);
    out.auth = spec.auth.try_map_text(fill)?;
    if let Some(body) = &spec.body {
        out.body = Some(vars.fill_bytes(&spec.describe(Field::Body), body.clone())?);
    }
    out.last_event_id = fill(Field::LastEventId, &spec.last_event_id)?;
    Ok(out)
}

/// Whether `name` is a variable name: `[A-Za-z_][A-Za-z0-9_.-]*`.
pub fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
}

/// The name and the text after `}}` when `after` (the text after `{{`) starts
/// with a placeholder's name and its closing braces.
fn placeholder(after: &str) -> Option<(&str, &str)> {
    let end = after.find("}}")?;
    let name = &after[..end];
    is_var_name(name).then(|| (name, &after[end + 2..]))
}

#[cfg(test)]
mod tests;
