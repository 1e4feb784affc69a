use super::*;

fn query(expr: &str) -> Query {
    match Query::compile(expr) {
        Ok(q) => q,
        Err(e) => panic!("{expr} should compile: {e}"),
    }
}

#[test]
fn query_is_send_sync_and_debug_shows_the_expression() {
    fn send_sync<T: Send + Sync + Clone>() {}
    send_sync::<Query>();
    assert_eq!(format!("{:?}", query(".a")), r#"Query { expr: ".a" }"#);
}

#[test]
fn string_output_is_unquoted_and_others_are_compact_json() {
    let data = r#"{"s":"hi","o":{"a": [1, 2]},"n":null}"#;
    assert_eq!(query(".s").extract(data).as_deref(), Some("hi"));
    assert_eq!(query(".o").extract(data).as_deref(), Some(r#"{"a":[1,2]}"#));
    assert_eq!(query(".n").extract(data).as_deref(), Some("null"));
    assert_eq!(query(".n // empty").extract(data), None);
}

#[test]
fn truthiness_follows_jq() {
    assert!(query(".").holds("0"));
    assert!(query(".").holds(r#""""#));
    assert!(!query(".").holds("null"));
    assert!(!query(".").holds("false"));
    assert!(!query("empty").holds("{}"));
}

fn all_hold(expr: &str, data: &str) -> Result<(), NotHeld> {
    query(expr).all_outputs_hold(&Input::parse(data).expect("JSON"))
}

#[test]
fn every_output_must_be_true_and_there_must_be_one() {
    assert_eq!(all_hold(".a[] > 0", r#"{"a":[1,2]}"#), Ok(()));
    assert_eq!(
        all_hold(".a[] > 1", r#"{"a":[1,2,0]}"#),
        Err(NotHeld::Falsy {
            index: 1,
            value: "false".into()
        })
    );
    assert_eq!(
        all_hold(".a[]", r#"{"a":[1,null]}"#),
        Err(NotHeld::Falsy {
            index: 2,
            value: "null".into()
        })
    );
    assert_eq!(all_hold(".a[]", r#"{"a":[]}"#), Err(NotHeld::NoOutput));
    assert_eq!(
        all_hold("(.n | numbers) > 3", r#"{"n":"x"}"#),
        Err(NotHeld::NoOutput)
    );
    // jq orders values across types: a string is greater than any number.
    assert_eq!(all_hold(".n > 3", r#"{"n":"x"}"#), Ok(()));
}

#[test]
fn an_error_at_any_output_does_not_hold() {
    assert_eq!(
        all_hold(".a", "5"),
        Err(NotHeld::Failed("cannot index 5 with \"a\"".into()))
    );
    assert!(matches!(
        all_hold(".[] | .a", r#"[{"a":1}, 2]"#),
        Err(NotHeld::Failed(_))
    ));
    assert!(matches!(all_hold("halt", "{}"), Err(NotHeld::Failed(m)) if m.starts_with("halt")));
    // A value thrown is shown as JSON, as jaq shows it.
    assert_eq!(
        all_hold(r#"error("no \u001b")"#, "{}"),
        Err(NotHeld::Failed(r#""no \u001b""#.into()))
    );
}

#[test]
fn endless_outputs_stop_at_the_cap_and_long_errors_are_cut() {
    assert_eq!(all_hold("repeat(1)", "{}"), Err(NotHeld::TooManyOutputs));
    let limit = format!("limit({ALL_MAX_OUTPUTS}; repeat(1))");
    assert_eq!(all_hold(&limit, "{}"), Ok(()));
    let big = format!("[{}]", vec!["1"; 100_000].join(","));
    let Err(NotHeld::Failed(message)) = all_hold(".a", &big) else {
        panic!("indexing an array with a key fails")
    };
    assert!(
        message.len() <= ERROR_MAX_BYTES + '…'.len_utf8(),
        "{}",
        message.len()
    );
    assert!(
        message.starts_with("cannot index [1,1,") && message.ends_with('…'),
        "{message}"
    );
}

#[test]
fn halt_is_an_error_not_an_exit() {
    assert!(!query("halt").holds("{}"));
    assert_eq!(query("halt_error").extract(r#""x""#), None);
}

#[test]
fn text_is_cut_at_the_byte_cap_on_a_char_boundary() {
    let mut text = CappedText::new(5);
    assert!(!text.push("abcdé"));
    assert_eq!(text.finish(), "abcd…");
}

#[test]
fn error_column_counts_characters() {
    let expr = "é.x";
    assert_eq!(column_of(expr, &expr[2..]), Some(2));
    assert_eq!(column_of(expr, &expr[expr.len()..]), Some(4));
    assert_eq!(column_of(&expr[2..], expr), None);
}

#[test]
fn empty_expression_is_an_error() {
    let err = Query::compile("  ").err();
    assert_eq!(
        err.map(|e| e.to_string()).as_deref(),
        Some("the expression is empty")
    );
}

/// Expressions as deep as the limit allows, of each construct jaq recurses on.
fn at_the_limit() -> Vec<String> {
    let n = MAX_STRUCTURE;
    vec![
        format!("{}.{}", "(".repeat(n), ")".repeat(n)),
        format!("{}.{}", "[".repeat(n), "]".repeat(n)),
        format!("{}.{}", "{a:".repeat(n), "}".repeat(n)),
        vec!["."; n + 1].join(" | "),
        vec!["1"; n + 1].join(" + "),
        vec!["."; n + 1].join(", "),
        format!("{}1", "-".repeat(n)),
        format!("{}.{}", "if . then ".repeat(n), " else . end".repeat(n)),
        format!("{}.", "try ".repeat(n)),
        format!("{}.{}", "def f: ".repeat(n), "; f".repeat(n)),
        format!("{}.", ". as $x | ".repeat(n / 2)),
        // Three a level, and two brackets to make 128.
        format!(
            "[[{}.{}]]",
            "reduce . as $x (.; ".repeat(n / 3),
            ")".repeat(n / 3)
        ),
        format!("{}.{}", "\"\\(".repeat(n), ")\"".repeat(n)),
    ]
}

/// Run on this test's thread (2 MiB of stack): every construct at the
/// limit compiles and runs; one more and it is refused, at its column.
#[test]
fn expressions_past_the_structure_limit_are_refused_and_those_within_run() {
    for expr in at_the_limit() {
        let query = Query::compile(&expr).unwrap_or_else(|e| panic!("{expr:.40}…: {e}"));
        let _ = query.holds(r#"{"a":[1]}"#);
        let _ = query.extract(r#"{"a":[1]}"#);
        let over = format!("({expr})");
        let err = Query::compile(&over).expect_err(&over);
        assert_eq!(
            err.message(),
            "the expression is too complex: more than 128 operators, brackets and keywords"
        );
        assert!(err.column().is_some(), "{err}");
    }
}

/// The issue's input: 60,000 nested parentheses overflowed the stack.
#[test]
fn sixty_thousand_nested_brackets_are_an_error_not_an_abort() {
    let cases = [
        ("(", ")", "("),
        ("[", "]", "["),
        ("{a:", "}", "{"),
        ("\"\\(", ")\"", "\\("),
    ];
    for (open, close, counted) in cases {
        let expr = format!("{}.{}", open.repeat(60_000), close.repeat(60_000));
        let err = Query::compile(&expr).expect_err(open);
        // At the 129th.
        let at = expr
            .match_indices(counted)
            .nth(MAX_STRUCTURE)
            .map(|(i, _)| i + 1);
        assert_eq!(err.column(), at, "{open}");
    }
    let chain = vec!["."; 60_000].join("|");
    assert!(Query::compile(&chain).is_err());
}

#[test]
fn strings_and_comments_do_not_count_toward_the_limit() {
    let long_string = format!(r#"select(.text == "{}")"#, "(|,[{".repeat(1000));
    assert!(Query::compile(&long_string).is_ok());
    let commented = format!("# {}\n.a", "((((".repeat(1000));
    assert!(Query::compile(&commented).is_ok());
    let everyday = r#"select(.choices[0].delta.content != null and (.choices[0].delta.content | length) > 0) | .choices[0].delta.content"#;
    assert!(Query::compile(everyday).is_ok());
}

/// The data is the server's: a string nested 100,000 deep given to
/// `fromjson` overflowed jaq's reader.
#[test]
fn fromjson_on_a_deeply_nested_string_fails_like_bad_json() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let data = serde_json::json!({ "a": deep, "b": "[1, {\"c\": 2}]" }).to_string();
    assert!(!query(".a | fromjson").holds(&data));
    assert_eq!(query(".a | fromjson").extract(&data), None);
    assert_eq!(
        query(".b | fromjson | .[1].c").extract(&data).as_deref(),
        Some("2")
    );
    assert_eq!(
        query(r#""1" | fromjson + 1"#).extract("{}").as_deref(),
        Some("2")
    );
    assert_eq!(
        query("try (5 | fromjson) catch \"no\"")
            .extract("{}")
            .as_deref(),
        Some("no")
    );
}
