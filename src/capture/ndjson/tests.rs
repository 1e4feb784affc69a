use super::*;

fn ours(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
    let mut out = Vec::new();
    write_event(&mut out, event, seq, attempt, &json_string(time), None)
        .expect("a Vec takes writes");
    String::from_utf8(out).expect("valid UTF-8")
}

fn serde(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
    let line = EventLine {
        event: event.event_type(),
        data: &event.data,
        id: &event.id,
        seq,
        attempt,
        time: time.to_owned(),
        retry: event.retry_ms,
    };
    serde_json::to_string(&line).expect("serializes") + "\n"
}

fn event(event: &str, data: &str, id: &str, retry_ms: Option<u64>) -> Event {
    Event {
        event: event.into(),
        data: data.into(),
        id: id.into(),
        sets_id: !id.is_empty(),
        retry_ms,
        raw: 0..0,
    }
}

/// What serde_json writes, with the characters a terminal must not
/// see (which JSON lets through raw) as `\uXXXX`: what `print` writes.
/// (The line's own ending is the one control serde leaves raw.)
fn expected(json: String) -> String {
    let mut out = String::new();
    for c in json.chars() {
        if crate::text::is_neutralised(c) && c != '\n' {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn vectored_writes_go_on_through_short_writes_and_interruptions_to_the_end() {
    /// Takes at most 3 bytes a call, after refusing the first with
    /// `Interrupted`; or, `stuck`, takes nothing.
    struct Trickle {
        got: Vec<u8>,
        calls: usize,
        stuck: bool,
    }
    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.calls += 1;
            if self.calls == 1 {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = if self.stuck { 0 } else { bytes.len().min(3) };
            self.got.extend_from_slice(&bytes[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let parts: [&[u8]; 4] = [b"ab", b"", b"cdefg", b"h"];
    let mut out = Trickle {
        got: Vec::new(),
        calls: 0,
        stuck: false,
    };
    let mut slices = parts.map(IoSlice::new);
    write_all_vectored(&mut out, &mut slices).unwrap();
    assert_eq!(out.got, b"abcdefgh");
    let mut out = Trickle {
        got: Vec::new(),
        calls: 0,
        stuck: true,
    };
    let mut slices = parts.map(IoSlice::new);
    let err = write_all_vectored(&mut out, &mut slices).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WriteZero);
}

#[test]
fn data_in_pieces_is_written_as_the_same_line() {
    let pieces = [
        Bytes::from_static(b"abc"),
        Bytes::from(vec![b'x'; 70_000]),
        Bytes::from_static(b"def"),
    ];
    let data: String = pieces
        .iter()
        .map(|piece| std::str::from_utf8(piece).unwrap())
        .collect();
    for id_plain in [true, false] {
        let text = EventText {
            event_type: "tick",
            data: &data,
            id: "7",
            retry_ms: Some(5),
            named: true,
            sets_id: true,
            data_plain: true,
            id_plain,
            data_pieces: None,
        };
        let mut whole = Vec::new();
        let mut lines = LineWriter::default();
        lines.start_read(2, b"\"t\"");
        lines.write(&mut whole, &text, 9, None).unwrap();
        let mut in_pieces = Vec::new();
        let text = EventText {
            data: "",
            data_pieces: Some(&pieces),
            ..text
        };
        lines.write(&mut in_pieces, &text, 9, None).unwrap();
        assert_eq!(in_pieces, whole, "id plain: {id_plain}");
        assert!(whole.starts_with(b"{\"event\":\"tick\",\"data\":\"abcxxx"));
    }
}

#[test]
fn lines_match_serde_json_byte_for_byte_but_for_terminal_controls() {
    let every_ascii: String = (0u8..0x80).map(char::from).collect();
    let texts = [
        String::new(),
        "plain".to_owned(),
        every_ascii.clone(),
        every_ascii.repeat(3)[5..].to_owned(),
        "\"quoted\" \\ back\\slash\u{7f}".to_owned(),
        "héllo → 世界 🦀\u{1}\u{1f}\u{ffff}".to_owned(),
        "12345678\"12345678\n1234567\\".to_owned(),
        "x".repeat(1000) + "\u{0}",
        "c1\u{85}\u{9b}[2J bidi\u{202e}\u{2066} zw\u{200b}\u{200d}\u{feff}\u{61c}\u{2028}\u{2029}\u{2060}".to_owned(),
        "near \u{a0}\u{600}\u{2010}\u{2030}\u{206a}\u{ff01}\u{fefe} “quotes” …".repeat(5),
    ];
    for text in &texts {
        for (name, retry) in [("", None), (text.as_str(), Some(3000))] {
            let e = event(name, text, text, retry);
            for (seq, attempt) in [(0, 0), (1, 1), (u64::MAX, u32::MAX)] {
                let time = "2026-11-24T15:00:00.123Z";
                assert_eq!(
                    ours(&e, seq, attempt, time),
                    expected(serde(&e, seq, attempt, time))
                );
            }
        }
    }
}

#[test]
fn lines_sharing_a_read_and_a_type_are_the_lines_written_alone() {
    let events = [
        event("tick", "a", "1", None),
        event("tick", "b\u{85}", "2", Some(5)),
        event("", "c", "2", None),
        event("", "d", "", None),
        event("t\"ock", "e", "3", None),
        event("tick", "f", "4", None),
    ];
    let reads = [
        (1, "2026-11-24T15:00:00.123Z"),
        (2, "2026-11-24T15:00:01.000Z"),
    ];
    let mut shared = LineWriter::default();
    let (mut together, mut alone) = (Vec::new(), Vec::new());
    for (attempt, time) in reads {
        let time = json_string(time);
        shared.start_read(attempt, &time);
        for (seq, e) in (1..).zip(&events) {
            let value = (seq % 2 == 0).then_some(Some("v"));
            shared
                .write(&mut together, &EventText::from(e), seq, value)
                .unwrap();
            write_event(&mut alone, e, seq, attempt, &time, value).unwrap();
        }
    }
    assert_eq!(String::from_utf8(together), String::from_utf8(alone));
}

#[test]
fn numbers_kept_in_decimal_are_written_as_formatted() {
    let mut kept = Decimal::default();
    let sequences: [&[u64]; 4] = [
        &[1, 2, 3, 9, 10, 11, 99, 100, 101, 7, 8, 999_999, 1_000_000],
        &[0, 1, 0, 5, 6],
        &[u64::MAX - 1, u64::MAX, 0, 1],
        &[9_999_999_999_999_999_999, 10_000_000_000_000_000_000],
    ];
    for sequence in sequences {
        for &n in sequence {
            assert_eq!(kept.set(n), n.to_string().as_bytes(), "{n}");
        }
    }
    let mut counted = Decimal::default();
    for n in 1..=100_000u64 {
        assert_eq!(counted.set(n), n.to_string().as_bytes());
    }
}

#[test]
fn terminal_controls_are_escaped_and_read_back_unchanged() {
    let set: Vec<char> = (0x7fu32..0xa0)
        .chain([0x61c, 0xfeff, 0x2028, 0x2029])
        .chain(0x200b..=0x200f)
        .chain(0x202a..=0x202e)
        .chain(0x2060..=0x2069)
        .filter_map(char::from_u32)
        .collect();
    for c in set {
        let text = format!("a{c}b");
        let json = String::from_utf8(json_string(&text)).expect("UTF-8");
        assert_eq!(json, format!("\"a\\u{:04x}b\"", c as u32));
        let back: String = serde_json::from_str(&json).expect("valid JSON");
        assert_eq!(back, text);
    }
}

#[test]
fn every_byte_position_of_an_escape_is_found() {
    let letters: String = ('a'..='z').cycle().take(160).collect();
    // Every place in each path the search takes: up to two 64-byte
    // blocks, a 32-byte block after them, and the words and bytes left.
    // Multi-byte characters replace a letter, so each is tried at
    // every offset too, the ones near the set (same lead byte) included.
    let specials = [
        '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}', '\u{61c}',
        '\u{600}', '\u{200b}', '\u{202e}', '\u{2069}', '→', '\u{feff}', '\u{ff01}', 'é', '世',
    ];
    for len in 0..160 {
        for at in 0..len {
            for special in specials {
                let mut text: Vec<char> = letters[..len].chars().collect();
                text[at] = special;
                let text: String = text.into_iter().collect();
                let mut out = Vec::new();
                string(&mut out, &text).expect("a Vec takes writes");
                let wanted = expected(serde_json::to_string(&text).expect("serializes"));
                assert_eq!(String::from_utf8_lossy(&out), wanted, "{text:?}");
            }
        }
    }
}
