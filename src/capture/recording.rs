//! Any recording `ssetui open` accepts, made into what the UI needs: the
//! request to show (and to connect to with `c`), a title, and the messages
//! the connection sent. A `.ssecap` capture, a raw `.sse` body, or the NDJSON
//! that `ssetui print` and `S` write.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::time::UNIX_EPOCH;

use reqwest::Url;
use serde::Deserialize;

use super::{Capture, Header, Open, Record, RequestInfo, VERSION, from_reader, to_messages};
use crate::limits::file;
use crate::sse::redact;
use crate::sse::request::query_pairs;
use crate::sse::{BodyFormat, ConnMsg, Field, RequestSpec};

pub struct Recording {
    /// The recorded request; the values recorded masked are flagged in its
    /// `redacted`, so `c` asks for them rather than send the mask.
    pub spec: RequestSpec,
    pub title: String,
    pub messages: Vec<ConnMsg>,
    /// What to tell the user about it (the kind, and any damage).
    pub notice: String,
    /// Why there is nothing to connect to, when the recording holds no
    /// request (an NDJSON export, a raw body): `c` says so.
    pub offline: Option<String>,
}

/// The values of the recorded request (as `spec` holds it) that hold the
/// mask: as the capture says, or, in a capture written before it said so,
/// exactly those the writer masks by rule (credential headers, the URL's
/// user info, secret query parameters), whatever their text.
fn redacted_fields(request: &RequestInfo, spec: &RequestSpec) -> Vec<Field> {
    let in_range = |field: &Field| match field {
        Field::Header(i) => *i < spec.headers.len(),
        Field::Query(i) => query_pairs(&spec.url).nth(*i).is_some(),
        Field::Url => true,
        _ => false,
    };
    if let Some(recorded) = &request.redacted {
        return recorded.iter().copied().filter(in_range).collect();
    }
    if request.secrets_revealed {
        return Vec::new();
    }
    // Whether the writer's rule masks this header's values: asked of the
    // rule itself with a value it would change, not by looking at the text.
    let names = spec.secret_names();
    const PROBE: &str = "value";
    let masked_by_rule = |name: &str| redact::header_value(name, PROBE, &names) != PROBE;
    let mut fields = Vec::new();
    if spec.url.password().is_some() || !spec.url.username().is_empty() {
        fields.push(Field::Url);
    }
    for (i, pair) in query_pairs(&spec.url).enumerate() {
        let name = pair.split('=').next().unwrap_or("");
        if names.is_secret_query(name) {
            fields.push(Field::Query(i));
        }
    }
    for (i, (name, _)) in spec.headers.iter().enumerate() {
        if masked_by_rule(name) {
            fields.push(Field::Header(i));
        }
    }
    fields
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
    let offline = (kind != "capture")
        .then(|| format!("an {kind} holds no request: r enters one to connect"))
        .map(|why| why.replace("an raw", "a raw"));
    let spec =
        spec_from(&capture.header.request).map_err(|e| format!("{}: {e}", path.display()))?;
    let connect = match &offline {
        Some(why) => why.as_str(),
        None if spec.redacted.is_empty() => "c connects to the recorded URL",
        None => "recorded without its secrets: c asks for them",
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
        offline,
    })
}

/// The request a recorded [`RequestInfo`] describes (a capture's, a history
/// entry's), the values it holds masked flagged in `redacted` so that
/// connecting asks for them rather than send the mask.
pub fn spec_from(request: &RequestInfo) -> Result<RequestSpec, String> {
    let url = Url::parse(&request.url)
        .or_else(|_| Url::parse("file:///recording"))
        .map_err(|e| e.to_string())?;
    // The reader refused a method that is no HTTP token; the other kinds record GET.
    let method = crate::request::parse_method(&request.method).map_err(|e| e.to_string())?;
    let mut spec = RequestSpec::new(method, url);
    spec.headers.clone_from(&request.headers);
    spec.body = request.body.clone().map(String::into_bytes);
    spec.last_event_id.clone_from(&request.last_event_id);
    spec.body_format = request.parse_as;
    if let Some(mcp) = &request.mcp {
        spec.protocol = crate::sse::Protocol::Mcp {
            version: mcp.version.clone(),
            capabilities: Vec::new(),
        };
    }
    spec.redacted = redacted_fields(request, &spec);
    Ok(spec)
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
                    ttfb_ms: None,
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
                end_marker: None,
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
            redacted: Some(Vec::new()),
            mcp: None,
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
    /// Which attempt delivered it (1 when absent).
    #[serde(default)]
    attempt: Option<u32>,
    /// When it arrived, RFC 3339.
    #[serde(default)]
    time: Option<String>,
}

