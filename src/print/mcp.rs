//! `ssetui print --mcp`: an MCP server's lists, or one tool call with every
//! JSON-RPC message of every stream, as NDJSON on stdout.
//!
//! A `--call` line: `{"stream","direction","message"[,"event_id"][,"problem"]}`;
//! `message` is the JSON as sent or received (a text that was not JSON is a
//! string, with `problem` saying why it is no JSON-RPC message). A `--list`
//! line is one item of the list. Text is escaped as every NDJSON line print
//! writes is: control, bidirectional and zero-width characters as `\uXXXX`.

use std::io::{self, Write as _};
use std::process::ExitCode;

use serde_json::{Map, Value};

use crate::mcp::Record;

use super::exit;
use crate::cli::PrintArgs;
use crate::config::Startup;
use crate::mcp::calls::{self, ListKind};
use crate::mcp::negotiate;
use crate::mcp::{McpError, Observed};
use crate::stdout::log;

/// What the run was asked for.
enum Action {
    List(ListKind),
    Call { tool: String, arguments: Value },
}

/// Runs `print --mcp` and returns its exit status.
pub fn main(args: &PrintArgs, config: &Startup) -> ExitCode {
    let action = match action(args) {
        Ok(action) => action,
        Err(err) => {
            log(&err);
            return ExitCode::from(exit::USAGE);
        }
    };
    if let Some(why) = args
        .mcp_version
        .as_deref()
        .and_then(negotiate::unknown_revision)
    {
        log(&why);
        return ExitCode::from(exit::USAGE);
    }
    let Some(spec) = args
        .request
        .sendable_or_log(config, None, crate::history::Sender::Print)
    else {
        return ExitCode::from(exit::USAGE);
    };
    let runtime = match crate::runtime::build_current_thread() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let show_messages = matches!(action, Action::Call { .. });
    let verbose = args.verbose;
    let observer = Box::new(move |observed: Observed| match observed {
        Observed::Message(record) if show_messages => write_line(&record_line(&record)),
        Observed::Message(record) if verbose => {
            crate::stdout::stderr(&format!("{}\n", record_line(&record)));
        }
        Observed::Message(_) => {}
        Observed::Finding(finding) => log(&format!("warning: {finding}")),
        // Said, as print says a reconnect: the events after it carry on
        // the stream's name, and the gap would otherwise go unseen.
        Observed::Resumed { stream, after, .. } => log(&format!(
            "stream {stream} ended early; resumed with Last-Event-ID: {after}"
        )),
    });
    let forced = args.mcp_version.clone();
    let authorization = args
        .request
        .mcp_authorization(args.mcp_client_id.as_deref(), config);
    let declared = args.mcp_capability.clone();
    let status = runtime.block_on(async move {
        let wire = match crate::mcp::wire::Wire::new(spec, &mut |note| log(note)).await {
            Ok(wire) => wire
                .with_notices(std::sync::Arc::new(|note: &str| log(note)))
                .with_authorization(authorization),
            Err(err) => {
                log(&err.to_string());
                return exit::USAGE;
            }
        };
        let answerer = (!declared.is_empty()).then(terminal_answerer);
        let connected =
            negotiate::connect_declaring(wire, forced.as_deref(), observer, declared, answerer);
        let mut client = match connected.await {
            Ok(client) => client,
            Err(err) => {
                log(&format!("cannot negotiate MCP: {err}"));
                return exit::USAGE;
            }
        };
        if verbose {
            log(&format!(
                "MCP {} era, revision {}",
                client.era().as_str(),
                client.revision()
            ));
        }
        let status = run(&mut client, action).await;
        if let Err(err) = client.close().await {
            log(&format!("warning: {err}"));
        }
        status
    });
    runtime.shutdown_background();
    ExitCode::from(status)
}

fn action(args: &PrintArgs) -> Result<Action, String> {
    match (&args.list, &args.call) {
        (Some(kind), None) => Ok(Action::List(*kind)),
        (None, Some(tool)) => {
            let arguments = match &args.args {
                None => Value::Object(Map::new()),
                Some(text) => {
                    serde_json::from_str(text).map_err(|err| format!("--args: not JSON: {err}"))?
                }
            };
            if !arguments.is_object() {
                return Err("--args: the arguments must be a JSON object".into());
            }
            Ok(Action::Call {
                tool: tool.clone(),
                arguments,
            })
        }
        _ => Err("--mcp needs --list KIND or --call TOOL".into()),
    }
}

