//! The cells of a row that are figures: its time (as the settings ask),
//! the gap since the row before, its size.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::TimeFormat;
use crate::state::AppState;

/// A row's receive time as the settings ask: local or UTC wall clock, or the
/// time since the first row the tab keeps.
pub(super) fn time_cell(state: &AppState, t: SystemTime) -> String {
    let session = state.active();
    match state.time_format {
        TimeFormat::UtcMs => clock(t),
        TimeFormat::LocalMs => local_clock(t),
        TimeFormat::Relative => {
            // Per row drawn: the first row's time alone, not the row built.
            let first = session.log().received_at(0).unwrap_or(t);
            relative(t.duration_since(first).unwrap_or_default())
        }
    }
}

/// `HH:MM:SS.mmm` in the machine's time zone.
pub fn local_clock(t: SystemTime) -> String {
    let local: chrono::DateTime<chrono::Local> = t.into();
    local.format("%H:%M:%S%.3f").to_string()
}

/// `+SS.mmm`, `+MM:SS.mmm`, `+H:MM:SS.mmm` (hours grow as needed).
pub fn relative(d: Duration) -> String {
    let (secs, ms) = (d.as_secs(), d.subsec_millis());
    match (secs / 3600, secs / 60 % 60, secs % 60) {
        (0, 0, s) => format!("+{s}.{ms:03}s"),
        (0, m, s) => format!("+{m}:{s:02}.{ms:03}"),
        (h, m, s) => format!("+{h}:{m:02}:{s:02}.{ms:03}"),
    }
}

/// `HH:MM:SS.mmm` in UTC.
pub fn clock(t: SystemTime) -> String {
    // humantime refuses times before 1970 and after 9999.
    const LAST: u64 = 253_402_300_799;
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) if d.as_secs() <= LAST => {
            humantime::format_rfc3339_millis(t).to_string()[11..23].to_owned()
        }
        _ => "--:--:--.---".to_owned(),
    }
}

/// `+12ms`, `+1.2s`, `+42s`, `+3m`, `+2h`, `+4d`.
pub fn format_gap(d: Duration) -> String {
    let ms = d.as_millis();
    let secs = d.as_secs();
    if ms < 1000 {
        format!("+{ms}ms")
    } else if ms < 9950 {
        format!("+{:.1}s", d.as_secs_f64())
    } else if secs < 60 {
        format!("+{}s", d.as_secs_f64().round() as u64)
    } else if secs < 3600 {
        format!("+{}m", secs / 60)
    } else if secs < 86_400 {
        format!("+{}h", secs / 3600)
    } else {
        format!("+{}d", secs / 86_400)
    }
}

/// Sizes in at most five columns: `999B`, `1.5K`, `120K`, `3.2M`.
pub fn compact_bytes(n: u64) -> String {
    if n < 1000 {
        return format!("{n}B");
    }
    let mut value = n as f64 / 1024.0;
    for unit in ["K", "M", "G", "T", "P"] {
        if value < 9.95 {
            return format!("{value:.1}{unit}");
        }
        if value < 999.5 {
            return format!("{value:.0}{unit}");
        }
        value /= 1024.0;
    }
    format!("{value:.0}E")
}
