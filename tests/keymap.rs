//! The `[keys]` table: reading keys, merging over the defaults, the fixed
//! keys, and the help overlay and hint bar showing the bindings in force.

mod support;
use support::screen;

use std::collections::BTreeMap;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use reqwest::Url;
use ssetui::action::{self, Action};
use ssetui::keymap::{Key, Keymap, KeymapError};
use ssetui::sse::RequestSpec;
use ssetui::state::AppState;
use ssetui::ui::{self, Theme};

fn table(entries: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    entries
        .iter()
        .map(|(action, keys)| {
            (
                (*action).to_owned(),
                keys.iter().map(|k| (*k).to_owned()).collect(),
            )
        })
        .collect()
}

fn keymap(entries: &[(&str, &[&str])]) -> Keymap {
    Keymap::from_config(&table(entries)).expect("valid [keys]")
}

fn error(entries: &[(&str, &[&str])]) -> KeymapError {
    Keymap::from_config(&table(entries)).expect_err("invalid [keys]")
}

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn plain(code: KeyCode) -> KeyEvent {
    press(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    plain(KeyCode::Char(c))
}

const CTRL: KeyModifiers = KeyModifiers::CONTROL;
const ALT: KeyModifiers = KeyModifiers::ALT;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;

#[test]
fn every_key_form_parses() {
    let k = Key::new;
    let cases: &[(&str, Key)] = &[
        ("q", Key::char('q')),
        ("G", Key::char('G')),
        ("shift-g", Key::char('G')),
        ("Shift-G", Key::char('G')),
        ("ctrl-r", Key::ctrl('r')),
        ("Ctrl-R", Key::ctrl('r')),
        ("CTRL+r", Key::ctrl('r')),
        ("control-r", Key::ctrl('r')),
        ("ctrl-shift-r", k(KeyCode::Char('R'), CTRL)),
        ("alt-x", k(KeyCode::Char('x'), ALT)),
        ("meta-x", k(KeyCode::Char('x'), ALT)),
        ("ctrl-alt-x", k(KeyCode::Char('x'), CTRL | ALT)),
        ("shift-tab", Key::plain(KeyCode::BackTab)),
        ("backtab", Key::plain(KeyCode::BackTab)),
        ("tab", Key::plain(KeyCode::Tab)),
        ("enter", Key::plain(KeyCode::Enter)),
        ("Return", Key::plain(KeyCode::Enter)),
        ("esc", Key::plain(KeyCode::Esc)),
        ("backspace", Key::plain(KeyCode::Backspace)),
        ("del", Key::plain(KeyCode::Delete)),
        ("insert", Key::plain(KeyCode::Insert)),
        ("up", Key::plain(KeyCode::Up)),
        ("DOWN", Key::plain(KeyCode::Down)),
        ("left", Key::plain(KeyCode::Left)),
        ("right", Key::plain(KeyCode::Right)),
        ("shift-up", k(KeyCode::Up, SHIFT)),
        ("home", Key::plain(KeyCode::Home)),
        ("end", Key::plain(KeyCode::End)),
        ("pgup", Key::plain(KeyCode::PageUp)),
        ("PageUp", Key::plain(KeyCode::PageUp)),
        ("pgdn", Key::plain(KeyCode::PageDown)),
        ("pagedown", Key::plain(KeyCode::PageDown)),
        ("f1", Key::plain(KeyCode::F(1))),
        ("F12", Key::plain(KeyCode::F(12))),
        ("ctrl-f5", k(KeyCode::F(5), CTRL)),
        ("space", Key::char(' ')),
        ("ctrl-space", Key::ctrl(' ')),
        ("/", Key::char('/')),
        ("?", Key::char('?')),
        ("[", Key::char('[')),
        ("-", Key::char('-')),
        ("+", Key::char('+')),
        ("ctrl--", Key::ctrl('-')),
        ("alt-+", k(KeyCode::Char('+'), ALT)),
        ("é", Key::char('é')),
        (" x ", Key::char('x')),
    ];
    for (text, want) in cases {
        assert_eq!(Key::parse(text), Some(*want), "{text:?}");
    }
}

#[test]
fn unreadable_keys_are_refused() {
    for text in [
        "",
        " ",
        "ctrl-",
        "ctrl",
        "ctrl-shift-",
        "qq",
        "f0",
        "f13",
        "fx",
        "hyper-x",
        "shift-/",
        "shift-1",
        "pg dn",
        "\t",
        "\u{7}",
        "ctrl-\u{1b}",
    ] {
        assert_eq!(Key::parse(text), None, "{text:?}");
    }
}

#[test]
fn keys_display_as_the_help_writes_them() {
    let cases: &[(&str, &str)] = &[
        ("q", "q"),
        ("G", "G"),
        ("ctrl-r", "Ctrl-R"),
        ("ctrl-shift-r", "Ctrl-Shift-R"),
        ("alt-x", "Alt-X"),
        ("ctrl-alt-del", "Ctrl-Alt-Del"),
        ("shift-tab", "⇧Tab"),
        ("tab", "Tab"),
        ("pgdn", "PgDn"),
        ("pgup", "PgUp"),
        ("up", "↑"),
        ("down", "↓"),
        ("left", "←"),
        ("right", "→"),
        ("shift-up", "Shift-↑"),
        ("f5", "F5"),
        ("space", "Space"),
        ("enter", "Enter"),
        ("esc", "Esc"),
        ("backspace", "Backspace"),
        ("/", "/"),
    ];
    for (text, shown) in cases {
        let key = Key::parse(text).expect(text);
        assert_eq!(key.to_string(), *shown, "{text:?}");
        // What the help shows reads back as the same key.
        if !shown.contains(['↑', '↓', '←', '→', '⇧']) {
            assert_eq!(Key::parse(shown), Some(key), "{shown:?}");
        }
    }
}

#[test]
fn default_keymap_keeps_the_old_keys() {
    let keymap = Keymap::default();
    let cases: &[(KeyEvent, Action)] = &[
        (ch('q'), Action::Quit),
        (press(KeyCode::Char('c'), CTRL), Action::Quit),
        (ch('j'), Action::Down),
        (plain(KeyCode::Down), Action::Down),
        (ch('k'), Action::Up),
        (plain(KeyCode::Up), Action::Up),
        (plain(KeyCode::PageDown), Action::PageDown),
        (plain(KeyCode::PageUp), Action::PageUp),
        (ch('g'), Action::Top),
        (plain(KeyCode::Home), Action::Top),
        (ch('G'), Action::Bottom),
        (press(KeyCode::Char('G'), SHIFT), Action::Bottom),
        (press(KeyCode::Char('g'), SHIFT), Action::Bottom),
        (plain(KeyCode::End), Action::Bottom),
        (ch('f'), Action::ToggleFollow),
        (ch('v'), Action::ToggleDetail),
        (plain(KeyCode::Enter), Action::ToggleDetail),
        (plain(KeyCode::Tab), Action::FocusNext),
        (press(KeyCode::BackTab, SHIFT), Action::FocusNext),
        (ch('c'), Action::ToggleConnect),
        (press(KeyCode::Char('r'), CTRL), Action::ToggleConnect),
        (ch('R'), Action::Reconnect),
        (ch('r'), Action::EditRequest),
        (ch('e'), Action::ResumeFromSelected),
        (ch('x'), Action::Clear),
        (ch('b'), Action::ToggleBlocks),
        (ch('l'), Action::ToggleLineEndings),
        (press(KeyCode::Char('?'), SHIFT), Action::ToggleHelp),
        (ch('/'), Action::Search),
        (ch('n'), Action::NextMatch),
        (ch('N'), Action::PrevMatch),
        (ch('F'), Action::ToggleFilter),
        (ch('d'), Action::DemoPicker),
        (ch('p'), Action::ToggleFreeze),
        (ch('y'), Action::CopyData),
        (ch('s'), Action::SaveEvent),
        (ch('S'), Action::SaveStream),
        (ch('m'), Action::ToggleMouse),
        (ch('t'), Action::NewTab),
        (ch('W'), Action::CloseTab),
        (ch(']'), Action::NextTab),
        (ch('['), Action::PrevTab),
        (ch('1'), Action::GoToTab(1)),
        (ch('9'), Action::GoToTab(9)),
        (plain(KeyCode::Esc), Action::Escape),
        (plain(KeyCode::F(1)), Action::ToggleHelp),
        (ch('V'), Action::PrevView),
        (press(KeyCode::Char('1'), ALT), Action::ViewContent),
        (press(KeyCode::Char('6'), ALT), Action::ViewStats),
        (ch('T'), Action::RenameTab),
        (ch('z'), Action::ToggleReasoning),
    ];
    for (event, want) in cases {
        assert_eq!(keymap.action_for(*event), Some(*want), "{event:?}");
    }
    for event in [
        ch('0'),
        ch('Z'),
        press(KeyCode::Char('q'), CTRL),
        press(KeyCode::Char('q'), ALT),
        press(KeyCode::Char('1'), CTRL),
        press(KeyCode::Char('7'), ALT),
        plain(KeyCode::F(2)),
    ] {
        assert_eq!(keymap.action_for(event), None, "{event:?}");
    }
}

#[test]
fn naming_an_action_changes_only_that_action() {
    let defaults = Keymap::default();
    let keymap = keymap(&[("quit", &["ctrl-q"]), ("down", &["ctrl-n", "j"])]);
    assert_eq!(keymap.keys(Action::Quit), ["Ctrl-Q"]);
    assert_eq!(keymap.keys(Action::Down), ["Ctrl-N", "j"]);
    assert_eq!(keymap.action_for(ch('q')), None, "q no longer quits");
    assert_eq!(keymap.action_for(plain(KeyCode::Down)), None);
    assert_eq!(
        keymap.action_for(press(KeyCode::Char('q'), CTRL)),
        Some(Action::Quit)
    );
    for action in Action::BINDABLE {
        if action != Action::Quit && action != Action::Down {
            assert_eq!(keymap.keys(action), defaults.keys(action), "{action:?}");
        }
    }
}

#[test]
fn an_empty_table_is_the_defaults() {
    let keymap = keymap(&[]);
    for action in Action::BINDABLE {
        assert_eq!(keymap.keys(action), Keymap::default().keys(action));
    }
}

#[test]
fn the_users_binding_wins_over_a_default_one() {
    // x clears by default; quitting on x takes it from clear.
    let keymap = keymap(&[("quit", &["x"])]);
    assert_eq!(keymap.action_for(ch('x')), Some(Action::Quit));
    assert!(keymap.keys(Action::Clear).is_empty());
    // Taking one of two keys leaves the other.
    let keymap = self::keymap(&[("toggle_blocks", &["g"])]);
    assert_eq!(keymap.keys(Action::Top), ["Home"]);
    assert_eq!(keymap.action_for(ch('g')), Some(Action::ToggleBlocks));
}

#[test]
fn two_actions_swap_keys() {
    let keymap = keymap(&[("down", &["k"]), ("up", &["j"])]);
    assert_eq!(keymap.action_for(ch('k')), Some(Action::Down));
    assert_eq!(keymap.action_for(ch('j')), Some(Action::Up));
}

#[test]
fn an_empty_list_unbinds() {
    let keymap = keymap(&[("demo_picker", &[])]);
    assert_eq!(keymap.action_for(ch('d')), None);
    assert!(keymap.keys(Action::DemoPicker).is_empty());
}

#[test]
fn one_key_named_for_two_actions_is_an_error() {
    let err = error(&[("clear", &["z"]), ("quit", &["Z", "z"])]);
    assert_eq!(
        err,
        KeymapError::Conflict {
            key: "z".into(),
            first: "clear",
            second: "quit"
        }
    );
    assert_eq!(
        err.to_string(),
        r#"keys: "z" is bound to both clear and quit"#
    );
    // Different spellings of one key are the same key.
    let err = error(&[("clear", &["ctrl-r"]), ("quit", &["Ctrl+R"])]);
    assert!(err.to_string().contains("\"Ctrl+R\""), "{err}");
    // The same key twice for one action is fine.
    let keymap = keymap(&[("quit", &["z", "z"])]);
    assert_eq!(keymap.keys(Action::Quit), ["z"]);
}

#[test]
fn an_unknown_action_is_named() {
    let err = error(&[("qiut", &["q"])]);
    assert_eq!(
        err,
        KeymapError::UnknownAction {
            action: "qiut".into()
        }
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with(r#"keys: unknown action "qiut" (known: quit, down, up,"#),
        "{msg}"
    );
    // Esc and the tab digits are fixed, so they have no name to bind.
    assert!(matches!(
        error(&[("escape", &["q"])]),
        KeymapError::UnknownAction { .. }
    ));
    assert!(matches!(
        error(&[("go_to_tab", &["q"])]),
        KeymapError::UnknownAction { .. }
    ));
}

#[test]
fn an_unreadable_key_is_named_with_its_action() {
    let err = error(&[("quit", &["q", "ctrl-"])]);
    assert_eq!(
        err.to_string(),
        r#"keys.quit: cannot read key "ctrl-" (expected e.g. "q", "ctrl-r", "f5")"#
    );
    assert_eq!(
        err,
        KeymapError::BadKey {
            action: "quit",
            key: "ctrl-".into()
        }
    );
}

#[test]
fn ctrl_c_always_quits() {
    let ctrl_c = press(KeyCode::Char('c'), CTRL);
    let keymap = keymap(&[("quit", &["x"]), ("connect", &["c"])]);
    assert_eq!(keymap.action_for(ctrl_c), Some(Action::Quit));
    let keymap = self::keymap(&[("quit", &[])]);
    assert_eq!(keymap.action_for(ctrl_c), Some(Action::Quit));
    // Naming it for quit is harmless; for anything else it is refused.
    let keymap = self::keymap(&[("quit", &["ctrl-c"])]);
    assert_eq!(keymap.action_for(ctrl_c), Some(Action::Quit));
    let err = error(&[("clear", &["ctrl-c"])]);
    assert_eq!(
        err.to_string(),
        r#"keys.clear: "ctrl-c" cannot be bound (Ctrl-C always quits)"#
    );
}

#[test]
fn esc_and_tab_digits_are_fixed() {
    let err = error(&[("help", &["esc"])]);
    assert!(
        matches!(err, KeymapError::FixedKey { action: "help", .. }),
        "{err}"
    );
    let err = error(&[("next_tab", &["2"])]);
    assert!(err.to_string().contains(r#""2""#), "{err}");
    // With a modifier a digit is free.
    let keymap = keymap(&[("next_tab", &["alt-2"])]);
    assert_eq!(
        keymap.action_for(press(KeyCode::Char('2'), ALT)),
        Some(Action::NextTab)
    );
    assert_eq!(keymap.action_for(ch('2')), Some(Action::GoToTab(2)));
    assert_eq!(keymap.action_for(plain(KeyCode::Esc)), Some(Action::Escape));
}

#[test]
fn modifiers_must_match() {
    let keymap = keymap(&[("reconnect", &["alt-r"]), ("top", &["shift-home"])]);
    assert_eq!(
        keymap.action_for(press(KeyCode::Char('r'), ALT)),
        Some(Action::Reconnect)
    );
    assert_eq!(keymap.action_for(ch('R')), None, "R was reconnect's");
    assert_eq!(
        keymap.action_for(press(KeyCode::Home, SHIFT)),
        Some(Action::Top)
    );
    assert_eq!(keymap.action_for(plain(KeyCode::Home)), None);
    // A terminal reporting Ctrl-Shift-R either way is the same key.
    let keymap = self::keymap(&[("reconnect", &["ctrl-shift-r"])]);
    for event in [
        press(KeyCode::Char('R'), CTRL | SHIFT),
        press(KeyCode::Char('r'), CTRL | SHIFT),
        press(KeyCode::Char('R'), CTRL),
    ] {
        assert_eq!(
            keymap.action_for(event),
            Some(Action::Reconnect),
            "{event:?}"
        );
    }
    assert_eq!(
        keymap.action_for(press(KeyCode::Char('r'), CTRL)),
        Some(Action::ToggleConnect)
    );
}

#[test]
fn hint_keys_take_the_first_key_of_each_action() {
    let keymap = keymap(&[("down", &["ctrl-n", "j"])]);
    assert_eq!(
        keymap.hint_keys(&[Action::Down, Action::Up]).as_deref(),
        Some("Ctrl-N/k")
    );
    let keymap = self::keymap(&[("down", &[]), ("up", &[])]);
    assert_eq!(keymap.hint_keys(&[Action::Down, Action::Up]), None);
}

// ---- drawing ----

fn state_with(keymap: Keymap) -> AppState {
    let spec = RequestSpec::get(Url::parse("http://localhost:8080/events").unwrap());
    let mut state = AppState::new(spec, "local".into());
    state.keymap = keymap;
    state
}

fn last_line(screen: &str) -> &str {
    screen.lines().last().unwrap_or_default()
}

#[test]
fn hint_bar_shows_the_keys_in_force() {
    let state = state_with(Keymap::default());
    let bar = last_line(&screen(&state, 80, 24)).to_owned();
    assert!(bar.contains(" q quit  j/k move  v view"), "{bar}");
    assert!(bar.contains("? help"), "{bar}");

    let state = state_with(keymap(&[
        ("quit", &["x"]),
        ("down", &["ctrl-n"]),
        ("help", &["f1"]),
    ]));
    let bar = last_line(&screen(&state, 80, 24)).to_owned();
    assert!(bar.contains(" x quit  Ctrl-N/k move  v view"), "{bar}");
    assert!(bar.contains("F1 help"), "{bar}");
    assert!(!bar.contains("q quit") && !bar.contains("? help"), "{bar}");

    // An action without keys has no hint.
    let state = state_with(keymap(&[("help", &[]), ("toggle_view", &[])]));
    let bar = last_line(&screen(&state, 80, 24)).to_owned();
    assert!(!bar.contains("help") && !bar.contains("view"), "{bar}");
    assert!(bar.contains("q quit"), "{bar}");
}

#[test]
fn help_overlay_shows_the_keys_in_force() {
    let mut state = state_with(keymap(&[
        ("quit", &["x"]),
        ("save_stream", &["ctrl-s", "alt-s"]),
        ("connect", &["f5", "c"]),
    ]));
    state.active_mut().overlay = Some(ssetui::state::Overlay::help(ssetui::state::HelpPage::List));
    for (w, h) in [(80, 24), (160, 48)] {
        let s = screen(&state, w, h);
        // At 80x24 long keys leave descriptions cut: look for their start.
        let row = |what: &str| {
            s.lines()
                .find(|l| l.contains(what))
                .unwrap_or_else(|| panic!("{what} missing at {w}x{h}:\n{s}"))
                .to_owned()
        };
        assert!(row("quit (also").contains("│ x "), "{s}");
        assert!(row("save NDJSON").contains("Ctrl-S/Alt-S"), "{s}");
        assert!(row("connect /").contains("F5/c"), "{s}");
        // x was clear's; the help says clear has no key now.
        assert!(row("clear the").contains("none"), "{s}");
        assert!(row("next tab (1-9").contains("]"), "{s}");
        for (_, _, what) in list_page_bindings() {
            let start: String = what.chars().take(8).collect();
            assert!(s.contains(&start), "{what} missing at {w}x{h}:\n{s}");
        }
        // The note names the connect key that works in a text field.
        assert!(s.contains("Esc leaves it; F5 connects anywhere."), "{s}");
    }
}

#[test]
fn help_overlay_defaults_fit_80x24() {
    let mut state = state_with(Keymap::default());
    state.active_mut().overlay = Some(ssetui::state::Overlay::help(ssetui::state::HelpPage::List));
    let s = screen(&state, 80, 24);
    for (keys, _, what) in list_page_bindings() {
        assert!(s.contains(keys), "{keys}:\n{s}");
        for word in what.split(' ') {
            assert!(s.contains(word), "{word} of {what}:\n{s}");
        }
    }
    // Every description whole, none wrapped or cut.
    assert!(s.contains("resume from this event"), "{s}");
    assert!(s.contains("show comment/id/retry blocks"), "{s}");
    // The detail pane's keys are on its own page, the next one.
    state.active_mut().overlay = Some(ssetui::state::Overlay::help(
        ssetui::state::HelpPage::Detail,
    ));
    let s = screen(&state, 80, 24);
    for (keys, action, _) in action::BINDINGS {
        if DETAIL_ONLY.contains(action) {
            assert!(s.contains(keys), "{keys}:\n{s}");
        }
    }
    assert!(s.contains("Help · detail pane"), "{s}");
}

/// What the list's help page leaves to the detail pane's.
const DETAIL_ONLY: &[Action] = &[
    Action::ToggleLineEndings,
    Action::PrevView,
    Action::ViewContent,
    Action::ViewRaw,
    Action::ViewWire,
    Action::ViewAnswer,
    Action::ViewChecks,
    Action::ViewStats,
    Action::ToggleReasoning,
];

/// An MCP tab's keys, on the help's MCP page.
const MCP_ONLY: &[Action] = &[
    Action::McpPanel,
    Action::JumpToLinked,
    Action::McpCancel,
    Action::McpProbe,
];

/// The bindings the list's help page shows.
fn list_page_bindings() -> impl Iterator<Item = &'static (&'static str, Action, &'static str)> {
    action::BINDINGS
        .iter()
        .filter(|(_, action, _)| !DETAIL_ONLY.contains(action) && !MCP_ONLY.contains(action))
}

#[test]
fn long_or_odd_keys_do_not_break_the_screen() {
    let mut state = state_with(keymap(&[
        (
            "quit",
            &[
                "ctrl-alt-shift-a",
                "ctrl-alt-shift-b",
                "ctrl-alt-shift-c",
                "ctrl-alt-f12",
            ],
        ),
        ("help", &["\u{202e}"]),
    ]));
    for show_help in [false, true] {
        state.active_mut().overlay =
            show_help.then_some(ssetui::state::Overlay::help(ssetui::state::HelpPage::List));
        for (w, h) in [(80, 24), (160, 48), (20, 5), (1, 1), (0, 0)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal
                .draw(|f| {
                    let theme = Theme::new(true);
                    ui::draw(
                        f,
                        &state,
                        &theme,
                        &mut ui::ContentCache::default(),
                        Instant::now(),
                    );
                })
                .unwrap();
            let buffer = terminal.backend().buffer();
            assert!(
                buffer
                    .content()
                    .iter()
                    .all(|c| !c.symbol().contains('\u{202e}')),
                "a bidi override reached the screen at {w}x{h}"
            );
            if (w, h) == (80, 24) {
                let shown: String = buffer.content().iter().map(|c| c.symbol()).collect();
                assert!(shown.contains("\\u{202e}"), "shown escaped");
                assert!(shown.contains("Ctrl-Alt-Sh"), "long key cut, not dropped");
            }
        }
    }
}

#[test]
fn the_help_key_column_matches_the_default_keymap() {
    let keymap = Keymap::default();
    for (keys, action, _) in action::BINDINGS {
        if let Action::GoToTab(_) = action {
            continue;
        }
        assert_eq!(keymap.keys(*action).join("/"), *keys, "{action:?}");
    }
}
