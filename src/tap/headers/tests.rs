use super::*;
use axum::http::HeaderName;

fn name(text: &str) -> Option<HeaderName> {
    HeaderName::from_bytes(text.as_bytes()).ok()
}

fn head(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (n, v) in pairs {
        map.append(name(n).unwrap(), HeaderValue::from_str(v).unwrap());
    }
    map
}

#[test]
fn hop_by_hop_headers_and_those_connection_names_are_dropped() {
    let h = head(&[
        ("connection", "keep-alive, x-hop"),
        ("keep-alive", "timeout=5"),
        ("transfer-encoding", "chunked"),
        ("x-hop", "1"),
        ("te", "trailers"),
        ("upgrade", "websocket"),
        ("accept", "text/event-stream"),
        ("x-keep", "2"),
    ]);
    let out = end_to_end(&h);
    let names: Vec<&str> = out.keys().map(HeaderName::as_str).collect();
    assert_eq!(names, ["accept", "x-keep"]);
}

#[test]
fn host_is_the_upstreams_unless_preserved() {
    let upstream = Url::parse("https://api.example.com:8443/v1/").unwrap();
    let h = head(&[("host", "127.0.0.1:8900"), ("content-length", "3")]);
    let out = upstream_request(&h, &upstream, false);
    assert_eq!(out.get(HOST).unwrap(), "api.example.com:8443");
    assert!(out.get("content-length").is_none());
    let kept = upstream_request(&h, &upstream, true);
    assert_eq!(kept.get(HOST).unwrap(), "127.0.0.1:8900");
    let default_port = Url::parse("https://api.example.com/").unwrap();
    assert_eq!(
        upstream_request(&h, &default_port, false)
            .get(HOST)
            .unwrap(),
        "api.example.com"
    );
}

#[test]
fn a_location_into_the_upstream_points_at_the_tap_and_others_stay() {
    let upstream = Url::parse("https://api.example.com/").unwrap();
    let tap = Url::parse("http://127.0.0.1:8901/").unwrap();
    assert_eq!(
        rewrite_location("https://api.example.com/v2/stream?x=1", &upstream, &tap).as_deref(),
        Some("http://127.0.0.1:8901/v2/stream?x=1")
    );
    assert_eq!(
        rewrite_location("https://other.example/", &upstream, &tap),
        None
    );
    assert_eq!(
        rewrite_location("/relative", &upstream, &tap),
        None,
        "relative stays as it is"
    );
    let h = head(&[
        ("location", "https://api.example.com/next"),
        ("connection", "close"),
    ]);
    let out = client_response(&h, &upstream, &tap);
    assert_eq!(out.get(LOCATION).unwrap(), "http://127.0.0.1:8901/next");
    assert!(out.get(CONNECTION).is_none());
}
