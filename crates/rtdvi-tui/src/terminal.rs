//! The terminal: raw mode, alternate screen, bracketed paste, mouse, cursor shape, and putting it
//! all back on every way out (normal exit, panic, SIGTERM/SIGHUP, `<C-z>` suspend).
//!
//! Signals only set a flag (the one thing a handler may safely do); the event loop sees it within
//! one poll interval, flushes the swap files and restores the terminal.

use std::io::{Stdout, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use crossterm::cursor::SetCursorStyle;
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{execute, terminal};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

/// The deadly signal received (0: none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);
/// Whether the terminal is in our mode (so the panic hook knows whether to restore it).
static ACTIVE: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(sig: libc::c_int) {
    SIGNAL.store(sig, Ordering::SeqCst);
}

/// The signal that asked us to stop, if one arrived.
pub fn pending_signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Cursor shapes per mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CursorShape {
    /// Normal mode.
    Block,
    /// Insert mode and the command line.
    Bar,
    /// Replace and operator-pending modes.
    Underline,
}

/// The terminal in use.
pub struct Term {
    /// The ratatui terminal (double-buffered grid, diffed on every draw).
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    mouse: bool,
    shape: Option<CursorShape>,
}

fn install_signal_handlers() {
    // A hang-up can leave the main loop stuck inside the terminal library, which keeps reading a
    // terminal that only returns end-of-file. This watchdog ends the process if the main loop has
    // not handled the signal within half a second. Nothing is lost: every change reached the swap
    // file's journal with write(2) when its command finished, and the swap files are kept.
    std::thread::spawn(|| loop {
        std::thread::sleep(std::time::Duration::from_millis(100));
        if SIGNAL.load(Ordering::SeqCst) != 0 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            if ACTIVE.swap(false, Ordering::SeqCst) {
                restore_raw(false);
            }
            // SAFETY: _exit ends the process at once; no Rust invariant outlives it.
            unsafe { libc::_exit(1) };
        }
    });
    for sig in [libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: `on_signal` only stores to an atomic, which is async-signal-safe; sigaction
        // with a zeroed struct and a valid handler pointer is the documented way to install it.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if ACTIVE.swap(false, Ordering::SeqCst) {
            restore_raw(true);
        }
        previous(info);
    }));
}

/// Puts the terminal back as we found it (idempotent; ignores errors: this runs on the way out).
fn restore_raw(mouse: bool) {
    let mut out = std::io::stdout();
    if mouse {
        let _ = execute!(out, DisableMouseCapture);
    }
    let _ = execute!(
        out,
        SetCursorStyle::DefaultUserShape,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = terminal::disable_raw_mode();
    let _ = out.flush();
}

impl Term {
    /// Takes over the terminal: raw mode, alternate screen, bracketed paste, signal handlers.
    pub fn enter(mouse: bool) -> std::io::Result<Term> {
        install_signal_handlers();
        install_panic_hook();
        let mut t = Term { terminal: Terminal::new(CrosstermBackend::new(std::io::stdout()))?, mouse, shape: None };
        t.setup()?;
        Ok(t)
    }

    fn setup(&mut self) -> std::io::Result<()> {
        terminal::enable_raw_mode()?;
        let mut out = std::io::stdout();
        execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
        if self.mouse {
            execute!(out, EnableMouseCapture)?;
        }
        ACTIVE.store(true, Ordering::SeqCst);
        self.shape = None;
        self.terminal.clear()?;
        Ok(())
    }

    /// Turns mouse reporting on or off ('mouse' changed).
    pub fn set_mouse(&mut self, on: bool) {
        if on != self.mouse {
            let mut out = std::io::stdout();
            let _ = if on { execute!(out, EnableMouseCapture) } else { execute!(out, DisableMouseCapture) };
            self.mouse = on;
        }
    }

    /// Sets the cursor shape (only writes when it changes).
    pub fn set_cursor_shape(&mut self, shape: CursorShape) {
        if self.shape == Some(shape) {
            return;
        }
        let style = match shape {
            CursorShape::Block => SetCursorStyle::SteadyBlock,
            CursorShape::Bar => SetCursorStyle::SteadyBar,
            CursorShape::Underline => SetCursorStyle::SteadyUnderScore,
        };
        let _ = execute!(std::io::stdout(), style);
        self.shape = Some(shape);
    }

    /// Gives the terminal back (end of the session).
    pub fn leave(&mut self) {
        if ACTIVE.swap(false, Ordering::SeqCst) {
            restore_raw(self.mouse);
        }
    }

    /// `<C-z>`: restore the terminal, stop the process, and take the terminal again on `fg`.
    pub fn suspend(&mut self) -> std::io::Result<()> {
        self.leave();
        // SAFETY: raising SIGTSTP stops this process with the default action; the call returns
        // after SIGCONT.
        unsafe {
            libc::raise(libc::SIGTSTP);
        }
        self.setup()
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        self.leave();
    }
}
