//! Request options as typed on the command line (curl-like): a clap struct
//! that turns into a layer of [`Overrides`] and has `request::compose` build
//! the [`RequestSpec`] over the settings and a profile or a curl command.
//! Shared by the UI, `print` and `check`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::config::ConfigFile;
use crate::limits::file;
use crate::request::{self, Body, ContentType, Overrides, RequestError};
use crate::sse::request::{ApiKeyLocation, Auth, HttpVersionPref, ReconnectPolicy, RequestSpec};

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

    /// The request these options make, composed (`request::compose`) over
    /// the config's settings and `--profile NAME` (looked up in `config`) or
    /// `--from-curl CMD`, whose skipped flags are warned about on stderr.
    /// `default_max_retries` is the caller's: finite for scripts, unlimited
    /// for the interactive UI.
    pub fn to_spec_with_config(
        &self,
        config: Option<&ConfigFile>,
        default_max_retries: Option<u32>,
    ) -> Result<RequestSpec, ArgError> {
        self.compose(None, config, default_max_retries)
    }

    /// [`Self::to_spec_with_config`] as it is sent: its `${env:…}`
    /// references (a shell variable in `--from-curl`) resolved, a value
    /// masked where it came from refused. What `print` and `check` send.
    pub fn to_sendable(
        &self,
        config: Option<&ConfigFile>,
        default_max_retries: Option<u32>,
    ) -> Result<RequestSpec, String> {
        let spec = self
            .to_spec_with_config(config, default_max_retries)
            .map_err(|err| err.to_string())?;
        spec.to_send(&crate::sse::env_ref::process_env)
            .map_err(|err| err.to_string())
    }

    /// The request these options make over `base` where a profile or a
    /// curl command would be: the UI's start on its own demo (a URL,
    /// `--profile` or `--from-curl` given is an error: they would replace it).
    pub fn to_spec_over(
        &self,
        base: Overrides,
        config: Option<&ConfigFile>,
    ) -> Result<RequestSpec, ArgError> {
        if self.url.is_some() || self.profile.is_some() || self.from_curl.is_some() {
            return Err(arg_error(
                "a URL, --profile or --from-curl replaces the demo's request: give none",
            ));
        }
        self.compose(Some(base), config, None)
    }

    fn compose(
        &self,
        base: Option<Overrides>,
        config: Option<&ConfigFile>,
        default_max_retries: Option<u32>,
    ) -> Result<RequestSpec, ArgError> {
        let mut layers = vec![Overrides {
            max_retries: default_max_retries,
            ..Overrides::default()
        }];
        if let Some(file) = config {
            layers.push(file.config().settings.request_defaults());
        }
        match (&self.profile, &self.from_curl) {
            (Some(_), Some(_)) => {
                return Err(arg_error(
                    "--from-curl and --profile cannot be used together",
                ));
            }
            (Some(name), None) => {
                let file = config.ok_or_else(|| {
                    arg_error(format!(
                        "--profile {name}: there is no config file to read it from (no home directory): use --config PATH"
                    ))
                })?;
                let profile = file
                    .profile_request(name)
                    .map_err(|e| arg_error(e.to_string()))?;
                layers.push(profile);
            }
            (None, Some(command)) => {
                let imported = crate::curl::parse(command).map_err(|e| arg_error(e.to_string()))?;
                for flag in &imported.ignored {
                    crate::stdout::log(&format!("warning: --from-curl: ignored {flag}"));
                }
                layers.push(imported.request);
            }
            (None, None) => layers.extend(base),
        }
        layers.push(self.to_overrides()?);
        request::compose(layers).map_err(|err| match err {
            RequestError::NoUrl => {
                arg_error("a URL is required (or --profile NAME, or --from-curl CMD)")
            }
            err => arg_error(err.to_string()),
        })
    }

    /// What these options say of the request, as a layer for
    /// `request::compose`: each option given, and nothing else.
    pub fn to_overrides(&self) -> Result<Overrides, ArgError> {
        let body = match (&self.data, &self.json) {
            (Some(data), _) => Some(Body {
                bytes: read_body(data)?,
                content_type: ContentType::Default("application/x-www-form-urlencoded".into()),
            }),
            (None, Some(json)) => Some(Body {
                bytes: read_body(json)?,
                content_type: ContentType::Replace("application/json".into()),
            }),
            (None, None) => None,
        };
        let method = self
            .method
            .as_deref()
            .map(|m| request::parse_method(&m.to_ascii_uppercase()))
            .transpose()
            .map_err(|e| arg_error(e.to_string()))?;
        let url = self
            .url
            .as_deref()
            .map(request::parse_url)
            .transpose()
            .map_err(|e| arg_error(e.to_string()))?;
        let headers = self
            .headers
            .iter()
            .map(|line| request::header::parse_line(line))
            .collect::<Result<_, _>>()
            .map_err(|e| arg_error(e.to_string()))?;
        let reconnect = if self.no_reconnect {
            Some(ReconnectPolicy::Never)
        } else {
            self.reconnect
        };
        Ok(Overrides {
            url,
            method,
            headers,
            body,
            auth: Some(self.auth()?).filter(|auth| *auth != Auth::None),
            last_event_id: self.last_event_id.clone(),
            reconnect,
            retry_delay: self.retry_ms.map(Duration::from_millis),
            max_retry_delay: self.retry_max_ms.map(Duration::from_millis),
            max_retries: self.max_retries,
            retry_statuses: Some(self.retry_status.clone()).filter(|s| !s.is_empty()),
            connect_timeout: self.connect_timeout,
            idle_timeout: self.idle_timeout,
            max_event_size: Some(self.max_event_size),
            max_redirects: None,
            body_format: self.parse_as,
            http_version: match (self.http1, self.http2) {
                (true, _) => Some(HttpVersionPref::Http1Only),
                (_, true) => Some(HttpVersionPref::Http2Only),
                _ => None,
            },
            proxy: self.proxy.clone(),
            ca_certs: self.cacert.clone(),
            client_cert: self.cert.clone().zip(self.key.clone()),
            insecure: self.insecure,
            compressed: self.compressed,
            secret_headers: Vec::new(),
            secret_names: None,
        })
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

/// A size as the config file takes one (`config::parse_size`: "16M",
/// "64 K", "1GiB", 65536), and more than nothing.
fn parse_size(text: &str) -> Result<usize, String> {
    match crate::config::parse_size(text)? {
        0 => Err(format!("{text:?} is out of range: at least 1 byte")),
        n => Ok(n),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use reqwest::Method;

    use super::*;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: RequestArgs,
    }

    fn spec(args: &[&str]) -> Result<RequestSpec, ArgError> {
        spec_with(args, None)
    }

    fn spec_with(args: &[&str], config: Option<&ConfigFile>) -> Result<RequestSpec, ArgError> {
        let parsed = Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
            .map_err(|e| arg_error(e.to_string()))?;
        parsed.args.to_spec_with_config(config, Some(5))
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
    fn sizes_read_as_the_config_file_reads_them() {
        for text in [
            "16M",
            "64 K",
            "1GiB",
            "512",
            "12 parsecs",
            "",
            "99999999999999999999G",
        ] {
            assert_eq!(
                parse_size(text).is_ok(),
                crate::config::parse_size(text).is_ok(),
                "{text:?}"
            );
        }
    }

    /// A config file holding the profile `saved` and, when given, `[settings]` lines.
    fn config(settings: &str) -> ConfigFile {
        let text = format!(
            "[settings]\n{settings}\n[profiles.saved]\nurl = \"http://saved/stream\"\n\
             auth = {{ kind = \"bearer\", token = \"saved\" }}\nlast_event_id = \"7\"\n\
             [profiles.saved.headers]\nAccept-Language = \"fr\"\nX-Trace = \"1\"\n"
        );
        ConfigFile::parse(std::path::Path::new("t.toml"), &text)
            .unwrap()
            .0
    }

    #[test]
    fn options_override_a_profile_field_by_field() {
        let file = config("");
        let s = spec_with(&["--profile", "saved"], Some(&file)).unwrap();
        assert_eq!(s.url.as_str(), "http://saved/stream");
        assert_eq!(s.auth, Auth::Bearer("saved".into()));
        let s = spec_with(
            &[
                "--profile",
                "saved",
                "http://other/x",
                "-H",
                "x-trace: 2",
                "--basic",
                "u:p",
                "-X",
                "POST",
            ],
            Some(&file),
        )
        .unwrap();
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
        let file = config(
            "retry_delay = \"250ms\"\n[settings.headers]\nUser-Agent = \"mine\"\nX-Trace = \"default\"",
        );
        let s = spec_with(&["--profile", "saved", "--retry-max", "900"], Some(&file)).unwrap();
        assert_eq!(s.retry.initial_delay, Duration::from_millis(250));
        assert_eq!(s.retry.max_delay, Duration::from_millis(900));
        let names: Vec<_> = s.headers.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(
            names,
            ["User-Agent=mine", "Accept-Language=fr", "X-Trace=1"]
        );
        let s = spec_with(&["--profile", "saved", "--retry", "10"], Some(&file)).unwrap();
        assert_eq!(s.retry.initial_delay, Duration::from_millis(10));
        let s = spec_with(&["http://h/"], Some(&file)).unwrap();
        assert_eq!(
            s.headers.len(),
            2,
            "without a profile, the settings' headers too"
        );
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
    fn options_apply_over_the_demo_start_as_over_a_profile() {
        let base: reqwest::Url = "http://127.0.0.1:9/".parse().unwrap();
        let over = |args: &[&str]| {
            Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
                .unwrap()
                .args
                .to_spec_over(crate::demo_server::START.overrides(&base), None)
        };
        let s = over(&["-H", "X-A: 1"]).unwrap();
        assert_eq!(s.url.as_str(), "http://127.0.0.1:9/chat");
        assert_eq!(s.method, Method::POST);
        assert_eq!(
            s.body.as_deref(),
            Some(crate::demo_server::CHAT_SAMPLE_BODY.as_bytes())
        );
        assert!(s.headers.contains(&("X-A".into(), "1".into())));
        assert!(
            s.headers
                .contains(&("Content-Type".into(), "application/json".into()))
        );
        let s = over(&["-d", "a=1"]).unwrap();
        assert_eq!(
            s.body.as_deref(),
            Some(&b"a=1"[..]),
            "the option's body wins"
        );
        assert_eq!(
            s.headers,
            [(
                "Content-Type".to_owned(),
                "application/x-www-form-urlencoded".to_owned()
            )]
        );
        assert!(over(&["http://h/"]).is_err());
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
