//! Change events and reviews: the kept history of "this changed, so these must be checked, and
//! this is what the check found".
//!
//! Three tables, all append-only (triggers refuse UPDATE and DELETE; a correction is a new
//! record). They name nodes by id, never by `ix`, so an import, which replaces the data set,
//! leaves them untouched; a review whose node has since left the data is kept and shown as
//! orphaned by the caller.

use std::collections::HashMap;

use regtrace_core::record::{DecisionRecord, Entry, Head, History, ReviewRecord};
use rusqlite::{Connection, OptionalExtension, params};

use crate::{Store, StoreError, sqlite};

/// Schema 2 → 3.
pub(crate) const MIGRATION: &str = r#"
    CREATE TABLE change_events (
        id          INTEGER PRIMARY KEY,
        node_id     TEXT NOT NULL,
        what        TEXT NOT NULL,
        date        TEXT NOT NULL,          -- YYYY-MM-DD: when the change took effect
        note        TEXT,
        recorded_by TEXT,
        recorded_at TEXT NOT NULL           -- UTC, RFC 3339
    );
    CREATE TABLE reviews (
        id        INTEGER PRIMARY KEY,
        event_id  INTEGER NOT NULL REFERENCES change_events (id),
        node_id   TEXT NOT NULL,
        distance  INTEGER NOT NULL,
        path      TEXT NOT NULL,            -- JSON array of ids, changed node first
        relations TEXT NOT NULL,            -- JSON array, one per hop
        opened_at TEXT NOT NULL,
        UNIQUE (event_id, node_id)
    );
    CREATE TABLE review_decisions (
        id          INTEGER PRIMARY KEY,
        review_id   INTEGER NOT NULL UNIQUE REFERENCES reviews (id),
        outcome     TEXT NOT NULL CHECK (outcome IN ('unchanged', 'revised', 'withdrawn')),
        replaced_by TEXT,
        decided_by  TEXT NOT NULL,
        note        TEXT,
        decided_at  TEXT NOT NULL
    );
    CREATE TRIGGER change_events_append_only_u BEFORE UPDATE ON change_events
        BEGIN SELECT RAISE(ABORT, 'change events are append-only'); END;
    CREATE TRIGGER change_events_append_only_d BEFORE DELETE ON change_events
        BEGIN SELECT RAISE(ABORT, 'change events are append-only'); END;
    CREATE TRIGGER reviews_append_only_u BEFORE UPDATE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
    CREATE TRIGGER reviews_append_only_d BEFORE DELETE ON reviews
        BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
    CREATE TRIGGER review_decisions_append_only_u BEFORE UPDATE ON review_decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
    CREATE TRIGGER review_decisions_append_only_d BEFORE DELETE ON review_decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
"#;

/// Schema 3 → 4: a review's verdict ("review", or "probably_unaffected" with its reason), and
/// decisions that correct earlier ones. SQLite cannot drop the UNIQUE constraint on
/// `review_decisions.review_id`, so the table is rebuilt (same ids) with a `corrects` column:
/// one first decision per review, then a chain of corrections, each naming the one it corrects.
pub(crate) const MIGRATION_VERDICTS_AND_CORRECTIONS: &str = r#"
    ALTER TABLE reviews ADD COLUMN verdict TEXT NOT NULL DEFAULT 'review'
        CHECK (verdict IN ('review', 'probably_unaffected'));
    ALTER TABLE reviews ADD COLUMN verdict_reason TEXT;
    CREATE TABLE review_decisions_v4 (
        id          INTEGER PRIMARY KEY,
        review_id   INTEGER NOT NULL REFERENCES reviews (id),
        outcome     TEXT NOT NULL CHECK (outcome IN ('unchanged', 'revised', 'withdrawn')),
        replaced_by TEXT,
        decided_by  TEXT NOT NULL,
        note        TEXT,
        decided_at  TEXT NOT NULL,
        corrects    INTEGER UNIQUE REFERENCES review_decisions_v4 (id)
    );
    INSERT INTO review_decisions_v4 (id, review_id, outcome, replaced_by, decided_by, note, decided_at)
        SELECT id, review_id, outcome, replaced_by, decided_by, note, decided_at FROM review_decisions;
    DROP TABLE review_decisions;
    ALTER TABLE review_decisions_v4 RENAME TO review_decisions;
    CREATE UNIQUE INDEX review_decisions_first ON review_decisions (review_id) WHERE corrects IS NULL;
    CREATE INDEX review_decisions_review ON review_decisions (review_id);
    CREATE TRIGGER review_decisions_append_only_u BEFORE UPDATE ON review_decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
    CREATE TRIGGER review_decisions_append_only_d BEFORE DELETE ON review_decisions
        BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
