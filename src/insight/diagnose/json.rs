//! Data: non-JSON events among JSON ones of the same type.

use super::format::quote;
use super::{Finding, JSON_MIN_EVENTS, Severity};
use crate::sse::Event;

/// Event types tracked apart for the JSON check; more share one entry.
const MAX_EVENT_TYPES: usize = 16;

/// Per event type, how many events carry JSON data and how many do not.
#[derive(Debug, Default)]
pub(super) struct JsonCheck {
    types: Vec<TypeCount>,
}

#[derive(Debug)]
struct TypeCount {
    name: String,
    json: u64,
    other: u64,
    example: Option<String>,
}

impl JsonCheck {
    /// Counts `event`; returns whether its data is JSON.
    pub(super) fn see(&mut self, event: &Event) -> bool {
        let data = event.data.trim();
        // OpenAI-style end marker: not JSON by design.
        if data.is_empty() || data == "[DONE]" {
            return false;
        }
        // JSON as the rest of ssetui reads it: nested too deep, it is not.
        let is_json = matches!(data.as_bytes().first(), Some(b'{' | b'['))
            && serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok()
            && !crate::limits::json::too_deep(data.as_bytes());
        let name = crate::text::head(event.event_type(), 64);
        let index = match self.types.iter().position(|t| t.name == name) {
            Some(i) => i,
            None if self.types.len() < MAX_EVENT_TYPES - 1 => self.push(name),
            None => match self.types.iter().position(|t| t.name == "(other types)") {
                Some(i) => i,
                None => self.push("(other types)"),
            },
        };
        let Some(count) = self.types.get_mut(index) else {
            return is_json;
        };
        if is_json {
            count.json += 1;
        } else {
            count.other += 1;
            count.example.get_or_insert_with(|| quote(data));
        }
        is_json
    }

    fn push(&mut self, name: &str) -> usize {
        self.types.push(TypeCount {
            name: name.to_owned(),
            json: 0,
            other: 0,
            example: None,
        });
        self.types.len() - 1
    }

    pub(super) fn findings(&self, out: &mut Vec<Finding>) {
        let mostly_json =
            |t: &&TypeCount| t.other > 0 && t.json >= JSON_MIN_EVENTS && t.json >= 4 * t.other;
        let odd: Vec<&TypeCount> = self.types.iter().filter(mostly_json).collect();
        let Some(worst) = odd.iter().max_by_key(|t| t.other) else {
            return;
        };
        let more = if odd.len() > 1 {
            format!(" (and {} more event types)", odd.len() - 1)
        } else {
            String::new()
        };
        out.push(Finding {
            id: "json-mixed",
            severity: Severity::Warning,
            title: format!(
                "{} of {} {} events carry data that is not JSON, e.g. {}{more}",
                worst.other,
                worst.other + worst.json,
                quote(&worst.name),
                worst.example.as_deref().unwrap_or("?"),
            ),
            why: "Clients that parse every event of this type as JSON fail on these; it is often an error message, a truncated object, or two objects sent in one event.",
            fix: "Send JSON in every event of this type (wrap errors as JSON, e.g. an `event: error` with a JSON body), or give non-JSON events their own `event:` type.",
        });
    }
}
