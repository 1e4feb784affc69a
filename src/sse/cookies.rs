//! A cookie jar as a browser keeps one for an event stream (RFC 6265, the
//! parts a stream needs: domain and path matching, `Secure`, expiry), read
//! from and written to the Netscape cookie file format curl uses
//! (`curl -b FILE` reads what `--cookie-jar FILE` writes here, and the other
//! way round). Pure: the caller passes the time and does the file I/O.

use reqwest::Url;

#[cfg(test)]
mod tests;

/// The first line curl writes, and the line it looks for.
const NETSCAPE_HEADER: &str = "# Netscape HTTP Cookie File";
/// curl's prefix for an `HttpOnly` cookie's line (otherwise a comment).
const HTTP_ONLY_PREFIX: &str = "#HttpOnly_";
/// The most cookies a jar keeps: a server sending a new one on every
/// response cannot grow it for ever.
const MAX_COOKIES: usize = 300;

/// One cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    pub name: String,
    pub value: String,
    /// Lower case, without a leading dot.
    pub domain: String,
    /// Sent to `domain` alone (no `Domain` attribute), not its subdomains.
    pub host_only: bool,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    /// Seconds since the epoch; `None` for a session cookie.
    pub expires: Option<i64>,
}

/// The cookies a connection has been given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieJar {
    cookies: Vec<Cookie>,
}

impl CookieJar {
    /// How many cookies the jar holds.
    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// The cookies, oldest first.
    pub fn cookies(&self) -> &[Cookie] {
        &self.cookies
    }

    /// Keeps the cookie a `Set-Cookie` line from `url` sets, or removes it
    /// when the line expires it. A line that is not a cookie, or whose
    /// `Domain` is not the host's, is ignored (as a browser ignores it).
    pub fn store(&mut self, url: &Url, set_cookie: &str, now: i64) {
        let Some(host) = url.host_str().map(str::to_ascii_lowercase) else {
            return;
        };
        let mut parts = set_cookie.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
            return;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_control) {
            return;
        }
        let mut cookie = Cookie {
            name: name.to_owned(),
            value: value.trim().trim_matches('"').to_owned(),
            domain: host.clone(),
            host_only: true,
            path: default_path(url),
            secure: false,
            http_only: false,
            expires: None,
        };
        let mut max_age = None;
        for attribute in parts {
            let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
            let val = val.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "domain" if !val.is_empty() => {
                    let domain = val.trim_start_matches('.').to_ascii_lowercase();
                    if !domain_matches(&host, &domain) {
                        return;
                    }
                    // RFC 6265 5.3 step 6: a Domain attribute, even the
                    // host's own, sends the cookie to subdomains too.
                    cookie.host_only = false;
                    cookie.domain = domain;
                }
                "path" if val.starts_with('/') => cookie.path = val.to_owned(),
                "secure" => cookie.secure = true,
                "httponly" => cookie.http_only = true,
                "max-age" => max_age = val.parse::<i64>().ok(),
                "expires" => {
                    if let Ok(at) = httpdate::parse_http_date(val)
                        && let Ok(since) = at.duration_since(std::time::UNIX_EPOCH)
                    {
                        cookie.expires = Some(i64::try_from(since.as_secs()).unwrap_or(i64::MAX));
                    }
                }
                _ => {}
            }
        }
        if let Some(seconds) = max_age {
            // Max-Age wins over Expires (RFC 6265 5.3 step 3).
            cookie.expires = Some(now.saturating_add(seconds));
        }
        self.cookies.retain(|c| {
            !(c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path)
        });
        if cookie.expires.is_some_and(|at| at <= now) {
            return;
        }
        if self.cookies.len() >= MAX_COOKIES {
            self.cookies.remove(0);
        }
        self.cookies.push(cookie);
    }

    /// The `Cookie` header a request to `url` carries, `None` when no
    /// cookie is for it. Longer paths first, as RFC 6265 5.4 asks.
    pub fn header_for(&self, url: &Url, now: i64) -> Option<String> {
        let host = url.host_str()?.to_ascii_lowercase();
        let path = url.path();
        let secure = url.scheme() == "https";
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| c.expires.is_none_or(|at| at > now))
            .filter(|c| {
                if c.host_only {
                    c.domain == host
                } else {
                    domain_matches(&host, &c.domain)
                }
            })
            .filter(|c| path_matches(path, &c.path))
            .filter(|c| !c.secure || secure)
            .collect();
        if matching.is_empty() {
            return None;
        }
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let pairs: Vec<String> = matching
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        Some(pairs.join("; "))
    }

    /// The jar in the Netscape format: a header line, then one line per
    /// cookie, tab-separated: domain, subdomains too (`TRUE`/`FALSE`), path,
    /// secure, expiry (0 for a session cookie), name, value.
    pub fn to_netscape(&self) -> String {
        let mut out =
            format!("{NETSCAPE_HEADER}\n# Written by ssetui; curl reads it with -b FILE.\n\n");
        for c in &self.cookies {
            let flag = |b: bool| if b { "TRUE" } else { "FALSE" };
            let prefix = if c.http_only { HTTP_ONLY_PREFIX } else { "" };
            let dot = if c.host_only { "" } else { "." };
            out.push_str(&format!(
                "{prefix}{dot}{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                c.domain,
                flag(!c.host_only),
                c.path,
                flag(c.secure),
                c.expires.unwrap_or(0),
                c.name,
                c.value
            ));
        }
        out
    }

    /// Reads a Netscape cookie file (curl's or ours). Comments, blank lines
    /// and lines that are not seven tab-separated fields are skipped;
    /// cookies expired at `now` are dropped.
    pub fn from_netscape(text: &str, now: i64) -> Self {
        let mut jar = Self::default();
        for line in text.lines() {
            let (http_only, line) = match line.strip_prefix(HTTP_ONLY_PREFIX) {
                Some(rest) => (true, rest),
                None if line.starts_with('#') => continue,
                None => (false, line),
            };
            let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
            let [domain, subdomains, path, secure, expires, name, value] = fields[..] else {
                continue;
            };
            let expires = match expires.trim().parse::<i64>() {
                Ok(0) => None,
                Ok(at) => Some(at),
                Err(_) => continue,
            };
            if name.is_empty() || expires.is_some_and(|at| at <= now) {
                continue;
            }
            if jar.cookies.len() >= MAX_COOKIES {
                break;
            }
            jar.cookies.push(Cookie {
                name: name.to_owned(),
                value: value.to_owned(),
                domain: domain.trim_start_matches('.').to_ascii_lowercase(),
                host_only: !subdomains.eq_ignore_ascii_case("TRUE"),
                path: path.to_owned(),
                secure: secure.eq_ignore_ascii_case("TRUE"),
                http_only,
                expires,
            });
        }
        jar
    }
}

/// RFC 6265 5.1.3: the host is the domain, or a subdomain of it (and not an
/// IP address).
fn domain_matches(host: &str, domain: &str) -> bool {
    host == domain
        || (host.ends_with(domain)
            && host[..host.len() - domain.len()].ends_with('.')
            && host.parse::<std::net::IpAddr>().is_err())
}

/// RFC 6265 5.1.4.
fn path_matches(request_path: &str, cookie_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/') || request_path[cookie_path.len()..].starts_with('/')))
}

/// RFC 6265 5.1.4's default-path: the URL's path up to its last `/`.
fn default_path(url: &Url) -> String {
    let path = url.path();
    match path.rfind('/') {
        Some(0) | None => "/".to_owned(),
        Some(at) => path[..at].to_owned(),
    }
}
