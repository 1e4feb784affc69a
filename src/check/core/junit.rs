//! `--junit FILE`: the verdicts as JUnit XML, the report format CI systems
//! (GitLab, Jenkins, GitHub test reporters) read.
//!
//! One `<testsuite>` named after the URL or profile, one `<testcase>` per
//! expectation. A failed expectation carries `<failure>`, one the stream
//! failure left undecided carries `<error>`, and one left undecided because
//! the run stopped at an earlier failure is `<skipped>`.
//!
//! The shape is the one Jenkins' JUnit schema (`junit-10.xsd`) accepts, which
//! GitLab and GitHub reporters read too: `<testsuites>` carries only `name`,
//! `tests`, `failures`, `errors` and `time` (that schema has no `skipped`
//! there), `<testsuite>` adds `skipped`; `tests/junit_schema.rs` checks it.

use std::fmt::Write as _;
use std::time::Duration;

use super::expect::{Judge, Verdict};

/// One `<testcase>`: its name (plain text; escaped when written) and
/// what it holds.
pub struct Case {
    pub name: String,
    pub body: CaseBody,
}

/// What a testcase holds; each text is plain, escaped when written.
pub enum CaseBody {
    Passed,
    /// `<failure message type>text</failure>`.
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    /// `<error message type>text</error>`: the run could not decide it.
    Error {
        message: String,
        kind: String,
        text: String,
    },
    /// Passed, with something to read in `<system-out>`.
    Note(String),
    /// `<skipped message>`.
    Skipped(String),
}

/// The document: `<testsuites name=suites>` holding one `<testsuite
/// name=suite>` of `cases` (all of class `classname`, each timed as the
/// whole run: every case watched the same run), counts derived from the
/// cases, in the shape the module doc names. The one writer of the shape
/// for `check` and `check --mcp`.
pub fn document(
    suites: &str,
    suite: &str,
    classname: &str,
    cases: &[Case],
    elapsed: Duration,
) -> String {
    let tests = cases.len();
    let count = |f: fn(&CaseBody) -> bool| cases.iter().filter(|c| f(&c.body)).count();
    let failures = count(|b| matches!(b, CaseBody::Failure { .. }));
    let errors = count(|b| matches!(b, CaseBody::Error { .. }));
    let skipped = count(|b| matches!(b, CaseBody::Skipped(_)));
    let time = format!("{:.3}", elapsed.as_secs_f64());
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{time}\">",
        escape(suites)
    );
    let _ = writeln!(
        xml,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{time}\">",
        escape(suite)
    );
    for case in cases {
        let open = format!(
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{time}\"",
            escape(classname),
            escape(&case.name)
        );
        let inner = match &case.body {
            CaseBody::Passed => {
                let _ = writeln!(xml, "{open}/>");
                continue;
            }
            CaseBody::Failure {
                message,
                kind,
                text,
            } => format!(
                "<failure message=\"{}\" type=\"{}\">{}</failure>",
                escape(message),
                escape(kind),
                escape(text)
            ),
            CaseBody::Error {
                message,
                kind,
                text,
            } => format!(
                "<error message=\"{}\" type=\"{}\">{}</error>",
                escape(message),
                escape(kind),
                escape(text)
            ),
            CaseBody::Note(text) => format!("<system-out>{}</system-out>", escape(text)),
            CaseBody::Skipped(why) => format!("<skipped message=\"{}\"/>", escape(why)),
        };
        let _ = writeln!(xml, "{open}>\n      {inner}\n    </testcase>");
    }
    xml.push_str("  </testsuite>\n</testsuites>\n");
    xml
}

/// The XML document for `judge`'s verdicts.
pub fn render(suite: &str, judge: &Judge, elapsed: Duration) -> String {
    let cases: Vec<Case> = judge
        .expectations()
        .iter()
        .zip(judge.verdicts())
        .map(|(expectation, verdict)| {
            let name = expectation.describe(judge.within());
            let body = match verdict {
                Verdict::Passed(_) | Verdict::Pending => CaseBody::Passed,
                Verdict::Failed(seen) => CaseBody::Failure {
                    message: seen.clone(),
                    kind: "expectation failed".into(),
                    text: format!("expected {name}; saw {seen}"),
                },
                Verdict::Error(why) => CaseBody::Error {
                    message: why.clone(),
                    kind: "stream failed".into(),
                    text: why.clone(),
                },
                Verdict::Skipped(why) => CaseBody::Skipped(why.clone()),
            };
            Case { name, body }
        })
        .collect();
    document("ssetui check", suite, "ssetui.check", &cases, elapsed)
}

/// Text safe inside an XML attribute or element: first neutralised as for
/// a terminal (a report gets printed; `\n` and `\t` kept), then the five
/// markup characters as entities; characters XML 1.0 forbids (U+FFFE,
/// U+FFFF; the controls are neutralised already) as U+FFFD, since no escape
/// can carry them.
pub fn escape(text: &str) -> String {
    let shown = crate::text::neutralise(text, crate::text::Lines::Multi);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Tab and LF are allowed, but an attribute would normalise them to spaces.
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::core::expect::{Expectation, Finish, Seen};

    #[test]
    fn escape_covers_markup_and_forbidden_characters() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}\r\n\u{fffe}"), "a␀b␛␍&#10;\u{FFFD}");
    }

    #[test]
    fn counts_and_one_testcase_per_expectation() {
        let mut judge = Judge::new(
            vec![
                Expectation::ExpectType("<tick>".into()),
                Expectation::MaxEvents(0),
                Expectation::MinEvents(9),
            ],
            Duration::from_secs(1),
        );
        judge.observe(Seen {
            event_type: "<tick>",
            data: "x",
            id: "",
            elapsed: Duration::ZERO,
            named: true,
            retry: None,
        });
        judge.finish(&Finish::Ended);
        let xml = render("http://h/?a=1&b=2", &judge, Duration::from_millis(1500));
        assert!(xml.contains("name=\"http://h/?a=1&amp;b=2\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\" time=\"1.500\""), "{xml}");
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert_eq!(xml.matches("<skipped ").count(), 1);
        assert!(xml.contains("&quot;&lt;tick&gt;&quot;"), "{xml}");
        assert!(!xml.contains("<tick>"));
    }

    #[test]
    fn server_text_reaches_the_xml_neutralised() {
        let hostile = "x\u{1b}]52;c;cHduZWQ=\u{7}\u{85}\u{9b}2J\u{202e}\u{2066}\u{200b}\u{feff}\u{7f}\u{2028}";
        let mut judge = Judge::new(
            vec![
                Expectation::EndsWith(hostile.into()),
                Expectation::MinEvents(9),
            ],
            Duration::from_secs(1),
        );
        judge.finish(&Finish::Failed(hostile.into()));
        let xml = render(hostile, &judge, Duration::from_millis(5));
        assert!(
            !xml.chars()
                .any(|c| c != '\n' && crate::text::is_neutralised(c)),
            "{xml:?}"
        );
        assert!(
            xml.contains(
                "x␛]52;c;cHduZWQ=␇\\u{85}\\u{9b}2J\\u{202e}\\u{2066}\\u{200b}\\u{feff}␡\\u{2028}"
            ),
            "{xml}"
        );
    }
}
