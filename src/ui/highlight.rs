//! Syntax highlighting for the Content view, and the cache that makes it a
//! one-off: the selected event's Content is formatted, highlighted and wrapped
//! once, then every later frame only copies the rows on screen.
//!
//! The syntect themes are bundled (`assets/*.tmTheme`), and so are the syntax
//! definitions (syntect's defaults), so the binary needs no files beside it.
//! syntect's RGB colours are degraded to the terminal's palette (`ColorDepth`).

use std::io::Cursor;
use std::rc::Rc;
use std::sync::OnceLock;

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::easy::HighlightLines;
use syntect::highlighting::{self as syn, FontStyle, ThemeSet};
use syntect::parsing::SyntaxSet;

use super::json::{self, NotPretty};
use super::text::{self, Context};
use super::theme::{ColorDepth, Theme, ThemeVariant};
use crate::limits::json::DEPTH_LIMIT;

/// syntect colours at most this much pretty text (and `MAX_LINES` lines); the
/// rest is shown plain. syntect does about 2 MB/s in release, so this keeps
/// the first frame after a selection within ~15 ms.
pub const MAX_BYTES: usize = 32 * 1024;
/// See `MAX_BYTES`.
pub const MAX_LINES: usize = 2_000;

const DARK_THEME: &[u8] = include_bytes!("../../assets/ssetui-dark.tmTheme");
const LIGHT_THEME: &[u8] = include_bytes!("../../assets/ssetui-light.tmTheme");

/// The pretty lines of `src` when it is a JSON object or array: keys in their
/// order, numbers as sent, coloured by syntect with the theme variant's colours
/// (the theme's plain styles under `NO_COLOR`), control characters escaped.
/// Beyond `MAX_BYTES` / `MAX_LINES` the lines are plain, under a note.
///
/// JSON too deep to re-indent is shown as received under a note, and so is
/// what is left when re-indenting reaches its caps (`json::MAX_LINES`,
/// `json::MAX_BYTES`); `None` when `src` is not a JSON object or array.
pub fn json(src: &str, theme: &Theme) -> Option<Vec<Line<'static>>> {
    let pretty = if theme.color {
        coloured_json(src, theme)
    } else {
        json::pretty(src, theme).map(|pretty| (pretty, None))
    };
    let (
        json::Pretty {
            pretty: mut lines,
            rest,
        },
        coloured,
    ) = match pretty {
        Ok(pretty) => pretty,
        Err(NotPretty::NotJson) => return None,
        Err(NotPretty::TooDeep) => {
            let note = format!("… JSON {DEPTH_LIMIT}+ levels deep: shown as received");
            let mut lines = vec![Line::styled(note, theme.dim), Line::raw("")];
            lines.extend(plain_lines(src, theme));
            return Some(lines);
        }
    };
    let total = lines.len();
    let mut notes = Vec::new();
    if let Some(at) = rest {
        notes.push(format!("… {total} lines re-indented; the rest as received"));
        lines.push(Line::styled("… as received:", theme.dim));
        lines.extend(plain_lines(&src[at..], theme));
    }
    if let Some(coloured) = coloured.filter(|&c| c < total) {
        notes.push(format!(
            "… syntax colours for the first {coloured} of {total} lines only"
        ));
    }
    if !notes.is_empty() {
        let notes = notes.into_iter().map(|note| Line::styled(note, theme.dim));
        lines.splice(0..0, notes.chain([Line::raw("")]));
    }
    Some(lines)
}

/// The Content view's plain text: `text`'s lines, control characters escaped.
pub fn plain_lines(text: &str, theme: &Theme) -> Vec<Line<'static>> {
    text.split('\n')
        .map(|line| {
            let (spans, _, _) = text::spans(
                line,
                Context::Content,
                usize::MAX,
                Style::new(),
                theme.escape,
            );
            Line::from(spans)
        })
        .collect()
}

