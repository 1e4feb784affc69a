//! Faults in front of a router: every `text/event-stream` response it gives
//! goes through the engine, with the server's faults and those the request's
//! query names over them; the fault parameters are taken out of the query
//! before the endpoint sees it. Other responses pass untouched.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::Response;

use super::{Ending, FAULTS_HEADER, Faults, LastEventIdMode, QUERY_NAMES, ReconnectStatus};
use crate::server::{Log, ResetSwitch};

/// What the faults of one server share across its connections.
pub struct FaultState {
    /// The server's own faults (`serve`'s flags).
    base: Faults,
    /// Whether a request's query may name faults (the demo's and the replay's
    /// own endpoints); a tap passes its clients' queries on untouched.
    from_query: bool,
    /// The answer owed to the next stream request after a cut or reset.
    owed: Mutex<Option<ReconnectStatus>>,
    log: Log,
}

impl FaultState {
    pub fn new(base: Faults, log: Log) -> Arc<Self> {
        Arc::new(Self {
            base,
            from_query: true,
            owed: Mutex::new(None),
            log,
        })
    }

    /// [`FaultState::new`] for a proxy: only `base` applies, and every
    /// request's query goes on as the client wrote it.
    pub fn flags_only(base: Faults, log: Log) -> Arc<Self> {
        Arc::new(Self {
            base,
            from_query: false,
            owed: Mutex::new(None),
            log,
        })
    }

    /// The server's own faults.
    pub fn base(&self) -> &Faults {
        &self.base
    }

    fn take_owed(&self) -> Option<ReconnectStatus> {
        self.owed.lock().map_or(None, |mut owed| owed.take())
    }

    fn owe(&self, status: ReconnectStatus) {
        if let Ok(mut owed) = self.owed.lock() {
            *owed = Some(status);
        }
    }
}

/// `router` with faults applied to its event streams.
pub fn layer(router: Router, state: Arc<FaultState>) -> Router {
    router.layer(axum::middleware::from_fn_with_state(state, faulted))
}

async fn faulted(
    State(state): State<Arc<FaultState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let query = request.uri().query().unwrap_or("").to_owned();
    let mut faults = if state.from_query {
        match state.base.with_query(&query) {
            Ok(faults) => faults,
            Err(message) => return bad_request(&message),
        }
    } else {
        state.base.clone()
    };
    if state.from_query
        && let Some(uri) = without_fault_parameters(request.uri(), &query)
    {
        *request.uri_mut() = uri;
    }
    if faults.last_event_id == Some(LastEventIdMode::Ignore) {
        request.headers_mut().remove("last-event-id");
    }
    let reset = request.extensions().get::<ResetSwitch>().cloned();
    // For the log, a terminal: the path is the client's text.
    let what = crate::text::one_line(format!("{} {}", request.method(), request.uri().path()));
    let response = next.run(request).await;
    if !crate::sse::attempt::announces_event_stream(response.headers()) {
        return response;
    }
    if let Some(owed) = state.take_owed() {
        (state.log)(&format!(
            "faults: {what} answered {owed} after the cut (reconnect-status)"
        ));
        // What the inner layers attached stays with the answer that
        // replaces their response: the tap's watcher finds the exchange
        // there and lists it (without it the 503 passed unseen).
        let mut answer = reconnect_status(owed);
        *answer.extensions_mut() = response.into_parts().0.extensions;
        return answer;
    }
    if !faults.is_active() {
        return response;
    }
    faults.choose_seed();
    let described = faults.describe();
    (state.log)(&format!("faults: {what}: {described}"));
    let (mut parts, body) = response.into_parts();
    let owed = faults.reconnect_status;
    let gzip = faults.gzip;
    let on_end = {
        let state = Arc::clone(&state);
        move |ending: Ending| {
            if let (Some(owed), Ending::Cut | Ending::Reset) = (owed, ending) {
                state.owe(owed);
            }
        }
    };
    let stream = super::apply(faults, body.into_data_stream(), reset, on_end);
    let headers = &mut parts.headers;
    headers.remove(CONTENT_LENGTH);
    if gzip {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if let Ok(value) = HeaderValue::from_str(&described) {
        headers.insert(FAULTS_HEADER, value);
    }
    Response::from_parts(parts, Body::from_stream(stream))
}

/// `uri` with the fault parameters taken out of its query; `None` when it has none.
fn without_fault_parameters(uri: &Uri, query: &str) -> Option<Uri> {
    let is_fault = |name: &str| QUERY_NAMES.contains(&name.replace('_', "-").as_str());
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    if !pairs.iter().any(|(name, _)| is_fault(name)) {
        return None;
    }
    let kept: Vec<&(String, String)> = pairs.iter().filter(|(n, _)| !is_fault(n)).collect();
    let mut path_and_query = uri.path().to_owned();
    if !kept.is_empty() {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept.iter().map(|(n, v)| (n, v)))
            .finish();
        path_and_query.push('?');
        path_and_query.push_str(&query);
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = path_and_query.parse().ok();
    Uri::from_parts(parts).ok()
}

fn bad_request(message: &str) -> Response {
    text(
        StatusCode::BAD_REQUEST,
        format!("400 Bad Request: {message}\n"),
    )
}

/// The answer after a cut: the status, with `Retry-After` when one was given.
fn reconnect_status(owed: ReconnectStatus) -> Response {
    let status = StatusCode::from_u16(owed.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = text(
        status,
        format!("{status}: answered on purpose after a cut (--reconnect-status {owed})\n"),
    );
    if let Some(secs) = owed.retry_after_secs {
        response
            .headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    response
        .headers_mut()
        .insert(FAULTS_HEADER, HeaderValue::from_static("reconnect-status"));
    response
}

fn text(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
