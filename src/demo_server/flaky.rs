//! `/flaky`: a stream that keeps dying, to watch reconnection and resumption.
//!
//! Each connection first sets the reconnection time with `retry:`, sends a few
//! numbered events, then drops the connection abruptly (no clean end of the
//! chunked body, so the client sees a network error). A reconnect carrying
//! `Last-Event-ID: N` picks up at N+1, and each event says which connection
//! carried it. With `?count=N` the stream ends cleanly after event N, and a
//! reconnect after that gets 204 No Content, which tells an SSE client to stop.

use std::time::Duration;

use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;

use super::params::{BadRequest, MAX_INTERVAL_MS, Params, Resume};
use super::stream::{no_more_events, sse_response};
use super::wire::{Frame, to_json};

const DEFAULT_RETRY_MS: u64 = 2000;
const DEFAULT_INTERVAL_MS: u64 = 500;
const DEFAULT_EVERY: u64 = 5;

/// The data of one event.
#[derive(Serialize)]
struct FlakyEvent<'a> {
    n: u64,
    /// The `Last-Event-ID` this connection was opened with, if any.
    resumed_from: Option<&'a str>,
}

/// `GET /flaky?retry=&interval_ms=&every=&count=`.
pub(crate) async fn flaky(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(&uri, "/flaky", &["retry", "interval_ms", "every", "count"])?;
    let retry_ms = params
        .number(
            "retry",
            0..=MAX_INTERVAL_MS,
            "the reconnection time in milliseconds",
        )?
        .unwrap_or(DEFAULT_RETRY_MS);
    let interval = params.interval(DEFAULT_INTERVAL_MS)?;
    let every = params
        .number(
            "every",
            1..=1_000_000,
            "events per connection before it drops",
        )?
        .unwrap_or(DEFAULT_EVERY);
    let last_id = params.count()?;
    let resume = Resume::from_headers(&headers);
    if last_id.is_some_and(|last| resume.next_id > last) {
        return Ok(no_more_events());
    }
    Ok(sse_response(move |sink| async move {
        sink.send(Frame::new().retry(retry_ms)).await?;
        let resumed_from = resume.last_event_id.as_deref();
        let mut n = resume.next_id;
        for sent in 1..=every {
            if sent > 1 {
                sink.sleep(interval).await?;
            }
            let data = to_json(&FlakyEvent { n, resumed_from });
            sink.send(Frame::new().id(n).data(&data)).await?;
            if last_id == Some(n) {
                return Ok(());
            }
            n = n.saturating_add(1);
        }
        // The next event never comes: wait as if for it, then die mid-stream.
        sink.sleep(interval.min(Duration::from_secs(5))).await?;
        sink.abort("demo: /flaky drops the connection on purpose")
            .await;
        Ok(())
    }))
}
