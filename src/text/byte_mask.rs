//! Which bytes of a 64-byte block belong to a small set, one bit each (bit
//! `i` for byte `i`), for the two scans every event goes through: its line
//! endings (the parser) and the bytes its JSON string must escape (`print`).
//!
//! Text is *plain* when every byte is printable ASCII other than `"` and
//! `\`: a JSON string and a terminal take it as it is, and it is valid
//! UTF-8. The parser notes which lines are plain as it finds their endings
//! (the bytes are in hand then), so `print` need not scan their data again.
//!
//! On x86_64 the compares run 16 bytes at a time with SSE2 and each group
//! becomes 16 bits with one `movemask`. The portable form (byte compares
//! over the whole block, gathered eight at a time by a multiplication) is
//! what the compiler vectorises best without them, and took twice as long
//! per block (8.3 ns against 4.3 in a micro-benchmark); it stays for other
//! targets and as the tests' reference.

/// The bytes of a block.
pub const BLOCK: usize = 64;

/// Bit `i` set where `block[i]` is a CR or an LF.
#[inline]
pub fn line_endings(block: &[u8; BLOCK]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of x86_64 itself: every CPU that runs an
        // x86_64 binary has it, so the function's only requirement holds.
        unsafe { sse2::line_endings(block) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    portable::line_endings(block)
}

/// Bit `i` set where `block[i]` must be escaped in a JSON string a terminal
/// may show (see `capture::ndjson::escape`): a control character (below
/// 0x20), `"`, `\`, DEL, and the UTF-8 lead bytes of the other characters a
/// terminal must not see raw: 0xC2 (C1), 0xD8 (U+061C), 0xE2 (U+200B to
/// U+206F, U+2028/9) and 0xEF (U+FEFF). Other characters with those lead
/// bytes are flagged too; the caller looks closer.
#[inline]
fn json_escapes(block: &[u8; BLOCK]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: as in `line_endings`: SSE2 is part of x86_64.
        unsafe { sse2::json_escapes(block) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    portable::json_escapes(block)
}

/// Bit `i` set where `block[i]` is not plain: outside printable ASCII (a
/// control, DEL, any byte of a non-ASCII character), `"` or `\`. It is also
/// the first look for [`json_escapes`], with fewer compares: text whose
/// block it passes needs no second look.
#[inline]
pub fn not_plain(block: &[u8; BLOCK]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: as in `line_endings`: SSE2 is part of x86_64.
        unsafe { sse2::not_plain(block) }
    }
    #[cfg(not(target_arch = "x86_64"))]
    portable::not_plain(block)
}

/// The offset of the first byte of `bytes` that [`json_escapes`] flags, a
/// block at a time, the last bytes as a block that overlaps the one before.
/// With AVX2 (most x86_64 CPUs of the last ten years; checked once per
/// call) 32 bytes are compared at once: long data is mostly this scan.
pub fn first_json_escape(bytes: &[u8]) -> Option<usize> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2, as just checked.
        return unsafe { avx2::first_json_escape(bytes) };
    }
    first_in(bytes, |block| match not_plain(block) {
        0 => 0,
        _ => json_escapes(block),
    })
}

/// Whether every byte of `bytes` is plain: for a field's value (an event's
/// data, 100 bytes or so), 16 bytes at a time with SSE2 compares gathered
/// into one mask every 64 bytes, the last 16 (looked at first) overlapping
/// the ones before. Shorter text (an id) is looked at as two words.
/// Not inlined: in the parser's walk over a read's lines it cost more
/// instructions in line than as a call (callgrind, 3% on small events).
#[inline(never)]
pub fn is_plain(bytes: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(last) = bytes.last_chunk::<16>() {
        // SAFETY: SSE2 is part of x86_64 (see `line_endings`).
        return unsafe { sse2::is_plain(bytes, last) };
    }
    if bytes.len() >= 16 {
        return !bytes.iter().any(|&b| is_not_plain(b));
    }
    is_plain_short(bytes)
}

/// [`is_plain`] of fewer than 16 bytes: two 8-byte words that overlap (or,
/// for fewer than 8 bytes, words filled up with spaces, which are plain).
/// A look a byte at a time cost an id twice as much.
#[inline]
fn is_plain_short(bytes: &[u8]) -> bool {
    const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
    let len = bytes.len();
    let (a, b) = if let (Some(first), Some(last)) = (bytes.first_chunk(), bytes.last_chunk()) {
        (u64::from_le_bytes(*first), u64::from_le_bytes(*last))
    } else if let (Some(first), Some(last)) = (bytes.first_chunk(), bytes.last_chunk()) {
        // 4 to 7 bytes: two 4-byte halves that overlap, spaces above them.
        let fill = SPACES << 32;
        (
            u64::from(u32::from_le_bytes(*first)) | fill,
            u64::from(u32::from_le_bytes(*last)) | fill,
        )
    } else if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) {
        // 1 to 3 bytes: the first, the middle and the last.
        let word = u64::from(first) | u64::from(bytes[len / 2]) << 8 | u64::from(last) << 16;
        let word = word | SPACES << 24;
        (word, word)
    } else {
        return true;
    };
    !word_has_not_plain(a) && !word_has_not_plain(b)
}

