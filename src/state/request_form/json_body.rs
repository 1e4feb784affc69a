//! The body as JSON: detected, validated with the error's position, and
//! pretty-printed from the text itself so keys keep their order and numbers
//! their exact spelling (a `serde_json::Value` would sort and reformat both).

use serde::de::IgnoredAny;

/// Why a body is not JSON, and where (1-based line and column, as serde_json counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: String,
    pub line: usize,
    pub column: usize,
}

/// Whether `text` is meant as JSON: it starts with `{` or `[`.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

/// Checks that `text` is one JSON value.
pub fn check_json(text: &str) -> Result<(), JsonError> {
    serde_json::from_str::<IgnoredAny>(text)
        .map(|_| ())
        .map_err(|err| JsonError {
            message: format!("invalid JSON: {err}"),
            line: err.line(),
            column: err.column(),
        })
}

/// The most bytes a formatted body may have: indentation can multiply a
/// body's size by a hundred.
const MAX_FORMATTED_BYTES: usize = 16 * 1024 * 1024;

/// `text` re-indented with two spaces, or the reason it is not JSON or is not
/// formatted: nested 128 levels deep or more (a line per level, each indented
/// further: a pasted 256 KB document of 131,000 levels would take tens of
/// gigabytes), or over 16 MiB once formatted.
pub fn format_json(text: &str) -> Result<String, String> {
    check_json(text).map_err(|e| e.message)?;
    if crate::limits::json::too_deep(text.as_bytes()) {
        return Err(format!(
            "not formatted: nested {} levels deep or more",
            crate::limits::json::DEPTH_LIMIT
        ));
    }
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() + bytes.len() / 4);
    let mut indent = 0usize;
    let mut i = 0;
    let newline = |out: &mut Vec<u8>, indent: usize| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', indent * 2));
    };
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        match b {
            b'"' => {
                // Copy the string verbatim, escapes included.
                out.push(b);
                while i < bytes.len() {
                    let c = bytes[i];
                    out.push(c);
                    i += 1;
                    if c == b'\\' && i < bytes.len() {
                        out.push(bytes[i]);
                        i += 1;
                    } else if c == b'"' {
                        break;
                    }
                }
            }
            b'{' | b'[' => {
                out.push(b);
                let close = if b == b'{' { b'}' } else { b']' };
                let next = bytes[i..].iter().position(|c| !c.is_ascii_whitespace());
                if let Some(n) = next
                    && bytes[i + n] == close
                {
                    // An empty object or array stays on one line.
                    out.push(close);
                    i += n + 1;
                } else {
                    indent += 1;
                    newline(&mut out, indent);
                }
            }
            b'}' | b']' => {
                indent = indent.saturating_sub(1);
                newline(&mut out, indent);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(&mut out, indent);
            }
            b':' => out.extend_from_slice(b": "),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => out.push(b),
        }
        if out.len() > MAX_FORMATTED_BYTES {
            return Err("not formatted: it would take more than 16 MiB".into());
        }
    }
    // Only ASCII was added or dropped outside strings, so the bytes stay UTF-8.
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_keeps_key_order_and_number_spelling() {
        let pretty = format_json(r#"{"z":1.50,"a":[1,2,{}],"s":"x, y: {\"q\"}","e":[]}"#).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"z\": 1.50,\n  \"a\": [\n    1,\n    2,\n    {}\n  ],\n  \"s\": \"x, y: {\\\"q\\\"}\",\n  \"e\": []\n}"
        );
        // Formatting is stable.
        assert_eq!(format_json(&pretty).unwrap(), pretty);
    }

    #[test]
    fn a_body_too_deep_or_too_large_once_formatted_is_left_as_it_is() {
        let deep = format!("{}{}", "[".repeat(131_000), "]".repeat(131_000));
        assert_eq!(
            format_json(&deep),
            Err("not formatted: nested 128 levels deep or more".into())
        );
        // 127 levels around 100,000 values: 254 spaces of indentation each.
        let wide = format!(
            "{}{}1{}",
            "[".repeat(127),
            "1,".repeat(100_000),
            "]".repeat(127)
        );
        assert_eq!(
            format_json(&wide),
            Err("not formatted: it would take more than 16 MiB".into())
        );
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let err = check_json("{\n  \"a\": 1,\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 1));
        assert!(err.message.starts_with("invalid JSON: "), "{}", err.message);
        assert!(format_json("{").is_err());
    }

    #[test]
    fn json_is_recognised_by_its_first_character() {
        assert!(looks_like_json("  \n{\"a\":1}"));
        assert!(looks_like_json("[1]"));
        assert!(!looks_like_json("a=1&b=2"));
    }
}
