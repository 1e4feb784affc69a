//! A UI that explains itself: help per pane, views reached directly, the
//! detail's g/G, Ctrl-C's rules, tab names and badges, what `y` copies,
//! and the notices that say what a key really did.

use std::time::{Duration, Instant};

use super::*;

fn alt(c: char) -> Msg {
    Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::ALT,
    )))
}

fn help_page(s: &AppState) -> Option<HelpPage> {
    match s.active().overlay {
        Some(Overlay::Help(page, _)) => Some(page),
        _ => None,
    }
}

#[test]
fn help_opens_on_the_page_of_the_pane_that_has_the_keys_and_tab_turns_it() {
    let mut s = state();
    update(&mut s, ch('?'));
    assert_eq!(help_page(&s), Some(HelpPage::List));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(help_page(&s), Some(HelpPage::Detail), "Tab turns the page");
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(help_page(&s), Some(HelpPage::List));
    update(&mut s, ch('x'));
    assert_eq!(help_page(&s), None);

    // The detail focused: its page.
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('?'));
    assert_eq!(help_page(&s), Some(HelpPage::Detail));
    update(&mut s, key(KeyCode::Esc));

    // In the search prompt, `?` types; F1 opens the search syntax, the
    // prompt's keys a page back.
    update(&mut s, ch('/'));
    update(&mut s, ch('?'));
    assert_eq!(s.active().search.query(), "?");
    update(&mut s, key(KeyCode::F(1)));
    assert_eq!(help_page(&s), Some(HelpPage::SearchSyntax));
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(help_page(&s), Some(HelpPage::Search));
    update(&mut s, key(KeyCode::Esc));
    assert!(
        matches!(s.active().overlay, Some(Overlay::Search)),
        "closing the help goes back to the query being typed"
    );
    update(&mut s, key(KeyCode::Esc));

    // The editor's page, from the editor.
    update(&mut s, ch('r'));
    update(&mut s, ch('?'));
    assert_eq!(help_page(&s), Some(HelpPage::Editor));
}

#[test]
fn f1_from_a_picker_and_closing_the_help_gives_the_picker_back_with_its_filter() {
    let mut s = state();
    update(&mut s, ch('o'));
    for c in "ab".chars() {
        update(&mut s, ch(c));
    }
    update(&mut s, key(KeyCode::F(1)));
    assert_eq!(help_page(&s), Some(HelpPage::Picker));
    update(&mut s, key(KeyCode::Esc));
    match &s.active().overlay {
        Some(Overlay::Profiles(picker)) => assert_eq!(picker.filter.text(), "ab"),
        other => panic!("the picker was lost: {other:?}"),
    }
}

#[test]
fn every_view_is_one_key_away_and_v_steps_both_ways() {
    let mut s = state();
    for (c, view) in [
        ('4', DetailMode::Answer),
        ('1', DetailMode::Content),
        ('6', DetailMode::Stats),
        ('2', DetailMode::Raw),
        ('5', DetailMode::Checks),
        ('3', DetailMode::Wire),
    ] {
        update(&mut s, alt(c));
        assert_eq!(s.active().detail, view, "Alt-{c}");
    }
    update(&mut s, ch('V'));
    assert_eq!(s.active().detail, DetailMode::Raw, "V goes back");
    update(&mut s, alt('1'));
    update(&mut s, ch('V'));
    assert_eq!(s.active().detail, DetailMode::Stats, "and wraps");
    update(&mut s, ch('v'));
    assert_eq!(s.active().detail, DetailMode::Content);
    // Plain 1-9 still pick tabs.
    update(&mut s, ch('1'));
    assert_eq!(s.active().detail, DetailMode::Content);
}

#[test]
fn g_and_shift_g_go_to_the_top_and_end_of_a_focused_detail() {
    let mut s = state();
    let mut layout = frame(&s, 10, 5);
    layout.detail_max_scroll = Some(40);
    update(&mut s, Msg::Drawn(layout));
    update(&mut s, conn(chunk(b"data: a\n\ndata: b\n\n", 0, 1)));
    update(&mut s, ch('k'));
    assert_eq!(selected_data(&s).as_deref(), Some("a"));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, ch('G'));
    assert_eq!(s.active().detail_scroll, 40, "G: the last line");
    assert_eq!(selected_data(&s).as_deref(), Some("a"), "the list stays");
    update(&mut s, key(KeyCode::Home));
    assert_eq!(s.active().detail_scroll, 0);
    update(&mut s, key(KeyCode::End));
    assert_eq!(s.active().detail_scroll, 40);
    update(&mut s, ch('g'));
    assert_eq!(s.active().detail_scroll, 0);
    assert!(
        !s.active().list.is_following(),
        "G in the detail is not follow"
    );
}

#[test]
fn ctrl_c_quits_at_once_when_nothing_would_be_lost() {
    let mut s = state();
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);
}

#[test]
fn ctrl_c_asks_first_with_an_unsent_draft_and_y_quits() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "x");
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.active().has_unsent_draft());
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    let Some(Overlay::ConfirmQuit { why }) = &s.active().overlay else {
        panic!("{:?}", s.active().overlay)
    };
    assert!(why.contains("draft"), "{why}");
    // Any other key stays.
    assert_eq!(update(&mut s, ch('n')), vec![]);
    assert!(s.active().overlay.is_none() && !s.quit);
    // Long after, Ctrl-C asks again; y quits.
    s.last_ctrl_c = Instant::now().checked_sub(Duration::from_secs(3));
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    assert_eq!(update(&mut s, ch('y')), vec![Effect::Quit]);
}

