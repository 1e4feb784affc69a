//! One probe per rule: a request shaped as the negotiated connection would
//! send it (`mcp::probe`), changed in the one way the rule is about, and
//! the answer judged against the rule. A probe that gets no answer at all
//! (the server closed the connection) finds the rule broken: the rule asks
//! for a status, and none came.

use reqwest::Method;

use crate::check::core::mcp::{self as rules, Finding, Outcome, Rule};
use crate::mcp::Client;
use crate::mcp::jsonrpc::Message;
use crate::mcp::negotiate::Era;
use crate::mcp::probe::{Answer, Read};
use crate::mcp::wire::BodyKind;

/// The foreign origin sent to test the DNS-rebinding guard.
pub const FOREIGN_ORIGIN: &str = "https://ssetui-check.invalid";
/// A revision no server speaks.
pub const UNSUPPORTED_REVISION: &str = "1999-01-01";
/// A session id no server issued.
const UNKNOWN_SESSION: &str = "ssetui-check-unknown-session";

/// The id of the probes' requests: a string, so it never meets the
/// connection's numeric ids.
pub const PING_ID: &str = "ssetui-check-probe";

/// The headers `client` would send `message` with, with `name` replaced
/// by `value` (or left out when `value` is `None`).
fn with_header(
    client: &Client,
    message: &Message,
    name: &'static str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut headers = client.probe_headers(message);
    headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    if let Some(value) = value {
        headers.push((name, value.to_owned()));
    }
    headers
}

/// The request the probes send: `ping` in the session era; in the
/// stateless era `server/discover`, which every 2026-07-28 server answers
/// (`ping` is optional there: a server without it answers 404).
pub fn probe_method(client: &Client) -> &'static str {
    match client.era() {
        Era::Stateless => "server/discover",
        _ => "ping",
    }
}

/// The probe request as the connection would send it.
fn probe_message(client: &Client) -> Message {
    client.probe_request(PING_ID, probe_method(client), client.revision())
}

/// Sends a POST of `message` with `headers`, reads it to its response.
async fn post(
    client: &Client,
    message: &Message,
    headers: &[(&'static str, String)],
) -> Result<Answer, String> {
    client
        .probe(Method::POST, headers, Some(message), Read::ToResponse)
        .await
        .map_err(|err| format!("no answer: {err}"))
}

/// `rule` held when the answer's status is `wanted`.
fn status_is(rule: &'static Rule, answer: Result<Answer, String>, wanted: &[u16]) -> Finding {
    let outcome = match answer {
        Ok(answer) if wanted.contains(&answer.status) => Outcome::Passed(answer.describe()),
        Ok(answer) => Outcome::Failed(answer.describe()),
        Err(err) => Outcome::Failed(err),
    };
    Finding::new(rule, outcome)
}

/// Why the Streamable HTTP rules do not apply, when they do not: the
/// 2024-11-05 transport, or the handshake forced to 2024-11-05.
fn not_streamable(client: &Client) -> Option<&'static str> {
    (client.era() == Era::Legacy || client.revision() < "2025-03-26")
        .then_some("revision 2024-11-05 predates the Streamable HTTP transport")
}

/// A GET of the session's stream, read as `read` says. A 409 is tried
/// again a few times: the server may still count a GET stream closed just
/// before (the connection's own, an earlier probe's); it notices soon.
async fn get(client: &Client, read: Read) -> Result<Answer, crate::mcp::McpError> {
    let headers = stream_headers(client);
    let mut answer = client.probe(Method::GET, &headers, None, read).await;
    for _ in 0..3 {
        if !matches!(&answer, Ok(a) if a.status == 409) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        answer = client.probe(Method::GET, &headers, None, read).await;
    }
    answer
}

/// The headers a later request of the connection carries (session id,
/// `MCP-Protocol-Version`), asking for an event stream: a GET's.
fn stream_headers(client: &Client) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = client
        .probe_headers(&probe_message(client))
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("mcp-method"))
        .collect();
    headers.push(("accept", "text/event-stream".into()));
    headers
}

fn not_applicable(rule: &'static Rule, why: &str) -> Finding {
    Finding::new(rule, Outcome::NotApplicable(why.to_owned()))
}

/// GET on the endpoint: an event stream or 405.
pub async fn get_stream(client: &Client) -> Finding {
    let rule = match client.era() {
        Era::Session => &rules::GET_STREAM,
        Era::Stateless => &rules::GET_STATELESS,
        Era::Legacy => &rules::GET_STREAM,
    };
    if let Some(why) = not_streamable(client) {
        return not_applicable(rule, why);
    }
    let answer = get(client, Read::Head).await;
    let outcome = match answer {
        Ok(answer)
            if answer.status == 405
                || (answer.status == 200 && answer.kind == BodyKind::EventStream) =>
        {
            Outcome::Passed(answer.describe())
        }
        Ok(answer) => Outcome::Failed(answer.describe()),
        Err(err) => Outcome::Failed(format!("no answer: {err}")),
    };
    Finding::new(rule, outcome)
}

