//! The MCP authorization chain end to end: the real binary (`print --mcp`,
//! `check --mcp`) against a loopback app that is both the MCP resource
//! server (the demo's MCP router behind a Bearer check that answers 401
//! with `WWW-Authenticate`) and its authorization server (metadata,
//! registration, an authorize endpoint that redirects at once, a token
//! endpoint that checks the PKCE verifier and the `resource`). The test
//! plays the browser: it reads the login URL from stderr and GETs it.

mod support;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use support::{WAIT, app, scratch};

const PATIENCE: Duration = Duration::from_secs(30);

/// How the app misbehaves, if it does.
#[derive(Clone, Default)]
struct Setup {
    /// The AS metadata lists no S256.
    no_s256: bool,
    /// The PRM names this resource instead of the endpoint.
    resource: Option<String>,
    /// The 401 names no resource_metadata: only the well-known URI has it.
    no_header: bool,
    /// No Protected Resource Metadata at all.
    no_metadata: bool,
    /// The token endpoint takes requests without `resource` (a profile's
    /// own OAuth2 grant sends none).
    resource_optional: bool,
    /// The login's redirect names another issuer (RFC 9207).
    wrong_iss: bool,
    /// A token from the refresh grant is not accepted by the resource server
    /// (the server moved on, say): only a new login opens it.
    refuse_refreshed: bool,
    /// The PRM lists no authorization server.
    no_servers: bool,
}

/// What the app was asked, for the test to assert on.
#[derive(Default)]
struct Seen {
    registrations: Vec<Value>,
    authorizations: Vec<HashMap<String, String>>,
    token_requests: Vec<HashMap<String, String>>,
    /// code -> (challenge, resource)
    codes: HashMap<String, (String, String)>,
    tokens: Vec<String>,
    refresh_tokens: Vec<String>,
}

#[derive(Clone)]
struct App {
    base: String,
    setup: Setup,
    seen: Arc<Mutex<Seen>>,
}

impl App {
    fn seen(&self) -> std::sync::MutexGuard<'_, Seen> {
        self.seen.lock().unwrap()
    }
    fn endpoint(&self) -> String {
        format!("{}/mcp", self.base)
    }
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn json_response(status: StatusCode, value: Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// The resource server's guard: `/mcp` needs a token the AS issued.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/mcp") {
        return next.run(request).await;
    }
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    if given.is_some_and(|t| app.seen().tokens.contains(&t)) {
        return next.run(request).await;
    }
    let challenge = if app.setup.no_header {
        r#"Bearer scope="mcp:tools""#.to_owned()
    } else {
        format!(
            r#"Bearer resource_metadata="{}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools""#,
            app.base
        )
    };
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, challenge)],
        "login first",
    )
        .into_response()
}

async fn resource_metadata(State(app): State<App>) -> Response {
    if app.setup.no_metadata {
        return (StatusCode::NOT_FOUND, "no such document").into_response();
    }
    let resource = app.setup.resource.clone().unwrap_or_else(|| app.endpoint());
    let servers = if app.setup.no_servers {
        json!([])
    } else {
        json!([app.base])
    };
    json_response(
        StatusCode::OK,
        json!({"resource": resource, "authorization_servers": servers, "scopes_supported": ["mcp:tools", "mcp:all"]}),
    )
}

async fn server_metadata(State(app): State<App>) -> Response {
    let mut metadata = json!({
        "issuer": app.base,
        "authorization_endpoint": format!("{}/authorize", app.base),
        "token_endpoint": format!("{}/token", app.base),
        "registration_endpoint": format!("{}/register", app.base),
        "response_types_supported": ["code"],
        "authorization_response_iss_parameter_supported": true,
    });
    if !app.setup.no_s256 {
        metadata["code_challenge_methods_supported"] = json!(["S256"]);
    }
    json_response(StatusCode::OK, metadata)
}

async fn register(State(app): State<App>, body: axum::body::Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let mut seen = app.seen();
    seen.registrations.push(request);
    let id = format!("client-{}", seen.registrations.len());
    json_response(
        StatusCode::CREATED,
        json!({"client_id": id, "token_endpoint_auth_method": "none"}),
    )
}

