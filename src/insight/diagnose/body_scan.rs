//! Byte-level checks: line endings, byte-order marks, invalid UTF-8.

use memchr::{memchr2, memmem};

use super::format::plural;
use super::{Finding, Severity};
use crate::sse::ReadFacts;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Byte-level checks over the body as received: line endings, BOMs, UTF-8.
#[derive(Debug, Default)]
pub(super) struct BodyScan {
    pub(super) lf: u64,
    pub(super) crlf: u64,
    pub(super) cr: u64,
    /// The last read ended with a CR: an LF first in the next makes it a CRLF.
    pub(super) pending_cr: bool,
    /// Body bytes of the current attempt before the read being scanned.
    pub(super) attempt_bytes: u64,
    /// The attempt's first bytes, until a leading BOM is ruled in or out.
    pub(super) bom_probe: Vec<u8>,
    pub(super) bom_checked: bool,
    pub(super) leading_boms: u32,
    pub(super) inner_boms: u64,
    /// The start of a UTF-8 sequence cut by the end of the last read (at most 3 bytes).
    pub(super) utf8_carry: Vec<u8>,
    pub(super) invalid_utf8: u64,
    pub(super) first_invalid_at: Option<u64>,
}

impl BodyScan {
    pub(super) fn start_attempt(&mut self) {
        self.pending_cr = false;
        self.attempt_bytes = 0;
        self.bom_probe.clear();
        self.bom_checked = false;
        self.utf8_carry.clear();
    }

    pub(super) fn end_attempt(&mut self) {
        if std::mem::take(&mut self.pending_cr) {
            self.cr += 1;
        }
        if !self.utf8_carry.is_empty() {
            // The body ended inside a character.
            self.invalid_utf8 += 1;
            self.utf8_carry.clear();
        }
        self.bom_checked = true;
    }

    /// Checks one read. What the parser already learnt of it (`facts`: its
    /// line endings, a leading BOM, UTF-8 checked valid) is taken as it is,
    /// not scanned again; what it could not say is scanned here.
    pub(super) fn scan(&mut self, bytes: &[u8], offset: u64, facts: Option<ReadFacts>) {
        match facts {
            Some(facts) => {
                self.lf += u64::from(facts.lf);
                self.crlf += u64::from(facts.crlf);
                self.cr += u64::from(facts.cr);
                self.pending_cr = facts.trailing_cr;
                if facts.leading_bom {
                    self.leading_boms += 1;
                }
                if !bytes.is_empty() {
                    self.bom_checked = true;
                }
                self.inner_boms(bytes, facts.leading_bom);
                if !(facts.utf8_valid && self.utf8_carry.is_empty()) {
                    self.utf8(bytes, offset);
                }
            }
            None => {
                self.line_endings(bytes);
                self.boms(bytes);
                self.utf8(bytes, offset);
            }
        }
        self.attempt_bytes += bytes.len() as u64;
    }

    /// BOMs past the start of the attempt (`leading`: the read begins with
    /// the leading one, which is not counted again).
    fn inner_boms(&mut self, bytes: &[u8], leading: bool) {
        let skip = usize::from(leading && self.attempt_bytes == 0);
        self.inner_boms += memmem::find_iter(bytes, BOM)
            .filter(|&at| at >= skip)
            .count() as u64;
    }

    fn line_endings(&mut self, bytes: &[u8]) {
        let mut i = 0;
        if std::mem::take(&mut self.pending_cr) {
            if bytes.first() == Some(&b'\n') {
                self.crlf += 1;
                i = 1;
            } else {
                self.cr += 1;
            }
        }
        while let Some(found) = bytes.get(i..).and_then(|rest| memchr2(b'\r', b'\n', rest)) {
            let at = i + found;
            i = at + 1;
            if bytes[at] == b'\n' {
                self.lf += 1;
                continue;
            }
            match bytes.get(at + 1) {
                Some(b'\n') => {
                    self.crlf += 1;
                    i = at + 2;
                }
                Some(_) => self.cr += 1,
                None => self.pending_cr = true,
            }
        }
    }

