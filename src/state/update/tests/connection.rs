//! Connecting, stopping, resuming and recording, and the fold over a connection's messages.

use super::*;

#[test]
fn connect_starts_a_new_connection_id() {
    let mut s = state();
    assert_eq!(s.active().status, ConnStatus::Connecting);
    let [Effect::Connect { id, spec, .. }] = &connect(&mut s)[..] else {
        panic!()
    };
    let (id, spec) = (*id, spec.clone());
    assert_eq!((id, spec.url.as_str()), (ConnId::new(2), "http://h/s"));
}

#[test]
fn messages_of_an_old_connection_are_ignored() {
    let mut s = state();
    update(
        &mut s,
        Msg::Conn {
            id: ConnId::new(0),
            msg: chunk(b"data: stale\n\n", 0, 1),
        },
    );
    assert!(s.active().log().is_empty());
    update(&mut s, conn(chunk(b"data: fresh\n\n", 0, 1)));
    assert_eq!(s.active().log().events_received(), 1);
}

#[test]
fn opened_and_data_update_the_status_and_the_list() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert_eq!(s.active().status, ConnStatus::Open);
    assert_eq!(s.active().conn.http_status, Some(200));
    update(
        &mut s,
        conn(chunk(b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n", 0, 1)),
    );
    assert_eq!(s.active().log().events_received(), 2);
    assert_eq!(s.active().insight.stats.events(), 2);
    assert_eq!(s.active().conn.last_event_id, "2");
    assert_eq!(s.active().insight.stats.bytes(), 30);
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("b"),
        "follow selects the newest"
    );
    assert!(
        matches!(s.active().visible_row(0).unwrap().kind, RowKind::Marker(_)),
        "connected marker first"
    );
}

#[test]
fn resume_from_the_selected_event_sends_its_id() {
    let mut s = state();
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(chunk(b"id: 7\ndata: a\n\nid: 8\ndata: b\n\n", 0, 1)),
    );
    update(&mut s, ch('k'));
    assert_eq!(
        update(&mut s, ch('e')),
        vec![Effect::ResumeFrom {
            tab: TAB1,
            id: "7".into()
        }]
    );
}

#[test]
fn resume_when_closed_starts_a_connection_with_that_id() {
    let mut s = state();
    update(&mut s, conn(chunk(b"id: 7\ndata: a\n\n", 0, 1)));
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: CloseReason::Ended,
        }),
    );
    update(&mut s, ch('k'));
    let effects = update(&mut s, ch('e'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.last_event_id, "7");
}

#[test]
fn connect_key_toggles_between_connected_and_not() {
    let mut s = state();
    update(&mut s, conn(opened()));
    assert_eq!(
        update(&mut s, ch('c')),
        vec![Effect::Disconnect { tab: TAB1 }]
    );
    assert!(matches!(s.active().status, ConnStatus::Closed(_)));
    update(
        &mut s,
        Msg::Conn {
            id: CONN1,
            msg: chunk(b"data: late\n\n", 0, 1),
        },
    );
    assert_eq!(
        s.active().log().events_received(),
        0,
        "the disconnected task's messages are stale"
    );
    let effects = update(&mut s, ch('c'));
    assert!(matches!(effects[..], [Effect::Connect { .. }]));
    let ctrl_r = Msg::Input(TermEvent::Key(KeyEvent::new(
        KeyCode::Char('r'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        update(&mut s, ctrl_r),
        vec![Effect::Disconnect { tab: TAB1 }],
        "Ctrl-R works too"
    );
}

#[test]
fn reconnect_and_failure_statuses() {
    let mut s = state();
    update(
        &mut s,
        conn(ConnMsg::ReconnectScheduled {
            next_attempt: 2,
            delay: Duration::from_millis(500),
            last_event_id: "4".into(),
        }),
    );
    assert!(
        matches!(s.active().status, ConnStatus::Reconnecting { delay, .. } if delay == Duration::from_millis(500))
    );
    let err = ConnError::new(ErrorKind::Status, "answered 404");
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }),
    );
    assert_eq!(s.active().status, ConnStatus::Failed("answered 404".into()));
    let last = s.active().visible_row(s.active().list.len() - 1).unwrap();
    assert!(matches!(&last.kind, RowKind::Marker(t) if t.contains("404")));
}

#[test]
fn connecting_marker_shows_the_last_event_id_sent() {
    let mut s = state();
    let request = SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![("Last-Event-ID".into(), "5".into())],
        body_len: None,
        last_event_id: Some("5".into()),
    };
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 2,
            request,
        }),
    );
    assert_eq!(s.active().conn.attempt, 2);
    let row = s.active().visible_row(0).unwrap();
    assert!(
        matches!(&row.kind, RowKind::Marker(t) if t.contains("Last-Event-ID: 5")),
        "{row:?}"
    );
}

