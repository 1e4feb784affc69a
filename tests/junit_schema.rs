//! `ssetui check --junit FILE` writes XML that the common JUnit schema
//! accepts: the Jenkins `junit-10.xsd` (the one its JUnit/xUnit plugins
//! validate with, which GitLab's and GitHub's reporters read too), checked
//! here with a real XML parser rather than string matching:
//!
//! - `testsuites` > `testsuite` > `testcase` > `failure` | `error` | `skipped`
//!   | `system-out` | `system-err`, and nothing else;
//! - each element's attributes drawn from the schema's list, the required ones
//!   present (`name`, `tests`, `failures`, `errors` on a suite; `name` on a
//!   case, plus `classname` and `time`, which CI reporters show);
//! - counts that are non-negative integers and match the cases, times that are
//!   decimal seconds (the schema's `SUREFIRE_TIME`);
//! - only characters XML 1.0 allows, raw or as character references.

#[path = "support/check_run.rs"]
mod check_run;
mod support;

use std::collections::HashSet;
use std::fs;
use std::time::Duration;

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use ssetui::check::core::expect::{Expectation, Finish, Judge, Seen};
use ssetui::check::core::junit;
use support::*;
use tokio::runtime::Runtime;

/// One `<testcase>` as read back: its decoded name and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Case {
    name: String,
    /// `pass`, `failure`, `error` or `skipped`.
    outcome: &'static str,
    /// The outcome element's decoded `message`, and its text.
    message: String,
    text: String,
}

/// The attributes each element may carry, and those it must.
fn rules(element: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match element {
        "testsuites" => (
            &["name", "time", "tests", "failures", "errors"][..],
            &[][..],
        ),
        "testsuite" => (
            &[
                "name",
                "tests",
                "failures",
                "errors",
                "group",
                "time",
                "skipped",
                "timestamp",
                "hostname",
                "id",
                "package",
                "file",
                "log",
                "url",
            ][..],
            &["name", "tests", "failures", "errors"][..],
        ),
        // The schema requires only `name`; CI reporters show the other two.
        "testcase" => (
            &["name", "time", "classname", "group"][..],
            &["name", "classname", "time"][..],
        ),
        "failure" | "error" | "skipped" => (&["type", "message"][..], &[][..]),
        "system-out" | "system-err" => (&[][..], &[][..]),
        _ => return None,
    })
}

/// Which elements may appear inside which.
fn allowed_child(parent: Option<&str>, child: &str) -> bool {
    match parent {
        None => child == "testsuites",
        Some("testsuites") => child == "testsuite",
        Some("testsuite") => matches!(
            child,
            "testsuite" | "properties" | "testcase" | "system-out" | "system-err"
        ),
        Some("testcase") => matches!(
            child,
            "skipped" | "error" | "failure" | "system-out" | "system-err"
        ),
        _ => false,
    }
}

/// XML 1.0's `Char` production.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A suite's or the root's counts, as written and as counted.
#[derive(Default, Debug, PartialEq, Eq, Clone, Copy)]
struct Counts {
    tests: u64,
    failures: u64,
    errors: u64,
    skipped: u64,
}

