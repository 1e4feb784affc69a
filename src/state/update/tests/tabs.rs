//! Tabs: opening, switching, closing, and messages for a tab that is gone.

use super::*;

#[test]
fn a_new_tab_copies_the_request_and_background_tabs_keep_receiving() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert!(update(&mut s, ch('t')).is_empty(), "a new tab waits for c");
    assert_eq!((s.tabs().len(), s.active_index()), (2, 1));
    assert_eq!(s.active().request.url.as_str(), "http://h/s");
    assert_eq!(s.active().status, ConnStatus::Idle);
    // Tab 1's connection still lands in tab 1 while tab 2 is shown.
    update(&mut s, conn(chunk(b"data: bg\n\n", 0, 1)));
    assert!(s.active().log().is_empty());
    assert_eq!(s.tabs()[0].log().events_received(), 1);
    // Connecting tab 2 gives it its own id and tab key.
    let effects = update(&mut s, ch('c'));
    let [Effect::Connect { tab, id, .. }] = effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!((tab, id), (TabId::new(2), ConnId::new(2)));
    update(
        &mut s,
        Msg::Conn {
            id: ConnId::new(2),
            msg: chunk(b"data: fg\n\n", 0, 1),
        },
    );
    assert_eq!(selected_data(&s).as_deref(), Some("fg"));
    assert_eq!(s.tabs()[0].log().events_received(), 1);
}

#[test]
fn tabs_switch_by_number_and_cycle_and_closing_stops_the_connection() {
    let mut s = state();
    update(&mut s, ch('t'));
    update(&mut s, ch('t'));
    assert_eq!((s.tabs().len(), s.active_index()), (3, 2));
    update(&mut s, ch('1'));
    assert_eq!(s.active_index(), 0);
    update(&mut s, ch('9'));
    assert_eq!(s.active_index(), 0, "no tab 9");
    update(&mut s, ch('['));
    assert_eq!(s.active_index(), 2, "previous wraps around");
    update(&mut s, ch(']'));
    assert_eq!(s.active_index(), 0, "next wraps around");
    let key = s.active_id();
    assert_eq!(update(&mut s, ch('W')), vec![Effect::CloseTab { tab: key }]);
    assert_eq!((s.tabs().len(), s.active_index()), (2, 0));
    update(&mut s, ch('W'));
    assert!(update(&mut s, ch('W')).is_empty(), "the last tab stays");
    assert_eq!(s.tabs().len(), 1);
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("last tab")));
}

#[test]
fn messages_for_a_closed_tab_are_dropped() {
    let mut s = state();
    update(&mut s, ch('t'));
    update(&mut s, ch('1'));
    update(&mut s, ch('W'));
    update(&mut s, conn(chunk(b"data: late\n\n", 0, 1)));
    assert_eq!(s.tabs().len(), 1);
    assert!(
        s.active().log().is_empty(),
        "the remaining tab never connected"
    );
}
