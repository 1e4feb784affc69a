//! Insight: what a stream means beyond its events. LLM transcripts, stream
//! diagnostics, contracts (JSON Schemas for events), timing statistics and jq-style filters. Pure: fed events and
//! arrival facts, no I/O, so the UI and `print` share them.

pub mod contract;
pub mod diagnose;
pub mod jq;
pub mod llm;
pub mod stats;
