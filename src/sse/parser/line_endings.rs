//! Where a read's lines end: every CR and LF, found 64 bytes at a time.
//!
//! A block's line endings become one bit each in a 64-bit mask
//! ([`byte_mask::line_endings`]: vector compares and a movemask); each
//! line ending after that costs a trailing-zero count. A search per
//! line (memchr2) cost more in calls and set-up than in scanning on the
//! short lines of small events; a long line is still searched with memchr2
//! once four blocks in a row hold no ending.

/// The offsets of the CR and LF bytes of `bytes`, in order.
pub(super) struct LineEndings<'a> {
    bytes: &'a [u8],
    /// Offset of the block `mask` describes.
    block: usize,
    /// The line endings of that block not yet returned, bit `i` for byte `block + i`.
    mask: u64,
}

use crate::text::byte_mask::{self, BLOCK};

/// Blocks without a line ending after which the rest of a line is searched
/// with memchr2.
const LONG_LINE_BLOCKS: u32 = 4;

impl<'a> LineEndings<'a> {
    #[cfg(test)]
    fn new(bytes: &'a [u8]) -> Self {
        Self::after_first(bytes, 0)
    }

    /// The line endings of `bytes` from `first`, its first, found already.
    pub(super) fn after_first(bytes: &'a [u8], first: usize) -> Self {
        Self {
            bytes,
            block: first,
            mask: mask(bytes.get(first..).unwrap_or_default()),
        }
    }
}

impl Iterator for LineEndings<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let mut empty_blocks = 0;
        while self.mask == 0 {
            self.block += BLOCK;
            let mut rest = self
                .bytes
                .get(self.block..)
                .filter(|rest| !rest.is_empty())?;
            empty_blocks += 1;
            if empty_blocks == LONG_LINE_BLOCKS {
                // A long line: memchr2 runs through the rest of it at memory
                // speed, where the blocks cost a mask each (100 KiB events
                // read 20% slower). Not sooner: a small event's data line
                // spans a block or two, and a call per line cost more.
                self.block += memchr::memchr2(b'\n', b'\r', rest)?;
                rest = &self.bytes[self.block..];
            }
            self.mask = mask(rest);
        }
        let at = self.mask.trailing_zeros() as usize;
        // Clear the lowest set bit.
        self.mask &= self.mask - 1;
        Some(self.block + at)
    }
}

/// The line endings among the first 64 bytes of `bytes` (fewer at its end).
#[inline]
fn mask(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<BLOCK>() {
        Some(block) => byte_mask::line_endings(block),
        None => byte_mask::line_endings(&byte_mask::padded(bytes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
