//! `ssetui tap --upstream URL`: a reverse proxy between a real client and
//! its server, so the client's side can be debugged. The client points at
//! the tap; every request goes on to the upstream and every response comes
//! back unchanged and unbuffered (`proxy.rs`). What passed is told to a
//! watcher as [`TapMsg`]s: each event-stream exchange as the messages of a
//! connection (so the UI, `--headless` and `--record` treat it as any
//! stream), any other exchange as a one-line [`Summary`].
//!
//! It is served by the demo server's accept loop (`server::serve`): bound
//! to loopback unless asked, with its `Host` check and connection cap.

mod decode;
mod exchange;
mod headers;
mod proxy;
pub mod run;
mod watch;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use url::Url;

pub use exchange::{Summary, TapMsg};
pub use headers::rewrite_location;

use crate::server::{self, Limits, Log};
use crate::sse::redact::SecretNames;
use crate::sse::request::TransportOptions;

/// How the tap reaches its upstream.
#[derive(Debug, Clone)]
pub struct TapOptions {
    /// Where requests go: its scheme, host, port, and a path prefix.
    pub upstream: Url,
    /// Send the client's `Host` on instead of the upstream's.
    pub preserve_host: bool,
    /// TLS roots, client certificate, `--insecure`, proxy, HTTP version.
    /// Compression is never undone on the way through.
    pub transport: TransportOptions,
    pub connect_timeout: Duration,
    /// Faults applied to every proxied event stream (`--split`, `--cut`…),
    /// before the watcher, so the views show what the client got; none
    /// when none is active.
    pub faults: crate::faults::Faults,
    /// Tell every exchange's head and body, not only event streams' (`--record`).
    pub record_plain: bool,
}

/// A tap bound to its port, not yet serving.
pub struct TapServer {
    listener: TcpListener,
    addr: SocketAddr,
    tap: Arc<proxy::Tap>,
    faults: Option<crate::faults::Faults>,
}

/// Binds the tap to `addr` (port 0 picks one); what passes through it is
/// told on `watch`. The error says why the upstream's client could not be
/// set up or the address not bound.
pub async fn bind(
    addr: SocketAddr,
    options: TapOptions,
    watch: mpsc::Sender<TapMsg>,
) -> Result<TapServer, String> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let transport = TransportOptions {
        compressed: false,
        ..options.transport
    };
    let http = crate::sse::client::build(&transport, options.connect_timeout)
        .map_err(|e| e.to_string())?;
    let base = Url::parse(&shown_url(addr)).map_err(|e| e.to_string())?;
    let tap = proxy::Tap {
        upstream: options.upstream.clone(),
        base,
        preserve_host: options.preserve_host,
        http,
        names: SecretNames::default(),
        watch,
        next: AtomicU64::new(0),
        record_plain: options.record_plain,
    };
    Ok(TapServer {
        listener,
        addr,
        tap: Arc::new(tap),
        // A random fault's seed chosen once, so the banner can say it.
        faults: Some(options.faults)
            .filter(crate::faults::Faults::is_active)
            .map(|mut faults| {
                faults.choose_seed();
                faults
            }),
    })
}

impl TapServer {
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The tap's URL, for its clients (a wildcard address shown as loopback).
    pub fn url(&self) -> String {
        shown_url(self.addr)
    }

    /// The faults in force, in the words the logs and captures use.
    pub fn faults(&self) -> Option<String> {
        self.faults.as_ref().map(crate::faults::Faults::describe)
    }

    /// Serves until accepting fails for good (or the future is dropped).
    /// The layers, inside out: the proxy, the faults, the watcher.
    pub async fn serve_with(self, limits: Limits, log: Log) -> std::io::Result<()> {
        let mut router = Router::new()
            .fallback(proxy::handle)
            .with_state(Arc::clone(&self.tap));
        if let Some(faults) = self.faults {
            let state = crate::faults::FaultState::flags_only(faults, Arc::clone(&log));
            router = crate::faults::layer(router, state);
        }
        let router = router.layer(axum::middleware::from_fn_with_state(self.tap, watch::watch));
        server::serve(self.listener, router, limits, log).await
    }
}

/// `http://ADDR/`, a wildcard address as loopback.
fn shown_url(mut addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            std::net::IpAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            std::net::IpAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{addr}/")
}
