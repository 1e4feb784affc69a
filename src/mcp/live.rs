//! An MCP connection kept open for the UI: negotiated, its side stream (the
//! GET or listen stream) read all the time, requests sent as the user asks,
//! a call cancelled, a stream resumed by hand. Every message becomes a row
//! of the tab's log ([`rows`]), sent as a connection's reads are, so the
//! tab's pipe records it and the log keeps it as any stream's; what only an
//! MCP tab shows (the era, the lists, a call's progress and answer) goes
//! as [`Update`]s.
//!
//! The client is not `Send` (its observer and streams live on one task), so
//! the connection runs on a thread of its own with a current-thread runtime.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use super::calls::{self, ListKind};
use super::negotiate::{self, Era};
use super::record::Record;
use super::session::Client;
use super::tracker::Finding;
use super::wire::{StreamEvent, Wire};
use super::{McpError, Observed};
use crate::sse::{CloseReason, ConnError, ConnMsg, ErrorKind, RequestSpec, SentRequest};

pub mod rows;

/// How long a cancelled call's stream is read for before it is dropped:
/// the server "SHOULD NOT send a response" after a cancellation.
const CANCEL_GRACE: Duration = Duration::from_secs(3);

/// What the UI asks of the connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Read a list, every page.
    List(ListKind),
    /// Send a request and wait for its answer; a `tools/call` gets a
    /// progress token of its own.
    Request { method: String, params: Value },
    /// Cancel the request in flight: `notifications/cancelled` in the
    /// session era; its stream closed in the stateless era.
    Cancel,
    /// GET the session's stream again with `Last-Event-ID`: what the
    /// server replays arrives as a stream of its own (`resume-N`).
    ResumeFrom { event_id: String },
    /// The user's answer to the server's request `n` ([`Update::ServerAsks`]):
    /// the result, or why it is refused.
    Reply {
        n: u64,
        result: Result<Value, String>,
    },
}

/// What the connection tells the UI besides its messages.
#[derive(Debug, Clone, PartialEq)]
pub enum Update {
    /// Something is wrong with the ids or a stream.
    Finding(Finding),
    /// A stream that ended early was resumed with `Last-Event-ID: after`.
    Resumed { stream: String, after: String },
    /// A list, every page read, or why not.
    Listed {
        kind: ListKind,
        items: Result<Vec<Value>, String>,
    },
    /// A request was sent; `id` is its JSON-RPC id.
    Started { method: String, id: Value },
    /// Progress of the request in flight (`notifications/progress`).
    Progress {
        progress: f64,
        total: Option<f64>,
        message: Option<String>,
    },
    /// The request in flight was answered: its result, or the error.
    Answered {
        method: String,
        result: Result<Value, String>,
    },
    /// A resume by hand could not start, or a command needs another era.
    Refused(String),
    /// The server asks, for a declared capability: the user's answer goes
    /// back as [`Command::Reply`] with `n`.
    ServerAsks {
        n: u64,
        capability: super::capabilities::Capability,
        params: Value,
    },
}

/// What the UI is told through.
pub type Updates = Box<dyn Fn(Update) + Send>;

/// The UI's handle on a running connection. Dropping it ends the
/// connection: the session is ended with DELETE, then `Closed` is sent.
pub struct Handle {
    commands: mpsc::UnboundedSender<Command>,
    /// The user's answers to the server's requests: apart from the commands,
    /// which wait while a request is in flight (the server asks during one).
    replies: mpsc::UnboundedSender<(u64, Result<Value, String>)>,
    _stop: oneshot::Sender<()>,
    /// Disconnected once the connection's thread ended (its DELETE sent).
    ended: std::sync::mpsc::Receiver<()>,
}

impl Handle {
    /// Asks the connection to do `command` (after what it is doing).
    pub fn send(&self, command: Command) {
        match command {
            Command::Reply { n, result } => {
                let _ = self.replies.send((n, result));
            }
            other => {
                let _ = self.commands.send(other);
            }
        }
    }

    /// Ends the connection and waits (at most `wait`) for its DELETE, so
    /// that quitting still ends the server's session.
    pub fn finish(self, wait: Duration) {
        let Handle {
            commands,
            replies,
            _stop,
            ended,
        } = self;
        drop((commands, replies, _stop));
        let _ = ended.recv_timeout(wait);
    }
}