"#;

/// Schema 6 → 7: the history's hash chain (see [`regtrace_core::record`]): one row per event,
/// review and decision, in order of recording, with the SHA-256 over the record and the hash
/// before it. Append-only like the records; the records there already are sealed when the
/// database is migrated ([`seal_new`]).
pub(crate) const MIGRATION_CHAIN: &str = r#"
    CREATE TABLE history_chain (
        seq    INTEGER PRIMARY KEY,    -- 1, 2, … in order of recording
        record TEXT NOT NULL UNIQUE,   -- event:N, review:N or decision:N
        hash   TEXT NOT NULL           -- hex SHA-256 of the hash before and the record
    );
    CREATE TRIGGER history_chain_append_only_u BEFORE UPDATE ON history_chain
        BEGIN SELECT RAISE(ABORT, 'the history chain is append-only'); END;
    CREATE TRIGGER history_chain_append_only_d BEFORE DELETE ON history_chain
        BEGIN SELECT RAISE(ABORT, 'the history chain is append-only'); END;
"#;

/// Schema 7 → 8: a decision may accept a reference on purpose: the (older) node the reviewed
/// node keeps resting on, and why; the audit reports such a stale reference as accepted.
pub(crate) const MIGRATION_KEEPS: &str = r#"
    ALTER TABLE review_decisions ADD COLUMN keeps TEXT;
    ALTER TABLE review_decisions ADD COLUMN because TEXT;
"#;

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// A change to record.
#[derive(Debug, Clone)]
pub struct NewEvent {
    /// The node that changed.
    pub node: String,
    /// What happened, in words.
    pub what: String,
    /// When the change took effect (YYYY-MM-DD).
    pub date: String,
    /// A free note.
    pub note: Option<String>,
    /// Who recorded it.
    pub by: Option<String>,
}

/// A recorded change: the same record a lossless export carries.
pub use regtrace_core::record::EventRecord as ChangeEvent;

/// A review to open: a node the change reaches, with its reason chain at that moment.
#[derive(Debug, Clone)]
pub struct NewReview {
    /// The node to review.
    pub node: String,
    /// Hops from the changed node.
    pub distance: u32,
    /// Ids from the changed node to this one.
    pub path: Vec<String>,
    /// The relation of each hop.
    pub relations: Vec<String>,
    /// Why the node is probably unaffected (a clause carried over unchanged into the newer
    /// edition); `None`: a full review.
    pub probably_unaffected: Option<String>,
}

/// How a review ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Checked: nothing to change.
    Unchanged,
    /// Revised (possibly by a new node that replaces it).
    Revised,
    /// Withdrawn.
    Withdrawn,
}

impl Outcome {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Unchanged => "unchanged",
            Outcome::Revised => "revised",
            Outcome::Withdrawn => "withdrawn",
        }
    }

    /// Every outcome, in the order a person is offered them.
    pub const ALL: [Outcome; 3] = [Outcome::Unchanged, Outcome::Revised, Outcome::Withdrawn];
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not an outcome.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an outcome (unchanged, revised or withdrawn)")]
pub struct UnknownOutcome(pub String);

impl std::str::FromStr for Outcome {
    type Err = UnknownOutcome;

