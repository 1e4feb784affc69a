//! The command line: one definition shared by the UI, `print` and `serve`.

pub mod completions;
mod fault_args;
pub mod man;
mod request_args;
pub mod schema;
mod tap_args;

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

pub use fault_args::FaultArgs;
pub use request_args::session::{read_jar, write_jar};
pub use request_args::{ArgError, RequestArgs};
pub use tap_args::TapArgs;

use crate::config::ThemeVariant;

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

    #[command(
        flatten,
        next_help_heading = "Contracts (invalid events marked ✗, errors under Content, counted in Checks)"
    )]
    pub contract: schema::ContractArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// The variants differ in size, but a Command is parsed once per run.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Connect and write each event to stdout as one JSON object per line (or the raw body with --raw)
    Print(PrintArgs),
    /// Connect, judge expectations about the stream and exit 0/1 (for CI); see --help
    Check(CheckArgs),
    /// Open an MCP server (Streamable HTTP, either era, or the 2024-11-05 HTTP+SSE transport) in the full UI: every stream of the connection, its messages decoded, tools to call
    #[command(after_help = MCP_AFTER_HELP)]
    Mcp(McpArgs),
    /// Run the built-in demo SSE server
    #[command(after_help = crate::demo_server::endpoints_help())]
    Serve(ServeArgs),
    /// A recording proxy: point a real client at it to watch (and record) what it receives from --upstream
    #[command(after_help = TAP_AFTER_HELP)]
    Tap(TapArgs),
    /// List the profiles in the config file (name, method, URL, description)
    Profiles,
    /// List the environments in the config file: each name and its variables (secret values masked)
    Envs,
    /// Show a recording in the full UI, offline: a capture (print --record), a raw .sse body or an NDJSON export; `-` reads a stream from stdin live
    #[command(after_help = OPEN_AFTER_HELP)]
    Open {
        /// The file to open, or - for stdin (keys are then read from the terminal)
        #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        path: std::path::PathBuf,

        /// With -: read stdin as an event stream (sse, the default) or a JSON value a line (ndjson)
        #[arg(long, value_enum, value_name = "FORMAT")]
        parse_as: Option<crate::sse::BodyFormat>,
    },
    /// List the requests sent from the UI, print and check (newest last); `h` in the UI reopens one
    History(HistoryArgs),
    /// Print the script that registers completions with SHELL (profile names complete from the config file)
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: completions::Shell,
    },
    /// Print the manual page (roff): `ssetui man | man -l -`
    Man,
    /// The config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Write profiles from an API description
    #[command(subcommand)]
    Import(ImportCommand),
}

/// `ssetui import`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Every operation of an OpenAPI description (YAML or JSON) that answers text/event-stream, as a profile named by its operationId
    Openapi(OpenapiArgs),
}

/// `ssetui import openapi`.
#[derive(Debug, Args)]
pub struct OpenapiArgs {
    /// The OpenAPI description (3.0 to 3.2), YAML or JSON
    #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub file: PathBuf,

    /// The server URL, in place of the description's first servers[].url
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// List what would be written, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Overwrite profiles of the same name (else they are kept)
    #[arg(long)]
    pub force: bool,
}

const MCP_AFTER_HELP: &str = "\
Examples:
  ssetui mcp http://127.0.0.1:8900/mcp
  ssetui mcp http://127.0.0.1:8900/mcp-legacy --mcp-version 2025-11-25
In the UI: M opens the panel to list and call tools, resources and prompts; L jumps between a request and its response; e resumes the session's stream from the selected event.";

/// `ssetui mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// Use this protocol revision instead of negotiating one (2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)
    #[arg(long, value_name = "REVISION")]
    pub mcp_version: Option<String>,

    /// Declare this client capability (repeatable); a server request of its kind opens a prompt for your JSON answer. None is declared by default
    #[arg(long, value_enum, value_name = "CAPABILITY")]
    pub mcp_capability: Vec<crate::sse::McpCapability>,

    /// Colours for a dark or a light terminal background [default: settings.theme, else dark]
    #[arg(long, value_enum)]
    pub theme: Option<ThemeVariant>,
}

const OPEN_AFTER_HELP: &str = "\
Examples:
  ssetui open session.ssecap
  curl -sN http://127.0.0.1:8900/clock | ssetui open -
  curl -sN 'http://127.0.0.1:8900/chat?format=ollama' | ssetui open - --parse-as ndjson";