impl Line {
    /// The event written back as protocol text.
    fn protocol_text(&self) -> String {
        let mut text = String::new();
        if !self.event.is_empty() && self.event != "message" {
            text.push_str(&format!("event: {}\n", self.event));
        }
        if !self.id.is_empty() {
            text.push_str(&format!("id: {}\n", self.id));
        }
        if let Some(retry) = self.retry {
            text.push_str(&format!("retry: {retry}\n"));
        }
        for data in self.data.split('\n') {
            text.push_str(&format!("data: {data}\n"));
        }
        text.push('\n');
        text
    }
}

/// The events written back as protocol text, one read per event at the time
/// its line gives, each attempt opened as the line says; a bad line (or one
/// over 64 MiB) ends the recording there, as a damaged capture does.
fn from_ndjson(path: &Path, mut input: impl BufRead) -> Result<Capture, String> {
    let mut lines = Vec::new();
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
        match serde_json::from_str::<Line>(line) {
            Ok(line) => lines.push(line),
            Err(err) => {
                damaged = Some(format!("line {n}: {err}"));
                break;
            }
        }
    }
    if lines.is_empty() {
        return Err(format!(
            "{}: not a capture, an NDJSON export or a stream body{}",
            path.display(),
            damaged.map(|d| format!(" ({d})")).unwrap_or_default()
        ));
    }
    let time = |line: &Line| {
        line.time
            .as_deref()
            .and_then(|t| humantime::parse_rfc3339_weak(t).ok())
    };
    let mut header = header(path);
    let started = lines.iter().find_map(time);
    if let Some(started) = started {
        header.started = humantime::format_rfc3339_millis(started).to_string();
    }
    let mut records = Vec::new();
    let mut attempt = 0;
    let mut last_t = 0;
    for line in &lines {
        // Times never go back in a capture; a line without one keeps the last.
        let t = match (time(line), started) {
            (Some(at), Some(started)) => at
                .duration_since(started)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            _ => last_t,
        }
        .max(last_t);
        last_t = t;
        let line_attempt = line.attempt.unwrap_or(1).max(1);
        if line_attempt != attempt {
            if attempt > 0 {
                records.push(Record::Ended {
                    t,
                    attempt,
                    discarded: 0,
                    end_marker: None,
                });
            }
            attempt = line_attempt;
            records.push(Record::Open {
                t,
                attempt,
                open: Open {
                    status: 200,
                    headers: Vec::new(),
                    version: String::new(),
                    ttfb_ms: Some(0),
                },
            });
        }
        records.push(Record::Read {
            t,
            attempt,
            bytes: line.protocol_text().into_bytes(),
        });
    }
    records.push(Record::Ended {
        t: last_t,
        attempt,
        discarded: 0,
        end_marker: None,
    });
    Ok(Capture {
        header,
        records,
        damaged,
    })
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
            redacted: None,
            mcp: None,
        }
    }

    fn fields(request: &RequestInfo) -> Vec<Field> {
        let mut spec = RequestSpec::get(request.url.parse().unwrap());
        spec.headers.clone_from(&request.headers);
        redacted_fields(request, &spec)
    }

    #[test]
    fn a_capture_that_records_its_masks_is_taken_at_its_word() {
        let mut recorded = request(
            "http://h/s?a=1&&token=***",
            &[("Accept", "***"), ("Authorization", "Bearer ***")],
            false,
        );
        recorded.redacted = Some(vec![Field::Header(1), Field::Query(1), Field::Header(9)]);
        assert_eq!(
            fields(&recorded),
            [Field::Header(1), Field::Query(1)],
            "as recorded (an index out of range dropped), whatever the text"
        );
    }

    #[test]
    fn an_older_capture_masks_what_the_rule_masks_whatever_the_text() {
        let older = request(
            "http://me:***@h/s?api_key=***&a=1",
            &[
                ("Authorization", "Bearer ***"),
                ("Accept", "text/event-stream"),
                ("X-Note", "***"),
            ],
            false,
        );
        assert_eq!(
            fields(&older),
            [Field::Url, Field::Query(0), Field::Header(0)],
            "a literal *** in X-Note is a value, not a mask"
        );
        // Recorded with --record-secrets: nothing is masked.
        let kept = request("http://h/s?token=x", &[("Authorization", "Bearer x")], true);
        assert!(fields(&kept).is_empty());
    }
}
