//! The UI's state: plain data, updated by messages, rendered by `ui`. No I/O here.

pub mod demo_picker;
pub mod event_log;
pub mod request_form;
pub mod search;
pub mod text_input;
mod update;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::sse::RequestSpec;

pub use demo_picker::{DEMO_ENDPOINTS, DemoPicker};
pub use event_log::{AttemptInfo, EventLog, Row, RowKind};
pub use search::Search;
pub use update::{connect, update};

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
}

/// Which pane receives movement keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

/// What the connection has told us so far.
#[derive(Debug, Clone, Default)]
pub struct ConnView {
    pub attempt: u32,
    pub http_status: Option<u16>,
    pub bytes: u64,
    /// Events this connection delivered.
    pub events: u64,
    pub last_event_id: String,
    pub opened_at: Option<Instant>,
    /// The current attempt's request as sent and response head, shared with its markers.
    pub attempt_info: Option<Arc<AttemptInfo>>,
    /// Receive instants of recent events, for the events-per-second figure.
    pub recent: VecDeque<Instant>,
}

impl ConnView {
    /// Events per second over the last few seconds.
    pub fn rate(&self, now: Instant) -> f64 {
        const WINDOW: Duration = Duration::from_secs(3);
        let n = self
            .recent
            .iter()
            .filter(|t| now.duration_since(**t) <= WINDOW)
            .count();
        n as f64 / WINDOW.as_secs_f64()
    }
}

/// The whole UI state.
#[derive(Debug)]
pub struct AppState {
    /// The request the next connect uses.
    pub request: RequestSpec,
    /// The id of the current connection; messages of any other are stale.
    pub conn_id: u64,
    pub status: ConnStatus,
    pub conn: ConnView,
    pub log: EventLog,
    /// Absolute row numbers (dropped rows included) of the rows shown, in order.
    pub visible: VecDeque<u64>,
    /// Position in `visible` of the selected row.
    pub selected: Option<usize>,
    /// Keep the newest row selected and in view.
    pub follow: bool,
    pub detail: DetailMode,
    pub focus: Focus,
    pub detail_scroll: u16,
    /// Show comment, id-only and retry-only blocks in the list.
    pub show_blocks: bool,
    /// Show CR and LF in the Raw view.
    pub show_line_endings: bool,
    pub show_help: bool,
    /// Where the request came from, for the title ("demo /chat", a URL...).
    pub title: String,
    pub search: Search,
    /// While frozen: how many rows the log had when the list froze.
    pub frozen_at: Option<u64>,
    /// A one-line message for the user (a file saved, text copied); cleared by the next key.
    pub notice: Option<String>,
    /// The terminal's size, from resize events (to map mouse clicks to panes).
    pub screen: Option<ratatui::layout::Rect>,
    /// Whether the terminal reports the mouse to us (off: it selects text itself).
    pub mouse_capture: bool,
    /// The demo endpoint picker, when the UI runs the demo itself.
    pub demo: Option<DemoPicker>,
    pub quit: bool,
}

impl AppState {
    pub fn new(request: RequestSpec, title: String) -> Self {
        Self {
            request,
            conn_id: 0,
            status: ConnStatus::Idle,
            conn: ConnView::default(),
            log: EventLog::default(),
            visible: VecDeque::new(),
            selected: None,
            follow: true,
            detail: DetailMode::Content,
            focus: Focus::List,
            detail_scroll: 0,
            show_blocks: false,
            show_line_endings: false,
            show_help: false,
            title,
            search: Search::default(),
            frozen_at: None,
            notice: None,
            screen: None,
            mouse_capture: true,
            demo: None,
            quit: false,
        }
    }

    /// The selected row, if any.
    pub fn selected_row(&self) -> Option<&Row> {
        let absolute = *self.visible.get(self.selected?)?;
        let index = absolute.checked_sub(self.log.dropped_rows())? as usize;
        self.log.get(index)
    }

    /// The row shown at position `pos` of the list.
    pub fn visible_row(&self, pos: usize) -> Option<&Row> {
        let absolute = *self.visible.get(pos)?;
        let index = absolute.checked_sub(self.log.dropped_rows())? as usize;
        self.log.get(index)
    }

    /// Rows that arrived since the list froze.
    pub fn arrived_while_frozen(&self) -> Option<u64> {
        let total = self.log.len() as u64 + self.log.dropped_rows();
        self.frozen_at.map(|at| total.saturating_sub(at))
    }

    /// Whether anything on screen counts down (so the loop needs a timer).
    pub fn needs_tick(&self) -> bool {
        matches!(
            self.status,
            ConnStatus::Reconnecting { .. } | ConnStatus::Open | ConnStatus::Connecting
        )
    }
}
