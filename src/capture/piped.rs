//! A stream piped in (`curl -sN URL | ssetui open -`) made into the messages
//! a live connection sends, a read at a time as the bytes arrive: one
//! attempt, opened at once, parsed by the same parser as a connection's
//! body (as an event stream, or a JSON value a line), ended at end of input.
//! Pure: the caller reads the pipe and hands each read here.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use crate::sse::{
    BodyFormat, BodyParser, Chunk, CloseReason, ConnError, ConnMsg, ErrorKind, Numbering,
    ParserConfig, ResponseInfo, SentRequest,
};

/// What the list's attempt marker calls the source.
pub const SOURCE: &str = "stdin";

/// The fold from reads of the pipe to connection messages.
pub struct PipedStream {
    parser: BodyParser,
    offset: u64,
    seq: u64,
    /// Set once the stream failed (an event over the size limit): later
    /// reads are ignored.
    failed: bool,
}

impl PipedStream {
    /// A stream read as `format` (an event stream unless `Ndjson`).
    pub fn new(format: BodyFormat) -> Self {
        let format = match format {
            BodyFormat::Ndjson => BodyFormat::Ndjson,
            _ => BodyFormat::ForceSse,
        };
        Self {
            parser: BodyParser::new(format, ParserConfig::default()),
            offset: 0,
            seq: 0,
            failed: false,
        }
    }

    /// The messages that open the stream: its attempt, already answered.
    pub fn opened(&self) -> Vec<ConnMsg> {
        vec![
            ConnMsg::Connecting {
                attempt: 1,
                request: SentRequest {
                    method: "READ".into(),
                    url: SOURCE.into(),
                    headers: Vec::new(),
                    body_len: None,
                    last_event_id: None,
                },
            },
            ConnMsg::Opened {
                attempt: 1,
                response: ResponseInfo {
                    status: 200,
                    version: String::new(),
                    headers: Vec::new(),
                    redirects: Vec::new(),
                    final_url: SOURCE.into(),
                    time_to_first_byte: Duration::ZERO,
                },
            },
        ]
    }

    /// One read of the pipe, received at `at`: its chunk, and the failure
    /// that ends the stream when an event grew past the size limit.
    pub fn read(&mut self, bytes: Bytes, at: SystemTime) -> Vec<ConnMsg> {
        if self.failed {
            return Vec::new();
        }
        let mut items = Vec::new();
        let parsed = self.parser.feed(
            &bytes,
            &mut Numbering {
                items: &mut items,
                seq: &mut self.seq,
            },
        );
        let offset = self.offset;
        self.offset += bytes.len() as u64;
        let mut out = vec![ConnMsg::Data(Chunk {
            attempt: 1,
            offset,
            bytes,
            received_at: at,
            items,
            facts: self.parser.take_facts(),
        })];
        if let Err(err) = parsed {
            self.failed = true;
            let error = ConnError::new(ErrorKind::EventTooLarge, err.to_string());
            out.push(ConnMsg::Error {
                attempt: 1,
                error: error.clone(),
            });
            out.push(ConnMsg::Closed {
                reason: CloseReason::Failed(error),
            });
        }
        out
    }

    /// End of input: the stream ended (an incomplete last block dropped,
    /// as the spec says), or it failed reading with `error`.
    pub fn end(mut self, error: Option<String>) -> Vec<ConnMsg> {
        if self.failed {
            return Vec::new();
        }
        match error {
            None => vec![
                ConnMsg::StreamEnded {
                    attempt: 1,
                    discarded: self.parser.finish(),
                    end_marker: None,
                },
                ConnMsg::Closed {
                    reason: CloseReason::Ended,
                },
            ],
            Some(message) => {
                let error = ConnError::new(ErrorKind::Network, message);
                vec![
                    ConnMsg::Error {
                        attempt: 1,
                        error: error.clone(),
                    },
                    ConnMsg::Closed {
                        reason: CloseReason::Failed(error),
                    },
                ]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sse::StreamItem;

    fn events(msgs: &[ConnMsg]) -> Vec<String> {
        msgs.iter()
            .filter_map(|m| match m {
                ConnMsg::Data(chunk) => Some(chunk.items.iter()),
                _ => None,
            })
            .flatten()
            .filter_map(|item| match item {
                StreamItem::Event { event, .. } => Some(event.data.to_string()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn each_read_gives_the_events_it_completes_and_the_end_closes() {
        let mut stream = PipedStream::new(BodyFormat::EventStream);
        assert_eq!(stream.opened().len(), 2);
        let now = SystemTime::now();
        let first = stream.read(Bytes::from_static(b"data: one\n\ndata: tw"), now);
        assert_eq!(events(&first), ["one"]);
        let second = stream.read(Bytes::from_static(b"o\n\n"), now);
        assert_eq!(events(&second), ["two"]);
        let end = stream.end(None);
        assert!(matches!(
            end.last(),
            Some(ConnMsg::Closed {
                reason: CloseReason::Ended
            })
        ));
    }

    #[test]
    fn ndjson_is_a_value_a_line() {
        let mut stream = PipedStream::new(BodyFormat::Ndjson);
        let msgs = stream.read(
            Bytes::from_static(b"{\"a\":1}\n{\"a\":2}\n"),
            SystemTime::now(),
        );
        assert_eq!(events(&msgs), ["{\"a\":1}", "{\"a\":2}"]);
    }

    #[test]
    fn a_read_error_fails_the_stream() {
        let stream = PipedStream::new(BodyFormat::EventStream);
        let end = stream.end(Some("input/output error".into()));
        assert!(matches!(
            end.last(),
            Some(ConnMsg::Closed {
                reason: CloseReason::Failed(_)
            })
        ));
    }
}
