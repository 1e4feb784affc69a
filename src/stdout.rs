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
