use super::*;
use crate::insight::contract::{SchemaSource, Target};
use crate::sse::ByteString;

fn schemas() -> Arc<Schemas> {
    let source = SchemaSource {
        event_type: None,
        target: Target::Data,
        file: "n.json".into(),
        text: r#"{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}"#.into(),
    };
    Arc::new(Schemas::compile(&[source]).unwrap())
}

fn event(data: &str) -> Event {
    Event {
        event: ByteString::new(),
        data: ByteString::from(data),
        id: ByteString::new(),
        sets_id: false,
        retry_ms: None,
        raw: 0..0,
    }
}

#[test]
fn only_invalid_events_are_kept_by_row_and_counted_by_rule() {
    let mut c = Contract::default();
    c.judge(0, 1, &event("{}"));
    assert_eq!((c.checked, c.failed), (0, 0), "no schema: nothing judged");
    c.set(Some(schemas()));
    c.judge(10, 1, &event(r#"{"n":1}"#));
    c.judge(11, 2, &event(r#"{"n":"x"}"#));
    c.judge(12, 3, &event("{}"));
    c.judge(13, 4, &event("nope"));
    assert_eq!((c.checked, c.failed), (4, 3));
    assert!(c.violations(10).is_none());
    assert_eq!(c.violations(11).unwrap()[0].pointer, "/n");
    assert_eq!(c.by_rule(), [("json", 1), ("required", 1), ("type", 1)]);
    assert_eq!(
        c.first.as_ref().map(|(seq, v)| (*seq, v.rule.as_str())),
        Some((2, "type"))
    );
    // A new connection counts afresh; the listed rows keep their marks.
    c.restart();
    assert_eq!((c.checked, c.failed, c.by_rule().len()), (0, 0, 0));
    assert!(c.violations(11).is_some());
    // Rows the log dropped take their verdicts with them.
    c.forget_before(12);
    assert!(c.violations(11).is_none());
    assert!(c.violations(12).is_some());
    c.forget_all();
    assert!(c.violations(13).is_none());
}
