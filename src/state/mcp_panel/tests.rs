use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Map, json};

use super::*;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn typed(panel: &mut CallPanel, text: &str) {
    for c in text.chars() {
        panel.key(key(KeyCode::Char(c)));
    }
}

fn weather_tool() -> Value {
    json!({
        "name": "get_weather",
        "description": "Current weather for a city",
        "inputSchema": {
            "type": "object",
            "properties": {
                "units": {"type": "string", "enum": ["metric", "imperial"]},
                "city": {"type": "string"},
                "days": {"type": "integer", "default": 3},
                "detail": {
                    "type": "object",
                    "required": ["wind"],
                    "properties": {"wind": {"type": "boolean"}, "hours": {"type": "array"}},
                },
            },
            "required": ["city"],
        },
        "outputSchema": {
            "type": "object",
            "properties": {"temperature": {"type": "number"}},
            "required": ["temperature"],
        },
    })
}

fn panel() -> CallPanel {
    let mut panel = CallPanel::new();
    panel.set_list(
        ListKind::Tools,
        vec![
            weather_tool(),
            json!({"name": "echo", "description": "Echoes its input", "inputSchema": {"type": "object"}}),
            json!({"name": "slow_count", "description": "Counts slowly, with progress"}),
        ],
    );
    panel.set_list(
        ListKind::Resources,
        vec![json!({"uri": "file:///notes.txt", "name": "notes", "mimeType": "text/plain"})],
    );
    panel.set_list(
        ListKind::Templates,
        vec![json!({"uriTemplate": "weather://{city}/days{?n}", "name": "forecast"})],
    );
    panel.set_list(
        ListKind::Prompts,
        vec![json!({
            "name": "summarise",
            "arguments": [
                {"name": "topic", "required": true},
                {"name": "length", "description": "short or long"},
            ],
        })],
    );
    panel
}

fn names(panel: &CallPanel) -> Vec<String> {
    panel.matches().iter().map(|i| i.name.clone()).collect()
}

#[test]
fn enter_on_a_tool_opens_its_arguments_prefilled_from_the_input_schema() {
    let mut panel = panel();
    assert_eq!(panel.key(key(KeyCode::Enter)), PanelAction::None);
    assert_eq!(panel.focus, Focus::Editor);
    let editor = panel.editor.as_ref().unwrap();
    assert_eq!(
        editor.input.text(),
        "{\n  \"city\": \"\",\n  \"days\": 3,\n  \"detail\": {\n    \"wind\": false,\n    \"hours\": []\n  },\n  \"units\": \"metric\"\n}",
        "required first, default, nested object, first enum value"
    );
}

#[test]
fn ctrl_s_calls_the_tool_with_the_arguments_typed() {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    let editor = panel.editor.as_mut().unwrap();
    editor.input.set_cursor_line_col(1, 11);
    typed(&mut panel, "Oslo");
    let action = panel.key(ctrl('s'));
    let PanelAction::Call {
        method,
        params,
        tool,
    } = action
    else {
        panic!("a call: {action:?}");
    };
    assert_eq!(method, "tools/call");
    assert_eq!(tool.as_deref(), Some("get_weather"));
    assert_eq!(params["name"], "get_weather");
    assert_eq!(params["arguments"]["city"], "Oslo");
    assert_eq!(params["arguments"]["days"], 3);
    assert_eq!(panel.focus, Focus::Call);
    assert_eq!(
        panel.call.as_ref().unwrap().status,
        CallStatus::Sent,
        "shown as sent until the app says it started"
    );
}

#[test]
fn invalid_json_is_refused_with_its_line_and_column_and_the_cursor_goes_there() {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    panel
        .editor
        .as_mut()
        .unwrap()
        .input
        .set_text("{\n  \"city\": \"Oslo\"\n  \"days\": 2\n}");
    assert_eq!(panel.key(ctrl('s')), PanelAction::None);
    let editor = panel.editor.as_ref().unwrap();
    let error = editor.error.as_deref().unwrap();
    assert!(
        error.starts_with("invalid JSON at 3:3: expected"),
        "{error}"
    );
    assert_eq!(editor.input.cursor_line_col(), (2, 2));
    assert_eq!(panel.focus, Focus::Editor);
    assert!(panel.call.is_none());
    // Typing clears the error; an array is refused for what it is.
    panel.editor.as_mut().unwrap().input.set_text("[1]");
    panel.key(key(KeyCode::End));
    assert!(
        panel.editor.as_ref().unwrap().error.is_some(),
        "a move keeps it"
    );
    panel.key(key(KeyCode::Char(' ')));
    assert!(panel.editor.as_ref().unwrap().error.is_none());
    panel.key(ctrl('s'));
    assert_eq!(
        panel.editor.as_ref().unwrap().error.as_deref(),
        Some("the arguments must be a JSON object, not an array")
    );
}

