//! The UI loop: owns the state and the channels, executes effects, draws once
//! per batch of messages. Terminal input has its own channel and is served
//! first, so a flood of events never delays a keystroke.

use std::collections::HashMap;
use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event;
use reqwest::Url;
use tokio::sync::mpsc;

use crate::capture::CaptureWriter;
use crate::cli::RequestArgs;
use crate::config::{ConfigFile, Startup, TimeFormat};
use crate::demo_server::{self, CHAT_SAMPLE_BODY};
use crate::external_editor::{self, InputPause};
use crate::keymap::{Keymap, KeymapError};
use crate::message::{Effect, Msg, ProfileChange};
use crate::profile_store::ProfileStore;
use crate::shutdown::{self, Shutdown};
use crate::sse::{self, CloseReason, ConnMsg, ConnectionHandle, RequestSpec};
use crate::state::OpenProfile;
use crate::state::event_log::{DEFAULT_MAX_ROWS, DEFAULT_MAX_WIRE_BYTES};
use crate::state::{self, AppState, ConnStatus, DemoPicker};
use crate::ui::theme::{ColorDepth, ThemeVariant};
use crate::ui::{self, Theme};

/// At most this many redraws per second, so a slow SSH link is not flooded.
const FRAME: Duration = Duration::from_millis(33);
/// How long the input thread waits for a key before it checks whether it
/// must stand aside for `$EDITOR` (so at most this delay before it opens).
const INPUT_POLL: Duration = Duration::from_millis(200);
/// Messages handled before the next redraw at the latest, so the screen keeps up.
const MAX_BATCH: usize = 4096;

/// Runs the full-screen UI until the user quits. `config` is whatever was
/// found: a broken file starts the UI with defaults (and says so), unless
/// `--profile` needs it. `variant` is `--theme`, over the settings' theme.
pub fn main(args: RequestArgs, variant: Option<ThemeVariant>, config: Startup) -> ExitCode {
    ui(Source::Request(Box::new(args)), variant, config)
}

/// `ssetui open FILE`: a recording (`.ssecap`, a raw `.sse` body or an NDJSON
/// export) in the full UI, offline, as it looked live; `c` connects to a
/// capture's recorded URL (the other two hold no request).
pub fn open(path: PathBuf, variant: Option<ThemeVariant>, config: Startup) -> ExitCode {
    ui(Source::Recording(path), variant, config)
}

/// Where the UI's first tab comes from.
enum Source {
    Request(Box<RequestArgs>),
    Recording(PathBuf),
}

