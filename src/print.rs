//! `ssetui print`: the headless client. Events go to stdout as NDJSON (or the
//! raw body with `--raw`), state changes to stderr with `-v`.
//!
//! The NDJSON line is the one schema the project writes and reads back:
//! `{"event","data","id","seq","attempt","time"[,"retry"]}`.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Instant, SystemTime};

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TryRecvError;

use crate::capture::CaptureWriter;
use crate::cli::PrintArgs;
use crate::config::Startup;
use crate::insight::diagnose::Diagnostics;
use crate::insight::jq::Query;
use crate::insight::llm::{ContentPath, Transcript, TranscriptPrinter};
use crate::sse::{self, Chunk, CloseReason, ConnMsg, ErrorKind, StreamItem};
use crate::text::{self, one_line};

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
const STDOUT_BUFFER_BYTES: usize = 64 * 1024;

/// One event as written to stdout. `print` itself writes the same bytes
/// without building one (see [`ndjson`]); the UI's export uses this.
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
    crate::allocator::keep_freed_memory();
    for warning in &config.warnings {
        eprintln!("ssetui: warning: {}", one_line(warning));
    }
    if let Some(err) = &config.error {
        eprintln!("ssetui: {}", one_line(err));
        return ExitCode::from(exit::USAGE);
    }
    // As it is sent: `${env:…}` references (a shell variable in --from-curl) resolved.
    let spec = match args
        .request
        .to_spec_with_config(config.file.as_ref(), Some(DEFAULT_MAX_RETRIES))
        .map_err(|err| err.to_string())
        .and_then(|spec| {
            spec.to_send(&sse::env_ref::process_env)
                .map_err(|err| err.to_string())
        }) {
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
                            ndjson::json_string(&rfc3339(chunk.received_at))
                        });
                        let value = self.extract.as_ref().map(|q| q.extract(&event.data));
                        ndjson::write_event(
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

/// The stdout buffer, handing stdout whole lines only. Rust's stdout is
/// line-buffered: given a block that ends mid-line (as a `BufWriter` flushes
/// them) it searches the block for its last newline, writes up to it and
/// copies the rest aside, costing a second write and a copy per block. Here
/// the buffer is written only where a line has just ended.
struct LineBuffer<W: Write> {
    inner: W,
    buf: Vec<u8>,
}

impl<W: Write> LineBuffer<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(STDOUT_BUFFER_BYTES * 2),
        }
    }

    /// A line (or, with `--raw`, a read) is complete: write the buffer once it is full.
    fn line_ended(&mut self) -> io::Result<()> {
        if self.buf.len() >= STDOUT_BUFFER_BYTES {
            self.write_buffer()?;
        }
        Ok(())
    }

    fn write_buffer(&mut self) -> io::Result<()> {
        let written = self.inner.write_all(&self.buf);
        self.buf.clear();
        // One huge event must not keep its buffer for the rest of the stream.
        if self.buf.capacity() > STDOUT_BUFFER_BYTES * 4 {
            self.buf.shrink_to(STDOUT_BUFFER_BYTES * 2);
        }
        written
    }
}

