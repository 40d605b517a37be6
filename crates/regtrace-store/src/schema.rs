//! The database's identity and schema: opening (never into a foreign or newer file), the
//! migrations, in order, and the checks that a file is a regtrace database.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{Store, StoreError, reviews, sqlite};

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
    // 5 → 6: the day a decision was taken (a meeting's date), beside when it was recorded.
    r#"
    ALTER TABLE review_decisions ADD COLUMN decided_on TEXT;
    "#,
    // 6 → 7: the history's hash chain (see `reviews.rs`); the records there are sealed by
    // `migrate` in the same transaction.
    reviews::MIGRATION_CHAIN,
    // 7 → 8: references accepted on purpose by a decision (see `reviews.rs`).
    reviews::MIGRATION_KEEPS,
    // 8 → 9: each relation's name for people reading Japanese (the catalog's `title_ja`).
    r#"
    ALTER TABLE relations ADD COLUMN title_ja TEXT;
    "#,
];

/// The `meta` key of the data set's version: the snapshot id each import draws.
pub(crate) const DATA_VERSION: &str = "snapshot_id";

/// The write-ahead log SQLite keeps beside a database while it is written.
fn wal_of(path: &Path) -> std::path::PathBuf {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    wal.into()
}

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

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

impl Store {
    /// Opens an existing database (never creates one), migrating it to the current schema if it
    /// is older. Fails if it does not exist, is not a regtrace database, or is newer than this
    /// build. A database this user cannot write (a read-only file, directory or mount) is opened
    /// to read: queries work, and a write fails with [`StoreError::ReadOnly`].
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite(path))?;
        match Store::prepare(conn, path) {
            // A WAL database read where its `-wal` and `-shm` files cannot be created (a read-only
            // directory or mount) can only be read as immutable. That is sound when no writer is
            // at work, which its missing `-wal` file shows (a writer keeps one while connected).
            Err(StoreError::ReadOnly(_)) if !wal_of(path).exists() => Store::open_immutable(path),
            opened => opened,
        }
    }

    fn open_immutable(path: &Path) -> Result<Store, StoreError> {
        let Some(text) = path.to_str() else {
            return Err(StoreError::ReadOnly(path.to_owned()));
        };
        // A URI path escapes what URIs give a meaning to.
        let mut uri = String::from("file:");
        for c in text.chars() {
            match c {
                '%' => uri.push_str("%25"),
                '?' => uri.push_str("%3F"),
                '#' => uri.push_str("%23"),
                c => uri.push(c),
            }
        }
        uri.push_str("?immutable=1");
        let flags =
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&uri, flags).map_err(sqlite(path))?;
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
        let version = store.check_identity()?;
        // SQLite falls back to reading when the file cannot be opened to write.
        if store.is_read_only() {
            if version != SCHEMA_VERSION {
                return Err(StoreError::ReadOnlyAndOld {
                    path: path.to_owned(),
                    found: version,
                    current: SCHEMA_VERSION,
                });
            }
            return Ok(store);
        }
        store
            .conn
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite(path))?;
        store.migrate()?;
        Ok(store)
    }

    pub(crate) fn configure(&self) -> Result<(), StoreError> {
        self.conn
            .busy_timeout(Duration::from_secs(30))
            .map_err(sqlite(&self.path))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(sqlite(&self.path))?;
        Ok(())
    }

    /// Checks the file is empty or a regtrace database no newer than this build; returns its
    /// schema version. A file SQLite cannot read is [`StoreError::Damaged`] when it carries
    /// regtrace's application id, else [`StoreError::Foreign`].
    pub(crate) fn check_identity(&self) -> Result<i64, StoreError> {
        let path = &self.path;
        let application_id: i32 = self
            .conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .map_err(|e| match e {
                // Opening a file that is not SQLite at all fails on the first read; one that
                // still carries regtrace's id where SQLite keeps it (offset 68 of the header) is
                // a regtrace database with a damaged header, not another program's file.
                rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                    if carries_our_id(path) {
                        StoreError::Damaged(path.clone())
                    } else {
                        StoreError::Foreign(path.clone())
                    }
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

    pub(crate) fn migrate(&mut self) -> Result<(), StoreError> {
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
        // The history recorded before the chain existed is sealed as it stands.
        reviews::seal_new(&tx).map_err(sqlite(&path))?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(sqlite(&path))?;
        tx.commit().map_err(sqlite(&path))
    }

    /// SQLite's `PRAGMA integrity_check` of the whole file: the problems it names, none when
    /// the file is sound.
    pub fn integrity_problems(&self) -> Result<Vec<String>, StoreError> {
        let mut statement = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(sqlite(&self.path))?;
        let rows = statement
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(sqlite(&self.path))?;
        let mut problems = Vec::new();
        for row in rows {
            let row = row.map_err(sqlite(&self.path))?;
            if row != "ok" {
                problems.push(row);
            }
        }
        Ok(problems)
    }

    /// True when this database can only be read here (see [`Store::open`]).
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Whether the file at `path` holds regtrace's application id at offset 68, where a SQLite
/// header keeps it (read without SQLite, which refuses a damaged header).
fn carries_our_id(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    let mut header = [0u8; 72];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut header))
        .is_ok_and(|()| header[68..72] == APPLICATION_ID.to_be_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewDecision, Outcome};
    use regtrace_core::{Graph, Node, RelationCatalog};

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

    /// An older database that cannot be written cannot be migrated: it is refused with what
    /// to do, not half-read; a current one opened the same way reads.
    #[test]
    fn a_read_only_database_is_read_if_current_and_refused_if_it_needs_migrating() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("v3.db");
        {
            let conn = Connection::open(&old).unwrap();
            for migration in &MIGRATIONS[..3] {
                conn.execute_batch(migration).unwrap();
            }
            conn.pragma_update(None, "user_version", 3).unwrap();
            conn.pragma_update(None, "application_id", APPLICATION_ID)
                .unwrap();
        }
        match Store::open_immutable(&old) {
            Err(StoreError::ReadOnlyAndOld {
                found: 3, current, ..
            }) => {
                assert_eq!(current, SCHEMA_VERSION);
            }
            other => panic!("{:?}", other.map(|_| ())),
        }
        let current = dir.path().join("now.db");
        Store::open_for_writing(&current).unwrap();
        let store = Store::open_immutable(&current).unwrap();
        assert!(store.is_read_only());
        assert!(store.reviews().unwrap().is_empty());
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
                    on: None,
                    replaced_by: None,
                    by: "WG".into(),
                    note: None,
                    keeps: None,
                },
            )
            .unwrap();
        assert_eq!(store.reviews().unwrap()[0].corrected.len(), 1);
    }
}
