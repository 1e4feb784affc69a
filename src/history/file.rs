//! Reading and writing `history.jsonl`: a symlink at the name is refused
//! (for reading too: the history is ours, a link there is someone else's
//! doing), a request is one line appended (0600), and the file is trimmed
//! to the newest [`MAX_ENTRIES`] through a new file renamed over it only
//! once it holds twice that many; lines that do not read are skipped.

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
    let mut entries: Vec<Entry> = lines(path)?
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    // The file may hold up to twice as many before it is trimmed.
    let start = entries.len().saturating_sub(MAX_ENTRIES);
    entries.drain(..start);
    Ok(entries)
}

/// A file this large may hold more than [`TRIM_AT_LINES`] lines: only then
/// are its lines counted (a history of small requests stays well under it,
/// so most appends read nothing).
const COUNT_FROM_BYTES: u64 = 512 * 1024;

/// Lines past which the file is trimmed to the newest [`MAX_ENTRIES`].
const TRIM_AT_LINES: usize = 2 * MAX_ENTRIES;

/// Adds `entry` as the newest: one line appended, so a `print` or `check`
/// does not read, parse and rewrite the whole history before its request
/// goes out, and two processes appending at once both keep their line.
/// Once the file holds [`TRIM_AT_LINES`] lines it is rewritten with the
/// newest [`MAX_ENTRIES`] (lines that do not read are dropped on the way).
pub fn append(path: &Path, entry: &Entry) -> Result<(), HistoryError> {
    let written = |source| HistoryError::Write {
        path: path.to_owned(),
        source,
    };
    let mut line = serde_json::to_string(entry).map_err(|e| written(io::Error::other(e)))?;
    line.push('\n');
    refuse_link(path)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(written)?;
    }
    let mut file = crate::private_file::append(path).map_err(written)?;
    // One write: O_APPEND puts it whole at the end.
    file.write_all(line.as_bytes()).map_err(written)?;
    let size = file.metadata().map_err(written)?.len();
    drop(file);
    if size < COUNT_FROM_BYTES {
        return Ok(());
    }
    let all = lines(path)?;
    if all.len() <= TRIM_AT_LINES {
        return Ok(());
    }
    let kept: Vec<&String> = all
        .iter()
        .filter(|line| serde_json::from_str::<Entry>(line).is_ok())
        .collect();
    let start = kept.len().saturating_sub(MAX_ENTRIES);
    let mut text = String::new();
    for line in &kept[start..] {
        text.push_str(line);
        text.push('\n');
    }
    crate::private_file::write_atomically(path, text.as_bytes()).map_err(written)
}

/// A symlink at `path` is refused: the history is never read or written
/// through one.
fn refuse_link(path: &Path) -> Result<(), HistoryError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(HistoryError::Symlink(path.to_owned())),
        _ => Ok(()),
    }
}

/// The file's lines, after refusing a symlink at the name.
fn lines(path: &Path) -> Result<Vec<String>, HistoryError> {
    refuse_link(path)?;
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