#[test]
fn the_oldest_rows_are_dropped_at_the_cap_and_the_selection_follows_its_row() {
    let mut s = state();
    s.set_log_caps(3, 1024);
    for n in 0..3u64 {
        let bytes = format!("data: {n}\n\n");
        update(&mut s, conn(chunk(bytes.as_bytes(), n * 9, n + 1)));
    }
    update(&mut s, ch('k'));
    assert_eq!(selected_data(&s).as_deref(), Some("1"));
    update(&mut s, conn(chunk(b"data: 3\n\n", 27, 4)));
    assert_eq!(s.active().log().dropped_rows(), 1);
    assert_eq!(s.active().list.len(), 3);
    assert_eq!(
        selected_data(&s).as_deref(),
        Some("1"),
        "still the same row"
    );
}

#[test]
fn raw_bytes_of_an_event_come_from_the_wire_log() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b": hi\r\n\r\nid: 1\r\ndata: x\r\n\r\n", 0, 1)),
    );
    let row = s.active().selected_row().unwrap();
    let raw = row.raw().unwrap().clone();
    assert_eq!(
        s.active().log().raw_bytes(&raw).unwrap(),
        b"id: 1\r\ndata: x\r\n"
    );
    assert_eq!(s.active().log().terminator_after(raw.end), b"\r\n");
    let _ = SystemTime::now();
}

#[test]
fn each_attempts_markers_keep_that_attempts_request_and_response() {
    let mut s = state();
    let request = |id: Option<&str>| SentRequest {
        method: "GET".into(),
        url: "http://h/s".into(),
        headers: vec![],
        body_len: None,
        last_event_id: id.map(str::to_owned),
    };
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 1,
            request: request(None),
        }),
    );
    update(&mut s, conn(opened()));
    update(
        &mut s,
        conn(ConnMsg::Connecting {
            attempt: 2,
            request: request(Some("5")),
        }),
    );
    assert!(
        s.active().conn.http_status.is_none(),
        "the new attempt has no status yet"
    );
    let infos: Vec<_> = (0..s.active().list.len())
        .filter_map(|p| s.active().visible_row(p))
        .map(|row| {
            row.attempt_info
                .clone()
                .expect("markers carry their attempt")
        })
        .collect();
    assert_eq!(infos.len(), 3, "attempt 1, connected, attempt 2");
    assert_eq!(infos[1].request.last_event_id, None);
    assert_eq!(
        infos[1].response.as_ref().map(|r| r.status),
        Some(200),
        "attempt 1 answered"
    );
    assert_eq!(infos[2].request.last_event_id.as_deref(), Some("5"));
    assert!(
        infos[2].response.is_none(),
        "attempt 2 has not answered: no stale response"
    );
}

#[test]
fn c_starts_and_stops_recording_the_tab_and_the_status_shows_it() {
    let mut s = state();
    let effects = update(&mut s, ch('C'));
    assert!(matches!(
        &effects[..],
        [Effect::StartRecording { tab: TAB1, .. }]
    ));
    assert!(s.active().recording.is_none(), "only once the file exists");
    update(
        &mut s,
        Msg::Recording {
            tab: TAB1,
            result: Ok("ssetui-1.ssecap".into()),
        },
    );
    assert_eq!(
        s.active().recording.as_deref(),
        Some(std::path::Path::new("ssetui-1.ssecap"))
    );
    assert_eq!(
        update(&mut s, ch('C')),
        vec![Effect::StopRecording { tab: TAB1 }]
    );
    assert!(s.active().recording.is_none());
    update(
        &mut s,
        Msg::Recording {
            tab: TAB1,
            result: Err("disk full".into()),
        },
    );
    assert!(s.notice.as_deref().unwrap().contains("disk full"));
}

#[test]
fn a_redacted_value_is_never_sent_c_and_ctrl_r_focus_it_and_say_why() {
    let mut s = captured();
    for key in ["c", "R", "Ctrl-R"] {
        let msg = match key {
            "Ctrl-R" => ctrl('r'),
            letter => ch(letter.chars().next().unwrap()),
        };
        let effects = update(&mut s, msg);
        assert!(effects.is_empty(), "{key}: {effects:?}");
        assert!(s.active().editor_open, "{key} opens the editor");
        let draft = s.active().draft.as_ref().unwrap();
        assert_eq!(draft.focus(), header_value_slot(), "{key}");
        assert!(
            draft
                .error(header_value_slot())
                .is_some_and(|e| e.contains("redacted")),
            "{:?}",
            draft.error(header_value_slot())
        );
        let notice = s.notice.as_deref().unwrap();
        assert!(
            notice.contains("Authorization") && notice.contains("not sent"),
            "{key}: {notice}"
        );
        update(&mut s, key_esc());
    }
    // Ctrl-R in the editor, the value untouched: still refused.
    update(&mut s, ch('r'));
    assert!(
        update(&mut s, ctrl('r')).is_empty(),
        "the mask is never sent"
    );
    // Typed in: sent, and the request is the user's now.
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, ctrl('u'));
    type_text(&mut s, "Bearer tok-typed");
    update(&mut s, key_esc());
    let effects = update(&mut s, ctrl('r'));
    let [Effect::Connect { spec, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(spec.headers[1].1, "Bearer tok-typed");
    assert!(s.active().request.redacted.is_empty());
}
