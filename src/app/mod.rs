//! The full-screen UI: set-up and tear-down of the terminal and the first
//! tab (`main`, `open`), the loop (`run`), the one effect executor
//! (`effects`), each tab's pipe from its connection to the loop, recording
//! included (`pipe`), and the terminal beyond drawing (`terminal`).

pub mod clipboard;
mod effects;
mod pipe;
mod run;
mod running;
mod tap;
mod terminal;

use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use ratatui::crossterm::event;
use reqwest::Url;

use crate::cli::RequestArgs;
use crate::config::remembered::Remembered;
use crate::config::{ConfigFile, Startup, TimeFormat};
use crate::demo_server;
use crate::keymap::{Keymap, KeymapError};
use crate::message::Msg;
use crate::profile_store::ProfileStore;
use crate::sse::RequestSpec;
use crate::state::OpenProfile;
use crate::state::event_log::{DEFAULT_MAX_ROWS, DEFAULT_MAX_WIRE_BYTES};
use crate::state::{self, AppState, DemoPicker};
use crate::ui::Theme;
use crate::ui::theme::{ColorDepth, ThemeVariant};

pub use terminal::enable_mouse_and_paste;

/// Runs the full-screen UI until the user quits. `config` is whatever was
/// found: a broken file starts the UI with defaults (and says so), unless
/// `--profile` needs it. `variant` is `--theme`, over the settings' theme.
/// `ssetui tap` in the full UI: the first tab lists the exchanges, each
/// event stream opens a tab of its own.
pub fn tap(start: crate::tap::run::TapStart, config: Startup) -> ExitCode {
    ui(Source::Tap(Box::new(start)), None, config)
}

pub fn main(
    args: RequestArgs,
    contract: crate::cli::schema::ContractArgs,
    variant: Option<ThemeVariant>,
    config: Startup,
) -> ExitCode {
    ui(Source::Request(Box::new(args), contract), variant, config)
}

/// `ssetui mcp URL`: an MCP connection in the full UI, at `version` when
/// given (else negotiated).
pub fn mcp(
    args: RequestArgs,
    version: Option<String>,
    capabilities: Vec<crate::sse::McpCapability>,
    variant: Option<ThemeVariant>,
    config: Startup,
) -> ExitCode {
    if let Some(why) = version
        .as_deref()
        .and_then(crate::mcp::negotiate::unknown_revision)
    {
        crate::stdout::log(&why);
        return ExitCode::from(crate::print::exit::USAGE);
    }
    if args.url.is_none() && args.profile.is_none() && args.from_curl.is_none() {
        crate::stdout::log("ssetui mcp needs the server's URL (or --profile NAME)");
        return ExitCode::from(crate::print::exit::USAGE);
    }
    ui(
        Source::Mcp(
            Box::new(args),
            crate::sse::Protocol::Mcp {
                version,
                capabilities,
            },
        ),
        variant,
        config,
    )
}

/// `ssetui open FILE`: a recording (`.ssecap`, a raw `.sse` body or an NDJSON
/// export) in the full UI, offline, as it looked live; `c` connects to a
/// capture's recorded URL (the other two hold no request).
pub fn open(path: PathBuf, variant: Option<ThemeVariant>, config: Startup) -> ExitCode {
    ui(Source::Recording(path), variant, config)
}

/// `ssetui open -`: a stream piped in (`curl -sN URL | ssetui open -`),
/// shown live as it arrives, read as an event stream unless `format` says
/// NDJSON. Keys come from the terminal (`/dev/tty`), stdin being the pipe.
pub fn open_stdin(
    format: Option<crate::sse::BodyFormat>,
    variant: Option<ThemeVariant>,
    config: Startup,
) -> ExitCode {
    use std::io::IsTerminal as _;
    if io::stdin().is_terminal() {
        crate::stdout::log(
            "open -: stdin is the terminal: pipe a stream in, e.g. curl -sN URL | ssetui open -",
        );
        return ExitCode::from(crate::print::exit::USAGE);
    }
    ui(Source::Stdin(format.unwrap_or_default()), variant, config)
}

