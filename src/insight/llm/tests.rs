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

#[test]
fn human_durations() {
    assert_eq!(human_duration(Duration::from_millis(850)), "850 ms");
    assert_eq!(human_duration(Duration::from_millis(2640)), "2.64 s");
    assert_eq!(human_duration(Duration::from_secs(185)), "3 min 05 s");
}
