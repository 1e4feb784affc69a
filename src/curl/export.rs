//! A [`RequestSpec`] as a curl command a user can paste into a shell: the
//! same method, URL, headers, body and credentials, with `-N` so curl shows
//! the stream as it arrives. Every part that comes from the request is
//! single-quoted (only `${env:NAME}` references become `"$NAME"`), so a
//! pasted command runs curl and nothing else.
//!
//! Secrets, unless revealed, come in three kinds: one held as `${env:VAR}`
//! (an environment's `token = "${env:STAGING_TOKEN}"`, a shell variable in
//! an imported command) is written `"$VAR"`, which runs as it is and leaks
//! nothing; any other is `***`.

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
        masked_url(&url, &names)
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
        let shown = if reveal || held_in_env(value) {
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
            let shown = if reveal || held_in_env(value) {
                value.as_str()
            } else {
                MASK
            };
            parts.push(format!("-H {}", quote_text(&format!("{name}: {shown}"))));
        }
        Auth::ApiKey { .. } => {}
        Auth::Basic { user, password } => {
            let shown = if reveal || held_in_env(password) {
                password.as_str()
            } else {
                MASK
            };
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

/// Whether a secret value is only `${env:VAR}` references, after an
/// optional scheme word (`Bearer ${env:TOKEN}`): written as `"$VAR"`, it
/// shows no secret.
fn held_in_env(value: &str) -> bool {
    let value = value.trim();
    let refs = match value.split_once(' ') {
        Some((scheme, rest)) if scheme.bytes().all(|b| b.is_ascii_alphabetic()) => rest,
        _ => value,
    };
    crate::sse::env_ref::has_ref(refs)
        && crate::sse::env_ref::resolve(refs, &|_| Some(String::new()))
            .is_ok_and(|rest| rest.trim().is_empty())
}

/// The URL as `redact::url` shows it, except that a secret query value held
/// as `${env:VAR}` is kept (and written `"$VAR"`).
fn masked_url(url: &reqwest::Url, names: &redact::SecretNames) -> String {
    let Some(query) = url.query() else {
        return redact::url(url, names);
    };
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value))
                if !value.is_empty() && names.is_secret_query(name) && !held_in_env(value) =>
            {
                format!("{name}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    let mut head = url.clone();
    head.set_query(None);
    head.set_fragment(None);
    let fragment = url.fragment().map(|f| format!("#{f}")).unwrap_or_default();
    format!(
        "{}?{}{fragment}",
        redact::url(&head, names),
        pairs.join("&")
    )
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
    fn secrets_held_in_the_environment_export_as_variables_and_others_as_masks() {
        let mut spec = RequestSpec::get(
            "http://h/s?api_key=${env:KEY}&token=t0k&n=1"
                .parse()
                .unwrap(),
        );
        spec.headers = vec![
            ("X-Api-Key".into(), "${env:HEADER_KEY}".into()),
            ("X-Session".into(), "plain-session".into()),
            ("X-Org".into(), "acme".into()),
        ];
        spec.auth = Auth::Bearer("${env:STAGING_TOKEN}".into());
        let shown = to_curl(&spec, false);
        // Held as ${env:VAR}: the shell's "$VAR", still runnable.
        assert!(
            shown.contains(r#"'Authorization: Bearer '"$STAGING_TOKEN""#),
            "{shown}"
        );
        assert!(shown.contains(r#"'X-Api-Key: '"$HEADER_KEY""#), "{shown}");
        assert!(
            shown.contains(r#"api_key='"$KEY"'&token=***&n=1'"#),
            "{shown}"
        );
        // Other secrets: masked.
        assert!(shown.contains("'X-Session: ***'"), "{shown}");
        assert!(
            !shown.contains("t0k") && !shown.contains("plain-session"),
            "{shown}"
        );
        // Not secret: as it is.
        assert!(shown.contains("'X-Org: acme'"), "{shown}");
        // Revealed: every value, references still as variables.
        let revealed = to_curl(&spec, true);
        assert!(revealed.contains("token=t0k") && revealed.contains("plain-session"));
        assert!(revealed.contains(r#""$STAGING_TOKEN""#), "{revealed}");

        spec.auth = Auth::Basic {
            user: "me".into(),
            password: "${env:PASS}".into(),
        };
        assert!(to_curl(&spec, false).contains(r#"-u 'me:'"$PASS""#));
        spec.auth = Auth::Basic {
            user: "me".into(),
            password: "hunter2".into(),
        };
        assert!(to_curl(&spec, false).contains("-u 'me:***'"));
    }

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
