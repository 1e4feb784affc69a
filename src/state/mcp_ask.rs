//! The prompt for a server's request of a declared capability: what the
//! server asks, and the JSON result the user edits (started from a
//! template of the spec's result shape). Ctrl-S sends it, Esc refuses
//! (an elicitation is declined, as its spec allows; others get an error).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};

use super::mcp::Ask;
use super::text_input::TextInput;
use crate::mcp::capabilities::{self, Capability};

#[derive(Debug)]
pub struct AskPrompt {
    pub ask: Ask,
    /// The result being written.
    pub input: TextInput,
    /// Why the last Ctrl-S sent nothing (not JSON, at line:column).
    pub error: Option<String>,
}

/// What a key in the prompt does.
#[derive(Debug, Clone, PartialEq)]
pub enum AskAction {
    None,
    /// Answer request `n` with this (the result, or why it is refused).
    Reply {
        n: u64,
        result: Result<Value, String>,
    },
}

impl AskPrompt {
    pub fn new(ask: Ask) -> Self {
        let template = capabilities::template(ask.capability, &ask.params);
        let text = serde_json::to_string_pretty(&template).unwrap_or_else(|_| "{}".into());
        Self {
            ask,
            input: TextInput::multi_line(text),
            error: None,
        }
    }

    /// The method the server called.
    pub fn method(&self) -> &'static str {
        capabilities::method(self.ask.capability)
    }

    pub fn key(&mut self, key: KeyEvent) -> AskAction {
        let n = self.ask.n;
        match key.code {
            KeyCode::Char('s') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                match serde_json::from_str::<Value>(self.input.text()) {
                    Ok(result) if result.is_object() => AskAction::Reply {
                        n,
                        result: Ok(result),
                    },
                    Ok(_) => {
                        self.error = Some("the result must be a JSON object".into());
                        AskAction::None
                    }
                    Err(err) => {
                        self.error = Some(format!(
                            "not JSON at line {} column {}: {err}",
                            err.line(),
                            err.column()
                        ));
                        AskAction::None
                    }
                }
            }
            KeyCode::Esc => AskAction::Reply {
                n,
                result: match self.ask.capability {
                    // 2025-11-25 elicitation: "decline" is the user's explicit no.
                    Capability::Elicitation => Ok(json!({ "action": "decline" })),
                    _ => Err("the user refused".into()),
                },
            },
            _ => {
                self.input.handle_key(key);
                self.error = None;
                AskAction::None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prompt(capability: Capability) -> AskPrompt {
        AskPrompt::new(Ask {
            n: 7,
            capability,
            params: json!({"message": "name?", "requestedSchema": {"properties": {"name": {"type": "string"}}}}),
        })
    }

    fn press(p: &mut AskPrompt, code: KeyCode, modifiers: KeyModifiers) -> AskAction {
        p.key(KeyEvent::new(code, modifiers))
    }

    #[test]
    fn ctrl_s_sends_the_edited_json_and_refuses_what_is_not_json() {
        let mut p = prompt(Capability::Elicitation);
        assert!(
            p.input.text().contains("\"name\": \"\""),
            "{}",
            p.input.text()
        );
        let sent = press(&mut p, KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(
            sent,
            AskAction::Reply {
                n: 7,
                result: Ok(json!({"action": "accept", "content": {"name": ""}}))
            }
        );
        p.input.set_text("{ oops");
        assert_eq!(
            press(&mut p, KeyCode::Char('s'), KeyModifiers::CONTROL),
            AskAction::None
        );
        assert!(
            p.error.as_deref().unwrap().contains("line 1 column"),
            "{:?}",
            p.error
        );
    }

    #[test]
    fn esc_declines_an_elicitation_and_refuses_a_sampling() {
        let mut p = prompt(Capability::Elicitation);
        assert_eq!(
            press(&mut p, KeyCode::Esc, KeyModifiers::NONE),
            AskAction::Reply {
                n: 7,
                result: Ok(json!({"action": "decline"}))
            }
        );
        let mut p = prompt(Capability::Sampling);
        assert!(matches!(
            press(&mut p, KeyCode::Esc, KeyModifiers::NONE),
            AskAction::Reply { result: Err(_), .. }
        ));
    }
}
