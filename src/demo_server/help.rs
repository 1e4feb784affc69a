//! What the demo offers, described once for the banner, the index page and `--help`.
//!
//! `ENDPOINTS` feeds the banner `ssetui serve` prints and the HTML index page;
//! `ENDPOINTS_HELP` is the same list as a constant string for clap. A test
//! checks that the two agree.

use std::fmt::Write as _;

use super::{
    DEMO_API_KEY, DEMO_API_KEY_HEADER, DEMO_API_KEY_QUERY, DEMO_BASIC_PASSWORD, DEMO_BASIC_USER,
    DEMO_BEARER_TOKEN,
};

/// One endpoint as a person should first meet it.
pub(crate) struct EndpointDoc {
    pub(crate) path: &'static str,
    pub(crate) methods: &'static str,
    pub(crate) summary: &'static str,
    /// Each query parameter with its default and meaning.
    pub(crate) params: &'static [(&'static str, &'static str)],
    /// Path and query for the example command; `None` when it is not a stream.
    pub(crate) example: Option<&'static str>,
}

const COUNT: (&str, &str) = (
    "count=N",
    "end the stream cleanly after event N; a reconnect after that gets 204 (stop)",
);

/// Every endpoint, in the order they are listed everywhere.
pub(crate) const ENDPOINTS: &[EndpointDoc] = &[
    EndpointDoc {
        path: "/",
        methods: "GET",
        summary: "an HTML page describing every endpoint",
        params: &[],
        example: None,
    },
    EndpointDoc {
        path: "/clock",
        methods: "GET",
        summary: "a \"tick\" event every second, ids 1, 2, 3...; resumes after Last-Event-ID",
        params: &[("interval_ms=1000", "milliseconds between events"), COUNT],
        example: Some("/clock"),
    },
    EndpointDoc {
        path: "/chat",
        methods: "POST or GET",
        summary: "an LLM token stream in OpenAI's chunk format, then [DONE]",
        params: &[
            ("delay_ms=40", "milliseconds between tokens"),
            ("error=1", "fail mid-stream with an \"error\" event"),
            (
                "status=429",
                "answer with this 4xx/5xx status instead of streaming",
            ),
            (
                "format=ollama",
                "Ollama's NDJSON instead (read it with --parse-as ndjson)",
            ),
        ],
        example: Some("/chat"),
    },
    EndpointDoc {
        path: "/logs",
        methods: "GET",
        summary: "log lines as \"info\", \"warn\", \"error\" events; some multi-line",
        params: &[("interval_ms=400", "milliseconds between events"), COUNT],
        example: Some("/logs"),
    },
    EndpointDoc {
        path: "/metrics",
        methods: "GET",
        summary: "a \"metrics\" event of changing JSON numbers",
        params: &[("interval_ms=500", "milliseconds between events"), COUNT],
        example: Some("/metrics"),
    },
    EndpointDoc {
        path: "/protected",
        methods: "GET",
        summary: "/clock behind credentials; a \"welcome\" event names the method",
        params: &[
            ("interval_ms=1000", "milliseconds between events"),
            COUNT,
            ("api_key=KEY", "one of the four ways to pass credentials"),
        ],
        example: Some(concat!("/protected?api_key=", demo_api_key!())),
    },
    EndpointDoc {
        path: "/flaky",
        methods: "GET",
        summary: "sets retry:, drops the connection every few events, resumes",
        params: &[
            (
                "retry=2000",
                "the reconnection time it sets, in milliseconds",
            ),
            ("interval_ms=500", "milliseconds between events"),
            ("every=5", "events per connection before it drops"),
            (
                "count=N",
                "end cleanly after event N (then 204 to reconnects)",
            ),
        ],
        example: Some("/flaky"),
    },
    EndpointDoc {
        path: "/firehose",
        methods: "GET",
        summary: "events as fast as the socket takes them, for load tests; resumes after Last-Event-ID",
        params: &[
            ("n=1000000", "how many events; then the stream ends"),
            ("size=100", "data bytes per event (at most 16 MiB)"),
            ("id=1", "1 numbers the events 1, 2, 3...; 0 sends no ids"),
            ("event=NAME", "the event type; none when absent"),
        ],
        example: Some("/firehose?n=100000&event=tick"),
    },
];

