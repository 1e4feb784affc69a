//! Every style the UI uses. `Theme::new(false)` (for `NO_COLOR`) sets no
//! colour at all, only bold, dim, reverse and underline. The light variant
//! exists because the dark one's cyan and yellow vanish on a white background.

use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::BorderType;

/// Which background the colours are chosen for: the name lives with the
/// settings, the colours here.
pub use crate::config::ThemeVariant;

/// How many colours the terminal can show: true-colour RGB is sent as is,
/// otherwise it is degraded to the nearest of the 256 or 16 palette colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ColorDepth {
    /// 24-bit RGB (`COLORTERM=truecolor` or `24bit`).
    TrueColor,
    /// The xterm 256-colour palette: what nearly every terminal supports.
    Ansi256,
    /// The 16 ANSI colours only (the Linux console, `*-16color` terminals).
    Ansi16,
}

impl ColorDepth {
    /// The depth the environment announces (`COLORTERM`, `TERM`).
    pub fn detect() -> Self {
        let var = |name| std::env::var(name).ok();
        Self::from_env(var("COLORTERM").as_deref(), var("TERM").as_deref())
    }

    /// The depth for these values of `COLORTERM` and `TERM`: RGB only when
    /// announced, 16 colours for terminals known to have no more, else 256.
    pub fn from_env(colorterm: Option<&str>, term: Option<&str>) -> Self {
        if matches!(colorterm, Some("truecolor" | "24bit")) {
            return Self::TrueColor;
        }
        match term {
            Some("linux" | "ansi" | "cons25" | "vt100" | "vt102" | "vt220") => Self::Ansi16,
            Some(t) if t.ends_with("-16color") || t.ends_with("-8color") => Self::Ansi16,
            _ => Self::Ansi256,
        }
    }
}

/// The parts `[settings.colors]` can recolour.
pub const COLOR_PARTS: &[&str] = &[
    "app_name",
    "title",
    "accent",
    "key",
    "border",
    "border_focused",
    "pane_title",
    "ok",
    "warn",
    "error",
    "muted",
    "escape",
    "comment",
    "field",
    "selected",
    "badge",
];

