use super::*;

fn run(argv: &[&str]) -> Result<Credential, CredentialError> {
    let command = TokenCommand::new(
        argv.iter().map(|a| (*a).to_owned()).collect(),
        None,
        None,
        Placement::default(),
    )
    .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime
        .block_on(command.credential(Freshness::Cached, tokio::sync::mpsc::unbounded_channel().0))
}

#[test]
fn the_trailing_line_end_is_trimmed_and_nothing_else() {
    let credential = run(&["printf", " tok-a \\r\\n"]).unwrap();
    assert_eq!(credential.value, "Bearer  tok-a ");
    assert_eq!(credential.secret, " tok-a ");
    assert_eq!(credential.header, "Authorization");
}

#[test]
fn no_output_more_than_one_line_or_no_program_is_an_error_naming_the_command() {
    for (argv, says) in [
        (&["printf", ""][..], "printed no token"),
        (&["printf", "a\\nb\\n"][..], "more than one line"),
        (&["/nonexistent/ssetui-token"][..], "could not start"),
    ] {
        let err = run(argv).unwrap_err();
        assert!(err.0.contains(says), "{argv:?}: {}", err.0);
        assert!(err.0.starts_with("the token command `"), "{}", err.0);
    }
}

#[test]
fn an_empty_command_is_refused() {
    assert!(TokenCommand::new(Vec::new(), None, None, Placement::default()).is_none());
    assert!(TokenCommand::new(vec![" ".into()], None, None, Placement::default()).is_none());
}
