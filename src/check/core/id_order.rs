//! `--ids-increasing`, judged incrementally: whether ids compare as numbers
//! or as bytes is only known at the end (one non-numeric id switches to
//! bytes), so both orders are tracked and a failure is declared early only
//! when it holds either way.

use super::expect::{Verdict, quote};

/// Incremental state of `--ids-increasing`.
#[derive(Debug, Default)]
pub struct IdOrder {
    previous: Option<String>,
    /// The first event without an id.
    missing: Option<u64>,
    all_numeric: bool,
    /// First pair out of order numerically (only meaningful while all ids are numeric).
    numeric_break: Option<(String, String)>,
    /// First pair out of order by bytes.
    text_break: Option<(String, String)>,
}

impl IdOrder {
    pub fn new() -> Self {
        Self {
            all_numeric: true,
            ..Self::default()
        }
    }

    pub fn see(&mut self, seq: u64, id: &str) {
        if id.is_empty() {
            self.missing.get_or_insert(seq);
            return;
        }
        let numeric = id.parse::<u128>().ok();
        self.all_numeric &= numeric.is_some();
        if let Some(prev) = &self.previous {
            let pair = || (prev.clone(), id.to_owned());
            if prev.as_str() >= id && self.text_break.is_none() {
                self.text_break = Some(pair());
            }
            if let (Some(p), Some(n)) = (prev.parse::<u128>().ok(), numeric)
                && p >= n
                && self.numeric_break.is_none()
            {
                self.numeric_break = Some(pair());
            }
        }
        self.previous = Some(id.to_owned());
    }

    /// The failure, if certain whatever ids follow.
    pub fn failure(&self) -> Option<String> {
        if let Some(seq) = self.missing {
            return Some(format!("event {seq} has no id"));
        }
        let (prev, id) = if self.all_numeric {
            self.numeric_break.as_ref()?
        } else {
            self.text_break.as_ref()?
        };
        // While every id is numeric, a later non-numeric id could switch to
        // byte order; a pair out of order both ways fails either way.
        if self.all_numeric && self.text_break.is_none() {
            return None;
        }
        let order = if self.all_numeric {
            "numerically"
        } else {
            "by bytes"
        };
        Some(format!("id {} after {} ({order})", quote(id), quote(prev)))
    }

    pub fn verdict_at_end(&self, events: u64) -> Verdict {
        if let Some(seq) = self.missing {
            return Verdict::Failed(format!("event {seq} has no id"));
        }
        let (breaking, order) = if self.all_numeric {
            (&self.numeric_break, "numerically")
        } else {
            (&self.text_break, "by bytes")
        };
        match breaking {
            Some((prev, id)) => {
                Verdict::Failed(format!("id {} after {} ({order})", quote(id), quote(prev)))
            }
            None => Verdict::Passed(format!("{events} ids, increasing {order}")),
        }
    }
}