    /// The outcome a stored or typed word names; any other word is an error, never a guess.
    fn from_str(word: &str) -> Result<Outcome, UnknownOutcome> {
        Outcome::ALL
            .into_iter()
            .find(|o| o.as_str() == word)
            .ok_or_else(|| UnknownOutcome(word.to_owned()))
    }
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision {
    /// The outcome.
    pub outcome: Outcome,
    /// The day it was decided (YYYY-MM-DD), when that is not the day it is recorded.
    pub on: Option<String>,
    /// With `revised`: the node that replaces the reviewed one.
    pub replaced_by: Option<String>,
    /// Who decided.
    pub by: String,
    /// A free note.
    pub note: Option<String>,
    /// A reference accepted on purpose: the node the reviewed node keeps resting on, and why.
    pub keeps: Option<(String, String)>,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Decision number.
    pub id: i64,
    /// The earlier decision this one corrects.
    pub corrects: Option<i64>,
    /// The outcome.
    pub outcome: Outcome,
    /// The replacing node, if any.
    pub replaced_by: Option<String>,
    /// Who decided.
    pub by: String,
    /// A free note.
    pub note: Option<String>,
    /// The day it was decided (YYYY-MM-DD), if given.
    pub decided_on: Option<String>,
    /// When it was recorded (UTC).
    pub decided_at: String,
    /// A reference accepted on purpose: the node the reviewed node keeps resting on, and why.
    pub keeps: Option<(String, String)>,
}

impl Decision {
    /// The day it was decided: the day given, else the day it was recorded.
    pub fn day(&self) -> &str {
        self.decided_on
            .as_deref()
            .unwrap_or_else(|| self.decided_at.get(..10).unwrap_or(&self.decided_at))
    }
}

/// A review, open or closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Review number.
    pub id: i64,
    /// The change event that opened it.
    pub event: i64,
    /// The node under review.
    pub node: String,
    /// Hops from the changed node (1: direct).
    pub distance: u32,
    /// Ids from the changed node to the reviewed one.
    pub path: Vec<String>,
    /// The relation of each hop.
    pub relations: Vec<String>,
    /// When it was opened (UTC).
    pub opened_at: String,
    /// Why the node is probably unaffected; `None`: a full review.
    pub probably_unaffected: Option<String>,
    /// The decision in force: the last correction, else the decision that closed it; `None`
    /// while open.
    pub decision: Option<Decision>,
    /// Decisions since corrected, oldest first (kept: decisions are never overwritten).
    pub corrected: Vec<Decision>,
}

const SELECT_EVENTS: &str =
    "SELECT id, node_id, what, date, note, recorded_by, recorded_at FROM change_events";

/// A row of [`SELECT_EVENTS`].
fn event_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ChangeEvent> {
    Ok(ChangeEvent {
        id: r.get(0)?,
        node: r.get(1)?,
        what: r.get(2)?,
        date: r.get(3)?,
        note: r.get(4)?,
        by: r.get(5)?,
        recorded_at: r.get(6)?,
        seq: None,
        hash: None,
    })
}

impl Store {
    /// Records a change event and opens its reviews, in one transaction. Returns the event.
    ///
    /// `based_on` is the [data version](Store::data_version) the reviews were computed from;
    /// if another import has replaced that data since, nothing is written and the answer is
    /// [`StoreError::DataChanged`], so reviews never describe data that is no longer there.
    pub fn record_change(
        &mut self,
        event: &NewEvent,
        reviews: &[NewReview],
        based_on: Option<&str>,
    ) -> Result<ChangeEvent, StoreError> {
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
        if crate::load::meta_in(&tx, &path, crate::schema::DATA_VERSION)?.as_deref() != based_on {
            return Err(StoreError::DataChanged(path.clone()));
        }
        let id = insert_event(&tx, event, reviews).map_err(&err)?;
        tx.commit().map_err(&err)?;
        self.event(id)
    }

    /// Records several change events, each with its reviews, in one transaction (all of them or
    /// none), on the same terms as [`Store::record_change`]. Returns the events, in order.
    pub fn record_changes(
        &mut self,
        changes: &[(NewEvent, Vec<NewReview>)],
        based_on: Option<&str>,
    ) -> Result<Vec<ChangeEvent>, StoreError> {
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
        if crate::load::meta_in(&tx, &path, crate::schema::DATA_VERSION)?.as_deref() != based_on {
            return Err(StoreError::DataChanged(path.clone()));
        }
        let ids = changes
            .iter()
            .map(|(event, reviews)| insert_event(&tx, event, reviews))
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(&err)?;
        tx.commit().map_err(&err)?;
        ids.into_iter().map(|id| self.event(id)).collect()
    }

