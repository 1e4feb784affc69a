//! The file's contents as typed data. Strings are kept as written, `${env:…}`
//! references included: they are resolved only when a profile becomes a
//! request (`Profile::to_spec`), so saving can write the references back.
//!
//! Unknown keys are not rejected here (no `deny_unknown_fields`): serde skips
//! them and `unknown_keys` lists them as warnings.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use clap::ValueEnum;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::request::Overrides;
use crate::sse::redact::SecretNames;
use crate::sse::request::{ApiKeyLocation, ReconnectPolicy};

/// The whole file. Every table is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Config {
    pub settings: Settings,
    /// Action name → key(s), merged over the default key bindings by the keymap.
    pub keys: BTreeMap<String, KeySpecList>,
    pub profiles: BTreeMap<String, Profile>,
    /// `[environments.NAME]`: values for `{{name}}` placeholders, one set per
    /// environment (dev, staging, prod), in the order written: the picker
    /// and `ssetui envs` list them so.
    pub environments: indexmap::IndexMap<String, super::VarTable>,
}

/// `[settings]`: defaults for every request and for the UI. `None` means
/// "the built-in default".
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Reconnection delay until the server sends `retry:` (a duration such as "3s").
    #[serde(deserialize_with = "duration")]
    pub retry_delay: Option<Duration>,
    /// Cap of the exponential back-off after failed attempts.
    #[serde(deserialize_with = "duration")]
    pub max_retry_delay: Option<Duration>,
    /// Events kept per tab; the oldest are dropped past it.
    pub max_events: Option<usize>,
    /// Wire bytes kept per tab ("256MiB", or a number of bytes).
    #[serde(deserialize_with = "byte_size")]
    pub max_bytes: Option<usize>,
    pub time_format: Option<TimeFormat>,
    #[serde(deserialize_with = "value_enum")]
    pub theme: Option<ThemeVariant>,
    /// Colour overrides by style name. Reserved: parsed, not applied yet.
    pub colors: BTreeMap<String, String>,
    /// Show CR and LF in the Raw view.
    pub show_line_endings: Option<bool>,
    /// A live stream silent this long is flagged as stalled ("10s" by default).
    #[serde(deserialize_with = "duration")]
    pub stall_after: Option<Duration>,
    /// Headers sent with every request unless the request names them itself.
    pub headers: Headers,
    /// Request header and query parameter names whose values are secrets
    /// besides those the rule recognises (`X-Tenant`).
    pub secret_names: Vec<String>,
    /// Names the rule would call secret whose values are shown and kept
    /// anyway (`author`, `X-Session-Mode`).
    pub public_names: Vec<String>,
    /// Values for `{{name}}` placeholders, under those of an environment and a profile.
    pub vars: super::VarTable,
    /// Keep each request sent (UI, `print`, `check`) in `history.jsonl`
    /// beside the config file (on unless `false`).
    pub history: Option<bool>,
}

impl Settings {
    /// Whether requests sent go into the history file.
    pub fn keeps_history(&self) -> bool {
        self.history.unwrap_or(true)
    }

    /// The exceptions to the rule of which names are secret.
    pub fn secret_names(&self) -> SecretNames {
        SecretNames {
            secret: self.secret_names.clone(),
            public: self.public_names.clone(),
        }
    }

    /// What these settings give every request, as the layer
    /// `request::compose` puts under a profile and the command line.
    pub fn request_defaults(&self) -> Overrides {
        Overrides {
            retry_delay: self.retry_delay,
            max_retry_delay: self.max_retry_delay,
            headers: self.headers.0.clone(),
            secret_names: Some(self.secret_names()),
            ..Overrides::default()
        }
    }
}

/// Which background the UI's colours suit (`--theme`, `theme` in the
/// settings): a name, which `ui::theme` maps to colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum ThemeVariant {
    /// Colours for a dark terminal background.
    #[default]
    Dark,
    /// Colours for a light (white) terminal background.
    Light,
}

/// How the event list shows receive times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeFormat {
    /// Local wall-clock time with milliseconds, `15:04:05.123`.
    LocalMs,
    /// UTC wall-clock time with milliseconds, `15:04:05.123`.
    UtcMs,
    /// Time since the first row the tab keeps, `+12.345s`.
    Relative,
}

impl Config {
    /// `[keys]` as the keymap takes it: action name to its keys.
    pub fn key_table(&self) -> BTreeMap<String, Vec<String>> {
        self.keys
            .iter()
            .map(|(action, keys)| {
                let keys = keys.keys().into_iter().map(str::to_owned).collect();
                (action.clone(), keys)
            })
            .collect()
    }
}

