//! `ssetui check`: connect, judge expectations about the stream, print a
//! report, exit with a status a CI pipeline can act on.
//!
//! The judging is pure ([`core`], in the domain layer); this file, the
//! runner, reads the flags, runs the connection (or reads a capture), feeds
//! the judge and decides when to stop: as soon as the overall result is
//! certain, when the stream ends, or when `--within` has passed.

pub mod core;
pub mod mcp;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::cli::CheckArgs;
use crate::config::Startup;
use crate::limits::time::later;
use crate::sse::{self, CloseReason, ConnMsg, ErrorKind, ReconnectPolicy, RequestSpec, StreamItem};

use self::core::{Checks, Expectation, Finish, Judge, SchemaCheck, Seen, Verdict, junit, report};

pub use self::core::Condition;

/// The exit statuses `check` documents.
pub mod exit {
    /// Every expectation held.
    pub const PASSED: u8 = 0;
    /// An expectation failed.
    pub const FAILED: u8 = 1;
    /// Bad arguments or configuration.
    pub const USAGE: u8 = 2;
    /// The stream could not be opened, or failed before the expectations were judged.
    pub const STREAM: u8 = 3;
}

/// Consecutive failed attempts when `--reconnect` allows retrying.
const DEFAULT_MAX_RETRIES: u32 = 3;
const CHANNEL_CAPACITY: usize = 256;
/// Past a deadline before judging it, so "elapsed > limit" holds when the timer fires.
const DEADLINE_SLACK: Duration = Duration::from_millis(1);

/// The expectations the flags of `args` ask for, as the core takes them.
fn checks(args: &CheckArgs) -> Checks {
    Checks {
        within: args.within,
        min_events: args.min_events,
        max_events: args.max_events,
        expect_type: args.expect_type.clone(),
        forbid_type: args.forbid_type.clone(),
        ids_increasing: args.ids_increasing,
        data_json: args.data_json,
        llm_strict: args.llm_strict,
        first_event_within: args.first_event_within,
        ends_with: args.ends_with.clone(),
        expect: args.expect.clone(),
        expect_any: args.expect_any.clone(),
    }
}

/// Runs `ssetui check` to completion and returns its exit status.
pub fn main(args: CheckArgs, config: Startup) -> ExitCode {
    if args.mcp {
        return ExitCode::from(mcp::run(&args, &config));
    }
    // Expectations stored in the profile join in once `Profile` has a `check` table.
    let stored = args
        .request
        .profile
        .as_deref()
        .and_then(|name| config.file.as_ref()?.profile(name))
        .and_then(|profile| profile.check.clone());
    ExitCode::from(run(&args, &config, stored.as_ref()))
}

/// `check` with `stored`, the `--profile`'s expectations, under the command line's.
pub fn run(args: &CheckArgs, config: &Startup, stored: Option<&Checks>) -> u8 {
    for warning in &config.warnings {
        crate::stdout::log(&format!("warning: {warning}"));
    }
    if let Some(err) = &config.error {
        crate::stdout::log(&format!("{err}"));
        return exit::USAGE;
    }
    let mut checks = checks(args);
    if let Some(stored) = stored {
        stored.merged_into(&mut checks);
    }
    let within = checks.within();
    let mut list = checks.expectations();
    match args.contract.schemas_for(&args.request, config) {
        Ok(Some(schemas)) => list.push(Expectation::Schema(SchemaCheck(schemas))),
        Ok(None) => {}
        Err(err) => {
            crate::stdout::log(&err);
            return exit::USAGE;
        }
    }
    if list.is_empty() {
        crate::stdout::log(
            "check: no expectations given: add at least one, e.g. --min-events 1 (see ssetui check --help)",
        );
        return exit::USAGE;
    }
    if let Some(path) = &args.capture {
        return run_capture(args, path, Judge::new(list, within));
    }
    let Some(mut spec) = args.request.sendable_or_log(
        config,
        Some(DEFAULT_MAX_RETRIES),
        crate::history::Sender::Check,
    ) else {
        return exit::USAGE;
    };
    // A check judges one stream: a reconnect would hide an early end or
    // mix two streams' ids, so it must be asked for.
    if args.request.reconnect.is_none() {
        spec.reconnect = ReconnectPolicy::Never;
    }
    let target = target(args, &spec);
    let runtime = match crate::runtime::build() {
        Ok(rt) => rt,
        Err(status) => return status_code(status),
    };
    let mut judge = Judge::new(list, within);
    let start = Instant::now();
    let jar = spec.session.cookies.clone();
    let bad_request = runtime.block_on(watch(spec, &mut judge, start, within));
    if let (Some(path), Some(jar)) = (&args.request.cookie_jar, &jar)
        && let Err(err) = crate::cli::write_jar(path, jar)
    {
        crate::stdout::stderr(&format!(
            "cannot write the cookie jar {}: {err}\n",
            crate::text::one_line(path.display())
        ));
    }
    let elapsed = start.elapsed();
    runtime.shutdown_background();
    if let Some(err) = bad_request {
        crate::stdout::log(&format!("{err}"));
        return exit::USAGE;
    }
    if let Some(status) = report_written(&report::render(&target, &judge, elapsed)) {
        return status;
    }
    if let Some(path) = &args.junit
        && let Err(err) = write_report(path, &junit::render(&target, &judge, elapsed))
    {
        crate::stdout::log(&format!(
            "cannot write the JUnit report to {}: {err}",
            path.display()
        ));
        return exit::USAGE;
    }
    status(&judge)
}

