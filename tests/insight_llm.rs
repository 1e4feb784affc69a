//! LLM transcripts: each API's documented stream shape (hand-written samples
//! in tests/fixtures/llm, one captured from the demo server's /chat, and the
//! demo server live), timing from controlled arrival times, errors and rate
//! limits, `print --transcript`'s writer, and Markdown drawn via `TestBackend`.

use std::time::{Duration, SystemTime};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ratatui::widgets::Paragraph;
use ssetui::insight::llm::{ContentPath, EndMarker, ErrorSource, Shape, Transcript, Usage};
use ssetui::print::transcript::TranscriptPrinter;
use ssetui::sse::{Event, Item, Parser};
use ssetui::ui::Theme;
use ssetui::ui::markdown::{self, MarkdownCache};

/// The request start every timed test uses.
fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn at_ms(ms: u64) -> SystemTime {
    t0() + Duration::from_millis(ms)
}

/// The events of a fixture, parsed by the crate's own SSE parser.
fn fixture(name: &str) -> Vec<Event> {
    let path = format!("{}/tests/fixtures/llm/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut items = Vec::new();
    let mut parser = Parser::default();
    parser.feed(&bytes, &mut items).expect("the fixture parses");
    parser.finish();
    items
        .into_iter()
        .filter_map(|item| match item {
            Item::Event(event) => Some(event),
            Item::Block(_) => None,
        })
        .collect()
}

/// Feeds `events` into `transcript`: the request starts at 0, the first event
/// arrives at `first_ms`, each next one `step_ms` later.
fn feed(transcript: &mut Transcript, events: &[Event], first_ms: u64, step_ms: u64) {
    transcript.set_started(t0());
    for (i, event) in events.iter().enumerate() {
        let at = at_ms(first_ms + i as u64 * step_ms);
        transcript.push(event.event_type(), &event.data, at);
    }
}

fn read(name: &str) -> Transcript {
    let mut transcript = Transcript::new();
    feed(&mut transcript, &fixture(name), 100, 10);
    transcript
}

fn usage(input: u64, output: u64, total: Option<u64>) -> Option<Usage> {
    Some(Usage {
        input: Some(input),
        output: Some(output),
        total,
        reasoning: None,
    })
}

#[test]
fn demo_chat_capture_assembles_the_answer_with_timing_usage_and_done() {
    let events = fixture("demo_chat.sse");
    // A role chunk, 65 token chunks, a finish chunk, a usage chunk, [DONE].
    assert_eq!(events.len(), 69);
    let t = read("demo_chat.sse");
    assert_eq!(t.shape(), Some(Shape::OpenAiChat));
    assert!(
        t.text()
            .starts_with("Hi! I am the ssetui demo model, streaming")
    );
    assert!(t.text().contains("You wrote: \"What is SSE?\"."));
    assert!(t.text().ends_with("to see a rate limit."));
    assert_eq!(t.end_marker(), Some(EndMarker::Done));
    assert_eq!(t.finish_reason(), Some("stop"));
    assert_eq!(t.usage(), usage(6, 65, Some(71)));
    assert_eq!(t.content_chunks(), 65);
    assert_eq!(t.llm_events(), 69);
    assert_eq!(t.other_events(), 0);
    // The role chunk (at 100 ms) carries no text: the first token is at 110 ms.
    assert_eq!(t.time_to_first_token(), Some(Duration::from_millis(110)));
    // 65 chunks 10 ms apart: 64 intervals in 640 ms.
    let rate = t.chunks_per_second().expect("a rate");
    assert!((rate - 100.0).abs() < 1e-6, "{rate}");
    // [DONE], the 69th event, at 100 + 68 × 10 ms.
    assert_eq!(t.duration(), Some(Duration::from_millis(780)));
    assert!(t.errors().is_empty());
    let summary = t.summary();
    for part in [
        "OpenAI chat completions",
        "time to first token 110 ms",
        "65 chunks at 100.0/s",
        "780 ms in all",
        "ended by [DONE] (finish reason stop)",
        "usage 6 in 65 out 71 total",
    ] {
        assert!(summary.contains(part), "{part:?} in {summary}");
    }
}

#[test]
fn demo_chat_error_is_a_mid_stream_error_without_an_end_marker() {
    let t = read("demo_chat_error.sse");
    assert_eq!(t.shape(), Some(Shape::OpenAiChat));
    assert_eq!(t.text(), "Hi! I am the ssetui");
    assert_eq!(t.end_marker(), None);
    let [error] = t.errors() else {
        panic!("one error: {:?}", t.errors())
    };
    assert_eq!(error.source, ErrorSource::Event);
    assert_eq!(
        error.text,
        "server_error: demo: simulated mid-stream failure"
    );
    assert_eq!(error.at, Some(at_ms(100 + 6 * 10)));
    assert!(!error.is_rate_limit());
    let summary = t.summary();
    assert!(summary.contains("no end marker"), "{summary}");
    assert!(summary.contains("1 error: server_error"), "{summary}");
}

#[test]
fn openai_chat_tool_call_arguments_are_assembled() {
    let t = read("openai_chat_tools.sse");
    assert_eq!(t.shape(), Some(Shape::OpenAiChat));
    assert_eq!(t.text(), "");
    let [call] = t.tool_calls() else {
        panic!("one call: {:?}", t.tool_calls())
    };
    assert_eq!(call.name, "get_weather");
    assert_eq!(call.id.as_deref(), Some("call_abc"));
    assert_eq!(call.arguments, r#"{"location":"Paris"}"#);
    assert_eq!(t.finish_reason(), Some("tool_calls"));
    assert_eq!(t.end_marker(), Some(EndMarker::Done));
    assert_eq!(t.usage(), usage(80, 17, Some(97)));
    // Argument deltas are tokens too: the first one is the second event.
    assert_eq!(t.content_chunks(), 2);
    assert_eq!(t.time_to_first_token(), Some(Duration::from_millis(110)));
}

#[test]
fn openai_responses_text_function_call_and_completion() {
    let t = read("openai_responses.sse");
    assert_eq!(t.shape(), Some(Shape::OpenAiResponses));
    assert_eq!(t.text(), "Hello, world");
    let [call] = t.tool_calls() else {
        panic!("one call: {:?}", t.tool_calls())
    };
    assert_eq!(call.name, "lookup");
    assert_eq!(call.id.as_deref(), Some("call_1"));
    assert_eq!(call.arguments, r#"{"q":"otters"}"#);
    assert_eq!(t.end_marker(), Some(EndMarker::ResponseCompleted));
    // The fixture's `output_tokens_details` says no reasoning: 0, not unknown.
    let reasoned = |u: Usage| Usage {
        reasoning: Some(0),
        ..u
    };
    assert_eq!(t.usage(), usage(36, 87, Some(123)).map(reasoned));
    assert_eq!(t.llm_events(), 11);
}

#[test]
fn openai_responses_failure_reports_both_errors() {
    let t = read("openai_responses_failed.sse");
    assert_eq!(t.text(), "Partial");
    let texts: Vec<(ErrorSource, &str)> = t
        .errors()
        .iter()
        .map(|e| (e.source, e.text.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            (ErrorSource::Event, "ERR_SOMETHING: Something went wrong"),
            (
                ErrorSource::Chunk,
                "server_error: The model failed to generate a response."
            ),
        ]
    );
    assert_eq!(t.end_marker(), None);
}

#[test]
fn anthropic_messages_text_tool_use_stop_reason_and_usage() {
    let t = read("anthropic.sse");
    assert_eq!(t.shape(), Some(Shape::Anthropic));
    assert_eq!(t.text(), "Okay, let me check the weather.");
    let [call] = t.tool_calls() else {
        panic!("one call: {:?}", t.tool_calls())
    };
    assert_eq!(call.name, "get_weather");
    assert_eq!(call.id.as_deref(), Some("toolu_1"));
    let args: serde_json::Value = serde_json::from_str(&call.arguments).expect("complete JSON");
    assert_eq!(args["location"], "San Francisco, CA");
    assert_eq!(t.finish_reason(), Some("tool_use"));
    assert_eq!(t.end_marker(), Some(EndMarker::MessageStop));
    // Input from message_start, the final output count from message_delta.
    let usage = t.usage().expect("usage");
    assert_eq!((usage.input, usage.output), (Some(472), Some(89)));
    assert_eq!(usage.total(), Some(561));
    // The ping belongs to the stream but carries nothing.
    assert_eq!(t.other_events(), 0);
    assert_eq!(t.content_chunks(), 4);
}

#[test]
fn anthropic_overloaded_error_mid_stream() {
    let t = read("anthropic_overloaded.sse");
    assert_eq!(t.text(), "Once upon");
    let [error] = t.errors() else {
        panic!("one error: {:?}", t.errors())
    };
    assert_eq!(error.source, ErrorSource::Event);
    assert_eq!(error.text, "overloaded_error: Overloaded");
    assert_eq!(t.end_marker(), None);
    assert_eq!(t.usage(), usage(12, 1, None));
}

#[test]
fn gemini_parts_finish_reason_and_usage_metadata() {
    let t = read("gemini.sse");
    assert_eq!(t.shape(), Some(Shape::Gemini));
    assert_eq!(t.text(), "The quick brown fox jumps.");
    assert_eq!(
        t.end_marker(),
        Some(EndMarker::FinishReason("STOP".to_owned()))
    );
    assert_eq!(t.usage(), usage(9, 6, Some(15)));
    assert_eq!(t.duration(), Some(Duration::from_millis(120)));
}

#[test]
fn a_cut_stream_has_no_end_marker_and_ignores_other_events() {
    let t = read("openai_chat_cut.sse");
    assert_eq!(t.text(), "Half an answer");
    assert_eq!(t.end_marker(), None);
    assert_eq!(t.finish_reason(), None);
    assert_eq!(t.usage(), None);
    assert_eq!(t.other_events(), 1, "the tick event");
    assert_eq!(t.llm_events(), 3);
    let summary = t.summary();
    assert!(summary.contains("no end marker"), "{summary}");
    assert!(summary.contains("1 other events ignored"), "{summary}");
}

#[test]
fn a_user_path_reads_an_unknown_api() {
    let events = fixture("custom_path.sse");
    let mut unknown = Transcript::new();
    feed(&mut unknown, &events, 100, 10);
    assert_eq!(unknown.shape(), None);
    assert_eq!(unknown.other_events(), 3);
    assert!(unknown.summary().contains("no LLM stream recognised"));

    let path = ContentPath::parse("output.text").expect("a path");
    let mut t = Transcript::with_path(Some(path));
    feed(&mut t, &events, 100, 10);
    assert_eq!(t.shape(), Some(Shape::JsonPath));
    assert_eq!(t.text(), "Why hello");
    assert_eq!(t.content_chunks(), 2);
    assert_eq!(t.end_marker(), None);
}

/// An NDJSON fixture as `--parse-as ndjson` delivers it: each line a `message` event.
fn read_ndjson(name: &str) -> Transcript {
    let path = format!("{}/tests/fixtures/llm/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut t = Transcript::new();
    t.set_started(t0());
    for (i, line) in text.lines().enumerate() {
        t.push("message", line, at_ms(100 + i as u64 * 10));
    }
    t
}

#[test]
fn ollama_chat_text_tool_call_done_reason_and_eval_counts() {
    let t = read_ndjson("ollama_chat.ndjson");
    assert_eq!(t.shape(), Some(Shape::Ollama));
    assert_eq!(
        t.text(),
        "The sky is blue.",
        "the thinking is not the answer"
    );
    let [call] = t.tool_calls() else {
        panic!("one call: {:?}", t.tool_calls())
    };
    assert_eq!(call.name, "get_weather");
    let args: serde_json::Value = serde_json::from_str(&call.arguments).expect("complete JSON");
    assert_eq!(args["city"], "Paris");
    assert_eq!(t.end_marker(), Some(EndMarker::OllamaDone));
    assert_eq!(t.finish_reason(), Some("stop"));
    assert_eq!(t.usage(), usage(26, 282, None));
    assert_eq!(t.usage().unwrap().total(), Some(308));
    assert_eq!(t.content_chunks(), 3, "two of text, one tool call");
    assert_eq!(t.time_to_first_token(), Some(Duration::from_millis(110)));
    assert!(t.summary().contains("Ollama"), "{}", t.summary());
}

#[test]
fn ollama_generate_streams_response_and_a_missing_model_is_an_error() {
    let t = read_ndjson("ollama_generate.ndjson");
    assert_eq!(t.shape(), Some(Shape::Ollama));
    assert_eq!(t.text(), "Why not");
    assert_eq!(t.finish_reason(), Some("length"));
    assert_eq!(t.end_marker(), Some(EndMarker::OllamaDone));
    assert_eq!(t.usage(), usage(5, 2, None));

    let mut missing = Transcript::new();
    missing.push("message", r#"{"error":"model 'llama9' not found"}"#, t0());
    let [error] = missing.errors() else {
        panic!("one error: {:?}", missing.errors())
    };
    assert_eq!(error.text, "model 'llama9' not found");
    assert_eq!(missing.end_marker(), None);
}

#[test]
fn a_user_path_overrides_the_shape_text_but_keeps_its_markers() {
    let path = ContentPath::parse(".id").expect("a path");
    let mut t = Transcript::with_path(Some(path));
    feed(&mut t, &fixture("openai_chat_tools.sse"), 100, 10);
    assert_eq!(t.text(), "chatcmpl-1".repeat(5));
    assert_eq!(t.end_marker(), Some(EndMarker::Done));
    assert_eq!(t.usage(), usage(80, 17, Some(97)));
}

#[test]
fn http_rate_limits_are_reported_with_retry_after() {
    let mut t = Transcript::new();
    t.note_http_error(
        429,
        Some(Duration::from_secs(2)),
        r#"{"error":{"type":"rate_limit_error","message":"slow down"}}"#,
    );
    let limit = t.rate_limit().expect("a rate limit");
    assert_eq!(limit.text, "rate_limit_error: slow down");
    assert_eq!(
        limit.source,
        ErrorSource::Http {
            status: 429,
            retry_after: Some(Duration::from_secs(2))
        }
    );
    let summary = t.summary();
    assert!(
        summary.contains("HTTP 429 (retry after 2 s) rate_limit_error: slow down"),
        "{summary}"
    );

    let mut overloaded = Transcript::new();
    overloaded.note_http_error(529, None, "");
    assert_eq!(
        overloaded.rate_limit().map(|e| e.text.as_str()),
        Some("HTTP 529")
    );
    let mut server = Transcript::new();
    server.note_http_error(500, None, "oops");
    assert!(server.rate_limit().is_none());
    assert_eq!(server.errors()[0].text, "oops");
}

#[test]
fn a_status_error_from_the_engine_is_noted() {
    let mut error = ssetui::sse::ConnError::new(
        ssetui::sse::ErrorKind::Status,
        "http://x/ answered 429 Too Many Requests",
    );
    error.status = Some(429);
    error.retry_after = Some(Duration::from_secs(5));
    let mut t = Transcript::new();
    t.note_conn_error(&error);
    t.note_conn_error(&ssetui::sse::ConnError::new(
        ssetui::sse::ErrorKind::Network,
        "reset",
    ));
    assert_eq!(t.errors().len(), 1, "only the status error");
    assert!(t.rate_limit().is_some());
}

#[test]
fn any_split_into_reads_gives_the_same_transcript() {
    let path = format!(
        "{}/tests/fixtures/llm/anthropic.sse",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(path).expect("fixture");
    let whole = read("anthropic.sse");
    for size in [1, 7, 64] {
        let mut parser = Parser::default();
        let mut t = Transcript::new();
        for piece in bytes.chunks(size) {
            let mut items = Vec::new();
            parser.feed(piece, &mut items).expect("parses");
            for item in items {
                if let Item::Event(e) = item {
                    t.push(e.event_type(), &e.data, at_ms(0));
                }
            }
        }
        assert_eq!(t.text(), whole.text(), "reads of {size}");
        assert_eq!(t.tool_calls(), whole.tool_calls());
    }
}

#[test]
fn printer_writes_only_new_text_and_summarises_at_the_end() {
    let events = fixture("demo_chat.sse");
    let mut printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), false);
    printer.set_started(t0());
    for (i, event) in events.iter().enumerate() {
        printer
            .push(event.event_type(), &event.data, at_ms(100 + 10 * i as u64))
            .expect("a Vec accepts");
        // Written as it streams: the output is always the text so far.
        assert_eq!(
            printer.get_ref().as_slice(),
            printer.transcript().text().as_bytes()
        );
    }
    let summary = printer.finish().expect("finishes");
    let text = printer.transcript().text().to_owned();
    let out = String::from_utf8(printer.into_inner()).expect("UTF-8");
    assert_eq!(out, format!("{text}\n"), "each piece once, then a newline");
    assert!(summary.starts_with("transcript: OpenAI chat completions"));
    assert!(summary.contains("ended by [DONE]"), "{summary}");
}

#[test]
fn printer_neutralises_escape_sequences_for_a_terminal() {
    let chunk = |s: &str| {
        serde_json::json!({"choices": [{"index": 0, "delta": {"content": s}}]}).to_string()
    };
    for (neutralise, expected) in [
        (true, "red ␛[31mtext␛]0;title␇\n\tok\n"),
        (false, "red \u{1b}[31mtext\u{1b}]0;title\u{7}\n\tok\n"),
    ] {
        let mut printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), neutralise);
        // The escape sequence split across two chunks is caught all the same.
        for piece in ["red \u{1b}", "[31mtext\u{1b}]0;title\u{7}\n", "\tok"] {
            printer
                .push("message", &chunk(piece), t0())
                .expect("a Vec accepts");
        }
        let summary = printer.finish().expect("finishes");
        assert!(summary.contains("no end marker"), "{summary}");
        assert_eq!(String::from_utf8(printer.into_inner()).unwrap(), expected);
    }
}

/// The demo server's /chat, live on loopback, read with reqwest and the parser.
#[tokio::test]
async fn demo_server_chat_is_recognised_live() -> Result<(), Box<dyn std::error::Error>> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let server = ssetui::demo_server::bind("127.0.0.1:0".parse()?).await?;
    let url = server.url("/chat?delay_ms=0");
    server.spawn();
    let client = reqwest::Client::builder().no_proxy().build()?;
    let started = SystemTime::now();
    let mut response = tokio::time::timeout(
        Duration::from_secs(10),
        client
            .post(url)
            .body(ssetui::demo_server::CHAT_SAMPLE_BODY)
            .send(),
    )
    .await??;
    let mut transcript = Transcript::new();
    transcript.set_started(started);
    let mut parser = Parser::default();
    while let Some(bytes) =
        tokio::time::timeout(Duration::from_secs(10), response.chunk()).await??
    {
        let mut items = Vec::new();
        parser.feed(&bytes, &mut items)?;
        let now = SystemTime::now();
        for item in items {
            if let Item::Event(e) = item {
                transcript.push(e.event_type(), &e.data, now);
            }
        }
    }
    assert_eq!(transcript.shape(), Some(Shape::OpenAiChat));
    assert!(
        transcript
            .text()
            .starts_with("Hi! I am the ssetui demo model")
    );
    assert_eq!(transcript.end_marker(), Some(EndMarker::Done));
    let usage = transcript.usage().expect("usage");
    assert_eq!(usage.output, Some(transcript.content_chunks()));
    assert!(transcript.time_to_first_token().is_some());
    assert!(transcript.errors().is_empty());
    Ok(())
}

// ---- Markdown, drawn ----

/// `lines` drawn in a Paragraph on a `width`×`height` TestBackend.
fn draw(lines: Vec<ratatui::text::Line<'static>>, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test terminal");
    terminal
        .draw(|frame| frame.render_widget(Paragraph::new(lines), frame.area()))
        .expect("draws");
    terminal.backend().buffer().clone()
}

fn row(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .trim_end()
        .to_owned()
}

fn rows(buffer: &Buffer) -> Vec<String> {
    let mut rows: Vec<String> = (0..buffer.area.height).map(|y| row(buffer, y)).collect();
    while rows.last().is_some_and(String::is_empty) {
        rows.pop();
    }
    rows
}

/// The cell where `needle` starts on row `y`.
fn cell<'b>(buffer: &'b Buffer, y: u16, needle: &str) -> &'b ratatui::buffer::Cell {
    let text = row(buffer, y);
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not on row {y}: {text:?}"));
    let x = text[..byte].chars().count() as u16;
    &buffer[(x, y)]
}

