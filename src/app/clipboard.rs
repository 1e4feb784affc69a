//! The clipboard: inside tmux through tmux itself (`tmux load-buffer -w -`,
//! tmux 3.2 or newer, which reaches the outer terminal's clipboard under
//! tmux's default `set-clipboard external`, where an application's OSC 52
//! is not passed on), elsewhere with the OSC 52 escape sequence (works
//! over SSH in most terminals).

use std::ffi::OsStr;
use std::io::{self, Write as _};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long tmux may take to take the buffer before it is given up on.
const TMUX_DEADLINE: Duration = Duration::from_secs(2);

/// Which way text went to the clipboard, for the notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `tmux load-buffer -w -`.
    Tmux,
    /// The OSC 52 escape sequence to the terminal.
    Osc52,
    /// OSC 52, because tmux refused (its error kept, e.g. a tmux older than 3.2).
    Osc52AfterTmux(String),
}

impl Route {
    /// How the notice names it.
    pub fn describe(&self) -> String {
        match self {
            Route::Tmux => "with tmux load-buffer".to_owned(),
            Route::Osc52 => "with OSC 52".to_owned(),
            Route::Osc52AfterTmux(why) => format!("with OSC 52 (tmux load-buffer failed: {why})"),
        }
    }
}

/// Puts `bytes` on the clipboard: with tmux when `tmux` (the value of
/// `$TMUX`) is set and not empty, else (or when tmux fails) with OSC 52 to
/// the terminal on stdout.
pub fn copy(bytes: &[u8], tmux: Option<&OsStr>) -> io::Result<Route> {
    let route = match tmux.filter(|t| !t.is_empty()) {
        Some(tmux) => match copy_tmux(bytes, tmux) {
            Ok(()) => return Ok(Route::Tmux),
            Err(err) => Route::Osc52AfterTmux(err.to_string()),
        },
        None => Route::Osc52,
    };
    copy_osc52(bytes)?;
    Ok(route)
}

/// `tmux load-buffer -w -` with `bytes` on its standard input, talking to
/// the server `tmux` (a `$TMUX` value: socket path, pid, session) names.
pub fn copy_tmux(bytes: &[u8], tmux: &OsStr) -> io::Result<()> {
    let mut child = Command::new("tmux")
        .args(["load-buffer", "-w", "-"])
        .env("TMUX", tmux)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| io::Error::new(err.kind(), format!("cannot run tmux: {err}")))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(bytes)?;
    }
    let deadline = Instant::now() + TMUX_DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "tmux did not answer within 2 s",
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    if status.success() {
        return Ok(());
    }
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        use std::io::Read as _;
        let _ = pipe.by_ref().take(4096).read_to_string(&mut stderr);
    }
    let stderr = crate::text::neutralise(stderr.trim(), crate::text::Lines::Single).into_owned();
    Err(io::Error::other(if stderr.is_empty() {
        format!("tmux exited with {status}")
    } else {
        stderr
    }))
}

/// Puts `bytes` on the clipboard of the terminal (local or over SSH) with
/// the OSC 52 escape sequence.
pub fn copy_osc52(bytes: &[u8]) -> io::Result<()> {
    use base64::Engine as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}
