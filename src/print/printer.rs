//! The printer: what `print` does with each message of the connection, and
//! with each event.
//!
//! It runs on the connection's own task ([`sse::run_inline`](crate::sse::run_inline)).
//! Unless a reader of whole messages needs them kept (`--diagnose`,
//! `--transcript`), a read's events are printed in place as the parser
//! dispatches them: each NDJSON line is written from the read's own bytes,
//! with no event made, sent or dropped on the way. What many lines share
//! is written once ([`LineWriter`]).

use std::future::Future;
use std::io::{self, Write};
use std::time::{Instant, SystemTime};

use crate::capture::CaptureWriter;
use crate::capture::ndjson::{self, EventText, LineWriter};
use crate::insight::diagnose::Diagnostics;
use crate::insight::jq::Query;
use crate::sse::{
    Chunk, CloseReason, ConnMsg, Consumer, Dispatched, ErrorKind, EventSink, StreamItem,
};
use crate::stdout::{log, stderr};
use crate::text::{self, one_line};

use super::line_buffer::LineBuffer;
use super::transcript::TranscriptPrinter;
use super::validation::Validation;
use super::verbose::{close_text, verbose};
use super::{block_end, exit, write_failure};

/// The command line's say in how events are printed.
pub(super) struct Options {
    pub(super) raw: bool,
    pub(super) raw_on_terminal: Option<text::TerminalBytes>,
    pub(super) verbose: bool,
    pub(super) max_events: Option<u64>,
    /// Print events as the parser dispatches them (see the module's doc).
    pub(super) in_place: bool,
}

pub(super) struct Printer<W: Write> {
    out: LineBuffer<W>,
    raw: bool,
    /// `--raw` with stdout a terminal: the bytes neutralised on the way.
    raw_on_terminal: Option<text::TerminalBytes>,
    verbose: bool,
    max_events: Option<u64>,
    events: u64,
    in_place: bool,
    /// `--record FILE`: every message is written there before it is printed.
    pub(super) recorder: Option<Recorder>,
    /// `--transcript`: the assembled answer instead of NDJSON. It writes to
    /// stdout itself (the lock `out` holds is re-entrant: one thread).
    pub(super) transcript: Option<TranscriptPrinter<io::Stdout>>,
    /// `--diagnose`: fed every message, reported at the end.
    pub(super) diagnostics: Option<Diagnostics>,
    /// `--filter`: only the events it holds for are printed (and counted).
    pub(super) filter: Option<Query>,
    /// `--extract`: its value goes in each line's `value`.
    pub(super) extract: Option<Query>,
    /// `--validate`: each line ends with its event's verdict.
    pub(super) validation: Option<Validation>,
    /// The NDJSON lines, the current read's attempt and time written once.
    lines: LineWriter,
    received_at: SystemTime,
    /// Where the current read's lines begin in `out`: lines printed in
    /// place come before their read is recorded, and are dropped if it
    /// cannot be.
    read_start: usize,
    /// `--max-events` was reached: where the last event printed ends (a
    /// stream offset). Later events are not printed.
    last_event_end: Option<u64>,
    /// How printing ends, once that is decided.
    end: Option<End>,
}

/// The capture file `--record` writes, and its name for error messages.
pub(super) struct Recorder {
    pub(super) writer: CaptureWriter,
    pub(super) path: String,
}

/// What handling one message decided.
enum Flow {
    Continue,
    Exit(u8),
}

/// How printing ends.
#[derive(Debug, Clone, Copy)]
enum End {
    /// With this status, once what is buffered is written.
    Finish(u8),
    /// With this status at once: writing to stdout failed.
    WriteFailed(u8),
}

impl<W: Write> Printer<W> {
    pub(super) fn new(out: LineBuffer<W>, options: Options) -> Self {
        Self {
            out,
            raw: options.raw,
            raw_on_terminal: options.raw_on_terminal,
            verbose: options.verbose,
            max_events: options.max_events,
            events: 0,
            in_place: options.in_place,
            recorder: None,
            transcript: None,
            diagnostics: None,
            filter: None,
            extract: None,
            validation: None,
            lines: LineWriter::default(),
            received_at: SystemTime::UNIX_EPOCH,
            read_start: 0,
            last_event_end: None,
            end: None,
        }
    }

