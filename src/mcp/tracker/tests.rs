use std::time::{Duration, Instant};

use serde_json::json;

use super::{Finding, Tracker};

#[test]
fn a_response_links_to_its_request_by_id_and_only_once() {
    let mut tracker = Tracker::new(Duration::from_secs(5));
    let at = Instant::now();
    assert_eq!(tracker.request(&json!(1), "tools/list", at), None);
    assert_eq!(tracker.request(&json!("1"), "prompts/list", at), None);
    assert!(tracker.is_pending(&json!(1)));
    assert_eq!(tracker.response(&json!("1")), Ok("prompts/list".into()));
    assert_eq!(tracker.response(&json!(1)), Ok("tools/list".into()));
    assert_eq!(
        tracker.response(&json!(1)),
        Err(Finding::NoRequest { id: "1".into() })
    );
}

#[test]
fn a_response_to_no_request_is_flagged() {
    let mut tracker = Tracker::new(Duration::from_secs(5));
    assert_eq!(
        tracker.response(&json!(7)),
        Err(Finding::NoRequest { id: "7".into() })
    );
}

#[test]
fn a_reused_id_is_flagged_even_after_its_answer() {
    let mut tracker = Tracker::new(Duration::from_secs(5));
    let at = Instant::now();
    tracker.request(&json!(3), "ping", at);
    tracker.response(&json!(3)).unwrap();
    assert_eq!(
        tracker.request(&json!(3), "tools/call", at),
        Some(Finding::DuplicateId {
            id: "3".into(),
            method: "tools/call".into()
        })
    );
    // Still linked, so its answer is not a second finding.
    assert_eq!(tracker.response(&json!(3)), Ok("tools/call".into()));
}

#[test]
fn an_unanswered_request_is_reported_once_after_the_timeout() {
    let mut tracker = Tracker::new(Duration::from_secs(5));
    let at = Instant::now();
    tracker.request(&json!(1), "tools/call", at);
    tracker.request(&json!(2), "ping", at + Duration::from_secs(3));
    assert!(tracker.overdue(at + Duration::from_secs(4)).is_empty());
    assert_eq!(
        tracker.overdue(at + Duration::from_secs(6)),
        vec![Finding::NoResponse {
            id: "1".into(),
            method: "tools/call".into()
        }]
    );
    assert!(tracker.overdue(at + Duration::from_secs(6)).is_empty());
    assert_eq!(tracker.overdue(at + Duration::from_secs(9)).len(), 1);
}

#[test]
fn an_open_ended_request_is_never_late_but_its_answer_still_links() {
    let mut tracker = Tracker::new(Duration::from_secs(5));
    let at = Instant::now();
    tracker.request(&json!(2), "subscriptions/listen", at);
    tracker.open_ended(&json!(2));
    tracker.request(&json!(3), "tools/call", at);
    let late = tracker.overdue(at + Duration::from_secs(60));
    assert_eq!(
        late,
        [Finding::NoResponse {
            id: "3".into(),
            method: "tools/call".into()
        }]
    );
    assert_eq!(
        tracker.response(&json!(2)),
        Ok("subscriptions/listen".into())
    );
}
