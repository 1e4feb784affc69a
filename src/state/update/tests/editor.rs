//! The request editor: typing, sending, pastes (curl commands), the body from $EDITOR, the Answer path.

use super::*;

#[test]
fn the_request_editor_takes_letters_and_ctrl_r_sends_the_edited_request() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(&mut s, ch('r'));
    assert!(s.active().editor_open);
    // Edit the URL (focused first): letters type, they do not act.
    update(&mut s, key(KeyCode::Enter));
    assert!(s.active().draft.as_ref().unwrap().is_editing());
    type_text(&mut s, "/more");
    assert!(!s.quit && s.tabs().len() == 1, "q, t... typed nothing else");
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.url.as_str(), "http://h/s/more");
    assert_eq!(s.active().request.url.as_str(), "http://h/s/more");
    assert!(
        !s.active().editor_open && s.active().draft.is_none(),
        "sent: back to the events"
    );
    assert_eq!(s.active().title, "h/s/more");
}

#[test]
fn an_invalid_request_is_not_sent_and_the_editor_stays() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    for _ in 0..20 {
        update(&mut s, key(KeyCode::Backspace));
    }
    type_text(&mut s, "not a url");
    assert!(update(&mut s, ctrl('r')).is_empty());
    assert!(s.active().editor_open);
    assert!(s.active().draft.as_ref().unwrap().error_count() > 0);
    assert!(s.notice.as_deref().is_some_and(|n| n.contains("not sent")));
    assert_eq!(
        s.active().request.url.as_str(),
        "http://h/s",
        "the request is unchanged"
    );
}

#[test]
fn esc_closes_the_editor_keeping_the_draft_and_ctrl_r_on_the_same_request_disconnects() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "x");
    update(&mut s, key(KeyCode::Esc));
    assert!(s.active().editor_open, "the first Esc leaves the field");
    update(&mut s, key(KeyCode::Esc));
    assert!(!s.active().editor_open, "the second closes the editor");
    update(&mut s, ch('r'));
    assert_eq!(
        s.active().draft.as_ref().unwrap().url.text(),
        "http://h/sx",
        "the draft was kept"
    );
    // Typing the change away: the same request again, so Ctrl-R disconnects.
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Backspace));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(
        update(&mut s, ctrl('r')),
        vec![Effect::Disconnect { tab: TAB1 }]
    );
    // Keys that make no sense over the editor do nothing; tabs and help still work.
    update(&mut s, ch('x'));
    assert!(s.active().editor_open);
    update(&mut s, ch('?'));
    assert!(matches!(
        s.active().overlay,
        Some(Overlay::Help(HelpPage::Editor, None))
    ));
}

#[test]
fn the_body_goes_to_the_external_editor_and_comes_back() {
    let mut s = state();
    update(&mut s, ch('r'));
    let effects = update(&mut s, ch('E'));
    let [
        Effect::EditBody {
            tab: TAB1,
            text,
            json,
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!((text.as_str(), *json), ("", false));
    update(
        &mut s,
        Msg::BodyEdited {
            tab: TAB1,
            result: Ok("{\"a\": 1}".into()),
        },
    );
    assert_eq!(s.active().draft.as_ref().unwrap().body.text(), "{\"a\": 1}");
    update(
        &mut s,
        Msg::BodyEdited {
            tab: TAB1,
            result: Err("the editor `nope` failed".into()),
        },
    );
    assert_eq!(s.notice.as_deref(), Some("the editor `nope` failed"));
    assert_eq!(s.active().draft.as_ref().unwrap().body.text(), "{\"a\": 1}");
}

#[test]
fn a_paste_goes_to_the_field_being_edited() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, Msg::Input(TermEvent::Paste("?q=1".into())));
    assert_eq!(
        s.active().draft.as_ref().unwrap().url.text(),
        "http://h/s?q=1"
    );
}

