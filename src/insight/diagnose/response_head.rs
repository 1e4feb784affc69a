//! Checks of an accepted response's head: Content-Type, charset,
//! Cache-Control, Content-Encoding, HTTP version.

use super::format::{QUOTE_CHARS, one_line, quote};
use super::{Finding, Severity};
use crate::sse::ResponseInfo;
use crate::sse::attempt::is_event_stream;

/// The value of a response header (repeated headers joined with ", ").
pub(super) fn header(response: &ResponseInfo, name: &str) -> Option<String> {
    let values: Vec<&str> = response
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// Checks of an accepted response's head.
pub(super) fn head_findings(response: &ResponseInfo) -> Vec<Finding> {
    let mut out = Vec::new();
    let content_type = header(response, "content-type");
    match &content_type {
        None => out.push(content_type_finding(
            "the response has no Content-Type (expected text/event-stream)".into(),
        )),
        Some(t) if !is_event_stream(t) => out.push(content_type_finding(format!(
            "Content-Type {} is not text/event-stream",
            quote(t)
        ))),
        Some(_) => {}
    }
    if let Some(charset) = content_type.as_deref().and_then(charset)
        && !matches!(charset.to_ascii_lowercase().as_str(), "utf-8" | "utf8")
    {
        out.push(Finding {
            id: "charset",
            severity: Severity::Warning,
            title: format!("the stream declares charset {}, not UTF-8", quote(&charset)),
            why: "The SSE standard decodes every stream as UTF-8 whatever charset is declared; text the server really writes in another encoding turns into U+FFFD replacement characters.",
            fix: "Write the stream in UTF-8 and declare `Content-Type: text/event-stream; charset=utf-8`, or no charset at all.",
        });
    }
    let cache = header(response, "cache-control");
    let no_cache = cache.as_deref().is_some_and(|v| {
        v.split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .any(|d| d == "no-cache" || d == "no-store")
    });
    if !no_cache {
        let title = match &cache {
            None => "no Cache-Control header (expected no-cache)".to_owned(),
            Some(v) => format!("Cache-Control {} lacks no-cache", quote(v)),
        };
        out.push(Finding {
            id: "cache-control",
            severity: Severity::Warning,
            title,
            why: "Without `no-cache`, a browser, CDN or caching proxy may store the stream or buffer it whole before passing it on, so events arrive late or a stale copy is served.",
            fix: "Send `Cache-Control: no-cache` with the stream (the spec's recommendation; `no-store` works too).",
        });
    }
    if let Some(encoding) = header(response, "content-encoding")
        && !encoding.trim().eq_ignore_ascii_case("identity")
    {
        out.push(Finding {
            id: "compression",
            severity: Severity::Warning,
            title: format!("the stream is compressed (Content-Encoding {})", quote(&encoding)),
            why: "A compressor holds bytes back until it has enough to compress, so events arrive late and in bursts; compressing proxies are a common cause of buffered streams, and some clients cannot decode a compressed stream at all.",
            fix: "Exclude text/event-stream from gzip/brotli compression (nginx `gzip_types`, the framework's compression middleware), or flush the compressor after each event.",
        });
    }
    if matches!(response.version.as_str(), "HTTP/1.0" | "HTTP/0.9") {
        out.push(Finding {
            id: "http-version",
            severity: Severity::Warning,
            title: format!("the response is {}", one_line(&response.version, QUOTE_CHARS)),
            why: "HTTP/1.0 has no chunked encoding and no persistent connections: the body ends only when the connection closes, and a proxy talking HTTP/1.0 to the server (nginx's default for proxy_pass) tends to buffer it.",
            fix: "Serve the stream over HTTP/1.1 or HTTP/2; behind nginx set `proxy_http_version 1.1;` and `proxy_set_header Connection '';`.",
        });
    }
    out
}

pub(super) fn content_type_finding(title: String) -> Finding {
    Finding {
        id: "content-type",
        severity: Severity::Error,
        title,
        why: "EventSource and most SSE clients refuse a response that is not text/event-stream. Another type usually means the request reached something else: an error or login page, a non-streaming JSON answer, or a route that does not stream.",
        fix: "Serve the stream with `Content-Type: text/event-stream`. If the answer is JSON, check that the request asks for a stream (for LLM APIs, `\"stream\": true` in the body).",
    }
}

/// The `charset` parameter of a media type, unquoted.
fn charset(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}