fn ui(source: Source, variant: Option<ThemeVariant>, mut config: Startup) -> ExitCode {
    let (args, recording) = match source {
        Source::Request(args) => (*args, None),
        Source::Recording(path) => match crate::capture::load_recording(&path) {
            Ok(recording) => (RequestArgs::none(), Some(recording)),
            Err(err) => {
                eprintln!("ssetui: {}", crate::text::one_line(err));
                return ExitCode::from(crate::print::exit::USAGE);
            }
        },
    };
    if let (Some(name), Some(err)) = (&args.profile, &config.error) {
        eprintln!(
            "ssetui: cannot open profile {}: {}",
            crate::text::quote(name),
            crate::text::one_line(err)
        );
        return ExitCode::from(crate::print::exit::USAGE);
    }
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status,
    };
    let settings = config.settings();
    let found = match &recording {
        Some(recording) => {
            let mut spec = recording.spec.clone();
            spec.secret_overrides = settings.secret_names();
            Ok((spec, recording.title.clone(), None))
        }
        None => runtime.block_on(initial_request(&args, config.file.as_ref())),
    };
    let (spec, title, demo) = match found {
        Ok(found) => found,
        Err(err) => {
            eprintln!("ssetui: {}", crate::text::one_line(err));
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
            eprintln!(
                "ssetui: the UI needs a terminal ({err}); for scripts use `ssetui print URL`"
            );
            return ExitCode::FAILURE;
        }
    };
    enable_mouse_and_paste();
    let keymap = keymap_from(&config);
    let store = ProfileStore::new(&mut config);
    let mut state = AppState::new(spec, title);
    state.demo = demo.map(DemoPicker::new);
    state.show_line_endings = settings.show_line_endings.unwrap_or(false);
    state.stall_after = settings.stall_after.unwrap_or(state::DEFAULT_STALL_AFTER);
    state.time_format = settings.time_format.unwrap_or(TimeFormat::LocalMs);
    state.set_log_caps(
        settings.max_events.unwrap_or(DEFAULT_MAX_ROWS),
        settings.max_bytes.unwrap_or(DEFAULT_MAX_WIRE_BYTES),
    );
    state.profile_list = store.summaries();
    if let Some(name) = &args.profile
        && let Ok(saved) = store.open(name)
    {
        state.profile = Some(OpenProfile {
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
    let live = recording.is_none();
    if let Some(recording) = recording {
        // The recording's messages as its connection sent them (nothing is
        // sent: its request may hold redacted values, which `c` asks for).
        let id = state::begin_connection(&mut state);
        for msg in recording.messages {
            state::update(&mut state, Msg::Conn { id, msg });
        }
        state.notice = Some(recording.notice);
        state.offline = recording.offline;
    }
    let result = runtime.block_on(run(&mut terminal, state, theme, store, live));
    let _ = set_mouse_capture(false);
    let _ = set_bracketed_paste(false);
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
            None => spec.url.host_str().unwrap_or("").to_owned(),
        };
        return Ok((spec, title, None));
    }
    let demo = demo_server::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
    let url = demo.url("/chat");
    let base = demo.url("/").parse()?;
    demo.spawn();
    let mut with_demo = args.clone();
    with_demo.url = Some(url);
    if with_demo.data.is_none() && with_demo.json.is_none() {
        with_demo.json = Some(CHAT_SAMPLE_BODY.to_owned());
    }
    Ok((
        with_demo.to_spec_with_config(config, None)?,
        "demo /chat".to_owned(),
        Some(base),
    ))
}

