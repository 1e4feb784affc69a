//! The method: the one check for every way a method comes in (`-X`,
//! profiles, curl commands, captures, the request editor), and the one
//! default when none is given.

use reqwest::Method;

use super::header::is_token;

/// The method `text` names, when it is an HTTP method token (RFC 9110:
/// letters, digits and ``!#$%&'*+-.^_`|~``, at least one). The text is
/// taken as it is (callers trim or upper-case it first if they mean to).
pub fn parse_method(text: &str) -> Result<Method, InvalidMethod> {
    if !is_token(text) {
        return Err(InvalidMethod(text.to_owned()));
    }
    Method::from_bytes(text.as_bytes()).map_err(|_| InvalidMethod(text.to_owned()))
}

/// The method of a request that names none: POST when it has a body, GET
/// otherwise, as curl infers it.
pub fn default_method(has_body: bool) -> Method {
    if has_body { Method::POST } else { Method::GET }
}

/// A method that is not an HTTP token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid method {0:?}: a method is letters, digits or !#$%&'*+-.^_`|~, without spaces (e.g. GET)"
)]
pub struct InvalidMethod(pub String);