    /// The change event numbered `id`.
    pub(crate) fn event(&self, id: i64) -> Result<ChangeEvent, StoreError> {
        self.conn
            .query_row(&format!("{SELECT_EVENTS} WHERE id = ?1"), [id], event_row)
            .map_err(sqlite(&self.path))
    }

    /// Every change event, oldest first.
    pub fn events(&self) -> Result<Vec<ChangeEvent>, StoreError> {
        events_in(&self.conn, Records::All).map_err(sqlite(&self.path))
    }

    /// Every review with its decisions, by event, then distance from the change, then node id.
    pub fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        reviews_in(&self.conn, Records::All).map_err(sqlite(&self.path))
    }

    /// Closes reviews with one decision, in one transaction. A review that already has a decision
    /// is refused (nothing is written): decisions are never overwritten.
    pub fn close_reviews(&mut self, review_ids: &[i64], decision: &NewDecision) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
        for id in review_ids {
            let closed: Option<i64> = tx
                .query_row(
                    "SELECT id FROM review_decisions WHERE review_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(&err)?;
            if closed.is_some() {
                return Err(StoreError::AlreadyClosed(*id));
            }
            insert_decision(&tx, *id, None, decision).map_err(&err)?;
        }
        seal_new(&tx).map_err(&err)?;
        tx.commit().map_err(err)
    }

    /// Corrects the decision in force on a review with a new one that names it, in one
    /// transaction. The corrected decision stays on record. A review still open is refused.
    pub fn correct_decision(&mut self, review_id: i64, decision: &NewDecision) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = sqlite(&path);
        let tx = self.write_transaction()?;
        let latest: Option<i64> = tx
            .query_row(
                "SELECT max(id) FROM review_decisions WHERE review_id = ?1",
                [review_id],
                |r| r.get(0),
            )
            .map_err(&err)?;
        let Some(latest) = latest else {
            return Err(StoreError::NotClosed(review_id));
        };
        insert_decision(&tx, review_id, Some(latest), decision).map_err(&err)?;
        seal_new(&tx).map_err(&err)?;
        tx.commit().map_err(err)
    }
}

/// Every change event, oldest first.
/// Which history records to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Records {
    /// Every one.
    All,
    /// Those not yet sealed in the chain (and, for a decision not yet sealed, its review):
    /// what a write seals, without reading the whole history each time.
    Unsealed,
}

/// SQL true of a row of `table` whose key (`kind:id`) is not in the chain.
fn unsealed(kind: &str, table: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM history_chain c WHERE c.record = '{kind}:' || {table}.id)")
}

fn events_in(conn: &Connection, records: Records) -> rusqlite::Result<Vec<ChangeEvent>> {
    let only = match records {
        Records::All => String::new(),
        Records::Unsealed => format!(" WHERE {}", unsealed("event", "change_events")),
    };
    let mut query = conn.prepare(&format!("{SELECT_EVENTS}{only} ORDER BY id"))?;
    query.query_map([], event_row)?.collect()
}

