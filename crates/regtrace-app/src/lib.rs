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
pub mod matrix;
pub mod nodes;
pub mod parse;
pub mod reach;
pub mod select;
pub mod verify;

pub use dataset::{Context, DataSet, Origin, SnapshotState};
pub use error::{AppError, Result};
/// The store's records and errors that answers and errors carry.
pub use regtrace_store::{ChangeEvent, NewReview, Outcome, RecordedChange, Review, StoreError};