/// Approves at once: straight back to the redirect URI with a code.
async fn authorize(
    State(app): State<App>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut seen = app.seen();
    let code = format!("code-{}", seen.authorizations.len() + 1);
    let get = |k: &str| query.get(k).cloned().unwrap_or_default();
    seen.codes
        .insert(code.clone(), (get("code_challenge"), get("resource")));
    seen.authorizations.push(query.clone());
    let mut to = url::Url::parse(&get("redirect_uri")).unwrap();
    to.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &get("state"))
        .append_pair(
            "iss",
            if app.setup.wrong_iss {
                "http://evil.example"
            } else {
                &app.base
            },
        );
    (StatusCode::FOUND, [(header::LOCATION, to.to_string())]).into_response()
}

/// Issues a token only for a known code whose challenge the verifier
/// matches, or a known refresh token, and only for the endpoint's resource.
async fn token(State(app): State<App>, body: axum::body::Bytes) -> Response {
    let request = form(&body);
    let mut seen = app.seen();
    seen.token_requests.push(request.clone());
    let field = |k: &str| request.get(k).cloned().unwrap_or_default();
    let resource_ok = |r: &str| r == app.endpoint() || app.setup.resource_optional;
    if !resource_ok(&field("resource")) {
        return json_response(StatusCode::BAD_REQUEST, json!({"error": "invalid_target"}));
    }
    let good = match field("grant_type").as_str() {
        "authorization_code" => seen.codes.get(&field("code")).is_some_and(|(c, r)| {
            *c == ssetui::auth::pkce::challenge(&field("code_verifier")) && resource_ok(r)
        }),
        "refresh_token" => seen.refresh_tokens.contains(&field("refresh_token")),
        _ => false,
    };
    if !good {
        return json_response(StatusCode::BAD_REQUEST, json!({"error": "invalid_grant"}));
    }
    if field("grant_type") == "refresh_token" && app.setup.refuse_refreshed {
        return json_response(
            StatusCode::OK,
            json!({"access_token": "stale", "token_type": "Bearer", "expires_in": 3600}),
        );
    }
    let n = seen.tokens.len() + 1;
    let (access, refresh) = (format!("at-{n}"), format!("rt-{n}"));
    seen.tokens.push(access.clone());
    seen.refresh_tokens.push(refresh.clone());
    json_response(
        StatusCode::OK,
        json!({"access_token": access, "refresh_token": refresh, "token_type": "Bearer", "expires_in": 3600}),
    )
}

/// The app on a free loopback port, served by a runtime of its own.
fn start(setup: Setup) -> (tokio::runtime::Runtime, App) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let app = App {
            base: format!("http://{}", listener.local_addr().unwrap()),
            setup,
            seen: Arc::default(),
        };
        let router = Router::new()
            .route(
                "/.well-known/oauth-protected-resource/mcp",
                get(resource_metadata),
            )
            .route(
                "/.well-known/oauth-authorization-server",
                get(server_metadata),
            )
            .route("/register", post(register))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .with_state(app.clone())
            .merge(ssetui::demo_server::router())
            .layer(middleware::from_fn_with_state(app.clone(), guard));
        tokio::spawn(async move { axum::serve(listener, router).await });
        app
    });
    (runtime, app)
}

/// A run of the binary with its own config directory, stderr read line by line.
struct Run {
    child: Child,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

fn run(config: &Path, args: &[&str]) -> Run {
    let mut cmd = app();
    cmd.args(args)
        .arg("--config")
        .arg(config.join("config.toml"))
        .env("SSETUI_NO_BROWSER", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    let stderr = Arc::new(Mutex::new(String::new()));
    let all = stderr.clone();
    let pipe = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            all.lock().unwrap().push_str(&format!("{line}\n"));
            let _ = tx.send(line);
        }
    });
    Run {
        child,
        lines,
        stderr,
    }
}

impl Run {
    /// Plays the browser: the login URL from stderr, GET, the redirect
    /// followed; the URL and the page the redirect showed.
    fn log_in(&self, runtime: &tokio::runtime::Runtime) -> url::Url {
        self.log_in_seeing(runtime).0
    }

