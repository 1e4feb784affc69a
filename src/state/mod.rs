//! The UI's state: plain data, updated by messages, rendered by `ui`. No I/O here.

pub mod contract;
pub mod demo_picker;
pub mod environment_picker;
pub mod event_log;
mod frame;
pub mod history_picker;
mod ids;
pub mod insight;
pub mod list_view;
pub mod mcp;
pub mod mcp_ask;
pub mod mcp_panel;
mod overlay;
pub mod profile_picker;
pub mod request_form;
pub mod resolved;
pub mod search;
mod session;
pub mod text_input;
mod update;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::sse::RequestSpec;

pub use demo_picker::DemoPicker;
pub use event_log::{AttemptInfo, EventLog, Row, RowKind};
pub use frame::{DEFAULT_PAGE, EditorScroll, FrameLayout};
pub use ids::{ConnId, TabId};
pub use list_view::ListView;
pub use overlay::{HelpPage, Overlay};
pub use profile_picker::{ProfilePicker, ProfileSummary};
pub use search::Search;
pub use session::{OpenProfile, Session};
pub use update::{begin_connection, connect, update};

/// How long a live stream may be silent before it is flagged as stalled
/// (`stall_after` in the settings).
pub const DEFAULT_STALL_AFTER: Duration = Duration::from_secs(10);

/// The connection as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnStatus {
    /// Not connected and not trying.
    Idle,
    Connecting,
    Open,
    /// Waiting to reconnect; `at` is when the next attempt starts.
    Reconnecting {
        at: Instant,
        delay: Duration,
    },
    /// Finished without error (stream ended, 204, stopped).
    Closed(String),
    /// Finished with an error, its message kept for the status bar.
    Failed(String),
}

/// Which rendering of the selected event the detail pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailMode {
    /// The data, pretty-printed when it is JSON.
    Content,
    /// The exact protocol text as received.
    Raw,
    /// Every byte received, keep-alives between events included, from the selected row on.
    Wire,
    /// The connection's LLM answer, assembled from its chunks.
    Answer,
    /// What is wrong with the stream, and how to fix it.
    Checks,
    /// Timing: first byte and event, events per second, gaps.
    Stats,
}

impl DetailMode {
    /// Every view, in the order `v` steps through them (and Alt-1…Alt-6 pick).
    pub const ALL: [DetailMode; 6] = [
        DetailMode::Content,
        DetailMode::Raw,
        DetailMode::Wire,
        DetailMode::Answer,
        DetailMode::Checks,
        DetailMode::Stats,
    ];

    /// The view after this one (wrapping), or before it.
    pub fn step(self, forward: bool) -> DetailMode {
        let n = Self::ALL.len();
        let at = Self::ALL.iter().position(|m| *m == self).unwrap_or(0);
        Self::ALL[if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        }]
    }

    /// The view's name, as its tab shows it.
    pub fn label(self) -> &'static str {
        match self {
            DetailMode::Content => "Content",
            DetailMode::Raw => "Raw",
            DetailMode::Wire => "Wire",
            DetailMode::Answer => "Answer",
            DetailMode::Checks => "Checks",
            DetailMode::Stats => "Stats",
        }
    }

    /// Views of the whole connection rather than of the selected row.
    pub fn is_connection_wide(self) -> bool {
        matches!(self, Self::Answer | Self::Checks | Self::Stats)
    }
}

/// How the Answer view shows a reasoning model's thinking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReasoningView {
    /// In full, dimmed, above the answer.
    #[default]
    Shown,
    /// Folded to one line saying how long it is.
    Folded,
}

impl ReasoningView {
    /// The other one (`z`).
    pub fn toggled(self) -> Self {
        match self {
            Self::Shown => Self::Folded,
            Self::Folded => Self::Shown,
        }
    }
}

