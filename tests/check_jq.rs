//! `ssetui check --expect` / `--expect-any` speak jq, run by the engine of
//! `print --filter` (jaq). Each way jq differs from the condition language
//! it replaced has a fixture here, through the real binary against a
//! raw-TCP server that sends exactly the events given: values are ordered
//! across types, indexing a non-object is an error (which does not hold), an
//! expression with several outputs holds only when all of them are true.
//! Also: expectations stored in a profile, a bad expression named with its
//! column, data that is not JSON, endless outputs, and `--help`.

#[path = "support/check_run.rs"]
mod check_run;
mod support;

use std::fs;

use check_run::{check, stream};
use support::scratch;

/// `check URL FLAG EXPR` run to its end: the status and the report line of
/// the expression.
fn judged(url: &str, flag: &str, expr: &str) -> (i32, String) {
    let done = check(&[url, flag, expr]);
    let about = if flag == "--expect" {
        "every event"
    } else {
        "some event"
    };
    let line = done.line(&format!("{about}: {expr}:")).to_owned();
    (done.code, line)
}

/// What [`judged`] gives for a status and a report line.
fn verdict(code: i32, line: &str) -> (i32, String) {
    (code, line.to_owned())
}

#[test]
fn jq_orders_values_across_types_so_a_string_is_greater_than_a_number() {
    let (_rt, server) = stream("data: {\"n\":\"x\"}\n\n");
    let url = server.url("/");
    assert_eq!(
        judged(&url, "--expect", ".n > 3"),
        verdict(0, "✓ every event: .n > 3: all 1 events")
    );
    // Written for numbers only, a string yields nothing, which does not hold.
    assert_eq!(
        judged(&url, "--expect", "(.n | numbers) > 3"),
        verdict(
            1,
            "✗ every event: (.n | numbers) > 3: event 1: no output, data {\"n\":\"x\"}"
        )
    );
    assert_eq!(
        judged(&url, "--expect-any", "(.n | numbers) > 3"),
        verdict(1, "✗ some event: (.n | numbers) > 3: none of 1 events")
    );
}

#[test]
fn indexing_a_non_object_is_an_error_and_does_not_hold() {
    let (_rt, server) = stream("data: {\"a\":1}\n\ndata: 5\n\n");
    let url = server.url("/");
    // A missing key is null (event 1 holds); a key of a number is an error.
    assert_eq!(
        judged(&url, "--expect", ".b == null"),
        verdict(
            1,
            "✗ every event: .b == null: event 2: error: cannot index 5 with \"b\", data 5"
        )
    );
    assert_eq!(
        judged(&url, "--expect-any", ".a == null"),
        verdict(1, "✗ some event: .a == null: none of 2 events")
    );
    let caught = judged(&url, "--expect-any", "try (.a == null) catch false");
    assert_eq!(caught.0, 1, "a caught error is false: {}", caught.1);
    let optional = judged(&url, "--expect-any", "(.a? // null) == null");
    assert_eq!(optional.0, 0, "`?` keeps the error out: {}", optional.1);
}

#[test]
fn an_expression_with_several_outputs_holds_only_if_all_are_true() {
    let (_rt, server) = stream("data: {\"items\":[5,1]}\n\ndata: {\"items\":[5,6]}\n\n");
    let url = server.url("/");
    assert_eq!(judged(&url, "--expect", ".items[] > 0").0, 0);
    assert_eq!(
        judged(&url, "--expect", ".items[] > 2"),
        verdict(
            1,
            "✗ every event: .items[] > 2: event 1: output 2 is false, data {\"items\":[5,1]}"
        )
    );
    // Event 1 has an item not over 4, event 2 none.
    assert_eq!(
        judged(&url, "--expect-any", ".items[] > 4"),
        verdict(0, "✓ some event: .items[] > 4: event 2")
    );
    // `any` makes one output of many.
    assert_eq!(
        judged(&url, "--expect", "any(.items[]; . > 5)"),
        verdict(
            1,
            "✗ every event: any(.items[]; . > 5): event 1: false, data {\"items\":[5,1]}"
        )
    );
}