/// Starts the connection for `spec` (its protocol says the revision to
/// force, if any, and the capabilities to declare): its messages go to
/// `conn` as reads, the rest to `updates`.
pub fn spawn(
    spec: RequestSpec,
    authorization: super::authorize::Options,
    conn: mpsc::Sender<ConnMsg>,
    updates: Updates,
) -> Handle {
    let (forced, declared) = match &spec.protocol {
        crate::sse::Protocol::Mcp {
            version,
            capabilities,
        } => (version.clone(), capabilities.clone()),
        crate::sse::Protocol::Sse => (None, Vec::new()),
    };
    let (commands, rx) = mpsc::unbounded_channel();
    let (replies, replies_rx) = mpsc::unbounded_channel();
    let (stop, stopped) = oneshot::channel();
    let (ending, ended) = std::sync::mpsc::channel::<()>();
    let spawned = std::thread::Builder::new()
        .name("mcp".into())
        .spawn(move || {
            // Dropped when the thread ends: what `Handle::finish` waits for.
            let _ending = ending;
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                let _ = conn.blocking_send(closed_failing("cannot start the async runtime"));
                return;
            };
            let local = tokio::task::LocalSet::new();
            let asked = Asked {
                declared,
                replies: replies_rx,
                authorization,
            };
            local.block_on(
                &runtime,
                run(spec, forced, conn, updates, rx, stopped, asked),
            );
        })
        .ok();
    // A thread that could not start ends the connection at once: `ended`
    // is disconnected, and the tab shows no attempt (none was made).
    drop(spawned);
    Handle {
        commands,
        replies,
        _stop: stop,
        ended,
    }
}

fn closed_failing(why: &str) -> ConnMsg {
    ConnMsg::Closed {
        reason: CloseReason::Failed(ConnError::new(ErrorKind::Request, why)),
    }
}

/// The client capabilities declared, and where the user's answers come.
struct Asked {
    /// How the authorization chain is followed when the server asks for it.
    authorization: super::authorize::Options,
    declared: Vec<super::capabilities::Capability>,
    replies: mpsc::UnboundedReceiver<(u64, Result<Value, String>)>,
}

/// The connection's life: negotiate, then commands and the side stream
/// until stopped.
async fn run(
    spec: RequestSpec,
    forced: Option<String>,
    conn: mpsc::Sender<ConnMsg>,
    updates: Updates,
    mut commands: mpsc::UnboundedReceiver<Command>,
    mut stopped: oneshot::Receiver<()>,
    asked: Asked,
) {
    // The observer is called inside the client: it queues, a task sends on
    // to the bounded channel (waiting when the UI is behind, never dropping).
    // Updates go through the same queue, so that one is told only once the
    // rows before it are on their way (an answer after its row).
    let (queue, mut queued) = mpsc::unbounded_channel::<Queued>();
    let forward = tokio::task::spawn_local(async move {
        while let Some(item) = queued.recv().await {
            match item {
                Queued::Conn(msg) => {
                    if conn.send(msg).await.is_err() {
                        return;
                    }
                }
                Queued::Update(update) => updates(update),
            }
        }
    });
    let sink = Sink {
        queue,
        rows: Rc::default(),
    };
    sink.send(ConnMsg::Connecting {
        attempt: 1,
        request: first_request(&spec),
    });
    if let Some(why) = forced.as_deref().and_then(negotiate::unknown_revision) {
        sink.send(closed_failing(&why));
        drop(sink);
        let _ = forward.await;
        return;
    }
    // A credential's notices may come from another thread (its refresh).
    let (notices_tx, mut notices_rx) = mpsc::unbounded_channel::<String>();
    let notices: super::wire::Notices = std::sync::Arc::new(move |note: &str| {
        let _ = notices_tx.send(note.to_owned());
    });
    let notes_sink = sink.clone();
    let notes_task = tokio::task::spawn_local(async move {
        while let Some(text) = notices_rx.recv().await {
            notes_sink.send(ConnMsg::AuthNotice { attempt: 1, text });
        }
    });
    let negotiated = async {
        let mut first_notes = |note: &str| {
            sink.send(ConnMsg::AuthNotice {
                attempt: 1,
                text: note.to_owned(),
            });
        };
        let wire = Wire::new(spec, &mut first_notes)
            .await?
            .with_authorization(asked.authorization);
        let answerer = (!asked.declared.is_empty()).then(|| answerer(&sink, asked.replies));
        negotiate::connect_declaring(
            wire.with_notices(notices),
            forced.as_deref(),
            sink.observer(),
            asked.declared,
            answerer,
        )
        .await
    };
    let client = tokio::select! {
        client = negotiated => client,
        _ = &mut stopped => Err(McpError::Request("stopped before the server answered".into())),
    };
    let reason = match client {
        Ok(mut client) => {
            sink.send(ConnMsg::Negotiated {
                attempt: 1,
                negotiation: crate::sse::Negotiation {
                    protocol: "mcp".into(),
                    era: client.era().as_str().into(),
                    revision: client.revision().to_owned(),
                    session: client.session_id().map(str::to_owned),
                },
            });
            serve(&mut client, &sink, &mut commands, &mut stopped).await;
            match client.close().await {
                Ok(()) => CloseReason::Stopped,
                Err(err) => CloseReason::Failed(ConnError::new(ErrorKind::Status, err.to_string())),
            }
        }
        Err(err) => CloseReason::Failed(ConnError::new(
            ErrorKind::Request,
            format!("cannot negotiate MCP: {err}"),
        )),
    };
    sink.send(ConnMsg::Closed { reason });
    notes_task.abort();
    drop(sink);
    let _ = forward.await;
}

