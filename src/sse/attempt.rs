//! One HTTP exchange of a connection: build the request exactly as it will be
//! sent, follow redirects, and accept or reject the response head.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Response, StatusCode, Url};

use super::client;
use super::error::{self, ConnError, ErrorKind};
use super::message::{Redirect, ResponseInfo, SentRequest};
use super::redact::{self, SecretNames};
use super::request::RequestSpec;

/// How many body bytes an error message quotes.
const BODY_PREVIEW_BYTES: usize = 1024;
/// How long reading an error body may take before the message goes without it.
const BODY_PREVIEW_TIMEOUT: Duration = Duration::from_secs(2);

/// A request ready to send: the URL with any query API key, and every header.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    pub method: Method,
    pub url: Url,
    pub headers: HeaderMap,
    pub body: Option<Vec<u8>>,
    /// The client adds `Accept-Encoding` and decodes the body.
    pub compressed: bool,
}

/// How the response head was judged.
#[derive(Debug)]
pub enum Head {
    /// 200 with an event-stream type: read the body.
    Stream(Box<Response>, ResponseInfo),
    /// 204: the server says stop reconnecting.
    NoContent,
}

/// Builds the request for one attempt. Defaults first (`Accept`,
/// `Cache-Control`), then the user's headers (which replace a default of the
/// same name; an empty value removes the header, as curl's `-H 'Name:'`), then
/// auth, then `Last-Event-ID`.
pub fn prepare(spec: &RequestSpec, last_event_id: &str) -> Result<PreparedRequest, ConnError> {
    let mut url = spec.url.clone();
    let mut headers = HeaderMap::new();
    headers.insert("accept", HeaderValue::from_static("text/event-stream"));
    headers.insert("cache-control", HeaderValue::from_static("no-cache"));
    let mut replaced: Vec<HeaderName> = Vec::new();
    for (name, value) in &spec.headers {
        let name = header_name(name)?;
        if value.is_empty() {
            headers.remove(&name);
            continue;
        }
        if !replaced.contains(&name) {
            // The first user value of a name replaces the defaults; later ones add values.
            headers.remove(&name);
            replaced.push(name.clone());
        }
        headers.append(name.clone(), header_value(&name, value)?);
    }
    if let Some(auth) = spec.auth.header() {
        headers.insert(
            header_name(&auth.name)?,
            header_value_secret(auth.what, &auth.value)?,
        );
    }
    if let Some((name, value)) = spec.auth.query_pair() {
        url.query_pairs_mut().append_pair(name, value);
    }
    // The id as UTF-8 bytes, as the spec has a browser send it. An id with a
    // control character (the parser keeps all but NUL, CR and LF) cannot be
    // a header value at all: the attempt then goes without it, as the
    // attempt's request shows, rather than the stream failing for good on
    // what the server sent.
    if !last_event_id.is_empty()
        && let Ok(value) = HeaderValue::from_bytes(last_event_id.as_bytes())
    {
        headers.insert("last-event-id", value);
    }
    Ok(PreparedRequest {
        method: spec.method.clone(),
        url,
        headers,
        body: spec.body.clone(),
        compressed: spec.transport.compressed,
    })
}

fn header_name(name: &str) -> Result<HeaderName, ConnError> {
    HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| ConnError::new(ErrorKind::Request, format!("invalid header name {name:?}")))
}

fn header_value(name: &HeaderName, value: &str) -> Result<HeaderValue, ConnError> {
    HeaderValue::from_str(value).map_err(|_| {
        ConnError::new(
            ErrorKind::Request,
            format!("invalid value for header {name}: control characters are not allowed"),
        )
    })
}

fn header_value_secret(what: &str, value: &str) -> Result<HeaderValue, ConnError> {
    let mut v = HeaderValue::from_str(value).map_err(|_| {
        ConnError::new(
            ErrorKind::Request,
            format!("the {what} holds characters a header cannot carry"),
        )
    })?;
    v.set_sensitive(true);
    Ok(v)
}

/// The request for display, as `prepare` built it, secrets redacted.
pub fn describe(req: &PreparedRequest, names: &SecretNames) -> SentRequest {
    let mut shown = shown_request(
        &req.method,
        &req.url,
        &req.headers,
        req.body.as_ref().map(Vec::len),
        names,
    );
    if !req.headers.contains_key(reqwest::header::USER_AGENT) {
        // The client's default, sent only when the request has none of its own.
        shown
            .headers
            .push(("User-Agent".into(), client::USER_AGENT.into()));
    }
    if req.compressed && !req.headers.contains_key(reqwest::header::ACCEPT_ENCODING) {
        shown.headers.push((
            "Accept-Encoding".into(),
            client::ACCEPT_ENCODING_COMPRESSED.into(),
        ));
    }
    if let Some(body) = &req.body {
        shown
            .headers
            .push(("Content-Length".into(), body.len().to_string()));
    }
    shown
}

