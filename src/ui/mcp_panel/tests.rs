use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use super::*;
use crate::state::mcp_panel::Output;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ctrl_s() -> KeyEvent {
    KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
}

/// The screen's rows as text, and the buffer for styles.
fn screen(panel: &CallPanel, width: u16, height: u16) -> (Vec<String>, Buffer) {
    let theme = Theme::new(true);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| render(f, f.area(), panel, &theme))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let lines = (0..height)
        .map(|y| (0..width).map(|x| buffer[(x, y)].symbol()).collect())
        .collect();
    (lines, buffer)
}

fn weather() -> Value {
    json!({
        "name": "get_weather",
        "title": "Weather",
        "description": "Current weather for a city",
        "inputSchema": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "days": {"type": "integer", "default": 3},
                "units": {"enum": ["metric", "imperial"]},
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
            weather(),
            json!({"name": "echo", "description": "Echoes its input"}),
            json!({"name": "slow_count", "description": "Counts slowly"}),
        ],
    );
    panel.set_list(ListKind::Resources, vec![]);
    panel.set_list(ListKind::Templates, vec![]);
    panel.set_list_failed(ListKind::Prompts, "Method not found".into());
    panel
}

fn running_at_40_percent() -> CallPanel {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    panel.key(ctrl_s());
    panel.call_started(Some("get_weather".into()));
    panel.progress(4.0, Some(10.0), Some("asking the sky".into()));
    panel
}

#[test]
fn the_tool_list_shows_the_selected_tools_description_and_arguments() {
    for (w, h) in SIZES {
        let (lines, buffer) = screen(&panel(), w, h);
        let text = lines.join("\n");
        assert!(text.contains(" MCP "), "{text}");
        assert!(text.contains("Tools 3"), "{text}");
        assert!(
            text.contains("Prompts 0"),
            "a failed list counts none: {text}"
        );
        assert!(text.contains("get_weather  Weather"), "{text}");
        assert!(text.contains("Current weather for a city"), "{text}");
        assert!(text.contains("city  string  required"), "{text}");
        assert!(text.contains("days  integer"), "{text}");
        assert!(
            text.contains("Results are checked against its outputSchema"),
            "{text}"
        );
        assert!(text.contains("Esc close"), "the keys: {text}");
        let y = lines
            .iter()
            .position(|l| l.contains("│ get_weather"))
            .unwrap();
        let x = lines[y].chars().position(|c| c == 'g').unwrap() as u16;
        let theme = Theme::new(true);
        assert_eq!(
            buffer[(x, y as u16)].bg,
            theme.selected.bg.unwrap(),
            "the first tool is selected ({w}x{h})"
        );
    }
}

#[test]
fn the_arguments_editor_shows_the_prefilled_json_and_its_keys() {
    let mut panel = panel();
    panel.key(key(KeyCode::Enter));
    for (w, h) in SIZES {
        let (lines, _) = screen(&panel, w, h);
        let text = lines.join("\n");
        assert!(text.contains("tools/call get_weather"), "{text}");
        assert!(text.contains("\"city\": \"\","), "{text}");
        assert!(text.contains("\"days\": 3,"), "{text}");
        assert!(text.contains("\"units\": \"metric\""), "{text}");
        assert!(text.contains("^S call"), "{text}");
    }
    panel
        .editor
        .as_mut()
        .unwrap()
        .input
        .set_text("{\n  \"city\": \n}");
    panel.key(ctrl_s());
    let (lines, _) = screen(&panel, 80, 24);
    let text = lines.join("\n");
    assert!(
        text.contains("invalid JSON at 3:1: expected value"),
        "{text}"
    );
}

#[test]
fn a_running_call_shows_a_gauge_at_its_progress() {
    let panel = running_at_40_percent();
    for (w, h) in SIZES {
        let (lines, _) = screen(&panel, w, h);
        let text = lines.join("\n");
        assert!(text.contains("tools/call get_weather  running"), "{text}");
        let gauge = lines.iter().find(|l| l.contains('▕')).expect("a gauge");
        assert_eq!(gauge.matches('█').count(), 10, "40% of 24 columns: {gauge}");
        assert_eq!(gauge.matches('░').count(), 14, "{gauge}");
        assert!(gauge.contains("40%  4/10  asking th"), "{gauge}");
        assert!(text.contains("x cancel"), "{text}");
    }
    // Back in the list, one line still says how far the call is.
    let mut panel = panel;
    panel.key(key(KeyCode::Esc));
    panel.key(key(KeyCode::Esc));
    let (lines, _) = screen(&panel, 80, 24);
    let text = lines.join("\n");
    assert!(
        text.contains("▸ tools/call get_weather · 40% · v shows it"),
        "{text}"
    );
    panel.key(key(KeyCode::Enter));
    let (lines, _) = screen(&panel, 80, 24);
    let text = lines.join("\n");
    assert!(text.contains("▸ tools/call get_weather · 40%"), "{text}");
    assert!(
        !text.contains("v shows it"),
        "v types in the editor: {text}"
    );
}

