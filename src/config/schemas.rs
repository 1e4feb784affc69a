//! A profile's JSON Schemas (`schema`, `[profiles.NAME.schemas]`), as the
//! rules `--schema` gives, with paths relative to the config file's folder;
//! and the schemas of a run read and compiled once: the rules' files and an
//! OpenAPI description's (`--openapi`), for `print --validate`, `check` and
//! the UI's tabs.

use std::path::Path;

use super::Startup;
use super::model::Profile;
use crate::insight::contract::{SchemaRule, SchemaSource, Schemas, Target};
use crate::limits::file::{SCHEMA_FILE, read_to_string};

impl Profile {
    /// The profile's schema rules: `schema` first, then one per event type
    /// (by type name). A relative path is taken from `config_path`'s folder.
    pub fn schema_rules(&self, config_path: Option<&Path>) -> Vec<SchemaRule> {
        let folder = config_path.and_then(Path::parent);
        let resolve = |file: &str| match folder {
            Some(folder) if Path::new(file).is_relative() => {
                folder.join(file).display().to_string()
            }
            _ => file.to_owned(),
        };
        let every = self.schema.iter().map(|file| SchemaRule {
            event_type: None,
            file: resolve(file),
        });
        let typed = self.schemas.iter().map(|(kind, file)| SchemaRule {
            event_type: Some(kind.clone()),
            file: resolve(file),
        });
        every.chain(typed).collect()
    }
}

/// The schemas of the profile `profile` (if it has any) and of `flags`
/// (which win, type by type), compiled; `None` when there are none. The
/// error names the file and what is wrong with it.
pub fn load(
    flags: &[SchemaRule],
    config: &Startup,
    profile: Option<&str>,
    openapi: Vec<SchemaSource>,
) -> Result<Option<Schemas>, String> {
    let stored = profile
        .and_then(|name| config.file.as_ref()?.profile(name))
        .map(|p| p.schema_rules(config.path.as_deref()))
        .unwrap_or_default();
    compile(stored.iter().chain(flags), openapi)
}

/// `rules`' files read and compiled after `openapi`'s schemas (so a rule
/// wins over the description's data schema); `None` when there are none.
pub fn compile<'a>(
    rules: impl IntoIterator<Item = &'a SchemaRule>,
    openapi: Vec<SchemaSource>,
) -> Result<Option<Schemas>, String> {
    let rules: Vec<&SchemaRule> = rules.into_iter().collect();
    if rules.is_empty() && openapi.is_empty() {
        return Ok(None);
    }
    // The description's schemas first: a --schema flag wins over its data's.
    let mut sources = openapi;
    for rule in rules {
        let text = read_to_string(std::path::Path::new(&rule.file), SCHEMA_FILE)
            .map_err(|err| format!("schema: {err}"))?;
        sources.push(SchemaSource {
            event_type: rule.event_type.clone(),
            target: Target::Data,
            file: rule.file.clone(),
            text,
        });
    }
    Schemas::compile(&sources)
        .map(Some)
        .map_err(|err| format!("schema: {err}"))
}

/// `--openapi FILE [--operation ID]`: the schemas the description gives
/// the request's operation (its `method` and URL `path`, or the operation
/// named). In 3.2, the event object's (`itemSchema`) and, apart, its data's
/// (`contentSchema`, which validators take as an annotation only), its
/// pointers under `/data`; before, the `schema` of each event's data. What
/// the reader should know of how it was read goes to `notice`.
pub fn openapi(
    file: &std::path::Path,
    operation: Option<&str>,
    method: &str,
    path: &str,
    notice: &mut dyn FnMut(&str),
) -> Result<Vec<SchemaSource>, String> {
    let shown = crate::text::one_line(file.display()).to_string();
    let text = read_to_string(file, SCHEMA_FILE).map_err(|err| format!("--openapi: {err}"))?;
    let doc = crate::config::openapi::parse(&text).map_err(|err| format!("{shown}: {err}"))?;
    let contract = crate::config::openapi::stream_contract(&doc, method, path, operation)
        .map_err(|err| format!("{shown}: {err}"))?;
    if let Some(said) = &contract.notice {
        notice(&format!("{shown}: {said}"));
    }
    let where_ = operation.map_or_else(|| format!("{method} {path}"), str::to_owned);
    let file = format!("{shown} ({where_})");
    let in_event = contract.item_schema.is_some();
    let item = contract.item_schema.map(|schema| SchemaSource {
        event_type: None,
        target: Target::Event,
        file: format!("{file} itemSchema"),
        text: schema.to_string(),
    });
    let data = contract.data_schema.map(|schema| SchemaSource {
        event_type: None,
        target: if in_event {
            Target::DataInEvent
        } else {
            Target::Data
        },
        file: if in_event {
            format!("{file} contentSchema")
        } else {
            file.clone()
        },
        text: schema.to_string(),
    });
    let sources: Vec<SchemaSource> = item.into_iter().chain(data).collect();
    if sources.is_empty() {
        return Err(format!("{file}: the operation describes no event schema"));
    }
    Ok(sources)
}
