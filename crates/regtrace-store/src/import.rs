//! Writing a data set: a first import built whole beside the database, later imports (and the
//! change events they record) in one transaction, and the snapshot written beside them.

use std::path::{Path, PathBuf};

use regtrace_core::Graph;
use rusqlite::{Connection, params};

use crate::load::load_from;
use crate::schema::DATA_VERSION;
use crate::{Store, StoreError, reviews, snapshot, sqlite};

/// SQLite's page cache while an import writes (in KiB, as `cache_size` takes a negative
/// number). The rows go in order and the id index is sorted in once at the end, so a larger
/// cache buys no time: at 256 MiB an import of a million nodes was as fast and held 100 MB more.
const BULK_CACHE: &str = "-16384";

/// For `import --record-changes`: the change events (with the reviews each opens) that the
/// new data makes against the old, given the old.
pub type ChangesSince<'a> = &'a dyn Fn(&Graph) -> Vec<(reviews::NewEvent, Vec<reviews::NewReview>)>;

/// What data an import was computed from: an import that merged into the stored data, or checked
/// what it would remove, must replace exactly the data it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis<'a> {
    /// Whatever is stored (a plain replacement that looked at nothing).
    Any,
    /// The stored data of this [data version](Store::data_version) (`None`: none yet); if
    /// another import has replaced it since, nothing is written and the answer is
    /// [`StoreError::DataChanged`].
    Version(Option<&'a str>),
}

/// What an import writes besides the data set, and on what terms.
#[derive(Clone, Copy)]
pub struct ImportWith<'a> {
    /// For `import --record-changes`: the change events to record against the data replaced.
    pub changes: Option<ChangesSince<'a>>,
    /// The data the import was computed from.
    pub basis: Basis<'a>,
    /// The data set's own audit rules, as (file, text) (none removes them); `None` leaves the
    /// stored ones.
    pub audit_rules: Option<&'a [(String, String)]>,
    /// A kept history to restore (numbers and dates as they were); the database must have none.
    pub history: Option<&'a regtrace_core::record::History>,
}

impl Default for ImportWith<'_> {
    fn default() -> Self {
        ImportWith {
            changes: None,
            basis: Basis::Any,
            audit_rules: Some(&[]),
            history: None,
        }
    }
}

/// The `meta` key of the audit rules that came with the data set.
pub(crate) const AUDIT_RULES: &str = "audit_rules";

/// A change event an import recorded, with the reviews it opened.
pub type RecordedChange = (reviews::ChangeEvent, Vec<reviews::NewReview>);

/// Counts of what an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Nodes stored.
    pub nodes: usize,
    /// Edges stored.
    pub edges: usize,
    /// Relations in the stored catalog.
    pub relations: usize,
}

