//! regtrace-store: the embedded SQLite store.
//!
//! One database file holds the imported data set (the relation catalog in force, nodes and
//! edges) and, in later schema versions, the change events and review decisions that must
//! survive re-imports. The schema is versioned with `PRAGMA user_version` and migrated forward
//! on open for writing; the file is marked with `PRAGMA application_id` so regtrace never
//! writes into someone else's database.
//!
//! An import replaces the data set in one transaction: it is all or nothing. Callers validate
//! first ([`regtrace_core::Graph`] exists only when valid), so a failing import never opens the
//! file for writing and leaves it byte-for-byte unchanged.

mod import;
mod load;
mod reviews;
mod schema;
pub mod snapshot;

pub use import::{Basis, ChangesSince, ImportSummary, ImportWith, RecordedChange};
pub use reviews::{ChangeEvent, Decision, NewDecision, NewEvent, NewReview, Outcome, Review, UnknownOutcome};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION, is_database};

/// The version of the SQLite library compiled in.
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

use std::path::{Path, PathBuf};

use regtrace_core::Diagnostics;
use rusqlite::Connection;

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file does not exist (when opening to read).
    #[error("no database at {0}")]
    Missing(PathBuf),
    /// The file is a SQLite database, but not one regtrace wrote.
    #[error("{0} is not a regtrace database")]
    Foreign(PathBuf),
    /// The file carries regtrace's application id but SQLite cannot read it: its header (the
    /// first 100 bytes) is damaged.
    #[error("{0} is a regtrace database whose SQLite header is damaged: SQLite cannot open it")]
    Damaged(PathBuf),
    /// The file was written by a newer regtrace.
    #[error("{path} has schema version {found}; this regtrace reads up to version {supported}")]
    TooNew {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        supported: i64,
    },
    /// The stored data set no longer validates (edited by hand, or damaged).
    #[error("the data stored in {path} is inconsistent:\n{problems}")]
    Inconsistent {
        /// The database.
        path: PathBuf,
        /// What is wrong.
        problems: Diagnostics,
    },
    /// A review already has a decision; decisions are append-only and never overwritten.
    #[error("review #{0} is already closed")]
    AlreadyClosed(i64),
    /// Another process imported new data between reading the data and writing what was
    /// computed from it (see [`Store::record_change`]); read again and retry.
    #[error("the data in {0} changed while this command ran")]
    DataChanged(PathBuf),
    /// A correction was asked for a review that has no decision yet.
    #[error("review #{0} is still open: there is no decision to correct")]
    NotClosed(i64),
    /// The database can be read but not written here: the file, its directory or its file
    /// system is read-only for this user.
    #[error(
        "{0} is read-only here (the file, its directory or its file system); it can be read, not written"
    )]
    ReadOnly(PathBuf),
    /// The database needs a schema migration, which is a write, and it is read-only here.
    #[error(
        "{path} has schema version {found}, older than this regtrace's {current}, and is read-only here, so it cannot be brought up to date"
    )]
    ReadOnlyAndOld {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The version this build reads.
        current: i64,
    },
    /// A history was to be restored into a database that keeps one already.
    #[error(
        "{0} already keeps a history of changes and reviews; a history is restored only into a database without one"
    )]
    HistoryExists(PathBuf),
    /// A file beside the database (its snapshot) could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// SQLite reported an error.
    #[error("database error in {path}: {source}")]
    Sqlite {
        /// The database.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// True when SQLite gave up waiting for another process's write lock (busy or locked):
    /// nothing was written, and the same command may succeed once the other writer is done.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite { source, .. }
                if matches!(
                    source.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                )
        )
    }
}

/// An open regtrace database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// A SQLite error on `path`; a write refused because the database is read-only says so.
fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly(path.to_owned()),
        _ => StoreError::Sqlite {
            path: path.to_owned(),
            source,
        },
    }
}