const ANSWER: &str = "# Otters\n\nOtters are **semi-aquatic** mammals with *dense* fur; call `swim()`.\n\n- They float\n- They hold hands while sleeping\n\n> A raft of otters.\n\n```rust\nfn main() {\n    println!(\"otter\");\n}\n```\n";

#[test]
fn markdown_renders_blocks_and_styles() {
    let theme = Theme::new(true);
    let buffer = draw(markdown::render(ANSWER, 30, &theme), 30, 20);
    insta::assert_snapshot!("markdown_answer_30x20", rows(&buffer).join("\n"));
    let heading = cell(&buffer, 0, "Otters");
    assert!(heading.modifier.contains(Modifier::BOLD));
    assert_eq!(heading.fg, Color::Cyan);
    let strong = cell(&buffer, 2, "semi");
    assert!(strong.modifier.contains(Modifier::BOLD));
    let y = (0..20)
        .find(|y| row(&buffer, *y).contains("dense"))
        .expect("dense");
    assert!(
        cell(&buffer, y, "dense")
            .modifier
            .contains(Modifier::ITALIC)
    );
    assert!(!cell(&buffer, y, "fur").modifier.contains(Modifier::ITALIC));
    let y = (0..20)
        .find(|y| row(&buffer, *y).contains("swim"))
        .expect("swim");
    assert_eq!(cell(&buffer, y, "swim()").fg, Color::Cyan, "inline code");
    let y = (0..20)
        .find(|y| row(&buffer, *y).contains("fn main"))
        .expect("code");
    assert_ne!(
        cell(&buffer, y, "fn").fg,
        Color::Reset,
        "a keyword is coloured"
    );
}