/// JSON lines coloured by syntect, and how many are (the first
/// `MAX_LINES`, up to `MAX_BYTES`); the theme's own styles if the bundled
/// files cannot be used.
type Coloured = (json::Pretty<Vec<Line<'static>>>, Option<usize>);

fn coloured_json(src: &str, theme: &Theme) -> Result<Coloured, NotPretty> {
    let (Some(syntect_theme), Some(syntax)) = (
        syntect_theme(theme.variant),
        syntaxes().find_syntax_by_name("JSON"),
    ) else {
        // Cannot happen with the bundled files; the theme's own styles then.
        return json::pretty(src, theme).map(|pretty| (pretty, None));
    };
    let json::Pretty { pretty, rest } = json::pretty_text(src)?;
    let default_fg = syntect_theme.settings.foreground;
    let mut highlighter = HighlightLines::new(syntax, syntect_theme);
    let mut lines = Vec::new();
    let mut budget = MAX_BYTES;
    let mut coloured = 0;
    let mut colouring = true;
    let mut buffer = String::new();
    for line in pretty.split('\n') {
        colouring = colouring && coloured < MAX_LINES && line.len() < budget;
        if colouring {
            // The syntaxes are the `newlines` set: each line ends with one.
            buffer.clear();
            buffer.push_str(line);
            buffer.push('\n');
            if let Ok(regions) = highlighter.highlight_line(&buffer, syntaxes()) {
                lines.push(styled_line(&regions, default_fg, theme));
                budget -= buffer.len();
                coloured += 1;
                continue;
            }
            colouring = false;
        }
        lines.push(Line::from(escaped(line, Style::new(), theme)));
    }
    Ok((
        json::Pretty {
            pretty: lines,
            rest,
        },
        Some(coloured),
    ))
}

/// One highlighted line: regions of the same style merged, the final newline
/// dropped, control characters escaped (syntect passes them through).
fn styled_line(
    regions: &[(syn::Style, &str)],
    default_fg: Option<syn::Color>,
    theme: &Theme,
) -> Line<'static> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_style = Style::new();
    for (style, piece) in regions {
        let piece = piece.strip_suffix('\n').unwrap_or(piece);
        if piece.is_empty() {
            continue;
        }
        let style = terminal_style(*style, default_fg, theme.depth);
        if style != run_style && !run.is_empty() {
            spans.extend(escaped(&std::mem::take(&mut run), run_style, theme));
        }
        run_style = style;
        run.push_str(piece);
    }
    spans.extend(escaped(&run, run_style, theme));
    Line::from(spans)
}

fn escaped(s: &str, style: Style, theme: &Theme) -> Vec<Span<'static>> {
    text::spans(s, Context::Raw, usize::MAX, style, theme.escape).0
}

/// A syntect style for the terminal: the theme's default foreground becomes
/// the terminal's own (so plain text looks like the rest of the UI), the
/// background is never set (the pane keeps the terminal's).
pub(crate) fn terminal_style(
    style: syn::Style,
    default_fg: Option<syn::Color>,
    depth: ColorDepth,
) -> Style {
    let mut out = Style::new();
    let fg = style.foreground;
    if Some(fg) != default_fg {
        out = out.fg(terminal_color([fg.r, fg.g, fg.b], depth));
    }
    for (font, modifier) in [
        (FontStyle::BOLD, Modifier::BOLD),
        (FontStyle::ITALIC, Modifier::ITALIC),
        (FontStyle::UNDERLINE, Modifier::UNDERLINED),
    ] {
        if style.font_style.contains(font) {
            out = out.add_modifier(modifier);
        }
    }
    out
}

/// `rgb` as a terminal of `depth` can show it: as is, or the nearest palette colour.
pub fn terminal_color(rgb: [u8; 3], depth: ColorDepth) -> Color {
    let [r, g, b] = rgb;
    match depth {
        ColorDepth::TrueColor => Color::Rgb(r, g, b),
        ColorDepth::Ansi256 => Color::Indexed(ansi256(rgb)),
        ColorDepth::Ansi16 => ansi16(rgb),
    }
}

