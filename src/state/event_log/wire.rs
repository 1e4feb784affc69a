//! The retained wire bytes: every read, in order, at its log offset.
//!
//! Kept in pieces of about 64 KiB, each frozen once full (a shared,
//! immutable `Bytes`), and a growing tail. A snapshot of the wire shares the
//! pieces and copies only the tail, so saving a 256 MiB log costs a few
//! thousand counts and at most 64 KiB, not a second copy of the log. The
//! oldest bytes are dropped by moving the start; a piece goes once all of it
//! is before the start.

use std::collections::VecDeque;
use std::ops::Range;

use bytes::Bytes;

/// The size a tail grows to before it is frozen into a piece.
const PIECE_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone, Default)]
pub(super) struct Wire {
    /// Frozen pieces, each with the log offset of its first byte.
    pieces: VecDeque<(u64, Bytes)>,
    /// The newest bytes, at `tail_start`.
    tail: Vec<u8>,
    tail_start: u64,
    /// The log offset of the first retained byte.
    start: u64,
}

impl Wire {
    /// The log offset of the first retained byte.
    pub fn start(&self) -> u64 {
        self.start
    }

    /// The log offset the next byte will have.
    pub fn end(&self) -> u64 {
        self.tail_start + self.tail.len() as u64
    }

    /// Retained bytes.
    pub fn len(&self) -> u64 {
        self.end() - self.start
    }

