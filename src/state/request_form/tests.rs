use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use reqwest::{Method, Url};

use super::*;
use crate::sse::{ApiKeyLocation, Auth, ReconnectPolicy, RequestSpec};

mod keys;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn press(form: &mut RequestForm, keys: &[KeyEvent]) {
    for k in keys {
        form.handle_key(*k);
    }
}

fn typed(form: &mut RequestForm, s: &str) {
    for c in s.chars() {
        assert_eq!(form.handle_key(ch(c)), FormOutcome::Handled);
    }
}

fn spec(url: &str) -> RequestSpec {
    RequestSpec::get(Url::parse(url).unwrap())
}

fn full_spec() -> RequestSpec {
    let mut s = RequestSpec::new(
        Method::POST,
        Url::parse("https://api.example.com/v1/chat?model=x&q=a%20b&flag#frag").unwrap(),
    );
    s.headers = vec![
        ("Content-Type".into(), "application/json".into()),
        ("X-Trace".into(), "1".into()),
        ("X-Trace".into(), "2".into()),
    ];
    s.body = Some(br#"{"messages":[{"role":"user","content":"hi"}]}"#.to_vec());
    s.auth = Auth::Bearer("tok".into());
    s.last_event_id = "41".into();
    s.reconnect = ReconnectPolicy::OnError;
    s.retry.max_retries = Some(7);
    s.idle_timeout = Some(std::time::Duration::from_secs(9));
    s
}

fn round_trip(spec: &RequestSpec) -> RequestSpec {
    RequestForm::from_spec(spec)
        .build(spec)
        .expect("a valid spec builds")
}

#[test]
fn a_spec_round_trips_through_the_form_unchanged() {
    let full = full_spec();
    assert_eq!(round_trip(&full), full);
    let plain = spec("http://localhost:8900/clock");
    assert_eq!(round_trip(&plain), plain);
}

#[test]
fn every_auth_kind_round_trips() {
    for auth in [
        Auth::None,
        Auth::Bearer("t0ken".into()),
        Auth::Basic {
            user: "ann".into(),
            password: "p:w d".into(),
        },
        Auth::ApiKey {
            name: "X-Key".into(),
            value: "k".into(),
            location: ApiKeyLocation::Header,
        },
        Auth::ApiKey {
            name: "key".into(),
            value: "k".into(),
            location: ApiKeyLocation::Query,
        },
    ] {
        let mut s = spec("https://example.com/s");
        s.auth = auth;
        assert_eq!(round_trip(&s), s);
    }
}

#[test]
fn a_non_utf8_body_is_sent_as_loaded_until_edited() {
    let mut s = spec("https://example.com/s");
    s.body = Some(vec![0xff, b'a']);
    let mut form = RequestForm::from_spec(&s);
    assert_eq!(form.build(&s).unwrap().body, s.body);
    form.set_body("b".into());
    assert_eq!(form.build(&s).unwrap().body, Some(b"b".to_vec()));
    form.set_body(String::new());
    assert_eq!(form.build(&s).unwrap().body, None);
}

#[test]
fn the_query_string_is_split_into_rows_and_joined_back() {
    let s = spec("https://example.com/s?a=1&b=x%20y");
    let form = RequestForm::from_spec(&s);
    assert_eq!(form.url.text(), "https://example.com/s");
    let rows: Vec<_> = form
        .query
        .iter()
        .map(|r| (r.name.text(), r.value.text()))
        .collect();
    assert_eq!(rows, [("a", "1"), ("b", "x%20y")]);
}

#[test]
fn separators_typed_in_a_query_value_are_escaped() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.query.push(Row::new("q", "a&b c#d"));
    let built = form.build(&s).unwrap();
    assert_eq!(built.url.query(), Some("q=a%26b%20c%23d"));
}

#[test]
fn a_query_typed_into_the_url_moves_to_the_rows() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    press(&mut form, &[key(KeyCode::Enter)]);
    typed(&mut form, "?x=1");
    press(&mut form, &[key(KeyCode::Esc)]);
    assert_eq!(form.url.text(), "https://example.com/s");
    assert_eq!(form.query.len(), 1);
    assert_eq!(
        form.build(&s).unwrap().url.as_str(),
        "https://example.com/s?x=1"
    );
}

