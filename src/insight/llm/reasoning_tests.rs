//! Reasoning shapes, one fixture per API, hand-written from each
//! provider's documented streaming format (cited in `reasoning.rs`).

use std::time::{Duration, SystemTime};

use super::*;

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// Feeds `(event type, data)` pairs 100 ms apart from a request sent at t0.
fn feed(events: &[(&str, &str)]) -> Transcript {
    let mut t = Transcript::new();
    t.set_started(t0());
    for (i, (event_type, data)) in events.iter().enumerate() {
        let at = t0() + Duration::from_millis(100 * (i as u64 + 1));
        t.push(event_type, data, at);
    }
    t
}

fn ms(n: u64) -> Option<Duration> {
    Some(Duration::from_millis(n))
}

#[test]
fn deepseek_reasoning_content_is_apart_from_the_answer_with_both_first_token_times() {
    let t = feed(&[
        (
            "",
            r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"finish_reason":null}]}"#,
        ),
        (
            "",
            r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Let me"},"finish_reason":null}]}"#,
        ),
        (
            "",
            r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":null,"reasoning_content":" think."},"finish_reason":null}]}"#,
        ),
        (
            "",
            r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi","reasoning_content":null},"finish_reason":null}]}"#,
        ),
        (
            "",
            r#"{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,"completion_tokens_details":{"reasoning_tokens":12}}}"#,
        ),
        ("", "[DONE]"),
    ]);
    assert_eq!(t.reasoning(), "Let me think.");
    assert_eq!(t.text(), "Hi!");
    assert_eq!(t.time_to_first_reasoning_token(), ms(200));
    assert_eq!(t.time_to_first_token(), ms(400));
    assert_eq!(t.reasoning_chunks(), 2);
    assert_eq!(t.content_chunks(), 2, "reasoning is not an answer chunk");
    assert_eq!(t.usage().and_then(|u| u.reasoning), Some(12));
    let summary = t.summary();
    assert!(summary.contains("reasoning 13 chars"), "{summary}");
    assert!(
        summary.contains("time to first reasoning token 200 ms"),
        "{summary}"
    );
    assert!(summary.contains("time to first token 400 ms"), "{summary}");
    assert!(summary.contains("reasoning tokens 12"), "{summary}");
}

#[test]
fn openrouter_reasoning_field_is_read_and_a_duplicate_is_not_doubled() {
    let t = feed(&[
        (
            "",
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Weighing options."}}]}"#,
        ),
        // vLLM versions in between send the text under both names.
        (
            "",
            r#"{"choices":[{"index":0,"delta":{"reasoning":" Done.","reasoning_content":" Done."}}]}"#,
        ),
        (
            "",
            r#"{"choices":[{"index":0,"delta":{"content":"Yes."},"finish_reason":"stop"}]}"#,
        ),
    ]);
    assert_eq!(t.reasoning(), "Weighing options. Done.");
    assert_eq!(t.text(), "Yes.");
    assert!(
        t.summary().contains("reasoning tokens not reported"),
        "{}",
        t.summary()
    );
}

#[test]
fn openai_responses_summary_parts_are_paragraphs_and_reasoning_tokens_come_from_usage() {
    let t = feed(&[
        (
            "response.created",
            r#"{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","status":"in_progress","output":[]}}"#,
        ),
        (
            "response.reasoning_summary_text.delta",
            r#"{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":0,"delta":"**Planning** the reply.","sequence_number":3}"#,
        ),
        (
            "response.reasoning_summary_text.delta",
            r#"{"type":"response.reasoning_summary_text.delta","item_id":"rs_1","output_index":0,"summary_index":1,"delta":"Checking facts.","sequence_number":4}"#,
        ),
        (
            "response.reasoning_text.delta",
            r#"{"type":"response.reasoning_text.delta","item_id":"rs_2","output_index":1,"content_index":0,"delta":"Raw thought.","sequence_number":5}"#,
        ),
        (
            "response.output_text.delta",
            r#"{"type":"response.output_text.delta","item_id":"msg_1","output_index":2,"content_index":0,"delta":"Answer.","sequence_number":6}"#,
        ),
        (
            "response.completed",
            r#"{"type":"response.completed","sequence_number":7,"response":{"id":"resp_1","status":"completed","usage":{"input_tokens":5,"output_tokens":40,"output_tokens_details":{"reasoning_tokens":32},"total_tokens":45}}}"#,
        ),
    ]);
    assert_eq!(
        t.reasoning(),
        "**Planning** the reply.\n\nChecking facts.\n\nRaw thought."
    );
    assert_eq!(t.text(), "Answer.");
    assert_eq!(t.shape(), Some(Shape::OpenAiResponses));
    assert_eq!(t.usage().and_then(|u| u.reasoning), Some(32));
    assert_eq!(t.time_to_first_reasoning_token(), ms(200));
    assert_eq!(t.time_to_first_token(), ms(500));
}

