//! The SSE protocol: parsing, reconnection policy and the connection engine.
//! Nothing here knows about the terminal UI or the headless printer.

pub mod parser;

pub use parser::{Block, BlockKind, Event, Item, ParseError, Parser, ParserConfig};
