//! A JSON string as every NDJSON line writes it: serde_json's escaping,
//! plus the characters a terminal must never see raw, found 64 bytes at a
//! time on the per-event path (`print`'s data, ids and types).

use std::io::{self, Write};

use crate::text::byte_mask::{self, BLOCK};

/// A JSON string, escaped as serde_json does: the two-character forms for
/// `"`, `\`, backspace, form feed, LF, CR and tab, `\u00XX` (lower-case hex)
/// for other control characters, everything else as is; except that the
/// characters a terminal must never see raw (`text::is_neutralised`: DEL,
/// C1, bidirectional and zero-width characters, which JSON lets through)
/// are `\uXXXX` too, as JSON also allows, so they read back unchanged.
pub fn string(out: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    out.write_all(b"\"")?;
    let mut start = 0;
    let mut from = 0;
    while let Some(at) = next_escape(bytes, from) {
        let byte = bytes[at];
        let short = match byte {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            0x0C => Some(b'f'),
            b'\n' => Some(b'n'),
            b'\r' => Some(b'r'),
            b'\t' => Some(b't'),
            _ => None,
        };
        let (code, len) = if short.is_some() || byte < 0x80 {
            (u32::from(byte), 1)
        } else {
            // A lead byte the set shares with other characters: look closely.
            match text[at..].chars().next() {
                Some(c) if crate::text::is_neutralised(c) => (c as u32, c.len_utf8()),
                _ => {
                    from = at + 1;
                    continue;
                }
            }
        };
        out.write_all(&bytes[start..at])?;
        match short {
            Some(c) => out.write_all(&[b'\\', c])?,
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = |shift: u32| HEX[((code >> shift) & 0xF) as usize];
                out.write_all(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)])?;
            }
        }
        start = at + len;
        from = start;
    }
    out.write_all(&bytes[start..])?;
    out.write_all(b"\"")
}

/// [`string`] of text that may be known to be plain (`byte_mask`'s
/// sense), which needs no escaping: written as it is, not scanned again.
#[inline]
pub(super) fn string_of(out: &mut impl Write, text: &str, plain: bool) -> io::Result<()> {
    if !plain {
        return string(out, text);
    }
    plain_check(text);
    out.write_all(b"\"")?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\"")
}

/// Holds a note that `text` is plain to the escaper's own scan, in debug
/// builds (every test that prints checks the notes it prints by).
#[inline(always)]
pub(super) fn plain_check(text: &str) {
    debug_assert_eq!(
        next_escape(text.as_bytes(), 0),
        None,
        "{text:?} is not plain"
    );
}

/// The index of the first byte at or after `from` that may need escaping
/// ([`byte_mask::is_json_escape`]). Text of 64 bytes or more is scanned a
/// block at a time by bit masks ([`byte_mask::first_json_escape`]).
/// Shorter text (ids, types, the end of a scan resumed near the end) goes a
/// word at a time: copying it into a padded block for the vector compares
/// stalled on the copy (a wide load of narrow stores) and cost more than
/// the compares saved.
#[inline]
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    if rest.len() < BLOCK {
        return next_escape_in_words(rest, from);
    }
    byte_mask::first_json_escape(rest).map(|at| from + at)
}

/// The first byte that may need escaping in `bytes` (fewer than 64),
/// eight at a time; `offset` is where `bytes` begins.
fn next_escape_in_words(bytes: &[u8], offset: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let has = |w: u64, byte: u8| {
        let x = w ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    let mut words = bytes.chunks_exact(8);
    let mut offset = offset;
    for word in words.by_ref() {
        let mut le = [0; 8];
        le.copy_from_slice(word);
        let w = u64::from_le_bytes(le);
        // The classic "has a byte less than n" and "has a zero byte"
        // tests, plus any byte with its high bit set (where the lead
        // bytes of the multi-byte characters are): a filter that may
        // flag too much, never too little; the word's bytes then decide.
        let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
        let hits = control | has(w, b'"') | has(w, b'\\') | has(w, 0x7F) | (w & HIGHS);
        if hits != 0
            && let Some(at) = first_escape(word, offset)
        {
            return Some(at);
        }
        offset += 8;
    }
    first_escape(words.remainder(), offset)
}

/// The first byte of `bytes` that may need escaping, one at a time (by
/// table: one load a byte).
fn first_escape(bytes: &[u8], offset: usize) -> Option<usize> {
    bytes
        .iter()
        .position(|&b| NEEDS_ESCAPE[usize::from(b)])
        .map(|i| offset + i)
}

/// [`byte_mask::is_json_escape`] of every byte.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = byte_mask::is_json_escape(b as u8);
        b += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the block size, every place of the byte to
    /// find and every place to start from, against a byte-by-byte look.
    #[test]
    fn the_next_escape_is_found_wherever_it_is_and_wherever_the_scan_starts() {
        for len in 0..200usize {
            for special in [b'"', b'\n', 0x7F, 0xE2] {
                for at in (0..len).step_by(7).chain([len.saturating_sub(1)]) {
                    let mut bytes = vec![b'a'; len];
                    if let Some(byte) = bytes.get_mut(at) {
                        *byte = special;
                    }
                    for from in [0, 1, 63, 64, 65, at, at + 1, len] {
                        let expected = (from..len).find(|&i| NEEDS_ESCAPE[usize::from(bytes[i])]);
                        assert_eq!(
                            next_escape(&bytes, from),
                            expected,
                            "{len} bytes, {special:#x} at {at}, from {from}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn long_text_is_escaped_as_serde_json_does_with_the_terminals_characters_as_u_escapes() {
        let text = format!(
            "{}\"q\"\n{}\u{202e}{}\\",
            "x".repeat(70),
            "é".repeat(40),
            "y".repeat(63)
        );
        let mut out = Vec::new();
        string(&mut out, &text).unwrap();
        let expected = serde_json::to_string(&text)
            .unwrap()
            .replace('\u{202e}', "\\u202e");
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
