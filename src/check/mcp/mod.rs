//! `ssetui check --mcp URL`: negotiate with an MCP server as `print --mcp`
//! does, probe it rule by rule ([`probes`]), print the findings and write
//! them as JUnit; exit 1 on a broken MUST (a broken SHOULD too with
//! `--mcp-strict`), 0 when none, 2 on bad arguments or when no revision
//! could be negotiated.

mod probes;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Instant;

use crate::check::core::mcp::{self as rules, Finding, Seen};
use crate::check::exit;
use crate::cli::CheckArgs;
use crate::config::Startup;
use crate::mcp::negotiate;
use crate::mcp::{Client, Observed};
use crate::stdout::log;

/// Runs `check --mcp` and returns its exit status.
pub fn run(args: &CheckArgs, config: &Startup) -> u8 {
    for warning in &config.warnings {
        log(&format!("warning: {warning}"));
    }
    if let Some(err) = &config.error {
        log(&format!("{err}"));
        return exit::USAGE;
    }
    if let Some(why) = args
        .mcp_version
        .as_deref()
        .and_then(negotiate::unknown_revision)
    {
        log(&why);
        return exit::USAGE;
    }
    let Some(spec) = args
        .request
        .sendable_or_log(config, None, crate::history::Sender::Check)
    else {
        return exit::USAGE;
    };
    let runtime = match crate::runtime::build_current_thread() {
        Ok(runtime) => runtime,
        Err(_) => return exit::STREAM,
    };
    let start = Instant::now();
    let forced = args.mcp_version.clone();
    let authorization = args
        .request
        .mcp_authorization(args.mcp_client_id.as_deref(), config);
    let notices: crate::mcp::wire::Notices = std::sync::Arc::new(|note: &str| log(note));
    let options = Probing {
        authorization,
        idle: args.mcp_idle.map(std::time::Duration::from_secs),
    };
    let checked = runtime.block_on(probe_with(
        spec,
        forced,
        options,
        Some(notices),
        &mut |note| log(note),
    ));
    runtime.shutdown_background();
    let (target, findings) = match checked {
        Ok(checked) => checked,
        Err(err) => {
            log(&err);
            return exit::USAGE;
        }
    };
    let elapsed = start.elapsed();
    let strict = args.mcp_strict;
    let report = rules::render(&target, &findings, strict, elapsed);
    if let Err(err) = crate::stdout::write(&report)
        && !matches!(err, crate::stdout::StdoutError::Closed)
    {
        log(&format!("cannot write the report: {err}"));
        return exit::USAGE;
    }
    if let Some(path) = &args.junit
        && let Err(err) =
            super::write_report(path, &rules::junit(&target, &findings, strict, elapsed))
    {
        log(&format!(
            "cannot write the JUnit report to {}: {err}",
            path.display()
        ));
        return exit::USAGE;
    }
    rules::status(&findings, strict)
}

/// Negotiates with the server `spec` names (at `forced`, else the newest
/// revision both speak) and probes every rule: what was probed (the URL,
/// era and revision) and the findings, or why no revision could be
/// negotiated. What the user must do for a credential goes to `notice`.
/// The UI's Checks view runs this too, on a connection of its own.
pub async fn probe_server(
    spec: crate::sse::RequestSpec,
    forced: Option<String>,
    notice: &mut dyn FnMut(&str),
) -> Result<(String, Vec<Finding>), String> {
    let options = Probing {
        authorization: crate::mcp::authorize::Options::default(),
        idle: None,
    };
    probe_with(spec, forced, options, None, notice).await
}

/// How a server is probed beyond its URL and revision.
#[derive(Debug, Clone)]
pub struct Probing {
    /// How the MCP authorization chain is followed when the server asks.
    pub authorization: crate::mcp::authorize::Options,
    /// How long an idle GET stream is watched for keep-alives (`--mcp-idle`);
    /// `None`: not watched.
    pub idle: Option<std::time::Duration>,
}

/// [`probe_server`], following the MCP authorization chain with
/// `authorization` when the server answers 401 (what its login asks of the
/// user to `notices`). The chain's steps are findings of their own; when it
/// breaks, they are all there is to report.
pub async fn probe_with(
    spec: crate::sse::RequestSpec,
    forced: Option<String>,
    options: Probing,
    notices: Option<crate::mcp::wire::Notices>,
    notice: &mut dyn FnMut(&str),
) -> Result<(String, Vec<Finding>), String> {
    let url = crate::sse::redact::url(&spec.url, &spec.secret_names());
    let mut wire = crate::mcp::wire::Wire::new(spec, notice)
        .await
        .map_err(|err| err.to_string())?
        .with_authorization(options.authorization);
    if let Some(notices) = notices {
        wire = wire.with_notices(notices);
    }
    // The chain's steps, read after the connection is made or not.
    let chain = wire.clone();
    let observed = Rc::new(RefCell::new(Vec::new()));
    let sink = observed.clone();
    let observer = Box::new(move |o: Observed| sink.borrow_mut().push(o));
    let connected = crate::mcp::connect(wire, forced.as_deref(), observer).await;
    let mut findings = rules::authorization(&chain.authorizer().followed());
    let mut client = match connected {
        Ok(client) => client,
        // A server whose authorization chain broke: that is the finding.
        Err(err) if findings.iter().any(|f| f.fails(true)) => {
            return Ok((format!("{url} (not negotiated: {err})"), findings));
        }
        Err(err) => return Err(format!("cannot negotiate MCP: {err}")),
    };
    let target = format!(
        "{url} ({} era, revision {})",
        client.era().as_str(),
        client.revision()
    );
    findings.extend(probe_all(&mut client, observed, options.idle).await);
    Ok((target, findings))
}

/// Every rule, in the report's order; the session is deleted last.
async fn probe_all(
    client: &mut Client,
    observed: Rc<RefCell<Vec<Observed>>>,
    idle: Option<std::time::Duration>,
) -> Vec<Finding> {
    let mut failed_requests = Vec::new();
    // A request through the connection itself: its answer linked by the tracker.
    let method = probes::probe_method(client);
    if let Err(err) = client.request(method, None).await
        && err.rpc_code().is_none()
    {
        failed_requests.push(format!("{method}: {err}"));
    }
    // The probe opens a GET stream of its own: the connection's is closed
    // first, since a server may allow one per session (409 for a second).
    client.close_side_stream();
    let mut findings = vec![probes::get_stream(client).await];
    findings.extend(probes::session(client).await);
    let (content_type, ping) = probes::content_type(client).await;
    findings.push(content_type);
    findings.push(probes::origin(client).await);
    findings.push(probes::protocol_version(client).await);
    findings.push(probes::routing_headers(client).await);
    findings.push(probes::replay(client, ping.as_ref()).await);
    findings.push(probes::keep_alive(client, idle).await);
    let delete = probes::session_delete(client).await;
    let seen = Seen {
        observed: observed.take(),
        failed_requests,
        ping: ping.map(|answer| (probes::PING_ID.to_owned(), answer)),
    };
    findings.push(rules::jsonrpc(&seen));
    findings.push(rules::event_ids(client.era(), &seen));
    findings.push(rules::priming(client.era(), client.revision(), &seen));
    findings.push(rules::retry_before_close(
        client.era(),
        client.revision(),
        &seen,
    ));
    // Session rules together in the report.
    let at = findings.len().min(3);
    findings.insert(at, delete);
    findings
}
