//! curl interop: browsers' "Copy as cURL" strings imported, requests exported
//! and read back, and `ssetui print --from-curl` against the demo server.

mod support;

use std::io::Read;
use std::process::Stdio;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use reqwest::Method;
use ssetui::curl::{self, CurlError};
use ssetui::sse::request::{Auth, RequestSpec};

fn header<'a>(spec: &'a RequestSpec, name: &str) -> Option<&'a str> {
    spec.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn chrome_copy_as_curl_imports_url_headers_body_and_bearer() {
    // Chrome 131, "Copy as cURL (bash)" of a fetch() to an SSE endpoint.
    let command = r#"curl 'https://api.example.com/v1/chat/completions?stream=true' \
  -H 'accept: text/event-stream' \
  -H 'accept-language: en-GB,en;q=0.9' \
  -H 'authorization: Bearer sk-abc.123' \
  -H 'content-type: application/json' \
  -b 'session=xyz; theme=dark' \
  -H 'origin: https://app.example.com' \
  -H 'priority: u=1, i' \
  -H 'referer: https://app.example.com/' \
  -H 'sec-ch-ua: "Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"' \
  -H 'sec-fetch-mode: cors' \
  -H 'user-agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' \
  --data-raw '{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"it'\''s \"quoted\""}]}'"#;
    let imported = curl::parse(command).unwrap();
    let spec = &imported.spec;
    assert!(imported.ignored.is_empty(), "{:?}", imported.ignored);
    assert_eq!(spec.method, Method::POST, "a body without -X is a POST");
    assert_eq!(
        spec.url.as_str(),
        "https://api.example.com/v1/chat/completions?stream=true"
    );
    assert_eq!(spec.auth, Auth::Bearer("sk-abc.123".into()));
    assert_eq!(header(spec, "authorization"), None, "moved into auth");
    assert_eq!(header(spec, "accept"), Some("text/event-stream"));
    assert_eq!(header(spec, "cookie"), Some("session=xyz; theme=dark"));
    assert_eq!(
        header(spec, "sec-ch-ua"),
        Some(r#""Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24""#)
    );
    assert_eq!(
        spec.body.as_deref(),
        Some(
            &br#"{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"it's \"quoted\""}]}"#[..]
        )
    );
    assert_eq!(
        header(spec, "content-type"),
        Some("application/json"),
        "the browser's type is kept, no second one added"
    );
    assert_eq!(
        spec.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .count(),
        1
    );
}

#[test]
fn firefox_copy_as_curl_with_ansi_c_body_and_compressed() {
    // Firefox 133, "Copy as cURL (POSIX)": -X first, $'…' when the body has a newline or quote.
    let command = "curl 'http://localhost:8900/chat' -X POST \
-H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' \
-H 'Accept: text/event-stream' -H 'Accept-Encoding: gzip, deflate, br, zstd' \
-H 'Content-Type: application/json' -H 'Connection: keep-alive' \
-H 'Last-Event-ID: 41' \
--data-raw $'{\"prompt\":\"line one\\nit\\'s two\"}' --compressed";
    let imported = curl::parse(command).unwrap();
    let spec = &imported.spec;
    assert_eq!(spec.method, Method::POST);
    assert_eq!(spec.url.as_str(), "http://localhost:8900/chat");
    assert_eq!(
        spec.body.as_deref(),
        Some(&b"{\"prompt\":\"line one\nit's two\"}"[..])
    );
    assert_eq!(spec.last_event_id, "41");
    assert_eq!(header(spec, "last-event-id"), None);
    assert!(spec.transport.compressed);
    assert_eq!(spec.headers.len(), 5);
}

