//! Keeping secrets out of everything shown and stored: URLs, headers and
//! error text. One rule decides which request header and query parameter
//! names carry secrets ([`SecretNames::is_secret`]); every display, capture,
//! curl command and redirect goes through it.

use reqwest::Url;

/// What a redacted value is replaced with.
pub const MASK: &str = "***";

/// Parts of a name that mark it secret, wherever they appear in it, in any
/// case: `X-Api-Key`, `x-goog-api-key`, `X-Auth-Token`, `X-Amz-Signature`,
/// `refresh_token`, `accessToken`, `Cookie`, `Authorization`...
const SECRET_PARTS: &[&str] = &[
    "key",
    "token",
    "secret",
    "auth",
    "signature",
    "credential",
    "password",
    "passwd",
    "session",
    "cookie",
    "jwt",
];

/// Whole names that carry secrets but are too short to look for inside
/// others: OAuth's authorization `code`, a URL signature `sig`, `pwd`,
/// `pass`, a one-time `otp`.
const SECRET_WHOLE_NAMES: &[&str] = &["code", "sig", "pwd", "pass", "otp"];

/// Whether a request header or query parameter of this name carries a secret
/// by the rule alone: it contains one of [`SECRET_PARTS`] or is one of
/// [`SECRET_WHOLE_NAMES`], in any case. [`SecretNames`] adds the user's
/// exceptions.
pub fn is_secret_by_rule(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    SECRET_PARTS.iter().any(|part| lower.contains(part))
        || SECRET_WHOLE_NAMES.contains(&lower.as_str())
}

/// Which request header and query parameter names hold secrets for one
/// request: the rule, with the names the user made secret (`[settings]
/// secret_names`, a profile's `secret_headers`, the API key's own name) and
/// those they made public (`[settings] public_names`). A name given as
/// secret stays secret even when it is listed as public too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecretNames {
    /// Names always secret, compared without regard to case.
    pub secret: Vec<String>,
    /// Names never secret unless listed in `secret`, compared without regard to case.
    pub public: Vec<String>,
}

impl SecretNames {
    /// Whether the value of a request header, or of a query parameter
    /// (its name percent-decoded), of this name is a secret.
    pub fn is_secret(&self, name: &str) -> bool {
        let name = name.trim();
        let listed = |list: &[String]| list.iter().any(|n| n.trim().eq_ignore_ascii_case(name));
        if listed(&self.secret) {
            return true;
        }
        !listed(&self.public) && is_secret_by_rule(name)
    }

    /// [`SecretNames::is_secret`] for a query parameter name as it stands in a
    /// URL (percent-encoded, `+` for a space).
    pub fn is_secret_query(&self, raw_name: &str) -> bool {
        self.is_secret(&decode_query_name(raw_name))
    }

    /// These names with `more` made secret too.
    pub fn with_secret(mut self, more: impl IntoIterator<Item = String>) -> Self {
        self.secret.extend(more);
        self
    }
}

fn decode_query_name(raw_name: &str) -> String {
    url::form_urlencoded::parse(raw_name.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default()
}

/// The URL for display: a password (or a lone user name, often a token) and
/// secret query values replaced by `***`, every other byte as sent.
pub fn url(url: &Url, names: &SecretNames) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some(MASK));
    } else if !shown.username().is_empty() {
        let _ = shown.set_username(MASK);
    }
    if let Some(query) = url.query() {
        shown.set_query(Some(&query_string(query, names)));
    }
    shown.to_string()
}

