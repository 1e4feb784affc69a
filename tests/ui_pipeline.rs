//! The real UI pipeline (connection task, channels, the UI loop, the event
//! log, saving) under volume: the real binary in a pseudo-terminal against a
//! server that writes as fast as loopback allows, every event accounted for.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::pty::*;
use support::*;

/// Saving a million rows is work that grows with the data: more patience
/// than a key press needs, on a loaded machine too.
const SAVE_PATIENCE: Duration = Duration::from_secs(120);

/// A server that answers one request with `count` events (`id: N`,
/// `event: tick`, 100 bytes of JSON data) in a close-delimited body written
/// 64 KiB at a time, then closes: the reads a client sees are as small and
/// as many as loopback makes them.
fn burst_server(count: u64) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let Ok((mut stream, _)) = listener.accept() else {
            return;
        };
        // The request head, up to its blank line.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n",
        );
        let mut buf = Vec::with_capacity(70 * 1024);
        for n in 1..=count {
            // 100 bytes of data: {"n":…,"pad":"…"}.
            let prefix = format!("{{\"n\":{n},\"pad\":\"");
            let pad = "x".repeat(100 - prefix.len() - 2);
            buf.extend_from_slice(
                format!("id: {n}\nevent: tick\ndata: {prefix}{pad}\"}}\n\n").as_bytes(),
            );
            if buf.len() >= 64 * 1024 {
                if stream.write_all(&buf).is_err() {
                    return;
                }
                buf.clear();
            }
        }
        let _ = stream.write_all(&buf);
    });
    addr
}

/// The files `S` wrote in `dir`: the NDJSON and the capture.
fn saved_in(dir: &Path) -> (PathBuf, PathBuf) {
    let find = |ext: &str| {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .unwrap_or_else(|| panic!("a .{ext} file in {}", dir.display()))
    };
    (find("ndjson"), find("ssecap"))
}

#[test]
fn a_burst_of_over_100_mib_reaches_the_list_the_save_and_the_capture_whole() {
    // 820,000 events of about 130 bytes on the wire: 107 MB.
    const COUNT: u64 = 820_000;
    let addr = burst_server(COUNT);
    let dir = scratch("burst");
    let url = format!("http://{addr}/burst");
    let mut app = Pty::start_in(Some(&dir), &["--reconnect", "never", &url], &[]);
    let all = format!("{COUNT} events");
    // The status bar is the last line a frame writes: once it says closed,
    // the count beside it is final (a lost read would leave it short).
    app.wait_for_within("the end of the stream", SAVE_PATIENCE, |s| {
        s.contains("● closed: stream ended")
    });
    app.wait_for("every event counted", |s| s.contains(&all));
    app.keys("S");
    app.wait_for_within("the save", SAVE_PATIENCE, |s| s.contains("saved "));
    assert!(
        app.contents().contains(&format!("saved {COUNT} events")),
        "{}",
        app.contents()
    );
    assert!(app.quit());

    let (ndjson, capture) = saved_in(&dir);
    // Every event, in order, none twice: seq and id both count 1, 2, 3…
    let mut expected = 1u64;
    for line in BufReader::new(std::fs::File::open(&ndjson).unwrap()).lines() {
        let line: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        assert_eq!(line["seq"], expected, "seq after {}", expected - 1);
        assert_eq!(
            line["id"],
            expected.to_string(),
            "id after {}",
            expected - 1
        );
        expected += 1;
    }
    assert_eq!(expected - 1, COUNT, "events in the NDJSON save");
    let capture = ssetui::capture::read(&capture).unwrap();
    assert_eq!(capture.damaged, None);
    let ids: Vec<u64> = capture
        .events()
        .iter()
        .map(|e| e.event.id.parse().unwrap())
        .collect();
    assert_eq!(ids.len() as u64, COUNT, "events in the capture");
    assert!(
        ids.iter().zip(1..).all(|(id, n)| *id == n),
        "the capture's ids run 1, 2, 3… with no gap"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_recording_across_a_disconnect_and_a_new_connection_reads_back_with_both() {
    let (runtime, server) = serve(vec![
        vec![
            sse_head(),
            write("id: 1\ndata: first connection\n\n"),
            Step::Hold,
        ],
        vec![
            sse_head(),
            write("id: 1\ndata: second connection\n\n"),
            Step::Hold,
        ],
    ]);
    let dir = scratch("record-two");
    let url = server.url("/s");
    let mut app = Pty::start_in(Some(&dir), &[&url], &[]);
    app.wait_for("the first event", |s| s.contains("first connection"));
    app.keys("C");
    app.wait_for("recording", |s| s.contains("REC"));
    // Disconnect, then connect anew in the same tab.
    app.keys("c");
    app.wait_for("disconnected", |s| s.contains("disconnected"));
    app.keys("c");
    app.wait_for("the second connection", |s| s.contains("second connection"));
    app.keys("C");
    app.wait_for("stopped", |s| s.contains("recording stopped"));
    assert!(app.quit());
    drop(runtime);

    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "ssecap"))
        .expect("the capture");
    let text = std::fs::read_to_string(&path).unwrap();
    let kinds: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|line| {
            ["open", "read", "ended", "error", "reconnect", "close"]
                .into_iter()
                .find(|k| line.contains(&format!("\"{k}\"")))
                .unwrap_or("?")
        })
        .collect();
    assert_eq!(kinds, ["close", "open", "read"], "{text}");
    let recording = ssetui::capture::load_recording(&path).unwrap();
    let mut state = ssetui::state::AppState::new(recording.spec, "opened".into());
    let id = ssetui::state::begin_connection(&mut state);
    for msg in recording.messages {
        ssetui::state::update(&mut state, ssetui::message::Msg::Conn { id, msg });
    }
    let markers: Vec<String> = state
        .active()
        .log()
        .rows()
        .filter_map(|row| match row.kind {
            ssetui::state::RowKind::Marker(text) => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(
        markers.first().map(String::as_str),
        Some("disconnected"),
        "{markers:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
