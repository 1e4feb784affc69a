//! One tab: a request, its connection and everything received on it, and how
//! the tab is being looked at. Background tabs keep receiving.

use std::sync::Arc;

use super::list_view::ListView;
use super::overlay::Overlay;
use super::request_form::RequestForm;
use super::{
    AttemptInfo, ConnId, ConnStatus, ConnView, DetailMode, EventLog, Focus, ReasoningView, Row,
    RowKind, Search, TabId,
};
use crate::sse::{Chunk, ConnMsg, RequestSpec};

/// A profile open in a tab.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenProfile {
    pub name: String,
    /// The request as the profile gives it (its `${env:…}` resolved).
    pub saved: Box<RequestSpec>,
}

#[derive(Debug)]
pub struct Session {
    /// Names the tab for the loop (which connection task is whose) and for
    /// messages that come back later (a profile read, a body edited).
    pub id: TabId,
    /// The request the next connect uses.
    pub request: RequestSpec,
    /// The current connection, if the tab has one; messages of any other
    /// are stale.
    pub conn_id: Option<ConnId>,
    pub status: ConnStatus,
    pub conn: ConnView,
    /// Everything received (read it with [`Session::log`]); it changes only
    /// through the methods here, which list what it gets.
    log: EventLog,
    /// What the list shows of the log: the rows listed, the selection, the
    /// window, follow and freeze, kept in step by its methods.
    pub list: ListView,
    pub detail: DetailMode,
    pub focus: Focus,
    pub detail_scroll: u16,
    /// How far the detail can scroll, as last drawn; `None` before the first frame.
    pub detail_max_scroll: Option<u16>,
    /// Where the request came from, for the title ("demo /chat", a URL...).
    pub title: String,
    pub search: Search,
    /// The request editor's draft: kept when the editor closes, until it is
    /// sent or the request is replaced.
    pub draft: Option<RequestForm>,
    /// Whether the tab shows its request editor in place of its list and
    /// detail (it then has the keys an overlay does not take).
    pub editor_open: bool,
    /// What is drawn over the tab and has its keys, if anything.
    pub overlay: Option<Overlay>,
    /// The capture file this tab's connection is being recorded to.
    pub recording: Option<std::path::PathBuf>,
    /// The profile this tab's request came from (or was saved as), as saved.
    pub profile: Option<OpenProfile>,
    /// Why this tab's request cannot be sent, when it shows a recording that
    /// holds none (an NDJSON export, a raw body): `c` says so instead of
    /// connecting to a file. Sending a request from the editor clears it.
    pub offline: Option<String>,
    /// The connection's LLM answer, diagnosis and timing.
    pub insight: super::insight::Insight,
    /// The schemas events are judged by, and their verdicts.
    pub contract: super::contract::Contract,
    /// The environment whose variables filled this tab's `{{name}}`
    /// placeholders (`[environments.NAME]`), named in the title bar.
    pub environment: Option<String>,
    /// The tab's name as the user gave it (`T`); else the profile's name,
    /// else `title` (see [`Session::label`]).
    pub name: Option<String>,
    /// How many events the tab had when it was last shown: the rest are new
    /// to the user (a background tab's badge).
    pub seen_events: u64,
    /// Whether the Answer view shows the model's reasoning or folds it to a line.
    pub reasoning_view: ReasoningView,
    /// A connection error happened while the tab was in the background.
    pub unseen_error: bool,
    /// A jq expression whose value the list shows in place of the data (a
    /// profile's `list_column`); `None`: the data, or an LLM chunk's text.
    pub list_column: Option<crate::insight::jq::Query>,
    /// An MCP tab's own state; `None` for a plain SSE tab.
    pub mcp: Option<super::mcp::McpTab>,
}

impl Session {
    pub fn new(id: TabId, request: RequestSpec, title: String) -> Self {
        Self {
            id,
            request,
            conn_id: None,
            status: ConnStatus::Idle,
            conn: ConnView::default(),
            log: EventLog::default(),
            list: ListView::default(),
            detail: DetailMode::Content,
            focus: Focus::List,
            detail_scroll: 0,
            detail_max_scroll: None,
            title,
            search: Search::default(),
            draft: None,
            editor_open: false,
            overlay: None,
            profile: None,
            recording: None,
            offline: None,
            insight: super::insight::Insight::default(),
            contract: super::contract::Contract::default(),
            environment: None,
            name: None,
            seen_events: 0,
            reasoning_view: ReasoningView::default(),
            unseen_error: false,
            list_column: None,
            mcp: None,
        }
    }

    /// The name a tab on `url` gets: its host and path (`api.example.com/v1/chat`).
    pub fn title_for(url: &reqwest::Url) -> String {
        format!("{}{}", url.host_str().unwrap_or_default(), url.path())
    }

    /// What the tab is called in the title line: the user's name for it,
    /// else its profile's, else where its request came from.
    pub fn label(&self) -> &str {
        match (&self.name, &self.profile) {
            (Some(name), _) => name,
            (None, Some(profile)) => &profile.name,
            (None, None) => &self.title,
        }
    }

    /// Events that arrived since the tab was last shown.
    pub fn unseen_events(&self) -> u64 {
        self.insight.stats.events().saturating_sub(self.seen_events)
    }

    /// The tab is being shown: what it holds is seen.
    pub fn mark_seen(&mut self) {
        self.seen_events = self.insight.stats.events();
        self.unseen_error = false;
    }

    /// Whether the editor's draft would send something other than the request
    /// (an invalid draft counts): what Ctrl-C warns about.
    pub fn has_unsent_draft(&self) -> bool {
        self.draft.as_ref().is_some_and(|draft| {
            draft
                .to_spec(&self.request)
                .is_none_or(|spec| spec != self.request)
        })
    }

