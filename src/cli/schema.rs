//! `--openapi` for a command's request (`print --validate`, `check`): the
//! schemas read as `config::schemas` reads them, for the request's method
//! and path.

use crate::config::Startup;
use crate::config::schemas::openapi;
use crate::insight::contract::SchemaSource;

pub use crate::config::schemas::load;

/// [`openapi`] for a command's request: its method and path as the
/// arguments (and the profile) give them.
pub fn openapi_for(
    file: Option<&std::path::Path>,
    operation: Option<&str>,
    request: &super::RequestArgs,
    config: &Startup,
) -> Result<Vec<SchemaSource>, String> {
    let Some(file) = file else {
        return Ok(Vec::new());
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
}