/// Writes the report to stdout: `None` when it went, or when the reader went
/// away first (the verdict's status stands: a pipeline still learns whether
/// the check failed); exit 2 with a message when stdout cannot be written.
fn report_written(report: &str) -> Option<u8> {
    match crate::stdout::write(report) {
        Ok(()) | Err(crate::stdout::StdoutError::Closed) => None,
        Err(err) => {
            crate::stdout::log(&format!("cannot write the report: {err}"));
            Some(exit::USAGE)
        }
    }
}

/// The diagnosis's findings that are LLM stream shapes breaking client
/// SDKs, as `--llm-strict` reports them.
fn llm_shapes(diagnostics: &crate::insight::diagnose::Diagnostics) -> Vec<String> {
    diagnostics
        .findings()
        .into_iter()
        .filter(|f| crate::insight::diagnose::LLM_SHAPE_IDS.contains(&f.id))
        .map(|f| format!("{} [{}]", f.title, f.id))
        .collect()
}

/// The exit status the verdicts call for.
pub fn status(judge: &Judge) -> u8 {
    let verdicts = judge.verdicts();
    if verdicts.iter().any(|v| matches!(v, Verdict::Failed(_))) {
        exit::FAILED
    } else if judge.all_passed() {
        exit::PASSED
    } else {
        exit::STREAM
    }
}

/// `--capture FILE`: the recorded first attempt (every attempt with
/// `--reconnect`) judged at its recorded times, as if it were live.
fn run_capture(args: &CheckArgs, path: &std::path::Path, mut judge: Judge) -> u8 {
    let capture = match crate::capture::read(path) {
        Ok(capture) => capture,
        Err(err) => {
            crate::stdout::log(&format!("{err}"));
            return exit::STREAM;
        }
    };
    if let Some(damage) = &capture.damaged {
        crate::stdout::log(&format!(
            "warning: {}: read up to the damage: {damage}",
            path.display()
        ));
    }
    let first = capture.first_attempt();
    let judged = |attempt: u32| args.request.reconnect.is_some() || Some(attempt) == first;
    let within = judge.within();
    let mut last = Duration::ZERO;
    let mut time_up = false;
    for captured in capture.events().iter().filter(|e| judged(e.attempt)) {
        let elapsed = Duration::from_millis(captured.t);
        if elapsed > within {
            time_up = true;
            break;
        }
        judge.tick(elapsed);
        judge.observe(Seen {
            event_type: captured.event.event_type(),
            data: &captured.event.data,
            id: own_id(&captured.event),
            elapsed,
            named: !captured.event.event.is_empty(),
            retry: captured.event.retry_ms,
        });
        last = elapsed;
        if judge.is_settled() {
            break;
        }
    }
    let ended = capture.records.iter().any(|record| {
        matches!(record, crate::capture::Record::Ended { attempt, .. } if judged(*attempt))
    });
    // A capture with no end of the stream was stopped while it ran: it
    // ends where its last record does.
    let recorded = Duration::from_millis(capture.records.last().map_or(0, |r| r.t()));
    let finish = match (&capture.damaged, ended, time_up) {
        (_, _, true) => Finish::TimeUp,
        (_, true, _) => Finish::Ended,
        (Some(damage), false, _) => Finish::Failed(format!("the capture is damaged: {damage}")),
        (None, false, _) => Finish::Truncated(recorded),
    };
    // `--llm-strict`: the recorded stream diagnosed as it was received.
    if judge.wants_shapes() && matches!(finish, Finish::Ended | Finish::TimeUp) {
        let mut diagnostics = crate::insight::diagnose::Diagnostics::new();
        let now = Instant::now();
        for msg in crate::capture::to_messages(&capture) {
            diagnostics.observe(&msg, now);
        }
        judge.shapes(&llm_shapes(&diagnostics));
    }
    if !judge.is_settled() {
        judge.tick(if time_up { within } else { last });
        judge.finish(&finish);
    }
    let target = format!("capture {}", path.display());
    if let Some(status) = report_written(&report::render(&target, &judge, last)) {
        return status;
    }
    if let Some(junit_path) = &args.junit
        && let Err(err) = write_report(junit_path, &junit::render(&target, &judge, last))
    {
        crate::stdout::log(&format!(
            "cannot write the JUnit report to {}: {err}",
            junit_path.display()
        ));
        return exit::USAGE;
    }
    status(&judge)
}

