//! curl interop: import a request from a curl command line (as browsers'
//! "Copy as cURL" writes it) and export the current request as one.

mod export;
mod parse;
mod shell_words;

pub use export::to_curl;
pub use parse::parse;
pub use shell_words::SplitError;

use crate::sse::request::RequestSpec;

/// A request read from a curl command, with what could not be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub spec: RequestSpec,
    /// The flags skipped (with their values), for a warning: output files,
    /// forms, time limits and flags ssetui does not know.
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
    #[error("curl command: invalid method {0:?}")]
    BadMethod(String),
    #[error("curl command: invalid header {0:?}: expected 'Name: value'")]
    BadHeader(String),
    #[error("curl command: {0} needs a value")]
    MissingValue(String),
}
