//! The real binary in a pseudo-terminal, its screen read through a vt100
//! parser: start on the demo, see events, switch to Raw, filter, resume
//! from an event, open a second tab, quit, and find the terminal restored.

mod support;

use support::pty::*;
use support::*;

/// The capture file `C` wrote in `dir`.
fn capture_in(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ssecap"))
        .expect("a capture file in the working directory")
}

/// Checks a capture cut short by a signal reads back whole: no damage, the
/// events, and the close record last.
fn assert_capture_complete(path: &std::path::Path, data: &str) {
    let capture = ssetui::capture::read(path).unwrap();
    assert_eq!(capture.damaged, None);
    let events: Vec<String> = capture
        .events()
        .into_iter()
        .map(|e| e.event.data.to_string())
        .collect();
    assert!(events.contains(&data.to_owned()), "{events:?}");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.lines().last().is_some_and(|l| l.contains("\"close\"")),
        "the close record last:\n{text}"
    );
}

#[test]
fn starts_on_the_demo_streams_shows_raw_and_quits_restoring_the_terminal() {
    let mut app = Pty::start(&[]);
    app.wait_for("chat chunks from the demo", |s| {
        s.contains("chat.completion.chunk")
    });
    {
        let parser = app.screen.lock().unwrap();
        assert!(parser.screen().alternate_screen(), "full-screen UI");
        assert_ne!(
            parser.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting on while the UI runs"
        );
    }
    // Select the first event (after the attempt and connected markers) and show it Raw.
    app.keys("gjj");
    app.keys("v");
    app.wait_for("the raw data line", |s| {
        s.contains("data: {\"id\":\"chatcmpl-demo")
    });
    assert!(app.quit(), "exit status 0");
    assert_terminal_restored(app.screen.lock().unwrap().screen());
}

#[test]
fn keys_are_answered_while_an_event_trickles_in_and_it_shows_once_complete() {
    // A slow server: the event comes a piece at a time, the server waiting
    // (as if for seconds) between pieces until the test releases it.
    let (_runtime, server) = serve(vec![vec![
        sse_head(),
        write("data: trick"),
        Step::Gate,
        write("led\n"),
        Step::Gate,
        write("\n"),
        Step::Hold,
    ]]);
    let mut app = Pty::start(&[&server.url("/s")]);
    app.wait_for("the response", |s| s.contains("connected: 200"));
    for _ in 0..2 {
        app.keys("?");
        app.wait_for("the help, with the event unfinished", |s| {
            s.contains("other keys close")
        });
        app.keys("x");
        app.wait_for("the help closed", |s| !s.contains("other keys close"));
        assert!(
            !app.contents().contains("trickled"),
            "nothing is dispatched before the blank line"
        );
        server.release();
    }
    app.wait_for("the event once its blank line came", |s| {
        s.contains("trickled")
    });
    assert!(app.quit());
}

#[test]
fn parse_as_ndjson_shows_each_line_of_a_body_as_an_event() {
    let (_runtime, server) = serve(vec![vec![
        head(200, "application/x-ndjson", &[]),
        write("{\"word\":\"first-line\"}\n{\"word\":\"second-line\"}\n"),
        Step::Hold,
    ]]);
    let mut app = Pty::start(&["--parse-as", "ndjson", &server.url("/api")]);
    app.wait_for("both lines as events", |s| {
        s.contains("first-line") && s.contains("second-line")
    });
    assert!(app.quit());
}

#[test]
fn resume_from_the_selected_event_sends_its_id() {
    let (runtime, mut server) = serve(vec![
        vec![
            sse_head(),
            write("id: 1\ndata: one\n\nid: 2\ndata: two\n\n"),
            Step::Hold,
        ],
        vec![sse_head(), write("id: 9\ndata: resumed\n\n"), Step::Hold],
    ]);
    let url = server.url("/s");
    let mut app = Pty::start(&[&url]);
    app.wait_for("both events", |s| s.contains("two"));
    let first = runtime.block_on(server.next_request());
    assert_eq!(first.header("last-event-id"), None);
    // Follow selects "two"; a click on "one" (SGR mouse report, 1-based) selects it; e resumes.
    let (row, col) = {
        let text = app.contents();
        let row = text
            .lines()
            .position(|l| l.contains(" one"))
            .expect("row one on screen");
        let line = text.lines().nth(row).unwrap();
        // A column, not a byte index: the border characters are multi-byte.
        let col = line[..line.find(" one").unwrap()].chars().count();
        (row, col)
    };
    let (x, y) = (col + 2, row + 1);
    app.keys(&format!("\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m"));
    app.keys("e");
    let second = runtime.block_on(server.next_request());
    assert_eq!(second.header("last-event-id"), Some("1"));
    app.wait_for("the resumed stream", |s| s.contains("resumed"));
    assert!(app.quit());
}

