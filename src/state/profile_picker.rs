//! The profile picker: the config file's profiles, filtered fuzzily as the
//! user types (fzf style: letters in order, not necessarily together), with
//! the commands to open one, save the current request as a new one,
//! overwrite, rename and delete (the last two confirmed or named first).
//!
//! The picker only decides; reading and writing the file are effects the
//! loop carries out, and it sends the new list back.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::text_input::TextInput;

/// A profile as the picker lists it (built by the config file).
pub use crate::config::ProfileSummary;

/// What the picker is doing.
#[derive(Debug, Clone)]
pub enum PickerMode {
    /// Typing filters the list.
    Filter,
    /// Typing a profile name, for a new profile or a rename.
    Naming {
        rename_from: Option<String>,
        input: TextInput,
    },
    /// Waiting for `y` before the named profile is overwritten or deleted.
    Confirm { name: String, delete: bool },
}

/// What the app should do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerOutcome {
    Nothing,
    Close,
    Open(String),
    /// Save the current request as a new profile of this name.
    SaveNew(String),
    /// Save the current request over this existing profile.
    Overwrite(String),
    Rename {
        from: String,
        to: String,
    },
    Delete(String),
}

#[derive(Debug, Clone)]
pub struct ProfilePicker {
    pub profiles: Vec<ProfileSummary>,
    pub filter: TextInput,
    /// Position in `matches()` of the selected profile.
    pub selected: usize,
    pub mode: PickerMode,
    /// Why the last command was refused, shown until the next key.
    pub error: Option<String>,
}

/// One listed profile: its index in `profiles` and the char positions of its
/// name that the filter matched (to highlight them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub index: usize,
    pub positions: Vec<usize>,
}

impl ProfilePicker {
    pub fn new(profiles: Vec<ProfileSummary>) -> Self {
        Self {
            profiles,
            filter: TextInput::single_line(""),
            selected: 0,
            mode: PickerMode::Filter,
            error: None,
        }
    }

    /// Opens straight on the name prompt for saving the current request.
    pub fn naming_new(profiles: Vec<ProfileSummary>) -> Self {
        let mut picker = Self::new(profiles);
        picker.mode = PickerMode::Naming {
            rename_from: None,
            input: TextInput::single_line(""),
        };
        picker
    }

    /// Replaces the list (after the file changed), keeping the selection in range.
    pub fn set_profiles(&mut self, profiles: Vec<ProfileSummary>) {
        self.profiles = profiles;
        self.clamp();
    }

    /// The profiles the filter lets through, best first.
    pub fn matches(&self) -> Vec<Match> {
        let query = self.filter.text().trim();
        let mut scored: Vec<(i64, Match)> = self
            .profiles
            .iter()
            .enumerate()
            .filter_map(|(index, p)| {
                let (score, positions) = fuzzy(query, &p.name)
                    .or_else(|| fuzzy(query, &p.description).map(|(s, _)| (s - 100, Vec::new())))?;
                Some((score, Match { index, positions }))
            })
            .collect();
        // Stable: equal scores keep the file's order.
        scored.sort_by_key(|(score, _)| -score);
        scored.into_iter().map(|(_, m)| m).collect()
    }

    /// The selected profile's name, if any is listed.
    pub fn selected_name(&self) -> Option<&str> {
        let m = self.matches().into_iter().nth(self.selected)?;
        Some(self.profiles[m.index].name.as_str())
    }

    fn clamp(&mut self) {
        let n = self.matches().len();
        self.selected = self.selected.min(n.saturating_sub(1));
    }

