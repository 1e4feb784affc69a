//! MCP over HTTP, the client side: JSON-RPC messages decoded and linked,
//! and the transport's eras negotiated as the official clients do.

pub mod jsonrpc;
pub mod tracker;
