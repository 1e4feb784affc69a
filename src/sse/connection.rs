//! One connection task: attempts, body reading, and reconnection as the spec
//! describes it. It owns nothing but its request and a `Sender`; everything it
//! learns goes to the consumer as [`ConnMsg`]s.

use std::future::Future;
use std::task::Poll;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::Response;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::attempt::{self, Head};
use super::backoff::{Backoff, MIN_RETRY_DELAY};
use super::body::BodyParser;
use super::client;
use super::consumer::{Channel, Consumer, EventSink};
use super::end_marker;
use super::error::{self, ConnError, ErrorKind};
use super::message::{Chunk, CloseReason, ConnMsg, StreamItem};
use super::parser::ParserConfig;
use super::redact::{self, SecretNames};
use super::request::{ReconnectPolicy, RequestSpec};
use super::session::Freshness;

mod credentials;
mod read_sink;

use read_sink::{Newest, ReadSink};

/// Controls a running connection task. Dropping it stops the task.
#[derive(Debug)]
pub struct ConnectionHandle {
    cancel: CancellationToken,
    control: mpsc::UnboundedSender<Control>,
    task: Option<JoinHandle<()>>,
}

/// What a handle asks of its task.
#[derive(Debug)]
enum Control {
    /// Abandon the current attempt or wait and connect again now, optionally
    /// sending a different `Last-Event-ID` (resume from a chosen event).
    Restart { last_event_id: Option<String> },
}

impl ConnectionHandle {
    /// Stops the task at once; it sends `Closed { reason: Stopped }` if the consumer still listens.
    pub fn stop(&self) {
        self.cancel.cancel();
    }

    /// Reconnects now with the current last event ID, resetting the back-off.
    pub fn restart(&self) {
        let _ = self.control.send(Control::Restart {
            last_event_id: None,
        });
    }

    /// Reconnects now sending `last_event_id` as `Last-Event-ID` (empty sends none).
    pub fn resume_from(&self, last_event_id: impl Into<String>) {
        let _ = self.control.send(Control::Restart {
            last_event_id: Some(last_event_id.into()),
        });
    }

