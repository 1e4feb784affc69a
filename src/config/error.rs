//! What can go wrong with the config file, each message naming the file, the
//! line or the profile, and what would work instead.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A config file that cannot be used, or a profile that cannot become a request.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file is not TOML, or a value has the wrong type.
    #[error("{}:{line}:{column}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file cannot be read, is not a regular file, or is too large.
    #[error(transparent)]
    File(#[from] crate::limits::file::ReadError),
    /// The save failed; the file on disk is the one from before.
    #[error("cannot save {}: {source} (the file on disk is unchanged)", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error(
        "profile {profile:?}: the environment variable {var} is not set (referenced as ${{env:{var}}})"
    )]
    MissingEnv { profile: String, var: String },
    #[error("profile {profile:?}: {message}")]
    InvalidProfile { profile: String, message: String },
    #[error("no profile named {name:?} in {} ({})", path.display(), available(.known))]
    NoProfile {
        name: String,
        path: PathBuf,
        known: Vec<String>,
    },
    /// `--env NAME`, or a profile's `env`, names no `[environments.NAME]`.
    #[error("no environment named {name:?} ({})", environments(.known))]
    NoEnvironment { name: String, known: Vec<String> },
    #[error("a profile named {0:?} exists already")]
    ProfileExists(String),
    /// No `--config`, no `SSETUI_CONFIG` and no home directory to find the default.
    #[error(
        "no config directory could be found (no home directory): use --config PATH or SSETUI_CONFIG"
    )]
    NoLocation,
}

fn available(known: &[String]) -> String {
    if known.is_empty() {
        "it has no profiles".to_owned()
    } else {
        format!("profiles: {}", known.join(", "))
    }
}

fn environments(known: &[String]) -> String {
    if known.is_empty() {
        "the config has no [environments.NAME] tables".to_owned()
    } else {
        format!("environments: {}", known.join(", "))
    }
}

/// Something worth telling the user about a file that still loaded: an
/// unknown key, or secrets in a file others can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning(pub String);

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
