//! The picker of the built-in demo's endpoints, offered when the UI started the
//! demo itself: any of them is one keystroke away. Its entries are the demo
//! server's catalogue's ([`PICKS`]).

use reqwest::Url;

use crate::demo_server::PICKS;
use crate::sse::RequestSpec;

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
        let last = PICKS.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// The request for the selected entry (`Pick::request`) and its path
    /// and query.
    pub fn request(&self) -> (RequestSpec, String) {
        let pick = &PICKS[self.selected.min(PICKS.len() - 1)];
        (pick.request(&self.base), pick.target())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_server::DEMO_BEARER_TOKEN;
    use crate::sse::{Auth, BodyFormat};

    #[test]
    fn each_endpoint_makes_a_request_on_the_demo() {
        let mut picker = DemoPicker::new("http://127.0.0.1:9/".parse().unwrap());
        let mut seen = Vec::new();
        for i in 0..PICKS.len() {
            picker.selected = i;
            let (spec, path) = picker.request();
            assert!(
                spec.url.as_str().starts_with("http://127.0.0.1:9/"),
                "{}",
                spec.url
            );
            seen.push((spec.method.to_string(), path));
        }
        assert_eq!(seen[0], ("POST".to_owned(), "/chat".to_owned()));
        assert_eq!(seen[1], ("GET".to_owned(), "/clock".to_owned()));
        picker.selected = 4;
        assert_eq!(
            picker.request().0.auth,
            Auth::Bearer(DEMO_BEARER_TOKEN.into())
        );
        picker.move_by(100);
        assert_eq!(picker.selected, PICKS.len() - 1);
        assert_eq!(picker.request().1, "/mcp-legacy");
        // The MCP connections come before the hand-made MCP requests.
        picker.selected = PICKS.len() - 4;
        let (mcp, path) = picker.request();
        assert_eq!(path, "/mcp");
        assert!(mcp.protocol.is_mcp());
        picker.selected = PICKS.len() - 5;
        let (reasoning, path) = picker.request();
        assert_eq!(path, "/chat?reasoning=1");
        assert_eq!(reasoning.body_format, BodyFormat::EventStream);
        picker.selected = PICKS.len() - 6;
        let (ollama, path) = picker.request();
        assert_eq!(path, "/chat?format=ollama");
        assert_eq!(ollama.body_format, BodyFormat::Ndjson);
        picker.move_by(-100);
        assert_eq!(picker.selected, 0);
    }
}
