//! The one place effects are carried out: `update` asks, this does (the
//! network, files, the clipboard, `$EDITOR`, the config file). What an effect
//! finds out comes back as a message on the results queue, which never drops
//! one (a notice, a profile read, a recording that failed).

use std::collections::HashMap;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::pipe::Pipe;
use super::running::Running;
use super::terminal;
use crate::capture::CaptureWriter;
use crate::capture::piped::PipedStream;
use crate::external_editor::{self, InputPause};
use crate::message::{Effect, Msg, ProfileChange};
use crate::profile_store::ProfileStore;
use crate::sse::{self, BodyFormat, ConnMsg, RequestSpec};
use crate::state::event_log::LogSnapshot;
use crate::state::{ConnId, TabId};

/// The most read from stdin at once.
const STDIN_READ: usize = 64 * 1024;

/// Where a connection's messages queue before the loop takes them.
const CONNECTION_CAPACITY: usize = 1024;

/// Carries out effects for the UI loop.
pub struct Executor {
    /// Each tab's running connection (dropping a handle stops its task).
    handles: HashMap<TabId, Running>,
    /// Each tab's cookie jar: what its server set is sent on its reconnects
    /// and on the tab's next connections, never to another tab.
    jars: HashMap<TabId, sse::session::SharedJar>,
    /// Each tab's pipe to the loop, recording included.
    pipes: HashMap<TabId, Pipe>,
    to_loop: mpsc::Sender<Msg>,
    results: mpsc::UnboundedSender<Msg>,
    store: ProfileStore,
    /// The terminal reader, paused while `$EDITOR` has the terminal.
    pause: InputPause,
    /// Where requests sent are kept and what the UI remembers.
    files: Files,
    /// The history's writer, a thread started with the first request: one
    /// writer, so two tabs connecting at once both get their line.
    history_writer: Option<HistoryWriter>,
}

/// The files the UI writes beside the config besides the config itself.
#[derive(Debug, Default)]
pub struct Files {
    /// Where requests sent are kept; `None` when the history is off.
    pub history: Option<PathBuf>,
    /// What the UI remembers between runs; `None` with no config location.
    pub remembered: Option<PathBuf>,
    /// How MCP connections follow the authorization chain: tokens kept
    /// beside the config, as `print --mcp` keeps them.
    pub mcp_authorization: crate::mcp::authorize::Options,
}

/// The thread that appends to the history, and the queue to it.
struct HistoryWriter {
    queue: std::sync::mpsc::Sender<crate::history::Entry>,
    thread: std::thread::JoinHandle<()>,
}

/// What carrying out an effect did to the terminal.
pub enum Outcome {
    Done,
    /// The terminal could not be redrawn after `$EDITOR` (it hung up).
    TerminalLost(std::io::Error),
}

impl Executor {
    pub fn new(
        to_loop: mpsc::Sender<Msg>,
        results: mpsc::UnboundedSender<Msg>,
        store: ProfileStore,
        pause: InputPause,
        files: Files,
    ) -> Self {
        Self {
            handles: HashMap::new(),
            jars: HashMap::new(),
            pipes: HashMap::new(),
            to_loop,
            results,
            store,
            pause,
            files,
            history_writer: None,
        }
    }

