use std::time::SystemTime;

use super::*;

fn event(ty: &str, data: &str, id: &str) -> Row {
    Row {
        received_at: SystemTime::UNIX_EPOCH,
        attempt: 1,
        kind: RowKind::Event {
            seq: 1,
            event: Event {
                event: ty.into(),
                data: data.into(),
                id: id.into(),
                sets_id: !id.is_empty(),
                retry_ms: None,
                raw: 0..0,
            },
        },
        attempt_info: None,
    }
}

fn search(q: &str) -> Search {
    let mut s = Search::default();
    s.set_query(q);
    s
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(keys: &str) -> Search {
    let mut s = Search::default();
    for c in keys.chars() {
        s.edit(key(KeyCode::Char(c)));
    }
    s
}

#[test]
fn matches_type_id_and_data_ignoring_case() {
    assert!(search("warn").matches(&event("WARN", "x", "")));
    assert!(search("42").matches(&event("", "x", "42")));
    assert!(search("disk full").matches(&event("", "ERROR: Disk Full", "")));
    assert!(search("ünï").matches(&event("", "ÜNÏcode", "")));
    assert!(!search("nope").matches(&event("a", "b", "c")));
    assert!(
        !search("mess").matches(&event("", "x", "")),
        "the implied type `message` is not searched as text"
    );
    assert!(
        !search("").matches(&event("a", "b", "c")),
        "no query matches nothing"
    );
    assert!(!search("   ").is_active(), "spaces alone are no query");
}

#[test]
fn an_upper_case_letter_makes_the_text_case_sensitive() {
    assert!(search("Disk").matches(&event("", "Disk full", "")));
    assert!(!search("Disk").matches(&event("", "disk full", "")));
    assert!(search("Disk").case_sensitive());
    assert!(!search("disk").case_sensitive());
    // In a regex, escapes and class names are not upper-case letters.
    assert!(!search(r"/\Sfoo\pL\p{Greek}/").case_sensitive());
    assert!(!search(r"/(?P<Name>x)/").case_sensitive());
    assert!(search(r"/\sFoo/").case_sensitive());
    assert!(
        search(r"/(?i)Foo/").matches(&event("", "foo", "")),
        "an explicit flag wins"
    );
}

#[test]
fn type_words_filter_by_exact_type() {
    let s = search("type:warn");
    assert_eq!(s.types(), ["warn"]);
    assert!(s.matches(&event("warn", "anything", "")));
    assert!(
        !s.matches(&event("Warn", "anything", "")),
        "types are case-sensitive"
    );
    assert!(!s.matches(&event("warning", "x", "")), "and exact");
    assert!(s.match_ranges("warn").is_empty(), "types highlight nothing");

    let s = search("event:warn type:error");
    assert!(s.matches(&event("warn", "", "")) && s.matches(&event("error", "", "")));
    assert!(!s.matches(&event("info", "", "")));

    let s = search("type:message");
    assert!(s.matches(&event("", "no event field", "")));
    assert!(s.matches(&event("message", "explicit", "")));

    let s = search("type:!tick");
    assert_eq!(s.excluded_types(), ["tick"]);
    assert!(s.matches(&event("price", "", "")));
    assert!(!s.matches(&event("tick", "", "")));
}

#[test]
fn type_words_combine_with_text_wherever_they_are() {
    let s = search("disk type:warn  full");
    assert_eq!(s.types(), ["warn"]);
    assert!(
        s.matches(&event("warn", "Disk full", "")),
        "text is `disk full`"
    );
    assert!(!s.matches(&event("error", "disk full", "")));
    assert!(!s.matches(&event("warn", "disk space", "")));
    let s = search("type: type:! x");
    assert!(s.types().is_empty() && s.excluded_types().is_empty());
    assert!(
        s.matches(&event("a", "x", "")),
        "empty type words are ignored"
    );
    assert!(!search("type:").matches(&event("a", "x", "")));
}

#[test]
fn regex_by_ctrl_t_or_slashes() {
    let mut s = typed("d.sk");
    assert_eq!(s.mode(), MatchMode::Text);
    assert!(
        !s.matches(&event("", "disk", "")),
        "a dot is literal in text"
    );
    assert_eq!(s.edit(ctrl('t')), SearchEdit::Changed);
    assert_eq!(s.mode(), MatchMode::Regex);
    assert!(s.matches(&event("", "disk", "")));
    s.edit(ctrl('t'));
    assert_eq!(s.mode(), MatchMode::Text);

    let s = search("type:log /^err(or)?: \\d+$/");
    assert_eq!(s.mode(), MatchMode::Regex);
    assert!(
        s.matches(&event("log", "ok\nerror: 42\nok", "")),
        "^ and $ are per line"
    );
    assert!(!s.matches(&event("log", "error: x", "")));
    assert!(!s.matches(&event("other", "err: 1", "")));
}

#[test]
fn an_invalid_regex_is_an_error_that_matches_nothing() {
    let mut s = typed("(foo");
    assert!(s.error().is_none(), "literal text never fails");
    s.edit(ctrl('t'));
    let error = s.error().expect("unclosed group");
    assert!(error.starts_with("invalid regex: "), "{error}");
    assert!(!error.contains('\n'), "{error}");
    assert!(!s.matches(&event("", "(foo", "")));
    assert!(s.match_ranges("(foo").is_empty());
    s.edit(key(KeyCode::Char(')')));
    assert!(s.error().is_none());
    assert!(s.matches(&event("", "foo", "")));
    // A pattern that compiles too large is refused, not built.
    let s = search(r"/\w{1000}{1000}/");
    assert!(
        s.error()
            .is_some_and(|e| e.contains("large") || e.contains("invalid")),
        "{:?}",
        s.error()
    );
}

#[test]
fn match_ranges_are_byte_ranges_of_each_match() {
    assert_eq!(search("ab").match_ranges("xabyAB"), [1..3, 4..6]);
    assert_eq!(search("日本").match_ranges("a日本b日本"), [1..7, 8..14]);
    assert_eq!(
        search("/a*/").match_ranges("baab"),
        vec![1..3],
        "empty matches are left out"
    );
    assert!(search("").match_ranges("anything").is_empty());
    let many = "a".repeat(5000);
    assert_eq!(search("a").match_ranges(&many).len(), MAX_MATCH_RANGES);
}

#[test]
fn keys_edit_at_the_cursor() {
    let mut s = typed("helo");
    assert_eq!(s.edit(key(KeyCode::Left)), SearchEdit::Unchanged);
    assert_eq!(s.edit(key(KeyCode::Char('l'))), SearchEdit::Changed);
    assert_eq!(s.query, "hello");
    assert_eq!(s.cursor(), 4);
    s.edit(key(KeyCode::Home));
    assert_eq!(
        s.edit(key(KeyCode::Backspace)),
        SearchEdit::Unchanged,
        "nothing before"
    );
    assert_eq!(s.edit(key(KeyCode::Delete)), SearchEdit::Changed);
    assert_eq!(s.query, "ello");
    s.edit(key(KeyCode::End));
    s.paste(" big wörld");
    assert_eq!(s.edit(ctrl('w')), SearchEdit::Changed);
    assert_eq!(s.query, "ello big ");
    s.edit(key(KeyCode::Left));
    s.edit(key(KeyCode::Left));
    assert_eq!(s.edit(ctrl('u')), SearchEdit::Changed);
    assert_eq!(s.query, "g ");
    assert_eq!(s.cursor(), 0);
    s.edit(key(KeyCode::Right));
    s.edit(key(KeyCode::Char('é')));
    assert_eq!(s.query, "gé ");
    assert_eq!(s.edit(key(KeyCode::Right)), SearchEdit::Unchanged);
    s.edit(key(KeyCode::Right));
    s.edit(key(KeyCode::Right));
    assert_eq!(s.cursor(), s.query.len(), "the cursor stops at the end");
    assert_eq!(s.edit(key(KeyCode::F(2))), SearchEdit::Unchanged);
    assert_eq!(
        s.edit(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::ALT)),
        SearchEdit::Unchanged
    );
    assert_eq!(
        s.edit(KeyEvent::new(
            KeyCode::Char('@'),
            KeyModifiers::CONTROL | KeyModifiers::ALT
        )),
        SearchEdit::Changed,
        "AltGr types"
    );
}

