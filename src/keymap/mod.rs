//! Key bindings: the defaults, merged with the user's `[keys]` table.
//!
//! The table maps action names (see [`Action::name`]) to keys in the
//! spelling [`Key::parse`] reads. Naming an action replaces that action's
//! keys and nothing else; a key the user gives to one action is taken away
//! from whichever action had it by default, so the user's binding wins. An
//! empty list unbinds the action.
//!
//! Some keys are fixed whatever the config says: Ctrl-C always quits (so a
//! bad config can never trap the user: in a text field it cancels the edit
//! and, with unsaved work, the app asks first, but a second Ctrl-C within
//! 2 s quits whatever is open; see `state::update::keys`), Esc closes
//! overlays, and 1-9 pick a tab.

mod key;

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
pub use key::Key;

/// The keys each bindable action starts with, in the spelling of the help.
const DEFAULTS: &[(Action, &[Key])] = &[
    (Action::Quit, &[Key::char('q')]),
    (Action::Down, &[Key::char('j'), Key::plain(KeyCode::Down)]),
    (Action::Up, &[Key::char('k'), Key::plain(KeyCode::Up)]),
    (Action::PageDown, &[Key::plain(KeyCode::PageDown)]),
    (Action::PageUp, &[Key::plain(KeyCode::PageUp)]),
    (Action::Top, &[Key::char('g'), Key::plain(KeyCode::Home)]),
    (Action::Bottom, &[Key::char('G'), Key::plain(KeyCode::End)]),
    (Action::ToggleFollow, &[Key::char('f')]),
    (
        Action::ToggleDetail,
        &[Key::char('v'), Key::plain(KeyCode::Enter)],
    ),
    (
        Action::FocusNext,
        &[Key::plain(KeyCode::Tab), Key::plain(KeyCode::BackTab)],
    ),
    (Action::EditRequest, &[Key::char('r')]),
    (Action::Profiles, &[Key::char('o')]),
    (Action::SaveProfile, &[Key::char('P'), Key::ctrl('s')]),
    (Action::History, &[Key::char('h')]),
    (Action::ToggleConnect, &[Key::char('c'), Key::ctrl('r')]),
    (Action::Reconnect, &[Key::char('R')]),
    (Action::ResumeFromSelected, &[Key::char('e')]),
    (Action::Search, &[Key::char('/')]),
    (Action::NextMatch, &[Key::char('n')]),
    (Action::PrevMatch, &[Key::char('N')]),
    (Action::ToggleFilter, &[Key::char('F')]),
    (Action::DemoPicker, &[Key::char('d')]),
    (Action::ToggleFreeze, &[Key::char('p')]),
    (Action::CopyData, &[Key::char('y')]),
    (Action::CopyCurl, &[Key::char('Y')]),
    (Action::ToggleRecord, &[Key::char('C')]),
    (Action::SaveEvent, &[Key::char('s')]),
    (Action::SaveStream, &[Key::char('S')]),
    (Action::ToggleMouse, &[Key::char('m')]),
    (Action::NewTab, &[Key::char('t')]),
    (Action::CloseTab, &[Key::char('W')]),
    (Action::NextTab, &[Key::char(']')]),
    (Action::PrevTab, &[Key::char('[')]),
    (Action::Clear, &[Key::char('x')]),
    (Action::ToggleBlocks, &[Key::char('b')]),
    (Action::ToggleLineEndings, &[Key::char('l')]),
    (
        Action::ToggleHelp,
        &[Key::char('?'), Key::plain(KeyCode::F(1))],
    ),
    (Action::PrevView, &[Key::char('V')]),
    (Action::ViewContent, &[Key::alt('1')]),
    (Action::ViewRaw, &[Key::alt('2')]),
    (Action::ViewWire, &[Key::alt('3')]),
    (Action::ViewAnswer, &[Key::alt('4')]),
    (Action::ViewChecks, &[Key::alt('5')]),
    (Action::ViewStats, &[Key::alt('6')]),
    (Action::ToggleReasoning, &[Key::char('z')]),
    (Action::RenameTab, &[Key::char('T')]),
    (Action::McpPanel, &[Key::char('M')]),
    (Action::JumpToLinked, &[Key::char('L')]),
    (Action::McpCancel, &[Key::char('X')]),
    (Action::McpProbe, &[Key::char('K')]),
    (Action::Environment, &[Key::char('E')]),
    (Action::CopyCurlSecrets, &[Key::alt('y')]),
];

/// Ctrl-C quits whatever the config says.
const CTRL_C: Key = Key::ctrl('c');

/// The bindings in force: for each bindable action (in [`Action::BINDABLE`]
/// order), its keys, the first being the one the hint bar shows.
/// `Default` is the built-in bindings.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Action, Vec<Key>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = Action::BINDABLE
            .into_iter()
            .map(|action| {
                let keys = DEFAULTS
                    .iter()
                    .find(|(a, _)| *a == action)
                    .map_or_else(Vec::new, |(_, keys)| keys.to_vec());
                (action, keys)
            })
            .collect();
        Self { bindings }
    }
}

