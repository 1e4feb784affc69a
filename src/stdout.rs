//! A command's output on stdout, where a closed pipe or a full disk is an
//! outcome to report, not a panic (`print!` panics on both: `ssetui check …
//! | head -c 10`, `ssetui profiles > /dev/full`).

use std::io::{self, Write};

/// Why stdout did not take all of the output.
#[derive(Debug, thiserror::Error)]
pub enum StdoutError {
    /// The reader went away (`| head -n 1`): the output is no longer wanted,
    /// which needs no message.
    #[error("stdout was closed")]
    Closed,
    /// Anything else, e.g. a full disk.
    #[error("cannot write to stdout: {0}")]
    Failed(io::Error),
}

impl From<io::Error> for StdoutError {
    fn from(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Self::Closed
        } else {
            Self::Failed(err)
        }
    }
}

/// Writes all of `text` to stdout and flushes it.
pub fn write(text: impl AsRef<[u8]>) -> Result<(), StdoutError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_ref())?;
    out.flush()?;
    Ok(())
}

/// Stdout for a writer that buffers whole lines itself (`print`): the file
/// descriptor itself, duplicated (dropping it leaves stdout open), so its
/// writes are not searched for newlines and split again by std's line
/// buffer, and a long piece can go out from where it lies in one vectored
/// write. Std's locked stdout where there is no descriptor to duplicate.
/// Nothing else may write to stdout while it is in use: std's buffer and
/// this one would interleave.
pub enum Unbuffered {
    #[cfg(unix)]
    File(std::fs::File),
    Std(io::StdoutLock<'static>),
}

/// [`Unbuffered`] stdout.
pub fn unbuffered() -> Unbuffered {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Unbuffered::File(fd.into());
        }
    }
    Unbuffered::Std(io::stdout().lock())
}

impl Write for Unbuffered {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Self::File(file) => file.write(bytes),
            Self::Std(stdout) => stdout.write(bytes),
        }
    }

    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        match self {
            #[cfg(unix)]
            Self::File(file) => file.write_vectored(bufs),
            Self::Std(stdout) => stdout.write_vectored(bufs),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            #[cfg(unix)]
            Self::File(file) => file.flush(),
            Self::Std(stdout) => stdout.flush(),
        }
    }
}

/// A line on stderr, `ssetui: ` first: a warning, an error, what a server
/// logs. A stderr that cannot be written to loses the line instead of
/// panicking (`eprintln!` panics, e.g. on `2>/dev/full`). The line is
/// neutralised for the terminal: it quotes servers and files.
pub fn log(line: &str) {
    let _ = writeln!(io::stderr(), "ssetui: {}", crate::text::one_line(line));
}

/// Text on stderr as it is, for lines of their own shape (`print -v`'s `* `
/// lines, a report): already neutralised by the caller, and lost, not a
/// panic, when stderr cannot take it.
pub fn stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_a_closed_reader_and_the_rest_are_failures() {
        let closed = StdoutError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(matches!(closed, StdoutError::Closed));
        let full = StdoutError::from(io::Error::from_raw_os_error(28));
        assert_eq!(
            full.to_string(),
            "cannot write to stdout: No space left on device (os error 28)"
        );
    }
}