#[test]
fn the_filter_narrows_the_list_by_name_and_description() {
    let mut panel = panel();
    assert_eq!(names(&panel), ["get_weather", "echo", "slow_count"]);
    panel.key(key(KeyCode::Char('/')));
    assert_eq!(panel.focus, Focus::Filter);
    typed(&mut panel, "PROGRESS");
    assert_eq!(names(&panel), ["slow_count"], "description, case ignored");
    panel.key(key(KeyCode::Enter));
    assert_eq!(panel.focus, Focus::List);
    assert_eq!(panel.selected_item().unwrap().name, "slow_count");
    panel.key(key(KeyCode::Char('/')));
    panel.key(key(KeyCode::Esc));
    assert_eq!(names(&panel).len(), 3, "Esc in the filter clears it");
    panel.key(key(KeyCode::Char('/')));
    typed(&mut panel, "nothing-like-it");
    assert!(panel.matches().is_empty());
    assert_eq!(panel.key(key(KeyCode::Enter)), PanelAction::None);
    assert_eq!(
        panel.key(key(KeyCode::Enter)),
        PanelAction::None,
        "nothing to open"
    );
}

#[test]
fn tab_switches_sections_and_esc_steps_back_to_closed() {
    let mut panel = panel();
    panel.key(key(KeyCode::Tab));
    assert_eq!(panel.section, Section::Resources);
    assert_eq!(
        names(&panel),
        ["notes", "forecast"],
        "resources, then templates"
    );
    panel.key(key(KeyCode::Tab));
    assert_eq!(panel.section, Section::Prompts);
    panel.key(key(KeyCode::BackTab));
    panel.key(key(KeyCode::BackTab));
    assert_eq!(panel.section, Section::Tools);
    panel.key(key(KeyCode::Enter));
    assert_eq!(panel.key(key(KeyCode::Esc)), PanelAction::None);
    assert_eq!(panel.focus, Focus::List);
    assert_eq!(panel.key(key(KeyCode::Esc)), PanelAction::Close);
}

#[test]
fn r_refreshes_the_section_and_a_failed_list_says_why() {
    let mut panel = CallPanel::new();
    assert_eq!(panel.count(Section::Tools), None, "still loading");
    assert_eq!(
        panel.key(key(KeyCode::Char('r'))),
        PanelAction::Refresh(ListKind::Tools)
    );
    panel.key(key(KeyCode::Tab));
    assert_eq!(
        panel.key(key(KeyCode::Char('r'))),
        PanelAction::Refresh(ListKind::Resources)
    );
    panel.set_list_failed(ListKind::Prompts, "Method not found (-32601)".into());
    assert_eq!(
        panel.listing(ListKind::Prompts),
        &Listing::Failed("Method not found (-32601)".into())
    );
    assert_eq!(panel.count(Section::Prompts), Some(0));
}

#[test]
fn enter_on_a_resource_reads_it_at_once() {
    let mut panel = panel();
    panel.key(key(KeyCode::Tab));
    let action = panel.key(key(KeyCode::Enter));
    assert_eq!(
        action,
        PanelAction::Call {
            method: "resources/read".into(),
            params: json!({"uri": "file:///notes.txt"}),
            tool: None,
        }
    );
    assert_eq!(panel.focus, Focus::Call);
    assert_eq!(panel.key(key(KeyCode::Esc)), PanelAction::None);
    assert_eq!(panel.focus, Focus::List, "back where the call was made");
}