/// An element being read: its name, attributes and what has been seen inside.
struct Open {
    name: String,
    attrs: Vec<(String, String)>,
    counted: Counts,
    text: String,
    outcome: Option<(&'static str, String, String)>,
}

impl Open {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Checks `xml` against the schema's shape; the cases it holds, or what is wrong.
fn validate(xml: &str) -> Result<Vec<Case>, String> {
    if let Some(bad) = xml.chars().find(|c| !xml_char(*c)) {
        return Err(format!("character {bad:?} is not allowed in XML 1.0"));
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Open> = Vec::new();
    let mut cases = Vec::new();
    let mut declared = false;
    let mut root_done = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Decl(decl) => {
                let version = decl.version().map_err(|e| e.to_string())?;
                let encoding = decl
                    .encoding()
                    .transpose()
                    .map_err(|e| e.to_string())?
                    .unwrap_or_default();
                if version != "1.0" || !encoding.eq_ignore_ascii_case("UTF-8") {
                    return Err(format!("declaration {version} {encoding}"));
                }
                declared = true;
            }
            Event::Start(start) => {
                let open = open_element(&start, stack.last(), root_done)?;
                stack.push(open);
            }
            Event::Empty(start) => {
                let open = open_element(&start, stack.last(), root_done)?;
                close(open, &mut stack, &mut cases)?;
                root_done |= stack.is_empty();
            }
            Event::End(_) => {
                let open = stack.pop().ok_or("an end tag without a start")?;
                close(open, &mut stack, &mut cases)?;
                root_done |= stack.is_empty();
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(format!("text outside the root: {content:?}")),
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) if xml_char(c) => c.to_string(),
                    Some(c) => return Err(format!("character reference to {c:?}")),
                    None => {
                        let name = r.xml10_content();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| format!("unknown entity &{name};"))?
                            .to_owned()
                    }
                };
                let open = stack.last_mut().ok_or("a reference outside the root")?;
                open.text.push_str(&resolved);
            }
            Event::CData(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::DocType(_) => return Err("a DOCTYPE".into()),
            Event::Eof => break,
        }
    }
    if !declared {
        return Err("no XML declaration".into());
    }
    if !root_done || !stack.is_empty() {
        return Err("no complete <testsuites> root".into());
    }
    Ok(cases)
}

/// Checks a start tag's place and attributes.
fn open_element(
    start: &BytesStart,
    parent: Option<&Open>,
    root_done: bool,
) -> Result<Open, String> {
    let name = start.name().into_inner().to_owned();
    let parent_name = parent.map(|p| p.name.as_str());
    if root_done || !allowed_child(parent_name, &name) {
        return Err(format!("<{name}> is not allowed in {parent_name:?}"));
    }
    let (allowed, required) = rules(&name).ok_or_else(|| format!("unknown element <{name}>"))?;
    let mut attrs = Vec::new();
    let mut seen = HashSet::new();
    for attr in start.attributes() {
        let attr = attr.map_err(|e| format!("<{name}>: {e}"))?;
        let key = attr.key.into_inner().to_owned();
        if !allowed.contains(&key.as_str()) {
            return Err(format!("<{name}> has attribute {key:?}, not in the schema"));
        }
        if !seen.insert(key.clone()) {
            return Err(format!("<{name}> repeats {key:?}"));
        }
        let value = attr
            .normalized_value(XmlVersion::Explicit1_0)
            .map_err(|e| format!("<{name} {key}>: {e}"))?
            .into_owned();
        if let Some(bad) = value.chars().find(|c| !xml_char(*c)) {
            return Err(format!("<{name} {key}> holds {bad:?}"));
        }
        match key.as_str() {
            "tests" | "failures" | "errors" | "skipped" => {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("<{name} {key}={value:?}> is not a count"))?;
            }
            "time" => {
                let (whole, fraction) = value.split_once('.').unwrap_or((&value, "0"));
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                if !digits(whole) || !digits(fraction) {
                    return Err(format!("<{name} time={value:?}> is not decimal seconds"));
                }
            }
            _ => {}
        }
        attrs.push((key, value));
    }
    if let Some(missing) = required.iter().find(|r| !seen.contains(**r)) {
        return Err(format!("<{name}> lacks {missing:?}"));
    }
    Ok(Open {
        name,
        attrs,
        counted: Counts::default(),
        text: String::new(),
        outcome: None,
    })
}

