//! Two real MCP servers on the demo, built on the official Rust SDK (rmcp)
//! and its streamable HTTP transport rather than written by hand, so what a
//! client sees is what a real server sends:
//!
//! - `/mcp` speaks the current revision, 2026-07-28 (stateless: each POST
//!   carries its version in `_meta` and the `MCP-Protocol-Version` header;
//!   `server/discover` describes the server; an answer is JSON, or SSE when
//!   progress or logging comes first; `subscriptions/listen` is held open),
//!   and still answers the session era's
//!   `initialize` handshake, as a server in the transition must.
//! - `/mcp-legacy` speaks only the session era (up to 2025-11-25):
//!   `initialize`, `Mcp-Session-Id`, a GET stream, DELETE, and resumability:
//!   priming events with `retry:`, every event stored ([`event_store`]) so a
//!   GET with `Last-Event-ID` replays the rest of a stream. `?drop_after=N`
//!   closes each call's stream after N messages ([`drop_after`]).
//!
//! rmcp's transport is a tower service on the `http` crate's types: it needs
//! no axum of its own, so it runs inside the demo's axum 0.8 router.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;

use super::params::{BadRequest, Params};

mod drop_after;
mod event_store;
mod paging;
mod prompts;
mod resources;
mod server;
mod tools;

#[cfg(test)]
mod tests;

use drop_after::{MAX_DROP_AFTER, cut_after};
use event_store::MemoryEventStore;
use server::{DemoMcp, Era};

/// The `retry:` the servers send in their priming events: how long a client
/// waits before it resumes a stream that ended.
pub const RETRY: Duration = Duration::from_secs(1);
/// How often an idle SSE answer gets a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

type Service = StreamableHttpService<DemoMcp, LocalSessionManager>;

/// The browser origins the servers accept (any port): a page from anywhere
/// else gets 403, which is the transport's guard against DNS rebinding. The
/// `Host` header is already guarded by the demo's own server (`server.rs`).
const LOCAL_ORIGINS: [&str; 3] = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"];

fn service(era: Era, events: Option<MemoryEventStore>, shutdown: &CancellationToken) -> Service {
    let mut sessions = LocalSessionManager::default();
    sessions.session_config.sse_retry = Some(RETRY);
    if let Some(events) = events {
        sessions = sessions.with_event_store(Arc::new(events));
    }
    let config = StreamableHttpServerConfig::default()
        .with_sse_retry(Some(RETRY))
        .with_sse_keep_alive(Some(KEEP_ALIVE))
        .with_json_response(era == Era::Current)
        .disable_allowed_hosts()
        .with_allowed_origins(LOCAL_ORIGINS)
        .with_cancellation_token(shutdown.child_token());
    StreamableHttpService::new(move || Ok(DemoMcp { era }), Arc::new(sessions), config)
}

/// `/mcp` and `/mcp-legacy`. Their sessions end when the last clone of the
/// router is dropped (the server stopped).
pub(super) fn router() -> Router {
    let shutdown = CancellationToken::new();
    let current = service(Era::Current, None, &shutdown);
    let legacy = service(Era::Session, Some(MemoryEventStore::default()), &shutdown);
    let guard = Arc::new(shutdown.drop_guard());
    let legacy_guard = guard.clone();
    Router::new()
        .route(
            "/mcp",
            any(move |request: Request| {
                let (service, _guard) = (current.clone(), guard.clone());
                async move { mcp(service, request).await }
            }),
        )
        .route(
            "/mcp-legacy",
            any(move |request: Request| {
                let (service, _guard) = (legacy.clone(), legacy_guard.clone());
                async move { mcp_legacy(service, request).await }
            }),
        )
}

/// `/mcp`: takes no query parameters.
async fn mcp(service: Service, request: Request) -> Response {
    if let Err(refused) = Params::parse(request.uri(), "/mcp", &[]) {
        return refused.into_response();
    }
    service.handle(request).await.map(Body::new)
}

/// `/mcp-legacy?drop_after=N`.
async fn mcp_legacy(service: Service, request: Request) -> Response {
    let drop_after = match drop_after_param(request.uri()) {
        Ok(drop_after) => drop_after,
        Err(refused) => return refused.into_response(),
    };
    // Only a call's answer is cut: the GET that resumes it must get the rest.
    let is_post = request.method() == Method::POST;
    let response = service.handle(request).await.map(Body::new);
    let is_stream = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    match drop_after {
        Some(limit) if is_post && is_stream => response.map(|body| cut_after(body, limit)),
        _ => response,
    }
}

fn drop_after_param(uri: &Uri) -> Result<Option<u64>, BadRequest> {
    Params::parse(uri, "/mcp-legacy", &["drop_after"])?.number(
        "drop_after",
        1..=MAX_DROP_AFTER,
        "JSON-RPC messages a call's stream carries before the server closes it",
    )
}