/// Whether any byte of a word is not plain. Each test is exact about
/// whether some byte matches (a borrow or carry can flag a wrong byte, but
/// only above one that matches).
#[inline(always)]
fn word_has_not_plain(word: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // A byte below 0x20 (a control) borrows into its high bit.
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    // 0x7F carries into the high bit, which bytes from 0x80 have already.
    let above_tilde = word.wrapping_add(ONES) | word;
    let has_byte = |b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x
    };
    (below_space | above_tilde | has_byte(b'"') | has_byte(b'\\')) & HIGHS != 0
}

mod line_scan;

pub use line_scan::{LineScan, scan_line, scan_line_back};

/// The offset of the first byte of `bytes` that `mask` flags.
#[inline(always)]
fn first_in(bytes: &[u8], mask: impl Fn(&[u8; BLOCK]) -> u64) -> Option<usize> {
    let Some(last) = bytes.last_chunk::<BLOCK>() else {
        let bits = mask(&padded(bytes));
        return (bits != 0).then(|| bits.trailing_zeros() as usize);
    };
    let mut blocks = bytes.chunks_exact(BLOCK);
    let mut offset = 0;
    for block in blocks.by_ref() {
        let bits = block.first_chunk().map_or(0, &mask);
        if bits != 0 {
            return Some(offset + bits.trailing_zeros() as usize);
        }
        offset += BLOCK;
    }
    let left = blocks.remainder().len();
    if left == 0 {
        return None;
    }
    // The last 64 bytes, of which the first `BLOCK - left` were looked at.
    let bits = mask(last) >> (BLOCK - left);
    (bits != 0).then(|| offset + bits.trailing_zeros() as usize)
}

/// [`line_endings`] of fewer than 64 bytes.
#[cfg(test)]
fn line_endings_in(bytes: &[u8]) -> u64 {
    line_endings(&padded(bytes))
}

/// [`json_escapes`] of fewer than 64 bytes (scans of short text go a word
/// at a time instead: see `capture::ndjson::escape`).
#[cfg(test)]
fn json_escapes_in(bytes: &[u8]) -> u64 {
    json_escapes(&padded(bytes))
}

/// The first 64 bytes of `bytes` in a block, spaces after them: a byte
/// no mask flags (plain, no line ending, nothing to escape).
#[inline]
pub fn padded(bytes: &[u8]) -> [u8; BLOCK] {
    let mut block = [b' '; BLOCK];
    let len = bytes.len().min(BLOCK);
    block[..len].copy_from_slice(&bytes[..len]);
    block
}

/// Whether a byte is one [`json_escapes`] flags.
#[inline(always)]
pub const fn is_json_escape(b: u8) -> bool {
    (b < 0x20)
        | (b == b'"')
        | (b == b'\\')
        | (b == 0x7F)
        | (b == 0xC2)
        | (b == 0xD8)
        | (b == 0xE2)
        | (b == 0xEF)
}

/// Whether a byte is one [`not_plain`] flags.
#[inline(always)]
fn is_not_plain(b: u8) -> bool {
    (b.wrapping_sub(0x20) >= 0x5F) | (b == b'"') | (b == b'\\')
}