const COMPLETIONS_AFTER_HELP: &str = "\
Load them at shell start (each Tab asks the binary, so new profiles complete at once):
  bash:  echo 'source <(ssetui completions bash)' >> ~/.bashrc
  zsh:   echo 'source <(ssetui completions zsh)' >> ~/.zshrc
  fish:  echo 'ssetui completions fish | source' >> ~/.config/fish/config.fish";

/// `ssetui history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Print the history file's lines as they are (one JSON object a line) instead of a table
    #[arg(long)]
    pub json: bool,
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

    /// Also record the connection to FILE (a capture: every read with its timing; see docs/capture-format.md)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub record: Option<PathBuf>,

    /// Keep secret header values and URL parts in clear in the --record file
    #[arg(long, requires = "record", help_heading = "Output")]
    pub record_secrets: bool,

    /// Write the assembled LLM answer to stdout as it streams (OpenAI chat and Responses, Anthropic, Gemini, Ollama), and a summary (time to first reasoning and answer token, chunks/s, end marker, usage with reasoning tokens, errors) to stderr at the end
    #[arg(long, conflicts_with = "raw", help_heading = "Insight")]
    pub transcript: bool,

    /// With --transcript: where each event's text is for other APIs, e.g. output.text
    #[arg(
        long,
        value_name = "PATH",
        requires = "transcript",
        help_heading = "Insight"
    )]
    pub transcript_path: Option<String>,

    /// With --transcript: write the model's reasoning (thinking) first under a "## Reasoning" heading, then the answer under "## Answer"
    #[arg(long, requires = "transcript", help_heading = "Insight")]
    pub reasoning: bool,

    /// Print only the events whose data is JSON for which this jq expression holds, e.g. '.type == "content_block_delta"'
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["raw", "transcript"], help_heading = "Insight")]
    pub filter: Option<String>,

    /// Add "value" to each line: this jq expression on the event's data, e.g. .choices[0].delta.content (null when it gives nothing)
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["raw", "transcript"], help_heading = "Insight")]
    pub extract: Option<String>,

    /// At the end, report on stderr what is wrong with the stream and how to fix it (headers, buffering, keep-alives, ids, line endings, retry)
    #[arg(long, help_heading = "Insight")]
    pub diagnose: bool,

    // Used only with --validate (its help says so).
    #[command(flatten, next_help_heading = "Insight")]
    pub contract: schema::ContractArgs,

    /// Validate each event against --schema and --openapi (or the profile's schema and schemas): each line gets "valid" and, when false, "errors" [{pointer, rule, expected, actual}]. Invalid events do not change the exit status
    #[arg(long, conflicts_with_all = ["raw", "transcript"], help_heading = "Insight")]
    pub validate: bool,

    /// Talk MCP to URL (Streamable HTTP in either era, or the 2024-11-05 HTTP+SSE transport): with --list or --call
    #[arg(
        long,
        requires = "mcp_action",
        conflicts_with_all = ["raw", "transcript", "filter", "extract", "diagnose", "validate", "record", "max_events"],
        help_heading = "MCP"
    )]
    pub mcp: bool,

    /// With --mcp: print the server's tools, resources, resource templates or prompts, one JSON object a line
    #[arg(
        long,
        value_enum,
        value_name = "KIND",
        requires = "mcp",
        group = "mcp_action",
        help_heading = "MCP"
    )]
    pub list: Option<crate::mcp::calls::ListKind>,

    /// With --mcp: call this tool and print every JSON-RPC message of every stream as NDJSON
    #[arg(
        long,
        value_name = "TOOL",
        requires = "mcp",
        group = "mcp_action",
        help_heading = "MCP"
    )]
    pub call: Option<String>,

    /// With --call: the tool's arguments, a JSON object [default: {}]
    #[arg(long, value_name = "JSON", requires = "call", help_heading = "MCP")]
    pub args: Option<String>,

    /// With --mcp: use this protocol revision instead of negotiating one (2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)
    #[arg(long, value_name = "REVISION", requires = "mcp", help_heading = "MCP")]
    pub mcp_version: Option<String>,

    /// With --mcp: when the server asks for a login, use this client id (registered at its authorization server) instead of registering one
    #[arg(long, value_name = "ID", requires = "mcp", help_heading = "MCP")]
    pub mcp_client_id: Option<String>,

    /// With --mcp: declare this client capability (repeatable); the server's requests of its kind are shown on stderr and answered with a JSON line typed at the terminal. None is declared by default
    #[arg(
        long,
        value_enum,
        value_name = "CAPABILITY",
        requires = "mcp",
        help_heading = "MCP"
    )]
    pub mcp_capability: Vec<crate::sse::McpCapability>,
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
  130  interrupted (Ctrl-C); 143 on SIGTERM, 129 on SIGHUP (128 + the signal), after
       flushing what arrived and any capture

