use super::answer::{REASONING, Script, answer, tokenize};
use super::request::{Ask, read, read_body};
use super::*;

#[test]
fn answer_is_a_few_sentences_and_quotes_the_user() {
    let long = "word ".repeat(40);
    for user in [None, Some("hi"), Some(long.as_str())] {
        let tokens = tokenize(&answer(user));
        assert!((40..=80).contains(&tokens.len()), "{} tokens", tokens.len());
        assert_eq!(tokens.concat(), answer(user));
    }
    assert!(answer(Some("what  is\nSSE?")).contains("\"what is SSE?\""));
    assert!(answer(Some(&long)).contains('…'));
}

#[test]
fn script_counts_reasoning_in_the_completion() {
    let messages = [("user".to_owned(), "two words".to_owned())];
    let plain = Script::new("m".into(), &messages, false);
    let thinking = Script::new("m".into(), &messages, true);
    assert_eq!(plain.prompt_tokens, 5);
    assert_eq!(plain.text(), thinking.text());
    assert_eq!(thinking.reasoning(), REASONING);
    assert_eq!(
        thinking.completion_tokens(),
        plain.completion_tokens() + tokenize(REASONING).len() as u64
    );
}

#[test]
fn chat_body_errors_say_what_is_wrong() {
    assert!(read_body(b"{").unwrap_err().contains("EOF"));
    let bad = br#"{"messages":[{"role":"user","content":3}]}"#;
    assert!(read_body(bad).unwrap_err().contains("messages[0].content"));
    let (model, messages) = read_body(CHAT_SAMPLE_BODY.as_bytes()).unwrap();
    assert_eq!(model, "demo-1");
    assert_eq!(messages.len(), 2);
    assert_eq!(read_body(b" ").unwrap().1, Vec::new());
}

#[test]
fn each_api_reads_its_own_request_shape() {
    let ask = |api, body: &str| read(api, body.as_bytes()).unwrap();
    let responses = ask(Api::Responses, RESPONSES_SAMPLE_BODY);
    assert_eq!(
        responses.messages,
        [
            (
                "system".to_owned(),
                "You are a helpful assistant.".to_owned()
            ),
            (
                "user".to_owned(),
                "Explain Server-Sent Events in one paragraph.".to_owned()
            )
        ]
    );
    assert!(responses.stream && !responses.reasoning);
    let messages = ask(Api::Anthropic, MESSAGES_SAMPLE_BODY);
    assert_eq!(messages.messages, responses.messages);
    let items = ask(
        Api::Responses,
        r#"{"input":[{"role":"user","content":[{"type":"input_text","text":"hi"}]},{"type":"function_call_output","call_id":"c","output":"x"}],"reasoning":{"effort":"low"}}"#,
    );
    assert_eq!(items.messages, [("user".to_owned(), "hi".to_owned())]);
    assert!(items.reasoning && !items.stream);
    let Ask {
        model,
        stream,
        reasoning,
        include_usage,
        ..
    } = ask(
        Api::OpenAiChat,
        r#"{"model":"gpt-x","messages":[],"stream":true,"stream_options":{"include_usage":true},"reasoning_effort":"high"}"#,
    );
    assert_eq!(model, "gpt-x");
    assert!(stream && reasoning && include_usage);
    let thinking = ask(
        Api::Anthropic,
        r#"{"messages":[],"thinking":{"type":"enabled","budget_tokens":1024}}"#,
    );
    assert!(thinking.reasoning && !thinking.stream);
    let ollama = ask(Api::Ollama, r#"{"messages":[],"think":true}"#);
    assert!(
        ollama.reasoning && ollama.stream,
        "Ollama streams by default"
    );
}

#[test]
fn a_body_without_messages_or_not_json_is_refused_saying_why() {
    for api in [Api::OpenAiChat, Api::Anthropic, Api::Ollama] {
        let e = read(api, b"{\"model\":\"m\"}").unwrap_err();
        assert!(e.contains("\"messages\""), "{e}");
        let e = read(api, b"not json").unwrap_err();
        assert!(e.contains("not a valid") && e.contains(api.path()), "{e}");
    }
    let e = read(Api::Responses, b"{\"messages\":[]}").unwrap_err();
    assert!(e.contains("\"input\""), "{e}");
    let e = read(Api::OpenAiChat, b"[1]").unwrap_err();
    assert!(e.contains("JSON object"), "{e}");
}
