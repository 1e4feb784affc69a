//! Records a connection's messages to a capture file as they arrive.
//!
//! Each record is written and flushed at once, so memory stays bounded however
//! long the stream runs and a crash loses at most the line being written.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::format::{Header, Line, Open, Reconnect, RequestInfo, VERSION};
use crate::private_file;
use crate::sse::redact;
use crate::sse::request::query_pairs;
use crate::sse::{ConnMsg, Field, RequestSpec};
use reqwest::Url;

/// An open capture file being written.
#[derive(Debug)]
pub struct CaptureWriter {
    out: BufWriter<File>,
    encoder: Encoder,
}

impl CaptureWriter {
    /// Writes a capture to `path`, the file the user named (`--record`):
    /// replaced if it is one, only its owner can read it, never written
    /// through a symlink (`private_file::replace`). Writes the header for
    /// `spec`. With `reveal`, secret header values and URL parts are kept in
    /// clear.
    pub fn create(path: &Path, spec: &RequestSpec, reveal: bool) -> io::Result<Self> {
        Self::start(private_file::replace(path)?, spec, reveal)
    }

    /// [`CaptureWriter::create`] at `path` or, when that name is taken, the
    /// next free numbered name (`name-1.ssecap`); returns the path used.
    pub fn create_unused(
        path: &Path,
        spec: &RequestSpec,
        reveal: bool,
    ) -> io::Result<(PathBuf, Self)> {
        let (path, file) = private_file::create_unused(path)?;
        Ok((path, Self::start(file, spec, reveal)?))
    }

    /// Writes the header for `spec` to a new, empty `file`.
    fn start(file: File, spec: &RequestSpec, reveal: bool) -> io::Result<Self> {
        let started = SystemTime::now();
        let mut writer = Self {
            out: BufWriter::new(file),
            encoder: Encoder::new(started, spec.protocol.is_mcp()),
        };
        write_json(&mut writer.out, &header(spec, reveal, started))?;
        writer.out.flush()?;
        Ok(writer)
    }

    /// Writes what `msg` records, if anything (`Connecting` adds nothing the
    /// header and the next record do not say), and flushes it to the file.
    pub fn record(&mut self, msg: &ConnMsg) -> io::Result<()> {
        self.buffer(msg)?;
        self.out.flush()
    }

    /// [`CaptureWriter::record`] without the flush: a writer that takes a
    /// burst of reads buffers them and flushes once the burst is over.
    pub fn buffer(&mut self, msg: &ConnMsg) -> io::Result<()> {
        match self.encoder.line(msg, SystemTime::now()) {
            Some(line) => write_json(&mut self.out, &line),
            None => Ok(()),
        }
    }

    /// Writes what is buffered to the file.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Flushes anything buffered, and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// A whole capture at once, from messages with the times they happened:
/// how a tab's retained log is saved (secrets redacted, as `C` records).
pub fn encode(spec: &RequestSpec, messages: &[(SystemTime, ConnMsg)]) -> Vec<u8> {
    let started = messages.first().map_or_else(SystemTime::now, |(at, _)| *at);
    let mut out = Vec::new();
    // Writing to memory cannot fail; a value serde cannot write is skipped.
    if let Ok(mut stream) = CaptureStream::start(&mut out, spec, started) {
        for (at, msg) in messages {
            let _ = stream.write(*at, msg);
        }
    }
    out
}

/// A capture written as its messages come, with the times they happened,
/// to any writer: how a large saved log is written without holding it all
/// (secrets redacted, as `C` records).
pub struct CaptureStream<W: Write> {
    out: W,
    encoder: Encoder,
}

impl<W: Write> CaptureStream<W> {
    /// Writes the header for `spec`; `started` is what every `t` counts from.
    pub fn start(mut out: W, spec: &RequestSpec, started: SystemTime) -> io::Result<Self> {
        write_json(&mut out, &header(spec, false, started))?;
        Ok(Self {
            out,
            encoder: Encoder::new(started, spec.protocol.is_mcp()),
        })
    }

    /// Writes what `msg`, which happened `at`, records (if anything).
    pub fn write(&mut self, at: SystemTime, msg: &ConnMsg) -> io::Result<()> {
        match self.encoder.line(msg, at) {
            Some(line) => write_json(&mut self.out, &line),
            None => Ok(()),
        }
    }

    /// The writer, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Turns connection messages into records: the part of writing a capture
/// that does not care where the lines go.
#[derive(Debug)]
struct Encoder {
    started: SystemTime,
    /// The attempt whose response was last opened: reads belong to it.
    attempt: u32,
    /// The last `t` written: a read's arrival time can precede the time an
    /// earlier message was handled, and `t` must never go back.
    last_t: u64,
    /// Whether the connection's close was written (and no attempt opened since).
    closed: bool,
    /// An MCP connection: each read is one message, recorded as `message`.
    mcp: bool,
}

impl Encoder {
    fn new(started: SystemTime, mcp: bool) -> Self {
        Self {
            started,
            attempt: 0,
            last_t: 0,
            closed: false,
            mcp,
        }
    }