/// Which pane receives movement keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What the connection has told us so far. Its counts (events, bytes, the
/// rate) are the insight's `Stats`, the one count the status bar and the
/// Stats view both show.
#[derive(Debug, Clone, Default)]
pub struct ConnView {
    pub attempt: u32,
    pub http_status: Option<u16>,
    pub last_event_id: String,
    pub opened_at: Option<Instant>,
    /// The current attempt's request as sent and response head, shared with its markers.
    pub attempt_info: Option<Arc<AttemptInfo>>,
    /// The log's absolute row number (dropped rows counted) of the current
    /// attempt's first row: where its answer starts.
    pub attempt_first_row: u64,
}

/// The whole UI state: the tabs, each a [`Session`] with its own connection,
/// and what is shared between them.
///
/// There is no "current session" to write to by accident: code about a tab
/// names it, as [`AppState::active_mut`] (the tab shown) or
/// [`AppState::tab_mut`] (the tab a message is for). A write to "the"
/// request that does not say which tab's does not build:
///
/// ```compile_fail,E0609
/// # use ssetui::sse::RequestSpec;
/// # use ssetui::state::AppState;
/// let spec = RequestSpec::get("http://h/s".parse().unwrap());
/// let mut state = AppState::new(spec.clone(), "t".into());
/// state.request = spec; // which tab's?
/// ```
///
/// ```
/// # use ssetui::sse::RequestSpec;
/// # use ssetui::state::AppState;
/// let spec = RequestSpec::get("http://h/s".parse().unwrap());
/// let mut state = AppState::new(spec.clone(), "t".into());
/// state.active_mut().request = spec; // the tab shown's
/// ```
#[derive(Debug)]
pub struct AppState {
    /// One per tab, never empty, in the order the title line shows them.
    sessions: Vec<Session>,
    /// Index in `sessions` of the tab shown.
    active: usize,
    /// The last connection id handed out; ids are unique across tabs, so a
    /// message names the one session it belongs to.
    last_conn_id: ConnId,
    /// The last tab id handed out.
    last_tab_id: TabId,
    /// Show CR and LF in the Raw view.
    pub show_line_endings: bool,
    /// How the list shows receive times (UTC unless the app is told otherwise).
    pub time_format: crate::config::TimeFormat,
    /// A one-line message for the user (a file saved, text copied); cleared by the next key.
    pub notice: Option<String>,
    /// A problem that stays on screen until Esc (a config file that did not load).
    pub banner: Option<String>,
    /// Retained rows and wire bytes per tab (the settings' caps).
    log_caps: (usize, usize),
    /// What the last frame learned (where the panes and tabs are, how many
    /// rows the list shows); `None` before the first frame.
    layout: Option<FrameLayout>,
    /// Whether the terminal reports the mouse to us (off: it selects text itself).
    pub mouse_capture: bool,
    /// The demo endpoint picker, when the UI runs the demo itself.
    pub demo: Option<DemoPicker>,
    /// The config file's profiles, for the picker.
    pub profile_list: Vec<ProfileSummary>,
    /// The key bindings in force (defaults merged with the config's `[keys]`).
    pub keymap: crate::keymap::Keymap,
    /// A live stream silent this long is flagged as stalled.
    pub stall_after: Duration,
    /// Where `${env:NAME}` in a request is read when it is sent.
    pub env: crate::sse::Env,
    /// The config's environments, for the picker (`E`) and the resolved view.
    pub environments: Environments,
    /// The environment chosen for each profile (by name) in this session:
    /// opening the profile again uses it.
    pub profile_envs: std::collections::BTreeMap<String, String>,
    /// When Ctrl-C was last pressed: a second one within
    /// [`QUIT_AGAIN_WITHIN`] quits whatever is open.
    pub last_ctrl_c: Option<Instant>,
    pub quit: bool,
    /// `ssetui tap`: which tab lists the exchanges and which tab shows
    /// each exchange's stream.
    pub tap: Option<TapView>,
}

/// The tabs of `ssetui tap`.
#[derive(Debug)]
pub struct TapView {
    /// The tab that lists every exchange, a line each.
    pub overview: TabId,
    /// The connection of each event-stream exchange's tab, while it is open.
    pub streams: std::collections::HashMap<u64, ConnId>,
    /// Exchanges listed so far, and how many of them were event streams.
    pub exchanges: u64,
    pub stream_count: u64,
}

