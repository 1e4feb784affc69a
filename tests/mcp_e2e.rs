//! `ssetui mcp` end to end: the real binary in a pseudo-terminal against the
//! demo's session-era MCP server, as a newcomer would use it: the era in
//! the title, the panel to call a tool, its progress, the Checks view and
//! the probes, and quitting with the terminal restored.

mod support;

use support::pty::Pty;
use support::*;

#[test]
fn a_tool_is_called_from_the_panel_and_the_server_probed_from_the_checks_view() {
    let (_demo, url) = demo("/mcp-legacy?drop_after=3");
    let mut app = Pty::start(&["mcp", &url]);
    app.wait_for("the era and revision in the title", |s| {
        s.contains("MCP session 2025-11-25")
    });
    app.keys("M");
    app.wait_for("the tools in the panel", |s| {
        s.contains("progress") && s.contains("echo")
    });
    app.keys("/progress\r");
    app.keys("\r");
    app.wait_for("the arguments, pre-filled", |s| s.contains("\"steps\""));
    // Ctrl-S calls it.
    app.keys("\x13");
    app.wait_for("the answer after the progress", |s| {
        s.contains("done after")
    });
    // Esc steps back to the list, then closes the panel.
    for _ in 0..3 {
        if !app.contents().contains("╭ MCP") {
            break;
        }
        app.keys("\x1b");
        let before = app.contents();
        app.wait_for("Esc to act", |s| s != before);
    }
    app.wait_for("the list of messages by stream", |s| {
        s.contains("← post-") && s.contains("notifications/progress")
    });
    // Alt-5: the Checks view; K probes the server with check --mcp's rules.
    app.keys("\x1b5");
    app.wait_for("the Checks view", |s| s.contains("This connection"));
    app.keys("K");
    app.wait_for("the probed rules", |s| s.contains("MUST session-unknown"));
    assert!(app.quit(), "exit status 0");
    assert_terminal_restored(app.screen.lock().unwrap().screen());
}
