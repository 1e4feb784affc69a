//! The built-in demo SSE server behind `ssetui serve`.
//!
//! It exists so a newcomer can try the tool with nothing else installed, and so
//! the project's own tests have a realistic peer on loopback. Every stream is
//! written by hand in the SSE wire format (`wire.rs`) and sent through a body
//! fed by a spawned task (`stream.rs`) that stops when the client goes away.
//!
//! Each endpoint lives in its own file; `catalogue.rs` holds the one
//! description of them all that the banner, `--help`, the index page and the
//! UI's demo picker share.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tokio::net::TcpListener;

use crate::faults::{FaultState, Faults};
use crate::server::{self, Limits, Log};

// The credential literals, as macros so the catalogue can `concat!` them
// while the constants below stay the single source of truth.
macro_rules! demo_bearer_token {
    () => {
        "ssetui-demo-token"
    };
}
macro_rules! demo_basic_user {
    () => {
        "demo"
    };
}
macro_rules! demo_basic_password {
    () => {
        "ssetui-demo-password"
    };
}
macro_rules! demo_api_key {
    () => {
        "ssetui-demo-key"
    };
}

mod catalogue;
mod chat;
mod clock;
mod firehose;
mod flaky;
mod help;
mod index;
mod llm_api;
mod logs;
mod mcp;
mod metrics;
mod params;
mod protected;
mod stream;
mod wire;

pub use catalogue::{ENDPOINTS, Endpoint, PICKS, Pick, START, Sends};
pub use help::{banner, endpoints_help};
pub use llm_api::{
    CANNED_REASONING, CHAT_SAMPLE_BODY, MESSAGES_SAMPLE_BODY, RESPONSES_SAMPLE_BODY, canned_answer,
};

/// The bearer token `/protected` accepts in `Authorization: Bearer <token>`.
pub const DEMO_BEARER_TOKEN: &str = demo_bearer_token!();
/// The user name `/protected` accepts with HTTP Basic authentication.
pub const DEMO_BASIC_USER: &str = demo_basic_user!();
/// The password `/protected` accepts with HTTP Basic authentication.
pub const DEMO_BASIC_PASSWORD: &str = demo_basic_password!();
/// The request header that carries [`DEMO_API_KEY`] to `/protected`.
pub const DEMO_API_KEY_HEADER: &str = "X-API-Key";
/// The query parameter that carries [`DEMO_API_KEY`] to `/protected`.
pub const DEMO_API_KEY_QUERY: &str = "api_key";
/// The API key `/protected` accepts in [`DEMO_API_KEY_HEADER`] or [`DEMO_API_KEY_QUERY`].
pub const DEMO_API_KEY: &str = demo_api_key!();

/// All demo endpoints, for serving in-process or mounting elsewhere.
pub fn router() -> Router {
    Router::new()
        .route("/", get(index::index))
        .route("/clock", get(clock::clock))
        .route("/chat", get(chat::chat).post(chat::chat))
        .route("/logs", get(logs::logs))
        .route("/metrics", get(metrics::metrics))
        .route("/protected", get(protected::protected))
        .route("/flaky", get(flaky::flaky))
        .route("/firehose", get(firehose::firehose))
        .merge(llm_api::router())
        .merge(mcp::router())
        .fallback(index::not_found)
}

/// A demo server bound to a port but not yet serving: binding first lets the
/// caller learn the port (when it asked for port 0) before anything runs.
#[derive(Debug)]
pub struct DemoServer {
    listener: TcpListener,
    addr: SocketAddr,
}

/// Binds the demo server to `addr` (port 0 picks a free port). The error names
/// the address, e.g. "cannot listen on 127.0.0.1:8900: Address in use".
pub async fn bind(addr: SocketAddr) -> std::io::Result<DemoServer> {
    let context =
        |e: std::io::Error| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}"));
    let listener = TcpListener::bind(addr).await.map_err(context)?;
    let addr = listener.local_addr().map_err(context)?;
    Ok(DemoServer { listener, addr })
}

impl DemoServer {
    /// The address actually bound, with the real port when port 0 was asked for.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The full URL of `path` on this server, e.g. `http://127.0.0.1:PORT/clock`.
    /// A wildcard bind address (0.0.0.0 or ::) is shown as loopback, which is
    /// where a client on this machine can reach it.
    pub fn url(&self, path: &str) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr.ip() {
                IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
            });
        }
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{addr}{slash}{path}")
    }

    /// Serves the demo endpoints until the task is dropped or accepting
    /// fails, within the default [`Limits`], logging nothing.
    pub async fn serve(self) -> std::io::Result<()> {
        self.serve_with(Limits::default(), server::silent()).await
    }

    /// Serves the demo endpoints within `limits`, logging to `log` (see
    /// [`server::serve`]); faults only where a request's query names them.
    pub async fn serve_with(self, limits: Limits, log: Log) -> std::io::Result<()> {
        let faults = FaultState::new(Faults::default(), Arc::clone(&log));
        self.serve_faulted(limits, log, faults).await
    }

    /// Serves the demo endpoints with `faults` on every event stream (a
    /// request's query parameters over them, see [`crate::faults::layer`]).
    pub async fn serve_faulted(
        self,
        limits: Limits,
        log: Log,
        faults: Arc<FaultState>,
    ) -> std::io::Result<()> {
        let router = crate::faults::layer(router(), faults);
        server::serve(self.listener, router, limits, log).await
    }

    /// Serves in a background task: how the UI and the tests run the demo in-process.
    pub fn spawn(self) -> tokio::task::JoinHandle<std::io::Result<()>> {
        tokio::spawn(self.serve())
    }
}
