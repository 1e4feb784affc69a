use super::*;

/// Parses `input` fed as the given reads and returns items plus what `finish` discarded.
fn parse_chunks(chunks: &[&[u8]]) -> (Vec<Item>, Option<Range<u64>>, Parser) {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    for chunk in chunks {
        parser.feed(chunk, &mut items).expect("within limits");
    }
    let tail = parser.finish();
    (items, tail, parser)
}

fn parse(input: &[u8]) -> Vec<Item> {
    parse_chunks(&[input]).0
}

fn events(input: &[u8]) -> Vec<Event> {
    parse(input)
        .into_iter()
        .filter_map(|i| match i {
            Item::Event(e) => Some(e),
            Item::Block(_) => None,
        })
        .collect()
}

/// (type, data, id) triples, the shape most tests compare.
fn triples(input: &[u8]) -> Vec<(String, String, String)> {
    events(input)
        .into_iter()
        .map(|e| {
            (
                e.event_type().to_owned(),
                e.data.to_string(),
                e.id.to_string(),
            )
        })
        .collect()
}

fn t(ty: &str, data: &str, id: &str) -> (String, String, String) {
    (ty.into(), data.into(), id.into())
}

#[test]
fn lf_crlf_and_cr_line_endings_are_equivalent() {
    for ending in ["\n", "\r\n", "\r"] {
        let input = format!("data: a{ending}data: b{ending}{ending}");
        assert_eq!(
            triples(input.as_bytes()),
            vec![t("message", "a\nb", "")],
            "{ending:?}"
        );
    }
}

#[test]
fn crlf_split_across_reads_is_one_line_ending() {
    let (items, tail, _) = parse_chunks(&[b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]);
    assert_eq!(items.len(), 1);
    let Item::Event(e) = &items[0] else { panic!() };
    assert_eq!(e.data, "a\nb");
    assert_eq!(
        e.raw,
        0..18,
        "the split LF belongs to the line the CR ended"
    );
    assert_eq!(tail, None);
}

#[test]
fn lone_cr_dispatches_without_waiting_for_the_next_byte() {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    parser.feed(b"data: now\r\r", &mut items).unwrap();
    assert_eq!(items.len(), 1, "CR CR ends the event at once");
    // A following LF completes the CRLF and dispatches nothing more.
    parser.feed(b"\n", &mut items).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(parser.finish(), None);
}

#[test]
fn empty_read_between_cr_and_lf_keeps_the_crlf_whole() {
    let (items, _, _) = parse_chunks(&[b"data: x\r", b"", b"\n", b"\n"]);
    assert_eq!(items.len(), 1);
}