/// What is wrong with a `[keys]` table; each names the entry at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("keys: unknown action {action:?} (known: {})", known_names())]
    UnknownAction { action: String },
    #[error("keys.{action}: cannot read key {key:?} (expected e.g. \"q\", \"ctrl-r\", \"f5\")")]
    BadKey { action: &'static str, key: String },
    #[error("keys.{action}: {key:?} cannot be bound ({why})")]
    FixedKey {
        action: &'static str,
        key: String,
        why: &'static str,
    },
    #[error("keys: {key:?} is bound to both {first} and {second}")]
    Conflict {
        key: String,
        first: &'static str,
        second: &'static str,
    },
}

fn known_names() -> String {
    Action::BINDABLE.map(Action::name).join(", ")
}

impl Keymap {
    /// The defaults with the user's `[keys]` table merged over them: each
    /// named action gets exactly the keys listed (a single string is a
    /// one-element list; an empty list unbinds it), and those keys are taken
    /// from any action the user did not name. Unknown actions, unreadable or
    /// fixed keys, and one key given to two named actions are errors.
    pub fn from_config(table: &BTreeMap<String, Vec<String>>) -> Result<Self, KeymapError> {
        let mut named: Vec<(Action, Vec<Key>)> = Vec::new();
        let mut claimed: Vec<(Key, Action)> = Vec::new();
        for (name, texts) in table {
            let action = Action::from_name(name).ok_or_else(|| KeymapError::UnknownAction {
                action: name.clone(),
            })?;
            let mut keys = Vec::new();
            for text in texts {
                let key = Key::parse(text).ok_or_else(|| KeymapError::BadKey {
                    action: action.name(),
                    key: text.clone(),
                })?;
                if let Some(why) = fixed(key, action) {
                    return Err(KeymapError::FixedKey {
                        action: action.name(),
                        key: text.clone(),
                        why,
                    });
                }
                if let Some((_, other)) = claimed.iter().find(|(k, a)| *k == key && *a != action) {
                    return Err(KeymapError::Conflict {
                        key: text.clone(),
                        first: other.name(),
                        second: action.name(),
                    });
                }
                if !keys.contains(&key) {
                    keys.push(key);
                    claimed.push((key, action));
                }
            }
            named.push((action, keys));
        }
        let mut keymap = Self::default();
        for (_, keys) in &mut keymap.bindings {
            keys.retain(|key| !claimed.iter().any(|(k, _)| k == key));
        }
        for (action, keys) in named {
            if let Some(slot) = keymap.bindings.iter_mut().find(|(a, _)| *a == action) {
                slot.1 = keys;
            }
        }
        Ok(keymap)
    }

    /// The action a key press means, if any: Ctrl-C, Esc and 1-9 first,
    /// then the bindings.
    pub fn action_for(&self, event: KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        if key == CTRL_C {
            return Some(Action::Quit);
        }
        if key.modifiers() == KeyModifiers::NONE {
            match key.code() {
                KeyCode::Esc => return Some(Action::Escape),
                KeyCode::Char(c @ '1'..='9') => return Some(Action::GoToTab(c as u8 - b'0')),
                _ => {}
            }
        }
        self.bindings
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(action, _)| *action)
    }

    /// The keys bound to `action`, first the one hints show.
    pub fn bound(&self, action: Action) -> &[Key] {
        self.bindings
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, keys)| keys)
    }

    /// The keys bound to `action` as the help shows them (`Ctrl-R`, `PgDn`).
    pub fn keys(&self, action: Action) -> Vec<String> {
        self.bound(action).iter().map(Key::to_string).collect()
    }

    /// The hint bar's key text for `actions`: the first key of each, joined
    /// by `/` (`j/k`); `None` when none of them is bound.
    pub fn hint_keys(&self, actions: &[Action]) -> Option<String> {
        let firsts: Vec<String> = actions
            .iter()
            .filter_map(|action| self.bound(*action).first())
            .map(Key::to_string)
            .collect();
        (!firsts.is_empty()).then(|| firsts.join("/"))
    }
}

/// Why `key` cannot be bound to `action`, if it cannot.
fn fixed(key: Key, action: Action) -> Option<&'static str> {
    if key == CTRL_C {
        // Binding it to quit changes nothing, so it is allowed.
        return (action != Action::Quit).then_some("Ctrl-C always quits");
    }
    if key.modifiers() != KeyModifiers::NONE {
        return None;
    }
    match key.code() {
        KeyCode::Esc => Some("Esc always closes and cancels"),
        KeyCode::Char('1'..='9') => Some("1-9 always pick a tab"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bindable_action_has_defaults() {
        for action in Action::BINDABLE {
            assert!(
                !Keymap::default().bound(action).is_empty(),
                "{action:?} has no default key"
            );
        }
        assert_eq!(DEFAULTS.len(), Action::BINDABLE.len());
    }

    #[test]
    fn no_default_key_means_two_actions() {
        let keymap = Keymap::default();
        let mut all: Vec<Key> = keymap
            .bindings
            .iter()
            .flat_map(|(_, k)| k.clone())
            .collect();
        let n = all.len();
        all.sort_by_key(|k| format!("{k:?}"));
        all.dedup();
        assert_eq!(all.len(), n);
        for key in all {
            assert_eq!(fixed(key, Action::Clear), None, "{key}");
        }
    }
}
