//! Counts, durations and sizes for people, and text cut short: one format
//! each, whoever writes them (the UI, `print`, `check`, the diagnosis).
//! Compact forms for fixed-width columns (the list's gap and size) are the
//! list's own.

use std::borrow::Cow;
use std::time::Duration;

/// `1 event`, `3 events`: `noun` with an `s` unless there is one of it.
pub fn plural(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A duration for people: `850 ms`, `2.004 s`, `12.5 s`, `3 min 5 s`,
/// `2 h 3 min`. Seconds keep their milliseconds, without trailing zeros.
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        return format!("{ms} ms");
    }
    let secs = d.as_secs();
    if secs < 60 {
        let text = format!("{}.{:03}", secs, d.subsec_millis());
        return format!("{} s", text.trim_end_matches('0').trim_end_matches('.'));
    }
    if secs < 3600 {
        return match secs % 60 {
            0 => format!("{} min", secs / 60),
            s => format!("{} min {s} s", secs / 60),
        };
    }
    match (secs % 3600) / 60 {
        0 => format!("{} h", secs / 3600),
        m => format!("{} h {m} min", secs / 3600),
    }
}

/// A size for people: `512 B`, `1.5 KiB`, `64 MiB`, `1.2 GiB` (binary
/// units, one decimal, none when it is 0).
pub fn size(bytes: u64) -> String {
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    for unit in ["KiB", "MiB", "GiB", "TiB"] {
        if value < 1024.0 || unit == "TiB" {
            let text = format!("{value:.1}");
            return format!("{} {unit}", text.strip_suffix(".0").unwrap_or(&text));
        }
        value /= 1024.0;
    }
    unreachable!("the loop returns at TiB")
}

/// At most `max_chars` characters of `text`, with `…` when it was cut.
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_durations_and_sizes_have_one_format() {
        assert_eq!(plural(1, "event"), "1 event");
        assert_eq!(plural(0, "event"), "0 events");
        assert_eq!(plural(3, "event"), "3 events");
        let ms = Duration::from_millis;
        assert_eq!(duration(ms(0)), "0 ms");
        assert_eq!(duration(ms(850)), "850 ms");
        assert_eq!(duration(ms(1000)), "1 s");
        assert_eq!(duration(ms(2004)), "2.004 s");
        assert_eq!(duration(ms(12_500)), "12.5 s");
        assert_eq!(duration(ms(185_000)), "3 min 5 s");
        assert_eq!(duration(ms(180_000)), "3 min");
        assert_eq!(duration(ms(7_380_000)), "2 h 3 min");
        assert!(!duration(Duration::MAX).is_empty(), "no overflow");
        assert_eq!(size(0), "0 B");
        assert_eq!(size(1023), "1023 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(13 * 1024), "13 KiB");
        assert_eq!(size(64 * 1024 * 1024), "64 MiB");
        assert_eq!(size(3_500_000_000), "3.3 GiB");
        assert!(size(u64::MAX).ends_with(" TiB"));
    }

    #[test]
    fn cut_counts_characters_and_marks_the_cut() {
        assert_eq!(cut("héllo", 5), "héllo");
        assert_eq!(cut("héllo!", 5), "héllo…");
        assert_eq!(cut("", 0), "");
    }
}
