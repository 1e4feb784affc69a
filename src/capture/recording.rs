//! Any recording `ssetui open` accepts, made into what the UI needs: the
//! request to show (and to connect to with `c`), a title, and the messages
//! the connection sent. A `.ssecap` capture, a raw `.sse` body, or the NDJSON
//! that `ssetui print` and `S` write.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::UNIX_EPOCH;

use reqwest::{Method, Url};
use serde::Deserialize;

use super::{Capture, Header, Open, Record, RequestInfo, VERSION, from_reader, to_messages};
use crate::limits::file;
use crate::sse::redact::MASK;
use crate::sse::{BodyFormat, ConnMsg, RequestSpec};

pub struct Recording {
    pub spec: RequestSpec,
    pub title: String,
    pub messages: Vec<ConnMsg>,
    /// What to tell the user about it (the kind, and any damage).
    pub notice: String,
    /// The parts of the request recorded as `***` (header names, `URL`):
    /// connecting asks for them rather than send the mask.
    pub redacted: Vec<String>,
}

/// What a request recorded without its secrets has masked.
fn redacted_parts(request: &RequestInfo) -> Vec<String> {
    if request.secrets_revealed {
        return Vec::new();
    }
    let mut parts: Vec<String> = request
        .headers
        .iter()
        .filter(|(_, value)| value.contains(MASK))
        .map(|(name, _)| name.clone())
        .collect();
    if request.url.contains(MASK) {
        parts.push("URL".into());
    }
    parts
}

/// Reads the recording at `path`, whichever of the three kinds it is: a
/// regular file, a capture or an NDJSON export read a line at a time (each
/// line at most 64 MiB), a raw body at most 256 MiB (what the UI keeps).
pub fn load_recording(path: &Path) -> Result<Recording, String> {
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
    let mut input = BufReader::new(file::open(path).map_err(|e| e.to_string())?);
    let start = input.fill_buf().map_err(cannot_read)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let (capture, kind) = if start.starts_with(b"{\"ssecap\"") {
        let capture = from_reader(input).map_err(|e| format!("{}: {e}", path.display()))?;
        (capture, "capture")
    } else if start.starts_with(b"{") {
        (from_ndjson(path, input)?, "NDJSON export")
    } else {
        let cap = file::STREAM_BODY_FILE;
        let mut body = Vec::new();
        input
            .take(cap.bytes + 1)
            .read_to_end(&mut body)
            .map_err(cannot_read)?;
        if body.len() as u64 > cap.bytes {
            let too_large = file::ReadError::TooLarge {
                path: path.to_owned(),
                cap,
            };
            return Err(too_large.to_string());
        }
        (one_read(path, body, 0), "raw stream body")
    };
    let request = &capture.header.request;
    let url = Url::parse(&request.url)
        .or_else(|_| Url::parse("file:///recording"))
        .map_err(|e| e.to_string())?;
    let method = Method::from_bytes(request.method.as_bytes()).unwrap_or(Method::GET);
    let mut spec = RequestSpec::new(method, url);
    spec.headers.clone_from(&request.headers);
    spec.body = request.body.clone().map(String::into_bytes);
    spec.last_event_id.clone_from(&request.last_event_id);
    let redacted = redacted_parts(request);
    let connect = if redacted.is_empty() {
        "c connects to the recorded URL"
    } else {
        "recorded without its secrets: c asks for them"
    };
    let notice = match &capture.damaged {
        Some(damage) => format!("opened {name} ({kind}) up to the damage: {damage}"),
        None => format!("opened {name} ({kind}); {connect}"),
    };
    Ok(Recording {
        spec,
        title: name,
        messages: to_messages(&capture),
        notice,
        redacted,
    })
}

