use std::time::Duration;

use super::EventReader;

fn reader(body: &'static str) -> EventReader {
    let response = axum::http::Response::builder()
        .header("content-type", "text/event-stream")
        .body(body)
        .unwrap();
    EventReader::new(reqwest::Response::from(response))
}

#[tokio::test]
async fn a_priming_events_id_and_retry_are_kept() {
    // `data:` with no value dispatches an event whose data is empty (WHATWG
    // SSE); the session reads it as a priming event and passes it over.
    let mut events = reader("id: p0\nretry: 300\ndata:\n\n: keep-alive\n\nid: p1\n\n");
    let priming = events.next().await.unwrap().unwrap();
    assert_eq!((priming.data.as_str(), events.last_id()), ("", Some("p0")));
    assert_eq!(events.next().await.unwrap(), None);
    assert_eq!(events.last_id(), Some("p1"), "an id-only block sets it too");
    assert_eq!(events.retry(), Some(Duration::from_millis(300)));
}

#[tokio::test]
async fn the_last_id_follows_each_event_and_an_empty_id_resets_it() {
    let mut events =
        reader("id: a\ndata: 1\n\ndata: 2\n\nid: b\nretry: 50\ndata: 3\n\nid:\ndata: 4\n\n");
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(
        (first.id.as_deref(), events.last_id()),
        (Some("a"), Some("a"))
    );
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.id, None, "no id of its own");
    let third = events.next().await.unwrap().unwrap();
    assert_eq!(third.data, "3");
    let fourth = events.next().await.unwrap().unwrap();
    assert_eq!(fourth.data, "4");
    assert_eq!(events.last_id(), None, "`id:` with no value resets it");
    assert_eq!(events.retry(), Some(Duration::from_millis(50)));
}
