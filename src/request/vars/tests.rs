use super::*;

fn staging() -> Vars {
    Vars::new()
        .with(
            VarSource::Settings,
            [("base_url", "http://settings"), ("org", "from-settings")],
        )
        .with(
            VarSource::Profile("p".into()),
            [("org", "from-profile"), ("model", "m1")],
        )
        .with(
            VarSource::Environment("staging".into()),
            [("base_url", "https://staging.example"), ("model", "m2")],
        )
        .with(VarSource::Explicit, [("model", "m3")])
}

#[test]
fn a_name_is_looked_up_explicit_then_environment_then_profile_then_settings() {
    let vars = staging();
    assert_eq!(vars.lookup("model"), Some(("m3", &VarSource::Explicit)));
    assert_eq!(
        vars.lookup("base_url"),
        Some((
            "https://staging.example",
            &VarSource::Environment("staging".into())
        ))
    );
    assert_eq!(vars.get("org"), Some("from-profile"));
    let settings_only = Vars::new().with(VarSource::Settings, [("org", "s")]);
    assert_eq!(settings_only.get("org"), Some("s"));
    assert_eq!(vars.environment(), Some("staging"));
}

#[test]
fn placeholders_are_replaced_and_other_text_kept() {
    let vars = staging();
    assert_eq!(
        vars.fill("the URL", "{{base_url}}/v1/{{org}}/chat?m={{model}}"),
        Ok("https://staging.example/v1/from-profile/chat?m=m3".into())
    );
    assert_eq!(vars.fill("x", "no braces"), Ok("no braces".into()));
    assert_eq!(
        vars.fill("x", "{{a.b-c_1}}"),
        Err(vars.undefined("a.b-c_1", "x"))
    );
}

#[test]
fn four_braces_write_two() {
    let vars = staging();
    assert_eq!(vars.fill("x", "{{{{model}}"), Ok("{{model}}".into()));
    assert_eq!(vars.fill("x", "a{{{{"), Ok("a{{".into()));
    assert_eq!(
        vars.fill("x", "{{{{{{model}}"),
        Ok("{{m3".into()),
        "the escape, then a placeholder"
    );
}

#[test]
fn template_bodies_are_left_as_written() {
    let vars = Vars::new();
    for text in [
        "Hello {{ user }}!",
        "{{#if admin}}yes{{/if}}",
        "{{{raw}}}",
        "{{> partial}}",
        "{{1st}}",
        "{{}}",
        "{{unclosed",
        "{{name}",
        r#"{"prompt": "{{ question | upper }}"}"#,
    ] {
        assert_eq!(vars.fill("the body", text).as_deref(), Ok(text), "{text}");
    }
    assert_eq!(
        vars.fill_bytes("the body", vec![0xff, b'{', b'{', b'x', b'}', b'}']),
        Ok(vec![0xff, b'{', b'{', b'x', b'}', b'}']),
        "not UTF-8: not a template"
    );
}

#[test]
fn an_undefined_name_is_an_error_naming_it_and_the_field() {
    let err = staging()
        .fill("header \"X-Tenant\"", "t-{{tenant}}")
        .unwrap_err();
    assert_eq!(err.name, "tenant");
    assert_eq!(err.field, "header \"X-Tenant\"");
    let text = err.to_string();
    assert!(
        text.starts_with("header \"X-Tenant\": the variable {{tenant}} is not defined"),
        "{text}"
    );
    assert!(text.contains("environment \"staging\""), "{text}");
    let none = Vars::new().fill("the URL", "{{base_url}}/x").unwrap_err();
    assert!(none.to_string().contains("--env NAME"), "{none}");
}

#[test]
fn env_references_in_values_are_left_for_later() {
    let vars = Vars::new().with(
        VarSource::Environment("dev".into()),
        [("token", "${env:DEV_TOKEN}")],
    );
    assert_eq!(
        vars.fill("the Bearer token", "{{token}}"),
        Ok("${env:DEV_TOKEN}".into())
    );
    // A value is not read again for placeholders.
    let nested = Vars::new().with(VarSource::Settings, [("a", "{{b}}"), ("b", "x")]);
    assert_eq!(nested.fill("x", "{{a}}"), Ok("{{b}}".into()));
}

#[test]
fn names_follow_the_grammar() {
    for good in ["a", "_x", "base_url", "a.b", "a-b", "A9"] {
        assert!(is_var_name(good), "{good}");
    }
    for bad in ["", "1a", "-a", ".a", " a", "a b", "a}", "é"] {
        assert!(!is_var_name(bad), "{bad:?}");
    }
}

#[test]
fn pieces_tell_written_text_from_values() {
    let vars = staging();
    assert_eq!(
        vars.pieces("x", "Bearer {{model}}{{{{ ${env:X}"),
        Ok(vec![
            Piece::Written("Bearer ".into()),
            Piece::Value("m3".into()),
            Piece::Written("{{ ${env:X}".into()),
        ])
    );
    assert_eq!(vars.pieces("x", ""), Ok(Vec::new()));
}
