use ratatui::style::Color;

use super::*;

#[test]
fn lines_split_at_every_kind_of_ending() {
    let lines = split_lines(b"a\r\nb\rc\nd");
    assert_eq!(
        lines,
        vec![
            (&b"a"[..], "\r\n"),
            (&b"b"[..], "\r"),
            (&b"c"[..], "\n"),
            (&b"d"[..], "")
        ]
    );
    assert_eq!(split_lines(b"\n"), vec![(&b""[..], "\n")]);
    assert!(split_lines(b"").is_empty());
}

#[test]
fn raw_lines_mark_endings_and_fields() {
    let theme = Theme::new(true);
    let line = raw_line(b"data: x", "\r\n", true, &theme);
    assert_eq!(line.to_string(), "data: x␍␊");
    assert_eq!(line.spans[0].style, theme.field);
    assert_eq!(
        raw_line(b"data: x", "\r\n", false, &theme).to_string(),
        "data: x"
    );
    assert_eq!(
        raw_line(b": ping", "\n", false, &theme).spans[0].style,
        theme.comment
    );
    assert_eq!(raw_line(b"x\ty", "", false, &theme).to_string(), "x→y");
}

/// A state with one JSON event, selected, its Content shown.
fn json_event_selected() -> AppState {
    use crate::message::Msg;
    use crate::sse::{Chunk, ConnMsg, Item, Parser, RequestSpec, ResponseInfo, StreamItem};
    let mut state = AppState::new(RequestSpec::get("http://h/s".parse().unwrap()), "t".into());
    crate::state::connect(&mut state);
    let id = state.active().conn_id.unwrap();
    let response = ResponseInfo {
        status: 200,
        version: "HTTP/1.1".into(),
        headers: vec![],
        redirects: vec![],
        final_url: "http://h/s".into(),
        time_to_first_byte: std::time::Duration::from_millis(1),
    };
    let opened = ConnMsg::Opened {
        attempt: 1,
        response,
    };
    crate::state::update(&mut state, Msg::Conn { id, msg: opened });
    let bytes = b"data: {\"symbol\":\"ACME\",\"price\":12.50,\"note\":\"a\x7fb\"}\n\n";
    let mut items = Vec::new();
    Parser::default().feed(bytes, &mut items).unwrap();
    let items = items
        .into_iter()
        .map(|item| match item {
            Item::Event(event) => StreamItem::Event { seq: 1, event },
            Item::Block(block) => StreamItem::Block(block),
        })
        .collect();
    let chunk = Chunk {
        attempt: 1,
        offset: 0,
        bytes: bytes::Bytes::from_static(bytes),
        received_at: std::time::SystemTime::UNIX_EPOCH,
        items,
        facts: None,
    };
    crate::state::update(
        &mut state,
        Msg::Conn {
            id,
            msg: ConnMsg::Data(chunk),
        },
    );
    let pos = (0..state.active().list.len())
        .find(|&p| {
            matches!(
                state.active().visible_row(p).map(|r| r.kind),
                Some(RowKind::Event { .. })
            )
        })
        .expect("the event is listed");
    state.active_mut().select(pos);
    state.active_mut().detail = DetailMode::Content;
    state
}

/// The detail pane drawn at 50x10: its text, and the foreground of the
/// first cell of `needle`.
fn draw_content(state: &AppState, theme: &Theme, needle: &str) -> (String, Color) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut terminal = Terminal::new(TestBackend::new(50, 10)).unwrap();
    terminal
        .draw(|f| {
            render(
                f,
                f.area(),
                state,
                theme,
                &mut ContentCache::default(),
                Instant::now(),
            );
        })
        .unwrap();
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    let mut found = None;
    for y in 0..buffer.area.height {
        let row: Vec<&str> = (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        let line = row.concat();
        if let Some(i) = line.find(needle) {
            let x = line[..i].chars().count() as u16;
            found = found.or(Some(buffer[(x, y)].fg));
        }
        text.push_str(&line);
        text.push('\n');
    }
    let fg = found.unwrap_or_else(|| panic!("{needle:?} not drawn:\n{text}"));
    (text, fg)
}

#[test]
fn content_view_is_highlighted_in_the_chosen_themes_colours() {
    use super::super::theme::{ColorDepth, ThemeVariant};
    let state = json_event_selected();
    let cases = [
        (
            ThemeVariant::Dark,
            ColorDepth::TrueColor,
            Color::Rgb(0x6c, 0xb6, 0xff),
        ),
        (
            ThemeVariant::Light,
            ColorDepth::TrueColor,
            Color::Rgb(0x05, 0x50, 0xae),
        ),
        (
            ThemeVariant::Light,
            ColorDepth::Ansi256,
            Color::Indexed(highlight::ansi256([0x05, 0x50, 0xae])),
        ),
        (ThemeVariant::Dark, ColorDepth::Ansi16, Color::LightBlue),
    ];
    for (variant, depth, key_colour) in cases {
        let theme = Theme::for_terminal(true, variant, depth);
        let (text, fg) = draw_content(&state, &theme, "\"symbol\"");
        assert_eq!(fg, key_colour, "{variant:?} {depth:?}:\n{text}");
        assert!(text.contains(r#"  "price": 12.50,"#), "{text}");
        assert!(text.contains(r#"  "note": "a␡b""#), "{text}");
    }
    let (text, fg) = draw_content(&state, &Theme::new(false), "\"symbol\"");
    assert_eq!(fg, Color::Reset, "NO_COLOR:\n{text}");
}
