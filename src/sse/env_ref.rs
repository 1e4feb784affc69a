//! `${env:NAME}` references in string values: resolved when a profile becomes
//! a request, and when a request is sent (a value typed in the editor, a
//! shell variable in an imported curl command), so secrets can live in the
//! environment instead of a file or the screen. One resolver for both.

use std::sync::Arc;

/// Looks up an environment variable; tests pass their own.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// A lookup that can be kept and shared.
type SharedLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where references are looked up, as a value a state can hold: the process
/// environment, or a fixed set (tests).
#[derive(Clone)]
pub struct Env(SharedLookup);

impl Env {
    /// The process environment.
    pub fn process() -> Self {
        Self(Arc::new(process_env))
    }

    /// Exactly these variables, none other.
    pub fn fixed(vars: &[(&str, &str)]) -> Self {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        Self(Arc::new(move |name| {
            vars.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
        }))
    }

    /// The variable's value, if it is set.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name)
    }
}

impl Default for Env {
    fn default() -> Self {
        Self::process()
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values are never shown: they are secrets, often.
        f.write_str("Env(..)")
    }
}

/// Why a string could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvRefError {
    /// The named variable is not set (or not UTF-8).
    Missing(String),
    /// `${env:` without its closing `}`.
    Unterminated,
}

const OPEN: &str = "${env:";

/// Whether `text` holds at least one reference.
pub fn has_ref(text: &str) -> bool {
    text.contains(OPEN)
}

/// `text` with every `${env:NAME}` replaced by `lookup(NAME)`. Other `$`
/// text is kept as written.
pub fn resolve(text: &str, lookup: EnvLookup<'_>) -> Result<String, EnvRefError> {
    resolve_encoded(text, lookup, &|value| value.to_owned())
}

/// [`resolve`], each value passed through `encode` as it goes in (a value
/// put into a URL is percent-encoded for its place there).
pub fn resolve_encoded(
    text: &str,
    lookup: EnvLookup<'_>,
    encode: &dyn Fn(&str) -> String,
) -> Result<String, EnvRefError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let end = after.find('}').ok_or(EnvRefError::Unterminated)?;
        let name = after[..end].trim();
        let value = lookup(name).ok_or_else(|| EnvRefError::Missing(name.to_owned()))?;
        out.push_str(&encode(&value));
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A reference to `name`, as the request and the config file write it.
pub fn reference(name: &str) -> String {
    format!("{OPEN}{name}}}")
}

/// The process environment, as `resolve` wants it.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        (name == "TOKEN").then(|| "s3cret".to_owned())
    }

    #[test]
    fn references_are_replaced_and_other_text_kept() {
        assert_eq!(
            resolve("Bearer ${env:TOKEN}!", &env),
            Ok("Bearer s3cret!".into())
        );
        assert_eq!(
            resolve("${env: TOKEN }${env:TOKEN}", &env),
            Ok("s3crets3cret".into())
        );
        assert_eq!(resolve("$HOME ${other}", &env), Ok("$HOME ${other}".into()));
    }

    #[test]
    fn missing_and_unterminated_references_are_errors() {
        assert_eq!(
            resolve("${env:NOPE}", &env),
            Err(EnvRefError::Missing("NOPE".into()))
        );
        assert_eq!(
            resolve("x ${env:TOKEN", &env),
            Err(EnvRefError::Unterminated)
        );
    }
}
