//! The watcher's side of the tap: the outermost layer, so it sees each
//! response as the client gets it (after the faults, if any). An event
//! stream's reads are handed to the client and then told to the watcher
//! as a connection's messages; any other exchange is summed up when over.
//!
//! No buffering is added: a relay task reads the body a read at a time and
//! hands each read to the client's body through a channel of one slot, so
//! the next read is awaited only once hyper has taken the previous one to
//! write (and, finding the body pending again, flushed it).

use std::io;
use std::sync::Arc;
use std::time::SystemTime;

use axum::body::{Body, BodyDataStream};
use axum::extract::{Request, State};
use axum::http::header::CONTENT_ENCODING;
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::ReceiverStream;

use super::exchange::{StreamWatch, Summary, TapMsg};
use super::proxy::{Exchange, Tap};
use crate::sse::ResponseInfo;
use crate::sse::attempt::announces_event_stream;
use crate::sse::redact;

/// The middleware: responses the proxy made (with their [`Exchange`]) are
/// relayed and watched; the tap's own answers (501, 502…) pass as they are.
pub(super) async fn watch(State(tap): State<Arc<Tap>>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let Some(exchange) = parts.extensions.remove::<Exchange>() else {
        return Response::from_parts(parts, body);
    };
    let stream = announces_event_stream(&parts.headers);
    let head = (stream || tap.record_plain).then(|| ResponseInfo {
        status: parts.status.as_u16(),
        version: exchange.version.clone(),
        headers: redact::response_headers(&parts.headers),
        redirects: Vec::new(),
        final_url: exchange.final_url.clone(),
        time_to_first_byte: exchange.time_to_first_byte,
    });
    let watch = match head {
        Some(info) if stream => {
            let encoding = parts
                .headers
                .get(CONTENT_ENCODING)
                .and_then(|v| v.to_str().ok());
            Some(
                StreamWatch::start(
                    exchange.number,
                    tap.watch.clone(),
                    (
                        exchange.method.clone(),
                        exchange.path.clone(),
                        Box::new(exchange.spec.clone()),
                    ),
                    exchange.sent.clone(),
                    info,
                    encoding,
                )
                .await,
            )
        }
        Some(response) => {
            // `--record`: the head of an exchange no view shows, for its capture.
            tap.tell(TapMsg::Plain {
                exchange: exchange.number,
                spec: Box::new(exchange.spec.clone()),
                request: exchange.sent.clone(),
                response,
            })
            .await;
            None
        }
        None => None,
    };
    let status = parts.status.as_u16();
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(relay(
        body.into_data_stream(),
        tx,
        watch,
        status,
        tap,
        exchange,
    ));
    Response::from_parts(parts, Body::from_stream(ReceiverStream::new(rx)))
}

/// Copies the body to the client a read at a time, telling the watcher
/// each read of a stream (after the client has it) and, for any other
/// exchange (answered `status`), its summary at the end.
async fn relay(
    mut body: BodyDataStream,
    tx: mpsc::Sender<Result<Bytes, io::Error>>,
    mut watch: Option<StreamWatch>,
    status: u16,
    tap: Arc<Tap>,
    exchange: Exchange,
) {
    let mut bytes_sent: u64 = 0;
    let error = loop {
        let read = tokio::select! {
            biased;
            () = tx.closed() => break Some("the client closed the connection".to_owned()),
            read = body.next() => read,
        };
        match read {
            Some(Ok(bytes)) => {
                let at = SystemTime::now();
                bytes_sent += bytes.len() as u64;
                let copy = bytes.clone();
                if tx.send(Ok(bytes)).await.is_err() {
                    break Some("the client closed the connection".to_owned());
                }
                if let Some(watch) = &mut watch {
                    watch.read(&copy, at).await;
                } else if tap.record_plain {
                    tap.tell(TapMsg::PlainRead {
                        exchange: exchange.number,
                        bytes: copy,
                        at,
                    })
                    .await;
                }
            }
            None => break None,
            Some(Err(err)) => {
                let why = format!("the stream failed: {}", crate::text::one_line(&err));
                // The client sees its connection fail too (a reset, when
                // the faults asked for one), not a clean end.
                let _ = tx.send(Err(io::Error::other(why.clone()))).await;
                break Some(why);
            }
        }
    };
    match &mut watch {
        Some(watch) => watch.end(error).await,
        None => {
            tap.tell(TapMsg::Other(Summary {
                exchange: exchange.number,
                method: exchange.method,
                path: exchange.path,
                status: Some(status),
                bytes: bytes_sent,
                elapsed: exchange.started.elapsed(),
                error,
            }))
            .await;
        }
    }
}