#[test]
fn a_search_filters_the_list_and_a_second_tab_runs_its_own_connection() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let body = "event: tick\ndata: alpha\n\nevent: tock\ndata: bravo\n\n\
                event: tick\ndata: charlie\n\nevent: tock\ndata: delta\n\n";
    let mut server = runtime.block_on(TestServer::start(vec![
        vec![sse_head(), write(body), Step::Hold],
        vec![sse_head(), write("data: second-tab\n\n"), Step::Hold],
    ]));
    let url = server.url("/s");
    let mut app = Pty::start(&[&url]);
    app.wait_for("all four events", |s| s.contains("delta"));
    runtime.block_on(server.next_request());
    // Search, then show only the matches.
    app.keys("/bravo\r");
    app.keys("F");
    app.wait_for("only the match listed", |s| {
        s.contains("bravo") && !s.contains("alpha") && !s.contains("delta")
    });
    app.keys("F");
    app.wait_for("everything back", |s| {
        s.contains("alpha") && s.contains("delta")
    });
    // A second tab opens on its request editor; Ctrl-R sends the copied request
    // on a connection of its own, and the first tab keeps its events.
    app.keys("t");
    app.wait_for("the new tab's editor", |s| s.contains("Last-Event-ID"));
    app.keys("\x12");
    runtime.block_on(server.next_request());
    app.wait_for("the second tab's event", |s| {
        s.contains("second-tab") && !s.contains("alpha")
    });
    app.keys("1");
    app.wait_for("the first tab again", |s| {
        s.contains("alpha") && !s.contains("second-tab")
    });
    assert!(app.quit());
}

