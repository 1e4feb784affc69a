//! The readable report on stdout: one line per expectation, what was
//! expected and what was seen, then a summary line.

use std::fmt::Write as _;
use std::time::Duration;

use super::expect::{Judge, Verdict};
use crate::text::one_line;

/// The report text, ending with a newline. Marks: ✓ held, ✗ failed,
/// ! not judged because the stream failed, - not judged because the run
/// stopped at another failure. What the server sent (ids, types, data,
/// error messages) is neutralised on its line, so it can neither drive the
/// terminal nor forge a line.
pub fn render(target: &str, judge: &Judge, elapsed: Duration) -> String {
    let mut out = format!("ssetui check {}\n", one_line(target));
    let (mut passed, mut failed, mut not_judged) = (0, 0, 0);
    for (expectation, verdict) in judge.expectations().iter().zip(judge.verdicts()) {
        let expected = expectation.describe(judge.within());
        let (mark, seen) = match verdict {
            Verdict::Passed(seen) => {
                passed += 1;
                ("✓", seen.as_str())
            }
            Verdict::Failed(seen) => {
                failed += 1;
                ("✗", seen.as_str())
            }
            Verdict::Error(why) => {
                not_judged += 1;
                ("!", why.as_str())
            }
            Verdict::Skipped(why) => {
                not_judged += 1;
                ("-", why.as_str())
            }
            Verdict::Pending => {
                not_judged += 1;
                ("?", "not judged")
            }
        };
        let _ = writeln!(out, "{mark} {}: {}", one_line(&expected), one_line(seen));
    }
    let _ = writeln!(
        out,
        "{passed} passed, {failed} failed, {not_judged} not judged ({} in {})",
        crate::text::plural(judge.events(), "event"),
        crate::text::duration(elapsed)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::core::expect::{Expectation, Finish, Seen};

    #[test]
    fn one_line_per_expectation_and_a_summary() {
        let mut judge = Judge::new(
            vec![
                Expectation::MinEvents(1),
                Expectation::ForbidType("tick".into()),
            ],
            Duration::from_secs(10),
        );
        judge.observe(Seen {
            event_type: "tick",
            data: "",
            id: "1",
            elapsed: Duration::from_millis(3),
            named: true,
            retry: None,
        });
        judge.finish(&Finish::Ended);
        let text = render("http://x/clock", &judge, Duration::from_millis(20));
        assert_eq!(
            text,
            "ssetui check http://x/clock\n\
             ✓ at least 1 event within 10 s: 1 event after 3 ms\n\
             ✗ no event of type \"tick\": event 1 has type \"tick\"\n\
             1 passed, 1 failed, 0 not judged (1 event in 20 ms)\n"
        );
    }

    #[test]
    fn server_text_in_the_report_is_shown_and_forges_no_line() {
        let hostile = "x\u{1b}]0;PWNED\u{7}\n✓ forged\r\u{9b}2J\u{202e}\u{200b}";
        let mut judge = Judge::new(
            vec![
                Expectation::MinEvents(2),
                Expectation::ExpectType(hostile.into()),
            ],
            Duration::from_secs(1),
        );
        judge.observe(Seen {
            event_type: hostile,
            data: hostile,
            id: hostile,
            elapsed: Duration::ZERO,
            named: true,
            retry: None,
        });
        judge.finish(&Finish::Failed(hostile.into()));
        let text = render(hostile, &judge, Duration::from_millis(5));
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && crate::text::is_neutralised(c)),
            "{text:?}"
        );
        assert!(
            text.contains("␛]0;PWNED␇␊✓ forged␍\\u{9b}2J\\u{202e}\\u{200b}"),
            "{text}"
        );
    }
}
