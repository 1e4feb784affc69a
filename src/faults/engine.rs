//! The fault engine: a stream of reads in, the faulted stream of writes out,
//! waited for and ended as the faults say. What `serve` (demo and replay)
//! puts in front of its streams, and what a proxy can put in front of an
//! upstream's body.
//!
//! Order of the work: the structural faults ([`super::shaper`]: events,
//! corruption, cuts, delays), then `--buffer`, then `--gzip` (flushed at
//! every write so the stream stays live), then `--split` of what goes on
//! the wire. Each piece of a split is sent as a body frame of its own.

use std::io::{self, Write as _};
use std::time::Duration;

use bytes::Bytes;
use flate2::Compression;
use flate2::write::GzEncoder;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::{Stream, StreamExt as _};

use super::rng::SplitMix64;
use super::shaper::{Shaper, Step};
use super::{Faults, Split};
use crate::server::ResetSwitch;

/// How a faulted stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The input ended (or failed) and so did the output, cleanly.
    Upstream,
    /// A cut closed it cleanly before the input's end.
    Cut,
    /// It ends with a TCP reset (`--reset`): the stream yields an error
    /// last, and the connection is to be reset, not closed.
    Reset,
}

/// The faulted stream's items: a write, or the error that ends it.
pub type Chunk = Result<Bytes, io::Error>;

/// Applies `faults` to `input` in a task of its own; `on_end` is told how
/// the stream ended, after its last byte. A reset trips `reset` (the
/// connection's switch, from the request's extensions) once every byte
/// before it is flushed, then ends the stream with an error; without a
/// switch, the error alone drops the connection. The task stops when the
/// returned stream is dropped.
pub fn apply<S, E>(
    faults: Faults,
    input: S,
    reset: Option<ResetSwitch>,
    on_end: impl FnOnce(Ending) + Send + 'static,
) -> ReceiverStream<Chunk>
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    // One frame in flight: each piece of a split reaches the connection on its own.
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(run(faults, input, tx, reset, on_end));
    ReceiverStream::new(rx)
}

async fn run<S, E>(
    faults: Faults,
    input: S,
    tx: mpsc::Sender<Chunk>,
    reset: Option<ResetSwitch>,
    on_end: impl FnOnce(Ending) + Send + 'static,
) where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let mut shaper = Shaper::new(&faults);
    let mut wire = Wire::new(&faults);
    tokio::pin!(input);
    let mut steps = Vec::new();
    loop {
        let read = tokio::select! {
            biased;
            () = tx.closed() => return,
            read = input.next() => read,
        };
        match read {
            Some(Ok(bytes)) => shaper.feed(&bytes, &mut steps),
            Some(Err(err)) => {
                // The input failed: what came before is sent, then the failure.
                let err = err.to_string();
                steps.clear();
                let _ = wire.flush(shaper.rng(), &tx).await;
                on_end(Ending::Upstream);
                let _ = tx.send(Err(io::Error::other(err))).await;
                return;
            }
            None => shaper.finish(&mut steps),
        }
        for step in steps.drain(..) {
            match step {
                Step::Write(bytes) => {
                    if wire.write(bytes, shaper.rng(), &tx).await.is_err() {
                        return;
                    }
                }
                Step::Wait(delay) => {
                    tokio::select! {
                        biased;
                        () = tx.closed() => return,
                        () = tokio::time::sleep(delay) => {}
                    }
                }
                Step::End(ending) => {
                    if wire.finish(shaper.rng(), &tx).await.is_err() {
                        return;
                    }
                    on_end(ending);
                    if ending == Ending::Reset {
                        reset_connection(reset.as_ref(), &tx).await;
                    }
                    return;
                }
            }
        }
        if shaper.is_done() {
            return;
        }
    }
}

/// Trips the connection's switch once its last write is taken, makes the
/// connection flush it (an empty frame is taken and dropped, then the body
/// waits), then fails the body so the connection is dropped, and reset.
async fn reset_connection(switch: Option<&ResetSwitch>, tx: &mpsc::Sender<Chunk>) {
    if let Some(switch) = switch {
        let Ok(permit) = tx.reserve().await else {
            return;
        };
        switch.trip();
        permit.send(Ok(Bytes::new()));
        switch.flushed(RESET_FLUSH_LIMIT).await;
    }
    let reset = io::Error::new(
        io::ErrorKind::ConnectionReset,
        "connection reset on purpose (--reset)",
    );
    let _ = tx.send(Err(reset)).await;
}