    fn log_in_seeing(&self, runtime: &tokio::runtime::Runtime) -> (url::Url, String) {
        let url = loop {
            let line = self
                .lines
                .recv_timeout(WAIT)
                .unwrap_or_else(|_| panic!("no login URL; stderr: {}", self.stderr()));
            if let Some((_, url)) = line.split_once("OAuth2 login: open ") {
                break url::Url::parse(url).unwrap();
            }
        };
        let page = runtime.block_on(async {
            let http = ssetui::sse::client::build(&Default::default(), WAIT).unwrap();
            let answer = http.get(url.clone()).send().await.unwrap();
            assert_eq!(answer.status(), 302);
            let to = answer.headers()[header::LOCATION]
                .to_str()
                .unwrap()
                .to_owned();
            http.get(to).send().await.unwrap().text().await.unwrap()
        });
        (url, page)
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits for the exit: its code and stdout.
    fn finish(mut self) -> (i32, String, String) {
        let mut stdout = self.child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut out = String::new();
            let _ = stdout.read_to_string(&mut out);
            let _ = tx.send(out);
        });
        let out = rx.recv_timeout(PATIENCE).expect("the run ends");
        let status = self.child.wait().unwrap();
        // stderr's reader ends with the pipe.
        while self.lines.recv_timeout(WAIT).is_ok() {}
        (status.code().unwrap_or(-1), out, self.stderr())
    }
}

/// A run a failed assertion left behind does not wait for its login.
impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_chain_logs_in_with_pkce_and_resource_and_a_second_run_refreshes() {
    let (runtime, app) = start(Setup::default());
    let config = scratch("chain");
    let endpoint = app.endpoint();

    let first = run(&config, &["print", "--mcp", &endpoint, "--list", "tools"]);
    let (login, page) = first.log_in_seeing(&runtime);
    assert!(page.contains("Logged in"), "{page}");
    let (code, out, err) = first.finish();
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.contains("\"name\""), "tools listed: {out}");

    {
        let seen = app.seen();
        assert_eq!(seen.registrations.len(), 1);
        let registration = &seen.registrations[0];
        assert_eq!(registration["token_endpoint_auth_method"], "none");
        assert_eq!(registration["client_name"], "ssetui");
        assert_eq!(
            registration["grant_types"],
            json!(["authorization_code", "refresh_token"])
        );
        let asked: HashMap<String, String> = login.query_pairs().into_owned().collect();
        assert_eq!(asked["client_id"], "client-1");
        assert_eq!(asked["code_challenge_method"], "S256");
        assert_eq!(asked["resource"], endpoint);
        // The challenge's scope wins over scopes_supported.
        assert_eq!(asked["scope"], "mcp:tools");
        let exchange = &seen.token_requests[0];
        assert_eq!(exchange["grant_type"], "authorization_code");
        assert_eq!(exchange["resource"], endpoint);
        assert_eq!(
            ssetui::auth::pkce::challenge(&exchange["code_verifier"]),
            asked["code_challenge"]
        );
    }
    let kept = files(&config.join("mcp-auth"));
    assert_eq!(kept.len(), 2, "{kept:?}");
    for file in &kept {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    let token_file = kept
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "token"));
    assert_eq!(
        std::fs::read_to_string(token_file.unwrap()).unwrap().trim(),
        "rt-1"
    );

    // No login the second time: the kept refresh token, the kept client.
    let second = run(&config, &["print", "--mcp", &endpoint, "--list", "tools"]);
    let (code, out, err) = second.finish();
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.contains("\"name\""), "{out}");
    assert!(!err.contains("OAuth2 login"), "{err}");
    let seen = app.seen();
    assert_eq!(seen.registrations.len(), 1, "registered once");
    assert_eq!(seen.authorizations.len(), 1, "logged in once");
    let refresh = seen.token_requests.last().unwrap();
    assert_eq!(refresh["grant_type"], "refresh_token");
    assert_eq!(refresh["refresh_token"], "rt-1");
    assert_eq!(refresh["client_id"], "client-1");
    assert_eq!(refresh["resource"], endpoint);
}

#[test]
fn without_resource_metadata_in_the_401_the_well_known_uri_and_a_given_client_id_serve() {
    let (runtime, app) = start(Setup {
        no_header: true,
        ..Setup::default()
    });
    let config = scratch("well-known");
    let endpoint = app.endpoint();
    let args = [
        "print",
        "--mcp",
        &endpoint,
        "--list",
        "tools",
        "--mcp-client-id",
        "given-id",
    ];
    let run = run(&config, &args);
    let login = run.log_in(&runtime);
    let (code, _, err) = run.finish();
    assert_eq!(code, 0, "stderr: {err}");
    let asked: HashMap<String, String> = login.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], "given-id");
    let seen = app.seen();
    assert!(
        seen.registrations.is_empty(),
        "a given id is not registered"
    );
    assert_eq!(seen.token_requests[0]["client_id"], "given-id");
}

