use super::*;

const DEMO: &str = include_str!("../../../docs/openapi-demo.yaml");

#[test]
fn every_event_stream_operation_becomes_a_profile_and_nothing_else_does() {
    let doc = parse(DEMO).unwrap();
    let import = profiles(&doc, None).unwrap();
    let names: Vec<&str> = import.profiles.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["demoChat", "demoClock", "demoLogs", "demoProtected"]
    );
    let clock = &import.profiles[1].profile;
    assert_eq!(clock.url, "http://127.0.0.1:8900/clock?interval_ms=200");
    assert_eq!(clock.method.as_deref(), Some("GET"));
    let chat = &import.profiles[0].profile;
    assert_eq!(chat.method.as_deref(), Some("POST"));
    let body: Value = serde_json::from_str(chat.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["model"], "demo-1");
    assert_eq!(
        chat.description.as_deref(),
        Some("An LLM token stream ending with [DONE]")
    );
    // The secret is a reference to the environment, never a value.
    let protected = &import.profiles[3];
    assert_eq!(
        protected.profile.auth,
        super::super::model::ProfileAuth::Bearer {
            token: "${env:DEMOTOKEN_TOKEN}".into()
        }
    );
    assert_eq!(protected.needs, ["${env:DEMOTOKEN_TOKEN}"]);
}

#[test]
fn path_parameters_become_placeholders_and_the_server_can_be_given() {
    let doc = parse(
        r#"{"openapi":"3.1.0","paths":{"/v1/runs/{run_id}/events":{"get":{
            "parameters":[{"name":"run_id","in":"path","required":true},
                          {"name":"since","in":"query","required":true}],
            "responses":{"200":{"content":{"text/event-stream":{}}}}}}}}"#,
    )
    .unwrap();
    assert!(profiles(&doc, None).unwrap_err().contains("--server"));
    let import = profiles(&doc, Some("https://api.example.com/")).unwrap();
    let only = &import.profiles[0];
    assert_eq!(only.name, "get-v1-runs-run-id-events");
    assert_eq!(
        only.profile.url,
        "https://api.example.com/v1/runs/{{run_id}}/events?since={{since}}"
    );
    assert_eq!(only.needs, ["{{run_id}}", "{{since}}"]);
}

#[test]
fn a_file_that_is_no_openapi_description_says_so() {
    assert!(parse("{ oops").unwrap_err().starts_with("not JSON"));
    assert!(parse("a: [").unwrap_err().starts_with("not YAML"));
    let doc = parse("title: x").unwrap();
    assert!(
        profiles(&doc, None)
            .unwrap_err()
            .contains("not an OpenAPI description")
    );
}

#[test]
fn an_operations_stream_contract_is_read_in_both_conventions() {
    let doc = parse(
        r##"{"openapi":"3.2.0","paths":{
          "/runs/{id}/events":{"get":{"operationId":"runEvents","responses":{"200":{"content":{"text/event-stream":{
            "itemSchema":{"type":"object","required":["data"],"properties":{
              "event":{"type":"string"},
              "data":{"type":"string","contentMediaType":"application/json","contentSchema":{"$ref":"#/components/schemas/Tick"}}}}}}}}}},
          "/old":{"get":{"responses":{"200":{"content":{"text/event-stream":{"schema":{"type":"object"}}}}}}}},
          "components":{"schemas":{"Tick":{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}}}}}}"##,
    )
    .unwrap();
    let by_path = stream_contract(&doc, "GET", "/runs/42/events", None).unwrap();
    let by_id = stream_contract(&doc, "GET", "/anything", Some("runEvents")).unwrap();
    assert_eq!(by_path, by_id);
    assert_eq!(
        by_path.data_schema.unwrap()["required"],
        json!(["n"]),
        "the $ref is inlined"
    );
    assert!(by_path.item_schema.unwrap()["properties"]["event"].is_object());
    let old = stream_contract(&doc, "GET", "/old", None).unwrap();
    assert_eq!(old.data_schema, Some(json!({"type": "object"})));
    assert!(old.notice.unwrap().contains("no itemSchema"));
    let missing = stream_contract(&doc, "POST", "/old", None).unwrap_err();
    assert!(missing.contains("--operation"), "{missing}");
}

#[test]
fn yaml_reads_its_booleans_as_yaml_1_2_does() {
    let doc = parse("required: [n, no, on]\nflag: true\n").unwrap();
    assert_eq!(doc["required"], json!(["n", "no", "on"]));
    assert_eq!(doc["flag"], json!(true));
}
