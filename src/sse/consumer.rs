//! Where a connection's messages go.
//!
//! A spawned connection task sends them down a channel to the UI or `check`
//! ([`Channel`]); `print` runs the connection on its own task and takes them
//! as they happen ([`super::connection::run_inline`]), with a read's events
//! read in place as the parser dispatches them ([`EventSink`]) instead of
//! made into owned events, sent, printed and dropped one by one.

use std::future::Future;
use std::time::SystemTime;

use tokio::sync::mpsc;

use super::message::ConnMsg;
use super::parser::Dispatched;

/// What a connection tells, and how it hands over each read's events.
pub trait Consumer {
    /// Takes the next message, in the order things happened; false when the
    /// consumer is gone or wants nothing more, and the connection then stops.
    fn take(&mut self, msg: ConnMsg) -> impl Future<Output = bool> + Send;

    /// Where the events of the read about to be parsed go, if this consumer
    /// reads them in place; `None` (the default) to have them as the read's
    /// `Chunk::items`. The read was received at `received_at`, in attempt
    /// `attempt`; its `Data` message follows its events, with the blocks that
    /// dispatched nothing as its items.
    fn events_in_place(
        &mut self,
        attempt: u32,
        received_at: SystemTime,
    ) -> Option<&mut dyn EventSink> {
        let _ = (attempt, received_at);
        None
    }

    /// Everything read so far has been handed over, and the next read is not
    /// there yet: a moment to flush what is buffered.
    fn caught_up(&mut self) {}
}

/// A consumer of events read in place, as the parser dispatches them.
pub trait EventSink {
    /// One event, numbered `seq` over the connection's life. Its text is
    /// read where it lies (no copy, no shared count), or kept by copying it.
    fn event(&mut self, seq: u64, event: &Dispatched<'_>);
}

/// A channel to a consumer on another task.
pub struct Channel(pub mpsc::Sender<ConnMsg>);

impl Consumer for Channel {
    async fn take(&mut self, msg: ConnMsg) -> bool {
        self.0.send(msg).await.is_ok()
    }
}
