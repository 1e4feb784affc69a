//! Auth that survives reconnects: a token command and OAuth2 grants asked by
//! the connection before each attempt, one refresh after a 401/403, and a
//! cookie jar kept across reconnects. Real loopback servers throughout: the
//! stream's, and a token endpoint the test plays.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use ssetui::auth::{Client, ClientAuth, Grant, OAuth2, Placement, TokenCommand};
use ssetui::sse::{CloseReason, CredentialSource, Freshness};
use support::*;

/// A token command: a shell script that counts its runs in `runs` and
/// prints `tok-N`, the N-th token.
fn counting_command(dir: &Path) -> (Vec<String>, PathBuf) {
    let runs = dir.join("runs");
    let script = dir.join("token.sh");
    std::fs::write(
        &script,
        format!(
            "n=$(cat '{runs}' 2>/dev/null || echo 0)\nn=$((n + 1))\necho $n > '{runs}'\necho tok-$n\n",
            runs = runs.display()
        ),
    )
    .unwrap();
    (vec!["sh".into(), script.display().to_string()], runs)
}

fn runs(file: &Path) -> u32 {
    std::fs::read_to_string(file)
        .map(|t| t.trim().parse().unwrap())
        .unwrap_or(0)
}

fn command(argv: Vec<String>, ttl: Option<Duration>) -> Arc<dyn CredentialSource> {
    Arc::new(TokenCommand::new(argv, ttl, None, Placement::default()).unwrap())
}

fn stream_then_close(data: &str) -> Vec<Step> {
    vec![sse_head(), write(format!("data: {data}\n\n")), Step::Close]
}

fn stream_then_hold(data: &str) -> Vec<Step> {
    vec![sse_head(), write(format!("data: {data}\n\n")), Step::Hold]
}

fn rejected(status: u16) -> Vec<Step> {
    vec![
        head(status, "text/plain", &[]),
        write("token expired"),
        Step::Close,
    ]
}

#[tokio::test]
async fn a_rejected_token_is_replaced_by_a_new_run_and_the_stream_continues() {
    let dir = scratch("rejected");
    let (argv, runs_file) = counting_command(&dir);
    let mut server = TestServer::start(vec![
        stream_then_close("one"),
        rejected(401),
        stream_then_hold("two"),
    ])
    .await;
    let mut spec = fast_spec(&server, "/s");
    // The refresh is not a failed attempt: none is allowed, and it still goes on.
    spec.retry.max_retries = Some(0);
    spec.session.credentials = Some(command(argv, None));
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    let sent: Vec<String> = [
        server.next_request().await,
        server.next_request().await,
        server.next_request().await,
    ]
    .iter()
    .map(|r| r.header("authorization").unwrap_or("").to_owned())
    .collect();
    assert_eq!(sent, ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(
        runs(&runs_file),
        2,
        "the command ran once more, after the 401"
    );
    assert_eq!(triples(&msgs).len(), 2);
    let shown = format!("{msgs:?}");
    assert!(
        !shown.contains("tok-1") && !shown.contains("tok-2"),
        "{shown}"
    );
    assert!(shown.contains("Bearer ***"), "{shown}");
    handle.stop();
}

#[tokio::test]
async fn a_second_rejection_after_the_refresh_fails_naming_the_token_command() {
    let dir = scratch("twice");
    let (argv, runs_file) = counting_command(&dir);
    let server = TestServer::always(rejected(403)).await;
    let mut spec = fast_spec(&server, "/s");
    spec.session.credentials = Some(command(argv, None));
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    let CloseReason::Failed(err) = close_reason(&msgs) else {
        panic!("{msgs:?}");
    };
    assert_eq!(err.status, Some(403));
    assert!(
        err.message.contains("the token command `sh "),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("rejected again after a refresh"),
        "{}",
        err.message
    );
    assert_eq!(server.connections(), 2, "refreshed exactly once");
    assert_eq!(runs(&runs_file), 2);
}

#[tokio::test]
async fn a_token_older_than_its_ttl_is_fetched_again_before_the_reconnect() {
    let dir = scratch("ttl");
    let (argv, runs_file) = counting_command(&dir);
    let mut server =
        TestServer::start(vec![stream_then_close("one"), stream_then_hold("two")]).await;
    let mut spec = fast_spec(&server, "/s");
    spec.session.credentials = Some(command(argv, Some(Duration::ZERO)));
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "two")).await;
    assert_eq!(
        server.next_request().await.header("authorization"),
        Some("Bearer tok-1")
    );
    assert_eq!(
        server.next_request().await.header("authorization"),
        Some("Bearer tok-2")
    );
    assert_eq!(runs(&runs_file), 2);
    handle.stop();
}

