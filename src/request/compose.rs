//! Layering [`Overrides`] into one [`RequestSpec`], and the checks every
//! request passes before it exists.

use super::header::{self, HeaderError};
use super::{Body, ContentType, Overrides, default_method};
use crate::sse::request::{
    Auth, DEFAULT_MAX_RETRY_DELAY, DEFAULT_RETRY_DELAY, RequestSpec, RetryOptions,
};

/// Why the layers make no request. Names the field, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// No layer gave a URL.
    #[error("a URL is required")]
    NoUrl,
    #[error(transparent)]
    Header(#[from] HeaderError),
    #[error("a Basic user name cannot contain ':'")]
    BasicUser,
}

/// The request `layers` describe, lowest first. Each layer gives what it
/// says, field by field (headers name by name), over the layers before it.
/// The order every caller keeps:
///
/// 1. the caller's defaults (`print` and `check` give up after 5 failed attempts);
/// 2. the settings (`[settings]`: default headers, retry delays, secret names);
/// 3. a profile, or a curl command (`--profile`, `--from-curl`);
/// 4. the command line.
///
/// What no layer says takes the built-in default. The method is the last
/// one given, else [`default_method`] of the body the request ends up
/// with; the reconnect policy is the last one given, else the method's
/// default. Every header, the credentials' header and the Last-Event-ID
/// are checked by the header rule.
pub fn compose(layers: impl IntoIterator<Item = Overrides>) -> Result<RequestSpec, RequestError> {
    let mut all = Overrides::default();
    for layer in layers {
        merge(&mut all, id_from_headers(layer));
    }
    let url = all.url.ok_or(RequestError::NoUrl)?;
    let method = all
        .method
        .unwrap_or_else(|| default_method(all.body.is_some()));
    let mut spec = RequestSpec::new(method, url);
    if let Some(policy) = all.reconnect {
        spec.reconnect = policy;
        spec.reconnect_explicit = true;
    }
    spec.headers = all.headers;
    if let Some(Body {
        bytes,
        content_type,
    }) = all.body
    {
        let is_type = |n: &String| n.eq_ignore_ascii_case("content-type");
        match content_type {
            ContentType::AsGiven => {}
            ContentType::Default(kind) => {
                if !spec.headers.iter().any(|(n, _)| is_type(n)) {
                    spec.headers.push(("Content-Type".into(), kind));
                }
            }
            ContentType::Replace(kind) => {
                spec.headers.retain(|(n, _)| !is_type(n));
                spec.headers.push(("Content-Type".into(), kind));
            }
        }
        spec.body = Some(bytes);
    }
    spec.auth = all.auth.unwrap_or_default();
    spec.session = all.session;
    spec.last_event_id = all.last_event_id.unwrap_or_default();
    spec.retry = RetryOptions {
        initial_delay: all.retry_delay.unwrap_or(DEFAULT_RETRY_DELAY),
        max_delay: all.max_retry_delay.unwrap_or(DEFAULT_MAX_RETRY_DELAY),
        max_retries: all.max_retries,
        retry_statuses: all.retry_statuses.unwrap_or_default(),
    };
    if let Some(timeout) = all.connect_timeout {
        spec.connect_timeout = timeout;
    }
    spec.idle_timeout = all.idle_timeout;
    if let Some(size) = all.max_event_size {
        spec.max_event_size = size;
    }
    if let Some(n) = all.max_redirects {
        spec.max_redirects = n;
    }
    if let Some(protocol) = all.protocol.clone() {
        spec.protocol = protocol;
    }
    if let Some(format) = all.body_format {
        spec.body_format = format;
    }
    let t = &mut spec.transport;
    t.http_version = all.http_version.unwrap_or_default();
    t.proxy = all.proxy;
    t.ca_certs = all.ca_certs;
    t.client_cert = all.client_cert;
    t.insecure = all.insecure;
    t.compressed = all.compressed;
    spec.secret_headers = all.secret_headers;
    spec.secret_overrides = all.secret_names.unwrap_or_default();
    check(&spec)?;
    Ok(spec)
}

/// A layer's `Last-Event-ID` header as its initial id (its own
/// `last_event_id`, if it gives one, wins).
fn id_from_headers(mut layer: Overrides) -> Overrides {
    let mut from_header = None;
    layer.headers.retain(|(name, value)| {
        let is_id = name.eq_ignore_ascii_case("last-event-id");
        if is_id {
            from_header = Some(value.clone());
        }
        !is_id
    });
    layer.last_event_id = layer.last_event_id.or(from_header);
    layer
}

/// `upper` over `all`.
fn merge(all: &mut Overrides, upper: Overrides) {
    fn over<T>(field: &mut Option<T>, upper: Option<T>) {
        if upper.is_some() {
            *field = upper;
        }
    }
    over(&mut all.url, upper.url);
    over(&mut all.method, upper.method);
    all.headers.retain(|(name, _)| {
        !upper
            .headers
            .iter()
            .any(|(given, _)| given.eq_ignore_ascii_case(name))
    });
    all.headers.extend(upper.headers);
    over(&mut all.body, upper.body);
    if upper.auth.is_some() {
        all.session.credentials = None;
    }
    if upper.session.credentials.is_some() {
        all.auth = None;
        all.session.credentials = upper.session.credentials;
    }
    over(&mut all.session.cookies, upper.session.cookies);
    over(&mut all.auth, upper.auth);
    over(&mut all.last_event_id, upper.last_event_id);
    over(&mut all.reconnect, upper.reconnect);
    over(&mut all.retry_delay, upper.retry_delay);
    over(&mut all.max_retry_delay, upper.max_retry_delay);
    over(&mut all.max_retries, upper.max_retries);
    over(&mut all.retry_statuses, upper.retry_statuses);
    over(&mut all.connect_timeout, upper.connect_timeout);
    over(&mut all.idle_timeout, upper.idle_timeout);
    over(&mut all.max_event_size, upper.max_event_size);
    over(&mut all.max_redirects, upper.max_redirects);
    over(&mut all.body_format, upper.body_format);
    over(&mut all.protocol, upper.protocol);
    over(&mut all.http_version, upper.http_version);
    over(&mut all.proxy, upper.proxy);
    if !upper.ca_certs.is_empty() {
        all.ca_certs = upper.ca_certs;
    }
    over(&mut all.client_cert, upper.client_cert);
    all.insecure |= upper.insecure;
    all.compressed |= upper.compressed;
    all.secret_headers.extend(upper.secret_headers);
    over(&mut all.secret_names, upper.secret_names);
}

/// The header rule over everything that becomes a header.
fn check(spec: &RequestSpec) -> Result<(), RequestError> {
    for (name, value) in &spec.headers {
        header::check(name, value)?;
    }
    if let Auth::Basic { user, .. } = &spec.auth
        && user.contains(':')
    {
        return Err(RequestError::BasicUser);
    }
    if let Some(auth) = spec.auth.header() {
        header::check(&auth.name, &auth.value)?;
    }
    header::check_value("Last-Event-ID", &spec.last_event_id)?;
    Ok(())
}
