//! Where a schema comes from: a rule as the user writes it (`FILE`,
//! `TYPE=FILE`), the text of its file, and what is wrong with a file that
//! is not one (its name and the line).

use std::str::FromStr;

use serde_json::Value;

/// `--schema FILE` (every event) or `--schema TYPE=FILE` (events of TYPE).
/// A `TYPE=` prefix holds no `/`, so `./a=b.json` is a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaRule {
    pub event_type: Option<String>,
    pub file: String,
}

impl FromStr for SchemaRule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (event_type, file) = match text.split_once('=') {
            Some((kind, file)) if !kind.is_empty() && !kind.contains('/') => {
                (Some(kind.to_owned()), file)
            }
            _ => (None, text),
        };
        if file.is_empty() {
            return Err("give a schema file: FILE or TYPE=FILE".into());
        }
        Ok(Self {
            event_type,
            file: file.to_owned(),
        })
    }
}

/// A schema's text, read by the edge that named it.
#[derive(Debug, Clone)]
pub struct SchemaSource {
    /// The event type it applies to; `None`: every event.
    pub event_type: Option<String>,
    /// What it describes: the data, or the whole event object.
    pub target: Target,
    /// The file, as the user named it (resolved against the config file's
    /// folder for a profile's), for messages.
    pub file: String,
    pub text: String,
}

/// What a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// The event's data parsed as JSON (`--schema`); pointers from the data.
    #[default]
    Data,
    /// The data parsed as JSON, as the `contentSchema` of an event object's
    /// `data` (OpenAPI 3.2): pointers under `/data`, as in the object.
    DataInEvent,
    /// The event object OpenAPI 3.2 describes with `itemSchema`: `data`, and
    /// `event`, `id`, `retry` when the event's block has them.
    Event,
}

/// A schema file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    #[error("{file}:{line}:{column}: not JSON: {why}")]
    NotJson {
        file: String,
        line: usize,
        column: usize,
        why: String,
    },
    #[error("{file}:{line}: not a usable JSON Schema at {pointer}: {why}")]
    NotSchema {
        file: String,
        line: usize,
        /// Where in the schema (a JSON Pointer, `/` for the whole).
        pointer: String,
        why: String,
    },
}

impl SchemaSource {
    /// The compiled validator, or why the file is not a schema.
    pub(super) fn validator(&self) -> Result<jsonschema::Validator, SchemaError> {
        let schema: Value =
            serde_json::from_str(&self.text).map_err(|err| SchemaError::NotJson {
                file: self.file.clone(),
                line: err.line(),
                column: err.column(),
                why: crate::text::one_line(err).to_string(),
            })?;
        jsonschema::validator_for(&schema).map_err(|err| {
            let pointer = err.instance_path().to_string();
            SchemaError::NotSchema {
                file: self.file.clone(),
                line: line_of(&self.text, &pointer),
                pointer: if pointer.is_empty() {
                    "/".into()
                } else {
                    pointer
                },
                why: crate::text::one_line(crate::text::cut(&err.to_string(), 200)).to_string(),
            }
        })
    }
}

/// The line where the value at `pointer` starts in the JSON `text` (1 when
/// it cannot be told). One pass, no recursion.
pub(super) fn line_of(text: &str, pointer: &str) -> usize {
    let target: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let bytes = text.as_bytes();
    let mut line = 1;
    // Open containers: (is an object, the index of the current item).
    let mut open: Vec<(bool, usize)> = Vec::new();
    // The path to the innermost open container.
    let mut path: Vec<String> = Vec::new();
    let mut key: Option<String> = None;
    let mut expect_key = false;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            b'\n' => line += 1,
            b' ' | b'\t' | b'\r' | b':' => {}
            b',' => match open.last_mut() {
                Some((true, _)) => expect_key = true,
                Some((false, index)) => *index += 1,
                None => {}
            },
            b'}' | b']' => {
                open.pop();
                if !open.is_empty() {
                    path.pop();
                }
            }
            _ => {
                // Where this token's last byte is.
                let end = match byte {
                    b'"' => string_end(bytes, at),
                    b'{' | b'[' => at,
                    _ => scalar_end(bytes, at),
                };
                if byte == b'"' && expect_key {
                    key = Some(text.get(at + 1..end).unwrap_or_default().to_owned());
                    expect_key = false;
                    at = end + 1;
                    continue;
                }
                // A value starts here: its path is the container's and its key or index.
                let segment = match open.last() {
                    Some((true, _)) => key.take(),
                    Some((false, index)) => Some(index.to_string()),
                    None => None,
                };
                let here = path.len() + usize::from(segment.is_some());
                if here == target.len()
                    && path.iter().zip(&target).all(|(a, b)| a == b)
                    && segment.as_ref().is_none_or(|s| Some(s) == target.last())
                {
                    return line;
                }
                if byte == b'{' || byte == b'[' {
                    if let Some(segment) = segment {
                        path.push(segment);
                    }
                    open.push((byte == b'{', 0));
                    expect_key = byte == b'{';
                }
                at = end + 1;
                continue;
            }
        }
        at += 1;
    }
    1
}

/// Where the string starting at `start` (its opening quote) ends (its closing quote).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// Where the number, `true`, `false` or `null` starting at `start` ends (its last byte).
fn scalar_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    while at + 1 < bytes.len() && !b",}] \t\r\n".contains(&bytes[at + 1]) {
        at += 1;
    }
    at
}