#[test]
fn a_curl_command_pasted_on_the_url_becomes_the_draft_and_y_copies_the_request_as_curl() {
    let mut s = state();
    update(&mut s, ch('r'));
    let curl = "curl 'https://api.example.com/v1/chat' -H 'authorization: Bearer sk-1' \
                -H 'content-type: application/json' --data-raw '{\"stream\":true}'";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    let draft = s.active().draft.as_ref().unwrap();
    assert_eq!(draft.url.text(), "https://api.example.com/v1/chat");
    assert_eq!(draft.method.text(), "POST");
    assert_eq!(draft.body.text(), "{\"stream\":true}");
    assert!(s.notice.as_deref().unwrap().starts_with("imported"));
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.auth, crate::sse::Auth::Bearer("sk-1".into()));
    // Y: the request back as a curl command, its token redacted.
    let effects = update(&mut s, ch('Y'));
    let [Effect::Copy { bytes, what, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(what, "the request as curl");
    let command = String::from_utf8_lossy(bytes);
    assert!(command.starts_with("curl -N"), "{command}");
    assert!(command.contains("https://api.example.com/v1/chat"));
    assert!(!command.contains("sk-1"), "{command}");
}

#[test]
fn a_multi_line_curl_paste_with_cr_line_ends_imports_without_warnings() {
    // Terminals send the newlines of a paste as CR.
    let mut s = state();
    update(&mut s, ch('r'));
    let curl = "curl 'https://api.example.com/v1/chat' \\\r  -H \"Authorization: Bearer $OPENAI_API_KEY\" \\\r  --data-raw '{}'\r";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    assert_eq!(
        s.notice.as_deref(),
        Some("imported the curl command: Ctrl-R sends it")
    );
    let draft = s.active().draft.as_ref().unwrap();
    assert_eq!(draft.url.text(), "https://api.example.com/v1/chat");
    assert_eq!(draft.auth.token.text(), "${env:OPENAI_API_KEY}");
}

#[test]
fn a_windows_curl_exe_command_pasted_on_the_url_is_imported_too() {
    let mut s = state();
    update(&mut s, ch('r'));
    // Firefox's "Copy as cURL (Windows)": curl.exe, cmd escapes, ^ line ends.
    let curl = "curl.exe ^\"https://api.example.com/v1/feed?x=1^\" ^\r\n  -H ^\"Accept: text/event-stream^\"";
    update(&mut s, Msg::Input(TermEvent::Paste(curl.into())));
    let draft = s.active().draft.as_ref().unwrap();
    // The query goes to the editor's query rows.
    assert_eq!(draft.url.text(), "https://api.example.com/v1/feed");
    assert!(
        s.notice.as_deref().unwrap().starts_with("imported"),
        "{:?}",
        s.notice
    );
}

#[test]
fn a_broken_curl_command_is_reported_and_the_draft_kept() {
    let mut s = state();
    update(&mut s, ch('r'));
    update(
        &mut s,
        Msg::Input(TermEvent::Paste("curl 'unbalanced".into())),
    );
    assert!(s.notice.as_deref().unwrap().contains("curl command"));
    assert_eq!(s.active().draft.as_ref().unwrap().url.text(), "http://h/s");
}

#[test]
fn a_typed_env_reference_is_resolved_when_sent_and_kept_in_the_request() {
    let mut s = state();
    s.env = crate::sse::Env::fixed(&[("SSETUI_TOK", "tok-from-env")]);
    update(&mut s, ch('r'));
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Key");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "${env:SSETUI_TOK}");
    update(&mut s, key_esc());
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.headers[0], ("X-Key".into(), "tok-from-env".into()));
    assert_eq!(
        s.active().request.headers[0].1,
        "${env:SSETUI_TOK}",
        "the request keeps the reference (a save writes it, never the value)"
    );
    // Reconnecting resolves again; an unset variable is said on its field.
    update(&mut s, ch('r'));
    update(&mut s, ch('a'));
    type_text(&mut s, "X-Other");
    update(&mut s, key(KeyCode::Tab));
    type_text(&mut s, "${env:SSETUI_NOT_SET}");
    update(&mut s, key_esc());
    assert!(update(&mut s, ctrl('r')).is_empty(), "nothing sent");
    let draft = s.active().draft.as_ref().unwrap();
    let error = draft.error(draft.focus()).unwrap_or_default();
    assert!(error.contains("SSETUI_NOT_SET"), "{error}");
    assert_eq!(
        draft.input(draft.focus()).unwrap().text(),
        "${env:SSETUI_NOT_SET}"
    );
}

#[test]
fn the_answer_path_set_in_the_editor_reassembles_the_answer_without_reconnecting() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(chunk(
            b"data: {\"message\":{\"content\":\"Hi \"}}\n\ndata: {\"message\":{\"content\":\"there\"}}\n\n",
            0,
            1,
        )),
    );
    assert_eq!(s.active().insight.transcript.text(), "", "no known shape");
    update(&mut s, ch('r'));
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text("message[");
    assert!(update(&mut s, ctrl('r')).is_empty());
    assert!(
        s.notice.as_deref().unwrap().starts_with("not sent"),
        "{:?}",
        s.notice
    );
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text(".message.content");
    let effects = update(&mut s, ctrl('r'));
    assert!(effects.is_empty(), "the stream goes on: {effects:?}");
    assert_eq!(s.active().insight.transcript.text(), "Hi there");
    assert!(!s.active().editor_open);
    // Opened again, the editor shows the path in force.
    update(&mut s, ch('r'));
    assert_eq!(
        s.active().draft.as_ref().unwrap().answer_path.text(),
        ".message.content"
    );
}

#[test]
fn an_answer_reassembled_after_a_reconnect_holds_only_the_current_attempt() {
    let mut s = state();
    let request = SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![],
        body_len: None,
        last_event_id: None,
    };
    let connecting = |attempt| {
        conn(ConnMsg::Connecting {
            attempt,
            request: request.clone(),
        })
    };
    update(&mut s, connecting(1));
    update(&mut s, conn(opened()));
    let first: &[u8] = b"data: {\"message\":{\"content\":\"old \"}}\n\n";
    update(&mut s, conn(chunk(first, 0, 1)));
    update(&mut s, connecting(2));
    // Stream offsets go on across attempts, as the connection counts them.
    let offset = first.len() as u64;
    let mut second = chunk(b"data: {\"message\":{\"content\":\"new\"}}\n\n", offset, 2);
    if let ConnMsg::Data(chunk) = &mut second {
        chunk.attempt = 2;
    }
    update(&mut s, conn(second));
    assert_eq!(s.active().log().events_received(), 2);

    update(&mut s, ch('r'));
    s.active_mut()
        .draft
        .as_mut()
        .unwrap()
        .answer_path
        .set_text(".message.content");
    update(&mut s, ctrl('r'));
    assert_eq!(
        s.active().insight.transcript.text(),
        "new",
        "as the live answer restarted at attempt 2"
    );
}
