//! The HTTP side of MCP: each POST, GET and DELETE is the user's request
//! (composed by `request::compose`: its headers, auth, proxy and TLS
//! options) with the method, URL, body and MCP headers of the exchange, so
//! no request rule is copied here. Answers are read as a JSON body or as
//! an event stream parsed by our own SSE parser, each event with its raw bytes.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Response, Url};

use super::McpError;
use super::authorize::{self, Authorizer};
use crate::sse::attempt;
use crate::sse::parser::{Item, Parser, ParserConfig};
use crate::sse::session::{self, Credential, Freshness};
use crate::sse::{RequestSpec, client, error};

/// The `Accept` every MCP POST sends: the answer may be JSON or an event stream.
pub const POST_ACCEPT: &str = "application/json, text/event-stream";

/// The largest JSON body read whole: 16 MiB, as an SSE event's cap.
const MAX_JSON_BODY: usize = 16 * 1024 * 1024;

/// What sends the exchanges of one MCP connection (a clone shares its
/// connection pool and credential).
#[derive(Clone)]
pub struct Wire {
    http: reqwest::Client,
    base: RequestSpec,
    /// Shared by the clones: a refresh serves every later exchange.
    credential: Arc<Mutex<Option<Credential>>>,
    /// Where what the user must do for a refreshed credential goes.
    notices: Option<Notices>,
    /// The MCP authorization chain, followed on a 401 when the request
    /// has no credential source of its own.
    authorizer: Arc<Authorizer>,
}

/// What receives a credential source's notices (a URL to open).
pub type Notices = Arc<dyn Fn(&str) + Send + Sync>;

impl Wire {
    /// A wire for `base`, its credential fetched once (a token command, an
    /// OAuth2 grant) for every exchange of the connection; what the user
    /// must do for it (a URL to open) goes to `notice`.
    pub async fn new(base: RequestSpec, notice: &mut dyn FnMut(&str)) -> Result<Self, McpError> {
        let http = client::build(&base.transport, base.connect_timeout)
            .map_err(|err| McpError::Request(err.message))?;
        let credential = match base.session.credentials.clone() {
            None => None,
            Some(source) => {
                source.use_client(&http);
                let fetched = authorize::ask(source.as_ref(), Freshness::Cached, notice).await;
                Some(fetched.map_err(|err| McpError::Request(err.to_string()))?)
            }
        };
        Ok(Self {
            http,
            base,
            credential: Arc::new(Mutex::new(credential)),
            notices: None,
            authorizer: Arc::new(Authorizer::new(authorize::Options::default())),
        })
    }

    /// The wire following the MCP authorization chain with `options`
    /// (where tokens are kept, a client id, whether a browser opens).
    pub fn with_authorization(mut self, options: authorize::Options) -> Self {
        self.authorizer = Arc::new(Authorizer::new(options));
        self
    }

    /// The authorization chain: the steps it followed, for `check --mcp`.
    pub fn authorizer(&self) -> &Authorizer {
        &self.authorizer
    }

    fn notify(&self, note: &str) {
        if let Some(notice) = &self.notices {
            notice(note);
        }
    }

    /// The wire with `notices` receiving what a credential refresh asks of
    /// the user (`new` gave the first fetch's to its own callback).
    pub fn with_notices(mut self, notices: Notices) -> Self {
        self.notices = Some(notices);
        self
    }

