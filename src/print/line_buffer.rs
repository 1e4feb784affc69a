//! `print`'s stdout buffer, written a whole number of lines at a time.

use std::io::{self, IoSlice, Write};

const STDOUT_BUFFER_BYTES: usize = 64 * 1024;

/// From this length a piece is not copied into the buffer: it goes to
/// stdout from where it lies, after what is buffered, in one vectored
/// write. The copy was a pass over every byte of a big event's data.
const WRITTEN_THROUGH_BYTES: usize = STDOUT_BUFFER_BYTES;

/// The stdout buffer, handing stdout whole lines (Rust's stdout is
/// line-buffered: given a block that ends mid-line, as a `BufWriter`
/// flushes them, it searches the block for its last newline, writes up to
/// it and copies the rest aside, a second write and a copy per block).
/// The buffer is written only where a line has just ended, except before
/// a piece too big to be worth copying into it ([`WRITTEN_THROUGH_BYTES`]).
pub(super) struct LineBuffer<W: Write> {
    inner: W,
    /// What is not written yet; `--raw` appends to it directly.
    pub(super) buf: Vec<u8>,
}

impl<W: Write> LineBuffer<W> {
    pub(super) fn new(inner: W) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(STDOUT_BUFFER_BYTES * 2),
        }
    }

    /// A line (or, with `--raw`, a read) is complete: write the buffer once it is full.
    pub(super) fn line_ended(&mut self) -> io::Result<()> {
        if self.buf.len() >= STDOUT_BUFFER_BYTES {
            self.write_buffer()?;
        }
        Ok(())
    }

    /// Writes what is buffered and then `bytes`, in one vectored write
    /// where the writer takes both at once.
    fn write_through(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.write_all_through(&[IoSlice::new(bytes)])
    }

    /// Writes what is buffered and then `pieces`, in one vectored write
    /// where the writer takes them all at once.
    fn write_all_through(&mut self, pieces: &[IoSlice<'_>]) -> io::Result<()> {
        let mut slices: Vec<IoSlice<'_>> = Vec::with_capacity(pieces.len() + 1);
        slices.push(IoSlice::new(&self.buf));
        slices.extend(pieces.iter().map(|piece| IoSlice::new(piece)));
        let written = crate::capture::ndjson::write_all_vectored(&mut self.inner, &mut slices);
        self.buf.clear();
        written
    }

    fn write_buffer(&mut self) -> io::Result<()> {
        let written = self.inner.write_all(&self.buf);
        self.buf.clear();
        // One huge event must not keep its buffer for the rest of the stream.
        if self.buf.capacity() > STDOUT_BUFFER_BYTES * 4 {
            self.buf.shrink_to(STDOUT_BUFFER_BYTES * 2);
        }
        written
    }
}

