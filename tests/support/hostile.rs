//! One hostile corpus for every sink that reaches a terminal: escape
//! sequences of every kind, C1 controls, bidirectional and zero-width
//! characters, deep JSON and a huge line, in the shapes a server (or a
//! config file) can deliver them: event data, types, ids, comments, header
//! values, error bodies, an LLM stream.
//!
//! `assert_neutralised` is the one check: no character of the neutralised
//! set in an output (`\n` and `\t` allowed only in a multi-line one), and
//! the visible forms there instead.
#![allow(dead_code)]

use ssetui::text::{Lines, is_neutralised, is_neutralised_in};

/// Escape sequences of every kind a terminal obeys, 7-bit and 8-bit.
pub const SEQUENCES: &[&str] = &[
    "\u{1b}[31m",                             // CSI: colour
    "\u{1b}[2J\u{1b}[H",                      // CSI: clear the screen, home
    "\u{1b}]0;PWNED\u{7}",                    // OSC 0: window title, BEL-terminated
    "\u{1b}]52;c;cHduZWQ=\u{7}",              // OSC 52: write the clipboard
    "\u{1b}]8;;http://evil.example/\u{1b}\\", // OSC 8: hyperlink, ST-terminated
    "\u{1b}P1$qm\u{1b}\\",                    // DCS: request status
    "\u{1b}_apc\u{1b}\\",                     // APC
    "\u{1b}^pm\u{1b}\\",                      // PM
    "\u{1b}Xsos\u{1b}\\",                     // SOS
    "\u{9b}2J",                               // 8-bit CSI
    "\u{9d}0;c1 title\u{9c}",                 // 8-bit OSC and ST
    "\u{90}dcs\u{9c}",                        // 8-bit DCS
    "\u{1b}",                                 // a bare ESC
    "\u{7}",                                  // BEL
    "\u{8}\u{8}",                             // backspaces
    "\u{7f}",                                 // DEL
    "\u{0}",                                  // NUL
    "\u{85}\u{84}\u{8d}",                     // NEL, IND, RI
];

/// Bidirectional controls, zero-width characters, the Arabic letter mark,
/// the BOM and the line and paragraph separators.
pub const INVISIBLES: &[&str] = &[
    "\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}", // embeddings and overrides
    "\u{2066}\u{2067}\u{2068}\u{2069}",         // isolates
    "\u{200e}\u{200f}\u{61c}",                  // marks
    "\u{200b}\u{200c}\u{200d}\u{2060}\u{2061}\u{2064}", // zero-width
    "\u{feff}",                                 // BOM / zero-width no-break space
    "\u{2028}\u{2029}",                         // line and paragraph separators
];

/// Everything above on one line (no CR or LF), between plain words: what
/// an event type, an id or a comment can carry.
pub fn line() -> String {
    let mut out = String::from("start ");
    for piece in SEQUENCES.iter().chain(INVISIBLES) {
        out.push_str(piece);
        out.push_str(" x ");
    }
    out.push_str("end");
    out
}

/// `line()` with SOH for NUL: what an id can carry (the spec ignores an id
/// holding NUL), and a command-line argument.
pub fn id_line() -> String {
    line().replace('\u{0}', "\u{1}")
}

/// `line()` with CR, LF and tab too: what JSON-carried text (an LLM's
/// answer, a tool call, an error message) can hold.
pub fn full() -> String {
    format!("{}\r\n\tforged line\r{}", line(), line())
}

/// What an HTTP header value can carry: no C0 control but tab, no DEL (HTTP
/// forbids them), the rest of the set as UTF-8 bytes; ESC becomes the 8-bit
/// CSI (U+009B) and the other controls NEL (U+0085), which a header can carry.
pub fn header_value() -> String {
    line()
        .chars()
        .map(|c| match c {
            '\u{1b}' => '\u{9b}',
            c if c < ' ' || c == '\u{7f}' => '\u{85}',
            c => c,
        })
        .collect::<String>()
        + "\tafter tab"
}

