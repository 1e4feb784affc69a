//! MCP over HTTP, the client side: JSON-RPC messages decoded and linked,
//! the transport's eras negotiated as the official clients do, every
//! message of every stream shown as it arrives. Uses the request home for
//! the HTTP request and our SSE parser for event streams; knows nothing of
//! the config, the UI or stdout.

pub mod authorize;
pub mod calls;
pub mod capabilities;
pub mod envelope;
mod error;
pub mod jsonrpc;
pub mod live;
pub mod negotiate;
pub mod probe;
pub mod record;
pub mod schema;
pub mod session;
pub mod summary;
pub mod tracker;
pub mod wire;

pub use error::McpError;
pub use negotiate::{Era, connect};
pub use record::{Direction, Observed, Record};
pub use session::Client;