    pub fn execute(
        &mut self,
        effect: Effect,
        terminal: &mut DefaultTerminal,
        mouse_capture: bool,
    ) -> Outcome {
        match effect {
            Effect::Connect {
                tab,
                id,
                mut spec,
                profile,
            } => {
                self.remember(&spec, profile);
                let (tx, rx) = mpsc::channel(CONNECTION_CAPACITY);
                let jar = self.jars.entry(tab).or_insert_with(|| {
                    spec.session
                        .cookies
                        .clone()
                        .unwrap_or_else(|| sse::session::shared_jar(Default::default()))
                });
                spec.session.cookies = Some(jar.clone());
                // The new task replaces the old one, which stops when dropped.
                let running = match spec.protocol.clone() {
                    sse::Protocol::Mcp { .. } => {
                        let results = self.results.clone();
                        let updates = Box::new(move |update| {
                            let _ = results.send(Msg::Mcp { tab, id, update });
                        });
                        let authorization = self.files.mcp_authorization.clone();
                        Running::Mcp(crate::mcp::live::spawn(*spec, authorization, tx, updates))
                    }
                    sse::Protocol::Sse => Running::Sse(sse::spawn(*spec, tx)),
                };
                if let Some(old) = self.handles.insert(tab, running) {
                    // Its session ended off the loop.
                    std::thread::spawn(move || old.finish());
                }
                self.pipe(tab).attach(id, rx);
            }
            Effect::Mcp { tab, command } => {
                let sent = self
                    .handles
                    .get(&tab)
                    .is_some_and(|running| running.mcp(command));
                if !sent {
                    self.tell(Msg::Notice(
                        "not connected: c connects the MCP server".into(),
                    ));
                }
            }
            Effect::ProbeMcp { tab, spec } => {
                let authorization = self.files.mcp_authorization.clone();
                super::running::probe(tab, *spec, authorization, self.results.clone())
            }
            Effect::Disconnect { tab } => {
                if let Some(old) = self.handles.remove(&tab) {
                    std::thread::spawn(move || old.finish());
                }
                if let Some(pipe) = self.pipes.get(&tab) {
                    pipe.detach();
                }
            }
            Effect::CloseTab { tab } => {
                self.handles.remove(&tab);
                self.jars.remove(&tab);
                if let Some(pipe) = self.pipes.remove(&tab) {
                    // Its recording, if any, ends complete, off the loop.
                    tokio::spawn(pipe.close());
                }
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
            Effect::StartRecording { tab, spec } => {
                let result = start_recording(&spec).map(|(path, writer)| {
                    self.pipe(tab).record(path.clone(), writer);
                    path
                });
                self.tell(Msg::Recording { tab, result });
            }
            Effect::StopRecording { tab } => {
                let Some(pipe) = self.pipes.get(&tab) else {
                    return Outcome::Done;
                };
                let stopped = pipe.stop_recording();
                let results = self.results.clone();
                tokio::spawn(async move {
                    let notice = match stopped.await {
                        Ok(Err(err)) => format!("the capture file failed: {err}"),
                        _ => "recording stopped".to_owned(),
                    };
                    let _ = results.send(Msg::Notice(notice));
                });
            }
            Effect::EditBody { tab, text, json } => {
                let result = {
                    let _paused = self.pause.pause();
                    let extension = if json { "json" } else { "txt" };
                    external_editor::edit(&text, extension, mouse_capture)
                };
                if let Err(err) = terminal::redraw_all(terminal) {
                    return Outcome::TerminalLost(err);
                }
                let result = result.map_err(|err| format!("{err:#}"));
                self.tell(Msg::BodyEdited { tab, result });
            }
            Effect::OpenProfile { tab, name, env } => {
                let msg = match self.store.open(&name, env.as_deref()) {
                    Ok(spec) => Msg::ProfileOpened {
                        tab,
                        view: self.store.view(&name),
                        schemas: self
                            .store
                            .schemas(&name)
                            .map(|s| s.map(std::sync::Arc::new)),
                        name,
                        spec: Box::new(spec),
                    },
                    Err(err) => Msg::Notice(format!(
                        "cannot open profile {}: {err}",
                        crate::text::quote(&name)
                    )),
                };
                self.tell(msg);
            }
            Effect::SaveProfile {
                tab,
                name,
                spec,
                view,
                overwrite,
            } => {
                let (result, plain_secrets) = match self.store.save(&name, &spec, &view, overwrite)
                {
                    Ok(plain) => (Ok(()), plain),
                    Err(err) => (Err(err), Vec::new()),
                };
                let change = ProfileChange::Saved {
                    tab,
                    name,
                    spec,
                    plain_secrets,
                };
                self.tell(profiles_msg(&self.store, result, change));
            }
            Effect::RenameProfile { from, to } => {
                let result = self.store.rename(&from, &to);
                let change = ProfileChange::Renamed { from, to };
                self.tell(profiles_msg(&self.store, result, change));
            }
            Effect::DeleteProfile { name } => {
                let result = self.store.delete(&name);
                let change = ProfileChange::Deleted(name);
                self.tell(profiles_msg(&self.store, result, change));
            }
            Effect::Copy {
                bytes,
                what,
                or_else,
            } => {
                let tmux = std::env::var_os("TMUX");
                let size = crate::text::size(bytes.len() as u64);
                let notice = match (super::clipboard::copy(&bytes, tmux.as_deref()), or_else) {
                    (Ok(route @ super::clipboard::Route::Tmux), _) | (Ok(route), None) => {
                        format!("copied {what} ({size}) {}", route.describe())
                    }
                    (Ok(route), Some(or_else)) => format!(
                        "copied {what} ({size}) {}; if your terminal ignores OSC 52, {or_else}",
                        route.describe()
                    ),
                    (Err(err), Some(or_else)) => format!("cannot copy {what}: {err}; {or_else}"),
                    (Err(err), None) => format!("cannot copy {what}: {err}"),
                };
                self.tell(Msg::Notice(notice));
            }
            Effect::Save { files, what } => {
                let results = self.results.clone();
                // Off the UI loop: a large stream must not stall input.
                tokio::task::spawn_blocking(move || {
                    let _ = results.send(Msg::Notice(save(&files, &what)));
                });
            }
            Effect::SaveStream {
                snapshot,
                request,
                ndjson,
                capture,
                from_oldest_retained,
            } => {
                let results = self.results.clone();
                tokio::task::spawn_blocking(move || {
                    let notice = match save_stream(&snapshot, &request, &ndjson, &capture) {
                        Ok((count, ndjson, capture)) => format!(
                            "saved {count} events as NDJSON and the session as a capture{} to {} and {}",
                            if from_oldest_retained {
                                " (from the oldest retained row)"
                            } else {
                                ""
                            },
                            ndjson.display(),
                            capture.display()
                        ),
                        Err(err) => err,
                    };
                    let _ = results.send(Msg::Notice(notice));
                });
            }
            Effect::LoadHistory => {
                let results = self.results.clone();
                let path = self.files.history.clone();
                tokio::task::spawn_blocking(move || {
                    let result = match path {
                        None => Err("the history is off (history = false in [settings], or no config location)".to_owned()),
                        Some(path) => crate::history::read(&path).map_err(|err| err.to_string()),
                    };
                    let _ = results.send(Msg::HistoryLoaded(result));
                });
            }
            Effect::Remember(remembered) => {
                // Small, and written when the user picks an environment:
                // written here, and a failure is said, not fatal.
                if let Some(path) = &self.files.remembered
                    && let Err(err) = remembered.save(path)
                {
                    self.tell(Msg::Notice(format!(
                        "the environment chosen is not remembered for next time: {}: {err}",
                        path.display()
                    )));
                }
            }
            Effect::MouseCapture(on) => {
                let _ = terminal::set_mouse_capture(on);
            }
            Effect::Quit => {}
        }
        Outcome::Done
    }

    /// Feeds tab `tab`, as connection `id`, from stdin, a read at a time as
    /// the bytes arrive (a thread of its own: the reads block), until end
    /// of input. Stdin is never the terminal here: keys come from `/dev/tty`.
    pub fn read_stdin(&mut self, tab: TabId, id: ConnId, format: BodyFormat) {
        let (tx, rx) = mpsc::channel(CONNECTION_CAPACITY);
        std::thread::spawn(move || pump_stdin(format, &tx));
        self.pipe(tab).attach(id, rx);
    }

    /// Stops every connection and waits until every capture is closed and
    /// flushed: however the loop ends (quit, a signal, a lost terminal),
    /// each capture gets its close record and reads back complete.
    pub async fn shut_down(mut self) {
        // MCP sessions are ended (DELETE) together, a little waited for.
        let finishing: Vec<_> = self
            .handles
            .drain()
            .map(|(_, running)| std::thread::spawn(move || running.finish()))
            .collect();
        let _ = tokio::task::spawn_blocking(move || {
            for thread in finishing {
                let _ = thread.join();
            }
        })
        .await;
        // The history's last lines are written before the process exits.
        if let Some(writer) = self.history_writer.take() {
            drop(writer.queue);
            let _ = tokio::task::spawn_blocking(move || writer.thread.join()).await;
        }
        for (_, pipe) in self.pipes.drain() {
            pipe.close().await;
        }
    }

    /// Hands `spec`, as sent now, to the history's writer (started the
    /// first time), off the loop; a failure comes back as a notice.
    fn remember(&mut self, spec: &RequestSpec, profile: Option<String>) {
        let Some(path) = &self.files.history else {
            return;
        };
        let entry = crate::history::Entry::new(
            spec,
            profile,
            crate::history::Sender::Ui,
            std::time::SystemTime::now(),
        );
        let writer = self.history_writer.get_or_insert_with(|| {
            let (queue, rx) = std::sync::mpsc::channel::<crate::history::Entry>();
            let (path, results) = (path.clone(), self.results.clone());
            let thread = std::thread::spawn(move || {
                for entry in rx {
                    if let Err(err) = crate::history::append(&path, &entry) {
                        let _ =
                            results.send(Msg::Notice(format!("not kept in the history: {err}")));
                    }
                }
            });
            HistoryWriter { queue, thread }
        });
        let _ = writer.queue.send(entry);
    }

    /// Tab `tab`'s pipe, started the first time it is needed.
    fn pipe(&mut self, tab: TabId) -> &Pipe {
        let (to_loop, results) = (&self.to_loop, &self.results);
        self.pipes
            .entry(tab)
            .or_insert_with(|| Pipe::spawn(tab, to_loop.clone(), results.clone()))
    }

    fn tell(&self, msg: Msg) {
        let _ = self.results.send(msg);
    }
}

/// Reads stdin until its end, each read's messages sent as they come; stops
/// early when the UI is gone.
fn pump_stdin(format: BodyFormat, tx: &mpsc::Sender<ConnMsg>) {
    use std::io::Read as _;
    let mut stream = PipedStream::new(format);
    let send = |msgs: Vec<ConnMsg>| msgs.into_iter().all(|m| tx.blocking_send(m).is_ok());
    if !send(stream.opened()) {
        return;
    }
    let mut stdin = std::io::stdin().lock();
    let mut buf = vec![0u8; STDIN_READ];
    loop {
        match stdin.read(&mut buf) {
            Ok(0) => {
                send(stream.end(None));
                return;
            }
            Ok(n) => {
                let bytes = bytes::Bytes::copy_from_slice(&buf[..n]);
                if !send(stream.read(bytes, std::time::SystemTime::now())) {
                    return;
                }
            }
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => {
                send(stream.end(Some(format!("cannot read stdin: {err}"))));
                return;
            }
        }
    }
}

/// Writes each file new (0600, a number added to a name that is taken: the
/// server chose part of the name); the notice that says so.
fn save(files: &[(PathBuf, Vec<u8>)], what: &str) -> String {
    let written: Result<Vec<String>, String> = files
        .iter()
        .map(|(path, contents)| {
            crate::private_file::write_unused(path, contents)
                .map(|written| written.display().to_string())
                .map_err(|err| format!("cannot save to {}: {err}", path.display()))
        })
        .collect();
    match written {
        Ok(paths) => format!("saved {what} to {}", paths.join(" and ")),
        Err(err) => err,
    }
}

/// A tab's events as NDJSON and its session as a capture, each to a new
/// file (0600, a number added to a name that is taken), written as they are
/// read from the snapshot; the events written and the paths used.
fn save_stream(
    snapshot: &LogSnapshot,
    request: &RequestSpec,
    ndjson: &Path,
    capture: &Path,
) -> Result<(u64, PathBuf, PathBuf), String> {
    let create = |path: &Path| {
        crate::private_file::create_unused(path)
            .map(|(path, file)| (path, BufWriter::new(file)))
            .map_err(|err| format!("cannot save to {}: {err}", path.display()))
    };
    let failed = |path: &Path| {
        let path = path.display().to_string();
        move |err: std::io::Error| format!("cannot save to {path}: {err}")
    };
    let (ndjson, mut out) = create(ndjson)?;
    let count = snapshot.write_ndjson(&mut out).map_err(failed(&ndjson))?;
    out.into_inner()
        .map_err(|err| err.into_error())
        .and_then(|file| file.sync_all())
        .map_err(failed(&ndjson))?;
    let (capture, out) = create(capture)?;
    snapshot
        .write_capture(request, out)
        .map_err(failed(&capture))?;
    Ok((count, ndjson, capture))
}

/// A new capture file in the current directory, named after the time (the
/// next free name when it is taken).
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
