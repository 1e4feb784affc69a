//! Local files the user names (a config file, a certificate, a request body,
//! a recording), read within a size cap and only when they are regular
//! files. `/dev/zero` as a certificate was read until the kernel killed the
//! process, and a FIFO blocked the open for ever, so a signal could not end
//! it: a device or a FIFO is refused before a byte is read, and opening does
//! not wait for a FIFO's writer.

use std::fs::File;
use std::io::{self, BufRead, Read};
use std::path::{Path, PathBuf};

/// The most ssetui reads of one kind of file, and what to call that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub bytes: u64,
    /// The kind of file, for the error: "a config file".
    pub what: &'static str,
}

const MIB: u64 = 1024 * 1024;

/// `--config`, `SSETUI_CONFIG` and the default config file.
pub const CONFIG_FILE: Cap = Cap {
    bytes: MIB,
    what: "a config file",
};
/// `--cacert`, `--cert`, `--key`.
pub const CERTIFICATE_FILE: Cap = Cap {
    bytes: MIB,
    what: "a certificate or key file",
};
/// `--schema FILE`, a profile's `schema` and `schemas`.
pub const SCHEMA_FILE: Cap = Cap {
    bytes: 4 * MIB,
    what: "a JSON Schema file",
};
/// `-d @FILE`, `--json @FILE` (and `@-`), curl's `--data-urlencode @FILE`
/// and `-F name=@FILE`, a body back from `$EDITOR`.
pub const BODY_FILE: Cap = Cap {
    bytes: 64 * MIB,
    what: "a request body",
};
/// One line of a capture or an NDJSON export (a capture's line is one read,
/// base64-encoded).
pub const RECORDING_LINE: Cap = Cap {
    bytes: 64 * MIB,
    what: "a line of a recording",
};
/// A raw stream body opened whole (`ssetui open FILE.sse`): what the UI
/// keeps of a stream at most.
pub const STREAM_BODY_FILE: Cap = Cap {
    bytes: 256 * MIB,
    what: "a stream body",
};

/// A local file that was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: not a regular file ({kind}): give the path of a file", path.display())]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error(
        "{}: larger than {}, the most ssetui reads for {}",
        path.display(),
        crate::text::size(cap.bytes),
        cap.what
    )]
    TooLarge { path: PathBuf, cap: Cap },
}

impl ReadError {
    /// What is wrong, without the file's name: for a message that names it already.
    pub fn reason(&self) -> String {
        match self {
            Self::Io { source, .. } => source.to_string(),
            Self::NotRegular { kind, .. } => format!("not a regular file ({kind})"),
            Self::TooLarge { cap, .. } => format!(
                "larger than {}, the most ssetui reads for {}",
                crate::text::size(cap.bytes),
                cap.what
            ),
        }
    }

    /// Whether the file does not exist (a config file may not, yet).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
    }
}

/// Opens `path` (symbolic links followed) for reading when it is a regular
/// file. The open does not wait for a FIFO's writer, and the type is checked
/// on the file opened, so nothing can swap it in between.
pub fn open(path: &Path) -> Result<File, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking has no effect on a regular file's reads.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io_error)?;
    let kind = file.metadata().map_err(io_error)?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    Err(ReadError::NotRegular {
        path: path.to_owned(),
        kind: kind_name(kind),
    })
}

fn kind_name(kind: std::fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// All of `path`, a regular file of at most `cap` bytes.
pub fn read(path: &Path, cap: Cap) -> Result<Vec<u8>, ReadError> {
    let file = open(path)?;
    let too_large = || ReadError::TooLarge {
        path: path.to_owned(),
        cap,
    };
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let len = file.metadata().map_err(io_error)?.len();
    if len > cap.bytes {
        return Err(too_large());
    }
    // The file may grow after the check: never read past the cap.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(cap.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > cap.bytes {
        return Err(too_large());
    }
    Ok(bytes)
}