#[test]
fn a_result_shows_its_text_its_structured_content_and_each_violation() {
    let mut panel = running_at_40_percent();
    panel.call_finished(Ok(json!({
        "content": [{"type": "text", "text": "warm\tand sunny"}],
        "structuredContent": {"temperature": "warm"},
    })));
    for (w, h) in SIZES {
        let (lines, _) = screen(&panel, w, h);
        let text = lines.join("\n");
        assert!(text.contains("tools/call get_weather  done"), "{text}");
        assert!(!text.contains('▕'), "no gauge once done: {text}");
        assert!(text.contains("warm    and sunny"), "tabs as spaces: {text}");
        assert!(text.contains("── structuredContent"), "{text}");
        assert!(text.contains("\"temperature\": \"warm\""), "{text}");
        assert!(text.contains("── outputSchema"), "{text}");
        assert!(
            text.contains("✗ /temperature: \"warm\" is not of type \"number\""),
            "{text}"
        );
    }
    let mut ok = running_at_40_percent();
    ok.call_finished(Ok(json!({"structuredContent": {"temperature": 21}})));
    let (lines, _) = screen(&ok, 80, 24);
    assert!(lines.join("\n").contains("✓ matches outputSchema"));
}

#[test]
fn a_hostile_name_and_description_render_neutralised() {
    let mut panel = CallPanel::new();
    panel.set_list(
        ListKind::Tools,
        vec![json!({
            "name": "evil\u{1b}[2J\u{202e}name\u{200b}",
            "description": "first\u{9b}31m\nsecond\u{7}",
            "inputSchema": {"properties": {"\u{1b}]0;x\u{7}": {"type": "string"}}},
        })],
    );
    let mut states = vec![panel.clone()];
    panel.key(key(KeyCode::Enter));
    states.push(panel.clone());
    panel.key(ctrl_s());
    panel.call_finished(Ok(json!({
        "content": [{"type": "text", "text": "a\u{1b}[31mb\u{202e}"}],
        "structuredContent": {"k\u{1b}[0m": "\u{9b}v\u{2066}"},
    })));
    panel
        .call
        .as_mut()
        .unwrap()
        .output
        .push(Output::Violation(crate::mcp::schema::Violation {
            path: "/k\u{1b}[0m".into(),
            why: "\"\u{9b}v\" is not of type \"number\"".into(),
        }));
    states.push(panel);
    for (i, panel) in states.iter().enumerate() {
        let (lines, buffer) = screen(panel, 80, 24);
        let text = lines.join("\n");
        for cell in buffer.content() {
            assert!(
                !cell.symbol().chars().any(crate::text::is_neutralised),
                "state {i}: a raw control reached the buffer: {:?}\n{text}",
                cell.symbol()
            );
        }
        assert!(
            text.contains("evil␛[2J\\u{202e}name\\u{200b}"),
            "state {i}: {text}"
        );
    }
    let (lines, _) = screen(&states[0], 80, 24);
    let text = lines.join("\n");
    assert!(text.contains("first\\u{9b}31m"), "{text}");
    assert!(text.contains("second␇"), "{text}");
    let (lines, _) = screen(&states[2], 80, 24);
    let text = lines.join("\n");
    assert!(text.contains("a␛[31mb\\u{202e}"), "{text}");
    assert!(text.contains("k␛[0m"), "a JSON key: {text}");
    assert!(text.contains("\\u{9b}v\\u{2066}"), "a JSON string: {text}");
    assert!(text.contains("✗ /k␛[0m: \"\\u{9b}v\" is not"), "{text}");
}

#[test]
fn a_narrow_panel_shows_the_list_or_the_editor_alone() {
    let mut panel = panel();
    let (lines, _) = screen(&panel, 50, 20);
    let text = lines.join("\n");
    assert!(text.contains("get_weather"), "{text}");
    assert!(
        !text.contains("Current weather"),
        "no room for the detail: {text}"
    );
    panel.key(key(KeyCode::Enter));
    let (lines, _) = screen(&panel, 50, 20);
    assert!(lines.join("\n").contains("\"days\": 3,"));
}

#[test]
fn tiny_sizes_draw_nothing_or_a_part_and_never_panic() {
    let mut states = vec![CallPanel::new(), panel()];
    let mut filtering = panel();
    filtering.key(key(KeyCode::Char('/')));
    states.push(filtering);
    let mut editing = panel();
    editing.key(key(KeyCode::Enter));
    editing.editor.as_mut().unwrap().input.set_text("{");
    editing.key(ctrl_s());
    states.push(editing);
    states.push(running_at_40_percent());
    for panel in &states {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (10, 3),
            (24, 8),
            (28, 10),
            (40, 12),
            (63, 12),
            (64, 9),
            (200, 60),
        ] {
            let _ = screen(panel, w, h);
        }
    }
}
