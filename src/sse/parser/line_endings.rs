//! Where a read's lines end: every CR and LF, found 64 bytes at a time,
//! and which lines are plain (`byte_mask`'s sense: printable ASCII but `"`
//! and `\`), noted while their bytes are in hand so `print` can write
//! their data without scanning it again.
//!
//! A block's line endings become one bit each in a 64-bit mask
//! ([`byte_mask::line_endings`]: vector compares and a movemask); each
//! line ending after that costs a trailing-zero count. A search per
//! line (memchr2) cost more in calls and set-up than in scanning on the
//! short lines of small events; a long line is scanned to its end in one
//! call ([`byte_mask::scan_line`]) once four blocks in a row hold no ending.

use crate::text::byte_mask::{self, BLOCK};

/// The offsets of the CR and LF bytes of `bytes`, in order.
pub(super) struct LineEndings<'a> {
    bytes: &'a [u8],
    /// Offset of the block `mask` describes.
    block: usize,
    /// The line endings of that block not yet returned, bit `i` for byte `block + i`.
    mask: u64,
    /// The bytes of that block that are neither plain nor a line ending.
    dirty: u64,
    /// One past the last such byte before `block` (0: none).
    dirty_before: usize,
}

/// Blocks without a line ending after which the rest of a line is scanned
/// in one call.
const LONG_LINE_BLOCKS: u32 = 4;

impl<'a> LineEndings<'a> {
    #[cfg(test)]
    fn new(bytes: &'a [u8]) -> Self {
        let (mask, dirty) = masks(bytes);
        Self {
            bytes,
            block: 0,
            mask,
            dirty,
            dirty_before: 0,
        }
    }

    /// The line endings of `bytes` from `first`, its first, found already
    /// (with whether the bytes before it are `plain`).
    pub(super) fn after_first(bytes: &'a [u8], first: usize, plain: bool) -> Self {
        let (mask, dirty) = masks(bytes.get(first..).unwrap_or_default());
        Self {
            bytes,
            block: first,
            mask,
            dirty,
            // Some byte of the first line, when it is not plain.
            dirty_before: usize::from(!plain),
        }
    }

    /// Whether the bytes from `start` up to `end`, the line ending last
    /// returned, are plain.
    #[inline]
    pub(super) fn plain(&self, start: usize, end: usize) -> bool {
        if self.dirty_before > start {
            return false;
        }
        // The line's bits of the current block (which holds `end`).
        let from = start.saturating_sub(self.block);
        let to = end - self.block;
        let line = ((1u64 << to) - 1) & !((1u64 << from.min(to)) - 1);
        self.dirty & line == 0
    }
}

impl Iterator for LineEndings<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let mut empty_blocks = 0;
        while self.mask == 0 {
            if self.dirty != 0 {
                self.dirty_before = self.block + BLOCK - self.dirty.leading_zeros() as usize;
            }
            self.block += BLOCK;
            let mut rest = self
                .bytes
                .get(self.block..)
                .filter(|rest| !rest.is_empty())?;
            empty_blocks += 1;
            if empty_blocks == LONG_LINE_BLOCKS {
                // A long line: scanned to its end in one pass, where the
                // blocks cost a mask each (100 KiB events read 20% slower).
                // Not sooner: a small event's data line spans a block or
                // two, and a call per line cost more.
                let scan = byte_mask::scan_line(rest);
                if !scan.plain {
                    // Some byte of `rest`, all of which belongs to the line.
                    self.dirty_before = self.block + 1;
                }
                self.block += scan.end?;
                rest = &self.bytes[self.block..];
            }
            (self.mask, self.dirty) = masks(rest);
        }
        let at = self.mask.trailing_zeros() as usize;
        // Clear the lowest set bit.
        self.mask &= self.mask - 1;
        Some(self.block + at)
    }
}

/// The line endings among the first 64 bytes of `bytes` (fewer at its
/// end), and the bytes among them that are neither plain nor a line ending.
#[inline]
fn masks(bytes: &[u8]) -> (u64, u64) {
    let masks = |block: &[u8; BLOCK]| {
        let flagged = byte_mask::not_plain(block);
        // A CR or LF is not plain: a block of plain text has neither.
        let endings = if flagged == 0 {
            0
        } else {
            byte_mask::line_endings(block)
        };
        (endings, flagged & !endings)
    };
    match bytes.first_chunk::<BLOCK>() {
        Some(block) => masks(block),
        None => masks(&byte_mask::padded(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of every length (short ones in a block, long ones scanned to
    /// their end), with a byte that is not plain anywhere or nowhere:
    /// each line's plainness against a byte-by-byte look.
    #[test]
    fn each_line_is_known_plain_exactly_when_its_bytes_are() {
        for len in 0..800 {
            for every in [1, 2, 7, 63, 64, 65, 129, 300, 600] {
                for dirt in [None, Some(3), Some(64), Some(191), Some(599)] {
                    let bytes: Vec<u8> = (0..len)
                        .map(|i| match (i % every, dirt) {
                            (0, _) => b'\n',
                            (_, Some(d)) if i % 700 == d => 0xE2,
                            _ => b'x',
                        })
                        .collect();
                    let mut endings = LineEndings::new(&bytes);
                    let mut start = 0;
                    while let Some(end) = endings.next() {
                        let plain = bytes[start..end].iter().all(|&b| b != 0xE2);
                        assert_eq!(
                            endings.plain(start, end),
                            plain,
                            "{len} bytes, every {every}, dirt {dirt:?}, line {start}..{end}"
                        );
                        start = end + 1;
                    }
                }
            }
        }
    }

    #[test]
    fn every_cr_and_lf_is_found_in_order_at_any_length_and_place() {
        for len in 0..800 {
            for every in [1, 2, 3, 7, 63, 64, 65, 127, 128, 129, 300, 600] {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| match i % every {
                        0 if i % 2 == 0 => b'\n',
                        0 => b'\r',
                        _ => b'x',
                    })
                    .collect();
                let expected: Vec<usize> = (0..len)
                    .filter(|&i| matches!(bytes[i], b'\n' | b'\r'))
                    .collect();
                assert_eq!(
                    LineEndings::new(&bytes).collect::<Vec<_>>(),
                    expected,
                    "{len} bytes, every {every}"
                );
            }
        }
    }
}