impl<W: Write> Write for LineBuffer<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    // Inlined so the NDJSON writer's fixed pieces (`,"id":`...) are copied
    // as constants, not through a call per piece.
    #[inline(always)]
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.len() >= WRITTEN_THROUGH_BYTES {
            return self.write_through(bytes);
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// All of `pieces` at once: from where they lie when they are big
    /// (after what is buffered, in one vectored write), else copied into
    /// the buffer.
    fn write_vectored(&mut self, pieces: &[IoSlice<'_>]) -> io::Result<usize> {
        let len = pieces.iter().map(|piece| piece.len()).sum();
        if len >= WRITTEN_THROUGH_BYTES {
            self.write_all_through(pieces)?;
        } else {
            for piece in pieces {
                self.buf.extend_from_slice(piece);
            }
        }
        Ok(len)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_buffer()?;
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that keeps each `write_all` apart, and counts flushes.
    #[derive(Default)]
    struct Writes {
        calls: Vec<Vec<u8>>,
        flushes: usize,
    }

    impl Write for Writes {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.calls.push(bytes.to_vec());
            Ok(bytes.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    #[test]
    fn lines_are_held_until_the_buffer_is_full_then_written_in_one_write() {
        let mut out = LineBuffer::new(Writes::default());
        let line = [b'x'; 1023];
        let mut written = 0;
        while written + 1024 < STDOUT_BUFFER_BYTES {
            out.write_all(&line).unwrap();
            out.write_all(b"\n").unwrap();
            out.line_ended().unwrap();
            written += 1024;
        }
        assert!(
            out.inner.calls.is_empty(),
            "nothing before the buffer fills"
        );
        // Half a line past the mark: held until its line ends.
        out.write_all(&line).unwrap();
        out.write_all(&line).unwrap();
        assert!(out.inner.calls.is_empty());
        out.write_all(b"\n").unwrap();
        out.line_ended().unwrap();
        assert_eq!(out.inner.calls.len(), 1, "one write for the whole buffer");
        let call = &out.inner.calls[0];
        assert_eq!(call.len(), written + 2 * 1023 + 1);
        assert_eq!(call.last(), Some(&b'\n'), "it ends where a line ended");
        assert!(out.buf.is_empty());
        assert_eq!(out.inner.flushes, 0);
    }

    #[test]
    fn flush_writes_what_is_held_and_flushes_the_writer() {
        let mut out = LineBuffer::new(Writes::default());
        out.write_all(b"{\"a\":1}\n").unwrap();
        out.line_ended().unwrap();
        assert!(out.inner.calls.is_empty());
        out.flush().unwrap();
        assert_eq!(out.inner.calls, [b"{\"a\":1}\n".to_vec()]);
        assert_eq!(out.inner.flushes, 1);
    }

    #[test]
    fn one_huge_event_does_not_keep_its_buffer() {
        let mut out = LineBuffer::new(Vec::new());
        out.write_all(b"{\"data\":\"").unwrap();
        out.write_all(&vec![b'x'; STDOUT_BUFFER_BYTES * 16])
            .unwrap();
        out.write_all(b"\"}\n").unwrap();
        out.line_ended().unwrap();
        out.flush().unwrap();
        assert_eq!(out.inner.len(), STDOUT_BUFFER_BYTES * 16 + 12);
        assert!(out.inner.starts_with(b"{\"data\":\"xxx"));
        assert!(out.inner.ends_with(b"xxx\"}\n"));
        assert!(out.buf.capacity() <= STDOUT_BUFFER_BYTES * 2);
    }

    #[test]
    fn pieces_written_at_once_pass_through_when_big_and_are_buffered_when_small() {
        let mut out = LineBuffer::new(Writes::default());
        out.write_all(b"{\"data\":\"").unwrap();
        let big = [
            vec![b'a'; WRITTEN_THROUGH_BYTES / 2],
            vec![b'b'; WRITTEN_THROUGH_BYTES / 2],
        ];
        let slices = big.each_ref().map(|piece| IoSlice::new(piece));
        assert_eq!(out.write_vectored(&slices).unwrap(), WRITTEN_THROUGH_BYTES);
        assert!(out.buf.is_empty(), "nothing held once the pieces are out");
        let small = [b"cd".as_slice(), b"ef"].map(IoSlice::new);
        assert_eq!(out.write_vectored(&small).unwrap(), 4);
        assert!(
            out.inner.calls.concat().ends_with(b"bbb"),
            "the small ones wait"
        );
        out.write_all(b"\"}\n").unwrap();
        out.flush().unwrap();
        let mut expected = b"{\"data\":\"".to_vec();
        expected.extend(big.concat());
        expected.extend_from_slice(b"cdef\"}\n");
        assert_eq!(out.inner.calls.concat(), expected);
    }

    #[test]
    fn a_big_piece_goes_out_after_what_is_buffered_without_a_copy_into_the_buffer() {
        let mut out = LineBuffer::new(Writes::default());
        out.write_all(b"{\"a\":1}\n{\"data\":\"").unwrap();
        let big = vec![b'y'; WRITTEN_THROUGH_BYTES];
        out.write_all(&big).unwrap();
        assert!(out.buf.is_empty(), "nothing held once the big piece is out");
        assert!(out.buf.capacity() <= STDOUT_BUFFER_BYTES * 2, "never grown");
        out.write_all(b"\"}\n").unwrap();
        out.flush().unwrap();
        // `Writes` takes one slice a call: the buffered part, then the piece.
        let mut expected = b"{\"a\":1}\n{\"data\":\"".to_vec();
        expected.extend_from_slice(&big);
        expected.extend_from_slice(b"\"}\n");
        assert_eq!(out.inner.calls.concat(), expected);
        assert_eq!(out.inner.calls.len(), 3);
    }
}
