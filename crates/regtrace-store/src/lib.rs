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

mod reviews;
pub mod snapshot;

pub use reviews::{ChangeEvent, Decision, NewDecision, NewEvent, NewReview, Outcome, Review};

use std::path::{Path, PathBuf};
use std::time::Duration;

use regtrace_core::{Dates, Diagnostics, Edge, Graph, Node, RelationCatalog, RelationSpec};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

/// `PRAGMA application_id` of regtrace databases ("RgTr").
pub const APPLICATION_ID: i32 = 0x5267_5472;

/// Migrations, in order: `MIGRATIONS[i]` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 → 1: the data set.
    r#"
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE relations (
        name        TEXT PRIMARY KEY,
        position    INTEGER NOT NULL UNIQUE,
        description TEXT NOT NULL,
        from_kinds  TEXT NOT NULL,   -- JSON array of kinds, ["*"] for any
        to_kinds    TEXT NOT NULL,
        impact      TEXT NOT NULL CHECK (impact IN ('to_source', 'to_target', 'none')),
        acyclic     INTEGER NOT NULL CHECK (acyclic IN (0, 1)),
        same_kind   INTEGER NOT NULL CHECK (same_kind IN (0, 1))
    );

    -- `ix` is the node's dense index (its position in source order).
    CREATE TABLE nodes (
        ix          INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        title       TEXT NOT NULL,
        title_ja    TEXT,
        status      TEXT,
        designation TEXT,
        edition     TEXT,
        body        TEXT,
        published   TEXT,
        enacted     TEXT,
        effective   TEXT,
        withdrawn   TEXT,
        source      TEXT,
        attributes  TEXT             -- JSON object, NULL when empty
    );

    CREATE TABLE edges (
        ix       INTEGER PRIMARY KEY,
        src      INTEGER NOT NULL REFERENCES nodes (ix),
        dst      INTEGER NOT NULL REFERENCES nodes (ix),
        relation TEXT NOT NULL REFERENCES relations (name),
        source   TEXT
    );
    "#,
    // 1 → 2: relations that replace their target (supersedes, revises), for --as-of queries.
    r#"
    ALTER TABLE relations ADD COLUMN replaces INTEGER NOT NULL DEFAULT 0 CHECK (replaces IN (0, 1));
    "#,
    // 2 → 3: change events, the reviews they open, and review decisions (see `reviews.rs`).
    reviews::MIGRATION,
    // 3 → 4: review verdicts (probably unaffected) and corrected decisions (see `reviews.rs`).
    reviews::MIGRATION_VERDICTS_AND_CORRECTIONS,
    // 4 → 5: node ids unique through a named index instead of the column's own constraint, so
    // an import can drop it and build it once after the rows (a sort), instead of growing it
    // one random insert at a time: 40 % of the rows' write time at a million nodes. SQLite
    // cannot drop a column constraint, so nodes (and edges, which refer to it) are rebuilt.
    r#"
    CREATE TEMP TABLE nodes_v4 AS SELECT * FROM nodes;
    CREATE TEMP TABLE edges_v4 AS SELECT * FROM edges;
    DROP TABLE edges;
    DROP TABLE nodes;
    CREATE TABLE nodes (
        ix          INTEGER PRIMARY KEY,
        id          TEXT NOT NULL,
        kind        TEXT NOT NULL,
        title       TEXT NOT NULL,
        title_ja    TEXT,
        status      TEXT,
        designation TEXT,
        edition     TEXT,
        body        TEXT,
        published   TEXT,
        enacted     TEXT,
        effective   TEXT,
        withdrawn   TEXT,
        source      TEXT,
        attributes  TEXT             -- JSON object, NULL when empty
    );
    CREATE TABLE edges (
        ix       INTEGER PRIMARY KEY,
        src      INTEGER NOT NULL REFERENCES nodes (ix),
        dst      INTEGER NOT NULL REFERENCES nodes (ix),
        relation TEXT NOT NULL REFERENCES relations (name),
        source   TEXT
    );
    INSERT INTO nodes SELECT * FROM temp.nodes_v4;
    INSERT INTO edges SELECT * FROM temp.edges_v4;
    DROP TABLE temp.nodes_v4;
    DROP TABLE temp.edges_v4;
    CREATE UNIQUE INDEX nodes_id ON nodes (id);
    "#,
];

