//! The proxy itself: each request forwarded to the upstream, each response
//! streamed back as it comes, and what passed told to the watcher.
//!
//! No buffering is added: a relay task reads the upstream body a read at a
//! time and hands each read to the client's body through a channel of one
//! slot, so the next upstream read is awaited only once hyper has taken
//! the previous one to write (and, finding the body pending again,
//! flushed it). The bytes are the upstream's as sent, compressed or not;
//! the watcher gets a decoded copy after the client has its read.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use url::Url;

use super::exchange::{StreamWatch, Summary, TapMsg};
use super::headers;
use crate::sse::redact::{self, SecretNames};
use crate::sse::{RequestSpec, ResponseInfo, SentRequest};

/// The largest request body forwarded: a request is read whole before it
/// is sent on (SSE requests are small; an upload is not what a tap is for).
pub const MAX_REQUEST_BODY: usize = 16 * 1024 * 1024;

/// One tap: where it forwards to, and who watches.
pub struct Tap {
    pub(super) upstream: Url,
    /// The tap's own base URL, for `Location` rewriting.
    pub(super) base: Url,
    pub(super) preserve_host: bool,
    pub(super) http: reqwest::Client,
    pub(super) names: SecretNames,
    pub(super) watch: mpsc::Sender<TapMsg>,
    pub(super) next: AtomicU64,
}

impl Tap {
    /// The upstream URL for the client's `path_and_query`: the upstream's
    /// path as a prefix (`--upstream https://h/api` and `/v1/x` give `https://h/api/v1/x`).
    fn target(&self, path_and_query: &str) -> Url {
        let mut url = self.upstream.clone();
        let (path, query) = path_and_query
            .split_once('?')
            .map_or((path_and_query, None), |(p, q)| (p, Some(q)));
        let prefix = self.upstream.path().trim_end_matches('/');
        url.set_path(&format!("{prefix}{path}"));
        url.set_query(query);
        url
    }

    async fn tell(&self, msg: TapMsg) {
        let _ = self.watch.send(msg).await;
    }
}

/// Every request, whatever its method and path.
pub(super) async fn handle(State(tap): State<Arc<Tap>>, req: Request) -> Response {
    let exchange = tap.next.fetch_add(1, Ordering::Relaxed) + 1;
    let started = Instant::now();
    let method = req.method().clone();
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let summary = |status: Option<u16>, error: Option<String>| Summary {
        exchange,
        method: method.to_string(),
        path: path.clone(),
        status,
        bytes: 0,
        elapsed: started.elapsed(),
        error,
    };
    if headers::is_upgrade(req.headers()) {
        let why = "ssetui tap does not pass protocol upgrades (WebSocket): only HTTP exchanges are proxied";
        tap.tell(TapMsg::Other(summary(
            Some(501),
            Some("upgrade refused".into()),
        )))
        .await;
        return (StatusCode::NOT_IMPLEMENTED, format!("{why}\n")).into_response();
    }
    let url = tap.target(&path);
    let client_headers = req.headers().clone();
    let head = headers::upstream_request(&client_headers, &tap.upstream, tap.preserve_host);
    let body = match axum::body::to_bytes(req.into_body(), MAX_REQUEST_BODY).await {
        Ok(body) => body,
        Err(err) => {
            let why = format!("the request body could not be read whole: {err}");
            tap.tell(TapMsg::Other(summary(Some(413), Some(why.clone()))))
                .await;
            return (StatusCode::PAYLOAD_TOO_LARGE, format!("{why}\n")).into_response();
        }
    };
    let sent_at = Instant::now();
    let request = tap
        .http
        .request(method.clone(), url.clone())
        .headers(head.clone())
        .body(body.clone());
    let upstream = match request.send().await {
        Ok(response) => response,
        Err(err) => {
            let why = format!(
                "the upstream {} could not be reached: {}",
                redact::url(&tap.upstream, &tap.names),
                crate::sse::error::detail(&err)
            );
            tap.tell(TapMsg::Other(summary(None, Some(why.clone()))))
                .await;
            return (StatusCode::BAD_GATEWAY, format!("{why}\n")).into_response();
        }
    };
    let status = upstream.status();
    let upstream_headers = upstream.headers().clone();
    let is_stream = is_event_stream(&upstream_headers);
    let watch = if is_stream {
        let spec = exchange_spec(&method, &url, &head, &body);
        let sent = sent_request(&method, &url, &head, &body, &tap.names);
        let info = ResponseInfo {
            status: status.as_u16(),
            version: format!("{:?}", upstream.version()),
            headers: upstream_headers
                .iter()
                .map(|(n, v)| {
                    let shown = String::from_utf8_lossy(v.as_bytes());
                    (
                        n.as_str().to_owned(),
                        redact::response_header_value(n.as_str(), &shown),
                    )
                })
                .collect(),
            redirects: Vec::new(),
            final_url: redact::url(&url, &tap.names),
            time_to_first_byte: sent_at.elapsed(),
        };
        let encoding = upstream_headers
            .get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok());
        Some(
            StreamWatch::start(
                exchange,
                tap.watch.clone(),
                (method.to_string(), path.clone(), Box::new(spec)),
                sent,
                info,
                encoding,
            )
            .await,
        )
    } else {
        None
    };
    let (tx, rx) = mpsc::channel(1);
    let other = (!is_stream).then(|| summary(Some(status.as_u16()), None));
    tokio::spawn(relay(upstream, tx, watch, other, Arc::clone(&tap), started));
    let mut response = Response::new(Body::from_stream(ReceiverStream::new(rx)));
    *response.status_mut() = status;
    *response.headers_mut() = headers::client_response(&upstream_headers, &tap.upstream, &tap.base);
    response
}