/// Styles for everything drawn.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Whether colours are used at all.
    pub color: bool,
    /// The background the colours suit; also picks the syntax-highlighting theme.
    pub variant: ThemeVariant,
    /// How highlighted RGB colours are sent to the terminal.
    pub depth: ColorDepth,
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
    /// The dark theme; `color` is false when `NO_COLOR` is set.
    pub fn new(color: bool) -> Self {
        Self::with_variant(color, ThemeVariant::Dark)
    }

    /// The theme for a dark or light background, on a 256-colour terminal.
    pub fn with_variant(color: bool, variant: ThemeVariant) -> Self {
        Self::for_terminal(color, variant, ColorDepth::Ansi256)
    }

    /// The theme for a background and a terminal's colour depth
    /// (`ColorDepth::detect()`). Without `color`, neither matters.
    /// Applies `[settings.colors]`: a colour (`"red"`, `"#ff8800"`, `"208"`)
    /// for each named part. Returns a warning per name or colour it cannot
    /// use; without colours (`NO_COLOR`) nothing changes.
    pub fn with_colors(
        mut self,
        colors: &std::collections::BTreeMap<String, String>,
    ) -> (Self, Vec<String>) {
        let mut warnings = Vec::new();
        if !self.color {
            return (self, warnings);
        }
        for (name, value) in colors {
            let Ok(color) = value.trim().parse::<Color>() else {
                warnings.push(format!("settings.colors.{name}: cannot read colour {value:?} (e.g. \"red\", \"#ff8800\", \"208\")"));
                continue;
            };
            let style = match name.as_str() {
                "app_name" => &mut self.app_name,
                "title" => &mut self.title,
                "accent" => &mut self.accent,
                "key" => &mut self.key,
                "border" => &mut self.border,
                "border_focused" => &mut self.border_focused,
                "pane_title" => &mut self.pane_title,
                "ok" => &mut self.ok,
                "warn" => &mut self.warn,
                "error" => &mut self.error,
                "muted" => &mut self.muted,
                "escape" => &mut self.escape,
                "comment" => &mut self.comment,
                "field" => &mut self.field,
                // Backgrounds: the selection bar and the badges.
                "selected" => {
                    self.selected = self.selected.bg(color);
                    continue;
                }
                "badge" => {
                    self.badge = self.badge.bg(color);
                    continue;
                }
                _ => {
                    warnings.push(format!(
                        "settings.colors.{name}: no such part (known: {})",
                        COLOR_PARTS.join(", ")
                    ));
                    continue;
                }
            };
            *style = style.fg(color);
        }
        (self, warnings)
    }

    pub fn for_terminal(color: bool, variant: ThemeVariant, depth: ColorDepth) -> Self {
        let mut theme = match (color, variant) {
            (false, _) => Self::monochrome(),
            (true, ThemeVariant::Dark) => Self::dark(),
            (true, ThemeVariant::Light) => Self::light(depth),
        };
        theme.variant = variant;
        theme.depth = depth;
        theme
    }

    fn dark() -> Self {
        let fg = |c: Color| Style::new().fg(c);
        let dim = Style::new().add_modifier(Modifier::DIM);
        Self {
            color: true,
            variant: ThemeVariant::Dark,
            depth: ColorDepth::Ansi256,
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

    /// Dark text colours for a white background: the 16 ANSI colours' cyan,
    /// yellow and green are too pale on white, so where the terminal has 256
    /// colours, darker palette entries stand in.
    fn light(depth: ColorDepth) -> Self {
        let pick = |indexed: u8, named: Color| {
            if depth == ColorDepth::Ansi16 {
                named
            } else {
                Color::Indexed(indexed)
            }
        };
        let fg = |c: Color| Style::new().fg(c);
        let dim = Style::new().add_modifier(Modifier::DIM);
        let blue = pick(25, Color::Blue);
        let green = pick(28, Color::Green);
        let orange = pick(130, Color::Magenta);
        let red = pick(160, Color::Red);
        let purple = pick(90, Color::Magenta);
        let grey = pick(244, Color::DarkGray);
        let inverse = fg(Color::White).bg(blue).add_modifier(Modifier::BOLD);
        Self {
            color: true,
            variant: ThemeVariant::Light,
            depth,
            app_name: fg(blue).add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            dim,
            accent: fg(blue),
            key: fg(blue).add_modifier(Modifier::BOLD),
            border: fg(grey),
            border_focused: fg(green).add_modifier(Modifier::BOLD),
            border_type: BorderType::Rounded,
            border_type_focused: BorderType::Rounded,
            pane_title: Style::new().add_modifier(Modifier::BOLD),
            selected: Style::new()
                .bg(pick(252, Color::Gray))
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM),
            tab_active: inverse,
            tab_inactive: dim,
            ok: fg(green),
            warn: fg(orange),
            error: fg(red),
            muted: fg(grey),
            badge: inverse,
            dropped: fg(orange).add_modifier(Modifier::BOLD),
            escape: fg(purple),
            line_ending: fg(grey),
            field: fg(blue),
            unknown_field: fg(orange),
            comment: dim.add_modifier(Modifier::ITALIC),
            json_key: fg(blue).add_modifier(Modifier::BOLD),
            json_string: fg(green),
            json_number: fg(purple),
            json_literal: fg(orange),
            json_punct: dim,
            palette: [
                blue,
                purple,
                orange,
                green,
                red,
                pick(31, Color::Cyan),
                pick(127, Color::LightMagenta),
                pick(94, Color::LightRed),
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
            variant: ThemeVariant::Dark,
            depth: ColorDepth::Ansi256,
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
        let light = Theme::with_variant(false, ThemeVariant::Light);
        assert_eq!(light.json_key.fg, None);
        assert_eq!(light.selected.bg, None);
    }

    #[test]
    fn dark_is_the_default_and_light_differs() {
        let dark = Theme::new(true);
        assert_eq!(dark.variant, ThemeVariant::Dark);
        assert_eq!(ThemeVariant::default(), ThemeVariant::Dark);
        let light = Theme::with_variant(true, ThemeVariant::Light);
        assert_eq!(light.variant, ThemeVariant::Light);
        assert_ne!(light.accent.fg, dark.accent.fg);
    }

    #[test]
    fn light_theme_avoids_pale_colours_on_white() {
        // xterm's cyan, yellow and green (and bright white) are unreadable on white.
        let pale = [
            Color::Cyan,
            Color::Yellow,
            Color::LightYellow,
            Color::LightCyan,
            Color::White,
        ];
        for depth in [
            ColorDepth::TrueColor,
            ColorDepth::Ansi256,
            ColorDepth::Ansi16,
        ] {
            let theme = Theme::for_terminal(true, ThemeVariant::Light, depth);
            for style in [
                theme.app_name,
                theme.accent,
                theme.key,
                theme.ok,
                theme.warn,
                theme.error,
                theme.field,
                theme.unknown_field,
                theme.json_key,
                theme.json_string,
                theme.json_literal,
                theme.escape,
            ] {
                let fg = style.fg.expect("a colour");
                assert!(!pale.contains(&fg), "{fg:?} at {depth:?}");
            }
        }
        let sixteen = Theme::for_terminal(true, ThemeVariant::Light, ColorDepth::Ansi16);
        assert!(
            !matches!(sixteen.ok.fg, Some(Color::Indexed(_))),
            "16-colour terminals get named colours"
        );
    }

    #[test]
    fn colour_depth_follows_colorterm_then_term() {
        use ColorDepth::*;
        assert_eq!(
            ColorDepth::from_env(Some("truecolor"), Some("xterm-256color")),
            TrueColor
        );
        assert_eq!(ColorDepth::from_env(Some("24bit"), None), TrueColor);
        assert_eq!(ColorDepth::from_env(None, Some("xterm-256color")), Ansi256);
        assert_eq!(ColorDepth::from_env(Some("yes"), Some("xterm")), Ansi256);
        assert_eq!(ColorDepth::from_env(None, None), Ansi256);
        assert_eq!(ColorDepth::from_env(None, Some("linux")), Ansi16);
        assert_eq!(ColorDepth::from_env(None, Some("rxvt-16color")), Ansi16);
    }

    #[test]
    fn colour_overrides_recolour_named_parts_and_warn_about_the_rest() {
        let colors: std::collections::BTreeMap<String, String> = [
            ("accent", "#ff8800"),
            ("selected", "238"),
            ("error", "light-red"),
            ("nonsense", "red"),
            ("ok", "not-a-colour"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let (theme, warnings) = Theme::new(true).with_colors(&colors);
        assert_eq!(theme.accent.fg, Some(Color::Rgb(0xff, 0x88, 0x00)));
        assert_eq!(theme.selected.bg, Some(Color::Indexed(238)));
        assert_eq!(theme.error.fg, Some(Color::LightRed));
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("nonsense") && w.contains("known:"))
        );
        assert!(warnings.iter().any(|w| w.contains("not-a-colour")));
        let (plain, warnings) = Theme::new(false).with_colors(&colors);
        assert_eq!(plain.accent.fg, None, "NO_COLOR wins");
        assert!(warnings.is_empty());
    }
}
