//! `ssetui check` as a CI pipeline runs it: the real binary against the demo
//! server (in-process, on its own runtime) or the raw-TCP test server, each
//! expectation passing and failing with its exit status and report line.
//!
//! Every run is bounded by [`check_run::PATIENCE`]; runs meant to stop early use a
//! `--within` longer than that, so finishing at all proves the early stop.

#[path = "support/check_run.rs"]
mod check_run;
mod support;

use std::fs;

use check_run::{check, stream};
use support::*;
use tokio::runtime::Runtime;

/// Longer than [`check_run::PATIENCE`]: a run given this must stop on its own verdict.
const LONG: &str = "60s";

/// The demo server on its own runtime, which must outlive its use, and its
/// base URL without the trailing slash.
fn demo() -> (Runtime, String) {
    let (runtime, base) = support::demo("");
    (runtime, base.trim_end_matches('/').to_owned())
}

/// Checks that every tag is closed in order: enough to catch broken XML
/// from this writer (which never emits comments or CDATA).
fn assert_well_formed(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("an XML declaration");
    let mut open: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("a tag is closed") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "a '<' inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap_or("").to_owned());
        }
        assert!(
            !rest[..start].contains(['<', '>']),
            "unescaped markup in text"
        );
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    // Every '&' starts one of the entities the writer uses.
    for (i, _) in body.match_indices('&') {
        let entity = &body[i..body[i..].find(';').map_or(body.len(), |e| i + e + 1)];
        assert!(
            [
                "&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#9;", "&#10;", "&#13;"
            ]
            .contains(&entity),
            "bad entity {entity}"
        );
    }
}

#[test]
fn a_good_stream_passes_every_expectation_with_exit_0_and_junit() {
    let (_rt, base) = demo();
    let dir = scratch("pass");
    let junit = dir.join("report.xml");
    let url = format!("{base}/clock?count=3&interval_ms=10");
    let done = check(&[
        &url,
        "--min-events",
        "3",
        "--max-events",
        "3",
        "--expect-type",
        "tick",
        "--forbid-type",
        "error",
        "--ids-increasing",
        "--data-json",
        "--first-event-within",
        "5s",
        "--expect",
        ".n >= 1",
        "--expect-any",
        ".n == 3",
        "--junit",
        junit.to_str().unwrap(),
        "--within",
        LONG,
    ]);
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(done.stdout.starts_with(&format!("ssetui check {url}\n")));
    let marks: Vec<&str> = done.stdout.lines().skip(1).take(9).collect();
    assert!(marks.iter().all(|l| l.starts_with("✓ ")), "{}", done.stdout);
    assert!(
        done.line("at most 3 events")
            .ends_with("3 events before the stream ended")
    );
    assert!(
        done.line("ids present")
            .ends_with("3 ids, increasing numerically")
    );
    assert!(
        done.stdout
            .contains("9 passed, 0 failed, 0 not judged (3 events in ")
    );
    let xml = fs::read_to_string(&junit).expect("the JUnit report was written");
    assert_well_formed(&xml);
    assert!(
        xml.contains("tests=\"9\" failures=\"0\" errors=\"0\" skipped=\"0\""),
        "{xml}"
    );
    assert_eq!(xml.matches("<testcase ").count(), 9);
    assert!(xml.contains("<testsuite name=\"http://127.0.0.1:"), "{xml}");
    assert!(xml.contains("count=3&amp;interval_ms=10"), "{xml}");
}

