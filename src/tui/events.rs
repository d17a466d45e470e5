//! Everything that wakes the event loop arrives on one channel, as a `Msg`: the terminal's
//! input (keys, pastes, resizes, and its hanging up), the index thread's result, the previewed
//! file's saves, signals, and a tmux shell pane closing. The loop blocks on the channel until
//! the next message or its next timer, so nothing waits on a polling interval (the ratatui
//! templates' event-thread pattern).
//!
//! The terminal reader can be paused and resumed: while the responder is in a shell (`!`,
//! Ctrl-Z) the terminal's input belongs to that shell, and nothing here may read it.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};

use super::background::Built;

/// A signal the session reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    Hangup,
    Terminate,
    Interrupt,
    Quit,
    /// Ctrl-Z from outside (`kill -TSTP`): suspend the way Ctrl-Z in the TUI does.
    Stop,
    /// Continued after a stop nobody here asked for (`kill -STOP`, then `fg`): redraw.
    Continue,
}

impl Signal {
    /// Why the session ended, for the journal; `None` for signals that do not end it.
    pub(crate) fn ends_session(self) -> Option<&'static str> {
        match self {
            Signal::Hangup => Some("hangup (SIGHUP): the terminal or SSH link went away"),
            Signal::Terminate => Some("terminated (SIGTERM)"),
            Signal::Interrupt => Some("interrupted (SIGINT)"),
            Signal::Quit => Some("quit signal (SIGQUIT)"),
            Signal::Stop | Signal::Continue => None,
        }
    }
}

/// One thing for the event loop.
#[derive(Debug)]
pub(crate) enum Msg {
    /// A key, a paste, a resize, focus or mouse (the loop ignores what it does not use).
    Terminal(Event),
    /// The terminal hung up (its SSH link or window closed without a SIGHUP reaching us).
    TerminalGone,
    /// The terminal could not be read.
    TerminalError(String),
    Index(Built),
    /// The previewed file (or its folder) changed; it is read once it has been quiet.
    FileChanged,
    Signal(Signal),
    /// A tmux pane opened by the session closed (its shell exited).
    PaneClosed(String),
}

/// The loop's end of the channel, and a sender to hand to threads.
#[derive(Debug)]
pub(crate) struct Events {
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
}

impl Events {
    pub(crate) fn new() -> Events {
        let (tx, rx) = channel();
        Events { tx, rx }
    }

    pub(crate) fn sender(&self) -> Sender<Msg> {
        self.tx.clone()
    }

    /// The next message, waiting at most until `deadline`; `None` when the deadline came
    /// first (a timer is due).
    pub(crate) fn next(&self, deadline: Instant) -> Option<Msg> {
        self.rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).ok()
    }

    /// A message already waiting, without blocking (to handle a burst before drawing).
    pub(crate) fn pending(&self) -> Option<Msg> {
        self.rx.try_recv().ok()
    }
}

/// Whether the reader may read the terminal, and whether it is parked (not inside a read).
#[derive(Debug, Default)]
struct Gate {
    paused: bool,
    parked: bool,
}

/// The thread that reads the terminal, pausable.
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    gate: Arc<(Mutex<Gate>, Condvar)>,
}

/// How long one wait for input lasts before the reader looks at its gate again; it bounds
/// how long pausing takes, not how soon a key is seen (a key ends the wait at once).
const GATE_CHECK: Duration = Duration::from_millis(50);

/// How long the reader waits for a key behind one just read before taking the ones it has:
/// the bytes of a paste are there at once; a person's next key comes tens of ms later.
const BURST_GAP: Duration = Duration::from_millis(2);

impl Reader {
    /// Start reading the terminal into `tx`.
    pub(crate) fn start(tx: Sender<Msg>) -> Reader {
        let gate: Arc<(Mutex<Gate>, Condvar)> = Arc::default();
        let g = Arc::clone(&gate);
        std::thread::Builder::new()
            .name("terminal input".into())
            .spawn(move || read_terminal(&g, &tx))
            .map_or_else(|_| Reader { gate: Arc::default() }, |_| Reader { gate })
    }