/// Puts each server request of a declared kind to the user (an update)
/// and waits for the reply with its number.
fn answerer(
    sink: &Sink,
    mut replies: mpsc::UnboundedReceiver<(u64, Result<Value, String>)>,
) -> super::capabilities::Answerer {
    type Waiting =
        Rc<RefCell<std::collections::HashMap<u64, oneshot::Sender<Result<Value, String>>>>>;
    let waiting: Waiting = Rc::default();
    let resolving = Rc::clone(&waiting);
    tokio::task::spawn_local(async move {
        while let Some((n, result)) = replies.recv().await {
            if let Some(waiter) = resolving.borrow_mut().remove(&n) {
                let _ = waiter.send(result);
            }
        }
    });
    let sink = sink.clone();
    let mut next = 0u64;
    Box::new(move |capability, params| {
        next += 1;
        let (tx, rx) = oneshot::channel();
        waiting.borrow_mut().insert(next, tx);
        sink.update(Update::ServerAsks {
            n: next,
            capability,
            params,
        });
        Box::pin(async move {
            rx.await
                .unwrap_or_else(|_| Err("the question went unanswered".to_owned()))
        })
    })
}

/// The first request as the list's marker shows it: a POST to the URL.
fn first_request(spec: &RequestSpec) -> SentRequest {
    SentRequest {
        method: "POST".into(),
        url: crate::sse::redact::url(&spec.url, &spec.secret_names()),
        headers: vec![("accept".into(), super::wire::POST_ACCEPT.into())],
        body_len: None,
        last_event_id: None,
    }
}

/// Where the connection's rows and updates go: shared by the client's
/// observer and the messages sent apart from it (a cancellation), so that
/// the rows are numbered in the order they happened.
#[derive(Clone)]
struct Sink {
    queue: mpsc::UnboundedSender<Queued>,
    rows: Rc<RefCell<rows::Rows>>,
}

/// What waits to be told, in order.
enum Queued {
    Conn(ConnMsg),
    Update(Update),
}

impl Sink {
    fn record(&self, record: &Record) {
        let chunk = self.rows.borrow_mut().chunk(record);
        self.send(ConnMsg::Data(chunk));
        if let Some(progress) = progress_of(&record.message) {
            self.update(progress);
        }
    }

    fn update(&self, update: Update) {
        let _ = self.queue.send(Queued::Update(update));
    }

    fn send(&self, msg: ConnMsg) {
        let _ = self.queue.send(Queued::Conn(msg));
    }

    /// The client's observer.
    fn observer(&self) -> Box<dyn FnMut(Observed)> {
        let sink = self.clone();
        Box::new(move |observed| match observed {
            Observed::Message(record) => sink.record(&record),
            Observed::Finding(finding) => sink.update(Update::Finding(finding)),
            Observed::Resumed { stream, after, .. } => {
                sink.update(Update::Resumed { stream, after })
            }
        })
    }
}

/// A `notifications/progress` for one of our tokens, as an update.
fn progress_of(message: &Result<Value, String>) -> Option<Update> {
    let message = message.as_ref().ok()?;
    if message.get("method")?.as_str()? != "notifications/progress" {
        return None;
    }
    let params = message.get("params")?;
    let token = params.get("progressToken")?.as_str()?;
    if !token.starts_with(PROGRESS_PREFIX) {
        return None;
    }
    Some(Update::Progress {
        progress: params.get("progress")?.as_f64()?,
        total: params.get("total").and_then(Value::as_f64),
        message: params
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned),
    })
}

const PROGRESS_PREFIX: &str = "ssetui-";

