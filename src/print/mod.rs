//! `ssetui print`: the headless client. Events go to stdout as NDJSON (or the
//! raw body with `--raw`), state changes to stderr with `-v`.
//!
//! The NDJSON line is the one schema the project writes and reads back:
//! `{"event","data","id","seq","attempt","time"[,"retry"]}`.

mod line_buffer;
pub mod transcript;
mod verbose;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Instant, SystemTime};

use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;

use crate::capture::CaptureWriter;
use crate::cli::PrintArgs;
use crate::config::Startup;
use crate::insight::diagnose::Diagnostics;
use crate::insight::jq::Query;
use crate::insight::llm::{ContentPath, Transcript};
use crate::sse::{self, Chunk, CloseReason, ConnMsg, ErrorKind, StreamItem};
use crate::text::{self, one_line};
use line_buffer::LineBuffer;
use transcript::TranscriptPrinter;
use verbose::{close_text, verbose};

/// The exit statuses `print` documents.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    // Ended by a signal: 128 + its number, as a shell reports it
    // (`shutdown::Reason::exit_status`): 130 SIGINT, 143 SIGTERM, 129 SIGHUP.
}

/// Print's default for consecutive failed attempts: a script should not hang forever.
const DEFAULT_MAX_RETRIES: u32 = 5;
/// How many messages may wait between the engine and the printer. Each is a
/// whole read (up to tens of KiB) with its parsed events, so a deep queue only
/// adds memory when the printer is the slower side: 16 keeps peak RSS small
/// while still letting the engine read ahead.
const CHANNEL_CAPACITY: usize = 16;