impl Store {
    /// A transaction that takes the write lock at once (IMMEDIATE), so a concurrent writer
    /// waits (up to the busy timeout) at the start instead of failing midway. Every write goes
    /// through one.
    pub(crate) fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
        self.conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sqlite(&self.path))
    }

    /// Creates the database `path` holding `graph`, as a file that appears whole or not at all:
    /// it is built under a temporary name beside `path` with no journal and no syncs until the
    /// end (nothing to roll back: on any failure the file is deleted), synced, and linked into
    /// place only if `path` still does not exist. A first import so skips the journal's
    /// second copy of every page. Returns `None`, having written nothing, when `path` exists
    /// (or appears meanwhile, or the file system cannot link): import the usual way then.
    pub fn create(
        path: &Path,
        graph: &Graph,
        sources: &[String],
        audit_rules: &[(String, String)],
        history: Option<&regtrace_core::record::History>,
    ) -> Result<Option<ImportSummary>, StoreError> {
        if std::fs::symlink_metadata(path).is_ok() {
            return Ok(None);
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = path.with_file_name(format!(".{name}.new-{}", std::process::id()));
        let _ = std::fs::remove_file(&temp);
        let built = Self::build_new(&temp, path, graph, sources, audit_rules, history);
        let cleanup = |snapshot: Option<&Path>| {
            let _ = std::fs::remove_file(&temp);
            if let Some(snapshot) = snapshot {
                let _ = std::fs::remove_file(snapshot);
            }
        };
        let snapshot = match built {
            Ok(snapshot) => snapshot,
            Err(e) => {
                cleanup(None);
                return Err(e);
            }
        };
        // `hard_link` creates `path` only if nothing is there: a database another process
        // created meanwhile is never replaced.
        if std::fs::hard_link(&temp, path).is_err() {
            cleanup(Some(&snapshot));
            return Ok(None);
        }
        cleanup(None);
        if let Some(dir) = path.parent().map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        }) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        let _ = snapshot::install(&snapshot, path);
        Ok(Some(ImportSummary {
            nodes: graph.node_count(),
            edges: graph.edge_count(),
            relations: graph.catalog().relations().len(),
        }))
    }

    /// Builds a new database at `temp` for `path`; returns the snapshot written (under its
    /// temporary name) for `path`.
    fn build_new(
        temp: &Path,
        path: &Path,
        graph: &Graph,
        sources: &[String],
        audit_rules: &[(String, String)],
        history: Option<&regtrace_core::record::History>,
    ) -> Result<PathBuf, StoreError> {
        let err = sqlite(temp);
        let conn = Connection::open(temp).map_err(&err)?;
        for (pragma, value) in [
            ("page_size", "16384"),
            ("locking_mode", "EXCLUSIVE"),
            ("journal_mode", "OFF"),
            ("synchronous", "OFF"),
            ("foreign_keys", "OFF"),
            ("cache_size", BULK_CACHE),
        ] {
            conn.pragma_update(None, pragma, value).map_err(&err)?;
        }
        let mut store = Store {
            conn,
            path: temp.to_owned(),
        };
        store.migrate()?;
        let tx = store.conn.transaction().map_err(&err)?;
        let snapshot_id: Vec<u8> = tx
            .query_row("SELECT randomblob(16)", [], |r| r.get(0))
            .map_err(&err)?;
        let snapshot_id: [u8; 16] = snapshot_id.try_into().unwrap_or([0; 16]);
        let (written, snapshot) = snapshot::beside(path, graph, snapshot_id, || {
            Self::write_data(&tx, graph, sources)
                .and_then(|()| write_audit_rules(&tx, Some(audit_rules)))
                .and_then(|()| match history {
                    Some(history) => reviews::restore_history(&tx, history),
                    None => Ok(()),
                })
                .and_then(|()| set_data_version(&tx, &snapshot_id))
        });
        let io = |source| StoreError::Io {
            path: snapshot::path_for(path),
            source,
        };
        let finished = written
            .and_then(|_| tx.commit())
            // Recorded in the file's header: every later open uses the write-ahead log.
            .and_then(|()| store.conn.pragma_update(None, "journal_mode", "WAL"))
            .map_err(&err);
        drop(store);
        match (finished, snapshot) {
            (Ok(()), Ok(snapshot)) => {
                std::fs::File::open(temp).and_then(|f| f.sync_all()).map_err(io)?;
                Ok(snapshot)
            }
            (Err(e), snapshot) => {
                if let Ok(snapshot) = snapshot {
                    let _ = std::fs::remove_file(snapshot);
                }
                Err(e)
            }
            (Ok(()), Err(e)) => Err(io(e)),
        }
    }

    /// Replaces the stored data set with `graph`, in one transaction. `sources` names what was
    /// imported, for the record.
    pub fn import(&mut self, graph: &Graph, sources: &[String]) -> Result<ImportSummary, StoreError> {
        self.import_recording(graph, sources, ImportWith::default())
            .map(|(summary, _)| summary)
    }

    /// Replaces the stored data set with `graph` and records the changes `changes` finds
    /// against the data it replaces (each a change event with the reviews it opens), all in one
    /// transaction: either everything is written or nothing is. The old data is read under the
    /// write lock, so a concurrent import cannot slip in between the comparison and the write.
    /// Returns the recorded events with their numbers, each with its reviews. See
    /// [`ImportWith`] for the rest: the data version the import must replace, the data set's
    /// own audit rules, a history to restore.
    pub fn import_recording(
        &mut self,
        graph: &Graph,
        sources: &[String],
        with: ImportWith<'_>,
    ) -> Result<(ImportSummary, Vec<RecordedChange>), StoreError> {
        // `graph` has passed `Graph::build`: every reference resolves, so SQLite's per-row
        // foreign-key lookups (three per edge) only cost time. They are switched off for the
        // bulk write (the pragma cannot change inside a transaction) and back on after, with the
        // bulk write's page cache.
        let path = self.path.clone();
        let set = |conn: &Connection, keys: bool, cache: &str| {
            conn.pragma_update(None, "foreign_keys", keys)
                .and_then(|()| conn.pragma_update(None, "cache_size", cache))
                .map_err(sqlite(&path))
        };
        set(&self.conn, false, BULK_CACHE)?;
        let result = self.import_unchecked(graph, sources, with);
        set(&self.conn, true, "-2000")?;
        result
    }

    fn import_unchecked(
        &mut self,
        graph: &Graph,
        sources: &[String],
        with: ImportWith<'_>,
    ) -> Result<(ImportSummary, Vec<RecordedChange>), StoreError> {
        let ImportWith {
            changes,
            basis,
            audit_rules,
            history,
        } = with;
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
        if let Basis::Version(expected) = basis
            && crate::load::meta_in(&tx, &path, DATA_VERSION)?.as_deref() != expected
        {
            return Err(StoreError::DataChanged(path.clone()));
        }
        if history.is_some() {
            let events: i64 = tx
                .query_row("SELECT count(*) FROM change_events", [], |r| r.get(0))
                .map_err(&err)?;
            if events > 0 {
                return Err(StoreError::HistoryExists(path.clone()));
            }
        }
        let changes = match changes {
            Some(since) => since(&load_from(&tx, &path)?),
            None => Vec::new(),
        };
        // The snapshot: a new id in the same transaction; the file is encoded and written under
        // a temporary name (on another thread, while SQLite takes the rows) and renamed into
        // place only once the data is committed (see `snapshot.rs`).
        let snapshot_id: Vec<u8> = tx
            .query_row("SELECT randomblob(16)", [], |r| r.get(0))
            .map_err(&err)?;
        let snapshot_id: [u8; 16] = snapshot_id.try_into().unwrap_or([0; 16]);
        let (written, temp) = snapshot::beside(&path, graph, snapshot_id, || {
            Self::write_data(&tx, graph, sources)
                .and_then(|()| write_audit_rules(&tx, audit_rules))
                .and_then(|()| match history {
                    Some(history) => reviews::restore_history(&tx, history),
                    None => Ok(()),
                })
                .and_then(|()| {
                    changes
                        .iter()
                        .map(|(event, reviews)| reviews::insert_event(&tx, event, reviews))
                        .collect::<Result<Vec<i64>, _>>()
                })
                .and_then(|ids| set_data_version(&tx, &snapshot_id).map(|()| ids))
        });
        let (ids, temp) = match (written, temp) {
            (Ok(ids), Ok(temp)) => (ids, temp),
            (Err(e), temp) => {
                if let Ok(temp) = temp {
                    let _ = std::fs::remove_file(temp);
                }
                return Err(err(e));
            }
            (Ok(_), Err(source)) => {
                return Err(StoreError::Io {
                    path: snapshot::path_for(&path),
                    source,
                });
            }
        };
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(&temp);
            return Err(err(e));
        }
        // The data is committed. A failed rename only leaves an old snapshot whose id no longer
        // matches, which queries ignore.
        let _ = snapshot::install(&temp, &path);
        let events = ids
            .into_iter()
            .zip(changes)
            .map(|(id, (_, reviews))| self.event(id).map(|event| (event, reviews)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((
            ImportSummary {
                nodes: graph.node_count(),
                edges: graph.edge_count(),
                relations: graph.catalog().relations().len(),
            },
            events,
        ))
    }

    fn write_data(tx: &rusqlite::Transaction<'_>, graph: &Graph, sources: &[String]) -> rusqlite::Result<()> {
        // The id index is dropped and built again after the rows: one sort instead of a
        // million random inserts. It is part of this transaction like everything else.
        tx.execute_batch(
            "DELETE FROM edges; DELETE FROM nodes; DELETE FROM relations; DROP INDEX nodes_id;",
        )?;
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO relations (name, position, description, from_kinds, to_kinds, impact, acyclic, same_kind, replaces, title_ja)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )?;
            for (position, relation) in graph.catalog().relations().iter().enumerate() {
                let spec = relation.to_spec();
                insert.execute(params![
                    spec.name,
                    position as i64,
                    spec.description,
                    json(&spec.from),
                    json(&spec.to),
                    spec.impact,
                    spec.acyclic,
                    spec.same_kind,
                    spec.replaces,
                    spec.title_ja
                ])?;
            }

            let mut insert = tx.prepare(
                "INSERT INTO nodes (ix, id, kind, title, title_ja, status, designation, edition, body,
                                        published, enacted, effective, withdrawn, source, attributes)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            )?;
            for (ix, node) in graph.nodes().iter().enumerate() {
                let attributes = (!node.attributes.is_empty()).then(|| json(&node.attributes));
                insert.execute(params![
                    ix as i64,
                    node.id,
                    node.kind.as_str(),
                    node.title,
                    node.title_ja,
                    node.status.map(|s| s.as_str()),
                    node.designation,
                    node.edition,
                    node.body,
                    date_text(node.dates.published),
                    date_text(node.dates.enacted),
                    date_text(node.dates.effective),
                    date_text(node.dates.withdrawn),
                    node.source,
                    attributes,
                ])?;
            }

            tx.execute_batch("CREATE UNIQUE INDEX nodes_id ON nodes (id);")?;

            let mut insert =
                tx.prepare("INSERT INTO edges (ix, src, dst, relation, source) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for (ix, link) in graph.links().iter().enumerate() {
                insert.execute(params![
                    ix as i64,
                    link.from.0,
                    link.to.0,
                    graph.catalog().get(link.relation).name,
                    link.source
                ])?;
            }

            let mut meta = tx.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
            meta.execute(params!["imported_sources", json(&sources)])?;
            meta.execute(params![
                "fingerprints",
                json(&graph.catalog().fingerprints().specs())
            ])?;
            match graph.catalog().stated_review_kinds() {
                Some(kinds) => meta.execute(params!["review_kinds", json(&kinds)])?,
                None => tx.execute("DELETE FROM meta WHERE key = 'review_kinds'", [])?,
            };
            meta.execute(params![
                "imported_by",
                concat!("regtrace ", env!("CARGO_PKG_VERSION"))
            ])?;
        }
        Ok(())
    }
}

/// Stores the data set's own audit rules (none: removes them); `None` leaves them as they are.
fn write_audit_rules(tx: &Connection, rules: Option<&[(String, String)]>) -> rusqlite::Result<()> {
    match rules {
        None => Ok(()),
        Some([]) => tx
            .execute("DELETE FROM meta WHERE key = ?1", [AUDIT_RULES])
            .map(|_| ()),
        Some(rules) => tx
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                [AUDIT_RULES, &serde_json::to_string(rules).unwrap_or_default()],
            )
            .map(|_| ()),
    }
}

/// Records `snapshot_id` as the version of the data being written.
fn set_data_version(tx: &Connection, snapshot_id: &[u8; 16]) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
        [DATA_VERSION, &snapshot::hex(snapshot_id)],
    )
    .map(|_| ())
}

fn date_text(date: Option<impl std::fmt::Display>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
