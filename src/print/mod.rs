//! `ssetui print`: the headless client. Events go to stdout as NDJSON (or the
//! raw body with `--raw`), state changes to stderr with `-v`.
//!
//! The NDJSON line is the one schema the project writes and reads back:
//! `{"event","data","id","seq","attempt","time"[,"retry"]}`, with
//! `"value"` for `--extract` and `"valid"[,"errors"]` for `--validate`.

mod line_buffer;
mod mcp;
mod printer;
pub mod transcript;
mod validation;
mod verbose;

use std::io::{self, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio_util::sync::CancellationToken;

use crate::capture::CaptureWriter;
use crate::cli::PrintArgs;
use crate::config::Startup;
use crate::insight::diagnose::Diagnostics;
use crate::insight::jq::Query;
use crate::insight::llm::{ContentPath, Transcript};
use crate::sse;
use crate::stdout::log;
use crate::text;
use line_buffer::LineBuffer;
use printer::{Printer, Recorder};
use transcript::TranscriptPrinter;

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

/// Runs `ssetui print` to completion and returns its exit status. A config
/// file that cannot be used is an error (exit 2), as its settings and
/// profiles would silently be missing otherwise.
pub fn main(args: PrintArgs, config: Startup) -> ExitCode {
    crate::allocator::keep_freed_memory();
    for warning in &config.warnings {
        log(&format!("warning: {warning}"));
    }
    if let Some(err) = &config.error {
        log(&err.to_string());
        return ExitCode::from(exit::USAGE);
    }
    if args.mcp {
        return mcp::main(&args, &config);
    }
    let Some(spec) = args.request.sendable_or_log(
        &config,
        Some(DEFAULT_MAX_RETRIES),
        crate::history::Sender::Print,
    ) else {
        return ExitCode::from(exit::USAGE);
    };
    let recorder = match &args.record {
        Some(path) => match CaptureWriter::create(path, &spec, args.record_secrets) {
            Ok(writer) => Some(Recorder {
                writer,
                path: path.display().to_string(),
            }),
            Err(err) => {
                log(&format!("cannot create {}: {err}", path.display()));
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
                log(&format!("--transcript-path: {err}"));
                return ExitCode::from(exit::USAGE);
            }
        };
        // Escape sequences in a model's answer must not drive the terminal.
        let neutralise = io::stdout().is_terminal();
        Some(
            TranscriptPrinter::new(io::stdout(), Transcript::with_path(path), neutralise)
                .with_reasoning(args.reasoning),
        )
    } else {
        None
    };
    let compile = |flag: &str, expr: &Option<String>| match expr.as_deref().map(Query::compile) {
        None => Ok(None),
        Some(Ok(query)) => Ok(Some(query)),
        Some(Err(err)) => Err(format!("{flag}: {err}")),
    };
    let (filter, extract) = match (
        compile("--filter", &args.filter),
        compile("--extract", &args.extract),
    ) {
        (Ok(filter), Ok(extract)) => (filter, extract),
        (Err(err), _) | (_, Err(err)) => {
            log(&err);
            return ExitCode::from(exit::USAGE);
        }
    };
    // `--validate`: the schemas compiled once, before connecting.
    let schemas = if args.validate {
        match args.contract.schemas_for(&args.request, &config) {
            Ok(Some(schemas)) => Some(schemas),
            Ok(None) => {
                log(
                    "--validate: no schema: give --schema FILE (or TYPE=FILE), or use a profile with schema or schemas",
                );
                return ExitCode::from(exit::USAGE);
            }
            Err(err) => {
                log(&err);
                return ExitCode::from(exit::USAGE);
            }
        }
    } else {
        None
    };
    // The exit status of the signal that stopped the stream, 0 while none did.
    let signalled = Arc::new(AtomicU8::new(0));
    let cancel = CancellationToken::new();
    {
        let _guard = runtime.enter();
        let cancel = cancel.clone();
        let flag = signalled.clone();
        // SIGINT, SIGTERM and SIGHUP stop the connection, so its `Closed`
        // reaches the capture and stdout is flushed before the exit (128 + the signal).
        let mut shutdown = crate::shutdown::Shutdown::listen();
        runtime.spawn(async move {
            let reason = shutdown.requested().await;
            flag.store(reason.exit_status(), Ordering::SeqCst);
            cancel.cancel();
        });
    }
    let stdout = io::stdout();
    // `--raw` writes the body's exact bytes, but never to a terminal.
    let raw_on_terminal = (args.raw && stdout.is_terminal()).then(text::TerminalBytes::default);
    let diagnostics = args.diagnose.then(Diagnostics::new);
    // Events are read in place as they are parsed, unless a reader of whole
    // messages wants them kept: the diagnosis, and the transcript (which
    // writes as events come, so it must see them after their recording).
    let in_place = diagnostics.is_none() && transcript.is_none();
    // The transcript writes to stdout itself: through the same (re-entrant) lock.
    let out = if transcript.is_some() {
        crate::stdout::Unbuffered::Std(stdout.lock())
    } else {
        crate::stdout::unbuffered()
    };
    let mut printer = Printer::new(
        LineBuffer::new(out),
        printer::Options {
            raw: args.raw,
            raw_on_terminal,
            verbose: args.verbose,
            max_events: args.max_events,
            in_place,
        },
    );
    printer.recorder = recorder;
    printer.transcript = transcript;
    printer.diagnostics = diagnostics;
    printer.filter = filter;
    printer.extract = extract;
    printer.validation = schemas.map(validation::Validation::new);
    // The connection runs on this thread, handing each message (and each
    // event, read in place) to the printer as it comes.
    let jar = spec.session.cookies.clone();
    let reason = runtime.block_on(sse::run_inline(spec, &mut printer, &cancel));
    if let (Some(path), Some(jar)) = (&args.request.cookie_jar, &jar)
        && let Err(err) = crate::cli::write_jar(path, jar)
    {
        log(&format!(
            "cannot write the cookie jar {}: {err}",
            text::one_line(path.display())
        ));
    }
    let mut status = printer.closed(reason);
    // After an interrupt too: what was seen so far is worth the summary.
    if let Some(transcript) = &mut printer.transcript {
        match transcript.finish() {
            Ok(summary) => log(&summary.to_string()),
            Err(err) => status = write_failure(&err),
        }
    }
    if let Some(diagnostics) = &printer.diagnostics {
        crate::stdout::stderr(&text::multi_line(diagnostics.report()).to_string());
    }
    runtime.shutdown_background();
    match signalled.load(Ordering::SeqCst) {
        0 => ExitCode::from(status),
        by_signal => ExitCode::from(by_signal),
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
    log(&format!("cannot write to stdout: {err}"));
    exit::FAILED
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
