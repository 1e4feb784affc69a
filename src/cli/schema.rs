//! `--schema`, `--openapi` and `--operation`, declared once for the three
//! commands that validate events (the UI, `print --validate`, `check`),
//! and the schemas they name read and compiled once, with the profile's,
//! for the request's method and path.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;

use crate::config::Startup;
use crate::insight::contract::{SchemaRule, Schemas};

/// What each event is validated against.
#[derive(Debug, Default, Args)]
pub struct ContractArgs {
    /// A JSON Schema each event's data must meet: FILE for every event, TYPE=FILE for events of TYPE (repeatable; a TYPE= rule wins; the profile's schema and schemas join in)
    #[arg(long, value_name = "[TYPE=]FILE")]
    pub schema: Vec<SchemaRule>,

    /// An OpenAPI description (YAML or JSON) whose event-stream schemas each event must meet: the request's operation (by method and path, or --operation); in 3.2 its itemSchema for the event, its contentSchema for the data
    #[arg(long, value_name = "FILE")]
    pub openapi: Option<PathBuf>,

    /// The OpenAPI operation (its operationId) whose schemas --openapi takes, whatever the URL's path
    #[arg(long, value_name = "ID", requires = "openapi")]
    pub operation: Option<String>,
}

impl ContractArgs {
    /// The schemas for a request of `method` to `path`, with those of the
    /// profile `profile`, compiled; `None` when there are none. The error
    /// names the file and what is wrong with it.
    pub fn schemas(
        &self,
        method: &str,
        path: &str,
        profile: Option<&str>,
        config: &Startup,
    ) -> Result<Option<Arc<Schemas>>, String> {
        let openapi = match &self.openapi {
            Some(file) => crate::config::schemas::openapi(
                file,
                self.operation.as_deref(),
                method,
                path,
                &mut |said| crate::stdout::log(&format!("note: {said}")),
            )?,
            None => Vec::new(),
        };
        Ok(crate::config::schemas::load(&self.schema, config, profile, openapi)?.map(Arc::new))
    }

    /// [`Self::schemas`] for a command's request, as its arguments (and
    /// the profile) give it. The request is built only for `--openapi`: a
    /// check of a capture has none.
    pub fn schemas_for(
        &self,
        request: &super::RequestArgs,
        config: &Startup,
    ) -> Result<Option<Arc<Schemas>>, String> {
        let (method, path) = match &self.openapi {
            Some(_) => {
                let spec = request
                    .to_spec_with_config(config.file.as_ref(), None)
                    .map_err(|err| format!("--openapi: {err:#}"))?;
                (spec.method.to_string(), spec.url.path().to_owned())
            }
            None => (String::new(), String::new()),
        };
        self.schemas(&method, &path, request.profile.as_deref(), config)
    }
}
