//! A curl command line to a request ([`Overrides`] for `request::compose`,
//! and the request it makes alone): the flags browsers' "Copy as
//! cURL" writes (Chrome and Firefox, bash and Windows flavours) and the
//! common hand-typed ones. Flags that mean nothing for a stream are accepted
//! silently; others are skipped and listed, so the user sees what was not
//! imported.

use base64::Engine as _;
use reqwest::Method;

use super::form::{self, FormPart};
use super::windows_words::{self, Flavour};
use super::{CurlError, Imported, shell_words};
use crate::request::header::{self, HeaderError};
use crate::request::{self, Body, ContentType, Overrides};
use crate::sse::request::{Auth, HttpVersionPref};

/// Flags that change nothing for ssetui: output, progress, redirects (always followed).
const HARMLESS: &[&str] = &[
    "-s",
    "--silent",
    "-S",
    "--show-error",
    "-N",
    "--no-buffer",
    "-L",
    "--location",
    "-v",
    "--verbose",
    "-i",
    "--include",
    "-#",
    "--progress-bar",
    "--no-progress-meter",
    "-f",
    "--fail",
    "--fail-with-body",
    "--path-as-is",
];

/// Flags skipped with a warning whose value must be consumed with them.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-w",
    "--write-out",
    "-m",
    "--max-time",
    "-T",
    "--upload-file",
    "-r",
    "--range",
    "-C",
    "--continue-at",
    "-z",
    "--time-cond",
    "-c",
    "--cookie-jar",
    "-D",
    "--dump-header",
    "--resolve",
    "--connect-to",
    "--interface",
    "--limit-rate",
    "-U",
    "--proxy-user",
    "-K",
    "--config",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "-Y",
    "--speed-limit",
    "-y",
    "--speed-time",
    "--dns-servers",
    "--local-port",
    "--ciphers",
    "--capath",
    "--pinnedpubkey",
    "--cert-type",
    "--key-type",
    "--pass",
    "--proxy-header",
    "--unix-socket",
    "--abstract-unix-socket",
    "--aws-sigv4",
    "-t",
    "--telnet-option",
    "-Q",
    "--quote",
    "--expect100-timeout",
    "--keepalive-time",
    "--output-dir",
];

/// Flags whose value ssetui imports.
const WITH_VALUE: &[&str] = &[
    "-X",
    "--request",
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-ascii",
    "--json",
    "--data-urlencode",
    "-F",
    "--form",
    "--form-string",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-b",
    "--cookie",
    "-e",
    "--referer",
    "--url",
    "--oauth2-bearer",
    "-x",
    "--proxy",
    "--cacert",
    "-E",
    "--cert",
    "--key",
    "--connect-timeout",
    "--max-redirs",
];

/// What the command line said, before it becomes a request.
#[derive(Default)]
struct Collected {
    method: Option<String>,
    urls: Vec<String>,
    headers: Vec<String>,
    data: Vec<Vec<u8>>,
    form: Vec<FormPart>,
    json: bool,
    globoff: bool,
    get: bool,
    user: Option<String>,
    bearer: Option<String>,
    ignored: Vec<String>,
    insecure: bool,
    compressed: bool,
    http_version: HttpVersionPref,
    proxy: Option<String>,
    cacert: Vec<std::path::PathBuf>,
    cert: Option<std::path::PathBuf>,
    key: Option<std::path::PathBuf>,
    connect_timeout: Option<std::time::Duration>,
    max_redirects: Option<u32>,
}

