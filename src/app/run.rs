//! The UI loop: input, effects' results and the tabs' connections in, one
//! `update` per message, effects out, a frame per batch. Terminal input is
//! served first, so a flood of events never delays a keystroke.

use std::io;
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event;
use tokio::sync::mpsc;

use super::effects::{Executor, Outcome};
use super::terminal;
use crate::external_editor::InputPause;
use crate::message::Msg;
use crate::profile_store::ProfileStore;
use crate::shutdown::{self, Shutdown};
use crate::state::{self, AppState, ConnStatus};
use crate::ui::{self, Theme};

/// At most this many redraws per second, so a slow SSH link is not flooded.
const FRAME: Duration = Duration::from_millis(33);
/// How long the input thread waits for a key before it checks whether it
/// must stand aside for `$EDITOR` (so at most this delay before it opens).
const INPUT_POLL: Duration = Duration::from_millis(200);
/// Messages handled before the next redraw at the latest, so the screen keeps up.
const MAX_BATCH: usize = 4096;

/// The loop: wait for input, a connection message or a frame deadline;
/// update; execute effects; draw when something changed. Ends with the
/// reason when a signal or a lost terminal stopped it.
pub async fn run(
    terminal: &mut DefaultTerminal,
    mut state: AppState,
    theme: Theme,
    store: ProfileStore,
    start: super::Start,
    files: super::effects::Files,
) -> io::Result<Option<shutdown::Reason>> {
    // Before the first draw: from here SIGTERM and SIGHUP end the loop
    // instead of the process, so the terminal and captures are finished.
    let mut shutdown = Shutdown::listen().watching_terminal();
    let (input_tx, mut input_rx) = mpsc::channel(256);
    // The reader stands aside (paused) while `$EDITOR` has the terminal.
    let pause = InputPause::default();
    read_input(pause.clone(), input_tx, shutdown.terminal_lost());
    let (conn_tx, mut conn_rx) = mpsc::channel(1024);
    // What effects found out (a file saved, a profile read) comes back on a
    // queue of its own that never drops: one message per thing the user did.
    let (results_tx, mut results_rx) = mpsc::unbounded_channel();
    let tap_tx = conn_tx.clone();
    let mut executor = Executor::new(conn_tx, results_tx, store, pause, files);
    let mut tapping = None;
    let ended = async {
        match start {
            super::Start::Tap(tap) => tapping = Some(super::tap::spawn(*tap, tap_tx)),
            super::Start::Connect => {
                // A request that cannot be sent (a variable not set) opens the editor instead.
                for first in state::connect(&mut state) {
                    if let Outcome::TerminalLost(err) =
                        executor.execute(first, terminal, state.mouse_capture)
                    {
                        return terminal::lost_terminal(err);
                    }
                }
            }
            super::Start::Stdin(format) => {
                let id = state::begin_connection(&mut state);
                executor.read_stdin(state.active_id(), id, format);
            }
            super::Start::Offline => {}
        }
        let mut cache = ui::ContentCache::default();
        let mut dirty = true;
        let mut last_draw: Option<Instant> = None;
        // A key (or click, paste, resize) is answered with a frame at once: the
        // frame cap is for streams, and a person types a few keys a second.
        let mut input_seen = false;
        loop {
            let now = Instant::now();
            if dirty && (input_seen || last_draw.is_none_or(|t| now.duration_since(t) >= FRAME)) {
                input_seen = false;
                let mut drawn = None;
                if let Err(err) = terminal.draw(|frame| {
                    drawn = Some(ui::draw(frame, &state, &theme, &mut cache, now));
                }) {
                    return terminal::lost_terminal(err);
                }
                last_draw = Some(now);
                // What the frame learned goes back to the state; only a
                // scroll the new layout cut short needs another frame.
                let scroll = state.active().detail_scroll;
                if let Some(drawn) = drawn {
                    state::update(&mut state, Msg::Drawn(drawn));
                }
                dirty = state.active().detail_scroll != scroll;
            }
            let deadline = if dirty {
                last_draw.map(|t| t + FRAME)
            } else {
                tick_after(&state).map(|d| now + d)
            };
            let first = tokio::select! {
                biased;
                reason = shutdown.requested() => return Ok(Some(reason)),
                msg = input_rx.recv() => msg,
                msg = results_rx.recv() => msg,
                msg = conn_rx.recv() => msg,
                () = sleep_until(deadline) => Some(Msg::Tick(Instant::now())),
            };
            let Some(first) = first else {
                return Ok(None);
            };
            let mut batch = Batch::new(first);
            while let Some(msg) = batch.next(&mut input_rx, &mut results_rx, &mut conn_rx) {
                let input = is_answered_at_once(&msg);
                for effect in state::update(&mut state, msg) {
                    if let Outcome::TerminalLost(err) =
                        executor.execute(effect, terminal, state.mouse_capture)
                    {
                        return terminal::lost_terminal(err);
                    }
                }
                if state.quit {
                    return Ok(None);
                }
                dirty = true;
                if input {
                    // Drawn before the stream's queued messages are handled.
                    input_seen = true;
                    break;
                }
            }
            // A list being relisted goes on a slice per batch even while a
            // stream keeps the queue full (the tick's turn would never come).
            if state.is_relisting() {
                state::update(&mut state, Msg::Tick(Instant::now()));
                dirty = true;
            }
        }
    }
    .await;
    // However the loop ended, every capture is closed and flushed.
    executor.shut_down().await;
    if let Some(tapping) = tapping {
        tapping.finish();
    }
    ended
}