/// JSON nested `depth` deep, with the line inside.
pub fn deep_json(depth: usize) -> String {
    let inner = serde_json::to_string(&line()).unwrap();
    format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A line of about `bytes` bytes with the corpus spread along it.
pub fn huge_line(bytes: usize) -> String {
    let piece = format!("{}{}", "y".repeat(4000), line());
    piece.repeat(bytes / piece.len() + 1)
}

/// `data` as SSE `data:` lines (each `\n` starts a new one).
pub fn data_lines(data: &str) -> String {
    data.split('\n').map(|l| format!("data: {l}\n")).collect()
}

/// An event stream with the corpus in every field: types, ids, data
/// (plain, JSON, deep JSON, a huge line), comments and a retry.
pub fn stream() -> Vec<u8> {
    let line = line();
    let json = serde_json::json!({ "text": full(), "x": line }).to_string();
    let mut body = String::new();
    body.push_str(&format!(": {line}\n\n"));
    let id = id_line();
    body.push_str(&format!("event: {id}\nid: {id}\n{}\n", data_lines(&line)));
    body.push_str(&format!("event: json\nid: 2\ndata: {json}\n\n"));
    body.push_str(&format!(
        "id: 3\n{}\n",
        data_lines(&format!("{line}\n{line}"))
    ));
    body.push_str(&format!(
        "event: deep\nid: 4\ndata: {}\n\n",
        deep_json(3000)
    ));
    body.push_str(&format!(
        "event: huge\nid: 5\ndata: {}\n\n",
        huge_line(1 << 20)
    ));
    body.push_str(&format!(": {line}\nretry: 50\n\n"));
    body.push_str(&format!("event: {id}\nid: 6\ndata: last\n\n"));
    body.into_bytes()
}

/// An OpenAI-style chat stream with the corpus in the content, a tool
/// call's name and arguments, the finish reason, and an error event.
pub fn llm_stream() -> Vec<u8> {
    let full = full();
    let chunk = |delta: serde_json::Value, finish: Option<&str>| {
        let value = serde_json::json!({
            "id": "chatcmpl-hostile",
            "object": "chat.completion.chunk",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        });
        format!("data: {value}\n\n")
    };
    let mut body = String::new();
    body.push_str(&chunk(
        serde_json::json!({"role": "assistant", "content": ""}),
        None,
    ));
    body.push_str(&chunk(serde_json::json!({"content": full}), None));
    body.push_str(&chunk(
        serde_json::json!({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
            "function": {"name": full, "arguments": ""}}]}),
        None,
    ));
    body.push_str(&chunk(
        serde_json::json!({"tool_calls": [{"index": 0, "function": {"arguments": full}}]}),
        None,
    ));
    body.push_str(&chunk(serde_json::json!({}), Some(&full)));
    let error = serde_json::json!({"error": {"message": full, "type": full}});
    body.push_str(&format!("event: error\ndata: {error}\n\n"));
    body.into_bytes()
}

/// A failing response's body: the example first, then the corpus.
pub fn error_body() -> Vec<u8> {
    format!(
        "\u{1b}]0;PWNED\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J {}",
        full()
    )
    .into_bytes()
}

/// Fails when `output` holds a character of the neutralised set (`\n` and
/// `\t` are allowed when `lines` is `Multi`), naming the first and where.
pub fn assert_neutralised(output: &str, lines: Lines, what: &str) {
    if let Some((at, c)) = output
        .char_indices()
        .find(|&(_, c)| is_neutralised_in(c, lines))
    {
        let from = ssetui_floor(output, at.saturating_sub(60));
        let to = ssetui_floor(output, (at + 60).min(output.len()));
        panic!(
            "{what}: U+{:04X} at byte {at} reached the sink raw, in {:?}",
            c as u32,
            &output[from..to]
        );
    }
}

/// Output of a terminal (a pty): its own line endings are CR LF (the
/// driver adds the CR), so those are its, not the stream's.
pub fn assert_neutralised_terminal(output: &str, what: &str) {
    assert_neutralised(&output.replace("\r\n", "\n"), Lines::Multi, what);
}

/// Fails unless `output` shows the corpus's visible forms: the escape
/// sequence's ESC as `␛` before its text, a C1 control, a bidi override and
/// a zero-width space as `\u{…}`.
pub fn assert_shown(output: &str, what: &str) {
    for form in [
        "␛]0;PWNED␇",
        "\\u{9b}2J",
        "\\u{202e}",
        "\\u{200b}",
        "\\u{feff}",
    ] {
        assert!(
            output.contains(form),
            "{what}: {form} is not shown; output starts {:?}",
            &output[..ssetui_floor(output, 2000)]
        );
    }
}

/// Whether any character of the set is in `output` at all (for outputs that
/// must be exact, such as `--raw` to a pipe).
pub fn has_any(output: &str) -> bool {
    output.chars().any(is_neutralised)
}

fn ssetui_floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