/// URL text that may not parse (what a user typed, a profile's `url` with
/// `${env:…}` references, a server's `Location`) for display: whatever
/// stands before an `@` in its authority replaced by `***`, and secret
/// query values masked as [`url`] masks them.
pub fn url_text(text: &str, names: &SecretNames) -> String {
    if let Ok(parsed) = Url::parse(text)
        && parsed.has_host()
        && parsed.as_str() == text
    {
        return url(&parsed, names);
    }
    let (before_fragment, fragment) = match text.find('#') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let (before_query, query) = match before_fragment.find('?') {
        Some(i) => (&before_fragment[..i], Some(&before_fragment[i + 1..])),
        None => (before_fragment, None),
    };
    let authority_start = before_query.find("://").map_or(0, |i| i + 3);
    let authority_end = before_query[authority_start..]
        .find('/')
        .map_or(before_query.len(), |i| authority_start + i);
    let authority = &before_query[authority_start..authority_end];
    let mut out = String::with_capacity(text.len());
    out.push_str(&before_query[..authority_start]);
    match authority.rfind('@') {
        Some(at) if at > 0 => {
            out.push_str(MASK);
            out.push_str(&authority[at..]);
        }
        _ => out.push_str(authority),
    }
    out.push_str(&before_query[authority_end..]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(&query_string(query, names));
    }
    out.push_str(fragment);
    out
}

/// Redacts secret values in a raw query string without re-encoding the rest
/// (an empty value reveals nothing and stays empty).
fn query_string(query: &str, names: &SecretNames) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !value.is_empty() && names.is_secret_query(name) => {
                format!("{name}={MASK}")
            }
            _ => pair.to_owned(),
        })
        .collect();
    pairs.join("&")
}

/// The values of the secret query parameters in `url`, as written and
/// percent-decoded, for scrubbing them from free text.
pub fn query_values(url: &Url, names: &SecretNames) -> Vec<String> {
    let mut values = Vec::new();
    for pair in url.query().unwrap_or_default().split('&') {
        if let Some((name, raw)) = pair.split_once('=')
            && names.is_secret_query(name)
        {
            values.push(raw.to_owned());
            values.push(decode_query_name(raw));
        }
    }
    values
}

