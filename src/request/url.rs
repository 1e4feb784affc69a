//! The URL policy, one for every way a URL comes in (the command line, a
//! profile, a curl command, the request editor): a URL without a scheme is
//! `http://`, as curl takes `host:port/path`; any scheme but http and https,
//! a mistyped one such as `htp:/x` included, is an error naming it.

use reqwest::Url;

use crate::sse::redact::{self, SecretNames};

/// Why a text is not a URL ssetui can connect to. Never holds a password or
/// a secret query value: the URL is kept as [`redact::url_text`] shows it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("enter a URL, e.g. https://example.com/events")]
    Empty,
    /// The scheme as written, and the URL.
    #[error(
        "unsupported URL scheme {scheme:?} in {shown:?}: use http:// or https://, or no scheme for http"
    )]
    Scheme { scheme: String, shown: String },
    /// The URL, and what the parser found wrong with it.
    #[error("invalid URL {shown:?}: {reason}")]
    Invalid { shown: String, reason: String },
}

impl UrlError {
    /// What is wrong, without the URL: for the field that shows it.
    pub fn reason(&self) -> String {
        match self {
            UrlError::Empty => self.to_string(),
            UrlError::Scheme { scheme, .. } => {
                format!("unsupported URL scheme {scheme:?}: use http:// or https://")
            }
            UrlError::Invalid { reason, .. } => format!("invalid URL: {reason}"),
        }
    }
}

/// The URL `text` names, by the policy above. `text` is trimmed.
pub fn parse_url(text: &str) -> Result<Url, UrlError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(UrlError::Empty);
    }
    let shown = || redact::url_text(text, &SecretNames::default());
    let full = match scheme_of(text) {
        Some(scheme) if is_http(scheme) => text.to_owned(),
        Some(scheme) => {
            return Err(UrlError::Scheme {
                scheme: scheme.to_owned(),
                shown: shown(),
            });
        }
        None => format!("http://{text}"),
    };
    let invalid = |reason: String| UrlError::Invalid {
        shown: shown(),
        reason,
    };
    let url = Url::parse(&full).map_err(|e| invalid(e.to_string()))?;
    // The parser gives http and https a host or fails; said here all the same.
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it has no host".into()));
    }
    Ok(url)
}

fn is_http(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// The scheme `text` starts with, when it names one (RFC 3986: a letter,
/// then letters, digits, `+`, `-` or `.`, then `:`), and not a port
/// (`localhost:8900/x`) nor user info (`user:password@host`): those are
/// URLs without a scheme.
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let named = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !named {
        return None;
    }
    if rest.starts_with("//") {
        return Some(scheme);
    }
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    (!authority.contains('@')).then_some(scheme)
}
