//! The readable report on stdout: one line per expectation, what was
//! expected and what was seen, then a summary line.

use std::fmt::Write as _;
use std::time::Duration;

use super::expect::{Judge, Verdict};

/// The report text, ending with a newline. Marks: ✓ held, ✗ failed,
/// ! not judged because the stream failed, - not judged because the run
/// stopped at another failure.
pub fn render(target: &str, judge: &Judge, elapsed: Duration) -> String {
    let mut out = format!("ssetui check {target}\n");
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
        let _ = writeln!(out, "{mark} {expected}: {seen}");
    }
    let _ = writeln!(
        out,
        "{passed} passed, {failed} failed, {not_judged} not judged ({} events in {:.3}s)",
        judge.events(),
        elapsed.as_secs_f64()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::expect::{Expectation, Finish, Seen};

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
        });
        judge.finish(&Finish::Ended);
        let text = render("http://x/clock", &judge, Duration::from_millis(20));
        assert_eq!(
            text,
            "ssetui check http://x/clock\n\
             ✓ at least 1 event within 10s: 1 event after 3ms\n\
             ✗ no event of type \"tick\": event 1 has type \"tick\"\n\
             1 passed, 1 failed, 0 not judged (1 events in 0.020s)\n"
        );
    }
}
