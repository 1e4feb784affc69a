use super::*;

const NOW: i64 = 1_800_000_000;

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

#[test]
fn a_cookie_set_by_a_response_is_sent_back_to_its_host_and_path() {
    let mut jar = CookieJar::default();
    jar.store(
        &url("http://api.example/v1/stream"),
        "sid=abc; Path=/v1; HttpOnly",
        NOW,
    );
    jar.store(&url("http://api.example/v1/stream"), "theme=dark", NOW);
    assert_eq!(
        jar.header_for(&url("http://api.example/v1/stream"), NOW)
            .as_deref(),
        Some("sid=abc; theme=dark")
    );
    assert_eq!(jar.header_for(&url("http://api.example/other"), NOW), None);
    assert_eq!(jar.header_for(&url("http://other.example/v1/x"), NOW), None);
}

#[test]
fn a_newer_value_replaces_the_old_and_max_age_zero_removes_it() {
    let mut jar = CookieJar::default();
    let at = url("http://h.example/");
    jar.store(&at, "sid=1", NOW);
    jar.store(&at, "sid=2", NOW);
    assert_eq!(jar.header_for(&at, NOW).as_deref(), Some("sid=2"));
    jar.store(&at, "sid=gone; Max-Age=0", NOW);
    assert!(jar.is_empty());
}

#[test]
fn expired_secure_and_foreign_domain_cookies_are_not_sent() {
    let mut jar = CookieJar::default();
    let at = url("http://a.h.example/");
    jar.store(&at, "old=1; Max-Age=10", NOW);
    jar.store(&at, "tls=1; Secure", NOW);
    jar.store(&at, "evil=1; Domain=attacker.example", NOW);
    jar.store(&at, "wide=1; Domain=.h.example", NOW);
    assert_eq!(jar.header_for(&at, NOW + 20).as_deref(), Some("wide=1"));
    assert_eq!(
        jar.header_for(&url("http://b.h.example/"), NOW).as_deref(),
        Some("wide=1")
    );
    assert_eq!(
        jar.header_for(&url("https://a.h.example/"), NOW).as_deref(),
        Some("old=1; tls=1; wide=1")
    );
}

#[test]
fn garbage_set_cookie_lines_are_ignored_without_panicking() {
    let mut jar = CookieJar::default();
    let at = url("http://h.example/a/b");
    for line in [
        "",
        ";",
        "=x",
        "novalue",
        "\u{1}=x",
        "a=b; Domain=",
        "a=b; Max-Age=zz; Expires=never; Path",
    ] {
        jar.store(&at, line, NOW);
    }
    assert_eq!(jar.header_for(&at, NOW).as_deref(), Some("a=b"));
}

#[test]
fn the_netscape_file_round_trips_and_reads_curls_lines() {
    let mut jar = CookieJar::default();
    jar.store(&url("http://127.0.0.1:8900/s"), "sid=abc; HttpOnly", NOW);
    jar.store(
        &url("https://h.example/"),
        "wide=1; Domain=h.example; Secure; Max-Age=100",
        NOW,
    );
    let text = jar.to_netscape();
    assert!(text.starts_with("# Netscape HTTP Cookie File\n"), "{text}");
    assert!(
        text.contains("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            ".h.example\tTRUE\t/\tTRUE\t{}\twide\t1\n",
            NOW + 100
        )),
        "{text}"
    );
    assert_eq!(CookieJar::from_netscape(&text, NOW), jar);

    let curl = "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n\n\
                127.0.0.1\tFALSE\t/\tFALSE\t0\tk\tv\n\
                h.example\tFALSE\t/\tFALSE\t1\texpired\tx\n\
                not a cookie line\n";
    let read = CookieJar::from_netscape(curl, NOW);
    assert_eq!(read.len(), 1);
    assert_eq!(
        read.header_for(&url("http://127.0.0.1:1/"), NOW).as_deref(),
        Some("k=v")
    );
}