    /// Appends one read.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.tail.len() + bytes.len() > PIECE_BYTES {
            self.freeze_tail();
        }
        if bytes.len() >= PIECE_BYTES {
            // A read as big as a piece is one.
            let at = self.end();
            self.pieces.push_back((at, Bytes::copy_from_slice(bytes)));
            self.tail_start = at + bytes.len() as u64;
            return;
        }
        if self.tail.capacity() == 0 {
            self.tail.reserve_exact(PIECE_BYTES);
        }
        self.tail.extend_from_slice(bytes);
    }

    fn freeze_tail(&mut self) {
        if self.tail.is_empty() {
            return;
        }
        let at = self.tail_start;
        self.tail_start += self.tail.len() as u64;
        // Handing the tail's buffer over as the piece keeps all its capacity
        // alive with it. A tail frozen well short of full (a small read, then
        // one that does not fit) is copied to a piece of its own size and the
        // buffer kept for the next tail: handed over, it held 64 KiB for a
        // few hundred bytes, 16 bytes an event in the UI bench's fill.
        let unused = self.tail.capacity() - self.tail.len();
        let piece = if unused > self.tail.capacity() / 16 {
            let piece = Bytes::copy_from_slice(&self.tail);
            self.tail.clear();
            piece
        } else {
            Bytes::from(std::mem::take(&mut self.tail))
        };
        self.pieces.push_back((at, piece));
    }

    /// Drops everything before log offset `to` (never past the end).
    pub fn drop_before(&mut self, to: u64) {
        self.start = self.start.max(to.min(self.end()));
        while self
            .pieces
            .front()
            .is_some_and(|(at, piece)| at + piece.len() as u64 <= self.start)
        {
            self.pieces.pop_front();
        }
        if self.pieces.is_empty() && self.start == self.end() {
            // Nothing retained: the tail's memory goes too.
            self.tail = Vec::new();
            self.tail_start = self.start;
        }
    }

    /// Drops everything (the offsets go on from the end).
    pub fn clear(&mut self) {
        self.drop_before(self.end());
    }

    /// The bytes of `range` when they lie in one piece (or the tail).
    pub fn contiguous(&self, range: &Range<u64>) -> Option<&[u8]> {
        if range.start < self.start || range.end > self.end() || range.start > range.end {
            return None;
        }
        let (at, bytes) = self.piece_at(range.start)?;
        let from = usize::try_from(range.start - at).ok()?;
        let to = usize::try_from(range.end - at).ok()?;
        bytes.get(from..to)
    }

    /// The bytes of `range`, copied across pieces; `None` unless all retained.
    pub fn copy(&self, range: &Range<u64>) -> Option<Vec<u8>> {
        if range.start < self.start || range.end > self.end() || range.start > range.end {
            return None;
        }
        let mut out = Vec::with_capacity(usize::try_from(range.end - range.start).ok()?);
        let mut at = range.start;
        while at < range.end {
            let (start, bytes) = self.piece_at(at)?;
            let from = usize::try_from(at - start).ok()?;
            let to = usize::try_from((range.end - start).min(bytes.len() as u64)).ok()?;
            out.extend_from_slice(bytes.get(from..to)?);
            at = start + to as u64;
        }
        Some(out)
    }

    /// The byte at log offset `at`, if retained.
    pub fn byte(&self, at: u64) -> Option<u8> {
        if at < self.start {
            return None;
        }
        let (start, bytes) = self.piece_at(at)?;
        bytes.get(usize::try_from(at - start).ok()?).copied()
    }

    /// The piece holding log offset `at`: its start and bytes.
    fn piece_at(&self, at: u64) -> Option<(u64, &[u8])> {
        if at >= self.tail_start {
            return (at < self.end() || at == self.tail_start)
                .then_some((self.tail_start, self.tail.as_slice()));
        }
        // The newest piece first: storing a read looks up its events' bytes
        // there, twice an event, and a search over thousands of pieces each
        // time cost 7% of a frame under a firehose.
        if let Some((start, piece)) = self.pieces.back()
            && at >= *start
        {
            return (at < start + piece.len() as u64).then_some((*start, piece.as_ref()));
        }
        // Pieces are in offset order: the last one starting at or before `at`.
        let index = self.pieces.partition_point(|(start, _)| *start <= at);
        let (start, piece) = self.pieces.get(index.checked_sub(1)?)?;
        (at < start + piece.len() as u64).then_some((*start, piece.as_ref()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_come_back_from_pieces_and_the_tail_alike() {
        let mut wire = Wire::default();
        let big = vec![b'x'; PIECE_BYTES + 10];
        wire.push(b"abc");
        wire.push(&big);
        wire.push(b"def");
        assert_eq!(wire.len(), 3 + big.len() as u64 + 3);
        let end = wire.end();
        assert_eq!(wire.copy(&(0..3)).unwrap(), b"abc");
        assert_eq!(wire.copy(&(end - 4..end)).unwrap(), b"xdef");
        assert_eq!(wire.contiguous(&(end - 3..end)), Some(&b"def"[..]));
        assert_eq!(wire.contiguous(&(2..4)), None, "across two pieces");
        assert_eq!(wire.byte(3), Some(b'x'));
        wire.drop_before(4);
        assert_eq!(wire.copy(&(0..3)), None);
        assert_eq!(wire.copy(&(4..6)).unwrap(), b"xx");
        // A snapshot shares the pieces and keeps its bytes whatever follows.
        let snapshot = wire.clone();
        wire.clear();
        assert_eq!(wire.len(), 0);
        assert_eq!(snapshot.copy(&(end - 3..end)).unwrap(), b"def");
    }

    #[test]
    fn a_tail_frozen_short_of_full_is_copied_to_its_size_and_its_buffer_reused() {
        let mut wire = Wire::default();
        wire.push(b"abc");
        let buffer = wire.tail.as_ptr();
        wire.push(&vec![b'x'; PIECE_BYTES - 1]);
        let (at, piece) = wire.pieces.front().unwrap();
        assert_eq!((*at, &piece[..]), (0, &b"abc"[..]));
        assert_ne!(piece.as_ptr(), buffer, "copied, not handed over");
        assert_eq!(wire.tail.as_ptr(), buffer, "the buffer holds the next tail");
        assert_eq!(wire.tail.len(), PIECE_BYTES - 1);
        // Nearly full, it is handed over without a copy.
        wire.push(b"yz");
        assert_eq!(wire.pieces.back().unwrap().1.as_ptr(), buffer);
        assert_eq!(
            wire.copy(&(0..wire.end())).unwrap().len() as u64,
            wire.len()
        );
    }

    #[test]
    fn small_reads_fill_a_piece_then_a_new_one_starts() {
        let mut wire = Wire::default();
        for _ in 0..(PIECE_BYTES / 100) * 3 {
            wire.push(&[b'a'; 100]);
        }
        assert!(wire.pieces.len() >= 2, "{}", wire.pieces.len());
        let total = wire.len();
        assert_eq!(wire.copy(&(0..total)).unwrap().len() as u64, total);
        wire.drop_before(total - 50);
        assert!(wire.pieces.is_empty() || wire.pieces.len() == 1);
        assert_eq!(wire.copy(&(total - 50..total)).unwrap(), vec![b'a'; 50]);
    }
}