    /// Stop reading the terminal; returns once the reader is outside any read.
    pub(crate) fn pause(&self) {
        let (lock, cvar) = &*self.gate;
        let mut g = lock.lock().unwrap_or_else(PoisonError::into_inner);
        g.paused = true;
        // The reader parks within one GATE_CHECK; a dead reader never does, so do not wait long.
        let deadline = Instant::now() + GATE_CHECK * 10;
        while !g.parked && Instant::now() < deadline {
            g = cvar.wait_timeout(g, GATE_CHECK).map_or_else(|e| e.into_inner().0, |(g, _)| g);
        }
    }

    pub(crate) fn resume(&self) {
        let (lock, cvar) = &*self.gate;
        lock.lock().unwrap_or_else(PoisonError::into_inner).paused = false;
        cvar.notify_all();
    }
}

fn read_terminal(gate: &(Mutex<Gate>, Condvar), tx: &Sender<Msg>) {
    let (lock, cvar) = gate;
    loop {
        {
            let mut g = lock.lock().unwrap_or_else(PoisonError::into_inner);
            while g.paused {
                g.parked = true;
                cvar.notify_all();
                g = cvar.wait(g).unwrap_or_else(PoisonError::into_inner);
            }
            g.parked = false;
        }
        // crossterm's reader spins on a hung-up terminal: look before reading.
        if terminal_gone() {
            let _ = tx.send(Msg::TerminalGone);
            return;
        }
        let first = match event::poll(GATE_CHECK) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(e) => Err(e),
        };
        let mut msgs = Vec::new();
        match first {
            // Text keys: with those already waiting behind them (a paste a terminal did not
            // mark arrives all at once), settled into keys or one paste.
            Ok(e) if super::burst::typed(&e).is_some() => {
                let mut keys = vec![e];
                let mut after = None;
                while matches!(event::poll(BURST_GAP), Ok(true)) {
                    match event::read() {
                        Ok(e) if super::burst::typed(&e).is_some() => keys.push(e),
                        other => {
                            after = Some(other);
                            break;
                        }
                    }
                }
                msgs.extend(super::burst::settle(keys).into_iter().map(Msg::Terminal));
                msgs.extend(after.map(|r| r.map_or_else(|e| Msg::TerminalError(e.to_string()), Msg::Terminal)));
            }
            Ok(e) => msgs.push(Msg::Terminal(e)),
            Err(e) => msgs.push(Msg::TerminalError(e.to_string())),
        }
        for msg in msgs {
            let fatal = matches!(msg, Msg::TerminalError(_));
            if tx.send(msg).is_err() || fatal {
                return;
            }
        }
    }
}

/// Whether the terminal hung up (its SSH link or terminal window closed without a SIGHUP
/// reaching us).
fn terminal_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec { tv_sec: 0, tv_nsec: 0 };
    poll(&mut fds, Some(&now)).is_ok() && fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// Forward the session's signals into `tx`, from a thread of their own. Registered before the
/// terminal is touched, so a SIGHUP at any moment ends the session cleanly.
pub(crate) fn forward_signals(tx: Sender<Msg>) -> std::io::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT, SIGQUIT, SIGTSTP, SIGCONT])?;
    std::thread::Builder::new().name("signals".into()).spawn(move || {
        for sig in signals.forever() {
            let s = match sig {
                SIGHUP => Signal::Hangup,
                SIGTERM => Signal::Terminate,
                SIGINT => Signal::Interrupt,
                SIGQUIT => Signal::Quit,
                SIGTSTP => Signal::Stop,
                _ => Signal::Continue,
            };
            if tx.send(Msg::Signal(s)).is_err() {
                return;
            }
        }
    })?;
    Ok(())
}
