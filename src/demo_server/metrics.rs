//! `/metrics`: a dashboard feed, one `metrics` event of JSON numbers at a time.
//!
//! It is the stream to try JSON-aware views on: the same keys every time with
//! values that drift smoothly. The values are computed from the tick counter
//! (sines of different periods), so a given event id always carries the same
//! numbers and tests can rely on them.

use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;

use super::params::{BadRequest, Params, Resume};
use super::stream::{Ticker, no_more_events, sse_response};
use super::wire::{Frame, to_json};

const DEFAULT_INTERVAL_MS: u64 = 500;

/// The data of one `metrics` event.
#[derive(Serialize, Debug, PartialEq)]
struct Metrics {
    n: u64,
    cpu_pct: f64,
    mem_mb: f64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors_per_min: u64,
    connections: u64,
}

/// `GET /metrics?interval_ms=&count=`.
pub(crate) async fn metrics(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(&uri, "/metrics", &["interval_ms", "count"])?;
    let ticker = Ticker {
        first_id: Resume::from_headers(&headers).next_id,
        interval: params.interval(DEFAULT_INTERVAL_MS)?,
        last_id: params.count()?,
    };
    if ticker.is_finished() {
        return Ok(no_more_events());
    }
    Ok(sse_response(move |sink| async move {
        ticker
            .run(&sink, |n| {
                Frame::new()
                    .id(n)
                    .event("metrics")
                    .data(&to_json(&sample(n)))
            })
            .await
    }))
}

/// The numbers for tick `n`.
fn sample(n: u64) -> Metrics {
    // Precision loss past 2^53 ticks is of no consequence for a demo.
    let t = n as f64;
    let wave = |period: f64, phase: f64| (t * std::f64::consts::TAU / period + phase).sin();
    let cpu = 45.0 + 30.0 * wave(40.0, 0.0) + 8.0 * wave(7.0, 1.0);
    let rps = 1200.0 + 500.0 * wave(60.0, 0.5) + 90.0 * wave(9.0, 2.0);
    let p50 = 18.0 + 6.0 * wave(25.0, 1.5);
    Metrics {
        n,
        cpu_pct: round1(cpu.clamp(0.0, 100.0)),
        mem_mb: round1(2048.0 + 300.0 * wave(120.0, 0.0) + (n % 50) as f64 * 2.5),
        rps: round1(rps),
        p50_ms: round1(p50),
        p99_ms: round1(p50 * 4.0 + 40.0 * wave(30.0, 0.3).max(0.0)),
        errors_per_min: (3.0 + 3.0 * wave(45.0, 2.5)).round() as u64,
        connections: (300.0 + 120.0 * wave(80.0, 1.0)).round() as u64,
    }
}

/// One decimal place, as a dashboard would show.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_deterministic_in_range_and_changing() {
        assert_eq!(sample(7), sample(7));
        assert_ne!(sample(1).cpu_pct, sample(2).cpu_pct);
        for n in [1, 10, 1000, u64::MAX] {
            let m = sample(n);
            assert!((0.0..=100.0).contains(&m.cpu_pct), "{m:?}");
            assert!(m.p99_ms > m.p50_ms, "{m:?}");
            assert!(m.rps > 0.0, "{m:?}");
        }
    }
}
