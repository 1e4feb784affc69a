use clap::Parser;
use reqwest::Method;

use super::*;

#[derive(Debug, Parser)]
struct Wrapper {
    #[command(flatten)]
    args: RequestArgs,
}

fn spec(args: &[&str]) -> Result<RequestSpec, ArgError> {
    spec_with(args, None)
}

fn spec_with(args: &[&str], config: Option<&ConfigFile>) -> Result<RequestSpec, ArgError> {
    let parsed = Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
        .map_err(|e| arg_error(e.to_string()))?;
    parsed.args.to_spec_with_config(config, Some(5))
}

#[test]
fn get_defaults_to_always_reconnecting() {
    let s = spec(&["localhost:8900/clock"]).unwrap();
    assert_eq!(s.url.as_str(), "http://localhost:8900/clock");
    assert_eq!(s.method, Method::GET);
    assert_eq!(s.reconnect, ReconnectPolicy::Always);
    assert_eq!(s.retry.max_retries, Some(5));
}

#[test]
fn json_body_makes_a_post_that_is_not_re_sent() {
    let s = spec(&["http://h/chat", "--json", "{\"a\":1}"]).unwrap();
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.reconnect, ReconnectPolicy::Never);
    assert_eq!(s.body.as_deref(), Some(&b"{\"a\":1}"[..]));
    assert!(
        s.headers
            .contains(&("Content-Type".into(), "application/json".into()))
    );
}

#[test]
fn data_keeps_a_given_content_type() {
    let s = spec(&["http://h/", "-d", "x=1", "-H", "Content-Type: text/plain"]).unwrap();
    let types: Vec<_> = s
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .collect();
    assert_eq!(
        types,
        [&("Content-Type".to_owned(), "text/plain".to_owned())]
    );
}

#[test]
fn last_event_id_header_becomes_the_initial_id() {
    let s = spec(&["http://h/", "-H", "Last-Event-ID: 41"]).unwrap();
    assert_eq!(s.last_event_id, "41");
    assert!(s.headers.is_empty());
}

#[test]
fn auth_kinds_parse() {
    assert_eq!(
        spec(&["http://h/", "--bearer", "t"]).unwrap().auth,
        Auth::Bearer("t".into())
    );
    assert_eq!(
        spec(&["http://h/", "--basic", "u:p:q"]).unwrap().auth,
        Auth::Basic {
            user: "u".into(),
            password: "p:q".into()
        }
    );
    assert_eq!(
        spec(&["http://h/", "--api-key", "k=v=w", "--api-key-in", "query"])
            .unwrap()
            .auth,
        Auth::ApiKey {
            name: "k".into(),
            value: "v=w".into(),
            location: ApiKeyLocation::Query
        }
    );
    assert!(spec(&["http://h/", "--basic", "nocolon"]).is_err());
    assert!(
        spec(&["http://h/", "--bearer", "a", "--basic", "u:p"]).is_err(),
        "one auth kind at a time"
    );
}

