//! `print --validate`: each event's data judged against its schema, and
//! the verdict as the keys that end its NDJSON line: `"valid":true`, or
//! `"valid":false,"errors":[{"pointer","rule","expected","actual"}]`. An
//! event no schema applies to (a `TYPE=` rule for other types only) gets
//! neither key.

use crate::capture::ndjson::{self, EventText};
use crate::insight::contract::{Fields, Schemas, Verdict};

/// The schemas, and the buffer each line's keys are written to.
pub(super) struct Validation {
    schemas: std::sync::Arc<Schemas>,
    tail: Vec<u8>,
}

impl Validation {
    pub(super) fn new(schemas: std::sync::Arc<Schemas>) -> Self {
        Self {
            schemas,
            tail: Vec::with_capacity(256),
        }
    }

    /// The keys for `event`, written as JSON, each after a comma.
    #[inline]
    pub(super) fn tail(&mut self, event: &EventText<'_>) -> &[u8] {
        let fields = Fields {
            event: event.named.then_some(event.event_type),
            data: event.data,
            id: event.sets_id.then_some(event.id),
            retry: event.retry_ms,
        };
        match self.schemas.validate_event(&fields) {
            Verdict::Unchecked => b"",
            Verdict::Valid => b",\"valid\":true",
            Verdict::Invalid(violations) => {
                self.tail.clear();
                self.tail
                    .extend_from_slice(b",\"valid\":false,\"errors\":[");
                for (n, v) in violations.iter().enumerate() {
                    if n > 0 {
                        self.tail.push(b',');
                    }
                    let fields = [
                        ("pointer", &v.pointer),
                        ("rule", &v.rule),
                        ("expected", &v.expected),
                        ("actual", &v.actual),
                    ];
                    for (i, (key, value)) in fields.into_iter().enumerate() {
                        self.tail
                            .extend_from_slice(if i == 0 { b"{\"" } else { b",\"" });
                        self.tail.extend_from_slice(key.as_bytes());
                        self.tail.extend_from_slice(b"\":");
                        // Writing to a Vec cannot fail; the escaping is every line's.
                        let _ = ndjson::string(&mut self.tail, value);
                    }
                    self.tail.push(b'}');
                }
                self.tail.push(b']');
                &self.tail
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::contract::SchemaSource;

    fn validation(schema: &str) -> Validation {
        let source = SchemaSource {
            event_type: None,
            target: crate::insight::contract::Target::Data,
            file: "s.json".into(),
            text: schema.into(),
        };
        Validation::new(Schemas::compile(&[source]).unwrap().into())
    }

    fn message(data: &str) -> EventText<'_> {
        EventText {
            event_type: "message",
            data,
            id: "",
            retry_ms: None,
            named: false,
            sets_id: false,
            data_plain: false,
            id_plain: false,
            data_pieces: None,
        }
    }

    #[test]
    fn the_keys_close_a_line_as_json_with_hostile_values_escaped() {
        let mut v = validation(r#"{"properties":{"s":{"const":"x"}}}"#);
        assert_eq!(v.tail(&message(r#"{"s":"x"}"#)), b",\"valid\":true");
        let data = "{\"s\":\"\\u001b[2J\u{202e}\"}";
        let tail = String::from_utf8(v.tail(&message(data)).to_vec()).unwrap();
        assert!(
            !tail.contains('\u{1b}') && !tail.contains('\u{202e}'),
            "{tail}"
        );
        assert!(tail.contains("\\u202e"), "{tail}");
        let line: serde_json::Value =
            serde_json::from_str(&format!("{{\"seq\":1{tail}}}")).unwrap();
        assert_eq!(line["valid"], false);
        assert_eq!(line["errors"][0]["pointer"], "/s");
        assert_eq!(line["errors"][0]["rule"], "const");
        assert_eq!(line["errors"][0]["actual"], "\"\\u001b[2J\u{202e}\"");
    }
}