/// The loop: wait for input, a connection message or a frame deadline;
/// update; execute effects; draw when something changed. Ends with the
/// reason when a signal or a lost terminal stopped it.
async fn run(
    terminal: &mut DefaultTerminal,
    mut state: AppState,
    theme: Theme,
    mut store: ProfileStore,
    live: bool,
) -> io::Result<Option<shutdown::Reason>> {
    // Before the first draw: from here SIGTERM and SIGHUP end the loop
    // instead of the process, so the terminal and captures are finished.
    let mut shutdown = Shutdown::listen().watching_terminal();
    let terminal_lost = shutdown.terminal_lost();
    let (input_tx, mut input_rx) = mpsc::channel(256);
    // The reader stands aside (paused) while `$EDITOR` has the terminal.
    let pause = InputPause::default();
    let reader = (pause.clone(), input_tx.clone());
    std::thread::spawn(move || {
        let (pause, input_tx) = reader;
        loop {
            let read = pause.reading(|| match event::poll(INPUT_POLL) {
                Ok(true) => event::read().map(Some),
                Ok(false) => Ok(None),
                Err(err) => Err(err),
            });
            match read {
                Ok(Some(ev)) => {
                    if input_tx.blocking_send(Msg::Input(ev)).is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(_) => {
                    // The terminal is gone (EIO after a hang-up): end the loop, not just this thread.
                    terminal_lost.cancel();
                    break;
                }
            }
        }
    });
    let (conn_tx, mut conn_rx) = mpsc::channel(1024);
    // What effects found out (a file saved, a profile read) comes back on a
    // queue of its own that never drops: one message per thing the user did.
    let (results_tx, mut results_rx) = mpsc::unbounded_channel();
    let mut connections = Connections {
        handles: HashMap::new(),
        tx: conn_tx,
        results: results_tx.clone(),
    };
    if live {
        // A request that cannot be sent (a variable not set) opens the editor instead.
        for first in state::connect(&mut state) {
            connections.execute(first);
        }
    }

    let mut cache = ui::ContentCache::default();
    let mut recorders = Recorders::default();
    let mut dirty = true;
    let mut last_draw: Option<Instant> = None;
    // A key (or click, paste, resize) is answered with a frame at once: the
    // frame cap is for streams, and a person types a few keys a second.
    let mut input_seen = false;
    loop {
        let now = Instant::now();
        if dirty && (input_seen || last_draw.is_none_or(|t| now.duration_since(t) >= FRAME)) {
            input_seen = false;
            let mut drawn = ui::Drawn::default();
            if let Err(err) =
                terminal.draw(|frame| drawn = ui::draw(frame, &state, &theme, &mut cache, now))
            {
                return lost_terminal(err);
            }
            last_draw = Some(now);
            // Only a scroll the new layout cut short needs another frame.
            let scroll = state.detail_scroll;
            state::update(&mut state, Msg::Drawn(drawn));
            dirty = state.detail_scroll != scroll;
        }
        let deadline = if dirty {
            last_draw.map(|t| t + FRAME)
        } else {
            tick_after(&state).map(|d| now + d)
        };
        let first = tokio::select! {
            biased;
            reason = shutdown.requested() => return Ok(Some(reason)),
            msg = input_rx.recv() => msg,
            msg = results_rx.recv() => msg,
            msg = conn_rx.recv() => msg,
            () = sleep_until(deadline) => Some(Msg::Tick(Instant::now())),
        };
        let Some(first) = first else {
            return Ok(None);
        };
        let mut batch = Batch::new(first);
        while let Some(msg) = batch.next(&mut input_rx, &mut results_rx, &mut conn_rx) {
            let input = is_answered_at_once(&msg);
            record(&mut recorders.0, &state, &msg, &results_tx);
            for effect in state::update(&mut state, msg) {
                match effect {
                    Effect::EditBody { tab, text, json } => {
                        let result = {
                            let _paused = pause.pause();
                            let extension = if json { "json" } else { "txt" };
                            external_editor::edit(&text, extension, state.mouse_capture)
                        };
                        if let Err(err) = redraw_all(terminal) {
                            return lost_terminal(err);
                        }
                        let result = result.map_err(|err| format!("{err:#}"));
                        let _ = results_tx.send(Msg::BodyEdited { tab, result });
                    }
                    Effect::StartRecording { tab, spec } => {
                        let result = start_recording(&spec).map(|(path, writer)| {
                            recorders.0.insert(tab, writer);
                            path
                        });
                        let _ = results_tx.send(Msg::Recording { tab, result });
                    }
                    Effect::StopRecording { tab } => {
                        let notice = match recorders.0.remove(&tab).map(CaptureWriter::finish) {
                            Some(Err(err)) => format!("the capture file failed: {err}"),
                            _ => "recording stopped".to_owned(),
                        };
                        let _ = results_tx.send(Msg::Notice(notice));
                    }
                    Effect::OpenProfile { tab, name } => {
                        let msg = match store.open(&name) {
                            Ok(spec) => Msg::ProfileOpened {
                                tab,
                                view: store.view(&name),
                                name,
                                spec: Box::new(spec),
                            },
                            Err(err) => Msg::Notice(format!("cannot open profile {name:?}: {err}")),
                        };
                        let _ = results_tx.send(msg);
                    }
                    Effect::SaveProfile {
                        tab,
                        name,
                        spec,
                        view,
                        overwrite,
                    } => {
                        let (result, plain_secrets) =
                            match store.save(&name, &spec, &view, overwrite) {
                                Ok(plain) => (Ok(()), plain),
                                Err(err) => (Err(err), Vec::new()),
                            };
                        let change = ProfileChange::Saved {
                            tab,
                            name,
                            spec,
                            plain_secrets,
                        };
                        let _ = results_tx.send(profiles_msg(&store, result, change));
                    }
                    Effect::RenameProfile { from, to } => {
                        let result = store.rename(&from, &to);
                        let change = ProfileChange::Renamed { from, to };
                        let _ = results_tx.send(profiles_msg(&store, result, change));
                    }
                    Effect::DeleteProfile { name } => {
                        let result = store.delete(&name);
                        let change = ProfileChange::Deleted(name);
                        let _ = results_tx.send(profiles_msg(&store, result, change));
                    }
                    effect => {
                        if let Effect::Connect { tab, .. } | Effect::Disconnect { tab } = &effect
                            && let Some(writer) = recorders.0.get_mut(tab)
                        {
                            // The tab's connection ends here: its capture says
                            // so (once) before a new one's records follow.
                            let _ = writer.record(&ConnMsg::Closed {
                                reason: CloseReason::Stopped,
                            });
                        }
                        connections.execute(effect)
                    }
                }
            }
            if state.quit {
                return Ok(None);
            }
            dirty = true;
            if input {
                // Drawn before the stream's queued messages are handled.
                input_seen = true;
                break;
            }
        }
    }
}

/// The messages handled before the next redraw: the one that woke the loop,
/// then what is already queued (input, then effects' results, then the
/// streams), at most [`MAX_BATCH`] in all.
/// A message leaves its queue only when it is about to be handled, so a full
/// batch leaves the rest queued for the next one: none is taken and dropped.
struct Batch {
    first: Option<Msg>,
    handed_out: usize,
}

impl Batch {
    fn new(first: Msg) -> Self {
        Self {
            first: Some(first),
            handed_out: 0,
        }
    }

    fn next(
        &mut self,
        input: &mut mpsc::Receiver<Msg>,
        results: &mut mpsc::UnboundedReceiver<Msg>,
        conn: &mut mpsc::Receiver<Msg>,
    ) -> Option<Msg> {
        if self.handed_out >= MAX_BATCH {
            return None;
        }
        let msg = match self.first.take() {
            Some(first) => first,
            None => input
                .try_recv()
                .or_else(|_| results.try_recv())
                .or_else(|_| conn.try_recv())
                .ok()?,
        };
        self.handed_out += 1;
        Some(msg)
    }
}

/// Whether a message is a person's: a key, paste, resize or mouse button or
/// wheel (not a mere move of the pointer, which comes by the hundred).
fn is_answered_at_once(msg: &Msg) -> bool {
    match msg {
        Msg::Input(event::Event::Mouse(mouse)) => {
            !matches!(mouse.kind, event::MouseEventKind::Moved)
        }
        Msg::Input(_) => true,
        _ => false,
    }
}

/// The capture file of each recording tab. However the loop ends (quit, a
/// signal, a terminal error), each capture gets its close record and is
/// flushed when this is dropped, so it reads back complete.
#[derive(Default)]
struct Recorders(HashMap<u64, CaptureWriter>);

impl Drop for Recorders {
    fn drop(&mut self) {
        let closed = ConnMsg::Closed {
            reason: CloseReason::Stopped,
        };
        for (_, mut writer) in self.0.drain() {
            let _ = writer.record(&closed);
            let _ = writer.finish();
        }
    }
}

/// Writes a connection message to its tab's capture, if the tab records; a
/// failing file stops the recording and says so.
fn record(
    recorders: &mut HashMap<u64, CaptureWriter>,
    state: &AppState,
    msg: &Msg,
    notices: &mpsc::UnboundedSender<Msg>,
) {
    let Msg::Conn { id, msg } = msg else { return };
    if recorders.is_empty() {
        return;
    }
    let Some(tab) = state
        .sessions
        .iter()
        .find(|s| s.conn_id == *id)
        .map(|s| s.key)
    else {
        return;
    };
    if let Some(writer) = recorders.get_mut(&tab)
        && let Err(err) = writer.record(msg)
    {
        recorders.remove(&tab);
        let _ = notices.send(Msg::Recording {
            tab,
            result: Err(format!("the capture file failed: {err}")),
        });
    }
}

/// A new capture file in the current directory, named after the time (a
/// number added when the name is taken).
fn start_recording(spec: &RequestSpec) -> Result<(PathBuf, CaptureWriter), String> {
    let stamp: String = humantime::format_rfc3339_seconds(std::time::SystemTime::now())
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let path = PathBuf::from(format!("ssetui-{stamp}.ssecap"));
    CaptureWriter::create_unused(&path, spec, false)
        .map_err(|err| format!("cannot create {}: {err}", path.display()))
}

/// The list after a change to the file, or why the change did not happen.
fn profiles_msg(store: &ProfileStore, result: Result<(), String>, change: ProfileChange) -> Msg {
    match result {
        Ok(()) => Msg::ProfilesChanged {
            list: store.summaries(),
            change,
        },
        Err(err) => Msg::Notice(format!("not saved: {err}")),
    }
}

/// The `[keys]` table over the default bindings.
fn keymap_from(config: &Startup) -> Result<Keymap, KeymapError> {
    let Some(file) = &config.file else {
        return Ok(Keymap::default());
    };
    Keymap::from_config(&file.config().key_table())
}

/// How soon the screen changes by itself: a countdown or the elapsed clock.
fn tick_after(state: &AppState) -> Option<Duration> {
    match state.status {
        ConnStatus::Reconnecting { .. } => Some(Duration::from_millis(100)),
        ConnStatus::Open | ConnStatus::Connecting => Some(Duration::from_secs(1)),
        _ => None,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// The running connection task of each tab, and where their messages go.
/// Dropping a handle stops its task.
struct Connections {
    handles: HashMap<u64, ConnectionHandle>,
    tx: mpsc::Sender<Msg>,
    /// Where what an effect found out goes (never full, never dropped).
    results: mpsc::UnboundedSender<Msg>,
}

impl Connections {
    fn execute(&mut self, effect: Effect) {
        match effect {
            Effect::Connect { tab, id, spec } => {
                self.handles.remove(&tab);
                let (tx, mut rx) = mpsc::channel(1024);
                self.handles.insert(tab, sse::spawn(*spec, tx));
                let forward = self.tx.clone();
                tokio::spawn(async move {
                    while let Some(msg) = rx.recv().await {
                        if forward.send(Msg::Conn { id, msg }).await.is_err() {
                            break;
                        }
                    }
                });
            }
            Effect::Disconnect { tab } => {
                self.handles.remove(&tab);
            }
            Effect::Reconnect { tab } => {
                if let Some(handle) = self.handles.get(&tab) {
                    handle.restart();
                }
            }
            Effect::ResumeFrom { tab, id } => {
                if let Some(handle) = self.handles.get(&tab) {
                    handle.resume_from(id);
                }
            }
            Effect::Copy(text) => {
                let notice = match copy_osc52(&text) {
                    Ok(()) => format!(
                        "copied {} bytes (OSC 52); if your terminal ignores OSC 52, press s to save instead",
                        text.len()
                    ),
                    Err(err) => format!("cannot copy: {err}; press s to save instead"),
                };
                let _ = self.results.send(Msg::Notice(notice));
            }
            Effect::Save { files, what } => {
                let tx = self.results.clone();
                // Off the UI loop: a large stream must not stall input.
                tokio::task::spawn_blocking(move || {
                    // New files only (0600, a number added to a name that is
                    // taken): the server chose part of the name.
                    let written: Result<Vec<String>, String> = files
                        .iter()
                        .map(|(path, contents)| {
                            crate::private_file::write_unused(path, contents)
                                .map(|written| written.display().to_string())
                                .map_err(|err| format!("cannot save to {}: {err}", path.display()))
                        })
                        .collect();
                    let notice = match written {
                        Ok(paths) => format!("saved {what} to {}", paths.join(" and ")),
                        Err(err) => err,
                    };
                    let _ = tx.send(Msg::Notice(notice));
                });
            }
            // Run by the loop itself: it needs the terminal, or the config file.
            Effect::EditBody { .. }
            | Effect::StartRecording { .. }
            | Effect::StopRecording { .. }
            | Effect::OpenProfile { .. }
            | Effect::SaveProfile { .. }
            | Effect::RenameProfile { .. }
            | Effect::DeleteProfile { .. } => {}
            Effect::MouseCapture(on) => {
                let _ = set_mouse_capture(on);
            }
            Effect::Quit => {}
        }
    }
}

/// A draw that failed because the terminal hung up ends the loop as the
/// hang-up does (exit 129), not as an error of ours (exit 1): after a
/// hang-up the first redraw may come before SIGHUP is seen.
fn lost_terminal(err: io::Error) -> io::Result<Option<shutdown::Reason>> {
    if shutdown::terminal_is_gone() {
        Ok(Some(shutdown::Reason::TerminalLost))
    } else {
        Err(err)
    }
}

/// Makes the next frame repaint every cell (after `$EDITOR` had the screen).
/// Not `Terminal::clear`: it asks the terminal for the cursor position, and
/// an answer that never comes (some emulators, a slow link) would end the app.
fn redraw_all(terminal: &mut DefaultTerminal) -> io::Result<()> {
    use ratatui::crossterm::execute;
    use ratatui::crossterm::terminal::{Clear, ClearType};
    execute!(io::stdout(), Clear(ClearType::All))?;
    // Both buffers blank: the next draw diffs against nothing and sends it all.
    terminal.swap_buffers();
    terminal.swap_buffers();
    Ok(())
}

/// Turns on mouse reporting and bracketed paste (a paste then arrives as one
/// event, typed into the field being edited, not as keys), after ratatui's
/// terminal set-up. Both are ours to undo: a panic turns them off before
/// ratatui's own panic hook restores the rest of the terminal.
pub fn enable_mouse_and_paste() {
    let restore_terminal = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = set_mouse_capture(false);
        let _ = set_bracketed_paste(false);
        restore_terminal(info);
    }));
    let _ = set_mouse_capture(true);
    let _ = set_bracketed_paste(true);
}

