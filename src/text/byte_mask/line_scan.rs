//! A long line's first or last ending, and whether the text beside it is
//! plain, in one pass over its bytes (see [`super`] for the masks).

#[cfg(target_arch = "x86_64")]
use super::avx2;
use super::{BLOCK, line_endings, not_plain, padded};

/// What [`scan_line`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineScan {
    /// The offset of the first CR or LF, if there is one.
    pub end: Option<usize>,
    /// Whether every byte before it (every byte, when there is none) is plain.
    pub plain: bool,
}

/// The first line ending of `bytes` and whether the text before it is
/// plain, in one pass: for a long line, whose bytes are looked at once
/// instead of once for its end and again for its escapes. A block of plain
/// text costs one look (a CR or LF is not plain itself); its line endings
/// are masked only where that look finds something. With AVX2 (checked
/// once per call) 32 bytes are compared at once.
pub fn scan_line(bytes: &[u8]) -> LineScan {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, as just checked.
        return unsafe { avx2::scan_line(bytes) };
    }
    scan_line_with(
        bytes,
        |block| not_plain(block) != 0,
        not_plain,
        line_endings,
    )
}

/// The last line ending of `bytes` and whether the text after it is plain
/// ([`LineScan::end`] is then the last ending; `plain` is of the bytes after
/// it, or of every byte when there is none): [`scan_line`] from the end,
/// for a read whose last line goes on in the next one (a big event's data).
pub fn scan_line_back(bytes: &[u8]) -> LineScan {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, as just checked.
        return unsafe { avx2::scan_line_back(bytes) };
    }
    scan_line_back_with(
        bytes,
        |block| not_plain(block) != 0,
        not_plain,
        line_endings,
    )
}

/// [`scan_line_back`] with the masks given (see [`scan_line_with`]).
#[inline(always)]
pub(super) fn scan_line_back_with(
    bytes: &[u8],
    any_not_plain: impl Fn(&[u8; BLOCK]) -> bool,
    not_plain: impl Fn(&[u8; BLOCK]) -> u64,
    line_endings: impl Fn(&[u8; BLOCK]) -> u64,
) -> LineScan {
    let mut plain = true;
    // Looks at the bits of a block below `below` (the first block overlaps
    // the one after it), which begins at byte `offset` of `bytes`.
    let mut look = |block: &[u8; BLOCK], below: usize, offset: usize| {
        let unseen = u64::MAX >> (BLOCK - below);
        let flagged = not_plain(block) & unseen;
        if flagged == 0 {
            return None;
        }
        let endings = line_endings(block) & unseen;
        if endings == 0 {
            plain = false;
            return None;
        }
        let last = BLOCK - 1 - endings.leading_zeros() as usize;
        plain &= (flagged >> last) >> 1 == 0;
        Some(offset + last)
    };
    let end = match bytes.first_chunk::<BLOCK>() {
        None => look(&padded(bytes), BLOCK, 0),
        Some(first) => {
            let mut blocks = bytes.rchunks_exact(BLOCK);
            let mut offset = bytes.len();
            let mut end = None;
            for block in blocks.by_ref() {
                offset -= BLOCK;
                // A plain block holds no line ending either: passed over.
                end = block
                    .first_chunk()
                    .filter(|block| any_not_plain(block))
                    .and_then(|block| look(block, BLOCK, offset));
                if end.is_some() {
                    break;
                }
            }
            let left = blocks.remainder().len();
            match end {
                None if left > 0 => look(first, left, 0),
                end => end,
            }
        }
    };
    LineScan { end, plain }
}

