//! The Python of the interop venv: the official SDKs (MCP's, OpenAI's,
//! Anthropic's) at the versions tests/mcp_py/requirements.txt and
//! tests/llm_py/requirements.txt pin, installed by tests/mcp_py/setup.sh
//! (which .ci/run also runs), once per test process.

use std::process::Command;
use std::sync::OnceLock;

/// The venv's `python`, or `None` when PyPI cannot be reached to make it
/// (the caller skips, and this says so once). Any other failure to install
/// fails the test.
pub fn venv_python() -> Option<&'static str> {
    static PYTHON: OnceLock<Option<String>> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let root = env!("CARGO_MANIFEST_DIR");
            let venv = format!("{root}/target/mcp-venv");
            let status = Command::new(format!("{root}/tests/mcp_py/setup.sh"))
                .arg(&venv)
                .status()
                .expect("tests/mcp_py/setup.sh runs");
            match status.code() {
                Some(0) => Some(format!("{venv}/bin/python")),
                Some(3) => {
                    eprintln!(
                        "SKIPPED: the interop tests need the official Python SDKs, and PyPI cannot be reached to install them"
                    );
                    None
                }
                _ => panic!("tests/mcp_py/setup.sh failed: {status}"),
            }
        })
        .as_deref()
}
