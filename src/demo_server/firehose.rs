//! `/firehose`: events as fast as the socket takes them.
//!
//! It exists to measure clients (`benches/print_vs_curl.sh` compares
//! `ssetui print` with `curl`), ours or a user's own, so the server must cost
//! far less than any reader. Nothing is formatted per event: the data payload
//! is built once, numbered ids are incremented in place as ASCII digits, and
//! events are packed into 64 KiB buffers. A payload too large to pack is sent
//! as a shared handle to the one payload, not copied. Memory therefore stays
//! bounded whatever `n` is, and the body is produced only as fast as hyper
//! asks for it, so a slow reader holds up the producer rather than a queue.

use std::io;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::Response;
use bytes::{BufMut as _, Bytes, BytesMut};

use super::params::{BadRequest, Params, Resume};
use super::stream::no_more_events;
use crate::sse::parser::DEFAULT_MAX_EVENT_SIZE;

/// Events sent when `n` is not given.
const DEFAULT_EVENTS: u64 = 1_000_000;
/// Data bytes per event when `size` is not given.
const DEFAULT_SIZE: u64 = 100;
/// The largest `n`: a trillion events, days of streaming at full speed.
const MAX_EVENTS: u64 = 1_000_000_000_000;
/// The largest `size`: 16 MiB, the default event-size limit of ssetui's parser.
const MAX_SIZE: u64 = DEFAULT_MAX_EVENT_SIZE as u64;
/// The longest `event` name accepted.
const MAX_EVENT_NAME: usize = 256;
/// How many bytes one body frame packs.
const BUFFER_BYTES: usize = 64 * 1024;
/// Payloads above this are sent as their own frame, shared rather than copied.
const INLINE_MAX: usize = 16 * 1024;

/// `GET /firehose?n=&size=&id=&event=&json=`.
pub(crate) async fn firehose(uri: Uri, headers: HeaderMap) -> Result<Response, BadRequest> {
    let params = Params::parse(&uri, "/firehose", &["n", "size", "id", "event", "json"])?;
    let n = params
        .number("n", 0..=MAX_EVENTS, "events to send")?
        .unwrap_or(DEFAULT_EVENTS);
    let size = params
        .number("size", 0..=MAX_SIZE, "data bytes per event")?
        .unwrap_or(DEFAULT_SIZE);
    let numbered = params
        .number(
            "id",
            0..=1,
            "1 numbers the events 1, 2, 3..., 0 sends no ids",
        )?
        .unwrap_or(1)
        == 1;
    let event = event_name(params.get("event"))?;
    let json = params
        .number(
            "json",
            0..=1,
            "1 sends each data as a JSON object, 0 as letters",
        )?
        .unwrap_or(0)
        == 1;
    // A numbered stream resumes after `Last-Event-ID`, like /clock; one
    // without ids has nothing to resume from and starts over.
    let first_id = if numbered {
        Resume::from_headers(&headers).next_id
    } else {
        1
    };
    if numbered && first_id > n {
        // Every event was sent (or none were asked for): 204 tells a client to stop.
        return Ok(no_more_events());
    }
    let remaining = if numbered {
        n.saturating_sub(first_id - 1)
    } else {
        n
    };
    // `size` is at most MAX_SIZE, which fits any usize this builds for.
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let events = Events::new(Shape {
        first_id: numbered.then_some(first_id),
        event,
        size,
        json,
        count: remaining,
    });
    let mut response = Response::new(Body::from_stream(tokio_stream::iter(events)));
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}

/// `event=`: one line of at most [`MAX_EVENT_NAME`] bytes; empty means none.
fn event_name(raw: Option<&str>) -> Result<Option<String>, BadRequest> {
    match raw {
        None | Some("") => Ok(None),
        Some(name) if name.len() > MAX_EVENT_NAME => Err(BadRequest(format!(
            "event= is {} bytes long; /firehose accepts event names of at most {MAX_EVENT_NAME} bytes",
            name.len()
        ))),
        Some(name) if name.contains(['\r', '\n', '\0']) => Err(BadRequest(
            "event= holds a line break or NUL; /firehose accepts a one-line event name".into(),
        )),
        Some(name) => Ok(Some(name.to_owned())),
    }
}

/// What every event of one firehose looks like.
struct Shape {
    /// The first event's id; `None` sends no `id:` lines.
    first_id: Option<u64>,
    event: Option<String>,
    /// Data bytes per event.
    size: usize,
    /// The data is a JSON object, `{"pad":"abc…"}` (`size` bytes, at least 10),
    /// for schema validation to have something to read.
    json: bool,
    /// How many events to send.
    count: u64,
}

/// The body as an iterator of frames, each at most about [`BUFFER_BYTES`]
/// unless it is a shared large payload.
struct Events {
    /// `event: NAME\n`, or empty.
    event_line: Vec<u8>,
    /// The data every event carries: printable ASCII, no line breaks.
    payload: Bytes,
    id: Option<DecimalId>,
    remaining: u64,
    /// A large payload to send as the next frame.
    pending_payload: Option<Bytes>,
    /// The event whose payload just went alone still needs its blank line.
    unterminated: bool,
}

impl Events {
    fn new(shape: Shape) -> Self {
        const OPEN: &[u8] = b"{\"pad\":\"";
        const CLOSE: &[u8] = b"\"}";
        let letters = |n: usize| (b'a'..=b'z').cycle().take(n);
        let payload: Vec<u8> = if shape.json {
            let inner = shape.size.saturating_sub(OPEN.len() + CLOSE.len());
            OPEN.iter()
                .copied()
                .chain(letters(inner))
                .chain(CLOSE.iter().copied())
                .collect()
        } else {
            letters(shape.size).collect()
        };
        let event_line = shape
            .event
            .map(|name| format!("event: {name}\n").into_bytes())
            .unwrap_or_default();
        Self {
            event_line,
            payload: Bytes::from(payload),
            id: shape.first_id.map(DecimalId::new),
            remaining: shape.count,
            pending_payload: None,
            unterminated: false,
        }
    }

