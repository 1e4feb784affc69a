//! `ssetui tap`'s runner: the proxy served until Ctrl-C, and what passes
//! through it watched — in the full UI, or with `--headless` as NDJSON on
//! stdout (one line per event, `print`'s keys plus the exchange's number,
//! method and path) and the other exchanges on stderr; `--record DIR`
//! writes a capture of each exchange either way.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;

use super::{TapMsg, TapOptions};
use crate::capture::CaptureWriter;
use crate::capture::ndjson::{self, EventText, LineWriter};
use crate::cli::TapArgs;
use crate::print::exit;
use crate::server::{self, Limits, Log};
use crate::sse::request::TransportOptions;
use crate::sse::{ConnMsg, StreamItem};
use crate::stdout::{self, StdoutError};

/// How many of the tap's messages may wait for the watcher: past that, the
/// proxy waits (nothing is dropped).
pub const WATCH_CAPACITY: usize = 256;

/// What the UI needs to run the tap: where to bind and how to reach the upstream.
pub struct TapStart {
    pub addr: SocketAddr,
    pub options: TapOptions,
    pub limits: Limits,
    pub recorder: Option<Recorder>,
}

/// Runs `ssetui tap`; returns the exit status.
pub fn main(args: TapArgs, config: crate::config::Startup) -> ExitCode {
    let options = options(&args);
    let addr = SocketAddr::new(args.bind, args.port);
    let limits = Limits {
        max_connections: args.max_connections.max(1),
        ..Limits::default()
    };
    let recorder = match &args.record {
        Some(dir) => match Recorder::new(dir) {
            Ok(recorder) => Some(recorder),
            Err(err) => {
                stdout::log(&err);
                return ExitCode::from(exit::USAGE);
            }
        },
        None => None,
    };
    if !args.headless {
        let start = TapStart {
            addr,
            options,
            limits,
            recorder,
        };
        return crate::app::tap(start, config);
    }
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let (tx, rx) = mpsc::channel(WATCH_CAPACITY);
    let tap = match runtime.block_on(super::bind(addr, options, tx)) {
        Ok(tap) => tap,
        Err(err) => {
            stdout::log(&err);
            return ExitCode::from(exit::USAGE);
        }
    };
    warn_if_exposed(tap.local_addr());
    stdout::stderr(&format!("{}\n", banner(&args.upstream, &tap)));
    let log: Log = Arc::new(stdout::log);
    let status = runtime.block_on(async move {
        let served = tokio::spawn(tap.serve_with(limits, log));
        let mut watcher = Headless::new(recorder);
        let outcome = tokio::select! {
            outcome = watcher.watch(rx) => outcome,
            signal = tokio::signal::ctrl_c() => {
                if let Err(err) = signal {
                    stdout::log(&format!("cannot wait for Ctrl-C: {err}"));
                }
                Ok(())
            }
        };
        served.abort();
        watcher.finish();
        match outcome {
            Ok(()) | Err(StdoutError::Closed) => ExitCode::SUCCESS,
            Err(err) => {
                stdout::log(&err.to_string());
                ExitCode::from(exit::FAILED)
            }
        }
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    status
}

/// `tapping UPSTREAM at URL`, and the faults in force, neutralised.
pub fn banner(upstream: &url::Url, tap: &super::TapServer) -> String {
    let upstream = crate::sse::redact::url(upstream, &Default::default());
    let faults = tap
        .faults()
        .map_or_else(String::new, |f| format!(" with faults ({f})"));
    // The tap's URL last: scripts read it from there.
    crate::text::one_line(format!("tapping {upstream}{faults} at {}", tap.url())).to_string()
}

/// The warning for a tap other machines can reach.
pub fn warn_if_exposed(addr: SocketAddr) {
    if let Some(warning) = server::exposure_warning(addr) {
        stdout::log(&format!("warning: {warning}"));
    }
}

/// How the tap reaches its upstream, from the arguments.
fn options(args: &TapArgs) -> TapOptions {
    TapOptions {
        upstream: args.upstream.clone(),
        preserve_host: args.preserve_host,
        transport: TransportOptions {
            proxy: args.transport.proxy.clone(),
            ca_certs: args.transport.cacert.clone(),
            client_cert: args.transport.client_cert(),
            insecure: args.transport.insecure,
            ..TransportOptions::default()
        },
        connect_timeout: crate::sse::RequestSpec::get(args.upstream.clone()).connect_timeout,
        faults: args.faults.to_faults(),
        record_plain: args.record.is_some(),
    }
}

/// `--record DIR`: a capture per exchange, open while it runs.
pub struct Recorder {
    dir: PathBuf,
    open: HashMap<u64, CaptureWriter>,
    /// Another exchange's capture, and the body offset it has reached.
    plain: HashMap<u64, (CaptureWriter, u64)>,
}

impl Recorder {
    /// Records into `dir`, made if missing (only its owner may enter it).
    pub fn new(dir: &Path) -> Result<Self, String> {
        crate::private_file::create_dir(dir)
            .map_err(|e| format!("--record {}: {e}", crate::text::one_line(dir.display())))?;
        Ok(Self {
            dir: dir.to_owned(),
            open: HashMap::new(),
            plain: HashMap::new(),
        })
    }

    /// A new capture for exchange `exchange`, whose request was `spec`.
    fn create(
        &self,
        exchange: u64,
        spec: &crate::sse::RequestSpec,
    ) -> std::io::Result<CaptureWriter> {
        let path = self.dir.join(format!("exchange-{exchange}.ssecap"));
        CaptureWriter::create_unused(&path, spec, false).map(|(_, writer)| writer)
    }

    /// Follows one of the tap's messages; says what went wrong, if anything.
    pub fn observe(&mut self, msg: &TapMsg) -> Option<String> {
        match msg {
            TapMsg::Stream { exchange, spec, .. } => match self.create(*exchange, spec) {
                Ok(writer) => {
                    self.open.insert(*exchange, writer);
                    None
                }
                Err(err) => Some(format!("cannot record exchange {exchange}: {err}")),
            },
            TapMsg::Conn { exchange, msg } => {
                let writer = self.open.get_mut(exchange)?;
                let written = writer.record(msg);
                let closed = matches!(msg, ConnMsg::Closed { .. });
                if closed
                    && let Some(writer) = self.open.remove(exchange)
                    && let Err(err) = writer.finish()
                {
                    return Some(format!(
                        "cannot finish the capture of exchange {exchange}: {err}"
                    ));
                }
                written
                    .err()
                    .map(|err| format!("cannot record exchange {exchange}: {err}"))
            }
            TapMsg::Plain {
                exchange,
                spec,
                request,
                response,
            } => {
                let opened = self.create(*exchange, spec).and_then(|mut w| {
                    w.buffer(&ConnMsg::Connecting {
                        attempt: 1,
                        request: request.clone(),
                    })?;
                    w.record(&ConnMsg::Opened {
                        attempt: 1,
                        response: response.clone(),
                    })?;
                    Ok(w)
                });
                match opened {
                    Ok(writer) => {
                        self.plain.insert(*exchange, (writer, 0));
                        None
                    }
                    Err(err) => Some(format!("cannot record exchange {exchange}: {err}")),
                }
            }
            TapMsg::PlainRead {
                exchange,
                bytes,
                at,
            } => {
                let (writer, offset) = self.plain.get_mut(exchange)?;
                let chunk = crate::sse::Chunk {
                    attempt: 1,
                    offset: *offset,
                    bytes: bytes.clone(),
                    received_at: *at,
                    items: Vec::new(),
                    facts: None,
                };
                *offset += bytes.len() as u64;
                writer
                    .record(&ConnMsg::Data(chunk))
                    .err()
                    .map(|err| format!("cannot record exchange {exchange}: {err}"))
            }
            TapMsg::Other(summary) => {
                let (mut writer, _) = self.plain.remove(&summary.exchange)?;
                let reason = match &summary.error {
                    None => crate::sse::CloseReason::Ended,
                    Some(why) => crate::sse::CloseReason::Failed(crate::sse::ConnError::new(
                        crate::sse::ErrorKind::Network,
                        why.clone(),
                    )),
                };
                writer
                    .record(&ConnMsg::Closed { reason })
                    .and_then(|()| writer.finish())
                    .err()
                    .map(|err| {
                        format!(
                            "cannot finish the capture of exchange {}: {err}",
                            summary.exchange
                        )
                    })
            }
        }
    }

    /// Closes the captures still open (the tap is stopping).
    pub fn finish(&mut self) {
        for (_, writer) in self.open.drain() {
            let _ = writer.finish();
        }
        for (_, (writer, _)) in self.plain.drain() {
            let _ = writer.finish();
        }
    }
}

/// `--headless`: events as NDJSON lines, the other exchanges on stderr.
struct Headless {
    lines: LineWriter,
    /// `,"exchange":N,"method":…,"path":…` of each open stream.
    tails: HashMap<u64, Vec<u8>>,
    recorder: Option<Recorder>,
    out: Vec<u8>,
}

impl Headless {
    fn new(recorder: Option<Recorder>) -> Self {
        Self {
            lines: LineWriter::default(),
            tails: HashMap::new(),
            recorder,
            out: Vec::with_capacity(64 * 1024),
        }
    }

    /// Until the tap stops telling (it never does on its own) or stdout closes.
    async fn watch(&mut self, mut rx: mpsc::Receiver<TapMsg>) -> Result<(), StdoutError> {
        while let Some(msg) = rx.recv().await {
            if let Some(recorder) = &mut self.recorder
                && let Some(problem) = recorder.observe(&msg)
            {
                stdout::log(&problem);
            }
            self.take(msg)?;
        }
        Ok(())
    }

    fn take(&mut self, msg: TapMsg) -> Result<(), StdoutError> {
        match msg {
            TapMsg::Stream {
                exchange,
                method,
                path,
                ..
            } => {
                let mut tail = Vec::new();
                tail.extend_from_slice(b",\"exchange\":");
                tail.extend_from_slice(itoa::Buffer::new().format(exchange).as_bytes());
                tail.extend_from_slice(b",\"method\":");
                ndjson::string(&mut tail, &method)?;
                tail.extend_from_slice(b",\"path\":");
                ndjson::string(&mut tail, &path)?;
                self.tails.insert(exchange, tail);
            }
            TapMsg::Conn {
                exchange,
                msg: ConnMsg::Data(chunk),
            } => {
                let Some(tail) = self.tails.get(&exchange) else {
                    return Ok(());
                };
                self.lines
                    .start_read(chunk.attempt, &ndjson::time_json(chunk.received_at));
                for item in &chunk.items {
                    if let StreamItem::Event { seq, event } = item {
                        self.lines.write_with_tail(
                            &mut self.out,
                            &EventText::from(event),
                            *seq,
                            None,
                            tail,
                        )?;
                    }
                }
                let mut stdout = io::stdout().lock();
                stdout.write_all(&self.out)?;
                stdout.flush()?;
                self.out.clear();
            }
            TapMsg::Conn {
                exchange,
                msg: ConnMsg::Closed { reason },
            } => {
                self.tails.remove(&exchange);
                if let crate::sse::CloseReason::Failed(err) = reason {
                    stdout::log(&format!("exchange {exchange}: {err}"));
                }
            }
            TapMsg::Conn { .. } | TapMsg::Plain { .. } | TapMsg::PlainRead { .. } => {}
            TapMsg::Other(summary) => stdout::log(&summary.line()),
        }
        Ok(())
    }

    fn finish(&mut self) {
        if let Some(recorder) = &mut self.recorder {
            recorder.finish();
        }
    }
}
