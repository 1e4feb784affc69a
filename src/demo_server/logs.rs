//! `/logs`: a tail of application logs, one event type per level.
//!
//! It shows named event types (`info`, `warn`, `error`) side by side and
//! multi-line data: errors carry a stack trace, one `data:` line per frame.
//! The levels follow a fixed six-event cycle, so all three appear within the
//! first six events and tests can rely on it. The stream opens with a comment.

use std::time::SystemTime;

use axum::http::{HeaderMap, Uri};
use axum::response::Response;

use super::params::{BadRequest, Params, Resume};
use super::stream::{Ticker, no_more_events, sse_response};
use super::wire::Frame;

const DEFAULT_INTERVAL_MS: u64 = 400;

/// The level of event n (1-based) is `CYCLE[(n - 1) % 6]`.
const CYCLE: [&str; 6] = ["info", "info", "warn", "info", "error", "warn"];

const PATHS: [&str; 5] = [
    "/api/orders",
    "/api/users/me",
    "/api/cart",
    "/healthz",
    "/api/search",
];

/// `GET /logs?interval_ms=&count=`.
pub(crate) async fn logs(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(&uri, "/logs", &["interval_ms", "count"])?;
    let ticker = Ticker {
        first_id: Resume::from_headers(&headers).next_id,
        interval: params.interval(DEFAULT_INTERVAL_MS)?,
        last_id: params.count()?,
    };
    if ticker.is_finished() {
        return Ok(no_more_events());
    }
    Ok(sse_response(move |sink| async move {
        sink.send(Frame::new().comment("ssetui demo")).await?;
        ticker.run(&sink, log_frame).await
    }))
}

/// Event n: its level as the event type, a log line (or several) as data.
fn log_frame(n: u64) -> Frame {
    let level = CYCLE[((n.wrapping_sub(1)) % 6) as usize];
    let time = humantime::format_rfc3339_millis(SystemTime::now());
    let path = PATHS[(n % PATHS.len() as u64) as usize];
    let ms = 3 + (n * 37) % 180;
    let text = match level {
        "info" => format!("{time} INFO  http: GET {path} 200 in {ms} ms (request {n})"),
        "warn" if n.is_multiple_of(2) => format!(
            "{time} WARN  pool: slow query took {} ms (request {n})\n  \
             SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC",
            ms * 10
        ),
        "warn" => format!(
            "{time} WARN  cache: miss rate {}% over the last minute",
            20 + n % 30
        ),
        _ => format!(
            "{time} ERROR http: GET {path} 500 after {ms} ms (request {n})\n\
             error: upstream timed out after 5 s\n    \
             at inventory::client::fetch (src/inventory/client.rs:88)\n    \
             at orders::handler::show (src/orders/handler.rs:42)\n    \
             at http::router::dispatch (src/http/router.rs:130)"
        ),
    };
    Frame::new().id(n).event(level).data(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_cycle_and_errors_are_multi_line() {
        let bytes = log_frame(5).into_bytes();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.starts_with("id: 5\nevent: error\ndata: "));
        assert_eq!(text.matches("\ndata: ").count(), 5);
        for (n, level) in [(1, "info"), (3, "warn"), (7, "info"), (11, "error")] {
            let bytes = log_frame(n).into_bytes();
            let text = std::str::from_utf8(&bytes).unwrap();
            assert!(text.contains(&format!("event: {level}\n")), "{n}: {text}");
        }
    }
}
