//! The `WWW-Authenticate: Bearer` challenge of a 401 (RFC 6750 §3, RFC
//! 9728 §5.1): its `resource_metadata`, `scope` and `error` parameters.
//! MCP: "MCP clients MUST be able to parse `WWW-Authenticate` headers".

use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};

/// What a Bearer challenge asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Challenge {
    /// Whether a `Bearer` challenge was there at all.
    pub bearer: bool,
    /// Where the Protected Resource Metadata is (RFC 9728 §5.1).
    pub resource_metadata: Option<String>,
    /// The scopes the request needs: "authoritative for satisfying the
    /// current request" (MCP, "Protected Resource Metadata Discovery").
    pub scope: Option<String>,
    /// `invalid_token`, `insufficient_scope`…
    pub error: Option<String>,
}

impl Challenge {
    /// The first Bearer challenge of every `WWW-Authenticate` header.
    pub fn from_headers(headers: &HeaderMap) -> Self {
        headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(Self::parse)
            .find(|c| c.bearer)
            .unwrap_or_default()
    }

    /// One header's value: challenges (`Scheme param=value, …`) one after
    /// another; the Bearer one's parameters are read, quoted or not.
    pub fn parse(value: &str) -> Self {
        let mut found = Self::default();
        let mut in_bearer = false;
        for (name, param) in tokens(value) {
            match param {
                // A scheme starts a challenge.
                None => {
                    if found.bearer {
                        break;
                    }
                    in_bearer = name.eq_ignore_ascii_case("bearer");
                    found.bearer = in_bearer;
                }
                Some(param) if in_bearer => match name.to_ascii_lowercase().as_str() {
                    "resource_metadata" => found.resource_metadata = Some(param),
                    "scope" => found.scope = Some(param).filter(|s| !s.trim().is_empty()),
                    "error" => found.error = Some(param),
                    _ => {}
                },
                Some(_) => {}
            }
        }
        found
    }
}

/// The value as (scheme, None) and (name, Some(value)) items.
fn tokens(value: &str) -> Vec<(String, Option<String>)> {
    let chars: Vec<char> = value.chars().collect();
    let mut out = Vec::new();
    let mut at = 0;
    let skip = |at: &mut usize, f: &dyn Fn(char) -> bool| {
        while *at < chars.len() && f(chars[*at]) {
            *at += 1;
        }
    };
    loop {
        skip(&mut at, &|c| c == ' ' || c == '\t' || c == ',');
        if at >= chars.len() {
            return out;
        }
        let start = at;
        skip(&mut at, &|c| !matches!(c, ' ' | '\t' | ',' | '='));
        let name: String = chars[start..at].iter().collect();
        skip(&mut at, &|c| c == ' ' || c == '\t');
        if at < chars.len() && chars[at] == '=' {
            at += 1;
            skip(&mut at, &|c| c == ' ' || c == '\t');
            let mut text = String::new();
            if at < chars.len() && chars[at] == '"' {
                at += 1;
                while at < chars.len() && chars[at] != '"' {
                    if chars[at] == '\\' && at + 1 < chars.len() {
                        at += 1;
                    }
                    text.push(chars[at]);
                    at += 1;
                }
                at += 1;
            } else {
                let from = at;
                skip(&mut at, &|c| c != ',' && c != ' ' && c != '\t');
                text = chars[from..at].iter().collect();
            }
            out.push((name, Some(text)));
        } else if !name.is_empty() {
            // A scheme (or another scheme's token68 data: not Bearer either way).
            out.push((name, None));
        } else {
            at += 1;
        }
    }
}
