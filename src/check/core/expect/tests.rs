use super::*;

fn ev(event_type: &str, data: &str, id: &str) -> Seen<'static> {
    // Tests leak a few strings to get 'static views; fine for tests.
    Seen {
        event_type: Box::leak(event_type.to_owned().into_boxed_str()),
        data: Box::leak(data.to_owned().into_boxed_str()),
        id: Box::leak(id.to_owned().into_boxed_str()),
        elapsed: Duration::from_millis(5),
        named: true,
        retry: None,
    }
}

fn judge(e: Expectation) -> Judge {
    Judge::new(vec![e], Duration::from_secs(10))
}

fn run(e: Expectation, events: &[(&str, &str, &str)], how: Finish) -> Verdict {
    let mut j = judge(e);
    for (t, d, i) in events {
        j.observe(ev(t, d, i));
    }
    j.finish(&how);
    j.verdicts()[0].clone()
}

fn passed(v: &Verdict) -> bool {
    matches!(v, Verdict::Passed(_))
}

#[test]
fn min_events_settles_as_soon_as_reached() {
    let mut j = judge(Expectation::MinEvents(2));
    j.observe(ev("m", "a", ""));
    assert!(!j.is_settled());
    j.observe(ev("m", "b", ""));
    assert!(j.is_settled() && j.all_passed());
    assert!(!passed(&run(
        Expectation::MinEvents(3),
        &[("m", "a", "")],
        Finish::Ended
    )));
}

#[test]
fn max_events_fails_on_the_event_over_the_limit() {
    let mut j = judge(Expectation::MaxEvents(1));
    j.observe(ev("m", "a", ""));
    assert!(!j.is_settled());
    j.observe(ev("m", "b", ""));
    assert_eq!(j.verdicts()[0], Verdict::Failed("event 2 arrived".into()));
    assert!(passed(&run(
        Expectation::MaxEvents(1),
        &[("m", "a", "")],
        Finish::TimeUp
    )));
}

#[test]
fn types_required_and_forbidden() {
    let events = [("info", "a", ""), ("warn", "b", "")];
    assert!(passed(&run(
        Expectation::ExpectType("warn".into()),
        &events,
        Finish::Ended
    )));
    assert!(!passed(&run(
        Expectation::ExpectType("error".into()),
        &events,
        Finish::Ended
    )));
    assert!(passed(&run(
        Expectation::ForbidType("error".into()),
        &events,
        Finish::Ended
    )));
    assert!(!passed(&run(
        Expectation::ForbidType("info".into()),
        &events,
        Finish::Ended
    )));
}

#[test]
fn ids_compare_numerically_when_all_numeric() {
    let e = Expectation::IdsIncreasing;
    assert!(passed(&run(
        e.clone(),
        &[("m", "", "9"), ("m", "", "10")],
        Finish::Ended
    )));
    assert!(!passed(&run(
        e.clone(),
        &[("m", "", "2"), ("m", "", "2")],
        Finish::Ended
    )));
    assert!(!passed(&run(
        e.clone(),
        &[("m", "", "3"), ("m", "", "1")],
        Finish::Ended
    )));
    // Not all numeric: by bytes, so "9" then "10" is out of order.
    assert!(!passed(&run(
        e.clone(),
        &[("m", "", "9"), ("m", "", "10"), ("m", "", "x")],
        Finish::Ended
    )));
    assert!(passed(&run(
        e.clone(),
        &[("m", "", "a"), ("m", "", "b")],
        Finish::Ended
    )));
    assert!(!passed(&run(
        e,
        &[("m", "", "1"), ("m", "", "")],
        Finish::Ended
    )));
}

#[test]
fn data_nested_past_the_limit_fails_data_json_saying_why() {
    let deep = format!("{}{}", "[".repeat(131_000), "]".repeat(131_000));
    let events = [("m", deep.as_str(), "")];
    let v = run(Expectation::DataJson, &events, Finish::Ended);
    let Verdict::Failed(why) = v else {
        panic!("{v:?}")
    };
    assert!(
        why.ends_with("nests 128 levels deep or more, deeper than ssetui reads JSON"),
        "{why}"
    );
    let every = Expectation::Every(Condition::parse(".").unwrap());
    assert!(!passed(&run(every, &events, Finish::Ended)));
}

