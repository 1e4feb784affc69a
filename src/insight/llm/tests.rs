use std::time::{Duration, SystemTime};

use super::*;

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn ms(n: u64) -> SystemTime {
    t0() + Duration::from_millis(n)
}

#[test]
fn interleaved_other_events_are_counted_not_read() {
    let mut t = Transcript::new();
    t.push("message", "hello", ms(1));
    t.push("tick", r#"{"n":1}"#, ms(2));
    t.push(
        "message",
        r#"{"choices":[{"index":0,"delta":{"content":"Hi"}}]}"#,
        ms(3),
    );
    assert_eq!(t.text(), "Hi");
    assert_eq!(t.other_events(), 2);
    assert_eq!(t.llm_events(), 1);
    assert_eq!(t.shape(), Some(Shape::OpenAiChat));
}

#[test]
fn hostile_input_never_panics() {
    let mut t = Transcript::with_path(ContentPath::parse("a[0].b").ok());
    let deep = "[".repeat(10_000);
    for data in [
        "",
        "{",
        &deep,
        "null",
        "[1,2]",
        r#"{"choices":5}"#,
        r#"{"choices":[{"delta":{"tool_calls":[{"index":-1}]}}]}"#,
        r#"{"choices":[{"delta":{"tool_calls":"x"}}],"usage":7}"#,
        r#"{"type":"content_block_delta","index":"x","delta":null}"#,
        r#"{"type":"response.completed","response":3}"#,
        r#"{"candidates":[{"content":{"parts":[{"functionCall":1}]}}]}"#,
        r#"{"error":null}"#,
        r#"{"usage":{"prompt_tokens":18446744073709551615,"completion_tokens":5}}"#,
    ] {
        t.push("message", data, ms(1));
        t.push("error", data, ms(1));
    }
    t.push("message", "x", t0() - Duration::from_secs(10));
    assert!(
        t.errors().iter().any(|e| e.text == "[1,2]"),
        "an error event's array"
    );
    let _ = t.summary();
    assert!(t.time_to_first_token().is_none());
}

#[test]
fn usage_total_overflow_is_none() {
    let usage = Usage {
        input: Some(u64::MAX),
        output: Some(1),
        total: None,
        reasoning: None,
    };
    assert_eq!(usage.total(), None);
}

#[test]
fn text_stops_at_the_cap() {
    let mut t = Transcript::with_path(ContentPath::parse(".t").ok());
    let big = "é".repeat(MAX_TEXT_BYTES / 2 + 1);
    let data = serde_json::json!({ "t": big }).to_string();
    t.push("message", &data, ms(1));
    assert!(t.text_truncated());
    assert!(t.text().len() <= MAX_TEXT_BYTES);
}

#[test]
fn content_paths_parse_with_or_without_the_dot() {
    assert!(ContentPath::parse("choices[0].delta.content").is_ok());
    assert!(ContentPath::parse(".message.content").is_ok());
    assert!(ContentPath::parse(".a == 1").is_err());
    assert!(ContentPath::parse(".a[").is_err());
    let path = ContentPath::parse("  choices[0].delta.content ").unwrap();
    assert_eq!(path.to_string(), ".choices[0].delta.content");
}

fn text_at(path: &str, value: serde_json::Value) -> Option<String> {
    let path = ContentPath::parse(path).expect("parses");
    path.text(&value).map(str::to_owned)
}

#[test]
fn a_content_path_reads_keys_indexes_and_quoted_keys() {
    let v = serde_json::json!({"a": {"b": ["x", null, 3, {"c-d": "y"}]}, "a b": {"c": "z"}});
    assert_eq!(text_at(".a.b[0]", v.clone()).as_deref(), Some("x"));
    assert_eq!(text_at("a.b[3].c-d", v.clone()).as_deref(), Some("y"));
    assert_eq!(text_at(".\"a b\".c", v.clone()).as_deref(), Some("z"));
    // Only strings are text: null, numbers, missing and mistyped steps give none.
    for path in [
        ".a.b[1]", ".a.b[2]", ".a.b[9]", ".a.c", ".a.b.c", ".a[0]", ".",
    ] {
        assert_eq!(text_at(path, v.clone()), None, "{path}");
    }
    assert_eq!(text_at(".", serde_json::json!("w")).as_deref(), Some("w"));
    assert_eq!(
        text_at(".[1]", serde_json::json!([0, "v"])).as_deref(),
        Some("v")
    );
}

#[test]
fn malformed_content_paths_are_errors_not_panics() {
    for text in [
        ".a ~ 3",
        ".a ==",
        ".a[x]",
        ".a..b",
        ".\"a",
        "é",
        ".a b",
        ".a[99999999999999999999999]",
    ] {
        assert!(
            ContentPath::parse(text).is_err(),
            "{text:?} should not parse"
        );
    }
    let err = ContentPath::parse(".a > 1").unwrap_err().to_string();
    assert!(err.contains("a text path is only a path"), "{err}");
}

#[test]
fn errors_are_capped_and_counted() {
    let mut t = Transcript::new();
    for _ in 0..MAX_ERRORS + 5 {
        t.push("error", "boom", ms(1));
    }
    assert_eq!(t.errors().len(), MAX_ERRORS);
    assert_eq!(t.errors_dropped(), 5);
}