/// Every review with its decisions, by event, then distance from the change, then node id.
fn reviews_in(conn: &Connection, records: Records) -> rusqlite::Result<Vec<Review>> {
    let mut decisions: HashMap<i64, Vec<Decision>> = HashMap::new();
    let (decisions_only, reviews_only) = match records {
        Records::All => (String::new(), String::new()),
        Records::Unsealed => {
            let decision = unsealed("decision", "review_decisions");
            (
                format!(" WHERE {decision}"),
                format!(
                    " WHERE {} OR id IN (SELECT review_id FROM review_decisions WHERE {decision})",
                    unsealed("review", "reviews")
                ),
            )
        }
    };
    let mut query = conn.prepare(&format!(
        "SELECT review_id, id, corrects, outcome, replaced_by, decided_by, note, decided_at, \
         decided_on, keeps, because FROM review_decisions{decisions_only} ORDER BY id",
    ))?;
    let rows = query.query_map([], |r| {
        let outcome: String = r.get(3)?;
        // A row whose outcome regtrace does not know (edited by hand) is reported, not read as
        // some other outcome.
        let outcome = outcome.parse::<Outcome>().map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Text, Box::new(e))
        })?;
        Ok((
            r.get::<_, i64>(0)?,
            Decision {
                id: r.get(1)?,
                corrects: r.get(2)?,
                outcome,
                replaced_by: r.get(4)?,
                by: r.get(5)?,
                note: r.get(6)?,
                decided_at: r.get(7)?,
                decided_on: r.get(8)?,
                keeps: match (r.get::<_, Option<String>>(9)?, r.get::<_, Option<String>>(10)?) {
                    (Some(node), because) => Some((node, because.unwrap_or_default())),
                    (None, _) => None,
                },
            },
        ))
    })?;
    for row in rows {
        let (review, decision) = row?;
        decisions.entry(review).or_default().push(decision);
    }
    let mut query = conn.prepare(&format!(
        "SELECT id, event_id, node_id, distance, path, relations, opened_at, verdict_reason \
         FROM reviews{reviews_only} ORDER BY event_id, distance, node_id",
    ))?;
    query
        .query_map([], |r| {
            let id: i64 = r.get(0)?;
            let path: String = r.get(4)?;
            let relations: String = r.get(5)?;
            // Corrections come after what they correct, so ids order the chain.
            let mut corrected = decisions.remove(&id).unwrap_or_default();
            let decision = corrected.pop();
            Ok(Review {
                id,
                event: r.get(1)?,
                node: r.get(2)?,
                distance: r.get(3)?,
                path: serde_json::from_str(&path).unwrap_or_default(),
                relations: serde_json::from_str(&relations).unwrap_or_default(),
                opened_at: r.get(6)?,
                probably_unaffected: r.get(7)?,
                decision,
                corrected,
            })
        })?
        .collect()
}