#[test]
fn enter_keeps_the_query_and_esc_clears_it() {
    let mut s = typed("abc");
    assert_eq!(s.edit(key(KeyCode::Enter)), SearchEdit::Done);
    assert!(s.is_active());
    s.filter = true;
    s.edit(ctrl('t'));
    assert_eq!(s.edit(key(KeyCode::Esc)), SearchEdit::Cancelled);
    assert!(!s.filter && !s.is_active());
    assert_eq!(s.cursor(), 0);
    s.push('a');
    assert_eq!(
        s.mode(),
        MatchMode::Regex,
        "the mode is a preference that stays"
    );
}

#[test]
fn a_query_changed_behind_its_back_never_panics() {
    let mut s = search("héllo");
    s.query = "h".into();
    assert_eq!(s.cursor(), 1);
    s.query = "é".into();
    s.cursor = 1;
    assert_eq!(s.cursor(), 0, "back to a character boundary");
    for code in [
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Left,
        KeyCode::Right,
    ] {
        s.query = "日本".into();
        s.cursor = 100;
        s.edit(key(code));
    }
    s.cursor = 100;
    s.edit(ctrl('u'));
    s.cursor = 100;
    s.edit(ctrl('w'));
    s.cursor = 100;
    s.paste("x");
    assert!(s.query.is_char_boundary(s.cursor()));
}

#[test]
fn paste_drops_controls_and_is_capped() {
    let mut s = Search::default();
    assert!(s.paste("dis\nk\u{1b}"));
    assert_eq!(s.query, "disk");
    assert!(!s.paste("\n\t"), "nothing to insert");
    assert!(s.paste(&"é".repeat(MAX_QUERY_BYTES)));
    assert!(s.query.len() <= MAX_QUERY_BYTES);
    assert!(s.query.is_char_boundary(s.query.len()));
    assert!(!s.paste("x"), "full");
}

#[test]
fn markers_never_match_and_filter_hides_them() {
    let marker = Row {
        received_at: SystemTime::UNIX_EPOCH,
        attempt: 1,
        kind: RowKind::Marker("connected".into()),
        attempt_info: None,
    };
    let mut s = search("connected");
    assert!(!s.matches(&marker));
    assert!(s.shows(&marker), "without the filter everything shows");
    s.filter = true;
    assert!(!s.shows(&marker));
    s.clear();
    s.filter = true;
    assert!(s.shows(&marker), "a filter without a query hides nothing");
}

#[test]
fn push_and_pop_still_edit_the_query() {
    let mut s = search("abc");
    s.pop();
    assert_eq!(s.query, "ab");
    assert!(s.matches(&event("", "xABx", "")));
    s.push('z');
    assert!(!s.matches(&event("", "xABx", "")));
}
