//! The parser's note of which events' data and id are plain: never said of
//! text that is not (`print` writes such text without escaping it), and
//! said of a one-line value that is, however the stream is cut into reads.

use super::*;

/// What a sink reading events in place sees of each: the data and id, and
/// whether each was said to be plain.
#[derive(Default)]
struct Plainness {
    seen: Vec<(String, bool, String, bool)>,
    /// For each event, its data's pieces joined, when it came in pieces.
    pieces: Vec<Option<String>>,
}

impl ItemSink for Plainness {
    fn event(&mut self, event: Dispatched<'_>) {
        // Read before the data is asked for as one string (which joins it).
        self.pieces.push(event.data_pieces().map(|pieces| {
            assert!(pieces.iter().all(|piece| !piece.is_empty()));
            pieces
                .iter()
                .map(|piece| std::str::from_utf8(piece).unwrap())
                .collect()
        }));
        self.seen.push((
            event.data().to_owned(),
            event.data_is_plain(),
            event.id().to_owned(),
            event.id_is_plain(),
        ));
    }

    fn push_item(&mut self, _: Item) {}
}

fn is_plain(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7F).contains(&b) && b != b'"' && b != b'\\')
}

/// The stream fed in reads of `size` bytes (the last one shorter).
fn seen(stream: &[u8], size: usize) -> Plainness {
    let mut parser = Parser::default();
    parser.note_plain(true);
    let mut sink = Plainness::default();
    for read in stream.chunks(size) {
        parser
            .feed_bytes(&Bytes::copy_from_slice(read), &mut sink)
            .unwrap();
    }
    sink
}

/// A stream of events whose data lines are short and long (up to 300 KB,
/// cut by most reads), plain or not, with the byte that is not plain at
/// the start, the middle or the end; ids plain or not; LF, CRLF and CR.
/// Returns it with each event's data.
fn stream() -> (Vec<u8>, Vec<String>) {
    let mut stream = Vec::new();
    let mut expected = Vec::new();
    let lengths: [usize; 10] = [0, 1, 63, 64, 65, 200, 4095, 4096, 70_000, 300_000];
    for len in lengths {
        for dirt in [None, Some(0), Some(len / 2), len.checked_sub(1)] {
            for (ending, odd) in [("\n", "\""), ("\r\n", "é"), ("\r", "\\")] {
                let mut data = "x".repeat(len);
                if let Some(at) = dirt.filter(|&at| at < len) {
                    data.replace_range(at..at + 1, odd);
                }
                let n = expected.len();
                let id = if n % 3 == 0 {
                    format!("i\"{n}")
                } else {
                    format!("{n}")
                };
                let event = format!("id: {id}{ending}data: {data}{ending}{ending}");
                stream.extend_from_slice(event.as_bytes());
                expected.push(data);
            }
        }
    }
    // Data of several lines is joined with LF, which is not plain.
    stream.extend_from_slice(b"data: a\ndata: b\n\n");
    expected.push("a\nb".to_owned());
    // Long lines that are not the block's first data line (kept in pieces
    // while they are held, then joined): a second data line, a comment,
    // an event type, an id.
    let long = "y".repeat(70_000);
    let block =
        format!("data: {long}\ndata: {long}\n: {long}\nevent: {long}\nid: {long}\n\ndata: e\n\n");
    stream.extend_from_slice(block.as_bytes());
    expected.push(format!("{long}\n{long}"));
    expected.push("e".to_owned());
    (stream, expected)
}

#[test]
fn data_and_ids_are_said_plain_exactly_when_they_are_however_the_stream_is_cut() {
    let (stream, expected) = stream();
    for size in [1, 7, 64, 1000, 4096, 65_536, 100_000, stream.len()] {
        let sink = seen(&stream, size);
        let seen = sink.seen;
        assert_eq!(seen.len(), expected.len(), "reads of {size}");
        // Data in pieces is the data; a plain line of 70,000 bytes or
        // more that reads of 65,536 and 100,000 bytes cut comes in pieces.
        let mut in_pieces = 0;
        for (pieces, want) in sink.pieces.iter().zip(&expected) {
            if let Some(pieces) = pieces {
                assert_eq!(pieces, want, "reads of {size}");
                in_pieces += 1;
            }
        }
        if size == 65_536 || size == 100_000 {
            assert!(in_pieces >= 2, "{in_pieces} in pieces, reads of {size}");
        }
        if size < 4096 || size == stream.len() {
            assert_eq!(in_pieces, 0, "reads of {size}");
        }
        for ((data, data_plain, id, id_plain), want) in seen.iter().zip(&expected) {
            assert_eq!(data, want, "reads of {size}");
            let one_line = !data.contains('\n');
            assert_eq!(
                *data_plain,
                one_line && is_plain(data),
                "data of {} bytes, reads of {size}",
                data.len()
            );
            assert_eq!(*id_plain, is_plain(id), "id {id:?}, reads of {size}");
        }
    }
}

#[test]
fn a_line_held_in_pieces_counts_against_the_size_limit_and_is_discarded_at_the_end() {
    let config = |max_event_size| ParserConfig {
        max_event_size,
        ..ParserConfig::default()
    };
    let line = format!("data: {}", "z".repeat(70_000));
    for size in [5_000, 65_536] {
        // Over the limit while it is still held in pieces: the same error.
        let mut parser = Parser::new(config(50_000));
        parser.note_plain(true);
        let failed = line
            .as_bytes()
            .chunks(size)
            .map(|read| parser.feed(read, &mut Vec::new()))
            .find_map(Result::err);
        assert!(
            matches!(
                failed,
                Some(ParseError::EventTooLarge { limit: 50_000, .. })
            ),
            "reads of {size}: {failed:?}"
        );
        // Cut off by the end of the stream: discarded, whole.
        let mut parser = Parser::default();
        parser.note_plain(true);
        for read in line.as_bytes().chunks(size) {
            parser.feed(read, &mut Vec::new()).unwrap();
        }
        assert_eq!(
            parser.finish(),
            Some(0..line.len() as u64),
            "reads of {size}"
        );
        let mut items = Vec::new();
        parser.feed(b"data: next\n\n", &mut items).unwrap();
        let [Item::Event(event)] = &items[..] else {
            panic!("one event expected: {items:?}");
        };
        assert_eq!(event.data, "next", "nothing of the discarded line is left");
    }
}
