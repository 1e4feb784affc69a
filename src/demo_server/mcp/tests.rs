use rmcp::model::ServerJsonRpcMessage;
use rmcp::transport::streamable_http_server::session::{EventStore, ServerSseMessage};
use tokio_stream::StreamExt;

use super::drop_after::EventCounter;
use super::event_store::{MemoryEventStore, ReplayError};
use super::paging::{PAGE_SIZE, page};

const STREAM: &[u8] =
    b"id: 1\nretry: 1000\ndata:\n\n: keep-alive\n\nid: 2\ndata: {\"a\":1}\n\nid: 3\ndata: {\"b\":2}\n\n";

#[test]
fn the_counter_skips_the_priming_event_and_comments() {
    let mut counter = EventCounter::new(2);
    let keep = counter.feed(STREAM).expect("two events with data");
    assert_eq!(keep, STREAM.len());
    let mut counter = EventCounter::new(1);
    let keep = counter.feed(STREAM).expect("one event with data");
    assert!(STREAM[..keep].ends_with(b"data: {\"a\":1}\n\n"));
}

#[test]
fn the_counter_finds_the_same_cut_in_any_chunking() {
    let whole = EventCounter::new(1).feed(STREAM).unwrap();
    for size in 1..STREAM.len() {
        let mut counter = EventCounter::new(1);
        let mut offset = 0;
        let cut = STREAM.chunks(size).find_map(|chunk| {
            let keep = counter.feed(chunk).map(|keep| offset + keep);
            offset += chunk.len();
            keep
        });
        assert_eq!(cut, Some(whole), "chunks of {size}");
    }
}

#[test]
fn the_counter_reads_crlf_and_never_cuts_short_of_the_limit() {
    let mut counter = EventCounter::new(1);
    assert_eq!(counter.feed(b"data: x\r\n\r\n"), Some(11));
    assert_eq!(EventCounter::new(3).feed(STREAM), None);
}

#[test]
fn paging_follows_cursors_to_every_item_once() {
    let items: Vec<u32> = (0..7).collect();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let (got, next) = page(&items, cursor.as_deref()).unwrap();
        assert!(got.len() <= PAGE_SIZE);
        seen.extend(got);
        pages += 1;
        match next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, items);
    assert_eq!(pages, 3);
}

#[test]
fn a_foreign_cursor_is_invalid_params() {
    let items = [1, 2, 3, 4];
    for bad in ["", "x", "0", "4", "99999999999999999999999"] {
        let error = page(&items, Some(bad)).unwrap_err();
        assert_eq!(error.code.0, -32602, "{bad:?}");
    }
}

fn message(json: serde_json::Value) -> ServerSseMessage {
    let message: ServerJsonRpcMessage = serde_json::from_value(json).expect("a server message");
    ServerSseMessage::from_message(message)
}

fn progress(n: f64) -> ServerSseMessage {
    message(
        serde_json::json!({"jsonrpc": "2.0", "method": "notifications/progress",
        "params": {"progressToken": 1, "progress": n}}),
    )
}

fn response() -> ServerSseMessage {
    message(serde_json::json!({"jsonrpc": "2.0", "id": 1, "result": {}}))
}

#[tokio::test]
async fn a_replay_stays_on_its_stream_and_ends_with_the_response() {
    let store = MemoryEventStore::default();
    let first = store.store_event("a", &progress(1.0)).await.unwrap();
    store.store_event("b", &progress(9.0)).await.unwrap();
    let second = store.store_event("a", &progress(2.0)).await.unwrap();
    let mut replay = store.replay_events_after(&first).await.unwrap();
    let next = replay.next().await.unwrap();
    assert_eq!(next.event_id.as_deref(), Some(second.as_str()));
    // The call is still running: its response, stored later, still arrives.
    let last = store.store_event("a", &response()).await.unwrap();
    let next = replay.next().await.unwrap();
    assert_eq!(next.event_id.as_deref(), Some(last.as_str()));
    assert!(
        replay.next().await.is_none(),
        "the response ends the replay"
    );
}

#[tokio::test]
async fn unknown_and_forgotten_ids_are_refused() {
    let store = MemoryEventStore::with_capacity(2);
    let oldest = store.store_event("a", &progress(1.0)).await.unwrap();
    store.store_event("a", &progress(2.0)).await.unwrap();
    store.store_event("a", &progress(3.0)).await.unwrap();
    assert!(matches!(
        store.after(oldest.parse().unwrap()),
        Err(ReplayError::Unknown(1, 2))
    ));
    assert!(store.replay_events_after("not-a-number").await.is_err());
    assert!(store.replay_events_after(&oldest).await.is_err());
}