/// Parses `command` (starting with `curl`) into a request.
pub fn parse(command: &str) -> Result<Imported, CurlError> {
    let command = &lf_line_ends(command);
    let words = match windows_words::detect(command) {
        Flavour::Bash => shell_words::split(command)?,
        Flavour::Cmd => windows_words::split_cmd(command),
        Flavour::PowerShell => windows_words::split_powershell(command)?,
    };
    let mut words = words.into_iter().map(|w| match String::from_utf8(w) {
        Ok(s) => Word::Text(s),
        Err(e) => Word::Bytes(e.into_bytes()),
    });
    match words.next() {
        Some(Word::Text(first)) if is_curl(&first) => {}
        Some(other) => return Err(CurlError::NotCurl(other.lossy())),
        None => return Err(CurlError::NotCurl(String::new())),
    }
    let mut c = Collected::default();
    let mut only_urls = false;
    while let Some(word) = words.next() {
        let text = word.lossy();
        if only_urls || !text.starts_with('-') || text == "-" {
            c.urls.push(text);
            continue;
        }
        if text == "--" {
            only_urls = true;
            continue;
        }
        if text.starts_with("--") {
            // curl has no `--flag=value` form: the whole word is the flag's name.
            flag(&mut c, &text, None, &mut words)?;
            continue;
        }
        // Short flags may be bundled (`-sSN`) and a value may be attached (`-XPOST`).
        let letters: Vec<char> = text.chars().skip(1).collect();
        for (i, letter) in letters.iter().enumerate() {
            let name = format!("-{letter}");
            if takes_value(&name) {
                let rest: String = letters[i + 1..].iter().collect();
                let attached = (!rest.is_empty()).then_some(Word::Text(rest));
                flag(&mut c, &name, attached, &mut words)?;
                break;
            }
            flag(&mut c, &name, None, &mut words)?;
        }
    }
    build(c)
}

/// `command` with its line ends as the shell saw them when it was typed: a
/// terminal sends each newline of a paste as CR, a Windows clipboard holds
/// CRLF; both become LF, so `\`, `^` and backtick continuations work.
fn lf_line_ends(command: &str) -> String {
    command.replace("\r\n", "\n").replace('\r', "\n")
}

/// A shell word: text, or bytes that are not UTF-8 (from `$'\xff'`), kept for bodies.
enum Word {
    Text(String),
    Bytes(Vec<u8>),
}

impl Word {
    fn lossy(&self) -> String {
        match self {
            Word::Text(s) => s.clone(),
            Word::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        }
    }

    fn into_bytes(self) -> Vec<u8> {
        match self {
            Word::Text(s) => s.into_bytes(),
            Word::Bytes(b) => b,
        }
    }
}

/// `curl`, `curl.exe` or a path to either (but not a URL ending in `/curl`).
pub(super) fn is_curl(word: &str) -> bool {
    if word.contains("://") {
        return false;
    }
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    base == "curl" || base.eq_ignore_ascii_case("curl.exe")
}

fn takes_value(name: &str) -> bool {
    WITH_VALUE.contains(&name) || IGNORED_WITH_VALUE.contains(&name)
}