#[test]
fn disabled_and_blank_rows_are_not_sent() {
    let mut s = spec("https://example.com/s?a=1");
    s.headers = vec![("X-A".into(), "1".into()), ("X-B".into(), "2".into())];
    let mut form = RequestForm::from_spec(&s);
    form.headers[0].enabled = false;
    form.query[0].enabled = false;
    form.headers.push(Row::new("", ""));
    let built = form.build(&s).unwrap();
    assert_eq!(built.headers, [("X-B".to_owned(), "2".to_owned())]);
    assert_eq!(built.url.query(), None);
}

#[test]
fn an_invalid_url_is_reported_on_the_field_and_not_built() {
    let s = spec("https://example.com/s");
    for (url, expected) in [
        ("", "enter a URL"),
        ("htp:/example.com/x", "unsupported URL scheme \"htp\""),
        ("ftp://example.com/", "unsupported URL scheme \"ftp\""),
        ("http://exa mple.com/", "invalid URL: "),
        ("exa mple.com/", "invalid URL: "),
    ] {
        let mut form = RequestForm::from_spec(&s);
        form.focus = Slot::Body;
        form.url.set_text(url);
        assert_eq!(form.build(&s), None, "{url}");
        let err = form.error(Slot::Url).unwrap_or_default();
        assert!(err.contains(expected), "{url}: {err}");
        assert_eq!(
            form.focus(),
            Slot::Url,
            "the first bad field gets the focus"
        );
    }
}

#[test]
fn invalid_headers_are_reported_on_the_name_or_the_value() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.headers = vec![
        Row::new("Bad Name", "v"),
        Row::new("X-Ok", "a\u{1}b"),
        Row::new("", "v"),
    ];
    assert_eq!(form.build(&s), None);
    assert!(
        form.error(Slot::Row(List::Headers, 0, Part::Name))
            .unwrap()
            .contains("header name")
    );
    assert!(
        form.error(Slot::Row(List::Headers, 1, Part::Value))
            .unwrap()
            .contains("control characters")
    );
    assert!(
        form.error(Slot::Row(List::Headers, 2, Part::Name))
            .unwrap()
            .contains("enter a header name")
    );
    assert_eq!(form.error_count(), 3);
    assert_eq!(form.focus(), Slot::Row(List::Headers, 0, Part::Name));
}

#[test]
fn an_invalid_json_body_is_reported_with_its_position_and_the_cursor_goes_there() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.set_body("{\n  \"a\": 1,\n  oops\n}".into());
    assert!(
        form.error(Slot::Body).is_some(),
        "checked as soon as it is set"
    );
    form.focus = Slot::Url;
    assert_eq!(form.build(&s), None);
    let err = form.error(Slot::Body).unwrap();
    assert!(err.contains("line 3 column 3"), "{err}");
    assert_eq!(form.focus(), Slot::Body);
    assert_eq!(form.body.cursor_line_col(), (2, 2));
}

#[test]
fn a_json_content_type_makes_any_body_checked_as_json() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.body.set_text("hello");
    assert!(
        form.build(&s).is_some(),
        "plain text is fine without a JSON content type"
    );
    form.headers
        .push(Row::new("content-type", "application/json; charset=utf-8"));
    assert_eq!(form.build(&s), None);
    assert!(form.error(Slot::Body).is_some());
}

#[test]
fn method_is_upper_cased_validated_and_cycled_with_space() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    press(&mut form, &[ch('g'), ch(' ')]);
    assert_eq!(form.method.text(), "POST");
    press(&mut form, &[ch('l'), ch('l')]);
    assert_eq!(form.method.text(), "PATCH");
    press(&mut form, &[key(KeyCode::Enter), ctrl('u')]);
    typed(&mut form, "report");
    press(&mut form, &[key(KeyCode::Enter)]);
    assert_eq!(form.method.text(), "REPORT");
    assert_eq!(form.build(&s).unwrap().method.as_str(), "REPORT");
    form.method.set_text("GE T");
    assert_eq!(form.build(&s), None);
    assert!(
        form.error(Slot::Method)
            .unwrap()
            .contains("not an HTTP method")
    );
}

