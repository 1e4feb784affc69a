//! The catalogue ([`super::catalogue`]) written out for people: the banner
//! `ssetui serve` prints and its `--help`; the index page is `index.rs`.

use std::fmt::Write as _;

use super::catalogue::ENDPOINTS;
use super::{
    DEMO_API_KEY, DEMO_API_KEY_HEADER, DEMO_API_KEY_QUERY, DEMO_BASIC_PASSWORD, DEMO_BASIC_USER,
    DEMO_BEARER_TOKEN,
};

/// The width `--help` keeps to.
const HELP_WIDTH: usize = 80;
/// Where an endpoint's description starts in `--help`.
const HELP_INDENT: usize = 15;

/// The endpoints, their query parameters and the demo credentials, for
/// `ssetui serve --help`.
pub fn endpoints_help() -> String {
    let mut out = String::from(
        "Endpoints (streams are text/event-stream; unknown or bad parameters get a 400):\n",
    );
    for doc in ENDPOINTS {
        let about = match doc.methods {
            "GET" => doc.summary.to_owned(),
            methods => format!("{methods}: {}", doc.summary),
        };
        let words: Vec<String> = about.split(' ').map(str::to_owned).collect();
        // A path too long for its column gets a line of its own.
        let first = if doc.path.len() < HELP_INDENT - 2 {
            format!("  {:<w$}", doc.path, w = HELP_INDENT - 2)
        } else {
            let _ = writeln!(out, "  {}", doc.path);
            " ".repeat(HELP_INDENT)
        };
        wrap(&mut out, &first, &words, " ");
        let params: Vec<String> = doc.params.iter().map(|(p, _)| format!("?{p}")).collect();
        if !params.is_empty() {
            wrap(&mut out, &" ".repeat(HELP_INDENT), &params, "  ");
        }
    }
    let _ = write!(
        out,
        "  (what each parameter does: the index page, /)\n\
         \x20 Every stream also takes the Faults above as parameters, e.g.\n\
         \x20 /clock?count=5&split=1&cut=mid-event:3\n\n\
         Demo credentials for /protected (any one works):\n{}",
        credentials()
    );
    out
}

/// `items` joined by `sep` after `first`, in lines of at most
/// [`HELP_WIDTH`] columns, the next ones indented by [`HELP_INDENT`].
fn wrap(out: &mut String, first: &str, items: &[String], sep: &str) {
    let mut line = first.to_owned();
    let mut empty = true;
    for item in items {
        if !empty && line.len() + sep.len() + item.len() > HELP_WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = " ".repeat(HELP_INDENT);
            empty = true;
        }
        if !empty {
            line.push_str(sep);
        }
        line.push_str(item);
        empty = false;
    }
    out.push_str(&line);
    out.push('\n');
}

/// The demo credentials as indented lines, for the banner.
pub(crate) fn credentials() -> String {
    format!(
        "  Authorization: Bearer {DEMO_BEARER_TOKEN}\n\
         \x20 Basic auth user {DEMO_BASIC_USER:?}, password {DEMO_BASIC_PASSWORD:?}\n\
         \x20 {DEMO_API_KEY_HEADER}: {DEMO_API_KEY}\n\
         \x20 ?{DEMO_API_KEY_QUERY}={DEMO_API_KEY}\n"
    )
}

/// What `ssetui serve` prints once listening; `base` is the server's URL.
pub fn banner(base: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut out = format!("ssetui demo SSE server listening on {base}/\n\nEndpoints:\n");
    let path_width = ENDPOINTS
        .iter()
        .map(|doc| doc.path.len())
        .max()
        .unwrap_or(0);
    for doc in ENDPOINTS {
        let url = format!("{base}{}", doc.path);
        let _ = writeln!(
            out,
            "  {url:<width$}  {}",
            doc.summary,
            width = base.len() + path_width
        );
    }
    let _ = write!(
        out,
        "\nDemo credentials for /protected (any one works):\n{}\n\
         Try:\n  ssetui print {base}/clock\n  ssetui print '{base}/protected?{DEMO_API_KEY_QUERY}={DEMO_API_KEY}'\n\n\
         Open {base}/ in a browser for query parameters. Press Ctrl-C to stop.\n",
        credentials()
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_endpoint_and_parameter_within_80_columns() {
        let help = endpoints_help();
        for doc in ENDPOINTS {
            assert!(
                help.contains(&format!("\n  {} ", doc.path))
                    || help.contains(&format!("\n  {}\n", doc.path)),
                "{}",
                doc.path
            );
            for (param, _) in doc.params {
                assert!(help.contains(&format!("?{param}")), "{param}");
            }
        }
        for secret in [
            DEMO_BEARER_TOKEN,
            DEMO_BASIC_USER,
            DEMO_BASIC_PASSWORD,
            DEMO_API_KEY,
        ] {
            assert!(help.contains(secret));
        }
        assert!(
            help.lines().all(|l| l.chars().count() <= HELP_WIDTH),
            "{help}"
        );
        assert!(
            help.contains(
                "  /chat        POST or GET: an LLM token stream in OpenAI's chunk format, then\n               [DONE]\n"
            ),
            "{help}"
        );
    }

    #[test]
    fn banner_lists_full_urls() {
        let banner = banner("http://127.0.0.1:8900/");
        assert!(banner.contains("http://127.0.0.1:8900/clock  "));
        assert!(banner.contains("ssetui print http://127.0.0.1:8900/clock\n"));
        assert!(banner.contains(DEMO_BEARER_TOKEN));
    }
}
