//! A JSON string as every NDJSON line writes it: serde_json's escaping,
//! plus the characters a terminal must never see raw, found a block at a
//! time on the per-event path (`print`'s data, ids and types).

use std::io::{self, Write};

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

/// The index of the first byte at or after `from` that may need escaping
/// ([`needs_escape`]). Long text goes 64 bytes at a time, then 32, each
/// block checked whole with no early exit so the compiler uses vector
/// compares; the last bytes go a word at a time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut offset = from;
    let mut blocks = rest.chunks_exact(64);
    for block in blocks.by_ref() {
        if let Ok(block) = <&[u8; 64]>::try_from(block)
            && !has_escape(block)
        {
            offset += 64;
            continue;
        }
        return first_escape(block, offset);
    }
    let mut halves = blocks.remainder().chunks_exact(32);
    for block in halves.by_ref() {
        if let Ok(block) = <&[u8; 32]>::try_from(block)
            && !has_escape(block)
        {
            offset += 32;
            continue;
        }
        return first_escape(block, offset);
    }
    next_escape_in_words(halves.remainder(), offset)
}

/// Whether `block` holds a byte [`needs_escape`] flags. A first look,
/// as cheap as JSON's own check, finds anything outside printable ASCII
/// (controls, DEL, every byte of a multi-byte character), a quote or a
/// backslash; only a block it flags gets the exact look, so ASCII text
/// scans as fast as before the terminal's characters were added (text
/// mostly of other scripts pays for both looks).
fn has_escape<const N: usize>(block: &[u8; N]) -> bool {
    let mut maybe = [false; N];
    for i in 0..N {
        let b = block[i];
        maybe[i] = (b.wrapping_sub(0x20) >= 0x5F) | (b == b'"') | (b == b'\\');
    }
    if !maybe.contains(&true) {
        return false;
    }
    let mut hits = [false; N];
    for i in 0..N {
        hits[i] = needs_escape(block[i]);
    }
    hits.contains(&true)
}

/// The first byte of `block` that may need escaping, one at a time
/// (by table: one load a byte, where [`needs_escape`]'s eight compares
/// made short strings such as event types and ids slower).
fn first_escape(block: &[u8], offset: usize) -> Option<usize> {
    block
        .iter()
        .position(|&b| NEEDS_ESCAPE[usize::from(b)])
        .map(|i| offset + i)
}

/// [`needs_escape`] of every byte.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = needs_escape(b as u8);
        b += 1;
    }
    table
};

/// The first byte that may need escaping in `bytes` (fewer than 32),
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

/// Control characters, the quote and the backslash, DEL, and the UTF-8
/// lead bytes of the other characters a terminal must not see: 0xC2
/// (C1, U+0080-U+009F), 0xD8 (U+061C), 0xE2 (U+200B-U+206F, U+2028/9)
/// and 0xEF (U+FEFF). Other characters with these lead bytes are
/// flagged too and let through by [`string`]. Written as comparisons
/// joined by `|`, not `||` or `matches!`: the compiler then turns a
/// block's worth into vector compares (with `matches!` small events
/// printed 20% slower).
#[inline(always)]
const fn needs_escape(b: u8) -> bool {
    (b < 0x20)
        | (b == b'"')
        | (b == b'\\')
        | (b == 0x7F)
        | (b == 0xC2)
        | (b == 0xD8)
        | (b == 0xE2)
        | (b == 0xEF)
}