/// A request header's value for display: a secret one masked, keeping an
/// auth scheme (`Bearer ***`) because that much helps debugging and reveals
/// nothing.
pub fn header_value(name: &str, value: &str, names: &SecretNames) -> String {
    if !names.is_secret(name) {
        return value.to_owned();
    }
    if name.trim().eq_ignore_ascii_case("cookie") {
        // Which cookies were sent, not what they hold.
        return value
            .split(';')
            .map(|pair| match pair.split_once('=') {
                Some((cookie, _)) => format!("{}={MASK}", cookie.trim()),
                None => MASK.to_owned(),
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    match value.split_once(' ') {
        Some((scheme, _)) if name.trim().to_ascii_lowercase().ends_with("authorization") => {
            format!("{scheme} {MASK}")
        }
        _ => MASK.to_owned(),
    }
}

/// A response header's value for display. Only `Set-Cookie` is masked: the
/// rest (`WWW-Authenticate`, rate limits, session expiries) is what a
/// person debugging the stream needs to read.
pub fn response_header_value(name: &str, value: &str) -> String {
    if name.trim().eq_ignore_ascii_case("set-cookie") {
        MASK.to_owned()
    } else {
        value.to_owned()
    }
}

/// A response's headers for display, each value as
/// [`response_header_value`] shows it.
pub fn response_headers(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            let shown = String::from_utf8_lossy(v.as_bytes());
            (
                n.as_str().to_owned(),
                response_header_value(n.as_str(), &shown),
            )
        })
        .collect()
}

/// Replaces every occurrence of the given secret strings in free text (error
/// chains from lower layers, and bodies servers send back, can quote what
/// they were given). Strings shorter than 3 bytes are left alone.
pub fn text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    let mut secrets: Vec<&String> = secrets.iter().filter(|s| s.len() >= 3).collect();
    // Longest first, so a secret containing another is masked whole.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> SecretNames {
        SecretNames {
            secret: vec!["custom".into()],
            public: Vec::new(),
        }
    }

    #[test]
    fn the_rule_catches_every_secret_name_the_apis_use() {
        for name in [
            "Authorization",
            "Proxy-Authorization",
            "Cookie",
            "X-Api-Key",
            "api-key",
            "x-goog-api-key",
            "X-Auth-Token",
            "Ocp-Apim-Subscription-Key",
            "X-CSRF-Token",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "X-Amz-Security-Token",
            "X-Goog-Signature",
            "code",
            "subscription-key",
            "id_token",
            "refresh_token",
            "jwt",
            "private_token",
            "client_key",
            "client_secret",
            "session",
            "passwd",
            "password",
            "accessToken",
            "apikey",
            "api_key",
            "sig",
            "X-Hub-Signature-256",
        ] {
            assert!(is_secret_by_rule(name), "{name}");
        }
        for name in [
            "Accept",
            "Content-Type",
            "Last-Event-ID",
            "X-Trace",
            "model",
            "topic",
            "status_code",
            "n",
        ] {
            assert!(!is_secret_by_rule(name), "{name}");
        }
    }

    #[test]
    fn listed_names_override_the_rule_and_secret_wins_over_public() {
        let names = SecretNames {
            secret: vec!["X-Tenant".into(), "both".into()],
            public: vec!["author".into(), "X-Session-Mode".into(), "both".into()],
        };
        assert!(names.is_secret("x-tenant"));
        assert!(!names.is_secret("Author"));
        assert!(!names.is_secret("x-session-mode"));
        assert!(names.is_secret("both"));
        assert!(names.is_secret("X-Session-Id"), "the rule still applies");
        assert!(
            names.is_secret_query("X%2DTenant"),
            "query names are decoded"
        );
    }

    #[test]
    fn url_credentials_and_secret_query_values_are_masked() {
        let u = Url::parse(
            "https://user:hunter2@example.com/s?a=1&api_key=k1&custom=c&b=x%20y&X-Amz-Signature=ab",
        )
        .unwrap();
        assert_eq!(
            url(&u, &names()),
            "https://user:***@example.com/s?a=1&api_key=***&custom=***&b=x%20y&X-Amz-Signature=***"
        );
        let u = Url::parse("https://tok123@example.com/").unwrap();
        assert_eq!(url(&u, &names()), "https://***@example.com/");
    }

    #[test]
    fn url_text_that_does_not_parse_loses_its_credentials_and_secret_values() {
        let n = SecretNames::default();
        assert_eq!(
            url_text("http://me:hunter2@h.example:99999/s?token=t0k&n=1#f", &n),
            "http://***@h.example:99999/s?token=***&n=1#f"
        );
        assert_eq!(
            url_text("me:pw@host:1x/p@q", &n),
            "***@host:1x/p@q",
            "an @ in the path is not the authority's"
        );
        assert_eq!(
            url_text("${env:URL}", &n),
            "${env:URL}",
            "a reference shows as written"
        );
        assert_eq!(
            url_text("https://u:p@h.example/s?a=1", &n),
            "https://u:***@h.example/s?a=1"
        );
    }

    #[test]
    fn auth_headers_keep_their_scheme_only() {
        assert_eq!(
            header_value("Authorization", "Bearer abc", &names()),
            "Bearer ***"
        );
        assert_eq!(header_value("X-Api-Key", "abc def", &names()), "***");
        assert_eq!(
            header_value("Accept", "text/event-stream", &names()),
            "text/event-stream"
        );
    }

    #[test]
    fn of_response_headers_only_set_cookie_is_masked() {
        assert_eq!(response_header_value("set-cookie", "sid=1"), MASK);
        assert_eq!(
            response_header_value("www-authenticate", "Bearer realm=\"x\""),
            "Bearer realm=\"x\""
        );
        assert_eq!(response_header_value("x-session-ttl", "60"), "60");
    }

    #[test]
    fn secrets_in_free_text_are_masked() {
        assert_eq!(
            text("bad token s3cr3t here", &["s3cr3t".into()]),
            "bad token *** here"
        );
        assert_eq!(
            text("Bearer abcdef", &["abc".into(), "Bearer abcdef".into()]),
            "***",
            "the longer secret first"
        );
    }
}