/// The terminal reader: a thread of its own (crossterm's reads block), its
/// events queued for the loop. A read error means the terminal is gone (EIO
/// after a hang-up): it cancels `terminal_lost`, which ends the loop.
fn read_input(
    pause: InputPause,
    input_tx: mpsc::Sender<Msg>,
    terminal_lost: tokio_util::sync::CancellationToken,
) {
    std::thread::spawn(move || {
        loop {
            let read = pause.reading(|| match event::poll(INPUT_POLL) {
                Ok(true) => event::read().map(Some),
                Ok(false) => Ok(None),
                Err(err) => Err(err),
            });
            match read {
                Ok(Some(ev)) => {
                    if input_tx.blocking_send(Msg::Input(ev)).is_err() {
                        break;
                    }
                }
                Ok(None) => {}
                Err(_) => {
                    terminal_lost.cancel();
                    break;
                }
            }
        }
    });
}

/// The messages handled before the next redraw: the one that woke the loop,
/// then what is already queued (input, then effects' results, then the
/// streams), at most [`MAX_BATCH`] in all.
/// A message leaves its queue only when it is about to be handled, so a full
/// batch leaves the rest queued for the next one: none is taken and dropped.
struct Batch {
    first: Option<Msg>,
    handed_out: usize,
}

impl Batch {
    fn new(first: Msg) -> Self {
        Self {
            first: Some(first),
            handed_out: 0,
        }
    }

    fn next(
        &mut self,
        input: &mut mpsc::Receiver<Msg>,
        results: &mut mpsc::UnboundedReceiver<Msg>,
        conn: &mut mpsc::Receiver<Msg>,
    ) -> Option<Msg> {
        if self.handed_out >= MAX_BATCH {
            return None;
        }
        let msg = match self.first.take() {
            Some(first) => first,
            None => input
                .try_recv()
                .or_else(|_| results.try_recv())
                .or_else(|_| conn.try_recv())
                .ok()?,
        };
        self.handed_out += 1;
        Some(msg)
    }
}

/// Whether a message is a person's: a key, paste, resize or mouse button or
/// wheel (not a mere move of the pointer, which comes by the hundred).
fn is_answered_at_once(msg: &Msg) -> bool {
    match msg {
        Msg::Input(event::Event::Mouse(mouse)) => {
            !matches!(mouse.kind, event::MouseEventKind::Moved)
        }
        Msg::Input(_) => true,
        _ => false,
    }
}

/// How soon the screen changes by itself: a countdown or the elapsed clock.
fn tick_after(state: &AppState) -> Option<Duration> {
    if state.is_relisting() {
        // The next slice of the list, as soon as nothing else waits.
        return Some(Duration::ZERO);
    }
    match state.active().status {
        ConnStatus::Reconnecting { .. } => Some(Duration::from_millis(100)),
        ConnStatus::Open | ConnStatus::Connecting => Some(Duration::from_secs(1)),
        _ => None,
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{
        Event, KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind,
    };

    use super::*;
    use crate::sse::{CloseReason, ConnMsg};

    fn mouse(kind: MouseEventKind) -> Msg {
        Msg::Input(Event::Mouse(MouseEvent {
            kind,
            column: 1,
            row: 1,
            modifiers: KeyModifiers::NONE,
        }))
    }

    #[test]
    fn a_full_batch_leaves_the_rest_queued_and_takes_input_first() {
        let (conn_tx, mut conn) = mpsc::channel(MAX_BATCH * 2);
        let (input_tx, mut input) = mpsc::channel(4);
        let tick = || Msg::Tick(Instant::now());
        for _ in 0..MAX_BATCH + 10 {
            conn_tx.try_send(tick()).unwrap();
        }
        input_tx.try_send(Msg::Notice("key".into())).unwrap();
        let (_results_tx, mut results) = mpsc::unbounded_channel();
        let mut batch = Batch::new(conn.try_recv().unwrap());
        let first = batch.next(&mut input, &mut results, &mut conn);
        assert!(
            matches!(first, Some(Msg::Tick(_))),
            "the message that woke the loop"
        );
        assert!(
            matches!(
                batch.next(&mut input, &mut results, &mut conn),
                Some(Msg::Notice(_))
            ),
            "input before the queued stream"
        );
        let mut handled = 2;
        while batch.next(&mut input, &mut results, &mut conn).is_some() {
            handled += 1;
        }
        assert_eq!(handled, MAX_BATCH);
        // MAX_BATCH + 10 of the stream's and a key: 11 more than a batch,
        // all still queued, none taken and lost.
        let mut left = 0;
        while conn.try_recv().is_ok() {
            left += 1;
        }
        assert_eq!(left, 11);
    }

    #[test]
    fn keys_clicks_and_resizes_are_drawn_at_once_but_pointer_moves_and_streams_wait() {
        let key = Msg::Input(Event::Key(KeyEvent::new(
            KeyCode::Char('j'),
            KeyModifiers::NONE,
        )));
        assert!(is_answered_at_once(&key));
        assert!(is_answered_at_once(&Msg::Input(Event::Resize(80, 24))));
        assert!(is_answered_at_once(&mouse(MouseEventKind::ScrollDown)));
        assert!(!is_answered_at_once(&mouse(MouseEventKind::Moved)));
        assert!(!is_answered_at_once(&Msg::Tick(Instant::now())));
        assert!(!is_answered_at_once(&Msg::Conn {
            id: crate::state::ConnId::new(1),
            msg: ConnMsg::Closed {
                reason: CloseReason::Ended
            }
        }));
    }
}