/// The history as records, each sealed as the chain table has it (unsealed where it has no
/// row): with [`Records::All`], the whole of it, what a lossless export carries and what
/// [`History::check_chain`] checks; with [`Records::Unsealed`], what a write is to seal.
fn history_in(conn: &Connection, records: Records) -> rusqlite::Result<History> {
    let seals = seals_in(conn, records)?;
    let seal = |key: String| match seals.get(&key) {
        Some((seq, hash)) => (Some(*seq), Some(hash.clone())),
        None => (None, None),
    };
    let mut events = events_in(conn, records)?;
    for e in &mut events {
        (e.seq, e.hash) = seal(format!("event:{}", e.id));
    }
    let mut reviews: Vec<ReviewRecord> = reviews_in(conn, records)?
        .into_iter()
        .map(|r| {
            let (seq, hash) = seal(format!("review:{}", r.id));
            ReviewRecord {
                id: r.id,
                event: r.event,
                node: r.node,
                distance: r.distance,
                path: r.path,
                relations: r.relations,
                probably_unaffected: r.probably_unaffected,
                opened_at: r.opened_at,
                seq,
                hash,
                // The decision in force is the last one; the corrected ones came before it.
                decisions: r
                    .corrected
                    .into_iter()
                    .chain(r.decision)
                    .map(|d| {
                        let (seq, hash) = seal(format!("decision:{}", d.id));
                        DecisionRecord {
                            id: d.id,
                            corrects: d.corrects,
                            outcome: d.outcome.as_str().to_owned(),
                            replaced_by: d.replaced_by,
                            by: d.by,
                            note: d.note,
                            decided_on: d.decided_on,
                            decided_at: d.decided_at,
                            keeps: d.keeps.as_ref().map(|(node, _)| node.clone()),
                            because: d.keeps.map(|(_, because)| because),
                            seq,
                            hash,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    reviews.sort_by_key(|r| r.id);
    Ok(History { events, reviews })
}

/// Each sealed record's place in the chain and hash, by its key (`event:1`, `decision:2`).
/// With [`Records::Unsealed`]: only the seals of the reviews whose decisions are not all sealed.
fn seals_in(conn: &Connection, records: Records) -> rusqlite::Result<HashMap<String, (u64, String)>> {
    let only = match records {
        Records::All => String::new(),
        Records::Unsealed => format!(
            " WHERE record IN (SELECT 'review:' || review_id FROM review_decisions WHERE {})",
            unsealed("decision", "review_decisions")
        ),
    };
    let mut query = conn.prepare(&format!("SELECT seq, record, hash FROM history_chain{only}"))?;
    query
        .query_map([], |r| {
            let seq: i64 = r.get(0)?;
            Ok((r.get(1)?, (u64::try_from(seq).unwrap_or(0), r.get(2)?)))
        })?
        .collect()
}

/// Seals the records not yet in the chain, in order of recording, after the chain's last record:
/// part of every transaction that records history (and of the migration that made the chain).
pub(crate) fn seal_new(conn: &Connection) -> rusqlite::Result<()> {
    let history = history_in(conn, Records::Unsealed)?;
    let (mut seq, mut previous): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM history_chain ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, regtrace_core::record::GENESIS.to_owned()));
    let mut unsealed: Vec<Entry> = history
        .entries()
        .into_iter()
        .filter(|e| e.seal().0.is_none())
        .collect();
    unsealed.sort_by(|a, b| a.recorded().cmp(&b.recorded()));
    let mut insert = conn.prepare("INSERT INTO history_chain (seq, record, hash) VALUES (?1, ?2, ?3)")?;
    for entry in unsealed {
        seq += 1;
        previous = entry.hash(&previous);
        insert.execute(params![seq, entry.key(), previous])?;
    }
    Ok(())
}

/// Inserts a change event and its reviews inside `tx`; returns the event's number.
pub(crate) fn insert_event(
    tx: &rusqlite::Transaction<'_>,
    event: &NewEvent,
    reviews: &[NewReview],
) -> rusqlite::Result<i64> {
    tx.execute(
        &format!(
            "INSERT INTO change_events (node_id, what, date, note, recorded_by, recorded_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, {NOW})"
        ),
        params![event.node, event.what, event.date, event.note, event.by],
    )?;
    let id = tx.last_insert_rowid();
    let mut insert = tx.prepare(&format!(
        "INSERT INTO reviews (event_id, node_id, distance, path, relations, verdict, \
         verdict_reason, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, {NOW})"
    ))?;
    for review in reviews {
        insert.execute(params![
            id,
            review.node,
            review.distance,
            serde_json::to_string(&review.path).unwrap_or_default(),
            serde_json::to_string(&review.relations).unwrap_or_default(),
            if review.probably_unaffected.is_some() {
                "probably_unaffected"
            } else {
                "review"
            },
            review.probably_unaffected,
        ])?;
    }
    seal_new(tx)?;
    Ok(id)
}

fn insert_decision(
    tx: &rusqlite::Transaction<'_>,
    review_id: i64,
    corrects: Option<i64>,
    decision: &NewDecision,
) -> rusqlite::Result<usize> {
    tx.execute(
        &format!(
            "INSERT INTO review_decisions (review_id, outcome, replaced_by, decided_by, note, \
             decided_at, corrects, decided_on, keeps, because) VALUES (?1, ?2, ?3, ?4, ?5, {NOW}, ?6, ?7, ?8, ?9)"
        ),
        params![
            review_id,
            decision.outcome.as_str(),
            decision.replaced_by,
            decision.by,
            decision.note,
            corrects,
            decision.on,
            decision.keeps.as_ref().map(|(node, _)| node),
            decision.keeps.as_ref().map(|(_, because)| because)
        ],
    )
}

impl Store {
    /// The whole kept history as records (events by number; reviews by number, each with its
    /// decisions oldest first), each with its seal: what a lossless export carries.
    pub fn history(&self) -> Result<History, StoreError> {
        history_in(&self.conn, Records::All).map_err(sqlite(&self.path))
    }

    /// Each sealed record's place in the hash chain (the order of recording, finer than the
    /// timestamps' seconds) and hash, by its key (`event:1`, `review:3`, `decision:2`).
    pub fn seals(&self) -> Result<HashMap<String, (u64, String)>, StoreError> {
        seals_in(&self.conn, Records::All).map_err(sqlite(&self.path))
    }

    /// Checks the stored history: SQLite's foreign keys (every review's event, every decision's
    /// review and corrected decision present), then the hash chain record by record (see
    /// [`History::check_chain`]), and that the chain names no record the tables no longer hold.
    /// Returns the chain's head, or what does not hold (the first altered record named).
    pub fn check_history(&self) -> Result<Result<Head, Vec<String>>, StoreError> {
        let err = sqlite(&self.path);
        let mut problems = Vec::new();
        let mut query = self.conn.prepare("PRAGMA foreign_key_check").map_err(&err)?;
        let rows = query
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(&err)?;
        for row in rows {
            let (table, id, parent) = row.map_err(&err)?;
            problems.push(format!(
                "{table} row {} names a {parent} row that does not exist",
                id.map_or_else(|| "?".to_owned(), |id| format!("#{id}"))
            ));
        }
        let history = self.history()?;
        problems.extend(
            history
                .problems_now()
                .into_iter()
                .map(|p| format!("{}: {}", p.record, p.problem)),
        );
        let held: std::collections::HashSet<String> = history.entries().iter().map(Entry::key).collect();
        let mut query = self
            .conn
            .prepare("SELECT record FROM history_chain ORDER BY seq")
            .map_err(&err)?;
        let chained: Vec<String> = query
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(&err)?;
        for gone in chained.iter().filter(|k| !held.contains(*k)) {
            let (kind, id) = gone.split_once(':').unwrap_or((gone, "?"));
            problems.push(format!(
                "{kind} #{id} is in the hash chain but not in the database: it was removed"
            ));
        }
        match history.check_chain() {
            Ok(head) if problems.is_empty() => Ok(Ok(head)),
            Ok(_) => Ok(Err(problems)),
            Err(problem) => {
                problems.push(problem.to_string());
                Ok(Err(problems))
            }
        }
    }
}

/// Writes `history` as it was kept elsewhere (numbers, dates and who as they were), into a
/// database that has none: part of an import's transaction. The schema's own checks (known
/// outcomes, a review's event present, a correction naming a decision) hold for it as for any
/// write.
pub(crate) fn restore_history(tx: &rusqlite::Transaction<'_>, history: &History) -> rusqlite::Result<()> {
    let mut insert = tx.prepare(
        "INSERT INTO change_events (id, node_id, what, date, note, recorded_by, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for e in &history.events {
        insert.execute(params![e.id, e.node, e.what, e.date, e.note, e.by, e.recorded_at])?;
    }
    let mut insert = tx.prepare(
        "INSERT INTO reviews (id, event_id, node_id, distance, path, relations, verdict, \
         verdict_reason, opened_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut decide = tx.prepare(
        "INSERT INTO review_decisions (id, review_id, outcome, replaced_by, decided_by, note, \
         decided_at, corrects, decided_on, keeps, because) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for r in &history.reviews {
        insert.execute(params![
            r.id,
            r.event,
            r.node,
            r.distance,
            serde_json::to_string(&r.path).unwrap_or_default(),
            serde_json::to_string(&r.relations).unwrap_or_default(),
            if r.probably_unaffected.is_some() {
                "probably_unaffected"
            } else {
                "review"
            },
            r.probably_unaffected,
            r.opened_at
        ])?;
        for d in &r.decisions {
            decide.execute(params![
                d.id,
                r.id,
                d.outcome,
                d.replaced_by,
                d.by,
                d.note,
                d.decided_at,
                d.corrects,
                d.decided_on,
                d.keeps,
                d.because
            ])?;
        }
    }
    // A sealed history keeps its seals (checked by the caller against its content); one from
    // before the chain is sealed here, in order of recording.
    let mut chain = tx.prepare("INSERT INTO history_chain (seq, record, hash) VALUES (?1, ?2, ?3)")?;
    for entry in history.entries() {
        if let (Some(seq), Some(hash)) = entry.seal() {
            chain.execute(params![i64::try_from(seq).unwrap_or(i64::MAX), entry.key(), hash])?;
        }
    }
    seal_new(tx)?;
    Ok(())
}