    /// A token that stops the task when cancelled (for signal handlers).
    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Waits for the task to finish.
    pub async fn join(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ConnectionHandle {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Starts a connection task on the current tokio runtime.
pub fn spawn(spec: RequestSpec, tx: mpsc::Sender<ConnMsg>) -> ConnectionHandle {
    let cancel = CancellationToken::new();
    let (control_tx, control_rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(run(spec, tx, cancel.clone(), control_rx));
    ConnectionHandle {
        cancel,
        control: control_tx,
        task: Some(task),
    }
}

/// Runs a connection on the calling task, handing every message to
/// `consumer` as it happens, until it closes: returns why (no `Closed` message
/// is sent). For a consumer on the same task (`print`): no channel between
/// them, and a read's events can be read in place ([`Consumer::events_in_place`]).
pub async fn run_inline<C: Consumer>(
    spec: RequestSpec,
    consumer: C,
    cancel: &CancellationToken,
) -> CloseReason {
    // No handle: nothing asks for a restart, so the sender just stays open.
    let (_control, mut control) = mpsc::unbounded_channel();
    Connection::new(spec, consumer)
        .run(cancel, &mut control)
        .await
}

async fn run(
    spec: RequestSpec,
    tx: mpsc::Sender<ConnMsg>,
    cancel: CancellationToken,
    mut control: mpsc::UnboundedReceiver<Control>,
) {
    let mut conn = Connection::new(spec, Channel(tx.clone()));
    let reason = conn.run(&cancel, &mut control).await;
    let closed = ConnMsg::Closed { reason };
    if cancel.is_cancelled() {
        // A stopped task must not wait on a consumer that stopped reading.
        let _ = tx.try_send(closed);
    } else {
        let _ = tx.send(closed).await;
    }
}

/// How one attempt ended.
enum Outcome {
    Ended {
        discarded: Option<std::ops::Range<u64>>,
    },
    NoContent,
    Failed(ConnError),
    ConsumerGone,
}

/// What interrupted a wait or an attempt.
enum Step<T> {
    Stop,
    Restart(Option<String>),
    Done(T),
}

struct Connection<C> {
    spec: RequestSpec,
    consumer: C,
    names: SecretNames,
    /// Secret values to scrub from any text a lower layer produced.
    secrets: Vec<String>,
    backoff: Backoff,
    attempt: u32,
    /// Events dispatched so far over the task's life.
    seq: u64,
    /// Body bytes received so far over the task's life.
    offset: u64,
    last_event_id: String,
    /// The end marker the attempt's last event was, if any ([`end_marker`]).
    answer_ended: Option<&'static str>,
    /// Whether the next attempt needs a new credential (the last one was rejected).
    freshness: Freshness,
    /// Whether this series of attempts was already answered 401/403 and
    /// refreshed its credentials: a second rejection fails the connection.
    auth_refreshed: bool,
}

impl<C: Consumer> Connection<C> {
    fn new(spec: RequestSpec, consumer: C) -> Self {
        // Lower layers' messages and servers' error bodies may quote them.
        let secrets = spec.secret_values();
        Self {
            names: spec.secret_names(),
            backoff: Backoff::new(spec.retry.initial_delay, spec.retry.max_delay),
            last_event_id: spec.last_event_id.clone(),
            spec,
            consumer,
            secrets,
            attempt: 0,
            seq: 0,
            offset: 0,
            answer_ended: None,
            freshness: Freshness::Cached,
            auth_refreshed: false,
        }
    }

    async fn run(
        &mut self,
        cancel: &CancellationToken,
        control: &mut mpsc::UnboundedReceiver<Control>,
    ) -> CloseReason {
        // The last guard: a value masked where the request came from is
        // never sent, whichever front end started the task.
        if let Err(why) = self.spec.check_redacted() {
            return CloseReason::Failed(ConnError::new(
                ErrorKind::Request,
                format!("not sent: {why}"),
            ));
        }
        let http = match client::build(&self.spec.transport, self.spec.connect_timeout) {
            Ok(http) => http,
            Err(err) => return CloseReason::Failed(self.scrub(err)),
        };
        loop {
            self.attempt += 1;
            let step = tokio::select! {
                biased;
                _ = cancel.cancelled() => Step::Stop,
                ctl = control.recv() => restart_step(ctl),
                outcome = self.run_attempt(&http) => Step::Done(outcome),
            };
            let server_delay = match step {
                Step::Stop => return CloseReason::Stopped,
                Step::Restart(id) => {
                    self.restart(id);
                    continue;
                }
                Step::Done(outcome) => match self.after_attempt(outcome).await {
                    Ok(delay) => delay,
                    Err(reason) => return reason,
                },
            };
            let delay =
                server_delay.map_or_else(|| self.backoff.next_delay(), |d| d.max(MIN_RETRY_DELAY));
            let scheduled = ConnMsg::ReconnectScheduled {
                next_attempt: self.attempt + 1,
                delay,
                last_event_id: self.last_event_id.clone(),
            };
            if !self.send(scheduled).await {
                return CloseReason::Stopped;
            }
            let step = tokio::select! {
                biased;
                _ = cancel.cancelled() => Step::Stop,
                ctl = control.recv() => restart_step(ctl),
                () = tokio::time::sleep(delay) => Step::Done(()),
            };
            match step {
                Step::Stop => return CloseReason::Stopped,
                Step::Restart(id) => self.restart(id),
                Step::Done(()) => {}
            }
        }
    }

    fn restart(&mut self, last_event_id: Option<String>) {
        if let Some(id) = last_event_id {
            self.last_event_id = id;
        }
        self.backoff.reset();
    }

    /// Reports how the attempt ended and decides what follows: `Ok` to
    /// reconnect (with the server's own delay, if it gave one), `Err` to close.
    async fn after_attempt(&mut self, outcome: Outcome) -> Result<Option<Duration>, CloseReason> {
        let attempt = self.attempt;
        match outcome {
            Outcome::ConsumerGone => Err(CloseReason::Stopped),
            Outcome::NoContent => Err(CloseReason::NoContent),
            Outcome::Ended { discarded } => {
                let end_marker = self.answer_ended.take();
                let ended = ConnMsg::StreamEnded {
                    attempt,
                    discarded,
                    end_marker,
                };
                if !self.send(ended).await {
                    return Err(CloseReason::Stopped);
                }
                // An LLM answer that reached its end marker is over: asking
                // again would repeat it. The spec's reconnect wins only when
                // the user chose it in so many words.
                let answer_over = end_marker.is_some() && !self.spec.reconnect_explicit;
                match self.spec.reconnect {
                    ReconnectPolicy::Always if !answer_over => Ok(None),
                    _ => Err(CloseReason::Ended),
                }
            }
            Outcome::Failed(error) => {
                let mut error = self.scrub(error);
                let rejected = self.credentials_rejected(&mut error);
                if !self
                    .send(ConnMsg::Error {
                        attempt,
                        error: error.clone(),
                    })
                    .await
                {
                    return Err(CloseReason::Stopped);
                }
                if rejected {
                    return self.refresh_or_fail(error);
                }
                let retry_status = error.kind == ErrorKind::Status
                    && error
                        .status
                        .is_some_and(|s| self.spec.retry.retry_statuses.contains(&s));
                // A break after the answer's end marker loses nothing of it.
                let answer_over =
                    self.answer_ended.take().is_some() && !self.spec.reconnect_explicit;
                let retry_network = error.kind.is_network()
                    && self.spec.reconnect != ReconnectPolicy::Never
                    && !answer_over;
                if !retry_status && !retry_network {
                    return Err(CloseReason::Failed(error));
                }
                self.backoff.record_failure();
                if let Some(max) = self.spec.retry.max_retries
                    && self.backoff.failures() > max
                {
                    return Err(CloseReason::RetriesExhausted {
                        attempts: attempt,
                        last: error,
                    });
                }
                Ok(error.retry_after)
            }
        }
    }

    async fn run_attempt(&mut self, http: &reqwest::Client) -> Outcome {
        let mut request = match attempt::prepare(&self.spec, &self.last_event_id) {
            Ok(request) => request,
            Err(err) => return Outcome::Failed(err),
        };
        if let Err(err) = self.authorise(http, &mut request).await {
            return Outcome::Failed(err);
        }
        let shown = attempt::describe(&request, &self.names);
        if !self
            .send(ConnMsg::Connecting {
                attempt: self.attempt,
                request: shown,
            })
            .await
        {
            return Outcome::ConsumerGone;
        }
        let (mut response, info) = match attempt::open(http, &self.spec, request, &self.names).await
        {
            Ok(Head::NoContent) => return Outcome::NoContent,
            Ok(Head::Stream(response, info)) => (response, info),
            Err(err) => return Outcome::Failed(err),
        };
        // "a successful open resets the back-off"
        self.backoff.reset();
        self.auth_refreshed = false;
        if !self
            .send(ConnMsg::Opened {
                attempt: self.attempt,
                response: info,
            })
            .await
        {
            return Outcome::ConsumerGone;
        }
        self.read_body(&mut response).await
    }

    async fn read_body(&mut self, response: &mut Response) -> Outcome {
        let mut parser = BodyParser::new(
            self.spec.body_format,
            ParserConfig {
                last_event_id: self.last_event_id.clone(),
                start_offset: self.offset,
                max_event_size: self.spec.max_event_size,
            },
        );
        // How many items the last read held: the next list starts that big.
        let mut items_hint = 0;
        self.answer_ended = None;
        loop {
            let bytes = match self.next_read(response).await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    return Outcome::Ended {
                        discarded: parser.finish(),
                    };
                }
                Err(err) => return Outcome::Failed(err),
            };
            let received_at = SystemTime::now();
            let (items, fed, newest) = {
                // Not held across an await: the consumer's sink need not be `Send`.
                let in_place = self.consumer.events_in_place(self.attempt, received_at);
                // Events printed in place are written out: their plain text needs no escaping.
                parser.note_plain(in_place.is_some());
                let mut items = Vec::with_capacity(if in_place.is_some() { 0 } else { items_hint });
                let mut sink = ReadSink {
                    seq: &mut self.seq,
                    items: &mut items,
                    in_place,
                    read: &bytes,
                    newest: Newest::None,
                };
                let fed = parser.feed(&bytes, &mut sink);
                let newest = std::mem::replace(&mut sink.newest, Newest::None);
                (items, fed, newest)
            };
            // Once per read: whether the newest event ends an LLM answer.
            match newest.end_marker(&bytes) {
                Some(marker) => self.answer_ended = marker,
                None => {
                    items_hint = items.len();
                    if let Some(last) = items.iter().rev().find_map(|item| match item {
                        StreamItem::Event { event, .. } => Some(event),
                        StreamItem::Block(_) => None,
                    }) {
                        self.answer_ended = end_marker::of(last);
                    }
                }
            }
            if let Some(ms) = parser.reconnection_time_ms() {
                // "set the event stream's reconnection time": effective at once.
                self.backoff.set_base(Duration::from_millis(ms));
            }
            if parser.last_event_id() != self.last_event_id {
                self.last_event_id.clear();
                self.last_event_id.push_str(parser.last_event_id());
            }
            let len = bytes.len() as u64;
            let chunk = Chunk {
                attempt: self.attempt,
                offset: self.offset,
                bytes,
                received_at,
                items,
                facts: parser.take_facts(),
            };
            self.offset += len;
            if !self.send(ConnMsg::Data(chunk)).await {
                return Outcome::ConsumerGone;
            }
            if let Err(err) = fed {
                return Outcome::Failed(ConnError::new(ErrorKind::EventTooLarge, err.to_string()));
            }
        }
    }

    /// The next read of the body, `None` at its end. When it is not there
    /// yet, the consumer hears that it has caught up before the wait.
    async fn next_read(&mut self, response: &mut Response) -> Result<Option<Bytes>, ConnError> {
        let idle = self.spec.idle_timeout;
        let read = async move {
            match idle {
                None => Ok(response.chunk().await),
                Some(idle) => tokio::time::timeout(idle, response.chunk())
                    .await
                    .map_err(|_| idle),
            }
        };
        let mut read = std::pin::pin!(read);
        let now = std::future::poll_fn(|cx| Poll::Ready(read.as_mut().poll(cx))).await;
        let read = match now {
            Poll::Ready(read) => read,
            Poll::Pending => {
                self.consumer.caught_up();
                read.await
            }
        };
        match read {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(err)) => Err(self.body_error(&err)),
            Err(idle) => Err(ConnError::new(
                ErrorKind::IdleTimeout,
                format!(
                    "no bytes for {}s (idle timeout); the connection is treated as lost",
                    idle.as_secs_f64()
                ),
            )),
        }
    }

    fn body_error(&self, err: &reqwest::Error) -> ConnError {
        // reqwest reports every failed body read as a decode error, a broken
        // connection included; only the decompressor's own failures (io errors)
        // are about decoding, and there is no decompressor without --compressed.
        let decoding = self.spec.transport.compressed
            && err.is_decode()
            && std::error::Error::source(err).is_some_and(|source| source.is::<std::io::Error>());
        let kind = if decoding {
            ErrorKind::Decode
        } else {
            ErrorKind::Network
        };
        let what = if kind == ErrorKind::Decode {
            "could not decode the compressed body"
        } else {
            "the connection broke mid-stream"
        };
        ConnError::new(kind, format!("{what}: {}", error::detail(err)))
    }

    /// The error without any secret of the request in it: its message, and
    /// the header values of a rejected response (a server may echo a
    /// credential back).
    fn scrub(&self, mut err: ConnError) -> ConnError {
        err.message = redact::text(&err.message, &self.secrets);
        if let Some(response) = &mut err.response {
            for (_, value) in &mut response.headers {
                *value = redact::text(value, &self.secrets);
            }
        }
        err
    }

    /// Hands a message to the consumer; false when it has gone away.
    async fn send(&mut self, msg: ConnMsg) -> bool {
        self.consumer.take(msg).await
    }
}

fn restart_step<T>(ctl: Option<Control>) -> Step<T> {
    match ctl {
        Some(Control::Restart { last_event_id }) => Step::Restart(last_event_id),
        // The handle is gone: nobody can stop us any more, so stop now.
        None => Step::Stop,
    }
}
