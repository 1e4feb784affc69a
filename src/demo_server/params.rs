//! Query parameters and the `Last-Event-ID` header, checked strictly.
//!
//! A demo is where people experiment, so a typo should say so instead of being
//! silently ignored: unknown, repeated or malformed parameters are refused with
//! a 400 whose text names the parameter and what would have been accepted.

use std::ops::RangeInclusive;
use std::time::Duration;

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::stream::text_response;

/// A request the demo refuses with 400 and a message a person can act on.
#[derive(Debug)]
pub(crate) struct BadRequest(pub(crate) String);

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        text_response(
            StatusCode::BAD_REQUEST,
            format!("400 Bad Request: {}\n", self.0),
        )
    }
}

/// The longest interval any endpoint accepts: one hour.
pub(crate) const MAX_INTERVAL_MS: u64 = 3_600_000;

/// One request's query parameters, already checked against the endpoint's list.
pub(crate) struct Params {
    endpoint: &'static str,
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses the query of `uri`, refusing names not in `allowed` and repeated names.
    pub(crate) fn parse(
        uri: &Uri,
        endpoint: &'static str,
        allowed: &[&str],
    ) -> Result<Self, BadRequest> {
        let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri)
            .map_err(|e| BadRequest(format!("cannot read the query string: {e}")))?;
        for (i, (name, _)) in pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                let accepted = if allowed.is_empty() {
                    "no query parameters".to_owned()
                } else {
                    allowed.join(", ")
                };
                return Err(BadRequest(format!(
                    "unknown query parameter {name:?} for {endpoint}; it accepts {accepted}"
                )));
            }
            if pairs[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(BadRequest(format!(
                    "query parameter {name:?} given more than once"
                )));
            }
        }
        Ok(Self { endpoint, pairs })
    }

    /// The raw value of `name`, if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A whole number within `range`, if given; `what` says what it means.
    pub(crate) fn number(
        &self,
        name: &str,
        range: RangeInclusive<u64>,
        what: &str,
    ) -> Result<Option<u64>, BadRequest> {
        let Some(raw) = self.get(name) else {
            return Ok(None);
        };
        match raw.parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(BadRequest(format!(
                "{name}={raw:?} is not valid for {}: expected a whole number from {} to {} ({what})",
                self.endpoint,
                range.start(),
                range.end()
            ))),
        }
    }

    /// `interval_ms`, defaulting to `default_ms`: the pause between events.
    pub(crate) fn interval(&self, default_ms: u64) -> Result<Duration, BadRequest> {
        let ms = self
            .number(
                "interval_ms",
                1..=MAX_INTERVAL_MS,
                "milliseconds between events",
            )?
            .unwrap_or(default_ms);
        Ok(Duration::from_millis(ms))
    }

    /// `count`: the id of the last event; the stream ends cleanly after it.
    pub(crate) fn count(&self) -> Result<Option<u64>, BadRequest> {
        self.number(
            "count",
            0..=u64::MAX,
            "events to send before ending the stream",
        )
    }

    /// An on/off switch: `1`, `true`, `yes`, `on` or empty turn it on.
    pub(crate) fn flag(&self, name: &str) -> Result<bool, BadRequest> {
        match self.get(name) {
            None => Ok(false),
            Some("" | "1" | "true" | "yes" | "on") => Ok(true),
            Some("0" | "false" | "no" | "off") => Ok(false),
            Some(other) => Err(BadRequest(format!(
                "{name}={other:?} is not valid for {}: expected 1 or 0",
                self.endpoint
            ))),
        }
    }
}

/// Where a reconnecting client left off, from its `Last-Event-ID` header.
pub(crate) struct Resume {
    /// The header's value as sent, if there was one (not necessarily numeric).
    pub(crate) last_event_id: Option<String>,
    /// The id to send next: N+1 after a numeric id N, otherwise 1.
    pub(crate) next_id: u64,
}

impl Resume {
    /// Reads `Last-Event-ID`; a missing, non-numeric or unreadable value starts at 1.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Self {
        let last_event_id = headers
            .get("last-event-id")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        let next_id = last_event_id
            .as_deref()
            .and_then(|id| id.trim().parse::<u64>().ok())
            .and_then(|n| n.checked_add(1))
            .unwrap_or(1);
        Self {
            last_event_id,
            next_id,
        }
    }
}