/// A request as the views show it, whoever sends it (this client, or
/// `ssetui tap` passing a client's on): header names as people write them,
/// every value the secret rule marks redacted ([`redact::header_value`]),
/// and the URL's secrets too.
pub fn shown_request(
    method: &Method,
    url: &Url,
    headers: &HeaderMap,
    body_len: Option<usize>,
    names: &SecretNames,
) -> SentRequest {
    SentRequest {
        method: method.to_string(),
        url: redact::url(url, names),
        headers: headers
            .iter()
            .map(|(n, v)| {
                let shown = String::from_utf8_lossy(v.as_bytes());
                (
                    display_name(n.as_str()),
                    redact::header_value(n.as_str(), &shown, names),
                )
            })
            .collect(),
        body_len,
        last_event_id: headers
            .get("last-event-id")
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
    }
}

/// `last-event-id` → `Last-Event-ID`: header names as people write them.
fn display_name(lower: &str) -> String {
    match lower {
        "last-event-id" => "Last-Event-ID".into(),
        _ => lower
            .split('-')
            .map(|part| {
                let mut c = part.chars();
                c.next().map_or(String::new(), |f| {
                    f.to_ascii_uppercase().to_string() + c.as_str()
                })
            })
            .collect::<Vec<_>>()
            .join("-"),
    }
}

/// Sends the request, follows redirects, and judges the final response head.
pub async fn open(
    http: &reqwest::Client,
    spec: &RequestSpec,
    mut req: PreparedRequest,
    names: &SecretNames,
) -> Result<Head, ConnError> {
    let started = Instant::now();
    let mut redirects = Vec::new();
    let response = loop {
        let mut builder = http
            .request(req.method.clone(), req.url.clone())
            .headers(req.headers.clone());
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        // The connect timeout lasts until the response head: a server that
        // accepts the connection and never answers must not hang the attempt.
        let head_timeout = spec.connect_timeout;
        let sending = async {
            tokio::time::timeout(head_timeout, builder.send())
                .await
                .map_err(|_| {
                    ConnError::new(
                        ErrorKind::Connect,
                        format!(
                            "no response from {} within the {}s connect timeout (the connection was accepted, no answer came); raise --connect-timeout if the server is slow to answer",
                            redact::url(&req.url, names),
                            head_timeout.as_secs_f64()
                        ),
                    )
                })
        };
        let result = match spec.idle_timeout {
            Some(idle) => tokio::time::timeout(idle, sending).await.map_err(|_| {
                ConnError::new(
                    ErrorKind::IdleTimeout,
                    format!(
                        "no response head from {} within the {}s idle timeout",
                        redact::url(&req.url, names),
                        idle.as_secs_f64()
                    ),
                )
            })?,
            None => sending.await,
        }?;
        let response = result.map_err(|e| send_error(&e, &req.url, spec, names))?;
        if let Some(jar) = &spec.session.cookies {
            // Every response's, a redirect's or a rejection's included.
            super::session::store(jar, response.url(), response.headers());
        }
        let status = response.status();
        if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
            break response;
        }
        let hop = redirect_target(&response, &req.url, names)?;
        if redirects.len() as u32 >= spec.max_redirects {
            return Err(ConnError::new(
                ErrorKind::Redirect,
                format!(
                    "more than {} redirects, the last to {}; is there a redirect loop?",
                    spec.max_redirects,
                    redact::url(&hop, names)
                ),
            ));
        }
        let method = match status.as_u16() {
            // "303 See Other" always becomes GET; 301/302 turn a POST into a GET, as browsers do.
            303 if req.method != Method::HEAD => Method::GET,
            301 | 302 if req.method == Method::POST => Method::GET,
            _ => req.method.clone(),
        };
        if method != req.method {
            req.body = None;
            req.headers.remove(reqwest::header::CONTENT_TYPE);
        }
        if hop.origin() != req.url.origin() {
            // Credentials are for the origin they were given for, not
            // wherever it redirects: every header whose name says secret
            // (Authorization, Cookie, X-Api-Key, the API key's own name...).
            let secret: Vec<HeaderName> = req
                .headers
                .keys()
                .filter(|name| names.is_secret(name.as_str()))
                .cloned()
                .collect();
            for name in secret {
                req.headers.remove(name);
            }
        }
        redirects.push(Redirect {
            status: status.as_u16(),
            from: redact::url(&req.url, names),
            to: redact::url(&hop, names),
            method: method.to_string(),
        });
        req.method = method;
        req.url = hop;
    };
    judge(
        response,
        started.elapsed(),
        redirects,
        names,
        spec.body_format.requires_event_stream(),
    )
    .await
}

fn redirect_target(response: &Response, from: &Url, names: &SecretNames) -> Result<Url, ConnError> {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            ConnError::new(
                ErrorKind::Redirect,
                format!(
                    "{} answered {status} without a usable Location header",
                    redact::url(from, names)
                ),
            )
        })?;
    from.join(location).map_err(|e| {
        ConnError::new(
            ErrorKind::Redirect,
            format!(
                "redirect to an invalid URL {:?}: {e}",
                redact::url_text(location, names)
            ),
        )
    })
}