With --mcp (one line per JSON-RPC message):
  {\"stream\":\"post-2\",\"direction\":\"received\",\"message\":{\"jsonrpc\":\"2.0\",...}}
  Exit 0 when the call succeeded (or the list was read), 1 on a JSON-RPC error or a
  result with isError: true, 2 on bad arguments or when no revision could be negotiated.";

/// `ssetui check`: expectations judged against a live stream.
#[derive(Debug, Args)]
#[command(after_help = CHECK_AFTER_HELP)]
pub struct CheckArgs {
    #[command(flatten)]
    pub request: RequestArgs,

    /// Judge a recorded stream (`print --record`) instead of connecting: times are the recorded ones
    #[arg(long, value_name = "FILE", help_heading = "Source")]
    pub capture: Option<std::path::PathBuf>,

    /// At least N events within --within (or before the stream ends)
    #[arg(long, value_name = "N", help_heading = "Expectations")]
    pub min_events: Option<u64>,

    /// At most N events within --within (or before the stream ends)
    #[arg(long, value_name = "N", help_heading = "Expectations")]
    pub max_events: Option<u64>,

    /// An event of this type must appear (repeatable)
    #[arg(long, value_name = "TYPE", help_heading = "Expectations")]
    pub expect_type: Vec<String>,

    /// No event of this type may appear (repeatable)
    #[arg(long, value_name = "TYPE", help_heading = "Expectations")]
    pub forbid_type: Vec<String>,

    /// Every event has an id, strictly increasing (numerically when all ids are integers, else by bytes)
    #[arg(long, help_heading = "Expectations")]
    pub ids_increasing: bool,

    /// Every event's data is valid JSON
    #[arg(long, help_heading = "Expectations")]
    pub data_json: bool,

    /// None of the LLM stream shapes that break client SDKs (two JSON values in one data, a missing blank line, chunk ids changing, no finish reason, no [DONE]…: the Checks view's); the stream is read to its end
    #[arg(long, help_heading = "Expectations")]
    pub llm_strict: bool,

    /// The first event arrives within this long, e.g. 500ms, 2s
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, help_heading = "Expectations")]
    pub first_event_within: Option<std::time::Duration>,

    /// The stream ends and the last event's data is exactly DATA, e.g. [DONE]
    #[arg(long, value_name = "DATA", help_heading = "Expectations")]
    pub ends_with: Option<String>,

    /// A jq expression every event's JSON data meets, e.g. '.choices[0].delta != null' (repeatable)
    #[arg(long, value_name = "EXPR", help_heading = "Expectations")]
    pub expect: Vec<crate::check::Condition>,

    // An expectation: the first invalid event fails the check.
    #[command(flatten, next_help_heading = "Expectations")]
    pub contract: schema::ContractArgs,

    /// A jq expression at least one event's JSON data meets, e.g. '.n > 3' (repeatable)
    #[arg(long, value_name = "EXPR", help_heading = "Expectations")]
    pub expect_any: Vec<crate::check::Condition>,

    /// How long to watch the stream at most; counts are judged over this time [default: 10s]
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, help_heading = "Expectations")]
    pub within: Option<std::time::Duration>,

    /// Also write the verdicts as JUnit XML to FILE
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub junit: Option<PathBuf>,

    /// Check URL as an MCP server against the transport's rules (GET, sessions, Content-Type, JSON-RPC, Origin, MCP-Protocol-Version, routing headers) instead of judging events
    #[arg(
        long,
        conflicts_with_all = ["capture", "schema", "min_events", "max_events", "expect_type", "forbid_type", "ids_increasing", "data_json", "first_event_within", "ends_with", "expect", "expect_any", "within", "reconnect"],
        help_heading = "MCP"
    )]
    pub mcp: bool,

    /// With --mcp: fail on SHOULD findings too, not only on MUST ones
    #[arg(long, requires = "mcp", help_heading = "MCP")]
    pub mcp_strict: bool,

    /// With --mcp: watch an idle GET stream this many seconds for keep-alives (advice; the run takes that much longer) [default: not watched]
    #[arg(long, value_name = "SECONDS", requires = "mcp", help_heading = "MCP")]
    pub mcp_idle: Option<u64>,

    /// With --mcp: use this protocol revision instead of negotiating one (2026-07-28, 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)
    #[arg(long, value_name = "REVISION", requires = "mcp", help_heading = "MCP")]
    pub mcp_version: Option<String>,

    /// With --mcp: when the server asks for a login, use this client id (registered at its authorization server) instead of registering one
    #[arg(long, value_name = "ID", requires = "mcp", help_heading = "MCP")]
    pub mcp_client_id: Option<String>,
}

