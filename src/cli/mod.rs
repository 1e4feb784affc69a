//! The command line: one definition shared by the UI, `print` and `serve`.

mod request_args;

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use request_args::{ArgError, RequestArgs, RequestDefaults, parse_url};

use crate::ui::theme::ThemeVariant;

/// Test and debug Server-Sent Events endpoints.
///
/// With no command, opens the full-screen UI on URL (with no URL, on the
/// built-in demo server's /chat, started in-process).
#[derive(Debug, Parser)]
#[command(name = "ssetui", version, args_conflicts_with_subcommands = true)]
#[command(
    after_help = "Start with the demo:\n  ssetui\n  ssetui serve --port 8900\n  ssetui print http://127.0.0.1:8900/clock"
)]
pub struct Cli {
    #[command(flatten)]
    pub request: RequestArgs,

    /// Colours for a dark or a light terminal background (NO_COLOR turns colours off) [default: settings.theme, else dark]
    #[arg(long, value_enum, global = false)]
    pub theme: Option<ThemeVariant>,

    /// The config file [default: $SSETUI_CONFIG, else the platform's, e.g. ~/.config/ssetui/config.toml]
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// The variants differ in size, but a Command is parsed once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect and write each event to stdout as one JSON object per line (or the raw body with --raw)
    Print(PrintArgs),
    /// Run the built-in demo SSE server
    #[command(after_help = crate::demo_server::ENDPOINTS_HELP)]
    Serve(ServeArgs),
    /// List the profiles in the config file (name, method, URL, description)
    Profiles,
    /// The config file
    #[command(subcommand)]
    Config(ConfigCommand),
}

/// `ssetui config …`.
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the path of the config file in use (it may not exist yet)
    Path,
}

/// `ssetui print`: the headless client.
#[derive(Debug, Args)]
#[command(after_help = PRINT_AFTER_HELP)]
pub struct PrintArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// Exit 0 after N events
    #[arg(long, value_name = "N", help_heading = "Output")]
    pub max_events: Option<u64>,

    /// Write the body bytes exactly as received instead of NDJSON (across reconnects, the bodies one after another)
    #[arg(long, help_heading = "Output")]
    pub raw: bool,

    /// Show each attempt's request as sent, the response head and each state change on stderr
    #[arg(short, long, help_heading = "Output")]
    pub verbose: bool,
}

const PRINT_AFTER_HELP: &str = "\
Output (one line per event):
  {\"event\":\"message\",\"data\":\"...\",\"id\":\"\",\"seq\":1,\"attempt\":1,\"time\":\"2026-11-24T15:00:00.123Z\"}
  event: the type (\"message\" when none was set); data: the data lines joined with \\n;
  id: the last event ID in force (\"\" when none); retry: present when the event's block set one.

Exit status:
  0    the stream ended and no reconnect follows (also after a 204), or --max-events was reached
  1    the connection failed: a status other than 200/204, a wrong Content-Type, a network
       error after the retries, an event over the size limit
  2    bad arguments or configuration
  130  interrupted (Ctrl-C)";

/// `ssetui serve`: the demo server.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one and prints it)
    #[arg(long, short, default_value_t = 8900)]
    pub port: u16,

    /// Address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
}
