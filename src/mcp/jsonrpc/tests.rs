use serde_json::json;

use super::{DecodeError, Decoded, Message, decode};

fn one(text: &str) -> Message {
    match decode(text) {
        Ok(Decoded::One(message)) => message,
        other => panic!("not one message: {other:?}"),
    }
}

#[test]
fn each_kind_of_message_decodes() {
    assert_eq!(
        one(r#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"a"}}"#),
        Message::Request {
            id: json!(1),
            method: "tools/list".into(),
            params: Some(json!({"cursor": "a"})),
        }
    );
    assert_eq!(
        one(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
        Message::Notification {
            method: "notifications/initialized".into(),
            params: None,
        }
    );
    assert_eq!(
        one(r#"{"jsonrpc":"2.0","id":"a","result":{}}"#),
        Message::Response {
            id: json!("a"),
            result: json!({}),
        }
    );
    assert_eq!(
        one(r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#),
        Message::Error {
            id: json!(null),
            code: -32700,
            message: "Parse error".into(),
            data: None,
        }
    );
}

#[test]
fn a_batch_decodes_each_member_on_its_own() {
    let text = r#"[{"jsonrpc":"2.0","id":1,"result":{}},{"id":2},{"jsonrpc":"2.0","method":"x"}]"#;
    let Ok(Decoded::Batch(all)) = decode(text) else {
        panic!("not a batch");
    };
    assert_eq!(all.len(), 3);
    assert!(all[0].is_ok());
    assert_eq!(all[1], Err(DecodeError::Version));
    assert!(all[2].is_ok());
    assert_eq!(decode(text).unwrap().messages().len(), 2);
}

#[test]
fn what_is_not_json_rpc_says_why() {
    assert!(matches!(decode("{"), Err(DecodeError::NotJson(_))));
    assert_eq!(decode("[]"), Err(DecodeError::EmptyBatch));
    assert_eq!(decode("3"), Err(DecodeError::NotObject));
    assert_eq!(decode(r#"{"id":1,"result":1}"#), Err(DecodeError::Version));
    assert!(matches!(
        decode(r#"{"jsonrpc":"2.0","id":1}"#),
        Err(DecodeError::Shape(_))
    ));
    assert!(matches!(
        decode(r#"{"jsonrpc":"2.0","id":1,"result":1,"error":{}}"#),
        Err(DecodeError::Shape(_))
    ));
    assert!(matches!(
        decode(r#"{"jsonrpc":"2.0","result":1}"#),
        Err(DecodeError::Shape(_))
    ));
    assert!(matches!(
        decode(r#"{"jsonrpc":"2.0","id":[1],"method":"x"}"#),
        Err(DecodeError::Shape(_))
    ));
    assert!(matches!(
        decode(r#"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#),
        Err(DecodeError::Shape(_))
    ));
}

#[test]
fn a_message_goes_back_to_the_json_it_came_from() {
    for text in [
        r#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a"}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}"#,
        r#"{"jsonrpc":"2.0","id":"x","result":{"tools":[]}}"#,
        r#"{"jsonrpc":"2.0","id":4,"error":{"code":-32601,"message":"no","data":[1]}}"#,
    ] {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(one(text).to_value(), value);
    }
}

#[test]
fn a_summary_is_one_safe_line_cut_to_its_width() {
    let request = one(r#"{"jsonrpc":"2.0","id":"7","method":"tools/call","params":{"name":"a"}}"#);
    assert_eq!(
        request.summary(80),
        r#"request tools/call #"7" {"name":"a"}"#
    );
    let error = one(
        "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32000,\"message\":\"bad\\u001b[31m\\nred\"}}",
    );
    let line = error.summary(80);
    assert_eq!(line, "error #2 -32000 bad␛[31m␊red");
    let long =
        one(r#"{"jsonrpc":"2.0","method":"notifications/message","params":{"data":"0123456789"}}"#);
    assert_eq!(long.summary(20).chars().count(), 21);
    assert!(long.summary(20).ends_with('…'));
}