impl<W: Write> Write for LineBuffer<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    // Inlined so the NDJSON writer's fixed pieces (`,"id":`...) are copied
    // as constants, not through a call per piece.
    #[inline(always)]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_buffer()?;
        self.inner.flush()
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
/// Every value a server, a file or a user gave is neutralised on its line.
fn verbose(msg: &ConnMsg) {
    let mut err = io::stderr().lock();
    let _ = match msg {
        ConnMsg::Connecting { attempt, request } => {
            let mut text = format!(
                "* attempt {attempt}\n> {} {}\n",
                one_line(&request.method),
                one_line(&request.url)
            );
            for (name, value) in &request.headers {
                text.push_str(&format!("> {}: {}\n", one_line(name), one_line(value)));
            }
            err.write_all(text.as_bytes())
        }
        ConnMsg::Opened { response, .. } => err.write_all(response_head(response).as_bytes()),
        ConnMsg::StreamEnded {
            discarded,
            end_marker,
            ..
        } => {
            let mut text = match discarded {
                Some(range) => format!(
                    "* stream ended; an incomplete event of {} bytes was discarded\n",
                    range.end - range.start
                ),
                None => "* stream ended\n".to_owned(),
            };
            if let Some(end) = end_marker {
                text.push_str(&format!(
                    "* the answer had ended ({end}): no reconnect unless --reconnect always\n"
                ));
            }
            err.write_all(text.as_bytes())
        }
        ConnMsg::Error { attempt, error } => {
            // A rejected response's head first, as for one accepted: the
            // status line and headers (WWW-Authenticate, Retry-After) say why.
            let head = error.response.as_deref().map(response_head);
            err.write_all(head.unwrap_or_default().as_bytes())
                .and_then(|()| {
                    writeln!(
                        err,
                        "! attempt {attempt} failed ({}): {}",
                        error.kind.name(),
                        one_line(error)
                    )
                })
        }
        ConnMsg::ReconnectScheduled {
            next_attempt,
            delay,
            last_event_id,
        } => {
            let id = if last_event_id.is_empty() {
                "no Last-Event-ID".to_owned()
            } else {
                format!("Last-Event-ID: {}", one_line(last_event_id))
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

/// `-v`'s lines for a response head: redirects, `< ` status line and
/// headers, time to first byte.
fn response_head(response: &sse::ResponseInfo) -> String {
    let mut text = String::new();
    for hop in &response.redirects {
        text.push_str(&format!(
            "* redirect {} {} -> {} ({})\n",
            hop.status,
            one_line(&hop.from),
            one_line(&hop.to),
            one_line(&hop.method)
        ));
    }
    let reason = reqwest::StatusCode::from_u16(response.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    text.push_str(&format!(
        "< {} {} {reason}\n",
        one_line(&response.version),
        response.status
    ));
    for (name, value) in &response.headers {
        text.push_str(&format!("< {}: {}\n", one_line(name), one_line(value)));
    }
    text.push_str(&format!(
        "* time to first byte: {} ms\n",
        response.time_to_first_byte.as_millis()
    ));
    text
}

/// The NDJSON line of one event, written straight into the output buffer.
///
/// It is `serde_json::to_writer(&EventLine)` byte for byte (a test holds the
/// two together), but for the characters a terminal must not see, which are
/// `\uXXXX` escapes here, at a fraction of the cost: strings are copied in
/// runs between the rare bytes to escape, found 64, 32 or eight bytes at a
/// time, and the receive time is formatted once per read by the caller, not
/// per event.
mod ndjson {
    use std::io::{self, Write};

    use crate::sse::Event;

    /// Writes `{"event","data","id","seq","attempt","time"[,"retry"]}` and a newline;
    /// `time_json` is the receive time already written as a JSON string.
    pub(super) fn write_event(
        out: &mut impl Write,
        event: &Event,
        seq: u64,
        attempt: u32,
        time_json: &[u8],
        value: Option<Option<&str>>,
    ) -> io::Result<()> {
        out.write_all(b"{\"event\":")?;
        string(out, event.event_type())?;
        out.write_all(b",\"data\":")?;
        string(out, &event.data)?;
        out.write_all(b",\"id\":")?;
        string(out, &event.id)?;
        out.write_all(b",\"seq\":")?;
        number(out, seq)?;
        out.write_all(b",\"attempt\":")?;
        number(out, u64::from(attempt))?;
        out.write_all(b",\"time\":")?;
        out.write_all(time_json)?;
        if let Some(ms) = event.retry_ms {
            out.write_all(b",\"retry\":")?;
            number(out, ms)?;
        }
        // `--extract`: the expression's value, null when it gave nothing.
        match value {
            None => {}
            Some(None) => out.write_all(b",\"value\":null")?,
            Some(Some(value)) => {
                out.write_all(b",\"value\":")?;
                string(out, value)?;
            }
        }
        out.write_all(b"}\n")
    }

    /// `text` as a JSON string (quotes included), for a value written many times.
    pub(super) fn json_string(text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 2);
        string(&mut out, text).expect("a Vec takes writes");
        out
    }

    /// A JSON string, escaped as serde_json does: the two-character forms for
    /// `"`, `\`, backspace, form feed, LF, CR and tab, `\u00XX` (lower-case hex)
    /// for other control characters, everything else as is; except that the
    /// characters a terminal must never see raw (`text::is_neutralised`: DEL,
    /// C1, bidirectional and zero-width characters, which JSON lets through)
    /// are `\uXXXX` too, as JSON also allows, so they read back unchanged.
    pub(super) fn string(out: &mut impl Write, text: &str) -> io::Result<()> {
        let bytes = text.as_bytes();
        out.write_all(b"\"")?;
        let mut start = 0;
        let mut from = 0;
        while let Some(at) = next_escape(bytes, from) {
            let byte = bytes[at];
            let short = match byte {
                b'"' => Some(b'"'),
                b'\\' => Some(b'\\'),
                0x08 => Some(b'b'),
                0x0C => Some(b'f'),
                b'\n' => Some(b'n'),
                b'\r' => Some(b'r'),
                b'\t' => Some(b't'),
                _ => None,
            };
            let (code, len) = if short.is_some() || byte < 0x80 {
                (u32::from(byte), 1)
            } else {
                // A lead byte the set shares with other characters: look closely.
                match text[at..].chars().next() {
                    Some(c) if crate::text::is_neutralised(c) => (c as u32, c.len_utf8()),
                    _ => {
                        from = at + 1;
                        continue;
                    }
                }
            };
            out.write_all(&bytes[start..at])?;
            match short {
                Some(c) => out.write_all(&[b'\\', c])?,
                None => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let hex = |shift: u32| HEX[((code >> shift) & 0xF) as usize];
                    out.write_all(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)])?;
                }
            }
            start = at + len;
            from = start;
        }
        out.write_all(&bytes[start..])?;
        out.write_all(b"\"")
    }

    /// The index of the first byte at or after `from` that may need escaping
    /// ([`needs_escape`]). Long text goes 64 bytes at a time, then 32, each
    /// block checked whole with no early exit so the compiler uses vector
    /// compares; the last bytes go a word at a time.
    fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        let mut offset = from;
        let mut blocks = rest.chunks_exact(64);
        for block in blocks.by_ref() {
            if let Ok(block) = <&[u8; 64]>::try_from(block)
                && !has_escape(block)
            {
                offset += 64;
                continue;
            }
            return first_escape(block, offset);
        }
        let mut halves = blocks.remainder().chunks_exact(32);
        for block in halves.by_ref() {
            if let Ok(block) = <&[u8; 32]>::try_from(block)
                && !has_escape(block)
            {
                offset += 32;
                continue;
            }
            return first_escape(block, offset);
        }
        next_escape_in_words(halves.remainder(), offset)
    }

    /// Whether `block` holds a byte [`needs_escape`] flags. A first look,
    /// as cheap as JSON's own check, finds anything outside printable ASCII
    /// (controls, DEL, every byte of a multi-byte character), a quote or a
    /// backslash; only a block it flags gets the exact look, so ASCII text
    /// scans as fast as before the terminal's characters were added (text
    /// mostly of other scripts pays for both looks).
    fn has_escape<const N: usize>(block: &[u8; N]) -> bool {
        let mut maybe = [false; N];
        for i in 0..N {
            let b = block[i];
            maybe[i] = (b.wrapping_sub(0x20) >= 0x5F) | (b == b'"') | (b == b'\\');
        }
        if !maybe.contains(&true) {
            return false;
        }
        let mut hits = [false; N];
        for i in 0..N {
            hits[i] = needs_escape(block[i]);
        }
        hits.contains(&true)
    }

    /// The first byte of `block` that may need escaping, one at a time
    /// (by table: one load a byte, where [`needs_escape`]'s eight compares
    /// made short strings such as event types and ids slower).
    fn first_escape(block: &[u8], offset: usize) -> Option<usize> {
        block
            .iter()
            .position(|&b| NEEDS_ESCAPE[usize::from(b)])
            .map(|i| offset + i)
    }

    /// [`needs_escape`] of every byte.
    static NEEDS_ESCAPE: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 256 {
            table[b] = needs_escape(b as u8);
            b += 1;
        }
        table
    };

    /// The first byte that may need escaping in `bytes` (fewer than 32),
    /// eight at a time; `offset` is where `bytes` begins.
    fn next_escape_in_words(bytes: &[u8], offset: usize) -> Option<usize> {
        const ONES: u64 = u64::from_le_bytes([1; 8]);
        const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
        let has = |w: u64, byte: u8| {
            let x = w ^ (ONES * u64::from(byte));
            x.wrapping_sub(ONES) & !x & HIGHS
        };
        let mut words = bytes.chunks_exact(8);
        let mut offset = offset;
        for word in words.by_ref() {
            let mut le = [0; 8];
            le.copy_from_slice(word);
            let w = u64::from_le_bytes(le);
            // The classic "has a byte less than n" and "has a zero byte"
            // tests, plus any byte with its high bit set (where the lead
            // bytes of the multi-byte characters are): a filter that may
            // flag too much, never too little; the word's bytes then decide.
            let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
            let hits = control | has(w, b'"') | has(w, b'\\') | has(w, 0x7F) | (w & HIGHS);
            if hits != 0
                && let Some(at) = first_escape(word, offset)
            {
                return Some(at);
            }
            offset += 8;
        }
        first_escape(words.remainder(), offset)
    }

    /// Control characters, the quote and the backslash, DEL, and the UTF-8
    /// lead bytes of the other characters a terminal must not see: 0xC2
    /// (C1, U+0080-U+009F), 0xD8 (U+061C), 0xE2 (U+200B-U+206F, U+2028/9)
    /// and 0xEF (U+FEFF). Other characters with these lead bytes are
    /// flagged too and let through by [`string`]. Written as comparisons
    /// joined by `|`, not `||` or `matches!`: the compiler then turns a
    /// block's worth into vector compares (with `matches!` small events
    /// printed 20% slower).
    #[inline(always)]
    const fn needs_escape(b: u8) -> bool {
        (b < 0x20)
            | (b == b'"')
            | (b == b'\\')
            | (b == 0x7F)
            | (b == 0xC2)
            | (b == 0xD8)
            | (b == 0xE2)
            | (b == 0xEF)
    }

    /// A decimal number, formatted on the stack (itoa, as serde_json does).
    pub(super) fn number(out: &mut impl Write, n: u64) -> io::Result<()> {
        out.write_all(itoa::Buffer::new().format(n).as_bytes())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::print::EventLine;

        fn ours(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
            let mut out = Vec::new();
            write_event(&mut out, event, seq, attempt, &json_string(time), None)
                .expect("a Vec takes writes");
            String::from_utf8(out).expect("valid UTF-8")
        }

        fn serde(event: &Event, seq: u64, attempt: u32, time: &str) -> String {
            let line = EventLine {
                event: event.event_type(),
                data: &event.data,
                id: &event.id,
                seq,
                attempt,
                time: time.to_owned(),
                retry: event.retry_ms,
            };
            serde_json::to_string(&line).expect("serializes") + "\n"
        }

        fn event(event: &str, data: &str, id: &str, retry_ms: Option<u64>) -> Event {
            Event {
                event: event.into(),
                data: data.into(),
                id: id.into(),
                sets_id: !id.is_empty(),
                retry_ms,
                raw: 0..0,
            }
        }

        /// What serde_json writes, with the characters a terminal must not
        /// see (which JSON lets through raw) as `\uXXXX`: what `print` writes.
        /// (The line's own ending is the one control serde leaves raw.)
        fn expected(json: String) -> String {
            let mut out = String::new();
            for c in json.chars() {
                if crate::text::is_neutralised(c) && c != '\n' {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push(c);
                }
            }
            out
        }

        #[test]
        fn lines_match_serde_json_byte_for_byte_but_for_terminal_controls() {
            let every_ascii: String = (0u8..0x80).map(char::from).collect();
            let texts = [
                String::new(),
                "plain".to_owned(),
                every_ascii.clone(),
                every_ascii.repeat(3)[5..].to_owned(),
                "\"quoted\" \\ back\\slash\u{7f}".to_owned(),
                "héllo → 世界 🦀\u{1}\u{1f}\u{ffff}".to_owned(),
                "12345678\"12345678\n1234567\\".to_owned(),
                "x".repeat(1000) + "\u{0}",
                "c1\u{85}\u{9b}[2J bidi\u{202e}\u{2066} zw\u{200b}\u{200d}\u{feff}\u{61c}\u{2028}\u{2029}\u{2060}".to_owned(),
                "near \u{a0}\u{600}\u{2010}\u{2030}\u{206a}\u{ff01}\u{fefe} “quotes” …".repeat(5),
            ];
            for text in &texts {
                for (name, retry) in [("", None), (text.as_str(), Some(3000))] {
                    let e = event(name, text, text, retry);
                    for (seq, attempt) in [(0, 0), (1, 1), (u64::MAX, u32::MAX)] {
                        let time = "2026-11-24T15:00:00.123Z";
                        assert_eq!(
                            ours(&e, seq, attempt, time),
                            expected(serde(&e, seq, attempt, time))
                        );
                    }
                }
            }
        }

        #[test]
        fn terminal_controls_are_escaped_and_read_back_unchanged() {
            let set: Vec<char> = (0x7fu32..0xa0)
                .chain([0x61c, 0xfeff, 0x2028, 0x2029])
                .chain(0x200b..=0x200f)
                .chain(0x202a..=0x202e)
                .chain(0x2060..=0x2069)
                .filter_map(char::from_u32)
                .collect();
            for c in set {
                let text = format!("a{c}b");
                let json = String::from_utf8(json_string(&text)).expect("UTF-8");
                assert_eq!(json, format!("\"a\\u{:04x}b\"", c as u32));
                let back: String = serde_json::from_str(&json).expect("valid JSON");
                assert_eq!(back, text);
            }
        }

        #[test]
        fn every_byte_position_of_an_escape_is_found() {
            let letters: String = ('a'..='z').cycle().take(160).collect();
            // Every place in each path the search takes: up to two 64-byte
            // blocks, a 32-byte block after them, and the words and bytes left.
            // Multi-byte characters replace a letter, so each is tried at
            // every offset too, the ones near the set (same lead byte) included.
            let specials = [
                '"', '\\', '\n', '\u{0}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}', '\u{a0}',
                '\u{61c}', '\u{600}', '\u{200b}', '\u{202e}', '\u{2069}', '→', '\u{feff}',
                '\u{ff01}', 'é', '世',
            ];
            for len in 0..160 {
                for at in 0..len {
                    for special in specials {
                        let mut text: Vec<char> = letters[..len].chars().collect();
                        text[at] = special;
                        let text: String = text.into_iter().collect();
                        let mut out = Vec::new();
                        string(&mut out, &text).expect("a Vec takes writes");
                        let wanted = expected(serde_json::to_string(&text).expect("serializes"));
                        assert_eq!(String::from_utf8_lossy(&out), wanted, "{text:?}");
                    }
                }
            }
        }
    }
}
