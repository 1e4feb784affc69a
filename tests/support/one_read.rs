//! A stream's bytes as a connection hands them to the UI in one read:
//! parsed by the real parser, the events numbered from 1, stamped at a fixed
//! time, so what the state builds from them is the same on every run.

use std::time::{Duration, UNIX_EPOCH};

use bytes::Bytes;
use ssetui::sse::{Chunk, ConnMsg, Numbering, Parser, ParserConfig};

/// `body` as attempt 1's first read, parsed with `config`.
pub fn data(body: &[u8], config: ParserConfig) -> ConnMsg {
    let mut parser = Parser::new(config);
    let (mut items, mut seq) = (Vec::new(), 0);
    let mut numbered = Numbering {
        items: &mut items,
        seq: &mut seq,
    };
    parser.feed(body, &mut numbered).unwrap();
    ConnMsg::Data(Chunk {
        attempt: 1,
        offset: 0,
        bytes: Bytes::copy_from_slice(body),
        received_at: UNIX_EPOCH + Duration::from_secs(1_790_000_000),
        items,
        facts: Some(parser.take_facts()),
    })
}
