//! What is drawn over a tab and has its keys. One value, so the two cannot
//! disagree: `update` gives the keys to the overlay (before the request
//! editor and the keymap), and `ui::draw` draws it on top of everything.
//!
//! The request editor is not an overlay: it is what the tab shows in place
//! of its list and detail (`Session::editor_open`), and the help or the
//! profile picker open over it.

use super::environment_picker::EnvironmentPicker;
use super::history_picker::HistoryPicker;
use super::profile_picker::ProfilePicker;

/// See the module doc. One per tab at most (`Session::overlay`).
#[derive(Debug)]
pub enum Overlay {
    /// The key help. A key that is bound closes it (the quit key quits).
    Help,
    /// The profile picker: open a profile, or name the tab's request to save it.
    Profiles(Box<ProfilePicker>),
    /// The history picker: reopen a request sent before in a new tab.
    History(Box<HistoryPicker>),
    /// The demo endpoint picker (where the demo runs and the row selected:
    /// `AppState::demo`).
    Demo,
    /// The environment picker (`E`).
    Environments(EnvironmentPicker),
    /// The editor's request as it will be sent, secrets masked (`v` in the editor).
    Resolved(Box<super::resolved::ResolvedView>),
    /// Asks y/n before the request is copied as curl with its secrets.
    ConfirmCopySecrets,
    /// The search query being typed in the hint line: letters type, they do
    /// not act, until Enter or Esc.
    Search,
}