/// Applies one flag, taking its value from `attached` or the next word.
fn flag(
    c: &mut Collected,
    name: &str,
    attached: Option<Word>,
    words: &mut impl Iterator<Item = Word>,
) -> Result<(), CurlError> {
    if !takes_value(name) {
        match name {
            "-k" | "--insecure" => c.insecure = true,
            "--compressed" => c.compressed = true,
            "-G" | "--get" => c.get = true,
            "-g" | "--globoff" => c.globoff = true,
            "--http1.1" => c.http_version = HttpVersionPref::Http1Only,
            "--http2-prior-knowledge" => c.http_version = HttpVersionPref::Http2Only,
            // curl's --http2 means "try HTTP/2", which is ssetui's default.
            "--http2" => c.http_version = HttpVersionPref::Auto,
            n if HARMLESS.contains(&n) => {}
            // Anything else (-I, -O, --digest, unknown flags) is listed as not imported.
            n => c.ignored.push(n.to_owned()),
        }
        return Ok(());
    }
    let value = attached
        .or_else(|| words.next())
        .ok_or_else(|| CurlError::MissingValue(name.to_owned()))?;
    if IGNORED_WITH_VALUE.contains(&name) {
        // The flag only: values such as `--proxy-user` and `--pass` are secrets.
        c.ignored.push(name.to_owned());
        return Ok(());
    }
    match name {
        "-X" | "--request" => c.method = Some(value.lossy()),
        "-H" | "--header" => c.headers.push(value.lossy()),
        "-d" | "--data" | "--data-ascii" | "--data-binary" => {
            let bytes = value.into_bytes();
            if bytes.starts_with(b"@") {
                // Reading a local file from a pasted command would be a surprise; say so instead.
                c.ignored
                    .push(format!("{name} @file (file bodies are not read)"));
            } else if name == "--data-binary" {
                c.data.push(bytes);
            } else {
                // curl strips CR and LF from -d text (not from --data-binary or --data-raw).
                c.data.push(
                    bytes
                        .into_iter()
                        .filter(|b| *b != b'\r' && *b != b'\n')
                        .collect(),
                );
            }
        }
        "--data-raw" => c.data.push(value.into_bytes()),
        "--data-urlencode" => c.data.push(form::urlencode_part(&value.into_bytes())?),
        "-F" | "--form" => c.form.push(FormPart::parse(&value.lossy(), false)?),
        "--form-string" => c.form.push(FormPart::parse(&value.lossy(), true)?),
        "--json" => {
            c.json = true;
            c.data.push(value.into_bytes());
        }
        "-u" | "--user" => c.user = Some(value.lossy()),
        "--oauth2-bearer" => c.bearer = Some(value.lossy()),
        "-A" | "--user-agent" => c.headers.push(format!("User-Agent: {}", value.lossy())),
        "-b" | "--cookie" => {
            let v = value.lossy();
            if v.contains('=') {
                c.headers.push(format!("Cookie: {v}"));
            } else {
                c.ignored.push(format!("{name} (a cookie file)"));
            }
        }
        "-e" | "--referer" => {
            let v = value.lossy();
            // `;auto` asks curl to update the referer on redirects.
            let v = v.strip_suffix(";auto").unwrap_or(&v);
            if !v.is_empty() {
                c.headers.push(format!("Referer: {v}"));
            }
        }
        "--url" => c.urls.push(value.lossy()),
        "-x" | "--proxy" => c.proxy = Some(value.lossy()),
        "--cacert" => c.cacert.push(value.lossy().into()),
        "-E" | "--cert" => c.cert = Some(value.lossy().into()),
        "--key" => c.key = Some(value.lossy().into()),
        "--connect-timeout" => {
            let v = value.lossy();
            match v
                .parse::<f64>()
                .ok()
                .and_then(|s| std::time::Duration::try_from_secs_f64(s).ok())
            {
                Some(d) => c.connect_timeout = Some(d),
                None => c.ignored.push(format!("{name} (not a number of seconds)")),
            }
        }
        "--max-redirs" => {
            let v = value.lossy();
            match v.parse::<u32>() {
                Ok(n) => c.max_redirects = Some(n),
                Err(_) => c.ignored.push(format!("{name} (not a count)")),
            }
        }
        other => c.ignored.push(other.to_owned()),
    }
    Ok(())
}

