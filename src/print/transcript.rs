//! `print --transcript`: the assembled answer on stdout as it streams.

use std::io::{self, Write};
use std::time::SystemTime;

use crate::insight::llm::Transcript;
use crate::sse::ConnMsg;
use crate::text::{self, Lines};

/// `print --transcript`: writes the answer to `W` as it streams, only the
/// newly assembled text each time, neutralised when `W` is a terminal.
/// The caller flushes when it has no more input waiting (as `print` does).
#[derive(Debug)]
pub struct TranscriptPrinter<W: Write> {
    out: W,
    transcript: Transcript,
    neutralise: bool,
    /// How many bytes of the transcript's text are written.
    written: usize,
}

impl<W: Write> TranscriptPrinter<W> {
    /// `neutralise`: make escape sequences and other control characters
    /// harmless (`std::io::IsTerminal` on stdout), keeping `\n` and `\t`.
    pub fn new(out: W, transcript: Transcript, neutralise: bool) -> Self {
        Self {
            out,
            transcript,
            neutralise,
            written: 0,
        }
    }

    /// See [`Transcript::set_started`].
    pub fn set_started(&mut self, at: SystemTime) {
        self.transcript.set_started(at);
    }

    /// Feeds one event and writes the text it added.
    pub fn push(&mut self, event_type: &str, data: &str, at: SystemTime) -> io::Result<()> {
        self.transcript.push(event_type, data, at);
        let text = self.transcript.text();
        let Some(new) = text.get(self.written..).filter(|s| !s.is_empty()) else {
            return Ok(());
        };
        if self.neutralise {
            self.out
                .write_all(text::neutralise(new, Lines::Multi).as_bytes())?;
        } else {
            self.out.write_all(new.as_bytes())?;
        }
        self.written = text.len();
        Ok(())
    }

    /// See [`Transcript::note_conn_msg`].
    pub fn note_conn_msg(&mut self, msg: &ConnMsg) {
        self.transcript.note_conn_msg(msg);
    }

    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Ends the text with a newline (when it does not end with one), flushes,
    /// and returns the summary paragraph for stderr.
    pub fn finish(&mut self) -> io::Result<String> {
        if self.written > 0 && !self.transcript.text().ends_with('\n') {
            self.out.write_all(b"\n")?;
        }
        self.out.flush()?;
        Ok(self.transcript.summary())
    }

    /// The writer, e.g. to see what a test's `Vec<u8>` holds so far.
    pub fn get_ref(&self) -> &W {
        &self.out
    }

    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(text: &str) -> String {
        serde_json::json!({"choices": [{"index": 0, "delta": {"content": text}}]}).to_string()
    }

    #[test]
    fn nothing_written_means_no_newline_at_the_end() {
        let mut printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), false);
        printer
            .push("tick", r#"{"n":1}"#, SystemTime::UNIX_EPOCH)
            .unwrap();
        let summary = printer.finish().unwrap();
        assert!(printer.get_ref().is_empty());
        assert!(summary.contains("no LLM stream recognised"), "{summary}");
    }

    #[test]
    fn a_text_that_ends_its_line_gets_no_second_newline() {
        let mut printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), true);
        printer
            .push("message", &chunk("done.\n"), SystemTime::UNIX_EPOCH)
            .unwrap();
        printer.finish().unwrap();
        assert_eq!(printer.into_inner(), b"done.\n");
    }
}
