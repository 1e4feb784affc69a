//! The program's resource limits, in one place: how deep JSON may nest, how
//! large a local file may be, how far ahead a deadline may lie. Anything a
//! server, a file or a flag controls is bounded by one of these before it
//! can cost unbounded memory, time or stack.
//!
//! The lowest layer, beside `text`: pure helpers over `std`, used by the
//! protocol, captures, config, checks and the UI alike.

pub mod file;
pub mod json;
pub mod time;