#[test]
fn bad_input_is_an_error_naming_it() {
    for (args, needle) in [
        (&["ftp://h/"][..], "scheme"),
        (&["http://h/", "-H", "NoColon"], "NoColon"),
        (&["http://h/", "-H", ": v"], "header name"),
        (&["http://h/", "-X", "GE T"], "method"),
        (
            &["http://h/", "-d", "@/nonexistent/file"],
            "/nonexistent/file",
        ),
        (&["http://[::1/"], "invalid URL"),
    ] {
        let err = spec(args).unwrap_err().to_string();
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn sizes_and_seconds_parse() {
    assert_eq!(parse_size("16M"), Ok(16 << 20));
    assert_eq!(parse_size("512"), Ok(512));
    assert!(parse_size("0").is_err());
    assert!(parse_size("1X").is_err());
    assert_eq!(parse_secs("0.5"), Ok(Duration::from_millis(500)));
    assert!(parse_secs("-1").is_err());
}

#[test]
fn sizes_read_as_the_config_file_reads_them() {
    for text in [
        "16M",
        "64 K",
        "1GiB",
        "512",
        "12 parsecs",
        "",
        "99999999999999999999G",
    ] {
        assert_eq!(
            parse_size(text).is_ok(),
            crate::config::parse_size(text).is_ok(),
            "{text:?}"
        );
    }
}

/// A config file holding the profile `saved` and, when given, `[settings]` lines.
fn config(settings: &str) -> ConfigFile {
    let text = format!(
        "[settings]\n{settings}\n[profiles.saved]\nurl = \"http://saved/stream\"\n\
         auth = {{ kind = \"bearer\", token = \"saved\" }}\nlast_event_id = \"7\"\n\
         [profiles.saved.headers]\nAccept-Language = \"fr\"\nX-Trace = \"1\"\n"
    );
    ConfigFile::parse(std::path::Path::new("t.toml"), &text)
        .unwrap()
        .0
}

#[test]
fn options_override_a_profile_field_by_field() {
    let file = config("");
    let s = spec_with(&["--profile", "saved"], Some(&file)).unwrap();
    assert_eq!(s.url.as_str(), "http://saved/stream");
    assert_eq!(s.auth, Auth::Bearer("saved".into()));
    let s = spec_with(
        &[
            "--profile",
            "saved",
            "http://other/x",
            "-H",
            "x-trace: 2",
            "--basic",
            "u:p",
            "-X",
            "POST",
        ],
        Some(&file),
    )
    .unwrap();
    assert_eq!(s.url.as_str(), "http://other/x");
    assert_eq!(
        s.headers,
        [
            ("Accept-Language".to_owned(), "fr".to_owned()),
            ("x-trace".to_owned(), "2".to_owned())
        ]
    );
    assert_eq!(
        s.auth,
        Auth::Basic {
            user: "u".into(),
            password: "p".into()
        }
    );
    assert_eq!(s.last_event_id, "7", "kept from the profile");
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.reconnect, ReconnectPolicy::Never, "POST's default");
}

#[test]
fn settings_fill_in_what_neither_the_profile_nor_the_options_say() {
    let file = config(
        "retry_delay = \"250ms\"\n[settings.headers]\nUser-Agent = \"mine\"\nX-Trace = \"default\"",
    );
    let s = spec_with(&["--profile", "saved", "--retry-max", "900"], Some(&file)).unwrap();
    assert_eq!(s.retry.initial_delay, Duration::from_millis(250));
    assert_eq!(s.retry.max_delay, Duration::from_millis(900));
    let names: Vec<_> = s.headers.iter().map(|(n, v)| format!("{n}={v}")).collect();
    assert_eq!(
        names,
        ["User-Agent=mine", "Accept-Language=fr", "X-Trace=1"]
    );
    let s = spec_with(&["--profile", "saved", "--retry", "10"], Some(&file)).unwrap();
    assert_eq!(s.retry.initial_delay, Duration::from_millis(10));
    let s = spec_with(&["http://h/"], Some(&file)).unwrap();
    assert_eq!(
        s.headers.len(),
        2,
        "without a profile, the settings' headers too"
    );
}

#[test]
fn from_curl_is_the_base_that_options_override() {
    let curl =
        "curl 'http://h/s' -H 'X-A: 1' -H 'Authorization: Bearer t' --data-raw b --compressed -k";
    let s = spec(&["--from-curl", curl]).unwrap();
    assert_eq!(s.method, Method::POST);
    assert_eq!(s.auth, Auth::Bearer("t".into()));
    assert_eq!(s.body.as_deref(), Some(&b"b"[..]));
    assert!(
        s.transport.compressed && s.transport.insecure,
        "kept from the command"
    );
    assert_eq!(s.retry.max_retries, Some(5));
    let s = spec(&[
        "--from-curl",
        curl,
        "http://other/x",
        "-H",
        "x-a: 2",
        "-X",
        "GET",
    ])
    .unwrap();
    assert_eq!(s.url.as_str(), "http://other/x");
    assert_eq!(s.method, Method::GET);
    assert_eq!(s.reconnect, ReconnectPolicy::Always, "GET's default");
    assert!(s.headers.contains(&("x-a".into(), "2".into())));
    assert!(!s.headers.iter().any(|(n, _)| n == "X-A"));
    let err = spec(&["--from-curl", "curl -H 'A: b'"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("no URL"), "{err}");
    assert!(spec(&["--from-curl", curl, "--profile", "p"]).is_err());
}

#[test]
fn connect_timeout_flag_beats_the_curl_command_which_beats_the_default() {
    let curl = "curl --connect-timeout 2.5 http://h/";
    assert_eq!(
        spec(&["--from-curl", curl]).unwrap().connect_timeout,
        Duration::from_millis(2500),
        "the command's value, not the default"
    );
    assert_eq!(
        spec(&["--from-curl", curl, "--connect-timeout", "7"])
            .unwrap()
            .connect_timeout,
        Duration::from_secs(7)
    );
    assert_eq!(
        spec(&["--from-curl", "curl http://h/"])
            .unwrap()
            .connect_timeout,
        crate::sse::request::DEFAULT_CONNECT_TIMEOUT
    );
    assert_eq!(
        spec(&["http://h/"]).unwrap().connect_timeout,
        crate::sse::request::DEFAULT_CONNECT_TIMEOUT
    );
}

#[test]
fn options_apply_over_the_demo_start_as_over_a_profile() {
    let base: reqwest::Url = "http://127.0.0.1:9/".parse().unwrap();
    let over = |args: &[&str]| {
        Wrapper::try_parse_from(std::iter::once("ssetui").chain(args.iter().copied()))
            .unwrap()
            .args
            .to_spec_over(crate::demo_server::START.overrides(&base), None)
    };
    let s = over(&["-H", "X-A: 1"]).unwrap();
    assert_eq!(s.url.as_str(), "http://127.0.0.1:9/chat");
    assert_eq!(s.method, Method::POST);
    assert_eq!(
        s.body.as_deref(),
        Some(crate::demo_server::CHAT_SAMPLE_BODY.as_bytes())
    );
    assert!(s.headers.contains(&("X-A".into(), "1".into())));
    assert!(
        s.headers
            .contains(&("Content-Type".into(), "application/json".into()))
    );
    let s = over(&["-d", "a=1"]).unwrap();
    assert_eq!(
        s.body.as_deref(),
        Some(&b"a=1"[..]),
        "the option's body wins"
    );
    assert_eq!(
        s.headers,
        [(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned()
        )]
    );
    assert!(over(&["http://h/"]).is_err());
}

#[test]
fn without_a_profile_the_url_is_required() {
    let err = spec(&["-H", "A: b"]).unwrap_err().to_string();
    assert!(err.contains("URL") && err.contains("--profile"), "{err}");
}

#[test]
fn transport_flags_map() {
    let s = spec(&[
        "https://h/",
        "--http1.1",
        "-k",
        "--compressed",
        "--proxy",
        "socks5h://127.0.0.1:1080",
    ])
    .unwrap();
    assert_eq!(s.transport.http_version, HttpVersionPref::Http1Only);
    assert!(s.transport.insecure && s.transport.compressed);
    assert_eq!(
        s.transport.proxy.as_deref(),
        Some("socks5h://127.0.0.1:1080")
    );
    assert!(spec(&["https://h/", "--http1.1", "--http2"]).is_err());
    assert!(
        spec(&["https://h/", "--cert", "c.pem"]).is_err(),
        "--cert needs --key"
    );
}
