//! `/`: a plain HTML page describing the demo, and the 404 for unknown paths.
//!
//! Someone who opens the server's URL in a browser should find out what to do
//! next without reading the source: every endpoint with its parameters, a
//! command to copy, and the credentials. The commands use the address the
//! browser used (the `Host` header), so they work as pasted.

use std::fmt::Write as _;

use axum::http::header::{CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::catalogue::ENDPOINTS;
use super::help::credentials;
use super::stream::text_response;

/// `GET /`.
pub(crate) async fn index(headers: HeaderMap) -> Response {
    let base = format!("http://{}", host(&headers));
    let mut html = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>ssetui demo SSE server</title>\n\
         <style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}\
         code,pre{background:#f3f3f3;padding:0 .2rem}td{padding:.2rem .6rem;vertical-align:top}</style>\n\
         </head>\n<body>\n<h1>ssetui demo SSE server</h1>\n\
         <p>Every stream below is <code>text/event-stream</code>. Query parameters are optional; \
         unknown or malformed ones get a 400 saying why.</p>\n\
         <p>Every stream also takes the fault parameters of <code>ssetui serve --help</code> \
         (<code>split</code>, <code>delay</code>, <code>stall</code>, <code>cut</code>, \
         <code>reset</code>, <code>line-endings</code>, <code>gzip</code>…), e.g. \
         <code>/clock?count=5&amp;split=1&amp;cut=mid-event:3</code>; the response's \
         <code>X-Ssetui-Faults</code> header names what was done.</p>\n",
    );
    for doc in ENDPOINTS {
        let _ = writeln!(
            html,
            "<h2><code>{} {}</code></h2>\n<p>{}</p>",
            escape(doc.methods),
            escape(doc.path),
            escape(doc.summary)
        );
        if !doc.params.is_empty() {
            html.push_str("<table>\n");
            for (param, meaning) in doc.params {
                let _ = writeln!(
                    html,
                    "<tr><td><code>?{}</code></td><td>{}</td></tr>",
                    escape(param),
                    escape(meaning)
                );
            }
            html.push_str("</table>\n");
        }
        if let Some(example) = doc.example {
            let command = format!("ssetui print '{base}{example}'");
            let _ = writeln!(html, "<pre>{}</pre>", escape(&command));
        }
    }
    let _ = write!(
        html,
        "<h2>Demo credentials for <code>/protected</code></h2>\n<p>Any one of these works:</p>\n\
         <pre>{}</pre>\n</body>\n</html>\n",
        escape(&credentials())
    );
    (
        StatusCode::OK,
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// Any other path: say where the list of endpoints is.
pub(crate) async fn not_found(uri: Uri) -> Response {
    let paths: Vec<&str> = ENDPOINTS.iter().map(|doc| doc.path).collect();
    text_response(
        StatusCode::NOT_FOUND,
        format!(
            "404 Not Found: the demo server has no {}; its endpoints are {}\n",
            uri.path(),
            paths.join(" ")
        ),
    )
}

/// The `Host` the client used, when it is a plausible host[:port]; else loopback.
fn host(headers: &HeaderMap) -> &str {
    headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]_".contains(&b))
        })
        .unwrap_or("127.0.0.1")
}

/// Text made safe to put in HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