    /// The record for `msg`, handled at `now`; `None` for `Connecting`.
    fn line(&mut self, msg: &ConnMsg, now: SystemTime) -> Option<Line> {
        let mut line = Line {
            t: self.offset_ms(now),
            ..Line::default()
        };
        match msg {
            // A login's URL or code is the user's business, not the stream's.
            ConnMsg::Connecting { .. } | ConnMsg::AuthNotice { .. } => return None,
            ConnMsg::Opened { attempt, response } => {
                self.attempt = *attempt;
                line.attempt = Some(*attempt);
                line.open = Some(Open {
                    status: response.status,
                    headers: response.headers.clone(),
                    version: response.version.clone(),
                    ttfb_ms: Some(millis(response.time_to_first_byte)),
                });
                self.closed = false;
            }
            ConnMsg::Data(chunk) if self.mcp => {
                line.t = self.offset_ms(chunk.received_at);
                line.message = Some(mcp_message(chunk)?);
                self.closed = false;
            }
            ConnMsg::Negotiated {
                attempt,
                negotiation,
            } => {
                line.attempt = Some(*attempt);
                line.negotiated = Some(negotiation.clone());
                self.closed = false;
            }
            ConnMsg::Data(chunk) => {
                // The time the bytes arrived, not when this consumer got to them.
                line.t = self.offset_ms(chunk.received_at);
                if chunk.attempt != self.attempt {
                    line.attempt = Some(chunk.attempt);
                }
                line.read = Some(STANDARD.encode(&chunk.bytes));
            }
            ConnMsg::StreamEnded {
                attempt,
                discarded,
                end_marker,
            } => {
                line.attempt = Some(*attempt);
                line.ended = Some(discarded.as_ref().map_or(0, |r| r.end - r.start));
                line.end_marker = end_marker.map(str::to_owned);
            }
            ConnMsg::Error { attempt, error } => {
                line.attempt = Some(*attempt);
                line.error = Some(error.to_string());
                line.response = error.response.as_deref().map(|response| Open {
                    ttfb_ms: Some(millis(response.time_to_first_byte)),
                    status: response.status,
                    headers: response.headers.clone(),
                    version: response.version.clone(),
                });
            }
            ConnMsg::ReconnectScheduled {
                delay,
                last_event_id,
                ..
            } => {
                line.reconnect = Some(Reconnect {
                    delay_ms: millis(*delay),
                    last_event_id: last_event_id.clone(),
                });
            }
            ConnMsg::Closed { reason } => {
                // A connection closes once: a tab disconnected after its
                // stream had ended would otherwise close it twice.
                if std::mem::replace(&mut self.closed, true) {
                    return None;
                }
                line.close = Some(super::close_text(reason));
            }
        }
        line.t = line.t.max(self.last_t);
        self.last_t = line.t;
        Some(line)
    }

