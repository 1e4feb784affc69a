//! The value of each fault option, with the one parser the command line
//! (clap's `value_parser`) and the demo's query parameters share. Each error
//! names the forms that are accepted, and `Display` writes the canonical form
//! back, which is what [`super::Faults::describe`] shows.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// How the stream's bytes are re-split into writes (`--split`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Writes of this many bytes (1: every byte alone).
    Fixed(usize),
    /// Writes of a random size between the two bounds, inclusive, drawn from the seed.
    Random { min: usize, max: usize },
    /// A write boundary between the CR and the LF of every CRLF.
    Crlf,
    /// A write boundary inside every multi-byte UTF-8 character.
    Utf8,
}

const SPLIT_FORMS: &str = "1, N (bytes per write), random:A-B, crlf or utf8";

impl FromStr for Split {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a split: give {SPLIT_FORMS}");
        match s {
            "crlf" => Ok(Split::Crlf),
            "utf8" => Ok(Split::Utf8),
            _ => match s.strip_prefix("random:") {
                Some(range) => {
                    let (min, max) = range_of(range)
                        .filter(|(min, _)| *min >= 1)
                        .ok_or_else(bad)?;
                    Ok(Split::Random { min, max })
                }
                None => positive(s).map(Split::Fixed).ok_or_else(bad),
            },
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Split::Fixed(n) => write!(f, "{n}"),
            Split::Random { min, max } => write!(f, "random:{min}-{max}"),
            Split::Crlf => f.write_str("crlf"),
            Split::Utf8 => f.write_str("utf8"),
        }
    }
}

/// A wait before each event (`--delay MS` or `--delay MIN-MAX`), in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delay {
    pub min_ms: u64,
    pub max_ms: u64,
}

impl FromStr for Delay {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!("{s:?} is not a delay: give MS or MIN-MAX in milliseconds, e.g. 200 or 50-500")
        };
        match s.split_once('-') {
            Some(_) => {
                let (min, max) = range_of(s).ok_or_else(bad)?;
                Ok(Delay {
                    min_ms: min as u64,
                    max_ms: max as u64,
                })
            }
            None => {
                let ms = s.parse::<u64>().map_err(|_| bad())?;
                Ok(Delay {
                    min_ms: ms,
                    max_ms: ms,
                })
            }
        }
    }
}

impl fmt::Display for Delay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min_ms == self.max_ms {
            write!(f, "{}", self.min_ms)
        } else {
            write!(f, "{}-{}", self.min_ms, self.max_ms)
        }
    }
}

/// A pause after event K (`--stall K:SECS`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stall {
    /// 1-based: the pause follows the K-th event.
    pub after_event: u64,
    pub pause: Duration,
}

impl FromStr for Stall {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not a stall: give K:SECS, the event number (from 1) and the seconds to pause after it, e.g. 5:10"
            )
        };
        let (k, secs) = s.split_once(':').ok_or_else(bad)?;
        let after_event = positive(k).ok_or_else(bad)? as u64;
        let pause = secs
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(bad)?;
        Ok(Stall { after_event, pause })
    }
}

impl fmt::Display for Stall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.after_event, self.pause.as_secs_f64())
    }
}

/// Where the connection is ended (`--cut`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// After N whole events.
    Events(u64),
    /// After N bytes of body (before any `--gzip`).
    Bytes(u64),
    /// In the middle of event K: its first half is sent, never its blank line.
    MidEvent(u64),
}

impl FromStr for Cut {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("{s:?} is not a cut: give events:N, bytes:N or mid-event:K");
        let (kind, n) = s.split_once(':').ok_or_else(bad)?;
        match kind {
            "events" => n.parse().map(Cut::Events).map_err(|_| bad()),
            "bytes" => n.parse().map(Cut::Bytes).map_err(|_| bad()),
            "mid-event" => positive(n).map(|k| Cut::MidEvent(k as u64)).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Cut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cut::Events(n) => write!(f, "events:{n}"),
            Cut::Bytes(n) => write!(f, "bytes:{n}"),
            Cut::MidEvent(k) => write!(f, "mid-event:{k}"),
        }
    }
}

