//! The HTTP request as sent (default headers, user headers), compression, and
//! connect failures, against the raw-TCP loopback server.

mod support;

use ssetui::sse::request::HttpVersionPref;
use ssetui::sse::{CloseReason, ConnMsg, ErrorKind, ReconnectPolicy, RequestSpec, SentRequest};
use support::*;

fn shown_header<'a>(request: &'a SentRequest, name: &str) -> Vec<&'a str> {
    request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// CRC-32 (IEEE, reflected 0xEDB88320), as gzip's trailer wants it.
fn crc32(data: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| {
            (0..8).fold(n, |c, _| {
                if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                }
            })
        })
        .collect();
    !data.iter().fold(!0u32, |c, &b| {
        table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// A gzip member header: deflate, no flags, no mtime, unknown OS.
const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];

/// One deflate "stored" (uncompressed) block holding `data`.
fn stored_block(data: &[u8], last: bool) -> Vec<u8> {
    let len = u16::try_from(data.len()).expect("a stored block holds at most 65535 bytes");
    let mut out = vec![u8::from(last)]; // BFINAL, BTYPE=00, then padding to the byte boundary
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend(data);
    out
}

/// The gzip trailer for the whole uncompressed `data`: CRC-32 then size, little-endian.
fn gzip_trailer(data: &[u8]) -> Vec<u8> {
    let mut out = crc32(data).to_le_bytes().to_vec();
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[test]
fn crc32_matches_the_check_value() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
}

#[tokio::test]
async fn default_headers_are_sent() {
    let mut server = stream_server().await;
    let (handle, mut rx) = connect(server.spec("/s"));

    let shown = shown_request(&mut rx).await;
    let request = server.next_request().await;
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("accept"), Some("text/event-stream"));
    assert_eq!(request.header("cache-control"), Some("no-cache"));
    assert_eq!(
        request.header("accept-encoding"),
        None,
        "no compression unless asked"
    );
    assert_eq!(request.header("last-event-id"), None);
    assert!(
        request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("ssetui/"))
    );
    assert!(request.body.is_empty());

    assert_eq!(shown.method, "GET");
    assert_eq!(shown.url, server.url("/s"));
    assert_eq!(shown_header(&shown, "accept"), ["text/event-stream"]);
    assert_eq!(shown_header(&shown, "cache-control"), ["no-cache"]);
    assert_eq!(
        shown_header(&shown, "user-agent"),
        [request.header("user-agent").unwrap()]
    );
    assert!(shown_header(&shown, "accept-encoding").is_empty());
    assert_eq!(shown.body_len, None);
    handle.stop();
}

#[tokio::test]
async fn a_user_header_replaces_a_default_and_an_empty_value_removes_it() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.headers = vec![
        (
            "accept".into(),
            "text/event-stream, application/x-ndjson".into(),
        ),
        ("Cache-Control".into(), String::new()),
        ("X-Multi".into(), "a".into()),
        ("X-Multi".into(), "b".into()),
    ];
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    let request = server.next_request().await;
    assert_eq!(
        request.header("accept"),
        Some("text/event-stream, application/x-ndjson")
    );
    assert_eq!(request.header("cache-control"), None);
    assert_eq!(request.header("x-multi"), Some("a, b"));

    assert_eq!(
        shown_header(&shown, "accept"),
        ["text/event-stream, application/x-ndjson"]
    );
    assert!(shown_header(&shown, "cache-control").is_empty());
    assert_eq!(shown_header(&shown, "x-multi"), ["a", "b"]);
    handle.stop();
}

