"""A small MCP server on the official Python SDK, for ssetui's interop tests.

Serves streamable HTTP at /mcp on 127.0.0.1 (a free port, printed as
`listening on PORT` once the socket is bound), in both eras: the SDK answers
`server/discover` at 2026-07-28 and `initialize` at the handshake revisions.
Tools: `add` (a plain result), `countdown` (progress notifications before
its result), `fail` (a tool error: `isError: true`), `boom` (a JSON-RPC error).
"""

import logging
import socket
import sys

import anyio
import uvicorn
from mcp.server.mcpserver import Context, MCPServer
from mcp.shared.exceptions import MCPError

server = MCPServer("ssetui-interop")


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b


@server.tool()
async def countdown(steps: int, ctx: Context) -> str:
    """Reports progress `steps` times, then answers."""
    for n in range(1, steps + 1):
        await ctx.report_progress(n, steps, f"step {n}")
    return f"counted {steps}"


@server.tool()
def fail(reason: str) -> str:
    """Always fails, as a tool result with isError."""
    raise ValueError(reason)


@server.tool()
def boom() -> str:
    """Always fails, as a JSON-RPC error."""
    raise MCPError(code=-32603, message="boom on purpose")


@server.resource("demo://greeting")
def greeting() -> str:
    """A fixed text."""
    return "hello"


@server.prompt()
def review(code: str) -> str:
    """Asks for a review."""
    return f"Review this: {code}"


async def main() -> None:
    # The tools fail on purpose: their tracebacks are not news in a test's output.
    logging.getLogger("mcp").setLevel(logging.CRITICAL)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    port = sock.getsockname()[1]
    app = server.streamable_http_app(streamable_http_path="/mcp")
    config = uvicorn.Config(app, log_level="warning")
    print(f"listening on {port}", flush=True)
    await uvicorn.Server(config).serve(sockets=[sock])


if __name__ == "__main__":
    sys.exit(anyio.run(main))
