//! Reading and writing `history.jsonl`: a symlink at the name is refused
//! (for reading too: the history is ours, a link there is someone else's
//! doing), the file is rewritten whole through a new 0600 file renamed over
//! it, and lines that do not read are skipped.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{Entry, MAX_ENTRIES};
use crate::limits::file::{self as limited, Cap};

/// The most of a history file read: [`MAX_ENTRIES`] entries with the
/// largest body kept, and room to spare.
const HISTORY_FILE: Cap = Cap {
    bytes: 256 * 1024 * 1024,
    what: "a history file",
};

/// Why the history was not read or written.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "{}: it is a symbolic link, and ssetui never reads or writes its history through a link: remove it",
        .0.display()
    )]
    Symlink(PathBuf),
    #[error("cannot read the history: {0}")]
    Read(#[from] limited::ReadError),
    #[error("cannot write the history {}: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
}

/// The entries in the file at `path`, oldest first; none when there is no
/// file yet. Lines that are not entries are skipped.
pub fn read(path: &Path) -> Result<Vec<Entry>, HistoryError> {
    Ok(lines(path)?
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect())
}

/// Adds `entry` as the newest, keeping the newest [`MAX_ENTRIES`] (lines
/// that do not read are dropped on the way).
pub fn append(path: &Path, entry: &Entry) -> Result<(), HistoryError> {
    let mut kept: Vec<String> = lines(path)?
        .into_iter()
        .filter(|line| serde_json::from_str::<Entry>(line).is_ok())
        .collect();
    let written = |source| HistoryError::Write {
        path: path.to_owned(),
        source,
    };
    kept.push(serde_json::to_string(entry).map_err(|e| written(io::Error::other(e)))?);
    let start = kept.len().saturating_sub(MAX_ENTRIES);
    let mut text = kept[start..].join("\n");
    text.push('\n');
    replace(path, text.as_bytes()).map_err(written)
}

/// The file's lines, after refusing a symlink at the name.
fn lines(path: &Path) -> Result<Vec<String>, HistoryError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(HistoryError::Symlink(path.to_owned()));
        }
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        _ => {}
    }
    let bytes = match limited::read(path, HISTORY_FILE) {
        Ok(bytes) => bytes,
        Err(err) if err.is_not_found() => return Ok(Vec::new()),
        Err(err) => return Err(err.into()),
    };
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// Writes `contents` to a new 0600 file beside `path` and renames it over
/// `path`: a reader sees the old history or the new one, never half.
fn replace(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map_or_else(|| "history".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let (temp, mut file) = crate::private_file::create_unused(&temp)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