/// The `meta` key of the data set's version: the snapshot id each import draws.
const DATA_VERSION: &str = "snapshot_id";

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file does not exist (when opening to read).
    #[error("no database at {0}")]
    Missing(PathBuf),
    /// The file is a SQLite database, but not one regtrace wrote.
    #[error("{0} is not a regtrace database")]
    Foreign(PathBuf),
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

/// The first bytes of every SQLite database file.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";

/// True if `path` is a file that starts like a SQLite database (any, not only regtrace's): how a
/// command that takes either a database or source files tells them apart.
pub fn is_database(path: &Path) -> bool {
    path.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| {
                let mut head = [0u8; 16];
                std::io::Read::read_exact(&mut f, &mut head).map(|()| head)
            })
            .is_ok_and(|head| head == SQLITE_MAGIC)
}

/// For `import --record-changes`: the change events (with the reviews each opens) that the
/// new data makes against the old, given the old.
pub type ChangesSince<'a> = &'a dyn Fn(&Graph) -> Vec<(reviews::NewEvent, Vec<reviews::NewReview>)>;

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

/// An open regtrace database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens an existing database (never creates one), migrating it to the current schema if it
    /// is older. Fails if it does not exist, is not a regtrace database, or is newer than this
    /// build.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite(path))?;
        Store::prepare(conn, path)
    }

    /// Opens a database to write, creating it if needed and migrating it to the current schema.
    pub fn open_for_writing(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path).map_err(sqlite(path))?;
        Store::prepare(conn, path)
    }

    fn prepare(conn: Connection, path: &Path) -> Result<Store, StoreError> {
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        store.configure()?;
        store.check_identity()?;
        store
            .conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite(path))?;
        store.migrate()?;
        Ok(store)
    }

    fn configure(&self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(Duration::from_secs(30))
            .map_err(sqlite(&self.path))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(sqlite(&self.path))?;
        Ok(())
    }

    /// Checks the file is empty or a regtrace database no newer than this build; returns its
    /// schema version.
    fn check_identity(&self) -> Result<i64, StoreError> {
        let path = &self.path;
        let application_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match e {
                // Opening a file that is not SQLite at all fails on the first read.
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                    StoreError::Foreign(path.clone())
                }
                e => sqlite(path)(e),
            })?;
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sqlite(path))?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .map_err(sqlite(path))?;
        let fresh = application_id == 0 && version == 0 && tables == 0;
        if !fresh && application_id != APPLICATION_ID {
            return Err(StoreError::Foreign(path.clone()));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        Ok(version)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sqlite(&path))?;
        let version: i64 = tx
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(sqlite(&path))?;
        if version == SCHEMA_VERSION {
            return Ok(());
        }
        for (from, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(migration).map_err(sqlite(&path))?;
            tx.pragma_update(None, "user_version", from as i64 + 1)
                .map_err(sqlite(&path))?;
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sqlite(&path))?;
        tx.commit().map_err(sqlite(&path))
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A transaction that takes the write lock at once (IMMEDIATE), so a concurrent writer
    /// waits (up to the busy timeout) at the start instead of failing midway. Every write goes
    /// through one.
    fn write_transaction(&mut self) -> Result<rusqlite::Transaction<'_>, StoreError> {
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
        let built = Self::build_new(&temp, path, graph, sources);
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
    fn build_new(temp: &Path, path: &Path, graph: &Graph, sources: &[String]) -> Result<PathBuf, StoreError> {
        let err = sqlite(temp);
        let conn = Connection::open(temp).map_err(&err)?;
        for (pragma, value) in [
            ("page_size", "16384"),
            ("locking_mode", "EXCLUSIVE"),
            ("journal_mode", "OFF"),
            ("synchronous", "OFF"),
            ("foreign_keys", "OFF"),
            ("cache_size", "-262144"),
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
            Self::write_data(&tx, graph, sources).and_then(|()| set_data_version(&tx, &snapshot_id))
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
        self.import_recording(graph, sources, None)
            .map(|(summary, _)| summary)
    }

    /// Replaces the stored data set with `graph` and records the changes `changes` finds
    /// against the data it replaces (each a change event with the reviews it opens), all in one
    /// transaction: either everything is written or nothing is. The old data is read under the
    /// write lock, so a concurrent import cannot slip in between the comparison and the write.
    /// Returns the recorded events with their numbers, each with its reviews.
    pub fn import_recording(
        &mut self,
        graph: &Graph,
        sources: &[String],
        changes: Option<ChangesSince<'_>>,
    ) -> Result<(ImportSummary, Vec<RecordedChange>), StoreError> {
        // `graph` has passed `Graph::build`: every reference resolves, so SQLite's per-row
        // foreign-key lookups (three per edge) only cost time. They are switched off for the
        // bulk write (the pragma cannot change inside a transaction) and back on after, and the
        // page cache is widened so the node-id index does not spill while it grows.
        let path = self.path.clone();
        let set = |conn: &Connection, keys: bool, cache: i64| {
            conn.pragma_update(None, "foreign_keys", keys)
                .and_then(|()| conn.pragma_update(None, "cache_size", cache))
                .map_err(sqlite(&path))
        };
        set(&self.conn, false, -262_144)?;
        let result = self.import_unchecked(graph, sources, changes);
        set(&self.conn, true, -2_000)?;
        result
    }

    fn import_unchecked(
        &mut self,
        graph: &Graph,
        sources: &[String],
        changes: Option<ChangesSince<'_>>,
    ) -> Result<(ImportSummary, Vec<RecordedChange>), StoreError> {
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
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
                    "INSERT INTO relations (name, position, description, from_kinds, to_kinds, impact, acyclic, same_kind, replaces)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
                    spec.replaces
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
            meta.execute(params![
                "imported_by",
                concat!("regtrace ", env!("CARGO_PKG_VERSION"))
            ])?;
        }
        Ok(())
    }

    /// Loads the stored data set and validates it back into a graph.
    ///
    /// All of it is read in one transaction, so an import committing meanwhile (another
    /// process) is seen entirely or not at all (WAL gives the reader its own snapshot).
    pub fn load(&self) -> Result<Graph, StoreError> {
        self.load_versioned().map(|(graph, _)| graph)
    }

    /// Loads the stored data set, with the version of the data it is (see
    /// [`Store::data_version`]), both read in one transaction.
    pub fn load_versioned(&self) -> Result<(Graph, Option<String>), StoreError> {
        let read = self.conn.unchecked_transaction().map_err(sqlite(&self.path))?;
        let version = meta_in(&read, &self.path, DATA_VERSION)?;
        let graph = load_from(&read, &self.path)?;
        drop(read); // only read: rolling back ends the snapshot
        Ok((graph, version))
    }

    /// The version of the stored data set: a random id every import draws anew (it is also
    /// the id of the snapshot file that belongs to it). `None` before the first import.
    pub fn data_version(&self) -> Result<Option<String>, StoreError> {
        self.meta(DATA_VERSION)
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        meta_in(&self.conn, &self.path, key)
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

fn meta_in(conn: &Connection, path: &Path, key: &str) -> Result<Option<String>, StoreError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(sqlite(path))
}

