use super::body_scan::BodyScan;
use super::format::{QUOTE_CHARS, one_line, quote};

fn scan(reads: &[&[u8]]) -> BodyScan {
    let mut body = BodyScan::default();
    body.start_attempt();
    let mut offset = 0;
    for read in reads {
        body.scan(read, offset, None);
        offset += read.len() as u64;
    }
    body.end_attempt();
    body
}

/// [`scan`] with what the event-stream parser learnt of each read.
fn scan_with_facts(reads: &[&[u8]]) -> BodyScan {
    let mut parser = crate::sse::Parser::default();
    let mut body = BodyScan::default();
    body.start_attempt();
    let mut offset = 0;
    for read in reads {
        let mut items = Vec::new();
        let _ = parser.feed(read, &mut items);
        body.scan(read, offset, Some(parser.take_facts()));
        offset += read.len() as u64;
    }
    body.end_attempt();
    body
}

#[test]
fn the_parsers_facts_give_what_scanning_the_bytes_gives_however_the_reads_are_cut() {
    let streams: &[&[u8]] = &[
        b"data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\n",
        b"\xEF\xBB\xBFdata: bom\n\ndata: inner \xEF\xBB\xBF\n\n",
        b"\xEF\xBBAdata: not a bom\n\n",
        b"data: caf\xC3\xA9 \xFF bad \xE2\x82\n\n: c\xE2\x82\xAC\r\n\r\n",
        b"data: no end\r",
    ];
    for stream in streams {
        for cut in 0..=stream.len() {
            for step in [1, 3, 7] {
                let mut reads: Vec<&[u8]> = Vec::new();
                let (head, tail) = stream.split_at(cut);
                reads.push(head);
                reads.extend(tail.chunks(step));
                let (a, b) = (scan(&reads), scan_with_facts(&reads));
                let fields = |b: &BodyScan| {
                    (
                        (b.lf, b.crlf, b.cr),
                        (b.leading_boms, b.inner_boms),
                        (b.invalid_utf8, b.first_invalid_at),
                    )
                };
                assert_eq!(
                    fields(&a),
                    fields(&b),
                    "{stream:?} cut at {cut}, then {step}"
                );
            }
        }
    }
}

#[test]
fn a_crlf_split_across_reads_is_one_crlf() {
    let body = scan(&[b"data: a\r", b"\n\r\n"]);
    assert_eq!((body.lf, body.crlf, body.cr), (0, 2, 0));
    let body = scan(&[b"data: a\r", b"\r"]);
    assert_eq!((body.lf, body.crlf, body.cr), (0, 0, 2));
}

#[test]
fn a_character_split_across_reads_is_valid_utf8() {
    let body = scan(&[b"data: \xE2\x82", b"\xAC\n\n"]);
    assert_eq!(body.invalid_utf8, 0);
    let body = scan(&[b"data: \xE2\x82", b"x\n\n"]);
    assert_eq!(body.invalid_utf8, 1);
    assert_eq!(body.first_invalid_at, Some(6));
    let body = scan(&[b"data: \xE2\x82"]);
    assert_eq!(body.invalid_utf8, 1, "the body ended inside a character");
}

#[test]
fn a_bom_split_across_reads_is_a_leading_bom() {
    let body = scan(&[b"\xEF\xBB", b"\xBFdata: a\n\n"]);
    assert_eq!((body.leading_boms, body.inner_boms), (1, 0));
    let body = scan(&[b"data: a\n\n", b"\xEF\xBB\xBFdata: b\n\n"]);
    assert_eq!((body.leading_boms, body.inner_boms), (0, 1));
}

#[test]
fn quoting_neutralises_terminal_controls_and_cuts_long_text() {
    assert_eq!(quote("a\u{1b}[31m\u{202e}"), "\"a␛[31m\\u{202e}\"");
    let long = "é".repeat(100);
    assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 3);
    assert_eq!(one_line("a\nb", 10), "a␊b");
    assert_eq!(
        one_line("x\u{202e}\u{200b}\u{9b}y", 10),
        "x\\u{202e}\\u{200b}\\u{9b}y"
    );
}