/// The session rules: without the id 400, an unknown id 404.
pub async fn session(client: &Client) -> Vec<Finding> {
    let rules_here = [&rules::SESSION_REQUIRED, &rules::SESSION_UNKNOWN];
    let why = match (client.era(), client.session_id()) {
        _ if not_streamable(client).is_some() => not_streamable(client),
        (Era::Session, Some(_)) => None,
        (Era::Session, None) => Some("the server issued no Mcp-Session-Id"),
        (Era::Stateless, _) => Some("2026-07-28 has no sessions"),
        (Era::Legacy, _) => Some("the 2024-11-05 transport"),
    };
    if let Some(why) = why {
        return rules_here
            .into_iter()
            .map(|rule| not_applicable(rule, why))
            .collect();
    }
    let message = probe_message(client);
    let without = with_header(client, &message, "mcp-session-id", None);
    let unknown = with_header(client, &message, "mcp-session-id", Some(UNKNOWN_SESSION));
    vec![
        status_is(
            &rules::SESSION_REQUIRED,
            post(client, &message, &without).await,
            &[400],
        ),
        status_is(
            &rules::SESSION_UNKNOWN,
            post(client, &message, &unknown).await,
            &[404],
        ),
    ]
}

/// The probe request as the connection sends it: its answer's Content-Type, and the
/// answer itself for the JSON-RPC rule.
pub async fn content_type(client: &Client) -> (Finding, Option<Answer>) {
    if let Some(why) = not_streamable(client) {
        return (not_applicable(&rules::CONTENT_TYPE, why), None);
    }
    let message = probe_message(client);
    let headers = client.probe_headers(&message);
    match post(client, &message, &headers).await {
        Ok(answer) => {
            let outcome = match answer.kind {
                BodyKind::Json | BodyKind::EventStream if answer.status / 100 == 2 => {
                    Outcome::Passed(answer.describe())
                }
                _ => Outcome::Failed(answer.describe()),
            };
            (Finding::new(&rules::CONTENT_TYPE, outcome), Some(answer))
        }
        Err(err) => (
            Finding::new(&rules::CONTENT_TYPE, Outcome::Failed(err)),
            None,
        ),
    }
}

/// The probe request from a foreign `Origin`: 403 (any refusal before 2025-11-25).
pub async fn origin(client: &Client) -> Finding {
    if let Some(why) = not_streamable(client) {
        return not_applicable(&rules::ORIGIN, why);
    }
    let message = probe_message(client);
    let headers = with_header(client, &message, "origin", Some(FOREIGN_ORIGIN));
    let answer = post(client, &message, &headers).await;
    if client.revision() >= "2025-11-25" {
        return status_is(&rules::ORIGIN, answer, &[403]);
    }
    let outcome = match answer {
        Ok(answer) if answer.status / 100 == 4 => Outcome::Passed(answer.describe()),
        Ok(answer) => Outcome::Failed(answer.describe()),
        Err(err) => Outcome::Failed(err),
    };
    Finding::new(&rules::ORIGIN, outcome)
}

/// The probe request at a revision no server speaks: 400.
pub async fn protocol_version(client: &Client) -> Finding {
    if client.era() == Era::Legacy || client.revision() < "2025-06-18" {
        return not_applicable(
            &rules::PROTOCOL_VERSION,
            "the header came with 2025-06-18; this server speaks an older revision",
        );
    }
    // In 2026-07-28 the body's `_meta` carries the same revision as the header.
    let message = client.probe_request(PING_ID, probe_method(client), UNSUPPORTED_REVISION);
    let headers = with_header(
        client,
        &message,
        "mcp-protocol-version",
        Some(UNSUPPORTED_REVISION),
    );
    status_is(
        &rules::PROTOCOL_VERSION,
        post(client, &message, &headers).await,
        &[400],
    )
}

/// A `server/discover` whose `Mcp-Method` says `tools/list`: 400.
pub async fn routing_headers(client: &Client) -> Finding {
    if client.era() != Era::Stateless {
        return not_applicable(
            &rules::ROUTING_HEADERS,
            "the routing headers came with 2026-07-28",
        );
    }
    let message = probe_message(client);
    let headers = with_header(client, &message, "mcp-method", Some("tools/list"));
    status_is(
        &rules::ROUTING_HEADERS,
        post(client, &message, &headers).await,
        &[400],
    )
}

