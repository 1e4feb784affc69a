//! One proxied exchange as the tap's watchers see it. An event-stream
//! response becomes the messages a connection of the client would send
//! (its attempt, its head, each read parsed by the project's parser, its
//! end), so the UI, `--headless` and `--record` treat it as any stream;
//! any other exchange is a one-line summary once it is over.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use tokio::sync::mpsc;

use super::decode::Decoder;
use crate::capture::piped::PipedStream;
use crate::sse::{
    BodyFormat, CloseReason, ConnError, ConnMsg, ErrorKind, RequestSpec, ResponseInfo, SentRequest,
};

/// What the tap tells its watcher, in the order it happened.
#[derive(Debug)]
pub enum TapMsg {
    /// Exchange `exchange`'s response is an event stream: its messages follow.
    Stream {
        exchange: u64,
        method: String,
        /// The path and query the client asked for.
        path: String,
        /// The request as sent upstream, for a capture's header.
        spec: Box<RequestSpec>,
    },
    /// A message of the stream of exchange `exchange`.
    Conn { exchange: u64, msg: ConnMsg },
    /// Any other exchange, once it is over.
    Other(Summary),
    /// With `--record`: another exchange's head, for its capture (no view
    /// shows it; its summary comes as [`TapMsg::Other`] at its end).
    Plain {
        exchange: u64,
        spec: Box<RequestSpec>,
        request: SentRequest,
        response: ResponseInfo,
    },
    /// With `--record`: a read of another exchange's body, as passed.
    PlainRead {
        exchange: u64,
        bytes: Bytes,
        at: SystemTime,
    },
}

/// An exchange in one line: what the tap lists of a web app's other requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub exchange: u64,
    pub method: String,
    pub path: String,
    /// `None` when no response came (the upstream could not be reached).
    pub status: Option<u16>,
    /// Body bytes passed to the client, as sent.
    pub bytes: u64,
    pub elapsed: Duration,
    /// Why it failed, when it did.
    pub error: Option<String>,
}

impl Summary {
    /// `GET /api/x 200 1.2 KiB 35 ms` (the path is the client's: escape before showing).
    pub fn line(&self) -> String {
        let status = self
            .status
            .map_or_else(|| "---".to_owned(), |s| s.to_string());
        let mut line = format!(
            "#{} {} {} {status} {} {}",
            self.exchange,
            self.method,
            self.path,
            crate::text::size(self.bytes),
            crate::text::duration(self.elapsed)
        );
        if let Some(error) = &self.error {
            line.push_str(&format!(" ({error})"));
        }
        line
    }
}

/// The watcher's side of one event-stream exchange.
pub struct StreamWatch {
    exchange: u64,
    tx: mpsc::Sender<TapMsg>,
    stream: Option<PipedStream>,
    decoder: Decoder,
}

impl StreamWatch {
    /// Tells the watcher the stream began: its request and response head.
    pub async fn start(
        exchange: u64,
        tx: mpsc::Sender<TapMsg>,
        head: (String, String, Box<RequestSpec>),
        request: SentRequest,
        response: ResponseInfo,
        encoding: Option<&str>,
    ) -> Self {
        let (method, path, spec) = head;
        let _ = tx
            .send(TapMsg::Stream {
                exchange,
                method,
                path,
                spec,
            })
            .await;
        let watch = Self {
            exchange,
            tx,
            stream: Some(PipedStream::new(BodyFormat::ForceSse)),
            decoder: Decoder::for_encoding(encoding),
        };
        watch
            .send(ConnMsg::Connecting {
                attempt: 1,
                request,
            })
            .await;
        watch
            .send(ConnMsg::Opened {
                attempt: 1,
                response,
            })
            .await;
        watch
    }

    async fn send(&self, msg: ConnMsg) {
        let _ = self
            .tx
            .send(TapMsg::Conn {
                exchange: self.exchange,
                msg,
            })
            .await;
    }

    /// A read passed to the client, received at `at`: decoded, parsed, told.
    pub async fn read(&mut self, bytes: &Bytes, at: SystemTime) {
        let Some(stream) = &mut self.stream else {
            return;
        };
        match self.decoder.decode(bytes) {
            Ok(decoded) if decoded.is_empty() => {}
            Ok(decoded) => {
                let msgs = stream.read(decoded, at);
                let failed = msgs.iter().any(|m| matches!(m, ConnMsg::Closed { .. }));
                if failed {
                    self.stream = None;
                }
                for msg in msgs {
                    self.send(msg).await;
                }
            }
            Err(why) => {
                self.stream = None;
                let error = ConnError::new(ErrorKind::Network, why);
                self.send(ConnMsg::Error {
                    attempt: 1,
                    error: error.clone(),
                })
                .await;
                self.send(ConnMsg::Closed {
                    reason: CloseReason::Failed(error),
                })
                .await;
            }
        }
    }

    /// The stream is over: it ended, or failed with `error` (the upstream
    /// failed, the client went away).
    pub async fn end(&mut self, error: Option<String>) {
        if let Some(stream) = self.stream.take() {
            for msg in stream.end(error) {
                self.send(msg).await;
            }
        }
    }
}
