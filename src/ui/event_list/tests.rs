use super::*;
use std::time::{Duration, UNIX_EPOCH};

use super::cells::{clock, local_clock, relative};

#[test]
fn gaps_are_short() {
    assert_eq!(format_gap(Duration::from_millis(12)), "+12ms");
    assert_eq!(format_gap(Duration::from_millis(1234)), "+1.2s");
    assert_eq!(format_gap(Duration::from_millis(9990)), "+10s");
    assert_eq!(format_gap(Duration::from_secs(42)), "+42s");
    assert_eq!(format_gap(Duration::from_secs(200)), "+3m");
    assert_eq!(format_gap(Duration::from_secs(7300)), "+2h");
    assert!(format_gap(Duration::from_millis(999)).len() <= GAP_W);
}

#[test]
fn sizes_fit_five_columns() {
    assert_eq!(compact_bytes(0), "0B");
    assert_eq!(compact_bytes(999), "999B");
    assert_eq!(compact_bytes(1536), "1.5K");
    assert_eq!(compact_bytes(120 * 1024), "120K");
    assert_eq!(compact_bytes(16 * 1024 * 1024), "16M");
    for n in [1000, 10_188, 1_023_999, 1_048_575, u64::MAX] {
        assert!(
            compact_bytes(n).len() <= SIZE_W,
            "{n}: {}",
            compact_bytes(n)
        );
    }
}

#[test]
fn relative_times_grow_from_seconds_to_hours() {
    assert_eq!(relative(Duration::from_millis(1_234)), "+1.234s");
    assert_eq!(relative(Duration::from_millis(61_005)), "+1:01.005");
    assert_eq!(relative(Duration::from_millis(3_723_400)), "+1:02:03.400");
}

#[test]
fn clock_is_utc_with_millis_and_never_panics() {
    let t = UNIX_EPOCH + Duration::from_millis(1_790_000_000_123);
    assert_eq!(clock(t), "14:13:20.123");
    assert_eq!(local_clock(t).len(), 12, "HH:MM:SS.mmm");
    assert_eq!(clock(UNIX_EPOCH - Duration::from_secs(1)), "--:--:--.---");
    assert_eq!(
        clock(UNIX_EPOCH + Duration::from_secs(300_000_000_000)),
        "--:--:--.---"
    );
}