/// Where the UI's first tab comes from.
enum Source {
    Request(Box<RequestArgs>, crate::cli::schema::ContractArgs),
    /// `ssetui mcp`: the request speaks this protocol.
    Mcp(Box<RequestArgs>, crate::sse::Protocol),
    Recording(PathBuf),
    Stdin(crate::sse::BodyFormat),
    /// `ssetui tap`: the proxy's exchanges, a tab each.
    Tap(Box<crate::tap::run::TapStart>),
}

/// How the loop starts the first tab's stream.
pub(crate) enum Start {
    /// Connect with the tab's request.
    Connect,
    /// Nothing: a recording was read into the tab already.
    Offline,
    /// Read stdin, live, in this format.
    Stdin(crate::sse::BodyFormat),
    /// Serve the tap, its exchanges into the tabs.
    Tap(Box<tap::Tapping>),
}

fn ui(source: Source, variant: Option<ThemeVariant>, mut config: Startup) -> ExitCode {
    let mut protocol = None;
    let mut contract = crate::cli::schema::ContractArgs::default();
    let mut tapping = None;
    let (mut args, recording, piped) = match source {
        Source::Tap(start) => {
            tapping = Some(*start);
            (RequestArgs::none(), None, None)
        }
        Source::Request(args, wanted) => {
            contract = wanted;
            (*args, None, None)
        }
        Source::Mcp(args, mcp) => {
            protocol = Some(mcp);
            (*args, None, None)
        }
        Source::Recording(path) => match crate::capture::load_recording(&path) {
            Ok(recording) => (RequestArgs::none(), Some(recording), None),
            Err(err) => {
                crate::stdout::log(&err);
                return ExitCode::from(crate::print::exit::USAGE);
            }
        },
        Source::Stdin(format) => (RequestArgs::none(), None, Some(format)),
    };
    if let (Some(name), Some(err)) = (&args.profile, &config.error) {
        crate::stdout::log(&format!(
            "cannot open profile {}: {err}",
            crate::text::quote(name)
        ));
        return ExitCode::from(crate::print::exit::USAGE);
    }
    let files = effects::Files {
        history: config.history_path(),
        remembered: config.remembered_path(),
        mcp_authorization: crate::mcp::authorize::Options::kept_beside(
            config.path.as_deref(),
            None,
        ),
    };
    let (remembered, remembered_error) = match files.remembered.as_deref().map(Remembered::load) {
        Some(Ok(remembered)) => (remembered, None),
        Some(Err(err)) => (Remembered::default(), Some(err)),
        None => (Remembered::default(), None),
    };
    // A profile opens in the environment last chosen for it (`E`), unless
    // `--env` names one; one no longer in the config is forgotten.
    let exists = |env: &str| {
        config
            .file
            .as_ref()
            .is_some_and(|f| f.config().environments.contains_key(env))
    };
    let profile_envs: std::collections::BTreeMap<String, String> = remembered
        .environments
        .into_iter()
        .filter(|(_, env)| exists(env))
        .collect();
    if args.env.is_none()
        && let Some(name) = &args.profile
    {
        args.env = profile_envs.get(name).cloned();
    }
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let settings = config.settings();
    let found = match (&recording, piped) {
        (Some(recording), _) => {
            let mut spec = recording.spec.clone();
            spec.secret_overrides = settings.secret_names();
            Ok((spec, recording.title.clone(), None))
        }
        (None, Some(format)) => Ok((piped_spec(format), "stdin".to_owned(), None)),
        (None, None) if tapping.is_some() => Ok((
            crate::sse::RequestSpec::get(
                tapping
                    .as_ref()
                    .map(|t| t.options.upstream.clone())
                    .unwrap_or_else(|| "http://localhost/".parse().expect("a URL")),
            ),
            "tap".to_owned(),
            None,
        )),
        (None, None) => runtime.block_on(initial_request(&args, config.file.as_ref())),
    };
    // Bound before the terminal is taken: a port in use is said where it was typed.
    let tapping = match tapping.map(|start| runtime.block_on(tap::bind(start))) {
        Some(Ok(tapping)) => Some(tapping),
        Some(Err(err)) => {
            crate::stdout::log(&err);
            return ExitCode::from(crate::print::exit::USAGE);
        }
        None => None,
    };
    let (mut spec, title, demo) = match found {
        Ok(found) => found,
        Err(err) => {
            crate::stdout::log(&format!("{err:#}"));
            return ExitCode::from(crate::print::exit::USAGE);
        }
    };
    if let Some(protocol) = protocol {
        spec.protocol = protocol;
    }
    // Before the terminal is taken: a schema that cannot be used is said
    // where it was typed, and nothing starts.
    let schemas = match contract.schemas(
        spec.method.as_str(),
        spec.url.path(),
        args.profile.as_deref(),
        &config,
    ) {
        Ok(schemas) => schemas,
        Err(err) => {
            crate::stdout::log(&err);
            return ExitCode::from(crate::print::exit::USAGE);
        }
    };
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    // ratatui::try_init enters raw mode and the alternate screen, and installs
    // a panic hook that restores the terminal before the report is printed.
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(err) => {
            ratatui::restore();
            crate::stdout::log(&format!(
                "the UI needs a terminal ({err}); for scripts use `ssetui print URL`"
            ));
            return ExitCode::FAILURE;
        }
    };
    enable_mouse_and_paste();
    let keymap = keymap_from(&config);
    // Read before the store takes the file.
    let variables = config
        .file
        .as_ref()
        .map(|f| f.config().clone())
        .unwrap_or_default();
    // Before the store takes the file: `history = false` is in its settings.
    let store = ProfileStore::new(&mut config);
    let mut state = AppState::new(spec, title);
    state.active_mut().contract.set(schemas);
    state.demo = demo.map(DemoPicker::new);
    state.show_line_endings = settings.show_line_endings.unwrap_or(false);
    state.stall_after = settings.stall_after.unwrap_or(state::DEFAULT_STALL_AFTER);
    state.time_format = settings.time_format.unwrap_or(TimeFormat::LocalMs);
    state.set_log_caps(
        settings.max_events.unwrap_or(DEFAULT_MAX_ROWS),
        settings.max_bytes.unwrap_or(DEFAULT_MAX_WIRE_BYTES),
    );
    state.profile_list = store.summaries();
    state.profile_envs = profile_envs;
    state.environments = state::Environments {
        config: variables,
        explicit: args.vars.clone(),
    };
    state.active_mut().environment = args.env.clone().or_else(|| {
        let name = args.profile.as_deref()?;
        state.environment_of(name)
    });
    if let Some(name) = &args.profile
        && let Ok(saved) = store.open(name, args.env.as_deref())
    {
        state.active_mut().profile = Some(OpenProfile {
            name: name.clone(),
            saved: Box::new(saved),
        });
    }
    let keymap_error = match keymap {
        Ok(keymap) => {
            state.keymap = keymap;
            None
        }
        Err(err) => Some(format!("[keys] not used: {err}")),
    };
    // A broken file stays on screen until dismissed; warnings are a notice.
    state.banner = config
        .error
        .as_ref()
        .map(|err| format!("config not used, defaults in force: {err}"))
        .or(keymap_error);
    state.notice = match config.warnings.as_slice() {
        [] => None,
        [only] => Some(format!("config: {only}")),
        [first, rest @ ..] => Some(format!("config: {first} (+{} more)", rest.len())),
    };
    if let Some(err) = remembered_error {
        state.notice = Some(format!(
            "the environments chosen last time are forgotten: {err}"
        ));
    }
    if let Ok(size) = terminal.size() {
        state::update(
            &mut state,
            Msg::Input(event::Event::Resize(size.width, size.height)),
        );
    }
    let variant = variant.or(settings.theme).unwrap_or_default();
    let (theme, color_warnings) =
        Theme::for_terminal(color, variant, ColorDepth::detect()).with_colors(&settings.colors);
    if let Some(first) = color_warnings.first() {
        state.notice = Some(format!("config: {first}"));
    }
    let start = match (&recording, piped) {
        _ if let Some(tapping) = tapping => {
            tap::into_state(&mut state, &tapping);
            Start::Tap(Box::new(tapping))
        }
        (Some(_), _) => Start::Offline,
        (None, Some(format)) => {
            state.active_mut().offline = Some(
                "reading a stream from stdin: nothing to connect to (r enters a request)".into(),
            );
            Start::Stdin(format)
        }
        (None, None) => Start::Connect,
    };
    if let Some(recording) = recording {
        // The recording's messages as its connection sent them (nothing is
        // sent: its request may hold redacted values, which `c` asks for).
        let id = state::begin_connection(&mut state);
        for msg in recording.messages {
            state::update(&mut state, Msg::Conn { id, msg });
        }
        state.notice = Some(recording.notice);
        state.active_mut().offline = recording.offline;
    }
    let result = runtime.block_on(run::run(&mut terminal, state, theme, store, start, files));
    let _ = terminal::set_mouse_capture(false);
    let _ = terminal::set_bracketed_paste(false);
    // Not `ratatui::restore`, nor `eprintln!`: after a hang-up the terminal
    // is gone, and a failed write to stderr must not become a panic.
    if let Err(err) = ratatui::try_restore() {
        let _ = writeln!(io::stderr(), "ssetui: cannot restore the terminal: {err}");
        // Its drop would try to show the cursor again and report the failure
        // with `eprintln!`, which panics (then aborts) on a dead terminal.
        std::mem::forget(terminal);
    }
    runtime.shutdown_background();
    match result {
        Ok(None) => ExitCode::SUCCESS,
        Ok(Some(reason)) => ExitCode::from(reason.exit_status()),
        Err(err) => {
            let _ = writeln!(io::stderr(), "ssetui: terminal error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The request from the command line (over `--profile`'s, if given) or,
/// with neither a URL nor a profile, the built-in demo's `/chat` as a POST
/// with a sample body, served in-process. The config's settings apply to all.
async fn initial_request(
    args: &RequestArgs,
    config: Option<&ConfigFile>,
) -> anyhow::Result<(RequestSpec, String, Option<Url>)> {
    if args.url.is_some() || args.profile.is_some() || args.from_curl.is_some() {
        let spec = args.to_spec_with_config(config, None)?;
        let title = match &args.profile {
            Some(name) => name.clone(),
            None => crate::state::Session::title_for(&spec.url),
        };
        return Ok((spec, title, None));
    }
    let demo = demo_server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let base = demo.url("/").parse()?;
    demo.spawn();
    let start = demo_server::START;
    Ok((
        args.to_spec_over(start.overrides(&base), config)?,
        format!("demo {}", start.target()),
        Some(base),
    ))
}

/// The request a piped stream is shown under: none was sent, so a local
/// placeholder that says where the bytes come from.
fn piped_spec(format: crate::sse::BodyFormat) -> RequestSpec {
    let url = Url::parse("file:///dev/stdin").expect("a valid constant URL");
    let mut spec = RequestSpec::get(url);
    spec.body_format = format;
    spec
}

/// The `[keys]` table over the default bindings.
fn keymap_from(config: &Startup) -> Result<Keymap, KeymapError> {
    let Some(file) = &config.file else {
        return Ok(Keymap::default());
    };
    Keymap::from_config(&file.config().key_table())
}
