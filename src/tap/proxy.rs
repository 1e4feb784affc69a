//! The proxy itself: each request forwarded to the upstream, and its
//! response handed back with the upstream's body as it comes (the bytes as
//! sent, compressed or not). What the watcher needs of the exchange rides
//! in the response's extensions (`Exchange`) to `watch.rs`, which sees the
//! body after the faults, as the client gets it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::mpsc;
use url::Url;

use super::exchange::{Summary, TapMsg};
use super::headers;
use crate::sse::redact::{self, SecretNames};
use crate::sse::{RequestSpec, SentRequest};

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
    /// `--record`: other exchanges' heads and bodies are told too, for
    /// their captures (else only their summary).
    pub(super) record_plain: bool,
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

    pub(super) async fn tell(&self, msg: TapMsg) {
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
    let exchange = Exchange {
        number: exchange,
        method: method.to_string(),
        path,
        spec: exchange_spec(&method, &url, &head, &body),
        sent: crate::sse::attempt::shown_request(
            &method,
            &url,
            &head,
            (!body.is_empty()).then_some(body.len()),
            &tap.names,
        ),
        version: format!("{:?}", upstream.version()),
        final_url: redact::url(&url, &tap.names),
        time_to_first_byte: sent_at.elapsed(),
        started,
    };
    // The body as the upstream sends it: hyper asks for the next read only
    // once it has the previous one, so nothing is held back here. The
    // faults (if any) and the watcher (outermost) wrap it on the way out.
    let mut response = Response::new(Body::from_stream(upstream.bytes_stream()));
    *response.status_mut() = status;
    *response.headers_mut() = headers::client_response(&upstream_headers, &tap.upstream, &tap.base);
    response.extensions_mut().insert(exchange);
    response
}

/// What the watcher needs of an exchange besides its response: put in
/// the response's extensions by the proxy, taken out by the watcher.
#[derive(Clone)]
pub(super) struct Exchange {
    pub number: u64,
    pub method: String,
    pub path: String,
    /// The request as sent upstream, for a capture's header.
    pub spec: RequestSpec,
    /// The request as sent upstream, secrets redacted, for the views.
    pub sent: SentRequest,
    pub version: String,
    pub final_url: String,
    pub time_to_first_byte: std::time::Duration,
    pub started: Instant,
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
