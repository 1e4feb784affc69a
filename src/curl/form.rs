//! The two curl body flags that build their bytes: `--data-urlencode`
//! (percent-encoding, as curl does it) and `-F`/`--form` (a multipart/form-data
//! body). Both may name local files; a missing file is an error naming it.

use std::path::Path;

use super::CurlError;

/// One `--data-urlencode` argument as the bytes curl sends: `content`,
/// `=content`, `name=content`, `@file` or `name@file`, the content encoded
/// and the name kept as written (curl expects it encoded already).
pub fn urlencode_part(arg: &[u8]) -> Result<Vec<u8>, CurlError> {
    // curl looks for the first '=' or '@': whichever comes first decides the form.
    let split = arg.iter().position(|b| *b == b'=' || *b == b'@');
    let (name, content) = match split {
        Some(i) if arg[i] == b'@' => {
            let path = String::from_utf8_lossy(&arg[i + 1..]).into_owned();
            (&arg[..i], read_file(&path)?)
        }
        Some(i) => (&arg[..i], arg[i + 1..].to_vec()),
        None => (&arg[..0], arg.to_vec()),
    };
    let mut out = Vec::with_capacity(name.len() + content.len() * 3 + 1);
    if !name.is_empty() {
        out.extend_from_slice(name);
        out.push(b'=');
    }
    out.extend_from_slice(percent_encode(&content).as_bytes());
    Ok(out)
}

/// Form encoding as current curl writes it: letters, digits and `-._~`
/// unchanged, a space as `+`, every other byte as `%XX`.
pub fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(*b as char);
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One `-F` part: a field, or a file upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    name: String,
    value: Vec<u8>,
    /// Set for `name=@file` (or `;filename=`): the part is an upload.
    filename: Option<String>,
    content_type: Option<String>,
}

impl FormPart {
    /// Parses `name=value`, `name=@file` (an upload), `name=<file` (a field
    /// read from a file), each with optional `;type=` and `;filename=`.
    /// `literal` is `--form-string`: the value is taken as written.
    pub fn parse(arg: &str, literal: bool) -> Result<Self, CurlError> {
        // Named by its name only: without `=` the whole word may be a value.
        let bad = || {
            let name = arg.split_once('=').map_or("", |(name, _)| name);
            CurlError::BadForm(crate::request::header::first_word(name))
        };
        let (name, spec) = arg.split_once('=').ok_or_else(bad)?;
        if name.is_empty() {
            return Err(bad());
        }
        if literal {
            return Ok(FormPart {
                name: name.to_owned(),
                value: spec.as_bytes().to_vec(),
                filename: None,
                content_type: None,
            });
        }
        let (value, params) = split_params(spec);
        let mut content_type = None;
        let mut filename = None;
        for (key, v) in params {
            match key.to_ascii_lowercase().as_str() {
                "type" => content_type = Some(v),
                "filename" => filename = Some(v),
                _ => return Err(bad()),
            }
        }
        let value = if let Some(path) = value.strip_prefix('@') {
            let path = unquote(path);
            let bytes = read_file(&path)?;
            if filename.is_none() {
                let base = Path::new(&path)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.clone());
                filename = Some(base);
            }
            if content_type.is_none() {
                content_type = Some(guess_type(&path).to_owned());
            }
            bytes
        } else if let Some(path) = value.strip_prefix('<') {
            read_file(&unquote(path))?
        } else {
            unquote(&value).into_bytes()
        };
        Ok(FormPart {
            name: name.to_owned(),
            value,
            filename,
            content_type,
        })
    }
}

/// The value before the first `;type=` or `;filename=` and those parameters.
/// A value in double quotes may hold `;` (curl's own quoting rule).
fn split_params(spec: &str) -> (String, Vec<(String, String)>) {
    let (value, rest) = if spec.starts_with('"') {
        match closing_quote(spec) {
            Some(end) => (spec[..=end].to_owned(), &spec[end + 1..]),
            None => (spec.to_owned(), ""),
        }
    } else {
        let lower = spec.to_ascii_lowercase();
        let cut = [";type=", ";filename="]
            .iter()
            .filter_map(|p| lower.find(p))
            .min()
            .unwrap_or(spec.len());
        (spec[..cut].to_owned(), &spec[cut..])
    };
    let params = rest
        .split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_owned(), unquote(v.trim())),
            None => (p.trim().to_owned(), String::new()),
        })
        .collect();
    (value, params)
}

