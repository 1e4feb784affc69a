//! Writing the config file so that a crash, a full disk or a read-only
//! directory can never leave it half-written: temp file in the same
//! directory, fsync, rename over the old one; the old one kept as `.bak`.

use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Replaces `path` with `bytes` atomically; mode 0600 on Unix; the previous
/// contents go to `<name>.bak`. On error `path` is unchanged.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, bytes, &mut |file, bytes| file.write_all(bytes))
}

/// [`write`] with the step that fills the temp file given, so a test can
/// make it fail as a full disk would.
pub(super) fn write_with(
    path: &Path,
    bytes: &[u8],
    fill: &mut dyn FnMut(&mut File, &[u8]) -> io::Result<()>,
) -> io::Result<()> {
    // Through a symlink (a dotfiles repository), replace the file it points to.
    let path = match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path)?,
        _ => path.to_owned(),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let tmp = dir.join(sibling(".", name, &format!(".tmp-{}", std::process::id())));
    let result = (|| {
        let mut file = create_private(&tmp)?;
        fill(&mut file, bytes)?;
        file.sync_all()?;
        drop(file);
        match crate::limits::file::read(&path, crate::limits::file::CONFIG_FILE) {
            Ok(previous) => {
                let mut bak = create_private(&dir.join(sibling("", name, ".bak")))?;
                bak.write_all(&previous)?;
                bak.sync_all()?;
            }
            Err(err) if err.is_not_found() => {}
            Err(err) => return Err(io::Error::other(err.to_string())),
        }
        fs::rename(&tmp, &path)?;
        // The rename itself is durable once the directory is synced; not
        // every platform can open a directory, so this is best effort.
        if let Ok(dir) = File::open(&dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn sibling(prefix: &str, name: &std::ffi::OsStr, suffix: &str) -> OsString {
    let mut out = OsString::from(prefix);
    out.push(name);
    out.push(suffix);
    out
}

/// A new file readable by its owner only, in place of whatever had the name
/// (a stale temp file, the previous backup, or a symlink someone planted:
/// removing a link removes the link, and the new file never follows one).
fn create_private(path: &Path) -> io::Result<File> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    crate::private_file::create_new(path)
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ssetui-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn the_backup_and_temp_file_are_never_written_through_a_planted_symlink() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let dir = scratch("links");
        let path = dir.join("config.toml");
        write(&path, b"old = 1\n").unwrap();
        let target = dir.join("precious");
        fs::write(&target, "precious").unwrap();
        symlink(&target, dir.join("config.toml.bak")).unwrap();
        symlink(
            &target,
            dir.join(format!(".config.toml.tmp-{}", std::process::id())),
        )
        .unwrap();
        write(&path, b"new = 2\n").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "precious");
        assert_eq!(fs::read_to_string(&path).unwrap(), "new = 2\n");
        let bak = dir.join("config.toml.bak");
        assert_eq!(fs::read_to_string(&bak).unwrap(), "old = 1\n");
        assert!(!fs::symlink_metadata(&bak).unwrap().file_type().is_symlink());
        assert_eq!(
            fs::metadata(&bak).unwrap().permissions().mode() & 0o777,
            0o600
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_failing_write_leaves_the_old_file_and_no_temp_file() {
        let dir = scratch("fail");
        let path = dir.join("config.toml");
        write(&path, b"old = 1\n").unwrap();
        let err = write_with(&path, b"new = 2\n", &mut |file, bytes| {
            file.write_all(&bytes[..3])?;
            Err(io::Error::other("no space left on device"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("no space"));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old = 1\n");
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [OsString::from("config.toml")], "no temp file left");
        fs::remove_dir_all(&dir).unwrap();
    }
}
