//! A raw-TCP test server that controls exactly which bytes arrive and when,
//! and records every request it receives. Plus helpers to drive the engine.
//!
//! Each accepted connection plays the next script (the last one repeats).
//! A `Step::Gate` makes the server wait until the test calls `release()`, so a
//! test can make the client see one read, check it, then let the next bytes go:
//! chunking is controlled without sleeping.
#![allow(dead_code)]

pub mod mcp;
pub mod pty;
pub mod python;
pub mod tap;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use ssetui::sse::{self, ConnMsg, ConnectionHandle, RequestSpec, SentRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::CancellationToken;

/// The app as a test runs it, its config (and so `history.jsonl`, kept
/// beside it) in a directory of this test process's own instead of the
/// user's: every request a test sends would otherwise be remembered in the
/// real `~/.config/ssetui/history.jsonl`. A test with a config of its own
/// passes `--config`, which wins over this.
pub fn app() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_ssetui"));
    cmd.env(ssetui::config::location::ENV_VAR, isolated_config());
    cmd
}

/// A config path no user owns, for this test process (see [`app`]).
pub fn isolated_config() -> &'static std::path::Path {
    static PATH: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("ssetui-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory for the tests' config");
        dir.join("config.toml")
    })
}

/// What `state` draws on a `width` x `height` terminal, as text (one line
/// per row): what a user would read on the screen.
pub fn screen(state: &ssetui::state::AppState, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            ssetui::ui::draw(
                f,
                state,
                &ssetui::ui::Theme::new(true),
                &mut ssetui::ui::ContentCache::default(),
                std::time::Instant::now(),
            );
        })
        .unwrap();
    terminal.backend().to_string()
}

/// How long any wait in a test may take before the test fails.
pub const WAIT: Duration = Duration::from_secs(10);

