//! curl interop: import a request from a curl command line (as browsers'
//! "Copy as cURL" writes it) and export the current request as one.

mod export;
mod form;
mod parse;
pub mod shell_words;
mod windows_words;

pub use export::to_curl;
pub use parse::parse;
pub use shell_words::SplitError;
/// A text as one bash word (single-quoted; `$'…'` when it holds control characters).
pub use shell_words::quote as shell_quote;

use crate::request::{HeaderError, InvalidMethod, Overrides, RequestError};
use crate::sse::request::RequestSpec;

/// Whether `text` starts with a curl program word (`curl`, Firefox's
/// `curl.exe`, or a path to either) followed by an argument: a paste to import
/// rather than to type into the URL field.
pub fn looks_like_command(text: &str) -> bool {
    let mut words = text.split_whitespace();
    words.next().is_some_and(parse::is_curl) && words.next().is_some()
}

/// A request read from a curl command, with what could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// What the command says of the request: the layer `--from-curl` puts
    /// under the command line (`request::compose`).
    pub request: Overrides,
    /// The request the command makes alone (a paste into the editor).
    pub spec: RequestSpec,
    /// The flags skipped, for a warning: output files, time limits and flags
    /// ssetui does not know. Named, never with their values (`--pass`,
    /// `--proxy-user` take secrets).
    pub ignored: Vec<String>,
}

/// Why a curl command cannot become a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurlError {
    #[error("curl command: {0}")]
    Split(#[from] SplitError),
    #[error("not a curl command: it starts with {0:?} instead of curl")]
    NotCurl(String),
    #[error("curl command: no URL")]
    NoUrl,
    /// The URL as written and why it is not usable.
    #[error("curl command: {1}")]
    BadUrl(String, String),
    #[error("curl command: {0}")]
    BadMethod(#[from] InvalidMethod),
    /// A header against the header rule (named, its value never quoted: it
    /// may be a secret).
    #[error("curl command: {0}")]
    BadHeader(#[from] HeaderError),
    /// Credentials that cannot be sent.
    #[error("curl command: {0}")]
    Request(RequestError),
    #[error("curl command: {0} needs a value")]
    MissingValue(String),
    /// A file named by `--data-urlencode` or `-F`, and why it cannot be read.
    #[error("curl command: cannot read {0:?}: {1}")]
    File(String, String),
    /// The part's name (its value is never quoted: it may be a secret).
    #[error(
        "curl command: invalid form part {0:?}…: expected name=value, name=@file or name=<file, with optional ;type= or ;filename="
    )]
    BadForm(String),
    #[error(
        "curl command: -F/--form cannot be combined with -d/--data or -G: curl allows one kind of body"
    )]
    FormAndData,
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_command_is_told_from_a_url() {
        for text in [
            "curl http://h/",
            "  curl.exe ^\"h^\"",
            "C:\\bin\\curl.exe h",
            "/usr/bin/curl\th",
        ] {
            assert!(super::looks_like_command(text), "{text}");
        }
        for text in ["curl", "http://h/curl x", "curly h", ""] {
            assert!(!super::looks_like_command(text), "{text}");
        }
    }
}
