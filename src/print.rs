//! `ssetui print`: the headless client. Events go to stdout as NDJSON (or the
//! raw body with `--raw`), state changes to stderr with `-v`.
//!
//! The NDJSON line is the one schema the project writes and reads back:
//! `{"event","data","id","seq","attempt","time"[,"retry"]}`.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::SystemTime;

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;

use crate::capture::CaptureWriter;
use crate::cli::PrintArgs;
use crate::config::Startup;
use crate::sse::{self, Chunk, CloseReason, ConnMsg, ErrorKind, StreamItem};

/// The exit statuses `print` documents.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INTERRUPTED: u8 = 130;
}

/// Print's default for consecutive failed attempts: a script should not hang forever.
const DEFAULT_MAX_RETRIES: u32 = 5;
/// How many messages may wait between the engine and the printer.
const CHANNEL_CAPACITY: usize = 256;
const STDOUT_BUFFER_BYTES: usize = 64 * 1024;

/// One event as written to stdout.
#[derive(Debug, Serialize)]
pub struct EventLine<'a> {
    pub event: &'a str,
    pub data: &'a str,
    pub id: &'a str,
    pub seq: u64,
    pub attempt: u32,
    /// Receive time, RFC 3339 with milliseconds, UTC.
    pub time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<u64>,
}

/// Runs `ssetui print` to completion and returns its exit status. A config
/// file that cannot be used is an error (exit 2), as its settings and
/// profiles would silently be missing otherwise.
pub fn main(args: PrintArgs, config: Startup) -> ExitCode {
    for warning in &config.warnings {
        eprintln!("ssetui: warning: {warning}");
    }
    if let Some(err) = &config.error {
        eprintln!("ssetui: {err}");
        return ExitCode::from(exit::USAGE);
    }
    let spec = match args
        .request
        .to_spec_with_config(config.file.as_ref(), Some(DEFAULT_MAX_RETRIES))
    {
        Ok(spec) => spec,
        Err(err) => {
            eprintln!("ssetui: {err}");
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
                eprintln!("ssetui: cannot create {}: {err}", path.display());
                return ExitCode::from(exit::FAILED);
            }
        },
        None => None,
    };
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
    let interrupted = Arc::new(AtomicBool::new(false));
    let handle = {
        let _guard = runtime.enter();
        let handle = sse::spawn(spec, tx);
        let cancel = handle.cancel_token();
        let flag = interrupted.clone();
        runtime.spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                flag.store(true, Ordering::SeqCst);
                cancel.cancel();
            }
        });
        handle
    };
    let stdout = io::stdout();
    let mut printer = Printer {
        out: BufWriter::with_capacity(STDOUT_BUFFER_BYTES, stdout.lock()),
        raw: args.raw,
        verbose: args.verbose,
        max_events: args.max_events,
        events: 0,
        recorder,
    };
    let status = printer.consume(rx);
    handle.stop();
    drop(handle);
    runtime.shutdown_background();
    if interrupted.load(Ordering::SeqCst) {
        return ExitCode::from(exit::INTERRUPTED);
    }
    ExitCode::from(status)
}

