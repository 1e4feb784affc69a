//! Editing text in the user's own editor (`$VISUAL`, `$EDITOR`, else `vi`),
//! as lazygit and k9s do: the text goes to a temporary file, the terminal is
//! handed over to the editor, and the saved file comes back.
//!
//! Two things must stand aside while the editor runs: the alternate screen
//! and raw mode ([`edit`] handles those), and the thread reading terminal
//! input, which would otherwise steal the editor's keystrokes ([`InputPause`]).

use std::fs;
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use anyhow::{Context as _, bail};

/// The editor command: `$VISUAL`, else `$EDITOR`, else `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".to_owned())
}

/// Edits `text` in the user's editor, the file named `*.extension` so the
/// editor picks its syntax. The terminal leaves the alternate screen and raw
/// mode meanwhile and comes back with mouse reporting as `mouse_capture` says;
/// the caller should clear the terminal afterwards so everything is redrawn.
/// A failing editor (not found, non-zero exit) is an error, the text unchanged.
pub fn edit(text: &str, extension: &str, mouse_capture: bool) -> anyhow::Result<String> {
    let command = editor_command();
    let _suspended =
        SuspendedTerminal::new(mouse_capture).context("cannot hand the terminal to the editor")?;
    edit_with(&command, text, extension)
}

/// Edits `text` with `command` (split into words as a shell would, so
/// `code --wait` and quoted paths work; the file's path is the last
/// argument), without touching the terminal.
pub fn edit_with(command: &str, text: &str, extension: &str) -> anyhow::Result<String> {
    let words = split_words(command);
    let Some((program, args)) = words.split_first() else {
        bail!("no editor: set $VISUAL or $EDITOR");
    };
    // A new file only its owner can read (the text may hold secrets), never
    // one someone put at the name in a shared temp directory.
    let (path, mut file) =
        crate::private_file::create_unused(&temp_path(extension)).with_context(|| {
            format!(
                "cannot create a temp file in {}",
                std::env::temp_dir().display()
            )
        })?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(err) = written {
        let _ = fs::remove_file(&path);
        return Err(err).with_context(|| format!("cannot write {}", path.display()));
    }
    let status = Command::new(program).args(args).arg(&path).status();
    let edited = crate::limits::file::read(&path, crate::limits::file::BODY_FILE);
    let _ = fs::remove_file(&path);
    let status = status
        .with_context(|| format!("cannot run the editor `{program}`: set $VISUAL or $EDITOR"))?;
    if !status.success() {
        bail!("the editor `{program}` failed ({status}); the text is unchanged");
    }
    let edited = edited
        .map_err(|e| anyhow::anyhow!("cannot read back {}: {}", path.display(), e.reason()))?;
    let mut edited =
        String::from_utf8(edited).context("the edited text is not UTF-8; the text is unchanged")?;
    // Editors end the file with a newline; keep the text's own ending.
    if !text.ends_with('\n') && edited.ends_with('\n') {
        edited.pop();
        if edited.ends_with('\r') {
            edited.pop();
        }
    }
    Ok(edited)
}

/// `command` split on whitespace, honouring 'single' and "double" quotes and
/// backslash escapes outside single quotes (no expansion of any kind).
fn split_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => {
                if let Some(next) = chars.next() {
                    word.get_or_insert_default().push(next);
                }
            }
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// A fresh file name in the temporary directory, unique per process and call.
fn temp_path(extension: &str) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let extension: String = extension
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let extension = if extension.is_empty() {
        "txt".to_owned()
    } else {
        extension
    };
    std::env::temp_dir().join(format!(
        "ssetui-{}-{nanos}-{n}.{extension}",
        std::process::id()
    ))
}

/// The terminal as a shell has it, until dropped: main screen, cooked mode,
/// no mouse reporting or bracketed paste. Dropping restores the app's modes.
struct SuspendedTerminal {
    mouse_capture: bool,
}

impl SuspendedTerminal {
    fn new(mouse_capture: bool) -> io::Result<Self> {
        use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture};
        use ratatui::crossterm::{cursor, execute, terminal};
        execute!(
            io::stdout(),
            DisableMouseCapture,
            DisableBracketedPaste,
            terminal::LeaveAlternateScreen,
            cursor::Show
        )?;
        terminal::disable_raw_mode()?;
        Ok(Self { mouse_capture })
    }
}

impl Drop for SuspendedTerminal {
    fn drop(&mut self) {
        use ratatui::crossterm::event::{EnableBracketedPaste, EnableMouseCapture};
        use ratatui::crossterm::{execute, terminal};
        let _ = terminal::enable_raw_mode();
        let _ = execute!(
            io::stdout(),
            terminal::EnterAlternateScreen,
            EnableBracketedPaste
        );
        if self.mouse_capture {
            let _ = execute!(io::stdout(), EnableMouseCapture);
        }
    }
}

/// Keeps the terminal input thread out of the terminal while another program
/// owns it. The thread wraps each poll-and-read in [`InputPause::reading`];
/// the UI holds the guard of [`InputPause::pause`] while the editor runs.
///
/// ```ignore
/// // the input thread
/// loop {
///     let event = pause.reading(|| match event::poll(Duration::from_millis(50)) {
///         Ok(true) => event::read().map(Some),
///         Ok(false) => Ok(None),
///         Err(e) => Err(e),
///     });
///     // send Ok(Some(event)) on, stop on Err
/// }
/// ```
#[derive(Debug, Clone, Default)]
pub struct InputPause {
    shared: Arc<(Mutex<PauseState>, Condvar)>,
}

