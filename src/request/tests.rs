use std::time::Duration;

use reqwest::Method;

use super::*;
use crate::sse::request::DEFAULT_CONNECT_TIMEOUT;

#[test]
fn a_url_without_a_scheme_is_http_and_a_mistyped_scheme_is_named() {
    for (text, expected) in [
        ("localhost:8900/clock", "http://localhost:8900/clock"),
        ("127.0.0.1:9/s?x=1", "http://127.0.0.1:9/s?x=1"),
        ("example.com", "http://example.com/"),
        ("[::1]:8900/x", "http://[::1]:8900/x"),
        ("me:pw@h.example/s", "http://me:pw@h.example/s"),
        ("  https://h/s  ", "https://h/s"),
        ("HTTP://H/s", "http://h/s"),
    ] {
        assert_eq!(
            parse_url(text).map(String::from),
            Ok(expected.into()),
            "{text}"
        );
    }
    for (text, scheme) in [
        ("htp:/bad url", "htp"),
        ("htps://h/s", "htps"),
        ("ftp://h/", "ftp"),
        ("localhost:/x", "localhost"),
        ("javascript:alert(1)", "javascript"),
    ] {
        let err = parse_url(text).unwrap_err();
        assert!(
            matches!(&err, UrlError::Scheme { scheme: s, .. } if s == scheme),
            "{text}: {err:?}"
        );
        assert!(err.to_string().contains(&format!("scheme {scheme:?}")));
        assert!(err.reason().contains(&format!("scheme {scheme:?}")));
    }
    assert_eq!(parse_url("  "), Err(UrlError::Empty));
    let err = parse_url("http://u:SECRET@exa mple.com/?key=SECRET").unwrap_err();
    assert!(matches!(err, UrlError::Invalid { .. }), "{err:?}");
    assert!(!err.to_string().contains("SECRET"), "{err}");
    assert!(err.to_string().starts_with("invalid URL"), "{err}");
}

#[test]
fn header_names_are_tokens_and_values_hold_no_control_character_but_tab() {
    for name in ["X-Trace", "x!#$%&'*+-.^_`|~9"] {
        assert_eq!(header::check_name(name), Ok(()), "{name}");
    }
    for name in ["", "Bad Name", "X(a)", "X:a", "X\"a", "Café", "X\ta"] {
        assert!(
            matches!(header::check_name(name), Err(HeaderError::Name(_))),
            "{name:?}"
        );
    }
    for value in ["", "a\tb", "café", "Bearer x"] {
        assert_eq!(header::check_value("X", value), Ok(()), "{value:?}");
    }
    for value in ["a\rb", "a\nb", "a\0b", "\u{1b}[31m", "a\u{7f}"] {
        assert_eq!(
            header::check_value("X", value),
            Err(HeaderError::Value("X".into())),
            "{value:?}"
        );
    }
    assert_eq!(
        header::parse_line(" X-A :  1 "),
        Ok(("X-A".into(), "1".into()))
    );
    assert_eq!(
        header::parse_line("Accept:"),
        Ok(("Accept".into(), "".into()))
    );
    let err = header::parse_line("Authorization Bearer SECRET").unwrap_err();
    assert_eq!(err, HeaderError::NoColon("Authorization".into()));
    let err = header::parse_line("X-Key: a\nSECRET").unwrap_err();
    assert!(!err.to_string().contains("SECRET"), "{err}");
}

#[test]
fn methods_are_tokens_and_a_body_makes_the_default_a_post() {
    assert_eq!(parse_method("REPORT").unwrap().as_str(), "REPORT");
    for bad in ["", "GE T", "GET\r\n", "a/b"] {
        assert!(parse_method(bad).is_err(), "{bad:?}");
    }
    assert_eq!(default_method(true), Method::POST);
    assert_eq!(default_method(false), Method::GET);
}

fn url(text: &str) -> Option<reqwest::Url> {
    Some(text.parse().unwrap())
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect()
}

