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
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "{}", regtrace_core::text::visible(&text));
        if let Some(hint) = hint {
            let _ = writeln!(err, "  hint: {}", regtrace_core::text::visible(&hint));
        }
        ExitCode::from(code)
    }
}

/// Replaces Rust's panic message and backtrace with a short report: a panic is a bug in
/// regtrace, never the user's doing.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
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
