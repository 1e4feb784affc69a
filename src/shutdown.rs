//! Requests to stop that come from outside: SIGINT, SIGTERM, SIGHUP (an SSH
//! session dropping), or the terminal going away under the UI.
//!
//! Listening replaces the signals' default action (die at once), so the
//! caller ends the normal way: the terminal is restored and a capture being
//! written gets its last record. Registration is synchronous, so a signal
//! that arrives right after [`Shutdown::listen`] is never the default death.

use std::io::IsTerminal;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How often the UI checks that its terminal is still there. A hang-up
/// normally comes with SIGHUP; this catches one that came without it.
const TERMINAL_CHECK_INTERVAL: Duration = Duration::from_secs(1);

/// Why the process is asked to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// SIGINT (Ctrl-C outside raw mode, or `kill -INT`).
    Interrupt,
    /// SIGTERM (`kill`, a service manager, a container stopping).
    Terminate,
    /// SIGHUP: the controlling terminal hung up.
    Hangup,
    /// Reading or querying the terminal failed: it is gone.
    TerminalLost,
}

impl Reason {
    /// The status a shell reports for a process the signal ended: 128 + its number.
    /// A lost terminal counts as a hang-up.
    pub fn exit_status(self) -> u8 {
        match self {
            Self::Interrupt => 130,
            Self::Terminate => 143,
            Self::Hangup | Self::TerminalLost => 129,
        }
    }
}

/// Listens for stop requests until dropped.
#[derive(Debug)]
pub struct Shutdown {
    #[cfg(unix)]
    signals: Signals,
    terminal_lost: CancellationToken,
    /// Set when watching a terminal: the periodic check's timer.
    terminal_check: Option<tokio::time::Interval>,
}

impl Shutdown {
    /// Starts listening for SIGINT, SIGTERM and SIGHUP. Must be called inside a
    /// tokio runtime. A signal that cannot be registered keeps its default action.
    pub fn listen() -> Self {
        Self {
            #[cfg(unix)]
            signals: Signals::register(),
            terminal_lost: CancellationToken::new(),
            terminal_check: None,
        }
    }

    /// Also ends with [`Reason::TerminalLost`] when stdout stops being a
    /// terminal (a hung-up terminal fails the check), looked at every second.
    /// For the UI: after a hang-up, crossterm's read loop spins on end-of-file
    /// instead of returning an error, so the input thread cannot tell.
    pub fn watching_terminal(mut self) -> Self {
        if std::io::stdout().is_terminal() {
            let mut check = tokio::time::interval(TERMINAL_CHECK_INTERVAL);
            check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            self.terminal_check = Some(check);
        }
        self
    }

    /// A token whose cancellation ends [`Shutdown::requested`] with
    /// [`Reason::TerminalLost`]: for the thread reading the terminal, when a read fails.
    pub fn terminal_lost(&self) -> CancellationToken {
        self.terminal_lost.clone()
    }

    /// Waits for the first stop request. Cancel-safe: usable in a `select!` loop.
    pub async fn requested(&mut self) -> Reason {
        #[cfg(unix)]
        let signalled = self.signals.next();
        #[cfg(not(unix))]
        let signalled = ctrl_c();
        tokio::select! {
            reason = signalled => reason,
            () = self.terminal_lost.cancelled() => Reason::TerminalLost,
            () = terminal_gone(self.terminal_check.as_mut()) => Reason::TerminalLost,
        }
    }
}

/// The signals listened to; `None` where registering failed.
#[cfg(unix)]
#[derive(Debug)]
struct Signals {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
    hangup: Option<tokio::signal::unix::Signal>,
}

#[cfg(unix)]
impl Signals {
    fn register() -> Self {
        use tokio::signal::unix::{SignalKind, signal};
        Self {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
            hangup: signal(SignalKind::hangup()).ok(),
        }
    }

    async fn next(&mut self) -> Reason {
        tokio::select! {
            () = arrival(self.interrupt.as_mut()) => Reason::Interrupt,
            () = arrival(self.terminate.as_mut()) => Reason::Terminate,
            () = arrival(self.hangup.as_mut()) => Reason::Hangup,
        }
    }
}

/// Resolves when `signal` arrives; never for a signal not registered.
#[cfg(unix)]
async fn arrival(signal: Option<&mut tokio::signal::unix::Signal>) {
    match signal {
        Some(signal) => {
            if signal.recv().await.is_none() {
                // The runtime is shutting down: no signal can come any more.
                std::future::pending::<()>().await;
            }
        }
        None => std::future::pending().await,
    }
}

#[cfg(not(unix))]
async fn ctrl_c() -> Reason {
    match tokio::signal::ctrl_c().await {
        Ok(()) => Reason::Interrupt,
        Err(_) => std::future::pending().await,
    }
}

/// Resolves when the periodic check finds stdout no longer a terminal; never without a check.
async fn terminal_gone(check: Option<&mut tokio::time::Interval>) {
    let Some(check) = check else {
        return std::future::pending().await;
    };
    loop {
        check.tick().await;
        if terminal_is_gone() {
            return;
        }
    }
}

/// Whether stdout has stopped being a terminal: a hung-up terminal fails the check.
pub fn terminal_is_gone() -> bool {
    !std::io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_statuses_are_128_plus_the_signal_number() {
        assert_eq!(Reason::Interrupt.exit_status(), 128 + 2);
        assert_eq!(Reason::Hangup.exit_status(), 128 + 1);
        assert_eq!(Reason::Terminate.exit_status(), 128 + 15);
        assert_eq!(Reason::TerminalLost.exit_status(), 128 + 1);
    }

    #[tokio::test]
    async fn a_failed_terminal_read_ends_the_wait() {
        let mut shutdown = Shutdown::listen();
        shutdown.terminal_lost().cancel();
        assert_eq!(shutdown.requested().await, Reason::TerminalLost);
    }
}