    /// The credential in force.
    fn credential(&self) -> Option<Credential> {
        self.credential
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// `text` with the credential in force masked: a server may echo it.
    fn scrubbed(&self, text: &str) -> String {
        let secrets: Vec<String> = self
            .credential()
            .map(|c| vec![c.secret, c.value])
            .unwrap_or_default();
        crate::sse::redact::text(text, &secrets)
    }

    /// A new credential from the source, after the server rejected the one
    /// in force (`Freshness::Rejected`, as the SSE connection asks).
    async fn refresh(&self) -> Result<(), McpError> {
        let Some(source) = self.base.session.credentials.clone() else {
            return Ok(());
        };
        let fetched = authorize::ask(source.as_ref(), Freshness::Rejected, |note| {
            self.notify(note)
        })
        .await;
        let fresh = fetched.map_err(|err| McpError::Request(err.to_string()))?;
        *self
            .credential
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(fresh);
        Ok(())
    }

    /// The URL the user gave.
    pub fn url(&self) -> &Url {
        &self.base.url
    }

    /// Sends one exchange: `method` to `url` with `body` (JSON) and the MCP
    /// `headers` over the user's. The response head is awaited for at most
    /// the connect timeout. A 401 or 403 to a credential from a source (a
    /// token command, an OAuth2 grant) gets a new one and the exchange is
    /// sent again, once; a second rejection is an error naming the source.
    /// A 401 to a request without a credential source starts the MCP
    /// authorization chain ([`authorize`]) instead.
    pub async fn send(
        &self,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, McpError> {
        let sent = self.credential();
        let response = self
            .send_once(method.clone(), url, headers, body.clone())
            .await?;
        if !is_rejection(response.status()) {
            return Ok(response);
        }
        if self.base.session.credentials.is_none() {
            return self
                .authorized(response, sent, method, url, headers, body)
                .await;
        }
        drop(response);
        self.refresh().await?;
        let again = self.send_once(method.clone(), url, headers, body).await?;
        if !is_rejection(again.status()) {
            return Ok(again);
        }
        Err(McpError::Status {
            what: format!(
                "{method} {}: the credentials from {} were rejected again after a refresh (check them, or the account's access)",
                crate::sse::redact::url(url, &self.base.secret_overrides),
                self.base.session.describe()
            ),
            status: again.status().as_u16(),
            preview: self.scrubbed(&preview(again).await),
        })
    }

    async fn send_once(
        &self,
        method: Method,
        url: &Url,
        headers: &[(&str, String)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, McpError> {
        let mut spec = self.base.clone();
        let user_accept = spec
            .headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("accept"));
        if body.is_some() {
            spec.headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
            spec.headers
                .push(("Content-Type".into(), "application/json".into()));
        }
        spec.method = method.clone();
        spec.url = url.clone();
        spec.body = body;
        let mut prepared =
            attempt::prepare(&spec, "").map_err(|err| McpError::Request(err.message))?;
        if method == Method::POST && !user_accept {
            prepared
                .headers
                .insert("accept", HeaderValue::from_static(POST_ACCEPT));
        }
        for (name, value) in headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| McpError::Request(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                McpError::Request(format!("the {name} value cannot be a header value"))
            })?;
            prepared.headers.insert(name, value);
        }
        session::apply(
            &mut prepared.headers,
            &prepared.url,
            self.credential().as_ref(),
            self.base.session.cookies.as_ref(),
        )
        .map_err(|err| McpError::Request(err.message))?;
        let mut builder = self
            .http
            .request(prepared.method, prepared.url.clone())
            .headers(prepared.headers);
        if let Some(body) = prepared.body {
            builder = builder.body(body);
        }
        let timeout = self.base.connect_timeout;
        let response = tokio::time::timeout(timeout, builder.send())
            .await
            .map_err(|_| {
                McpError::Network(format!(
                    "{method} {}: no answer within the {}s connect timeout",
                    crate::sse::redact::url(url, &self.base.secret_overrides),
                    timeout.as_secs_f64()
                ))
            })?
            .map_err(|err| {
                McpError::Network(format!(
                    "{method} {}: {}",
                    crate::sse::redact::url(url, &self.base.secret_overrides),
                    error::detail(&err)
                ))
            })?;
        if let Some(jar) = &self.base.session.cookies {
            session::store(jar, response.url(), response.headers());
        }
        Ok(response)
    }
}

/// 401 or 403: the credential was refused.
fn is_rejection(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 401 | 403)
}

/// What kind of body an answer has, by its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Json,
    EventStream,
    Other,
}