/// DELETE ends the session; its id then gets 404. Run last: it ends the
/// session the other probes use.
pub async fn session_delete(client: &Client) -> Finding {
    if let Some(why) = not_streamable(client) {
        return not_applicable(&rules::SESSION_DELETE, why);
    }
    if client.era() != Era::Session || client.session_id().is_none() {
        return not_applicable(&rules::SESSION_DELETE, "no session was issued");
    }
    let message = probe_message(client);
    let mut headers = client.probe_headers(&message);
    headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case("mcp-method") && !name.eq_ignore_ascii_case("mcp-name")
    });
    let deleted = match client
        .probe(Method::DELETE, &headers, None, Read::ToResponse)
        .await
    {
        Ok(answer) => answer,
        Err(err) => {
            let outcome = Outcome::Failed(format!("DELETE got no answer: {err}"));
            return Finding::new(&rules::SESSION_DELETE, outcome);
        }
    };
    if deleted.status == 405 {
        return not_applicable(
            &rules::SESSION_DELETE,
            "DELETE answered 405: the server does not let clients end sessions",
        );
    }
    if deleted.status / 100 != 2 {
        let outcome = Outcome::Failed(format!("DELETE answered {}", deleted.describe()));
        return Finding::new(&rules::SESSION_DELETE, outcome);
    }
    let after = post(client, &message, &client.probe_headers(&message)).await;
    let outcome = match after {
        Ok(answer) if answer.status == 404 => {
            Outcome::Passed(format!("after DELETE: {}", answer.describe()))
        }
        Ok(answer) => Outcome::Failed(format!("after DELETE: {}", answer.describe())),
        Err(err) => Outcome::Failed(format!("after DELETE: {err}")),
    };
    Finding::new(&rules::SESSION_DELETE, outcome)
}

/// A GET with `Last-Event-ID` set to the first id of the probe request's
/// answer replays only that stream's later events, each once (session era;
/// needs an SSE answer whose events carry ids).
pub async fn replay(client: &Client, ping: Option<&Answer>) -> Finding {
    let rule = &rules::REPLAY;
    if client.era() != Era::Session {
        return not_applicable(
            rule,
            "resumption with Last-Event-ID is a session-era feature",
        );
    }
    let Some(ids) = ping
        .filter(|answer| answer.kind == BodyKind::EventStream)
        .map(|answer| &answer.event_ids)
        .filter(|ids| !ids.is_empty())
    else {
        return not_applicable(rule, "no answer stream carried event ids to resume from");
    };
    let cursor = &ids[0];
    let mut headers = stream_headers(client);
    headers.push(("last-event-id", cursor.clone()));
    let answer = match client
        .probe(Method::GET, &headers, None, Read::Replay)
        .await
    {
        Ok(answer) => answer,
        Err(err) => return Finding::new(rule, Outcome::Failed(format!("no answer: {err}"))),
    };
    if answer.status == 405 || answer.status == 404 {
        let why = format!("the GET was answered {} (no replay offered)", answer.status);
        return not_applicable(rule, &why);
    }
    let after: Vec<&String> = ids.iter().skip(1).collect();
    let mut seen = std::collections::HashSet::new();
    for id in &answer.event_ids {
        let shown = crate::text::one_line(id).to_string();
        if !seen.insert(id) {
            return Finding::new(
                rule,
                Outcome::Failed(format!("event {shown:?} replayed twice")),
            );
        }
        if id == cursor || !after.contains(&id) {
            let why = if ids.contains(id) {
                format!("event {shown:?}, at or before Last-Event-ID {cursor:?}, was replayed")
            } else {
                format!(
                    "event {shown:?} is not one of the resumed stream's ({} ids)",
                    ids.len()
                )
            };
            return Finding::new(rule, Outcome::Failed(why));
        }
    }
    Finding::new(
        rule,
        Outcome::Passed(format!(
            "{} event(s) replayed after {cursor:?}, all of that stream, none twice",
            answer.event_ids.len()
        )),
    )
}

/// An idle GET stream of the session is watched for `idle` (when the user
/// asked for it: it takes that long): keep-alive comments, or any bytes,
/// before it is over. Advice, not the spec's.
pub async fn keep_alive(client: &Client, idle: Option<std::time::Duration>) -> Finding {
    let rule = &rules::KEEP_ALIVE;
    if client.era() != Era::Session {
        return not_applicable(rule, "only the session era's GET stream is watched");
    }
    let Some(idle) = idle else {
        return not_applicable(
            rule,
            "not watched: --mcp-idle SECONDS watches an idle GET stream that long",
        );
    };
    let answer = match get(client, Read::Idle(idle)).await {
        Ok(answer) if answer.status == 200 && answer.kind == BodyKind::EventStream => answer,
        Ok(answer) => {
            let why = format!("no GET stream to watch ({})", answer.describe());
            return not_applicable(rule, &why);
        }
        Err(err) => return not_applicable(rule, &format!("no GET stream to watch: {err}")),
    };
    let outcome = match answer.first_bytes {
        Some(after) => Outcome::Passed(format!(
            "the idle stream sent bytes after {}",
            crate::text::duration(after)
        )),
        None => Outcome::Failed(format!(
            "the idle stream sent nothing for {}",
            crate::text::duration(idle)
        )),
    };
    Finding::new(rule, outcome)
}
