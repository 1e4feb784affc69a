use super::body_scan::BodyScan;
use super::format::{QUOTE_CHARS, one_line, quote};

fn scan(reads: &[&[u8]]) -> BodyScan {
    let mut body = BodyScan::default();
    body.start_attempt();
    let mut offset = 0;
    for read in reads {
        body.scan(read, offset);
        offset += read.len() as u64;
    }
    body.end_attempt();
    body
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
