use serde_json::json;

use super::*;

#[test]
fn the_example_lists_required_properties_first_then_the_others_by_name() {
    let schema = json!({
        "type": "object",
        "properties": {
            "alpha": {"type": "string"},
            "zulu": {"type": "integer"},
            "mike": {"type": "boolean"},
            "count": {"type": "number"},
        },
        "required": ["zulu", "count"],
    });
    assert_eq!(
        example_text(&schema),
        "{\n  \"zulu\": 0,\n  \"count\": 0,\n  \"alpha\": \"\",\n  \"mike\": false\n}"
    );
}

#[test]
fn a_default_wins_over_an_enum_which_wins_over_the_type() {
    let schema = json!({
        "type": "object",
        "properties": {
            "a": {"type": "string", "enum": ["x", "y"], "default": "y"},
            "b": {"type": "string", "enum": ["first", "second"]},
            "c": {"type": "array", "items": {"type": "string"}},
            "d": {"type": ["null", "string"]},
            "e": {"const": 7},
            "f": {"default": {"nested": [1, 2]}},
        },
    });
    let value: Value = serde_json::from_str(&example_text(&schema)).unwrap();
    assert_eq!(
        value,
        json!({"a": "y", "b": "first", "c": [], "d": "", "e": 7, "f": {"nested": [1, 2]}})
    );
}

#[test]
fn nested_objects_get_their_own_properties_down_to_a_limited_depth() {
    let schema = json!({
        "type": "object",
        "properties": {
            "outer": {
                "type": "object",
                "required": ["b"],
                "properties": {"a": {"type": "integer"}, "b": {"type": "string"}},
            },
            "empty": {"type": "object"},
        },
    });
    assert_eq!(
        example_text(&schema),
        "{\n  \"empty\": {},\n  \"outer\": {\n    \"b\": \"\",\n    \"a\": 0\n  }\n}"
    );
    // A schema that refers to itself ends, at the depth limit.
    let endless = json!({
        "type": "object",
        "properties": {"next": {"$ref": "#"}},
    });
    let text = example_text(&endless);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert!(value.pointer("/next/next/next").is_some(), "{text}");
    assert!(depth(&value) <= EXAMPLE_DEPTH + 1, "{text}");
}

#[test]
fn refs_to_defs_are_followed_and_odd_schemas_give_an_empty_object() {
    let schema = json!({
        "type": "object",
        "properties": {"when": {"$ref": "#/$defs/time"}, "gone": {"$ref": "#/nowhere"}},
        "$defs": {"time": {"type": "string", "default": "now"}},
    });
    let value: Value = serde_json::from_str(&example_text(&schema)).unwrap();
    assert_eq!(value, json!({"when": "now", "gone": null}));
    for odd in [
        json!(null),
        json!("string"),
        json!({"type": "string"}),
        json!([1]),
    ] {
        assert_eq!(example_text(&odd), "{}", "{odd}");
    }
}

#[test]
fn a_value_that_fits_the_schema_matches() {
    let schema = json!({
        "type": "object",
        "properties": {"temperature": {"type": "number"}, "unit": {"enum": ["C", "F"]}},
        "required": ["temperature", "unit"],
    });
    assert_eq!(
        check(&schema, &json!({"temperature": 21.5, "unit": "C"})),
        SchemaCheck::Matches
    );
}

#[test]
fn each_violation_names_where_and_why() {
    let schema = json!({
        "type": "object",
        "properties": {
            "temperature": {"type": "number"},
            "readings": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["temperature", "unit"],
    });
    let value = json!({"temperature": "warm", "readings": [1, 2.5]});
    let SchemaCheck::Violations(found) = check(&schema, &value) else {
        panic!("violations expected");
    };
    let paths: Vec<&str> = found.iter().map(|v| v.path.as_str()).collect();
    assert!(paths.contains(&"/temperature"), "{found:?}");
    assert!(paths.contains(&"/readings/1"), "{found:?}");
    assert!(
        paths.contains(&""),
        "the missing property is the object's: {found:?}"
    );
    let missing = found.iter().find(|v| v.path.is_empty()).unwrap();
    assert!(missing.why.contains("unit"), "{missing:?}");
    let wrong = found.iter().find(|v| v.path == "/temperature").unwrap();
    assert!(wrong.why.contains("number"), "{wrong:?}");
}

#[test]
fn a_remote_ref_is_not_fetched_and_a_bad_schema_is_unusable() {
    let remote = json!({"$ref": "https://ssetui-check.invalid/schema.json"});
    assert!(matches!(
        check(&remote, &json!(1)),
        SchemaCheck::Unusable(_)
    ));
    let bad = json!({"type": 12});
    assert!(matches!(check(&bad, &json!(1)), SchemaCheck::Unusable(_)));
}

#[test]
fn deep_schemas_and_values_are_refused_without_walking_them() {
    let mut deep = json!({});
    for _ in 0..100 {
        deep = json!({"items": deep});
    }
    assert!(matches!(check(&deep, &json!([])), SchemaCheck::Unusable(_)));
    let mut value = json!(1);
    for _ in 0..100 {
        value = json!([value]);
    }
    let recursive = json!({"items": {"$ref": "#"}});
    assert!(matches!(
        check(&recursive, &value),
        SchemaCheck::Unusable(_)
    ));
    let mut shallow = json!(1);
    for _ in 0..MAX_DEPTH {
        shallow = json!([shallow]);
    }
    assert_eq!(check(&recursive, &shallow), SchemaCheck::Matches);
}

#[test]
fn violations_are_capped() {
    let schema = json!({"type": "array", "items": {"type": "string"}});
    let value = Value::Array((0..500).map(Value::from).collect());
    let SchemaCheck::Violations(found) = check(&schema, &value) else {
        panic!("violations expected");
    };
    assert_eq!(found.len(), MAX_VIOLATIONS);
}

#[test]
fn hostile_schemas_give_an_answer_not_a_panic_or_a_hang() {
    let long = json!("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
    let unusable = |schema: Value| match check(&schema, &long) {
        SchemaCheck::Unusable(why) => why,
        other => panic!("{schema}: {other:?}"),
    };
    assert!(unusable(json!({"$ref": "#/nowhere"})).contains("/nowhere"));
    assert!(unusable(json!({"pattern": "(unclosed"})).contains("regex"));
    assert!(unusable(json!({"$schema": "https://ssetui-check.invalid/x"})).contains("meta-schema"));
    assert!(unusable(json!({"properties": {"a": {"$dynamicRef": "#meta"}}})).contains("meta"));
    // A reference to itself, a backtracking pattern, an absurd bound: answered at once.
    for schema in [
        json!({"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}),
        json!({"allOf": [{"$ref": "#"}]}),
        json!({"type": "string", "pattern": "(a*)*$"}),
        json!({"multipleOf": 1e-300}),
    ] {
        assert_eq!(check(&schema, &long), SchemaCheck::Matches, "{schema}");
    }
    let absurd = json!({"type": "string", "minLength": u64::MAX});
    assert!(matches!(check(&absurd, &long), SchemaCheck::Violations(v) if v.len() == 1));
}
