//! Request options as typed on the command line (curl-like), and their
//! translation into a [`RequestSpec`]. Shared by `print` and the UI.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use reqwest::{Method, Url};

use crate::sse::request::{
    ApiKeyLocation, Auth, HttpVersionPref, ReconnectPolicy, RequestSpec, RetryOptions,
    TransportOptions,
};

/// A command-line value that cannot make a request. Exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ArgError(String);

fn arg_error(msg: impl Into<String>) -> ArgError {
    ArgError(msg.into())
}

#[derive(Debug, Clone, Args)]
pub struct RequestArgs {
    /// The SSE endpoint (http:// is assumed when no scheme is given)
    #[arg(value_name = "URL")]
    pub url: Option<String>,

    /// HTTP method [default: GET, or POST with -d/--json]
    #[arg(
        short = 'X',
        long = "request",
        value_name = "METHOD",
        help_heading = "Request"
    )]
    pub method: Option<String>,

    /// Header 'Name: value' (repeatable); 'Name:' removes a default such as Accept
    #[arg(
        short = 'H',
        long = "header",
        value_name = "HEADER",
        help_heading = "Request"
    )]
    pub headers: Vec<String>,

    /// Body, or @FILE (@- for stdin); sent as form data unless a Content-Type is given
    #[arg(
        short = 'd',
        long = "data",
        value_name = "BODY",
        conflicts_with = "json",
        help_heading = "Request"
    )]
    pub data: Option<String>,

    /// JSON body, or @FILE (@- for stdin); sets Content-Type: application/json
    #[arg(long, value_name = "BODY", help_heading = "Request")]
    pub json: Option<String>,

    /// Last-Event-ID to send on the first attempt
    #[arg(long, value_name = "ID", help_heading = "Request")]
    pub last_event_id: Option<String>,

    /// Authorization: Bearer TOKEN
    #[arg(long, value_name = "TOKEN", group = "auth", help_heading = "Auth")]
    pub bearer: Option<String>,

    /// Basic auth as USER:PASSWORD
    #[arg(
        long,
        value_name = "USER:PASSWORD",
        group = "auth",
        help_heading = "Auth"
    )]
    pub basic: Option<String>,

    /// API key as NAME=VALUE, sent as a header or a query parameter (--api-key-in)
    #[arg(long, value_name = "NAME=VALUE", group = "auth", help_heading = "Auth")]
    pub api_key: Option<String>,

    /// Where the API key goes
    #[arg(long, value_enum, default_value_t = ApiKeyLocation::Header, help_heading = "Auth")]
    pub api_key_in: ApiKeyLocation,

    /// When to reconnect [default: always for GET, never for other methods]
    #[arg(long, value_enum, value_name = "POLICY", help_heading = "Reconnection")]
    pub reconnect: Option<ReconnectPolicy>,

    /// Never reconnect (same as --reconnect never)
    #[arg(long, conflicts_with = "reconnect", help_heading = "Reconnection")]
    pub no_reconnect: bool,

    /// Consecutive failed attempts before giving up [default: 5 for print]
    #[arg(long, value_name = "N", help_heading = "Reconnection")]
    pub max_retries: Option<u32>,

    /// Reconnection delay in ms until the server sends retry:
    #[arg(
        long = "retry",
        value_name = "MS",
        default_value_t = 3000,
        help_heading = "Reconnection"
    )]
    pub retry_ms: u64,

    /// Cap for the exponential back-off after failed attempts, in ms
    #[arg(
        long = "retry-max",
        value_name = "MS",
        default_value_t = 30_000,
        help_heading = "Reconnection"
    )]
    pub retry_max_ms: u64,

    /// Retry these statuses instead of failing, honouring Retry-After (e.g. 429,502,503)
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        help_heading = "Reconnection"
    )]
    pub retry_status: Vec<u16>,

    /// TCP and TLS connect timeout in seconds
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_secs, help_heading = "Timeouts")]
    pub connect_timeout: Duration,

    /// Treat no bytes for SECS as a network error [default: off]
    #[arg(long, value_name = "SECS", value_parser = parse_secs, help_heading = "Timeouts")]
    pub idle_timeout: Option<Duration>,

    /// Largest event accepted, in bytes (K, M, G suffixes allowed)
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size, help_heading = "Limits")]
    pub max_event_size: usize,

    /// Speak HTTP/1.1 only
    #[arg(long = "http1.1", conflicts_with = "http2", help_heading = "HTTP")]
    pub http1: bool,

    /// Speak HTTP/2 only (prior knowledge over plain http)
    #[arg(long, help_heading = "HTTP")]
    pub http2: bool,

    /// Proxy URL (http://, https://, socks5://, socks5h://); the environment's proxy settings apply otherwise
    #[arg(long, value_name = "URL", help_heading = "HTTP")]
    pub proxy: Option<String>,

    /// Trust the CA certificates in this PEM file as well (repeatable)
    #[arg(long, value_name = "FILE", help_heading = "HTTP")]
    pub cacert: Vec<PathBuf>,

    /// Client certificate chain (PEM)
    #[arg(long, value_name = "FILE", requires = "key", help_heading = "HTTP")]
    pub cert: Option<PathBuf>,

    /// Client private key (PEM)
    #[arg(long, value_name = "FILE", requires = "cert", help_heading = "HTTP")]
    pub key: Option<PathBuf>,

    /// Do not verify the server's certificate (insecure)
    #[arg(short = 'k', long, help_heading = "HTTP")]
    pub insecure: bool,

    /// Ask for a compressed body and decode it (raw output then shows decoded bytes)
    #[arg(long, help_heading = "HTTP")]
    pub compressed: bool,
}

