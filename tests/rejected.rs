//! A rejected response (401, 429, a 200 of the wrong type) keeps its head:
//! the status line and the headers a user needs (`WWW-Authenticate`,
//! `Retry-After`, `x-request-id`) reach the failure's connection message and
//! the UI's failure marker, from a raw-TCP server on loopback.

mod support;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ssetui::message::Msg;
use ssetui::sse::{ConnMsg, ReconnectPolicy};
use ssetui::state::{self, AppState, Focus, RowKind};
use ssetui::ui::{self, Theme};
use support::*;

/// The three rejections, each with the header that explains it.
fn rejections() -> Vec<(Step, u16, (&'static str, &'static str))> {
    vec![
        (
            head(
                401,
                "application/json",
                &[
                    (
                        "WWW-Authenticate",
                        "Bearer realm=\"api\", error=\"invalid_token\"",
                    ),
                    ("x-request-id", "req-401-a"),
                ],
            ),
            401,
            (
                "www-authenticate",
                "Bearer realm=\"api\", error=\"invalid_token\"",
            ),
        ),
        (
            head(
                429,
                "text/plain",
                &[("Retry-After", "7"), ("x-request-id", "req-429-b")],
            ),
            429,
            ("retry-after", "7"),
        ),
        (
            head(200, "application/json", &[("x-request-id", "req-200-c")]),
            200,
            ("content-type", "application/json"),
        ),
    ]
}

/// The messages of one connection to a server answering `answer` then closing.
fn messages(answer: Step) -> Vec<ConnMsg> {
    let (runtime, server) = serve(vec![vec![answer, write("{\"error\":\"no\"}"), Step::Close]]);
    let mut spec = fast_spec(&server, "/s");
    spec.reconnect = ReconnectPolicy::Never;
    runtime.block_on(async {
        let (_handle, mut rx) = connect(spec);
        until_closed(&mut rx).await
    })
}

#[test]
fn a_rejected_response_carries_its_status_and_headers_in_the_failure() {
    for (answer, status, (name, value)) in rejections() {
        let msgs = messages(answer);
        let error = errors(&msgs).into_iter().next().expect("an error");
        let response = error
            .response
            .as_deref()
            .unwrap_or_else(|| panic!("{status}: no response head in {error:?}"));
        assert_eq!(response.status, status);
        assert_eq!(response.version, "HTTP/1.1");
        let header = |n: &str| {
            response
                .headers
                .iter()
                .find(|(h, _)| h == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(
            header(name),
            Some(value),
            "{status}: {:?}",
            response.headers
        );
        assert!(header("x-request-id").is_some(), "{status}");
    }
}

#[test]
fn the_failure_marker_shows_the_rejected_response_head() {
    for (answer, status, (name, value)) in rejections() {
        let msgs = messages(answer);
        let spec = ssetui::sse::RequestSpec::get("http://127.0.0.1:9/s".parse().unwrap());
        let mut app = AppState::new(spec, "rejected".into());
        state::connect(&mut app);
        let id = app.active().conn_id.unwrap();
        for msg in msgs {
            state::update(&mut app, Msg::Conn { id, msg });
        }
        // The error marker, selected with the detail focused.
        let pos = (0..app.active().list.len())
            .find(|p| {
                app.active().visible_row(*p).is_some_and(
                    |r| matches!(&r.kind, RowKind::Marker(t) if t.starts_with("error")),
                )
            })
            .expect("an error marker");
        app.active_mut().select(pos);
        app.active_mut().focus = Focus::Detail;
        let mut terminal = Terminal::new(TestBackend::new(160, 48)).unwrap();
        terminal
            .draw(|f| {
                ui::draw(
                    f,
                    &app,
                    &Theme::new(true),
                    &mut ui::ContentCache::default(),
                    Instant::now(),
                );
            })
            .unwrap();
        let screen = terminal.backend().to_string();
        assert!(screen.contains("Response"), "{status}:\n{screen}");
        assert!(
            screen.contains(&format!("HTTP/1.1 {status}")),
            "{status}:\n{screen}"
        );
        assert!(
            screen.contains(&format!("{name}: {value}")),
            "{status}:\n{screen}"
        );
        assert!(screen.contains("x-request-id: req-"), "{status}:\n{screen}");
    }
}

#[test]
fn a_capture_keeps_the_rejected_head_and_reads_it_back() {
    let (answer, _, (name, value)) = rejections().remove(0);
    let msgs = messages(answer);
    let dir = scratch("capture");
    let path = dir.join("rejected.ssecap");
    let spec = ssetui::sse::RequestSpec::get("http://127.0.0.1:9/s".parse().unwrap());
    let mut writer = ssetui::capture::CaptureWriter::create(&path, &spec, false).unwrap();
    for msg in &msgs {
        writer.record(msg).unwrap();
    }
    writer.finish().unwrap();
    let recording = ssetui::capture::load_recording(&path).unwrap();
    let at = recording
        .messages
        .iter()
        .position(|m| matches!(m, ConnMsg::Error { .. }))
        .expect("the error read back");
    let ConnMsg::Error { error, .. } = &recording.messages[at] else {
        unreachable!()
    };
    let response = error.response.as_deref().expect("its head read back");
    assert_eq!(response.status, 401);
    assert!(
        response
            .headers
            .contains(&(name.to_owned(), value.to_owned())),
        "{:?}",
        response.headers
    );
    assert!(
        matches!(
            recording.messages[..at].last(),
            Some(ConnMsg::Connecting { attempt: 1, .. })
        ),
        "the attempt's request before it: {:?}",
        recording.messages
    );
    let _ = std::fs::remove_dir_all(&dir);
}