/// `path` as text, within `cap`; invalid UTF-8 is an error naming the file.
pub fn read_to_string(path: &Path, cap: Cap) -> Result<String, ReadError> {
    String::from_utf8(read(path, cap)?).map_err(|_| ReadError::Io {
        path: path.to_owned(),
        source: io::Error::new(io::ErrorKind::InvalidData, "it is not UTF-8 text"),
    })
}

/// All of stdin (`-`), at most `cap` bytes.
pub fn read_stdin(cap: Cap) -> Result<Vec<u8>, ReadError> {
    let path = PathBuf::from("stdin");
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(cap.bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.clone(),
            source,
        })?;
    if bytes.len() as u64 > cap.bytes {
        return Err(ReadError::TooLarge { path, cap });
    }
    Ok(bytes)
}

/// Reads one line (up to and with its `\n`) into `buf`, cleared first;
/// `Ok(0)` at the end of input. A line longer than `cap` is an
/// `InvalidData` error saying so, read no further than the cap.
pub fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>, cap: Cap) -> io::Result<usize> {
    buf.clear();
    loop {
        let available = match input.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if available.is_empty() {
            return Ok(buf.len());
        }
        let (take, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        let room = usize::try_from(cap.bytes)
            .unwrap_or(usize::MAX)
            .saturating_sub(buf.len());
        if take > room {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "longer than {}, the most ssetui reads for {}",
                    crate::text::size(cap.bytes),
                    cap.what
                ),
            ));
        }
        buf.extend_from_slice(&available[..take]);
        input.consume(take);
        if done {
            return Ok(buf.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ssetui-limits-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const TINY: Cap = Cap {
        bytes: 8,
        what: "a test file",
    };

    #[test]
    fn a_file_within_the_cap_is_read_and_a_larger_one_is_refused_naming_both() {
        let dir = scratch("cap");
        let fits = dir.join("fits");
        std::fs::write(&fits, b"12345678").unwrap();
        assert_eq!(read(&fits, TINY).unwrap(), b"12345678");
        let over = dir.join("over");
        std::fs::write(&over, b"123456789").unwrap();
        let err = read(&over, TINY).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: larger than 8 B, the most ssetui reads for a test file",
                over.display()
            )
        );
        let err = read(&over, CONFIG_FILE).map(|_| ()).err();
        assert!(err.is_none());
        let missing = read(&dir.join("missing"), TINY).unwrap_err();
        assert!(missing.is_not_found(), "{missing}");
    }

    #[test]
    fn devices_directories_and_fifos_are_refused_without_blocking() {
        let err = read(Path::new("/dev/zero"), CONFIG_FILE).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/dev/zero: not a regular file (a character device): give the path of a file"
        );
        let dir = scratch("kinds");
        let err = read(&dir, CONFIG_FILE).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("not a regular file (a directory): give the path of a file")
        );
        let fifo = dir.join("fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        // No writer: a blocking open would wait here for ever.
        let err = read(&fifo, CONFIG_FILE).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("not a regular file (a named pipe): give the path of a file"),
            "{err}"
        );
        // A link to a file is followed.
        let target = dir.join("target");
        std::fs::write(&target, b"x").unwrap();
        let link = dir.join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read(&link, TINY).unwrap(), b"x");
    }

    #[test]
    fn lines_are_read_up_to_the_cap_and_no_further() {
        let mut input = io::BufReader::with_capacity(3, &b"1234567\n12345678\nabc"[..]);
        let mut buf = Vec::new();
        // 8 bytes with the newline fit; 9 do not.
        assert_eq!(read_line(&mut input, &mut buf, TINY).unwrap(), 8);
        assert_eq!(buf, b"1234567\n");
        let err = read_line(&mut input, &mut buf, TINY).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            err.to_string(),
            "longer than 8 B, the most ssetui reads for a test file"
        );
        let mut input = &b"ab\n\ncd"[..];
        let lines: Vec<Vec<u8>> = std::iter::from_fn(|| {
            (read_line(&mut input, &mut buf, TINY).unwrap() > 0).then(|| buf.clone())
        })
        .collect();
        assert_eq!(lines, [&b"ab\n"[..], b"\n", b"cd"]);
    }
}