/// Turns bracketed paste on or off.
fn set_bracketed_paste(on: bool) -> io::Result<()> {
    use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
    use ratatui::crossterm::execute;
    if on {
        execute!(io::stdout(), EnableBracketedPaste)
    } else {
        execute!(io::stdout(), DisableBracketedPaste)
    }
}

/// Turns the terminal's mouse reporting on or off.
fn set_mouse_capture(on: bool) -> io::Result<()> {
    use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
    use ratatui::crossterm::execute;
    if on {
        execute!(io::stdout(), EnableMouseCapture)
    } else {
        execute!(io::stdout(), DisableMouseCapture)
    }
}

/// Puts text on the clipboard of the terminal (local or over SSH) with the
/// OSC 52 escape sequence.
fn copy_osc52(text: &str) -> io::Result<()> {
    use base64::Engine as _;
    use std::io::Write as _;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout().lock();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{
        Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind,
    };

    use super::*;

    fn mouse(kind: MouseEventKind) -> Msg {
        Msg::Input(Event::Mouse(MouseEvent {
            kind,
            column: 1,
            row: 1,
            modifiers: KeyModifiers::NONE,
        }))
    }

    #[test]
    fn a_full_batch_leaves_the_rest_queued_and_takes_input_first() {
        let (conn_tx, mut conn) = mpsc::channel(MAX_BATCH * 2);
        let (input_tx, mut input) = mpsc::channel(4);
        let tick = || Msg::Tick(Instant::now());
        for _ in 0..MAX_BATCH + 10 {
            conn_tx.try_send(tick()).unwrap();
        }
        input_tx.try_send(Msg::Notice("key".into())).unwrap();
        let (_results_tx, mut results) = mpsc::unbounded_channel();
        let mut batch = Batch::new(conn.try_recv().unwrap());
        let first = batch.next(&mut input, &mut results, &mut conn);
        assert!(
            matches!(first, Some(Msg::Tick(_))),
            "the message that woke the loop"
        );
        assert!(
            matches!(
                batch.next(&mut input, &mut results, &mut conn),
                Some(Msg::Notice(_))
            ),
            "input before the queued stream"
        );
        let mut handled = 2;
        while batch.next(&mut input, &mut results, &mut conn).is_some() {
            handled += 1;
        }
        assert_eq!(handled, MAX_BATCH);
        // MAX_BATCH + 10 of the stream's and a key: 11 more than a batch,
        // all still queued, none taken and lost.
        let mut left = 0;
        while conn.try_recv().is_ok() {
            left += 1;
        }
        assert_eq!(left, 11);
    }

    #[test]
    fn keys_clicks_and_resizes_are_drawn_at_once_but_pointer_moves_and_streams_wait() {
        let key = Msg::Input(Event::Key(KeyEvent::new(
            KeyCode::Char('j'),
            KeyModifiers::NONE,
        )));
        assert!(is_answered_at_once(&key));
        assert!(is_answered_at_once(&Msg::Input(Event::Resize(80, 24))));
        assert!(is_answered_at_once(&mouse(MouseEventKind::ScrollDown)));
        assert!(!is_answered_at_once(&mouse(MouseEventKind::Moved)));
        assert!(!is_answered_at_once(&Msg::Tick(Instant::now())));
        assert!(!is_answered_at_once(&Msg::Conn {
            id: 1,
            msg: ConnMsg::Closed {
                reason: CloseReason::Ended
            }
        }));
    }
}
