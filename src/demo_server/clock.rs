//! `/clock`: the simplest useful stream, one `tick` event per second.
//!
//! Ids count up from 1 and a reconnect carrying `Last-Event-ID: N` continues at
//! N+1, so it is also the place to watch resumption work. `/protected` reuses
//! its ticks behind authentication.

use std::time::SystemTime;

use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use serde::Serialize;

use super::params::{BadRequest, Params, Resume};
use super::stream::{Ticker, no_more_events, sse_response};
use super::wire::{Frame, to_json};

/// The default pause between ticks, in milliseconds.
pub(crate) const DEFAULT_INTERVAL_MS: u64 = 1000;

/// The data of one tick.
#[derive(Serialize)]
struct Tick {
    n: u64,
    time: String,
}

/// `GET /clock?interval_ms=&count=`.
pub(crate) async fn clock(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(&uri, "/clock", &["interval_ms", "count"])?;
    let ticker = ticker(&params, &headers)?;
    if ticker.is_finished() {
        return Ok(no_more_events());
    }
    Ok(sse_response(move |sink| async move {
        ticker.run(&sink, tick_frame).await
    }))
}

/// The ticker `/clock` and `/protected` share: their params and the resume point.
pub(crate) fn ticker(params: &Params, headers: &HeaderMap) -> Result<Ticker, BadRequest> {
    Ok(Ticker {
        first_id: Resume::from_headers(headers).next_id,
        interval: params.interval(DEFAULT_INTERVAL_MS)?,
        last_id: params.count()?,
    })
}

/// `id: n`, `event: tick`, data `{"n":n,"time":"<RFC 3339, milliseconds>"}`.
pub(crate) fn tick_frame(n: u64) -> Frame {
    let tick = Tick {
        n,
        time: humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
    };
    Frame::new().id(n).event("tick").data(&to_json(&tick))
}
