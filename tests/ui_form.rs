//! Renders of the request editor pane through ratatui's `TestBackend`: the
//! form navigated, edited (with the terminal cursor), with errors on fields,
//! with secrets masked and revealed, and at every size down to nothing.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Position;
use reqwest::{Method, Url};
use ssetui::sse::{Auth, ReconnectPolicy, RequestSpec};
use ssetui::state::request_form::{RequestForm, Row, Slot};
use ssetui::ui::{Theme, request_form};

/// The pane size the editor gets on an 80x24 terminal.
const WIDTH: u16 = 76;
const HEIGHT: u16 = 18;

fn chat_spec() -> RequestSpec {
    let url = Url::parse("https://api.example.com/v1/chat?model=gpt-x&stream=true").unwrap();
    let mut spec = RequestSpec::new(Method::POST, url);
    spec.headers = vec![
        ("Content-Type".into(), "application/json".into()),
        ("Accept".into(), "text/event-stream".into()),
    ];
    spec.auth = Auth::Bearer("sk-live-0123456789".into());
    spec.body = Some(
        br#"{"model":"gpt-x","stream":true,"messages":[{"role":"user","content":"Tell me a story"}]}"#
            .to_vec(),
    );
    spec.reconnect = ReconnectPolicy::Never;
    spec
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(form: &mut RequestForm, keys: &[KeyCode]) {
    for code in keys {
        form.handle_key(key(*code));
    }
}

fn draw(form: &RequestForm, width: u16, height: u16, focused: bool) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let theme = Theme::new(true);
    terminal
        .draw(|f| {
            request_form::render(f, f.area(), form, &theme, focused);
        })
        .unwrap();
    assert_no_raw_controls(terminal.backend().buffer());
    terminal
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

/// The row of the screen holding `needle`.
fn row_of(terminal: &Terminal<TestBackend>, needle: &str) -> Option<u16> {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height).find(|y| {
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, *y)].symbol())
            .collect();
        line.contains(needle)
    })
}

fn assert_no_raw_controls(buffer: &Buffer) {
    for cell in buffer.content() {
        for c in cell.symbol().chars() {
            let code = c as u32;
            assert!(
                code >= 0x20 && !(0x7f..=0x9f).contains(&code),
                "raw control {code:#x} on screen"
            );
        }
    }
}

#[test]
fn navigation_shows_every_field_with_the_focus_marked() {
    let mut form = RequestForm::from_spec(&chat_spec());
    // From the URL down to the first header's value.
    press(
        &mut form,
        &[
            KeyCode::Char('j'),
            KeyCode::Char('j'),
            KeyCode::Char('j'),
            KeyCode::Char('l'),
        ],
    );
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("navigation_76x18", terminal.backend());
    let s = screen(&terminal);
    assert!(
        s.contains("https://api.example.com/v1/chat "),
        "the query is split out"
    );
    assert!(s.contains("[x] model"), "{s}");
    assert!(s.contains("● Bearer"));
    assert!(!s.contains("sk-live"), "the token is masked");
    assert!(
        !terminal.backend().cursor_visible(),
        "no cursor outside a field"
    );
    // The focused header value is highlighted.
    let y = row_of(&terminal, "application/json").unwrap();
    let buffer = terminal.backend().buffer();
    let x = (0..WIDTH)
        .find(|x| buffer[(*x, y)].symbol() == "a" && buffer[(x + 1, y)].symbol() == "p")
        .unwrap();
    assert_eq!(buffer[(x, y)].bg, Theme::new(true).selected.bg.unwrap());
}

#[test]
fn editing_shows_the_cursor_in_the_field() {
    let mut form = RequestForm::from_spec(&chat_spec());
    press(
        &mut form,
        &[
            KeyCode::Enter,
            KeyCode::Left,
            KeyCode::Left,
            KeyCode::Left,
            KeyCode::Left,
        ],
    );
    assert!(form.is_editing());
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("editing_url_76x18", terminal.backend());
    assert!(terminal.backend().cursor_visible());
    // Border, marker and the 14-column label, then the URL; the cursor is before "chat".
    let url = "https://api.example.com/v1/";
    let expected = Position::new(1 + 15 + url.len() as u16, row_of(&terminal, url).unwrap());
    assert_eq!(terminal.backend().cursor_position(), expected);
}

#[test]
fn a_long_body_scrolls_to_keep_the_cursor_in_view() {
    let mut spec = chat_spec();
    let lines: Vec<String> = (1..=60).map(|i| format!("line {i}")).collect();
    spec.body = Some(lines.join("\n").into_bytes());
    spec.headers.clear();
    let mut form = RequestForm::from_spec(&spec);
    press(&mut form, &[KeyCode::Char('G'), KeyCode::Enter]);
    form.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL));
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("editing_long_body_76x18", terminal.backend());
    let cursor = terminal.backend().cursor_position();
    assert_eq!(Some(cursor.y), row_of(&terminal, "line 60"));
    assert_eq!(cursor.x, 1 + 15 + "line 60".len() as u16);
}