#[test]
fn hand_typed_flags_map_to_the_request() {
    let imported = curl::parse(
        "curl -sSNLk --url \"http://h/s\" -u alice:'p w:d' -A 'ua/1' -e 'http://r/;auto' \
         --json '{\"a\":1}' -o out.txt --max-time 30 --frobnicate -XPUT",
    )
    .unwrap();
    let spec = &imported.spec;
    assert_eq!(spec.method, Method::PUT);
    assert_eq!(spec.url.as_str(), "http://h/s");
    assert_eq!(
        spec.auth,
        Auth::Basic {
            user: "alice".into(),
            password: "p w:d".into()
        }
    );
    assert!(spec.transport.insecure);
    assert_eq!(header(spec, "user-agent"), Some("ua/1"));
    assert_eq!(header(spec, "referer"), Some("http://r/"));
    assert_eq!(header(spec, "content-type"), Some("application/json"));
    assert_eq!(spec.body.as_deref(), Some(&b"{\"a\":1}"[..]));
    assert_eq!(
        imported.ignored,
        ["-o", "--max-time", "--frobnicate"],
        "values of skipped flags are consumed, not taken for the URL"
    );
}

#[test]
fn data_flags_join_and_default_to_form_posts() {
    let spec = curl::parse("curl http://h/ -d a=1 --data-binary 'b=2'")
        .unwrap()
        .spec;
    assert_eq!(spec.method, Method::POST);
    assert_eq!(spec.body.as_deref(), Some(&b"a=1&b=2"[..]));
    assert_eq!(
        header(&spec, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let spec = curl::parse("curl -G http://h/s?x=1 -d a=1").unwrap().spec;
    assert_eq!(spec.method, Method::GET);
    assert_eq!(spec.url.as_str(), "http://h/s?x=1&a=1");
    assert_eq!(spec.body, None);
    let imported = curl::parse("curl http://h/ -d @secrets.json").unwrap();
    assert_eq!(imported.spec.body, None, "files are not read");
    assert_eq!(imported.ignored.len(), 1);
}

#[test]
fn basic_authorization_header_becomes_basic_auth() {
    // base64("u:p") = dTpw
    let spec = curl::parse("curl http://h/ -H 'Authorization: Basic dTpw'")
        .unwrap()
        .spec;
    assert_eq!(
        spec.auth,
        Auth::Basic {
            user: "u".into(),
            password: "p".into()
        }
    );
}

#[test]
fn bad_commands_are_errors_saying_why() {
    type Expect = fn(&CurlError) -> bool;
    let cases: [(&str, Expect); 7] = [
        ("curl 'http://h/", |e| matches!(e, CurlError::Split(_))),
        ("curl -H 'A: b'", |e| matches!(e, CurlError::NoUrl)),
        ("wget http://h/", |e| matches!(e, CurlError::NotCurl(_))),
        ("", |e| matches!(e, CurlError::NotCurl(_))),
        ("curl ftp://h/", |e| matches!(e, CurlError::BadUrl(..))),
        ("curl http://h/ -H NoColon", |e| {
            matches!(e, CurlError::BadHeader(_))
        }),
        (
            "curl http://h/ -H",
            |e| matches!(e, CurlError::MissingValue(f) if f == "-H"),
        ),
    ];
    for (command, expected) in cases {
        let err = curl::parse(command).unwrap_err();
        assert!(expected(&err), "{command:?}: {err:?}");
        assert!(!err.to_string().is_empty());
    }
    assert!(matches!(
        curl::parse("curl http://h/ -X 'GE T'"),
        Err(CurlError::BadMethod(_))
    ));
}

#[test]
fn a_pasted_command_with_cr_line_ends_imports_without_warnings() {
    // A terminal sends each newline of a paste as CR; a Windows clipboard holds CRLF.
    for end in ["\r", "\r\n"] {
        for command in [
            format!("curl 'http://h/s' \\{end}  -H 'X-A: 1' \\{end}  -H 'X-B: 2'{end}"),
            format!("curl ^\"http://h/s^\" ^{end}  -H ^\"X-A: 1^\" ^{end}  -H ^\"X-B: 2^\"{end}"),
            format!("curl.exe 'http://h/s' `{end}  -H 'X-A: 1' `{end}  -H 'X-B: 2'{end}"),
        ] {
            let imported = curl::parse(&command).unwrap();
            assert!(
                imported.ignored.is_empty(),
                "{command:?}: {:?}",
                imported.ignored
            );
            let spec = &imported.spec;
            assert_eq!(spec.url.as_str(), "http://h/s", "{command:?}");
            assert_eq!(header(spec, "x-a"), Some("1"), "{command:?}");
            assert_eq!(header(spec, "x-b"), Some("2"), "{command:?}");
        }
    }
}

#[test]
fn warnings_and_errors_name_flags_and_headers_never_their_values() {
    let imported = curl::parse(
        "curl http://h/ --proxy-user pu:SECRET1 --pass SECRET2 -U SECRET3 \
         -d @SECRET4 -b SECRET5 --connect-timeout SECRET6 --cert SECRET7 \
         http://u:SECRET8@h2/ Bearer SECRET9",
    )
    .unwrap();
    let warning = imported.ignored.join(" ");
    assert!(!warning.contains("SECRET"), "{warning}");
    for flag in [
        "--proxy-user",
        "--pass",
        "-U",
        "-d",
        "-b",
        "--connect-timeout",
        "--cert",
    ] {
        assert!(
            imported.ignored.iter().any(|w| w.starts_with(flag)),
            "{flag}: {warning}"
        );
    }
    assert!(warning.contains("3 more URLs"), "{warning}");
    for command in [
        "curl http://h/ -H 'Authorization Bearer SECRET'",
        "curl http://h/ -H $'Authorization: Bearer SECRET\\x01'",
        "curl http://h/ -F '=SECRET'",
        "curl http://h/ -F SECRET",
        "curl 'http://u:SECRET@h h/?key=SECRET'",
        "curl 'ftp://u:SECRET@h/?key=SECRET'",
    ] {
        let err = curl::parse(command).unwrap_err().to_string();
        assert!(!err.contains("SECRET"), "{command}: {err}");
    }
    let err = curl::parse("curl http://h/ -H 'Authorization Bearer x'").unwrap_err();
    assert!(err.to_string().contains("Authorization"), "{err}");
}

#[test]
fn shell_variables_become_env_references_and_single_quotes_stay_literal() {
    // bash: $VAR and ${VAR}, unquoted or in double quotes; '…' and \$ literal.
    let spec = curl::parse(
        "curl \"https://h/v1/${ORG}/s?key=$KEY\" -H \"Authorization: Bearer $OPENAI_API_KEY\" \
         -H X-Org:$ORG -H 'X-Lit: $HOME' -H \"X-Esc: \\$HOME $ 5$\" -u \"me:$PASS\"",
    )
    .unwrap()
    .spec;
    assert_eq!(spec.url.query(), Some("key=${env:KEY}"));
    assert!(spec.url.path().contains("env:ORG"), "{}", spec.url);
    assert_eq!(header(&spec, "x-org"), Some("${env:ORG}"));
    assert_eq!(header(&spec, "x-lit"), Some("$HOME"));
    assert_eq!(header(&spec, "x-esc"), Some("$HOME $ 5$"));
    assert_eq!(
        spec.auth,
        Auth::Basic {
            user: "me".into(),
            password: "${env:PASS}".into()
        },
        "-u wins over the header"
    );
    let spec = curl::parse("curl http://h/ -H \"Authorization: Bearer $OPENAI_API_KEY\"")
        .unwrap()
        .spec;
    assert_eq!(spec.auth, Auth::Bearer("${env:OPENAI_API_KEY}".into()));
    // cmd: %VAR%, a caret-escaped ^% literal, a percent escape left alone.
    let spec = curl::parse(
        "curl ^\"http://h/a%20b%E2%80%99c^\" -H ^\"Authorization: Bearer %OPENAI_API_KEY%^\" ^\n -H ^\"X-Lit: ^%HOME^%^\"",
    )
    .unwrap()
    .spec;
    assert_eq!(spec.auth, Auth::Bearer("${env:OPENAI_API_KEY}".into()));
    assert_eq!(header(&spec, "x-lit"), Some("%HOME%"));
    assert_eq!(spec.url.path(), "/a%20b%E2%80%99c");
    // PowerShell: $env:VAR in double quotes or bare; '…' literal.
    let spec = curl::parse(
        "curl.exe http://h/ -H \"Authorization: Bearer $env:OPENAI_API_KEY\" -H 'X-Lit: $env:HOME' -H X-Org:$env:ORG",
    )
    .unwrap()
    .spec;
    assert_eq!(spec.auth, Auth::Bearer("${env:OPENAI_API_KEY}".into()));
    assert_eq!(header(&spec, "x-lit"), Some("$env:HOME"));
    assert_eq!(header(&spec, "x-org"), Some("${env:ORG}"));
}

/// `print --from-curl` with the key in a shell variable, as docs write it:
/// the server gets the variable's value, `-v` shows it redacted.
#[test]
fn print_from_curl_sends_a_shell_variables_value_and_shows_it_redacted() {
    use support::{Step, serve, sse_head, write};
    let (runtime, mut server) = serve(vec![vec![sse_head(), write("data: hi\n\n"), Step::Close]]);
    let command = format!(
        "curl -H \"Authorization: Bearer $SSETUI_TEST_KEY\" -H \"X-Org: ${{SSETUI_TEST_ORG}}\" '{}'",
        server.url("/s")
    );
    let mut cmd = support::app();
    cmd.args(["print", "-v", "--no-reconnect", "--from-curl", &command])
        .env("SSETUI_TEST_KEY", "sk-from-env-51ab")
        .env("SSETUI_TEST_ORG", "acme")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = support::output_within(cmd, Duration::from_secs(15));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    let request = runtime.block_on(server.next_request());
    assert_eq!(
        request.header("authorization"),
        Some("Bearer sk-from-env-51ab")
    );
    assert_eq!(request.header("x-org"), Some("acme"));
    assert!(err.contains("> Authorization: Bearer ***"), "{err}");
    assert!(!err.contains("sk-from-env"), "{err}");
}

#[test]
fn print_from_curl_with_an_unset_variable_exits_2_naming_it_and_sends_nothing() {
    let (_runtime, server) = support::serve(vec![vec![support::sse_head(), support::Step::Close]]);
    let command = format!(
        "curl -H \"Authorization: Bearer $SSETUI_TEST_UNSET\" '{}'",
        server.url("/s")
    );
    let mut cmd = support::app();
    cmd.args(["print", "--from-curl", &command])
        .env_remove("SSETUI_TEST_UNSET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = support::output_within(cmd, Duration::from_secs(15));
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("SSETUI_TEST_UNSET"), "{err}");
    assert!(err.contains("Bearer token"), "names the field: {err}");
    assert_eq!(server.connections(), 0, "nothing sent");
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/curl/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read_fixture(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

#[test]
fn chrome_copy_as_curl_cmd_imports_caret_escaped_values() {
    let imported = curl::parse(&read_fixture("chrome_cmd_chat.txt")).unwrap();
    let spec = &imported.spec;
    assert!(imported.ignored.is_empty(), "{:?}", imported.ignored);
    assert_eq!(spec.method, Method::POST);
    assert_eq!(
        spec.url.as_str(),
        "https://api.example.com/v1/chat/completions?stream=true&lang=fr"
    );
    assert_eq!(spec.auth, Auth::Bearer("sk-abc.123".into()));
    assert_eq!(header(spec, "cookie"), Some("session=xyz%3D; theme=dark"));
    assert_eq!(
        header(spec, "sec-ch-ua"),
        Some(r#""Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24""#)
    );
    assert_eq!(header(spec, "sec-ch-ua-platform"), Some("\"Windows\""));
    assert_eq!(
        header(spec, "accept-language"),
        Some("fr-FR,fr;q=0.9,en;q=0.8")
    );
    // The JSON's own escapes (\" \n \\) come back as the browser sent them.
    let body = read_fixture("chrome_cmd_body.json");
    assert_eq!(spec.body.as_deref(), Some(body.as_bytes()));
    assert!(serde_json::from_slice::<serde_json::Value>(spec.body.as_deref().unwrap()).is_ok());
}

#[test]
fn chrome_cmd_get_with_crlf_lines_and_url_brackets() {
    let spec = curl::parse(&read_fixture("chrome_cmd_get.txt"))
        .unwrap()
        .spec;
    assert_eq!(spec.method, Method::GET);
    assert_eq!(
        spec.url.query(),
        Some("topics[]=prices&topics[]=news&since=2024-01-01T00:00:00Z"),
        "Chrome's \\[ globbing escapes are removed"
    );
    assert_eq!(spec.last_event_id, "1700000000-7");
    assert_eq!(header(&spec, "cache-control"), Some("no-cache"));
    assert_eq!(
        header(&spec, "referer"),
        Some("https://stream.example.com/dashboard")
    );
    assert_eq!(spec.body, None);
}

#[test]
fn firefox_windows_copy_imports_newlines_and_unquoted_method() {
    let imported = curl::parse(&read_fixture("firefox_windows_put.txt")).unwrap();
    let spec = &imported.spec;
    assert!(imported.ignored.is_empty(), "{:?}", imported.ignored);
    assert_eq!(spec.method, Method::PUT);
    assert_eq!(spec.url.as_str(), "http://localhost:8900/chat?room=a&b=c");
    assert!(spec.transport.compressed);
    assert_eq!(
        spec.auth,
        Auth::Basic {
            user: "demo".into(),
            password: "p@ss:w".into()
        }
    );
    assert_eq!(
        header(spec, "content-type"),
        Some("text/plain;charset=UTF-8")
    );
    let body = read_fixture("firefox_windows_body.txt");
    assert_eq!(
        String::from_utf8_lossy(spec.body.as_deref().unwrap_or_default()),
        body
    );
}

#[test]
fn powershell_backtick_continuations_import() {
    let command = "curl.exe 'http://h/s?a=1' `\r\n  -H 'Accept: text/event-stream' `\r\n  \
                   -H \"X-Note: it`\"s `$HOME\" `\r\n  --data-raw '{\"q\":\"it''s\"}'";
    let spec = curl::parse(command).unwrap().spec;
    assert_eq!(spec.method, Method::POST);
    assert_eq!(spec.url.as_str(), "http://h/s?a=1");
    assert_eq!(header(&spec, "x-note"), Some("it\"s $HOME"));
    assert_eq!(spec.body.as_deref(), Some(&br#"{"q":"it's"}"#[..]));
}

#[test]
fn data_urlencode_takes_every_form_and_joins_with_data() {
    let file = fixture("urlencode.txt");
    let command = format!(
        "curl http://h/ -d a=1 --data-urlencode 'my name is moo[]' \
         --data-urlencode '=x=y&z' --data-urlencode 'q=caf\u{e9} 100%' \
         --data-urlencode '@{file}' --data-urlencode 'f@{file}'"
    );
    let spec = curl::parse(&command).unwrap().spec;
    assert_eq!(spec.method, Method::POST);
    let encoded = "hello+%26+goodbye%0A%3D+100%25%0A";
    assert_eq!(
        String::from_utf8_lossy(spec.body.as_deref().unwrap_or_default()),
        format!("a=1&my+name+is+moo%5B%5D&x%3Dy%26z&q=caf%C3%A9+100%25&{encoded}&f={encoded}")
    );
    assert_eq!(
        header(&spec, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let spec = curl::parse("curl -G 'http://h/s?x=1' --data-urlencode 'q=a b&c'")
        .unwrap()
        .spec;
    assert_eq!(spec.method, Method::GET);
    assert_eq!(spec.url.as_str(), "http://h/s?x=1&q=a+b%26c");
    assert_eq!(spec.body, None);
    let err = curl::parse("curl http://h/ --data-urlencode n@/nonexistent/ssetui.txt").unwrap_err();
    assert!(
        matches!(&err, CurlError::File(path, _) if path == "/nonexistent/ssetui.txt"),
        "{err:?}"
    );
    assert!(err.to_string().contains("/nonexistent/ssetui.txt"), "{err}");
}

#[test]
fn form_builds_a_multipart_body_with_files() {
    let csv = fixture("upload.csv");
    let json = fixture("chrome_cmd_body.json");
    let command = format!(
        "curl http://h/up -F 'title=Q3 report' -F 'data=@{csv}' \
         -F 'meta=<{json};type=application/json' -F 'note=hi;type=text/x-note' \
         --form-string 'raw=@not-read'"
    );
    let spec = curl::parse(&command).unwrap().spec;
    assert_eq!(spec.method, Method::POST);
    let content_type = header(&spec, "content-type").unwrap_or_default().to_owned();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let body = String::from_utf8(spec.body.clone().unwrap_or_default()).unwrap();
    let json_text = read_fixture("chrome_cmd_body.json");
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 report\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"data\"; filename=\"upload.csv\"\r\n\
         Content-Type: application/octet-stream\r\n\r\nid,name\n1,caf\u{e9}\n\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\
         Content-Type: application/json\r\n\r\n{json_text}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\
         Content-Type: text/x-note\r\n\r\nhi\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"raw\"\r\n\r\n@not-read\r\n\
         --{b}--\r\n",
        b = boundary
    );
    assert_eq!(body, expected);
    assert_eq!(
        spec.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .count(),
        1
    );
}

#[test]
fn form_errors_name_the_file_or_the_conflict() {
    let err = curl::parse("curl http://h/ -F 'f=@/nonexistent/ssetui.bin'").unwrap_err();
    assert!(
        matches!(&err, CurlError::File(path, _) if path == "/nonexistent/ssetui.bin"),
        "{err:?}"
    );
    assert!(err.to_string().contains("/nonexistent/ssetui.bin"));
    assert!(matches!(
        curl::parse("curl http://h/ -F a=b -d c=d"),
        Err(CurlError::FormAndData)
    ));
    assert!(matches!(
        curl::parse("curl http://h/ -F novalue"),
        Err(CurlError::BadForm(_))
    ));
}

#[test]
fn connect_timeout_from_the_command_reaches_the_request() {
    let spec = curl::parse("curl --connect-timeout 2.5 http://h/")
        .unwrap()
        .spec;
    assert_eq!(spec.connect_timeout, Duration::from_millis(2500));
}

fn sample_spec() -> RequestSpec {
    let mut spec = RequestSpec::new(
        Method::POST,
        "https://h.example/s?q=1&token=t0".parse().unwrap(),
    );
    spec.headers = vec![
        ("Accept".into(), "text/event-stream".into()),
        ("Content-Type".into(), "application/json".into()),
        ("X-Quote".into(), "it's \"here\" $HOME `x`".into()),
        ("Cookie".into(), "sid=s3cret".into()),
    ];
    spec.body = Some(b"{\"text\":\"a'b\\nc\"}\n\x1b[0m".to_vec());
    spec.auth = Auth::Bearer("tok3n".into());
    spec.last_event_id = "42".into();
    spec
}

#[test]
fn exported_command_parses_back_to_the_same_request() {
    let mut specs = vec![sample_spec()];
    let mut basic = RequestSpec::get("http://localhost:8900/clock".parse().unwrap());
    basic.auth = Auth::Basic {
        user: "demo".into(),
        password: "p'a ss:word".into(),
    };
    specs.push(basic);
    let mut get_with_body = RequestSpec::get("http://h/".parse().unwrap());
    get_with_body.headers = vec![("Content-Type".into(), "text/plain".into())];
    get_with_body.body = Some(b"x".to_vec());
    specs.push(get_with_body);
    let mut transport = RequestSpec::new(Method::DELETE, "http://h/".parse().unwrap());
    transport.transport.compressed = true;
    transport.transport.insecure = true;
    specs.push(transport);
    for spec in specs {
        let command = curl::to_curl(&spec, true);
        let back = curl::parse(&command).unwrap();
        assert!(back.ignored.is_empty(), "{command}: {:?}", back.ignored);
        assert_eq!(back.spec, spec, "{command}");
    }
}

#[test]
fn export_shape_is_single_quoted_with_no_buffer() {
    let command = curl::to_curl(&sample_spec(), true);
    assert!(
        command.starts_with("curl -N -X 'POST' 'https://h.example/s?q=1&token=t0' "),
        "{command}"
    );
    assert!(
        command.contains(r#"-H 'X-Quote: it'\''s "here" $HOME `x`'"#),
        "{command}"
    );
    assert!(
        command.contains("-H 'Authorization: Bearer tok3n'"),
        "{command}"
    );
    assert!(command.contains("-H 'Last-Event-ID: 42'"), "{command}");
    assert!(
        command.contains("--data-raw $'"),
        "control bytes use ANSI-C quoting: {command}"
    );
    let get = curl::to_curl(&RequestSpec::get("http://h/s".parse().unwrap()), true);
    assert_eq!(get, "curl -N 'http://h/s'");
}

#[test]
fn export_redacts_secrets_unless_revealed() {
    let mut spec = sample_spec();
    let hidden = curl::to_curl(&spec, false);
    for secret in ["tok3n", "s3cret", "t0"] {
        assert!(!hidden.contains(secret), "{secret} in {hidden}");
    }
    assert!(
        hidden.contains("-H 'Authorization: Bearer ***'"),
        "{hidden}"
    );
    assert!(hidden.contains("token=***"), "{hidden}");
    spec.auth = Auth::Basic {
        user: "u".into(),
        password: "pw".into(),
    };
    let hidden = curl::to_curl(&spec, false);
    assert!(hidden.contains("-u 'u:***'"), "{hidden}");
    assert!(curl::to_curl(&spec, true).contains("-u 'u:pw'"));
}

/// `ssetui print --from-curl` against the demo server's `/protected`, which
/// answers only with the demo token.
#[test]
fn print_from_curl_reaches_the_protected_demo_stream() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let url = runtime.block_on(async {
        let server = ssetui::demo_server::bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let url = server.url("/protected?count=1");
        server.spawn();
        url
    });
    let command = format!(
        "curl -H 'Authorization: Bearer {}' '{url}'",
        ssetui::demo_server::DEMO_BEARER_TOKEN
    );
    let mut child = support::app()
        .args(["print", "--from-curl", &command, "--max-events", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut out, mut err) = (String::new(), String::new());
        let _ = stdout.read_to_string(&mut out);
        let _ = stderr.read_to_string(&mut err);
        let _ = tx.send((out, err));
    });
    let result = rx.recv_timeout(Duration::from_secs(15));
    if result.is_err() {
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    let (out, err) = result.expect("ssetui print finished in time");
    assert!(status.success(), "{status}: {err}");
    let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap_or("")).unwrap();
    assert!(line["event"].is_string(), "{out}");
    assert!(!line["data"].as_str().unwrap_or("").is_empty(), "{out}");
}

#[test]
fn print_refuses_from_curl_with_a_profile() {
    let output = support::app()
        .args(["print", "--from-curl", "curl http://h/", "--profile", "x"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("--from-curl") && err.contains("--profile"),
        "{err}"
    );
}

#[test]
fn odd_input_is_an_error_or_a_request_never_a_panic() {
    let fragments = [
        "curl",
        " ",
        "-",
        "--",
        "-X",
        "-XPOST",
        "-H",
        "'",
        "\"",
        "$'",
        "\\",
        "\\\n",
        "$'\\x",
        "$'\\u",
        "$'\\uD800'",
        "$'\\777'",
        "http://h/",
        "-d",
        "@",
        "-G",
        "-u",
        ":",
        "é",
        "\u{0}",
        "--url",
        "-sSNk",
        "-e",
        ";auto",
        "[::1",
        "-b",
        "=",
        "^",
        "^\"",
        "^\n",
        "`\n",
        "-F",
        "--data-urlencode",
        "a=@",
        "\\\"",
    ];
    for a in fragments {
        for b in fragments {
            for c in fragments {
                let command = format!("curl {a}{b} {c}");
                if let Ok(imported) = curl::parse(&command) {
                    let _ = curl::to_curl(&imported.spec, false);
                }
            }
        }
    }
    let spec = curl::parse("curl -XPOST -sSH'A: b' http://h/")
        .unwrap()
        .spec;
    assert_eq!(spec.method, Method::POST);
    assert_eq!(
        header(&spec, "a"),
        Some("b"),
        "a value attached to bundled flags"
    );
}
