//! The pure part of `ssetui check`: what a check is asked to judge
//! ([`Checks`], from the command line or a profile's `check` table, with
//! its jq [`Condition`]s), the judge that decides each expectation event by
//! event ([`expect`]), and the verdicts written as the report ([`report`])
//! and as JUnit XML ([`junit`]).
//!
//! No I/O, no clock and no command line here: the runner (`check/mod.rs`,
//! at the edges) reads the flags, connects or reads a capture, feeds the
//! judge and writes what these render.

mod checks;
mod condition;
pub mod expect;
mod id_order;
pub mod junit;
pub mod mcp;
pub mod report;

pub use checks::{Checks, DEFAULT_WITHIN};
pub use condition::{Condition, ConditionError};
pub use expect::{Expectation, Finish, Judge, SchemaCheck, Seen, Verdict};