    /// Everything the tab received and kept.
    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// A read of the connection into the log, its rows listed.
    pub fn push_chunk(&mut self, chunk: Chunk) {
        let before = self.log.end_row();
        // Judged once here, as they arrive: each item is a row.
        if self.contract.schemas().is_some() {
            for (row, item) in (before..).zip(&chunk.items) {
                if let crate::sse::StreamItem::Event { seq, event } = item {
                    self.contract.judge(row, *seq, event);
                }
            }
        }
        self.log.push_chunk(chunk);
        self.contract.forget_before(self.log.first_row());
        self.list.append(&self.log, &self.search, before);
    }

    /// A marker into the log (`record`: the message it stands for, for a
    /// save), listed: markers always show.
    pub fn push_marker(
        &mut self,
        attempt: u32,
        text: String,
        info: Option<Arc<AttemptInfo>>,
        record: Option<ConnMsg>,
    ) {
        self.log.push_marker(attempt, text, info, record);
        self.list.append_last(&self.log, &self.search);
    }

    /// The answer assembled again, at once, from what the tab kept of the
    /// current attempt (each attempt is a new answer): its Answer path changed.
    pub fn reassemble_answer(&mut self) {
        let rows = self.log.rows_since(self.conn.attempt_first_row);
        self.insight
            .reassemble(rows.filter_map(|row| match row.kind {
                RowKind::Event { event, .. } => Some((event, row.received_at)),
                _ => None,
            }));
    }

    /// Empties the log and the list (`x`).
    pub fn clear_log(&mut self) {
        self.log.clear();
        self.list.clear();
        self.contract.forget_all();
    }

    /// Starts again on an empty log with these caps, and an empty list.
    pub(super) fn reset_log(&mut self, log: EventLog) {
        self.log = log;
        self.list = ListView::default();
    }

    /// The selected row, if any (built from the log: cheap for one row).
    pub fn selected_row(&self) -> Option<Row> {
        self.visible_row(self.list.selected()?)
    }

    /// The row shown at position `pos` of the list.
    pub fn visible_row(&self, pos: usize) -> Option<Row> {
        self.log.get(self.log_index(pos)?)
    }

    /// The row at position `pos` as drawing needs it: an event's data cut to
    /// `max_data` bytes, with its full length (see `EventLog::get_capped`).
    pub fn visible_row_capped(&self, pos: usize, max_data: usize) -> Option<(Row, usize)> {
        self.log.get_capped(self.log_index(pos)?, max_data)
    }

    /// The selected row as drawing needs it (see [`Self::visible_row_capped`]).
    pub fn selected_row_capped(&self, max_data: usize) -> Option<(Row, usize)> {
        self.visible_row_capped(self.list.selected()?, max_data)
    }

    /// Where the event at list position `pos` breaks its schema, if it does.
    pub fn violations_at(&self, pos: usize) -> Option<&[crate::insight::contract::Violation]> {
        self.contract.violations(self.list.absolute(pos)?)
    }

    /// Where the selected event breaks its schema, if it does.
    pub fn selected_violations(&self) -> Option<&[crate::insight::contract::Violation]> {
        self.violations_at(self.list.selected()?)
    }

    /// The event log's index of the row at list position `pos`.
    fn log_index(&self, pos: usize) -> Option<usize> {
        let absolute = self.list.absolute(pos)?;
        Some(absolute.checked_sub(self.log.first_row())? as usize)
    }

    /// Rows that arrived since the list froze.
    pub fn arrived_while_frozen(&self) -> Option<u64> {
        self.list.arrived_while_frozen(&self.log)
    }

    /// Selects the row listed at `pos` and stops following; the detail
    /// starts at its top when the selection changed.
    pub fn select(&mut self, pos: usize) {
        if self.list.pick(pos) {
            self.detail_scroll = 0;
        }
    }

    /// Freezes the list (what arrives is counted, not listed) or thaws it.
    pub fn toggle_freeze(&mut self) {
        self.list.toggle_freeze(&self.log, &self.search);
    }

    /// Shows or hides blocks in the list.
    pub fn set_show_blocks(&mut self, on: bool) {
        self.list.set_show_blocks(on, &self.log, &self.search);
    }

    /// Shows only the events the search matches, or every row.
    pub fn set_filter(&mut self, on: bool) {
        self.search.set_filter(on);
        self.relist();
    }

    /// Lists the log afresh: the search or its filter changed. Under a
    /// filter the rows are looked at a slice at a time
    /// ([`Self::continue_relisting`], on each tick).
    pub fn relist(&mut self) {
        self.list.rebuild(&self.log, &self.search);
    }

    /// Lists the next slice of a relisting under way; whether more is left.
    pub fn continue_relisting(&mut self) -> bool {
        self.list.continue_relisting(&self.log, &self.search)
    }

    /// Whether what the tab holds differs from the open profile as saved:
    /// the editor's draft as soon as it differs (an invalid draft differs),
    /// else the request. What `P` would save.
    pub fn profile_modified(&self) -> bool {
        let Some(profile) = &self.profile else {
            return false;
        };
        match &self.draft {
            Some(draft) => draft
                .to_spec(&self.request)
                .is_none_or(|spec| spec != *profile.saved),
            None => self.request != *profile.saved,
        }
    }

    /// Whether the connection is running (connecting, open or waiting to reconnect).
    pub fn is_live(&self) -> bool {
        matches!(
            self.status,
            ConnStatus::Reconnecting { .. } | ConnStatus::Open | ConnStatus::Connecting
        )
    }

    /// Whether anything on screen counts down (so the loop needs a timer).
    pub fn needs_tick(&self) -> bool {
        self.is_live()
    }
}
