//! Request options as typed on the command line (curl-like), and their
//! translation into a [`RequestSpec`]. Shared by `print` and the UI.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use reqwest::{Method, Url};

use crate::config::ConfigFile;
use crate::limits::file;
use crate::sse::redact::SecretNames;
use crate::sse::request::{
    ApiKeyLocation, Auth, DEFAULT_MAX_RETRY_DELAY, DEFAULT_RETRY_DELAY, HttpVersionPref,
    ReconnectPolicy, RequestSpec, RetryOptions, TransportOptions,
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

    /// Start from this saved profile (see `ssetui profiles`); options given override its fields
    #[arg(short = 'p', long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Start from the request in this curl command (e.g. a browser's "Copy as cURL"); options given override its fields
    #[arg(long, value_name = "CMD", conflicts_with = "profile")]
    pub from_curl: Option<String>,

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

    /// Reconnection delay in ms until the server sends retry: [default: settings.retry_delay, else 3000]
    #[arg(long = "retry", value_name = "MS", help_heading = "Reconnection")]
    pub retry_ms: Option<u64>,

    /// Cap for the exponential back-off after failed attempts, in ms [default: settings.max_retry_delay, else 30000]
    #[arg(long = "retry-max", value_name = "MS", help_heading = "Reconnection")]
    pub retry_max_ms: Option<u64>,

    /// Retry these statuses instead of failing, honouring Retry-After (e.g. 429,502,503)
    #[arg(
        long,
        value_name = "CODES",
        value_delimiter = ',',
        help_heading = "Reconnection"
    )]
    pub retry_status: Vec<u16>,

    /// Connect timeout in seconds: TCP, TLS and the response head [default: the profile's or --from-curl's, else 10]
    #[arg(long, value_name = "SECS", value_parser = parse_secs, help_heading = "Timeouts")]
    pub connect_timeout: Option<Duration>,

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

    /// Read the body as an event stream whatever its type (sse), or a line at a time as NDJSON (ndjson) [default: event-stream, which requires text/event-stream]
    #[arg(long, value_enum, value_name = "FORMAT", help_heading = "HTTP")]
    pub parse_as: Option<crate::sse::BodyFormat>,
}

/// What the config file's `[settings]` give every request, under whatever
/// the command line or the profile says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDefaults {
    pub retry_delay: Option<Duration>,
    pub max_retry_delay: Option<Duration>,
    /// Sent unless the request names the header itself.
    pub headers: Vec<(String, String)>,
    /// The exceptions to the rule of which header and query names are secret.
    pub secret_names: SecretNames,
}

impl RequestArgs {
    /// No options at all: what the command line gives when nothing is typed.
    pub fn none() -> Self {
        #[derive(clap::Parser)]
        struct Wrap {
            #[command(flatten)]
            request: RequestArgs,
        }
        <Wrap as clap::Parser>::try_parse_from(["ssetui"])
            .map(|w| w.request)
            .unwrap_or_else(|err| unreachable!("empty arguments always parse: {err}"))
    }

    /// Builds the request from the command line alone. `default_max_retries`
    /// is the caller's: finite for scripts, unlimited for the interactive UI.
    pub fn to_spec(&self, default_max_retries: Option<u32>) -> Result<RequestSpec, ArgError> {
        let base = self.curl_import()?.map(|imported| imported.spec);
        self.to_spec_over(base, &RequestDefaults::default(), default_max_retries)
    }

    /// The request for `--profile NAME` (looked up in `config`) with these
    /// options over it, and the config's settings as defaults; without
    /// `--profile`, the command line alone over the settings.
    pub fn to_spec_with_config(
        &self,
        config: Option<&ConfigFile>,
        default_max_retries: Option<u32>,
    ) -> Result<RequestSpec, ArgError> {
        let base = match &self.profile {
            None if self.from_curl.is_some() => self.curl_import()?.map(|imported| {
                for flag in &imported.ignored {
                    crate::stdout::log(&format!("warning: --from-curl: ignored {flag}"));
                }
                imported.spec
            }),
            Some(name) => {
                let file = config.ok_or_else(|| {
                    arg_error(format!(
                        "--profile {name}: there is no config file to read it from (no home directory): use --config PATH"
                    ))
                })?;
                let profile = file
                    .require_profile(name)
                    .map_err(|e| arg_error(e.to_string()))?;
                Some(
                    profile
                        .to_spec(name)
                        .map_err(|e| arg_error(e.to_string()))?,
                )
            }
            None => None,
        };
        let defaults = config
            .map(|f| f.config().settings.request_defaults())
            .unwrap_or_default();
        self.to_spec_over(base, &defaults, default_max_retries)
    }