#[tokio::test]
async fn a_failing_token_command_shows_its_stderr_neutralised_and_sends_nothing() {
    let dir = scratch("failing");
    let script = dir.join("fail.sh");
    std::fs::write(
        &script,
        "echo 'login expired: run \x1b[31mgcloud auth login' >&2\nexit 3\n",
    )
    .unwrap();
    let server = stream_server().await;
    let mut spec = fast_spec(&server, "/s");
    spec.session.credentials = Some(command(
        vec!["sh".into(), script.display().to_string()],
        None,
    ));
    let (_handle, mut rx) = connect(spec);

    let msgs = until_closed(&mut rx).await;
    let CloseReason::Failed(err) = close_reason(&msgs) else {
        panic!("{msgs:?}");
    };
    assert!(
        err.message.contains("failed (with status 3)"),
        "{}",
        err.message
    );
    assert!(
        err.message.contains("login expired: run"),
        "{}",
        err.message
    );
    assert!(err.message.contains("gcloud auth login"), "{}", err.message);
    assert!(!err.message.contains('\x1b'), "{}", err.message);
    assert_eq!(server.connections(), 0);
}

#[tokio::test]
async fn a_token_command_that_hangs_is_stopped_at_its_timeout() {
    let source = TokenCommand::new(
        vec!["sleep".into(), "30".into()],
        None,
        Some(Duration::from_millis(200)),
        Placement::default(),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let err = source
        .credential(Freshness::Cached, quiet())
        .await
        .unwrap_err();
    assert!(err.0.contains("did not finish within"), "{}", err.0);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn print_with_auth_command_never_shows_the_token() {
    let dir = scratch("print");
    let (argv, _) = counting_command(&dir);
    let (_rt, mut server) = serve(vec![stream_then_close("one")]);
    let mut cmd = support::app();
    cmd.args(["print", "-v", "--reconnect", "never", "--auth-command"])
        .arg(argv.join(" "))
        .arg(server.url("/s"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = output_within(cmd, WAIT);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("\"data\":\"one\""), "{stdout}\n{stderr}");
    assert!(stderr.contains("> Authorization: Bearer ***"), "{stderr}");
    assert!(
        !stdout.contains("tok-1") && !stderr.contains("tok-1"),
        "{stdout}{stderr}"
    );
    let request = _rt.block_on(server.next_request());
    assert_eq!(request.header("authorization"), Some("Bearer tok-1"));
}

/// A JSON answer from a token endpoint, close-delimited.
fn json(status: u16, body: &str) -> Vec<Step> {
    vec![
        head(status, "application/json", &[]),
        write(body),
        Step::Close,
    ]
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn client(token: &TestServer) -> Client {
    Client {
        token_url: token.url("/token").parse().unwrap(),
        client_id: "cid".into(),
        client_secret: Some("csecret".into()),
        scope: Some("events:read".into()),
        audience: Some("https://api.example".into()),
        secret_in: ClientAuth::Basic,
    }
}

/// A sink for a source's notices that nobody reads.
fn quiet() -> tokio::sync::mpsc::UnboundedSender<String> {
    tokio::sync::mpsc::unbounded_channel().0
}

#[tokio::test]
async fn oauth2_client_credentials_then_the_refresh_token_after_a_401() {
    let mut token = TestServer::start(vec![
        json(200, r#"{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-1"}"#),
        json(200, r#"{"access_token":"at-2","token_type":"Bearer","expires_in":3600}"#),
    ])
    .await;
    let mut server = TestServer::start(vec![
        stream_then_close("one"),
        rejected(401),
        stream_then_hold("two"),
    ])
    .await;
    let source = OAuth2::new(
        client(&token),
        Grant::ClientCredentials,
        Placement::default(),
        None,
    );
    let mut spec = fast_spec(&server, "/s");
    spec.session.credentials = Some(Arc::new(source));
    let (handle, mut rx) = connect(spec);

    let msgs = until(&mut rx, |m| has_event(m, "two")).await;
    let first = token.next_request().await;
    // HTTP Basic, the way every server must accept (base64 of "cid:csecret").
    assert_eq!(
        first.header("authorization"),
        Some("Basic Y2lkOmNzZWNyZXQ=")
    );
    let first = form(&first.body);
    assert_eq!(field(&first, "grant_type"), Some("client_credentials"));
    assert_eq!(field(&first, "client_secret"), None, "not in the body too");
    assert_eq!(field(&first, "scope"), Some("events:read"));
    assert_eq!(field(&first, "audience"), Some("https://api.example"));
    let second = form(&token.next_request().await.body);
    assert_eq!(field(&second, "grant_type"), Some("refresh_token"));
    assert_eq!(field(&second, "refresh_token"), Some("rt-1"));
    let sent: Vec<String> = [
        server.next_request().await,
        server.next_request().await,
        server.next_request().await,
    ]
    .iter()
    .map(|r| r.header("authorization").unwrap_or("").to_owned())
    .collect();
    assert_eq!(sent, ["Bearer at-1", "Bearer at-1", "Bearer at-2"]);
    assert_eq!(
        token.connections(),
        2,
        "the cached token served the reconnect"
    );
    assert!(!format!("{msgs:?}").contains("at-1"));
    handle.stop();
}

#[tokio::test]
async fn oauth2_client_auth_post_sends_the_secret_in_the_body_and_basic_encodes_it_first() {
    use base64::Engine as _;
    let ok = r#"{"access_token":"at","token_type":"Bearer"}"#;
    let mut token = TestServer::start(vec![json(200, ok), json(200, ok), json(200, ok)]).await;

    let mut post = client(&token);
    post.secret_in = ClientAuth::Post;
    let source = OAuth2::new(post, Grant::ClientCredentials, Placement::default(), None);
    source.credential(Freshness::Cached, quiet()).await.unwrap();
    let call = token.next_request().await;
    assert_eq!(call.header("authorization"), None);
    let body = form(&call.body);
    assert_eq!(field(&body, "client_id"), Some("cid"));
    assert_eq!(field(&body, "client_secret"), Some("csecret"));

    // A ':' or '%' in the id or the secret is form-encoded before base64
    // (RFC 6749 2.3.1), so the server splits the pair where it should.
    let mut odd = client(&token);
    odd.client_id = "a:b".into();
    odd.client_secret = Some("p%s:w rd".into());
    let source = OAuth2::new(odd, Grant::ClientCredentials, Placement::default(), None);
    source.credential(Freshness::Cached, quiet()).await.unwrap();
    let call = token.next_request().await;
    let basic = call
        .header("authorization")
        .unwrap()
        .strip_prefix("Basic ")
        .unwrap();
    let pair = base64::engine::general_purpose::STANDARD
        .decode(basic)
        .unwrap();
    assert_eq!(String::from_utf8(pair).unwrap(), "a%3Ab:p%25s%3Aw+rd");

    // A public client (no secret) names itself in the body, with no header.
    let mut public = client(&token);
    public.client_secret = None;
    let source = OAuth2::new(public, Grant::ClientCredentials, Placement::default(), None);
    source.credential(Freshness::Cached, quiet()).await.unwrap();
    let call = token.next_request().await;
    assert_eq!(call.header("authorization"), None);
    assert_eq!(field(&form(&call.body), "client_id"), Some("cid"));
}

#[tokio::test]
async fn oauth2_refusal_is_reported_with_the_endpoints_error() {
    let token = TestServer::always(json(
        401,
        r#"{"error":"invalid_client","error_description":"unknown client \u001b[2J"}"#,
    ))
    .await;
    let source = OAuth2::new(
        client(&token),
        Grant::ClientCredentials,
        Placement::default(),
        None,
    );
    let err = source
        .credential(Freshness::Cached, quiet())
        .await
        .unwrap_err();
    assert!(err.0.contains("invalid_client"), "{}", err.0);
    assert!(err.0.contains("unknown client"), "{}", err.0);
    assert!(!err.0.contains('\x1b'), "{}", err.0);
}

#[tokio::test]
async fn pkce_login_catches_the_loopback_redirect_and_sends_the_verifier() {
    let mut token =
        TestServer::always(json(200, r#"{"access_token":"at-pkce","expires_in":60}"#)).await;
    let (shown_tx, mut shown_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let grant = Grant::AuthorizationCode {
        authorize_url: "https://login.example/authorize?prompt=consent"
            .parse()
            .unwrap(),
    };
    let source =
        Arc::new(OAuth2::new(client(&token), grant, Placement::default(), None).without_browser());
    let login = tokio::spawn({
        let source = source.clone();
        async move { source.credential(Freshness::Cached, shown_tx).await }
    });

    let shown = tokio::time::timeout(WAIT, shown_rx.recv())
        .await
        .unwrap()
        .unwrap();
    let url: url::Url = shown.split_once("open ").unwrap().1.parse().unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(field(&query, "prompt"), Some("consent"));
    assert_eq!(field(&query, "response_type"), Some("code"));
    assert_eq!(field(&query, "code_challenge_method"), Some("S256"));
    let challenge = field(&query, "code_challenge").unwrap().to_owned();
    let state = field(&query, "state").unwrap().to_owned();
    let redirect = field(&query, "redirect_uri").unwrap().to_owned();
    assert!(redirect.starts_with("http://127.0.0.1:"), "{redirect}");

    // The browser's redirect, first with a stranger's state (ignored).
    let http = ssetui::sse::client::build(&Default::default(), WAIT).unwrap();
    let stranger = http
        .get(format!("{redirect}?code=evil&state=not-it"))
        .send()
        .await
        .unwrap();
    assert!(stranger.text().await.unwrap().contains("Not this login"));
    let page = http
        .get(format!("{redirect}?code=code-1&state={state}"))
        .send()
        .await
        .unwrap();
    assert!(page.text().await.unwrap().contains("Logged in"));

    let credential = tokio::time::timeout(WAIT, login)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(credential.value, "Bearer at-pkce");
    let exchange = form(&token.next_request().await.body);
    assert_eq!(field(&exchange, "grant_type"), Some("authorization_code"));
    assert_eq!(field(&exchange, "code"), Some("code-1"));
    assert_eq!(field(&exchange, "redirect_uri"), Some(redirect.as_str()));
    let verifier = field(&exchange, "code_verifier").unwrap();
    assert_eq!(ssetui::auth::pkce::challenge(verifier), challenge);
}

#[tokio::test]
async fn device_code_shows_the_code_and_polls_until_the_login_is_done() {
    let mut token = TestServer::start(vec![
        json(
            200,
            r#"{"device_code":"dc-1","user_code":"WDJB-MJHT","verification_uri":"https://login.example/device","expires_in":60,"interval":0}"#,
        ),
        json(400, r#"{"error":"authorization_pending"}"#),
        json(400, r#"{"error":"authorization_pending"}"#),
        json(200, r#"{"access_token":"at-dev","expires_in":60}"#),
    ])
    .await;
    let (shown_tx, mut shown_rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let grant = Grant::DeviceCode {
        device_url: token.url("/device").parse().unwrap(),
    };
    let source = OAuth2::new(client(&token), grant, Placement::default(), None);
    let credential = tokio::time::timeout(WAIT, source.credential(Freshness::Cached, shown_tx))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(credential.value, "Bearer at-dev");
    let shown = shown_rx.recv().await.unwrap();
    assert!(shown.contains("https://login.example/device"), "{shown}");
    assert!(shown.contains("WDJB-MJHT"), "{shown}");
    let start = token.next_request().await;
    assert_eq!(start.target, "/device");
    // The client has a secret: it authenticates by HTTP Basic there too
    // (RFC 8628 3.1), so its id is not needed in the body.
    assert_eq!(
        start.header("authorization"),
        Some("Basic Y2lkOmNzZWNyZXQ=")
    );
    for _ in 0..3 {
        let poll = form(&token.next_request().await.body);
        assert_eq!(
            field(&poll, "grant_type"),
            Some("urn:ietf:params:oauth:grant-type:device_code")
        );
        assert_eq!(field(&poll, "device_code"), Some("dc-1"));
    }
    assert_eq!(token.connections(), 4);
}

#[cfg(unix)]
#[test]
fn cookies_set_on_one_attempt_are_sent_on_the_reconnect_and_kept_in_the_jar() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("cookies");
    let jar = dir.join("jar.txt");
    let (rt, mut server) = serve(vec![
        vec![
            head(
                200,
                "text/event-stream",
                &[("Set-Cookie", "sid=abc123; Path=/; HttpOnly")],
            ),
            write("retry: 50\ndata: one\n\n"),
            Step::Close,
        ],
        vec![sse_head(), write("data: two\n\n"), Step::Hold],
    ]);
    let mut cmd = support::app();
    cmd.args([
        "print",
        "-v",
        "--max-events",
        "2",
        "--reconnect",
        "always",
        "--cookie-jar",
    ])
    .arg(&jar)
    .arg(server.url("/s"))
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let out = output_within(cmd, WAIT);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("> Cookie: sid=***"), "{stderr}");
    assert!(!stderr.contains("abc123"), "{stderr}");
    let first = rt.block_on(server.next_request());
    assert_eq!(first.header("cookie"), None);
    let second = rt.block_on(server.next_request());
    assert_eq!(second.header("cookie"), Some("sid=abc123"));

    let written = std::fs::read_to_string(&jar).unwrap();
    assert!(
        written.starts_with("# Netscape HTTP Cookie File"),
        "{written}"
    );
    assert!(
        written.contains("#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tabc123"),
        "{written}"
    );
    let mode = std::fs::metadata(&jar).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    // curl reads the jar as its own.
    if std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("curl is not installed: the jar is not checked with it");
        return;
    }
    let (rt2, mut other) = serve(vec![stream_then_close("x")]);
    let mut curl = std::process::Command::new("curl");
    curl.args(["-s", "-o", "/dev/null", "-b"])
        .arg(&jar)
        .arg(other.url("/c"));
    let status = output_within(curl, WAIT).status;
    assert!(status.success());
    assert_eq!(
        rt2.block_on(other.next_request()).header("cookie"),
        Some("sid=abc123")
    );
}

/// Runs `ssetui print --config CONFIG ARGS…` to its end: stdout, stderr.
fn print_with_config(config: &Path, args: &[&str]) -> (String, String) {
    let mut cmd = support::app();
    cmd.arg("print")
        .arg("--config")
        .arg(config)
        .args(args)
        .env_remove("SSETUI_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = output_within(cmd, WAIT);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_profiles_token_command_goes_in_the_header_and_with_the_prefix_it_names() {
    let dir = scratch("profile-command");
    let (argv, _) = counting_command(&dir);
    let (rt, mut server) = serve(vec![stream_then_close("one")]);
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.tok]\nurl = \"{}\"\nreconnect = \"never\"\nauth = {{ kind = \"command\", command = [\"{}\", \"{}\"], ttl = \"50m\", timeout = \"10s\", header = \"X-Token\", prefix = \"Token \" }}\n",
            server.url("/s"),
            argv[0],
            argv[1]
        ),
    )
    .unwrap();
    let (stdout, stderr) = print_with_config(&config, &["-v", "--profile", "tok"]);
    assert!(stdout.contains("\"data\":\"one\""), "{stdout}\n{stderr}");
    assert!(stderr.contains("> X-Token: ***"), "{stderr}");
    assert!(!stderr.contains("tok-1"), "{stderr}");
    let request = rt.block_on(server.next_request());
    assert_eq!(request.header("x-token"), Some("Token tok-1"));
    assert_eq!(request.header("authorization"), None);
}

#[cfg(unix)]
#[test]
fn a_persisted_refresh_token_is_kept_0600_beside_the_config_and_used_next_time() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = scratch("persist");
    let (rt, mut token) = serve(vec![json(
        200,
        r#"{"access_token":"at-1","expires_in":3600,"refresh_token":"rt-9"}"#,
    )]);
    let mut stream = rt.block_on(TestServer::always(stream_then_close("one")));
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profiles.o]\nurl = \"{}\"\nreconnect = \"never\"\nauth = {{ kind = \"oauth2\", token_url = \"{}\", client_id = \"cid\", persist = true }}\n",
            stream.url("/s"),
            token.url("/token")
        ),
    )
    .unwrap();
    let (stdout, stderr) = print_with_config(&config, &["--profile", "o"]);
    assert!(stdout.contains("\"data\":\"one\""), "{stdout}\n{stderr}");
    let kept = dir.join("oauth2-o.token");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "rt-9\n");
    assert_eq!(
        std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let first = form(&rt.block_on(token.next_request()).body);
    assert_eq!(field(&first, "grant_type"), Some("client_credentials"));
    assert_eq!(
        rt.block_on(stream.next_request()).header("authorization"),
        Some("Bearer at-1")
    );

    let (stdout, _) = print_with_config(&config, &["--profile", "o"]);
    assert!(stdout.contains("\"data\":\"one\""), "{stdout}");
    let second = form(&rt.block_on(token.next_request()).body);
    assert_eq!(field(&second, "grant_type"), Some("refresh_token"));
    assert_eq!(field(&second, "refresh_token"), Some("rt-9"));
}

#[test]
fn the_example_configs_command_and_oauth2_profiles_carry_a_credential_source() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let (file, _) = ssetui::config::ConfigFile::load(&path).unwrap();
    let env = |name: &str| (name == "EXAMPLE_CLIENT_SECRET").then(|| "s".to_owned());
    for (name, source) in [
        (
            "protected-command",
            "the token command `printf ssetui-demo-token`",
        ),
        (
            "oauth2-client",
            "the OAuth2 token endpoint https://login.example.com/oauth/token",
        ),
    ] {
        let spec = file
            .profile(name)
            .unwrap()
            .to_spec_with(name, &env)
            .unwrap();
        let credentials = spec.session.credentials.expect(name);
        assert_eq!(credentials.describe(), source);
        assert_eq!(spec.auth, ssetui::sse::Auth::None);
    }
}

#[tokio::test]
async fn a_401_that_sets_a_new_cookie_is_retried_once_with_it() {
    let mut server = TestServer::start(vec![
        vec![
            head(401, "text/plain", &[("Set-Cookie", "sid=new")]),
            Step::Close,
        ],
        stream_then_hold("in"),
    ])
    .await;
    let mut spec = fast_spec(&server, "/s");
    spec.retry.max_retries = Some(0);
    let jar = ssetui::sse::session::shared_jar(Default::default());
    ssetui::sse::session::lock(&jar).store(&spec.url, "sid=old", 0);
    spec.session.cookies = Some(jar.clone());
    let (handle, mut rx) = connect(spec);

    until(&mut rx, |m| has_event(m, "in")).await;
    assert_eq!(
        server.next_request().await.header("cookie"),
        Some("sid=old")
    );
    assert_eq!(
        server.next_request().await.header("cookie"),
        Some("sid=new")
    );
    assert_eq!(ssetui::sse::session::lock(&jar).len(), 1);
    handle.stop();
}

#[test]
fn saving_a_profile_from_the_editor_keeps_its_token_command() {
    let dir = scratch("save");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[profiles.p]\nurl = \"http://127.0.0.1:1/s\"\nauth = { kind = \"command\", command = [\"printf\", \"t\"], ttl = \"5m\" }\n",
    )
    .unwrap();
    let (file, _) = ssetui::config::ConfigFile::load(&config).unwrap();
    let profile = file.profile("p").unwrap();
    let mut spec = profile.to_spec("p").unwrap();
    spec.url = "http://127.0.0.1:1/other".parse().unwrap();
    let saved = ssetui::config::Profile::from_spec(&spec, Some(profile));
    assert_eq!(saved.auth, profile.auth);
    assert_eq!(saved.url, "http://127.0.0.1:1/other");
}

#[test]
fn a_layer_with_fixed_credentials_replaces_a_token_command_under_it_and_back() {
    use ssetui::request::{Overrides, compose};
    use ssetui::sse::{Auth, Session};
    let url: url::Url = "http://127.0.0.1:1/s".parse().unwrap();
    let with_command = || Overrides {
        url: Some(url.clone()),
        session: Session {
            credentials: Some(command(vec!["printf".into(), "t".into()], None)),
            cookies: None,
        },
        ..Overrides::default()
    };
    let with_bearer = || Overrides {
        url: Some(url.clone()),
        auth: Some(Auth::Bearer("b".into())),
        ..Overrides::default()
    };
    let spec = compose([with_command(), with_bearer()]).unwrap();
    assert!(spec.session.credentials.is_none());
    assert_eq!(spec.auth, Auth::Bearer("b".into()));
    let spec = compose([with_bearer(), with_command()]).unwrap();
    assert!(spec.session.credentials.is_some());
    assert_eq!(spec.auth, Auth::None);
}

#[test]
fn a_ui_tab_sends_the_cookie_its_server_set_on_the_reconnect() {
    let (rt, mut server) = serve(vec![
        vec![
            head(
                200,
                "text/event-stream",
                &[("Set-Cookie", "sid=tab-cookie")],
            ),
            write("retry: 50\ndata: first-event\n\n"),
            Step::Close,
        ],
        stream_then_hold("second-event"),
    ]);
    let mut app = support::pty::Pty::start(&[&server.url("/s")]);
    app.wait_for("the event after the reconnect", |s| {
        s.contains("second-event")
    });
    assert_eq!(rt.block_on(server.next_request()).header("cookie"), None);
    assert_eq!(
        rt.block_on(server.next_request()).header("cookie"),
        Some("sid=tab-cookie")
    );
    assert!(
        !app.contents().contains("tab-cookie"),
        "the value is not shown"
    );
    assert!(app.quit(), "exit status 0");
}

#[tokio::test]
async fn a_device_logins_code_reaches_the_consumer_before_the_attempt_is_sent() {
    let token = TestServer::start(vec![
        json(
            200,
            r#"{"device_code":"dc-2","user_code":"ABCD-EFGH","verification_uri":"https://login.example/device","interval":0}"#,
        ),
        json(200, r#"{"access_token":"at-d"}"#),
    ])
    .await;
    let mut server = stream_server().await;
    let grant = Grant::DeviceCode {
        device_url: token.url("/device").parse().unwrap(),
    };
    let mut spec = server.spec("/s");
    spec.session.credentials = Some(Arc::new(OAuth2::new(
        client(&token),
        grant,
        Placement::default(),
        None,
    )));
    let (handle, mut rx) = connect(spec);

    match next_msg(&mut rx).await {
        ssetui::sse::ConnMsg::AuthNotice { attempt: 1, text } => {
            assert!(text.contains("ABCD-EFGH"), "{text}");
        }
        other => panic!("expected the login notice first, got {other:?}"),
    }
    let shown = shown_request(&mut rx).await;
    assert!(format!("{shown:?}").contains("Bearer ***"));
    assert_eq!(
        server.next_request().await.header("authorization"),
        Some("Bearer at-d")
    );
    handle.stop();
}

#[tokio::test]
async fn slow_down_makes_the_device_polls_five_seconds_further_apart() {
    let mut token = TestServer::start(vec![
        json(
            200,
            r#"{"device_code":"dc-3","user_code":"SLOW-DOWN","verification_uri":"https://login.example/device","interval":0}"#,
        ),
        json(400, r#"{"error":"slow_down"}"#),
        json(200, r#"{"access_token":"at-slow"}"#),
    ])
    .await;
    let grant = Grant::DeviceCode {
        device_url: token.url("/device").parse().unwrap(),
    };
    let source = OAuth2::new(client(&token), grant, Placement::default(), None);
    let started = std::time::Instant::now();
    let login = source.credential(Freshness::Cached, quiet());
    let credential = tokio::time::timeout(WAIT, login).await.unwrap().unwrap();
    // The server's interval is 0: only slow_down's 5 s stand between the polls.
    assert!(
        started.elapsed() >= Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(credential.value, "Bearer at-slow");
    assert_eq!(token.next_request().await.target, "/device");
    for _ in 0..2 {
        let poll = form(&token.next_request().await.body);
        assert_eq!(field(&poll, "device_code"), Some("dc-3"));
    }
}

#[cfg(unix)]
#[test]
fn check_writes_the_cookie_jar_when_it_is_done() {
    let dir = scratch("check-jar");
    let jar = dir.join("jar.txt");
    let (_rt, server) = serve(vec![vec![
        head(
            200,
            "text/event-stream",
            &[("Set-Cookie", "seen=1; Max-Age=3600")],
        ),
        write("data: one\n\n"),
        Step::Hold,
    ]]);
    let mut cmd = support::app();
    cmd.args(["check", "--min-events", "1", "--cookie-jar"])
        .arg(&jar)
        .arg(server.url("/s"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let out = output_within(cmd, WAIT);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = std::fs::read_to_string(&jar).unwrap();
    assert!(written.contains("\tseen\t1\n"), "{written}");
}

/// The editor does not edit a token command, but says it is there: "None"
/// beside Auth would read as "no auth" for a request that sends a token.
#[test]
fn the_request_editor_names_the_token_command_beside_the_auth_kind() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use ssetui::message::Msg;
    use ssetui::state::{self, AppState};

    let mut spec = ssetui::sse::RequestSpec::get("http://127.0.0.1:1/s".parse().unwrap());
    spec.session.credentials = Some(command(vec!["printf".into(), "\u{1b}[31mtok".into()], None));
    let mut state = AppState::new(spec, "t".into());
    state::update(
        &mut state,
        Msg::Input(Event::Key(KeyEvent::new(
            KeyCode::Char('r'),
            KeyModifiers::NONE,
        ))),
    );
    assert!(state.active().editor_open);
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let theme = ssetui::ui::Theme::new(true);
    let mut cache = ssetui::ui::ContentCache::default();
    terminal
        .draw(|frame| {
            ssetui::ui::draw(frame, &state, &theme, &mut cache, std::time::Instant::now());
        })
        .unwrap();
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .chunks(120)
        .map(|row| row.iter().map(|c| c.symbol()).collect::<String>() + "\n")
        .collect();
    let auth = screen
        .lines()
        .find(|l| l.contains("Auth "))
        .unwrap_or_else(|| panic!("no Auth line:\n{screen}"));
    assert!(auth.contains("credentials from"), "{auth}");
    assert!(auth.contains("printf"), "{auth}");
    // The command came from a file: its escape is shown, not obeyed.
    assert!(!screen.contains('\u{1b}'), "{screen}");
}

/// The token endpoint is called through the request's own client, so the
/// request's proxy holds for it as for the stream (as curl's `--proxy`
/// holds for every request it makes). Both hosts exist only behind the
/// proxy: without it the token call fails to resolve.
#[tokio::test]
async fn oauth2_token_calls_go_through_the_requests_proxy() {
    let mut proxy = TestServer::start(vec![
        json(
            200,
            r#"{"access_token":"at-p","token_type":"Bearer","expires_in":3600}"#,
        ),
        stream_then_hold("through"),
    ])
    .await;
    let source = OAuth2::new(
        Client {
            token_url: "http://token.invalid/token".parse().unwrap(),
            client_id: "cid".into(),
            client_secret: Some("csecret".into()),
            scope: None,
            audience: None,
            secret_in: ClientAuth::Basic,
        },
        Grant::ClientCredentials,
        Placement::default(),
        None,
    );
    let mut spec = ssetui::sse::RequestSpec::get("http://events.invalid/s".parse().unwrap());
    spec.transport.proxy = Some(proxy.url(""));
    spec.session.credentials = Some(Arc::new(source));
    let (handle, mut rx) = connect(spec);
    until(&mut rx, |m| has_event(m, "through")).await;
    let token_call = proxy.next_request().await;
    assert_eq!(
        (token_call.method.as_str(), token_call.target.as_str()),
        ("POST", "http://token.invalid/token")
    );
    let stream = proxy.next_request().await;
    assert_eq!(stream.target, "http://events.invalid/s");
    assert_eq!(stream.header("authorization"), Some("Bearer at-p"));
    handle.stop();
}

#[tokio::test]
async fn a_profiles_client_auth_picks_where_the_secret_goes_and_a_bad_one_is_an_error() {
    let ok = r#"{"access_token":"at","token_type":"Bearer"}"#;
    let mut token = TestServer::start(vec![json(200, ok)]).await;
    let text = format!(
        "[profiles.p]\nurl = \"http://127.0.0.1:9/s\"\n\
         auth = {{ kind = \"oauth2\", token_url = \"{}\", client_id = \"cid\", \
         client_secret = \"csecret\", client_auth = \"client_secret_post\" }}\n",
        token.url("/token")
    );
    let (file, _) = ssetui::config::ConfigFile::parse(Path::new("c.toml"), &text).unwrap();
    let spec = file
        .profile("p")
        .unwrap()
        .to_spec_with("p", &|_| None)
        .unwrap();
    let source = spec.session.credentials.unwrap();
    source.credential(Freshness::Cached, quiet()).await.unwrap();
    let call = token.next_request().await;
    assert_eq!(call.header("authorization"), None);
    assert_eq!(field(&form(&call.body), "client_secret"), Some("csecret"));

    let bad = text.replace("client_secret_post", "header");
    let Err(err) = ssetui::config::ConfigFile::parse(Path::new("c.toml"), &bad) else {
        panic!("an unknown client_auth is refused");
    };
    let message = err.to_string();
    assert!(
        message.contains("client_auth") || message.contains("header"),
        "{message}"
    );
}