impl RequestArgs {
    /// Builds the request. `default_max_retries` is the caller's: finite for
    /// scripts, unlimited for the interactive UI.
    pub fn to_spec(&self, default_max_retries: Option<u32>) -> Result<RequestSpec, ArgError> {
        let url_text = self
            .url
            .as_deref()
            .ok_or_else(|| arg_error("a URL is required"))?;
        let url = parse_url(url_text)?;
        let body = match (&self.data, &self.json) {
            (Some(data), _) => Some(("application/x-www-form-urlencoded", read_body(data)?)),
            (None, Some(json)) => Some(("application/json", read_body(json)?)),
            (None, None) => None,
        };
        let method = match &self.method {
            Some(m) => Method::from_bytes(m.to_ascii_uppercase().as_bytes())
                .map_err(|_| arg_error(format!("invalid method {m:?}")))?,
            None if body.is_some() => Method::POST,
            None => Method::GET,
        };
        let mut spec = RequestSpec::new(method, url);
        for header in &self.headers {
            let (name, value) = parse_header(header)?;
            if name.eq_ignore_ascii_case("last-event-id") {
                spec.last_event_id = value;
            } else {
                spec.headers.push((name, value));
            }
        }
        if let Some((content_type, bytes)) = body {
            let has_type = spec
                .headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
            if !has_type || self.json.is_some() {
                spec.headers.retain(|(n, _)| {
                    !(self.json.is_some() && n.eq_ignore_ascii_case("content-type"))
                });
                spec.headers
                    .push(("Content-Type".into(), content_type.into()));
            }
            spec.body = Some(bytes);
        }
        if let Some(id) = &self.last_event_id {
            spec.last_event_id.clone_from(id);
        }
        spec.auth = self.auth()?;
        if self.no_reconnect {
            spec.reconnect = ReconnectPolicy::Never;
        } else if let Some(policy) = self.reconnect {
            spec.reconnect = policy;
        }
        spec.retry = RetryOptions {
            initial_delay: Duration::from_millis(self.retry_ms),
            max_delay: Duration::from_millis(self.retry_max_ms),
            max_retries: self.max_retries.or(default_max_retries),
            retry_statuses: self.retry_status.clone(),
        };
        spec.connect_timeout = self.connect_timeout;
        spec.idle_timeout = self.idle_timeout;
        spec.max_event_size = self.max_event_size;
        spec.transport = TransportOptions {
            http_version: match (self.http1, self.http2) {
                (true, _) => HttpVersionPref::Http1Only,
                (_, true) => HttpVersionPref::Http2Only,
                _ => HttpVersionPref::Auto,
            },
            proxy: self.proxy.clone(),
            ca_certs: self.cacert.clone(),
            client_cert: self.cert.clone().zip(self.key.clone()),
            insecure: self.insecure,
            compressed: self.compressed,
        };
        Ok(spec)
    }

    fn auth(&self) -> Result<Auth, ArgError> {
        if let Some(token) = &self.bearer {
            return Ok(Auth::Bearer(token.clone()));
        }
        if let Some(pair) = &self.basic {
            let (user, password) = pair
                .split_once(':')
                .ok_or_else(|| arg_error("--basic expects USER:PASSWORD"))?;
            return Ok(Auth::Basic {
                user: user.into(),
                password: password.into(),
            });
        }
        if let Some(pair) = &self.api_key {
            let (name, value) = pair
                .split_once('=')
                .filter(|(n, _)| !n.trim().is_empty())
                .ok_or_else(|| arg_error("--api-key expects NAME=VALUE, e.g. X-API-Key=abc123"))?;
            return Ok(Auth::ApiKey {
                name: name.trim().into(),
                value: value.into(),
                location: self.api_key_in,
            });
        }
        Ok(Auth::None)
    }
}

/// Parses a URL as curl does: `host:port/path` means `http://host:port/path`.
fn parse_url(text: &str) -> Result<Url, ArgError> {
    let text = text.trim();
    let full = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    let url = Url::parse(&full).map_err(|e| arg_error(format!("invalid URL {text:?}: {e}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(arg_error(format!(
            "unsupported URL scheme {other:?} in {text:?}: use http or https"
        ))),
    }
}