    /// The connection closed (or stopped once the printer wanted no more):
    /// handles its close as the last message, writes what is buffered, and
    /// gives the exit status.
    pub(super) fn closed(&mut self, reason: CloseReason) -> u8 {
        self.take_msg(ConnMsg::Closed { reason });
        match self.end {
            Some(End::Finish(status)) => self.finish(status),
            Some(End::WriteFailed(status)) => status,
            None => self.finish(exit::FAILED),
        }
    }

    /// Handles one message; false once printing is over.
    fn take_msg(&mut self, msg: ConnMsg) -> bool {
        if self.end.is_some() {
            return false;
        }
        match self.handle(msg) {
            Ok(Flow::Continue) => return true,
            Ok(Flow::Exit(status)) => self.end = Some(End::Finish(status)),
            Err(err) => self.end = Some(End::WriteFailed(write_failure(&err))),
        }
        false
    }

    fn finish(&mut self, status: u8) -> u8 {
        if let Some(shown) = &mut self.raw_on_terminal {
            // A character the stream left unfinished is shown, not dropped.
            shown.finish(&mut self.out.buf);
        }
        match self.out.flush() {
            Ok(()) => status,
            Err(err) => write_failure(&err),
        }
    }

    fn handle(&mut self, msg: ConnMsg) -> io::Result<Flow> {
        if let Some(diagnostics) = &mut self.diagnostics {
            let at = crate::insight::stats::arrival(&msg, Instant::now(), SystemTime::now());
            diagnostics.observe(&msg, at);
        }
        if let Some(transcript) = &mut self.transcript {
            if let ConnMsg::Connecting { attempt: 1, .. } = msg {
                transcript.set_started(SystemTime::now());
            }
            transcript.note_conn_msg(&msg);
        }
        if let Some(recorder) = &mut self.recorder
            && let Err(err) = recorder.writer.record(&msg)
        {
            // Events printed without their recording would be a silent gap in the capture.
            log(&format!("cannot write to {}: {err}", recorder.path));
            if self.in_place && matches!(msg, ConnMsg::Data(_)) {
                self.out.buf.truncate(self.read_start);
            }
            return Ok(Flow::Exit(exit::FAILED));
        }
        if self.verbose && !matches!(msg, ConnMsg::Data(_)) {
            // Events already parsed go out before the state line that follows
            // them, so a terminal showing both reads in order.
            self.out.flush()?;
        }
        match msg {
            ConnMsg::Data(chunk) => return self.chunk(&chunk),
            ConnMsg::Closed { reason } => return Ok(Flow::Exit(self.close_status(&reason))),
            // What a login needs of the user: shown with or without -v.
            notice @ ConnMsg::AuthNotice { .. } => verbose(&notice),
            other if self.verbose => verbose(&other),
            _ => {}
        }
        // A state change: a wait may follow (a reconnect's delay, a response
        // head), so what was printed goes out now.
        self.flush()?;
        Ok(Flow::Continue)
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transcript {
            Some(transcript) => transcript.flush(),
            None => self.out.flush(),
        }
    }

    /// The events of one read begin: received at `received_at`, in attempt `attempt`.
    fn start_read(&mut self, attempt: u32, received_at: SystemTime) {
        self.lines
            .start_read(attempt, &ndjson::time_json(received_at));
        self.received_at = received_at;
        self.read_start = self.out.buf.len();
    }

    /// One read: its events when they were kept (in place, they are
    /// printed already), its blocks with `-v`, its bytes with `--raw`.
    fn chunk(&mut self, chunk: &Chunk) -> io::Result<Flow> {
        if !self.in_place {
            self.start_read(chunk.attempt, chunk.received_at);
        }
        for item in &chunk.items {
            match item {
                StreamItem::Event { seq, event } => {
                    if self.last_event_end.is_none() {
                        self.print_event(*seq, &EventText::from(event), event.raw.end)?;
                    }
                }
                StreamItem::Block(block)
                    if self.verbose
                        && self.last_event_end.is_none_or(|end| block.raw.start < end) =>
                {
                    if let Some(comment) = &block.comment {
                        stderr(&format!("* comment: {}\n", one_line(comment)));
                    }
                    if let Some(ms) = block.retry_ms {
                        stderr(&format!("* retry: {ms} ms\n"));
                    }
                    if let Some(id) = &block.id {
                        stderr(&format!("* id: {}\n", text::quote(id)));
                    }
                }
                StreamItem::Block(_) => {}
            }
        }
        if let Some(end) = self.last_event_end {
            if self.raw {
                // The bytes up to this event's blank line, not those of later events in the read.
                let end = end.saturating_sub(chunk.offset) as usize;
                self.write_raw(&chunk.bytes[..block_end(&chunk.bytes, end)]);
            }
            if self.verbose {
                stderr(&format!("* reached --max-events {}\n", self.events));
            }
            return Ok(Flow::Exit(exit::OK));
        }
        if self.raw {
            self.write_raw(&chunk.bytes);
        }
        self.out.line_ended()?;
        Ok(Flow::Continue)
    }