    fn offset_ms(&self, at: SystemTime) -> u64 {
        at.duration_since(self.started)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// An MCP connection's read as its message record: the row's type is its
/// direction and stream (`mcp::live::rows`); `None` for a read holding no
/// message.
fn mcp_message(chunk: &crate::sse::Chunk) -> Option<super::format::McpMessage> {
    let event = chunk.items.iter().find_map(|item| match item {
        crate::sse::StreamItem::Event { event, .. } => Some(event),
        crate::sse::StreamItem::Block(_) => None,
    })?;
    let (direction, stream) = crate::mcp::live::rows::parse_row_type(event.event_type())?;
    Some(super::format::McpMessage {
        stream: stream.to_owned(),
        direction: direction.as_str().to_owned(),
        event_id: event.sets_id.then(|| event.id.to_string()),
        data: event.data.to_string(),
        raw: STANDARD.encode(&chunk.bytes),
    })
}

fn millis(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn header(spec: &RequestSpec, reveal: bool, started: SystemTime) -> Header {
    Header {
        ssecap: VERSION,
        request: request_info(spec, reveal),
        started: humantime::format_rfc3339_millis(started).to_string(),
    }
}

fn write_json<T: serde::Serialize>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// The header's request: the spec's headers and credentials as they are
/// sent, and which values it holds masked: those the secret rule masked here
/// (the value changed), and those already masked where the spec came from.
pub fn request_info(spec: &RequestSpec, reveal: bool) -> RequestInfo {
    let names = spec.secret_names();
    let shown = |name: &str, value: &str| {
        if reveal {
            value.to_owned()
        } else {
            redact::header_value(name, value, &names)
        }
    };
    let mut redacted = Vec::new();
    let mut headers: Vec<(String, String)> = Vec::new();
    for (i, (name, value)) in spec.headers.iter().enumerate() {
        let masked = shown(name, value);
        if masked != *value || spec.redacted.contains(&Field::Header(i)) {
            redacted.push(Field::Header(i));
        }
        headers.push((name.clone(), masked));
    }
    let mut url = spec.url.clone();
    // The credentials as an attempt sends them, then redacted as shown.
    if let Some(auth) = spec.auth.header() {
        let masked = shown(&auth.name, &auth.value);
        let was_masked = spec.redacted.iter().any(|f| {
            matches!(
                f,
                Field::AuthToken | Field::AuthUser | Field::AuthPassword | Field::ApiKeyValue
            )
        });
        if masked != auth.value || was_masked {
            redacted.push(Field::Header(headers.len()));
        }
        headers.push((auth.name, masked));
    }
    if let Some((name, value)) = spec.auth.query_pair() {
        url.query_pairs_mut().append_pair(name, value);
    }
    let url_text = if reveal {
        url.to_string()
    } else {
        redact::url(&url, &names)
    };
    redacted.extend(masked_url_parts(&url, &url_text, &spec.redacted));
    redacted.sort();
    RequestInfo {
        method: spec.method.to_string(),
        url: url_text,
        redacted: Some(redacted),
        headers,
        body: spec
            .body
            .as_ref()
            .map(|b| String::from_utf8_lossy(b).into_owned()),
        last_event_id: spec.last_event_id.clone(),
        secrets_revealed: reveal,
        parse_as: spec.body_format,
        mcp: match &spec.protocol {
            crate::sse::Protocol::Mcp { version, .. } => Some(super::format::McpRequest {
                version: version.clone(),
            }),
            crate::sse::Protocol::Sse => None,
        },
    }
}

/// The parts of `url` that `shown` (the URL as written) holds masked: its
/// user info and query values that changed, and those already masked in
/// the request (`was`).
fn masked_url_parts(url: &Url, shown: &str, was: &[Field]) -> Vec<Field> {
    let Ok(shown) = Url::parse(shown) else {
        return was.to_vec();
    };
    let mut parts = Vec::new();
    let userinfo_changed = url.username() != shown.username() || url.password() != shown.password();
    if userinfo_changed || was.contains(&Field::Url) {
        parts.push(Field::Url);
    }
    let before: Vec<&str> = query_pairs(url).collect();
    for (i, after) in query_pairs(&shown).enumerate() {
        if before.get(i) != Some(&after) || was.contains(&Field::Query(i)) {
            parts.push(Field::Query(i));
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::{ApiKeyLocation, Auth};

    fn spec(auth: Auth) -> RequestSpec {
        let mut spec =
            RequestSpec::get("http://u:pw@example.test/s?token=t0k&x=1".parse().unwrap());
        spec.auth = auth;
        spec.headers.push(("Cookie".into(), "session=abc".into()));
        spec
    }

    #[test]
    fn the_header_redacts_credentials_unless_revealed() {
        let basic = Auth::Basic {
            user: "me".into(),
            password: "hunter2".into(),
        };
        let shown = request_info(&spec(basic.clone()), false);
        let text = serde_json::to_string(&shown).unwrap();
        for secret in ["hunter2", "t0k", "abc", ":pw@"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert!(
            shown
                .headers
                .contains(&("Authorization".into(), "Basic ***".into()))
        );
        let revealed = request_info(&spec(basic), true);
        assert!(revealed.url.contains("token=t0k"));
        assert!(
            revealed
                .headers
                .contains(&("Cookie".into(), "session=abc".into()))
        );

        let key = Auth::ApiKey {
            name: "k".into(),
            value: "s3cr3t".into(),
            location: ApiKeyLocation::Query,
        };
        let shown = request_info(&spec(key), false);
        assert!(shown.url.contains("k=***"), "{}", shown.url);
    }

    #[test]
    fn the_header_records_which_values_it_masked() {
        let bearer = Auth::Bearer("t0k3n".into());
        // Cookie (header 0), Authorization (1, from the auth); the user info
        // and `token` (query pair 0) of the URL; `x=1` kept.
        let shown = request_info(&spec(bearer.clone()), false);
        assert_eq!(
            shown.redacted,
            Some(vec![
                Field::Url,
                Field::Query(0),
                Field::Header(0),
                Field::Header(1)
            ])
        );
        let json = serde_json::to_string(&shown).unwrap();
        assert!(
            json.contains(r#""redacted":["url",{"query":0},{"header":0},{"header":1}]"#),
            "{json}"
        );
        assert_eq!(
            request_info(&spec(bearer.clone()), true).redacted,
            Some(vec![])
        );
        // A value masked where the request came from stays masked, even revealed.
        let mut again = spec(bearer);
        again.headers.push(("X-Key".into(), "***".into()));
        again.redacted = vec![Field::Header(1)];
        assert_eq!(
            request_info(&again, true).redacted,
            Some(vec![Field::Header(1)])
        );
    }
}
