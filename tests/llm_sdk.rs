//! The official `openai` and `anthropic` Python SDKs (pinned in
//! tests/llm_py/requirements.txt, installed by tests/mcp_py/setup.sh into
//! the interop venv) stream the demo's answer through its LLM API paths and
//! assemble the canned answer: the same text `ssetui print --transcript`
//! assembles from the same path. Skipped, saying so, when PyPI cannot be
//! reached to install them.
//!
//! [`sdk_text`] is the harness: it runs one SDK's script against any
//! server root (the demo, a tap in front of it, a demo with faults: see
//! [`serve`] for `ssetui serve` with flags), so the same assertion can be
//! made through each.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::Deserialize;
use ssetui::demo_server::{CANNED_REASONING, canned_answer};
use support::python::venv_python;
use support::*;

/// How long one SDK run may take (Python starts, imports the SDK, streams).
const PATIENCE: Duration = Duration::from_secs(60);
/// The question each script asks (tests/llm_py/sdk_stream.py's QUESTION).
const QUESTION: &str = "What is an SDK?";
/// The model each script names (echoed back by the demo).
const MODEL: &str = "sdk-model";

/// One SDK call of tests/llm_py/sdk_stream.py.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sdk {
    /// `openai`: `client.chat.completions.create(stream=True)` on `/v1/chat/completions`.
    OpenAiChat,
    /// `openai`: `client.responses.create(stream=True)` on `/v1/responses`.
    OpenAiResponses,
    /// `anthropic`: `client.messages.stream(...)` on `/v1/messages`.
    Anthropic,
}

const SDKS: [Sdk; 3] = [Sdk::OpenAiChat, Sdk::OpenAiResponses, Sdk::Anthropic];

impl Sdk {
    fn arg(self) -> &'static str {
        match self {
            Sdk::OpenAiChat => "openai-chat",
            Sdk::OpenAiResponses => "openai-responses",
            Sdk::Anthropic => "anthropic",
        }
    }

    /// The SDK's `base_url` for a server at `root` (which may carry a
    /// query, e.g. `http://127.0.0.1:PORT/?split=1`): OpenAI's SDK is given
    /// `…/v1`, Anthropic's the root (it adds `/v1` itself).
    fn base_url(self, root: &str) -> String {
        let (path, query) = match root.split_once('?') {
            Some((path, query)) => (path, format!("?{query}")),
            None => (root, String::new()),
        };
        let path = path.trim_end_matches('/');
        match self {
            Sdk::OpenAiChat | Sdk::OpenAiResponses => format!("{path}/v1{query}"),
            Sdk::Anthropic => format!("{path}{query}"),
        }
    }
}

/// What a script printed: what the SDK assembled, or the error it raised.
#[derive(Debug, Deserialize)]
pub struct SdkOutput {
    /// The answer, joined from the stream's text deltas.
    #[serde(default)]
    pub text: String,
    /// The reasoning, joined from the stream's reasoning deltas.
    #[serde(default)]
    pub reasoning: String,
    /// The answer as the SDK's own accumulator gives it at the end.
    #[serde(default)]
    pub r#final: Option<String>,
    /// The model the answer names.
    #[serde(default)]
    pub model: Option<String>,
    /// Total tokens in the usage the SDK parsed.
    #[serde(default)]
    pub usage: Option<u64>,
    /// The SDK's error class, when it raised (`RateLimitError`…).
    #[serde(default)]
    pub error: Option<String>,
    /// The HTTP status of that error.
    #[serde(default)]
    pub status: Option<u16>,
    /// The error's message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Runs `sdk`'s script against the server at `root` with `flags`
/// (`--reasoning`, `--bad-body`); `None` when the venv cannot be made.
/// A query on `root` reaches every request: the SDKs drop a base URL's
/// query, so the script passes it as their `default_query`.
pub fn sdk_run(sdk: Sdk, root: &str, flags: &[&str]) -> Option<SdkOutput> {
    let python = venv_python()?;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/llm_py/sdk_stream.py");
    let mut cmd = Command::new(python);
    cmd.arg(script)
        .args([sdk.arg(), &sdk.base_url(root)])
        .args(flags)
        // The SDKs read these; a developer's own must not leak into the test.
        .env_remove("OPENAI_BASE_URL")
        .env_remove("ANTHROPIC_BASE_URL")
        .env("NO_PROXY", "*")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{sdk:?} at {root}: {}{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("{sdk:?} at {root}: {e}: {stdout}")),
    )
}