#[test]
fn data_that_is_not_json_fails_expect_and_never_matches_expect_any() {
    let (_rt, server) = stream("data: [DONE]\n\n");
    let url = server.url("/");
    assert_eq!(
        judged(&url, "--expect-any", "true"),
        verdict(1, "✗ some event: true: none of 1 events")
    );
    assert_eq!(
        judged(&url, "--expect", "true"),
        verdict(
            1,
            "✗ every event: true: event 1: data \"[DONE]\" is not JSON"
        )
    );
}

#[test]
fn endless_outputs_stop_at_the_cap_and_do_not_hold() {
    let (_rt, server) = stream("data: {}\n\n");
    assert_eq!(
        judged(&server.url("/"), "--expect", "repeat(.)"),
        verdict(
            1,
            "✗ every event: repeat(.): event 1: more than 10000 outputs, data {}"
        )
    );
}

#[test]
fn a_bad_expression_is_a_usage_error_naming_its_column() {
    let url = "http://127.0.0.1:9/";
    for (flag, expr, column) in [
        ("--expect", ".a ~ 3", "unexpected `~` at column 4"),
        (
            "--expect-any",
            ".n > nope",
            "unknown filter `nope/0` at column 6",
        ),
    ] {
        let done = check(&[url, flag, expr]);
        assert_eq!(done.code, 2, "{}", done.stderr);
        assert!(done.stdout.is_empty(), "{}", done.stdout);
        assert!(done.stderr.contains(column), "{}", done.stderr);
        assert!(done.stderr.contains("jq"), "{}", done.stderr);
    }
}

#[test]
fn help_says_expressions_are_jq() {
    let done = check(&["--help"]);
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(done.stdout.contains("jq expression"), "{}", done.stdout);
    assert!(
        done.stdout.contains("(.n | numbers) > 3"),
        "{}",
        done.stdout
    );
}

#[test]
fn a_profile_check_table_keeps_loading_with_jq_expressions() {
    let (_rt, server) = stream("data: {\"items\":[5,1]}\n\ndata: {\"items\":[5,6]}\n\n");
    let dir = scratch("profile-jq");
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!(
            "[profiles.items]\nurl = \"{}\"\n\n\
             [profiles.items.check]\n\
             within = \"30s\"\nmin_events = 2\nmax_events = 9\nexpect_type = [\"message\"]\n\
             forbid_type = [\"error\"]\ndata_json = true\nfirst_event_within = \"20s\"\n\
             expect = [\".items | length == 2\", \"(.items[] | numbers) > 0\"]\n\
             expect_any = ['.items[] > 4']\n",
            server.url("/")
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let done = check(&["--config", config, "--profile", "items"]);
    assert_eq!(done.code, 0, "{}{}", done.stdout, done.stderr);
    assert_eq!(
        done.line("every event: .items"),
        "✓ every event: .items | length == 2: all 2 events"
    );
    assert!(done.line("some event: .items[] > 4").starts_with("✓ "));
    // A flag's expression joins the stored ones.
    let done = check(&[
        "--config",
        config,
        "--profile",
        "items",
        "--expect",
        ".items[0] == 6",
    ]);
    assert_eq!(done.code, 1, "{}{}", done.stdout, done.stderr);
    assert!(done.line("every event: .items[0] == 6").starts_with("✗ "));

    // A stored expression that is not jq is a configuration error, with its column.
    let bad = dir.join("bad.toml");
    fs::write(
        &bad,
        "[profiles.items]\nurl = \"http://127.0.0.1:9/\"\n\n\
         [profiles.items.check]\nexpect = [\".finish-reason == 1\"]\n",
    )
    .unwrap();
    let done = check(&["--config", bad.to_str().unwrap(), "--profile", "items"]);
    assert_eq!(done.code, 2, "{}{}", done.stdout, done.stderr);
    assert!(
        done.stderr
            .contains("unknown filter `reason/0` at column 9"),
        "{}",
        done.stderr
    );
}