    /// The request `--from-curl` describes, if given, with the flags it skipped.
    pub fn curl_import(&self) -> Result<Option<crate::curl::Imported>, ArgError> {
        if self.profile.is_some() && self.from_curl.is_some() {
            return Err(arg_error(
                "--from-curl and --profile cannot be used together",
            ));
        }
        self.from_curl
            .as_deref()
            .map(|command| crate::curl::parse(command).map_err(|e| arg_error(e.to_string())))
            .transpose()
    }

    /// Builds the request over `base` (a profile's or `--from-curl`'s): each option given
    /// replaces the base's value; a header replaces the base's headers of the
    /// same name. Without a base, the URL is required. `defaults` fill in
    /// what neither says.
    pub fn to_spec_over(
        &self,
        base: Option<RequestSpec>,
        defaults: &RequestDefaults,
        default_max_retries: Option<u32>,
    ) -> Result<RequestSpec, ArgError> {
        let body = match (&self.data, &self.json) {
            (Some(data), _) => Some(("application/x-www-form-urlencoded", read_body(data)?)),
            (None, Some(json)) => Some(("application/json", read_body(json)?)),
            (None, None) => None,
        };
        let method = self
            .method
            .as_deref()
            .map(|m| {
                crate::request::parse_method(&m.to_ascii_uppercase())
                    .map_err(|e| arg_error(e.to_string()))
            })
            .transpose()?;
        let mut spec = match base {
            Some(mut base) => {
                if let Some(url) = &self.url {
                    base.url = parse_url(url)?;
                }
                if let Some(method) = method {
                    // A policy that was only the old method's default follows the new one.
                    let was_default = !base.reconnect_explicit
                        && base.reconnect == ReconnectPolicy::default_for(&base.method);
                    base.method = method;
                    if was_default {
                        base.reconnect = ReconnectPolicy::default_for(&base.method);
                    }
                }
                base
            }
            None => {
                let url_text = self.url.as_deref().ok_or_else(|| {
                    arg_error("a URL is required (or --profile NAME, or --from-curl CMD)")
                })?;
                let method = match method {
                    Some(method) => method,
                    None if body.is_some() => Method::POST,
                    None => Method::GET,
                };
                RequestSpec::new(method, parse_url(url_text)?)
            }
        };
        let mut given = Vec::new();
        for header in &self.headers {
            let (name, value) = parse_header(header)?;
            if name.eq_ignore_ascii_case("last-event-id") {
                spec.last_event_id = value;
            } else {
                given.push((name, value));
            }
        }
        spec.headers
            .retain(|(n, _)| !given.iter().any(|(g, _)| g.eq_ignore_ascii_case(n)));
        spec.headers.extend(given);
        let missing_defaults: Vec<(String, String)> = defaults
            .headers
            .iter()
            .filter(|(d, _)| !spec.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(d)))
            .cloned()
            .collect();
        spec.headers.splice(0..0, missing_defaults);
        spec.secret_overrides.clone_from(&defaults.secret_names);
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
        match self.auth()? {
            Auth::None => {}
            auth => spec.auth = auth,
        }
        if self.no_reconnect {
            spec.reconnect = ReconnectPolicy::Never;
            spec.reconnect_explicit = true;
        } else if let Some(policy) = self.reconnect {
            spec.reconnect = policy;
            spec.reconnect_explicit = true;
        }
        spec.retry = RetryOptions {
            initial_delay: self
                .retry_ms
                .map(Duration::from_millis)
                .or(defaults.retry_delay)
                .unwrap_or(DEFAULT_RETRY_DELAY),
            max_delay: self
                .retry_max_ms
                .map(Duration::from_millis)
                .or(defaults.max_retry_delay)
                .unwrap_or(DEFAULT_MAX_RETRY_DELAY),
            max_retries: self.max_retries.or(default_max_retries),
            retry_statuses: self.retry_status.clone(),
        };
        // Given here, it wins; otherwise the base's (a curl command's
        // --connect-timeout, a profile's) stays, and a new spec has the default.
        if let Some(timeout) = self.connect_timeout {
            spec.connect_timeout = timeout;
        }
        spec.idle_timeout = self.idle_timeout;
        spec.max_event_size = self.max_event_size;
        if let Some(format) = self.parse_as {
            spec.body_format = format;
        }
        // A flag given turns a transport setting on; one not given keeps the base's.
        let base_transport = std::mem::take(&mut spec.transport);
        spec.transport = TransportOptions {
            http_version: match (self.http1, self.http2) {
                (true, _) => HttpVersionPref::Http1Only,
                (_, true) => HttpVersionPref::Http2Only,
                _ => base_transport.http_version,
            },
            proxy: self.proxy.clone().or(base_transport.proxy),
            ca_certs: if self.cacert.is_empty() {
                base_transport.ca_certs
            } else {
                self.cacert.clone()
            },
            client_cert: self
                .cert
                .clone()
                .zip(self.key.clone())
                .or(base_transport.client_cert),
            insecure: self.insecure || base_transport.insecure,
            compressed: self.compressed || base_transport.compressed,
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
pub fn parse_url(text: &str) -> Result<Url, ArgError> {
    let text = text.trim();
    let full = if text.contains("://") {
        text.to_owned()
    } else {
        format!("http://{text}")
    };
    // The text as shown in an error: never a password or a secret query value.
    let shown = || crate::sse::redact::url_text(text, &SecretNames::default());
    let url =
        Url::parse(&full).map_err(|e| arg_error(format!("invalid URL {:?}: {e}", shown())))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(arg_error(format!(
            "unsupported URL scheme {other:?} in {:?}: use http or https",
            shown()
        ))),
    }
}

/// `Name: value` as curl takes it; `Name:` means "remove this header".
fn parse_header(text: &str) -> Result<(String, String), ArgError> {
    // Errors quote the header's first word, never its value (a secret, often).
    let first: String = text
        .trim_start()
        .split([':', ' ', '\t'])
        .next()
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    let (name, value) = text
        .split_once(':')
        .ok_or_else(|| arg_error(format!("invalid header {first:?}…: expected 'Name: value'")))?;
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(arg_error(format!("invalid header name {first:?}…")));
    }
    let value = value.trim();
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(arg_error(format!(
            "invalid header {name:?}: control characters in its value"
        )));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// A body given inline, as `@FILE` (a regular file), or as `@-` for stdin,
/// at most 64 MiB either way.
fn read_body(arg: &str) -> Result<Vec<u8>, ArgError> {
    let read = match arg.strip_prefix('@') {
        Some("-") => file::read_stdin(file::BODY_FILE),
        Some(path) => file::read(std::path::Path::new(path), file::BODY_FILE),
        None => return Ok(arg.as_bytes().to_vec()),
    };
    read.map_err(|e| arg_error(format!("the body: {e}")))
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

    fn over(args: &[&str], base: RequestSpec, defaults: &RequestDefaults) -> RequestSpec {
        let parsed =
            Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied())).unwrap();
        parsed
            .args
            .to_spec_over(Some(base), defaults, None)
            .unwrap()
    }

    fn profile_spec() -> RequestSpec {
        let mut base = RequestSpec::get("http://saved/stream".parse().unwrap());
        base.headers = vec![
            ("Accept-Language".into(), "fr".into()),
            ("X-Trace".into(), "1".into()),
        ];
        base.auth = Auth::Bearer("saved".into());
        base.last_event_id = "7".into();
        base
    }

    #[test]
    fn options_override_a_profile_field_by_field() {
        let s = over(&[], profile_spec(), &RequestDefaults::default());
        assert_eq!(s, {
            let mut expected = profile_spec();
            expected.retry.max_retries = None;
            expected
        });
        let s = over(
            &[
                "http://other/x",
                "-H",
                "x-trace: 2",
                "--basic",
                "u:p",
                "-X",
                "POST",
            ],
            profile_spec(),
            &RequestDefaults::default(),
        );
        assert_eq!(s.url.as_str(), "http://other/x");
        assert_eq!(
            s.headers,
            [
                ("Accept-Language".to_owned(), "fr".to_owned()),
                ("x-trace".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(
            s.auth,
            Auth::Basic {
                user: "u".into(),
                password: "p".into()
            }
        );
        assert_eq!(s.last_event_id, "7", "kept from the profile");
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.reconnect, ReconnectPolicy::Never, "POST's default");
    }

    #[test]
    fn settings_fill_in_what_neither_the_profile_nor_the_options_say() {
        let defaults = RequestDefaults {
            retry_delay: Some(Duration::from_millis(250)),
            max_retry_delay: None,
            headers: vec![
                ("User-Agent".into(), "mine".into()),
                ("X-Trace".into(), "default".into()),
            ],
            ..RequestDefaults::default()
        };
        let s = over(&["--retry-max", "900"], profile_spec(), &defaults);
        assert_eq!(s.retry.initial_delay, Duration::from_millis(250));
        assert_eq!(s.retry.max_delay, Duration::from_millis(900));
        let names: Vec<_> = s.headers.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(
            names,
            ["User-Agent=mine", "Accept-Language=fr", "X-Trace=1"]
        );
        let s = over(&["--retry", "10"], profile_spec(), &defaults);
        assert_eq!(s.retry.initial_delay, Duration::from_millis(10));
    }

    #[test]
    fn from_curl_is_the_base_that_options_override() {
        let curl = "curl 'http://h/s' -H 'X-A: 1' -H 'Authorization: Bearer t' --data-raw b --compressed -k";
        let s = spec(&["--from-curl", curl]).unwrap();
        assert_eq!(s.method, Method::POST);
        assert_eq!(s.auth, Auth::Bearer("t".into()));
        assert_eq!(s.body.as_deref(), Some(&b"b"[..]));
        assert!(
            s.transport.compressed && s.transport.insecure,
            "kept from the command"
        );
        assert_eq!(s.retry.max_retries, Some(5));
        let s = spec(&[
            "--from-curl",
            curl,
            "http://other/x",
            "-H",
            "x-a: 2",
            "-X",
            "GET",
        ])
        .unwrap();
        assert_eq!(s.url.as_str(), "http://other/x");
        assert_eq!(s.method, Method::GET);
        assert_eq!(s.reconnect, ReconnectPolicy::Always, "GET's default");
        assert!(s.headers.contains(&("x-a".into(), "2".into())));
        assert!(!s.headers.iter().any(|(n, _)| n == "X-A"));
        let err = spec(&["--from-curl", "curl -H 'A: b'"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("no URL"), "{err}");
        assert!(spec(&["--from-curl", curl, "--profile", "p"]).is_err());
    }

    #[test]
    fn connect_timeout_flag_beats_the_curl_command_which_beats_the_default() {
        let curl = "curl --connect-timeout 2.5 http://h/";
        assert_eq!(
            spec(&["--from-curl", curl]).unwrap().connect_timeout,
            Duration::from_millis(2500),
            "the command's value, not the default"
        );
        let parsed = Wrapper::try_parse_from(["ssetui", "--from-curl", curl]).unwrap();
        assert_eq!(
            parsed
                .args
                .to_spec_with_config(None, None)
                .unwrap()
                .connect_timeout,
            Duration::from_millis(2500),
            "the path print and the UI take"
        );
        assert_eq!(
            spec(&["--from-curl", curl, "--connect-timeout", "7"])
                .unwrap()
                .connect_timeout,
            Duration::from_secs(7)
        );
        assert_eq!(
            spec(&["--from-curl", "curl http://h/"])
                .unwrap()
                .connect_timeout,
            crate::sse::request::DEFAULT_CONNECT_TIMEOUT
        );
        assert_eq!(
            spec(&["http://h/"]).unwrap().connect_timeout,
            crate::sse::request::DEFAULT_CONNECT_TIMEOUT
        );
    }

    #[test]
    fn without_a_profile_the_url_is_required() {
        let err = spec(&["-H", "A: b"]).unwrap_err().to_string();
        assert!(err.contains("URL") && err.contains("--profile"), "{err}");
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
