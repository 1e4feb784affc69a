//! A `Last-Event-ID` the user set is the id in force for every event until
//! the server sends one (the spec's last event ID string), but it is not an
//! id the server sent: it is re-sent on reconnect so a resume still works,
//! and nothing judges or shows it as the server's.

mod support;

use std::cell::Cell;

use ssetui::insight::diagnose::Diagnostics;
use ssetui::sse::request::ReconnectPolicy;
use ssetui::sse::{ConnMsg, RequestSpec, StreamItem};
use support::*;

/// A server that sends two events without ids and ends, on every connection.
async fn no_id_server() -> TestServer {
    TestServer::always(vec![
        sse_head(),
        write("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"),
        Step::Close,
    ])
    .await
}

/// Messages of two attempts of `spec`: up to the second attempt's last event.
async fn two_attempts(spec: RequestSpec) -> Vec<ConnMsg> {
    let (_handle, mut rx) = connect(spec);
    let events = Cell::new(0);
    until(&mut rx, |msg| {
        if let ConnMsg::Data(chunk) = msg {
            let n = chunk
                .items
                .iter()
                .filter(|i| matches!(i, StreamItem::Event { .. }))
                .count();
            events.set(events.get() + n);
        }
        events.get() == 4
    })
    .await
}

/// `fast_spec` sending `Last-Event-ID: 5` and reconnecting after the end.
fn resuming_spec(server: &TestServer) -> RequestSpec {
    let mut spec = fast_spec(server, "/s");
    spec.last_event_id = "5".into();
    spec.reconnect = ReconnectPolicy::Always;
    spec
}

#[tokio::test]
async fn a_user_set_last_event_id_is_sent_on_every_reconnect_until_the_server_sends_an_id() {
    let mut server = no_id_server().await;
    let msgs = two_attempts(resuming_spec(&server)).await;
    for _ in 0..2 {
        let request = server.next_request().await;
        assert_eq!(request.header("last-event-id"), Some("5"));
    }
    // Every event has the id in force, "5", but none set it itself.
    let events = events(&msgs);
    assert_eq!(events.len(), 4);
    assert!(
        events.iter().all(|e| e.id == "5" && !e.sets_id),
        "{events:?}"
    );
}

#[tokio::test]
async fn checks_judge_only_ids_the_server_sent() {
    let server = no_id_server().await;
    let msgs = two_attempts(resuming_spec(&server)).await;
    let mut diagnostics = Diagnostics::new();
    let mut now = std::time::Instant::now();
    for msg in &msgs {
        now += std::time::Duration::from_millis(10);
        diagnostics.observe(msg, now);
    }
    let ids: Vec<&str> = diagnostics.findings().iter().map(|f| f.id).collect();
    assert!(ids.contains(&"no-ids"), "{}", diagnostics.report());
    assert!(!ids.contains(&"id-replayed"), "{}", diagnostics.report());
}

#[test]
fn check_ids_increasing_says_no_id_rather_than_the_users_id_repeated() {
    let (runtime, server) = serve(vec![vec![
        sse_head(),
        write("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n"),
        Step::Close,
    ]]);
    let url = server.url("/s");
    let mut cmd = support::app();
    cmd.args(["check", &url, "--last-event-id", "5", "--ids-increasing"]);
    cmd.stdout(std::process::Stdio::piped());
    cmd.stderr(std::process::Stdio::piped());
    let out = output_within(cmd, WAIT);
    drop(runtime);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("event 1 has no id"), "{stdout}");
}

#[test]
fn the_list_dims_an_id_the_event_did_not_set_itself() {
    use ratatui::{Terminal, backend::TestBackend};
    use ssetui::message::Msg;
    use ssetui::sse::{Chunk, Numbering, Parser, ParserConfig};
    use ssetui::state::{self, AppState};
    use ssetui::ui::{self, Theme};

    let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
    spec.last_event_id = "resume-here".into();
    let mut state = AppState::new(spec, "ids".into());
    state::connect(&mut state);
    let bytes = b"data: a\n\nid: server-42\ndata: b\n\n";
    let mut parser = Parser::new(ParserConfig {
        last_event_id: "resume-here".into(),
        ..ParserConfig::default()
    });
    let (mut items, mut seq) = (Vec::new(), 0);
    parser
        .feed(
            bytes,
            &mut Numbering {
                items: &mut items,
                seq: &mut seq,
            },
        )
        .unwrap();
    let chunk = ConnMsg::Data(Chunk {
        attempt: 1,
        offset: 0,
        bytes: bytes::Bytes::from_static(bytes),
        received_at: std::time::SystemTime::now(),
        items,
        facts: None,
    });
    let id = state.active().conn_id.unwrap();
    state::update(&mut state, Msg::Conn { id, msg: chunk });
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal
        .draw(|f| {
            ui::draw(
                f,
                &state,
                &theme,
                &mut ui::ContentCache::default(),
                std::time::Instant::now(),
            );
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    // The style of the first cell of `text` in the list.
    let style_of = |text: &str| {
        (0..buffer.area.height)
            .find_map(|y| {
                let line: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol().to_owned())
                    .collect();
                // A row of the list: the left pane, after the type column.
                let x = line.starts_with('│').then(|| line.find(" message "))??;
                let x = x + line[x..].find(text)?;
                let x = line[..x].chars().count() as u16;
                Some(buffer[(x, y)].style())
            })
            .unwrap_or_else(|| panic!("{text:?} on screen:\n{}", terminal.backend()))
    };
    let dimmed =
        |style: ratatui::style::Style| style.add_modifier.contains(ratatui::style::Modifier::DIM);
    assert!(dimmed(style_of("resum")), "inherited: dimmed");
    assert!(!dimmed(style_of("serve")), "set by its block: not dimmed");
}
