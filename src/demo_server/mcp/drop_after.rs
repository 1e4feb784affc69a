//! `?drop_after=N` on `/mcp-legacy`: the SSE answer to a POST ends after its
//! N-th JSON-RPC message, as a server closing the stream mid-call would
//! (SEP-1699), so resumption can be tried. The call goes on running and its
//! later messages go to the event store; a GET with `Last-Event-ID` gets them.
//!
//! rmcp's transport has no such switch, so its response body is cut here:
//! the events are counted as they pass (an event ends at a blank line; the
//! priming event, with empty data, and keep-alive comments do not count).

use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::{Body, BodyDataStream, Bytes};
use tokio_stream::Stream;

/// The most messages `drop_after` may let through.
pub(super) const MAX_DROP_AFTER: u64 = 1000;

/// Counts the events that carry data in an SSE byte stream, across chunks.
#[derive(Debug, Clone)]
pub(super) struct EventCounter {
    limit: u64,
    seen: u64,
    /// The first bytes of the current line: enough to tell `data: x` apart.
    head: [u8; 7],
    line_len: usize,
    /// Whether the current event has a data line with something in it.
    has_data: bool,
}

impl EventCounter {
    /// A counter that stops at the `limit`-th event with data.
    pub(super) fn new(limit: u64) -> Self {
        Self {
            limit,
            seen: 0,
            head: [0; 7],
            line_len: 0,
            has_data: false,
        }
    }

    /// Feeds the next chunk; returns how many of its bytes to keep when the
    /// limit is reached in it (the blank line that ends that event included).
    pub(super) fn feed(&mut self, chunk: &[u8]) -> Option<usize> {
        for (i, &byte) in chunk.iter().enumerate() {
            match byte {
                b'\r' => {}
                b'\n' if self.line_len == 0 => {
                    if std::mem::take(&mut self.has_data) {
                        self.seen += 1;
                        if self.seen >= self.limit {
                            return Some(i + 1);
                        }
                    }
                }
                b'\n' => {
                    self.has_data |= self.line_is_data();
                    self.line_len = 0;
                }
                _ => {
                    if let Some(slot) = self.head.get_mut(self.line_len) {
                        *slot = byte;
                    }
                    self.line_len += 1;
                }
            }
        }
        None
    }

    /// `data:` followed by something other than its optional single space.
    fn line_is_data(&self) -> bool {
        let head = &self.head[..self.line_len.min(self.head.len())];
        match head.strip_prefix(b"data:") {
            Some([b' ', rest @ ..]) => !rest.is_empty(),
            Some(rest) => !rest.is_empty(),
            None => false,
        }
    }
}

/// A body that ends cleanly once `counter` says so.
struct CutBody {
    inner: Option<BodyDataStream>,
    counter: EventCounter,
}

impl Stream for CutBody {
    type Item = Result<Bytes, axum::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let Some(inner) = self.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match Pin::new(inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => match self.counter.feed(&chunk) {
                Some(keep) => {
                    // Dropping the transport's stream here is what a client
                    // sees as the server closing it.
                    self.inner = None;
                    Poll::Ready(Some(Ok(chunk.slice(..keep))))
                }
                None => Poll::Ready(Some(Ok(chunk))),
            },
            other => other,
        }
    }
}

/// `body` cut after its `limit`-th event with data.
pub(super) fn cut_after(body: Body, limit: u64) -> Body {
    Body::from_stream(CutBody {
        inner: Some(body.into_data_stream()),
        counter: EventCounter::new(limit),
    })
}