/// The kind of `headers`' body.
pub fn body_kind(headers: &HeaderMap) -> BodyKind {
    let content_type = headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if attempt::is_event_stream(content_type) {
        BodyKind::EventStream
    } else if essence == "application/json" || essence.ends_with("+json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

/// A whole body, at most 16 MiB of it.
pub async fn read_body(mut response: Response) -> Result<Vec<u8>, McpError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| McpError::Network(format!("reading the answer: {}", error::detail(&err))))?
    {
        if body.len() + chunk.len() > MAX_JSON_BODY {
            return Err(McpError::Protocol(
                "the answer's body is over 16 MiB".into(),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The first bytes of a body that was not what was expected, for a message.
pub async fn preview(response: Response) -> String {
    match tokio::time::timeout(Duration::from_secs(2), read_body(response)).await {
        Ok(Ok(body)) => String::from_utf8_lossy(&body[..body.len().min(1024)]).into_owned(),
        _ => String::new(),
    }
}

/// One event of a stream, as the parser dispatched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamEvent {
    /// The `event:` field, `message` when none was set.
    pub event: String,
    pub data: String,
    /// The id the event's own block set, if any.
    pub id: Option<String>,
    /// The event's lines exactly as received.
    pub raw: Vec<u8>,
    /// On the first event after the stream was resumed: the
    /// `Last-Event-ID` it was resumed with.
    pub resumed_after: Option<String>,
    /// With `resumed_after`: the `retry:` the stream had set before it
    /// ended (`None`: none; the wait was the default).
    pub resumed_retry: Option<Duration>,
}

/// What a read gave, in stream order.
enum Ready {
    Event(StreamEvent),
    /// An id and a `retry:` an item set.
    Note(Option<String>, Option<u64>),
}

/// Reads an event stream's body event by event.
pub struct EventReader {
    response: Response,
    parser: Parser,
    /// The bytes from stream offset `kept_from` on: what the next items may be made of.
    kept: Vec<u8>,
    kept_from: u64,
    /// Parsed, not yet given: events, and the ids and `retry:`s that came
    /// with them, noted as they are given (so `last_id` is the id in force
    /// after the last event given, not after the last one parsed).
    ready: VecDeque<Ready>,
    /// The last event ID the stream set (by an event or an id-only block:
    /// a priming event), `None` while none was set or after an empty `id:`.
    last_id: Option<String>,
    /// The reconnection time the stream's last `retry:` field set.
    retry: Option<Duration>,
}

impl EventReader {
    pub fn new(response: Response) -> Self {
        Self {
            response,
            parser: Parser::new(ParserConfig::default()),
            kept: Vec::new(),
            kept_from: 0,
            ready: VecDeque::new(),
            last_id: None,
            retry: None,
        }
    }

    /// The last event ID the stream set: what `Last-Event-ID` resumes from.
    pub fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref()
    }

    /// The reconnection time the server asked for with `retry:`, if it did.
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Notes the id and `retry:` an item set (WHATWG SSE: an empty `id:`
    /// resets the last event ID, after which none is sent).
    fn note(&mut self, id: Option<&str>, retry_ms: Option<u64>) {
        if let Some(id) = id {
            self.last_id = (!id.is_empty()).then(|| id.to_owned());
        }
        if let Some(ms) = retry_ms {
            self.retry = Some(Duration::from_millis(ms));
        }
    }

    /// The next event, `None` once the stream ended. Comment, id-only and
    /// retry-only blocks (keep-alives, priming events) carry no message and
    /// are passed over.
    pub async fn next(&mut self) -> Result<Option<StreamEvent>, McpError> {
        loop {
            match self.ready.pop_front() {
                Some(Ready::Event(event)) => return Ok(Some(event)),
                Some(Ready::Note(id, retry_ms)) => {
                    self.note(id.as_deref(), retry_ms);
                    continue;
                }
                None => {}
            }
            let chunk = self.response.chunk().await.map_err(|err| {
                McpError::Network(format!("the event stream broke: {}", error::detail(&err)))
            })?;
            let Some(chunk) = chunk else {
                return Ok(None);
            };
            self.kept.extend_from_slice(&chunk);
            let mut items: Vec<Item> = Vec::new();
            self.parser
                .feed_bytes(&chunk, &mut items)
                .map_err(|err| McpError::Protocol(format!("the event stream: {err}")))?;
            let mut last_end = None;
            for item in items {
                last_end = Some(item.raw().end);
                let note = match &item {
                    Item::Event(event) => {
                        (event.sets_id.then(|| event.id.to_string()), event.retry_ms)
                    }
                    Item::Block(block) => {
                        (block.id.as_ref().map(|id| id.to_string()), block.retry_ms)
                    }
                };
                if note.0.is_some() || note.1.is_some() {
                    self.ready.push_back(Ready::Note(note.0, note.1));
                }
                if let Item::Event(event) = item {
                    let start = usize::try_from(event.raw.start.saturating_sub(self.kept_from))
                        .unwrap_or(usize::MAX);
                    let end = usize::try_from(event.raw.end.saturating_sub(self.kept_from))
                        .unwrap_or(usize::MAX);
                    let raw = self.kept.get(start..end).unwrap_or_default().to_vec();
                    self.ready.push_back(Ready::Event(StreamEvent {
                        event: event.event_type().to_owned(),
                        data: event.data.to_string(),
                        id: event.sets_id.then(|| event.id.to_string()),
                        raw,
                        resumed_after: None,
                        resumed_retry: None,
                    }));
                }
            }
            if let Some(end) = last_end {
                let drop = usize::try_from(end.saturating_sub(self.kept_from))
                    .unwrap_or(usize::MAX)
                    .min(self.kept.len());
                self.kept.drain(..drop);
                self.kept_from += drop as u64;
            }
        }
    }
}

mod authorized;
#[cfg(test)]
mod tests;