/// Checks a finished element against what was inside it and hands its facts to the parent.
fn close(open: Open, stack: &mut [Open], cases: &mut Vec<Case>) -> Result<(), String> {
    let parent = stack.last_mut();
    match open.name.as_str() {
        "failure" | "error" | "skipped" => {
            let case = parent.ok_or("an outcome outside a testcase")?;
            if case.outcome.is_some() {
                return Err("a testcase with two outcomes".into());
            }
            let kind = match open.name.as_str() {
                "failure" => "failure",
                "error" => "error",
                _ => "skipped",
            };
            let message = open.attr("message").unwrap_or_default().to_owned();
            case.outcome = Some((kind, message, open.text));
        }
        "testcase" => {
            let suite = parent.ok_or("a testcase outside a suite")?;
            let (outcome, message, text) =
                open.outcome
                    .clone()
                    .unwrap_or(("pass", String::new(), String::new()));
            suite.counted.tests += 1;
            match outcome {
                "failure" => suite.counted.failures += 1,
                "error" => suite.counted.errors += 1,
                "skipped" => suite.counted.skipped += 1,
                _ => {}
            }
            cases.push(Case {
                name: open.attr("name").unwrap_or_default().to_owned(),
                outcome,
                message,
                text,
            });
        }
        "testsuite" | "testsuites" => {
            let written = |key: &str| open.attr(key).and_then(|v| v.parse::<u64>().ok());
            let c = open.counted;
            for (key, counted) in [
                ("tests", c.tests),
                ("failures", c.failures),
                ("errors", c.errors),
                ("skipped", c.skipped),
            ] {
                if let Some(n) = written(key)
                    && n != counted
                {
                    return Err(format!("<{} {key}={n}> but {counted} counted", open.name));
                }
            }
            if let Some(parent) = parent {
                parent.counted.tests += c.tests;
                parent.counted.failures += c.failures;
                parent.counted.errors += c.errors;
                parent.counted.skipped += c.skipped;
            }
        }
        _ => {}
    }
    Ok(())
}

#[test]
fn the_validator_rejects_what_the_schema_rejects() {
    let good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"1\">\
        <testsuite name=\"s\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.5\">\
        <testcase name=\"a&amp;b\" classname=\"c\" time=\"0.5\"><failure message=\"&lt;x&#10;\">t</failure></testcase>\
        </testsuite></testsuites>";
    let cases = validate(good).unwrap();
    assert_eq!(cases[0].name, "a&b");
    assert_eq!(cases[0].message, "<x\n");
    let bad = [
        (
            good.replace("<testsuites ", "<testsuites skipped=\"0\" "),
            "attribute",
        ),
        (
            good.replace("tests=\"1\" failures", "tests=\"x\" failures"),
            "count",
        ),
        (
            good.replace("tests=\"1\" failures", "tests=\"2\" failures"),
            "counted",
        ),
        (good.replace("time=\"0.5\">", "time=\"soon\">"), "decimal"),
        (good.replace(" classname=\"c\"", ""), "lacks"),
        (good.replace(">t<", ">\u{1}<"), "allowed"),
        (good.replace("&#10;", "&#1;"), "holds"),
        (good.replace(">t<", ">&#1;<"), "reference"),
        (good.replace(">t<", ">&bogus;<"), "entity"),
        (
            good.replace("<failure", "<failed")
                .replace("</failure", "</failed"),
            "allowed",
        ),
        (
            good.replace("</testsuite></testsuites>", "</testsuites>"),
            "well-formed",
        ),
        (
            good.replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", ""),
            "declaration",
        ),
    ];
    for (xml, why) in bad {
        let err = validate(&xml).expect_err(&xml);
        assert!(err.contains(why), "{why}: {err}");
    }
}

/// `ssetui check ARGS --junit FILE`: the exit status and the report.
fn check_junit(name: &str, args: &[&str]) -> (i32, String) {
    let junit = scratch(name).join("report.xml");
    let mut args = args.to_vec();
    args.extend(["--junit", junit.to_str().expect("a UTF-8 path")]);
    let done = check_run::check(&args);
    let xml =
        fs::read_to_string(&junit).unwrap_or_else(|e| panic!("no report ({e}): {}", done.stderr));
    (done.code, xml)
}

