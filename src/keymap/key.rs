//! One key as the keymap knows it: read from the config's spelling
//! (`"ctrl-r"`, `"G"`, `"pgdn"`), shown in the help's spelling (`Ctrl-R`,
//! `G`, `PgDn`), and compared with what the terminal reports.

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key with its modifiers, normalised so the config's spelling and the
/// terminal's report compare equal: a character carries its own case and
/// never SHIFT (`G`, not Shift+g), and Shift+Tab is `BackTab`. Only Ctrl, Alt
/// and Shift count; other modifiers are ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// The modifiers a binding can name.
const MODIFIERS: KeyModifiers = KeyModifiers::CONTROL
    .union(KeyModifiers::ALT)
    .union(KeyModifiers::SHIFT);

impl Key {
    /// A key as the terminal reports it, normalised.
    pub const fn new(code: KeyCode, modifiers: KeyModifiers) -> Self {
        let mut modifiers = modifiers.intersection(MODIFIERS);
        let code = match code {
            KeyCode::Char(c) => {
                // Some terminals report Shift+g as 'g' with SHIFT, most as 'G'.
                let shifted = modifiers.contains(KeyModifiers::SHIFT);
                modifiers = modifiers.difference(KeyModifiers::SHIFT);
                KeyCode::Char(if shifted { c.to_ascii_uppercase() } else { c })
            }
            KeyCode::Tab | KeyCode::BackTab if modifiers.contains(KeyModifiers::SHIFT) => {
                modifiers = modifiers.difference(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, modifiers }
    }

    /// A plain character key.
    pub const fn char(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// Ctrl and a character.
    pub const fn ctrl(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    /// Alt and a character.
    pub const fn alt(c: char) -> Self {
        Self::new(KeyCode::Char(c), KeyModifiers::ALT)
    }

    /// A key without modifiers.
    pub const fn plain(code: KeyCode) -> Self {
        Self::new(code, KeyModifiers::NONE)
    }

    /// The key a terminal event is.
    pub fn from_event(event: KeyEvent) -> Self {
        Self::new(event.code, event.modifiers)
    }

    pub fn code(self) -> KeyCode {
        self.code
    }

    pub fn modifiers(self) -> KeyModifiers {
        self.modifiers
    }

    /// Reads the config's spelling: optional `ctrl-`, `alt-`, `shift-`
    /// prefixes (`+` works too), then one character or a key name. Names and
    /// modifiers ignore case; a lone letter keeps it (`"G"` is Shift+g),
    /// while after Ctrl or Alt a letter is lower case unless `shift-` is
    /// given, as `Ctrl-R` conventionally means Ctrl and r. `None` when the
    /// text is not a key, including Shift with a symbol (the terminal sends
    /// the shifted symbol itself: write `"?"`, not `"shift-/"`).
    pub fn parse(text: &str) -> Option<Self> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text.trim();
        while let Some((head, tail)) = split_modifier(rest) {
            let modifier = match head.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => break,
            };
            modifiers |= modifier;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return None,
            (Some(c), None) if c.is_control() => return None,
            (Some(c), None) => {
                if modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => named(&rest.to_ascii_lowercase())?,
        };
        if let KeyCode::Char(c) = code
            && modifiers.contains(KeyModifiers::SHIFT)
            && !c.is_ascii_alphabetic()
        {
            return None;
        }
        Some(Self::new(code, modifiers))
    }
}

/// `("ctrl", "r")` from `"ctrl-r"`; a separator at the start is the key
/// itself (`"-"`), and one at the end leaves an empty key (`"ctrl-"`).
fn split_modifier(text: &str) -> Option<(&str, &str)> {
    let at = text
        .char_indices()
        .skip(1)
        .find(|&(_, c)| c == '-' || c == '+')?
        .0;
    Some((&text[..at], &text[at + 1..]))
}

/// The key a (lower-case) name means.
fn named(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pgup" | "pageup" => KeyCode::PageUp,
        "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        _ => {
            let n: u8 = name.strip_prefix('f')?.parse().ok()?;
            if !(1..=12).contains(&n) {
                return None;
            }
            KeyCode::F(n)
        }
    })
}

/// The help's spelling: `q`, `G`, `Ctrl-R`, `Alt-Shift-X`, `PgDn`, `↑`, `⇧Tab`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ctrl_or_alt = self
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            // After Ctrl or Alt a letter is written in upper case, as on the
            // key cap; a shifted one says so.
            KeyCode::Char(c) if ctrl_or_alt && c.is_ascii_uppercase() => write!(f, "Shift-{c}"),
            KeyCode::Char(c) if ctrl_or_alt => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("⇧Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_at_the_edges() {
        assert_eq!(split_modifier("-"), None);
        assert_eq!(split_modifier("ctrl-"), Some(("ctrl", "")));
        assert_eq!(split_modifier("ctrl--"), Some(("ctrl", "-")));
        assert_eq!(split_modifier("alt+x"), Some(("alt", "x")));
    }

    #[test]
    fn terminal_reports_normalise_like_the_config() {
        let shift = KeyModifiers::SHIFT;
        assert_eq!(Key::new(KeyCode::Char('g'), shift), Key::char('G'));
        assert_eq!(Key::new(KeyCode::Char('G'), shift), Key::char('G'));
        assert_eq!(Key::new(KeyCode::Char('?'), shift), Key::char('?'));
        assert_eq!(
            Key::new(KeyCode::BackTab, shift),
            Key::plain(KeyCode::BackTab)
        );
        assert_eq!(Key::new(KeyCode::Tab, shift), Key::plain(KeyCode::BackTab));
        assert_eq!(
            Key::new(KeyCode::Char('q'), KeyModifiers::SUPER),
            Key::char('q')
        );
    }
}
