//! The corruption faults, done line by line on one block of the stream (an
//! event or comment with the blank line that ends it): strip `id:` lines,
//! change `retry:`, drop the blank line, insert a comment, a BOM or a bad
//! byte, and give every line another ending. Lines end in CRLF, LF or CR
//! (§9.2.5 "Parsing an event stream": `end-of-line = ( cr lf / cr / lf )`).

use super::{Faults, InsertKind, LineEndings};

/// How a line ended in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Lf,
    Crlf,
    Cr,
    /// The stream ended inside the line.
    None,
}

impl End {
    fn bytes(self) -> &'static [u8] {
        match self {
            End::Lf => b"\n",
            End::Crlf => b"\r\n",
            End::Cr => b"\r",
            End::None => b"",
        }
    }
}

/// What carries over from block to block.
#[derive(Debug, Default)]
pub(super) struct LineState {
    /// Lines given an ending so far (`mixed` takes them in turn).
    lines: u64,
    /// The last byte written was a CR ending: an LF next would join it.
    after_cr: bool,
}

/// The lines of `bytes`, each with its ending. A CR last in `bytes` is a
/// whole ending: the block was cut after it on purpose.
fn split_lines(bytes: &[u8]) -> Vec<(&[u8], End)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push((&bytes[start..i], End::Lf));
                start = i + 1;
            }
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                lines.push((&bytes[start..i], End::Crlf));
                i += 1;
                start = i + 1;
            }
            b'\r' => {
                lines.push((&bytes[start..i], End::Cr));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push((&bytes[start..], End::None));
    }
    lines
}

/// The field name of a line: up to its first colon (§9.2.6).
fn field(line: &[u8]) -> &[u8] {
    line.split(|b| *b == b':').next().unwrap_or(line)
}

/// `block` with the corruption faults applied. `event` is the block's event
/// number (from 1) when it is an event.
pub(super) fn corrupt(
    block: &[u8],
    event: Option<u64>,
    faults: &Faults,
    state: &mut LineState,
) -> Vec<u8> {
    let mut lines: Vec<(Vec<u8>, End)> = split_lines(block)
        .into_iter()
        .filter(|(line, _)| !(faults.strip_ids && field(line) == b"id"))
        .map(|(line, end)| match faults.set_retry {
            Some(ms) if field(line) == b"retry" => (format!("retry: {ms}").into_bytes(), end),
            _ => (line.to_vec(), end),
        })
        .collect();
    let drops_blank = event.is_some() && event == faults.drop_blank;
    if drops_blank
        && lines
            .last()
            .is_some_and(|(last, end)| last.is_empty() && *end != End::None)
    {
        lines.pop();
    }
    if let Some(insert) = faults.insert.filter(|i| event == Some(i.at_event)) {
        match insert.kind {
            InsertKind::Comment => lines.insert(0, (b": ssetui fault".to_vec(), End::Lf)),
            InsertKind::Bom => match lines.first_mut() {
                Some((first, _)) => first.splice(0..0, *b"\xEF\xBB\xBF").for_each(drop),
                None => lines.push((b"\xEF\xBB\xBF".to_vec(), End::None)),
            },
            InsertKind::BadUtf8 => {
                let at = lines
                    .iter()
                    .position(|(line, _)| field(line) == b"data")
                    .unwrap_or(0);
                if let Some((line, _)) = lines.get_mut(at) {
                    line.push(0xFF);
                }
            }
        }
    }
    let mut out = Vec::with_capacity(block.len() + 16);
    for (line, end) in lines {
        out.extend_from_slice(&line);
        let end = match (end, faults.line_endings) {
            (End::None, _) | (_, None) => end,
            (_, Some(LineEndings::Lf)) => End::Lf,
            (_, Some(LineEndings::Crlf)) => End::Crlf,
            (_, Some(LineEndings::Cr)) => End::Cr,
            (_, Some(LineEndings::Mixed)) => {
                [End::Lf, End::Crlf, End::Cr][(state.lines % 3) as usize]
            }
        };
        // An LF right after a CR ending would make them one CRLF: a line lost.
        let end = if state.after_cr && line.is_empty() && end == End::Lf {
            End::Crlf
        } else {
            end
        };
        if end != End::None {
            state.lines += 1;
        }
        if !line.is_empty() || end != End::None {
            state.after_cr = end == End::Cr;
        }
        out.extend_from_slice(end.bytes());
    }
    out
}

/// Where to cut event `block` in its middle: half of what comes before its
/// final blank line, so it is never dispatched; at least one byte.
pub(super) fn middle(block: &[u8]) -> usize {
    let lines = split_lines(block);
    let blank = match lines.last() {
        Some(([], end)) => end.bytes().len(),
        _ => 0,
    };
    let before = block.len().saturating_sub(blank);
    (before / 2).max(1).min(block.len())
}