#[test]
fn leading_bom_is_stripped_once() {
    assert_eq!(
        triples(b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\n"),
        vec![t("message", "a", "")],
        "a second BOM is part of the field name `\u{feff}data`, which is unknown"
    );
}

#[test]
fn bom_split_across_reads_is_stripped() {
    let (items, _, _) = parse_chunks(&[b"\xEF", b"\xBB", b"\xBFdata: a\n\n"]);
    let Item::Event(e) = &items[0] else { panic!() };
    assert_eq!(e.data, "a");
    assert_eq!(
        e.raw,
        0..11,
        "the BOM's bytes stay in the first block's raw range"
    );
}

#[test]
fn bytes_resembling_a_bom_prefix_are_content() {
    assert_eq!(
        triples(b"\xEFdata: a\n\ndata: b\n\n"),
        vec![t("message", "b", "")]
    );
    let (items, _, _) = parse_chunks(&[b"\xEF\xBB", b"x\n\ndata: b\n\n"]);
    assert!(matches!(&items[..], [Item::Block(b), Item::Event(_)] if b.kind() == BlockKind::Other));
}

#[test]
fn comment_lines_are_ignored_but_reported() {
    let items = parse(b": keep-alive\n\n:\n\ndata: x\n: inside\n\n");
    assert_eq!(items.len(), 3);
    let Item::Block(b) = &items[0] else { panic!() };
    assert_eq!(b.kind(), BlockKind::Comment);
    assert_eq!(b.comment.as_deref(), Some("keep-alive"));
    let Item::Block(b) = &items[1] else { panic!() };
    assert_eq!(b.comment.as_deref(), Some(""));
    let Item::Event(e) = &items[2] else { panic!() };
    assert_eq!(e.data, "x");
}

#[test]
fn field_without_colon_has_an_empty_value() {
    // `data` alone appends an empty line: the event is dispatched with empty data.
    assert_eq!(triples(b"data\n\n"), vec![t("message", "", "")]);
    assert_eq!(
        triples(b"data\ndata\n\n"),
        vec![t("message", "\n", "")],
        "two empty data lines join to one newline"
    );
    // `event` alone sets an empty type: `message`.
    assert_eq!(triples(b"event\ndata: x\n\n"), vec![t("message", "x", "")]);
}

#[test]
fn exactly_one_leading_space_is_stripped() {
    assert_eq!(
        triples(b"data:no space\n\ndata:  two\n\ndata:\ttab\n\n"),
        vec![
            t("message", "no space", ""),
            t("message", " two", ""),
            t("message", "\ttab", "")
        ]
    );
}

#[test]
fn only_the_first_colon_splits_name_and_value() {
    assert_eq!(
        triples(b"data: a:b: c\n\n"),
        vec![t("message", "a:b: c", "")]
    );
}

#[test]
fn multi_line_data_is_joined_with_lf() {
    assert_eq!(
        triples(b"data: one\ndata: two\ndata: three\n\n"),
        vec![t("message", "one\ntwo\nthree", "")]
    );
}

#[test]
fn block_with_empty_data_buffer_is_not_dispatched() {
    let items = parse(b"event: ping\n\n");
    assert_eq!(items.len(), 1);
    assert!(matches!(&items[0], Item::Block(b) if b.kind() == BlockKind::Other));
}

#[test]
fn event_type_resets_after_each_dispatch() {
    assert_eq!(
        triples(b"event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n"),
        vec![
            t("a", "1", ""),
            t("message", "2", ""),
            t("message", "3", "")
        ],
        "the type of a non-dispatched block is dropped too"
    );
}

#[test]
fn last_event_id_persists_across_events() {
    assert_eq!(
        triples(b"id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"),
        vec![
            t("message", "a", "1"),
            t("message", "b", "1"),
            t("message", "c", "")
        ],
        "an empty id resets it"
    );
}

#[test]
fn id_only_block_updates_the_last_event_id() {
    let (items, _, parser) = parse_chunks(&[b"id: 7\n\n"]);
    assert_eq!(parser.last_event_id(), "7");
    let Item::Block(b) = &items[0] else { panic!() };
    assert_eq!((b.kind(), b.id.as_deref()), (BlockKind::IdOnly, Some("7")));
    assert_eq!(
        triples(b"id: 7\n\ndata: x\n\n"),
        vec![t("message", "x", "7")]
    );
}

#[test]
fn id_set_without_blank_line_does_not_change_the_last_event_id() {
    let (_, tail, parser) = parse_chunks(&[b"id: 1\ndata: a\n\nid: 2\n"]);
    assert_eq!(parser.last_event_id(), "1", "only dispatch sets the string");
    assert_eq!(tail, Some(15..21));
}

#[test]
fn the_last_event_id_is_kept_past_each_read_however_the_stream_is_split() {
    // Ids set by lines whole in a read are copied once at the read's end:
    // after every read the string must be what dispatch made it.
    let input = "id: 1\ndata: a\n\ndata: b\n\nid: 22\nevent: x\ndata: c\n\nid\n\n\
                 data: d\n\nid: \u{e9}t\u{e9}\ndata: e\n\nid: 3\nid: 4\n\nid: 5\n"
        .as_bytes();
    // A byte a read: every line is cut, so every id is copied at dispatch.
    let mut parser = Parser::default();
    let mut expected = vec![parser.last_event_id().to_owned()];
    for byte in input {
        parser.feed(&[*byte], &mut Vec::new()).unwrap();
        expected.push(parser.last_event_id().to_owned());
    }
    assert_eq!(expected.last().map(String::as_str), Some("4"));
    for size in 2..=input.len() {
        let mut parser = Parser::default();
        let mut fed = 0;
        let mut items = Vec::new();
        for read in input.chunks(size) {
            parser.feed(read, &mut items).unwrap();
            fed += read.len();
            assert_eq!(
                parser.last_event_id(),
                expected[fed],
                "reads of {size}, {fed} fed"
            );
        }
        let ids: Vec<_> = items
            .iter()
            .filter_map(|item| match item {
                Item::Event(event) => Some(event.id.to_string()),
                Item::Block(_) => None,
            })
            .collect();
        assert_eq!(
            ids,
            ["1", "1", "22", "", "\u{e9}t\u{e9}"],
            "reads of {size}"
        );
    }
}

#[test]
fn id_containing_nul_is_ignored() {
    assert_eq!(
        triples(b"id: 1\n\nid: a\0b\ndata: x\n\n"),
        vec![t("message", "x", "1")]
    );
}

#[test]
fn retry_accepts_only_ascii_digits() {
    for (line, expected) in [
        (&b"retry: 1500\n"[..], Some(1500)),
        (b"retry:0\n", Some(0)),
        (b"retry: +5\n", None),
        (b"retry: -5\n", None),
        (b"retry: 5 \n", None),
        (b"retry: 1.5\n", None),
        (b"retry: \n", None),
        (b"retry\n", None),
        (b"retry: \xd9\xa3\n", None), // ARABIC-INDIC DIGIT THREE is not ASCII
    ] {
        let (_, _, parser) = parse_chunks(&[line]);
        assert_eq!(
            parser.reconnection_time_ms(),
            expected,
            "{}",
            String::from_utf8_lossy(line)
        );
    }
}

#[test]
fn huge_retry_saturates_instead_of_overflowing() {
    let (_, _, parser) = parse_chunks(&[b"retry: 99999999999999999999999999\n\n"]);
    assert_eq!(parser.reconnection_time_ms(), Some(u64::MAX));
}

#[test]
fn retry_takes_effect_when_its_line_is_parsed() {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    parser.feed(b"retry: 250\n", &mut items).unwrap();
    assert!(items.is_empty());
    assert_eq!(
        parser.reconnection_time_ms(),
        Some(250),
        "no blank line needed"
    );
    parser.feed(b"\n", &mut items).unwrap();
    let Item::Block(b) = &items[0] else { panic!() };
    assert_eq!((b.kind(), b.retry_ms), (BlockKind::RetryOnly, Some(250)));
}

#[test]
fn retry_in_an_event_block_is_reported_on_the_event() {
    let e = &events(b"retry: 10\ndata: x\n\n")[0];
    assert_eq!(e.retry_ms, Some(10));
}

#[test]
fn unknown_fields_are_ignored() {
    assert_eq!(
        triples(b"foo: bar\nDATA: shouted\ndata: x\n\n"),
        vec![t("message", "x", "")]
    );
}

#[test]
fn incomplete_event_at_end_of_stream_is_discarded() {
    let (items, tail, _) = parse_chunks(&[b"data: a\n\ndata: never dispatched\n"]);
    assert_eq!(items.len(), 1);
    assert_eq!(tail, Some(9..32));
    let (items, tail, _) = parse_chunks(&[b"data: a\n\ndata: no line end"]);
    assert_eq!(items.len(), 1);
    assert_eq!(tail, Some(9..26));
}

#[test]
fn invalid_utf8_is_replaced_and_the_stream_continues() {
    assert_eq!(
        triples(b"data: a\xffb\n\ndata: \xe2\x82\n\ndata: ok\n\n"),
        vec![
            t("message", "a\u{fffd}b", ""),
            t("message", "\u{fffd}", ""),
            t("message", "ok", "")
        ]
    );
}

#[test]
fn multi_byte_character_split_across_reads_is_decoded() {
    let (items, _, _) = parse_chunks(&[b"data: \xe2", b"\x82", b"\xac\n\n"]);
    let Item::Event(e) = &items[0] else { panic!() };
    assert_eq!(e.data, "€");
}

#[test]
fn raw_range_covers_the_block_lines_not_the_blank_line() {
    let input = b": hi\n\nid: 1\r\nevent: e\r\ndata: x\r\n\r\n\n\ndata: y\n\n";
    let raws: Vec<&[u8]> = parse(input)
        .iter()
        .map(|i| &input[i.raw().start as usize..i.raw().end as usize])
        .collect();
    assert_eq!(
        raws,
        vec![
            &b": hi\n"[..],
            b"id: 1\r\nevent: e\r\ndata: x\r\n",
            b"data: y\n"
        ]
    );
}

#[test]
fn start_offset_shifts_raw_ranges() {
    let mut parser = Parser::new(ParserConfig {
        start_offset: 1000,
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    parser.feed(b"data: x\n\n", &mut items).unwrap();
    assert_eq!(items[0].raw(), &(1000..1008));
    assert_eq!(parser.position(), 1009);
}

#[test]
fn carried_last_event_id_is_used_until_changed() {
    let mut parser = Parser::new(ParserConfig {
        last_event_id: "41".into(),
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    parser
        .feed(b"data: x\n\nid: 42\ndata: y\n\n", &mut items)
        .unwrap();
    let ids: Vec<_> = items
        .iter()
        .map(|i| match i {
            Item::Event(e) => &*e.id,
            Item::Block(_) => "",
        })
        .collect();
    assert_eq!(ids, ["41", "42"]);
}

#[test]
fn oversized_event_fails_and_stays_failed() {
    let mut parser = Parser::new(ParserConfig {
        max_event_size: 16,
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    parser.feed(b"data: 0123456\n", &mut items).unwrap();
    let err = parser.feed(b"data: 0123456789\n", &mut items).unwrap_err();
    assert!(matches!(err, ParseError::EventTooLarge { limit: 16, .. }));
    assert!(
        parser.feed(b"\n", &mut items).is_err(),
        "no events after failing"
    );
    assert!(items.is_empty());
}

#[test]
fn oversized_line_without_ending_fails() {
    let mut parser = Parser::new(ParserConfig {
        max_event_size: 8,
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    assert!(parser.feed(b"data: 01", &mut items).is_ok());
    assert!(parser.feed(b"23456789", &mut items).is_err());
}

/// Regression: a line that arrived whole in one read used to be left out of the
/// size check, so an event near the limit failed or not depending on the split.
#[test]
fn size_limit_counts_the_whole_line_however_the_stream_is_split() {
    let config = || ParserConfig {
        max_event_size: 16,
        ..ParserConfig::default()
    };
    // The line is 19 bytes, over the 16-byte limit; its data alone (14 bytes) is not.
    let input: &[u8] = b"data: 0123456789abc\n\n";
    for split in 0..=input.len() {
        let mut parser = Parser::new(config());
        let mut items = Vec::new();
        let first = parser.feed(&input[..split], &mut items);
        let result = first.and_then(|()| parser.feed(&input[split..], &mut items));
        assert!(
            matches!(result, Err(ParseError::EventTooLarge { limit: 16, .. })),
            "split at {split}: {result:?}"
        );
        assert!(items.is_empty());
    }
    // A long comment line counts too, though it never reaches the data buffer.
    let mut parser = Parser::new(config());
    let mut items = Vec::new();
    assert!(
        parser
            .feed(b": a comment longer than sixteen bytes\n\n", &mut items)
            .is_err()
    );
}

#[test]
fn data_growing_past_the_limit_by_decoding_fails() {
    // Eight invalid bytes are a 13-byte line but 25 bytes of data once each is U+FFFD.
    let mut parser = Parser::new(ParserConfig {
        max_event_size: 16,
        ..ParserConfig::default()
    });
    let mut items = Vec::new();
    let result = parser.feed(b"data:\xff\xff\xff\xff\xff\xff\xff\xff\n\n", &mut items);
    assert!(
        matches!(result, Err(ParseError::EventTooLarge { size: 25, .. })),
        "{result:?}"
    );
    assert!(items.is_empty());
}

/// Every split point, and a byte at a time, gives the same items as one read.
#[test]
fn any_split_gives_the_same_items() {
    let input: &[u8] = b"\xEF\xBB\xBFretry: 5\r\n: c\r\rid: 1\r\nevent: e\rdata: \xe2\x82\xac\n\ndata: a\r\ndata: \xff\r\n\r\nid: 2\n\ndata: tail";
    let (whole, whole_tail, _) = parse_chunks(&[input]);
    assert_eq!(whole.len(), 4);
    for split in 0..=input.len() {
        let (items, tail, _) = parse_chunks(&[&input[..split], &input[split..]]);
        assert_eq!(items, whole, "split at {split}");
        assert_eq!(tail, whole_tail, "split at {split}");
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(parse_chunks(&bytes).0, whole);
}

/// Whether `text` lies inside `read`'s buffer (a slice of it, not a copy).
fn within(text: &ByteString, read: &Bytes) -> bool {
    let range = read.as_ptr_range();
    let text = text.as_bytes().as_ptr_range();
    range.start <= text.start && text.end <= range.end
}

/// The items of `reads` fed as they are (shared, not copied), and the parser.
fn feed_shared(reads: &[&Bytes]) -> (Vec<Item>, Parser) {
    let mut parser = Parser::default();
    let mut items = Vec::new();
    for read in reads {
        parser.feed_bytes(read, &mut items).expect("within limits");
    }
    (items, parser)
}

#[test]
fn one_line_fields_are_slices_of_their_read_and_others_are_built() {
    let read = Bytes::from_static(b"id: 7\nevent: tick\ndata: hello\n\ndata: a\ndata: b\n\nda");
    let second = Bytes::from_static(b"ta: split\n\n");
    let (items, _) = feed_shared(&[&read, &second]);
    let events: Vec<Event> = items
        .into_iter()
        .filter_map(|i| match i {
            Item::Event(e) => Some(e),
            Item::Block(_) => None,
        })
        .collect();
    assert_eq!(events.len(), 3);
    // Whole in one valid read: no copy.
    let first = &events[0];
    assert_eq!(
        (&*first.id, &*first.event, &*first.data),
        ("7", "tick", "hello")
    );
    assert!(within(&first.id, &read) && within(&first.event, &read) && within(&first.data, &read));
    // Joined lines and a line cut by the read boundary are new strings.
    assert_eq!(events[1].data, "a\nb");
    assert!(!within(&events[1].data, &read));
    assert_eq!(events[2].data, "split");
    assert!(!within(&events[2].data, &read) && !within(&events[2].data, &second));
    // The id carries over to events without an `id:` line, as the same text.
    assert_eq!((&*events[1].id, &*events[2].id), ("7", "7"));
}

#[test]
fn invalid_utf8_in_a_read_decodes_its_fields() {
    let read = Bytes::from_static(b"id: x\xFFy\ndata: ok\n\n");
    let (items, parser) = feed_shared(&[&read]);
    let Some(Item::Event(event)) = items.first() else {
        panic!("one event expected: {items:?}");
    };
    assert_eq!((&*event.id, &*event.data), ("x\u{FFFD}y", "ok"));
    assert_eq!(parser.last_event_id(), "x\u{FFFD}y");
}

#[test]
fn detached_strings_are_copies_with_the_same_text() {
    let read = Bytes::from_static(b"id: 9\nevent: e\nretry: 5\ndata: d\n\nid: 10\n\n");
    let (items, _) = feed_shared(&[&read]);
    let [Item::Event(event), Item::Block(block)] = &items[..] else {
        panic!("an event and a block expected: {items:?}");
    };
    let event = event.clone().detached();
    assert_eq!(
        (&*event.id, &*event.event, &*event.data, event.retry_ms),
        ("9", "e", "d", Some(5))
    );
    assert!(
        !within(&event.id, &read) && !within(&event.event, &read) && !within(&event.data, &read)
    );
    let block = block.clone().detached();
    assert_eq!(block.id.as_deref(), Some("10"));
    assert!(!within(block.id.as_ref().unwrap(), &read));
}

#[test]
fn long_lines_cut_by_reads_keep_their_text_whatever_they_hold() {
    let long = "z".repeat(10_000);
    let mut input =
        format!("id: {long}\ndata: {long}\ndata: end\n\n: {long}\n\ndata: ").into_bytes();
    input.extend_from_slice(&[b'q'; 5000]);
    input.extend_from_slice(b"\xFF\n\n");
    for cut in [1, 777, 4096, 9_999] {
        let chunks: Vec<&[u8]> = input.chunks(cut).collect();
        let (items, tail, parser) = parse_chunks(&chunks);
        assert_eq!(tail, None);
        let [Item::Event(first), Item::Block(comment), Item::Event(bad)] = &items[..] else {
            panic!("two events around a comment expected for reads of {cut}: {items:?}");
        };
        assert_eq!(first.id, long);
        assert_eq!(first.data, format!("{long}\nend"));
        assert_eq!(comment.comment.as_deref(), Some(long.as_str()));
        assert_eq!(bad.data, format!("{}\u{FFFD}", "q".repeat(5000)));
        assert_eq!(parser.last_event_id(), long);
    }
}

/// A sink that reads events in place and keeps only their data.
#[derive(Default)]
struct DataInPlace {
    data: Vec<String>,
}

impl ItemSink for DataInPlace {
    fn event(&mut self, event: Dispatched<'_>) {
        self.data.push(event.data().to_owned());
    }

    fn push_item(&mut self, _: Item) {}
}

#[test]
fn events_read_in_place_keep_nothing_of_their_read() {
    let mut read = Bytes::from(b"id: 7\nevent: tick\ndata: a\n\ndata: b\ndata: c\n\n".to_vec());
    let mut parser = Parser::default();
    let mut sink = DataInPlace::default();
    parser.feed_bytes(&read, &mut sink).unwrap();
    assert_eq!(sink.data, ["a", "b\nc"]);
    assert!(read.is_unique(), "no slice of the read is left anywhere");
    // Events kept are slices of the read, as before.
    let mut items = Vec::new();
    Parser::default().feed_bytes(&read, &mut items).unwrap();
    assert!(!read.is_unique());
    drop(items);
    assert!(read.is_unique());
    // A block the read leaves unfinished copies its short fields: the
    // read's buffer is free again before the block ends.
    read = Bytes::from(b"id: 7\nevent: e\ndata: x".to_vec());
    parser.feed_bytes(&read, &mut sink).unwrap();
    assert!(read.is_unique(), "the parser keeps a short field's read");
    parser
        .feed_bytes(&Bytes::from_static(b"y\n\n"), &mut sink)
        .unwrap();
    assert_eq!(sink.data.last().map(String::as_str), Some("xy"));
    // A long one stays a slice of its read: not copied.
    let long = "x".repeat(HANDED_OVER_LINE);
    read = Bytes::from(format!("event: {long}\ndata: a"));
    let mut items = Vec::new();
    parser.feed_bytes(&read, &mut items).unwrap();
    assert!(
        !read.is_unique(),
        "the long event type is a slice of its read"
    );
    parser
        .feed_bytes(&Bytes::from_static(b"\n\n"), &mut items)
        .unwrap();
    let [Item::Event(event)] = &items[..] else {
        panic!("one event expected: {items:?}");
    };
    assert_eq!((&*event.event, &*event.data), (long.as_str(), "a"));
    assert!(within(&event.event, &read));
}

mod plain;