/// The endpoints, their query parameters and the demo credentials, for `ssetui serve --help`.
pub const ENDPOINTS_HELP: &str = concat!(
    "Endpoints (streams are text/event-stream; unknown or bad parameters get a 400):\n",
    "  /            an HTML page describing every endpoint\n",
    "  /clock       event \"tick\" every second with ids 1, 2, 3...;\n",
    "               resumes after Last-Event-ID\n",
    "               ?interval_ms=1000  ?count=N (end after event N)\n",
    "  /chat        POST (or GET) an OpenAI-style chat request; streams\n",
    "               chat.completion.chunk data, then [DONE]\n",
    "               ?delay_ms=40  ?error=1 (fail mid-stream)\n",
    "               ?status=429 (answer with any 4xx/5xx instead)\n",
    "               ?format=ollama (Ollama's NDJSON: --parse-as ndjson)\n",
    "  /logs        events \"info\", \"warn\", \"error\"; errors span several lines\n",
    "               ?interval_ms=400  ?count=N\n",
    "  /metrics     event \"metrics\" with a JSON object of changing numbers\n",
    "               ?interval_ms=500  ?count=N\n",
    "  /protected   like /clock behind credentials; first event \"welcome\"\n",
    "               names the method used\n",
    "               ?interval_ms=1000  ?count=N  ?api_key=KEY\n",
    "  /flaky       sends retry:, drops the connection every few events,\n",
    "               resumes after Last-Event-ID\n",
    "               ?retry=2000  ?interval_ms=500  ?every=5\n",
    "               ?count=N (end cleanly after event N)\n",
    "  /firehose    events as fast as the socket takes them (load tests)\n",
    "               ?n=1000000  ?size=100 (data bytes)  ?id=1 (0: no ids)\n",
    "               ?event=NAME\n",
    "\n",
    "Demo credentials for /protected (any one works):\n",
    "  Authorization: Bearer ",
    demo_bearer_token!(),
    "\n",
    "  Basic auth user \"",
    demo_basic_user!(),
    "\", password \"",
    demo_basic_password!(),
    "\"\n",
    "  X-API-Key: ",
    demo_api_key!(),
    "\n",
    "  ?api_key=",
    demo_api_key!(),
    "\n",
);

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
    for doc in ENDPOINTS {
        let url = format!("{base}{}", doc.path);
        let _ = writeln!(
            out,
            "  {url:<width$}  {}",
            doc.summary,
            width = base.len() + 11
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
    fn help_and_table_agree() {
        for doc in ENDPOINTS {
            assert!(
                ENDPOINTS_HELP.contains(&format!("  {} ", doc.path)),
                "{}",
                doc.path
            );
            for (param, _) in doc.params {
                let name = param.split('=').next().unwrap_or(param);
                assert!(ENDPOINTS_HELP.contains(&format!("?{name}=")), "{name}");
            }
        }
        for secret in [
            DEMO_BEARER_TOKEN,
            DEMO_BASIC_USER,
            DEMO_BASIC_PASSWORD,
            DEMO_API_KEY,
        ] {
            assert!(ENDPOINTS_HELP.contains(secret));
        }
        assert!(ENDPOINTS_HELP.lines().all(|l| l.len() <= 80));
    }

    #[test]
    fn banner_lists_full_urls() {
        let banner = banner("http://127.0.0.1:8900/");
        assert!(banner.contains("http://127.0.0.1:8900/clock  "));
        assert!(banner.contains("ssetui print http://127.0.0.1:8900/clock\n"));
        assert!(banner.contains(DEMO_BEARER_TOKEN));
    }
}
