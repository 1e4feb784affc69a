//! What happened (terminal input, connection messages, the clock) and what the
//! app should do about it (effects). `update` turns the first into the second.

use std::path::PathBuf;
use std::time::Instant;

use ratatui::crossterm::event::Event as TermEvent;

use crate::sse::{ConnMsg, RequestSpec};
use crate::state::profile_picker::ProfileSummary;
use crate::state::{ConnId, FrameLayout, TabId};

/// What a change to the config file did, for the tabs that show a profile.
#[derive(Debug, Clone, PartialEq)]
pub enum ProfileChange {
    /// Only the list (read afresh).
    None,
    /// Tab `tab`'s request was saved as `name`.
    Saved {
        tab: TabId,
        name: String,
        spec: Box<RequestSpec>,
        /// The profile's fields that hold a secret in plain text (not an
        /// `${env:…}` reference), e.g. `headers.X-Api-Key`, to tell the user.
        plain_secrets: Vec<String>,
    },
    Renamed {
        from: String,
        to: String,
    },
    Deleted(String),
}

/// Everything the UI loop reacts to.
#[derive(Debug)]
pub enum Msg {
    /// A key, mouse, paste or resize event from the terminal.
    Input(TermEvent),
    /// A message from connection `id`. Messages of an older connection are ignored,
    /// so a restart can never mix two streams.
    Conn { id: ConnId, msg: ConnMsg },
    /// What `ssetui tap` saw pass through it: an exchange's stream began,
    /// one of its messages, another exchange ended.
    Tap(crate::tap::TapMsg),
    /// What MCP connection `id` of tab `tab` tells besides its messages
    /// (which come as its reads): the era, lists, a call's progress.
    Mcp {
        tab: TabId,
        id: ConnId,
        update: crate::mcp::live::Update,
    },
    /// The probing of tab `tab`'s MCP server ended: what was probed and
    /// the findings, or why it could not be.
    McpProbed {
        tab: TabId,
        result: Result<(String, Vec<crate::check::core::mcp::Finding>), String>,
    },
    /// Time passed; sent only while something on screen counts down.
    Tick(Instant),
    /// A frame was drawn: where it drew what, and what only drawing finds
    /// out (how far the detail scrolls). Sent after each frame.
    Drawn(FrameLayout),
    /// The body text back from `$EDITOR` for tab `tab`'s request editor, or why not.
    BodyEdited {
        tab: TabId,
        result: Result<String, String>,
    },
    /// The config file's profiles changed (or were read): the new list, and what changed.
    ProfilesChanged {
        list: Vec<ProfileSummary>,
        change: ProfileChange,
    },
    /// A profile was read and resolved for tab `tab`.
    ProfileOpened {
        tab: TabId,
        name: String,
        spec: Box<RequestSpec>,
        view: crate::config::ViewSettings,
        /// Its JSON Schemas compiled (`None`: it has none), or why they cannot be.
        schemas: Result<Option<std::sync::Arc<crate::insight::contract::Schemas>>, String>,
    },
    /// Recording of tab `tab` started (to this file) or could not start.
    Recording {
        tab: TabId,
        result: Result<std::path::PathBuf, String>,
    },
    /// The history file was read (`h`): its entries, oldest first, or why not.
    HistoryLoaded(Result<Vec<crate::history::Entry>, String>),
    /// The outcome of an effect (a file saved, text copied), for the user to read.
    Notice(String),
}

/// What `update` asks the loop to do. Effects are data so `update` stays pure.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Start a new connection for tab `tab` (stopping its current one) with
    /// this request, as id `id`.
    Connect {
        tab: TabId,
        id: ConnId,
        spec: Box<RequestSpec>,
        /// The profile the tab shows, if any: the request goes into the
        /// history under its name (when the history is on).
        profile: Option<String>,
    },
    /// Ask tab `tab`'s MCP connection for something (a list, a call, a cancel).
    Mcp {
        tab: TabId,
        command: crate::mcp::live::Command,
    },
    /// Probe tab `tab`'s MCP server with `check --mcp`'s rules, on a
    /// connection of its own; `Msg::McpProbed` follows.
    ProbeMcp {
        tab: TabId,
        spec: Box<RequestSpec>,
    },
    /// Stop the tab's connection (the user disconnected).
    Disconnect {
        tab: TabId,
    },
    /// The tab was closed: stop its connection and end its recording.
    CloseTab {
        tab: TabId,
    },
    /// Reconnect the tab now, keeping the last event ID.
    Reconnect {
        tab: TabId,
    },
    /// Reconnect the tab now sending this `Last-Event-ID`.
    ResumeFrom {
        tab: TabId,
        id: String,
    },
    /// Hand the terminal to `$EDITOR` on this body text (of tab `tab`'s draft);
    /// `json` picks the file's extension so the editor highlights it.
    EditBody {
        tab: TabId,
        text: String,
        json: bool,
    },
    /// Read the named profile (resolving `${env:…}`) for tab `tab`.
    OpenProfile {
        tab: TabId,
        name: String,
        /// The environment for its `{{name}}` placeholders; `None`: the profile's own.
        env: Option<String>,
    },
    /// Write what the UI remembers between runs (the environment chosen
    /// for each profile) beside the config.
    Remember(crate::config::remembered::Remembered),
    /// Save tab `tab`'s request as the named profile (`overwrite`: it exists).
    SaveProfile {
        tab: TabId,
        name: String,
        spec: Box<RequestSpec>,
        /// The tab's search and Answer path, saved beside the request.
        view: crate::config::ViewSettings,
        overwrite: bool,
    },
    RenameProfile {
        from: String,
        to: String,
    },
    DeleteProfile {
        name: String,
    },
    /// Record tab `tab`'s connection messages to a new capture file.
    StartRecording {
        tab: TabId,
        spec: Box<RequestSpec>,
    },
    /// Stop recording tab `tab` (the file is complete as it is).
    StopRecording {
        tab: TabId,
    },
    /// Turn terminal mouse reporting on or off (off lets the terminal select text).
    MouseCapture(bool),
    /// Put `bytes` on the clipboard: with `tmux load-buffer` when `$TMUX`
    /// is set, else OSC 52 (works over SSH). `what` names them in the
    /// notice; `or_else` is what to do when the terminal ignores OSC 52.
    Copy {
        bytes: Vec<u8>,
        what: String,
        or_else: Option<&'static str>,
    },
    /// Write files; `what` names them in the notice.
    Save {
        files: Vec<(PathBuf, Vec<u8>)>,
        what: String,
    },
    /// Write a tab's retained events as NDJSON to `ndjson` and its session
    /// as a capture to `capture`, from a snapshot (off the UI task: a
    /// million rows take a while); `from_oldest_retained`: rows were dropped
    /// before it, which the notice says.
    SaveStream {
        snapshot: Box<crate::state::event_log::LogSnapshot>,
        request: Box<RequestSpec>,
        ndjson: PathBuf,
        capture: PathBuf,
        from_oldest_retained: bool,
    },
    /// Read the history file, to open the picker (`h`): `Msg::HistoryLoaded` follows.
    LoadHistory,
    /// Leave the app.
    Quit,
}