/// Runs `ssetui print` to completion and returns its exit status. A config
/// file that cannot be used is an error (exit 2), as its settings and
/// profiles would silently be missing otherwise.
pub fn main(args: PrintArgs, config: Startup) -> ExitCode {
    crate::allocator::keep_freed_memory();
    for warning in &config.warnings {
        eprintln!("ssetui: warning: {}", one_line(warning));
    }
    if let Some(err) = &config.error {
        eprintln!("ssetui: {}", one_line(err));
        return ExitCode::from(exit::USAGE);
    }
    let spec = match args
        .request
        .to_sendable(config.file.as_ref(), Some(DEFAULT_MAX_RETRIES))
    {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("ssetui: {}", one_line(err));
            return ExitCode::from(exit::USAGE);
        }
    };
    if spec.transport.insecure {
        eprintln!("ssetui: warning: --insecure: the server's certificate is not verified");
    }
    let recorder = match &args.record {
        Some(path) => match CaptureWriter::create(path, &spec, args.record_secrets) {
            Ok(writer) => Some(Recorder {
                writer,
                path: path.display().to_string(),
            }),
            Err(err) => {
                eprintln!(
                    "ssetui: cannot create {}: {}",
                    one_line(path.display()),
                    one_line(err)
                );
                return ExitCode::from(exit::FAILED);
            }
        },
        None => None,
    };
    let runtime = match crate::runtime::build_current_thread() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let transcript = if args.transcript {
        let path = match args.transcript_path.as_deref().map(ContentPath::parse) {
            None => None,
            Some(Ok(path)) => Some(path),
            Some(Err(err)) => {
                eprintln!("ssetui: --transcript-path: {}", one_line(err));
                return ExitCode::from(exit::USAGE);
            }
        };
        // Escape sequences in a model's answer must not drive the terminal.
        let neutralise = io::stdout().is_terminal();
        Some(TranscriptPrinter::new(
            io::stdout(),
            Transcript::with_path(path),
            neutralise,
        ))
    } else {
        None
    };
    let compile = |flag: &str, expr: &Option<String>| match expr.as_deref().map(Query::compile) {
        None => Ok(None),
        Some(Ok(query)) => Ok(Some(query)),
        Some(Err(err)) => Err(format!("ssetui: {flag}: {}", one_line(err))),
    };
    let (filter, extract) = match (
        compile("--filter", &args.filter),
        compile("--extract", &args.extract),
    ) {
        (Ok(filter), Ok(extract)) => (filter, extract),
        (Err(err), _) | (_, Err(err)) => {
            eprintln!("{err}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
    // The exit status of the signal that stopped the stream, 0 while none did.
    let signalled = Arc::new(AtomicU8::new(0));
    let handle = {
        let _guard = runtime.enter();
        let handle = sse::spawn(spec, tx);
        let cancel = handle.cancel_token();
        let flag = signalled.clone();
        // SIGINT, SIGTERM and SIGHUP stop the connection, so its `Closed`
        // reaches the capture and stdout is flushed before the exit (128 + the signal).
        let mut shutdown = crate::shutdown::Shutdown::listen();
        runtime.spawn(async move {
            let reason = shutdown.requested().await;
            flag.store(reason.exit_status(), Ordering::SeqCst);
            cancel.cancel();
        });
        handle
    };
    let stdout = io::stdout();
    // `--raw` writes the body's exact bytes, but never to a terminal.
    let raw_on_terminal = (args.raw && stdout.is_terminal()).then(text::TerminalBytes::default);
    let mut printer = Printer {
        out: LineBuffer::new(stdout.lock()),
        raw: args.raw,
        raw_on_terminal,
        verbose: args.verbose,
        max_events: args.max_events,
        events: 0,
        recorder,
        transcript,
        diagnostics: args.diagnose.then(Diagnostics::new),
        filter,
        extract,
    };
    let mut status = runtime.block_on(printer.consume(rx));
    // After an interrupt too: what was seen so far is worth the summary.
    if let Some(transcript) = &mut printer.transcript {
        match transcript.finish() {
            Ok(summary) => eprintln!("ssetui: {}", one_line(summary)),
            Err(err) => status = write_failure(&err),
        }
    }
    if let Some(diagnostics) = &printer.diagnostics {
        eprint!("{}", text::multi_line(diagnostics.report()));
    }
    handle.stop();
    drop(handle);
    runtime.shutdown_background();
    match signalled.load(Ordering::SeqCst) {
        0 => ExitCode::from(status),
        by_signal => ExitCode::from(by_signal),
    }
}

struct Printer<W: Write> {
    out: LineBuffer<W>,
    raw: bool,
    /// `--raw` with stdout a terminal: the bytes neutralised on the way.
    raw_on_terminal: Option<text::TerminalBytes>,
    verbose: bool,
    max_events: Option<u64>,
    events: u64,
    /// `--record FILE`: every message is written there before it is printed.
    recorder: Option<Recorder>,
    /// `--transcript`: the assembled answer instead of NDJSON. It writes to
    /// stdout itself (the lock `out` holds is re-entrant: one thread).
    transcript: Option<TranscriptPrinter<io::Stdout>>,
    /// `--diagnose`: fed every message, reported at the end.
    diagnostics: Option<Diagnostics>,
    /// `--filter`: only the events it holds for are printed (and counted).
    filter: Option<Query>,
    /// `--extract`: its value goes in each line's `value`.
    extract: Option<Query>,
}

/// The capture file `--record` writes, and its name for error messages.
struct Recorder {
    writer: CaptureWriter,
    path: String,
}

/// What handling one message decided.
enum Flow {
    Continue,
    Exit(u8),
}

impl<W: Write> Printer<W> {
    /// Handles messages until the connection closes; flushes whenever no more
    /// input is waiting, so each event reaches a pipe promptly.
    async fn consume(&mut self, mut rx: mpsc::Receiver<ConnMsg>) -> u8 {
        let mut next = rx.recv().await;
        while let Some(msg) = next {
            match self.handle(msg) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Exit(status)) => return self.finish(status),
                Err(err) => return write_failure(&err),
            }
            next = match rx.try_recv() {
                Ok(msg) => Some(msg),
                Err(TryRecvError::Empty) => {
                    let flushed = match &mut self.transcript {
                        Some(transcript) => transcript.flush(),
                        None => self.out.flush(),
                    };
                    if let Err(err) = flushed {
                        return write_failure(&err);
                    }
                    rx.recv().await
                }
                Err(TryRecvError::Disconnected) => None,
            };
        }
        self.finish(exit::FAILED)
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
            eprintln!(
                "ssetui: cannot write to {}: {}",
                one_line(&recorder.path),
                one_line(err)
            );
            return Ok(Flow::Exit(exit::FAILED));
        }
        if self.verbose && !matches!(msg, ConnMsg::Data(_)) {
            // Events already parsed go out before the state line that follows
            // them, so a terminal showing both reads in order.
            self.out.flush()?;
        }
        match msg {
            ConnMsg::Data(chunk) => return self.chunk(&chunk),
            ConnMsg::Closed { reason } => return Ok(Flow::Exit(self.closed(&reason))),
            other if self.verbose => verbose(&other),
            _ => {}
        }
        Ok(Flow::Continue)
    }

    fn chunk(&mut self, chunk: &Chunk) -> io::Result<Flow> {
        let mut time = None;
        for item in &chunk.items {
            match item {
                StreamItem::Event { seq, event } => {
                    if self.filter.as_ref().is_some_and(|q| !q.holds(&event.data)) {
                        continue;
                    }
                    if let Some(transcript) = &mut self.transcript {
                        transcript.push(event.event_type(), &event.data, chunk.received_at)?;
                    } else if !self.raw {
                        // One time per read, escaped once: every event in it was received at once.
                        let time = time.get_or_insert_with(|| {
                            crate::capture::ndjson::json_string(&rfc3339(chunk.received_at))
                        });
                        let value = self.extract.as_ref().map(|q| q.extract(&event.data));
                        crate::capture::ndjson::write_event(
                            &mut self.out,
                            event,
                            *seq,
                            chunk.attempt,
                            time,
                            value.as_ref().map(Option::as_deref),
                        )?;
                        self.out.line_ended()?;
                    }
                    self.events += 1;
                    if self.max_events.is_some_and(|max| self.events >= max) {
                        if self.raw {
                            // The bytes up to this event's blank line, not those of later events in the read.
                            let end = event.raw.end.saturating_sub(chunk.offset) as usize;
                            self.write_raw(&chunk.bytes[..block_end(&chunk.bytes, end)]);
                        }
                        if self.verbose {
                            eprintln!("* reached --max-events {}", self.events);
                        }
                        return Ok(Flow::Exit(exit::OK));
                    }
                }
                StreamItem::Block(block) if self.verbose => {
                    if let Some(comment) = &block.comment {
                        eprintln!("* comment: {}", one_line(comment));
                    }
                    if let Some(ms) = block.retry_ms {
                        eprintln!("* retry: {ms} ms");
                    }
                    if let Some(id) = &block.id {
                        eprintln!("* id: {}", text::quote(id));
                    }
                }
                StreamItem::Block(_) => {}
            }
        }
        if self.raw {
            self.write_raw(&chunk.bytes);
            self.out.line_ended()?;
        }
        Ok(Flow::Continue)
    }

    /// `--raw`: the bytes as received, neutralised when stdout is a terminal.
    fn write_raw(&mut self, bytes: &[u8]) {
        match &mut self.raw_on_terminal {
            Some(shown) => shown.push(bytes, &mut self.out.buf),
            None => self.out.buf.extend_from_slice(bytes),
        }
    }

    fn closed(&self, reason: &CloseReason) -> u8 {
        match reason {
            CloseReason::Ended | CloseReason::NoContent | CloseReason::Stopped => {
                if self.verbose {
                    eprintln!("* closed: {}", one_line(close_text(reason)));
                }
                exit::OK
            }
            CloseReason::Failed(err) => {
                eprintln!("ssetui: {}", one_line(err));
                // A request that cannot be built is bad arguments or configuration
                // (a header name, a certificate file, a proxy URL), not a failed connection.
                if err.kind == ErrorKind::Request {
                    exit::USAGE
                } else {
                    exit::FAILED
                }
            }
            CloseReason::RetriesExhausted { attempts, last } => {
                eprintln!(
                    "ssetui: gave up after {attempts} attempts: {}",
                    one_line(last)
                );
                exit::FAILED
            }
        }
    }
}

