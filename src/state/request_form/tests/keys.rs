//! The form's keys: rows added, edited and removed; when letters type and
//! when they act; what Esc, Tab and Enter do in a field and in the body.

use super::*;

#[test]
fn rows_are_added_edited_toggled_and_deleted_with_keys() {
    let s = spec("https://example.com/s");
    let mut form = RequestForm::from_spec(&s);
    // From the URL, down twice: the empty query line, then the empty headers line.
    press(&mut form, &[ch('j'), ch('j')]);
    assert_eq!(form.focus(), Slot::AddRow(List::Headers));
    press(&mut form, &[ch('a')]);
    assert!(form.is_editing());
    typed(&mut form, "X-Mode");
    press(&mut form, &[key(KeyCode::Tab)]);
    assert_eq!(form.focus(), Slot::Row(List::Headers, 0, Part::Value));
    assert!(form.is_editing(), "Tab moves on still editing");
    typed(&mut form, "fast");
    press(&mut form, &[key(KeyCode::Enter)]);
    assert!(!form.is_editing());
    assert_eq!(
        form.build(&s).unwrap().headers,
        [("X-Mode".to_owned(), "fast".to_owned())]
    );

    press(&mut form, &[ch(' ')]);
    assert!(!form.headers[0].enabled);
    assert!(form.build(&s).unwrap().headers.is_empty());
    press(&mut form, &[ch(' '), ch('d')]);
    assert!(form.headers.is_empty());
    assert_eq!(form.focus(), Slot::AddRow(List::Headers));
}

#[test]
fn a_row_left_blank_disappears_when_its_edit_ends() {
    let mut s = spec("https://example.com/s");
    s.headers = vec![("X-A".into(), "1".into())];
    let mut form = RequestForm::from_spec(&s);
    press(&mut form, &[ch('j'), ch('j'), ch('a')]);
    assert_eq!(form.headers.len(), 2);
    press(&mut form, &[key(KeyCode::Esc)]);
    assert_eq!(form.headers.len(), 1);
    assert!(!form.is_editing());
    assert_eq!(form.focus(), Slot::Row(List::Headers, 0, Part::Name));
}

#[test]
fn esc_leaves_a_field_and_then_closes_the_form() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    press(&mut form, &[key(KeyCode::Enter)]);
    assert!(form.is_editing());
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Handled);
    assert!(!form.is_editing());
    assert_eq!(form.handle_key(key(KeyCode::Esc)), FormOutcome::Close);
}

#[test]
fn letters_type_while_editing_and_act_only_outside() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    assert_eq!(form.handle_key(ch('q')), FormOutcome::NotHandled);
    press(&mut form, &[ch('i')]);
    typed(&mut form, "qjkad");
    assert_eq!(form.url.text(), "https://example.com/sqjkad");
    // Alt-letters never reach the app's single-letter keys either.
    let alt_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT);
    assert_eq!(form.handle_key(alt_q), FormOutcome::Handled);
}

#[test]
fn ctrl_r_ctrl_c_and_f_keys_are_left_to_the_app_even_while_editing() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    for editing in [false, true] {
        if editing {
            press(&mut form, &[key(KeyCode::Enter)]);
            assert!(form.is_editing());
        }
        for k in [ctrl('r'), ctrl('c'), key(KeyCode::F(5))] {
            assert_eq!(form.handle_key(k), FormOutcome::NotHandled, "{k:?}");
        }
    }
    press(
        &mut form,
        &[key(KeyCode::Esc), key(KeyCode::End), key(KeyCode::Enter)],
    );
    assert!(form.is_editing(), "editing the body");
    assert_eq!(form.handle_key(ctrl('r')), FormOutcome::NotHandled);
    assert_eq!(form.url.text(), "https://example.com/s");
}

#[test]
fn the_body_takes_enter_and_tab_and_only_esc_leaves_it() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    press(&mut form, &[ch('G'), key(KeyCode::Enter)]);
    assert_eq!(form.focus(), Slot::Body);
    typed(&mut form, "{");
    press(&mut form, &[key(KeyCode::Enter), key(KeyCode::Tab)]);
    assert_eq!(form.body.text(), "{\n    ");
    assert!(form.is_editing());
    press(&mut form, &[key(KeyCode::Esc)]);
    assert!(!form.is_editing());
    assert_eq!(form.focus(), Slot::Body);
}

#[test]
fn tab_into_the_body_stops_editing_so_keys_do_not_indent_it() {
    let mut form = RequestForm::from_spec(&spec("https://example.com/s"));
    press(
        &mut form,
        &[
            key(KeyCode::End),
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::BackTab),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(form.focus(), Slot::Reconnect);
    // Reconnect is a choice: Enter cycled it instead of editing.
    assert!(!form.is_editing());
    assert_eq!(form.reconnect, ReconnectPolicy::OnError);
    press(
        &mut form,
        &[ch('k'), key(KeyCode::Enter), key(KeyCode::Tab)],
    );
    assert_eq!(form.focus(), Slot::Reconnect);
    assert!(!form.is_editing());
}