#[test]
fn a_template_asks_for_its_variables_and_reads_the_expanded_uri() {
    let mut panel = panel();
    panel.key(key(KeyCode::Tab));
    panel.key(key(KeyCode::Down));
    panel.key(key(KeyCode::Enter));
    let editor = panel.editor.as_mut().unwrap();
    assert_eq!(
        editor.input.text(),
        "{\n  \"city\": \"\",\n  \"n\": \"\"\n}"
    );
    editor.input.set_text(r#"{"city": "São Paulo", "n": "3"}"#);
    let action = panel.key(ctrl('s'));
    assert_eq!(
        action,
        PanelAction::Call {
            method: "resources/read".into(),
            params: json!({"uri": "weather://S%C3%A3o%20Paulo/days?n=3"}),
            tool: None,
        }
    );
}

#[test]
fn a_prompt_takes_string_arguments_only() {
    let mut panel = panel();
    panel.key(key(KeyCode::BackTab));
    panel.key(key(KeyCode::Enter));
    let editor = panel.editor.as_mut().unwrap();
    assert_eq!(
        editor.input.text(),
        "{\n  \"topic\": \"\",\n  \"length\": \"\"\n}"
    );
    editor.input.set_text(r#"{"topic": "SSE", "length": 2}"#);
    assert_eq!(panel.key(ctrl('s')), PanelAction::None);
    assert_eq!(
        panel.editor.as_ref().unwrap().error.as_deref(),
        Some("a prompt's arguments are strings: \"length\" is not one")
    );
    panel
        .editor
        .as_mut()
        .unwrap()
        .input
        .set_text(r#"{"topic": "SSE", "length": "short"}"#);
    assert_eq!(
        panel.key(ctrl('s')),
        PanelAction::Call {
            method: "prompts/get".into(),
            params: json!({"name": "summarise", "arguments": {"topic": "SSE", "length": "short"}}),
            tool: None,
        }
    );
}

#[test]
fn progress_shows_while_running_and_x_cancels() {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    panel.key(ctrl('s'));
    panel.call_started(Some("get_weather".into()));
    panel.progress(4.0, Some(10.0), Some("fetching".into()));
    let call = panel.call.as_ref().unwrap();
    assert_eq!(call.status, CallStatus::Running);
    let progress = call.progress.as_ref().unwrap();
    assert_eq!(progress.ratio(), Some(0.4));
    assert_eq!(progress.message.as_deref(), Some("fetching"));
    // A second call waits for this one.
    panel.key(key(KeyCode::Esc));
    assert_eq!(panel.focus, Focus::Editor);
    assert_eq!(panel.key(ctrl('s')), PanelAction::None);
    assert_eq!(
        panel.notice.as_deref(),
        Some("a call is running: x cancels it")
    );
    panel.key(key(KeyCode::Esc));
    assert_eq!(panel.key(key(KeyCode::Char('x'))), PanelAction::Cancel);
    assert_eq!(panel.call.as_ref().unwrap().status, CallStatus::Cancelling);
    panel.call_finished(Err("cancelled".into()));
    assert_eq!(
        panel.call.as_ref().unwrap().status,
        CallStatus::Failed("cancelled".into())
    );
    assert_eq!(panel.key(key(KeyCode::Char('x'))), PanelAction::None);
    assert_eq!(panel.notice.as_deref(), Some("no call is running"));
    // Progress after the end is ignored; odd totals give no ratio.
    panel.progress(5.0, Some(10.0), None);
    assert!(panel.call.as_ref().unwrap().progress.is_none());
    let odd = Progress {
        progress: 1.0,
        total: Some(0.0),
        message: None,
    };
    assert_eq!(odd.ratio(), None);
}

fn finish_weather(structured: Value) -> CallView {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    panel.key(ctrl('s'));
    panel.call_finished(Ok(json!({
        "content": [{"type": "text", "text": "21.5 degrees"}],
        "structuredContent": structured,
    })));
    panel.call.unwrap()
}

#[test]
fn a_result_matching_the_output_schema_says_so() {
    let call = finish_weather(json!({"temperature": 21.5}));
    assert_eq!(call.status, CallStatus::Finished { is_error: false });
    assert_eq!(call.output[0], Output::Text("21.5 degrees".into()));
    assert!(
        call.output
            .contains(&Output::Heading("structuredContent".into()))
    );
    assert!(
        call.output
            .contains(&Output::Json("{\n  \"temperature\": 21.5\n}".into()))
    );
    assert_eq!(call.output.last(), Some(&Output::SchemaMatches));
}

#[test]
fn a_result_breaking_the_output_schema_lists_each_violation() {
    let call = finish_weather(json!({"temperature": "warm"}));
    let violations: Vec<_> = call
        .output
        .iter()
        .filter_map(|o| match o {
            Output::Violation(v) => Some(v),
            _ => None,
        })
        .collect();
    assert_eq!(violations.len(), 1, "{:?}", call.output);
    assert_eq!(violations[0].path, "/temperature");
    assert!(violations[0].why.contains("number"), "{violations:?}");
    let missing = finish_weather(Value::Null);
    assert!(
        missing
            .output
            .iter()
            .any(|o| matches!(o, Output::Violation(v) if v.why.contains("object"))),
        "{:?}",
        missing.output
    );
}

#[test]
fn a_tool_error_and_a_missing_structured_content_are_shown() {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    panel.key(ctrl('s'));
    panel.call_finished(Ok(json!({
        "content": [{"type": "text", "text": "no such city"}],
        "isError": true,
    })));
    let call = panel.call.as_ref().unwrap();
    assert_eq!(call.status, CallStatus::Finished { is_error: true });
    assert!(matches!(&call.output[0], Output::Error(e) if e.contains("isError")));
    assert!(
        !call
            .output
            .iter()
            .any(|o| matches!(o, Output::Heading(h) if h == "outputSchema")),
        "an error result is not checked against the schema"
    );
    panel.key(key(KeyCode::Esc));
    panel.key(ctrl('s'));
    panel.call_finished(Ok(json!({"content": []})));
    let output = &panel.call.as_ref().unwrap().output;
    assert!(
        output
            .iter()
            .any(|o| matches!(o, Output::Error(e) if e.contains("no structuredContent"))),
        "{output:?}"
    );
}

#[test]
fn the_result_view_scrolls_within_the_output() {
    let mut panel = panel();
    panel.key(key(KeyCode::Tab));
    panel.key(key(KeyCode::Enter));
    let text: String = (0..30).map(|i| format!("line {i}\n")).collect();
    panel.call_finished(Ok(
        json!({"contents": [{"uri": "file:///notes.txt", "text": text}]}),
    ));
    let total = panel.call.as_ref().unwrap().line_count();
    assert_eq!(total, 32, "a heading, 30 lines and the empty last one");
    panel.key(key(KeyCode::PageDown));
    assert_eq!(panel.call.as_ref().unwrap().scroll, 10);
    panel.key(key(KeyCode::End));
    assert_eq!(panel.call.as_ref().unwrap().scroll, total - 1);
    panel.key(key(KeyCode::Down));
    assert_eq!(panel.call.as_ref().unwrap().scroll, total - 1, "no further");
    panel.key(key(KeyCode::Home));
    assert_eq!(panel.call.as_ref().unwrap().scroll, 0);
}

#[test]
fn v_shows_the_last_call_again_and_lists_arriving_keep_the_selection_in_range() {
    let mut panel = panel();
    panel.key(key(KeyCode::Char('v')));
    assert_eq!(panel.focus, Focus::List, "no call yet");
    panel.key(key(KeyCode::End));
    assert_eq!(panel.selected, 2);
    panel.set_list(ListKind::Tools, vec![json!({"name": "only"})]);
    assert_eq!(panel.selected, 0);
    panel.key(key(KeyCode::Enter));
    assert_eq!(panel.editor.as_ref().unwrap().input.text(), "{}");
    panel.key(ctrl('s'));
    panel.key(key(KeyCode::Esc));
    panel.key(key(KeyCode::Esc));
    assert_eq!(panel.focus, Focus::List);
    panel.key(key(KeyCode::Char('v')));
    assert_eq!(panel.focus, Focus::Call);
}

#[test]
fn no_key_panics_in_any_focus_even_with_nothing_listed() {
    let codes = [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(5),
        KeyCode::Char('/'),
        KeyCode::Char('r'),
        KeyCode::Char('x'),
        KeyCode::Char('v'),
        KeyCode::Char('G'),
        KeyCode::Char('é'),
    ];
    for mut panel in [CallPanel::new(), panel()] {
        for round in 0..3 {
            for code in codes {
                for modifiers in [KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT] {
                    panel.key(KeyEvent::new(code, modifiers));
                    panel.key(ctrl('s'));
                    if round == 1 {
                        panel.paste("{\"a\":\u{1b}");
                        panel.progress(f64::NAN, Some(f64::INFINITY), None);
                        panel.call_finished(Ok(json!(null)));
                    }
                }
            }
        }
    }
}

#[test]
fn uri_templates_expand_by_rfc_6570_operators() {
    let t = "api://{host}{/path}{?q,page}{#frag}{.ext}{;m}{&x}{+raw}{id:3}{missing}";
    assert_eq!(
        template::variables(t),
        [
            "host", "path", "q", "page", "frag", "ext", "m", "x", "raw", "id", "missing"
        ]
    );
    let values: Map<String, Value> = serde_json::from_value(json!({
        "host": "a b", "path": "p/q", "q": "x&y", "page": 2, "frag": "f/g",
        "ext": "json", "m": "", "x": null, "raw": "/a%20b?c", "id": "12345",
    }))
    .unwrap();
    assert_eq!(
        template::expand(t, &values),
        "api://a%20b/p%2Fq?q=x%26y&page=2#f/g.json;m/a%20b?c123"
    );
    assert_eq!(template::expand("no{close", &values), "no{close");
    assert!(template::variables("{}{,}").is_empty());
}