/// Where the blank line after a block whose lines end at `end` ends: CRLF, CR or LF.
fn block_end(bytes: &[u8], end: usize) -> usize {
    match bytes.get(end..) {
        Some([b'\r', b'\n', ..]) => end + 2,
        Some([b'\r' | b'\n', ..]) => end + 1,
        _ => end.min(bytes.len()),
    }
}

/// A write error ends the program: quietly with 0 when the reader went away
/// (`| head -n 3`), otherwise with a message.
fn write_failure(err: &io::Error) -> u8 {
    if err.kind() == io::ErrorKind::BrokenPipe {
        return exit::OK;
    }
    eprintln!("ssetui: cannot write to stdout: {}", one_line(err));
    exit::FAILED
}

fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_block_ends_after_its_blank_line_whatever_its_line_ending() {
        let crlf = b"data: a\r\n\r\ndata: b\r\n\r\n";
        assert_eq!(block_end(crlf, 9), 11);
        let cr = b"data: a\r\rdata: b\r\r";
        assert_eq!(block_end(cr, 8), 9);
        let lf = b"data: a\n\ndata: b\n\n";
        assert_eq!(block_end(lf, 8), 9);
        // A read that ends at the block's last line: nothing more to take.
        assert_eq!(block_end(lf, lf.len()), lf.len());
        assert_eq!(block_end(lf, lf.len() + 5), lf.len());
    }

    #[test]
    fn a_reader_gone_away_is_a_quiet_success() {
        let gone = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(write_failure(&gone), exit::OK);
        let full = io::Error::other("disk full");
        assert_eq!(write_failure(&full), exit::FAILED);
    }
}
