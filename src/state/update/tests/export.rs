//! Copies and saves: an event's exact bytes, the stream as NDJSON and as a capture.

use super::*;

#[test]
fn copy_takes_the_selected_events_data() {
    let mut s = state();
    update(&mut s, conn(chunk(b"data: {\"a\":1}\n\n", 0, 1)));
    assert_eq!(
        update(&mut s, ch('y')),
        vec![Effect::Copy {
            bytes: b"{\"a\":1}".to_vec(),
            what: "event 1's data".into(),
            or_else: Some("s saves the event to a file instead"),
        }]
    );
    update(
        &mut s,
        conn(ConnMsg::StreamEnded {
            attempt: 1,
            discarded: None,
            end_marker: None,
        }),
    );
    assert!(matches!(
        s.active().selected_row().unwrap().kind,
        RowKind::Marker(_)
    ));
    assert!(
        update(&mut s, ch('y')).is_empty(),
        "a marker has no data to copy"
    );
    assert!(s.notice.is_some());
    update(&mut s, Msg::Notice("copied".into()));
    assert_eq!(s.notice.as_deref(), Some("copied"));
    update(&mut s, ch('j'));
    assert_eq!(s.notice, None, "the next key clears the notice");
}

#[test]
fn save_event_writes_its_exact_bytes_with_the_blank_line() {
    let mut s = state();
    update(
        &mut s,
        conn(chunk(b"id: 7\r\nevent: e\r\ndata: x\r\n\r\n", 0, 1)),
    );
    let effects = update(&mut s, ch('s'));
    let [Effect::Save { files, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    let [(path, contents)] = &files[..] else {
        panic!("{files:?}")
    };
    assert_eq!(contents, b"id: 7\r\nevent: e\r\ndata: x\r\n\r\n");
    assert_eq!(path.to_str(), Some("ssetui-event-1-id-7.sse"));
}

#[test]
fn a_server_chosen_id_cannot_make_the_saved_file_name_a_path() {
    for id in ["../../.bashrc", "/etc/passwd", "..", "a/b\\c", ".hidden"] {
        let mut s = state();
        let bytes = format!("id: {id}\ndata: x\n\n");
        update(&mut s, conn(chunk(bytes.as_bytes(), 0, 1)));
        let effects = update(&mut s, ch('s'));
        let [Effect::Save { files, .. }] = &effects[..] else {
            panic!("{effects:?}")
        };
        let name = files[0].0.to_str().unwrap();
        assert!(
            !name.contains('/') && !name.contains('\\') && !name.contains(".."),
            "{id:?} gave {name:?}"
        );
        assert_eq!(files[0].0.components().count(), 1, "{name:?}");
        assert!(name.starts_with("ssetui-event-1-id-") && name.ends_with(".sse"));
    }
}

#[test]
fn save_stream_writes_ndjson_in_the_print_schema() {
    let mut s = state();
    assert!(update(&mut s, ch('S')).is_empty(), "nothing to save yet");
    update(
        &mut s,
        conn(chunk(b"id: 1\ndata: a\n\nevent: t\ndata: b\n\n", 0, 1)),
    );
    let effects = update(&mut s, ch('S'));
    let (contents, capture) = saved(&effects);
    let [
        Effect::SaveStream {
            ndjson: path,
            capture: capture_path,
            from_oldest_retained,
            ..
        },
    ] = &effects[..]
    else {
        panic!("{effects:?}")
    };
    assert!(!from_oldest_retained);
    assert!(capture_path.to_str().unwrap().ends_with(".ssecap"));
    // The capture reads back to the same events.
    let read = crate::capture::from_reader(&capture[..]).unwrap();
    let events: Vec<(String, String)> = read
        .events()
        .into_iter()
        .map(|e| (e.event.event_type().to_owned(), e.event.data.to_string()))
        .collect();
    assert_eq!(
        events,
        [
            ("message".to_owned(), "a".to_owned()),
            ("t".to_owned(), "b".to_owned())
        ]
    );
    let lines: Vec<serde_json::Value> = std::str::from_utf8(&contents)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["event"], "message");
    assert_eq!(lines[1]["event"], "t");
    assert_eq!(lines[1]["id"], "1");
    assert_eq!(lines[1]["seq"], 2);
    assert!(path.to_str().unwrap().ends_with(".ndjson"));
}

/// What an `S` effect writes: the NDJSON and the capture, as bytes.
fn saved(effects: &[Effect]) -> (Vec<u8>, Vec<u8>) {
    let [
        Effect::SaveStream {
            snapshot, request, ..
        },
    ] = effects
    else {
        panic!("{effects:?}")
    };
    let (mut ndjson, mut capture) = (Vec::new(), Vec::new());
    snapshot.write_ndjson(&mut ndjson).unwrap();
    snapshot.write_capture(request, &mut capture).unwrap();
    (ndjson, capture)
}

#[test]
fn a_session_saved_as_a_capture_reads_back_with_its_attempts_bytes_and_times() {
    let mut s = state();
    // Markers are stamped with the clock when they are logged: reads are
    // stamped just after, as they would be live.
    let base = SystemTime::now();
    let at = |ms: u64| base + Duration::from_millis(ms);
    let data = |bytes: &[u8], offset: u64, seq: u64, attempt: u32, ms: u64| {
        let ConnMsg::Data(mut c) = chunk(bytes, offset, seq) else {
            unreachable!()
        };
        c.attempt = attempt;
        c.received_at = at(ms);
        conn(ConnMsg::Data(c))
    };
    update(&mut s, conn(opened()));
    let first: &[u8] = b"id: 1\ndata: one\n\n: ping\n\nid: 2\ndata: two\n\ndata: cut";
    update(&mut s, data(first, 0, 1, 1, 10));
    update(
        &mut s,
        conn(ConnMsg::StreamEnded {
            attempt: 1,
            discarded: Some(first.len() as u64 - 9..first.len() as u64),
            end_marker: None,
        }),
    );
    update(
        &mut s,
        conn(ConnMsg::ReconnectScheduled {
            next_attempt: 2,
            delay: Duration::from_millis(500),
            last_event_id: "2".into(),
        }),
    );
    let ConnMsg::Opened { response, .. } = opened() else {
        unreachable!()
    };
    update(
        &mut s,
        conn(ConnMsg::Opened {
            attempt: 2,
            response,
        }),
    );
    let second: &[u8] = b"id: 3\r\ndata: three\r\n\r\n";
    update(&mut s, data(second, first.len() as u64, 3, 2, 900));
    update(
        &mut s,
        conn(ConnMsg::Closed {
            reason: crate::sse::CloseReason::Stopped,
        }),
    );

    let effects = update(&mut s, ch('S'));
    let capture = crate::capture::from_reader(&saved(&effects).1[..]).unwrap();
    assert_eq!(capture.damaged, None);
    let events: Vec<(u32, String, String)> = capture
        .events()
        .into_iter()
        .map(|e| (e.attempt, e.event.id.to_string(), e.event.data.to_string()))
        .collect();
    assert_eq!(
        events,
        [
            (1, "1".into(), "one".into()),
            (1, "2".into(), "two".into()),
            (2, "3".into(), "three".into())
        ]
    );
    // Every byte, in order: the keep-alive and the cut-off block too.
    let bytes: Vec<u8> = capture
        .records
        .iter()
        .filter_map(|r| match r {
            crate::capture::Record::Read { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(bytes, [first, second].concat());
    let kinds: Vec<String> = capture
        .records
        .iter()
        .map(|r| {
            format!("{r:?}")
                .split([' ', '{'])
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(kinds.first().map(String::as_str), Some("Open"));
    assert!(kinds.contains(&"Ended".to_owned()), "{kinds:?}");
    assert!(kinds.contains(&"Reconnect".to_owned()), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|k| *k == "Open").count(), 2);
    assert_eq!(kinds.last().map(String::as_str), Some("Close"));
    // Times are kept relative to the first message.
    let last_read_t = capture
        .records
        .iter()
        .filter_map(|r| match r {
            crate::capture::Record::Read { t, .. } => Some(*t),
            _ => None,
        })
        .max();
    assert!(last_read_t >= Some(890), "{last_read_t:?}");
}
