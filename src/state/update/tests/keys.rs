//! Keys on the list and the detail, the search, and the overlays that take the keys.

use super::*;

#[test]
fn scrolling_up_leaves_follow_mode_and_g_end_returns_to_it() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"data: 1\n\ndata: 2\n\ndata: 3\n\n", 0, 1)),
    );
    update(&mut s, ch('k'));
    assert!(!s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("2"));
    update(&mut s, conn(chunk(b"data: 4\n\n", 27, 4)));
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("2"),
        "the selection stays put"
    );
    update(&mut s, ch('G'));
    assert!(s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("4"));
    update(&mut s, ch('g'));
    assert_eq!(s.active().list.selected(), Some(0));
    assert!(
        !s.active().list.is_following(),
        "going to the top leaves follow mode"
    );
    update(&mut s, ch('f'));
    assert!(s.active().list.is_following());
    assert_eq!(selected_data(&s).as_deref(), Some("4"));
}

#[test]
fn blocks_are_hidden_until_asked_for() {
    let mut s = state();
    update(&mut s, conn(chunk(b": ping\n\ndata: x\n\nid: 9\n\n", 0, 1)));
    let rows = |s: &AppState| s.active().list.len();
    assert_eq!(rows(&s), 1);
    update(&mut s, ch('b'));
    assert_eq!(rows(&s), 3);
    assert!(s.active().visible_row(2).unwrap().is_block());
    update(&mut s, ch('b'));
    assert_eq!(rows(&s), 1);
}

#[test]
fn content_raw_toggle_and_focus() {
    let mut s = state();
    assert_eq!(s.active().detail, DetailMode::Content);
    update(&mut s, ch('v'));
    assert_eq!(s.active().detail, DetailMode::Raw);
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.active().detail, DetailMode::Wire);
    for view in [
        DetailMode::Answer,
        DetailMode::Checks,
        DetailMode::Stats,
        DetailMode::Content,
    ] {
        update(&mut s, ch('v'));
        assert_eq!(s.active().detail, view, "the views cycle");
    }
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.active().focus, Focus::Detail);
    update(&mut s, ch('j'));
    assert_eq!(s.active().detail_scroll, 1, "j scrolls the focused detail");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.active().focus, Focus::List);
}

#[test]
fn help_opens_and_any_key_closes_it() {
    let mut s = state();
    update(&mut s, ch('?'));
    assert!(matches!(
        s.active().overlay,
        Some(Overlay::Help(HelpPage::List, None))
    ));
    assert_eq!(update(&mut s, ch('x')), vec![]);
    assert!(
        !matches!(s.active().overlay, Some(Overlay::Help(..))),
        "the key closed the overlay and did nothing else"
    );
}

#[test]
fn quit_and_ctrl_c_quit() {
    let mut s = state();
    assert_eq!(update(&mut s, ch('q')), vec![Effect::Quit]);
    let mut s = state();
    let ctrl_c = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(update(&mut s, ctrl_c), vec![Effect::Quit]);
    assert!(s.quit);
}

#[test]
fn clear_empties_the_list() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('x'));
    assert!(s.active().list.is_empty() && s.active().list.selected().is_none());
    update(&mut s, conn(chunk(b"data: 2\n\n", 9, 2)));
    assert_eq!(selected_data(&s).as_deref(), Some("2"));
}

#[test]
fn search_typing_goes_to_the_query_not_to_actions() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"data: alpha\n\ndata: beta\n\ndata: gamma\n\n", 0, 1)),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "qx");
    assert!(
        !s.quit && matches!(s.active().overlay, Some(Overlay::Search)),
        "q typed into the query did not quit"
    );
    assert_eq!(s.active().search.query(), "qx");
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Backspace));
    type_text(&mut s, "alpha");
    update(&mut s, key(KeyCode::Enter));
    assert!(!matches!(s.active().overlay, Some(Overlay::Search)));
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("alpha"),
        "Enter jumps to a match"
    );
    assert!(!s.active().list.is_following());
}

#[test]
fn n_and_shift_n_jump_between_matches_wrapping() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"data: a1\n\ndata: b\n\ndata: a2\n\ndata: a3\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "a");
    update(&mut s, key(KeyCode::Enter));
    // The newest event matched already, so Enter kept it.
    let mut seen = vec![selected_data(&s).unwrap()];
    for _ in 0..3 {
        update(&mut s, ch('n'));
        seen.push(selected_data(&s).unwrap());
    }
    assert_eq!(
        seen,
        ["a3", "a1", "a2", "a3"],
        "b and the markers are skipped"
    );
    update(&mut s, ch('N'));
    assert_eq!(selected_data(&s).as_deref(), Some("a2"));
}

