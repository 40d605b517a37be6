//! Reading the data set back: in one transaction, validated again through `Graph::build`, so a
//! hand-edited or damaged database is reported, never trusted.

use std::path::Path;

use regtrace_core::{Dates, Diagnostics, EdgeList, Graph, Node, RelationCatalog, RelationSpec};
use rusqlite::{Connection, OptionalExtension};

use crate::schema::DATA_VERSION;
use crate::{Store, StoreError, sqlite};

impl Store {
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

    /// The ids of the stored nodes, with the data version they belong to, read in one
    /// transaction: what an import needs to tell what it would remove, without loading the
    /// whole data set.
    pub fn node_ids(&self) -> Result<(Vec<String>, Option<String>), StoreError> {
        let err = sqlite(&self.path);
        let read = self.conn.unchecked_transaction().map_err(&err)?;
        let version = meta_in(&read, &self.path, DATA_VERSION)?;
        let ids = {
            let mut query = read.prepare("SELECT id FROM nodes").map_err(&err)?;
            query
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(&err)?
                .collect::<rusqlite::Result<Vec<String>>>()
                .map_err(&err)?
        };
        drop(read);
        Ok((ids, version))
    }

    /// The audit rules files that came with the stored data set (its last import), as (file,
    /// text); none when it brought none.
    pub fn audit_rules(&self) -> Result<Vec<(String, String)>, StoreError> {
        let Some(text) = self.meta(crate::import::AUDIT_RULES)? else {
            return Ok(Vec::new());
        };
        serde_json::from_str(&text).map_err(|e| StoreError::Inconsistent {
            path: self.path.clone(),
            problems: Diagnostics(vec![regtrace_core::Diagnostic::new(
                None,
                format!("unreadable audit rules in meta: {e}"),
            )]),
        })
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

pub(crate) fn meta_in(conn: &Connection, path: &Path, key: &str) -> Result<Option<String>, StoreError> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
        .map_err(sqlite(path))
}

/// Reads the data set through `conn` (inside the caller's transaction).
pub(crate) fn load_from(conn: &Connection, path: &Path) -> Result<Graph, StoreError> {
    let err = sqlite(path);
    let inconsistent = |problems: Diagnostics| StoreError::Inconsistent {
        path: path.to_owned(),
        problems,
    };

    let mut statement = conn
        .prepare(
            "SELECT name, description, from_kinds, to_kinds, impact, acyclic, same_kind, replaces, title_ja
             FROM relations ORDER BY position",
        )
        .map_err(&err)?;
    let specs = statement
        .query_map([], |r| {
            Ok(RelationSpec {
                name: r.get(0)?,
                description: r.get(1)?,
                title_ja: r.get(8)?,
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
    if let Some(text) = meta_in(conn, path, "review_kinds")? {
        let kinds: Vec<regtrace_core::NodeKind> = serde_json::from_str(&text).map_err(|e| {
            inconsistent(Diagnostics(vec![regtrace_core::Diagnostic::new(
                None,
                format!("unreadable review kinds in meta: {e}"),
            )]))
        })?;
        catalog = catalog.with_review_kinds(Some(kinds));
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
    // Into the packed list as they come, each edge's text borrowed from its row.
    let mut edges = EdgeList::new();
    let mut rows = statement.query([]).map_err(&err)?;
    while let Some(r) = rows.next().map_err(&err)? {
        edges.push_parts(
            text_at(r, 0).map_err(&err)?,
            text_at(r, 2).map_err(&err)?,
            text_at(r, 1).map_err(&err)?,
            text_or_null_at(r, 3).map_err(&err)?,
            None,
        );
    }
    drop(rows);
    if !problems.is_empty() {
        return Err(inconsistent(problems));
    }
    Graph::build(catalog, nodes, edges).map_err(inconsistent)
}

/// Column `i` of row `r` as text, borrowed from the row.
fn text_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(i)?.as_str().map_err(|e| not_text(i, e))
}

/// Column `i` of row `r` as text borrowed from the row, or `None` for NULL.
fn text_or_null_at<'r>(r: &'r rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(i)?.as_str_or_null().map_err(|e| not_text(i, e))
}

fn not_text(i: usize, e: rusqlite::types::FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
}

fn from_json(text: &str) -> rusqlite::Result<Vec<String>> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}