#[test]
fn an_authorization_server_without_s256_stops_the_chain_at_the_pkce_step() {
    let (_runtime, app) = start(Setup {
        no_s256: true,
        ..Setup::default()
    });
    let config = scratch("no-s256");
    let run = run(
        &config,
        &["print", "--mcp", &app.endpoint(), "--list", "tools"],
    );
    let (code, _, err) = run.finish();
    assert_eq!(code, 2, "stderr: {err}");
    assert!(err.contains("MCP authorization, PKCE support"), "{err}");
    assert!(err.contains("no code_challenge_methods_supported"), "{err}");
    let seen = app.seen();
    assert!(seen.registrations.is_empty());
    assert!(seen.authorizations.is_empty());
}

#[test]
fn metadata_for_another_resource_is_not_used() {
    let (_runtime, app) = start(Setup {
        resource: Some("https://elsewhere.example/mcp".into()),
        ..Setup::default()
    });
    let config = scratch("mismatch");
    let run = run(
        &config,
        &["print", "--mcp", &app.endpoint(), "--list", "tools"],
    );
    let (code, _, err) = run.finish();
    assert_eq!(code, 2, "stderr: {err}");
    assert!(
        err.contains("MCP authorization, protected-resource metadata's resource"),
        "{err}"
    );
    assert!(err.contains("elsewhere.example"), "{err}");
    assert!(app.seen().registrations.is_empty());
}

#[test]
fn check_reports_each_step_of_the_chain_it_followed() {
    let (runtime, app) = start(Setup::default());
    let config = scratch("check");
    let run = run(&config, &["check", "--mcp", &app.endpoint()]);
    run.log_in(&runtime);
    let (code, out, err) = run.finish();
    assert_ne!(code, 2, "stdout: {out}\nstderr: {err}");
    for line in [
        "✓ MUST auth-resource-metadata",
        "✓ MUST auth-resource ",
        "✓ MUST auth-server-metadata",
        "✓ MUST auth-pkce",
        "✓ SHOULD auth-registration",
        "✓ MUST auth-login",
    ] {
        assert!(out.contains(line), "{line} in {out}");
    }
    assert!(out.contains("registered at"), "{out}");
    // The probes ran with the chain's token: the server was reached.
    assert!(out.contains("get-stream"), "{out}");
}

#[test]
fn a_401_that_leads_to_no_metadata_is_explained_by_check_and_named_by_print() {
    let (_runtime, app) = start(Setup {
        no_header: true,
        no_metadata: true,
        ..Setup::default()
    });
    let config = scratch("nowhere");
    let endpoint = app.endpoint();
    let (code, out, err) = run(&config, &["check", "--mcp", &endpoint]).finish();
    assert_eq!(code, 1, "stdout: {out}\nstderr: {err}");
    assert!(out.contains("✗ MUST auth-resource-metadata"), "{out}");
    assert!(
        out.contains("no WWW-Authenticate resource_metadata and there is no document"),
        "{out}"
    );
    assert!(
        out.contains("fix: answer 401 with WWW-Authenticate: Bearer resource_metadata="),
        "{out}"
    );
    assert!(out.contains("- MUST auth-pkce"), "not reached: {out}");

    let (code, _, err) = run(&config, &["print", "--mcp", &endpoint, "--list", "tools"]).finish();
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("MCP authorization, protected-resource metadata:"),
        "{err}"
    );
    assert!(
        err.contains("/.well-known/oauth-protected-resource/mcp answered 404"),
        "{err}"
    );
}