/// One key or several for an action, as written: `quit = "q"` or
/// `quit = ["q", "ctrl-c"]`. Parsed and validated by the keymap.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeySpecList {
    One(String),
    Many(Vec<String>),
}

impl KeySpecList {
    /// The key texts, in the order written.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            Self::One(key) => vec![key.as_str()],
            Self::Many(keys) => keys.iter().map(String::as_str).collect(),
        }
    }
}

/// `[profiles.NAME]`: a saved endpoint. Strings may hold `${env:NAME}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Profile {
    pub url: String,
    /// GET unless a body is given (then POST).
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub headers: Headers,
    /// Header names whose values are secrets (masked, redacted, checked for permissions).
    #[serde(default)]
    pub secret_headers: Vec<String>,
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub auth: ProfileAuth,
    #[serde(default)]
    pub last_event_id: Option<String>,
    #[serde(default, deserialize_with = "value_enum")]
    pub reconnect: Option<ReconnectPolicy>,
    /// How the body is read: `sse` (whatever its type) or `ndjson`.
    #[serde(default, deserialize_with = "value_enum")]
    pub parse_as: Option<crate::sse::BodyFormat>,
    /// What the request speaks: `sse` (the default) or `mcp` (MCP over HTTP).
    #[serde(default, deserialize_with = "value_enum")]
    pub kind: Option<ProfileKind>,
    /// With `kind = "mcp"`: the protocol revision to use instead of negotiating one.
    #[serde(default)]
    pub mcp_version: Option<String>,
    /// How the UI shows the stream: the search (a `jq:` expression too) and
    /// where an LLM answer's text is.
    #[serde(flatten)]
    pub view: ViewSettings,
    #[serde(default)]
    pub description: Option<String>,
    /// Expectations `ssetui check --profile NAME` applies (flags add to them).
    #[serde(default)]
    pub check: Option<crate::check::core::Checks>,
    /// A JSON Schema file every event's data must meet (`print --validate`,
    /// `check`), relative to the config file's folder.
    #[serde(default)]
    pub schema: Option<String>,
    /// JSON Schema files by event type, over `schema` for those types.
    #[serde(default)]
    pub schemas: std::collections::BTreeMap<String, String>,
    /// The environment this profile uses unless `--env` or the UI names another.
    #[serde(default)]
    pub env: Option<String>,
    /// Values for `{{name}}` placeholders, under those of the environment.
    #[serde(default)]
    pub vars: super::VarTable,
    /// The client id the MCP authorization chain logs in with, registered
    /// by hand at the server's authorization server: nothing is registered.
    #[serde(default)]
    pub mcp_client_id: Option<String>,
}

/// What a profile keeps of how the UI shows its stream, beside the request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ViewSettings {
    /// The search query in force (`type:…`, text, `/regex/`, `jq:EXPR`).
    #[serde(default)]
    pub search: Option<String>,
    /// Where each event's text is for the Answer view, for APIs not
    /// recognised by their shape (`output.text`).
    #[serde(default)]
    pub transcript_path: Option<String>,
    /// A jq expression whose value the event list shows in place of each
    /// event's data (`.choices[0].delta.content`); absent: an LLM chunk's
    /// text when the stream is recognised, else the data.
    #[serde(default)]
    pub list_column: Option<String>,
}

/// A profile's credentials, `auth = { kind = "bearer", token = "…" }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProfileAuth {
    #[default]
    None,
    Bearer {
        token: String,
    },
    Basic {
        user: String,
        password: String,
    },
    ApiKey {
        name: String,
        value: String,
        #[serde(default = "header_location", deserialize_with = "required_value_enum")]
        location: ApiKeyLocation,
    },
    /// A program that prints a token, run before the first attempt and
    /// again once the token is older than `ttl` or was rejected.
    Command {
        command: Vec<String>,
        #[serde(default, deserialize_with = "duration")]
        ttl: Option<Duration>,
        #[serde(default, deserialize_with = "duration")]
        timeout: Option<Duration>,
        #[serde(default)]
        header: Option<String>,
        #[serde(default)]
        prefix: Option<String>,
    },
    /// An OAuth2 grant whose access token is fetched, cached and refreshed.
    Oauth2(OAuth2Config),
}

