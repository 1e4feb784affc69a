//! The generator behind random faults: SplitMix64, written out here so a seed
//! gives the same faults in every version of ssetui (a library generator may
//! change its algorithm between releases).

/// Steele, Lea and Flood's SplitMix64: 64 bits of state, good enough to
/// choose split sizes and delays, and fully determined by its seed.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from `min` to `max`, both included (`min` when `max < min`).
    pub fn between(&mut self, min: u64, max: u64) -> u64 {
        if max <= min {
            return min;
        }
        let span = max - min;
        match span.checked_add(1) {
            Some(n) => min + self.next_u64() % n,
            None => self.next_u64(),
        }
    }
}