#[test]
fn anthropic_thinking_is_reasoning_and_signatures_and_redacted_blocks_are_only_counted() {
    let secret = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP";
    let redacted = format!(
        r#"{{"type":"content_block_start","index":1,"content_block":{{"type":"redacted_thinking","data":"{secret}"}}}}"#
    );
    let signature = format!(
        r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"signature_delta","signature":"{secret}"}}}}"#
    );
    let t = feed(&[
        (
            "message_start",
            r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":12,"output_tokens":1}}}"#,
        ),
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"I need to find "}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"the GCD."}}"#,
        ),
        ("content_block_delta", &signature),
        (
            "content_block_stop",
            r#"{"type":"content_block_stop","index":0}"#,
        ),
        ("content_block_start", &redacted),
        (
            "content_block_stop",
            r#"{"type":"content_block_stop","index":1}"#,
        ),
        (
            "content_block_start",
            r#"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#,
        ),
        (
            "content_block_delta",
            r#"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"It is 6."}}"#,
        ),
        (
            "message_delta",
            r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":90}}"#,
        ),
        ("message_stop", r#"{"type":"message_stop"}"#),
    ]);
    assert_eq!(t.reasoning(), "I need to find the GCD.");
    assert_eq!(t.text(), "It is 6.");
    assert_eq!(t.reasoning_signatures(), 1);
    assert_eq!(t.redacted_reasoning(), 1);
    assert_eq!(t.time_to_first_reasoning_token(), ms(300));
    assert_eq!(t.time_to_first_token(), ms(1000));
    let summary = t.summary();
    assert!(!summary.contains(secret), "{summary}");
    assert!(!t.reasoning().contains(secret) && !t.text().contains(secret));
    assert!(
        summary.contains("1 redacted block (not shown)"),
        "{summary}"
    );
    assert_eq!(t.end_marker(), Some(EndMarker::MessageStop));
}

#[test]
fn a_stream_of_only_redacted_thinking_still_has_a_first_reasoning_time() {
    let t = feed(&[(
        "content_block_start",
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"abc"}}"#,
    )]);
    assert!(t.has_reasoning());
    assert_eq!(t.reasoning(), "");
    assert_eq!(t.time_to_first_reasoning_token(), ms(100));
}

#[test]
fn gemini_thought_parts_are_reasoning_and_thoughts_token_count_is_read() {
    let t = feed(&[
        (
            "",
            r#"{"candidates":[{"content":{"parts":[{"text":"**Considering the question**\nThe user asks...","thought":true}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":8,"totalTokenCount":8},"modelVersion":"gemini-2.5-flash"}"#,
        ),
        (
            "",
            r#"{"candidates":[{"content":{"parts":[{"text":"Paris."}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":8,"candidatesTokenCount":2,"totalTokenCount":130,"thoughtsTokenCount":120}}"#,
        ),
    ]);
    assert_eq!(
        t.reasoning(),
        "**Considering the question**\nThe user asks..."
    );
    assert_eq!(t.text(), "Paris.");
    assert_eq!(t.usage().and_then(|u| u.reasoning), Some(120));
    assert_eq!(t.time_to_first_reasoning_token(), ms(100));
    assert_eq!(t.time_to_first_token(), ms(200));
}

#[test]
fn ollama_thinking_in_chat_and_generate() {
    let chat = feed(&[
        (
            "",
            r#"{"model":"qwen3","created_at":"2025-05-29T09:35:56.8Z","message":{"role":"assistant","content":"","thinking":"Hmm,"},"done":false}"#,
        ),
        (
            "",
            r#"{"model":"qwen3","created_at":"2025-05-29T09:35:56.9Z","message":{"role":"assistant","content":"","thinking":" easy."},"done":false}"#,
        ),
        (
            "",
            r#"{"model":"qwen3","created_at":"2025-05-29T09:35:57.0Z","message":{"role":"assistant","content":"4"},"done":false}"#,
        ),
        (
            "",
            r#"{"model":"qwen3","created_at":"2025-05-29T09:35:57.1Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":11,"eval_count":9}"#,
        ),
    ]);
    assert_eq!(chat.reasoning(), "Hmm, easy.");
    assert_eq!(chat.text(), "4");
    assert_eq!(chat.time_to_first_reasoning_token(), ms(100));
    assert_eq!(chat.time_to_first_token(), ms(300));
    let generate = feed(&[
        (
            "",
            r#"{"model":"qwen3","response":"","thinking":"Sum it.","done":false}"#,
        ),
        (
            "",
            r#"{"model":"qwen3","response":"4","done":true,"done_reason":"stop"}"#,
        ),
    ]);
    assert_eq!(generate.reasoning(), "Sum it.");
    assert_eq!(generate.text(), "4");
}

#[test]
fn reasoning_stops_at_the_cap() {
    let mut t = Transcript::new();
    let big = "é".repeat(MAX_TEXT_BYTES / 2 + 1);
    let data = serde_json::json!({"choices":[{"index":0,"delta":{"reasoning_content": big}}]});
    t.push("", &data.to_string(), t0());
    assert!(t.reasoning_truncated());
    assert!(t.reasoning().len() <= MAX_TEXT_BYTES);
    assert!(t.summary().contains("(cut at 16 MiB)"));
}

#[test]
fn hostile_reasoning_fields_never_panic() {
    for data in [
        r#"{"choices":[{"delta":{"reasoning_content":5,"reasoning":["x"]}}]}"#,
        r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":7}}"#,
        r#"{"type":"content_block_delta","index":"x","delta":{"type":"thinking_delta","thinking":null}}"#,
        r#"{"type":"response.reasoning_summary_text.delta","summary_index":-1,"delta":3}"#,
        r#"{"candidates":[{"content":{"parts":[{"thought":true}]}}],"usageMetadata":{"thoughtsTokenCount":-3}}"#,
        r#"{"message":{"thinking":{}},"done":false,"thinking":[1]}"#,
        r#"{"choices":[],"usage":{"completion_tokens_details":7}}"#,
    ] {
        let mut t = Transcript::new();
        t.push("message", data, t0());
        assert_eq!(t.reasoning(), "", "{data}");
        let _ = t.summary();
    }
}