/// A second Ctrl-C this soon after the first always quits.
pub const QUIT_AGAIN_WITHIN: Duration = Duration::from_secs(2);

/// What the UI knows of the config's variables: every environment, and the
/// settings' and profiles' `vars` and default `env`, so a request's
/// variables can be gathered without I/O (`Config::vars`).
#[derive(Debug, Clone, Default)]
pub struct Environments {
    pub config: crate::config::Config,
    /// `--var NAME=VALUE` given when the UI started.
    pub explicit: Vec<(String, String)>,
}

impl Environments {
    /// The environments' names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.config.environment_names()
    }

    /// The variables of a request from `profile` in environment `env`.
    pub fn vars(
        &self,
        profile: Option<&str>,
        env: Option<&str>,
    ) -> Result<crate::request::Vars, String> {
        self.config
            .vars(profile, env, &self.explicit)
            .map_err(|e| e.to_string())
    }
}

impl AppState {
    pub fn new(request: RequestSpec, title: String) -> Self {
        Self {
            sessions: vec![Session::new(TabId::FIRST, request, title)],
            active: 0,
            last_conn_id: ConnId::NONE_YET,
            last_tab_id: TabId::FIRST,
            show_line_endings: false,
            time_format: crate::config::TimeFormat::UtcMs,
            notice: None,
            banner: None,
            log_caps: (
                event_log::DEFAULT_MAX_ROWS,
                event_log::DEFAULT_MAX_WIRE_BYTES,
            ),
            layout: None,
            mouse_capture: true,
            demo: None,
            tap: None,
            profile_list: Vec::new(),
            keymap: crate::keymap::Keymap::default(),
            stall_after: DEFAULT_STALL_AFTER,
            env: crate::sse::Env::process(),
            environments: Environments::default(),
            profile_envs: std::collections::BTreeMap::new(),
            last_ctrl_c: None,
            quit: false,
        }
    }

    /// The tab shown.
    pub fn active(&self) -> &Session {
        &self.sessions[self.active]
    }

    /// The tab shown, to change it.
    pub fn active_mut(&mut self) -> &mut Session {
        &mut self.sessions[self.active]
    }

    /// The tap's view when tab `id` is its list of exchanges (which counts
    /// exchanges, not events, and has no stream of its own to be idle).
    pub fn tap_listing(&self, id: TabId) -> Option<&TapView> {
        self.tap.as_ref().filter(|tap| tap.overview == id)
    }

    /// Which tab is shown.
    pub fn active_id(&self) -> TabId {
        self.active().id
    }

    /// What the last frame learned, if one was drawn.
    pub fn layout(&self) -> Option<&FrameLayout> {
        self.layout.as_ref()
    }

    /// The position of the tab shown among [`Self::tabs`].
    pub fn active_index(&self) -> usize {
        self.active
    }

    /// Whether some tab's list is being relisted a slice at a time (the loop
    /// then ticks at once, between messages, until it is done).
    pub fn is_relisting(&self) -> bool {
        self.tabs().iter().any(|s| s.list.is_relisting())
    }

    /// Every tab, in the order shown.
    pub fn tabs(&self) -> &[Session] {
        &self.sessions
    }

