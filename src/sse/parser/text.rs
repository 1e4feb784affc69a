//! A line's text as the parser cuts it into fields: its bytes, and where
//! they lie when the read was checked as UTF-8, so a field can be stored as
//! a range of the read instead of a copy.

use bytestring::ByteString;

use super::dispatched::Value;

/// Where a line's text lies, when it was checked as UTF-8.
#[derive(Debug, Clone, Copy)]
pub(super) enum Home<'a> {
    /// Not checked: decoded when used.
    None,
    /// Byte `at` on of the current read's checked lines.
    Read { read: &'a ByteString, at: usize },
    /// Byte `at` on of a long line handed over as a string of its own.
    Line { line: &'a ByteString, at: usize },
}

/// Part of a line: its bytes, and where they lie as checked text. Lines
/// end at CR or LF and fields at `:` and a space, all ASCII, so every
/// part of a checked line is checked text too (it starts and ends on
/// character boundaries): no check is needed to take parts of it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Text<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) home: Home<'a>,
    /// Known to be plain (`byte_mask`'s sense), so any part of it is too.
    /// False when unknown.
    pub(super) plain: bool,
}

impl<'a> Text<'a> {
    /// Bytes not checked yet: they are decoded when used.
    pub(super) fn unchecked(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            home: Home::None,
            plain: false,
        }
    }

    /// The part after byte `at`, which follows an ASCII byte (a character boundary).
    #[inline]
    pub(super) fn after(self, at: usize) -> Self {
        let at = at.min(self.bytes.len());
        Self {
            bytes: &self.bytes[at..],
            home: match self.home {
                Home::None => Home::None,
                Home::Read { read, at: start } => Home::Read {
                    read,
                    at: start + at,
                },
                Home::Line { line, at: start } => Home::Line {
                    line,
                    at: start + at,
                },
            },
            plain: self.plain,
        }
    }

    /// "If value starts with a U+0020 SPACE character, remove it from value."
    #[inline]
    pub(super) fn without_leading_space(self) -> Self {
        if self.bytes.first() == Some(&b' ') {
            self.after(1)
        } else {
            self
        }
    }

    /// The text when it was checked.
    pub(super) fn checked(self) -> Option<&'a str> {
        let len = self.bytes.len();
        match self.home {
            Home::None => None,
            Home::Read { read: text, at } | Home::Line { line: text, at } => text.get(at..at + len),
        }
    }

    /// Stores the text as a field's value (made by `wrap`) in `slot`: a
    /// range of the read or a slice of its line when it was checked,
    /// otherwise decoded (invalid UTF-8 replaced with U+FFFD) into a new
    /// buffer. The common case is stored in place: a value returned and
    /// then copied went through the stack in pieces the copy could not
    /// read back at once (a stall of some 15 cycles, three times an event).
    #[inline(always)]
    pub(super) fn store_in<T>(self, slot: &mut Option<T>, wrap: impl FnOnce(Value) -> T) {
        match self.home {
            Home::Read { at, .. } => *slot = Some(wrap(Value::InRead(at..at + self.bytes.len()))),
            _ => *slot = Some(wrap(self.to_own_value())),
        }
    }

    /// A field's value of text that is not in the read: kept out of the way
    /// of the common case.
    #[inline(never)]
    fn to_own_value(self) -> Value {
        match (self.home, self.checked()) {
            (Home::Line { line, .. }, Some(text)) => Value::Own(line.slice_ref(text)),
            _ => {
                let mut buf = String::new();
                self.push_to(&mut buf);
                Value::Own(ByteString::from(buf))
            }
        }
    }

    /// Appends the text, invalid UTF-8 replaced with U+FFFD.
    pub(super) fn push_to(self, buf: &mut String) {
        match self.checked() {
            Some(text) => buf.push_str(text),
            None => push_lossy(buf, self.bytes),
        }
    }
}

/// Appends bytes decoded as UTF-8, invalid sequences replaced with U+FFFD
/// ("decode ... using the UTF-8 decode algorithm"), allocating only for invalid input.
fn push_lossy(buf: &mut String, bytes: &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => buf.push_str(s),
        Err(_) => buf.push_str(&String::from_utf8_lossy(bytes)),
    }
}