    /// Bytes of one event before its data value: `id:`, `event:`, `data: `.
    fn head_len(&self) -> usize {
        let id = self.id.as_ref().map_or(0, |id| 5 + id.digits().len());
        id + self.event_line.len() + 6
    }

    fn put_head(&self, buf: &mut BytesMut) {
        if let Some(id) = &self.id {
            buf.put_slice(b"id: ");
            buf.put_slice(id.digits());
            buf.put_u8(b'\n');
        }
        buf.put_slice(&self.event_line);
        buf.put_slice(b"data: ");
    }

    fn advance(&mut self) {
        self.remaining -= 1;
        if let Some(id) = &mut self.id {
            id.increment();
        }
    }
}

impl Iterator for Events {
    type Item = Result<Bytes, io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(payload) = self.pending_payload.take() {
            return Some(Ok(payload));
        }
        let mut buf = BytesMut::with_capacity(BUFFER_BYTES);
        if self.unterminated {
            buf.put_slice(b"\n\n");
            self.unterminated = false;
        }
        let inline = self.payload.len() <= INLINE_MAX;
        while self.remaining > 0 {
            if inline {
                let len = self.head_len() + self.payload.len() + 2;
                if !buf.is_empty() && buf.len() + len > BUFFER_BYTES {
                    break;
                }
                self.put_head(&mut buf);
                buf.put_slice(&self.payload);
                buf.put_slice(b"\n\n");
                self.advance();
            } else {
                self.put_head(&mut buf);
                self.pending_payload = Some(self.payload.clone());
                self.unterminated = true;
                self.advance();
                break;
            }
        }
        (!buf.is_empty()).then(|| Ok(buf.freeze()))
    }
}

/// A decimal number kept as its ASCII digits, so counting up costs a byte
/// write instead of formatting a number for every event.
struct DecimalId {
    /// Right-aligned digits; the number is `digits[start..]`.
    digits: [u8; 20],
    start: usize,
}

impl DecimalId {
    fn new(n: u64) -> Self {
        let mut buffer = itoa::Buffer::new();
        let text = buffer.format(n).as_bytes();
        let mut digits = [b'0'; 20];
        let start = digits.len() - text.len();
        digits[start..].copy_from_slice(text);
        Self { digits, start }
    }

    fn digits(&self) -> &[u8] {
        &self.digits[self.start..]
    }

    /// Adds one; saturates at twenty nines (ids never get there: `n` is capped).
    fn increment(&mut self) {
        for i in (self.start..self.digits.len()).rev() {
            if self.digits[i] == b'9' {
                self.digits[i] = b'0';
            } else {
                self.digits[i] += 1;
                return;
            }
        }
        match self.start.checked_sub(1) {
            Some(start) => {
                self.start = start;
                self.digits[start] = b'1';
            }
            None => self.digits = [b'9'; 20],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(shape: Shape) -> Vec<u8> {
        Events::new(shape)
            .flat_map(|frame| frame.map(|b| b.to_vec()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn decimal_id_counts_across_carries() {
        let mut id = DecimalId::new(98);
        let mut seen = Vec::new();
        for _ in 0..4 {
            seen.push(String::from_utf8_lossy(id.digits()).into_owned());
            id.increment();
        }
        assert_eq!(seen, ["98", "99", "100", "101"]);
        assert_eq!(DecimalId::new(0).digits(), b"0");
        let mut max = DecimalId::new(u64::MAX);
        max.increment();
        max.increment();
        assert_eq!(max.digits().len(), 20, "saturates without panicking");
    }

    #[test]
    fn small_events_are_exact_wire_text() {
        let text = body(Shape {
            first_id: Some(9),
            event: Some("tick".into()),
            size: 3,
            json: false,
            count: 2,
        });
        assert_eq!(
            text,
            b"id: 9\nevent: tick\ndata: abc\n\nid: 10\nevent: tick\ndata: abc\n\n"
        );
        let bare = body(Shape {
            first_id: None,
            event: None,
            size: 0,
            json: false,
            count: 2,
        });
        assert_eq!(bare, b"data: \n\ndata: \n\n");
    }

    #[test]
    fn frames_stay_bounded_and_large_payloads_are_shared() {
        let small: Vec<usize> = Events::new(Shape {
            first_id: Some(1),
            event: None,
            size: 100,
            json: false,
            count: 10_000,
        })
        .map(|f| f.map(|b| b.len()).unwrap_or(0))
        .collect();
        assert!(small.len() > 1 && small.iter().all(|&len| len <= BUFFER_BYTES));
        let large = body(Shape {
            first_id: Some(1),
            event: None,
            size: 100_000,
            json: false,
            count: 2,
        });
        let data = &"abcdefghijklmnopqrstuvwxyz".repeat(4000)[..100_000];
        let expected = format!("id: 1\ndata: {data}\n\nid: 2\ndata: {data}\n\n");
        assert_eq!(large, expected.as_bytes());
    }

    #[test]
    fn json_events_carry_an_object_of_the_size_asked() {
        let text = body(Shape {
            first_id: None,
            event: None,
            size: 13,
            json: true,
            count: 1,
        });
        assert_eq!(text, b"data: {\"pad\":\"abc\"}\n\n");
        let tiny = body(Shape {
            first_id: None,
            event: None,
            size: 0,
            json: true,
            count: 1,
        });
        assert_eq!(tiny, b"data: {\"pad\":\"\"}\n\n");
    }
}
