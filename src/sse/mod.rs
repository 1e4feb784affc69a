//! The SSE protocol: parsing, reconnection policy and the connection engine.
//! Nothing here knows about the terminal UI or the headless printer.

pub mod attempt;
pub mod backoff;
pub mod body;
pub mod client;
pub mod connection;
pub mod consumer;
pub mod cookies;
pub mod end_marker;
pub mod env_ref;
pub mod error;
pub mod message;
pub mod parser;
pub mod redact;
pub mod request;
pub mod resolve;
pub mod session;

pub use body::{BodyFormat, BodyParser};
pub use bytestring::ByteString;
pub use connection::{ConnectionHandle, run_inline, spawn};
pub use consumer::{Consumer, EventSink};
pub use env_ref::Env;
pub use error::{ConnError, ErrorKind};
pub use message::{
    Chunk, CloseReason, ConnMsg, Negotiation, Numbering, Redirect, ResponseInfo, SentRequest,
    StreamItem,
};
pub use parser::{
    Block, BlockKind, Dispatched, Event, Item, ItemSink, ParseError, Parser, ParserConfig,
    ReadFacts,
};
pub use request::{
    ApiKeyLocation, Auth, Field, HttpVersionPref, McpCapability, Protocol, ReconnectPolicy,
    RequestSpec,
};
pub use resolve::{Unsendable, Why};
pub use session::{Credential, CredentialError, CredentialSource, Freshness, Session};