/// Reads the data set through `conn` (inside the caller's transaction).
fn load_from(conn: &Connection, path: &Path) -> Result<Graph, StoreError> {
    let err = sqlite(path);
    let inconsistent = |problems: Diagnostics| StoreError::Inconsistent {
        path: path.to_owned(),
        problems,
    };

    let mut statement = conn
        .prepare(
            "SELECT name, description, from_kinds, to_kinds, impact, acyclic, same_kind, replaces
             FROM relations ORDER BY position",
        )
        .map_err(&err)?;
    let specs = statement
        .query_map([], |r| {
            Ok(RelationSpec {
                name: r.get(0)?,
                description: r.get(1)?,
                from: from_json(r.get_ref(2)?.as_str()?)?,
                to: from_json(r.get_ref(3)?.as_str()?)?,
                impact: r.get(4)?,
                acyclic: r.get(5)?,
                same_kind: r.get(6)?,
                replaces: r.get(7)?,
            })
        })
        .map_err(&err)?
        .map(|spec| spec.map(|s| (None, s)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(&err)?;
    let mut catalog = RelationCatalog::from_specs(specs).map_err(inconsistent)?;
    if let Some(text) = meta_in(conn, path, "fingerprints")? {
        let specs: Vec<regtrace_core::fingerprint::FingerprintSpec> =
            serde_json::from_str(&text).map_err(|e| {
                inconsistent(Diagnostics(vec![regtrace_core::Diagnostic::new(
                    None,
                    format!("unreadable fingerprints in meta: {e}"),
                )]))
            })?;
        let specs = specs.into_iter().map(|s| (None, s)).collect();
        catalog = catalog.with_fingerprints(
            regtrace_core::fingerprint::Fingerprints::from_specs(specs).map_err(inconsistent)?,
        );
    }

    let mut statement = conn
        .prepare(
            "SELECT id, kind, title, title_ja, status, designation, edition, body,
                    published, enacted, effective, withdrawn, source, attributes
             FROM nodes ORDER BY ix",
        )
        .map_err(&err)?;
    let mut problems = Diagnostics::default();
    let mut nodes = Vec::new();
    let mut rows = statement.query([]).map_err(&err)?;
    while let Some(r) = rows.next().map_err(&err)? {
        let id: String = r.get(0).map_err(&err)?;
        let mut bad = |what: String| {
            problems.push(regtrace_core::Diagnostic::new(
                None,
                format!("node {id:?}: {what}"),
            ));
        };
        let kind: String = r.get(1).map_err(&err)?;
        let Ok(kind) = kind.parse() else {
            bad(format!("unknown kind {kind:?}"));
            continue;
        };
        let mut node = Node::new(id.clone(), kind, r.get::<_, String>(2).map_err(&err)?);
        node.title_ja = r.get(3).map_err(&err)?;
        node.status = match r.get::<_, Option<String>>(4).map_err(&err)? {
            None => None,
            Some(s) => match s.parse() {
                Ok(status) => Some(status),
                Err(_) => {
                    bad(format!("unknown status {s:?}"));
                    None
                }
            },
        };
        node.designation = r.get(5).map_err(&err)?;
        node.edition = r.get(6).map_err(&err)?;
        node.body = r.get(7).map_err(&err)?;
        for (i, name) in Dates::FIELDS.iter().enumerate() {
            if let Some(text) = r.get::<_, Option<String>>(8 + i).map_err(&err)? {
                match regtrace_core::model::parse_date(&text) {
                    Ok(date) => *node.dates.field_mut(name).expect("a date field") = Some(date),
                    Err(problem) => bad(problem),
                }
            }
        }
        node.source = r.get(12).map_err(&err)?;
        if let Some(text) = r.get::<_, Option<String>>(13).map_err(&err)? {
            match serde_json::from_str(&text) {
                Ok(attributes) => node.attributes = attributes,
                Err(e) => bad(format!("unreadable attributes: {e}")),
            }
        }
        nodes.push(node);
    }
    drop(rows);

    let mut statement = conn
        .prepare(
            "SELECT s.id, d.id, e.relation, e.source FROM edges e
             JOIN nodes s ON s.ix = e.src JOIN nodes d ON d.ix = e.dst ORDER BY e.ix",
        )
        .map_err(&err)?;
    let edges = statement
        .query_map([], |r| {
            Ok(Edge {
                from: r.get(0)?,
                to: r.get(1)?,
                relation: r.get(2)?,
                source: r.get(3)?,
                location: None,
            })
        })
        .map_err(&err)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(&err)?;
    if !problems.is_empty() {
        return Err(inconsistent(problems));
    }
    Graph::build(catalog, nodes, edges).map_err(inconsistent)
}

fn date_text(date: Option<impl std::fmt::Display>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn from_json(text: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_older_schema_is_migrated_on_open_and_keeps_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            // A database as schema version 1 wrote it.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                r#"INSERT INTO relations VALUES ('cites', 0, '', '["*"]', '["standard"]', 'to_source', 0, 0);
                   INSERT INTO nodes (ix, id, kind, title) VALUES (0, 'A', 'guideline', 'a'), (1, 'B', 'standard', 'b');
                   INSERT INTO edges VALUES (0, 0, 1, 'cites', NULL);"#,
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let version: i64 = store
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
        let graph = store.load().unwrap();
        assert_eq!((graph.node_count(), graph.edge_count()), (2, 1));
        assert!(!graph.catalog().relations()[0].replaces);
        // Ids stay unique (schema 5: a named index), and links still need their nodes.
        let duplicate = store.conn.execute(
            "INSERT INTO nodes (ix, id, kind, title) VALUES (2, 'A', 'guideline', 'x')",
            [],
        );
        assert!(duplicate.is_err(), "a duplicate id is refused");
        let dangling = store
            .conn
            .execute("INSERT INTO edges VALUES (1, 0, 9, 'cites', NULL)", []);
        assert!(dangling.is_err(), "a link to no node is refused");
        // And an import after the migration keeps the index.
        let mut store = store;
        store.import(&graph, &[]).unwrap();
        let index: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'nodes_id'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(index, 1);
    }

    #[test]
    fn foreign_keys_are_back_on_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_for_writing(&dir.path().join("x.db")).unwrap();
        let graph = Graph::build(
            RelationCatalog::from_specs(vec![]).unwrap(),
            vec![Node::new("A", regtrace_core::NodeKind::Guideline, "a")],
            vec![],
        )
        .unwrap();
        store.import(&graph, &[]).unwrap();
        let on: bool = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(on);
        // And they hold: an edge to a node that does not exist is refused.
        let err = store
            .conn
            .execute(
                "INSERT INTO edges (ix, src, dst, relation) VALUES (9, 0, 42, 'x')",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    }

    #[test]
    fn schema_3_decisions_survive_the_rebuild_of_their_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.db");
        {
            let conn = Connection::open(&path).unwrap();
            for migration in &MIGRATIONS[..3] {
                conn.execute_batch(migration).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
            conn.execute_batch(
                r#"INSERT INTO change_events VALUES (1, 'law', 'revised', '2013-11-20', NULL, NULL, 't0');
                   INSERT INTO reviews VALUES (7, 1, 'gl', 1, '["law","gl"]', '["governed_by"]', 't1');
                   INSERT INTO review_decisions VALUES (3, 7, 'unchanged', NULL, 'WG', 'fine', 't2');"#,
            )
            .unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let reviews = store.reviews().unwrap();
        assert_eq!(reviews.len(), 1);
        let decision = reviews[0].decision.clone().unwrap();
        assert_eq!(
            (decision.id, decision.by.as_str(), decision.corrects),
            (3, "WG", None)
        );
        assert_eq!(reviews[0].probably_unaffected, None);
        // The rebuilt table is append-only again, and takes corrections.
        let err = store
            .conn
            .execute("DELETE FROM review_decisions", [])
            .unwrap_err();
        assert!(err.to_string().contains("append-only"));
        store
            .correct_decision(
                7,
                &NewDecision {
                    outcome: Outcome::Revised,
                    replaced_by: None,
                    by: "WG".into(),
                    note: None,
                },
            )
            .unwrap();
        assert_eq!(store.reviews().unwrap()[0].corrected.len(), 1);
    }
}
