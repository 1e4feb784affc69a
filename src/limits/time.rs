//! Deadlines that cannot overflow. `Instant + Duration` panics when the sum
//! does not fit, and durations come from places ssetui does not control: a
//! server's `retry:` (any number of digits), `retry_delay = "500000000000years"`
//! in a config file, `--within`, a capture's recorded times divided by a
//! tiny `--speed`. A deadline further than [`FAR_FUTURE`] is as good as never.

use std::time::{Duration, Instant, SystemTime};

/// The furthest ahead a deadline is set: 30 years, never for a process.
pub const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

/// `now + delay`, with `delay` capped at [`FAR_FUTURE`].
pub fn later(now: Instant, delay: Duration) -> Instant {
    let delay = delay.min(FAR_FUTURE);
    now.checked_add(delay)
        .or_else(|| now.checked_add(delay / 1024))
        .unwrap_or(now)
}

/// `start + offset` for wall-clock times (a capture's recorded offsets),
/// with `offset` capped at [`FAR_FUTURE`].
pub fn later_wall(start: SystemTime, offset: Duration) -> SystemTime {
    let offset = offset.min(FAR_FUTURE);
    start
        .checked_add(offset)
        .or_else(|| start.checked_add(offset / 1024))
        .unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_delay_gives_a_deadline() {
        let now = Instant::now();
        assert_eq!(
            later(now, Duration::from_secs(3)),
            now + Duration::from_secs(3)
        );
        assert_eq!(later(now, Duration::MAX), now + FAR_FUTURE);
        assert_eq!(
            later(now, Duration::from_millis(u64::MAX)),
            now + FAR_FUTURE
        );
        let wall = SystemTime::now();
        assert_eq!(later_wall(wall, Duration::MAX), wall + FAR_FUTURE);
        assert_eq!(
            later_wall(wall, Duration::from_millis(5)),
            wall + Duration::from_millis(5)
        );
    }
}
