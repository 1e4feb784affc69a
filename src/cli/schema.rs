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
    openapi: Option<SchemaSource>,
) -> Result<Option<Schemas>, String> {
    let stored = profile
        .and_then(|name| config.file.as_ref()?.profile(name))
        .map(|p| p.schema_rules(config.path.as_deref()))
        .unwrap_or_default();
    let rules: Vec<&SchemaRule> = stored.iter().chain(flags).collect();
    if rules.is_empty() && openapi.is_none() {
        return Ok(None);
    }
    // The description's schema first: a --schema flag wins over it.
    let mut sources: Vec<SchemaSource> = openapi.into_iter().collect();
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

/// `--openapi FILE [--operation ID]`: the data schema the description
/// gives the request's operation (its `method` and URL `path`, or the
/// operation named), as a schema for every event's data; what the reader
/// should know of how it was read goes to `notice`.
pub fn openapi(
    file: &std::path::Path,
    operation: Option<&str>,
    method: &str,
    path: &str,
    notice: &mut dyn FnMut(&str),
) -> Result<SchemaSource, String> {
    let shown = crate::text::one_line(file.display()).to_string();
    let text = read_to_string(file, SCHEMA_FILE).map_err(|err| format!("--openapi: {err}"))?;
    let doc = crate::config::openapi::parse(&text).map_err(|err| format!("{shown}: {err}"))?;
    let contract = crate::config::openapi::stream_contract(&doc, method, path, operation)
        .map_err(|err| format!("{shown}: {err}"))?;
    if let Some(said) = &contract.notice {
        notice(&format!("{shown}: {said}"));
    }
    let schema = contract.data_schema.ok_or_else(|| {
        format!("{shown}: the operation's itemSchema gives its data no contentSchema")
    })?;
    let where_ = operation.map_or_else(|| format!("{method} {path}"), str::to_owned);
    Ok(SchemaSource {
        event_type: None,
        file: format!("{shown} ({where_})"),
        text: schema.to_string(),
    })
}

/// [`openapi`] for a command's request: its method and path as the
/// arguments (and the profile) give them.
pub fn openapi_for(
    file: Option<&std::path::Path>,
    operation: Option<&str>,
    request: &super::RequestArgs,
    config: &Startup,
) -> Result<Option<SchemaSource>, String> {
    let Some(file) = file else {
        return Ok(None);
    };
    let spec = request
        .to_spec_with_config(config.file.as_ref(), None)
        .map_err(|err| format!("--openapi: {err:#}"))?;
    let mut notice = |said: &str| crate::stdout::log(&format!("note: {said}"));
    openapi(
        file,
        operation,
        spec.method.as_str(),
        spec.url.path(),
        &mut notice,
    )
    .map(Some)
}
