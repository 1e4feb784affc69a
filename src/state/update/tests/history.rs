//! The history picker through `update`: `h` asks for the file, the picker
//! opens on what it holds (newest first), typing filters, Enter reopens the
//! entry in a new tab that connects; masked values open the editor instead.

use super::*;
use crate::history::{Entry, Sender};
use crate::sse::Auth;

fn entry(url: &str, profile: Option<&str>, secs: u64) -> Entry {
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.body = Some(b"{\"q\":1}".to_vec());
    spec.method = reqwest::Method::POST;
    Entry::new(
        &spec,
        profile.map(str::to_owned),
        Sender::Print,
        UNIX_EPOCH + Duration::from_secs(secs),
    )
}

fn picker(s: &AppState) -> &crate::state::history_picker::HistoryPicker {
    match &s.active().overlay {
        Some(Overlay::History(picker)) => picker,
        other => panic!("no history picker: {other:?}"),
    }
}

#[test]
fn h_reads_the_history_and_enter_reopens_an_entry_in_a_new_tab_that_connects() {
    let mut s = state();
    let effects = update(&mut s, ch('h'));
    assert!(matches!(&effects[..], [Effect::LoadHistory]), "{effects:?}");
    assert!(
        s.active().overlay.is_none(),
        "nothing to show before the file is read"
    );
    let entries = vec![
        entry("http://old.test/a", None, 10),
        entry("http://new.test/b", Some("staging"), 20),
        entry("http://mid.test/c", None, 15),
    ];
    update(&mut s, Msg::HistoryLoaded(Ok(entries)));
    let shown: Vec<&str> = picker(&s)
        .matches()
        .into_iter()
        .map(|i| picker(&s).entries[i].request.url.as_str())
        .collect();
    assert_eq!(
        shown,
        [
            "http://mid.test/c",
            "http://new.test/b",
            "http://old.test/a"
        ],
        "the file's newest line first"
    );
    // Typing filters: letters type here, they do not act.
    for c in "stag".chars() {
        update(&mut s, ch(c));
    }
    assert_eq!(picker(&s).matches().len(), 1);
    let tabs_before = s.tabs().len();
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(s.active().overlay.is_none());
    assert_eq!(s.tabs().len(), tabs_before + 1, "a new tab");
    assert_eq!(s.active().title, "staging");
    let [Effect::Connect { spec, tab, .. }] = &effects[..] else {
        panic!("expected a connect, got {effects:?}");
    };
    assert_eq!(*tab, s.active_id());
    assert_eq!(spec.url.as_str(), "http://new.test/b");
    assert_eq!(spec.method, reqwest::Method::POST);
    assert_eq!(spec.body.as_deref(), Some(&b"{\"q\":1}"[..]));
}

#[test]
fn a_request_whose_secret_the_history_masked_opens_the_editor_instead() {
    let mut s = state();
    let mut spec = RequestSpec::get("http://h.test/s".parse().unwrap());
    spec.auth = Auth::Bearer("sk-secret".into());
    let masked = Entry::new(&spec, None, Sender::Ui, SystemTime::now());
    update(&mut s, Msg::HistoryLoaded(Ok(vec![masked])));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(effects.is_empty(), "the mask is never sent: {effects:?}");
    assert!(s.active().editor_open, "the editor asks for the value");
}

#[test]
fn esc_closes_and_an_empty_or_unreadable_history_says_so() {
    let mut s = state();
    update(
        &mut s,
        Msg::HistoryLoaded(Ok(vec![entry("http://a.test/", None, 1)])),
    );
    update(&mut s, key(KeyCode::Esc));
    assert!(s.active().overlay.is_none());
    update(&mut s, Msg::HistoryLoaded(Ok(Vec::new())));
    assert!(s.active().overlay.is_none());
    assert!(s.notice.as_deref().unwrap_or("").contains("no request"));
    update(&mut s, Msg::HistoryLoaded(Err("the history is off".into())));
    assert_eq!(s.notice.as_deref(), Some("the history is off"));
}

#[test]
fn a_connection_carries_the_tabs_profile_for_the_history() {
    let mut s = state();
    s.active_mut().profile = Some(crate::state::OpenProfile {
        name: "staging".into(),
        saved: Box::new(s.active().request.clone()),
    });
    let stopped = update(&mut s, ch('c'));
    assert!(matches!(&stopped[..], [Effect::Disconnect { .. }]));
    let effects = update(&mut s, ch('c'));
    let [Effect::Connect { profile, .. }] = &effects[..] else {
        panic!("expected a connect, got {effects:?}");
    };
    assert_eq!(profile.as_deref(), Some("staging"));
}
