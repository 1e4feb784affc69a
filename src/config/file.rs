//! A loaded config file: the typed [`Config`] for reading, and the edit-
//! preserving TOML document it came from, for saving back.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, TableLike};

use super::model::{Config, Headers, Profile};
use super::{ConfigError, Warning, unknown_keys};
use crate::limits::file;
use crate::request::{Overrides, Vars};

/// The config file in use. A missing file loads as an empty one, and saving
/// creates it.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// The file as written, edited in place so comments and order survive.
    pub(super) doc: DocumentMut,
    pub(super) config: Config,
}

impl ConfigFile {
    /// Reads and checks `path`; a missing file is an empty config. The
    /// warnings name unknown keys and secrets in a file others can read.
    /// Only a regular file of at most 1 MiB is read (`--config /dev/zero`
    /// was read until memory ran out).
    pub fn load(path: &Path) -> Result<(ConfigFile, Vec<Warning>), ConfigError> {
        let text = match file::read_to_string(path, file::CONFIG_FILE) {
            Ok(text) => text,
            Err(err) if err.is_not_found() => {
                return Ok((Self::empty(path), Vec::new()));
            }
            Err(err) => return Err(ConfigError::File(err)),
        };
        let (file, mut warnings) = Self::parse(path, &text)?;
        warnings.extend(file.permission_warning());
        Ok((file, warnings))
    }

    /// Parses `text` as the contents of `path` (which is not read).
    pub fn parse(path: &Path, text: &str) -> Result<(ConfigFile, Vec<Warning>), ConfigError> {
        let located = |span: Option<Range<usize>>, message: &str| {
            parse_error(path, text, span.map_or(0, |s| s.start), message)
        };
        let spanned = toml_edit::Document::parse(text.to_owned())
            .map_err(|e| located(e.span(), e.message()))?;
        let mut config: Config =
            toml::from_str(text).map_err(|e| located(e.span(), e.message()))?;
        let warnings = unknown_keys::find(path, text, spanned.as_table());
        restore_header_order(&mut config, spanned.as_table());
        let file = ConfigFile {
            path: path.to_owned(),
            doc: spanned.into_mut(),
            config,
        };
        Ok((file, warnings))
    }

    /// No file yet: defaults, and an empty document to save into.
    pub fn empty(path: &Path) -> ConfigFile {
        ConfigFile {
            path: path.to_owned(),
            doc: DocumentMut::new(),
            config: Config::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Profile names in the order of the file.
    pub fn profile_names(&self) -> Vec<String> {
        let in_doc = self
            .doc
            .get("profiles")
            .and_then(|p| p.as_table_like())
            .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect::<Vec<_>>())
            .unwrap_or_default();
        in_doc
            .into_iter()
            .filter(|name| self.config.profiles.contains_key(name))
            .collect()
    }

    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.config.profiles.get(name)
    }

    /// The profile, or an error listing the ones there are.
    pub fn require_profile(&self, name: &str) -> Result<&Profile, ConfigError> {
        self.profile(name).ok_or_else(|| ConfigError::NoProfile {
            name: name.to_owned(),
            path: self.path.clone(),
            known: self.profile_names(),
        })
    }

    /// What profile `name` says of a request, `{{name}}` filled from `vars`
    /// (`Config::vars`) and `${env:…}` resolved from the
    /// process environment: the layer `request::compose` puts over the
    /// settings (`Settings::request_defaults`) and under the command line.
    pub fn profile_request(&self, name: &str, vars: &Vars) -> Result<Overrides, ConfigError> {
        self.require_profile(name)?.to_overrides_in(
            name,
            &crate::sse::env_ref::process_env,
            self.path.parent(),
            vars,
        )
    }

    /// The file's text as it would be saved.
    pub fn to_toml(&self) -> String {
        self.doc.to_string()
    }

    /// A warning when plain-text secrets sit in a file group or others can read.
    fn permission_warning(&self) -> Option<Warning> {
        let secrets: Vec<String> = self
            .profile_names()
            .iter()
            .filter_map(|name| {
                let overrides = self.config.settings.secret_names();
                let fields = self.profile(name)?.plain_secrets(&overrides);
                (!fields.is_empty()).then(|| format!("{name}: {}", fields.join(", ")))
            })
            .collect();
        if secrets.is_empty() || !readable_by_others(&self.path) {
            return None;
        }
        Some(Warning(format!(
            "{path}: holds secrets in plain text ({list}) and can be read by group or others: \
             run chmod 600 {path}, or write them as ${{env:NAME}} references",
            path = self.path.display(),
            list = secrets.join("; "),
        )))
    }
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_path: &Path) -> bool {
    false
}

/// `path:line:column: message`, the message on one line.
fn parse_error(path: &Path, text: &str, offset: usize, message: &str) -> ConfigError {
    let (line, column) = line_column(text, offset);
    let message = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    ConfigError::Parse {
        path: path.to_owned(),
        line,
        column,
        message,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The TOML deserializer hands tables over sorted; headers go out in the
/// order the user wrote them.
fn restore_header_order(config: &mut Config, doc: &toml_edit::Table) {
    let settings = table(doc.get("settings"));
    reorder(
        &mut config.settings.headers,
        settings.and_then(|s| table(s.get("headers"))),
    );
    let profiles = table(doc.get("profiles"));
    for (name, profile) in &mut config.profiles {
        let headers = profiles
            .and_then(|p| table(p.get(name)))
            .and_then(|p| table(p.get("headers")));
        reorder(&mut profile.headers, headers);
    }
}

fn table(item: Option<&toml_edit::Item>) -> Option<&dyn TableLike> {
    item.and_then(|i| i.as_table_like())
}

fn reorder(headers: &mut Headers, written: Option<&dyn TableLike>) {
    let Some(written) = written else { return };
    let order: Vec<&str> = written.iter().map(|(k, _)| k).collect();
    headers
        .0
        .sort_by_key(|(name, _)| order.iter().position(|k| k == name).unwrap_or(usize::MAX));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_from_one() {
        let text = "a = 1\nbé = x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find('x').unwrap()), (2, 6));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }
}