    /// Tab `id`, if it is still open.
    pub fn tab(&self, id: TabId) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Tab `id`, to change it, if it is still open.
    pub fn tab_mut(&mut self, id: TabId) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.id == id)
    }

    /// Shows the tab at `index` among [`Self::tabs`] (none past the last).
    pub fn show_tab_at(&mut self, index: usize) {
        if index < self.sessions.len() {
            self.active = index;
        }
    }

    /// Shows tab `id`; false when it is closed.
    pub fn show_tab(&mut self, id: TabId) -> bool {
        match self.sessions.iter().position(|s| s.id == id) {
            Some(index) => {
                self.active = index;
                true
            }
            None => false,
        }
    }

    /// Caps what each tab keeps: rows and received bytes. Tabs opened later
    /// get them too; the current ones start again under them.
    pub fn set_log_caps(&mut self, rows: usize, wire_bytes: usize) {
        self.log_caps = (rows, wire_bytes);
        for session in &mut self.sessions {
            session.reset_log(EventLog::new(rows, wire_bytes));
        }
    }

    /// Opens a tab after the active one and makes it active; returns its id.
    pub fn open_tab(&mut self, request: RequestSpec, title: String) -> TabId {
        let at = (self.active + 1).min(self.sessions.len());
        let id = self.insert_tab(at, request, title);
        self.active = at;
        id
    }

    /// Opens a tab after the last one, leaving the active tab in view (a
    /// tapped exchange: new ones must not take the screen); returns its id.
    pub fn append_tab(&mut self, request: RequestSpec, title: String) -> TabId {
        self.insert_tab(self.sessions.len(), request, title)
    }

    fn insert_tab(&mut self, at: usize, request: RequestSpec, title: String) -> TabId {
        self.last_tab_id = self.last_tab_id.next();
        let mut session = Session::new(self.last_tab_id, request, title);
        session.reset_log(EventLog::new(self.log_caps.0, self.log_caps.1));
        self.sessions.insert(at, session);
        self.last_tab_id
    }

    /// Closes the active tab unless it is the last one; returns its id.
    pub fn close_tab(&mut self) -> Option<TabId> {
        if self.sessions.len() < 2 {
            return None;
        }
        let closed = self.sessions.remove(self.active);
        self.active = self.active.min(self.sessions.len() - 1);
        Some(closed.id)
    }

    /// Every tab, to change each (a profile renamed changes every tab
    /// that shows it).
    pub fn tabs_mut(&mut self) -> std::slice::IterMut<'_, Session> {
        self.sessions.iter_mut()
    }

    /// The session whose current connection is `conn`, if any.
    pub fn session_for(&mut self, conn: ConnId) -> Option<&mut Session> {
        self.sessions.iter_mut().find(|s| s.conn_id == Some(conn))
    }

    /// The environment profile `name` opens in: the one chosen for it
    /// (`E`, in this session or remembered from an earlier one), else its
    /// own `env`.
    pub fn environment_of(&self, name: &str) -> Option<String> {
        self.profile_envs.get(name).cloned().or_else(|| {
            self.environments
                .config
                .profiles
                .get(name)
                .and_then(|p| p.env.clone())
        })
    }

    /// What has the keys, as the help and the hint bar name it: an overlay,
    /// else the request editor, else the focused pane.
    pub fn focused_pane(&self) -> HelpPage {
        let session = self.active();
        match &session.overlay {
            Some(Overlay::Help(page, _)) => *page,
            Some(Overlay::Profiles(_) | Overlay::Demo | Overlay::History(_)) => HelpPage::Picker,
            Some(Overlay::Search) => HelpPage::Search,
            Some(Overlay::McpPanel | Overlay::McpAsk(_)) => HelpPage::Mcp,
            _ if session.editor_open => HelpPage::Editor,
            _ => match session.focus {
                Focus::List => HelpPage::List,
                Focus::Detail => HelpPage::Detail,
            },
        }
    }

    /// Why quitting now would lose something, if it would: a recording
    /// running, a profile modified or a draft not sent, in any tab.
    pub fn unsaved_work(&self) -> Option<String> {
        let several = self.sessions.len() > 1;
        let tab = |i: usize| {
            if several {
                format!(" (tab {})", i + 1)
            } else {
                String::new()
            }
        };
        for (i, session) in self.sessions.iter().enumerate() {
            if session.recording.is_some() {
                return Some(format!("a recording is running{}", tab(i)));
            }
            if session.profile_modified() {
                let name = session.profile.as_ref().map_or("", |p| p.name.as_str());
                return Some(format!("profile {name:?} is modified{}", tab(i)));
            }
            if session.has_unsent_draft() {
                return Some(format!("the request editor has an unsent draft{}", tab(i)));
            }
        }
        None
    }

    /// A connection id no session has had: messages still in flight under
    /// an older one are then ignored.
    pub(crate) fn new_conn_id(&mut self) -> ConnId {
        self.last_conn_id = self.last_conn_id.next();
        self.last_conn_id
    }
}