/// Where the double-quoted string opening `text` closes (`\"` escapes).
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// `"text"` without its quotes and with `\"` and `\\` unescaped; other text as is.
fn unquote(text: &str) -> String {
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if text.len() >= 2 => inner.replace("\\\"", "\"").replace("\\\\", "\\"),
        _ => text.to_owned(),
    }
}

/// The content type curl guesses from a file's extension.
fn guess_type(path: &str) -> &'static str {
    let ext = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "gif" => "image/gif",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "svg" => "image/svg+xml",
        "txt" => "text/plain",
        "htm" | "html" => "text/html",
        "pdf" => "application/pdf",
        "xml" => "application/xml",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

/// The multipart body for `parts` and its Content-Type header value. The
/// boundary is fixed (so an import is reproducible) and lengthened until no
/// part contains it.
pub fn multipart(parts: &[FormPart]) -> (Vec<u8>, String) {
    let mut boundary = String::from("------------------------ssetuiFormBoundary");
    while parts
        .iter()
        .any(|p| contains(&p.value, boundary.as_bytes()))
    {
        boundary.push('x');
    }
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        let mut disposition = format!(
            "Content-Disposition: form-data; name=\"{}\"",
            header_quote(&part.name)
        );
        if let Some(filename) = &part.filename {
            disposition.push_str(&format!("; filename=\"{}\"", header_quote(filename)));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(kind) = &part.content_type {
            body.extend_from_slice(format!("Content-Type: {kind}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.value);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (body, format!("multipart/form-data; boundary={boundary}"))
}

/// A name inside `"…"` in a part header: quotes and line breaks
/// percent-encoded, as curl and browsers write them.
fn header_quote(text: &str) -> String {
    text.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

/// A file a flag names; reading stdin (`-`) is not offered for a pasted command.
fn read_file(path: &str) -> Result<Vec<u8>, CurlError> {
    if path == "-" {
        return Err(CurlError::File(
            path.to_owned(),
            "reading stdin is not supported here".into(),
        ));
    }
    crate::limits::file::read(std::path::Path::new(path), crate::limits::file::BODY_FILE)
        .map_err(|e| CurlError::File(path.to_owned(), e.reason()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencode_forms() {
        let enc = |a: &str| String::from_utf8(urlencode_part(a.as_bytes()).unwrap()).unwrap();
        assert_eq!(enc("my name is moo[]"), "my+name+is+moo%5B%5D");
        assert_eq!(enc("=a=b&c"), "a%3Db%26c");
        assert_eq!(enc("y e s=s_i_r ü"), "y e s=s_i_r+%C3%BC");
        assert!(matches!(
            urlencode_part(b"n@/nonexistent/ssetui-file"),
            Err(CurlError::File(p, _)) if p == "/nonexistent/ssetui-file"
        ));
    }

    #[test]
    fn form_parts_parse_params_and_quotes() {
        let part = FormPart::parse("msg=hi;type=text/plain", false).unwrap();
        assert_eq!(part.value, b"hi");
        assert_eq!(part.content_type.as_deref(), Some("text/plain"));
        let part = FormPart::parse("msg=\"a;b\";filename=x.txt", false).unwrap();
        assert_eq!(part.value, b"a;b");
        assert_eq!(part.filename.as_deref(), Some("x.txt"));
        let part = FormPart::parse("raw=@not-a-file;x", true).unwrap();
        assert_eq!(part.value, b"@not-a-file;x");
        assert!(FormPart::parse("novalue", false).is_err());
        assert!(FormPart::parse("=v", false).is_err());
        let part = FormPart::parse("a=b;c=d", false).unwrap();
        assert_eq!(
            part.value, b"b;c=d",
            "a ';' that starts no known parameter is text"
        );
        assert!(FormPart::parse("a=b;type=t;color=red", false).is_err());
    }

    #[test]
    fn boundary_avoids_the_content() {
        let part = FormPart {
            name: "a\"b".into(),
            value: b"--------------------------ssetuiFormBoundary".to_vec(),
            filename: None,
            content_type: None,
        };
        let (body, kind) = multipart(&[part]);
        let boundary = kind.rsplit_once("boundary=").unwrap().1;
        assert!(boundary.ends_with('x'), "{boundary}");
        let text = String::from_utf8(body).unwrap();
        assert!(text.contains("name=\"a%22b\""), "{text}");
        assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    }
}
