use std::time::Duration;

use serde_json::json;

use super::side::listen_filter;
use super::stream::{DEFAULT_RETRY, MAX_RETRY, resume_delay};

#[test]
fn the_listen_filter_asks_for_each_list_change_the_server_advertises() {
    let discovered = json!({"capabilities": {
        "tools": {"listChanged": true},
        "prompts": {"listChanged": false},
        "resources": {"listChanged": true, "subscribe": true},
        "logging": {}
    }});
    assert_eq!(
        listen_filter(&discovered),
        Some(json!({"toolsListChanged": true, "resourcesListChanged": true}))
    );
}

#[test]
fn no_listen_stream_when_nothing_is_advertised_or_the_result_is_odd() {
    for odd in [
        json!({"capabilities": {"tools": {}}}),
        json!({"capabilities": {"tools": {"listChanged": "yes"}}}),
        json!({"capabilities": []}),
        json!({}),
        json!(null),
    ] {
        assert_eq!(listen_filter(&odd), None, "{odd}");
    }
}

#[test]
fn the_servers_retry_is_honoured_up_to_ten_seconds() {
    assert_eq!(resume_delay(None), DEFAULT_RETRY);
    assert_eq!(
        resume_delay(Some(Duration::from_millis(300))),
        Duration::from_millis(300)
    );
    assert_eq!(resume_delay(Some(Duration::ZERO)), Duration::ZERO);
    assert_eq!(resume_delay(Some(Duration::from_secs(3600))), MAX_RETRY);
}
