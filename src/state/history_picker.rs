//! The history picker (`h`): the requests sent, newest first, filtered as
//! the user types (every word of the filter somewhere in the time, method,
//! URL or profile, ignoring case). Enter reopens the selected one in a new
//! tab. The picker only decides; reading the file is an effect.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text_input::TextInput;
use crate::history::Entry;

/// What the app should do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryOutcome {
    Nothing,
    Close,
    /// Reopen this entry (an index in `entries`) in a new tab.
    Open(usize),
}

#[derive(Debug, Clone)]
pub struct HistoryPicker {
    /// Newest first.
    pub entries: Vec<Entry>,
    pub filter: TextInput,
    /// Position in `matches()` of the selected entry.
    pub selected: usize,
}

impl HistoryPicker {
    /// The picker over `entries` as the file holds them (oldest first).
    pub fn new(mut entries: Vec<Entry>) -> Self {
        entries.reverse();
        Self {
            entries,
            filter: TextInput::single_line(""),
            selected: 0,
        }
    }

    /// Indexes in `entries` of those the filter lets through, newest first.
    pub fn matches(&self) -> Vec<usize> {
        let words: Vec<String> = self
            .filter
            .text()
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| {
                let text = searchable(entry);
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// The selected entry's index in `entries`, if any is listed.
    pub fn selected_index(&self) -> Option<usize> {
        self.matches().get(self.selected).copied()
    }

    pub fn paste(&mut self, text: &str) {
        self.filter.insert_str(text);
        self.selected = 0;
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> HistoryOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return HistoryOutcome::Close,
            KeyCode::Enter => {
                return match self.selected_index() {
                    Some(index) => HistoryOutcome::Open(index),
                    None => HistoryOutcome::Nothing,
                };
            }
            KeyCode::Up => self.up(),
            KeyCode::Down => self.down(),
            KeyCode::Char('k') | KeyCode::Char('p') if ctrl => self.up(),
            KeyCode::Char('j') | KeyCode::Char('n') if ctrl => self.down(),
            _ => {
                let before = self.filter.text().to_owned();
                if self.filter.handle_key(key) && self.filter.text() != before {
                    self.selected = 0;
                }
            }
        }
        HistoryOutcome::Nothing
    }

    fn up(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }

    fn down(&mut self) {
        let n = self.matches().len();
        self.selected = (self.selected + 1).min(n.saturating_sub(1));
    }
}

/// What the filter looks in, lower case.
fn searchable(entry: &Entry) -> String {
    format!(
        "{} {} {} {}",
        entry.short_time(),
        entry.request.method,
        entry.request.url,
        entry.profile.as_deref().unwrap_or("")
    )
    .to_lowercase()
}