/// A capture of one attempt whose body is `body`, read at once.
fn one_read(path: &Path, body: Vec<u8>, t: u64) -> Capture {
    Capture {
        header: header(path),
        records: vec![
            Record::Open {
                t: 0,
                attempt: 1,
                open: Open {
                    status: 200,
                    headers: Vec::new(),
                    version: String::new(),
                },
            },
            Record::Read {
                t,
                attempt: 1,
                bytes: body,
            },
            Record::Ended {
                t,
                attempt: 1,
                discarded: 0,
            },
        ],
        damaged: None,
    }
}

fn header(path: &Path) -> Header {
    let started = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(UNIX_EPOCH);
    Header {
        ssecap: VERSION,
        request: RequestInfo {
            method: "GET".into(),
            url: Url::from_file_path(path)
                .map_or_else(|()| "file:///recording".into(), |u| u.to_string()),
            headers: Vec::new(),
            body: None,
            last_event_id: String::new(),
            secrets_revealed: false,
            parse_as: BodyFormat::EventStream,
        },
        started: humantime::format_rfc3339_millis(started).to_string(),
    }
}

/// One line of `ssetui print`'s NDJSON.
#[derive(Deserialize)]
struct Line {
    #[serde(default)]
    event: String,
    #[serde(default)]
    data: String,
    #[serde(default)]
    id: String,
    #[serde(default)]
    retry: Option<u64>,
}

/// The events written back as protocol text, one read per event; a bad line
/// (or one over 64 MiB) ends the recording there, as a damaged capture does.
fn from_ndjson(path: &Path, mut input: impl BufRead) -> Result<Capture, String> {
    let mut body = String::new();
    let mut damaged = None;
    let mut buf = Vec::new();
    for n in 1.. {
        match file::read_line(&mut input, &mut buf, file::RECORDING_LINE) {
            Ok(0) => break,
            Ok(_) => {}
            Err(err) => {
                damaged = Some(format!("line {n}: {err}"));
                break;
            }
        }
        let text = String::from_utf8_lossy(&buf);
        let line = text.trim_end_matches(['\n', '\r']);
        if line.trim().is_empty() {
            continue;
        }
        let line: Line = match serde_json::from_str(line) {
            Ok(line) => line,
            Err(err) => {
                damaged = Some(format!("line {n}: {err}"));
                break;
            }
        };
        if !line.event.is_empty() && line.event != "message" {
            body.push_str(&format!("event: {}\n", line.event));
        }
        if !line.id.is_empty() {
            body.push_str(&format!("id: {}\n", line.id));
        }
        if let Some(retry) = line.retry {
            body.push_str(&format!("retry: {retry}\n"));
        }
        for data in line.data.split('\n') {
            body.push_str(&format!("data: {data}\n"));
        }
        body.push('\n');
    }
    if body.is_empty() {
        return Err(format!(
            "{}: not a capture, an NDJSON export or a stream body{}",
            path.display(),
            damaged.map(|d| format!(" ({d})")).unwrap_or_default()
        ));
    }
    let mut capture = one_read(path, body.into_bytes(), 0);
    capture.damaged = damaged;
    Ok(capture)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)], revealed: bool) -> RequestInfo {
        RequestInfo {
            method: "GET".into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: None,
            last_event_id: String::new(),
            secrets_revealed: revealed,
            parse_as: BodyFormat::EventStream,
        }
    }

    #[test]
    fn masked_headers_and_url_parts_are_named_unless_the_secrets_were_kept() {
        let masked = request(
            "http://h/s?api_key=***",
            &[
                ("Authorization", "Bearer ***"),
                ("Accept", "text/event-stream"),
            ],
            false,
        );
        assert_eq!(redacted_parts(&masked), ["Authorization", "URL"]);
        let clean = request("http://h/s", &[("Accept", "text/event-stream")], false);
        assert!(redacted_parts(&clean).is_empty());
        // Recorded with --record-secrets: a literal *** is the real value.
        let kept = request("http://h/s", &[("X-Key", "***")], true);
        assert!(redacted_parts(&kept).is_empty());
    }
}