const CHECK_AFTER_HELP: &str = "\
Expressions (--expect, --expect-any) are jq, the language of print --filter, run
on each event's data parsed as JSON. An expression holds when it has at least
one output and every output is neither false nor null; an error does not hold.
  .choices[0].delta != null    .type == \"done\"    .items | length > 0
  .n > 3 holds for a string too (jq orders values across types): write
  (.n | numbers) > 3 for numbers only. .a of a number is an error (.a? is not).
  .items[] > 2 must hold for every item. Data that is not JSON fails --expect
  and never matches --expect-any.

The run stops as soon as the result is certain, when the stream ends, or after
--within. Reconnecting is off unless --reconnect POLICY is given.

Exit status:
  0  every expectation held
  1  an expectation failed
  2  bad arguments or configuration
  3  the stream could not be opened, or failed before the expectations were judged

With --mcp, each rule of the MCP transport is a line (MUST or SHOULD, the revisions
it applies to, what was seen; why and how to fix when broken) and a JUnit testcase.
Exit 0 when no MUST is broken (no SHOULD either with --mcp-strict), 1 otherwise,
2 on bad arguments or when no revision could be negotiated.

Examples:
  ssetui check 'http://127.0.0.1:8900/clock?count=3' --min-events 3 --ids-increasing --junit report.xml
  ssetui check --mcp http://127.0.0.1:8900/mcp-legacy --junit mcp.xml";

const TAP_AFTER_HELP: &str = "\
The client talks to the tap as to its server: every request goes on to the upstream (Host
rewritten unless --preserve-host, hop-by-hop headers dropped) and every response comes back
unchanged and unbuffered, compressed or not; a Location into the upstream points at the tap.
Protocol upgrades (WebSocket) are answered 501. Each event-stream exchange is shown in the UI
(a tab each; the first tab lists every exchange) or, with --headless, printed as NDJSON.

Examples:
  ssetui tap --upstream http://127.0.0.1:8900 --port 8901
  curl -N http://127.0.0.1:8901/clock?count=3
  ssetui tap --upstream https://api.example.com --headless --record captures/";

/// `ssetui serve`: the demo server.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one and prints it)
    #[arg(long, short, default_value_t = 8900)]
    pub port: u16,

    /// Address to bind (another than loopback is reachable from other machines: a warning says so)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,

    /// Connections served at once; further ones wait until one closes
    #[arg(
        long,
        value_name = "N",
        default_value_t = crate::server::DEFAULT_MAX_CONNECTIONS,
        value_parser = at_least_one
    )]
    pub max_connections: usize,

    /// Serve a capture file (from `print --record`) at every path instead of the demo endpoints
    #[arg(long, value_name = "FILE", help_heading = "Replay")]
    pub replay: Option<PathBuf>,

    /// How fast recorded time passes: a factor (2 = twice as fast) or `max` for no waiting
    #[arg(
        long,
        value_name = "N|max",
        default_value = "1",
        requires = "replay",
        help_heading = "Replay"
    )]
    pub speed: crate::capture::Speed,

    /// Start the capture over at its end, in the same response, forever
    #[arg(long = "loop", requires = "replay", help_heading = "Replay")]
    pub looped: bool,

    #[command(
        flatten,
        next_help_heading = "Faults (also as query parameters: /clock?split=1&cut=mid-event:3)"
    )]
    pub faults: FaultArgs,
}

/// A count of at least 1.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?} is not a whole number of at least 1")),
    }
}