/// Copies the upstream body to the client a read at a time, telling the
/// watcher each read of a stream (after the client has it) and, for any
/// other exchange, its summary at the end.
async fn relay(
    mut upstream: reqwest::Response,
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    mut watch: Option<StreamWatch>,
    mut other: Option<Summary>,
    tap: Arc<Tap>,
    started: Instant,
) {
    let mut bytes_sent: u64 = 0;
    let error = loop {
        let read = tokio::select! {
            biased;
            () = tx.closed() => break Some("the client closed the connection".to_owned()),
            read = upstream.chunk() => read,
        };
        match read {
            Ok(Some(bytes)) => {
                let at = SystemTime::now();
                bytes_sent += bytes.len() as u64;
                let copy = bytes.clone();
                if tx.send(Ok(bytes)).await.is_err() {
                    break Some("the client closed the connection".to_owned());
                }
                if let Some(watch) = &mut watch {
                    watch.read(&copy, at).await;
                }
            }
            Ok(None) => break None,
            Err(err) => {
                let why = format!("the upstream failed: {}", crate::sse::error::detail(&err));
                // The client sees its connection fail too, not a clean end.
                let _ = tx.send(Err(io::Error::other(why.clone()))).await;
                break Some(why);
            }
        }
    };
    if let Some(watch) = &mut watch {
        watch.end(error.clone()).await;
    }
    if let Some(mut summary) = other.take() {
        summary.bytes = bytes_sent;
        summary.elapsed = started.elapsed();
        summary.error = error;
        tap.tell(TapMsg::Other(summary)).await;
    }
}

/// Whether a response head announces an event stream.
fn is_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("text/event-stream"))
}

/// The exchange's request as a spec: what a capture's header records
/// (redacted there, as every capture is).
fn exchange_spec(
    method: &axum::http::Method,
    url: &Url,
    head: &HeaderMap,
    body: &Bytes,
) -> RequestSpec {
    let mut spec = RequestSpec::new(method.clone(), url.clone());
    spec.headers = head
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    spec.body = (!body.is_empty()).then(|| body.to_vec());
    spec
}

/// The request as sent upstream, secrets redacted by rule, for the views.
fn sent_request(
    method: &axum::http::Method,
    url: &Url,
    head: &HeaderMap,
    body: &Bytes,
    names: &SecretNames,
) -> SentRequest {
    SentRequest {
        method: method.to_string(),
        url: redact::url(url, names),
        headers: head
            .iter()
            .map(|(n, v)| {
                let shown = String::from_utf8_lossy(v.as_bytes());
                (
                    n.as_str().to_owned(),
                    redact::header_value(n.as_str(), &shown, names),
                )
            })
            .collect(),
        body_len: (!body.is_empty()).then_some(body.len()),
        last_event_id: head
            .get("last-event-id")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    }
}
