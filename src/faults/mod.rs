//! Faults on purpose: a stream made to misbehave the way real servers,
//! proxies and networks do, so a client can be tested against it.
//!
//! [`Faults`] holds the options (`ssetui serve`'s flags, the demo's query
//! parameters of the same names); [`engine::apply`] turns a stream of reads
//! into the faulted stream of writes, with its waits and its ending;
//! [`layer`] puts both in front of any router's `text/event-stream`
//! responses, with the state that spans connections ([`FaultState`]: the
//! status answered after a cut, what `Last-Event-ID` does).
//!
//! Every faulted response says what was done to it in
//! [`FAULTS_HEADER`], in the words of [`Faults::describe`], so a recording
//! of it says so too. Random faults draw from a seeded generator
//! ([`rng::SplitMix64`]): the same seed gives the same faults.

use std::fmt::Write as _;

pub mod engine;
pub mod layer;
mod lines;
pub mod rng;
mod shaper;
mod values;

pub use engine::{Ending, apply};
pub use layer::{FaultState, layer};
pub use values::{
    Cut, Delay, Insert, InsertKind, LastEventIdMode, LineEndings, ReconnectStatus, Split, Stall,
};

/// The response header naming the faults applied to the response.
pub const FAULTS_HEADER: &str = "x-ssetui-faults";

/// The faults to apply: one field per option, `None`/`false` for "not this one".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    pub split: Option<Split>,
    pub delay: Option<Delay>,
    pub stall: Option<Stall>,
    pub cut: Option<Cut>,
    /// End with a TCP reset instead of a clean close: at the cut, or at the
    /// stream's end when there is no cut.
    pub reset: bool,
    pub reconnect_status: Option<ReconnectStatus>,
    pub last_event_id: Option<LastEventIdMode>,
    pub line_endings: Option<LineEndings>,
    /// Drop the blank line that ends event K, so it runs into the next one.
    pub drop_blank: Option<u64>,
    pub insert: Option<Insert>,
    /// Remove every `id:` line.
    pub strip_ids: bool,
    /// Every `retry:` line says this many milliseconds, and one is sent first.
    pub set_retry: Option<u64>,
    /// Hold bytes back until this many KiB have gathered (or the stream ends).
    pub buffer_kib: Option<u64>,
    /// Compress the body, flushing the compressor at every write.
    pub gzip: bool,
    /// The seed of the random faults.
    pub seed: Option<u64>,
}

/// The query parameter names, as the flags are named without their `--`.
pub const QUERY_NAMES: &[&str] = &[
    "split",
    "delay",
    "stall",
    "cut",
    "reset",
    "reconnect-status",
    "last-event-id",
    "line-endings",
    "drop-blank",
    "insert",
    "strip-ids",
    "set-retry",
    "buffer",
    "gzip",
    "seed",
];

impl Faults {
    /// The faults of a query string (`split=1&cut=mid-event:3&seed=7`),
    /// parameters of other names ignored.
    pub fn from_query(query: &str) -> Result<Self, String> {
        Self::default().with_query(query)
    }