/// The request the collected flags describe: what the command says of it,
/// and the request it makes alone.
fn build(mut c: Collected) -> Result<Imported, CurlError> {
    let mut urls = c.urls.drain(..);
    let url_text = urls.next().ok_or(CurlError::NoUrl)?;
    // Counted, not shown: a stray word may be half of a badly quoted secret.
    match urls.count() {
        0 => {}
        1 => c
            .ignored
            .push("a second URL (only the first is used)".into()),
        n => c
            .ignored
            .push(format!("{n} more URLs (only the first is used)")),
    }
    // curl reads `\[` `\]` `\{` `\}` in a URL as the literal bracket (its
    // globbing escapes; Chrome writes them); with --globoff they are plain text.
    let url_text = if c.globoff {
        url_text
    } else {
        unescape_globs(&url_text)
    };
    let mut url = request::parse_url(&url_text)
        .map_err(|e| CurlError::BadUrl(url_text.clone(), e.to_string()))?;
    if !c.form.is_empty() && (c.get || !c.data.is_empty()) {
        return Err(CurlError::FormAndData);
    }
    // curl joins several -d values with '&'.
    let data = (!c.data.is_empty()).then(|| c.data.join(&b'&'));
    let method = match &c.method {
        Some(m) => Some(request::parse_method(m)?),
        // -G: the data goes into the query string instead of a body.
        None if c.get => Some(Method::GET),
        None => None,
    };
    let mut r = Overrides {
        method,
        ..Overrides::default()
    };
    for header in &c.headers {
        let (name, value) = split_header(header)?;
        match auth_from_header(&name, &value) {
            Some(auth) => r.auth = Some(auth),
            None => r.headers.push((name, value)),
        }
    }
    match (c.get, data) {
        (true, Some(data)) => {
            let data = String::from_utf8_lossy(&data);
            let query = match url.query() {
                Some(q) if !q.is_empty() => format!("{q}&{data}"),
                _ => data.into_owned(),
            };
            url.set_query(Some(&query));
        }
        (_, Some(data)) => {
            let kind = if c.json {
                "application/json"
            } else {
                "application/x-www-form-urlencoded"
            };
            r.body = Some(Body {
                bytes: data,
                content_type: ContentType::Default(kind.into()),
            });
        }
        (_, None) => {}
    }
    r.url = Some(url);
    if !c.form.is_empty() {
        let (bytes, content_type) = form::multipart(&c.form);
        // The boundary is ours, so a Content-Type the command gave is replaced.
        r.body = Some(Body {
            bytes,
            content_type: ContentType::Replace(content_type),
        });
    }
    if let Some(user) = c.user {
        // `-u user` alone makes curl prompt for a password; here it is empty.
        let (user, password) = user.split_once(':').unwrap_or((&user, ""));
        r.auth = Some(Auth::Basic {
            user: user.into(),
            password: password.into(),
        });
    } else if let Some(token) = c.bearer {
        r.auth = Some(Auth::Bearer(token));
    }
    r.insecure = c.insecure;
    r.compressed = c.compressed;
    r.http_version = Some(c.http_version);
    r.proxy = c.proxy;
    r.ca_certs = c.cacert;
    match (c.cert, c.key) {
        (Some(cert), Some(key)) => r.client_cert = Some((cert, key)),
        (Some(_), None) => c.ignored.push("--cert (without --key)".into()),
        (None, Some(_)) => c.ignored.push("--key (without --cert)".into()),
        (None, None) => {}
    }
    r.connect_timeout = c.connect_timeout;
    r.max_redirects = c.max_redirects;
    let spec = request::compose([r.clone()]).map_err(CurlError::Request)?;
    Ok(Imported {
        request: r,
        spec,
        ignored: c.ignored,
    })
}

/// `text` with curl's URL globbing escapes (a backslash before `[]{}`) removed.
fn unescape_globs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next @ ('[' | ']' | '{' | '}')) if c == '\\' => {
                out.push(*next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// `Name: value` by the header rule; curl's `Name;` (an empty value) is
/// accepted too.
fn split_header(text: &str) -> Result<(String, String), HeaderError> {
    match text.strip_suffix(';') {
        Some(name) if !text.contains(':') => {
            header::check_name(name.trim())?;
            Ok((name.trim().to_owned(), String::new()))
        }
        _ => header::parse_line(text),
    }
}

/// An `Authorization: Bearer X` or `Basic base64(user:password)` header as
/// [`Auth`], so the UI masks it.
fn auth_from_header(name: &str, value: &str) -> Option<Auth> {
    if !name.eq_ignore_ascii_case("authorization") {
        return None;
    }
    let (scheme, rest) = value.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Some(Auth::Bearer(rest.to_owned()));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (user, password) = text.split_once(':')?;
        return Some(Auth::Basic {
            user: user.into(),
            password: password.into(),
        });
    }
    None
}