#[tokio::test]
async fn compressed_asks_for_gzip_and_decodes_it_as_it_arrives() {
    let first = b": zipped\ndata: one\n\n";
    let second = b"id: 2\ndata: two\n\n";
    let whole = [&first[..], &second[..]].concat();
    let mut opening = GZIP_HEADER.to_vec();
    opening.extend(stored_block(first, false));
    let mut closing = stored_block(second, true);
    closing.extend(gzip_trailer(&whole));
    let mut server = TestServer::always(vec![
        head(200, "text/event-stream", &[("Content-Encoding", "gzip")]),
        write(opening),
        Step::Gate,
        write(closing),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/s");
    spec.transport.compressed = true;
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);

    // The first block is decoded before the rest of the body exists.
    let mut msgs = until(&mut rx, |m| has_event(m, "one")).await;
    server.release();
    msgs.extend(until_closed(&mut rx).await);
    assert_eq!(
        triples(&msgs),
        [
            ("message".into(), "one".into(), String::new()),
            ("message".into(), "two".into(), "2".into())
        ]
    );
    let body: Vec<u8> = msgs
        .iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(chunk.bytes.to_vec()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(body, whole, "the chunks hold the decoded body");
    assert!(
        matches!(
            msgs.last(),
            Some(ConnMsg::Closed {
                reason: CloseReason::Ended
            })
        ),
        "{msgs:?}"
    );

    let request = server.next_request().await;
    let accepted = request.header("accept-encoding").unwrap_or_default();
    assert!(accepted.contains("gzip"), "Accept-Encoding: {accepted:?}");
    let shown = msgs.iter().find_map(|m| match m {
        ConnMsg::Connecting { request, .. } => Some(request.headers.clone()),
        _ => None,
    });
    assert!(
        shown
            .unwrap_or_default()
            .contains(&("Accept-Encoding".into(), accepted.into())),
        "the request as shown names the Accept-Encoding as sent"
    );
}

#[tokio::test]
async fn a_corrupt_compressed_body_is_a_decode_error_that_is_not_retried() {
    let mut body = GZIP_HEADER.to_vec();
    // BFINAL=1 with the reserved block type 11: no inflater accepts it.
    body.extend([0x07, 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]);
    let mut server = TestServer::always(vec![
        head(200, "text/event-stream", &[("Content-Encoding", "gzip")]),
        write(body),
        Step::Close,
    ])
    .await;
    let mut spec = server.spec("/s");
    spec.transport.compressed = true;
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    match msgs.last() {
        Some(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }) => {
            assert_eq!(err.kind, ErrorKind::Decode, "{err}");
            assert!(err.message.contains("decode"), "{err}");
        }
        other => panic!("expected a decode failure, got {other:?}"),
    }
    server.next_request().await;
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn connecting_to_a_closed_port_is_a_connect_error_naming_the_url() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/events",
        listener.local_addr().unwrap().port()
    );
    drop(listener);
    let mut spec = RequestSpec::get(url.parse().unwrap());
    spec.reconnect = ReconnectPolicy::Never;
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    assert!(matches!(
        msgs.first(),
        Some(ConnMsg::Connecting { attempt: 1, .. })
    ));
    match msgs.last() {
        Some(ConnMsg::Closed {
            reason: CloseReason::Failed(err),
        }) => {
            assert_eq!(err.kind, ErrorKind::Connect, "{err}");
            assert!(err.message.contains(&url), "{err}");
            assert!(!err.message.contains('\n'), "{err:?}");
        }
        other => panic!("expected a connect failure, got {other:?}"),
    }
}

#[tokio::test]
async fn http1_only_speaks_http_1_1() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.transport.http_version = HttpVersionPref::Http1Only;
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| matches!(m, ConnMsg::Opened { .. })).await;
    match msgs.last() {
        Some(ConnMsg::Opened { response, .. }) => assert_eq!(response.version, "HTTP/1.1"),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.next_request().await.method, "GET");
    handle.stop();
}

#[tokio::test]
async fn a_broken_connection_in_a_compressed_stream_is_a_network_error_that_reconnects() {
    let mut opening = GZIP_HEADER.to_vec();
    opening.extend(stored_block(b"data: one\n\n", false));
    let server = TestServer::start(vec![
        vec![
            head(200, "text/event-stream", &[("Content-Encoding", "gzip")]),
            write(opening),
            Step::Gate,
            Step::Reset,
        ],
        vec![sse_head(), write("data: two\n\n"), Step::Hold],
    ])
    .await;
    let mut spec = server.spec("/s");
    spec.transport.compressed = true;
    spec.retry.initial_delay = std::time::Duration::from_millis(50);
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "one")).await;
    server.release();
    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    let kinds: Vec<ErrorKind> = msgs
        .iter()
        .filter_map(|m| match m {
            ConnMsg::Error { error, .. } => Some(error.kind),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, [ErrorKind::Network], "{msgs:?}");
    handle.stop();
}

#[tokio::test]
async fn a_user_agent_header_replaces_the_default_and_is_shown_once() {
    let mut server = stream_server().await;
    let mut spec = server.spec("/s");
    spec.headers.push(("User-Agent".into(), "probe/2.0".into()));
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    let request = server.next_request().await;
    assert_eq!(request.header("user-agent"), Some("probe/2.0"));
    assert_eq!(
        shown_header(&shown, "user-agent"),
        ["probe/2.0"],
        "shown as sent: {shown:?}"
    );
    handle.stop();
}

#[tokio::test]
async fn a_body_is_sent_with_its_length_and_shown_with_it() {
    let mut server = stream_server().await;
    let mut spec = RequestSpec::new(reqwest::Method::POST, server.url("/s").parse().unwrap());
    spec.headers
        .push(("Content-Type".into(), "application/json".into()));
    spec.body = Some(b"{\"n\":12345}".to_vec());
    let (handle, mut rx) = connect(spec);

    let shown = shown_request(&mut rx).await;
    let request = server.next_request().await;
    assert_eq!(request.method, "POST");
    assert_eq!(request.body, b"{\"n\":12345}");
    assert_eq!(request.header("content-length"), Some("11"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(shown.method, "POST");
    assert_eq!(shown.body_len, Some(11));
    assert_eq!(shown_header(&shown, "content-length"), ["11"]);
    assert_eq!(shown_header(&shown, "content-type"), ["application/json"]);
    handle.stop();
}
