//! The header rule, one for `-H`, profiles, `[settings.headers]`, curl
//! commands, credentials and the request editor (RFC 9110 §5): a name is a
//! token (letters, digits or ``!#$%&'*+-.^_`|~``), a value holds no control
//! character but tab (CR, LF and NUL would end or split the header; DEL and
//! the rest are not field text either). What the wire accepts, checked
//! before anything is sent, with the field named.

/// The characters of an RFC 9110 token besides letters and digits.
const TOKEN_MARKS: &[u8] = b"!#$%&'*+-.^_`|~";

/// Whether `text` is an RFC 9110 token: at least one letter, digit or
/// ``!#$%&'*+-.^_`|~``. Header names and methods are tokens.
pub fn is_token(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || TOKEN_MARKS.contains(&b))
}

/// Whether `value` may be sent as a header value: no control character but tab.
pub fn is_value(value: &str) -> bool {
    !value.chars().any(|c| c.is_ascii_control() && c != '\t')
}

/// A header that breaks the rule. Names the header, never its value (a
/// secret, often).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The text's first word.
    #[error("invalid header {0:?}…: expected 'Name: value'")]
    NoColon(String),
    #[error(
        "invalid header name {0:?}: a name is letters, digits or !#$%&'*+-.^_`|~, without spaces or colons"
    )]
    Name(String),
    #[error("invalid header {0:?}: control characters in its value")]
    Value(String),
}

/// Checks a header name.
pub fn check_name(name: &str) -> Result<(), HeaderError> {
    if is_token(name) {
        Ok(())
    } else {
        Err(HeaderError::Name(shown(name)))
    }
}

/// Checks the value of header `name`.
pub fn check_value(name: &str, value: &str) -> Result<(), HeaderError> {
    if is_value(value) {
        Ok(())
    } else {
        Err(HeaderError::Value(shown(name)))
    }
}

/// Checks a header, its name first.
pub fn check(name: &str, value: &str) -> Result<(), HeaderError> {
    check_name(name)?;
    check_value(name, value)
}

/// `Name: value` as `-H` and curl take it, name and value trimmed; `Name:`
/// has an empty value (which, sent, removes a default such as `Accept`).
pub fn parse_line(text: &str) -> Result<(String, String), HeaderError> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| HeaderError::NoColon(first_word(text)))?;
    let (name, value) = (name.trim(), value.trim());
    check(name, value)?;
    Ok((name.to_owned(), value.to_owned()))
}

/// A name as an error quotes it: at most 40 characters.
fn shown(name: &str) -> String {
    name.chars().take(40).collect()
}

/// The text up to its first space, colon or `=` (at most 40 characters):
/// what an error may quote of a header or a form part, whose value may be a
/// secret.
pub fn first_word(text: &str) -> String {
    shown(
        text.trim_start()
            .split([':', '=', ' ', '\t'])
            .next()
            .unwrap_or(""),
    )
}
