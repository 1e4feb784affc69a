//! What the UI remembers between runs, in `remembered.toml` beside the
//! config file: the environment last chosen (`E`) for each profile, so a
//! profile opens tomorrow in the environment it was used in today. A file
//! of ssetui's own, not the user's config: it is rewritten whole (0600,
//! through a new file renamed over it), and one that does not read is
//! started afresh rather than stopping the UI.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file's name, in the config file's directory.
pub const FILE_NAME: &str = "remembered.toml";

/// Profiles remembered at most: the file stays small whatever is done to it.
const MAX_PROFILES: usize = 1000;

/// See the module doc.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// Profile name -> the environment chosen for it.
    #[serde(default)]
    pub environments: BTreeMap<String, String>,
}

/// Where the file of the config file at `config` is.
pub fn path_beside(config: &Path) -> PathBuf {
    config.with_file_name(FILE_NAME)
}

impl Remembered {
    /// The file at `path`; none yet is nothing remembered. An error (a file
    /// that is not TOML, too large, a symlink) says why: the caller warns
    /// and goes on with nothing remembered.
    pub fn load(path: &Path) -> Result<Remembered, String> {
        if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "{} is a symbolic link, which ssetui does not read for its own files",
                path.display()
            ));
        }
        let bytes = match crate::limits::file::read(path, crate::limits::file::CONFIG_FILE) {
            Ok(bytes) => bytes,
            Err(err) if err.is_not_found() => return Ok(Remembered::default()),
            Err(err) => return Err(format!("{}: {err}", path.display())),
        };
        let text = String::from_utf8_lossy(&bytes);
        toml::from_str(&text).map_err(|err| format!("{}: {}", path.display(), err.message()))
    }

    /// Writes it to `path` (0600, whole, renamed over the old file).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let mut kept = self.clone();
        while kept.environments.len() > MAX_PROFILES {
            kept.environments.pop_first();
        }
        let body = toml::to_string(&kept).map_err(std::io::Error::other)?;
        let text = format!(
            "# Written by ssetui: what the UI remembers between runs (the environment\n\
             # chosen for each profile). Safe to delete; edit the config file instead.\n\n{body}"
        );
        crate::private_file::write_atomically(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ssetui-remembered-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(FILE_NAME)
    }

    #[test]
    fn what_is_saved_loads_back_from_a_private_file() {
        use std::os::unix::fs::PermissionsExt;
        let path = scratch("round");
        assert_eq!(Remembered::load(&path).unwrap(), Remembered::default());
        let mut r = Remembered::default();
        r.environments
            .insert("chat \"prod\"".into(), "staging".into());
        r.save(&path).unwrap();
        assert_eq!(Remembered::load(&path).unwrap(), r);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_broken_file_or_a_symlink_is_an_error_not_a_panic_and_a_link_is_not_written_through() {
        let path = scratch("broken");
        std::fs::write(&path, "environments = [1,").unwrap();
        assert!(Remembered::load(&path).is_err());
        std::fs::write(&path, "environments = 3").unwrap();
        assert!(Remembered::load(&path).is_err());

        let target = path.with_file_name("target.toml");
        std::fs::write(&target, "keep me").unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&target, &path).unwrap();
        assert!(
            Remembered::load(&path)
                .unwrap_err()
                .contains("symbolic link")
        );
        Remembered::default().save(&path).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        assert!(
            !std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
}