/// The nearest colour of the xterm 256-colour palette's 6×6×6 cube or grey
/// ramp (16–255). The first 16 are never picked: users redefine them.
pub fn ansi256(rgb: [u8; 3]) -> u8 {
    const LEVELS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    let level = |v: u8| {
        (0..LEVELS.len())
            .min_by_key(|&i| LEVELS[i].abs_diff(v))
            .unwrap_or(0)
    };
    let [r, g, b] = rgb.map(level);
    let cube = [LEVELS[r], LEVELS[g], LEVELS[b]];
    // Greys 232–255 are 8, 18, …, 238.
    let mean = rgb.iter().map(|&v| u32::from(v)).sum::<u32>() / 3;
    let step = (mean.saturating_sub(3) / 10).min(23) as u8;
    let grey = 8 + 10 * step;
    if distance(rgb, [grey; 3]) < distance(rgb, cube) {
        232 + step
    } else {
        (16 + 36 * r + 6 * g + b) as u8
    }
}

/// Squared distance, green weighted most: the eye tells greens apart best.
fn distance(a: [u8; 3], b: [u8; 3]) -> u32 {
    let d = |i: usize| u32::from(a[i].abs_diff(b[i])).pow(2);
    2 * d(0) + 4 * d(1) + 3 * d(2)
}

/// The ANSI colour of the same hue: sixteen colours are too few for the
/// nearest-by-distance to work (a soft green is nearest to grey), so greys are
/// told apart by saturation, the rest by hue and lightness.
pub fn ansi16(rgb: [u8; 3]) -> Color {
    let [r, g, b] = rgb.map(i32::from);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let chroma = max - min;
    if chroma < 40 {
        return match max {
            0..50 => Color::Black,
            50..160 => Color::DarkGray,
            160..230 => Color::Gray,
            _ => Color::White,
        };
    }
    let hue = if max == r {
        60 * (g - b) / chroma
    } else if max == g {
        60 * (b - r) / chroma + 120
    } else {
        60 * (r - g) / chroma + 240
    }
    .rem_euclid(360);
    let light = max >= 230 || (max + min) / 2 >= 150;
    let (normal, bright) = match hue {
        0..30 | 330.. => (Color::Red, Color::LightRed),
        30..90 => (Color::Yellow, Color::LightYellow),
        90..150 => (Color::Green, Color::LightGreen),
        150..210 => (Color::Cyan, Color::LightCyan),
        210..270 => (Color::Blue, Color::LightBlue),
        _ => (Color::Magenta, Color::LightMagenta),
    };
    if light { bright } else { normal }
}

/// syntect's bundled syntax definitions, loaded on first use (about 1 ms in
/// release: syntect defers compiling each syntax until it is used).
pub(crate) fn syntaxes() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The bundled syntect theme for `variant`, parsed once.
pub(crate) fn syntect_theme(variant: ThemeVariant) -> Option<&'static syn::Theme> {
    static DARK: OnceLock<Option<syn::Theme>> = OnceLock::new();
    static LIGHT: OnceLock<Option<syn::Theme>> = OnceLock::new();
    let (cell, bytes) = match variant {
        ThemeVariant::Dark => (&DARK, DARK_THEME),
        ThemeVariant::Light => (&LIGHT, LIGHT_THEME),
    };
    cell.get_or_init(|| ThemeSet::load_from_reader(&mut Cursor::new(bytes)).ok())
        .as_ref()
}

/// The last Content built: what it was made from, its lines, and those lines
/// wrapped at the last width.
struct Entry {
    shown: String,
    total_len: usize,
    look: (bool, ThemeVariant, ColorDepth),
    lines: Vec<Line<'static>>,
    width: usize,
    rows: Rc<Vec<Line<'static>>>,
}

/// What a Raw view's rows are made of: the row's bytes (by their place in
/// the stream, and whether they are still retained), the width and the look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawKey {
    pub range: std::ops::Range<u64>,
    pub retained: bool,
    pub line_endings: bool,
    pub width: usize,
    pub look: (bool, ThemeVariant, ColorDepth),
}

/// The last event's Content (and the last Raw view), kept between frames by
/// the UI loop (and passed to `draw`) so a repeat frame formats, highlights
/// and wraps nothing.
#[derive(Default)]
pub struct ContentCache {
    last: Option<Entry>,
    raw: Option<(RawKey, Rc<Vec<Line<'static>>>)>,
    /// The Answer view's rendered Markdown, re-rendered from its last block only.
    pub markdown: super::markdown::MarkdownCache,
}

impl std::fmt::Debug for ContentCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cached = self.last.as_ref().map(|e| e.shown.len());
        f.debug_struct("ContentCache")
            .field("cached_bytes", &cached)
            .finish()
    }
}

