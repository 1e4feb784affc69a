//! `${env:NAME}` references in string values: resolved when a profile becomes
//! a request, so secrets can live in the environment instead of the file.

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
pub fn resolve(text: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, EnvRefError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + OPEN.len()..];
        let end = after.find('}').ok_or(EnvRefError::Unterminated)?;
        let name = after[..end].trim();
        let value = lookup(name).ok_or_else(|| EnvRefError::Missing(name.to_owned()))?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
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
