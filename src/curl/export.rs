//! A [`RequestSpec`] as a curl command a user can paste into a shell: the
//! same method, URL, headers, body and credentials, with `-N` so curl shows
//! the stream as it arrives. Every part that comes from the request is
//! single-quoted (only `${env:NAME}` references become `"$NAME"`), so a
//! pasted command runs curl and nothing else.

use reqwest::Method;

use super::shell_words::quote;
use crate::sse::redact::{self, MASK};
use crate::sse::request::{ApiKeyLocation, Auth, HttpVersionPref, RequestSpec};

/// The curl command for `spec`, on one line. Unless `reveal`, credentials,
/// secret headers and secret query values are `***`. A `${env:NAME}`
/// reference left in a value becomes the shell's `"$NAME"`.
pub fn to_curl(spec: &RequestSpec, reveal: bool) -> String {
    let names = spec.secret_names();
    let mut url = spec.url.clone();
    if let Auth::ApiKey {
        name,
        value,
        location: ApiKeyLocation::Query,
    } = &spec.auth
    {
        url.query_pairs_mut().append_pair(name, value);
    }
    let url_text = if reveal {
        url.to_string()
    } else {
        redact::url(&url, &names)
    };
    let mut parts = vec!["curl".to_owned(), "-N".to_owned()];
    // curl infers the method as ssetui does (GET, or POST with a body); say it otherwise.
    let inferred = crate::request::default_method(spec.body.is_some());
    if spec.method != inferred || spec.method != Method::GET {
        // Quoted like every other part: a method is a token, and a token may
        // hold `` ` ``, `$` and `'` (a capture's method is whatever its file says).
        parts.push(format!("-X {}", quote(spec.method.as_str().as_bytes())));
    }
    parts.push(quote_text(&url_text));
    let header = |name: &str, value: &str| {
        let shown = if reveal {
            value.to_owned()
        } else {
            redact::header_value(name, value, &names)
        };
        format!("-H {}", quote_text(&format!("{name}: {shown}")))
    };
    for (name, value) in &spec.headers {
        parts.push(header(name, value));
    }
    match &spec.auth {
        Auth::None => {}
        Auth::Bearer(token) => parts.push(header("Authorization", &format!("Bearer {token}"))),
        Auth::ApiKey {
            name,
            value,
            location: ApiKeyLocation::Header,
        } => {
            let shown = if reveal { value.as_str() } else { MASK };
            parts.push(format!("-H {}", quote_text(&format!("{name}: {shown}"))));
        }
        Auth::ApiKey { .. } => {}
        Auth::Basic { user, password } => {
            let shown = if reveal { password.as_str() } else { MASK };
            parts.push(format!("-u {}", quote_text(&format!("{user}:{shown}"))));
        }
    }
    if !spec.last_event_id.is_empty() {
        parts.push(header("Last-Event-ID", &spec.last_event_id));
    }
    if let Some(body) = &spec.body {
        parts.push(format!("--data-raw {}", quote(body)));
    }
    let t = &spec.transport;
    match t.http_version {
        HttpVersionPref::Auto => {}
        HttpVersionPref::Http1Only => parts.push("--http1.1".into()),
        HttpVersionPref::Http2Only => parts.push("--http2-prior-knowledge".into()),
    }
    if let Some(proxy) = &t.proxy {
        let shown = match (reveal, proxy.parse()) {
            (false, Ok(parsed)) => redact::url(&parsed, &Default::default()),
            _ => proxy.clone(),
        };
        parts.push(format!("--proxy {}", quote_text(&shown)));
    }
    for ca in &t.ca_certs {
        parts.push(format!("--cacert {}", quote_text(&ca.to_string_lossy())));
    }
    if let Some((cert, key)) = &t.client_cert {
        parts.push(format!("--cert {}", quote_text(&cert.to_string_lossy())));
        parts.push(format!("--key {}", quote_text(&key.to_string_lossy())));
    }
    if t.compressed {
        parts.push("--compressed".into());
    }
    if t.insecure {
        parts.push("-k".into());
    }
    parts.join(" ")
}

/// `text` quoted, each `${env:NAME}` left outside the quotes as `"$NAME"`.
fn quote_text(text: &str) -> String {
    const OPEN: &str = "${env:";
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some(end) = after.find('}') else { break };
        let name = after[..end].trim();
        let is_identifier = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !is_identifier {
            break;
        }
        if start > 0 {
            out.push_str(&quote(&rest.as_bytes()[..start]));
        }
        out.push_str(&format!("\"${name}\""));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push_str(&quote(rest.as_bytes()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_references_become_shell_variables() {
        assert_eq!(
            quote_text("Authorization: Bearer ${env:TOKEN}"),
            r#"'Authorization: Bearer '"$TOKEN""#
        );
        assert_eq!(quote_text("${env:A}${env:B}x"), r#""$A""$B"'x'"#);
        assert_eq!(quote_text("${env:not valid}"), "'${env:not valid}'");
        assert_eq!(quote_text(""), "''");
    }
}