    /// These faults with those a query string names put over them. The error
    /// names the parameter and the forms it accepts.
    pub fn with_query(&self, query: &str) -> Result<Self, String> {
        let mut faults = self.clone();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let name = name.replace('_', "-");
            let value = value.as_ref();
            let bad = |err: String| format!("query parameter {name}: {err}");
            match name.as_str() {
                "split" => faults.split = Some(value.parse().map_err(bad)?),
                "delay" => faults.delay = Some(value.parse().map_err(bad)?),
                "stall" => faults.stall = Some(value.parse().map_err(bad)?),
                "cut" => faults.cut = Some(value.parse().map_err(bad)?),
                "reset" => faults.reset = switch(value).map_err(bad)?,
                "reconnect-status" => faults.reconnect_status = Some(value.parse().map_err(bad)?),
                "last-event-id" => faults.last_event_id = Some(value.parse().map_err(bad)?),
                "line-endings" => faults.line_endings = Some(value.parse().map_err(bad)?),
                "drop-blank" => faults.drop_blank = Some(event_number(value).map_err(bad)?),
                "insert" => faults.insert = Some(value.parse().map_err(bad)?),
                "strip-ids" => faults.strip_ids = switch(value).map_err(bad)?,
                "set-retry" => faults.set_retry = Some(number(value, "milliseconds").map_err(bad)?),
                "buffer" => faults.buffer_kib = Some(number(value, "KiB").map_err(bad)?),
                "gzip" => faults.gzip = switch(value).map_err(bad)?,
                "seed" => faults.seed = Some(number(value, "a seed").map_err(bad)?),
                _ => {}
            }
        }
        Ok(faults)
    }

    /// Whether any fault is set (the seed alone is none).
    pub fn is_active(&self) -> bool {
        *self
            != Faults {
                seed: self.seed,
                ..Faults::default()
            }
    }

    /// Whether a fault draws random numbers (and so needs a seed).
    pub fn is_random(&self) -> bool {
        matches!(self.split, Some(Split::Random { .. }))
            || self.delay.is_some_and(|d| d.min_ms != d.max_ms)
    }

    /// Chooses a seed when a random fault has none, from the clock; returns the
    /// seed in use, if any. The caller prints it so the run can be repeated.
    pub fn choose_seed(&mut self) -> Option<u64> {
        if self.is_random() && self.seed.is_none() {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            self.seed = Some(rng::SplitMix64::new(nanos).next_u64() % 1_000_000);
        }
        self.seed
    }

    /// The canonical one-line description, in query-parameter words, e.g.
    /// `split=random:1-7 stall=5:10 seed=42`; empty when no fault is set.
    /// The seed is named only when a fault uses it.
    pub fn describe(&self) -> String {
        let mut out = String::new();
        let mut add = |name: &str, value: Option<String>| {
            if let Some(value) = value {
                if !out.is_empty() {
                    out.push(' ');
                }
                let _ = write!(out, "{name}={value}");
            }
        };
        let on = |b: bool| b.then(|| "1".to_owned());
        add("split", self.split.map(|v| v.to_string()));
        add("delay", self.delay.map(|v| v.to_string()));
        add("stall", self.stall.map(|v| v.to_string()));
        add("cut", self.cut.map(|v| v.to_string()));
        add("reset", on(self.reset));
        add(
            "reconnect-status",
            self.reconnect_status.map(|v| v.to_string()),
        );
        add("last-event-id", self.last_event_id.map(|v| v.to_string()));
        add("line-endings", self.line_endings.map(|v| v.to_string()));
        add("drop-blank", self.drop_blank.map(|v| v.to_string()));
        add("insert", self.insert.map(|v| v.to_string()));
        add("strip-ids", on(self.strip_ids));
        add("set-retry", self.set_retry.map(|v| v.to_string()));
        add("buffer", self.buffer_kib.map(|v| v.to_string()));
        add("gzip", on(self.gzip));
        if self.is_random() {
            add("seed", self.seed.map(|v| v.to_string()));
        }
        out
    }

    /// Whether a fault works on events (and so needs the stream parsed).
    pub(crate) fn works_on_events(&self) -> bool {
        self.delay.is_some()
            || self.stall.is_some()
            || matches!(self.cut, Some(Cut::Events(_) | Cut::MidEvent(_)))
            || self.line_endings.is_some()
            || self.drop_blank.is_some()
            || self.insert.is_some()
            || self.strip_ids
            || self.set_retry.is_some()
    }
}

/// A query flag: empty (present), `1`/`true`/`yes` or `0`/`false`/`no`.
fn switch(value: &str) -> Result<bool, String> {
    match value {
        "" | "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        _ => Err(format!("{value:?} is not on or off: give 1 or 0")),
    }
}

fn number(value: &str, what: &str) -> Result<u64, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number ({what})"))
}

/// An event number, from 1 (`--drop-blank K`).
pub fn event_number(value: &str) -> Result<u64, String> {
    value
        .parse()
        .ok()
        .filter(|k| *k >= 1)
        .ok_or_else(|| format!("{value:?} is not an event number: give K, from 1"))
}

#[cfg(test)]
mod props;
#[cfg(test)]
mod tests;
