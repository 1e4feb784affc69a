//! Every style the UI uses. `Theme::new(false)` (for `NO_COLOR`) sets no
//! colour at all, only bold, dim, reverse and underline.

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

/// Styles for everything drawn.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Whether colours are used at all.
    pub color: bool,
    /// The app name in the title line.
    pub app_name: Style,
    /// The request in the title line.
    pub title: Style,
    /// Secondary text: headers, labels, hints' descriptions, block rows.
    pub dim: Style,
    /// Emphasis: hint keys, Raw field names, the detail's section headers.
    pub accent: Style,
    /// A key in the hint bar and the help.
    pub key: Style,
    pub border: Style,
    pub border_focused: Style,
    pub border_type: BorderType,
    pub border_type_focused: BorderType,
    /// A pane's title text.
    pub pane_title: Style,
    /// The selected row while the list has the focus.
    pub selected: Style,
    /// The selected row while the detail has the focus.
    pub selected_unfocused: Style,
    /// The active tab (`Content` / `Raw`) in the detail's title.
    pub tab_active: Style,
    pub tab_inactive: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub muted: Style,
    /// The `FOLLOW` badge.
    pub badge: Style,
    /// The dropped-rows warning.
    pub dropped: Style,
    /// A replaced control character, a `⏎` in a preview.
    pub escape: Style,
    /// `␍␊` markers in the Raw view.
    pub line_ending: Style,
    /// `data`, `id`, `event`, `retry` in the Raw view.
    pub field: Style,
    /// Any other field name in the Raw view.
    pub unknown_field: Style,
    /// A `:` comment line in the Raw view.
    pub comment: Style,
    pub json_key: Style,
    pub json_string: Style,
    pub json_number: Style,
    /// `true`, `false`, `null`.
    pub json_literal: Style,
    pub json_punct: Style,
    /// Colours for event types other than `message`, chosen by a hash of the name.
    palette: Vec<Style>,
}

impl Theme {
    /// The theme; `color` is false when `NO_COLOR` is set.
    pub fn new(color: bool) -> Self {
        if color {
            Self::colored()
        } else {
            Self::monochrome()
        }
    }

    fn colored() -> Self {
        let fg = |c: Color| Style::new().fg(c);
        let dim = Style::new().add_modifier(Modifier::DIM);
        Self {
            color: true,
            app_name: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            dim,
            accent: fg(Color::Cyan),
            key: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: fg(Color::DarkGray),
            border_focused: fg(Color::Green).add_modifier(Modifier::BOLD),
            border_type: BorderType::Rounded,
            border_type_focused: BorderType::Rounded,
            pane_title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM),
            tab_active: fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab_inactive: dim,
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            error: fg(Color::Red),
            muted: fg(Color::DarkGray),
            badge: fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            dropped: fg(Color::Yellow).add_modifier(Modifier::BOLD),
            escape: fg(Color::Magenta).add_modifier(Modifier::DIM),
            line_ending: fg(Color::DarkGray),
            field: fg(Color::Cyan),
            unknown_field: fg(Color::Yellow),
            comment: dim.add_modifier(Modifier::ITALIC),
            json_key: fg(Color::Blue).add_modifier(Modifier::BOLD),
            json_string: fg(Color::Green),
            json_number: fg(Color::Magenta),
            json_literal: fg(Color::Yellow),
            json_punct: dim,
            palette: [
                Color::Cyan,
                Color::Magenta,
                Color::Yellow,
                Color::Green,
                Color::LightRed,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightGreen,
            ]
            .into_iter()
            .map(fg)
            .collect(),
        }
    }

    fn monochrome() -> Self {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        let reversed = Style::new().add_modifier(Modifier::REVERSED);
        Self {
            color: false,
            app_name: bold,
            title: bold,
            dim,
            accent: bold,
            key: bold,
            border: plain,
            border_focused: bold,
            border_type: BorderType::Plain,
            border_type_focused: BorderType::Thick,
            pane_title: bold,
            selected: reversed,
            selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            tab_active: reversed.add_modifier(Modifier::BOLD),
            tab_inactive: dim,
            ok: bold,
            warn: bold,
            error: bold,
            muted: dim,
            badge: reversed,
            dropped: bold,
            escape: dim,
            line_ending: dim,
            field: bold,
            unknown_field: plain,
            comment: dim,
            json_key: bold,
            json_string: plain,
            json_number: plain,
            json_literal: plain,
            json_punct: dim,
            palette: vec![plain],
        }
    }

    /// The style of an event type: `message` plain, any other a stable colour
    /// picked by hashing its name.
    pub fn event_type(&self, name: &str) -> Style {
        if name == "message" || self.palette.is_empty() {
            return Style::new();
        }
        // FNV-1a: stable across runs and platforms, unlike `DefaultHasher`.
        let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
        self.palette[hash as usize % self.palette.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_type_colours_are_stable_and_message_is_plain() {
        let theme = Theme::new(true);
        assert_eq!(theme.event_type("message"), Style::new());
        assert_eq!(theme.event_type("update"), theme.event_type("update"));
        assert!(theme.event_type("update").fg.is_some());
    }

    #[test]
    fn no_color_theme_sets_no_colour() {
        let theme = Theme::new(false);
        for style in [
            theme.app_name,
            theme.selected,
            theme.border_focused,
            theme.ok,
            theme.error,
            theme.warn,
            theme.badge,
            theme.json_key,
            theme.event_type("update"),
        ] {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
    }
}