    /// Prints one event (unless `--filter` holds it back) and counts it;
    /// `end` is where its lines end in the stream.
    #[inline]
    fn print_event(&mut self, seq: u64, event: &EventText<'_>, end: u64) -> io::Result<()> {
        if self.filter.as_ref().is_some_and(|q| !q.holds(event.data)) {
            return Ok(());
        }
        if let Some(transcript) = &mut self.transcript {
            transcript.push(event.event_type, event.data, self.received_at)?;
        } else if !self.raw {
            let value = self.extract.as_ref().map(|q| q.extract(event.data));
            let tail = match &mut self.validation {
                Some(validation) => validation.tail(event),
                None => b"",
            };
            self.lines.write_with_tail(
                &mut self.out,
                event,
                seq,
                value.as_ref().map(Option::as_deref),
                tail,
            )?;
        }
        self.events += 1;
        if self.max_events.is_some_and(|max| self.events >= max) {
            self.last_event_end = Some(end);
        }
        Ok(())
    }

    /// Whether anything but the NDJSON writer reads an event's data.
    fn reads_data(&self) -> bool {
        self.raw
            || self.filter.is_some()
            || self.transcript.is_some()
            || self.extract.is_some()
            || self.validation.is_some()
    }

    /// `--raw`: the bytes as received, neutralised when stdout is a terminal.
    fn write_raw(&mut self, bytes: &[u8]) {
        match &mut self.raw_on_terminal {
            Some(shown) => shown.push(bytes, &mut self.out.buf),
            None => self.out.buf.extend_from_slice(bytes),
        }
    }

    fn close_status(&self, reason: &CloseReason) -> u8 {
        match reason {
            CloseReason::Ended | CloseReason::NoContent | CloseReason::Stopped => {
                if self.verbose {
                    stderr(&format!("* closed: {}\n", one_line(close_text(reason))));
                }
                exit::OK
            }
            CloseReason::Failed(err) => {
                log(&err.to_string());
                // A request that cannot be built is bad arguments or configuration
                // (a header name, a certificate file, a proxy URL), not a failed connection.
                if err.kind == ErrorKind::Request {
                    exit::USAGE
                } else {
                    exit::FAILED
                }
            }
            CloseReason::RetriesExhausted { attempts, last } => {
                log(&format!("gave up after {attempts} attempts: {last}"));
                exit::FAILED
            }
        }
    }
}

impl<W: Write> EventSink for Printer<W> {
    fn event(&mut self, seq: u64, event: &Dispatched<'_>) {
        if self.end.is_some() || self.last_event_end.is_some() {
            return;
        }
        let mut text = EventText::written_out(event);
        if text.data_pieces.is_some() && self.reads_data() {
            // Data in pieces is joined only for what reads it as one string.
            text = EventText::from(event);
        }
        if let Err(err) = self.print_event(seq, &text, event.raw().end) {
            self.end = Some(End::WriteFailed(write_failure(&err)));
        }
    }
}

impl<W: Write> Consumer for &mut Printer<W> {
    fn take(&mut self, msg: ConnMsg) -> impl Future<Output = bool> + Send {
        std::future::ready(self.take_msg(msg))
    }

    fn events_in_place(
        &mut self,
        attempt: u32,
        received_at: SystemTime,
    ) -> Option<&mut dyn EventSink> {
        if !self.in_place {
            return None;
        }
        self.start_read(attempt, received_at);
        Some(&mut **self)
    }

    /// Flushes, so each event reaches a pipe as soon as no more input is waiting.
    fn caught_up(&mut self) {
        if self.end.is_some() {
            return;
        }
        if let Err(err) = self.flush() {
            self.end = Some(End::WriteFailed(write_failure(&err)));
        }
    }
}