/// `Name: value` as curl takes it; `Name:` means "remove this header".
fn parse_header(text: &str) -> Result<(String, String), ArgError> {
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| arg_error(format!("invalid header {text:?}: expected 'Name: value'")))?;
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(arg_error(format!("invalid header name in {text:?}")));
    }
    let value = value.trim();
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(arg_error(format!(
            "invalid header {name:?}: control characters in its value"
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// A body given inline, as `@FILE`, or as `@-` for stdin.
fn read_body(arg: &str) -> Result<Vec<u8>, ArgError> {
    match arg.strip_prefix('@') {
        Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| arg_error(format!("cannot read the body from stdin: {e}")))?;
            Ok(buf)
        }
        Some(path) => std::fs::read(path)
            .map_err(|e| arg_error(format!("cannot read the body from {path:?}: {e}"))),
        None => Ok(arg.as_bytes().to_vec()),
    }
}

fn parse_secs(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs)
        .map_err(|_| format!("{text:?} is not a usable number of seconds"))
}

fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, ""),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 16M or 65536"))?;
    let factor: usize = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("unknown size unit in {text:?}: use K, M or G")),
    };
    n.checked_mul(factor)
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{text:?} is out of range"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: RequestArgs,
    }

    fn spec(args: &[&str]) -> Result<RequestSpec, ArgError> {
        let parsed = Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
            .map_err(|e| arg_error(e.to_string()))?;
        parsed.args.to_spec(Some(5))
    }

    #[test]
    fn get_defaults_to_always_reconnecting() {
        let s = spec(&["localhost:8900/clock"]).unwrap();
        assert_eq!(s.url.as_str(), "http://localhost:8900/clock");
        assert_eq!(s.method, Method::GET);
        assert_eq!(s.reconnect, ReconnectPolicy::Always);
        assert_eq!(s.retry.max_retries, Some(5));
    }

    #[test]
    fn json_body_makes_a_post_that_is_not_re_sent() {
        let s = spec(&["http://h/chat", "--json", "{\"a\":1}"]).unwrap();
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.reconnect, ReconnectPolicy::Never);
        assert_eq!(s.body.as_deref(), Some(&b"{\"a\":1}"[..]));
        assert!(
            s.headers
                .contains(&("Content-Type".into(), "application/json".into()))
        );
    }

    #[test]
    fn data_keeps_a_given_content_type() {
        let s = spec(&["http://h/", "-d", "x=1", "-H", "Content-Type: text/plain"]).unwrap();
        let types: Vec<_> = s
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .collect();
        assert_eq!(
            types,
            [&("Content-Type".to_owned(), "text/plain".to_owned())]
        );
    }

    #[test]
    fn last_event_id_header_becomes_the_initial_id() {
        let s = spec(&["http://h/", "-H", "Last-Event-ID: 41"]).unwrap();
        assert_eq!(s.last_event_id, "41");
        assert!(s.headers.is_empty());
    }

    #[test]
    fn auth_kinds_parse() {
        assert_eq!(
            spec(&["http://h/", "--bearer", "t"]).unwrap().auth,
            Auth::Bearer("t".into())
        );
        assert_eq!(
            spec(&["http://h/", "--basic", "u:p:q"]).unwrap().auth,
            Auth::Basic {
                user: "u".into(),
                password: "p:q".into()
            }
        );
        assert_eq!(
            spec(&["http://h/", "--api-key", "k=v=w", "--api-key-in", "query"])
                .unwrap()
                .auth,
            Auth::ApiKey {
                name: "k".into(),
                value: "v=w".into(),
                location: ApiKeyLocation::Query
            }
        );
        assert!(spec(&["http://h/", "--basic", "nocolon"]).is_err());
        assert!(
            spec(&["http://h/", "--bearer", "a", "--basic", "u:p"]).is_err(),
            "one auth kind at a time"
        );
    }

    #[test]
    fn bad_input_is_an_error_naming_it() {
        for (args, needle) in [
            (&["ftp://h/"][..], "scheme"),
            (&["http://h/", "-H", "NoColon"], "NoColon"),
            (&["http://h/", "-H", ": v"], "header name"),
            (&["http://h/", "-X", "GE T"], "method"),
            (
                &["http://h/", "-d", "@/nonexistent/file"],
                "/nonexistent/file",
            ),
            (&["http://[::1/"], "invalid URL"),
        ] {
            let err = spec(args).unwrap_err().to_string();
            assert!(err.contains(needle), "{args:?}: {err}");
        }
    }

    #[test]
    fn sizes_and_seconds_parse() {
        assert_eq!(parse_size("16M"), Ok(16 << 20));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("0").is_err());
        assert!(parse_size("1X").is_err());
        assert_eq!(parse_secs("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_secs("-1").is_err());
    }

    #[test]
    fn transport_flags_map() {
        let s = spec(&[
            "https://h/",
            "--http1.1",
            "-k",
            "--compressed",
            "--proxy",
            "socks5h://127.0.0.1:1080",
        ])
        .unwrap();
        assert_eq!(s.transport.http_version, HttpVersionPref::Http1Only);
        assert!(s.transport.insecure && s.transport.compressed);
        assert_eq!(
            s.transport.proxy.as_deref(),
            Some("socks5h://127.0.0.1:1080")
        );
        assert!(spec(&["https://h/", "--http1.1", "--http2"]).is_err());
        assert!(
            spec(&["https://h/", "--cert", "c.pem"]).is_err(),
            "--cert needs --key"
        );
    }
}
