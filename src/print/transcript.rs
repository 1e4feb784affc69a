//! `print --transcript`: the assembled answer on stdout as it streams.

use std::io::{self, Write};
use std::time::SystemTime;

use crate::insight::llm::Transcript;
use crate::sse::ConnMsg;
use crate::text::{self, Lines};

/// `print --transcript`: writes the answer to `W` as it streams, only the
/// newly assembled text each time, neutralised when `W` is a terminal.
/// The caller flushes when it has no more input waiting (as `print` does).
///
/// With [`with_reasoning`](Self::with_reasoning) the model's reasoning comes
/// first under a `## Reasoning` heading, then the answer under `## Answer`;
/// without it the output is the answer alone (scripts rely on that).
#[derive(Debug)]
pub struct TranscriptPrinter<W: Write> {
    out: W,
    transcript: Transcript,
    neutralise: bool,
    /// How many bytes of the transcript's text are written.
    written: usize,
    /// Whether the reasoning is written too (`--reasoning`).
    show_reasoning: bool,
    /// How many bytes of the transcript's reasoning are written.
    reasoning_written: usize,
}

/// The heading over the reasoning, with `--reasoning`.
pub const REASONING_HEADING: &str = "## Reasoning";
/// The heading over the answer, when reasoning was written above it.
pub const ANSWER_HEADING: &str = "## Answer";

impl<W: Write> TranscriptPrinter<W> {
    /// `neutralise`: make escape sequences and other control characters
    /// harmless (`std::io::IsTerminal` on stdout), keeping `\n` and `\t`.
    pub fn new(out: W, transcript: Transcript, neutralise: bool) -> Self {
        Self {
            out,
            transcript,
            neutralise,
            written: 0,
            show_reasoning: false,
            reasoning_written: 0,
        }
    }

    /// Writes the reasoning too, before the answer, each under its heading.
    pub fn with_reasoning(mut self, show: bool) -> Self {
        self.show_reasoning = show;
        self
    }

    /// See [`Transcript::set_started`].
    pub fn set_started(&mut self, at: SystemTime) {
        self.transcript.set_started(at);
    }

    /// Feeds one event and writes the text it added.
    pub fn push(&mut self, event_type: &str, data: &str, at: SystemTime) -> io::Result<()> {
        self.transcript.push(event_type, data, at);
        // Reasoning streams before the answer; what comes once the answer
        // has begun waits for the end (see `finish`).
        if self.show_reasoning && self.written == 0 {
            self.write_reasoning(REASONING_HEADING)?;
        }
        let text = self.transcript.text();
        let Some(new) = text.get(self.written..).filter(|s| !s.is_empty()) else {
            return Ok(());
        };
        let new = new.to_owned();
        if self.written == 0 && self.reasoning_written > 0 {
            self.heading(ANSWER_HEADING)?;
        }
        self.write_text(&new)?;
        self.written += new.len();
        Ok(())
    }

    /// Writes the reasoning not yet written, under `heading` when it is the first.
    fn write_reasoning(&mut self, heading: &str) -> io::Result<()> {
        let reasoning = self.transcript.reasoning();
        let Some(new) = reasoning
            .get(self.reasoning_written..)
            .filter(|s| !s.is_empty())
        else {
            return Ok(());
        };
        let new = new.to_owned();
        if self.reasoning_written == 0 {
            self.out.write_all(heading.as_bytes())?;
            self.out.write_all(b"\n\n")?;
        }
        self.write_text(&new)?;
        self.reasoning_written += new.len();
        Ok(())
    }

    /// Ends the reasoning written so far with a blank line, then `heading`.
    fn heading(&mut self, heading: &str) -> io::Result<()> {
        let ends_line = self.transcript.reasoning().ends_with('\n');
        let gap: &[u8] = if ends_line { b"\n" } else { b"\n\n" };
        self.out.write_all(gap)?;
        self.out.write_all(heading.as_bytes())?;
        self.out.write_all(b"\n\n")
    }

    /// Server text to the writer, neutralised for a terminal.
    fn write_text(&mut self, new: &str) -> io::Result<()> {
        if self.neutralise {
            self.out
                .write_all(text::neutralise(new, Lines::Multi).as_bytes())
        } else {
            self.out.write_all(new.as_bytes())
        }
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
        let answered = self.written > 0;
        // The last line written ends: the answer's, else the reasoning's.
        let last = if answered {
            self.transcript.text()
        } else {
            self.transcript
                .reasoning()
                .get(..self.reasoning_written)
                .unwrap_or("")
        };
        if !last.is_empty() && !last.ends_with('\n') {
            self.out.write_all(b"\n")?;
        }
        // Reasoning that came once the answer had begun (a model thinking
        // between tool calls): after the answer, under its own heading.
        let rest = self
            .transcript
            .reasoning()
            .get(self.reasoning_written..)
            .unwrap_or("")
            .to_owned();
        if self.show_reasoning && answered && !rest.is_empty() {
            self.out
                .write_all(b"\n## Reasoning after the answer began\n\n")?;
            self.write_text(&rest)?;
            self.reasoning_written += rest.len();
            if !rest.ends_with('\n') {
                self.out.write_all(b"\n")?;
            }
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

    fn thought(text: &str) -> String {
        serde_json::json!({"choices": [{"index": 0, "delta": {"reasoning_content": text}}]})
            .to_string()
    }

    /// Reasoning, then the answer, then reasoning again (between tool calls).
    fn feed(printer: &mut TranscriptPrinter<Vec<u8>>) {
        for data in [
            thought("Think"),
            thought("ing.\x1b[2J"),
            chunk("Hi"),
            chunk("!"),
            thought("Later."),
        ] {
            printer.push("", &data, SystemTime::UNIX_EPOCH).unwrap();
        }
    }

    #[test]
    fn with_reasoning_the_thinking_comes_first_under_headings() {
        let printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), true);
        let mut printer = printer.with_reasoning(true);
        feed(&mut printer);
        let summary = printer.finish().unwrap();
        let out = String::from_utf8(printer.into_inner()).unwrap();
        assert_eq!(
            out,
            "## Reasoning\n\nThinking.␛[2J\n\n## Answer\n\nHi!\n\n## Reasoning after the answer began\n\nLater.\n"
        );
        assert!(summary.contains("reasoning 19 chars"), "{summary}");
    }

    #[test]
    fn without_reasoning_the_output_is_the_answer_alone() {
        let mut printer = TranscriptPrinter::new(Vec::new(), Transcript::new(), false);
        feed(&mut printer);
        let summary = printer.finish().unwrap();
        assert_eq!(printer.into_inner(), b"Hi!\n");
        assert!(
            summary.contains("reasoning tokens not reported"),
            "{summary}"
        );
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
