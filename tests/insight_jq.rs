//! jq-style filters and extraction columns on event data, as the UI and
//! `print` use them: realistic LLM chunks, predicates, the standard library,
//! bad data, bad expressions and runaway expressions.

use std::time::{Duration, Instant};

use ssetui::insight::jq::{EXTRACT_MAX_BYTES, EXTRACT_MAX_OUTPUTS, Query, QueryError};

fn query(expr: &str) -> Query {
    match Query::compile(expr) {
        Ok(q) => q,
        Err(e) => panic!("`{expr}` should compile: {e}"),
    }
}

fn compile_error(expr: &str) -> QueryError {
    match Query::compile(expr) {
        Ok(q) => panic!("`{expr}` should not compile, got {q:?}"),
        Err(e) => e,
    }
}

const OPENAI_ROLE: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#;
const OPENAI_TEXT: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hello, wor"},"finish_reason":null}]}"#;
const OPENAI_STOP: &str = r#"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;
const ANTHROPIC_DELTA: &str =
    r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi there"}}"#;
const ANTHROPIC_STOP: &str = r#"{"type":"message_stop"}"#;

#[test]
fn openai_chunk_content_is_extracted_without_quotes() {
    let q = query(".choices[0].delta.content");
    assert_eq!(q.extract(OPENAI_TEXT).as_deref(), Some("Hello, wor"));
    assert_eq!(q.extract(OPENAI_ROLE).as_deref(), Some(""));
    // jq semantics: a missing key is null, shown as JSON.
    assert_eq!(q.extract(OPENAI_STOP).as_deref(), Some("null"));
}

#[test]
fn alternative_empty_hides_chunks_without_content() {
    let q = query(".choices[0].delta.content // empty");
    assert_eq!(q.extract(OPENAI_TEXT).as_deref(), Some("Hello, wor"));
    assert_eq!(q.extract(OPENAI_STOP), None);
    assert_eq!(q.extract("[DONE]"), None);
}

