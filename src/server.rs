//! How the demo server and the replay server serve HTTP: one accept loop for
//! both, bounded so a client cannot take the process down.
//!
//! - At most [`Limits::max_connections`] connections are served at once.
//!   The next one is accepted and waits, unserved, until one closes; further
//!   ones wait in the kernel's backlog. The first wait is logged (then at
//!   most every [`CAP_LOG_INTERVAL`]). Waiting rather than refusing keeps a
//!   burst of clients whole, and memory and file descriptors stay bounded.
//! - A client has [`Limits::header_read_timeout`] to send each request head:
//!   one that connects and sends nothing, a partial head or the start of an
//!   HTTP/2 preface (slowloris) is disconnected after it.
//! - Bound to a loopback address, a request for a host that is not a
//!   loopback name or address gets 403: a web page whose name is made to
//!   resolve to 127.0.0.1 (DNS rebinding) cannot read the streams.
//! - Bound to any other address, [`exposure_warning`] says who can reach it.
//! - Each request carries a [`ResetSwitch`] in its extensions: a response
//!   body that trips it ends its connection with a TCP reset, not a close.

use std::convert::Infallible;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderValue, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::service::Service as _;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

/// Connections served at once unless `--max-connections` says otherwise.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// How long a client has to send a request head.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// While the cap holds connections back, it is logged at most this often.
pub const CAP_LOG_INTERVAL: Duration = Duration::from_secs(10);

/// What one server allows its clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_connections: usize,
    pub header_read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_read_timeout: HEADER_READ_TIMEOUT,
        }
    }
}

/// Where a server's log lines go: stderr for `ssetui serve`, nowhere for the
/// demo the UI runs in-process (stderr is its screen).
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// A log that drops every line.
pub fn silent() -> Log {
    Arc::new(|_: &str| {})
}

/// Serves `router` on `listener` within `limits` until accepting fails for
/// good (or the future is dropped).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    log: Log,
) -> io::Result<()> {
    let local = listener.local_addr()?;
    let guard_host = local
        .ip()
        .is_loopback()
        .then(|| Arc::new(Refusals::new(log.clone())));
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut last_cap_log: Option<Instant> = None;
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            Err(err) if is_connection_error(&err) => continue,
            Err(err) => {
                // Out of file descriptors, say: give closing connections a moment.
                log(&format!("cannot accept a connection on {local}: {err}"));
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                if last_cap_log.is_none_or(|at| at.elapsed() >= CAP_LOG_INTERVAL) {
                    let n = limits.max_connections;
                    log(&format!(
                        "connection cap reached: {n} open (--max-connections {n}); \
                         new connections wait until one closes"
                    ));
                    last_cap_log = Some(Instant::now());
                }
                match Arc::clone(&slots).acquire_owned().await {
                    Ok(slot) => slot,
                    Err(_) => return Ok(()),
                }
            }
        };
        let router = router.clone();
        let guard_host = guard_host.clone();
        tokio::spawn(async move {
            serve_connection(stream, router, guard_host, limits.header_read_timeout).await;
            drop(slot);
        });
    }
}

/// Errors that concern one connection only (it went away before it was accepted).
fn is_connection_error(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One connection, HTTP/1.1 or HTTP/2, until it closes. hyper's own timeout
/// covers each HTTP/1 request head; the first request of any version must
/// begin within `header_timeout` too, which covers a client that sends
/// nothing or a part of the HTTP/2 preface (hyper waits for it unbounded).
async fn serve_connection(
    stream: TcpStream,
    router: Router,
    guard_host: Option<Arc<Refusals>>,
    header_timeout: Duration,
) {
    let _ = stream.set_nodelay(true);
    let switch = ResetSwitch::default();
    let stream = Resettable {
        stream,
        switch: switch.clone(),
    };
    let requested = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&requested);
    let app = TowerToHyperService::new(router);
    let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
        seen.store(true, Ordering::Relaxed);
        request.extensions_mut().insert(switch.clone());
        let refused = match &guard_host {
            Some(refusals) if !is_loopback_request(&request) => {
                refusals.tell(&request);
                true
            }
            _ => false,
        };
        let answer = (!refused).then(|| app.call(request));
        async move {
            match answer {
                Some(answer) => answer.await,
                None => Ok::<_, Infallible>(foreign_host()),
            }
        }
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    builder.http2().timer(TokioTimer::new());
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        () = tokio::time::sleep(header_timeout) => {
            // No request yet: dropping the connection closes the socket.
            if requested.load(Ordering::Relaxed) {
                let _ = connection.await;
            }
        }
    }
}

/// Ends a connection with a TCP reset (RST) instead of a clean close: what
/// `--reset` does. Found in each request's extensions. A response body trips
/// it, waits for [`ResetSwitch::flushed`] (so every byte written before is
/// on the wire), then fails: hyper drops the connection, which closes the
/// socket with `SO_LINGER` 0, and the kernel sends RST.
/// Over HTTP/2 the body's error resets its stream (RST_STREAM), and the
/// connection is reset when it closes.
#[derive(Debug, Clone, Default)]
pub struct ResetSwitch(Arc<SwitchState>);

#[derive(Debug, Default)]
struct SwitchState {
    tripped: AtomicBool,
    flushed: tokio::sync::Notify,
}

impl ResetSwitch {
    /// Asks for the connection to be reset when it is dropped.
    pub fn trip(&self) {
        self.0.tripped.store(true, Ordering::Release);
    }

    /// Waits until the connection was flushed after [`Self::trip`] (at most
    /// `limit`: a connection that is not written to again is not waited for).
    pub async fn flushed(&self, limit: Duration) {
        let _ = tokio::time::timeout(limit, self.0.flushed.notified()).await;
    }