struct Printer<W: Write> {
    out: W,
    raw: bool,
    verbose: bool,
    max_events: Option<u64>,
    events: u64,
    /// `--record FILE`: every message is written there before it is printed.
    recorder: Option<Recorder>,
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
    fn consume(&mut self, mut rx: mpsc::Receiver<ConnMsg>) -> u8 {
        let mut next = rx.blocking_recv();
        while let Some(msg) = next {
            match self.handle(msg) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Exit(status)) => return self.finish(status),
                Err(err) => return write_failure(&err),
            }
            next = match rx.try_recv() {
                Ok(msg) => Some(msg),
                Err(TryRecvError::Empty) => {
                    if let Err(err) = self.out.flush() {
                        return write_failure(&err);
                    }
                    rx.blocking_recv()
                }
                Err(TryRecvError::Disconnected) => None,
            };
        }
        self.finish(exit::FAILED)
    }

    fn finish(&mut self, status: u8) -> u8 {
        match self.out.flush() {
            Ok(()) => status,
            Err(err) => write_failure(&err),
        }
    }

    fn handle(&mut self, msg: ConnMsg) -> io::Result<Flow> {
        if let Some(recorder) = &mut self.recorder
            && let Err(err) = recorder.writer.record(&msg)
        {
            // Events printed without their recording would be a silent gap in the capture.
            eprintln!("ssetui: cannot write to {}: {err}", recorder.path);
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
                    if !self.raw {
                        let time = time.get_or_insert_with(|| rfc3339(chunk.received_at));
                        let line = EventLine {
                            event: event.event_type(),
                            data: &event.data,
                            id: &event.id,
                            seq: *seq,
                            attempt: chunk.attempt,
                            time: time.clone(),
                            retry: event.retry_ms,
                        };
                        serde_json::to_writer(&mut self.out, &line)?;
                        self.out.write_all(b"\n")?;
                    }
                    self.events += 1;
                    if self.max_events.is_some_and(|max| self.events >= max) {
                        if self.raw {
                            // The bytes up to this event's blank line, not those of later events in the read.
                            let end = event.raw.end.saturating_sub(chunk.offset) as usize;
                            self.out
                                .write_all(&chunk.bytes[..block_end(&chunk.bytes, end)])?;
                        }
                        if self.verbose {
                            eprintln!("* reached --max-events {}", self.events);
                        }
                        return Ok(Flow::Exit(exit::OK));
                    }
                }
                StreamItem::Block(block) if self.verbose => {
                    if let Some(comment) = &block.comment {
                        eprintln!("* comment: {comment}");
                    }
                    if let Some(ms) = block.retry_ms {
                        eprintln!("* retry: {ms} ms");
                    }
                    if let Some(id) = &block.id {
                        eprintln!("* id: {id:?}");
                    }
                }
                StreamItem::Block(_) => {}
            }
        }
        if self.raw {
            self.out.write_all(&chunk.bytes)?;
        }
        Ok(Flow::Continue)
    }

    fn closed(&self, reason: &CloseReason) -> u8 {
        match reason {
            CloseReason::Ended | CloseReason::NoContent | CloseReason::Stopped => {
                if self.verbose {
                    eprintln!("* closed: {}", close_text(reason));
                }
                exit::OK
            }
            CloseReason::Failed(err) => {
                eprintln!("ssetui: {err}");
                // A request that cannot be built is bad arguments or configuration
                // (a header name, a certificate file, a proxy URL), not a failed connection.
                if err.kind == ErrorKind::Request {
                    exit::USAGE
                } else {
                    exit::FAILED
                }
            }
            CloseReason::RetriesExhausted { attempts, last } => {
                eprintln!("ssetui: gave up after {attempts} attempts: {last}");
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
    eprintln!("ssetui: cannot write to stdout: {err}");
    exit::FAILED
}

fn rfc3339(at: SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

fn close_text(reason: &CloseReason) -> String {
    match reason {
        CloseReason::Ended => "the stream ended".into(),
        CloseReason::NoContent => "the server answered 204 No Content: stop reconnecting".into(),
        CloseReason::Stopped => "stopped".into(),
        CloseReason::Failed(err) => err.to_string(),
        CloseReason::RetriesExhausted { attempts, last } => {
            format!("gave up after {attempts} attempts: {last}")
        }
    }
}

/// `-v`: each state change on stderr, curl-like (`>` sent, `<` received, `*` info, `!` error).
fn verbose(msg: &ConnMsg) {
    let mut err = io::stderr().lock();
    let _ = match msg {
        ConnMsg::Connecting { attempt, request } => {
            let mut text = format!(
                "* attempt {attempt}\n> {} {}\n",
                request.method, request.url
            );
            for (name, value) in &request.headers {
                text.push_str(&format!("> {name}: {value}\n"));
            }
            err.write_all(text.as_bytes())
        }
        ConnMsg::Opened { response, .. } => {
            let mut text = String::new();
            for hop in &response.redirects {
                text.push_str(&format!(
                    "* redirect {} {} -> {} ({})\n",
                    hop.status, hop.from, hop.to, hop.method
                ));
            }
            let reason = reqwest::StatusCode::from_u16(response.status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("");
            text.push_str(&format!(
                "< {} {} {reason}\n",
                response.version, response.status
            ));
            for (name, value) in &response.headers {
                text.push_str(&format!("< {name}: {value}\n"));
            }
            text.push_str(&format!(
                "* time to first byte: {} ms\n",
                response.time_to_first_byte.as_millis()
            ));
            err.write_all(text.as_bytes())
        }
        ConnMsg::StreamEnded { discarded, .. } => match discarded {
            Some(range) => writeln!(
                err,
                "* stream ended; an incomplete event of {} bytes was discarded",
                range.end - range.start
            ),
            None => writeln!(err, "* stream ended"),
        },
        ConnMsg::Error { attempt, error } => {
            writeln!(
                err,
                "! attempt {attempt} failed ({}): {error}",
                error.kind.name()
            )
        }
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => {
            let id = if last_event_id.is_empty() {
                "no Last-Event-ID".to_owned()
            } else {
                format!("Last-Event-ID: {last_event_id}")
            };
            writeln!(
                err,
                "* reconnecting in {:.3}s (attempt {next_attempt}, {id})",
                delay.as_secs_f64()
            )
        }
        ConnMsg::Data(_) | ConnMsg::Closed { .. } => Ok(()),
    };
}
