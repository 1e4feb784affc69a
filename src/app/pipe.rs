//! A tab's pipe: the task that carries its connection's messages to the UI
//! loop and, while the tab records (`C`), writes them to its capture first.
//! The recording happens here, off the UI loop: a burst of reads is written
//! to the file's buffer and flushed once the burst is over, so a firehose
//! costs the loop nothing and the file one write per burst.
//!
//! A pipe outlives the tab's connections: each new one is attached to it, the
//! one before dropped (its task ends, and nothing of it arrives after), and a
//! recording goes on across them, the old connection's end recorded.

use std::path::PathBuf;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::capture::CaptureWriter;
use crate::message::Msg;
use crate::sse::{CloseReason, ConnMsg};
use crate::state::{ConnId, TabId};

/// What the effect executor tells a pipe.
enum Control {
    /// Carry this connection's messages from now on (as connection `id`).
    Attach(ConnId, mpsc::Receiver<ConnMsg>),
    /// The tab's connection was stopped: no connection until the next attach.
    Detach,
    /// Record to this capture, opened at `path`.
    Record(PathBuf, CaptureWriter),
    /// Stop recording; the answer says how the file ended.
    StopRecording(oneshot::Sender<std::io::Result<()>>),
}

/// The executor's handle on a tab's pipe. Dropping it ends the task, its
/// recording closed (a tab closed, the app quitting: see [`Pipe::close`]).
pub struct Pipe {
    control: mpsc::UnboundedSender<Control>,
    task: JoinHandle<()>,
}

impl Pipe {
    /// Starts tab `tab`'s pipe: messages go to `to_loop`, what recording
    /// found (a file that failed) to `results`.
    pub fn spawn(
        tab: TabId,
        to_loop: mpsc::Sender<Msg>,
        results: mpsc::UnboundedSender<Msg>,
    ) -> Self {
        let (control, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(forward(tab, rx, to_loop, results));
        Self { control, task }
    }

    pub fn attach(&self, id: ConnId, rx: mpsc::Receiver<ConnMsg>) {
        let _ = self.control.send(Control::Attach(id, rx));
    }

    pub fn detach(&self) {
        let _ = self.control.send(Control::Detach);
    }

    pub fn record(&self, path: PathBuf, writer: CaptureWriter) {
        let _ = self.control.send(Control::Record(path, writer));
    }

    /// Stops recording; the answer comes when every record before is written.
    pub fn stop_recording(&self) -> oneshot::Receiver<std::io::Result<()>> {
        let (tx, rx) = oneshot::channel();
        let _ = self.control.send(Control::StopRecording(tx));
        rx
    }

    /// Ends the pipe and waits until its capture, if any, is closed and
    /// flushed: what quitting (or a signal) waits for.
    pub async fn close(self) {
        drop(self.control);
        let _ = self.task.await;
    }
}

/// What woke the pipe.
enum Next {
    Control(Option<Control>),
    Message(Option<ConnMsg>),
}

/// The capture a pipe writes, and its name for notices.
struct Recording {
    path: PathBuf,
    writer: CaptureWriter,
}

async fn forward(
    tab: TabId,
    mut control: mpsc::UnboundedReceiver<Control>,
    to_loop: mpsc::Sender<Msg>,
    results: mpsc::UnboundedSender<Msg>,
) {
    let mut current: Option<(ConnId, mpsc::Receiver<ConnMsg>)> = None;
    let mut recording: Option<Recording> = None;
    // A connection the user stopped, or one replaced: its capture says so
    // (once: a close already recorded is not repeated).
    let stopped = ConnMsg::Closed {
        reason: CloseReason::Stopped,
    };
    loop {
        let next = tokio::select! {
            biased;
            ctl = control.recv() => Next::Control(ctl),
            msg = recv(&mut current) => Next::Message(msg),
        };
        let msg = match next {
            // The executor is gone: the tab closed or the app is quitting.
            Next::Control(None) => break,
            Next::Control(Some(ctl)) => {
                match ctl {
                    Control::Attach(id, rx) => {
                        write(&mut recording, &stopped, tab, &results);
                        current = Some((id, rx));
                    }
                    Control::Detach => {
                        write(&mut recording, &stopped, tab, &results);
                        current = None;
                    }
                    Control::Record(path, writer) => recording = Some(Recording { path, writer }),
                    Control::StopRecording(reply) => {
                        let ended = recording.take().map_or(Ok(()), |r| r.writer.finish());
                        let _ = reply.send(ended);
                    }
                }
                continue;
            }
            // The connection's task ended: nothing until the next attach.
            Next::Message(None) => {
                current = None;
                continue;
            }
            Next::Message(Some(msg)) => msg,
        };
        let Some((id, rx)) = &mut current else {
            continue;
        };
        write(&mut recording, &msg, tab, &results);
        if to_loop.send(Msg::Conn { id: *id, msg }).await.is_err() {
            break;
        }
        // A burst is over when nothing more is queued: flush it to the file.
        if rx.is_empty()
            && let Some(r) = &mut recording
            && let Err(err) = r.writer.flush()
        {
            fail(&mut recording, &err, tab, &results);
        }
    }
    if let Some(mut r) = recording.take() {
        let _ = r.writer.buffer(&stopped);
        let _ = r.writer.finish();
    }
}

/// The next message of the current connection; pending while there is none.
async fn recv(current: &mut Option<(ConnId, mpsc::Receiver<ConnMsg>)>) -> Option<ConnMsg> {
    match current {
        Some((_, rx)) => rx.recv().await,
        None => std::future::pending().await,
    }
}

/// Buffers `msg` in the capture, if the tab records; a failing file stops
/// the recording and says so.
fn write(
    recording: &mut Option<Recording>,
    msg: &ConnMsg,
    tab: TabId,
    results: &mpsc::UnboundedSender<Msg>,
) {
    if let Some(r) = recording
        && let Err(err) = r.writer.buffer(msg)
    {
        fail(recording, &err, tab, results);
    }
}

fn fail(
    recording: &mut Option<Recording>,
    err: &std::io::Error,
    tab: TabId,
    results: &mpsc::UnboundedSender<Msg>,
) {
    if let Some(r) = recording.take() {
        let _ = results.send(Msg::Recording {
            tab,
            result: Err(format!(
                "the capture file {} failed: {err}",
                r.path.display()
            )),
        });
    }
}
