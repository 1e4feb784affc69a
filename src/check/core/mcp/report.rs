//! The findings written out: the readable report on stdout (the marks and
//! summary line of `check`'s report) and JUnit XML with one testcase per
//! rule (the suite shape of `check --junit`, see `check::core::junit`).

use std::fmt::Write as _;
use std::time::Duration;

use super::{Finding, Level, Outcome};
use crate::check::core::junit::escape;
use crate::text::one_line;

/// The report text, ending with a newline: a line per rule (✓ held, ✗
/// broken, - not applicable), a broken rule followed by why it matters and
/// how to fix it, then a summary. `target` names the server and the
/// revision in use; what the server sent is neutralised on its line.
pub fn render(target: &str, findings: &[Finding], strict: bool, elapsed: Duration) -> String {
    let mut out = format!("ssetui check --mcp {}\n", one_line(target));
    let (mut passed, mut must, mut should, mut not_applicable) = (0, 0, 0, 0);
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
        "{passed} passed, {} failed ({must} MUST, {should} SHOULD), {not_applicable} not applicable in {} ms{advice}",
        must + should,
        elapsed.as_millis()
    );
    out
}

/// The findings as JUnit XML: a testcase per rule named `LEVEL id: title`;
/// a finding that fails the run is a `<failure>`, a broken SHOULD without
/// `--mcp-strict` passes with the finding in `<system-out>`, a rule that does
/// not apply is `<skipped>`.
pub fn junit(suite: &str, findings: &[Finding], strict: bool, elapsed: Duration) -> String {
    let tests = findings.len();
    let failures = findings.iter().filter(|f| f.fails(strict)).count();
    let skipped = findings
        .iter()
        .filter(|f| matches!(f.outcome, Outcome::NotApplicable(_)))
        .count();
    let time = format!("{:.3}", elapsed.as_secs_f64());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"ssetui check --mcp\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" time=\"{time}\">"
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"{time}\">",
        escape(suite)
    );
    for finding in findings {
        let rule = finding.rule;
        let name = escape(&format!(
            "{} {}: {}",
            rule.level.as_str(),
            rule.id,
            rule.title
        ));
        let open =
            format!("    <testcase classname=\"ssetui.check.mcp\" name=\"{name}\" time=\"{time}\"");
        let advice = |seen: &str| {
            escape(&format!(
                "{seen}\nrevisions: {}\nwhy: {}\nfix: {}",
                rule.revisions, rule.why, rule.fix
            ))
        };
        match &finding.outcome {
            Outcome::Passed(_) => {
                let _ = writeln!(xml, "{open}/>");
            }
            Outcome::Failed(seen) if finding.fails(strict) => {
                let _ = writeln!(
                    xml,
                    "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    escape(seen),
                    rule.level.as_str(),
                    advice(seen)
                );
            }
            Outcome::Failed(seen) => {
                let _ = writeln!(
                    xml,
                    "{open}>\n      <system-out>SHOULD not met (fails only with --mcp-strict): {}</system-out>\n    </testcase>",
                    advice(seen)
                );
            }
            Outcome::NotApplicable(why) => {
                let _ = writeln!(
                    xml,
                    "{open}>\n      <skipped message=\"{}\"/>\n    </testcase>",
                    escape(why)
                );
            }
        }
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}
