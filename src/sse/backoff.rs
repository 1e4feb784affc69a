//! Reconnection delays: the server's `retry:` as the base, exponential back-off
//! with jitter after failed attempts, reset by a successful open.

use std::time::Duration;

/// No delay is shorter than this, so `retry: 0` cannot make a client spin.
pub const MIN_RETRY_DELAY: Duration = Duration::from_millis(50);

/// How far jitter may stretch a back-off delay: up to this fraction longer.
const JITTER_FRACTION: f64 = 0.2;

/// The reconnection delay policy of one connection.
#[derive(Debug, Clone)]
pub struct Backoff {
    /// The reconnection time: the default until the server sends `retry:`.
    base: Duration,
    max: Duration,
    /// Consecutive failed attempts since the last successful open.
    failures: u32,
    jitter: bool,
    rng_state: u64,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9, |d| d.as_nanos() as u64);
        Self {
            base,
            max: max.max(MIN_RETRY_DELAY),
            failures: 0,
            jitter: true,
            rng_state: seed | 1,
        }
    }

    /// Turns jitter off so delays are exact (tests, and users who want them exact).
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    /// The server set the reconnection time (`retry:`). It takes effect at once.
    pub fn set_base(&mut self, base: Duration) {
        self.base = base;
    }

    /// The current reconnection time, before back-off.
    pub fn base(&self) -> Duration {
        self.base
    }

    /// Consecutive failed attempts since the last successful open.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A stream opened: back-off starts again from the base.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// An attempt failed: the next delay doubles (up to the cap).
    pub fn record_failure(&mut self) {
        self.failures = self.failures.saturating_add(1);
    }

    /// The delay before the next attempt. After a clean end (no failures) it is
    /// exactly the reconnection time, as the spec says; each consecutive
    /// failure beyond the first doubles it, capped, with jitter added. A server
    /// `retry:` larger than the cap is honoured as is.
    pub fn next_delay(&mut self) -> Duration {
        let base = self.base.max(MIN_RETRY_DELAY);
        if self.failures <= 1 {
            return base;
        }
        let factor = 1u32.checked_shl(self.failures - 1).unwrap_or(u32::MAX);
        let grown = base.checked_mul(factor).unwrap_or(Duration::MAX);
        let capped = grown.min(self.max.max(base));
        if !self.jitter || capped == base {
            return capped;
        }
        let factor = 1.0 + JITTER_FRACTION * self.next_unit();
        // try_from_secs_f64, not mul_f64: no panic however large the delays.
        let stretched =
            Duration::try_from_secs_f64(capped.as_secs_f64() * factor).unwrap_or(capped);
        stretched.min(self.max.max(base))
    }

    /// A uniform number in [0, 1) from xorshift64*: jitter needs no cryptographic randomness.
    fn next_unit(&mut self) -> f64 {
        let mut x = self.rng_state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng_state = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn clean_end_waits_exactly_the_reconnection_time() {
        let mut b = Backoff::new(ms(3000), ms(30_000));
        assert_eq!(b.next_delay(), ms(3000));
        b.set_base(ms(700));
        assert_eq!(b.next_delay(), ms(700));
    }

    #[test]
    fn consecutive_failures_double_up_to_the_cap() {
        let mut b = Backoff::new(ms(100), ms(1000)).without_jitter();
        let mut delays = Vec::new();
        for _ in 0..6 {
            b.record_failure();
            delays.push(b.next_delay());
        }
        assert_eq!(
            delays,
            [ms(100), ms(200), ms(400), ms(800), ms(1000), ms(1000)]
        );
    }

    #[test]
    fn successful_open_resets_the_back_off() {
        let mut b = Backoff::new(ms(100), ms(10_000)).without_jitter();
        for _ in 0..4 {
            b.record_failure();
        }
        assert_eq!(b.next_delay(), ms(800));
        b.reset();
        assert_eq!(b.next_delay(), ms(100));
        assert_eq!(b.failures(), 0);
    }

    #[test]
    fn retry_zero_is_clamped_to_the_floor() {
        let mut b = Backoff::new(ms(0), ms(30_000));
        assert_eq!(b.next_delay(), MIN_RETRY_DELAY);
    }

    #[test]
    fn huge_values_saturate_instead_of_overflowing() {
        let mut b = Backoff::new(Duration::from_millis(u64::MAX), ms(30_000));
        assert_eq!(b.next_delay(), Duration::from_millis(u64::MAX));
        for _ in 0..200 {
            b.record_failure();
        }
        assert_eq!(
            b.next_delay(),
            Duration::from_millis(u64::MAX),
            "a server retry above the cap is honoured"
        );
        let mut b = Backoff::new(ms(1000), ms(5000));
        for _ in 0..100 {
            b.record_failure();
        }
        assert!(b.next_delay() <= ms(5000));
    }

    #[test]
    fn jitter_on_the_largest_delays_does_not_overflow() {
        let mut b = Backoff::new(Duration::MAX / 2, Duration::MAX);
        b.record_failure();
        b.record_failure();
        assert!(b.next_delay() >= Duration::MAX / 2);
    }

    #[test]
    fn jitter_stays_within_its_bounds() {
        let mut b = Backoff::new(ms(100), ms(100_000));
        b.record_failure();
        b.record_failure();
        for _ in 0..1000 {
            let d = b.next_delay();
            assert!(d >= ms(200) && d < ms(240), "{d:?}");
        }
    }
}
