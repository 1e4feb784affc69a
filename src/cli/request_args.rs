//! Request options as typed on the command line (curl-like): a clap struct
//! that turns into a layer of [`Overrides`] and has `request::compose` build
//! the [`RequestSpec`] over the settings and a profile or a curl command.
//! Shared by the UI, `print` and `check`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::config::ConfigFile;
use crate::limits::file;
use crate::request::{self, Body, ContentType, Overrides, RequestError, VarSource, Vars};
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
    #[arg(
        short = 'p',
        long,
        value_name = "NAME",
        add = clap_complete::ArgValueCandidates::new(super::completions::profile_names)
    )]
    pub profile: Option<String>,

    /// Start from the request in this curl command (e.g. a browser's "Copy as cURL"); options given override its fields
    #[arg(long, value_name = "CMD", conflicts_with = "profile")]
    pub from_curl: Option<String>,

    /// Fill {{name}} placeholders from [environments.NAME] in the config (see `ssetui envs`) [default: the profile's env]
    #[arg(
        long = "env",
        value_name = "NAME",
        help_heading = "Variables",
        add = clap_complete::ArgValueCandidates::new(super::completions::environment_names)
    )]
    pub env: Option<String>,

    /// A value for {{NAME}}, over the environment's, the profile's and the settings' (repeatable)
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var, help_heading = "Variables")]
    pub vars: Vec<(String, String)>,

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

    /// A program that prints a token, e.g. 'gcloud auth print-access-token'
    /// (split into words as a shell splits them; no shell runs it): run
    /// before the first attempt, then again once the token is older than
    /// --auth-ttl or was rejected (401/403); sent as `Authorization: Bearer TOKEN`
    #[arg(long, value_name = "COMMAND", group = "auth", help_heading = "Auth")]
    pub auth_command: Option<String>,

    /// How long a token from --auth-command is used (e.g. 50m) [default: until rejected]
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration, requires = "auth_command", help_heading = "Auth")]
    pub auth_ttl: Option<Duration>,

    /// A cookie jar in the Netscape format curl uses: read if it exists,
    /// Set-Cookie kept and sent on reconnects, written back (mode 0600) when the stream ends
    #[arg(long, value_name = "FILE", help_heading = "Auth")]
    pub cookie_jar: Option<PathBuf>,

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

    #[command(flatten, next_help_heading = "HTTP")]
    pub transport: TransportArgs,

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

    /// How `print --mcp` and `check --mcp` follow the MCP authorization
    /// chain: tokens kept beside the config file, the client id of
    /// `--mcp-client-id` (`flag`), else of the profile's `mcp_client_id`.
    pub fn mcp_authorization(
        &self,
        flag: Option<&str>,
        config: &crate::config::Startup,
    ) -> crate::mcp::authorize::Options {
        let from_profile = || {
            let name = self.profile.as_deref()?;
            config.file.as_ref()?.profile(name)?.mcp_client_id.clone()
        };
        crate::mcp::authorize::Options::kept_beside(
            config.path.as_deref(),
            flag.map(str::to_owned).or_else(from_profile),
        )
    }

    /// [`Self::to_sendable`] for a headless command, the same for `print`,
    /// `check` and their `--mcp`: the reason it cannot be sent is logged
    /// (the caller exits 2); `--insecure` is warned of on stderr; and the
    /// request goes into the history as `sender` sent it, so no command
    /// that sends one can forget to.
    pub fn sendable_or_log(
        &self,
        config: &crate::config::Startup,
        default_max_retries: Option<u32>,
        sender: crate::history::Sender,
    ) -> Option<RequestSpec> {
        match self.to_sendable(config.file.as_ref(), default_max_retries) {
            Ok(spec) => {
                if spec.transport.insecure {
                    crate::stdout::log(
                        "warning: --insecure: the server's certificate is not verified",
                    );
                }
                if let Err(err) = config.remember(&spec, self.profile.as_deref(), sender) {
                    crate::stdout::log(&format!("warning: not kept in the history: {err}"));
                }
                Some(spec)
            }
            Err(err) => {
                crate::stdout::log(&err);
                None
            }
        }
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
        let vars = self.vars_with_config(config)?;
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
                    .profile_request(name, &vars)
                    .map_err(|e| arg_error(e.to_string()))?;
                layers.push(profile);
            }
            (None, Some(command)) => {
                let command = vars
                    .fill("--from-curl", command)
                    .map_err(|e| arg_error(e.to_string()))?;
                let imported =
                    crate::curl::parse(&command).map_err(|e| arg_error(e.to_string()))?;
                for flag in &imported.ignored {
                    crate::stdout::log(&format!("warning: --from-curl: ignored {flag}"));
                }
                layers.push(imported.request);
            }
            (None, None) => layers.extend(base),
        }
        layers.push(self.to_overrides_with(&vars)?);
        request::compose(layers).map_err(|err| match err {
            RequestError::NoUrl => {
                arg_error("a URL is required (or --profile NAME, or --from-curl CMD)")
            }
            err => arg_error(err.to_string()),
        })
    }

    /// The variables for `{{name}}`: `--var`, then `--env NAME` (else the
    /// profile's `env`), the profile's and the settings' `vars`.
    pub fn vars_with_config(&self, config: Option<&ConfigFile>) -> Result<Vars, ArgError> {
        match config {
            Some(file) => file
                .config()
                .vars(self.profile.as_deref(), self.env.as_deref(), &self.vars)
                .map_err(|e| arg_error(format!("--env: {e}"))),
            None if self.env.is_some() => Err(arg_error(
                "--env: there is no config file to read environments from (no home directory): use --config PATH",
            )),
            None => Ok(Vars::new().with(VarSource::Explicit, self.vars.iter().cloned())),
        }
    }

    /// What these options say of the request, as a layer for
    /// `request::compose`: each option given, and nothing else.
    /// Placeholders are left as written (see [`Self::to_overrides_with`]).
    pub fn to_overrides(&self) -> Result<Overrides, ArgError> {
        self.to_overrides_with(&Vars::new().with(VarSource::Explicit, self.vars.iter().cloned()))
    }

    /// [`Self::to_overrides`], each `{{name}}` in a value filled from `vars`
    /// before the value is read: an undefined one is an error naming it
    /// and the option.
    pub fn to_overrides_with(&self, vars: &Vars) -> Result<Overrides, ArgError> {
        let fill = |field: &str, text: &str| -> Result<String, ArgError> {
            vars.fill(field, text).map_err(|e| arg_error(e.to_string()))
        };
        let fill_body = |field: &str, bytes: Vec<u8>| -> Result<Vec<u8>, ArgError> {
            vars.fill_bytes(field, bytes)
                .map_err(|e| arg_error(e.to_string()))
        };
        let body = match (&self.data, &self.json) {
            (Some(data), _) => Some(Body {
                bytes: fill_body("the body (-d)", read_body(data)?)?,
                content_type: ContentType::Default("application/x-www-form-urlencoded".into()),
            }),
            (None, Some(json)) => Some(Body {
                bytes: fill_body("the body (--json)", read_body(json)?)?,
                content_type: ContentType::Replace("application/json".into()),
            }),
            (None, None) => None,
        };
        let method = self
            .method
            .as_deref()
            .map(|m| fill("the method (-X)", m))
            .transpose()?
            .map(|m| request::parse_method(&m.to_ascii_uppercase()))
            .transpose()
            .map_err(|e| arg_error(e.to_string()))?;
        let url = self
            .url
            .as_deref()
            .map(|u| fill("the URL", u))
            .transpose()?
            .map(|u| request::parse_url(&u))
            .transpose()
            .map_err(|e| arg_error(e.to_string()))?;
        let headers = self
            .headers
            .iter()
            .map(|line| {
                let name = line.split(':').next().unwrap_or_default().trim();
                let line = fill(&format!("header {name:?}"), line)?;
                request::header::parse_line(&line).map_err(|e| arg_error(e.to_string()))
            })
            .collect::<Result<_, _>>()?;
        let last_event_id = self
            .last_event_id
            .as_deref()
            .map(|id| fill("--last-event-id", id))
            .transpose()?;
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
            auth: Some(self.auth(&fill)?).filter(|auth| *auth != Auth::None),
            last_event_id,
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
            protocol: None,
            http_version: match (self.http1, self.http2) {
                (true, _) => Some(HttpVersionPref::Http1Only),
                (_, true) => Some(HttpVersionPref::Http2Only),
                _ => None,
            },
            proxy: self.transport.proxy.clone(),
            ca_certs: self.transport.cacert.clone(),
            client_cert: self.transport.client_cert(),
            insecure: self.transport.insecure,
            compressed: self.compressed,
            secret_headers: Vec::new(),
            secret_names: None,
            session: self.session()?,
        })
    }

    fn auth(
        &self,
        fill: &dyn Fn(&str, &str) -> Result<String, ArgError>,
    ) -> Result<Auth, ArgError> {
        if let Some(token) = &self.bearer {
            return Ok(Auth::Bearer(fill("--bearer", token)?));
        }
        if let Some(pair) = &self.basic {
            let pair = fill("--basic", pair)?;
            let (user, password) = pair
                .split_once(':')
                .ok_or_else(|| arg_error("--basic expects USER:PASSWORD"))?;
            return Ok(Auth::Basic {
                user: user.into(),
                password: password.into(),
            });
        }
        if let Some(pair) = &self.api_key {
            let pair = fill("--api-key", pair)?;
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

/// `--var NAME=VALUE`: a variable name (`[A-Za-z_][A-Za-z0-9_.-]*`) and its value.
fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: expected NAME=VALUE"))?;
    if !request::vars::is_var_name(name) {
        return Err(format!(
            "{name:?} is not a variable name: a letter or _, then letters, digits, _ . -"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
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

pub mod session;
#[cfg(test)]
mod tests;

/// How a connection reaches its server: proxy, trust, client certificate.
/// Shared by every command that connects (and `tap`, for its upstream).
#[derive(Debug, Clone, Default, Args)]
pub struct TransportArgs {
    /// Proxy URL (http://, https://, socks5://, socks5h://); the environment's proxy settings apply otherwise
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,

    /// Trust the CA certificates in this PEM file as well (repeatable)
    #[arg(long, value_name = "FILE")]
    pub cacert: Vec<PathBuf>,

    /// Client certificate chain (PEM)
    #[arg(long, value_name = "FILE", requires = "key")]
    pub cert: Option<PathBuf>,

    /// Client private key (PEM)
    #[arg(long, value_name = "FILE", requires = "cert")]
    pub key: Option<PathBuf>,

    /// Do not verify the server's certificate (insecure)
    #[arg(short = 'k', long)]
    pub insecure: bool,
}

impl TransportArgs {
    /// `--cert` and `--key` together (clap requires each with the other).
    pub fn client_cert(&self) -> Option<(PathBuf, PathBuf)> {
        self.cert.clone().zip(self.key.clone())
    }
}