#[test]
fn data_json_and_conditions() {
    let good = [("m", r#"{"n":4}"#, ""), ("m", r#"{"n":5}"#, "")];
    let bad = [("m", r#"{"n":4}"#, ""), ("m", "oops", "")];
    // An LLM answer's end marker is no data to judge (issue 17).
    let ended = [("m", r#"{"n":4}"#, ""), ("m", "[DONE]", "")];
    assert!(passed(&run(Expectation::DataJson, &good, Finish::Ended)));
    assert!(!passed(&run(Expectation::DataJson, &bad, Finish::Ended)));
    assert!(passed(&run(Expectation::DataJson, &ended, Finish::Ended)));
    let gt4 = Condition::parse(".n > 4").unwrap();
    assert!(!passed(&run(
        Expectation::Every(gt4.clone()),
        &good,
        Finish::Ended
    )));
    assert!(passed(&run(
        Expectation::Any(gt4.clone()),
        &good,
        Finish::Ended
    )));
    assert!(!passed(&run(Expectation::Any(gt4), &bad, Finish::Ended)));
    let v = run(
        Expectation::Every(Condition::parse(".n > 4").unwrap()),
        &good,
        Finish::Ended,
    );
    assert_eq!(v, Verdict::Failed("event 1: false, data {\"n\":4}".into()));
}

#[test]
fn a_failed_condition_says_what_it_gave_and_shows_the_data_cut() {
    let every = |expr: &str, data: &str| {
        run(
            Expectation::Every(Condition::parse(expr).unwrap()),
            &[("m", data, "")],
            Finish::Ended,
        )
    };
    let failed = |why: &str| Verdict::Failed(why.into());
    assert_eq!(every(".a", "{}"), failed("event 1: null, data {}"));
    assert_eq!(every("empty", "1"), failed("event 1: no output, data 1"));
    assert_eq!(
        every(".[]", "[1,false]"),
        failed("event 1: output 2 is false, data [1,false]")
    );
    assert_eq!(
        every(".a", "[]"),
        failed("event 1: error: cannot index [] with \"a\", data []")
    );
    let long = format!("[{}]", vec!["1"; 100].join(","));
    let Verdict::Failed(why) = every(".[] > 1", &long) else {
        panic!("1 > 1 is false")
    };
    assert!(why.ends_with(&format!("data {}…", &long[..60])), "{why}");
    assert!(passed(&every(".[] > 0", &long)));
}

#[test]
fn ends_with_needs_a_clean_end() {
    let events = [("m", "a", ""), ("m", "[DONE]", "")];
    let e = Expectation::EndsWith("[DONE]".into());
    assert!(passed(&run(e.clone(), &events, Finish::Ended)));
    assert!(!passed(&run(e.clone(), &events, Finish::TimeUp)));
    assert!(!passed(&run(e, &events[..1], Finish::Ended)));
}

#[test]
fn first_event_deadline() {
    let mut j = judge(Expectation::FirstEventWithin(Duration::from_millis(100)));
    assert_eq!(j.next_deadline(), Some(Duration::from_millis(100)));
    j.tick(Duration::from_millis(150));
    assert!(matches!(j.verdicts()[0], Verdict::Failed(_)));
    let mut j = judge(Expectation::FirstEventWithin(Duration::from_millis(100)));
    j.observe(ev("m", "a", ""));
    assert!(j.all_passed() && j.next_deadline().is_none());
}

#[test]
fn a_failed_stream_leaves_pending_ones_not_judged() {
    let mut j = Judge::new(
        vec![
            Expectation::ExpectType("x".into()),
            Expectation::MaxEvents(5),
        ],
        Duration::from_secs(1),
    );
    j.observe(ev("x", "a", ""));
    j.finish(&Finish::Failed("reset".into()));
    assert!(passed(&j.verdicts()[0]));
    assert!(matches!(j.verdicts()[1], Verdict::Error(_)));
    assert!(!j.all_passed());
}

#[test]
fn quote_escapes_and_cuts() {
    assert_eq!(quote("a\nb\u{1b}\u{202e}"), "\"a␊b␛\\u{202e}\"");
    assert!(quote(&"x".repeat(100)).ends_with("…\""));
}
