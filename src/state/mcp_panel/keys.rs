//! The panel's keys, by what has them: the list, the filter, the
//! arguments editor, the call view. None of them can panic, whatever the
//! state (an empty list, no editor, no call).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{CallPanel, CallStatus, Focus, PanelAction};

impl CallPanel {
    /// Applies a key; never panics, whatever the state.
    pub fn key(&mut self, key: KeyEvent) -> PanelAction {
        self.notice = None;
        match self.focus {
            Focus::List => self.list_key(key),
            Focus::Filter => self.filter_key(key),
            Focus::Editor => self.editor_key(key),
            Focus::Call => self.call_key(key),
        }
    }

    fn list_key(&mut self, key: KeyEvent) -> PanelAction {
        match key.code {
            KeyCode::Esc => return PanelAction::Close,
            KeyCode::Tab => self.switch(true),
            KeyCode::BackTab => self.switch(false),
            KeyCode::Char('/') => self.focus = Focus::Filter,
            KeyCode::Enter => return self.open(),
            KeyCode::Char('r') => return PanelAction::Refresh(self.section.kinds()[0]),
            KeyCode::Char('x') => return self.cancel(),
            KeyCode::Char('v') if self.call.is_some() => {
                self.call_from = Focus::List;
                self.focus = Focus::Call;
            }
            _ => self.move_key(key),
        }
        PanelAction::None
    }

    /// Up/Down (j/k, Ctrl-P/N), PageUp/PageDown, Home/End in the list.
    fn move_key(&mut self, key: KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let last = self.matches().len().saturating_sub(1);
        self.selected = match key.code {
            KeyCode::Up | KeyCode::Char('k') if !ctrl => self.selected.saturating_sub(1),
            KeyCode::Char('p') if ctrl => self.selected.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') if !ctrl => self.selected + 1,
            KeyCode::Char('n') if ctrl => self.selected + 1,
            KeyCode::PageUp => self.selected.saturating_sub(10),
            KeyCode::PageDown => self.selected + 10,
            KeyCode::Home | KeyCode::Char('g') => 0,
            KeyCode::End | KeyCode::Char('G') => last,
            _ => self.selected,
        }
        .min(last);
    }

    fn filter_key(&mut self, key: KeyEvent) -> PanelAction {
        match key.code {
            KeyCode::Esc => {
                self.filter.set_text("");
                self.selected = 0;
                self.focus = Focus::List;
            }
            KeyCode::Enter => self.focus = Focus::List,
            KeyCode::Tab => self.switch(true),
            KeyCode::BackTab => self.switch(false),
            KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown => self.move_key(key),
            _ => {
                let before = self.filter.revision();
                self.filter.handle_key(key);
                if self.filter.revision() != before {
                    self.selected = 0;
                }
            }
        }
        PanelAction::None
    }

    fn editor_key(&mut self, key: KeyEvent) -> PanelAction {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.focus = Focus::List,
            KeyCode::Char('s') if ctrl => return self.submit(),
            _ => {
                if let Some(editor) = &mut self.editor {
                    let before = editor.input.revision();
                    editor.input.handle_key(key);
                    if editor.input.revision() != before {
                        editor.error = None;
                    }
                }
            }
        }
        PanelAction::None
    }

    fn call_key(&mut self, key: KeyEvent) -> PanelAction {
        let Some(call) = &mut self.call else {
            self.focus = Focus::List;
            return PanelAction::None;
        };
        let last = call.line_count().saturating_sub(1);
        match key.code {
            KeyCode::Esc => self.focus = self.call_from,
            KeyCode::Char('x') => return self.cancel(),
            KeyCode::Up | KeyCode::Char('k') => call.scroll = call.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => call.scroll = (call.scroll + 1).min(last),
            KeyCode::PageUp => call.scroll = call.scroll.saturating_sub(10),
            KeyCode::PageDown => call.scroll = (call.scroll + 10).min(last),
            KeyCode::Home | KeyCode::Char('g') => call.scroll = 0,
            KeyCode::End | KeyCode::Char('G') => call.scroll = last,
            _ => {}
        }
        PanelAction::None
    }

    fn switch(&mut self, forward: bool) {
        self.section = self.section.step(forward);
        self.selected = 0;
    }

    pub(super) fn clamp(&mut self) {
        self.selected = self.selected.min(self.matches().len().saturating_sub(1));
    }

    fn cancel(&mut self) -> PanelAction {
        match &mut self.call {
            Some(call) if call.status.is_running() => {
                call.status = CallStatus::Cancelling;
                PanelAction::Cancel
            }
            _ => {
                self.notice = Some("no call is running".into());
                PanelAction::None
            }
        }
    }
}
