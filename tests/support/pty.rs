//! The real binary in a pseudo-terminal, its screen read through a vt100
//! parser, for end-to-end tests of the UI.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const ROWS: u16 = 30;
pub const COLS: u16 = 110;
pub const PATIENCE: Duration = Duration::from_secs(15);

/// The app running in a pseudo-terminal.
pub struct Pty {
    pub screen: Arc<Mutex<vt100::Parser>>,
    /// A message per read of terminal output; disconnected when the app closes the terminal.
    pub output: Receiver<()>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    /// `None` once `hang_up` closed it.
    pub master: Option<Box<dyn MasterPty + Send>>,
}

impl Pty {
    pub fn start(args: &[&str]) -> Self {
        Self::start_with_env(args, &[])
    }

    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::start_in(None, args, env)
    }

    /// Runs `script` with `sh -c`, the app somewhere inside it.
    pub fn start_with_shell(script: &str) -> Self {
        Self::spawn(CommandBuilder::new("sh"), &["-c", script], &[], None)
    }

    pub fn start_in(cwd: Option<&std::path::Path>, args: &[&str], env: &[(&str, &str)]) -> Self {
        Self::spawn(
            CommandBuilder::new(env!("CARGO_BIN_EXE_ssetui")),
            args,
            env,
            cwd,
        )
    }

    pub fn spawn(
        mut cmd: CommandBuilder,
        args: &[&str],
        env: &[(&str, &str)],
        cwd: Option<&std::path::Path>,
    ) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        // The history and anything else kept beside the config go to the
        // test process's own directory (see `support::app`), unless the test
        // chose where the config is.
        let chooses = |name: &str| env.iter().any(|(n, _)| *n == name);
        if !chooses("HOME") && !chooses("XDG_CONFIG_HOME") {
            cmd.env(ssetui::config::location::ENV_VAR, super::isolated_config());
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        if let Some(dir) = cwd {
            cmd.cwd(dir);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn ssetui");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let rows = NonZeroU16::new(ROWS).unwrap();
        let cols = NonZeroU16::new(COLS).unwrap();
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let (tx, output) = channel();
        let parser = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                parser.lock().unwrap().process(&buf[..n]);
                if tx.send(()).is_err() {
                    break;
                }
            }
        });
        Self {
            screen,
            output,
            writer,
            child,
            master: Some(pair.master),
        }
    }

    pub fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Waits until the screen satisfies `pred`, failing with the screen shown.
    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) {
        self.wait_for_within(what, PATIENCE, pred);
    }

    /// [`Pty::wait_for`] with a patience of its own, for work that grows with the data.
    pub fn wait_for_within(&self, what: &str, patience: Duration, pred: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + patience;
        loop {
            let text = self.contents();
            if pred(&text) {
                return;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(RecvTimeoutError::Timeout) => {
                    panic!("timed out waiting for {what}; screen:\n{text}")
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("the app closed before {what}; screen:\n{text}")
                }
            }
        }
    }

    pub fn keys(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Quits with `q` and waits for the terminal to close; returns whether the exit was a success.
    pub fn quit(&mut self) -> bool {
        self.keys("q");
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    let _ = self.child.kill();
                    panic!("the app did not quit; screen:\n{}", self.contents());
                }
            }
        }
        self.child.wait().expect("wait for ssetui").success()
    }
}

impl Pty {
    pub fn pid(&self) -> String {
        self.child.process_id().expect("a pid").to_string()
    }

    /// Sends `signal` (`TERM`, `HUP`...) to the app.
    pub fn signal(&self, signal: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &self.pid()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal}");
    }

    /// Waits for the app to close the terminal and exit; its exit code.
    pub fn exit_code(&mut self) -> u32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(()) => {}
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("the app did not exit; screen:\n{}", self.contents());
                }
            }
        }
        self.child.wait().expect("wait for ssetui").exit_code()
    }

    /// Closes the terminal as a dropped SSH session does: every handle on the
    /// pty's master side goes, the kernel hangs the terminal up. Returns the
    /// app's exit code, failing if it does not exit promptly.
    pub fn hang_up(&mut self) -> u32 {
        // The reader thread lets go of its handle after its next read (the
        // app redraws its clock every second) once nobody listens.
        self.output = channel().1;
        self.writer = Box::new(std::io::sink());
        self.master = None;
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("query the app") {
                return status.exit_code();
            }
            assert!(
                Instant::now() < deadline,
                "the app did not exit within {PATIENCE:?} of the hang-up"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
