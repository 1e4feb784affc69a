//! What each key does to the form, in navigation and in editing mode.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{
    AuthKind, BODY_FORMATS, COMMON_METHODS, FormOutcome, List, Part, RECONNECT_POLICIES,
    RequestForm, Row, Slot, format_json,
};
use crate::sse::ApiKeyLocation;

/// Keys that belong to the app wherever the focus is: connect (Ctrl-R), quit
/// (Ctrl-C) and the function keys.
fn is_app_key(key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    matches!(key.code, KeyCode::F(_))
        || (ctrl && matches!(key.code, KeyCode::Char('r' | 'c' | 'R' | 'C')))
}

impl RequestForm {
    /// Applies a key. `NotHandled` for Ctrl-R, Ctrl-C, F-keys and keys the
    /// form has no use for, so the app's keymap gets them.
    pub fn handle_key(&mut self, key: KeyEvent) -> FormOutcome {
        if key.kind == KeyEventKind::Release || is_app_key(key) {
            return FormOutcome::NotHandled;
        }
        let before = self.edit_origin();
        let outcome = if self.editing {
            self.editing_key(key)
        } else {
            self.navigation_key(key)
        };
        self.track_edit(before);
        outcome
    }

    /// The focused field and its text now, before a key changes them.
    fn edit_origin(&self) -> (Slot, Option<String>) {
        let text = self.input(self.focus).map(|i| i.text().to_owned());
        (self.focus, text)
    }

    /// Keeps what [`Self::cancel_edit`] restores: the text a field had when
    /// its edit began (`before`: the focus and its text before this key).
    fn track_edit(&mut self, (slot, text): (Slot, Option<String>)) {
        if !self.editing {
            self.before_edit = None;
            return;
        }
        if self
            .before_edit
            .as_ref()
            .is_some_and(|(s, _)| *s == self.focus)
        {
            return;
        }
        let text = if slot == self.focus {
            text
        } else {
            // Moved on to another field, still editing: it is unchanged yet.
            self.input(self.focus).map(|i| i.text().to_owned())
        };
        self.before_edit = text.map(|text| (self.focus, text));
    }

    /// Ctrl-C while a field is edited: the field gets back the text it had
    /// when the edit began, and the edit ends.
    pub fn cancel_edit(&mut self) {
        if let Some((slot, text)) = self.before_edit.take()
            && let Some(input) = self.input_mut(slot)
        {
            input.set_text(text);
            self.clear_error(slot);
        }
        self.editing = false;
    }

    /// A bracketed paste: into the field being edited, or into the focused
    /// text field (which then starts editing).
    pub fn paste(&mut self, text: &str) {
        let before = self.edit_origin();
        self.paste_text(text);
        self.track_edit(before);
    }

    fn paste_text(&mut self, text: &str) {
        let slot = self.focus;
        let Some(input) = self.input_mut(slot) else {
            return;
        };
        input.insert_str(text);
        self.editing = true;
        self.clear_error(slot);
    }

    fn editing_key(&mut self, key: KeyEvent) -> FormOutcome {
        let slot = self.focus;
        let single_line = slot != Slot::Body;
        match key.code {
            KeyCode::Esc => self.stop_editing(),
            KeyCode::Enter if single_line => self.stop_editing(),
            KeyCode::Tab if single_line => self.move_while_editing(|f| f.step_slot(1)),
            KeyCode::BackTab if single_line => self.move_while_editing(|f| f.step_slot(-1)),
            KeyCode::Down if single_line => self.move_while_editing(|f| f.step_line(1)),
            KeyCode::Up if single_line => self.move_while_editing(|f| f.step_line(-1)),
            _ => {
                let Some(input) = self.input_mut(slot) else {
                    self.editing = false;
                    return FormOutcome::NotHandled;
                };
                let revision = input.revision();
                let used = input.handle_key(key);
                if input.revision() != revision {
                    self.clear_error(slot);
                }
                // Unknown Ctrl combinations may be the app's shortcuts; any
                // other key is swallowed so a letter never acts as a command.
                if !used && key.modifiers.contains(KeyModifiers::CONTROL) {
                    return FormOutcome::NotHandled;
                }
            }
        }
        FormOutcome::Handled
    }

