//! [`AppError`]: why a use case could not answer, with a hint a person can act on. Front ends
//! choose how to show it (the CLI: a message, a hint and an exit status; a server: a page).

use std::path::PathBuf;

use regtrace_core::Diagnostics;
use regtrace_store::StoreError;

/// A failure of a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input data has problems; each is listed with its place.
    #[error("{0}")]
    Invalid(Diagnostics),
    /// The request cannot be answered as asked (bad value, missing database).
    #[error("{message}")]
    Request {
        /// What is wrong.
        message: String,
        /// How to fix it.
        hint: Option<String>,
    },
    /// The request names a node the data does not hold (a web server answers 404).
    #[error("{message}")]
    UnknownNode {
        /// Which id.
        message: String,
        /// The nearest id, or how to find one.
        hint: Option<String>,
    },
    /// Another process held the database's write lock for longer than regtrace waits; nothing
    /// was written.
    #[error("{0}")]
    Busy(StoreError),
    /// The store refused or failed.
    #[error("{0}")]
    Store(StoreError),
    /// Reading a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        if error.is_busy() {
            AppError::Busy(error)
        } else {
            AppError::Store(error)
        }
    }
}

impl From<Diagnostics> for AppError {
    fn from(diagnostics: Diagnostics) -> Self {
        AppError::Invalid(diagnostics)
    }
}

impl AppError {
    /// A request error with a hint.
    pub fn request(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        AppError::Request {
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// True when the user can fix it (the input, the request, the database named); false when
    /// something failed that is not the input's fault (I/O, SQLite, another writer).
    pub fn is_users_to_fix(&self) -> bool {
        match self {
            AppError::Invalid(_) | AppError::Request { .. } | AppError::UnknownNode { .. } => true,
            AppError::Store(
                StoreError::Missing(_)
                | StoreError::Foreign(_)
                | StoreError::Damaged(_)
                | StoreError::TooNew { .. }
                | StoreError::Inconsistent { .. }
                | StoreError::AlreadyClosed(_)
                | StoreError::NotClosed(_)
                | StoreError::ReadOnly(_)
                | StoreError::ReadOnlyAndOld { .. }
                | StoreError::HistoryExists(_),
            ) => true,
            AppError::Busy(_) | AppError::Store(_) | AppError::Io { .. } => false,
        }
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            AppError::Invalid(_) | AppError::Io { .. } => None,
            AppError::Request { hint, .. } | AppError::UnknownNode { hint, .. } => hint.clone(),
            AppError::Busy(_) => Some(
                "another process has been writing to this database for longer than regtrace waits (30 s); \
                 nothing was written; run the command again when it is done"
                    .into(),
            ),
            AppError::Store(StoreError::Missing(path)) => Some(format!(
                "create it with `regtrace --db {} import DATA_DIR`, or leave out --db (and REGTRACE_DB) to use the built-in seed data",
                path.display()
            )),
            AppError::Store(StoreError::Damaged(path)) => Some(format!(
                "nothing was read or written; restore {} from a backup (a damaged header cannot be repaired from inside; `regtrace verify --repair` rebuilds only the snapshot), then re-import your source files if the backup is older",
                path.display()
            )),
            AppError::Store(StoreError::Foreign(_)) => Some(
                "name a new file, or a database regtrace created; regtrace will not write into other files"
                    .into(),
            ),
            AppError::Store(StoreError::TooNew { .. }) => {
                Some("use a newer regtrace for this database".into())
            }
            AppError::Store(StoreError::Inconsistent { .. }) => {
                Some("re-import the source files to rebuild the data set".into())
            }
            AppError::Store(StoreError::ReadOnly(path)) => Some(format!(
                "nothing was written; to record changes or reviews, get write access to {} and its directory, or copy it somewhere writable",
                path.display()
            )),
            AppError::Store(StoreError::ReadOnlyAndOld { path, .. }) => Some(format!(
                "run any regtrace command on {} once where it is writable, which migrates it; then it can be read here",
                path.display()
            )),
            AppError::Store(StoreError::HistoryExists(_)) => Some(
                "import the document into a new database to restore its history, or remove its \"events\" and \"reviews\" to import the data alone"
                    .into(),
            ),
            AppError::Store(StoreError::DataChanged(_)) => Some(
                "another process keeps importing into this database; run the command again when it is done"
                    .into(),
            ),
            AppError::Store(_) => None,
        }
    }
}

/// The result of a use case.
pub type Result<T, E = AppError> = std::result::Result<T, E>;
