//! The retained rows' slots, oldest first: full blocks of [`BLOCK`] slots,
//! frozen and shared (`Arc`), and a tail still growing. A snapshot shares
//! the blocks and copies only the tail, so saving a million rows does not
//! copy 80 MB of slots; the oldest rows are dropped by moving the start
//! within the first block, and a block goes when all of it is dropped.

use std::collections::VecDeque;
use std::sync::Arc;

use super::row::Slot;

/// Slots per frozen block.
const BLOCK: usize = 4096;

#[derive(Debug, Clone, Default)]
pub(super) struct Slots {
    /// Full blocks, each exactly [`BLOCK`] slots.
    blocks: VecDeque<Arc<[Slot]>>,
    /// Slots of the first block already dropped.
    skip: usize,
    /// The newest slots; the oldest of them dropped from its front when no
    /// block is left.
    tail: VecDeque<Slot>,
}

impl Slots {
    pub fn len(&self) -> usize {
        self.blocks.len() * BLOCK - self.skip + self.tail.len()
    }

    pub fn push(&mut self, slot: Slot) {
        self.tail.push_back(slot);
        if self.tail.len() == BLOCK {
            let block: Vec<Slot> = std::mem::take(&mut self.tail).into();
            self.blocks.push_back(block.into());
        }
    }

    /// Drops the oldest slot; whether there was one.
    pub fn pop_front(&mut self) -> bool {
        if self.blocks.is_empty() {
            return self.tail.pop_front().is_some();
        }
        self.skip += 1;
        if self.skip == BLOCK {
            self.blocks.pop_front();
            self.skip = 0;
        }
        true
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Slot `index` (0 is the oldest retained).
    pub fn get(&self, index: usize) -> Option<&Slot> {
        let at = self.skip.checked_add(index)?;
        match self.blocks.get(at / BLOCK) {
            Some(block) => block.get(at % BLOCK),
            None => self.tail.get(at - self.blocks.len() * BLOCK),
        }
    }

    pub fn first(&self) -> Option<&Slot> {
        self.get(0)
    }

    pub fn last(&self) -> Option<&Slot> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The slots from `index` on, oldest first.
    pub fn iter_from(&self, index: usize) -> impl Iterator<Item = &Slot> + '_ {
        let at = self.skip.saturating_add(index);
        let in_blocks = self.blocks.len() * BLOCK;
        let from_blocks = self
            .blocks
            .iter()
            .flat_map(|block| block.iter())
            .skip(at.min(in_blocks));
        from_blocks.chain(self.tail.iter().skip(at.saturating_sub(in_blocks)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::event_log::row::Body;

    fn slot(n: u64) -> Slot {
        Slot {
            received_ns: n,
            raw_start: 0,
            raw_end: 0,
            attempt: 1,
            body: Body::Marker(Box::default()),
        }
    }

    fn ns(slots: &Slots) -> Vec<u64> {
        slots.iter_from(0).map(|s| s.received_ns).collect()
    }

    #[test]
    fn rows_are_found_by_index_across_blocks_and_the_tail_as_the_front_goes() {
        let mut slots = Slots::default();
        let n = BLOCK as u64 * 2 + 10;
        for i in 0..n {
            slots.push(slot(i));
        }
        assert_eq!(slots.len() as u64, n);
        assert_eq!(slots.get(BLOCK + 1).unwrap().received_ns, BLOCK as u64 + 1);
        for _ in 0..BLOCK + 3 {
            assert!(slots.pop_front());
        }
        assert_eq!(slots.len() as u64, n - BLOCK as u64 - 3);
        assert_eq!(slots.first().unwrap().received_ns, BLOCK as u64 + 3);
        assert_eq!(slots.last().unwrap().received_ns, n - 1);
        assert_eq!(ns(&slots).len(), slots.len());
        let from: Vec<u64> = slots.iter_from(BLOCK - 4).map(|s| s.received_ns).collect();
        assert_eq!(from.first(), Some(&(2 * BLOCK as u64 - 1)));
        // A snapshot shares the blocks and keeps its rows whatever follows.
        let snapshot = slots.clone();
        slots.clear();
        assert_eq!(slots.len(), 0);
        assert_eq!(snapshot.len() as u64, n - BLOCK as u64 - 3);
        assert!(snapshot.get(snapshot.len()).is_none());
    }
}
