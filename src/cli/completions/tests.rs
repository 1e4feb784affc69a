use super::*;

#[test]
fn a_name_with_a_space_or_a_quote_is_one_bash_word() {
    assert_eq!(bash_word("staging"), "staging");
    assert_eq!(bash_word("my profile"), "'my profile'");
    assert_eq!(bash_word("it's"), r"'it'\''s'");
    assert_eq!(bash_word("a$b"), "'a$b'");
}

#[test]
fn a_word_typed_with_an_opening_quote_matches_without_it() {
    assert_eq!(unquoted_start(OsStr::new("'my p")), OsString::from("my p"));
    assert_eq!(unquoted_start(OsStr::new("\"my")), OsString::from("my"));
    assert_eq!(unquoted_start(OsStr::new("plain")), OsString::from("plain"));
}

#[test]
fn the_config_flag_is_read_from_the_line_being_completed() {
    let words = |w: &[&str]| w.iter().map(OsString::from).collect::<Vec<_>>();
    assert_eq!(
        config_flag(&words(&["ssetui", "--config", "/c.toml", "-p", ""])),
        Some(PathBuf::from("/c.toml"))
    );
    assert_eq!(
        config_flag(&words(&["ssetui", "--config=/d.toml", "-p"])),
        Some(PathBuf::from("/d.toml"))
    );
    assert_eq!(config_flag(&words(&["ssetui", "-p", ""])), None);
}

#[test]
fn a_relative_binary_path_is_made_absolute_and_a_bare_name_kept() {
    let cwd = Some(PathBuf::from("/home/u/src"));
    assert_eq!(
        completer_path(Some("target/debug/ssetui".into()), cwd.clone()),
        "/home/u/src/target/debug/ssetui"
    );
    assert_eq!(completer_path(Some("ssetui".into()), cwd.clone()), "ssetui");
    assert_eq!(
        completer_path(Some("/usr/bin/ssetui".into()), cwd),
        "/usr/bin/ssetui"
    );
}
