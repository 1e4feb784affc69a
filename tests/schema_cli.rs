//! JSON Schemas for events (`--schema FILE`, `--schema TYPE=FILE`, a
//! profile's `schema` and `schemas`): `print --validate` marks each NDJSON
//! line, `check --schema` fails on the first invalid event. The real binary
//! against the raw-TCP loopback server, with the schemas under
//! `tests/fixtures/schema/`.

#[path = "support/check_run.rs"]
mod check_run;
mod support;

use std::fs;
use std::process::Stdio;

use check_run::{PATIENCE, check, stream};
use serde_json::{Value, json};

/// A stream with a valid tick, a tick of the wrong type, data that is not
/// JSON, a `ping` event (a string) and the `[DONE]` end marker.
const MIXED: &str = "id: 1\ndata: {\"n\":1,\"name\":\"a\"}\n\n\
                     id: 2\ndata: {\"n\":\"two\"}\n\n\
                     data: hello\n\n\
                     event: ping\ndata: \"up\"\n\n\
                     data: [DONE]\n\n";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/schema/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// `ssetui print ARGS`: its status, its stdout lines as JSON, its stderr.
fn print(args: &[&str]) -> (i32, Vec<Value>, String) {
    let mut cmd = support::app();
    cmd.arg("print")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = support::output_within(cmd, PATIENCE);
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (
        output.status.code().expect("exited, not killed"),
        lines,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The `valid` and the first error's pointer and rule of each line.
fn verdicts(lines: &[Value]) -> Vec<(Value, Value, Value)> {
    lines
        .iter()
        .map(|l| {
            (
                l["valid"].clone(),
                l["errors"][0]["pointer"].clone(),
                l["errors"][0]["rule"].clone(),
            )
        })
        .collect()
}

/// `print --no-reconnect --validate --openapi` with the description
/// `description` (JSON, written to a scratch file named for `name`) on a
/// stream of `body` at `/e`: its status, lines and stderr.
fn validate_by_openapi(
    name: &str,
    description: &str,
    body: &'static str,
) -> (i32, Vec<Value>, String) {
    let dir = support::scratch(name);
    let file = dir.join("api.json");
    fs::write(&file, description).unwrap();
    let (_rt, server) = stream(body);
    print(&[
        "--no-reconnect",
        "--validate",
        "--openapi",
        file.to_str().unwrap(),
        &server.url("/e"),
    ])
}

#[test]
fn print_validate_marks_each_line_with_its_verdict_and_errors() {
    let (_rt, server) = stream(MIXED);
    let tick = fixture("tick.json");
    let (code, lines, stderr) = print(&[&server.url("/"), "--validate", "--schema", &tick]);
    assert_eq!(code, 0, "invalid events do not change the status: {stderr}");
    let n = Value::Null;
    assert_eq!(
        verdicts(&lines),
        [
            (json!(true), n.clone(), n.clone()),
            (json!(false), json!("/n"), json!("type")),
            (json!(false), json!(""), json!("json")),
            // Without a rule of its own, the ping is judged by the tick's schema.
            (json!(false), json!(""), json!("type")),
            (json!(true), n.clone(), n.clone()),
        ]
    );
    let error = &lines[1]["errors"][0];
    assert_eq!(error["actual"], "\"two\"");
    assert!(error["expected"].as_str().unwrap().contains("integer"));
    assert_eq!(lines[2]["errors"][0]["actual"], "hello");
}

#[test]
fn a_type_rule_wins_and_events_no_rule_covers_get_no_verdict() {
    let (_rt, server) = stream(MIXED);
    let tick = fixture("tick.json");
    let ping = format!("ping={}", fixture("ping.json"));
    let (code, lines, _) = print(&[
        &server.url("/"),
        "--validate",
        "--schema",
        &tick,
        "--schema",
        &ping,
    ]);
    assert_eq!(code, 0);
    assert_eq!(lines[3]["event"], "ping");
    assert_eq!(lines[3]["valid"], true);
    let (_, lines, _) = print(&[&server.url("/"), "--validate", "--schema", &ping]);
    assert_eq!(lines.len(), 5);
    assert!(lines[1].get("valid").is_none(), "{}", lines[1]);
    assert_eq!(lines[3]["valid"], true);
}

#[test]
fn a_draft_7_schema_is_read_by_its_dialect() {
    let (_rt, server) = stream(
        "data: {\"n\":3,\"name\":\"abc\"}\n\ndata: {\"n\":3,\"name\":\"much too long\"}\n\n",
    );
    let draft7 = fixture("tick.draft7.json");
    let (_, lines, _) = print(&[
        &server.url("/"),
        "--validate",
        "--schema",
        &draft7,
        "--max-events",
        "2",
    ]);
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(lines[1]["errors"][0]["pointer"], "/name");
    assert_eq!(lines[1]["errors"][0]["rule"], "maxLength");
}

#[test]
fn without_validate_the_schema_is_not_applied_and_lines_are_unchanged() {
    let (_rt, server) = stream(MIXED);
    let tick = fixture("tick.json");
    let (code, lines, _) = print(&[&server.url("/"), "--schema", &tick]);
    assert_eq!(code, 0);
    assert!(lines.iter().all(|l| l.get("valid").is_none()));
}

#[test]
fn a_bad_schema_file_exits_2_naming_the_file_and_line() {
    let (_rt, server) = stream(MIXED);
    let url = server.url("/");
    for (file, line) in [("not-json.json", ":4:"), ("not-a-schema.json", ":4:")] {
        let path = fixture(file);
        let (code, lines, stderr) = print(&[&url, "--validate", "--schema", &path]);
        assert_eq!(code, 2, "{stderr}");
        assert!(lines.is_empty());
        assert!(stderr.contains(&format!("{path}{line}")), "{stderr}");
        let done = check(&[&url, "--schema", &path]);
        assert_eq!(done.code, 2, "{}", done.stderr);
        assert!(done.stderr.contains(&path), "{}", done.stderr);
    }
    let (code, _, stderr) = print(&[&url, "--validate"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no schema"), "{stderr}");
    let (code, _, stderr) = print(&[&url, "--validate", "--schema", "/nonexistent/s.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/s.json"), "{stderr}");
}

#[test]
fn check_schema_fails_on_the_first_invalid_event_in_report_and_junit() {
    let (_rt, server) = stream(MIXED);
    let dir = support::scratch("schema-junit");
    let junit = dir.join("report.xml");
    let tick = fixture("tick.json");
    let done = check(&[
        &server.url("/"),
        "--schema",
        &tick,
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(done.code, 1, "{}\n{}", done.stdout, done.stderr);
    let line = done.line("every event meets its JSON Schema");
    assert!(line.starts_with('✗'), "{line}");
    assert!(
        line.contains("event 2 (type \"message\", id \"2\"): at \"/n\" rule type"),
        "{line}"
    );
    let xml = fs::read_to_string(&junit).expect("the JUnit report was written");
    assert!(xml.contains("<failure"), "{xml}");
    assert!(xml.contains("rule type"), "{xml}");
    assert!(xml.contains("/n"), "{xml}");
}

#[test]
fn check_schema_passes_a_valid_stream_with_done_exempt() {
    let (_rt, server) = stream("data: {\"n\":1}\n\ndata: {\"n\":2}\n\ndata: [DONE]\n\n");
    let done = check(&[&server.url("/"), "--schema", &fixture("tick.json")]);
    assert_eq!(done.code, 0, "{}\n{}", done.stdout, done.stderr);
    assert!(
        done.line("every event meets its JSON Schema")
            .contains("all 3 events meet their schema")
    );
}

#[test]
fn profile_schemas_are_relative_to_the_config_file() {
    let (_rt, server) = stream(MIXED);
    let dir = support::scratch("schema-profile");
    fs::create_dir_all(dir.join("schemas")).unwrap();
    fs::copy(fixture("tick.json"), dir.join("schemas/tick.json")).unwrap();
    fs::copy(fixture("ping.json"), dir.join("schemas/ping.json")).unwrap();
    let config = dir.join("config.toml");
    fs::write(
        &config,
        format!(
            "[profiles.ticks]\nurl = \"{}\"\nschema = \"schemas/tick.json\"\n\n\
             [profiles.ticks.schemas]\nping = \"schemas/ping.json\"\n",
            server.url("/")
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let (code, lines, stderr) = print(&["--config", config, "--profile", "ticks", "--validate"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("unknown"), "the keys are known: {stderr}");
    let valid: Vec<&Value> = lines.iter().map(|l| &l["valid"]).collect();
    assert_eq!(
        valid,
        [
            &json!(true),
            &json!(false),
            &json!(false),
            &json!(true),
            &json!(true)
        ]
    );
    let done = check(&["--config", config, "--profile", "ticks"]);
    assert_eq!(done.code, 1, "{}\n{}", done.stdout, done.stderr);
    assert!(done.stdout.contains("rule type"), "{}", done.stdout);
}

#[test]
fn the_example_configs_schemas_exist_and_compile() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let (file, warnings) = ssetui::config::ConfigFile::load(&path).expect("it loads");
    assert_eq!(warnings, []);
    let profile = file.profile("chat-contract").expect("the profile");
    let rules = profile.schema_rules(Some(&path));
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[1].event_type.as_deref(), Some("error"));
    let sources: Vec<_> = rules
        .iter()
        .map(|r| ssetui::insight::contract::SchemaSource {
            event_type: r.event_type.clone(),
            target: ssetui::insight::contract::Target::Data,
            file: r.file.clone(),
            text: fs::read_to_string(&r.file).expect("the schema file exists"),
        })
        .collect();
    ssetui::insight::contract::Schemas::compile(&sources).expect("the schemas compile");
}

#[test]
fn an_openapi_descriptions_event_schema_is_checked_by_path_or_operation() {
    let dir = support::scratch("openapi-contract");
    let description = dir.join("api.yaml");
    fs::write(
        &description,
        "openapi: 3.2.0\npaths:\n  /ticks:\n    get:\n      operationId: ticks\n      responses:\n        '200':\n          content:\n            text/event-stream:\n              itemSchema:\n                type: object\n                properties:\n                  data:\n                    type: string\n                    contentMediaType: application/json\n                    contentSchema: { $ref: '#/components/schemas/Tick' }\ncomponents:\n  schemas:\n    Tick:\n      type: object\n      required: [n]\n",
    )
    .unwrap();
    let (_rt, server) = stream("data: {\"n\":1}\n\ndata: {\"m\":2}\n\n");
    let url = server.url("/ticks");
    let api = description.to_str().unwrap();
    let done = check(&[&url, "--openapi", api]);
    assert_eq!(done.code, 1, "{}{}", done.stdout, done.stderr);
    assert!(done.stdout.contains("required"), "{}", done.stdout);
    let (status, lines, err) = print(&["--no-reconnect", "--validate", "--openapi", api, &url]);
    assert_eq!(status, 0, "{err}");
    let n = Value::Null;
    // The contentSchema's pointers read as in the event object: under /data.
    assert_eq!(
        verdicts(&lines),
        [
            (json!(true), n.clone(), n),
            (json!(false), json!("/data"), json!("required"))
        ]
    );
    // By its operationId, whatever the URL's path.
    let other = server.url("/elsewhere");
    let done = check(&[&other, "--openapi", api, "--operation", "ticks"]);
    assert_eq!(done.code, 1, "{}{}", done.stdout, done.stderr);
    // An operation the description does not have is a usage error.
    let done = check(&[&other, "--openapi", api]);
    assert_eq!(done.code, 2, "{}", done.stderr);
    assert!(done.stderr.contains("--operation"), "{}", done.stderr);
}

#[test]
fn an_item_schema_judges_the_event_object_with_the_fields_its_block_had() {
    // Valid; no event: field (no default `message`); a wrong type and too
    // long a retry; an inherited id is not the event's own.
    let (status, lines, err) = validate_by_openapi(
        "openapi-item",
        r#"{"openapi":"3.2.0","paths":{"/e":{"get":{"responses":{"200":{"content":{"text/event-stream":{
            "itemSchema":{"type":"object","required":["event","id","data"],"properties":{
              "event":{"enum":["tick"]},"id":{"type":"string"},"retry":{"maximum":1000},
              "data":{"type":"string","contentMediaType":"application/json",
                      "contentSchema":{"type":"object","required":["n"]}}}}}}}}}}}}"#,
        "event: tick\nid: 1\ndata: {\"n\":1}\n\n\
         id: 2\ndata: {\"n\":2}\n\n\
         event: tock\nid: 3\nretry: 5000\ndata: {\"n\":3}\n\n\
         event: tick\ndata: {\"n\":4}\n\n",
    );
    assert_eq!(status, 0, "{err}");
    let errors: Vec<Vec<(String, String)>> = lines
        .iter()
        .map(|l| {
            l["errors"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .map(|v| {
                            (
                                v["pointer"].as_str().unwrap().to_owned(),
                                v["rule"].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    let pair = |p: &str, r: &str| (p.to_owned(), r.to_owned());
    assert_eq!(errors[0], []);
    assert_eq!(errors[1], [pair("", "required")], "{:?}", lines[1]);
    assert_eq!(
        errors[2],
        [pair("/event", "enum"), pair("/retry", "maximum")]
    );
    assert_eq!(errors[3], [pair("", "required")], "{:?}", lines[3]);
}

#[test]
fn check_openapi_on_the_demo_passes_its_clock_and_fails_its_logs_at_the_first_stack_trace() {
    let api = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi-demo.yaml");
    let (_rt, clock) = support::demo("/clock?count=3&interval_ms=10");
    let done = check(&["--openapi", api, &clock]);
    assert_eq!(done.code, 0, "{}{}", done.stdout, done.stderr);
    let (_rt2, logs) = support::demo("/logs?count=6&interval_ms=10");
    let done = check(&["--openapi", api, &logs]);
    assert_eq!(done.code, 1, "{}{}", done.stdout, done.stderr);
    let line = done.line("every event meets its JSON Schema");
    assert!(
        line.contains("event 5") && line.contains("/data") && line.contains("pattern"),
        "{line}"
    );
}

#[test]
fn the_ui_validates_its_first_tab_by_openapi_and_refuses_a_bad_schema_before_starting() {
    let api = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi-demo.yaml");
    let (_rt, logs) = support::demo("/logs?count=6&interval_ms=10");
    let mut app = support::pty::Pty::start(&["--openapi", api, &logs]);
    // Events 5 and 6 carry several lines: marked; 1 to 4 are not.
    let marked = |s: &str, seq: &str| s.lines().any(|l| l.contains(&format!("✗  {seq} ")));
    app.wait_for("events 5 and 6 marked", |s| {
        marked(s, "5") && marked(s, "6")
    });
    let screen = app.contents();
    assert!((1..5).all(|n| !marked(&screen, &n.to_string())), "{screen}");
    // Checks (Alt-5) counts them by rule.
    app.keys("\x1b5");
    app.wait_for("the counts in Checks", |s| {
        s.contains("events break it") && s.contains("pattern")
    });
    assert!(app.quit());
    // A schema that cannot be used is said on stderr, and the UI never starts.
    let dir = support::scratch("ui-bad-schema");
    let bad = dir.join("bad.json");
    fs::write(&bad, "{not json").unwrap();
    let mut cmd = support::app();
    cmd.args(["--schema", bad.to_str().unwrap(), &logs])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = support::output_within(cmd, PATIENCE);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("bad.json:1:"), "{stderr}");
}

#[test]
fn before_3_2_the_media_types_schema_is_each_events_data_schema_with_a_notice() {
    let (status, lines, err) = validate_by_openapi(
        "openapi-3-1",
        r#"{"openapi":"3.1.0","paths":{"/e":{"get":{"responses":{"200":{"content":{
            "text/event-stream":{"schema":{"type":"object","required":["n"]}}}}}}}}}"#,
        "data: {\"n\":1}\n\ndata: {\"m\":2}\n\n",
    );
    assert_eq!(status, 0, "{err}");
    assert!(err.contains("no itemSchema"), "{err}");
    let n = Value::Null;
    // Pointers from the data itself: there is no event object before 3.2.
    assert_eq!(
        verdicts(&lines),
        [
            (json!(true), n.clone(), n),
            (json!(false), json!(""), json!("required"))
        ]
    );
}