fn profile() -> Overrides {
    Overrides {
        url: url("http://saved/stream"),
        headers: headers(&[("Accept-Language", "fr"), ("X-Trace", "1")]),
        auth: Some(Auth::Bearer("saved".into())),
        last_event_id: Some("7".into()),
        ..Overrides::default()
    }
}

#[test]
fn each_layer_overrides_the_ones_under_it_field_by_field() {
    let settings = Overrides {
        headers: headers(&[("User-Agent", "mine"), ("X-Trace", "default")]),
        retry_delay: Some(Duration::from_millis(250)),
        ..Overrides::default()
    };
    let command_line = Overrides {
        url: url("http://other/x"),
        method: Some(Method::POST),
        headers: headers(&[("x-trace", "2")]),
        auth: Some(Auth::Basic {
            user: "u".into(),
            password: "p".into(),
        }),
        max_retry_delay: Some(Duration::from_millis(900)),
        ..Overrides::default()
    };
    let spec = compose([settings.clone(), profile(), command_line]).unwrap();
    assert_eq!(spec.url.as_str(), "http://other/x");
    assert_eq!(
        spec.headers,
        headers(&[
            ("User-Agent", "mine"),
            ("Accept-Language", "fr"),
            ("x-trace", "2")
        ])
    );
    assert!(matches!(spec.auth, Auth::Basic { .. }));
    assert_eq!(spec.last_event_id, "7", "kept from the profile");
    assert_eq!(spec.method, Method::POST);
    assert_eq!(spec.reconnect, ReconnectPolicy::Never, "POST's default");
    assert!(!spec.reconnect_explicit);
    assert_eq!(spec.retry.initial_delay, Duration::from_millis(250));
    assert_eq!(spec.retry.max_delay, Duration::from_millis(900));
    assert_eq!(spec.connect_timeout, DEFAULT_CONNECT_TIMEOUT);
    let spec = compose([settings, profile()]).unwrap();
    assert_eq!(
        spec.headers,
        headers(&[
            ("User-Agent", "mine"),
            ("Accept-Language", "fr"),
            ("X-Trace", "1")
        ]),
        "the settings' headers when nothing else names them"
    );
    assert_eq!(spec.reconnect, ReconnectPolicy::Always, "GET's default");
}

#[test]
fn a_chosen_reconnect_policy_stays_whatever_the_method() {
    let mut saved = profile();
    saved.reconnect = Some(ReconnectPolicy::OnError);
    let post = Overrides {
        method: Some(Method::POST),
        ..Overrides::default()
    };
    let spec = compose([saved, post]).unwrap();
    assert_eq!(spec.reconnect, ReconnectPolicy::OnError);
    assert!(spec.reconnect_explicit);
}

#[test]
fn the_default_method_follows_the_body_of_any_layer_unless_one_names_a_method() {
    let body = |kind: ContentType| Overrides {
        body: Some(Body {
            bytes: b"{}".to_vec(),
            content_type: kind,
        }),
        ..Overrides::default()
    };
    let spec = compose([profile(), body(ContentType::AsGiven)]).unwrap();
    assert_eq!(spec.method, Method::POST);
    let get = Overrides {
        method: Some(Method::GET),
        ..profile()
    };
    let spec = compose([get, body(ContentType::AsGiven)]).unwrap();
    assert_eq!(spec.method, Method::GET, "named under it: kept");
    assert_eq!(spec.reconnect, ReconnectPolicy::Always);
}

