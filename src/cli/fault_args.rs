//! `ssetui serve`'s fault flags (the "Faults" heading of its `--help`), each
//! parsed by the value type of [`crate::faults`], so the flags and the demo's
//! query parameters of the same names accept the same forms.

use clap::Args;

use crate::faults::{
    Cut, Delay, Faults, Insert, LastEventIdMode, LineEndings, ReconnectStatus, Split, Stall,
    event_number,
};

/// The faults of `ssetui serve`, applied to the replayed stream and to every
/// demo event stream (a request's query parameters of the same names override them).
#[derive(Debug, Clone, Default, Args)]
pub struct FaultArgs {
    /// Re-split the body into writes: 1 (every byte alone), N bytes, random:A-B sizes, crlf (inside every CRLF) or utf8 (inside every multi-byte character)
    #[arg(long, value_name = "1|N|random:A-B|crlf|utf8")]
    pub split: Option<Split>,

    /// Wait before each event: MS, or a random MIN-MAX
    #[arg(long, value_name = "MS[-MS]")]
    pub delay: Option<Delay>,

    /// Pause SECS seconds after event K
    #[arg(long, value_name = "K:SECS")]
    pub stall: Option<Stall>,

    /// Close the connection after N events, after N bytes, or in the middle of event K
    #[arg(long, value_name = "events:N|bytes:N|mid-event:K")]
    pub cut: Option<Cut>,

    /// End with a TCP reset instead of a clean close: at the --cut, or at the stream's end without one
    #[arg(long)]
    pub reset: bool,

    /// Answer the request after a cut or reset with CODE (and Retry-After), once
    #[arg(long, value_name = "CODE[:RETRY_AFTER_SECS]")]
    pub reconnect_status: Option<ReconnectStatus>,

    /// What a reconnect's Last-Event-ID does: ignore (start over) or honour (resume)
    #[arg(long, value_name = "ignore|honour")]
    pub last_event_id: Option<LastEventIdMode>,

    /// Give every line this ending (mixed: LF, CRLF and CR in turn)
    #[arg(long, value_name = "lf|crlf|cr|mixed")]
    pub line_endings: Option<LineEndings>,

    /// Drop the blank line after event K (it runs into the next one)
    #[arg(long, value_name = "K", value_parser = event_number)]
    pub drop_blank: Option<u64>,

    /// Insert a comment line, a BOM or an invalid UTF-8 byte at event K (default 1)
    #[arg(long, value_name = "comment|bom|bad-utf8[:K]")]
    pub insert: Option<Insert>,

    /// Remove every id: line
    #[arg(long)]
    pub strip_ids: bool,

    /// Send retry: MS first and in place of every retry: line
    #[arg(long, value_name = "MS")]
    pub set_retry: Option<u64>,

    /// Hold bytes back until KIB KiB have gathered or the stream ends (as nginx's proxy_buffering does)
    #[arg(long, value_name = "KIB")]
    pub buffer: Option<u64>,

    /// Compress the body (Content-Encoding: gzip), flushed at every write
    #[arg(long)]
    pub gzip: bool,

    /// The seed of random faults (one is chosen and printed when not given)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

impl FaultArgs {
    pub fn to_faults(&self) -> Faults {
        Faults {
            split: self.split,
            delay: self.delay,
            stall: self.stall,
            cut: self.cut,
            reset: self.reset,
            reconnect_status: self.reconnect_status,
            last_event_id: self.last_event_id,
            line_endings: self.line_endings,
            drop_blank: self.drop_blank,
            insert: self.insert,
            strip_ids: self.strip_ids,
            set_retry: self.set_retry,
            buffer_kib: self.buffer,
            gzip: self.gzip,
            seed: self.seed,
        }
    }
}
