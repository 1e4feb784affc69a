//! A tab's running connection: a plain SSE connection task, or an MCP
//! connection's thread. Dropping either stops it.

use std::time::Duration;

use crate::mcp::live::{self, Command};
use crate::sse::ConnectionHandle;

/// How long quitting waits for MCP sessions to be ended with DELETE.
const MCP_GOODBYE: Duration = Duration::from_secs(2);

pub enum Running {
    Sse(ConnectionHandle),
    Mcp(live::Handle),
}

impl Running {
    /// Reconnects now, keeping the last event ID (SSE only: an MCP
    /// connection resumes its own streams).
    pub fn restart(&self) {
        if let Running::Sse(handle) = self {
            handle.restart();
        }
    }

    /// Reconnects sending this `Last-Event-ID`; for MCP, GETs the session's
    /// stream again from it.
    pub fn resume_from(&self, id: String) {
        match self {
            Running::Sse(handle) => handle.resume_from(id),
            Running::Mcp(handle) => handle.send(Command::ResumeFrom { event_id: id }),
        }
    }

    /// Asks an MCP connection for something; `false` for an SSE one.
    pub fn mcp(&self, command: Command) -> bool {
        match self {
            Running::Mcp(handle) => {
                handle.send(command);
                true
            }
            Running::Sse(_) => false,
        }
    }

    /// Stops it; an MCP session is ended with DELETE first (waited for a little).
    pub fn finish(self) {
        if let Running::Mcp(handle) = self {
            handle.finish(MCP_GOODBYE);
        }
    }
}

/// Probes tab `tab`'s MCP server with `check --mcp`'s rules on a thread of
/// its own (the client is not `Send`); the findings come back as a message.
/// A credential's notice (a URL to open) comes as a notice.
pub fn probe(
    tab: crate::state::TabId,
    spec: crate::sse::RequestSpec,
    authorization: crate::mcp::authorize::Options,
    results: tokio::sync::mpsc::UnboundedSender<crate::message::Msg>,
) {
    use crate::message::Msg;
    let version = match &spec.protocol {
        crate::sse::Protocol::Mcp { version, .. } => version.clone(),
        crate::sse::Protocol::Sse => None,
    };
    let failed = results.clone();
    let spawned = std::thread::Builder::new()
        .name("mcp-probe".into())
        .spawn(move || {
            let result = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => {
                    let notices = results.clone();
                    let mut notice = move |note: &str| {
                        let _ = notices.send(Msg::Notice(note.to_owned()));
                    };
                    runtime.block_on(crate::check::mcp::probe_with(
                        spec,
                        version,
                        crate::check::mcp::Probing {
                            authorization,
                            // Watching an idle stream takes its time: the
                            // rules' results come at once instead (the
                            // keep-alive line says how to watch it).
                            idle: None,
                        },
                        None,
                        &mut notice,
                    ))
                }
                Err(err) => Err(format!("cannot start the async runtime: {err}")),
            };
            let _ = results.send(Msg::McpProbed { tab, result });
        });
    if let Err(err) = spawned {
        // The state shows the probes running until told otherwise.
        let _ = failed.send(Msg::McpProbed {
            tab,
            result: Err(format!("cannot start the probes: {err}")),
        });
    }
}
