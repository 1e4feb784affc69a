//! Creating the files ssetui writes for the user (captures, saved events,
//! reports, the `$EDITOR` temp file): readable by the user alone, never
//! written through a symlink, never over a file that exists unless the user
//! named it ([`replace`]). A stream's
//! server chooses the names of some of them (`s` names a file after the
//! event's id), and the current directory or the temp directory may be
//! shared, so someone else may have put something at the name first.
//!
//! The lowest layer: std and libc only.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// How many numbered names [`create_unused`] tries before it gives up.
const MAX_NUMBERED: u32 = 1000;

/// Opens `path` for appending, creating it with mode 0600 if it is not
/// there; a symlink at the name is refused (`O_NOFOLLOW`), not followed.
/// Each write goes whole to the end of the file (`O_APPEND`), even with
/// another process appending at the same time.
pub fn append(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// Creates `path` as a new file with mode 0600. Whatever is at the name
/// already (a file, a directory, a symlink even when it dangles) makes it
/// fail with [`io::ErrorKind::AlreadyExists`] and is left untouched:
/// `O_CREAT | O_EXCL` never follows a symlink, and `O_NOFOLLOW` says so twice.
pub fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path).map_err(|err| {
        if err.kind() == io::ErrorKind::AlreadyExists {
            io::Error::new(
                io::ErrorKind::AlreadyExists,
                "it exists already, and ssetui never writes over a file or through a link: \
                 remove it or choose another name",
            )
        } else {
            err
        }
    })
}

/// Opens the file the user named on the command line (`--record FILE`,
/// `--junit FILE`) for writing from the start: a regular file there is
/// replaced, as naming it asks (a CI job writes the same report on every
/// run), and left readable by its owner alone. A symlink at the name is not
/// followed, and anything other than a regular file is refused: the user
/// named a file to write, not a device or a pipe.
pub fn replace(path: &Path) -> io::Result<File> {
    let not_regular =
        || io::Error::other("it is not a regular file (a device, a pipe or a directory)");
    if let Ok(meta) = std::fs::symlink_metadata(path)
        && !meta.is_file()
        && !meta.file_type().is_symlink()
    {
        return Err(not_regular());
    }
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO at the name must not block the open until a
        // reader comes; it is refused just below.
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|err| {
        #[cfg(unix)]
        match err.raw_os_error() {
            Some(libc::ELOOP) => io::Error::other(
                "it is a symbolic link, and ssetui never writes through a link: \
                 name the file itself",
            ),
            // A FIFO that appeared after the check, with no reader.
            Some(libc::ENXIO) => not_regular(),
            _ => err,
        }
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    #[cfg(unix)]
    {
        // A file that was there keeps its old mode through O_TRUNC.
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(file)
}

/// Makes the folder `path` (and its parents) if missing, only its owner
/// allowed in (0700); a `path` that is a symbolic link is refused, so files
/// made in it are never made through one.
pub fn create_dir(path: &Path) -> io::Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(io::Error::other(
                "is a symbolic link: give the folder itself",
            ));
        }
        if !meta.is_dir() {
            return Err(io::Error::other("is not a folder"));
        }
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Creates a new file at `path` or, when that name is taken, at the first
/// free one of `name-1.ext`, `name-2.ext`…, as [`create_new`] does (0600,
/// nothing followed or replaced). Returns the path used.
pub fn create_unused(path: &Path) -> io::Result<(PathBuf, File)> {
    for n in 0..=MAX_NUMBERED {
        let candidate = if n == 0 {
            path.to_owned()
        } else {
            numbered(path, n)
        };
        match create_new(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!(
            "{} and {MAX_NUMBERED} numbered names after it exist already",
            path.display()
        ),
    ))
}

/// Writes `contents` to a new file at `path` or the next free numbered
/// name ([`create_unused`]); returns the path written.
pub fn write_unused(path: &Path, contents: &[u8]) -> io::Result<PathBuf> {
    let (path, mut file) = create_unused(path)?;
    file.write_all(contents)?;
    file.sync_all()?;
    Ok(path)
}

/// Replaces `path` with `contents` through a new 0600 file beside it,
/// synced and renamed over it: a reader sees the old contents or the new,
/// never half, and a symlink at `path` is replaced, not written through.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let (temp, mut file) = create_unused(&temp)?;
    let written = file
        .write_all(contents)
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&temp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// `dir/name-n.ext` for `dir/name.ext` (`name-n` without an extension).
fn numbered(path: &Path, n: u32) -> PathBuf {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("ssetui-private-file-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_readable_by_its_owner_only() {
        let dir = scratch("mode");
        let path = dir.join("a.ssecap");
        create_new(&path).unwrap().write_all(b"x").unwrap();
        assert_eq!(mode(&path), 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_symlink_at_the_name_is_neither_followed_nor_replaced() {
        let dir = scratch("link");
        let target = dir.join("target");
        std::fs::write(&target, "precious").unwrap();
        let link = dir.join("a.sse");
        symlink(&target, &link).unwrap();
        let err = create_new(&link).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert!(err.to_string().contains("exists already"), "{err}");
        // A dangling link: following it would create the file it names.
        let dangling = dir.join("b.sse");
        symlink(dir.join("nowhere"), &dangling).unwrap();
        assert!(create_new(&dangling).is_err());
        assert!(!dir.join("nowhere").exists());

        let written = write_unused(&link, b"new").unwrap();
        assert_eq!(written, dir.join("a-1.sse"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&written).unwrap(), "new");
        assert_eq!(mode(&written), 0o600);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn taken_names_are_skipped_by_number_and_kept() {
        let dir = scratch("numbers");
        let path = dir.join("ssetui-stream-1.ndjson");
        std::fs::write(&path, "old").unwrap();
        std::fs::write(dir.join("ssetui-stream-1-1.ndjson"), "old 1").unwrap();
        let written = write_unused(&path, b"new").unwrap();
        assert_eq!(written, dir.join("ssetui-stream-1-2.ndjson"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let (bare, _) = create_unused(&dir.join("noext")).unwrap();
        assert_eq!(bare, dir.join("noext"));
        let (next, _) = create_unused(&dir.join("noext")).unwrap();
        assert_eq!(next, dir.join("noext-1"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