#[test]
fn the_request_editor_adds_a_header_and_a_body_from_the_editor_and_sends_them() {
    let (runtime, mut server) = serve(vec![
        vec![sse_head(), write("data: before\n\n"), Step::Hold],
        vec![sse_head(), write("data: after\n\n"), Step::Hold],
    ]);
    // A stand-in for $EDITOR: writes a JSON body into the file it is given.
    let dir = scratch("editor");
    let script = dir.join("editor.sh");
    std::fs::write(&script, "#!/bin/sh\nprintf '{\"q\": 1}' > \"$1\"\n").unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let url = server.url("/s");
    let mut app = Pty::start_with_env(
        &["-X", "POST", &url],
        &[("EDITOR", script.to_str().unwrap()), ("VISUAL", "")],
    );
    app.wait_for("the first event", |s| s.contains("before"));
    runtime.block_on(server.next_request());
    // Open the editor, go down to the headers, add one and type it in.
    app.keys("r");
    app.wait_for("the editor", |s| s.contains("Last-Event-ID"));
    app.keys("jjja");
    app.keys("X-Test\tyes\x1b");
    app.wait_for("the header typed", |s| {
        s.contains("X-Test") && s.contains("yes")
    });
    // Down to the body, out to $EDITOR and back.
    app.keys("jjjjjjE");
    app.wait_for("the body from the editor", |s| s.contains("\"q\": 1"));
    app.keys("\x12"); // Ctrl-R
    let request = runtime.block_on(server.next_request());
    assert_eq!(request.header("x-test"), Some("yes"));
    assert_eq!(request.body, br#"{"q": 1}"#);
    app.wait_for("the new stream", |s| s.contains("after"));
    assert!(app.quit());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_request_saved_as_a_profile_opens_again_by_name_with_the_files_comments_intact() {
    let (runtime, mut server) = serve(vec![
        vec![sse_head(), write("data: first run\n\n"), Step::Hold],
        vec![sse_head(), write("data: by profile\n\n"), Step::Hold],
        vec![sse_head(), write("data: from the picker\n\n"), Step::Hold],
    ]);
    let dir = scratch("profiles");
    let config = dir.join("config.toml");
    let original = "# my endpoints, by hand\n\n[profiles.other]\n# kept as written\nurl = \"http://127.0.0.1:9/other\"\n";
    std::fs::write(&config, original).unwrap();
    let config_arg = config.to_str().unwrap();
    let url = server.url("/s");

    // Save the request as "mine" (P asks a name when no profile is open).
    let mut app = Pty::start(&["--config", config_arg, "-H", "X-Team: blue", &url]);
    app.wait_for("the first run", |s| s.contains("first run"));
    runtime.block_on(server.next_request());
    app.keys("P");
    app.wait_for("the name prompt", |s| {
        s.contains("Save the current request as")
    });
    app.keys("mine\r");
    app.wait_for("the save", |s| s.contains("saved the request as profile"));
    assert!(app.quit());
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.starts_with(original),
        "the hand-written part intact:\n{written}"
    );
    assert!(written.contains("[profiles.mine]"), "{written}");
    assert!(written.contains("X-Team"), "{written}");

    // Open it by name, an option on the command line added over it.
    let mut app = Pty::start(&[
        "--config",
        config_arg,
        "--profile",
        "mine",
        "-H",
        "X-Extra: 1",
    ]);
    app.wait_for("the profile's stream", |s| s.contains("by profile"));
    let request = runtime.block_on(server.next_request());
    assert_eq!(request.header("x-team"), Some("blue"));
    assert_eq!(request.header("x-extra"), Some("1"));
    assert!(
        app.contents().contains("mine"),
        "the title names the profile"
    );

    // And from the picker, filtering fuzzily.
    app.keys("o");
    app.wait_for("the picker", |s| {
        s.contains("Profiles") && s.contains("other")
    });
    app.keys("mn\r");
    runtime.block_on(server.next_request());
    app.wait_for("the reopened stream", |s| s.contains("from the picker"));
    assert!(app.quit());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn p_saves_the_editors_draft_and_ctrl_s_saves_from_inside_the_editor() {
    let (runtime, mut server) = serve(vec![vec![
        sse_head(),
        write("data: running\n\n"),
        Step::Hold,
    ]]);
    let dir = scratch("draft");
    let config = dir.join("config.toml");
    let url = server.url("/s");
    std::fs::write(&config, format!("[profiles.mine]\nurl = \"{url}\"\n")).unwrap();
    let config_arg = config.to_str().unwrap();
    let mut app = Pty::start(&["--config", config_arg, "--profile", "mine"]);
    app.wait_for("the profile's stream", |s| s.contains("running"));
    runtime.block_on(server.next_request());
    // r, add header X-Trace: abc123, Esc Esc, P: the issue's steps.
    app.keys("r");
    app.wait_for("the editor", |s| s.contains("Last-Event-ID"));
    // (Enter ends the field; an Esc right before another key would read as Alt.)
    app.keys("aX-Trace\tabc123\r");
    app.wait_for("the tab marked modified before anything is sent", |s| {
        s.contains("mine (modified)") && !s.contains("next field")
    });
    app.keys("\x1b");
    app.wait_for("the editor closed", |s| !s.contains("Last-Event-ID"));
    app.keys("P");
    app.wait_for("the save", |s| {
        s.contains("saved the request as profile") && !s.contains("(modified)")
    });
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(
        written.contains("X-Trace = \"abc123\""),
        "the draft's header is in the file:\n{written}"
    );
    // Ctrl-S inside the editor, while a header value is being typed.
    app.keys("r");
    app.wait_for("the editor again", |s| s.contains("Last-Event-ID"));
    app.keys("aX-Other\t2");
    app.wait_for("the value typed, modified", |s| {
        s.contains("X-Other") && s.contains("(modified)")
    });
    app.keys("\x13");
    app.wait_for("the save from the editor", |s| {
        s.contains("saved the request as profile")
            && s.contains("Last-Event-ID")
            && !s.contains("(modified)")
    });
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("X-Other = \"2\""), "{written}");
    app.keys("\r");
    app.wait_for("the field left", |s| !s.contains("next field"));
    app.keys("\x1b");
    app.wait_for("the editor closed", |s| !s.contains("Last-Event-ID"));
    assert!(app.quit());
    assert_eq!(server.connections(), 1, "saving sent nothing");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_capture_without_its_secrets_never_sends_the_mask_and_a_typed_env_reference_is_sent_resolved() {
    let (runtime, mut server) = serve(vec![vec![
        sse_head(),
        write("id: 1\ndata: recorded\n\n"),
        Step::Hold,
    ]]);
    let dir = scratch("redacted");
    let capture = dir.join("cap.ssecap");
    let url = server.url("/s");
    let mut print = support::app();
    print
        .args(["print", "--bearer", "REALTOKEN-9f3", "--record"])
        .arg(&capture)
        .args(["--max-events", "1", &url])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let output = output_within(print, PATIENCE);
    assert!(output.status.success(), "{output:?}");
    runtime.block_on(server.next_request());
    assert!(
        !std::fs::read_to_string(&capture)
            .unwrap()
            .contains("REALTOKEN")
    );

    let mut app = Pty::start_with_env(
        &["open", capture.to_str().unwrap()],
        &[("SSETUI_E2E_TOKEN", "REALTOKEN-9f3")],
    );
    app.wait_for("the capture", |s| s.contains("recorded"));
    // c: the editor opens on the masked header, saying why; nothing is sent.
    app.keys("c");
    app.wait_for("the editor on the masked value", |s| {
        s.contains("Last-Event-ID") && s.contains("the capture redacted this value")
    });
    app.keys("\x12");
    app.wait_for("Ctrl-R refused too", |s| {
        s.contains("not sent: header \"Authorization\"")
    });
    assert_eq!(server.connections(), 1, "the mask was never sent");
    // A reference typed over it (Enter edits, Ctrl-U clears), then Ctrl-R.
    app.keys("\r\x15Bearer ${env:SSETUI_E2E_TOKEN}\r");
    app.wait_for("the mark gone once typed over", |s| {
        !s.contains("redacted") && !s.contains("next field")
    });
    app.keys("\x12");
    let request = runtime.block_on(server.next_request());
    assert_eq!(
        request.header("authorization"),
        Some("Bearer REALTOKEN-9f3")
    );
    app.wait_for("the new stream", |s| !s.contains("Last-Event-ID"));
    assert!(app.quit());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_broken_config_file_is_shown_in_a_banner_and_the_ui_runs_on_defaults() {
    let dir = scratch("broken");
    let config = dir.join("config.toml");
    let broken = "[settings\ntheme = \"dark\"\n";
    std::fs::write(&config, broken).unwrap();
    let mut app = Pty::start(&["--config", config.to_str().unwrap()]);
    app.wait_for("the banner with line and column", |s| {
        s.contains("config not used") && s.contains("config.toml:1:")
    });
    app.wait_for("the demo streaming anyway", |s| {
        s.contains("chat.completion.chunk")
    });
    app.keys("\x1b");
    app.wait_for("the banner dismissed", |s| !s.contains("config not used"));
    assert!(app.quit());
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        broken,
        "never written"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn open_shows_a_capture_a_raw_body_and_an_ndjson_export_offline() {
    use base64::Engine as _;
    let dir = scratch("open");
    // A capture: two reads, the second splitting nothing; a comment between events.
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let capture = dir.join("feed.ssecap");
    std::fs::write(
        &capture,
        format!(
            "{}\n{}\n{{\"t\":5,\"attempt\":1,\"read\":\"{}\"}}\n{{\"t\":900,\"attempt\":1,\"read\":\"{}\"}}\n{{\"t\":901,\"attempt\":1,\"ended\":0}}\n{{\"t\":901,\"close\":\"ended\"}}\n",
            r#"{"ssecap":1,"request":{"method":"GET","url":"http://127.0.0.1:9/feed","headers":[]},"started":"2026-11-24T15:00:00.000Z"}"#,
            r#"{"t":0,"attempt":1,"open":{"status":200,"headers":[["content-type","text/event-stream"]],"version":"HTTP/1.1"}}"#,
            b64("id: 1\nevent: quote\ndata: {\"px\":1}\n\n: keep-alive\n"),
            b64("id: 2\nevent: quote\ndata: {\"px\":2}\n\n"),
        ),
    )
    .unwrap();
    let mut app = Pty::start(&["open", capture.to_str().unwrap()]);
    app.wait_for("the recorded events", |s| {
        s.contains("feed.ssecap") && s.contains("quote") && s.contains("{\"px\":2}")
    });
    // Up past the two closing markers to event 2, then Raw.
    app.keys("kkv");
    app.wait_for("the Raw view of the last event", |s| {
        s.contains("event: quote")
    });
    assert!(app.quit());

    let raw = dir.join("body.sse");
    std::fs::write(&raw, "data: from a raw body\n\n").unwrap();
    let mut app = Pty::start(&["open", raw.to_str().unwrap()]);
    app.wait_for("the raw body's event", |s| s.contains("from a raw body"));
    assert!(app.quit());

    let ndjson = dir.join("export.ndjson");
    std::fs::write(
        &ndjson,
        "{\"event\":\"tick\",\"data\":\"from an export\",\"id\":\"7\",\"seq\":1,\"attempt\":1,\"time\":\"2026-11-24T15:00:00.000Z\"}\n",
    )
    .unwrap();
    let mut app = Pty::start(&["open", ndjson.to_str().unwrap()]);
    app.wait_for("the export's event", |s| {
        s.contains("from an export") && s.contains("tick")
    });
    assert!(app.quit());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn c_records_the_connection_to_a_capture_that_reads_back() {
    let (runtime, mut server) = serve(vec![
        vec![sse_head(), write("id: 1\ndata: before\n\n"), Step::Hold],
        vec![sse_head(), write("id: 2\ndata: recorded\n\n"), Step::Hold],
    ]);
    let dir = scratch("record");
    let url = server.url("/s");
    let mut app = Pty::start_in(Some(&dir), &[&url], &[]);
    app.wait_for("the first event", |s| s.contains("before"));
    runtime.block_on(server.next_request());
    app.keys("C");
    app.wait_for("recording", |s| {
        s.contains("REC") && s.contains("recording to")
    });
    // Reconnect: the new attempt goes into the capture.
    app.keys("R");
    runtime.block_on(server.next_request());
    app.wait_for("the second stream", |s| s.contains("recorded"));
    app.keys("C");
    app.wait_for("stopped", |s| s.contains("recording stopped"));
    assert!(app.quit());
    let capture = ssetui::capture::read(&capture_in(&dir)).unwrap();
    assert_eq!(capture.damaged, None);
    let data: Vec<String> = capture
        .events()
        .into_iter()
        .map(|e| e.event.data.to_string())
        .collect();
    assert!(data.contains(&"recorded".to_owned()), "{data:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    let (_runtime, server) = serve(vec![vec![
        sse_head(),
        write("data: running\n\n"),
        Step::Hold,
    ]]);
    let mut app = Pty::start(&[&server.url("/s")]);
    app.wait_for("the event", |s| s.contains("running"));
    assert!(app.screen.lock().unwrap().screen().alternate_screen());
    app.signal("TERM");
    assert_eq!(app.exit_code(), 128 + 15);
    assert_terminal_restored(app.screen.lock().unwrap().screen());
}

#[test]
fn a_hang_up_while_recording_exits_promptly_with_the_capture_complete() {
    let (_runtime, server) = serve(vec![vec![
        sse_head(),
        write("id: 1\ndata: kept\n\n"),
        Step::Hold,
    ]]);
    let dir = scratch("hangup");
    let mut app = Pty::start_in(Some(&dir), &[&server.url("/s")], &[]);
    app.wait_for("the event", |s| s.contains("kept"));
    app.keys("C");
    app.wait_for("recording", |s| s.contains("REC"));
    // Recording starts with the next attempt's messages: reconnect into it.
    app.keys("R");
    app.wait_for("the recorded attempt", |s| s.contains("attempt 2"));
    // The kernel sends SIGHUP to the app, the session leader of its terminal;
    // a redraw may fail on the dead terminal first, which counts as the hang-up.
    let code = app.hang_up();
    assert_eq!(code, 128 + 1, "exits as hung up");
    assert_capture_complete(&capture_in(&dir), "kept");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_hung_up_terminal_ends_the_app_even_when_no_sighup_comes() {
    let (_runtime, server) = serve(vec![vec![sse_head(), write("data: alive\n\n"), Step::Hold]]);
    // A shell that ignores SIGHUP leads the session, so the kernel's SIGHUP
    // goes to it, not to the app: only the dead terminal tells the app.
    let app_path = env!("CARGO_BIN_EXE_ssetui");
    let url = server.url("/s");
    let mut app = Pty::start_with_shell(&format!("trap '' HUP; '{app_path}' '{url}'; exit $?"));
    app.wait_for("the event", |s| s.contains("alive"));
    // The shell waits for the app and passes its status on: the terminal
    // check or a failed redraw ended it as a hang-up (129), not a panic
    // (101), an abort or an error of ours (1).
    let code = app.hang_up();
    assert_eq!(code, 128 + 1, "exits as hung up");
}

#[test]
fn saving_never_writes_through_a_planted_symlink_and_every_saved_file_is_private() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let (_runtime, server) = serve(vec![vec![
        sse_head(),
        write("id: 7\ndata: first\n\n"),
        Step::Hold,
    ]]);
    let dir = scratch("save-link");
    let target = dir.join("precious.txt");
    std::fs::write(&target, "precious\n").unwrap();
    // The server chose the id, so it chose the name `s` saves to.
    let link = dir.join("ssetui-event-1-id-7.sse");
    symlink(&target, &link).unwrap();
    let mut app = Pty::start_in(Some(&dir), &[&server.url("/s")], &[]);
    app.wait_for("the event", |s| s.contains("first"));
    app.keys("s");
    app.wait_for("the event saved", |s| {
        s.contains("saved event 1") && s.contains("ssetui-event-1-id-7-1.sse")
    });
    app.keys("S");
    app.wait_for("the stream saved", |s| s.contains("as NDJSON"));
    app.keys("C");
    app.wait_for("recording", |s| s.contains("recording to"));
    app.keys("C");
    app.wait_for("stopped", |s| s.contains("recording stopped"));
    assert!(app.quit());

    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let saved = dir.join("ssetui-event-1-id-7-1.sse");
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        "id: 7\ndata: first\n\n"
    );
    let mut kinds = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let meta = std::fs::symlink_metadata(&path).unwrap();
        if path == target || meta.file_type().is_symlink() {
            continue;
        }
        assert_eq!(
            meta.permissions().mode() & 0o777,
            0o600,
            "{}",
            path.display()
        );
        kinds.push(path.extension().unwrap().to_string_lossy().into_owned());
    }
    kinds.sort();
    assert_eq!(
        kinds,
        ["ndjson", "sse", "ssecap", "ssecap"],
        "s, S (two) and C"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `retry_delay = "500000000000years"` in the settings, or `--retry` as
/// many milliseconds as a u64 holds: the reconnect's deadline overflowed the
/// clock and panicked the UI as soon as the stream ended.
#[test]
fn a_reconnect_delay_of_500000000000_years_is_shown_not_a_panic() {
    let (_runtime, server) = serve(vec![vec![sse_head(), write("data: one\n\n"), Step::Close]]);
    let dir = scratch("forever");
    let config = dir.join("config.toml");
    std::fs::write(&config, "[settings]\nretry_delay = \"500000000000years\"\n").unwrap();
    let url = server.url("/s");
    let from_config = ["--config", config.to_str().unwrap(), &url];
    let from_flag = ["--retry", "18446744073709551615", &url];
    for args in [&from_config[..], &from_flag] {
        let mut app = Pty::start(args);
        app.wait_for("the reconnect scheduled", |s| s.contains("reconnecting in"));
        assert!(app.quit(), "{args:?}");
    }
}

#[test]
fn ctrl_c_with_an_unsent_draft_asks_and_a_second_ctrl_c_quits_restoring_the_terminal() {
    let mut app = Pty::start(&[]);
    app.wait_for("chat chunks from the demo", |s| s.contains("chatcmpl-demo"));
    // An edit to the URL, left unsent: Ctrl-C asks first.
    app.keys("r");
    app.wait_for("the request editor", |s| s.contains("Request"));
    app.keys("\r/more");
    app.wait_for("the edit", |s| s.contains("/chat/more"));
    app.keys("\x1b");
    app.wait_for("the edit done", |s| s.contains("Enter edit"));
    app.keys("\x1b");
    app.wait_for("the editor closed", |s| !s.contains("Last-Event-ID"));
    app.keys("\x03");
    app.wait_for("the question", |s| {
        s.contains("Quit? the request editor has an unsent draft")
    });
    app.keys("\x03");
    assert_eq!(app.exit_code(), 0, "a double Ctrl-C quits cleanly");
    assert_terminal_restored(app.screen.lock().unwrap().screen());
}
