use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

fn typed(input: &mut TextInput, s: &str) {
    for c in s.chars() {
        assert!(input.handle_key(key(KeyCode::Char(c))));
    }
}

/// The text with `|` at the cursor.
fn shown(input: &TextInput) -> String {
    let mut s = input.text().to_owned();
    s.insert(input.cursor(), '|');
    s
}

#[test]
fn typing_inserts_at_the_cursor_and_moves_it() {
    let mut input = TextInput::single_line("");
    typed(&mut input, "hllo");
    input.handle_key(key(KeyCode::Home));
    input.handle_key(key(KeyCode::Right));
    typed(&mut input, "e");
    assert_eq!(shown(&input), "he|llo");
    input.handle_key(key(KeyCode::End));
    assert_eq!(shown(&input), "hello|");
}

#[test]
fn backspace_and_delete_remove_whole_characters() {
    let mut input = TextInput::single_line("a世🎉b");
    input.handle_key(key(KeyCode::Left));
    input.handle_key(key(KeyCode::Backspace));
    assert_eq!(shown(&input), "a世|b");
    input.handle_key(key(KeyCode::Left));
    input.handle_key(key(KeyCode::Delete));
    assert_eq!(shown(&input), "a|b");
    input.handle_key(key(KeyCode::Home));
    assert!(input.handle_key(key(KeyCode::Backspace)));
    assert_eq!(shown(&input), "|ab");
    input.handle_key(key(KeyCode::End));
    input.handle_key(key(KeyCode::Delete));
    assert_eq!(shown(&input), "ab|");
}

#[test]
fn ctrl_a_and_ctrl_e_are_home_and_end() {
    let mut input = TextInput::single_line("hello");
    input.handle_key(ctrl('a'));
    assert_eq!(input.cursor(), 0);
    input.handle_key(ctrl('e'));
    assert_eq!(input.cursor(), 5);
}

#[test]
fn word_moves_skip_separators_then_a_word() {
    let mut input = TextInput::single_line("https://api.example.com/v1");
    input.handle_key(KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL));
    assert_eq!(shown(&input), "https://api.example.com/|v1");
    input.handle_key(alt('b'));
    assert_eq!(shown(&input), "https://api.example.|com/v1");
    input.handle_key(ctrl('a'));
    input.handle_key(alt('f'));
    assert_eq!(shown(&input), "https|://api.example.com/v1");
    input.handle_key(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
    assert_eq!(shown(&input), "https://api|.example.com/v1");
}

#[test]
fn ctrl_w_and_alt_backspace_delete_the_word_before() {
    let mut input = TextInput::single_line("Bearer abc.def");
    input.handle_key(ctrl('w'));
    assert_eq!(shown(&input), "Bearer abc.|");
    input.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT));
    assert_eq!(shown(&input), "Bearer |");
    input.handle_key(alt('b'));
    input.handle_key(alt('d'));
    assert_eq!(shown(&input), "| ");
}

#[test]
fn ctrl_u_and_ctrl_k_kill_to_the_line_start_and_end() {
    let mut input = TextInput::multi_line("one\ntwo three\nfour");
    input.set_cursor_line_col(1, 4);
    input.handle_key(ctrl('k'));
    assert_eq!(shown(&input), "one\ntwo |\nfour");
    input.handle_key(ctrl('u'));
    assert_eq!(shown(&input), "one\n|\nfour");
    // At a line's end, Ctrl-K joins the next line.
    input.handle_key(ctrl('k'));
    assert_eq!(shown(&input), "one\n|four");
}

#[test]
fn undo_takes_back_a_typed_word_at_a_time_and_redo_reapplies() {
    let mut input = TextInput::single_line("");
    typed(&mut input, "hello world");
    input.handle_key(ctrl('z'));
    assert_eq!(shown(&input), "hello |");
    input.handle_key(ctrl('z'));
    assert_eq!(shown(&input), "|");
    assert!(!input.undo());
    input.handle_key(ctrl('y'));
    assert_eq!(input.text(), "hello ");
    input.handle_key(ctrl('y'));
    assert_eq!(input.text(), "hello world");
    // Ctrl-_ (reported as Ctrl-7 by most terminals) undoes too.
    input.handle_key(ctrl('7'));
    assert_eq!(input.text(), "hello ");
}

#[test]
fn a_new_edit_after_undo_drops_the_redo_history() {
    let mut input = TextInput::single_line("");
    typed(&mut input, "ab");
    input.undo();
    typed(&mut input, "x");
    assert!(!input.redo());
    assert_eq!(input.text(), "x");
}

#[test]
fn deleting_after_typing_is_a_separate_undo_step() {
    let mut input = TextInput::single_line("");
    typed(&mut input, "abc");
    input.handle_key(key(KeyCode::Backspace));
    input.handle_key(key(KeyCode::Backspace));
    assert_eq!(input.text(), "a");
    input.undo();
    assert_eq!(input.text(), "abc");
}

#[test]
fn single_line_leaves_enter_tab_and_vertical_moves_to_the_form() {
    let mut input = TextInput::single_line("x");
    for code in [
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
    ] {
        assert!(!input.handle_key(key(code)), "{code:?}");
    }
    assert_eq!(input.text(), "x");
}

#[test]
fn app_keys_are_never_consumed() {
    for multiline in [false, true] {
        let mut input = if multiline {
            TextInput::multi_line("x")
        } else {
            TextInput::single_line("x")
        };
        assert!(!input.handle_key(ctrl('r')));
        assert!(!input.handle_key(ctrl('c')));
        assert!(!input.handle_key(key(KeyCode::F(5))));
        assert!(!input.handle_key(key(KeyCode::Esc)));
        assert_eq!(input.text(), "x");
    }
}