/// A profile's own authorization code grant (no chain): its login URL must
/// reach stderr while the login waits, not after it.
#[test]
fn a_profile_login_shows_its_url_while_the_mcp_connection_waits_for_it() {
    let (runtime, app) = start(Setup {
        resource_optional: true,
        ..Setup::default()
    });
    let config = scratch("profile");
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[profiles.login]\nurl = \"{}\"\nauth = {{ kind = \"oauth2\", grant = \"authorization-code\", token_url = \"{base}/token\", authorize_url = \"{base}/authorize\", client_id = \"profile-client\" }}\n",
            app.endpoint(),
            base = app.base
        ),
    )
    .unwrap();
    let run = run(
        &config,
        &["print", "--mcp", "--profile", "login", "--list", "tools"],
    );
    let login = run.log_in(&runtime);
    let (code, out, err) = run.finish();
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.contains("\"name\""), "{out}");
    let asked: HashMap<String, String> = login.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], "profile-client");
    let seen = app.seen();
    assert!(
        seen.registrations.is_empty(),
        "the profile's grant, not the chain"
    );
    assert!(!seen.token_requests[0].contains_key("resource"));
}

#[test]
fn a_login_redirect_naming_another_issuer_is_not_used() {
    let (runtime, app) = start(Setup {
        wrong_iss: true,
        ..Setup::default()
    });
    let config = scratch("iss");
    let run = run(
        &config,
        &["print", "--mcp", &app.endpoint(), "--list", "tools"],
    );
    let (_, page) = run.log_in_seeing(&runtime);
    assert!(page.contains("The login failed"), "{page}");
    let (code, _, err) = run.finish();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("MCP authorization, login"), "{err}");
    assert!(
        err.contains("names the issuer http://evil.example"),
        "{err}"
    );
    assert!(
        app.seen().token_requests.is_empty(),
        "the code was not sent"
    );
}

#[test]
fn a_profiles_mcp_client_id_is_logged_in_with_and_the_flag_overrides_it() {
    let (runtime, app) = start(Setup::default());
    let config = scratch("profile-id");
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[profiles.remote]\nurl = \"{}\"\nmcp_client_id = \"from-profile\"\n",
            app.endpoint()
        ),
    )
    .unwrap();
    let first = run(
        &config,
        &["print", "--mcp", "--profile", "remote", "--list", "tools"],
    );
    let login = first.log_in(&runtime);
    let (code, _, err) = first.finish();
    assert_eq!(code, 0, "stderr: {err}");
    let asked: HashMap<String, String> = login.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], "from-profile");
    assert!(app.seen().registrations.is_empty());

    // A kept client for another id is not used: the flag's id logs in anew.
    let args = [
        "print",
        "--mcp",
        "--profile",
        "remote",
        "--list",
        "tools",
        "--mcp-client-id",
        "from-flag",
    ];
    let second = run(&config, &args);
    let login = second.log_in(&runtime);
    let (code, _, err) = second.finish();
    assert_eq!(code, 0, "stderr: {err}");
    let asked: HashMap<String, String> = login.query_pairs().into_owned().collect();
    assert_eq!(asked["client_id"], "from-flag");
}

#[test]
fn a_kept_clients_refused_token_sends_the_run_through_the_chain_afresh() {
    let (runtime, app) = start(Setup {
        refuse_refreshed: true,
        ..Setup::default()
    });
    let config = scratch("kept-refused");
    let endpoint = app.endpoint();
    let args = ["print", "--mcp", &endpoint, "--list", "tools"];
    let first = run(&config, &args);
    first.log_in(&runtime);
    assert_eq!(first.finish().0, 0);

    let second = run(&config, &args);
    second.log_in(&runtime);
    let (code, out, err) = second.finish();
    assert_eq!(code, 0, "stderr: {err}");
    assert!(out.contains("\"name\""), "{out}");
    let seen = app.seen();
    let grants: Vec<&str> = seen
        .token_requests
        .iter()
        .map(|r| r["grant_type"].as_str())
        .collect();
    assert_eq!(
        grants,
        ["authorization_code", "refresh_token", "authorization_code"]
    );
    assert_eq!(seen.registrations.len(), 2, "registered afresh");
}

#[test]
fn metadata_without_authorization_servers_is_named_with_its_url() {
    let (_runtime, app) = start(Setup {
        no_servers: true,
        ..Setup::default()
    });
    let config = scratch("no-servers");
    let run = run(
        &config,
        &["print", "--mcp", &app.endpoint(), "--list", "tools"],
    );
    let (code, _, err) = run.finish();
    assert_eq!(code, 2, "{err}");
    let expected = format!(
        "the protected-resource metadata at {}/.well-known/oauth-protected-resource/mcp has no authorization_servers",
        app.base
    );
    assert!(err.contains(&expected), "{err}");
}
