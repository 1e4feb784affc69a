//! A panic in the UI leaves the terminal as it found it: the test binary runs
//! itself again in a pseudo-terminal, sets the terminal up the way the app
//! does (ratatui's set-up, then `enable_mouse_and_paste`), panics, and the
//! screen left behind is read through a vt100 parser.

mod support;

use std::io::Read;
use std::num::NonZeroU16;
use std::sync::mpsc::channel;
use std::time::Duration;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use support::assert_terminal_restored;

/// Set in the copy of this test that runs inside the pseudo-terminal.
const CHILD: &str = "SSETUI_PANIC_RESTORE_CHILD";
const PATIENCE: Duration = Duration::from_secs(20);

#[test]
fn a_panic_restores_the_screen_cursor_mouse_and_paste_modes() {
    if std::env::var_os(CHILD).is_some() {
        let _terminal = ratatui::try_init().expect("a terminal");
        ssetui::app::enable_mouse_and_paste();
        panic!("a deliberate panic");
    }
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pty");
    let mut cmd = CommandBuilder::new(std::env::current_exe().expect("this test binary"));
    cmd.args([
        "a_panic_restores_the_screen_cursor_mouse_and_paste_modes",
        "--exact",
        "--nocapture",
    ]);
    cmd.env(CHILD, "1");
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).expect("spawn the child test");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut parser = vt100::Parser::new(
            NonZeroU16::new(24).unwrap(),
            NonZeroU16::new(80).unwrap(),
            0,
        );
        let mut output = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            output.extend_from_slice(&buf[..n]);
            if parser.screen().contents().contains("a deliberate panic") {
                break;
            }
        }
        let _ = tx.send((output, parser));
    });
    let (output, parser) = rx
        .recv_timeout(PATIENCE)
        .expect("the child's panic message within the patience");
    let (exited, exit) = channel();
    std::thread::spawn(move || {
        let _ = exited.send(child.wait());
    });
    let status = exit
        .recv_timeout(PATIENCE)
        .expect("the child exits")
        .expect("the child's status");
    drop(pair.master);
    // What the set-up sent (the screen may already be restored within the same read).
    for (sequence, what) in [
        (&b"\x1b[?1049h"[..], "alternate screen"),
        (b"\x1b[?1000h", "mouse reporting"),
        (b"\x1b[?2004h", "bracketed paste"),
    ] {
        assert!(
            output.windows(sequence.len()).any(|w| w == sequence),
            "the child turned on {what} first"
        );
    }
    assert!(!status.success(), "the child test failed by panicking");
    assert_terminal_restored(parser.screen());
    assert!(
        !parser.screen().bracketed_paste(),
        "bracketed paste off again"
    );
}
