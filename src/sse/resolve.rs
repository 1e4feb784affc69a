//! The request as it goes on the wire: every `${env:NAME}` reference
//! replaced by the variable's value, and nothing sent while a value is
//! missing (redacted where the request came from, or a variable not set).
//! The one gate the UI, `print` and `check` pass before a connection starts;
//! the request they keep (and save) still holds its references.

use reqwest::Url;

use super::env_ref::{self, EnvLookup, EnvRefError};
use super::request::{Field, RequestSpec, query_pairs};

/// Why a request cannot be sent as it is, and which value is to blame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {why}")]
pub struct Unsendable {
    pub field: Field,
    /// The field in words: `header "Authorization"`, `the Bearer token`.
    pub what: String,
    pub why: Why,
}

/// What is wrong with the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Why {
    /// The value was masked where the request came from: the mask is not the value.
    #[error(
        "the capture redacted this value (it was recorded without its secrets): type it in, or use ${{env:VAR}}"
    )]
    Redacted,
    #[error("the environment variable {0} is not set")]
    MissingEnv(String),
    #[error("\"${{env:\" without its closing \"}}\"")]
    Unterminated,
    /// With the variables in, the value no longer makes a request (a URL that does not parse).
    #[error("with its variables in, {0}")]
    Invalid(String),
}

impl RequestSpec {
    /// `field` in words, for a message.
    pub fn describe(&self, field: Field) -> String {
        match field {
            Field::Url => "the URL".into(),
            Field::Query(i) => {
                let pair = query_pairs(&self.url).nth(i);
                let name = pair.map_or("", |p| p.split('=').next().unwrap_or(""));
                format!("query parameter {name:?}")
            }
            Field::Header(i) => {
                let name = self.headers.get(i).map_or("", |(n, _)| n.as_str());
                format!("header {name:?}")
            }
            Field::AuthToken => "the Bearer token".into(),
            Field::AuthUser => "the Basic user".into(),
            Field::AuthPassword => "the Basic password".into(),
            Field::ApiKeyName => "the API key's name".into(),
            Field::ApiKeyValue => "the API key".into(),
            Field::Body => "the body".into(),
            Field::LastEventId => "the Last-Event-ID".into(),
        }
    }

    /// The first value redacted where the request came from, if any: such a
    /// request is neither sent nor saved.
    pub fn check_redacted(&self) -> Result<(), Unsendable> {
        match self.redacted.iter().min() {
            Some(field) => Err(self.unsendable(*field, Why::Redacted)),
            None => Ok(()),
        }
    }

    /// The request as it is sent: every `${env:NAME}` replaced by the
    /// variable's value (percent-encoded inside the URL). Refused, naming the
    /// field, when a value was redacted where the request came from or a
    /// variable is not set.
    pub fn to_send(&self, env: EnvLookup<'_>) -> Result<RequestSpec, Unsendable> {
        self.check_redacted()?;
        let plain = |field: Field, text: &str| -> Result<String, Unsendable> {
            env_ref::resolve(text, env).map_err(|e| self.unsendable(field, why(e)))
        };
        let mut sent = self.clone();
        sent.url = self.resolve_url(env)?;
        for (i, (_, value)) in sent.headers.iter_mut().enumerate() {
            *value = plain(Field::Header(i), value)?;
        }
        sent.auth = self.auth.try_map_text(&plain)?;
        if let Some(text) = self
            .body
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
            .filter(|t| env_ref::has_ref(t))
        {
            sent.body = Some(plain(Field::Body, text)?.into_bytes());
        }
        sent.last_event_id = plain(Field::LastEventId, &self.last_event_id)?;
        Ok(sent)
    }

    /// The URL with its references resolved. The URL parser percent-encodes
    /// `{` and `}` before the query (and `:` in a password), so a reference
    /// there is read in that form too; a value goes in percent-encoded.
    fn resolve_url(&self, env: EnvLookup<'_>) -> Result<Url, Unsendable> {
        let text = self.url.as_str();
        let (before_fragment, fragment) = text.split_at(text.find('#').unwrap_or(text.len()));
        let (head, query) = match before_fragment.split_once('?') {
            Some((head, query)) => (head, Some(query)),
            None => (before_fragment, None),
        };
        let head = decode_encoded_refs(head);
        if !env_ref::has_ref(&head) && !query.is_some_and(env_ref::has_ref) {
            return Ok(self.url.clone());
        }
        let at_url = |e| self.unsendable(Field::Url, why(e));
        let path_from = head.find("://").map_or(0, |i| i + 3);
        let path_at = head[path_from..]
            .find('/')
            .map_or(head.len(), |i| path_from + i);
        let mut out =
            env_ref::resolve_encoded(&head[..path_at], env, &|v| percent_encode(v, false))
                .map_err(at_url)?;
        out.push_str(
            &env_ref::resolve_encoded(&head[path_at..], env, &|v| percent_encode(v, true))
                .map_err(at_url)?,
        );
        if let Some(query) = query {
            // Counted as `Field::Query` counts them: empty pairs kept, not counted.
            let mut n = 0;
            let mut pairs = Vec::new();
            for pair in query.split('&') {
                if pair.is_empty() {
                    pairs.push(String::new());
                    continue;
                }
                let resolved = env_ref::resolve_encoded(pair, env, &|v| {
                    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
                })
                .map_err(|e| self.unsendable(Field::Query(n), why(e)))?;
                pairs.push(resolved);
                n += 1;
            }
            out.push('?');
            out.push_str(&pairs.join("&"));
        }
        out.push_str(fragment);
        Url::parse(&out).map_err(|e| {
            self.unsendable(
                Field::Url,
                Why::Invalid(format!("the URL does not parse: {e}")),
            )
        })
    }