    fn boms(&mut self, bytes: &[u8]) {
        if !self.bom_checked {
            let want = BOM.len() - self.bom_probe.len();
            self.bom_probe
                .extend_from_slice(&bytes[..want.min(bytes.len())]);
            if !BOM.starts_with(&self.bom_probe) {
                self.bom_checked = true;
            } else if self.bom_probe.len() == BOM.len() {
                self.leading_boms += 1;
                self.bom_checked = true;
            }
        }
        self.inner_boms(bytes, true);
    }

    /// Counts invalid UTF-8 sequences, carrying a character cut by the read's end.
    fn utf8(&mut self, bytes: &[u8], offset: u64) {
        let joined;
        let (mut input, mut at) = if self.utf8_carry.is_empty() {
            (bytes, offset)
        } else {
            // Rare (a character split across reads): one copy of this read.
            let carried = self.utf8_carry.len() as u64;
            joined = [std::mem::take(&mut self.utf8_carry).as_slice(), bytes].concat();
            (joined.as_slice(), offset.saturating_sub(carried))
        };
        loop {
            match std::str::from_utf8(input) {
                Ok(_) => return,
                Err(err) => {
                    let rest = &input[err.valid_up_to()..];
                    at = at.saturating_add(err.valid_up_to() as u64);
                    let Some(bad) = err.error_len() else {
                        self.utf8_carry = rest.to_vec();
                        return;
                    };
                    self.invalid_utf8 += 1;
                    self.first_invalid_at.get_or_insert(at);
                    input = &rest[bad..];
                    at = at.saturating_add(bad as u64);
                }
            }
        }
    }

    pub(super) fn findings(&self, out: &mut Vec<Finding>) {
        let kinds: Vec<String> = [(self.lf, "LF"), (self.crlf, "CRLF"), (self.cr, "CR")]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, name)| format!("{n} {name}"))
            .collect();
        if kinds.len() > 1 {
            out.push(Finding {
                id: "line-endings",
                severity: Severity::Warning,
                title: format!("mixed line endings: {}", kinds.join(", ")),
                why: "The spec allows LF, CRLF and CR, but many hand-written parsers split on one kind only, so they merge or split lines and lose events; mixing usually means two code paths write the stream.",
                fix: "Write every line ending the same way, preferably `\\n`.",
            });
        }
        if self.inner_boms > 0 {
            out.push(Finding {
                id: "bom",
                severity: Severity::Warning,
                title: format!(
                    "{} (U+FEFF) inside the stream",
                    plural(self.inner_boms, "byte-order mark")
                ),
                why: "Only a BOM at the very start of the stream is skipped; anywhere else it becomes part of a field name, so that line (often a `data:` line) is ignored and its event lost.",
                fix: "Do not write a BOM when appending to the stream (it often comes from concatenating text files or strings that each start with one).",
            });
        } else if self.leading_boms > 0 {
            out.push(Finding {
                id: "bom",
                severity: Severity::Info,
                title: "the stream starts with a byte-order mark (U+FEFF)".into(),
                why: "The spec says to skip one leading BOM, but some clients do not and read the first field name as \"\\u{FEFF}data\", losing the first event.",
                fix: "Do not write a BOM: SSE is always UTF-8.",
            });
        }
        if self.invalid_utf8 > 0 {
            let at = self
                .first_invalid_at
                .map_or(String::new(), |at| format!(", the first at byte {at}"));
            out.push(Finding {
                id: "invalid-utf8",
                severity: Severity::Warning,
                title: format!(
                    "{} replaced with U+FFFD{at}",
                    plural(self.invalid_utf8, "invalid UTF-8 sequence")
                ),
                why: "Clients decode the stream as UTF-8 and replace invalid bytes with U+FFFD, so the text differs from what the server meant (often the server writes Latin-1 or cuts a multi-byte character).",
                fix: "Encode all text as UTF-8, and do not split a string in the middle of a character; binary data must be encoded (base64) first.",
            });
        }
    }
}