#[test]
fn errors_are_shown_under_their_fields() {
    let spec = chat_spec();
    let mut form = RequestForm::from_spec(&spec);
    form.url.set_text("htp:/api.example.com/v1/chat");
    form.headers.push(Row::new("Bad Header", "x"));
    form.set_body("{\"model\": \"gpt-x\",}".into());
    assert!(form.build(&spec).is_none());
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("errors_76x18", terminal.backend());
    let s = screen(&terminal);
    assert!(s.contains("3 errors"), "{s}");
    assert!(s.contains("✗ unsupported URL scheme \"htp\""), "{s}");
    assert!(s.contains("✗ invalid header name \"Bad Header\""), "{s}");
    let y = row_of(&terminal, "✗ unsupported URL").unwrap();
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(17, y)].fg, Theme::new(true).error.fg.unwrap());
}

#[test]
fn the_json_error_is_in_view_when_the_body_has_the_focus() {
    let spec = chat_spec();
    let mut form = RequestForm::from_spec(&spec);
    form.set_body("{\n  \"model\": \"gpt-x\",\n}".into());
    assert!(form.build(&spec).is_none());
    assert_eq!(form.focus(), Slot::Body);
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    let s = screen(&terminal);
    assert!(s.contains("✗ invalid JSON: "), "{s}");
    assert!(s.contains("at line 3 column 1"), "{s}");
}

#[test]
fn secrets_are_masked_until_revealed() {
    let mut spec = chat_spec();
    spec.auth = Auth::Basic {
        user: "ann".into(),
        password: "hunter2".into(),
    };
    spec.headers
        .push(("Authorization".into(), "Bearer abc".into()));
    let mut form = RequestForm::from_spec(&spec);
    let masked = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("masked_76x18", masked.backend());
    let s = screen(&masked);
    assert!(!s.contains("hunter2") && !s.contains("Bearer abc"), "{s}");
    assert!(s.contains("•••••••"), "{s}");
    assert!(s.contains("ann"));

    press(&mut form, &[KeyCode::Char('r')]);
    let revealed = draw(&form, WIDTH, HEIGHT, true);
    insta::assert_snapshot!("revealed_76x18", revealed.backend());
    let s = screen(&revealed);
    assert!(s.contains("hunter2") && s.contains("Bearer abc"), "{s}");
}

#[test]
fn an_unfocused_pane_shows_no_cursor_and_no_focus() {
    let mut form = RequestForm::from_spec(&chat_spec());
    press(&mut form, &[KeyCode::Enter]);
    let terminal = draw(&form, WIDTH, HEIGHT, false);
    assert!(!terminal.backend().cursor_visible());
    assert!(!screen(&terminal).contains('▌'));
}

#[test]
fn control_characters_in_values_are_shown_escaped() {
    let mut spec = chat_spec();
    spec.last_event_id = "a\u{1b}[31mb".into();
    spec.body = Some(b"line\x07\tend\r\nnext".to_vec());
    let form = RequestForm::from_spec(&spec);
    let s = screen(&draw(&form, WIDTH, HEIGHT, true));
    assert!(s.contains("a␛[31mb"), "{s}");
    assert!(s.contains("line␇→end"), "{s}");
}

#[test]
fn any_size_renders_without_panic() {
    let mut spec = chat_spec();
    spec.auth = Auth::ApiKey {
        name: "X-Key".into(),
        value: "世界🎉".into(),
        location: ssetui::sse::ApiKeyLocation::Query,
    };
    let mut form = RequestForm::from_spec(&spec);
    let editing = {
        let mut f = form.clone();
        press(&mut f, &[KeyCode::Char('G'), KeyCode::Enter]);
        f
    };
    press(&mut form, &[KeyCode::Char('j'), KeyCode::Char('l')]);
    for width in 0..=40 {
        for height in 0..=12 {
            for (f, focused) in [(&form, true), (&editing, true), (&editing, false)] {
                let terminal = draw(f, width, height, focused);
                if terminal.backend().cursor_visible() {
                    let p = terminal.backend().cursor_position();
                    assert!(
                        p.x < width && p.y < height,
                        "cursor {p:?} outside {width}x{height}"
                    );
                }
            }
        }
    }
}

#[test]
fn a_value_redacted_in_the_capture_is_marked_under_its_field_until_typed_over() {
    let mut spec = RequestSpec::get(Url::parse("http://127.0.0.1:9/feed").unwrap());
    spec.headers = vec![
        ("Accept".into(), "text/event-stream".into()),
        ("Authorization".into(), "Bearer ***".into()),
    ];
    spec.redacted = vec![ssetui::sse::Field::Header(1)];
    let mut form = RequestForm::from_spec(&spec);
    let terminal = draw(&form, WIDTH, HEIGHT, true);
    let s = screen(&terminal);
    let header = row_of(&terminal, "Authorization").unwrap();
    let note = row_of(&terminal, "redacted in the capture").expect(&s);
    assert_eq!(note, header + 1, "under its field:\n{s}");
    assert!(s.contains("${env:VAR}"), "{s}");
    // Ctrl-R's refusal puts the reason on the field instead.
    assert!(form.point_at(
        ssetui::sse::Field::Header(1),
        "the capture redacted this value".into()
    ));
    let s = screen(&draw(&form, WIDTH, HEIGHT, true));
    assert!(s.contains("✗ the capture redacted this value"), "{s}");
    // Typed over: the user's value, no mark.
    form.headers[1].value.set_text("Bearer real");
    let s = screen(&draw(&form, WIDTH, HEIGHT, true));
    assert!(!s.contains("redacted in the capture"), "{s}");
}