/// Serves the UI until stopped: commands one at a time, the side stream
/// read in between and while a request waits.
async fn serve(
    client: &mut Client,
    sink: &Sink,
    commands: &mut mpsc::UnboundedReceiver<Command>,
    stopped: &mut oneshot::Receiver<()>,
) {
    let mut resumes = 0u32;
    let mut calls = 0u32;
    // What was asked while a request waited, done after it, in order.
    let mut deferred: std::collections::VecDeque<Command> = std::collections::VecDeque::new();
    loop {
        let command = match deferred.pop_front() {
            Some(command) => command,
            None => {
                enum Wake {
                    Command(Option<Command>),
                    Side(Result<Option<StreamEvent>, McpError>),
                    Stop,
                }
                let wake = tokio::select! {
                    _ = &mut *stopped => Wake::Stop,
                    command = commands.recv() => Wake::Command(command),
                    event = client.side_event() => Wake::Side(event),
                };
                match wake {
                    Wake::Stop | Wake::Command(None) => return,
                    Wake::Side(event) => {
                        client.handle_side_event(event).await;
                        continue;
                    }
                    Wake::Command(Some(command)) => command,
                }
            }
        };
        let counts = (&mut calls, &mut resumes);
        do_command(client, sink, commands, &mut deferred, command, counts).await;
    }
}

/// Does one command; what is asked meanwhile (but a cancel) goes to `deferred`.
async fn do_command(
    client: &mut Client,
    sink: &Sink,
    commands: &mut mpsc::UnboundedReceiver<Command>,
    deferred: &mut std::collections::VecDeque<Command>,
    command: Command,
    (calls, resumes): (&mut u32, &mut u32),
) {
    match command {
        Command::List(kind) => {
            let items = calls::list(client, kind).await.map_err(|e| e.to_string());
            sink.update(Update::Listed { kind, items });
        }
        Command::Request { method, params } => {
            *calls += 1;
            let params = with_progress_token(&method, params, *calls);
            request(client, sink, commands, deferred, method, params).await;
        }
        // Nothing in flight: nothing to cancel. Replies go their own way
        // (`Handle::send`).
        Command::Cancel | Command::Reply { .. } => {}
        Command::ResumeFrom { event_id } => {
            *resumes += 1;
            let name = format!("resume-{resumes}");
            if let Err(err) = client.resume_from(&name, &event_id).await {
                sink.update(Update::Refused(err.to_string()));
            }
        }
    }
}

/// A `tools/call`'s params with a `_meta.progressToken` of its own.
fn with_progress_token(method: &str, mut params: Value, n: u32) -> Value {
    if method == "tools/call"
        && let Some(object) = params.as_object_mut()
    {
        let meta = object.entry("_meta").or_insert_with(|| json!({}));
        if let Some(meta) = meta.as_object_mut() {
            meta.insert(
                "progressToken".into(),
                json!(format!("{PROGRESS_PREFIX}{n}")),
            );
        }
    }
    params
}

/// One request, cancellable while it waits: in the session era with
/// `notifications/cancelled` (its stream read a little longer, for what
/// the server still sends), in the stateless era by closing its stream.
async fn request(
    client: &mut Client,
    sink: &Sink,
    commands: &mut mpsc::UnboundedReceiver<Command>,
    deferred: &mut std::collections::VecDeque<Command>,
    method: String,
    params: Value,
) {
    let id = client.next_request_id();
    sink.update(Update::Started {
        method: method.clone(),
        id: id.clone(),
    });
    // Made before the request borrows the client.
    let mut cancel =
        (client.era() != Era::Stateless).then(|| client.cancel(&id, "cancelled by the user"));
    let mut cancelled_at: Option<tokio::time::Instant> = None;
    // Flagged once while it still waits: the tracker says so only when the
    // request ends, and a hung one never does.
    let late = tokio::time::sleep(super::session::RESPONSE_TIMEOUT);
    tokio::pin!(late);
    let mut flagged = false;
    let answer = {
        let call = client.request(&method, Some(params));
        tokio::pin!(call);
        loop {
            let grace = async {
                match cancelled_at {
                    Some(at) => tokio::time::sleep_until(at + CANCEL_GRACE).await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                answer = &mut call => break Some(answer),
                _ = grace => break None,
                () = &mut late, if !flagged => {
                    flagged = true;
                    sink.update(Update::Finding(Finding::NoResponse {
                        id: id.to_string(),
                        method: method.clone(),
                    }));
                }
                command = commands.recv(), if cancelled_at.is_none() => match command {
                    Some(Command::Cancel) => {
                        cancelled_at = Some(tokio::time::Instant::now());
                        let Some(detached) = cancel.take() else {
                            // Stateless: closing the stream is the cancellation.
                            break None;
                        };
                        sink.record(&detached.record);
                        if let Err(err) = detached.send.await {
                            sink.update(Update::Refused(err.to_string()));
                        }
                    }
                    // Done once this request is answered.
                    Some(other) => deferred.push_back(other),
                    None => break None,
                },
            }
        }
    };
    let result = match answer {
        Some(Ok(result)) => Ok(result),
        Some(Err(err)) => Err(err.to_string()),
        None => Err("cancelled".to_owned()),
    };
    sink.update(Update::Answered { method, result });
}
