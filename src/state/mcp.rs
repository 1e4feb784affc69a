//! What an MCP tab knows beyond its rows: the era and revision negotiated,
//! the findings about ids and streams, the call in flight and its
//! progress, and which message answers which (the link `g` follows).

use std::collections::HashMap;

use serde_json::Value;

use crate::mcp::live::Update;
use crate::mcp::live::rows::parse_row_type;
use crate::mcp::record::Direction;
use crate::mcp::tracker::Finding;

/// An MCP tab's own state (its connection's, renewed with each connect).
#[derive(Debug, Clone, Default)]
pub struct McpTab {
    /// The era and revision in use (and the session), once negotiated.
    pub negotiated: Option<crate::sse::Negotiation>,
    /// What is wrong with the ids and streams, in the order found.
    pub findings: Vec<Finding>,
    /// The request in flight, if any.
    pub call: Option<Call>,
    /// The last request's outcome: its method and result or error.
    pub last_answer: Option<(String, Result<Value, String>)>,
    /// What the user asked that could not be done, newest last.
    pub refusals: Vec<String>,
    /// Which row answers which.
    pub links: Links,
    /// The server probed with `check --mcp`'s rules (`K`), on a connection of its own.
    pub probe: Probe,
    /// The server's requests of a declared capability not answered yet, oldest first.
    pub asks: std::collections::VecDeque<Ask>,
    /// The panel to list and call (`M`): kept while closed, so its lists
    /// and the last call are there when it opens again.
    pub panel: crate::state::mcp_panel::CallPanel,
}

/// A server request put to the user (`--mcp-capability`).
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    /// Its number, for the reply.
    pub n: u64,
    pub capability: crate::mcp::capabilities::Capability,
    pub params: Value,
}

/// Where the probing of the server (`K`) is.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Probe {
    #[default]
    NotRun,
    Running,
    /// What was probed (URL, era, revision) and each rule's finding.
    Done {
        target: String,
        findings: Vec<crate::check::core::mcp::Finding>,
    },
    /// No revision could be negotiated, or the request could not be made.
    Failed(String),
}

/// A request in flight and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: String,
    pub id: Value,
    pub progress: Option<(f64, Option<f64>, Option<String>)>,
}

impl McpTab {
    /// Folds an update in; returns the line it is worth in the list, if any.
    pub fn apply(&mut self, update: Update) -> Option<String> {
        match update {
            Update::Finding(finding) => {
                let line = format!("finding: {finding}");
                self.findings.push(finding);
                Some(line)
            }
            Update::Resumed { stream, after } => Some(format!(
                "{stream} ended early; resumed with Last-Event-ID: {after}"
            )),
            Update::Listed { kind, items } => {
                match items {
                    Ok(items) => self.panel.set_list(kind, items),
                    Err(why) => {
                        self.panel.set_list_failed(kind, why.clone());
                        return Some(format!("{} failed: {why}", kind.method()));
                    }
                }
                None
            }
            Update::Started { method, id } => {
                self.panel.call_started(None);
                self.call = Some(Call {
                    method,
                    id,
                    progress: None,
                });
                None
            }
            Update::Progress {
                progress,
                total,
                message,
            } => {
                self.panel.progress(progress, total, message.clone());
                if let Some(call) = &mut self.call {
                    call.progress = Some((progress, total, message));
                }
                None
            }
            Update::Answered { method, result } => {
                self.panel.call_finished(result.clone());
                self.call = None;
                let line = match &result {
                    Err(err) => Some(format!("{method} failed: {err}")),
                    Ok(_) => None,
                };
                self.last_answer = Some((method, result));
                line
            }
            Update::ServerAsks {
                n,
                capability,
                params,
            } => {
                let method = crate::mcp::capabilities::method(capability);
                self.asks.push_back(Ask {
                    n,
                    capability,
                    params,
                });
                Some(format!("the server asks {method}: answer in the prompt"))
            }
            Update::Refused(why) => {
                let line = format!("not done: {why}");
                self.refusals.push(why);
                Some(line)
            }
        }
    }

    /// The title bar's words for the connection: `MCP session 2025-11-25`.
    pub fn title(&self) -> String {
        match &self.negotiated {
            Some(n) => format!("MCP {} {}", n.era, n.revision),
            None => "MCP negotiating".to_owned(),
        }
    }
}

/// Which message a JSON-RPC message goes with: a request's response, a
/// response's request (by direction and id: the client's ids and the
/// server's are separate spaces).
#[derive(Debug, Default, Clone)]
pub struct Links {
    /// (who asked, id as JSON text) → the request's row and its answer's.
    pairs: HashMap<(Direction, String), (Option<u64>, Option<u64>)>,
}

/// What a row is, for linking.
#[derive(Debug, Clone, PartialEq)]
pub enum Role {
    /// A request sent the way given, with this id.
    Request(Direction, String),
    /// A response or error travelling the way given, with this id.
    Response(Direction, String),
}

/// The role of a row typed `row_type` (`→ post-3`) holding `data`.
pub fn role(row_type: &str, data: &str) -> Option<Role> {
    let (direction, _) = parse_row_type(row_type)?;
    let value: Value = serde_json::from_str(data).ok()?;
    let id = value.get("id")?.to_string();
    if value.get("method").is_some() {
        Some(Role::Request(direction, id))
    } else if value.get("result").is_some() || value.get("error").is_some() {
        Some(Role::Response(direction, id))
    } else {
        None
    }
}

/// The direction a request went whose answer goes `direction`.
fn asker(answer: Direction) -> Direction {
    match answer {
        Direction::Sent => Direction::Received,
        Direction::Received => Direction::Sent,
    }
}

impl Links {
    /// Row `row` (absolute number) has `role`.
    pub fn note(&mut self, row: u64, role: Role) {
        match role {
            Role::Request(direction, id) => {
                self.pairs.entry((direction, id)).or_default().0 = Some(row);
            }
            Role::Response(direction, id) => {
                self.pairs.entry((asker(direction), id)).or_default().1 = Some(row);
            }
        }
    }

    /// The row linked with a row that has `role`: a request's answer, an
    /// answer's request.
    pub fn other(&self, role: &Role) -> Option<u64> {
        match role {
            Role::Request(direction, id) => self.pairs.get(&(*direction, id.clone()))?.1,
            Role::Response(direction, id) => self.pairs.get(&(asker(*direction), id.clone()))?.0,
        }
    }
}
