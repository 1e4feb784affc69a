//! The picker of the built-in demo's endpoints, offered when the UI started the
//! demo itself: any of them is one keystroke away.

use reqwest::{Method, Url};

use crate::demo_server::{CHAT_SAMPLE_BODY, DEMO_BEARER_TOKEN};
use crate::sse::{Auth, BodyFormat, RequestSpec};

/// One demo endpoint as the picker lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoEndpoint {
    /// Path and query, relative to the demo's base URL.
    pub path: &'static str,
    pub about: &'static str,
    /// How its body is read.
    pub body_format: BodyFormat,
}

/// The endpoints in the order listed.
pub const DEMO_ENDPOINTS: &[DemoEndpoint] = &[
    DemoEndpoint {
        path: "/chat",
        about: "POST: an LLM token stream ending with [DONE]",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/clock",
        about: "a tick every second with ids; resumes after Last-Event-ID",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/logs",
        about: "info / warn / error events, some multi-line",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/metrics",
        about: "a JSON object of changing numbers every 500 ms",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/protected",
        about: "needs credentials (sent: Bearer token)",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/flaky?retry=1000",
        about: "drops the connection every few events, then resumes",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/chat?error=1",
        about: "POST: fails mid-stream with event: error",
        body_format: BodyFormat::EventStream,
    },
    DemoEndpoint {
        path: "/chat?format=ollama",
        about: "POST: the answer as Ollama's NDJSON, read as NDJSON",
        body_format: BodyFormat::Ndjson,
    },
];

/// The picker: where the demo runs and which row is selected (whether it
/// is open: `Overlay::Demo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPicker {
    pub base: Url,
    pub selected: usize,
}

impl DemoPicker {
    pub fn new(base: Url) -> Self {
        Self { base, selected: 0 }
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = DEMO_ENDPOINTS.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The request for the selected endpoint: chat as a POST with the sample
    /// body, protected with the demo's bearer token, the rest plain GETs;
    /// each body read as the endpoint's format.
    pub fn request(&self) -> (RequestSpec, &'static str) {
        let endpoint = DEMO_ENDPOINTS[self.selected.min(DEMO_ENDPOINTS.len() - 1)];
        let url = self
            .base
            .join(endpoint.path)
            .unwrap_or_else(|_| self.base.clone());
        let mut spec = if endpoint.path.starts_with("/chat") {
            let mut spec = RequestSpec::new(Method::POST, url);
            spec.headers
                .push(("Content-Type".into(), "application/json".into()));
            spec.body = Some(CHAT_SAMPLE_BODY.as_bytes().to_vec());
            spec
        } else {
            RequestSpec::get(url)
        };
        if endpoint.path.starts_with("/protected") {
            spec.auth = Auth::Bearer(DEMO_BEARER_TOKEN.into());
        }
        spec.body_format = endpoint.body_format;
        (spec, endpoint.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_endpoint_makes_a_request_on_the_demo() {
        let mut picker = DemoPicker::new("http://127.0.0.1:9/".parse().unwrap());
        let mut seen = Vec::new();
        for i in 0..DEMO_ENDPOINTS.len() {
            picker.selected = i;
            let (spec, path) = picker.request();
            assert!(
                spec.url.as_str().starts_with("http://127.0.0.1:9/"),
                "{}",
                spec.url
            );
            seen.push((spec.method.to_string(), path));
        }
        assert_eq!(seen[0], ("POST".to_owned(), "/chat"));
        assert_eq!(seen[1], ("GET".to_owned(), "/clock"));
        picker.selected = 4;
        assert_eq!(
            picker.request().0.auth,
            Auth::Bearer(DEMO_BEARER_TOKEN.into())
        );
        picker.move_by(100);
        assert_eq!(picker.selected, DEMO_ENDPOINTS.len() - 1);
        let (ollama, path) = picker.request();
        assert_eq!(path, "/chat?format=ollama");
        assert_eq!(ollama.body_format, BodyFormat::Ndjson);
        picker.move_by(-100);
        assert_eq!(picker.selected, 0);
    }
}