    fn navigation_key(&mut self, key: KeyEvent) -> FormOutcome {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return FormOutcome::NotHandled;
        }
        match key.code {
            KeyCode::Esc => return FormOutcome::Close,
            KeyCode::Char('j') | KeyCode::Down => self.focus = self.step_line(1),
            KeyCode::Char('k') | KeyCode::Up => self.focus = self.step_line(-1),
            KeyCode::Tab => self.focus = self.step_slot(1),
            KeyCode::BackTab => self.focus = self.step_slot(-1),
            KeyCode::Char('g') | KeyCode::Home => self.focus = Slot::Method,
            KeyCode::Char('G') | KeyCode::End => self.focus = Slot::Body,
            KeyCode::Char('h') | KeyCode::Left => self.sideways(-1),
            KeyCode::Char('l') | KeyCode::Right => self.sideways(1),
            KeyCode::Enter | KeyCode::Char('i') => self.activate(),
            KeyCode::Char(' ') => self.toggle(),
            KeyCode::Char('a') => self.add_row(),
            KeyCode::Char('d' | 'x') => self.delete_row(),
            KeyCode::Char('F' | '=') => self.format_body(),
            KeyCode::Char('E') => return FormOutcome::EditBody(self.body.text().to_owned()),
            KeyCode::Char('e') if self.focus == Slot::Body => {
                return FormOutcome::EditBody(self.body.text().to_owned());
            }
            KeyCode::Char('r' | '*') => self.reveal_secrets = !self.reveal_secrets,
            KeyCode::Char('v') => return FormOutcome::ShowResolved,
            _ => return FormOutcome::NotHandled,
        }
        FormOutcome::Handled
    }

    /// Ends the edit: the field is tidied and validated, and a row left blank removed.
    fn stop_editing(&mut self) {
        self.editing = false;
        let slot = self.focus;
        self.finish_field(slot);
        if let Slot::Row(list, i, part) = slot
            && self.rows(list).get(i).is_some_and(Row::is_blank)
        {
            self.remove_row(list, i, part);
        }
    }

    /// Moves the focus with `step`, still editing if it lands on a one-line field.
    fn move_while_editing(&mut self, step: impl Fn(&Self) -> Slot) {
        self.finish_field(self.focus);
        self.focus = step(self);
        self.editing = self.focus != Slot::Body && self.input(self.focus).is_some();
    }

    /// The slot `delta` lines away (stopping at the ends), keeping to a row's
    /// name or value column.
    fn step_line(&self, delta: isize) -> Slot {
        let lines = self.lines();
        let Some(at) = lines.iter().position(|l| l.contains(&self.focus)) else {
            return Slot::Url;
        };
        let target = at.saturating_add_signed(delta).min(lines.len() - 1);
        let line = &lines[target];
        let part = match self.focus {
            Slot::Row(_, _, part) => part,
            _ => Part::Name,
        };
        line.iter()
            .copied()
            .find(|s| matches!(s, Slot::Row(_, _, p) if *p == part))
            .unwrap_or(line[0])
    }

    /// The slot `delta` fields away, wrapping around (Tab order).
    fn step_slot(&self, delta: isize) -> Slot {
        let slots = self.lines().concat();
        let at = slots.iter().position(|s| *s == self.focus).unwrap_or(0);
        let n = slots.len() as isize;
        slots[(at as isize + delta).rem_euclid(n) as usize]
    }

    /// h/l: a row's name or value, or the previous/next option of a choice.
    fn sideways(&mut self, delta: isize) {
        match self.focus {
            Slot::Row(list, i, _) => {
                let part = if delta < 0 { Part::Name } else { Part::Value };
                self.focus = Slot::Row(list, i, part);
            }
            Slot::Method => self.cycle_method(delta),
            slot if slot.is_choice() => self.cycle(slot, delta),
            _ => {}
        }
    }

    /// Enter or `i`: edit a text field, add a row on an empty list's line, cycle a choice.
    fn activate(&mut self) {
        match self.focus {
            Slot::AddRow(_) => self.add_row(),
            slot if slot.is_choice() => self.cycle(slot, 1),
            slot => self.editing = self.input(slot).is_some(),
        }
    }

    /// Space: a row on/off, the next option of a choice or the next common method.
    fn toggle(&mut self) {
        match self.focus {
            Slot::Row(list, i, _) => {
                if let Some(row) = self.rows_mut(list).get_mut(i) {
                    row.enabled = !row.enabled;
                }
            }
            Slot::Method => self.cycle_method(1),
            slot if slot.is_choice() => self.cycle(slot, 1),
            _ => {}
        }
    }

    fn cycle(&mut self, slot: Slot, delta: isize) {
        fn next<T: PartialEq + Copy>(all: &[T], current: T, delta: isize) -> T {
            let at = all.iter().position(|x| *x == current).unwrap_or(0) as isize;
            all[(at + delta).rem_euclid(all.len() as isize) as usize]
        }
        match slot {
            Slot::AuthKind => {
                self.auth.kind = next(&AuthKind::ALL, self.auth.kind, delta);
                self.errors.retain(|(s, _)| !is_auth_slot(*s));
            }
            Slot::AuthKeyLocation => {
                let all = [ApiKeyLocation::Header, ApiKeyLocation::Query];
                self.auth.key_location = next(&all, self.auth.key_location, delta);
                self.validate_slot(Slot::AuthKeyName);
                self.validate_slot(Slot::AuthKeyValue);
            }
            Slot::Reconnect => self.reconnect = next(&RECONNECT_POLICIES, self.reconnect, delta),
            Slot::ParseAs => self.parse_as = next(&BODY_FORMATS, self.parse_as, delta),
            Slot::Kind => self.mcp = !self.mcp,
            _ => {}
        }
    }

    fn cycle_method(&mut self, delta: isize) {
        let current = self.method.text().trim().to_ascii_uppercase();
        let next = match COMMON_METHODS.iter().position(|m| *m == current) {
            Some(at) => (at as isize + delta).rem_euclid(COMMON_METHODS.len() as isize) as usize,
            None => 0,
        };
        self.method.set_text(COMMON_METHODS[next]);
        self.clear_error(Slot::Method);
    }

    /// `a`: a new row below the focused one (in its list; headers elsewhere), being edited.
    fn add_row(&mut self) {
        let (list, at) = match self.focus {
            Slot::Row(list, i, _) => (list, i + 1),
            Slot::AddRow(list) => (list, 0),
            _ => (List::Headers, self.headers.len()),
        };
        self.rows_mut(list).insert(at, Row::new("", ""));
        self.shift_row_errors(list, at, 1);
        self.focus = Slot::Row(list, at, Part::Name);
        self.editing = true;
    }

    /// `d`/`x`: deletes the focused row.
    fn delete_row(&mut self) {
        if let Slot::Row(list, i, part) = self.focus {
            self.remove_row(list, i, part);
        }
    }

    fn remove_row(&mut self, list: List, i: usize, part: Part) {
        let rows = self.rows_mut(list);
        if i >= rows.len() {
            return;
        }
        rows.remove(i);
        let left = rows.len();
        self.errors
            .retain(|(s, _)| !matches!(s, Slot::Row(l, j, _) if *l == list && *j == i));
        self.shift_row_errors(list, i + 1, -1);
        self.focus = if left == 0 {
            Slot::AddRow(list)
        } else {
            Slot::Row(list, i.min(left - 1), part)
        };
    }

    /// Keeps row errors on their rows after rows at or after `from` moved by `delta`.
    fn shift_row_errors(&mut self, list: List, from: usize, delta: isize) {
        for (slot, _) in &mut self.errors {
            if let Slot::Row(l, j, _) = slot
                && *l == list
                && *j >= from
            {
                *j = j.saturating_add_signed(delta);
            }
        }
    }

    /// `F`: pretty-prints the JSON body, or shows why it is not JSON.
    fn format_body(&mut self) {
        self.focus = Slot::Body;
        if self.body.text().trim().is_empty() {
            return;
        }
        match format_json(self.body.text()) {
            Ok(pretty) => {
                self.body.set_text(pretty);
                self.clear_error(Slot::Body);
            }
            Err(message) => self.set_error(Slot::Body, message),
        }
    }

    pub(super) fn clear_error(&mut self, slot: Slot) {
        self.errors.retain(|(s, _)| *s != slot);
    }

    pub(super) fn set_error(&mut self, slot: Slot, message: String) {
        self.clear_error(slot);
        self.errors.push((slot, message));
    }
}

fn is_auth_slot(slot: Slot) -> bool {
    matches!(
        slot,
        Slot::AuthToken
            | Slot::AuthUser
            | Slot::AuthPassword
            | Slot::AuthKeyName
            | Slot::AuthKeyValue
            | Slot::AuthKeyLocation
    )
}