#[test]
fn filter_shows_only_matches_and_esc_clears_the_search() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"event: warn\ndata: 1\n\ndata: 2\n\nevent: warn\ndata: 3\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "warn");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 2, "only the two warn events");
    update(
        &mut s,
        conn(chunk(b"data: 4\n\nevent: warn\ndata: 5\n\n", 33, 4)),
    );
    assert_eq!(
        s.active().list.len(),
        3,
        "new matches are listed, others not"
    );
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.active().search.is_active());
    assert_eq!(
        s.active().list.len(),
        5,
        "no query: everything is listed again"
    );
}

#[test]
fn pasting_into_the_search_types_the_text() {
    let mut s = state();
    update(&mut s, ch('/'));
    update(&mut s, Msg::Input(TermEvent::Paste("dis\nk".into())));
    assert_eq!(
        s.active().search.query(),
        "disk",
        "control characters are dropped"
    );
}

#[test]
fn what_is_drawn_on_top_gets_the_keys_when_the_editor_opens_beneath_it() {
    let mut s = state();
    s.env = crate::sse::Env::fixed(&[]);
    s.demo = Some(crate::state::DemoPicker::new(
        "http://127.0.0.1:1/".parse().unwrap(),
    ));
    update(&mut s, ch('d'));
    // A profile read meanwhile (its effect was under way) cannot be sent:
    // the editor opens on the field to blame, under the picker.
    let mut spec = RequestSpec::get("http://h/s".parse().unwrap());
    spec.headers
        .push(("X-Key".into(), "${env:SSETUI_NOT_SET}".into()));
    let tab = s.active_id();
    let opened = Msg::ProfileOpened {
        tab,
        name: "p".into(),
        spec: Box::new(spec),
        view: crate::config::ViewSettings::default(),
        schemas: Ok(None),
    };
    assert!(update(&mut s, opened).is_empty(), "not sent");
    assert!(s.active().editor_open);
    update(&mut s, ch('j'));
    assert_eq!(
        s.demo.as_ref().unwrap().selected,
        1,
        "the picker drawn on top moved"
    );
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, ch('j'));
    assert_eq!(s.demo.as_ref().unwrap().selected, 1, "closed");
    assert!(s.active().editor_open, "the editor has the keys again");
}

#[test]
fn demo_picker_switches_endpoint_and_connects() {
    let mut s = state();
    assert!(
        update(&mut s, ch('d')).is_empty(),
        "no picker without the in-process demo"
    );
    s.demo = Some(crate::state::DemoPicker::new(
        "http://127.0.0.1:9/".parse().unwrap(),
    ));
    update(&mut s, ch('d'));
    assert!(matches!(s.active().overlay, Some(Overlay::Demo)));
    update(&mut s, ch('j'));
    assert!(!s.quit);
    let effects = update(&mut s, key(KeyCode::Enter));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://127.0.0.1:9/clock");
    assert_eq!(s.active().title, "demo /clock");
    assert!(s.active().list.is_following(), "the new stream is followed");
    assert!(!matches!(s.active().overlay, Some(Overlay::Demo)));
    update(&mut s, ch('d'));
    update(&mut s, key(KeyCode::Esc));
    assert!(
        !matches!(s.active().overlay, Some(Overlay::Demo)),
        "Esc closes the picker"
    );
}

#[test]
fn freeze_keeps_the_list_still_and_counts_what_arrives() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('p'));
    let shown = s.active().list.len();
    update(&mut s, conn(chunk(b"data: 2\n\ndata: 3\n\n", 9, 2)));
    assert_eq!(
        s.active().list.len(),
        shown,
        "frozen: nothing new is listed"
    );
    assert_eq!(s.active().arrived_while_frozen(), Some(2));
    assert_eq!(s.active().log().events_received(), 3, "receiving goes on");
    update(&mut s, ch('p'));
    assert_eq!(s.active().arrived_while_frozen(), None);
    assert_eq!(s.active().list.len(), shown + 2);
    assert_eq!(selected_data(&s).as_deref(), Some("3"), "following again");
}