#[test]
fn markdown_with_an_unclosed_fence_shows_the_code_so_far() {
    let theme = Theme::new(true);
    let partial =
        "Here is the fix:\n\n```python\ndef f(x):\n    return x * 2  # *not* emphasis\nprint(f(2";
    let buffer = draw(markdown::render(partial, 40, &theme), 40, 8);
    assert_eq!(
        rows(&buffer),
        [
            "Here is the fix:",
            "",
            "```python",
            "def f(x):",
            "    return x * 2  # *not* emphasis",
            "print(f(2",
        ]
    );
    assert_ne!(
        cell(&buffer, 3, "def").fg,
        Color::Reset,
        "highlighted while open"
    );
    // The same through the cache, as the text streams in.
    let mut cache = MarkdownCache::default();
    for end in (0..=partial.len()).filter(|i| partial.is_char_boundary(*i)) {
        let text = &partial[..end];
        assert_eq!(
            *cache.lines(text, 40, &theme, an_hour_later(end), true),
            markdown::render(text, 40, &theme)
        );
    }
}

#[test]
fn markdown_escapes_control_characters_and_wraps_to_width() {
    let theme = Theme::new(false);
    let text = "evil \u{1b}[2J text\u{7} and a rather long sentence that wraps";
    let buffer = draw(markdown::render(text, 20, &theme), 20, 5);
    assert_eq!(
        rows(&buffer),
        [
            "evil ␛[2J text␇ and",
            "a rather long",
            "sentence that wraps"
        ]
    );
    // No width is too small to draw.
    for width in 0..4 {
        let lines = markdown::render("# a\n\n- **bold** text\n\n```\ncode\n```", width, &theme);
        assert!(!lines.is_empty());
    }
}

/// Frame `n`'s time, an hour after the one before: a render however slow
/// (a debug build highlighting a fence) is never waited for, so each frame
/// shows the whole text.
fn an_hour_later(n: usize) -> std::time::Instant {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    *START.get_or_init(std::time::Instant::now) + std::time::Duration::from_secs(3600 * n as u64)
}