/// Writes the JUnit report to `path`, the file the user named: replaced if
/// it is one (a pipeline writes it on every run), 0600, never through a
/// symlink (`private_file::replace`).
fn write_report(path: &std::path::Path, xml: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = crate::private_file::replace(path)?;
    file.write_all(xml.as_bytes())?;
    file.sync_all()
}

/// What the report and the JUnit suite are named after: the profile, or the URL (secrets redacted).
fn target(args: &CheckArgs, spec: &RequestSpec) -> String {
    let url = sse::redact::url(&spec.url, &spec.secret_names());
    match &args.request.profile {
        Some(name) => format!("profile {name} ({url})"),
        None => url,
    }
}

/// Watches the stream until the judge is settled, the stream closes or
/// `within` passes; leaves every verdict decided. Returns the error of a
/// request that could not even be built (bad arguments, not a stream failure).
async fn watch(
    spec: RequestSpec,
    judge: &mut Judge,
    start: Instant,
    within: Duration,
) -> Option<sse::ConnError> {
    let (tx, mut rx) = mpsc::channel(CHANNEL_CAPACITY);
    let handle = sse::spawn(spec, tx);
    // `--llm-strict`: the stream diagnosed as the Checks view diagnoses it.
    let mut shapes = judge
        .wants_shapes()
        .then(crate::insight::diagnose::Diagnostics::new);
    // `--within` and `--first-event-within` can be any length.
    let end = later(start, within);
    let finish = loop {
        if judge.is_settled() {
            break None;
        }
        let wake = judge.next_deadline().map_or(end, |d| {
            later(start, d.saturating_add(DEADLINE_SLACK)).min(end)
        });
        let msg = match tokio::time::timeout_at(wake.into(), rx.recv()).await {
            Err(_) if Instant::now() >= end => break Some(Finish::TimeUp),
            Err(_) => {
                judge.tick(start.elapsed());
                continue;
            }
            Ok(None) => break Some(Finish::Failed("the connection task stopped".into())),
            Ok(Some(msg)) => msg,
        };
        if let Some(diagnostics) = &mut shapes {
            diagnostics.observe(&msg, Instant::now());
        }
        match msg {
            ConnMsg::Data(chunk) => {
                let elapsed = start.elapsed();
                for item in &chunk.items {
                    if let StreamItem::Event { event, .. } = item {
                        judge.observe(Seen {
                            event_type: event.event_type(),
                            data: &event.data,
                            id: own_id(event),
                            elapsed,
                            named: !event.event.is_empty(),
                            retry: event.retry_ms,
                        });
                        if judge.is_settled() {
                            break;
                        }
                    }
                }
            }
            ConnMsg::Closed { reason } => match reason {
                CloseReason::Ended | CloseReason::NoContent => break Some(Finish::Ended),
                CloseReason::Stopped => break Some(Finish::Failed("stopped".into())),
                CloseReason::Failed(err) if err.kind == ErrorKind::Request => {
                    handle.stop();
                    judge.finish(&Finish::Failed(err.to_string()));
                    return Some(err);
                }
                CloseReason::Failed(err) => break Some(Finish::Failed(err.to_string())),
                CloseReason::RetriesExhausted { attempts, last } => {
                    break Some(Finish::Failed(format!(
                        "gave up after {attempts} attempts: {last}"
                    )));
                }
            },
            _ => {}
        }
    };
    handle.stop();
    if let Some(diagnostics) = &shapes
        && matches!(finish, Some(Finish::Ended | Finish::TimeUp) | None)
    {
        judge.shapes(&llm_shapes(diagnostics));
    }
    // Settled: what is still pending is skipped (or passed, when all else passed).
    judge.finish(&finish.unwrap_or(Finish::TimeUp));
    None
}

/// `runtime::build` reports failure as an `ExitCode`; check's own status for it is 3.
fn status_code(_: ExitCode) -> u8 {
    exit::STREAM
}

/// The id an event's own block set, `""` when it set none.
fn own_id(event: &crate::sse::Event) -> &str {
    if event.sets_id { &event.id } else { "" }
}
