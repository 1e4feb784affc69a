//! The config file: settings, key bindings and named endpoint profiles.
//!
//! Read into typed data ([`Config`]) for use, and kept as a `toml_edit`
//! document for writing back, so a save keeps the user's comments, key
//! order, formatting and unknown keys. Strings may reference environment
//! variables as `${env:NAME}`, resolved only when a profile is turned into a
//! request. Writes are atomic and keep the previous file as `config.toml.bak`.

mod atomic;
mod auth;
mod edit;
mod environment;
mod error;
mod file;
mod listing;
pub mod location;
mod model;
mod oauth2;
pub mod openapi;
mod profile;
pub mod remembered;
pub mod schemas;
mod unknown_keys;

use std::path::{Path, PathBuf};

pub use crate::sse::env_ref::{EnvRefError, has_ref as has_env_ref, resolve as resolve_env_refs};
pub use environment::{EnvironmentSummary, VarTable, shown_value};
pub use error::{ConfigError, Warning};
pub use file::ConfigFile;
pub use listing::{ProfileSummary, environment_table, profile_table};
pub use model::{
    Config, Headers, KeySpecList, OAuth2ClientAuth, OAuth2Config, OAuth2GrantKind, Profile,
    ProfileAuth, Settings, ThemeVariant, TimeFormat, ViewSettings, parse_size,
};
pub use profile::EnvLookup;

/// The outcome of looking for the config file at start-up, whatever it was:
/// the UI starts with defaults on an error (and shows it), the command-line
/// modes exit with it.
#[derive(Debug, Default)]
pub struct Startup {
    /// The path in use; `None` when there is none (no home directory).
    pub path: Option<PathBuf>,
    /// The file, when it loaded (an empty one when it does not exist yet).
    pub file: Option<ConfigFile>,
    pub warnings: Vec<Warning>,
    /// Why the file could not be used. The UI must not save over it unless
    /// the user asks to.
    pub error: Option<ConfigError>,
}

impl Startup {
    /// Loads the file at `path`, if any.
    pub fn load(path: Option<&Path>) -> Startup {
        let Some(path) = path else {
            return Startup::default();
        };
        match ConfigFile::load(path) {
            Ok((file, warnings)) => Startup {
                path: Some(path.to_owned()),
                file: Some(file),
                warnings,
                error: None,
            },
            Err(error) => Startup {
                path: Some(path.to_owned()),
                file: None,
                warnings: Vec::new(),
                error: Some(error),
            },
        }
    }

    /// Where requests sent are kept (`history.jsonl` beside the config
    /// file), or `None`: no config location, a file that did not load (its
    /// `history = false` could not be read), or history turned off.
    pub fn history_path(&self) -> Option<PathBuf> {
        let path = self.path.as_deref()?;
        if self.error.is_some() || !self.settings().keeps_history() {
            return None;
        }
        Some(crate::history::path_beside(path))
    }

    /// Where what the UI remembers between runs is kept
    /// ([`remembered`]), or `None` with no config location.
    pub fn remembered_path(&self) -> Option<PathBuf> {
        Some(remembered::path_beside(self.path.as_deref()?))
    }

    /// Adds `spec`, as `sender` sent it now, to the history, if it is
    /// kept. The caller warns on an error: the request goes out all the same.
    pub fn remember(
        &self,
        spec: &crate::sse::RequestSpec,
        profile: Option<&str>,
        sender: crate::history::Sender,
    ) -> Result<(), crate::history::HistoryError> {
        let Some(path) = self.history_path() else {
            return Ok(());
        };
        let entry = crate::history::Entry::new(
            spec,
            profile.map(str::to_owned),
            sender,
            std::time::SystemTime::now(),
        );
        crate::history::append(&path, &entry)
    }

    /// The settings in force: the file's, or the defaults.
    pub fn settings(&self) -> Settings {
        self.file
            .as_ref()
            .map(|f| f.config().settings.clone())
            .unwrap_or_default()
    }
}
