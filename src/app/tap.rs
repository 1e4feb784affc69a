//! `ssetui tap` in the UI: the proxy served in the loop's runtime, what
//! passes through it recorded (`--record`) and handed to the loop as
//! [`Msg::Tap`] on the connections' queue, and every capture closed when
//! the UI ends however it ends.

use std::sync::{Arc, Mutex};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::message::Msg;
use crate::server::Limits;
use crate::state::{AppState, TapView};
use crate::tap::run::{Recorder, TapStart, WATCH_CAPACITY};
use crate::tap::{TapMsg, TapServer};

/// A tap bound, not yet serving.
pub(crate) struct Tapping {
    server: TapServer,
    rx: mpsc::Receiver<TapMsg>,
    recorder: Option<Recorder>,
    limits: Limits,
    banner: String,
}

/// Binds the tap (in the runtime that will serve it).
pub(super) async fn bind(start: TapStart) -> Result<Tapping, String> {
    let (tx, rx) = mpsc::channel(WATCH_CAPACITY);
    let upstream = start.options.upstream.clone();
    let server = crate::tap::bind(start.addr, start.options, tx).await?;
    crate::tap::run::warn_if_exposed(server.local_addr());
    let banner = crate::tap::run::banner(&upstream, &server);
    Ok(Tapping {
        server,
        rx,
        recorder: start.recorder,
        limits: start.limits,
        banner,
    })
}

/// The first tab becomes the list of exchanges.
pub(super) fn into_state(state: &mut AppState, tapping: &Tapping) {
    state.tap = Some(TapView {
        overview: state.active_id(),
        streams: std::collections::HashMap::new(),
        exchanges: 0,
        stream_count: 0,
    });
    let session = state.active_mut();
    session.title = "tap: exchanges".into();
    session.offline = Some(format!(
        "{}: point the client here; each exchange is listed below, each event stream opens a tab ([ and ] or 1-9 switch tabs)",
        tapping.banner
    ));
    state.notice = Some(format!("{}: point the client at the tap", tapping.banner));
}

/// The tap serving, and its watcher forwarding to the loop.
pub(super) struct Running {
    tasks: Vec<JoinHandle<()>>,
    recorder: Arc<Mutex<Option<Recorder>>>,
}

/// Serves the tap; its messages go to the loop on `to_loop`.
pub(super) fn spawn(tapping: Tapping, to_loop: mpsc::Sender<Msg>) -> Running {
    let Tapping {
        server,
        mut rx,
        recorder,
        limits,
        ..
    } = tapping;
    let recorder = Arc::new(Mutex::new(recorder));
    // The UI's stderr is its screen: what the server says (a refused Host,
    // the connection cap) goes to the status line, or is lost if the loop
    // is busy rather than wait for it.
    let notices = to_loop.clone();
    let log: crate::server::Log = Arc::new(move |line: &str| {
        let _ = notices.try_send(Msg::Notice(line.to_owned()));
    });
    let serving = tokio::spawn(async move {
        let _ = server.serve_with(limits, log).await;
    });
    let kept = Arc::clone(&recorder);
    let watching = tokio::spawn(async move {
        while let Some(msg) = rx.recv().await {
            let problem = kept
                .lock()
                .ok()
                .and_then(|mut r| r.as_mut().and_then(|r| r.observe(&msg)));
            if let Some(problem) = problem
                && to_loop.send(Msg::Notice(problem)).await.is_err()
            {
                break;
            }
            // What only the recorder needs stays here.
            let recorded_only = matches!(msg, TapMsg::Plain { .. } | TapMsg::PlainRead { .. });
            if !recorded_only && to_loop.send(Msg::Tap(msg)).await.is_err() {
                break;
            }
        }
    });
    Running {
        tasks: vec![serving, watching],
        recorder,
    }
}

impl Running {
    /// Stops serving and closes every capture still open.
    pub(super) fn finish(self) {
        for task in self.tasks {
            task.abort();
        }
        if let Ok(mut recorder) = self.recorder.lock()
            && let Some(recorder) = recorder.as_mut()
        {
            recorder.finish();
        }
    }
}