#[test]
fn auth_kind_cycles_and_shows_the_fields_of_that_kind() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.focus = Slot::AuthKind;
    press(&mut form, &[ch(' ')]);
    assert_eq!(form.auth.kind, AuthKind::Bearer);
    assert!(form.lines().concat().contains(&Slot::AuthToken));
    assert_eq!(form.build(&s), None, "an empty token is an error");
    assert!(
        form.error(Slot::AuthToken)
            .unwrap()
            .contains("enter the token")
    );
    assert_eq!(form.focus(), Slot::AuthToken, "the bad field has the focus");
    form.auth.token.set_text("abc");
    press(&mut form, &[ch('k'), ch(' '), ch(' ')]);
    assert_eq!(form.auth.kind, AuthKind::ApiKey);
    assert!(!form.lines().concat().contains(&Slot::AuthToken));
    press(&mut form, &[ch('h'), ch('h')]);
    assert_eq!(
        form.build(&s).unwrap().auth,
        Auth::Bearer("abc".into()),
        "the token was kept"
    );
}

#[test]
fn api_key_name_must_be_a_header_name_only_when_sent_as_a_header() {
    let mut s = spec("https://example.com/s");
    s.auth = Auth::ApiKey {
        name: "api key".into(),
        value: "v".into(),
        location: ApiKeyLocation::Query,
    };
    let mut form = RequestForm::from_spec(&s);
    assert!(form.build(&s).is_some());
    form.focus = Slot::AuthKeyLocation;
    press(&mut form, &[ch(' ')]);
    assert!(
        form.error(Slot::AuthKeyName).is_some(),
        "re-checked when the location changes"
    );
    assert_eq!(form.build(&s), None);
}

#[test]
fn secrets_are_masked_until_revealed() {
    let mut s = spec("https://example.com/s?page=2&access_token=t0k");
    s.auth = Auth::Basic {
        user: "ann".into(),
        password: "pw".into(),
    };
    s.headers = vec![
        ("Authorization".into(), "x".into()),
        ("Accept".into(), "y".into()),
    ];
    let mut form = RequestForm::from_spec(&s);
    assert!(form.is_masked(Slot::AuthPassword));
    assert!(!form.is_masked(Slot::AuthUser));
    assert!(form.is_masked(Slot::Row(List::Headers, 0, Part::Value)));
    assert!(!form.is_masked(Slot::Row(List::Headers, 1, Part::Value)));
    assert!(!form.is_masked(Slot::Row(List::Query, 0, Part::Value)));
    assert!(form.is_masked(Slot::Row(List::Query, 1, Part::Value)));
    press(&mut form, &[ch('r')]);
    assert!(form.secrets_revealed());
    assert!(!form.is_masked(Slot::AuthPassword));
}

#[test]
fn format_pretty_prints_the_body_and_undo_takes_it_back() {
    let mut s = spec("https://example.com/s");
    s.body = Some(br#"{"b":1,"a":[true]}"#.to_vec());
    let mut form = RequestForm::from_spec(&s);
    press(&mut form, &[ch('F')]);
    assert_eq!(
        form.body.text(),
        "{\n  \"b\": 1,\n  \"a\": [\n    true\n  ]\n}"
    );
    assert_eq!(form.focus(), Slot::Body);
    press(
        &mut form,
        &[key(KeyCode::Enter), ctrl('z'), key(KeyCode::Esc)],
    );
    assert_eq!(form.body.text(), r#"{"b":1,"a":[true]}"#);
    form.set_body("{oops".into());
    press(&mut form, &[ch('F')]);
    assert_eq!(form.body.text(), "{oops");
    assert!(form.error(Slot::Body).is_some());
}

#[test]
fn e_asks_for_the_body_in_the_external_editor() {
    let mut s = spec("https://example.com/s");
    s.body = Some(b"hello".to_vec());
    let mut form = RequestForm::from_spec(&s);
    assert_eq!(
        form.handle_key(ch('E')),
        FormOutcome::EditBody("hello".into())
    );
    form.set_body("changed".into());
    assert_eq!(form.body.text(), "changed");
    assert_eq!(form.focus(), Slot::Body);
}

#[test]
fn fixing_a_field_clears_its_error() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.url.set_text("ftp://nope");
    assert_eq!(form.build(&s), None);
    press(&mut form, &[key(KeyCode::Enter), ctrl('u')]);
    assert!(form.error(Slot::Url).is_none(), "editing clears the error");
    typed(&mut form, "ftp://nope");
    press(&mut form, &[key(KeyCode::Enter)]);
    assert!(
        form.error(Slot::Url).is_some(),
        "leaving the field checks it again"
    );
}

#[test]
fn paste_goes_into_the_focused_field() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.paste("/more\n");
    assert!(form.is_editing());
    assert_eq!(form.url.text(), "https://example.com/s/more");
    press(&mut form, &[key(KeyCode::Esc), ch('G')]);
    form.paste("{\r\n}");
    assert_eq!(form.body.text(), "{\n}");
}