    pub fn paste(&mut self, text: &str) {
        match &mut self.mode {
            PickerMode::Filter => {
                self.filter.insert_str(text);
                self.selected = 0;
            }
            PickerMode::Naming { input, .. } => input.insert_str(text),
            PickerMode::Confirm { .. } => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> PickerOutcome {
        self.error = None;
        match &mut self.mode {
            PickerMode::Filter => self.filter_key(key),
            PickerMode::Naming { .. } => self.naming_key(key),
            PickerMode::Confirm { name, delete } => {
                let (name, delete) = (name.clone(), *delete);
                self.mode = PickerMode::Filter;
                match key.code {
                    KeyCode::Char('y') | KeyCode::Char('Y') if delete => {
                        PickerOutcome::Delete(name)
                    }
                    KeyCode::Char('y') | KeyCode::Char('Y') => PickerOutcome::Overwrite(name),
                    _ => PickerOutcome::Nothing,
                }
            }
        }
    }

    fn filter_key(&mut self, key: KeyEvent) -> PickerOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return PickerOutcome::Close,
            KeyCode::Enter => {
                return match self.selected_name() {
                    Some(name) => PickerOutcome::Open(name.to_owned()),
                    None => PickerOutcome::Nothing,
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => {
                self.selected += 1;
                self.clamp();
            }
            KeyCode::Char('k') | KeyCode::Char('p') if ctrl => {
                self.selected = self.selected.saturating_sub(1)
            }
            KeyCode::Char('j') | KeyCode::Char('n') if ctrl => {
                self.selected += 1;
                self.clamp();
            }
            KeyCode::Char('s') if ctrl => {
                // The filter text is often the name the user wants.
                let guess = self.filter.text().trim().to_owned();
                self.mode = PickerMode::Naming {
                    rename_from: None,
                    input: TextInput::single_line(&guess),
                };
            }
            KeyCode::Char('o') if ctrl => {
                if let Some(name) = self.selected_name().map(str::to_owned) {
                    self.mode = PickerMode::Confirm {
                        name,
                        delete: false,
                    };
                }
            }
            KeyCode::Char('e') if ctrl => {
                if let Some(name) = self.selected_name().map(str::to_owned) {
                    self.mode = PickerMode::Naming {
                        input: TextInput::single_line(&name),
                        rename_from: Some(name),
                    };
                }
            }
            KeyCode::Char('d') if ctrl => {
                if let Some(name) = self.selected_name().map(str::to_owned) {
                    self.mode = PickerMode::Confirm { name, delete: true };
                }
            }
            _ => {
                let before = self.filter.text().to_owned();
                if self.filter.handle_key(key) && self.filter.text() != before {
                    self.selected = 0;
                }
            }
        }
        PickerOutcome::Nothing
    }

    fn naming_key(&mut self, key: KeyEvent) -> PickerOutcome {
        let PickerMode::Naming { rename_from, input } = &mut self.mode else {
            return PickerOutcome::Nothing;
        };
        match key.code {
            KeyCode::Esc => self.mode = PickerMode::Filter,
            KeyCode::Enter => {
                let name = input.text().trim().to_owned();
                let from = rename_from.clone();
                if let Err(why) = check_name(&name) {
                    self.error = Some(why);
                    return PickerOutcome::Nothing;
                }
                let taken = self.profiles.iter().any(|p| p.name == name);
                match from {
                    Some(from) if from == name => self.mode = PickerMode::Filter,
                    _ if taken => {
                        self.error = Some(format!(
                            "a profile named {name:?} exists: choose another name, or Ctrl-O overwrites it"
                        ));
                    }
                    Some(from) => {
                        self.mode = PickerMode::Filter;
                        return PickerOutcome::Rename { from, to: name };
                    }
                    None => {
                        self.mode = PickerMode::Filter;
                        return PickerOutcome::SaveNew(name);
                    }
                }
            }
            _ => {
                input.handle_key(key);
            }
        }
        PickerOutcome::Nothing
    }
}

/// A name that can be a profile: not empty, no control characters, not too long.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a profile needs a name".into());
    }
    if name.chars().any(char::is_control) {
        return Err("a profile name cannot hold control characters".into());
    }
    if name.chars().count() > 64 {
        return Err("a profile name has at most 64 characters".into());
    }
    Ok(())
}

