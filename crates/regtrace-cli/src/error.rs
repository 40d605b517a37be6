//! How failures reach the user: a message, a hint, and an exit status.
//!
//! Exit status 2: the input or the request is wrong (validation problems, unknown ids, a
//! missing or foreign database); the user can fix it. Exit status 1: something failed that is
//! not the input's fault (I/O, SQLite, another writer), or a check found what it looks for
//! (`audit --fail-on`).

use std::io::Write;
use std::process::ExitCode;

use regtrace_app::{AppError, StoreError};

/// A failure of a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A use case could not answer.
    #[error(transparent)]
    App(#[from] AppError),
    /// The command ran and its answer is a failure (e.g. an audit with findings at or above
    /// `--fail-on`): exit status 1.
    #[error("{0}")]
    Failed(String),
}

impl CliError {
    /// A request error (exit status 2) with a hint.
    pub fn request(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        CliError::App(AppError::request(message, hint))
    }

    /// An I/O failure on `path` (exit status 1).
    pub fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        CliError::App(AppError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Prints the error to standard error and returns the exit status.
    pub fn report(self) -> ExitCode {
        let (text, hint, code) = match &self {
            CliError::App(AppError::Invalid(diagnostics)) => (diagnostics.to_string(), None, 2),
            CliError::App(e @ AppError::Store(StoreError::DataChanged(_))) => (
                format!("error: {e}, again and again; nothing was recorded"),
                e.hint(),
                1,
            ),
            CliError::App(e) => (
                format!("error: {e}"),
                e.hint(),
                if e.is_users_to_fix() { 2 } else { 1 },
            ),
            CliError::Failed(message) => (message.clone(), None, 1),
        };
        let mut report = format!("{}\n", regtrace_core::text::visible(&text));
        if let Some(hint) = hint {
            report.push_str(&format!("  hint: {}\n", regtrace_core::text::visible(&hint)));
        }
        let _ = std::io::stderr()
            .lock()
            .write_all(crate::colour::stderr(&report).as_bytes());
        ExitCode::from(code)
    }
}

/// Replaces Rust's panic message and backtrace with a short report: a panic is a bug in
/// regtrace, never the user's doing.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The built-in layout engine's panics are caught and reported as a failed picture.
        if regtrace_render::image::laying_out() {
            return;
        }
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "error: internal error in regtrace{location}: {message}\n  hint: this is a bug; please report it with the command you ran. Your data was not changed by the failed command."
        );
    }));
}

/// Turns a bus error into a short report. Queries read the database's snapshot through a memory
/// map; regtrace never changes that file in place (it writes a new one and renames it), but if
/// another program truncates it while a query runs, reading a page past the new end raises
/// SIGBUS, which would end the process with only "Bus error". The handler writes what happened
/// and exits with status 1 (nothing is written by a query, and a writer's transaction is rolled
/// back by SQLite when the process ends).
#[cfg(unix)]
pub fn install_bus_error_report() {
    const REPORT: &[u8] = b"error: a file regtrace was reading through a memory map (the query snapshot beside the database, or a large file being imported) was cut short while this command ran: another program truncated or rewrote it in place, or the disk failed\n  hint: nothing was written by this command; run it again, and `regtrace verify` checks the database and its snapshot\n";

    extern "C" fn report(_: libc::c_int) {
        // Only async-signal-safe calls: write(2) and _exit(2).
        #[allow(unsafe_code, reason = "a signal handler can only call the C library")]
        unsafe {
            libc::write(2, REPORT.as_ptr().cast(), REPORT.len());
            libc::_exit(1);
        }
    }

    #[allow(
        unsafe_code,
        reason = "installing a signal handler is a C library call; the handler is async-signal-safe"
    )]
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = report as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// Elsewhere there is no SIGBUS to report.
#[cfg(not(unix))]
pub fn install_bus_error_report() {}
