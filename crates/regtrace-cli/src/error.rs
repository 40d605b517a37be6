//! How failures reach the user: a message, a hint, and an exit status.
//!
//! Exit status 2: the input or the request is wrong (validation problems, unknown ids, a
//! missing or foreign database); the user can fix it. Exit status 1: something failed that is
//! not the input's fault (I/O, SQLite), or a check found what it looks for (`audit --fail-on`).

use std::io::Write;
use std::process::ExitCode;

use regtrace_core::Diagnostics;
use regtrace_store::StoreError;

/// A failure of a command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input data has problems; each is listed.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The request cannot be answered as asked (unknown id, bad argument value).
    #[error("{message}")]
    Request {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// The command ran and its answer is a failure (e.g. an audit with findings at or above
    /// `--fail-on`): exit status 1.
    #[error("{0}")]
    Failed(String),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl CliError {
    /// A request error with a hint.
    pub fn request(message: impl Into<String>, hint: Option<String>) -> Self {
        CliError::Request {
            message: message.into(),
            hint,
        }
    }

    /// Prints the error to standard error and returns the exit status.
    pub fn report(self) -> ExitCode {
        let mut err = std::io::stderr().lock();
        let (text, hint, code) = match &self {
            CliError::Invalid(diagnostics) => (diagnostics.to_string(), None, 2),
            CliError::Request { message, hint } => (format!("error: {message}"), hint.clone(), 2),
            CliError::Store(StoreError::Missing(path)) => (
                format!("error: no database at {}", path.display()),
                Some(format!(
                    "create it with `regtrace --db {} import DATA_DIR`, or leave out --db (and REGTRACE_DB) to use the built-in seed data",
                    path.display()
                )),
                2,
            ),
            CliError::Store(StoreError::Foreign(path)) => (
                format!("error: {} is not a regtrace database", path.display()),
                Some("name a new file, or a database regtrace created; regtrace will not write into other files".into()),
                2,
            ),
            CliError::Store(e @ StoreError::TooNew { .. }) => {
                (format!("error: {e}"), Some("use a newer regtrace for this database".into()), 2)
            }
            CliError::Store(e @ StoreError::Inconsistent { .. }) => (
                format!("error: {e}"),
                Some("re-import the source files to rebuild the data set".into()),
                2,
            ),
            CliError::Store(e @ StoreError::DataChanged(_)) => (
                format!("error: {e}, again and again; nothing was recorded"),
                Some("another process keeps importing into this database; run the command again when it is done".into()),
                1,
            ),
            CliError::Store(e @ StoreError::Sqlite { source, .. })
                if matches!(
                    source.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
            {
                (
                    format!("error: {e}"),
                    Some("another process has been writing to this database for longer than regtrace waits (30 s); nothing was written; run the command again when it is done".into()),
                    1,
                )
            }
            CliError::Store(e) => (format!("error: {e}"), None, 1),
            CliError::Io { .. } => (format!("error: {self}"), None, 1),
            CliError::Failed(message) => (message.clone(), None, 1),
        };
        let _ = writeln!(err, "{text}");
        if let Some(hint) = hint {
            let _ = writeln!(err, "  hint: {hint}");
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