#[test]
fn deleting_a_row_keeps_the_errors_of_the_others_on_their_rows() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    form.headers = vec![Row::new("X-A", "1"), Row::new("Bad Name", "2")];
    assert_eq!(form.build(&s), None);
    form.focus = Slot::Row(List::Headers, 0, Part::Name);
    press(&mut form, &[ch('d')]);
    assert!(
        form.error(Slot::Row(List::Headers, 0, Part::Name))
            .is_some()
    );
    assert_eq!(form.error_count(), 1);
}

#[test]
fn navigation_moves_line_by_line_and_keeps_the_row_column() {
    let mut s = spec("https://example.com/s?a=1&b=2");
    s.headers = vec![("X".into(), "1".into())];
    let mut form = RequestForm::from_spec(&s);
    press(&mut form, &[ch('j'), ch('l'), ch('j')]);
    assert_eq!(form.focus(), Slot::Row(List::Query, 1, Part::Value));
    press(&mut form, &[ch('j')]);
    assert_eq!(form.focus(), Slot::Row(List::Headers, 0, Part::Value));
    press(&mut form, &[ch('k'), ch('k'), ch('k'), ch('k'), ch('k')]);
    assert_eq!(form.focus(), Slot::Method);
    press(&mut form, &[key(KeyCode::BackTab)]);
    assert_eq!(form.focus(), Slot::Body, "Tab order wraps around");
}

#[test]
fn hints_follow_the_mode() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    assert!(form.hints().iter().any(|(k, _)| *k == "Enter"));
    press(&mut form, &[key(KeyCode::Enter)]);
    assert!(form.hints().iter().any(|(k, _)| *k == "Ctrl-R"));
}

#[test]
fn random_keys_never_panic_and_focus_stays_valid() {
    let mut s = full_spec();
    s.auth = Auth::ApiKey {
        name: "k".into(),
        value: "v".into(),
        location: ApiKeyLocation::Query,
    };
    let mut form = RequestForm::from_spec(&s);
    let keys = [
        ch('j'),
        ch('k'),
        ch('a'),
        ch('d'),
        ch(' '),
        ch('h'),
        ch('l'),
        ch('x'),
        ch('F'),
        key(KeyCode::Enter),
        key(KeyCode::Esc),
        key(KeyCode::Tab),
        key(KeyCode::BackTab),
        key(KeyCode::Backspace),
        ch('G'),
        ch('g'),
        ch('?'),
        ch('&'),
        ctrl('z'),
        ctrl('w'),
    ];
    let mut seed = 11u32;
    for _ in 0..3000 {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        form.handle_key(keys[(seed >> 16) as usize % keys.len()]);
        let slots = form.lines().concat();
        assert!(
            slots.contains(&form.focus()),
            "{:?} not in {slots:?}",
            form.focus()
        );
        let _ = form.build(&s);
    }
}

#[test]
fn headers_the_request_marks_secret_are_masked_too() {
    let mut s = spec("https://example.com/s");
    s.headers = vec![("X-Tenant".into(), "abc".into())];
    let form = RequestForm::from_spec(&s);
    assert!(!form.is_masked(Slot::Row(List::Headers, 0, Part::Value)));
    s.secret_headers = vec!["x-tenant".into()];
    let mut form = RequestForm::from_spec(&s);
    assert!(form.is_masked(Slot::Row(List::Headers, 0, Part::Value)));
    assert_eq!(form.build(&s).unwrap().secret_headers, ["x-tenant"], "kept");
}