/// `auth = { kind = "oauth2", grant = "client-credentials", token_url = "…", … }`.
/// Strings may hold `${env:NAME}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct OAuth2Config {
    /// `client-credentials` (the default), `refresh-token`,
    /// `authorization-code` (with PKCE) or `device-code`.
    #[serde(default)]
    pub grant: OAuth2GrantKind,
    pub token_url: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// How the secret is sent: `basic` (HTTP Basic, the default) or `post`
    /// (in the form body).
    #[serde(default)]
    pub client_auth: OAuth2ClientAuth,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub audience: Option<String>,
    /// The refresh token the `refresh-token` grant starts from.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// The authorization endpoint (`authorization-code`).
    #[serde(default)]
    pub authorize_url: Option<String>,
    /// The device authorization endpoint (`device-code`).
    #[serde(default)]
    pub device_url: Option<String>,
    /// Keep the refresh token in a 0600 file beside the config.
    #[serde(default)]
    pub persist: bool,
    #[serde(default)]
    pub header: Option<String>,
    #[serde(default)]
    pub prefix: Option<String>,
}

/// `client_auth`: where an OAuth2 client's secret goes. The OAuth names
/// (`client_secret_basic`, `client_secret_post`) are accepted too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OAuth2ClientAuth {
    #[default]
    #[serde(alias = "client_secret_basic")]
    Basic,
    #[serde(alias = "client_secret_post")]
    Post,
}

/// Which OAuth2 grant gets the first token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OAuth2GrantKind {
    #[default]
    ClientCredentials,
    RefreshToken,
    AuthorizationCode,
    DeviceCode,
}

fn header_location() -> ApiKeyLocation {
    ApiKeyLocation::Header
}

/// Header name → value pairs in the order written (the file order is
/// restored after parsing, as the TOML deserializer sorts tables).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Headers(pub Vec<(String, String)>);

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;
        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of header name = \"value\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut pairs = Vec::new();
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    pairs.push((name, value));
                }
                Ok(Headers(pairs))
            }
        }
        deserializer.deserialize_map(HeadersVisitor)
    }
}

/// A duration written as humantime text: "500ms", "3s", "1m 30s".
fn duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    let text = String::deserialize(deserializer)?;
    humantime::parse_duration(&text).map(Some).map_err(|e| {
        de::Error::custom(format!(
            "expected a duration such as \"3s\" or \"500ms\", found {text:?} ({e})"
        ))
    })
}

/// A size as a number of bytes or text with a unit: "256MiB", "64K", "1G".
fn byte_size<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Bytes(u64),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Bytes(n) => usize::try_from(n)
            .map(Some)
            .map_err(|_| de::Error::custom("size out of range")),
        Raw::Text(text) => parse_size(&text).map(Some).map_err(de::Error::custom),
    }
}

/// "256MiB", "64K", "1G", "512" (binary units: K = 1024).
pub fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let expected = || format!("expected a size such as \"256MiB\" or 65536, found {text:?}");
    let n: usize = digits.parse().map_err(|_| expected())?;
    let factor: usize = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(expected()),
    };
    n.checked_mul(factor).ok_or_else(expected)
}

/// One of a clap value enum's names ("on-error", "light", "query"), so the
/// file and the command line spell choices the same way.
fn value_enum<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: ValueEnum,
{
    required_value_enum(deserializer).map(Some)
}

fn required_value_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: ValueEnum,
{
    struct Choice<T>(PhantomData<T>);
    impl<T: ValueEnum> Visitor<'_> for Choice<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "one of {}", choices::<T>())
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            T::from_str(text, true).map_err(|_| {
                E::custom(format!(
                    "expected one of {}, found {text:?}",
                    choices::<T>()
                ))
            })
        }
    }
    deserializer.deserialize_str(Choice(PhantomData))
}

fn choices<T: ValueEnum>() -> String {
    T::value_variants()
        .iter()
        .filter_map(|v| v.to_possible_value())
        .map(|v| format!("\"{}\"", v.get_name()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_units() {
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("64 K"), Ok(64 << 10));
        assert_eq!(parse_size("512"), Ok(512));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn choices_use_the_command_line_spelling() {
        assert_eq!(
            choices::<ReconnectPolicy>(),
            "\"always\", \"on-error\", \"never\""
        );
    }
}

/// What a profile's request speaks (`kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProfileKind {
    /// An event stream, read as the SSE spec says.
    Sse,
    /// MCP over HTTP: negotiated, every stream shown (`ssetui mcp`).
    Mcp,
}