    fn unsendable(&self, field: Field, why: Why) -> Unsendable {
        Unsendable {
            field,
            what: self.describe(field),
            why,
        }
    }
}

fn why(err: EnvRefError) -> Why {
    match err {
        EnvRefError::Missing(name) => Why::MissingEnv(name),
        EnvRefError::Unterminated => Why::Unterminated,
    }
}

/// `text` with each `$%7Benv:NAME%7D` (as the URL parser writes `${env:NAME}`
/// outside the query; `%3A` for the colon in a password) written back as
/// `${env:NAME}`.
fn decode_encoded_refs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_ci(rest, "$%7Benv") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "$%7Benv".len()..];
        let colon = if after.starts_with(':') {
            1
        } else if starts_with_ci(after, "%3A") {
            3
        } else {
            0
        };
        let name_len = after[colon..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len() - colon);
        let name = &after[colon..colon + name_len];
        let tail = &after[colon + name_len..];
        if colon > 0 && !name.is_empty() && starts_with_ci(tail, "%7D") {
            out.push_str(&env_ref::reference(name));
            rest = &tail[3..];
        } else {
            out.push_str(&rest[start..start + "$%7Benv".len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

fn starts_with_ci(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Every byte but the unreserved ones (and `/` in a path) as `%XX`.
fn percent_encode(value: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_slash && b == b'/')
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::ApiKeyLocation;
    use crate::sse::request::Auth;

    fn env(name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("s3cr/et&x y".into()),
            "ORG" => Some("acme".into()),
            _ => None,
        }
    }

    fn spec(url: &str) -> RequestSpec {
        RequestSpec::get(url.parse().unwrap())
    }

    #[test]
    fn references_in_every_field_are_resolved_and_the_template_is_kept() {
        let mut template = spec("http://h/v1/${env:ORG}/s?key=${env:TOKEN}&a=1#top");
        template.headers = vec![("X-Org".into(), "org ${env:ORG}".into())];
        template.auth = Auth::Basic {
            user: "${env:ORG}".into(),
            password: "${env:TOKEN}".into(),
        };
        template.body = Some(b"{\"org\":\"${env:ORG}\"}".to_vec());
        template.last_event_id = "${env:ORG}-1".into();
        let sent = template.to_send(&env).unwrap();
        assert_eq!(
            sent.url.as_str(),
            "http://h/v1/acme/s?key=s3cr%2Fet%26x+y&a=1#top"
        );
        assert_eq!(sent.url.query_pairs().next().unwrap().1, "s3cr/et&x y");
        assert_eq!(sent.headers[0].1, "org acme");
        assert_eq!(
            sent.auth,
            Auth::Basic {
                user: "acme".into(),
                password: "s3cr/et&x y".into()
            }
        );
        assert_eq!(sent.body.as_deref(), Some(&b"{\"org\":\"acme\"}"[..]));
        assert_eq!(sent.last_event_id, "acme-1");
        assert!(
            template.headers[0].1.contains("${env:ORG}"),
            "kept as written"
        );
    }

    #[test]
    fn a_reference_in_the_user_info_is_read_in_its_encoded_form() {
        let template = spec("http://me:${env:TOKEN}@h/s");
        assert!(template.url.as_str().contains("%7B"), "{}", template.url);
        let sent = template.to_send(&env).unwrap();
        assert_eq!(sent.url.password(), Some("s3cr%2Fet%26x%20y"));
        assert_eq!(sent.url.host_str(), Some("h"));
    }

    #[test]
    fn a_missing_variable_names_itself_and_its_field() {
        let mut template = spec("http://h/s?a=1&token=${env:NOPE}");
        let err = template.to_send(&env).unwrap_err();
        assert_eq!(err.field, Field::Query(1));
        assert_eq!(err.why, Why::MissingEnv("NOPE".into()));
        assert_eq!(
            err.to_string(),
            "query parameter \"token\": the environment variable NOPE is not set"
        );
        template = spec("http://h/s");
        template.headers = vec![
            ("A".into(), "1".into()),
            (
                "Authorization".into(),
                "Bearer ${env:OPENAI_API_KEY}".into(),
            ),
        ];
        let err = template.to_send(&env).unwrap_err();
        assert_eq!(err.field, Field::Header(1));
        assert!(err.to_string().contains("OPENAI_API_KEY"), "{err}");
        template.headers.clear();
        template.auth = Auth::ApiKey {
            name: "k".into(),
            value: "${env:KEY".into(),
            location: ApiKeyLocation::Query,
        };
        let err = template.to_send(&env).unwrap_err();
        assert_eq!(
            (err.field, err.why),
            (Field::ApiKeyValue, Why::Unterminated)
        );
    }

    #[test]
    fn a_redacted_value_is_refused_before_anything_else() {
        let mut captured = spec("http://h/s");
        captured.headers = vec![
            ("Accept".into(), "text/event-stream".into()),
            ("Authorization".into(), "Bearer ***".into()),
        ];
        captured.redacted = vec![Field::Header(1)];
        let err = captured.to_send(&env).unwrap_err();
        assert_eq!(
            (err.field, err.why.clone()),
            (Field::Header(1), Why::Redacted)
        );
        assert!(
            err.to_string()
                .starts_with("header \"Authorization\": the capture redacted")
        );
        // The same text, not flagged, is a value like any other.
        captured.redacted.clear();
        assert_eq!(captured.to_send(&env).unwrap().headers[1].1, "Bearer ***");
    }
}
