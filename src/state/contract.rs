//! The JSON Schemas a tab's events are judged by (`ssetui --schema`,
//! `--openapi`, a profile's `schema`/`schemas`), and what they said.
//!
//! Each event is validated once, as its read is folded into the tab, never
//! on the frame path: the list and the detail only look a row up. Only the
//! invalid events' violations are kept, by log row, and dropped with the
//! rows the log drops; the counts are the connection's.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::insight::contract::{Fields, Schemas, Verdict, Violation};
use crate::sse::Event;

/// A tab's schemas and their verdicts.
#[derive(Debug, Default)]
pub struct Contract {
    schemas: Option<Arc<Schemas>>,
    /// The violations of each invalid event, by log row.
    invalid: BTreeMap<u64, Arc<[Violation]>>,
    /// This connection's events a schema applied to.
    pub checked: u64,
    /// Of them, the ones that broke it.
    pub failed: u64,
    /// Violations by rule (`required`, `type`, `json`…), this connection's.
    by_rule: BTreeMap<String, u64>,
    /// The first invalid event of this connection: its seq and first violation.
    pub first: Option<(u64, Violation)>,
}

impl Contract {
    /// Judges events from now on by `schemas` (none: not at all); what was
    /// said before is forgotten.
    pub fn set(&mut self, schemas: Option<Arc<Schemas>>) {
        *self = Self {
            schemas,
            ..Self::default()
        };
    }

    pub fn schemas(&self) -> Option<&Schemas> {
        self.schemas.as_deref()
    }

    /// A new connection: its counts start at 0; the rows already listed
    /// keep their marks.
    pub fn restart(&mut self) {
        self.checked = 0;
        self.failed = 0;
        self.by_rule.clear();
        self.first = None;
    }

    /// Validates `event`, at log row `row`.
    pub fn judge(&mut self, row: u64, seq: u64, event: &Event) {
        let Some(schemas) = &self.schemas else {
            return;
        };
        match schemas.validate_event(&Fields::from(event)) {
            Verdict::Unchecked => {}
            Verdict::Valid => self.checked += 1,
            Verdict::Invalid(violations) => {
                self.checked += 1;
                self.failed += 1;
                for v in &violations {
                    match self.by_rule.get_mut(&v.rule) {
                        Some(n) => *n += 1,
                        None => {
                            self.by_rule.insert(v.rule.clone(), 1);
                        }
                    }
                }
                if self.first.is_none() {
                    self.first = violations.first().map(|v| (seq, v.clone()));
                }
                self.invalid.insert(row, violations.into());
            }
        }
    }

    /// Where the event at log row `row` breaks its schema, if it does.
    pub fn violations(&self, row: u64) -> Option<&[Violation]> {
        self.invalid.get(&row).map(|v| &v[..])
    }

    /// Rows before `first_row` left the log: their verdicts go too.
    pub fn forget_before(&mut self, first_row: u64) {
        if self
            .invalid
            .first_key_value()
            .is_some_and(|(row, _)| *row < first_row)
        {
            self.invalid = self.invalid.split_off(&first_row);
        }
    }

    /// The log was emptied.
    pub fn forget_all(&mut self) {
        self.invalid.clear();
    }

    /// Violations by rule, the most frequent first.
    pub fn by_rule(&self) -> Vec<(&str, u64)> {
        let mut rules: Vec<(&str, u64)> =
            self.by_rule.iter().map(|(r, n)| (r.as_str(), *n)).collect();
        rules.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        rules
    }
}

#[cfg(test)]
mod tests;
