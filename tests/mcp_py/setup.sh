#!/usr/bin/env bash
# Creates the virtual environment of the Python interop tests at $1 (default
# target/mcp-venv) with the pinned official SDKs: MCP's (tests/mcp_client.rs,
# tests/mcp_py/requirements.txt) and OpenAI's and Anthropic's (tests/llm_sdk.rs,
# tests/llm_py/requirements.txt). A changed pin in either file reinstalls.
# Exit 0: ready. Exit 3: PyPI cannot be reached (the interop tests skip).
# Any other status: the install failed for another reason (a real failure).
set -uo pipefail
cd "$(dirname "$0")/../.."
venv="${1:-target/mcp-venv}"
requirements=(tests/mcp_py/requirements.txt tests/llm_py/requirements.txt)
stamp="$venv/.installed"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && cat "${requirements[@]}" | cmp -s "$stamp" -; then
  exit 0
fi
command -v python3 >/dev/null 2>&1 || { echo "python3 is not installed" >&2; exit 1; }
python3 -m venv "$venv" || exit 1
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "${requirements[0]}" -r "${requirements[1]}"; then
  if ! "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('https://pypi.org/simple/mcp/', timeout=15)" 2>/dev/null; then
    echo "PyPI cannot be reached" >&2
    exit 3
  fi
  exit 1
fi
cat "${requirements[@]}" > "$stamp"