#[test]
fn the_body_format_is_a_choice_that_goes_into_the_request() {
    let base = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&base);
    form.focus = Slot::ParseAs;
    press(&mut form, &[ch(' ')]);
    assert_eq!(form.parse_as, crate::sse::BodyFormat::ForceSse);
    press(&mut form, &[ch(' ')]);
    let built = form.build(&base).expect("a valid request");
    assert_eq!(built.body_format, crate::sse::BodyFormat::Ndjson);
    // And back from a spec.
    assert_eq!(
        RequestForm::from_spec(&built).parse_as,
        crate::sse::BodyFormat::Ndjson
    );
}

#[test]
fn an_untouched_form_describes_its_request_exactly_without_building() {
    // What the tab's "modified" relies on: opening the editor changes nothing.
    let mut basic = spec("http://u:p@h/s?api_key=k&a");
    basic.auth = Auth::Basic {
        user: "me".into(),
        password: "pw".into(),
    };
    for spec in [full_spec(), basic, spec("http://h/")] {
        let form = RequestForm::from_spec(&spec);
        assert_eq!(form.to_spec(&spec).as_ref(), Some(&spec), "{}", spec.url);
    }
    // A query still typed in the URL counts as if moved to the rows.
    let mut form = RequestForm::from_spec(&spec("http://h/s?a=1"));
    form.url.set_text("http://h/s?b=2");
    assert_eq!(
        form.to_spec(&spec("http://h/")).unwrap().url.as_str(),
        "http://h/s?a=1&b=2"
    );
    assert_eq!(
        form.build(&spec("http://h/")).unwrap().url.as_str(),
        "http://h/s?a=1&b=2"
    );
}

#[test]
fn a_redacted_value_keeps_its_flag_through_row_changes_until_typed_over() {
    let mut captured = spec("http://me:***@h/s?x=1&token=***");
    captured.headers = vec![
        ("Accept".into(), "text/event-stream".into()),
        ("Authorization".into(), "Bearer ***".into()),
    ];
    captured.redacted = vec![Field::Url, Field::Query(1), Field::Header(1)];
    let mut form = RequestForm::from_spec(&captured);
    assert!(form.is_redacted(Slot::Url));
    assert!(form.is_redacted(Slot::Row(List::Headers, 1, Part::Value)));
    assert!(!form.is_redacted(Slot::Row(List::Headers, 0, Part::Value)));
    assert_eq!(form.to_spec(&captured).unwrap().redacted, captured.redacted);
    // The first header deleted: the flag stays with its row, now the first.
    form.headers.remove(0);
    assert_eq!(
        form.to_spec(&captured).unwrap().redacted,
        [Field::Url, Field::Query(1), Field::Header(0)]
    );
    // The first query row turned off: the token is the first pair sent.
    form.query[0].enabled = false;
    assert_eq!(
        form.to_spec(&captured).unwrap().redacted,
        [Field::Url, Field::Query(0), Field::Header(0)]
    );
    assert_eq!(
        form.slot_for(Field::Query(0)),
        Some(Slot::Row(List::Query, 1, Part::Value))
    );
    // Typed over: the user's value.
    form.headers[0].value.set_text("Bearer real");
    form.url.set_text("http://me:pw@h/s");
    form.query[1].value.set_text("t");
    assert!(form.to_spec(&captured).unwrap().redacted.is_empty());
}

#[test]
fn the_kind_switches_a_request_between_sse_and_mcp_and_keeps_a_forced_revision() {
    let base = spec("http://h/mcp");
    let mut form = RequestForm::from_spec(&base);
    assert!(!form.mcp);
    form.focus = Slot::Kind;
    form.handle_key(key(KeyCode::Char(' ')));
    let built = form.to_spec(&base).unwrap();
    assert!(built.protocol.is_mcp());
    assert!(RequestForm::from_spec(&built).mcp, "read back");
    // An MCP request's forced revision stays while it stays MCP.
    let mut forced = base.clone();
    forced.protocol = crate::sse::Protocol::Mcp {
        version: Some("2025-11-25".into()),
        capabilities: Vec::new(),
    };
    let form = RequestForm::from_spec(&forced);
    assert_eq!(form.to_spec(&forced).unwrap().protocol, forced.protocol);
    let mut form = RequestForm::from_spec(&forced);
    form.focus = Slot::Kind;
    form.handle_key(key(KeyCode::Char(' ')));
    assert_eq!(
        form.to_spec(&forced).unwrap().protocol,
        crate::sse::Protocol::Sse
    );
}
