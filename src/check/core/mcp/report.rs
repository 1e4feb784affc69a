//! The findings written out: the readable report on stdout (the marks and
//! summary line of `check`'s report) and JUnit XML with one testcase per
//! rule (the suite shape of `check --junit`, see `check::core::junit`).

use std::fmt::Write as _;
use std::time::Duration;

use super::{Finding, Level, Outcome};
use crate::check::core::junit::{Case, CaseBody, document};
use crate::text::one_line;

/// The report text, ending with a newline: a line per rule (✓ held, ✗
/// broken, - not applicable), a broken rule followed by why it matters and
/// how to fix it, then a summary. `target` names the server and the
/// revision in use; what the server sent is neutralised on its line.
pub fn render(target: &str, findings: &[Finding], strict: bool, elapsed: Duration) -> String {
    let mut out = format!("ssetui check --mcp {}\n", one_line(target));
    let (mut passed, mut must, mut should, mut not_applicable) = (0, 0, 0, 0);
    let mut advised = 0;
    for finding in findings {
        let rule = finding.rule;
        let (mark, seen) = match &finding.outcome {
            Outcome::Passed(seen) => {
                passed += 1;
                ("✓", seen)
            }
            Outcome::Failed(seen) => {
                match rule.level {
                    Level::Must => must += 1,
                    Level::Should => should += 1,
                    Level::Advice => advised += 1,
                }
                ("✗", seen)
            }
            Outcome::NotApplicable(why) => {
                not_applicable += 1;
                ("-", why)
            }
        };
        let _ = writeln!(
            out,
            "{mark} {} {} ({}): {}: {}",
            rule.level.as_str(),
            rule.id,
            rule.revisions,
            rule.title,
            one_line(seen)
        );
        if matches!(finding.outcome, Outcome::Failed(_)) {
            let _ = writeln!(out, "    why: {}", rule.why);
            let _ = writeln!(out, "    fix: {}", rule.fix);
        }
    }
    let advice = if should > 0 && !strict {
        " (SHOULD findings fail the run only with --mcp-strict)"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{passed} passed, {} failed ({must} MUST, {should} SHOULD), {not_applicable} not applicable{} in {} ms{advice}",
        must + should,
        if advised > 0 {
            format!(", {advised} advice")
        } else {
            String::new()
        },
        elapsed.as_millis()
    );
    out
}

/// The findings as JUnit XML: a testcase per rule named `LEVEL id: title`;
/// a finding that fails the run is a `<failure>`, a broken SHOULD without
/// `--mcp-strict` passes with the finding in `<system-out>`, a rule that does
/// not apply is `<skipped>`.
pub fn junit(suite: &str, findings: &[Finding], strict: bool, elapsed: Duration) -> String {
    let cases: Vec<Case> = findings
        .iter()
        .map(|finding| {
            let rule = finding.rule;
            let advice = |seen: &str| {
                format!(
                    "{seen}\nrevisions: {}\nwhy: {}\nfix: {}",
                    rule.revisions, rule.why, rule.fix
                )
            };
            let body = match &finding.outcome {
                Outcome::Passed(_) => CaseBody::Passed,
                Outcome::Failed(seen) if finding.fails(strict) => CaseBody::Failure {
                    message: seen.clone(),
                    kind: rule.level.as_str().to_owned(),
                    text: advice(seen),
                },
                Outcome::Failed(seen) if rule.level == Level::Advice => {
                    CaseBody::Note(format!("advice (never fails the run): {}", advice(seen)))
                }
                Outcome::Failed(seen) => CaseBody::Note(format!(
                    "SHOULD not met (fails only with --mcp-strict): {}",
                    advice(seen)
                )),
                Outcome::NotApplicable(why) => CaseBody::Skipped(why.clone()),
            };
            let name = format!("{} {}: {}", rule.level.as_str(), rule.id, rule.title);
            Case { name, body }
        })
        .collect();
    document(
        "ssetui check --mcp",
        suite,
        "ssetui.check.mcp",
        &cases,
        elapsed,
    )
}
