//! The mouse, mapped through the layout a frame reported.

use super::*;

#[test]
fn a_click_selects_the_row_under_it_and_focuses_its_pane() {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    let mut s = state();
    let layout = frame(&s, 10, 10);
    update(&mut s, Msg::Drawn(layout.clone()));
    update(
        &mut s,
        conn(chunk(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 0, 1)),
    );
    let (rows, detail) = (layout.list_rows, layout.detail);
    // The list shows all three rows from its top: the first row is event 1.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), rows.x + 2, rows.y),
    );
    assert_eq!(selected_data(&s).as_deref(), Some("1"));
    assert!(!s.active().list.is_following());
    update(
        &mut s,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            detail.x + 3,
            detail.y + 2,
        ),
    );
    assert_eq!(s.active().focus, Focus::Detail);
    update(
        &mut s,
        mouse(MouseEventKind::ScrollDown, detail.x + 3, detail.y + 2),
    );
    assert_eq!(
        s.active().detail_scroll,
        3,
        "the wheel scrolls the pane under it"
    );
    update(
        &mut s,
        mouse(MouseEventKind::ScrollDown, rows.x + 2, rows.y),
    );
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("3"),
        "over the list it moves the selection"
    );
    update(
        &mut s,
        mouse(
            MouseEventKind::Down(MouseButton::Left),
            rows.x + 2,
            rows.y + 20,
        ),
    );
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("3"),
        "a click below the last row selects nothing new"
    );
}

#[test]
fn mouse_capture_toggles_with_m() {
    let mut s = state();
    assert!(s.mouse_capture);
    assert_eq!(update(&mut s, ch('m')), vec![Effect::MouseCapture(false)]);
    assert!(s.notice.as_deref().unwrap().contains("selects text"));
    assert_eq!(update(&mut s, ch('m')), vec![Effect::MouseCapture(true)]);
}

#[test]
fn clicks_before_the_first_frame_are_ignored() {
    use ratatui::crossterm::event::{MouseButton, MouseEventKind};
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    let before = s.active().list.selected();
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 5, 5));
    assert_eq!(s.active().list.selected(), before);
}

#[test]
fn a_click_on_a_tab_in_the_title_line_shows_it() {
    let mut s = state();
    update(&mut s, ch('t'));
    assert_eq!(s.active_index(), 1);
    // The columns a frame drew the two tabs on.
    let mut layout = frame(&s, 10, 10);
    layout.tab_columns = vec![8..16, 16..24];
    update(&mut s, Msg::Drawn(layout));
    let click = |column| {
        Msg::Input(TermEvent::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }))
    };
    update(&mut s, click(10));
    assert_eq!(s.active_index(), 0);
    update(&mut s, click(20));
    assert_eq!(s.active_index(), 1);
    update(&mut s, click(2));
    assert_eq!(s.active_index(), 1, "the app name is not a tab");
}
