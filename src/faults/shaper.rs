//! The faults that follow the stream's structure, sans-IO: fed the reads,
//! it says what to write, when to wait and when to end. Event boundaries come
//! from the project's own parser ([`crate::sse::parser`]): each block it
//! completes ends at the blank line after its raw range, and the bytes up to
//! that line's end are one block here.
//!
//! With no fault that needs events, reads pass through as they came, so a
//! byte-level fault (split, buffer, gzip, a cut by bytes) adds no holding back.

use std::collections::VecDeque;
use std::time::Duration;

use bytes::Bytes;

use super::engine::Ending;
use super::lines::{self, LineState};
use super::rng::SplitMix64;
use super::{Cut, Faults};
use crate::sse::parser::{Dispatched, Item, ItemSink, Parser};

/// One thing to do to the output.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Write(Bytes),
    Wait(Duration),
    End(Ending),
}

/// Where each completed block's lines end, and whether it was an event.
#[derive(Default)]
struct Boundaries(VecDeque<(u64, bool)>);

impl ItemSink for Boundaries {
    fn event(&mut self, event: Dispatched<'_>) {
        self.0.push_back((event.raw().end, true));
    }

    fn push_item(&mut self, item: Item) {
        let is_event = matches!(item, Item::Event(_));
        self.0.push_back((item.raw().end, is_event));
    }
}

/// The state of one faulted stream.
pub(crate) struct Shaper {
    faults: Faults,
    rng: SplitMix64,
    /// `None` when no fault needs events, or after the parser refused the stream.
    parser: Option<Parser>,
    boundaries: Boundaries,
    /// Input bytes not yet written, and the stream offset of the first.
    pending: Vec<u8>,
    pending_start: u64,
    events: u64,
    /// Bytes written so far (for `--cut bytes:N`).
    written: u64,
    lines: LineState,
    started: bool,
    done: bool,
}

impl Shaper {
    pub(crate) fn new(faults: &Faults) -> Self {
        Self {
            faults: faults.clone(),
            rng: SplitMix64::new(faults.seed.unwrap_or(0)),
            parser: faults.works_on_events().then(Parser::default),
            boundaries: Boundaries::default(),
            pending: Vec::new(),
            pending_start: 0,
            events: 0,
            written: 0,
            lines: LineState::default(),
            started: false,
            done: false,
        }
    }

    /// The generator, shared with the split of the writes.
    pub(crate) fn rng(&mut self) -> &mut SplitMix64 {
        &mut self.rng
    }

    /// Whether the stream has ended (nothing more is written).
    pub(crate) fn is_done(&self) -> bool {
        self.done
    }

    /// One read of the input.
    pub(crate) fn feed(&mut self, read: &Bytes, out: &mut Vec<Step>) {
        self.start(out);
        if self.done {
            return;
        }
        let Some(parser) = &mut self.parser else {
            self.write(read.clone(), out);
            return;
        };
        if parser.feed_bytes(read, &mut self.boundaries).is_err() {
            // An event too large to parse: the rest goes through untouched.
            self.parser = None;
            let rest = std::mem::take(&mut self.pending);
            self.write(Bytes::from(rest), out);
            self.write(read.clone(), out);
            return;
        }
        self.pending.extend_from_slice(read);
        self.take_blocks(false, out);
    }

    /// The input ended: what is left is written (an incomplete block as it
    /// is) and the stream ends, with a reset when `--reset` is given without
    /// a `--cut` (with one, the reset is the cut's, and a stream that ends
    /// before the cut ends cleanly).
    pub(crate) fn finish(&mut self, out: &mut Vec<Step>) {
        self.start(out);
        if self.done {
            return;
        }
        self.take_blocks(true, out);
        if !self.done && !self.pending.is_empty() {
            let rest = std::mem::take(&mut self.pending);
            let rest = lines::corrupt(&rest, None, &self.faults, &mut self.lines);
            self.write(Bytes::from(rest), out);
        }
        if !self.done {
            self.done = true;
            // `--reset` replaces a cut's close; without a cut, the end's.
            let reset = self.faults.reset && self.faults.cut.is_none();
            out.push(Step::End(if reset {
                Ending::Reset
            } else {
                Ending::Upstream
            }));
        }
    }

