//! ssetui: a terminal app and headless client for Server-Sent Events endpoints.
//!
//! The crate is a library so the binary, the integration tests and the
//! benchmarks share one engine. `sse` knows nothing of any front end.

pub mod action;
pub mod allocator;
pub mod app;
pub mod auth;
pub mod capture;
pub mod check;
pub mod cli;
pub mod config;
pub mod curl;
pub mod demo_server;
pub mod external_editor;
pub mod faults;
pub mod history;
pub mod insight;
pub mod keymap;
pub mod limits;
pub mod mcp;
pub mod message;
pub mod print;
pub mod private_file;
pub mod profile_store;
pub mod request;
pub mod runtime;
pub mod serve;
pub mod server;
pub mod shutdown;
pub mod sse;
pub mod state;
pub mod stdout;
pub mod tap;
pub mod text;
pub mod ui;
