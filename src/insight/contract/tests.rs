use super::source::line_of;
use super::*;

const TICK: &str = r##"{
  "type": "object",
  "required": ["n"],
  "properties": {
    "n": {"type": "integer", "minimum": 0},
    "name": {"$ref": "#/$defs/name"}
  },
  "$defs": {"name": {"type": "string", "maxLength": 5}}
}"##;

fn source(event_type: Option<&str>, text: &str) -> SchemaSource {
    SchemaSource {
        event_type: event_type.map(str::to_owned),
        target: Target::Data,
        file: "tick.json".into(),
        text: text.into(),
    }
}

fn schemas(sources: &[SchemaSource]) -> Schemas {
    Schemas::compile(sources).expect("the schemas compile")
}

fn violations(verdict: Verdict) -> Vec<Violation> {
    match verdict {
        Verdict::Invalid(v) => v,
        other => panic!("expected violations, got {other:?}"),
    }
}

#[test]
fn data_that_meets_the_schema_is_valid_and_local_refs_are_followed() {
    let s = schemas(&[source(None, TICK)]);
    assert_eq!(
        s.validate("message", r#"{"n":1,"name":"ab"}"#),
        Verdict::Valid
    );
    let v = violations(s.validate("message", r#"{"n":1,"name":"abcdefgh"}"#));
    assert_eq!(v[0].pointer, "/name");
    assert_eq!(v[0].rule, "maxLength");
    assert_eq!(v[0].actual, r#""abcdefgh""#);
}

#[test]
fn each_violation_has_its_pointer_rule_expected_and_actual() {
    let s = schemas(&[source(None, TICK)]);
    let v = violations(s.validate("message", r#"{"n":"x"}"#));
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].pointer, "/n");
    assert_eq!(v[0].rule, "type");
    assert!(v[0].expected.contains("integer"), "{:?}", v[0]);
    assert_eq!(v[0].actual, r#""x""#);
    let v = violations(s.validate("message", "{}"));
    assert_eq!(
        (v[0].pointer.as_str(), v[0].rule.as_str()),
        ("", "required")
    );
}

#[test]
fn data_that_is_not_json_is_a_violation_but_done_is_exempt() {
    let s = schemas(&[source(None, TICK)]);
    let v = violations(s.validate("message", "hello"));
    assert_eq!(v[0].rule, "json");
    assert_eq!(v[0].actual, "hello");
    assert_eq!(s.validate("message", "[DONE]"), Verdict::Valid);
    assert_eq!(s.validate("message", " [DONE] "), Verdict::Valid);
}

#[test]
fn a_type_rule_wins_over_the_rule_for_every_event() {
    let s = schemas(&[
        source(Some("ping"), r#"{"type":"string"}"#),
        source(None, TICK),
    ]);
    assert_eq!(s.validate("ping", r#""up""#), Verdict::Valid);
    assert!(matches!(s.validate("tick", r#""up""#), Verdict::Invalid(_)));
    let only_typed = schemas(&[source(Some("ping"), r#"{"type":"string"}"#)]);
    assert_eq!(only_typed.validate("tick", "not json"), Verdict::Unchecked);
}

#[test]
fn draft_7_is_read_by_its_dialect() {
    // In draft 7 a `$ref` makes its siblings ignored; in 2020-12 they apply.
    let draft7 = r##"{"$schema":"http://json-schema.org/draft-07/schema#",
        "definitions":{"any":{}},
        "$ref":"#/definitions/any","type":"string"}"##;
    let s = schemas(&[source(None, draft7)]);
    assert_eq!(s.validate("message", "3"), Verdict::Valid);
    let s2020 = r##"{"$defs":{"any":{}},"$ref":"#/$defs/any","type":"string"}"##;
    let s = schemas(&[source(None, s2020)]);
    assert!(matches!(s.validate("message", "3"), Verdict::Invalid(_)));
}

#[test]
fn a_file_that_is_not_json_is_named_with_its_line() {
    let err = Schemas::compile(&[source(None, "{\n  \"type\": \"object\",\n  oops\n}")])
        .expect_err("not JSON");
    let text = err.to_string();
    assert!(text.starts_with("tick.json:3:"), "{text}");
    assert!(text.contains("not JSON"), "{text}");
}

#[test]
fn a_file_that_is_not_a_schema_is_named_with_the_line_of_the_fault() {
    let bad = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"n\": {\"type\": 12}\n  }\n}";
    let err = Schemas::compile(&[source(None, bad)]).expect_err("not a schema");
    let text = err.to_string();
    assert!(text.starts_with("tick.json:4:"), "{text}");
    assert!(text.contains("/properties/n/type"), "{text}");
}

#[test]
fn a_ref_to_another_document_is_never_fetched() {
    let remote = r#"{"$ref":"http://127.0.0.1:9/schema.json"}"#;
    let err = Schemas::compile(&[source(None, remote)]).expect_err("a remote $ref");
    assert!(matches!(err, SchemaError::NotSchema { .. }), "{err}");
}

#[test]
fn errors_per_event_are_bounded() {
    let many = r#"{"items":{"type":"string"}}"#;
    let s = schemas(&[source(None, many)]);
    let data = format!("[{}]", vec!["1"; 100].join(","));
    assert_eq!(violations(s.validate("message", &data)).len(), MAX_ERRORS);
}

#[test]
fn rules_read_a_type_only_before_an_equals_sign_without_a_slash() {
    let rule: SchemaRule = "delta=s/d.json".parse().unwrap();
    assert_eq!(rule.event_type.as_deref(), Some("delta"));
    assert_eq!(rule.file, "s/d.json");
    let rule: SchemaRule = "./a=b.json".parse().unwrap();
    assert_eq!((rule.event_type, rule.file.as_str()), (None, "./a=b.json"));
    assert!("delta=".parse::<SchemaRule>().is_err());
}

#[test]
fn the_line_of_a_pointer_is_found_in_nested_text() {
    let text = "{\n \"a\": [1,\n  {\"b\": true}],\n \"c\": \"x\"\n}";
    assert_eq!(line_of(text, "/a/1/b"), 3);
    assert_eq!(line_of(text, "/c"), 4);
    assert_eq!(line_of(text, "/a/0"), 2);
    assert_eq!(line_of(text, "/missing"), 1);
    assert_eq!(line_of("\"unterminated", "/x"), 1);
}

#[test]
fn an_event_schema_sees_the_fields_the_block_had_and_data_pointers_sit_under_data() {
    let item = SchemaSource {
        event_type: None,
        target: Target::Event,
        file: "api.yaml itemSchema".into(),
        text: r#"{"type":"object","required":["data","id"],
            "properties":{"event":{"enum":["tick"]},"data":{"type":"string"},
            "id":{"type":"string"},"retry":{"type":"integer","maximum":5000}}}"#
            .into(),
    };
    let data = SchemaSource {
        target: Target::DataInEvent,
        ..source(None, TICK)
    };
    let s = schemas(&[item, data]);
    let fields = |event, data, id, retry| Fields {
        event,
        data,
        id,
        retry,
    };
    assert_eq!(
        s.validate_event(&fields(Some("tick"), r#"{"n":1}"#, Some("7"), Some(10))),
        Verdict::Valid
    );
    // No `event:` field is no `event` (not a default `message`); no own id is no `id`.
    let v = violations(s.validate_event(&fields(None, r#"{"n":1}"#, None, None)));
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(
        (v[0].pointer.as_str(), v[0].rule.as_str()),
        ("", "required")
    );
    let v =
        violations(s.validate_event(&fields(Some("tock"), r#"{"n":-1}"#, Some("8"), Some(9000))));
    let found: Vec<(&str, &str)> = v
        .iter()
        .map(|v| (v.pointer.as_str(), v.rule.as_str()))
        .collect();
    assert!(found.contains(&("/event", "enum")), "{found:?}");
    assert!(found.contains(&("/retry", "maximum")), "{found:?}");
    assert!(found.contains(&("/data/n", "minimum")), "{found:?}");
    let v = violations(s.validate_event(&fields(Some("tick"), "not json", Some("9"), None)));
    assert_eq!(
        (v[0].pointer.as_str(), v[0].rule.as_str()),
        ("/data", "json")
    );
    // The end marker stays exempt.
    assert_eq!(
        s.validate_event(&fields(None, "[DONE]", None, None)),
        Verdict::Valid
    );
}
