//! Keeping secrets out of everything shown: URLs, headers and error text.

use reqwest::Url;

use super::request::SecretNames;

/// What a redacted value is replaced with.
pub const MASK: &str = "***";

/// Query parameters redacted whatever the request says: names commonly carrying keys or tokens.
const SECRET_QUERY_NAMES: &[&str] = &[
    "api_key",
    "apikey",
    "api-key",
    "key",
    "token",
    "access_token",
    "auth",
    "password",
    "secret",
    "client_secret",
    "sig",
    "signature",
];

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

/// Redacts secret values in a raw query string without re-encoding the rest.
fn query_string(query: &str, names: &SecretNames) -> String {
    let pairs: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_query_name(name, names) => format!("{name}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect();
    pairs.join("&")
}

/// Whether a query parameter of this (raw, possibly percent-encoded) name
/// usually carries a secret, whatever the request says.
pub fn is_secret_query(raw_name: &str) -> bool {
    is_secret_query_name(raw_name, &SecretNames::default())
}

fn is_secret_query_name(raw_name: &str, names: &SecretNames) -> bool {
    let decoded: String = url::form_urlencoded::parse(raw_name.as_bytes())
        .next()
        .map(|(k, _)| k.into_owned())
        .unwrap_or_default();
    SECRET_QUERY_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(&decoded))
        || names.query.iter().any(|n| n.eq_ignore_ascii_case(&decoded))
}

/// A header value for display: secret ones masked, keeping an auth scheme
/// (`Bearer ***`) because that much helps debugging and reveals nothing.
pub fn header_value(name: &str, value: &str, names: &SecretNames) -> String {
    let lower = name.to_ascii_lowercase();
    if !names.headers.contains(&lower) && lower != "set-cookie" {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, _)) if lower.ends_with("authorization") => format!("{scheme} {MASK}"),
        _ => MASK.to_owned(),
    }
}

/// Replaces every occurrence of the given secret strings in free text (error
/// chains from lower layers can quote what they were given).
pub fn text(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 3) {
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
            headers: vec!["authorization".into(), "x-api-key".into()],
            query: vec!["custom".into()],
        }
    }

    #[test]
    fn url_credentials_and_secret_query_values_are_masked() {
        let u = Url::parse("https://user:hunter2@example.com/s?a=1&api_key=k1&custom=c&b=x%20y")
            .unwrap();
        assert_eq!(
            url(&u, &names()),
            "https://user:***@example.com/s?a=1&api_key=***&custom=***&b=x%20y"
        );
        let u = Url::parse("https://tok123@example.com/").unwrap();
        assert_eq!(url(&u, &names()), "https://***@example.com/");
    }

    #[test]
    fn auth_headers_keep_their_scheme_only() {
        assert_eq!(
            header_value("Authorization", "Bearer abc", &names()),
            "Bearer ***"
        );
        assert_eq!(header_value("X-Api-Key", "abc", &names()), "***");
        assert_eq!(
            header_value("Accept", "text/event-stream", &names()),
            "text/event-stream"
        );
    }

    #[test]
    fn secrets_in_free_text_are_masked() {
        assert_eq!(
            text("bad token s3cr3t here", &["s3cr3t".into()]),
            "bad token *** here"
        );
    }
}