/// fzf-like matching: every query char in order (case-insensitive), scored
/// higher for runs of adjacent chars and for starts of words. `None` when the
/// query does not match; the empty query matches everything with score 0.
pub fn fuzzy(query: &str, candidate: &str) -> Option<(i64, Vec<usize>)> {
    let chars: Vec<char> = candidate.chars().collect();
    let mut positions = Vec::new();
    let mut score = 0i64;
    let mut from = 0;
    for q in query.chars().filter(|c| !c.is_whitespace()) {
        let q = q.to_lowercase().next().unwrap_or(q);
        let found = (from..chars.len()).find(|&i| chars[i].to_lowercase().next() == Some(q))?;
        score += 1;
        if positions.last().is_some_and(|&last| last + 1 == found) {
            score += 5;
        }
        if found == 0 || !chars[found - 1].is_alphanumeric() {
            score += 3;
        }
        positions.push(found);
        from = found + 1;
    }
    // Shorter names rank first among equal matches.
    Some((score * 100 - chars.len() as i64, positions))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(name: &str, description: &str) -> ProfileSummary {
        ProfileSummary {
            name: name.into(),
            method: "GET".into(),
            url: format!("https://{name}.example/stream"),
            description: description.into(),
        }
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(picker: &mut ProfilePicker, text: &str) {
        for c in text.chars() {
            picker.handle_key(key(KeyCode::Char(c)));
        }
    }

    fn picker() -> ProfilePicker {
        ProfilePicker::new(vec![
            summary("prod-chat", "the production LLM stream"),
            summary("staging-chat", ""),
            summary("local-clock", "demo clock"),
        ])
    }

    fn listed(p: &ProfilePicker) -> Vec<String> {
        p.matches()
            .iter()
            .map(|m| p.profiles[m.index].name.clone())
            .collect()
    }

    #[test]
    fn fuzzy_matches_letters_in_order_and_ranks_runs_and_word_starts() {
        assert_eq!(fuzzy("pc", "prod-chat").unwrap().1, vec![0, 5]);
        assert!(fuzzy("cp", "prod-chat").is_none(), "order matters");
        assert!(fuzzy("PROD", "prod-chat").is_some(), "case is ignored");
        assert!(fuzzy("", "anything").is_some());
        let run = fuzzy("chat", "staging-chat").unwrap().0;
        let scattered = fuzzy("chat", "c-h-a-t-x").unwrap().0;
        assert!(run > scattered);
    }

    #[test]
    fn typing_filters_and_enter_opens_the_selected_profile() {
        let mut p = picker();
        assert_eq!(listed(&p).len(), 3);
        typed(&mut p, "chat");
        assert_eq!(listed(&p), ["prod-chat", "staging-chat"]);
        p.handle_key(key(KeyCode::Down));
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PickerOutcome::Open("staging-chat".into())
        );
        p.handle_key(key(KeyCode::Down));
        assert_eq!(p.selected, 1, "no further than the last match");
        typed(&mut p, "zzz");
        assert!(listed(&p).is_empty());
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerOutcome::Nothing);
        assert_eq!(p.handle_key(key(KeyCode::Esc)), PickerOutcome::Close);
    }

    #[test]
    fn a_description_match_lists_the_profile_after_name_matches() {
        let mut p = picker();
        typed(&mut p, "demo");
        assert_eq!(listed(&p), ["local-clock"]);
    }

    #[test]
    fn save_as_new_asks_a_name_prefilled_with_the_filter_and_refuses_a_taken_one() {
        let mut p = picker();
        typed(&mut p, "new-one");
        assert_eq!(p.handle_key(ctrl('s')), PickerOutcome::Nothing);
        assert!(matches!(p.mode, PickerMode::Naming { .. }));
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PickerOutcome::SaveNew("new-one".into())
        );
        p.handle_key(ctrl('s'));
        let PickerMode::Naming { input, .. } = &mut p.mode else {
            panic!()
        };
        *input = TextInput::single_line("prod-chat");
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerOutcome::Nothing);
        assert!(p.error.as_deref().unwrap().contains("exists"));
        p.handle_key(key(KeyCode::Esc));
        assert!(matches!(p.mode, PickerMode::Filter));
    }

    #[test]
    fn rename_overwrite_and_delete_name_or_confirm_first() {
        let mut p = picker();
        p.handle_key(ctrl('e'));
        let PickerMode::Naming { input, .. } = &p.mode else {
            panic!()
        };
        assert_eq!(input.text(), "prod-chat", "the old name to edit");
        typed(&mut p, "-eu");
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            PickerOutcome::Rename {
                from: "prod-chat".into(),
                to: "prod-chat-eu".into()
            }
        );
        p.handle_key(ctrl('d'));
        assert_eq!(
            p.handle_key(key(KeyCode::Char('n'))),
            PickerOutcome::Nothing,
            "anything but y cancels"
        );
        p.handle_key(ctrl('d'));
        assert_eq!(
            p.handle_key(key(KeyCode::Char('y'))),
            PickerOutcome::Delete("prod-chat".into())
        );
        p.handle_key(ctrl('o'));
        assert_eq!(
            p.handle_key(key(KeyCode::Char('y'))),
            PickerOutcome::Overwrite("prod-chat".into())
        );
    }

    #[test]
    fn names_must_be_usable() {
        assert!(check_name("").is_err());
        assert!(check_name("a\u{1b}b").is_err());
        assert!(check_name(&"x".repeat(65)).is_err());
        assert!(check_name("prod chat (eu)").is_ok());
        let mut p = ProfilePicker::naming_new(Vec::new());
        assert_eq!(p.handle_key(key(KeyCode::Enter)), PickerOutcome::Nothing);
        assert_eq!(p.error.as_deref(), Some("a profile needs a name"));
    }

    #[test]
    fn a_new_list_keeps_the_selection_in_range() {
        let mut p = picker();
        p.handle_key(key(KeyCode::Down));
        p.handle_key(key(KeyCode::Down));
        p.set_profiles(vec![summary("only", "")]);
        assert_eq!(p.selected, 0);
        assert_eq!(p.selected_name(), Some("only"));
    }
}