#[test]
fn multi_line_enter_keeps_the_indentation_and_tab_indents_with_spaces() {
    let mut input = TextInput::multi_line("");
    typed(&mut input, "{");
    input.handle_key(key(KeyCode::Enter));
    typed(&mut input, "\"a\": 1");
    input.handle_key(key(KeyCode::Enter));
    typed(&mut input, "}");
    assert_eq!(input.text(), "{\n  \"a\": 1\n}");
    input.handle_key(key(KeyCode::Tab));
    assert_eq!(input.text(), "{\n  \"a\": 1\n}  ");
    input.set_cursor_line_col(1, 0);
    input.handle_key(key(KeyCode::BackTab));
    assert_eq!(input.text(), "{\n\"a\": 1\n}  ");
}

#[test]
fn up_and_down_keep_the_column_across_short_lines() {
    let mut input = TextInput::multi_line("abcdef\nab\nabcdef");
    input.set_cursor_line_col(0, 5);
    input.handle_key(key(KeyCode::Down));
    assert_eq!(input.cursor_line_col(), (1, 2));
    input.handle_key(key(KeyCode::Down));
    assert_eq!(input.cursor_line_col(), (2, 5));
    input.handle_key(key(KeyCode::Down));
    assert_eq!(input.cursor(), input.text().len());
    input.handle_key(key(KeyCode::PageUp));
    // The goal column survives the jump to the end.
    assert_eq!(input.cursor_line_col(), (0, 5));
    input.handle_key(key(KeyCode::Up));
    assert_eq!(input.cursor(), 0);
}

#[test]
fn ctrl_home_and_end_go_to_the_ends_of_the_text() {
    let mut input = TextInput::multi_line("a\nb\nc");
    input.handle_key(KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL));
    assert_eq!(input.cursor_line_col(), (2, 1));
    input.handle_key(key(KeyCode::Home));
    assert_eq!(input.cursor_line_col(), (2, 0));
    input.handle_key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL));
    assert_eq!(input.cursor(), 0);
}

#[test]
fn paste_into_a_single_line_drops_line_breaks() {
    let mut input = TextInput::single_line("");
    input.insert_str("https://example.com/\r\nlong-path\n");
    assert_eq!(input.text(), "https://example.com/long-path");
    input.undo();
    assert_eq!(input.text(), "");
}

#[test]
fn paste_into_multi_line_keeps_lines_with_lf_endings() {
    let mut input = TextInput::multi_line("");
    input.insert_str("{\r\n  \"a\": 1\r}\n");
    assert_eq!(input.text(), "{\n  \"a\": 1\n}\n");
    assert_eq!(input.cursor_line_col(), (3, 0));
}

#[test]
fn set_text_is_one_undo_step() {
    let mut input = TextInput::multi_line("{\"a\":1}");
    input.set_text("{\n  \"a\": 1\n}");
    assert_eq!(input.cursor(), 0);
    input.undo();
    assert_eq!(input.text(), "{\"a\":1}");
}

#[test]
fn revision_changes_only_with_the_text() {
    let mut input = TextInput::single_line("ab");
    let r = input.revision();
    input.handle_key(key(KeyCode::Left));
    assert_eq!(input.revision(), r);
    input.handle_key(key(KeyCode::Char('x')));
    assert_ne!(input.revision(), r);
}

#[test]
fn set_cursor_line_col_clamps_to_the_text() {
    let mut input = TextInput::multi_line("ab\ncd");
    input.set_cursor_line_col(9, 9);
    assert_eq!(input.cursor_line_col(), (1, 2));
    input.set_cursor_line_col(0, 9);
    assert_eq!(input.cursor_line_col(), (0, 2));
}

#[test]
fn no_key_sequence_panics_or_breaks_char_boundaries() {
    let codes = [
        key(KeyCode::Char('é')),
        key(KeyCode::Char('世')),
        key(KeyCode::Enter),
        key(KeyCode::Backspace),
        key(KeyCode::Left),
        key(KeyCode::Up),
        key(KeyCode::Down),
        key(KeyCode::Delete),
        key(KeyCode::Tab),
        key(KeyCode::BackTab),
        key(KeyCode::Char('}')),
        ctrl('w'),
        ctrl('k'),
        ctrl('u'),
        ctrl('z'),
        ctrl('y'),
        alt('f'),
        alt('b'),
        alt('d'),
        key(KeyCode::PageDown),
    ];
    for multiline in [false, true] {
        let mut input = if multiline {
            TextInput::multi_line("")
        } else {
            TextInput::single_line("")
        };
        // A fixed pseudo-random walk over the keys.
        let mut seed = 7u32;
        for _ in 0..2000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            input.handle_key(codes[(seed >> 16) as usize % codes.len()]);
            assert!(input.text().is_char_boundary(input.cursor()));
            assert!(input.cursor() <= input.text().len());
        }
        assert!(multiline || !input.text().contains('\n'));
    }
}

#[test]
fn the_redacted_mark_clears_on_any_edit_and_comes_back_with_undo() {
    let mut input = TextInput::single_line("Bearer ***");
    input.mark_redacted();
    assert!(input.is_redacted());
    input.insert_char('x');
    assert!(!input.is_redacted(), "typed into: the user's value now");
    assert!(input.undo());
    assert_eq!(input.text(), "Bearer ***");
    assert!(input.is_redacted(), "back to the mask: redacted again");
    assert!(input.redo());
    assert!(!input.is_redacted());
    input.set_text("Bearer ***");
    assert!(!input.is_redacted(), "the same text typed is not the mask");
}