#[test]
fn too_few_events_before_the_end_fails_min_events() {
    let (_rt, base) = demo();
    // Reconnecting is off by default: the stream's end is final.
    let done = check(&[
        &format!("{base}/clock?count=2&interval_ms=10"),
        "--min-events",
        "3",
    ]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert_eq!(
        done.line("at least 3 events"),
        "✗ at least 3 events within 10 s: 2 events before the stream ended"
    );
}

#[test]
fn one_event_too_many_fails_max_events_at_once() {
    let (_rt, base) = demo();
    let done = check(&[
        &format!("{base}/clock?interval_ms=10"),
        "--max-events",
        "2",
        "--within",
        LONG,
    ]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert_eq!(
        done.line("at most 2 events"),
        "✗ at most 2 events within 1 min: event 3 arrived"
    );
}

#[test]
fn time_up_judges_the_counts_over_within() {
    let (_rt, base) = demo();
    let done = check(&[
        &format!("{base}/clock?interval_ms=10"),
        "--min-events",
        "100000",
        "--max-events",
        "100000",
        "--within",
        "200ms",
    ]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert!(done.line("at least 100000").starts_with("✗ "));
    assert!(done.line("at least 100000").ends_with("events in 200 ms"));
    // Both judged at the time limit: neither stopped the run early.
    assert!(
        done.line("at most 100000").starts_with("✓ "),
        "{}",
        done.stdout
    );
}

#[test]
fn event_types_required_and_forbidden() {
    let (_rt, base) = demo();
    let logs = format!("{base}/logs?interval_ms=5");
    let done = check(&[&logs, "--forbid-type", "error", "--within", LONG]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    let line = done.line("no event of type \"error\"");
    assert!(
        line.starts_with("✗ ") && line.ends_with("has type \"error\""),
        "{line}"
    );

    let done = check(&[&logs, "--expect-type", "warn", "--within", LONG]);
    assert_eq!(done.code, 0, "{}", done.stdout);

    let clock = format!("{base}/clock?count=2&interval_ms=10");
    let done = check(&[&clock, "--expect-type", "error"]);
    assert_eq!(done.code, 1);
    assert_eq!(
        done.line("an event of type"),
        "✗ an event of type \"error\": not among 2 events before the stream ended"
    );
}

#[test]
fn decreasing_or_missing_ids_fail_ids_increasing() {
    let (_rt, server) = stream("id: 2\ndata: a\n\nid: 1\ndata: b\n\n");
    let done = check(&[&server.url("/"), "--ids-increasing"]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert_eq!(
        done.line("ids present"),
        "✗ ids present and strictly increasing: id \"1\" after \"2\" (numerically)"
    );

    let (_rt2, server) = stream("id: 9\ndata: a\n\nid: 10\ndata: b\n\n");
    assert_eq!(check(&[&server.url("/"), "--ids-increasing"]).code, 0);

    let (_rt3, server) = stream("data: no id\n\n");
    let done = check(&[&server.url("/"), "--ids-increasing"]);
    assert_eq!(done.code, 1);
    assert!(done.line("ids present").ends_with("event 1 has no id"));
}

#[test]
fn invalid_json_fails_data_json_and_expect() {
    let (_rt, server) = stream("data: {\"n\":1}\n\ndata: nope\n\n");
    let done = check(&[&server.url("/"), "--data-json"]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert_eq!(
        done.line("every data is valid JSON"),
        "✗ every data is valid JSON: event 2: data \"nope\" is not JSON"
    );
    let done = check(&[&server.url("/"), "--expect", ".n"]);
    assert_eq!(done.code, 1);
    assert!(
        done.line("every event: .n")
            .ends_with("event 2: data \"nope\" is not JSON")
    );
    // The demo's chat ends with [DONE]: an end marker, not data to judge.
    let (_rt2, base) = demo();
    let done = check(&[&format!("{base}/chat?delay_ms=1"), "--data-json"]);
    assert_eq!(done.code, 0, "{}", done.stdout);
}

#[test]
fn conditions_for_every_and_any_event() {
    let (_rt, base) = demo();
    let clock = format!("{base}/clock?count=3&interval_ms=10");
    let done = check(&[&clock, "--expect", ".n < 3", "--within", LONG]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    let line = done.line("every event: .n < 3");
    assert!(
        line.starts_with("✗ every event: .n < 3: event 3: false, data {\"n\":3,"),
        "{line}"
    );

    let done = check(&[&clock, "--expect-any", ".n > 5"]);
    assert_eq!(done.code, 1);
    assert_eq!(
        done.line("some event: .n > 5"),
        "✗ some event: .n > 5: none of 3 events"
    );

    let chat = format!("{base}/chat?delay_ms=1");
    let done = check(&[&chat, "--expect-any", ".choices[0].delta.content != null"]);
    assert_eq!(done.code, 0, "{}", done.stdout);
    assert!(done.line("some event:").starts_with("✓ "));
}

#[test]
fn ends_with_compares_the_last_data_after_a_clean_end() {
    let (_rt, base) = demo();
    let done = check(&[&format!("{base}/chat?delay_ms=1"), "--ends-with", "[DONE]"]);
    assert_eq!(done.code, 0, "{}", done.stdout);
    assert_eq!(
        done.line("the stream ends with"),
        "✓ the stream ends with data \"[DONE]\": last data \"[DONE]\""
    );
    let done = check(&[
        &format!("{base}/clock?count=2&interval_ms=10"),
        "--ends-with",
        "[DONE]",
    ]);
    assert_eq!(done.code, 1);
    assert!(done.line("the stream ends with").starts_with("✗ "));
    assert!(done.line("the stream ends with").contains("last data \"{"));
}

#[test]
fn a_silent_stream_fails_first_event_within() {
    let runtime = Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::always(vec![sse_head(), Step::Hold]));
    let done = check(&[
        &server.url("/"),
        "--first-event-within",
        "100ms",
        "--within",
        LONG,
    ]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    let line = done.line("first event within 100 ms");
    assert!(
        line.starts_with("✗ first event within 100 ms: no event after "),
        "{line}"
    );
}

#[test]
fn a_stream_that_cannot_be_opened_exits_3() {
    let (_rt, base) = demo();
    let dir = scratch("404");
    let junit = dir.join("report.xml");
    let done = check(&[
        &format!("{base}/nope"),
        "--min-events",
        "1",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(done.code, 3, "{}\n{}", done.stdout, done.stderr);
    let line = done.line("at least 1 event");
    assert!(
        line.starts_with("! at least 1 event within 10 s: the stream failed: "),
        "{line}"
    );
    assert!(line.contains("404"), "{line}");
    let xml = fs::read_to_string(&junit).unwrap();
    assert_well_formed(&xml);
    assert!(
        xml.contains("tests=\"1\" failures=\"0\" errors=\"1\""),
        "{xml}"
    );

    // A port nobody listens on: connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let done = check(&[&format!("http://127.0.0.1:{port}/"), "--min-events", "1"]);
    assert_eq!(done.code, 3, "{}", done.stdout);
    assert!(done.line("at least 1 event").contains("the stream failed"));
}

#[test]
fn bad_arguments_and_configuration_exit_2() {
    let url = "http://127.0.0.1:9/";
    let no_expectation = check(&[url]);
    assert_eq!(no_expectation.code, 2);
    assert!(no_expectation.stderr.contains("no expectations given"));

    let bad_expr = check(&[url, "--expect", ".a ~ 3"]);
    assert_eq!(bad_expr.code, 2);
    assert!(
        bad_expr
            .stderr
            .contains("invalid jq expression \".a ~ 3\": unexpected `~` at column 4"),
        "{}",
        bad_expr.stderr
    );

    assert_eq!(
        check(&[url, "--min-events", "1", "--within", "5 parsecs"]).code,
        2
    );
    assert_eq!(check(&[url, "--min-events", "x"]).code, 2);

    let missing = check(&["--profile", "nope", "--min-events", "1"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(missing.stdout.is_empty());
}

#[test]
fn an_unwritable_junit_path_is_a_configuration_error() {
    let (_rt, base) = demo();
    let dir = scratch("junit-dir");
    let done = check(&[
        &format!("{base}/clock?count=1&interval_ms=1"),
        "--min-events",
        "1",
        "--junit",
        dir.join("missing/report.xml").to_str().unwrap(),
    ]);
    assert_eq!(done.code, 2, "{}", done.stderr);
    assert!(done.stderr.contains("cannot write the JUnit report"));
}

#[test]
fn a_failure_stops_the_run_and_skips_the_rest_in_junit() {
    let (_rt, server) = stream("event: <x&y>\ndata: \"q\"\n\ndata: 2\n\n");
    let dir = scratch("skip");
    let junit = dir.join("r.xml");
    let done = check(&[
        &server.url("/"),
        "--forbid-type",
        "<x&y>",
        "--min-events",
        "5",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(done.code, 1);
    assert!(done.line("at least 5 events").starts_with("- "));
    let xml = fs::read_to_string(&junit).unwrap();
    assert_well_formed(&xml);
    assert!(
        xml.contains("tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"1\""),
        "{xml}"
    );
    assert!(
        xml.contains("no event of type &quot;&lt;x&amp;y&gt;&quot;"),
        "{xml}"
    );
}

#[test]
fn a_profile_names_the_request_and_the_report() {
    let (_rt, base) = demo();
    let dir = scratch("profile");
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!("[profiles.ticks]\nurl = \"{base}/clock?count=2&interval_ms=10\"\n"),
    )
    .unwrap();
    let done = check(&[
        "--config",
        config.to_str().unwrap(),
        "--profile",
        "ticks",
        "--min-events",
        "2",
        "--ids-increasing",
    ]);
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.stdout
            .starts_with("ssetui check profile ticks (http://"),
        "{}",
        done.stdout
    );
}

#[test]
fn expectations_stored_in_the_profile_are_checked_and_flags_add_to_them() {
    let (_rt, base) = demo();
    let dir = scratch("profile-checks");
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!(
            "[profiles.ticks]\nurl = \"{base}/clock?count=2&interval_ms=10\"\n\n\
             [profiles.ticks.check]\nmin_events = 3\n"
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let done = check(&["--config", config, "--profile", "ticks"]);
    assert_eq!(
        done.code, 1,
        "the stored min_events = 3 fails on 2 ticks:\n{}",
        done.stdout
    );
    let done = check(&["--config", config, "--profile", "ticks", "--ids-increasing"]);
    assert_eq!(done.code, 1, "{}", done.stdout);
    assert!(
        done.stdout.contains("ids"),
        "the flag's expectation is reported too:\n{}",
        done.stdout
    );
}

/// `check -k`, `check --mcp -k`, `print -k` and `print --mcp -k` warn alike:
/// one function turns the options into the request for all four (check
/// said nothing before).
#[test]
fn every_headless_command_warns_of_insecure_alike() {
    let url = "http://127.0.0.1:9/nothing";
    for args in [
        vec!["check", "-k", url, "--min-events", "1"],
        vec!["check", "--mcp", url, "-k"],
        vec!["print", "-k", "--no-reconnect", url],
        vec!["print", "--mcp", url, "-k", "--list", "tools"],
    ] {
        let out = app().args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("warning: --insecure: the server's certificate is not verified"),
            "{args:?}: {stderr}"
        );
    }
}
