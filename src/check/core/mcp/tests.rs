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

fn received(stream: &str, event_id: &str, message: Result<serde_json::Value, String>) -> Observed {
    let problem = message.as_ref().err().map(|_| "not JSON".to_owned());
    Observed::Message(crate::mcp::Record {
        stream: stream.into(),
        direction: crate::mcp::Direction::Received,
        message,
        problem,
        event_id: Some(event_id.into()),
        raw: Vec::new(),
    })
}

use crate::mcp::Observed;
use crate::mcp::negotiate::Era;

#[test]
fn an_event_id_repeated_on_another_stream_breaks_the_rule_and_on_its_own_does_not() {
    let ok = serde_json::json!({"jsonrpc": "2.0", "method": "x"});
    let same_stream = Seen {
        observed: vec![
            received("post-1", "7", Ok(ok.clone())),
            received("post-1", "7", Ok(ok.clone())),
        ],
        ..Seen::default()
    };
    assert!(matches!(
        event_ids(Era::Session, &same_stream).outcome,
        Outcome::Passed(_)
    ));
    let two_streams = Seen {
        observed: vec![
            received("post-1", "7", Ok(ok.clone())),
            received("post-2", "7", Ok(ok)),
        ],
        ..Seen::default()
    };
    let finding = event_ids(Era::Session, &two_streams);
    assert_eq!(
        finding.outcome,
        Outcome::Failed("event id \"7\" on post-1 and again on post-2".into())
    );
    assert!(matches!(
        event_ids(Era::Stateless, &two_streams).outcome,
        Outcome::NotApplicable(_)
    ));
}

#[test]
fn a_message_that_is_not_json_rpc_or_a_tracker_finding_breaks_the_jsonrpc_rule() {
    let seen = Seen {
        observed: vec![received("post-1", "1", Err("{oops".into()))],
        ..Seen::default()
    };
    assert_eq!(
        jsonrpc(&seen).outcome,
        Outcome::Failed("on post-1: not JSON".into())
    );
    let seen = Seen {
        observed: vec![Observed::Finding(crate::mcp::tracker::Finding::NoRequest {
            id: "9".into(),
        })],
        ..Seen::default()
    };
    assert!(matches!(jsonrpc(&seen).outcome, Outcome::Failed(f) if f.contains("id 9")));
    assert!(matches!(
        jsonrpc(&Seen::default()).outcome,
        Outcome::Passed(_)
    ));
}

#[test]
fn a_followed_chain_is_a_finding_per_step_and_the_steps_after_a_failure_are_not_reached() {
    use crate::auth::discovery::Step;
    use crate::mcp::authorize::Followed;
    assert!(authorization(&[]).is_empty(), "no 401, no auth findings");
    let followed = [
        Followed {
            step: Step::ResourceMetadata,
            outcome: Ok("found".into()),
        },
        Followed {
            step: Step::ResourceMatch,
            outcome: Ok("resource".into()),
        },
        Followed {
            step: Step::ServerMetadata,
            outcome: Ok("found".into()),
        },
        Followed {
            step: Step::Pkce,
            outcome: Err("no S256".into()),
        },
    ];
    let findings = authorization(&followed);
    let ids: Vec<&str> = findings.iter().map(|f| f.rule.id).collect();
    assert_eq!(
        ids,
        [
            "auth-resource-metadata",
            "auth-resource",
            "auth-server-metadata",
            "auth-pkce",
            "auth-registration",
            "auth-login"
        ]
    );
    assert_eq!(findings[3].outcome, Outcome::Failed("no S256".into()));
    assert!(findings[3].fails(false), "PKCE is a MUST");
    assert!(matches!(findings[4].outcome, Outcome::NotApplicable(_)));
    assert_eq!(status(&findings, false), 1);
}