#[inline(always)]
fn is_line_ending(b: u8) -> bool {
    (b == b'\n') | (b == b'\r')
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128,
        _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };

    use super::BLOCK;

    /// The block as four vectors.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn lanes(block: &[u8; BLOCK]) -> [__m128i; 4] {
        std::array::from_fn(|k| {
            // SAFETY: bytes 16k..16k+16 (k < 4) lie inside the 64-byte
            // block, and an unaligned load asks nothing of the address.
            // (Built from two 64-bit words instead, each load took a
            // shuffle more, and the scans were slower.)
            unsafe { _mm_loadu_si128(block.as_ptr().add(16 * k).cast()) }
        })
    }

    /// The four 16-bit masks of `hit` over the block, as one.
    #[inline]
    #[target_feature(enable = "sse2")]
    fn gather(block: &[u8; BLOCK], hit: impl Fn(__m128i) -> __m128i) -> u64 {
        let mut mask = 0;
        for (k, lane) in lanes(block).into_iter().enumerate() {
            // movemask sets the low 16 bits only: the cast drops nothing.
            let bits = _mm_movemask_epi8(hit(lane)) as u16;
            mask |= u64::from(bits) << (16 * k);
        }
        mask
    }

    /// `super::is_plain` of 16 bytes or more, `last` their last 16.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn is_plain(bytes: &[u8], last: &[u8; 16]) -> bool {
        let space = _mm_set1_epi8(0x20);
        let set = [b'"', b'\\', 0x7F].map(|b| _mm_set1_epi8(b as i8));
        let flagged = |v: __m128i| {
            set.iter().fold(_mm_cmplt_epi8(v, space), |hits, &b| {
                _mm_or_si128(hits, _mm_cmpeq_epi8(v, b))
            })
        };
        // SAFETY: an unaligned load of 16 bytes that lie in the slice.
        let load = |chunk: &[u8; 16]| unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) };
        let any = |hits: __m128i| _mm_movemask_epi8(hits) != 0;
        if any(flagged(load(last))) {
            return false;
        }
        // 64 bytes between looks at the mask: text that is not plain (a
        // long JSON value, say) is given up on near its first quote.
        let (chunks, _) = bytes.as_chunks::<16>();
        let (groups, rest) = chunks.as_chunks::<4>();
        let group = |hits: __m128i, chunk: &[u8; 16]| _mm_or_si128(hits, flagged(load(chunk)));
        let zero = _mm_setzero_si128();
        groups
            .iter()
            .all(|chunks| !any(chunks.iter().fold(zero, group)))
            && !any(rest.iter().fold(zero, group))
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn line_endings(block: &[u8; BLOCK]) -> u64 {
        let lf = _mm_set1_epi8(b'\n' as i8);
        let cr = _mm_set1_epi8(b'\r' as i8);
        gather(block, |v| {
            _mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))
        })
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn not_plain(block: &[u8; BLOCK]) -> u64 {
        // Signed: below 0x20 is a control or any byte from 0x80 on.
        let space = _mm_set1_epi8(0x20);
        let set = [b'"', b'\\', 0x7F].map(|b| _mm_set1_epi8(b as i8));
        gather(block, |v| {
            set.iter().fold(_mm_cmplt_epi8(v, space), |hits, &b| {
                _mm_or_si128(hits, _mm_cmpeq_epi8(v, b))
            })
        })
    }

    #[inline]
    #[target_feature(enable = "sse2")]
    pub(super) fn json_escapes(block: &[u8; BLOCK]) -> u64 {
        // Compares are signed: below 0x20 and not negative is a control.
        let zero = _mm_setzero_si128();
        let space = _mm_set1_epi8(0x20);
        let set = [b'"', b'\\', 0x7F, 0xC2, 0xD8, 0xE2, 0xEF].map(|b| _mm_set1_epi8(b as i8));
        gather(block, |v| {
            let control = _mm_andnot_si128(_mm_cmplt_epi8(v, zero), _mm_cmplt_epi8(v, space));
            set.iter()
                .fold(control, |hits, &b| _mm_or_si128(hits, _mm_cmpeq_epi8(v, b)))
        })
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::{
        __m256i, _mm256_add_epi8, _mm256_andnot_si256, _mm256_cmpeq_epi8, _mm256_cmpgt_epi8,
        _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256, _mm256_set1_epi8,
        _mm256_testz_si256,
    };

    use super::BLOCK;

    /// The block as two vectors.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn halves(block: &[u8; BLOCK]) -> [__m256i; 2] {
        std::array::from_fn(|k| {
            // SAFETY: bytes 32k..32k+32 (k < 2) lie inside the 64-byte
            // block, and an unaligned load asks nothing of the address.
            unsafe { _mm256_loadu_si256(block.as_ptr().add(32 * k).cast()) }
        })
    }

    /// The two 32-bit masks of `hit` over the block, as one.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn gather(block: &[u8; BLOCK], hit: impl Fn(__m256i) -> __m256i) -> u64 {
        let [low, high] = halves(block).map(|half| _mm256_movemask_epi8(hit(half)) as u32);
        u64::from(low) | (u64::from(high) << 32)
    }

    /// The bytes of 32 that are not plain, as a vector of 0xFF and 0.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn not_plain_in(v: __m256i) -> __m256i {
        // Shifted by 0x60 (wrapping), the printable 0x20..=0x7E become
        // 0x80..=0xDE, the smallest signed bytes (-128..=-34): one signed
        // compare flags every other byte (a control, 0x7F, any from 0x80).
        let shifted = _mm256_add_epi8(v, _mm256_set1_epi8(0x60));
        let outside = _mm256_cmpgt_epi8(shifted, _mm256_set1_epi8(-34));
        let [quote, backslash] =
            [b'"', b'\\'].map(|b| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8)));
        _mm256_or_si256(outside, _mm256_or_si256(quote, backslash))
    }

    /// `super::not_plain`, 32 bytes at a time.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn not_plain(block: &[u8; BLOCK]) -> u64 {
        gather(block, |v| not_plain_in(v))
    }

    /// Whether the block holds a byte that is not plain: the two halves'
    /// flags tested at once, without making a mask of them (most blocks
    /// of a long line hold none).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn any_not_plain(block: &[u8; BLOCK]) -> bool {
        let [low, high] = halves(block).map(|v| not_plain_in(v));
        let flags = _mm256_or_si256(low, high);
        _mm256_testz_si256(flags, flags) == 0
    }

    /// `super::json_escapes`, 32 bytes at a time.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn json_escapes(block: &[u8; BLOCK]) -> u64 {
        let negative = _mm256_set1_epi8(0);
        let space = _mm256_set1_epi8(0x20);
        let set = [b'"', b'\\', 0x7F, 0xC2, 0xD8, 0xE2, 0xEF].map(|b| _mm256_set1_epi8(b as i8));
        gather(block, |v| {
            let control =
                _mm256_andnot_si256(_mm256_cmpgt_epi8(negative, v), _mm256_cmpgt_epi8(space, v));
            set.iter().fold(control, |hits, &b| {
                _mm256_or_si256(hits, _mm256_cmpeq_epi8(v, b))
            })
        })
    }

    /// `super::line_endings`, 32 bytes at a time.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn line_endings(block: &[u8; BLOCK]) -> u64 {
        let lf = _mm256_set1_epi8(b'\n' as i8);
        let cr = _mm256_set1_epi8(b'\r' as i8);
        gather(block, |v| {
            _mm256_or_si256(_mm256_cmpeq_epi8(v, lf), _mm256_cmpeq_epi8(v, cr))
        })
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn scan_line(bytes: &[u8]) -> super::LineScan {
        super::line_scan::scan_line_with(
            bytes,
            |block| any_not_plain(block),
            |block| not_plain(block),
            |block| line_endings(block),
        )
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn scan_line_back(bytes: &[u8]) -> super::LineScan {
        super::line_scan::scan_line_back_with(
            bytes,
            |block| any_not_plain(block),
            |block| not_plain(block),
            |block| line_endings(block),
        )
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn first_json_escape(bytes: &[u8]) -> Option<usize> {
        super::first_in(bytes, |block| match not_plain(block) {
            0 => 0,
            _ => json_escapes(block),
        })
    }

    /// The masks, and whether any byte is not plain, where the CPU has AVX2.
    #[cfg(test)]
    pub(super) fn masks(block: &[u8; BLOCK]) -> Option<(u64, u64, bool)> {
        // SAFETY: called only once the CPU is known to have AVX2.
        std::arch::is_x86_feature_detected!("avx2")
            .then(|| unsafe { (not_plain(block), json_escapes(block), any_not_plain(block)) })
    }
}

#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
mod portable {
    use super::{BLOCK, is_json_escape, is_line_ending, is_not_plain};

    pub(super) fn line_endings(block: &[u8; BLOCK]) -> u64 {
        gather(block, is_line_ending)
    }

    pub(super) fn json_escapes(block: &[u8; BLOCK]) -> u64 {
        gather(block, is_json_escape)
    }

    pub(super) fn not_plain(block: &[u8; BLOCK]) -> u64 {
        gather(block, is_not_plain)
    }

    /// The compares are written over the whole block with no early exit, so
    /// they are compiled to vector compares; their results (0 or 1 a byte)
    /// are gathered into bits eight at a time by one multiplication: byte
    /// `k` of `word` lands on bit `56 + k` of the product, and no two
    /// partial products below it overlap, so nothing carries into it.
    #[inline(always)]
    fn gather(block: &[u8; BLOCK], hit: impl Fn(u8) -> bool) -> u64 {
        const GATHER: u64 = 0x0102_0408_1020_4080;
        let mut hits = [0u8; BLOCK];
        for (flag, &b) in hits.iter_mut().zip(block) {
            *flag = u8::from(hit(b));
        }
        let mut mask = 0;
        for (i, word) in hits.chunks_exact(8).enumerate() {
            let mut le = [0; 8];
            le.copy_from_slice(word);
            mask |= (u64::from_le_bytes(le).wrapping_mul(GATHER) >> 56) << (8 * i);
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a block, against the byte's
    /// own test and the portable form.
    #[test]
    fn each_mask_flags_exactly_the_bytes_of_its_set_at_every_position() {
        for first in 0..=255u8 {
            let block: [u8; BLOCK] = std::array::from_fn(|i| first.wrapping_add((i * 37) as u8));
            let by_byte = |hit: fn(u8) -> bool| {
                (0..BLOCK).fold(0u64, |mask, i| mask | (u64::from(hit(block[i])) << i))
            };
            assert_eq!(line_endings(&block), by_byte(is_line_ending), "{first}");
            assert_eq!(line_endings(&block), portable::line_endings(&block));
            assert_eq!(json_escapes(&block), by_byte(is_json_escape), "{first}");
            assert_eq!(json_escapes(&block), portable::json_escapes(&block));
            assert_eq!(not_plain(&block), by_byte(is_not_plain), "{first}");
            assert_eq!(not_plain(&block), portable::not_plain(&block));
            // The first look never misses what the second finds.
            assert_eq!(json_escapes(&block) & !not_plain(&block), 0);
            #[cfg(target_arch = "x86_64")]
            if let Some(masks) = avx2::masks(&block) {
                let plain = not_plain(&block);
                assert_eq!(masks, (plain, json_escapes(&block), plain != 0));
            }
        }
        // One byte among plain ones, of every value at every place: the
        // AVX2 look for any byte that is not plain passes over only plain blocks.
        #[cfg(target_arch = "x86_64")]
        for fill in [b' ', b'~'] {
            for at in 0..BLOCK {
                for byte in 0..=u8::MAX {
                    let mut block = [fill; BLOCK];
                    block[at] = byte;
                    if let Some((plain, _, any)) = avx2::masks(&block) {
                        assert_eq!(plain, u64::from(is_not_plain(byte)) << at);
                        assert_eq!(any, is_not_plain(byte), "{byte:#x} at {at}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_escape_is_found_at_any_length_and_place() {
        for len in 0..300usize {
            for at in (0..len).step_by(5).chain([len.saturating_sub(1)]) {
                for special in [b'"', 0x01, 0xE2] {
                    let mut bytes = vec![b'a'; len];
                    if let Some(byte) = bytes.get_mut(at) {
                        *byte = special;
                    }
                    let expected = (len > 0).then_some(at);
                    assert_eq!(first_json_escape(&bytes), expected, "{len} {at} {special}");
                }
            }
            assert_eq!(
                first_json_escape(&vec![0xC3; len]),
                None,
                "é's lead byte, {len}"
            );
        }
    }

    #[test]
    fn text_is_plain_exactly_when_no_byte_is_flagged_at_any_length_and_place() {
        for len in 0..200usize {
            assert!(is_plain(&vec![b'a'; len]), "{len}");
            for at in 0..len {
                for odd in [b'"', b'\\', 0x7F, 0x1F, b'\n', 0x80, 0xC3, 0xFF] {
                    let mut bytes = vec![b'~'; len];
                    bytes[at] = odd;
                    assert!(!is_plain(&bytes), "{len} bytes, {odd:#x} at {at}");
                }
            }
        }
        let every: Vec<u8> = (0x20..0x7F).filter(|&b| b != b'"' && b != b'\\').collect();
        assert!(is_plain(&every));
    }

    #[test]
    fn short_text_is_plain_exactly_when_each_byte_is_whatever_byte_and_filler() {
        // The word tests of fewer than 16 bytes: every byte value at every
        // place, among fillers at the edges of the plain range.
        for len in 1..=17usize {
            for filler in [b' ', b'~', b'!', b'#', b'[', b']'] {
                assert!(is_plain(&vec![filler; len]), "{len} of {filler:#x}");
                for at in 0..len {
                    for byte in 0..=u8::MAX {
                        let mut bytes = vec![filler; len];
                        bytes[at] = byte;
                        assert_eq!(
                            is_plain(&bytes),
                            !is_not_plain(byte),
                            "{len} bytes of {filler:#x}, {byte:#x} at {at}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_short_run_is_masked_as_its_own_bytes_and_nothing_after() {
        let bytes = b"a\"b\rc\n\\\x7f\xc2";
        assert_eq!(line_endings_in(bytes), 0b10_1000);
        assert_eq!(json_escapes_in(bytes), 0b1_1110_1010);
        assert_eq!(line_endings_in(b""), 0);
        assert_eq!(json_escapes_in(b""), 0);
    }
}