#[test]
fn a_passing_run_validates() {
    let (_runtime, url) = demo("/clock?count=2&interval_ms=5");
    let (code, xml) = check_junit(
        "pass",
        &[
            &url,
            "--min-events",
            "2",
            "--expect-type",
            "tick",
            "--data-json",
            "--ids-increasing",
        ],
    );
    assert_eq!(code, 0, "{xml}");
    let cases = validate(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(cases.len(), 4);
    assert!(cases.iter().all(|c| c.outcome == "pass"), "{cases:?}");
}

#[test]
fn a_failing_run_with_markup_and_control_characters_validates() {
    let runtime = Runtime::new().unwrap();
    let kind = "<x&y>\"'\u{1}\u{1b}[31m]]>";
    let server = runtime.block_on(TestServer::always(vec![
        sse_head(),
        write(format!(
            "event: {kind}\ndata: {{\"a\":\"<&>\\u0007\"}}\n\ndata: not json \u{7} & <b>\n\n"
        )),
        Step::Close,
    ]));
    let (code, xml) = check_junit(
        "fail",
        &[
            &server.url("/?a=1&b=<2>"),
            "--expect-type",
            kind,
            "--ends-with",
            "<done> & \u{2}",
            "--data-json",
            "--min-events",
            "5",
        ],
    );
    assert_eq!(code, 1, "{xml}");
    let cases = validate(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(cases.len(), 4, "{cases:?}");
    assert!(cases.iter().any(|c| c.outcome == "failure"), "{cases:?}");
    assert!(
        cases.iter().any(|c| c.name.contains("<x&y>")),
        "markup survives escaping and decoding: {cases:?}"
    );
    for case in cases.iter().filter(|c| c.outcome == "failure") {
        assert!(
            !case.message.is_empty() && !case.text.is_empty(),
            "{case:?}"
        );
    }
}

#[test]
fn a_stream_error_validates() {
    let runtime = Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::always(vec![
        head(503, "text/html", &[]),
        write("<h1>down & out</h1>"),
    ]));
    let (code, xml) = check_junit("error", &[&server.url("/"), "--min-events", "1"]);
    assert_eq!(code, 3, "{xml}");
    let cases = validate(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].outcome, "error", "{cases:?}");
    assert!(cases[0].message.contains("503"), "{cases:?}");
}

/// Raw control characters and every markup character straight into the
/// writer (the binary quotes most untrusted text first, so this is the path
/// that proves the escaping).
#[test]
fn raw_control_characters_in_every_field_validate() {
    let nasty = "a<b>&\"c'\u{0}\u{1}\u{8}\u{b}\u{c}\u{1b}\u{7f}\t\r\n\u{fffe}\u{ffff}]]>é";
    let mut judge = Judge::new(
        vec![
            Expectation::ExpectType(nasty.into()),
            Expectation::ForbidType(nasty.into()),
            Expectation::EndsWith(nasty.into()),
            Expectation::MinEvents(3),
        ],
        Duration::from_secs(1),
    );
    judge.observe(Seen {
        event_type: nasty,
        data: nasty,
        id: nasty,
        elapsed: Duration::ZERO,
        named: true,
        retry: None,
    });
    judge.finish(&Finish::Failed(nasty.into()));
    let xml = junit::render(nasty, &judge, Duration::from_millis(12));
    let cases = validate(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(cases.len(), 4);
    assert!(cases.iter().any(|c| c.outcome == "failure"), "{cases:?}");
    // Tab and LF survive as references even inside attributes; CR, which
    // would move a terminal's cursor when the report is printed, is shown.
    assert!(
        cases
            .iter()
            .any(|c| c.name.contains("\t␍\n") || c.message.contains("\t␍\n")),
        "{cases:?}"
    );
}

/// `--schema`: the failure names the event, the pointer and the rule, with
/// a hostile value from the stream escaped into valid XML.
#[test]
fn a_schema_failure_validates_and_names_pointer_and_rule() {
    let runtime = Runtime::new().unwrap();
    let server = runtime.block_on(TestServer::always(vec![
        sse_head(),
        write("id: 7\ndata: {\"n\":\"<&>\\u001b[31m\"}\n\n"),
        Step::Close,
    ]));
    let schema = format!(
        "{}/tests/fixtures/schema/tick.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let (code, xml) = check_junit("schema", &[&server.url("/"), "--schema", &schema]);
    assert_eq!(code, 1, "{xml}");
    let cases = validate(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert_eq!(cases.len(), 1, "{cases:?}");
    let case = &cases[0];
    assert_eq!(case.outcome, "failure", "{case:?}");
    let said = format!("{} {}", case.message, case.text);
    assert!(said.contains("event 1"), "{case:?}");
    assert!(said.contains("id \"7\""), "{case:?}");
    assert!(said.contains("\"/n\" rule type"), "{case:?}");
}