/// One thing the server does on a connection.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes (one write call, flushed).
    Write(Vec<u8>),
    /// Wait until the test calls `release()`.
    Gate,
    /// Close cleanly (FIN): a close-delimited body ends normally.
    Close,
    /// Abort with a TCP reset: the client sees a network error.
    Reset,
    /// Keep the connection open without writing, until the client goes away.
    Hold,
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names lower-cased; repeated headers joined with ", ".
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    requests: mpsc::UnboundedReceiver<Recorded>,
    gate: Arc<Semaphore>,
    connections: Arc<AtomicUsize>,
    /// Cancelled by `stop()`: the listener and every open connection close.
    stopped: CancellationToken,
    accept_loop: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    /// Starts a server whose n-th connection plays `scripts[n]` (the last repeats).
    pub async fn start(scripts: Vec<Vec<Step>>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        Self::serve_on(listener, scripts)
    }

    /// Starts a server on `addr`: the port a stopped server used, for a restart.
    pub async fn start_at(addr: SocketAddr, scripts: Vec<Vec<Step>>) -> Self {
        let listener = TcpListener::bind(addr)
            .await
            .expect("bind the stopped server's address");
        Self::serve_on(listener, scripts)
    }

    /// Stops the server as a crash would: the port is closed (refusing new
    /// connections) by the time this returns, and open connections are dropped.
    pub async fn stop(&mut self) {
        self.stopped.cancel();
        if let Some(accept_loop) = self.accept_loop.take() {
            let _ = accept_loop.await;
        }
    }

    fn serve_on(listener: TcpListener, scripts: Vec<Vec<Step>>) -> Self {
        assert!(!scripts.is_empty());
        let addr = listener.local_addr().unwrap();
        let stopped = CancellationToken::new();
        let (tx, requests) = mpsc::unbounded_channel();
        let gate = Arc::new(Semaphore::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let scripts = Arc::new(scripts);
        let accept_loop = {
            let gate = gate.clone();
            let connections = connections.clone();
            let stopped = stopped.clone();
            tokio::spawn(async move {
                loop {
                    let accepted = tokio::select! {
                        () = stopped.cancelled() => break,
                        accepted = listener.accept() => accepted,
                    };
                    let Ok((stream, _)) = accepted else { break };
                    let n = connections.fetch_add(1, Ordering::SeqCst);
                    let script = scripts[n.min(scripts.len() - 1)].clone();
                    let serving = play(stream, script, tx.clone(), gate.clone());
                    let stopped = stopped.clone();
                    tokio::spawn(async move {
                        tokio::select! {
                            () = stopped.cancelled() => {}
                            () = serving => {}
                        }
                    });
                }
            })
        };
        Self {
            addr,
            requests,
            gate,
            connections,
            stopped,
            accept_loop: Some(accept_loop),
        }
    }

    /// A server that answers every connection with the same script.
    pub async fn always(script: Vec<Step>) -> Self {
        Self::start(vec![script]).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn spec(&self, path: &str) -> RequestSpec {
        RequestSpec::get(self.url(path).parse().unwrap())
    }

    /// The next request received, in order.
    pub async fn next_request(&mut self) -> Recorded {
        tokio::time::timeout(WAIT, self.requests.recv())
            .await
            .expect("the server received no request in time")
            .expect("server stopped")
    }

    /// Lets one `Step::Gate` pass.
    pub fn release(&self) {
        self.gate.add_permits(1);
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn play(
    mut stream: TcpStream,
    script: Vec<Step>,
    tx: mpsc::UnboundedSender<Recorded>,
    gate: Arc<Semaphore>,
) {
    let _ = stream.set_nodelay(true);
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let _ = tx.send(request);
    for step in script {
        match step {
            Step::Write(bytes) => {
                if stream.write_all(&bytes).await.is_err() || stream.flush().await.is_err() {
                    return;
                }
            }
            Step::Gate => match gate.acquire().await {
                Ok(permit) => permit.forget(),
                Err(_) => return,
            },
            Step::Close => {
                let _ = stream.shutdown().await;
                return;
            }
            Step::Reset => {
                // A zero linger sends RST at once; the deprecation is about blocking with a non-zero one.
                #[allow(deprecated)]
                let _ = stream.set_linger(Some(Duration::ZERO));
                drop(stream);
                return;
            }
            Step::Hold => {
                let mut buf = [0u8; 1024];
                while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
                return;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads a request head and a Content-Length body (enough for our client).
async fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let mut headers: HashMap<String, String> = HashMap::new();
    for line in lines {
        if let Some((name, value)) = line.split_once(':') {
            headers
                .entry(name.trim().to_ascii_lowercase())
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(value.trim());
                })
                .or_insert_with(|| value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Recorded {
        method,
        target,
        headers,
        body,
    })
}

/// A 200 event-stream head with a close-delimited body, so the body bytes
/// on the wire are exactly the test's bytes.
pub fn sse_head() -> Step {
    head(200, "text/event-stream", &[])
}

/// A response head with the given status, Content-Type and extra headers; close-delimited body.
pub fn head(status: u16, content_type: &str, extra: &[(&str, &str)]) -> Step {
    let mut text = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nCache-Control: no-cache\r\nConnection: close\r\n"
    );
    for (name, value) in extra {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    Step::Write(text.into_bytes())
}

/// Bytes to write.
pub fn write(bytes: impl AsRef<[u8]>) -> Step {
    Step::Write(bytes.as_ref().to_vec())
}

/// Starts the engine on `spec` with a channel large enough for any test.
pub fn connect(spec: RequestSpec) -> (ConnectionHandle, mpsc::Receiver<ConnMsg>) {
    let (tx, rx) = mpsc::channel(1024);
    (sse::spawn(spec, tx), rx)
}

/// The next message, failing the test if none arrives in time.
pub async fn next_msg(rx: &mut mpsc::Receiver<ConnMsg>) -> ConnMsg {
    tokio::time::timeout(WAIT, rx.recv())
        .await
        .expect("no message from the connection in time")
        .expect("the connection task ended without Closed")
}

/// Messages until (and including) `Closed`.
pub async fn until_closed(rx: &mut mpsc::Receiver<ConnMsg>) -> Vec<ConnMsg> {
    let mut all = Vec::new();
    loop {
        let msg = next_msg(rx).await;
        let done = matches!(msg, ConnMsg::Closed { .. });
        all.push(msg);
        if done {
            return all;
        }
    }
}

/// Messages until the first one `pred` accepts (included).
pub async fn until(
    rx: &mut mpsc::Receiver<ConnMsg>,
    pred: impl Fn(&ConnMsg) -> bool,
) -> Vec<ConnMsg> {
    let mut all = Vec::new();
    loop {
        let msg = next_msg(rx).await;
        let done = pred(&msg);
        all.push(msg);
        if done {
            return all;
        }
    }
}

/// A fresh, empty directory for one test, named after the test file
/// (the crate this module is compiled into) and `name`.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let file = module_path!().split("::").next().unwrap_or("tests");
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{file}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A [`TestServer`] playing `scripts`, served by a runtime of its own, for
/// tests that are not async (they run the binary). The runtime must outlive
/// the test's requests.
pub fn serve(scripts: Vec<Vec<Step>>) -> (tokio::runtime::Runtime, TestServer) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(TestServer::start(scripts));
    (runtime, server)
}

/// The demo server on a free loopback port, served by a runtime of its own,
/// and the URL of `path` on it. The runtime must outlive the test's requests.
pub fn demo(path: &str) -> (tokio::runtime::Runtime, String) {
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let url = runtime.block_on(async {
        let server = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
            .await
            .expect("the demo server binds");
        let url = server.url(path);
        server.spawn();
        url
    });
    (runtime, url)
}

/// The first reconnect delay of `fast_spec`.
pub const FAST: Duration = Duration::from_millis(50);

/// A GET of `path` on `server` that reconnects after `FAST`.
pub fn fast_spec(server: &TestServer, path: &str) -> RequestSpec {
    let mut spec = server.spec(path);
    spec.retry.initial_delay = FAST;
    spec
}

/// The errors among messages, in order.
pub fn errors(msgs: &[ConnMsg]) -> Vec<sse::ConnError> {
    pick(msgs, |m| match m {
        ConnMsg::Error { error, .. } => Some(error.clone()),
        _ => None,
    })
}

/// The reason of the final `Closed` message.
pub fn close_reason(msgs: &[ConnMsg]) -> sse::CloseReason {
    match msgs.last() {
        Some(ConnMsg::Closed { reason }) => reason.clone(),
        other => panic!("the messages do not end with Closed: {other:?}"),
    }
}

/// A `(type, data, id)` triple as `triples` gives them.
pub fn t(ty: &str, data: &str, id: &str) -> (String, String, String) {
    (ty.into(), data.into(), id.into())
}

/// Whether `msg` is a read holding an event with this data.
pub fn has_event(msg: &ConnMsg, data: &str) -> bool {
    match msg {
        ConnMsg::Data(chunk) => chunk.items.iter().any(|item| match item {
            sse::StreamItem::Event { event, .. } => event.data == data,
            sse::StreamItem::Block(_) => false,
        }),
        _ => false,
    }
}

/// Checks a terminal screen an app left: main screen, cursor shown, no mouse reporting.
pub fn assert_terminal_restored(screen: &vt100::Screen) {
    assert!(!screen.alternate_screen(), "back on the main screen");
    assert!(!screen.hide_cursor(), "cursor shown again");
    assert_eq!(
        screen.mouse_protocol_mode(),
        vt100::MouseProtocolMode::None,
        "mouse reporting off again"
    );
}

/// The dispatched events among messages, in order.
pub fn events(msgs: &[ConnMsg]) -> Vec<ssetui::sse::Event> {
    msgs.iter()
        .filter_map(|m| match m {
            ConnMsg::Data(chunk) => Some(chunk.items.iter()),
            _ => None,
        })
        .flatten()
        .filter_map(|i| match i {
            ssetui::sse::StreamItem::Event { event, .. } => Some(event.clone()),
            ssetui::sse::StreamItem::Block(_) => None,
        })
        .collect()
}

/// `(type, data, id)` of each event: the shape most assertions compare.
pub fn triples(msgs: &[ConnMsg]) -> Vec<(String, String, String)> {
    events(msgs)
        .into_iter()
        .map(|e| {
            (
                e.event_type().to_owned(),
                e.data.to_string(),
                e.id.to_string(),
            )
        })
        .collect()
}

/// A server that opens a stream with one event and keeps it open.
pub async fn stream_server() -> TestServer {
    TestServer::always(vec![sse_head(), write("data: in\n\n"), Step::Hold]).await
}

/// The request shown in the first `Connecting` message.
pub async fn shown_request(rx: &mut mpsc::Receiver<ConnMsg>) -> SentRequest {
    match next_msg(rx).await {
        ConnMsg::Connecting {
            attempt: 1,
            request,
        } => request,
        other => panic!("expected Connecting, got {other:?}"),
    }
}

/// What `f` picks out of each message, in order.
pub fn pick<T>(msgs: &[ConnMsg], f: impl FnMut(&ConnMsg) -> Option<T>) -> Vec<T> {
    msgs.iter().filter_map(f).collect()
}

/// Runs `cmd` (its stdout and stderr piped) to completion; kills it and
/// fails the test when it takes longer than `patience`.
pub fn output_within(mut cmd: std::process::Command, patience: Duration) -> std::process::Output {
    let child = cmd.spawn().expect("the ssetui binary starts");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(patience) {
        Ok(output) => output.expect("the command ran"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("{cmd:?} did not exit within {patience:?}");
        }
    }
}