/// The answer `sdk` assembles streaming from the server at `root` (a
/// query on it reaches every request); `None` when the venv cannot be made.
pub fn sdk_text(sdk: Sdk, root: &str) -> Option<String> {
    let out = sdk_run(sdk, root, &[])?;
    assert_eq!(out.error, None, "{sdk:?} at {root}: {out:?}");
    Some(out.text)
}

/// `ssetui serve --port 0 ARGS` (the real binary, so its flags, e.g.
/// fault flags, apply), stopped when dropped; `root` is its URL.
pub struct Served {
    child: Child,
    pub root: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `ssetui serve --port 0 ARGS` and waits until it says where it listens.
pub fn serve(args: &[&str]) -> Served {
    let mut child = app()
        .args(["serve", "--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ssetui serve starts");
    let stdout = child.stdout.take().expect("its stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Read every line, so the server never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut served = Served {
        child,
        root: String::new(),
    };
    // The first URL printed is where it listens (other lines, such as a
    // fault seed, may come before it).
    let mut seen = Vec::new();
    let root = loop {
        let Ok(line) = rx.recv_timeout(PATIENCE) else {
            panic!("ssetui serve did not say where it listens: {seen:?}");
        };
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url.trim_end_matches('/').to_owned();
        }
        seen.push(line);
    };
    served.root = root;
    served
}

/// The path each SDK posts to, and a body of that API asking what the
/// scripts ask, for `ssetui print` to read the same answer.
fn same_request(sdk: Sdk) -> (&'static str, String) {
    let messages = serde_json::json!([{"role": "user", "content": QUESTION}]);
    match sdk {
        Sdk::OpenAiChat => (
            "/v1/chat/completions",
            serde_json::json!({"model": MODEL, "stream": true, "messages": messages}).to_string(),
        ),
        Sdk::OpenAiResponses => (
            "/v1/responses",
            serde_json::json!({"model": MODEL, "stream": true, "input": QUESTION}).to_string(),
        ),
        Sdk::Anthropic => (
            "/v1/messages",
            serde_json::json!({"model": MODEL, "max_tokens": 2048, "stream": true, "messages": messages})
                .to_string(),
        ),
    }
}

/// What `ssetui print --transcript` assembles from the request `sdk` makes.
fn print_transcript(sdk: Sdk, root: &str) -> String {
    let (path, body) = same_request(sdk);
    let mut cmd = app();
    cmd.args(["print", "--transcript", "--no-reconnect"])
        .arg(format!("{}{path}?delay_ms=0", root.trim_end_matches('/')))
        .args(["--json", &body])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let out = output_within(cmd, PATIENCE);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

#[test]
fn each_official_sdk_streams_the_canned_answer_ssetui_print_assembles_too() {
    let served = serve(&[]);
    let root = served.root.clone();
    let expected = canned_answer(Some(QUESTION));
    for sdk in SDKS {
        // The query (fast tokens) reaches the demo through default_query.
        let Some(out) = sdk_run(sdk, &format!("{root}?delay_ms=1"), &[]) else {
            return;
        };
        assert_eq!(out.error, None, "{sdk:?}: {out:?}");
        assert_eq!(out.text, expected, "{sdk:?}");
        assert_eq!(out.r#final.as_deref(), Some(expected.as_str()), "{sdk:?}");
        assert_eq!(out.model.as_deref(), Some(MODEL), "{sdk:?}");
        assert!(out.usage.is_some_and(|n| n > 0), "{sdk:?}: {out:?}");
        assert_eq!(out.reasoning, "", "{sdk:?}: no reasoning unless asked");
        assert_eq!(print_transcript(sdk, &root), out.text, "{sdk:?}");
    }
}

#[test]
fn sdk_text_is_the_harness_for_any_server_root() {
    let (_rt, root) = demo("/");
    let Some(text) = sdk_text(Sdk::OpenAiChat, &format!("{root}?delay_ms=0")) else {
        return;
    };
    assert_eq!(text, canned_answer(Some(QUESTION)));
}

#[test]
fn each_sdk_reads_the_reasoning_apart_from_the_answer() {
    let (_rt, root) = demo("/");
    for sdk in SDKS {
        let Some(out) = sdk_run(sdk, &format!("{root}?delay_ms=0"), &["--reasoning"]) else {
            return;
        };
        assert_eq!(out.error, None, "{sdk:?}: {out:?}");
        assert_eq!(out.reasoning, CANNED_REASONING, "{sdk:?}");
        assert_eq!(out.text, canned_answer(Some(QUESTION)), "{sdk:?}");
    }
}

#[test]
fn each_sdk_raises_its_own_error_types_for_the_demos_refusals() {
    let (_rt, root) = demo("/");
    for sdk in SDKS {
        let Some(limited) = sdk_run(sdk, &format!("{root}?status=429"), &[]) else {
            return;
        };
        assert_eq!(limited.error.as_deref(), Some("RateLimitError"), "{sdk:?}");
        assert_eq!(limited.status, Some(429), "{sdk:?}");
        let Some(refused) = sdk_run(sdk, &root, &["--bad-body"]) else {
            return;
        };
        assert_eq!(refused.error.as_deref(), Some("BadRequestError"), "{sdk:?}");
        assert_eq!(refused.status, Some(400), "{sdk:?}");
    }
}

#[test]
fn each_sdk_reports_a_failure_mid_stream_its_own_way() {
    let (_rt, root) = demo("/");
    // What each SDK does with its API's mid-stream error, as documented:
    // openai raises APIError on chat's `event: error`, yields Responses'
    // `error` event, and anthropic raises from the 200 stream's `error` event.
    let expected = [
        (Sdk::OpenAiChat, "APIError", None),
        (Sdk::OpenAiResponses, "ResponseErrorEvent", None),
        (Sdk::Anthropic, "APIStatusError", Some(200)),
    ];
    for (sdk, error, status) in expected {
        let Some(out) = sdk_run(sdk, &format!("{root}?error=1&delay_ms=0"), &[]) else {
            return;
        };
        assert_eq!(out.error.as_deref(), Some(error), "{sdk:?}: {out:?}");
        assert_eq!(out.status, status, "{sdk:?}");
        let message = out.message.unwrap_or_default();
        assert!(
            message.contains("simulated mid-stream failure"),
            "{sdk:?}: {message}"
        );
        if sdk == Sdk::OpenAiResponses {
            assert!(canned_answer(Some(QUESTION)).starts_with(&out.text) && !out.text.is_empty());
        }
    }
}

/// `ssetui tap --headless --port 0 --upstream UPSTREAM ARGS` (its NDJSON
/// dropped), stopped when dropped; `root` is the tap's URL.
fn tap(upstream: &str, args: &[&str]) -> Served {
    let started = support::tap::start(upstream, args, Stdio::null(), PATIENCE);
    Served {
        child: started.child,
        root: started.url,
    }
}

#[test]
fn each_sdk_assembles_the_same_answer_through_the_tap_as_is_and_re_split() {
    let served = serve(&[]);
    let expected = canned_answer(Some(QUESTION));
    for args in [
        &[][..],
        &["--split", "1"],
        &["--split", "random:1-7", "--seed", "5"],
    ] {
        let tapped = tap(&served.root, args);
        for sdk in SDKS {
            let Some(text) = sdk_text(sdk, &format!("{}?delay_ms=1", tapped.root)) else {
                return;
            };
            assert_eq!(text, expected, "{sdk:?} through the tap with {args:?}");
        }
    }
}

#[test]
fn each_sdk_assembles_the_same_answer_split_byte_by_byte_and_at_random() {
    let expected = canned_answer(Some(QUESTION));
    for flags in [
        &["--split", "1"][..],
        &["--split", "random:1-7", "--seed", "42"],
    ] {
        let served = serve(flags);
        for sdk in SDKS {
            let Some(text) = sdk_text(sdk, &format!("{}?delay_ms=1", served.root)) else {
                return;
            };
            assert_eq!(text, expected, "{sdk:?} under serve {flags:?}");
        }
    }
}
