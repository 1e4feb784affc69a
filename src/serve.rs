//! `ssetui serve`: the demo endpoints, or a capture replayed (`--replay`), on
//! a port until Ctrl-C. Says where, warns when other machines can reach it,
//! and logs on stderr when the connection cap holds clients back.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use crate::capture::{self, ReplayOptions, replay::ReplayServer};
use crate::cli::ServeArgs;
use crate::demo_server;
use crate::faults::{FaultState, Faults};
use crate::print::exit;
use crate::server::{self, Limits, Log};
use crate::stdout::{self, StdoutError};

/// Runs `ssetui serve` until Ctrl-C or a failure; returns the exit status.
/// A closed stdout (`| head -n 1`) ends it quietly, as it ends `print`.
pub fn main(args: ServeArgs) -> ExitCode {
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let addr = SocketAddr::new(args.bind, args.port);
    let limits = Limits {
        max_connections: args.max_connections,
        ..Limits::default()
    };
    let log: Log = Arc::new(stdout::log);
    let mut faults = args.faults.to_faults();
    faults.choose_seed();
    let faults = FaultState::new(faults, Arc::clone(&log));
    let served = match &args.replay {
        Some(path) => {
            let options = ReplayOptions {
                speed: args.speed,
                looped: args.looped,
            };
            runtime.block_on(replay(addr, path, options, limits, log, faults))
        }
        None => runtime.block_on(demo(addr, limits, log, faults)),
    };
    runtime.shutdown_background();
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => match err.downcast_ref::<StdoutError>() {
            Some(StdoutError::Closed) => ExitCode::SUCCESS,
            _ => {
                stdout::log(&format!("{err:#}"));
                ExitCode::from(exit::FAILED)
            }
        },
    }
}

/// The demo server: a banner with every endpoint's URL, the demo credentials
/// and an example command, then serving.
async fn demo(
    addr: SocketAddr,
    limits: Limits,
    log: Log,
    faults: Arc<FaultState>,
) -> anyhow::Result<()> {
    let server = demo_server::bind(addr).await?;
    warn_if_exposed(server.local_addr());
    stdout::write(demo_server::banner(&server.url("")))?;
    stdout::write(faults_line(faults.base()))?;
    until_interrupted(
        server.serve_faulted(limits, log, faults),
        "the demo server stopped",
    )
    .await
}

/// The line that says which faults every stream gets, and their seed; none without faults.
fn faults_line(faults: &Faults) -> String {
    if !faults.is_active() {
        return String::new();
    }
    format!(
        "faults on every stream: {}
",
        faults.describe()
    )
}

/// `--replay FILE`: the capture read, checked and served.
async fn replay(
    addr: SocketAddr,
    path: &Path,
    options: ReplayOptions,
    limits: Limits,
    log: Log,
    faults: Arc<FaultState>,
) -> anyhow::Result<()> {
    let capture = capture::read(path)?;
    if capture.header.request.mcp.is_some() {
        anyhow::bail!(
            "{}: an MCP capture holds the messages of several streams, not one stream to serve again: ssetui open {} shows it",
            crate::text::one_line(path.display()),
            crate::text::one_line(path.display())
        );
    }
    if let Some(damage) = &capture.damaged {
        stdout::log(&format!(
            "warning: {}: {damage}; replaying what came before",
            path.display()
        ));
    }
    let server = ReplayServer::bind(addr, &capture, options).await?;
    if options.looped && server.replay().is_empty() {
        anyhow::bail!(
            "{}: its first attempt received no bytes: there is nothing to --loop over",
            path.display()
        );
    }
    warn_if_exposed(server.local_addr());
    let mut shown = server.local_addr();
    if shown.ip().is_unspecified() {
        shown.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    stdout::write(format!(
        "replaying {} ({} events) at http://{shown}/\n",
        crate::text::one_line(path.display()),
        server.replay().event_count()
    ))?;
    stdout::write(faults_line(faults.base()))?;
    until_interrupted(
        server.serve_faulted(limits, log, faults),
        "the replay server stopped",
    )
    .await
}

fn warn_if_exposed(addr: SocketAddr) {
    if let Some(warning) = server::exposure_warning(addr) {
        stdout::log(&format!("warning: {warning}"));
    }
}

/// Serves until `served` ends (a failure) or Ctrl-C.
async fn until_interrupted(
    served: impl Future<Output = std::io::Result<()>>,
    what: &'static str,
) -> anyhow::Result<()> {
    tokio::select! {
        served = served => served.context(what),
        signal = tokio::signal::ctrl_c() => {
            signal.context("cannot wait for Ctrl-C")?;
            stdout::write("\nstopped\n")?;
            Ok(())
        }
    }
}