    /// What comes before the first byte: the `retry:` of `--set-retry`, or
    /// the end of a cut after zero events or bytes.
    fn start(&mut self, out: &mut Vec<Step>) {
        if self.started {
            return;
        }
        self.started = true;
        if matches!(self.faults.cut, Some(Cut::Events(0) | Cut::Bytes(0))) {
            self.end(out);
            return;
        }
        if let Some(ms) = self.faults.set_retry {
            let retry = format!("retry: {ms}\n\n");
            let retry = lines::corrupt(retry.as_bytes(), None, &self.faults, &mut self.lines);
            self.write(Bytes::from(retry), out);
        }
    }

    /// The blocks whose end is known, each written with its faults. At the
    /// input's end a CR last is a whole line ending.
    fn take_blocks(&mut self, at_end: bool, out: &mut Vec<Step>) {
        while let Some(&(lines_end, is_event)) = self.boundaries.0.front() {
            let at =
                usize::try_from(lines_end.saturating_sub(self.pending_start)).unwrap_or(usize::MAX);
            let end = match (self.pending.get(at), self.pending.get(at + 1)) {
                (Some(b'\r'), Some(b'\n')) => at + 2,
                (Some(b'\r'), None) if !at_end => return,
                (Some(b'\r' | b'\n'), _) => at + 1,
                (Some(_), _) => at,
                (None, _) if at_end => self.pending.len(),
                (None, _) => return,
            };
            self.boundaries.0.pop_front();
            let block: Vec<u8> = self.pending.drain(..end).collect();
            self.pending_start += end as u64;
            self.block(&block, is_event, out);
            if self.done {
                return;
            }
        }
    }

    /// One block, with every fault that concerns it.
    fn block(&mut self, block: &[u8], is_event: bool, out: &mut Vec<Step>) {
        let event = is_event.then(|| {
            self.events += 1;
            self.events
        });
        if let (Some(_), Some(delay)) = (event, self.faults.delay) {
            let ms = self.rng.between(delay.min_ms, delay.max_ms);
            out.push(Step::Wait(Duration::from_millis(ms)));
        }
        let block = lines::corrupt(block, event, &self.faults, &mut self.lines);
        let Some(k) = event else {
            self.write(Bytes::from(block), out);
            return;
        };
        if self.faults.cut == Some(Cut::MidEvent(k)) {
            let middle = lines::middle(&block);
            self.write(Bytes::from(block).slice(..middle), out);
            self.end(out);
            return;
        }
        self.write(Bytes::from(block), out);
        if self.done {
            return;
        }
        if let Some(stall) = self.faults.stall.filter(|s| s.after_event == k) {
            out.push(Step::Wait(stall.pause));
        }
        if self.faults.cut == Some(Cut::Events(k)) {
            self.end(out);
        }
    }

    /// Writes `bytes`, up to where `--cut bytes:N` ends the stream.
    fn write(&mut self, bytes: Bytes, out: &mut Vec<Step>) {
        if self.done || bytes.is_empty() {
            return;
        }
        if let Some(Cut::Bytes(n)) = self.faults.cut {
            let left = n.saturating_sub(self.written);
            if bytes.len() as u64 >= left {
                let left = left as usize;
                if left > 0 {
                    out.push(Step::Write(bytes.slice(..left)));
                }
                self.written = n;
                self.end(out);
                return;
            }
        }
        self.written += bytes.len() as u64;
        out.push(Step::Write(bytes));
    }

    /// The end a cut asks for: a clean close, or a reset with `--reset`.
    fn end(&mut self, out: &mut Vec<Step>) {
        self.done = true;
        out.push(Step::End(if self.faults.reset {
            Ending::Reset
        } else {
            Ending::Cut
        }));
    }
}
