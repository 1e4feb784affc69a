//! What a reverse proxy changes in the heads it passes on, and nothing
//! more: hop-by-hop headers dropped (RFC 9110 §7.6.1: those of the
//! connection, and any the `Connection` header names), `Host` set to the
//! upstream's unless kept, and a `Location` that points at the upstream
//! made to point at the tap, so the client's next request comes back
//! through it.

use axum::http::header::{CONNECTION, HOST, LOCATION};
use axum::http::{HeaderMap, HeaderValue};
use url::Url;

/// The hop-by-hop headers, always dropped.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
];

/// `headers` without the hop-by-hop ones (and `upgrade`: no protocol is
/// switched through the tap).
pub fn end_to_end(headers: &HeaderMap) -> HeaderMap {
    let named: Vec<String> = headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    let mut out = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let lower = name.as_str();
        if HOP_BY_HOP.contains(&lower) || lower == "upgrade" || named.iter().any(|n| n == lower) {
            continue;
        }
        out.append(name.clone(), value.clone());
    }
    out
}

/// The head of the request sent upstream: end-to-end headers, `Host` the
/// upstream's (unless `preserve_host`), `Content-Length` left to the client
/// library (it sends the body it was given).
pub fn upstream_request(headers: &HeaderMap, upstream: &Url, preserve_host: bool) -> HeaderMap {
    let mut out = end_to_end(headers);
    out.remove(axum::http::header::CONTENT_LENGTH);
    if !preserve_host {
        out.remove(HOST);
        if let Some(value) = authority(upstream).and_then(|a| HeaderValue::from_str(&a).ok()) {
            out.insert(HOST, value);
        }
    }
    out
}

/// The head of the response sent to the client: end-to-end headers, a
/// `Location` into the upstream rewritten to the tap (`tap_base`), a
/// `Content-Length` kept (the body passes unchanged).
pub fn client_response(headers: &HeaderMap, upstream: &Url, tap_base: &Url) -> HeaderMap {
    let mut out = end_to_end(headers);
    if let Some(location) = out.get(LOCATION).and_then(|v| v.to_str().ok())
        && let Some(rewritten) = rewrite_location(location, upstream, tap_base)
        && let Ok(value) = HeaderValue::from_str(&rewritten)
    {
        out.insert(LOCATION, value);
    }
    out
}

/// `location` made to point at the tap when it points into the upstream:
/// its origin, and under its path, which the tap adds to every path it
/// forwards (`--upstream http://h/api`: `http://h/api/v2` is the tap's
/// `/v2`). Anything else is left as it is (`None`): another origin, a path
/// outside the upstream's that no tap path reaches, or a relative
/// `Location`, which stays relative to the tap's URL.
pub fn rewrite_location(location: &str, upstream: &Url, tap_base: &Url) -> Option<String> {
    let target = Url::parse(location).ok()?;
    if target.origin() != upstream.origin() {
        return None;
    }
    let prefix = upstream.path().trim_end_matches('/');
    let rest = target.path().strip_prefix(prefix)?;
    if !(rest.is_empty() || rest.starts_with('/')) {
        // `/apixyz` is not under `/api`.
        return None;
    }
    let mut moved = tap_base.clone();
    moved.set_path(if rest.is_empty() { "/" } else { rest });
    moved.set_query(target.query());
    moved.set_fragment(target.fragment());
    Some(moved.to_string())
}

/// `host[:port]` of `url`, the port only when it is not the scheme's default.
fn authority(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

/// Whether the request asks to switch protocols (WebSocket): the tap
/// answers 501 rather than pass a stream it cannot show.
pub fn is_upgrade(headers: &HeaderMap) -> bool {
    headers.contains_key(axum::http::header::UPGRADE)
}

#[cfg(test)]
mod tests;