/// [`scan_line`] with the masks given, so each form is compiled with its
/// own instructions in line. `any_not_plain` is whether `not_plain` would
/// flag anything: a cheaper look for the common case, a block of plain text.
#[inline(always)]
pub(super) fn scan_line_with(
    bytes: &[u8],
    any_not_plain: impl Fn(&[u8; BLOCK]) -> bool,
    not_plain: impl Fn(&[u8; BLOCK]) -> u64,
    line_endings: impl Fn(&[u8; BLOCK]) -> u64,
) -> LineScan {
    let mut plain = true;
    // Looks at the bits of a block from `skip` on (the last block overlaps
    // the one before), which begin at byte `offset` of `bytes`.
    let mut look = |block: &[u8; BLOCK], skip: usize, offset: usize| {
        let flagged = not_plain(block) >> skip;
        if flagged == 0 {
            return None;
        }
        let endings = line_endings(block) >> skip;
        if endings == 0 {
            plain = false;
            return None;
        }
        let end = endings.trailing_zeros() as usize;
        plain &= flagged & ((1u64 << end) - 1) == 0;
        Some(offset + end)
    };
    let end = match bytes.last_chunk::<BLOCK>() {
        None => look(&padded(bytes), 0, 0),
        Some(last) => {
            let mut blocks = bytes.chunks_exact(BLOCK);
            let mut offset = 0;
            let mut end = None;
            for block in blocks.by_ref() {
                // A plain block holds no line ending either: passed over.
                end = block
                    .first_chunk()
                    .filter(|block| any_not_plain(block))
                    .and_then(|block| look(block, 0, offset));
                if end.is_some() {
                    break;
                }
                offset += BLOCK;
            }
            let left = blocks.remainder().len();
            match end {
                None if left > 0 => look(last, BLOCK - left, offset),
                end => end,
            }
        }
    };
    LineScan { end, plain }
}

#[cfg(test)]
mod tests {
    use super::super::{is_line_ending, is_not_plain, portable};
    use super::*;

    /// Every length around the block sizes, a line ending and a byte that
    /// is not plain at every place (before, at and after each other),
    /// against a byte-by-byte look: each form the CPU can run, both ways.
    #[test]
    fn a_line_scan_finds_the_first_or_last_ending_and_whether_the_text_beside_it_is_plain() {
        let any = |block: &[u8; BLOCK]| portable::not_plain(block) != 0;
        let expected = |bytes: &[u8]| {
            let end = bytes.iter().position(|&b| is_line_ending(b));
            let before = &bytes[..end.unwrap_or(bytes.len())];
            LineScan {
                end,
                plain: !before.iter().any(|&b| is_not_plain(b)),
            }
        };
        let expected_back = |bytes: &[u8]| {
            let end = bytes.iter().rposition(|&b| is_line_ending(b));
            let after = &bytes[end.map_or(0, |end| end + 1)..];
            LineScan {
                end,
                plain: !after.iter().any(|&b| is_not_plain(b)),
            }
        };
        for len in 0..300usize {
            let places = || {
                let edges = [1, 63, 64, len.wrapping_sub(1)];
                (0..len)
                    .step_by(11)
                    .chain(edges)
                    .filter(move |&at| at < len)
            };
            for ending in places().map(Some).chain([None]) {
                for dirty in places().map(Some).chain([None]) {
                    for (end_byte, dirty_byte) in [(b'\n', b'"'), (b'\r', 0xC3), (b'\n', 0x7F)] {
                        let mut bytes = vec![b'a'; len];
                        if let Some(at) = dirty {
                            bytes[at] = dirty_byte;
                        }
                        if let Some(at) = ending {
                            bytes[at] = end_byte;
                        }
                        let want = expected(&bytes);
                        let what = format!("{len} bytes, ending {ending:?}, dirty {dirty:?}");
                        assert_eq!(scan_line(&bytes), want, "{what}");
                        let portable = scan_line_with(
                            &bytes,
                            any,
                            portable::not_plain,
                            portable::line_endings,
                        );
                        assert_eq!(portable, want, "portable, {what}");
                        let want = expected_back(&bytes);
                        assert_eq!(scan_line_back(&bytes), want, "back, {what}");
                        let portable = scan_line_back_with(
                            &bytes,
                            any,
                            portable::not_plain,
                            portable::line_endings,
                        );
                        assert_eq!(portable, want, "back, portable, {what}");
                    }
                }
            }
        }
    }
}