async fn judge(
    mut response: Response,
    time_to_first_byte: Duration,
    redirects: Vec<Redirect>,
    names: &SecretNames,
    event_stream_only: bool,
) -> Result<Head, ConnError> {
    let status = response.status();
    let url = redact::url(response.url(), names);
    if status == StatusCode::NO_CONTENT {
        return Ok(Head::NoContent);
    }
    let info = ResponseInfo {
        status: status.as_u16(),
        version: format!("{:?}", response.version()),
        headers: redact::response_headers(response.headers()),
        redirects,
        final_url: url.clone(),
        time_to_first_byte,
    };
    if status != StatusCode::OK {
        let retry_after = retry_after(response.headers());
        let preview = body_preview(&mut response).await;
        let reason = status
            .canonical_reason()
            .map_or(String::new(), |r| format!(" {r}"));
        let mut err = ConnError::new(
            ErrorKind::Status,
            format!(
                "{url} answered {}{reason}, expected 200 with an event stream{preview}",
                status.as_u16()
            ),
        );
        err.status = Some(status.as_u16());
        err.retry_after = retry_after;
        err.response = Some(Box::new(info));
        return Err(err);
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    if event_stream_only && !content_type.as_deref().is_some_and(is_event_stream) {
        let got = content_type.map_or("no Content-Type".to_owned(), |t| {
            format!("Content-Type {}", crate::text::quote(&t))
        });
        let preview = body_preview(&mut response).await;
        let mut err = ConnError::new(
            ErrorKind::ContentType,
            format!("{url} answered 200 with {got}, not text/event-stream{preview}"),
        );
        err.status = Some(200);
        err.response = Some(Box::new(info));
        return Err(err);
    }
    Ok(Head::Stream(Box::new(response), info))
}

/// Whether a response head's `Content-Type` is an event stream
/// ([`is_event_stream`]); one that is not text is not.
pub fn announces_event_stream(headers: &HeaderMap) -> bool {
    headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_event_stream)
}

/// A MIME type whose essence is `text/event-stream`; parameters such as
/// `charset=utf-8` are ignored.
pub fn is_event_stream(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("text/event-stream")
}

/// `Retry-After` as delay-seconds or an HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The start of an error body, on one line, for the error message; the
/// server wrote it, so it is neutralised (an escape sequence in a 500's
/// body must not drive the terminal the error is printed on).
async fn body_preview(response: &mut Response) -> String {
    let mut bytes = Vec::new();
    let read = async {
        while bytes.len() < BODY_PREVIEW_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
                _ => break,
            }
        }
    };
    let _ = tokio::time::timeout(BODY_PREVIEW_TIMEOUT, read).await;
    if bytes.is_empty() {
        return String::new();
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(BODY_PREVIEW_BYTES)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown: String = one_line.chars().take(200).collect();
    let more = if shown.len() < one_line.len() {
        "…"
    } else {
        ""
    };
    format!("; body: {}{more}", crate::text::one_line(shown))
}

/// Classifies a failure to get a response head.
fn send_error(
    err: &reqwest::Error,
    url: &Url,
    spec: &RequestSpec,
    names: &SecretNames,
) -> ConnError {
    let shown = redact::url(url, names);
    let detail = error::detail(err);
    if error::is_certificate_error(err) {
        return ConnError::new(
            ErrorKind::Tls,
            format!(
                "TLS certificate of {shown} rejected: {detail} (use --cacert FILE to trust its CA, or --insecure to skip verification)"
            ),
        );
    }
    if err.is_timeout() {
        return ConnError::new(
            ErrorKind::Connect,
            format!(
                "connecting to {shown} timed out after {}s",
                spec.connect_timeout.as_secs_f64()
            ),
        );
    }
    if err.is_builder() {
        return ConnError::new(
            ErrorKind::Request,
            format!("cannot build the request to {shown}: {detail}"),
        );
    }
    ConnError::new(
        ErrorKind::Connect,
        format!("cannot connect to {shown}: {detail}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `describe` and `ssetui tap` both show of a request: secrets
    /// found by the rule in any header and query name, not by a list.
    #[test]
    fn a_shown_request_redacts_by_rule_and_names_headers_as_people_write_them() {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            ("x-acme-session-id", "s3cr3t-1"),
            ("authorization", "Bearer s3cr3t-2"),
            ("last-event-id", "41"),
            ("accept", "text/event-stream"),
        ] {
            headers.insert(
                HeaderName::from_static(name),
                HeaderValue::from_static(value),
            );
        }
        let url = Url::parse("http://h/s?team_token=s3cr3t-3&page=2").unwrap();
        let shown = shown_request(&Method::GET, &url, &headers, None, &SecretNames::default());
        let text = format!("{shown:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert_eq!(shown.url, "http://h/s?team_token=***&page=2");
        assert!(
            shown
                .headers
                .contains(&("Authorization".into(), "Bearer ***".into()))
        );
        assert!(
            shown
                .headers
                .contains(&("X-Acme-Session-Id".into(), "***".into()))
        );
        assert!(
            shown
                .headers
                .contains(&("Last-Event-ID".into(), "41".into()))
        );
        assert!(
            shown
                .headers
                .contains(&("Accept".into(), "text/event-stream".into()))
        );
        assert_eq!(shown.last_event_id.as_deref(), Some("41"));
    }
}