#[test]
fn a_second_ctrl_c_within_two_seconds_always_quits() {
    // With a recording running: asks, then the second quits.
    let mut s = state();
    s.active_mut().recording = Some("x.ssecap".into());
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    assert!(matches!(
        s.active().overlay,
        Some(Overlay::ConfirmQuit { .. })
    ));
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);

    // From a text field: the first cancels the edit, the second quits.
    let mut s = state();
    update(&mut s, ch('/'));
    type_text(&mut s, "abc");
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    assert!(s.active().overlay.is_none(), "the search was cancelled");
    assert_eq!(s.active().search.query(), "");
    assert!(s.notice.as_deref().unwrap().contains("Ctrl-C again quits"));
    assert_eq!(update(&mut s, ctrl('c')), vec![Effect::Quit]);

    // After two seconds it is a first Ctrl-C again.
    let mut s = state();
    update(&mut s, ch('/'));
    update(&mut s, ctrl('c'));
    s.last_ctrl_c = Instant::now().checked_sub(Duration::from_secs(3));
    update(&mut s, ch('/'));
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    assert!(!s.quit);
}

#[test]
fn ctrl_c_in_an_editor_field_puts_back_what_it_held() {
    let mut s = state();
    update(&mut s, ch('r'));
    let url = |s: &AppState| s.active().draft.as_ref().unwrap().url.text().to_owned();
    let before = url(&s);
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "/more");
    assert_eq!(url(&s), format!("{before}/more"));
    assert_eq!(update(&mut s, ctrl('c')), vec![]);
    assert_eq!(url(&s), before, "the edit is cancelled");
    assert!(!s.active().draft.as_ref().unwrap().is_editing());
    assert!(s.active().editor_open, "the editor stays open");
    assert!(!s.active().has_unsent_draft());
}

#[test]
fn shift_t_renames_the_tab_and_an_empty_name_restores_the_default() {
    let mut s = state();
    assert_eq!(s.active().label(), "test");
    update(&mut s, ch('T'));
    assert!(matches!(s.active().overlay, Some(Overlay::RenameTab(_))));
    for _ in 0..4 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "prod feed");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.active().label(), "prod feed");
    assert!(s.active().overlay.is_none());
    // Esc cancels.
    update(&mut s, ch('T'));
    type_text(&mut s, "zzz");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.active().label(), "prod feed");
    // Empty: back to the default.
    update(&mut s, ch('T'));
    for _ in 0.."prod feed".len() {
        update(&mut s, key(KeyCode::Backspace));
    }
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.active().label(), "test");
}

#[test]
fn a_background_tab_counts_new_events_and_flags_errors_until_shown() {
    let mut s = state();
    let first = s.active_id();
    update(&mut s, ch('t'));
    update(&mut s, key(KeyCode::Esc));
    assert_ne!(s.active_id(), first);
    update(&mut s, conn(chunk(b"data: a\n\ndata: b\n\n", 0, 1)));
    update(
        &mut s,
        conn(ConnMsg::Error {
            attempt: 1,
            error: ConnError::new(ErrorKind::Network, "reset"),
        }),
    );
    let tab = s.tab(first).unwrap();
    assert_eq!(tab.unseen_events(), 2);
    assert!(tab.unseen_error);
    update(&mut s, ch('1'));
    let tab = s.tab(first).unwrap();
    assert_eq!(tab.unseen_events(), 0, "shown: seen");
    assert!(!tab.unseen_error);
}

fn copied(effects: &[Effect]) -> (String, String) {
    match effects {
        [Effect::Copy { bytes, what, .. }] => {
            (String::from_utf8_lossy(bytes).into_owned(), what.clone())
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn y_copies_what_the_view_shows_the_raw_bytes_the_answer_or_the_jq_values() {
    let mut s = state();
    let chat = concat!(
        "id: 7\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]}\n\n",
    );
    update(&mut s, conn(opened()));
    update(&mut s, conn(chunk(chat.as_bytes(), 0, 1)));
    update(&mut s, ch('k'));
    let (text, what) = copied(&update(&mut s, ch('y')));
    assert_eq!(text, r#"{"choices":[{"delta":{"content":"Hel"}}]}"#);
    assert_eq!(what, "event 1's data");

    update(&mut s, alt('2'));
    let (text, what) = copied(&update(&mut s, ch('y')));
    assert_eq!(
        text,
        "id: 7\ndata: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
    );
    assert_eq!(what, "event 1's raw bytes");

    update(&mut s, alt('4'));
    let (text, what) = copied(&update(&mut s, ch('y')));
    assert_eq!((text.as_str(), what.as_str()), ("Hello", "the answer"));

    update(&mut s, alt('1'));
    update(&mut s, ch('/'));
    type_text(&mut s, "jq:.choices[0].delta.content");
    update(&mut s, key(KeyCode::Enter));
    let (text, what) = copied(&update(&mut s, ch('y')));
    assert_eq!(text, "Hel\nlo\n");
    assert_eq!(what, "jq values of 2 rows");
}

#[test]
fn resuming_from_an_event_without_an_id_says_it_starts_over() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(&mut s, conn(chunk(b"data: no id\n\n", 0, 1)));
    let effects = update(&mut s, ch('e'));
    assert!(!effects.is_empty(), "it still reconnects");
    let notice = s.notice.clone().unwrap_or_default();
    assert!(
        notice.contains("no id") && notice.contains("from the start"),
        "{notice}"
    );
}