/// How long a reset waits for the bytes before it to be flushed.
const RESET_FLUSH_LIMIT: Duration = Duration::from_secs(2);

/// The client went away.
struct Gone;

/// The byte-level faults between the structural ones and the connection.
struct Wire {
    split: Option<Split>,
    buffer: Option<usize>,
    held: Vec<u8>,
    gzip: Option<GzEncoder<Vec<u8>>>,
}

impl Wire {
    fn new(faults: &Faults) -> Self {
        Self {
            split: faults.split,
            buffer: faults
                .buffer_kib
                .map(|kib| usize::try_from(kib.saturating_mul(1024)).unwrap_or(usize::MAX)),
            held: Vec::new(),
            gzip: faults
                .gzip
                .then(|| GzEncoder::new(Vec::new(), Compression::default())),
        }
    }

    async fn write(
        &mut self,
        bytes: Bytes,
        rng: &mut SplitMix64,
        tx: &mpsc::Sender<Chunk>,
    ) -> Result<(), Gone> {
        match self.buffer {
            Some(size) => {
                self.held.extend_from_slice(&bytes);
                if self.held.len() >= size {
                    self.flush(rng, tx).await?;
                }
                Ok(())
            }
            None => self.send(bytes, rng, tx).await,
        }
    }

    /// Sends what `--buffer` holds.
    async fn flush(&mut self, rng: &mut SplitMix64, tx: &mpsc::Sender<Chunk>) -> Result<(), Gone> {
        if self.held.is_empty() {
            return Ok(());
        }
        let held = Bytes::from(std::mem::take(&mut self.held));
        self.send(held, rng, tx).await
    }

    /// The end of the body: what is held, then the gzip trailer.
    async fn finish(&mut self, rng: &mut SplitMix64, tx: &mpsc::Sender<Chunk>) -> Result<(), Gone> {
        self.flush(rng, tx).await?;
        if let Some(encoder) = self.gzip.take() {
            let trailer = encoder.finish().unwrap_or_default();
            self.pieces(Bytes::from(trailer), rng, tx).await?;
        }
        Ok(())
    }

    /// Compresses (flushing the compressor) and sends.
    async fn send(
        &mut self,
        bytes: Bytes,
        rng: &mut SplitMix64,
        tx: &mpsc::Sender<Chunk>,
    ) -> Result<(), Gone> {
        let bytes = match &mut self.gzip {
            Some(encoder) => {
                // Writing to a Vec cannot fail.
                let _ = encoder.write_all(&bytes);
                let _ = encoder.flush();
                Bytes::from(std::mem::take(encoder.get_mut()))
            }
            None => bytes,
        };
        self.pieces(bytes, rng, tx).await
    }

    async fn pieces(
        &mut self,
        bytes: Bytes,
        rng: &mut SplitMix64,
        tx: &mpsc::Sender<Chunk>,
    ) -> Result<(), Gone> {
        for piece in split(bytes, self.split, rng) {
            tx.send(Ok(piece)).await.map_err(|_| Gone)?;
        }
        Ok(())
    }
}

/// `bytes` cut as `--split` says: the pieces, in order, hold every byte once.
pub fn split(bytes: Bytes, split: Option<Split>, rng: &mut SplitMix64) -> Vec<Bytes> {
    if bytes.is_empty() {
        return Vec::new();
    }
    let Some(split) = split else {
        return vec![bytes];
    };
    let mut cuts = Vec::new();
    match split {
        Split::Fixed(n) => cuts.extend((n..bytes.len()).step_by(n.max(1))),
        Split::Random { min, max } => {
            let mut at = 0;
            loop {
                at += rng.between(min as u64, max as u64).max(1) as usize;
                if at >= bytes.len() {
                    break;
                }
                cuts.push(at);
            }
        }
        Split::Crlf => cuts.extend(
            bytes
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == b"\r\n")
                .map(|(i, _)| i + 1),
        ),
        Split::Utf8 => cuts.extend(
            bytes
                .windows(2)
                .enumerate()
                .filter(|(_, w)| (0xC2..=0xF4).contains(&w[0]) && (0x80..=0xBF).contains(&w[1]))
                .map(|(i, _)| i + 1),
        ),
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for at in cuts {
        pieces.push(bytes.slice(from..at));
        from = at;
    }
    pieces.push(bytes.slice(from..));
    pieces
}
