//! Where a read's lines end: every CR and LF, found 64 bytes at a time.
//!
//! A block's line endings become one bit each in a 64-bit mask, built by
//! byte compares the compiler turns into vector compares and a movemask;
//! each line ending after that costs a trailing-zero count. A search per
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

const BLOCK: usize = 64;

/// Blocks without a line ending after which the rest of a line is searched
/// with memchr2.
const LONG_LINE_BLOCKS: u32 = 4;

impl<'a> LineEndings<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            block: 0,
            mask: mask(bytes),
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
        Some(block) => block_mask(block),
        None => bytes
            .iter()
            .enumerate()
            .fold(0, |mask, (i, &b)| mask | (u64::from(is_ending(b)) << i)),
    }
}

/// The compares are written over a fixed-size block with no early exit,
/// so they are compiled to vector compares; their results (0 or 1 a byte)
/// are gathered into bits eight at a time by one multiplication: byte `k`
/// of `word` lands on bit `56 + k` of the product, and no two partial
/// products below it overlap, so nothing carries into it.
#[inline]
fn block_mask(block: &[u8; BLOCK]) -> u64 {
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let mut hits = [0u8; BLOCK];
    for (hit, &b) in hits.iter_mut().zip(block) {
        *hit = u8::from(is_ending(b));
    }
    let mut mask = 0;
    for (i, word) in hits.chunks_exact(8).enumerate() {
        let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
        mask |= (word.wrapping_mul(GATHER) >> 56) << (8 * i);
    }
    mask
}

#[inline(always)]
fn is_ending(b: u8) -> bool {
    (b == b'\n') | (b == b'\r')
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
                let expected: Vec<usize> = (0..len).filter(|&i| is_ending(bytes[i])).collect();
                assert_eq!(
                    LineEndings::new(&bytes).collect::<Vec<_>>(),
                    expected,
                    "{len} bytes, every {every}"
                );
            }
        }
    }
}
