"""Streams the ssetui demo's answer through an official SDK (tests/llm_sdk.rs).

Usage: sdk_stream.py API BASE_URL [--reasoning | --bad-body]

API is openai-chat, openai-responses or anthropic. BASE_URL is what the
SDK is given as its base URL (`http://127.0.0.1:PORT/v1`, or `.../` for
Anthropic, whose SDK adds `/v1` itself); a query on it (`?split=1`) is
passed as the SDK's `default_query`, since neither SDK keeps a base URL's
query in the URLs it builds.

Prints one JSON object: `text` (the answer assembled from the stream's
deltas), `reasoning` (the same of the thinking), `final` (the answer as the
SDK's own accumulator gives it at the end) and `model`; or, when the SDK
raised, `error` (its class name), `status` (the HTTP status, if any) and
`message`; a Responses stream's `error` event is reported the same way.
"""

import json
import sys
from urllib.parse import parse_qsl, urlsplit, urlunsplit

MODEL = "sdk-model"
QUESTION = "What is an SDK?"


def split_base(base_url):
    parts = urlsplit(base_url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")), query


def openai_chat(client, reasoning, bad_body):
    extra = {"reasoning_effort": "medium"} if reasoning else {}
    if bad_body:
        extra["extra_body"] = {"messages": None}
    stream = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": QUESTION}],
        stream=True,
        stream_options={"include_usage": True},
        **extra,
    )
    out = {"text": "", "reasoning": "", "model": None, "usage": None}
    for chunk in stream:
        out["model"] = chunk.model
        if chunk.usage is not None:
            out["usage"] = chunk.usage.total_tokens
        for choice in chunk.choices:
            out["text"] += choice.delta.content or ""
            out["reasoning"] += getattr(choice.delta, "reasoning_content", None) or ""
    out["final"] = out["text"]
    return out


def openai_responses(client, reasoning, bad_body):
    extra = {"reasoning": {"effort": "medium", "summary": "auto"}} if reasoning else {}
    if bad_body:
        extra["extra_body"] = {"input": None}
    stream = client.responses.create(
        model=MODEL, input=QUESTION, stream=True, **extra
    )
    out = {"text": "", "reasoning": "", "model": None, "final": None}
    for event in stream:
        if event.type == "response.output_text.delta":
            out["text"] += event.delta
        elif event.type == "response.reasoning_summary_text.delta":
            out["reasoning"] += event.delta
        elif event.type == "error":
            # The Responses stream's own error event: the SDK yields it.
            out["error"] = type(event).__name__
            out["message"] = event.message
        elif event.type == "response.completed":
            out["final"] = event.response.output_text
            out["model"] = event.response.model
            out["usage"] = event.response.usage.total_tokens
    return out


def anthropic_messages(client, reasoning, bad_body):
    extra = {"thinking": {"type": "enabled", "budget_tokens": 1024}} if reasoning else {}
    if bad_body:
        extra["extra_body"] = {"messages": None}
    out = {"text": "", "reasoning": ""}
    with client.messages.stream(
        model=MODEL,
        max_tokens=2048,
        messages=[{"role": "user", "content": QUESTION}],
        **extra,
    ) as stream:
        for event in stream:
            if event.type == "text":
                out["text"] += event.text
            elif event.type == "thinking":
                out["reasoning"] += event.thinking
        final = stream.get_final_message()
    out["final"] = "".join(b.text for b in final.content if b.type == "text")
    out["model"] = final.model
    out["usage"] = final.usage.input_tokens + final.usage.output_tokens
    return out


def main():
    api, base_url = sys.argv[1], sys.argv[2]
    flags = sys.argv[3:]
    reasoning = "--reasoning" in flags
    bad_body = "--bad-body" in flags
    base, query = split_base(base_url)
    # No retries: a 429 or 5xx is reported at once, not waited out.
    options = {"base_url": base, "default_query": query, "max_retries": 0, "timeout": 60}
    if api.startswith("openai"):
        import openai

        client = openai.OpenAI(api_key="demo-key", **options)
        run = openai_chat if api == "openai-chat" else openai_responses
        errors = openai.APIError
    elif api == "anthropic":
        import anthropic

        client = anthropic.Anthropic(api_key="demo-key", **options)
        run = anthropic_messages
        errors = anthropic.APIError
    else:
        sys.exit(f"unknown API {api!r}")
    try:
        out = run(client, reasoning, bad_body)
    except errors as e:
        status = getattr(e, "status_code", None)
        out = {"error": type(e).__name__, "status": status, "message": str(e)}
    print(json.dumps(out))


main()
