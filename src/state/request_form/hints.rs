//! The key hints the hint bar shows for the form, by mode and focus.

use super::{RequestForm, Slot};

impl RequestForm {
    /// The key hints for the hint bar, for the current mode and focus.
    pub fn hints(&self) -> &'static [(&'static str, &'static str)] {
        const EDIT_LINE: &[(&str, &str)] = &[
            ("Esc/Enter", "done"),
            ("Tab", "next field"),
            ("Ctrl-Z", "undo"),
            ("Ctrl-R", "connect"),
        ];
        const EDIT_BODY: &[(&str, &str)] = &[
            ("Esc", "done"),
            ("Tab", "indent"),
            ("Ctrl-Z", "undo"),
            ("Ctrl-R", "connect"),
        ];
        const ROW: &[(&str, &str)] = &[
            ("Enter", "edit"),
            ("a", "add"),
            ("d", "delete"),
            ("Space", "on/off"),
            ("h/l", "name/value"),
            ("Esc", "back"),
        ];
        const ADD_ROW: &[(&str, &str)] = &[("a/Enter", "add"), ("j/k", "move"), ("Esc", "back")];
        const CHOICE: &[(&str, &str)] =
            &[("Space/h/l", "change"), ("j/k", "move"), ("Esc", "back")];
        const SECRET: &[(&str, &str)] = &[
            ("Enter", "edit"),
            ("r", "reveal"),
            ("v", "as sent"),
            ("j/k", "move"),
            ("Esc", "back"),
        ];
        const METHOD: &[(&str, &str)] = &[
            ("Enter", "edit"),
            ("Space", "next method"),
            ("j/k", "move"),
            ("Esc", "back"),
        ];
        const BODY: &[(&str, &str)] = &[
            ("Enter", "edit"),
            ("E", "$EDITOR"),
            ("F", "format JSON"),
            ("j/k", "move"),
            ("Esc", "back"),
        ];
        const FIELD: &[(&str, &str)] = &[
            ("Enter", "edit"),
            ("v", "as sent"),
            ("j/k", "move"),
            ("Esc", "back"),
        ];
        match (self.editing, self.focus) {
            (true, Slot::Body) => EDIT_BODY,
            (true, _) => EDIT_LINE,
            (false, Slot::Row(..)) => ROW,
            (false, Slot::AddRow(_)) => ADD_ROW,
            (false, Slot::Method) => METHOD,
            (false, Slot::Body) => BODY,
            (false, slot) if slot.is_choice() => CHOICE,
            (false, slot) if self.is_secret(slot) => SECRET,
            (false, _) => FIELD,
        }
    }
}
