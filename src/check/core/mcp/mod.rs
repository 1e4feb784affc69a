//! The rules `ssetui check --mcp` holds an MCP server to, and what was
//! found for each: pure data, judged by the probes of the runner
//! (`check::mcp`) and written here as the report and as JUnit XML.
//!
//! Each rule names the revisions it applies to, whether the spec says MUST
//! or SHOULD, why it matters and how to fix it. A run fails on a MUST
//! finding; on a SHOULD finding only with `--mcp-strict`.

mod authorization;
mod observed;
mod report;
mod rules;

pub use authorization::authorization;
pub use observed::{Seen, event_ids, jsonrpc, priming, retry_before_close};
pub use report::{junit, render};
pub use rules::*;

/// How strongly the spec asks for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Must,
    Should,
    /// Not in the spec's words: what keeps clients working in practice. A
    /// broken one never fails a run, even with `--mcp-strict`.
    Advice,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::Should => "SHOULD",
            Level::Advice => "ADVICE",
        }
    }
}

/// One rule of the transport spec, as a check reports it.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Short and stable, for a CI pipeline to grep: `session-unknown`.
    pub id: &'static str,
    /// What holds when the server keeps the rule.
    pub title: &'static str,
    /// The revisions the rule applies to, as words.
    pub revisions: &'static str,
    pub level: Level,
    /// What breaks for clients when the rule is not kept.
    pub why: &'static str,
    /// What the server should do instead.
    pub fix: &'static str,
}

/// What a probe found for a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The rule held; what was seen.
    Passed(String),
    /// The rule was broken; what was seen.
    Failed(String),
    /// The rule does not apply to this server (its era, its revision, no
    /// session issued); why.
    NotApplicable(String),
}

/// One rule and its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static Rule,
    pub outcome: Outcome,
}

impl Finding {
    pub fn new(rule: &'static Rule, outcome: Outcome) -> Self {
        Self { rule, outcome }
    }

    /// Whether this finding fails the run: a broken MUST, or a broken
    /// SHOULD when `strict`.
    pub fn fails(&self, strict: bool) -> bool {
        matches!(self.outcome, Outcome::Failed(_))
            && match self.rule.level {
                Level::Must => true,
                Level::Should => strict,
                Level::Advice => false,
            }
    }
}

/// The exit status of a run: 1 when a finding fails it, else 0.
pub fn status(findings: &[Finding], strict: bool) -> u8 {
    if findings.iter().any(|f| f.fails(strict)) {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests;
