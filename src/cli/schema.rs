//! `--schema` and a profile's `schema`/`schemas`, read and compiled once
//! for `print --validate` and `check`.

use crate::config::Startup;
use crate::insight::contract::{SchemaRule, SchemaSource, Schemas};
use crate::limits::file::{SCHEMA_FILE, read_to_string};

/// The schemas of the profile `profile` (if it has any) and of `flags`
/// (which win, type by type), compiled; `None` when there are none. The
/// error names the file and what is wrong with it.
pub fn load(
    flags: &[SchemaRule],
    config: &Startup,
    profile: Option<&str>,
) -> Result<Option<Schemas>, String> {
    let stored = profile
        .and_then(|name| config.file.as_ref()?.profile(name))
        .map(|p| p.schema_rules(config.path.as_deref()))
        .unwrap_or_default();
    let rules: Vec<&SchemaRule> = stored.iter().chain(flags).collect();
    if rules.is_empty() {
        return Ok(None);
    }
    let mut sources = Vec::with_capacity(rules.len());
    for rule in rules {
        let text = read_to_string(std::path::Path::new(&rule.file), SCHEMA_FILE)
            .map_err(|err| format!("schema: {err}"))?;
        sources.push(SchemaSource {
            event_type: rule.event_type.clone(),
            file: rule.file.clone(),
            text,
        });
    }
    Schemas::compile(&sources)
        .map(Some)
        .map_err(|err| format!("schema: {err}"))
}
