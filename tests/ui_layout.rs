//! What a frame learns goes back to the state one way: `ui::draw` returns a
//! `FrameLayout`, the loop sends it as `Msg::Drawn`, and `update` maps
//! clicks, pages and scrolls with it. Drawn through ratatui's `TestBackend`
//! and fed back as the app does, so the state and the screen must agree.

#[path = "support/one_read.rs"]
mod one_read;

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ssetui::message::Msg;
use ssetui::sse::{ParserConfig, RequestSpec};
use ssetui::state::{self, AppState, FrameLayout, RowKind};
use ssetui::ui::{self, ContentCache, Theme};

/// A tab connected to nowhere, fed `n` events (`data: 1` … `data: n`).
fn with_events(n: usize) -> AppState {
    let mut state = AppState::new(RequestSpec::get("http://h/s".parse().unwrap()), "t".into());
    let id = state::begin_connection(&mut state);
    let body: String = (1..=n).map(|i| format!("data: {i}\n\n")).collect();
    let msg = one_read::data(body.as_bytes(), ParserConfig::default());
    state::update(&mut state, Msg::Conn { id, msg });
    state
}

/// Draws a frame and sends what it learned back, as the loop does.
fn frame(state: &mut AppState, width: u16, height: u16) -> (Terminal<TestBackend>, FrameLayout) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    let mut drawn = None;
    let mut cache = ContentCache::default();
    terminal
        .draw(|f| {
            drawn = Some(ui::draw(
                f,
                state,
                &Theme::new(true),
                &mut cache,
                Instant::now(),
            ))
        })
        .unwrap();
    let layout = drawn.expect("a frame");
    state::update(state, Msg::Drawn(layout.clone()));
    (terminal, layout)
}

fn press(state: &mut AppState, code: KeyCode, modifiers: KeyModifiers) {
    state::update(
        state,
        Msg::Input(Event::Key(KeyEvent::new(code, modifiers))),
    );
}

fn click(state: &mut AppState, column: u16, row: u16) {
    state::update(
        state,
        Msg::Input(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })),
    );
}

/// The screen's row `y` as text.
fn line(terminal: &Terminal<TestBackend>, y: u16) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect()
}

/// Where `needle` is drawn: (column, row) of its first character.
fn find(terminal: &Terminal<TestBackend>, needle: &str) -> Option<(u16, u16)> {
    let height = terminal.backend().buffer().area.height;
    (0..height).find_map(|y| {
        let text = line(terminal, y);
        let at = text.find(needle)?;
        Some((text[..at].chars().count() as u16, y))
    })
}

fn selected_data(state: &AppState) -> Option<String> {
    match state.active().selected_row()?.kind {
        RowKind::Event { event, .. } => Some(event.data.to_string()),
        _ => None,
    }
}

#[test]
fn a_click_on_a_tab_shows_the_tab_drawn_there() {
    let mut state = with_events(1);
    state.open_tab(
        RequestSpec::get("http://other/x".parse().unwrap()),
        "other".into(),
    );
    let (terminal, _) = frame(&mut state, 100, 30);
    let (first, y) = find(&terminal, "1 t ").expect("tab 1 drawn");
    let (second, _) = find(&terminal, "2 other").expect("tab 2 drawn");
    click(&mut state, first + 1, y);
    assert_eq!(state.active_index(), 0);
    click(&mut state, second + 2, y);
    assert_eq!(state.active_index(), 1);
    let (app, _) = find(&terminal, "ssetui").unwrap();
    click(&mut state, app + 1, y);
    assert_eq!(state.active_index(), 1, "the app name is not a tab");
}

#[test]
fn a_click_on_a_list_row_selects_the_event_drawn_on_it() {
    for (width, height) in [(80, 24), (160, 48)] {
        let mut state = with_events(200);
        // Away from the newest, then a page up: the window is wherever the
        // frames left it, not where a layout redone elsewhere would put it.
        for _ in 0..7 {
            press(&mut state, KeyCode::Char('k'), KeyModifiers::NONE);
            frame(&mut state, width, height);
        }
        press(&mut state, KeyCode::PageUp, KeyModifiers::NONE);
        let (terminal, layout) = frame(&mut state, width, height);
        for row in [layout.list_rows.y, layout.list_rows.y + 3] {
            let shown = line(&terminal, row);
            // The data is the row's last column, inside the border.
            let inside = shown.trim_end_matches(['│', ' ']);
            let data = inside.split_whitespace().last().unwrap().to_owned();
            click(&mut state, layout.list_rows.x + 1, row);
            assert_eq!(
                selected_data(&state).as_deref(),
                Some(data.as_str()),
                "{width}x{height}: {shown:?}"
            );
        }
    }
}

#[test]
fn paging_moves_by_the_rows_the_frame_showed() {
    let mut state = with_events(200);
    let (_, layout) = frame(&mut state, 80, 24);
    press(&mut state, KeyCode::Char('g'), KeyModifiers::NONE);
    press(&mut state, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(
        state.active().list.selected(),
        Some(usize::from(layout.list_rows.height))
    );
    let (_, taller) = frame(&mut state, 80, 40);
    assert!(taller.list_rows.height > layout.list_rows.height);
    press(&mut state, KeyCode::Char('g'), KeyModifiers::NONE);
    press(&mut state, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(
        state.active().list.selected(),
        Some(usize::from(taller.list_rows.height)),
        "after a resize, the new frame's height"
    );
}

#[test]
fn the_editor_keeps_the_scroll_the_last_frame_drew() {
    let lines: Vec<String> = (1..=60).map(|i| format!("line {i}")).collect();
    let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
    spec.body = Some(lines.join("\n").into_bytes());
    let mut state = AppState::new(spec, "t".into());
    press(&mut state, KeyCode::Char('r'), KeyModifiers::NONE);
    press(&mut state, KeyCode::Char('G'), KeyModifiers::NONE);
    press(&mut state, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut state, KeyCode::End, KeyModifiers::CONTROL);
    let (terminal, layout) = frame(&mut state, 80, 24);
    assert!(layout.editor.is_some(), "the editor was drawn");
    assert!(find(&terminal, "line 60").is_some());
    // Three lines up the cursor is still in view: the body does not move.
    for _ in 0..3 {
        press(&mut state, KeyCode::Up, KeyModifiers::NONE);
    }
    let (terminal, _) = frame(&mut state, 80, 24);
    assert!(
        find(&terminal, "line 60").is_some(),
        "the view moved though the cursor was in it"
    );
    assert_eq!(
        terminal.backend().cursor_position().y,
        find(&terminal, "line 57").unwrap().1
    );
}