/// The answer to the request after a cut or reset (`--reconnect-status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReconnectStatus {
    /// 400 to 599.
    pub status: u16,
    pub retry_after_secs: Option<u64>,
}

impl FromStr for ReconnectStatus {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not a reconnect status: give CODE or CODE:RETRY_AFTER_SECS with a code from 400 to 599, e.g. 503:2 or 429"
            )
        };
        let (code, retry) = match s.split_once(':') {
            Some((code, retry)) => (code, Some(retry.parse::<u64>().map_err(|_| bad())?)),
            None => (s, None),
        };
        let status = code
            .parse::<u16>()
            .ok()
            .filter(|c| (400..=599).contains(c))
            .ok_or_else(bad)?;
        Ok(ReconnectStatus {
            status,
            retry_after_secs: retry,
        })
    }
}

impl fmt::Display for ReconnectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.retry_after_secs {
            Some(secs) => write!(f, "{}:{secs}", self.status),
            None => write!(f, "{}", self.status),
        }
    }
}

/// What a reconnect's `Last-Event-ID` does (`--last-event-id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastEventIdMode {
    /// Removed from the request: the stream starts over.
    Ignore,
    /// Passed on: a server that resumes by it resumes.
    Honour,
}

impl FromStr for LastEventIdMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "ignore" => Ok(Self::Ignore),
            "honour" | "honor" => Ok(Self::Honour),
            _ => Err(format!(
                "{s:?} is not a Last-Event-ID mode: give ignore or honour"
            )),
        }
    }
}

impl fmt::Display for LastEventIdMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Ignore => "ignore",
            Self::Honour => "honour",
        })
    }
}

/// The line ending every line is given (`--line-endings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEndings {
    Lf,
    Crlf,
    Cr,
    /// LF, CRLF and CR in turn, line by line.
    Mixed,
}

impl FromStr for LineEndings {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "lf" => Ok(Self::Lf),
            "crlf" => Ok(Self::Crlf),
            "cr" => Ok(Self::Cr),
            "mixed" => Ok(Self::Mixed),
            _ => Err(format!(
                "{s:?} is not a line ending: give lf, crlf, cr or mixed"
            )),
        }
    }
}

impl fmt::Display for LineEndings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Lf => "lf",
            Self::Crlf => "crlf",
            Self::Cr => "cr",
            Self::Mixed => "mixed",
        })
    }
}

/// What `--insert` puts into the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertKind {
    /// A comment line (`: ssetui fault`) before the event.
    Comment,
    /// The UTF-8 byte-order mark before the event (at the very start a
    /// parser strips it; anywhere else it spoils the next field name).
    Bom,
    /// The byte 0xFF at the end of the event's first line.
    BadUtf8,
}

/// `--insert KIND[:K]`: KIND at event K (from 1; 1 when not given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Insert {
    pub kind: InsertKind,
    pub at_event: u64,
}

impl FromStr for Insert {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            format!(
                "{s:?} is not an insertion: give comment, bom or bad-utf8, each optionally :K for event K (from 1)"
            )
        };
        let (kind, at) = match s.split_once(':') {
            Some((kind, k)) => (kind, positive(k).ok_or_else(bad)? as u64),
            None => (s, 1),
        };
        let kind = match kind {
            "comment" => InsertKind::Comment,
            "bom" => InsertKind::Bom,
            "bad-utf8" => InsertKind::BadUtf8,
            _ => return Err(bad()),
        };
        Ok(Insert { kind, at_event: at })
    }
}

impl fmt::Display for Insert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            InsertKind::Comment => "comment",
            InsertKind::Bom => "bom",
            InsertKind::BadUtf8 => "bad-utf8",
        };
        write!(f, "{kind}:{}", self.at_event)
    }
}

/// A whole number of at least 1.
fn positive(s: &str) -> Option<usize> {
    s.parse::<usize>().ok().filter(|n| *n >= 1)
}

/// `A-B` with A ≤ B.
fn range_of(s: &str) -> Option<(usize, usize)> {
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.parse::<usize>().ok()?, b.parse::<usize>().ok()?);
    (a <= b).then_some((a, b))
}
