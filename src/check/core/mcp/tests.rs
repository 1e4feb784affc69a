use std::time::Duration;

use super::*;

fn findings() -> Vec<Finding> {
    vec![
        Finding::new(&GET_STREAM, Outcome::Passed("HTTP 405".into())),
        Finding::new(
            &SESSION_REQUIRED,
            Outcome::Failed("HTTP 200 application/json".into()),
        ),
        Finding::new(
            &ROUTING_HEADERS,
            Outcome::NotApplicable("session era".into()),
        ),
    ]
}

#[test]
fn a_broken_should_fails_only_when_strict_and_a_broken_must_always() {
    let mut list = findings();
    assert_eq!(status(&list, false), 0);
    assert_eq!(status(&list, true), 1);
    list.push(Finding::new(
        &SESSION_UNKNOWN,
        Outcome::Failed("HTTP 400".into()),
    ));
    assert_eq!(status(&list, false), 1);
}

#[test]
fn the_report_names_level_rule_revisions_and_says_why_and_how_to_fix() {
    let text = render(
        "http://x/mcp (session era, 2025-11-25)",
        &findings(),
        false,
        Duration::from_millis(7),
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "ssetui check --mcp http://x/mcp (session era, 2025-11-25)"
    );
    assert!(
        lines[1].starts_with("✓ MUST get-stream (2025-03-26 to 2025-11-25): "),
        "{text}"
    );
    assert!(lines[2].starts_with("✗ SHOULD session-required "), "{text}");
    assert!(lines[2].ends_with(": HTTP 200 application/json"), "{text}");
    assert!(lines[3].starts_with("    why: "), "{text}");
    assert!(lines[4].starts_with("    fix: "), "{text}");
    assert!(
        lines[5].starts_with("- MUST routing-headers (2026-07-28)"),
        "{text}"
    );
    assert_eq!(
        lines[6],
        "1 passed, 1 failed (0 MUST, 1 SHOULD), 1 not applicable in 7 ms (SHOULD findings fail the run only with --mcp-strict)"
    );
}

#[test]
fn server_text_forges_no_report_line() {
    let hostile = "x\u{1b}]0;PWNED\u{7}\n✓ forged\r\u{9b}2J";
    let list = vec![Finding::new(&ORIGIN, Outcome::Failed(hostile.into()))];
    let text = render(hostile, &list, false, Duration::ZERO);
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && crate::text::is_neutralised(c)),
        "{text:?}"
    );
}

#[test]
fn junit_has_a_case_per_rule_and_fails_only_what_fails_the_run() {
    let xml = junit(
        "http://x/mcp?a=1&b=2",
        &findings(),
        false,
        Duration::from_millis(1500),
    );
    assert_eq!(xml.matches("<testcase ").count(), 3);
    assert!(
        xml.contains("tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("name=\"SHOULD session-required: "), "{xml}");
    assert!(xml.contains("<system-out>SHOULD not met"), "{xml}");
    let strict = junit("u", &findings(), true, Duration::ZERO);
    assert!(strict.contains("failures=\"1\""), "{strict}");
    assert!(
        strict.contains("<failure message=\"HTTP 200 application/json\" type=\"SHOULD\">"),
        "{strict}"
    );
}
