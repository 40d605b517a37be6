//! regtrace-app: the use cases of regtrace, for every front end (the `regtrace` CLI today, a
//! web server next).
//!
//! A front end builds a [`Context`] (which database, which catalog), opens a [`DataSet`] under
//! the one rule of [`dataset`], calls a use case with plain inputs, and gets a typed answer
//! back; `regtrace-render` turns answers into tables, JSON, CSV, Markdown, HTML and diagrams.
//!
//! This crate knows no command line and writes no output: no clap, no terminal, no bytes for
//! people. Errors are [`AppError`]s, each with a hint.
//!
//! ```no_run
//! use regtrace_app::{Context, reach::ReachRequest};
//! use regtrace_core::{Direction, ReachOptions};
//!
//! let data = Context::new(None).open()?; // the built-in seed
//! let request = ReachRequest {
//!     ids: vec!["jp-pal-revision-2013".into()],
//!     direction: Direction::Impact,
//!     kinds: vec![],
//!     options: ReachOptions::default(),
//!     limit: None,
//!     offset: 0,
//! };
//! match regtrace_app::reach::reach(&data, &request)? {
//!     regtrace_app::reach::Reached::Snapshot(answer) => println!("{} hits", answer.listed.len()),
//!     regtrace_app::reach::Reached::Loaded(answer) => println!("{} hits", answer.listed.len()),
//! }
//! # Ok::<(), regtrace_app::AppError>(())
//! ```

pub mod audit;
pub mod compare;
pub mod dataset;
pub mod editions;
pub mod error;
pub mod history;
pub mod init;
pub mod matrix;
pub mod nodes;
pub mod output;
pub mod parse;
pub mod progress;
pub mod reach;
pub mod report;
pub mod select;
pub mod verify;

pub use dataset::{Context, DataSet, Origin, SnapshotState};

/// Which build of regtrace this is: what a report names so that a quality system can tell the
/// exact build that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Build {
    /// The package version, e.g. `0.1.0`.
    pub version: &'static str,
    /// The git commit it was built from (12 hex digits), or `unknown` outside a git checkout.
    pub commit: &'static str,
    /// The commit's date (YYYY-MM-DD), or `unknown`.
    pub commit_date: &'static str,
    /// Whether tracked files had changes not committed when it was built.
    pub dirty: bool,
    /// The compiler (`rustc 1.90.0 (…)`).
    pub rustc: &'static str,
    /// The platform it was built for (`x86_64-unknown-linux-gnu`).
    pub target: &'static str,
}

impl Build {
    /// The SQLite library compiled in (rusqlite's bundled one).
    pub fn sqlite(&self) -> &'static str {
        regtrace_store::sqlite_version()
    }
}

impl std::fmt::Display for Build {
    /// `0.1.0 (commit 1a2b3c4d5e6f, 2026-12-03)`, with `, with uncommitted changes` when dirty.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (commit {}, {}",
            self.version, self.commit, self.commit_date
        )?;
        if self.dirty {
            write!(f, ", with uncommitted changes")?;
        }
        write!(f, ")")
    }
}

/// [`BUILD`] in words, as a constant (for `--version`).
pub const VERSION_TEXT: &str = env!("REGTRACE_VERSION_TEXT");

/// This build.
pub const BUILD: Build = Build {
    version: env!("CARGO_PKG_VERSION"),
    commit: env!("REGTRACE_COMMIT"),
    commit_date: env!("REGTRACE_COMMIT_DATE"),
    dirty: matches!(env!("REGTRACE_DIRTY").as_bytes(), b"true"),
    rustc: env!("REGTRACE_RUSTC"),
    target: env!("REGTRACE_TARGET"),
};
pub use error::{AppError, Result};
/// The store's records and errors that answers and errors carry.
/// ReqIF: the built-in mapping and a starting mapping for an unknown export.
pub use regtrace_source::{Format, reqif};
pub use regtrace_store::{
    ChangeEvent, NewReview, Outcome, RecordedChange, Review, StoreError, UnknownOutcome,
};