    fn is_tripped(&self) -> bool {
        self.0.tripped.load(Ordering::Acquire)
    }
}

/// A connection's socket that is reset, not closed, once its switch is tripped.
struct Resettable {
    stream: TcpStream,
    switch: ResetSwitch,
}

impl Drop for Resettable {
    fn drop(&mut self) {
        if self.switch.is_tripped() {
            // A zero linger makes the close send RST.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for Resettable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Resettable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let flushed = Pin::new(&mut self.stream).poll_flush(cx);
        if matches!(flushed, Poll::Ready(Ok(()))) && self.switch.is_tripped() {
            self.switch.0.flushed.notify_one();
        }
        flushed
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// Whether every host the request names (its `Host`, or its URI's authority
/// as HTTP/2 and absolute-form requests carry it) is a loopback name. A
/// request naming none is let through: no browser sends one.
fn is_loopback_request<B>(request: &Request<B>) -> bool {
    let uri_host = request.uri().host();
    let header_host = request.headers().get(HOST).map(|value| {
        value
            .to_str()
            .ok()
            .and_then(|v| v.parse::<axum::http::uri::Authority>().ok())
    });
    uri_host.is_none_or(is_loopback_name)
        && match header_host {
            None => true,
            Some(Some(authority)) => is_loopback_name(authority.host()),
            Some(None) => false,
        }
}

/// Says which requests the Host guard refused, so a client that gets a 403
/// (one that names the server by another name, say) shows why in the log;
/// at most a line a second, as a page rebinding its DNS may send many.
struct Refusals {
    log: Log,
    last: Mutex<Option<Instant>>,
}

impl Refusals {
    fn new(log: Log) -> Self {
        Self {
            log,
            last: Mutex::new(None),
        }
    }

    fn tell<B>(&self, request: &Request<B>) {
        let Ok(mut last) = self.last.lock() else {
            return;
        };
        if last.is_some_and(|at| at.elapsed() < Duration::from_secs(1)) {
            return;
        }
        *last = Some(Instant::now());
        let host = request
            .headers()
            .get(HOST)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .or_else(|| request.uri().host().map(str::to_owned))
            .unwrap_or_default();
        // The method, path and Host are the client's text: one line, neutralised.
        (self.log)(
            &crate::text::one_line(format!(
                "refused {} {}: Host {:?} is not loopback (the DNS-rebinding guard; \
                 --bind 0.0.0.0 serves any name)",
                request.method(),
                request.uri().path(),
                host
            ))
            .to_string(),
        );
    }
}

/// `localhost`, an IPv4 address in 127.0.0.0/8 or `::1` (bracketed or not),
/// with any case and an optional final dot.
pub fn is_loopback_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    host.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The answer to a request for another host on a loopback-bound server.
fn foreign_host() -> Response<Body> {
    let mut response = Response::new(Body::from(
        "403 Forbidden: this server is bound to a loopback address and answers requests \
         for localhost, 127.0.0.1 or [::1] only\n",
    ));
    *response.status_mut() = StatusCode::FORBIDDEN;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// What to tell the user before serving on `addr`: `None` on loopback.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    if addr.ip().is_loopback() {
        return None;
    }
    Some(format!(
        "listening on {addr}, which other machines can reach: anyone who can connect \
         can read what is served (a replayed capture too); --bind 127.0.0.1 keeps it \
         on this machine"
    ))
}

/// A [`Log`] that keeps its lines, for tests: each line is also sent on the
/// returned channel.
pub fn log_to_channel() -> (Log, std::sync::mpsc::Receiver<String>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = Mutex::new(tx);
    let log: Log = Arc::new(move |line: &str| {
        if let Ok(tx) = tx.lock() {
            let _ = tx.send(line.to_owned());
        }
    });
    (log, rx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_recognised() {
        for host in [
            "localhost",
            "LOCALHOST",
            "localhost.",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "::1",
        ] {
            assert!(is_loopback_name(host), "{host}");
        }
        for host in [
            "evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "0.0.0.0",
            "[::]",
            "127.0.0.1.nip.io",
            "",
        ] {
            assert!(!is_loopback_name(host), "{host}");
        }
    }

    #[test]
    fn a_request_is_checked_by_its_host_header_and_its_authority() {
        let request = |uri: &str, host: Option<&str>| {
            let mut builder = Request::builder().uri(uri);
            if let Some(host) = host {
                builder = builder.header(HOST, host);
            }
            builder.body(()).unwrap()
        };
        assert!(is_loopback_request(&request("/", Some("127.0.0.1:8900"))));
        assert!(is_loopback_request(&request("/", Some("localhost"))));
        assert!(is_loopback_request(&request("/", Some("[::1]:80"))));
        assert!(is_loopback_request(&request("/", None)));
        assert!(!is_loopback_request(&request(
            "/",
            Some("evil.example:8900")
        )));
        assert!(!is_loopback_request(&request("/", Some("bad host"))));
        assert!(!is_loopback_request(&request("http://evil.example/", None)));
        assert!(!is_loopback_request(&request(
            "http://127.0.0.1/",
            Some("evil.example")
        )));
    }

    #[test]
    fn only_a_non_loopback_bind_is_warned_about() {
        assert_eq!(exposure_warning("127.0.0.1:8900".parse().unwrap()), None);
        assert_eq!(exposure_warning("[::1]:8900".parse().unwrap()), None);
        let warning = exposure_warning("0.0.0.0:8900".parse().unwrap()).unwrap();
        assert!(warning.starts_with("listening on 0.0.0.0:8900, which other machines can reach"));
        assert!(exposure_warning("192.168.1.5:80".parse().unwrap()).is_some());
    }
}