#[test]
fn a_body_sets_its_content_type_as_its_source_says() {
    let with_body = |kind: ContentType, given: &[(&str, &str)]| {
        let layer = Overrides {
            url: url("http://h/"),
            headers: headers(given),
            body: Some(Body {
                bytes: b"a=1".to_vec(),
                content_type: kind,
            }),
            ..Overrides::default()
        };
        compose([layer]).unwrap().headers
    };
    let form = || ContentType::Default("application/x-www-form-urlencoded".into());
    assert_eq!(
        with_body(form(), &[]),
        headers(&[("Content-Type", "application/x-www-form-urlencoded")])
    );
    assert_eq!(
        with_body(form(), &[("content-type", "text/plain")]),
        headers(&[("content-type", "text/plain")])
    );
    assert_eq!(
        with_body(
            ContentType::Replace("application/json".into()),
            &[("content-type", "text/plain")]
        ),
        headers(&[("Content-Type", "application/json")])
    );
    assert_eq!(with_body(ContentType::AsGiven, &[]), headers(&[]));
}

#[test]
fn a_last_event_id_header_is_the_initial_id_of_its_layer() {
    let layer = Overrides {
        url: url("http://h/"),
        headers: headers(&[("Last-Event-ID", "41"), ("X-A", "1")]),
        ..Overrides::default()
    };
    let spec = compose([profile(), layer.clone()]).unwrap();
    assert_eq!(spec.last_event_id, "41", "over the profile's");
    assert!(!spec.headers.iter().any(|(n, _)| n == "Last-Event-ID"));
    let own = Overrides {
        last_event_id: Some("9".into()),
        ..layer
    };
    assert_eq!(compose([own]).unwrap().last_event_id, "9");
}

#[test]
fn what_becomes_a_header_is_checked_and_named_never_shown() {
    assert_eq!(compose([Overrides::default()]), Err(RequestError::NoUrl));
    let bad = |layer: Overrides| {
        let mut base = profile();
        base.auth = None;
        compose([base, layer]).unwrap_err()
    };
    let err = bad(Overrides {
        headers: headers(&[("X-Key", "SECRET\r\nX-Injected: 1")]),
        ..Overrides::default()
    });
    assert_eq!(
        err,
        RequestError::Header(HeaderError::Value("X-Key".into()))
    );
    assert!(!err.to_string().contains("SECRET"));
    let err = bad(Overrides {
        auth: Some(Auth::Bearer("SECRET\n".into())),
        ..Overrides::default()
    });
    assert_eq!(
        err,
        RequestError::Header(HeaderError::Value("Authorization".into()))
    );
    let err = bad(Overrides {
        auth: Some(Auth::ApiKey {
            name: "X Key".into(),
            value: "v".into(),
            location: crate::sse::ApiKeyLocation::Header,
        }),
        ..Overrides::default()
    });
    assert!(matches!(err, RequestError::Header(HeaderError::Name(_))));
    let err = bad(Overrides {
        auth: Some(Auth::Basic {
            user: "a:b".into(),
            password: "p".into(),
        }),
        ..Overrides::default()
    });
    assert_eq!(err, RequestError::BasicUser);
    let err = bad(Overrides {
        last_event_id: Some("1\n2".into()),
        ..Overrides::default()
    });
    assert_eq!(
        err,
        RequestError::Header(HeaderError::Value("Last-Event-ID".into()))
    );
}

#[test]
fn transport_settings_add_up_and_a_layer_given_wins() {
    let curl = Overrides {
        url: url("https://h/"),
        insecure: true,
        proxy: Some("http://p:1".into()),
        ca_certs: vec!["a.pem".into()],
        connect_timeout: Some(Duration::from_millis(2500)),
        ..Overrides::default()
    };
    let flags = Overrides {
        compressed: true,
        ca_certs: vec!["b.pem".into()],
        http_version: Some(HttpVersionPref::Http1Only),
        ..Overrides::default()
    };
    let spec = compose([curl, flags]).unwrap();
    let t = &spec.transport;
    assert!(t.insecure && t.compressed);
    assert_eq!(t.proxy.as_deref(), Some("http://p:1"));
    assert_eq!(t.ca_certs, [std::path::PathBuf::from("b.pem")]);
    assert_eq!(t.http_version, HttpVersionPref::Http1Only);
    assert_eq!(spec.connect_timeout, Duration::from_millis(2500));
}
