//! Where the config file is: `--config PATH`, else `SSETUI_CONFIG`, else the
//! platform's config directory (`~/.config/ssetui/config.toml` on Linux).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable naming the config file.
pub const ENV_VAR: &str = "SSETUI_CONFIG";

/// The platform default, `None` without a home directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ssetui")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// The path in use: the flag wins over the environment, which wins over the
/// default. `None` when there is nowhere to look (no home directory).
pub fn resolve(flag: Option<&Path>) -> Option<PathBuf> {
    resolve_from(flag, std::env::var_os(ENV_VAR), default_path())
}

/// [`resolve`] with the environment and the default given. An empty
/// variable counts as unset.
pub fn resolve_from(
    flag: Option<&Path>,
    env: Option<OsString>,
    default: Option<PathBuf>,
) -> Option<PathBuf> {
    flag.map(Path::to_owned)
        .or_else(|| env.filter(|v| !v.is_empty()).map(PathBuf::from))
        .or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_beats_environment_beats_default() {
        let flag = Path::new("/flag.toml");
        let env = || Some(OsString::from("/env.toml"));
        let default = || Some(PathBuf::from("/default.toml"));
        assert_eq!(
            resolve_from(Some(flag), env(), default()),
            Some(flag.to_owned())
        );
        assert_eq!(
            resolve_from(None, env(), default()),
            Some("/env.toml".into())
        );
        assert_eq!(
            resolve_from(None, Some(OsString::new()), default()),
            default()
        );
        assert_eq!(resolve_from(None, None, None), None);
    }
}