async fn run(client: &mut crate::mcp::Client, action: Action) -> u8 {
    match action {
        Action::List(kind) => match calls::list(client, kind).await {
            Ok(items) => {
                for item in items {
                    write_line(&crate::text::json_safe(&item.to_string()));
                }
                exit::OK
            }
            Err(err) => failed(&err),
        },
        Action::Call { tool, arguments } => {
            match calls::call_tool(client, &tool, arguments).await {
                Ok(outcome) if outcome.is_error => {
                    log(&format!(
                        "the tool {} failed (isError: true)",
                        crate::text::one_line(&tool)
                    ));
                    exit::FAILED
                }
                Ok(_) => exit::OK,
                Err(err) => failed(&err),
            }
        }
    }
}

fn failed(err: &McpError) -> u8 {
    log(&err.to_string());
    exit::FAILED
}

/// Puts a server's request of a declared capability to the user at the
/// terminal (stdout may be a pipe): the request and a template on stderr,
/// one line of JSON read from `/dev/tty` as the result; an empty line
/// refuses. Without a terminal, the request is refused.
fn terminal_answerer() -> crate::mcp::capabilities::Answerer {
    use crate::mcp::capabilities;
    Box::new(|capability, params| {
        let method = capabilities::method(capability);
        let template = capabilities::template(capability, &params);
        log(&format!(
            "the server asks {method}: {}",
            crate::text::json_safe(&params.to_string())
        ));
        log(&format!(
            "answer with one line of JSON (the result), e.g. {template}; an empty line refuses"
        ));
        Box::pin(async move {
            let line = tokio::task::spawn_blocking(|| {
                let tty = std::fs::File::open("/dev/tty")
                    .map_err(|err| format!("no terminal to ask the user: {err}"))?;
                let mut line = String::new();
                std::io::BufRead::read_line(&mut std::io::BufReader::new(tty), &mut line)
                    .map_err(|err| format!("the terminal could not be read: {err}"))?;
                Ok::<_, String>(line)
            })
            .await
            .map_err(|err| err.to_string())??;
            let line = line.trim();
            if line.is_empty() {
                return Err("the user refused".to_owned());
            }
            match serde_json::from_str::<Value>(line) {
                Ok(result) if result.is_object() => Ok(result),
                _ => Err("the user's answer was not a JSON object".to_owned()),
            }
        })
    })
}

/// A record as its NDJSON line, keys in a fixed order: where, which way, then the message.
fn record_line(record: &Record) -> String {
    let text = |s: &str| Value::String(s.to_owned()).to_string();
    let mut line = format!(
        "{{\"stream\":{},\"direction\":{}",
        text(&record.stream),
        text(record.direction.as_str())
    );
    if let Some(id) = &record.event_id {
        line.push_str(&format!(",\"event_id\":{}", text(id)));
    }
    let message = match &record.message {
        Ok(value) => value.to_string(),
        Err(raw) => text(raw),
    };
    line.push_str(&format!(",\"message\":{message}"));
    if let Some(problem) = &record.problem {
        line.push_str(&format!(",\"problem\":{}", text(problem)));
    }
    line.push('}');
    crate::text::json_safe(&line).into_owned()
}

/// One line on stdout, flushed at once so progress shows as it arrives. A
/// reader gone away (`| head`) is not an error: the run goes on quietly.
fn write_line(line: &str) {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_in_a_message_are_escaped_and_read_back_unchanged() {
        let value = serde_json::json!({"text": "a\u{1b}[31m\u{9b}\u{202e}b\u{7f}"});
        let json = value.to_string();
        let line = crate::text::json_safe(&json);
        assert!(!line.chars().any(crate::text::is_neutralised), "{line}");
        assert_eq!(line, r#"{"text":"a\u001b[31m\u009b\u202eb\u007f"}"#);
        let back: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back, value);
    }
}
