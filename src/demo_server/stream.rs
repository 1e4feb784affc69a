//! Streaming response plumbing shared by every SSE endpoint.
//!
//! A handler checks its request, then hands a producer to [`sse_response`]:
//! the producer runs in its own task and writes frames through a [`Sink`]; the
//! response body reads them from a channel. When the client goes away hyper
//! drops the body, the channel closes, and the producer's next send or wait
//! returns [`Gone`] so the task ends instead of ticking forever.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;
use tokio_stream::Stream;
use tokio_stream::wrappers::ReceiverStream;

use super::wire::Frame;

/// What the body stream carries: bytes, or an error that aborts the connection.
type Chunk = Result<Bytes, io::Error>;

/// The client went away: the producer should stop.
#[derive(Debug)]
pub(crate) struct Gone;

/// The producer's end of a streaming response.
pub(crate) struct Sink {
    tx: mpsc::Sender<Chunk>,
}

impl Sink {
    /// Sends one block; fails once the client has gone.
    pub(crate) async fn send(&self, frame: Frame) -> Result<(), Gone> {
        self.send_bytes(frame.into_bytes()).await
    }

    /// Sends bytes as they are (a body in another format than SSE).
    pub(crate) async fn send_bytes(&self, bytes: Bytes) -> Result<(), Gone> {
        self.tx.send(Ok(bytes)).await.map_err(|_| Gone)
    }

    /// Waits for `future` unless the client goes away first.
    pub(crate) async fn wait<F: Future>(&self, future: F) -> Result<F::Output, Gone> {
        tokio::select! {
            biased;
            () = self.tx.closed() => Err(Gone),
            out = future => Ok(out),
        }
    }

    /// Sleeps unless the client goes away first.
    pub(crate) async fn sleep(&self, duration: Duration) -> Result<(), Gone> {
        self.wait(tokio::time::sleep(duration)).await
    }

    /// Drops the connection abruptly: the body yields an error, so hyper closes
    /// the socket without the chunked terminator and the client sees a network
    /// error rather than a clean end. Everything sent before is still delivered.
    pub(crate) async fn abort(self, why: &str) {
        let _ = self.tx.send(Err(io::Error::other(why.to_owned()))).await;
    }
}

/// A `text/event-stream` response whose body `produce` writes from its own task.
pub(crate) fn sse_response<F, Fut>(produce: F) -> Response
where
    F: FnOnce(Sink) -> Fut,
    Fut: Future<Output = Result<(), Gone>> + Send + 'static,
{
    stream_response("text/event-stream", produce)
}

/// A streaming response of `content_type` whose body `produce` writes from its own task.
pub(crate) fn stream_response<F, Fut>(content_type: &'static str, produce: F) -> Response
where
    F: FnOnce(Sink) -> Fut,
    Fut: Future<Output = Result<(), Gone>> + Send + 'static,
{
    let (tx, rx) = mpsc::channel(16);
    let task = produce(Sink { tx });
    tokio::spawn(async move {
        // Err(Gone) only means the client left; nothing to report.
        let _ = task.await;
    });
    let body = Body::from_stream(FlushBeforeError {
        inner: ReceiverStream::new(rx),
        error: None,
    });
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A plain-text response, for refusals a person will read: often in a
/// terminal (`curl`), and quoting the request (a path, a parameter), so the
/// text is neutralised ([`crate::text`]): a request cannot make the answer
/// drive the terminal it is read in.
pub(crate) fn text_response(status: StatusCode, text: String) -> Response {
    let text = match crate::text::neutralise(&text, crate::text::Lines::Multi) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
    };
    (status, [(CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

/// Holds back a body error for one poll. Hyper drops whatever is still in its
/// write buffer when the body fails, so the last events before an abort would
/// be lost; answering `Pending` once (and waking at once) lets hyper flush them
/// to the socket before it sees the error and closes the connection.
struct FlushBeforeError {
    inner: ReceiverStream<Chunk>,
    error: Option<io::Error>,
}

impl Stream for FlushBeforeError {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        if let Some(error) = self.error.take() {
            return Poll::Ready(Some(Err(error)));
        }
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Err(error))) => {
                self.error = Some(error);
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            other => other,
        }
    }
}

/// A run of numbered events at a steady pace, shared by the periodic endpoints.
pub(crate) struct Ticker {
    /// The id of the first event sent.
    pub(crate) first_id: u64,
    /// Time between events; the first is sent at once. Never zero.
    pub(crate) interval: Duration,
    /// The id of the last event (`?count=N`): the stream ends cleanly after it,
    /// however many connections it took; `None` runs forever.
    pub(crate) last_id: Option<u64>,
}

impl Ticker {
    /// Whether a client resuming here has had every event already. Such a
    /// request gets [`no_more_events`], not an empty stream, so that a client
    /// following the spec stops instead of reconnecting forever.
    pub(crate) fn is_finished(&self) -> bool {
        self.last_id.is_some_and(|last| self.first_id > last)
    }

    /// Sends `make(id)` for each id in turn until the last id has gone or the client leaves.
    pub(crate) async fn run(
        self,
        sink: &Sink,
        mut make: impl FnMut(u64) -> Frame,
    ) -> Result<(), Gone> {
        let mut interval = tokio::time::interval(self.interval.max(Duration::from_millis(1)));
        interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut next = Some(self.first_id);
        while let Some(id) = next.filter(|id| self.last_id.is_none_or(|last| *id <= last)) {
            sink.wait(interval.tick()).await?;
            sink.send(make(id)).await?;
            next = id.checked_add(1);
        }
        Ok(())
    }
}

/// 204 No Content: how an SSE server tells a client to stop reconnecting.
pub(crate) fn no_more_events() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn producer_stops_when_the_body_is_dropped() {
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (done_tx, done_rx) = tokio::sync::oneshot::channel();
        let response = sse_response(move |sink| async move {
            sink.send(Frame::new().data("first")).await?;
            let _ = started_tx.send(());
            let slept = sink.sleep(Duration::from_secs(3600)).await;
            let _ = done_tx.send(slept.is_err());
            slept
        });
        let patience = Duration::from_secs(10);
        let started = tokio::time::timeout(patience, started_rx).await;
        assert!(matches!(started, Ok(Ok(()))), "{started:?}");
        drop(response);
        let gone = tokio::time::timeout(patience, done_rx).await;
        assert!(matches!(gone, Ok(Ok(true))), "{gone:?}");
    }
}
