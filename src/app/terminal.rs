//! The terminal beyond drawing: mouse reporting, bracketed paste, the
//! clipboard (OSC 52), a full repaint after `$EDITOR`, and a hang-up told
//! from an error of ours.

use std::io;

use ratatui::DefaultTerminal;

use crate::shutdown;

/// A draw that failed because the terminal hung up ends the loop as the
/// hang-up does (exit 129), not as an error of ours (exit 1): after a
/// hang-up the first redraw may come before SIGHUP is seen.
pub fn lost_terminal(err: io::Error) -> io::Result<Option<shutdown::Reason>> {
    if shutdown::terminal_is_gone() {
        Ok(Some(shutdown::Reason::TerminalLost))
    } else {
        Err(err)
    }
}

/// Makes the next frame repaint every cell (after `$EDITOR` had the screen).
/// Not `Terminal::clear`: it asks the terminal for the cursor position, and
/// an answer that never comes (some emulators, a slow link) would end the app.
pub fn redraw_all(terminal: &mut DefaultTerminal) -> io::Result<()> {
    use ratatui::crossterm::execute;
    use ratatui::crossterm::terminal::{Clear, ClearType};
    execute!(io::stdout(), Clear(ClearType::All))?;
    // Both buffers blank: the next draw diffs against nothing and sends it all.
    terminal.swap_buffers();
    terminal.swap_buffers();
    Ok(())
}

/// Turns on mouse reporting and bracketed paste (a paste then arrives as one
/// event, typed into the field being edited, not as keys), after ratatui's
/// terminal set-up. Both are ours to undo: a panic turns them off before
/// ratatui's own panic hook restores the rest of the terminal.
pub fn enable_mouse_and_paste() {
    let restore_terminal = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = set_mouse_capture(false);
        let _ = set_bracketed_paste(false);
        restore_terminal(info);
    }));
    let _ = set_mouse_capture(true);
    let _ = set_bracketed_paste(true);
}

/// Turns bracketed paste on or off.
pub fn set_bracketed_paste(on: bool) -> io::Result<()> {
    use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
    use ratatui::crossterm::execute;
    if on {
        execute!(io::stdout(), EnableBracketedPaste)
    } else {
        execute!(io::stdout(), DisableBracketedPaste)
    }
}

/// Turns the terminal's mouse reporting on or off.
pub fn set_mouse_capture(on: bool) -> io::Result<()> {
    use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
    use ratatui::crossterm::execute;
    if on {
        execute!(io::stdout(), EnableMouseCapture)
    } else {
        execute!(io::stdout(), DisableMouseCapture)
    }
}