#[derive(Debug, Default)]
struct PauseState {
    paused: bool,
    reading: bool,
}

impl InputPause {
    /// Runs `read` (one short poll and read) unless paused, waiting out a pause first.
    pub fn reading<T>(&self, read: impl FnOnce() -> T) -> T {
        let (lock, changed) = &*self.shared;
        let mut state = changed
            .wait_while(lock_state(lock), |s| s.paused)
            .unwrap_or_else(PoisonError::into_inner);
        state.reading = true;
        drop(state);
        let result = read();
        lock_state(lock).reading = false;
        changed.notify_all();
        result
    }

    /// Stops the reader (waiting for a read under way to finish) until the guard drops.
    pub fn pause(&self) -> PauseGuard<'_> {
        let (lock, changed) = &*self.shared;
        let mut state = lock_state(lock);
        state.paused = true;
        changed.notify_all();
        let _state = changed
            .wait_while(state, |s| s.reading)
            .unwrap_or_else(PoisonError::into_inner);
        PauseGuard { pause: self }
    }
}

fn lock_state(lock: &Mutex<PauseState>) -> MutexGuard<'_, PauseState> {
    lock.lock().unwrap_or_else(PoisonError::into_inner)
}

/// While alive, the input thread does not touch the terminal.
#[must_use = "the pause ends when the guard is dropped"]
pub struct PauseGuard<'a> {
    pause: &'a InputPause,
}

impl Drop for PauseGuard<'_> {
    fn drop(&mut self) {
        let (lock, changed) = &*self.pause.shared;
        lock_state(lock).paused = false;
        changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;
    use std::sync::mpsc;

    use super::*;

    #[test]
    fn the_command_splits_into_words_as_a_shell_would() {
        assert_eq!(split_words("code --wait"), ["code", "--wait"]);
        assert_eq!(split_words("  vi  "), ["vi"]);
        assert_eq!(
            split_words(r#"'/My Apps/ed' -a "b c" d\ e ''"#),
            ["/My Apps/ed", "-a", "b c", "d e", ""]
        );
        assert!(split_words("").is_empty());
    }

    #[test]
    fn the_editor_gets_the_file_and_its_changes_come_back() {
        let out = edit_with("sh -c 'printf \" more\" >> \"$1\"' sh", "text", "txt").unwrap();
        assert_eq!(out, "text more");
    }

    #[test]
    fn the_trailing_newline_an_editor_adds_is_dropped_unless_the_text_had_one() {
        let add_newline = "sh -c 'printf \"\\n\" >> \"$1\"' sh";
        assert_eq!(edit_with(add_newline, "{}", "json").unwrap(), "{}");
        assert_eq!(edit_with(add_newline, "a\n", "txt").unwrap(), "a\n\n");
    }

    #[test]
    fn the_file_has_the_extension_and_is_removed_afterwards() {
        let record = std::env::temp_dir().join(format!("ssetui-test-{}", std::process::id()));
        let command = format!("sh -c 'echo \"$1\" > {}' sh", record.display());
        edit_with(&command, "x", "json").unwrap();
        let used = fs::read_to_string(&record).unwrap();
        let _ = fs::remove_file(&record);
        let used = PathBuf::from(used.trim());
        assert_eq!(used.extension().and_then(|e| e.to_str()), Some("json"));
        assert!(!used.exists(), "the temporary file is removed");
    }

    #[test]
    fn a_failing_editor_is_an_error() {
        let err = edit_with("sh -c 'exit 3' sh", "keep", "txt").unwrap_err();
        assert!(err.to_string().contains("unchanged"), "{err}");
        let err = edit_with("/nonexistent/editor", "keep", "txt").unwrap_err();
        assert!(err.to_string().contains("cannot run the editor"), "{err}");
        assert!(edit_with("   ", "keep", "txt").is_err());
    }

    #[test]
    fn a_pause_waits_for_the_read_under_way_and_holds_the_next() {
        let pause = InputPause::default();
        let first_done = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::channel();
        let (finish_tx, finish_rx) = mpsc::channel::<()>();
        let (second_tx, second_rx) = mpsc::channel();
        let reader = pause.clone();
        let done = first_done.clone();
        let thread = std::thread::spawn(move || {
            reader.reading(|| {
                started_tx.send(()).unwrap();
                finish_rx.recv().unwrap();
                done.store(true, Ordering::SeqCst);
            });
            reader.reading(|| second_tx.send(()).unwrap());
        });
        started_rx.recv().unwrap();
        // Let the first read finish only once the pause has begun.
        let watcher = pause.clone();
        let releaser = std::thread::spawn(move || {
            let (lock, changed) = &*watcher.shared;
            drop(changed.wait_while(lock_state(lock), |s| !s.paused).unwrap());
            finish_tx.send(()).unwrap();
        });
        let guard = pause.pause();
        assert!(
            first_done.load(Ordering::SeqCst),
            "pause() returned during a read"
        );
        releaser.join().unwrap();
        assert!(second_rx.try_recv().is_err(), "a read ran while paused");
        drop(guard);
        second_rx.recv().unwrap();
        thread.join().unwrap();
    }
}