#[test]
fn event_type_predicate_selects_content_block_deltas() {
    let q = query(r#".type == "content_block_delta""#);
    assert!(q.holds(ANTHROPIC_DELTA));
    assert!(!q.holds(ANTHROPIC_STOP));
    assert!(!q.holds(OPENAI_TEXT));
}

#[test]
fn numeric_comparison_holds_only_above_the_bound() {
    let q = query(".n > 5");
    assert!(q.holds(r#"{"n":6}"#));
    assert!(q.holds(r#"{"n":5.5}"#));
    assert!(!q.holds(r#"{"n":5}"#));
    // jq orders null before numbers, so a missing key does not hold.
    assert!(!q.holds(r#"{"m":9}"#));
}

#[test]
fn has_error_spots_error_objects_and_fails_quietly_on_non_objects() {
    let q = query(r#"has("error")"#);
    assert!(q.holds(r#"{"error":{"type":"overloaded_error","message":"Overloaded"}}"#));
    assert!(!q.holds(ANTHROPIC_DELTA));
    // `has` on a string is a jq error: not "holds", and not a panic.
    assert!(!q.holds(r#""error""#));
    assert_eq!(q.extract("42"), None);
}

#[test]
fn select_keeps_the_value_only_when_the_predicate_holds() {
    let q = query(r#"select(.type == "content_block_delta") | .delta.text"#);
    assert_eq!(q.extract(ANTHROPIC_DELTA).as_deref(), Some("Hi there"));
    assert_eq!(q.extract(ANTHROPIC_STOP), None);
    assert!(q.holds(ANTHROPIC_DELTA));
    assert!(!q.holds(ANTHROPIC_STOP));
}

#[test]
fn standard_library_string_functions_work() {
    let data = r#"{"text":"Hello World","tags":["a","b","c"]}"#;
    assert!(query(r#".text | test("wor"; "i")"#).holds(data));
    assert!(!query(r#".text | test("xyz")"#).holds(data));
    assert_eq!(
        query(".text | ascii_downcase").extract(data).as_deref(),
        Some("hello world")
    );
    assert_eq!(query(".text | length").extract(data).as_deref(), Some("11"));
    assert_eq!(query(".tags | length").extract(data).as_deref(), Some("3"));
    assert_eq!(
        query(r#".tags | map(ascii_upcase) | join("-")"#)
            .extract(data)
            .as_deref(),
        Some("A-B-C")
    );
    assert!(query(".text | length > 10").holds(data));
}

#[test]
fn several_outputs_are_joined_with_a_space() {
    let data =
        r#"{"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b c"}},{"delta":{"n":1}}]}"#;
    let q = query(".choices[].delta | .content // .n");
    assert_eq!(q.extract(data).as_deref(), Some("a b c 1"));
    // `holds` looks at the first output only.
    assert!(!query("false, true").holds("{}"));
    assert!(query("true, false").holds("{}"));
}

#[test]
fn data_that_is_not_json_neither_holds_nor_extracts() {
    let q = query(".");
    for data in ["[DONE]", "", "hello", "{\"a\":", "NaN", "{} {}", "b\"x\""] {
        assert!(!q.holds(data), "{data:?} should not hold");
        assert_eq!(q.extract(data), None, "{data:?} should not extract");
    }
    // A bare JSON scalar is JSON.
    assert!(q.holds("1"));
    assert_eq!(q.extract(r#""plain""#).as_deref(), Some("plain"));
}

#[test]
fn deeply_nested_data_is_refused_not_a_stack_overflow() {
    let data = "[".repeat(100_000) + &"]".repeat(100_000);
    let q = query("length");
    assert!(!q.holds(&data));
    assert_eq!(q.extract(&data), None);
}

#[test]
fn runtime_errors_extract_nothing() {
    assert_eq!(query(".a.b").extract(r#"{"a":"str"}"#), None);
    assert_eq!(query(r#"error("boom")"#).extract("{}"), None);
    assert_eq!(query(".[]").extract("1"), None);
    assert!(!query(r#"error("boom")"#).holds("{}"));
}

#[test]
fn unclosed_bracket_is_reported_with_its_column() {
    let err = compile_error(".choices[0");
    assert!(err.message().contains("closing bracket"), "{err}");
    assert_eq!(err.column(), Some(11), "{err}");
    assert!(err.to_string().ends_with("at column 11"), "{err}");
}

#[test]
fn unknown_filter_names_the_filter_and_where_it_is() {
    let err = compile_error(".a | frobnicate");
    assert_eq!(err.to_string(), "unknown filter `frobnicate/0` at column 6");
}

#[test]
fn unknown_variable_is_named() {
    let err = compile_error(".a == $missing");
    assert!(err.message().contains("variable"), "{err}");
    assert!(err.message().contains("missing"), "{err}");
    assert_eq!(err.column(), Some(7), "{err}");
}

#[test]
fn misplaced_token_says_what_was_expected_and_found() {
    let err = compile_error(".a | | .b");
    assert!(err.message().contains("expected"), "{err}");
    assert!(err.message().contains('|'), "{err}");
    assert_eq!(err.column(), Some(6), "{err}");

    let err = compile_error("if .a then 1");
    assert!(err.message().contains("end"), "{err}");
}

#[test]
fn stray_character_is_named() {
    let err = compile_error(".a ] .b");
    assert_eq!(err.to_string(), "unexpected `]` at column 4");
}

#[test]
fn imports_are_refused_without_touching_files() {
    let err = compile_error(r#"import "mod" as m; m::f"#);
    assert!(err.message().contains("modules are not supported"), "{err}");
}

#[test]
fn odd_expressions_are_errors_not_panics() {
    for expr in [
        "",
        "   ",
        "(",
        "]",
        "\"unterminated",
        "\"\\q\"",
        "\"\\u12\"",
        "1e",
        "$",
        "@",
        "§",
        "{a;}",
        "import \"mod\" as m; .",
        "include \"mod\"; .",
        "input",
        "def f: ; f",
        ".[",
        "reduce . as $x",
    ] {
        let err = compile_error(expr);
        assert!(!err.message().is_empty(), "{expr:?}");
    }
}

#[test]
fn runaway_generators_are_cut_after_the_output_cap() {
    let started = Instant::now();

    let text = query("range(1e9)").extract("null").unwrap_or_default();
    let expected: Vec<String> = (0..EXTRACT_MAX_OUTPUTS).map(|n| n.to_string()).collect();
    assert_eq!(text, format!("{}…", expected.join(" ")));

    let text = query("repeat(.)").extract(r#""ab""#).unwrap_or_default();
    assert_eq!(text.matches("ab").count(), EXTRACT_MAX_OUTPUTS);
    assert!(text.ends_with('…'));

    assert!(query("repeat(.)").holds("1"));
    // The first output, 0, is truthy in jq; nothing after it is computed.
    assert!(query("range(1e18)").holds("null"));

    // Generous: each of these takes microseconds; unbounded would never return.
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn long_output_is_cut_at_the_byte_cap() {
    let long = "x".repeat(EXTRACT_MAX_BYTES * 3);
    let data = serde_json::json!({ "s": long, "a": [long, long] }).to_string();

    let text = query(".s").extract(&data).unwrap_or_default();
    assert_eq!(text.len(), EXTRACT_MAX_BYTES + '…'.len_utf8());
    assert!(text.ends_with('…'));

    let text = query(".a").extract(&data).unwrap_or_default();
    assert!(text.starts_with("[\"xxx"));
    assert_eq!(text.len(), EXTRACT_MAX_BYTES + '…'.len_utf8());

    // A value built by the expression is cut while it is formatted.
    let text = query("[range(100000)]").extract("null").unwrap_or_default();
    assert!(text.starts_with("[0,1,2,"));
    assert!(text.len() <= EXTRACT_MAX_BYTES + '…'.len_utf8());
}

#[test]
fn queries_compare_by_expression_and_clone_cheaply() {
    let a = query(".x");
    let b = a.clone();
    assert_eq!(a, b);
    assert_eq!(a, query(".x"));
    assert_ne!(a, query(".y"));
    assert_eq!(b.expr(), ".x");
    assert_eq!(b.extract(r#"{"x":1}"#).as_deref(), Some("1"));
}

#[test]
fn a_query_moves_to_another_thread() {
    let q = query(".n + 1");
    let handle = std::thread::spawn(move || q.extract(r#"{"n":41}"#));
    assert_eq!(handle.join().ok().flatten().as_deref(), Some("42"));
}

#[test]
fn edge_case_expressions_fail_or_answer_without_panicking() {
    let data = r#"{"s":"abc","n":3,"a":[1,2,3],"big":1e300}"#;
    for expr in [
        ".[1e300]",
        ".a[-1e300]",
        ".s[1e18:]",
        "[1114112]|implode",
        "[-1]|implode",
        ".s|@base64d",
        ".s|test(\"(\")",
        ".s|gsub(\"\";\"x\")",
        "1e300|todate",
        ".s|strptime(\"%Y\")",
        "nan|floor",
        "infinite|floor",
        ".a|join(1)",
        "9223372036854775807+1",
        "(-9223372036854775808) / -1",
        "(-9223372036854775808) % -1",
        "5 % 0",
        "limit(-1; 1,2)",
        "[]|.[-1]=1",
        "\"1e1000\"|tonumber",
        "\"ab\"*1e18|length",
        ".a[100000000000000000000000000000]",
        "tojson|.[1:]|fromjson",
        "error(null)",
    ] {
        let q = query(expr);
        let _ = q.holds(data);
        let _ = q.extract(data);
    }
    assert_eq!(query("5 % 0").extract(data), None);
    assert_eq!(
        query("[[1,2],[3]]|combinations").extract(data).as_deref(),
        Some("[1,3] [2,3]")
    );
}
