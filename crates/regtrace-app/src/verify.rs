//! `verify`: is a database sound? SQLite's own integrity check, the rows validated as a data
//! set, the history's references and hash chain, and the query snapshot checked in full; with
//! repair, a bad snapshot rebuilt (a history that does not hold is never "repaired": it is
//! evidence, restored from a backup or export).

use std::path::PathBuf;

use regtrace_store::{Store, StoreError};

use crate::dataset::{Context, Examined, examine_snapshot};
use crate::error::{AppError, Result};

/// The state of the snapshot, as `verify` found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotCheck {
    /// Belongs to the current data and passes every checksum.
    Sound,
    /// No snapshot file.
    Missing,
    /// A snapshot of other data (an interrupted import), or of an older regtrace.
    NotCurrent,
    /// Belongs to the current data and fails a check: why.
    Damaged(String),
    /// Not checked: the database holds no data set yet.
    Empty,
}

/// What `verify` found (and did).
#[derive(Debug, Clone)]
pub struct Verified {
    /// The database.
    pub db: PathBuf,
    /// SQLite's integrity problems; empty when the file is sound.
    pub integrity: Vec<String>,
    /// The rows, validated: their node and edge counts, or what is wrong with them.
    pub rows: std::result::Result<(usize, usize), String>,
    /// The history (events, reviews, decisions): its hash chain's head, or what does not hold.
    pub history: std::result::Result<regtrace_core::record::Head, Vec<String>>,
    /// The snapshot as found.
    pub snapshot: SnapshotCheck,
    /// With repair: the snapshot was rebuilt and now checks sound.
    pub repaired: bool,
}

impl Verified {
    /// True when nothing is wrong (after any repair).
    pub fn sound(&self) -> bool {
        self.integrity.is_empty()
            && self.rows.is_ok()
            && self.history.is_ok()
            && (self.repaired || matches!(self.snapshot, SnapshotCheck::Sound | SnapshotCheck::Empty))
    }
}

fn snapshot_check(store: &Store) -> Result<SnapshotCheck> {
    Ok(match examine_snapshot(store)? {
        Examined::Sound(_) => SnapshotCheck::Sound,
        Examined::Damaged(why) => SnapshotCheck::Damaged(why),
        Examined::NotCurrent | Examined::Older => SnapshotCheck::NotCurrent,
        Examined::Missing => SnapshotCheck::Missing,
        Examined::Empty => SnapshotCheck::Empty,
    })
}

/// Checks the context's database: the file (SQLite's integrity check), its identity and schema
/// (as every open does), the rows as a data set, the snapshot in full. With `repair`, a missing,
/// stale or damaged snapshot is rebuilt from the rows when they are sound.
pub fn verify(context: &Context, repair: bool) -> Result<Verified> {
    let Some(db) = &context.db else {
        return Err(AppError::request(
            "verify checks a database, and none is named",
            Some(
                "give --db FILE (or set REGTRACE_DB); the built-in seed is checked by `regtrace check`"
                    .into(),
            ),
        ));
    };
    crate::dataset::not_a_directory(db)?;
    let store = Store::open(db)?;
    crate::progress::phase(|| "checking the database (SQLite's integrity check)".into());
    let integrity = store.integrity_problems()?;
    crate::progress::phase(|| "validating the rows as a data set".into());
    let rows = match store.load() {
        Ok(graph) => Ok((graph.node_count(), graph.edge_count())),
        Err(StoreError::Inconsistent { problems, .. }) => Err(problems.to_string()),
        Err(e) => return Err(e.into()),
    };
    crate::progress::phase(|| "checking the history's references and hash chain".into());
    let history = store.check_history()?;
    crate::progress::phase(|| "checking every section of the query snapshot".into());
    let snapshot = snapshot_check(&store)?;
    let mut repaired = false;
    let needs_repair = matches!(
        snapshot,
        SnapshotCheck::Missing | SnapshotCheck::NotCurrent | SnapshotCheck::Damaged(_)
    );
    if repair && needs_repair && rows.is_ok() && integrity.is_empty() {
        crate::progress::phase(|| "rewriting the query snapshot".into());
        store.rebuild_snapshot()?;
        repaired = snapshot_check(&store)? == SnapshotCheck::Sound;
    }
    Ok(Verified {
        db: db.clone(),
        integrity,
        rows,
        history,
        snapshot,
        repaired,
    })
}