impl ContentCache {
    /// The Content rows (lines wrapped at `width`) for an event whose data shows
    /// `shown` of `total_len` bytes. `build` makes the lines; it runs only when
    /// the text, its length or the theme changed since the last call, so a new
    /// frame costs no formatting.
    pub fn rows(
        &mut self,
        shown: &str,
        total_len: usize,
        theme: &Theme,
        width: usize,
        build: impl FnOnce() -> Vec<Line<'static>>,
    ) -> Rc<Vec<Line<'static>>> {
        let look = (theme.color, theme.variant, theme.depth);
        if let Some(entry) = self
            .last
            .as_mut()
            .filter(|e| e.look == look && e.total_len == total_len && e.shown == shown)
        {
            if entry.width != width {
                entry.rows = Rc::new(text::wrap(entry.lines.clone(), width));
                entry.width = width;
            }
            return Rc::clone(&entry.rows);
        }
        let lines = build();
        let rows = Rc::new(text::wrap(lines.clone(), width));
        self.last = Some(Entry {
            shown: shown.to_owned(),
            total_len,
            look,
            lines,
            width,
            rows: Rc::clone(&rows),
        });
        rows
    }

    /// The Raw view's rows for `key`; `build` makes them (wrapped) only when
    /// the key changed since the last call.
    pub fn raw_rows(
        &mut self,
        key: RawKey,
        build: impl FnOnce() -> Vec<Line<'static>>,
    ) -> Rc<Vec<Line<'static>>> {
        if let Some((_, rows)) = self.raw.as_ref().filter(|(k, _)| *k == key) {
            return Rc::clone(rows);
        }
        let rows = Rc::new(build());
        self.raw = Some((key, Rc::clone(&rows)));
        rows
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn plain(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn dark(depth: ColorDepth) -> Theme {
        Theme::for_terminal(true, ThemeVariant::Dark, depth)
    }

    /// The style of the span holding `needle` on line `y`.
    fn style_of(lines: &[Line], y: usize, needle: &str) -> Style {
        lines[y]
            .spans
            .iter()
            .find(|s| s.content.contains(needle))
            .unwrap_or_else(|| panic!("{needle:?} not on line {y}: {:?}", lines[y]))
            .style
    }

    #[test]
    fn bundled_themes_load() {
        assert!(syntect_theme(ThemeVariant::Dark).is_some());
        assert!(syntect_theme(ThemeVariant::Light).is_some());
        assert!(syntaxes().find_syntax_by_name("JSON").is_some());
    }

    #[test]
    fn json_keeps_key_order_and_numbers_as_sent() {
        let src = r#"{"z":1.10,"a":[12345678901234567890123,-0.0,1e400],"m":{"b":true,"a":null}}"#;
        let lines = json(src, &dark(ColorDepth::TrueColor)).unwrap();
        assert_eq!(
            plain(&lines),
            [
                "{",
                r#"  "z": 1.10,"#,
                r#"  "a": ["#,
                "    12345678901234567890123,",
                "    -0.0,",
                "    1e400",
                "  ],",
                r#"  "m": {"#,
                r#"    "b": true,"#,
                r#"    "a": null"#,
                "  }",
                "}",
            ]
        );
    }

    #[test]
    fn keys_strings_and_numbers_get_the_bundled_themes_colours() {
        let src = r#"{"key":"value","n":42}"#;
        let lines = json(src, &dark(ColorDepth::TrueColor)).unwrap();
        let key = style_of(&lines, 1, "key");
        assert_eq!(key.fg, Some(Color::Rgb(0x6c, 0xb6, 0xff)));
        assert!(key.add_modifier.contains(Modifier::BOLD));
        assert_eq!(
            style_of(&lines, 1, "value").fg,
            Some(Color::Rgb(0x98, 0xc3, 0x79))
        );
        assert_eq!(
            style_of(&lines, 2, "42").fg,
            Some(Color::Rgb(0xe5, 0xa1, 0x58))
        );
        // Quotes belong to their string: one span per key.
        assert!(lines[1].spans.iter().any(|s| s.content == "\"key\""));

        let light = Theme::for_terminal(true, ThemeVariant::Light, ColorDepth::TrueColor);
        let lines = json(src, &light).unwrap();
        assert_eq!(
            style_of(&lines, 1, "key").fg,
            Some(Color::Rgb(0x05, 0x50, 0xae))
        );
    }

    #[test]
    fn colours_degrade_to_the_terminals_palette() {
        let src = r#"{"key":"value"}"#;
        let fg = |depth| style_of(&json(src, &dark(depth)).unwrap(), 1, "key").fg;
        assert!(matches!(fg(ColorDepth::TrueColor), Some(Color::Rgb(..))));
        assert!(matches!(
            fg(ColorDepth::Ansi256),
            Some(Color::Indexed(16..))
        ));
        let sixteen = fg(ColorDepth::Ansi16);
        assert!(
            !matches!(sixteen, Some(Color::Rgb(..) | Color::Indexed(_)) | None),
            "{sixteen:?}"
        );
    }

    #[test]
    fn no_color_sets_no_colour() {
        let src = r#"{"key":"value","n":[1,true,null]}"#;
        let lines = json(src, &Theme::new(false)).unwrap();
        assert_eq!(plain(&lines)[1], r#"  "key": "value","#);
        for span in lines.iter().flat_map(|l| &l.spans) {
            assert_eq!(span.style.fg, None, "{span:?}");
            assert_eq!(span.style.bg, None, "{span:?}");
        }
    }

    #[test]
    fn plain_text_is_left_in_the_terminals_colours() {
        // Indentation and the space after `:` carry the theme's default
        // foreground, which is not sent: no background either.
        let lines = json(r#"{"a":{"b":1}}"#, &dark(ColorDepth::TrueColor)).unwrap();
        for span in lines.iter().flat_map(|l| &l.spans) {
            assert_eq!(span.style.bg, None, "{span:?}");
            if span.content.trim().is_empty() {
                assert_eq!(span.style.fg, None, "{span:?}");
            }
        }
    }

    #[test]
    fn control_characters_inside_strings_stay_visible() {
        let theme = dark(ColorDepth::TrueColor);
        let lines = json("[\"a\u{7f}b\u{85}c\u{202e}d\"]", &theme).unwrap();
        let line = lines[1].to_string();
        assert_eq!(line, "  \"a␡b\\u{85}c\\u{202e}d\"");
        let text: String = plain(&lines).concat();
        assert!(!text.chars().any(|c| c.is_control() || c == '\u{202e}'));
        let del = style_of(&lines, 1, "␡");
        assert_eq!(del.add_modifier, theme.escape.add_modifier);
    }

    #[test]
    fn long_documents_are_coloured_up_to_the_cap_then_plain_with_a_note() {
        let src = format!("[{}1]", "1,".repeat(MAX_LINES + 500));
        let theme = dark(ColorDepth::TrueColor);
        let lines = json(&src, &theme).unwrap();
        let total = MAX_LINES + 503;
        assert_eq!(
            lines[0].to_string(),
            format!("… syntax colours for the first {MAX_LINES} of {total} lines only")
        );
        assert_eq!(lines.len(), total + 2);
        // Line i of the document is at i + 2, after the note and a blank line.
        let coloured = style_of(&lines, 2 + MAX_LINES - 1, "1");
        assert!(coloured.fg.is_some());
        let plain = style_of(&lines, 2 + MAX_LINES, "1");
        assert_eq!(plain, Style::new());

        // The byte cap: one string longer than it is shown plain.
        let big = format!("[\"{}\"]", "x".repeat(MAX_BYTES));
        let lines = json(&big, &theme).unwrap();
        assert_eq!(
            lines[0].to_string(),
            "… syntax colours for the first 1 of 3 lines only"
        );
        assert_eq!(style_of(&lines, 3, "xxx"), Style::new());

        let short = json("[1]", &theme).unwrap();
        assert_eq!(short.len(), 3, "no note when all is coloured");
    }

    #[test]
    fn not_json_is_left_alone() {
        let theme = dark(ColorDepth::TrueColor);
        assert!(json("hello", &theme).is_none());
        assert!(json("42", &theme).is_none());
        assert!(json("{broken", &theme).is_none());
    }

    #[test]
    fn ansi256_picks_the_nearest_cube_or_grey() {
        assert_eq!(ansi256([0, 0, 0]), 16);
        assert_eq!(ansi256([255, 255, 255]), 231);
        assert_eq!(ansi256([255, 0, 0]), 196);
        assert_eq!(ansi256([0, 95, 135]), 24);
        assert_eq!(ansi256([0, 100, 130]), 24);
        assert_eq!(ansi256([128, 128, 128]), 244);
        assert_eq!(ansi256([238, 238, 238]), 255);
        assert_eq!(ansi256([12, 12, 12]), 232);
        // Never the user-defined first 16.
        for v in (0..=255).step_by(15) {
            assert!(ansi256([v, 255 - v, v / 2]) >= 16);
        }
    }

    #[test]
    fn ansi16_keeps_the_hue() {
        assert_eq!(ansi16([0x98, 0xc3, 0x79]), Color::LightGreen);
        assert_eq!(ansi16([0x11, 0x63, 0x29]), Color::Green);
        assert_eq!(ansi16([0x05, 0x50, 0xae]), Color::Blue);
        assert_eq!(ansi16([0xff, 0x6b, 0x6b]), Color::LightRed);
        assert_eq!(ansi16([0xcf, 0x22, 0x2e]), Color::Red);
        assert_eq!(ansi16([0xc6, 0x78, 0xdd]), Color::LightMagenta);
        assert_eq!(ansi16([0xe5, 0xa1, 0x58]), Color::LightYellow);
        assert_eq!(ansi16([0x8a, 0x8a, 0x8a]), Color::DarkGray);
        assert_eq!(ansi16([0, 0, 0]), Color::Black);
        assert_eq!(ansi16([255, 255, 255]), Color::White);
    }

    #[test]
    fn terminal_color_follows_the_depth() {
        let rgb = [0x6c, 0xb6, 0xff];
        assert_eq!(
            terminal_color(rgb, ColorDepth::TrueColor),
            Color::Rgb(0x6c, 0xb6, 0xff)
        );
        assert_eq!(
            terminal_color(rgb, ColorDepth::Ansi256),
            Color::Indexed(ansi256(rgb))
        );
        assert_eq!(terminal_color(rgb, ColorDepth::Ansi16), ansi16(rgb));
    }

    #[test]
    fn cache_builds_once_per_text_and_look() {
        let builds = Cell::new(0);
        let build = || {
            builds.set(builds.get() + 1);
            vec![Line::raw("abcdef")]
        };
        let theme = Theme::new(true);
        let mut cache = ContentCache::default();
        let mut cached_rows =
            |shown, len, theme: &Theme, width, build| cache.rows(shown, len, theme, width, build);
        let first = cached_rows("abc", 3, &theme, 10, build);
        assert_eq!(builds.get(), 1);
        let again = cached_rows("abc", 3, &theme, 10, build);
        assert_eq!(builds.get(), 1, "a second frame builds nothing");
        assert!(Rc::ptr_eq(&first, &again));

        // A new width rewraps the cached lines without building them.
        let narrow = cached_rows("abc", 3, &theme, 3, build);
        assert_eq!(builds.get(), 1);
        assert_eq!(plain(&narrow), ["abc", "def"]);

        // Another text, another length or another look builds again.
        cached_rows("abd", 3, &theme, 3, build);
        assert_eq!(builds.get(), 2);
        cached_rows("abd", 4, &theme, 3, build);
        assert_eq!(builds.get(), 3);
        let light = Theme::with_variant(true, ThemeVariant::Light);
        cached_rows("abd", 4, &light, 3, build);
        assert_eq!(builds.get(), 4);
        cached_rows("abd", 4, &Theme::new(false), 3, build);
        assert_eq!(builds.get(), 5);
    }
}