#[test]
fn a_frozen_list_listed_afresh_still_lists_nothing_that_arrived_after_the_freeze() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: 1\n\n", 0, 1)));
    update(&mut s, ch('p'));
    update(&mut s, conn(chunk(b"data: 2\n\n: ping\n\n", 9, 2)));
    // Showing blocks and typing a search list the log afresh.
    update(&mut s, ch('b'));
    assert_eq!(listed_data(&s), ["1"], "frozen: nothing new is listed");
    update(&mut s, ch('/'));
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(listed_data(&s), ["1"]);
    assert_eq!(s.active().arrived_while_frozen(), Some(2));
    update(&mut s, ch('p'));
    assert_eq!(
        listed_data(&s),
        ["1", "2"],
        "thawed: what arrived is listed"
    );
}

#[test]
fn before_the_first_frame_a_page_is_twenty_rows() {
    let mut s = state();
    let body: String = (1..=30).map(|i| format!("data: {i}\n\n")).collect();
    update(&mut s, conn(chunk(body.as_bytes(), 0, 1)));
    update(&mut s, ch('g'));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().list.selected(), Some(usize::from(DEFAULT_PAGE)));
}

#[test]
fn the_list_scrolls_a_line_at_a_time_and_pages_by_its_height() {
    let mut s = state();
    let rows = 8;
    let layout = frame(&s, rows as u16, 10);
    update(&mut s, Msg::Drawn(layout));
    let body: String = (1..=100).map(|i| format!("data: {i}\n\n")).collect();
    update(&mut s, conn(chunk(body.as_bytes(), 0, 1)));
    assert_eq!(
        s.active().list.window_start(rows),
        100 - rows,
        "following shows the newest"
    );
    update(&mut s, ch('g'));
    assert_eq!(
        (
            s.active().list.selected(),
            s.active().list.window_start(rows)
        ),
        (Some(0), 0)
    );
    for _ in 0..rows {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.active().list.selected(), Some(rows));
    assert_eq!(
        s.active().list.window_start(rows),
        1,
        "one line past the window scrolls one line"
    );
    update(&mut s, ch('k'));
    assert_eq!(
        s.active().list.window_start(rows),
        1,
        "moving up inside the window keeps it"
    );
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().list.selected(), Some(rows - 1 + rows));
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(s.active().list.selected(), Some(rows - 1));
}

#[test]
fn page_keys_scroll_the_detail_by_its_height_when_it_has_the_focus() {
    let mut s = state();
    let page = 9;
    let layout = frame(&s, 10, page);
    update(&mut s, Msg::Drawn(layout));
    update(&mut s, conn(chunk(b"data: a\n\ndata: b\n\n", 0, 1)));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::PageDown));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().detail_scroll, 2 * page);
    assert_eq!(selected_data(&s).as_deref(), Some("b"), "the list stays");
    update(&mut s, key(KeyCode::PageUp));
    assert_eq!(s.active().detail_scroll, page);
}

#[test]
fn a_search_by_type_and_regex_filters_the_list() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(
            b"event: log\ndata: disk 91%\n\nevent: log\ndata: cpu 10%\n\nevent: tick\ndata: disk 1\n\n",
            0,
            1,
        )),
    );
    update(&mut s, ch('/'));
    type_text(&mut s, "type:log disk");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 1, "the log event about the disk");
    let ctrl_t = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('t'),
        KeyModifiers::CONTROL,
    )));
    update(&mut s, ch('/'));
    type_text(&mut s, "type:log disk|(cpu");
    update(&mut s, ctrl_t);
    assert!(s.active().search.error().is_some(), "an unclosed group");
    type_text(&mut s, ")");
    assert!(s.active().search.error().is_none());
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ch('F'));
    assert_eq!(s.active().list.len(), 2, "both log events, not the tick");
}

#[test]
fn the_detail_scrolls_no_further_than_its_last_line_once_drawn() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: a\n\n", 0, 1)));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('j'));
    assert_eq!(
        s.active().detail_scroll,
        1,
        "before any frame nothing limits it"
    );
    let mut layout = frame(&s, 10, 10);
    layout.detail_max_scroll = Some(0);
    update(&mut s, Msg::Drawn(layout.clone()));
    assert_eq!(
        s.active().detail_scroll,
        0,
        "a frame cuts it to what is there"
    );
    update(&mut s, ch('j'));
    update(&mut s, key(KeyCode::PageDown));
    assert_eq!(s.active().detail_scroll, 0);
    layout.detail_max_scroll = Some(5);
    update(&mut s, Msg::Drawn(layout));
    for _ in 0..10 {
        update(&mut s, ch('j'));
    }
    assert_eq!(s.active().detail_scroll, 5);
    update(&mut s, ch('k'));
    assert_eq!(
        s.active().detail_scroll,
        4,
        "up moves at once, no dead presses"
    );
}
