//! The store keeps exactly what was imported, and refuses files it must not touch.

use regtrace_core::{Graph, Node};
use regtrace_store::{SCHEMA_VERSION, Store, StoreError};

fn content(
    graph: &Graph,
) -> (
    Vec<Node>,
    Vec<regtrace_core::Edge>,
    Vec<regtrace_core::RelationSpec>,
) {
    let nodes = graph.nodes().iter().cloned().map(|mut n| {
        n.location = None;
        n
    });
    let edges = graph.to_edges();
    let relations = graph.catalog().relations().iter().map(|r| r.to_spec()).collect();
    (nodes.collect(), edges, relations)
}

#[test]
fn the_seed_round_trips_through_the_store() {
    let seed = regtrace_source::embedded::seed().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let summary = Store::open_for_writing(&path)
        .unwrap()
        .import(&seed, &["seed".into()])
        .unwrap();
    assert_eq!(summary.nodes, seed.node_count());
    assert_eq!(summary.edges, seed.edge_count());

    let loaded = Store::open(&path).unwrap().load().unwrap();
    assert_eq!(content(&loaded), content(&seed));
}

#[test]
fn reimporting_the_same_input_gives_the_same_content() {
    let seed = regtrace_source::embedded::seed().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let dump = |path: &std::path::Path| {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut rows = Vec::new();
        for table in ["relations", "nodes", "edges"] {
            let mut statement = conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
                .unwrap();
            let columns = statement.column_count();
            let mut query = statement.query([]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let cells: Vec<String> = (0..columns)
                    .map(|i| format!("{:?}", row.get_ref(i).unwrap()))
                    .collect();
                rows.push(format!("{table}: {}", cells.join("|")));
            }
        }
        rows
    };
    Store::open_for_writing(&path)
        .unwrap()
        .import(&seed, &[])
        .unwrap();
    let first = dump(&path);
    Store::open_for_writing(&path)
        .unwrap()
        .import(&seed, &[])
        .unwrap();
    assert_eq!(dump(&path), first);
    assert!(first.len() > 100);
}

#[test]
fn opening_to_read_never_creates_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing.db");
    assert!(matches!(Store::open(&path), Err(StoreError::Missing(_))));
    assert!(!path.exists());
}

#[test]
fn foreign_and_newer_databases_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();

    let foreign = dir.path().join("foreign.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(
        Store::open_for_writing(&foreign),
        Err(StoreError::Foreign(_))
    ));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    let text = dir.path().join("notes.db");
    std::fs::write(
        &text,
        "this is not a database, just some text that is long enough",
    )
    .unwrap();
    assert!(matches!(Store::open(&text), Err(StoreError::Foreign(_))));

    let newer = dir.path().join("newer.db");
    Store::open_for_writing(&newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    match Store::open(&newer) {
        Err(StoreError::TooNew { found, .. }) => assert_eq!(found, SCHEMA_VERSION + 1),
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("a newer schema was opened"),
    }
}

#[test]
fn history_is_append_only_and_decisions_are_never_overwritten() {
    use regtrace_store::{NewDecision, NewEvent, NewReview, Outcome};
    let seed = regtrace_source::embedded::seed().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let mut store = Store::open_for_writing(&path).unwrap();
    store.import(&seed, &["seed".into()]).unwrap();
    let event = store
        .record_change(
            &NewEvent {
                node: "jp-pal-revision-2013".into(),
                what: "law revision".into(),
                date: "2013-11-20".into(),
                note: None,
                by: None,
            },
            &[NewReview {
                node: "gl-cell-sheet".into(),
                distance: 1,
                path: vec!["jp-pal-revision-2013".into(), "gl-cell-sheet".into()],
                relations: vec!["governed_by".into()],
                probably_unaffected: None,
            }],
            store.data_version().unwrap().as_deref(),
        )
        .unwrap();
    let review = store.reviews().unwrap()[0].clone();
    assert_eq!(review.event, event.id);
    assert_eq!(review.path, ["jp-pal-revision-2013", "gl-cell-sheet"]);
    let decision = NewDecision {
        outcome: Outcome::Unchanged,
        on: Some("2014-01-15".into()),
        replaced_by: None,
        by: "WG".into(),
        note: None,
        keeps: None,
    };
    store.close_reviews(&[review.id], &decision).unwrap();
    assert!(matches!(
        store.close_reviews(&[review.id], &decision),
        Err(StoreError::AlreadyClosed(_))
    ));
    // A correction is a new decision naming the old one; both stay.
    let correction = NewDecision {
        outcome: Outcome::Revised,
        on: None,
        replaced_by: None,
        by: "WG".into(),
        note: Some("closed by mistake".into()),
        keeps: None,
    };
    store.correct_decision(review.id, &correction).unwrap();
    store.correct_decision(review.id, &decision).unwrap();
    let review = store.reviews().unwrap()[0].clone();
    let outcomes: Vec<Outcome> = review.corrected.iter().map(|d| d.outcome).collect();
    assert_eq!(outcomes, [Outcome::Unchanged, Outcome::Revised]);
    let latest = review.decision.unwrap();
    assert_eq!(latest.outcome, Outcome::Unchanged);
    assert_eq!(latest.corrects, Some(review.corrected[1].id));
    assert_eq!(review.corrected[1].corrects, Some(review.corrected[0].id));
    // The day decided is kept beside the moment recorded; without one, the day recorded.
    assert_eq!(review.corrected[0].day(), "2014-01-15");
    assert_eq!(review.corrected[1].day(), &review.corrected[1].decided_at[..10]);
    drop(store);

    // Not even SQL can rewrite history.
    let conn = rusqlite::Connection::open(&path).unwrap();
    for statement in [
        "UPDATE change_events SET what = 'x'",
        "DELETE FROM change_events",
        "UPDATE reviews SET node_id = 'x'",
        "DELETE FROM reviews",
        "UPDATE review_decisions SET outcome = 'revised'",
        "DELETE FROM review_decisions",
    ] {
        let err = conn.execute(statement, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{statement}: {err}");
    }
    // A second first decision, or two corrections of one decision, are refused by the schema.
    for statement in [
        "INSERT INTO review_decisions (review_id, outcome, decided_by, decided_at) \
         SELECT review_id, 'withdrawn', 'x', 'now' FROM review_decisions LIMIT 1",
        "INSERT INTO review_decisions (review_id, outcome, decided_by, decided_at, corrects) \
         SELECT review_id, 'withdrawn', 'x', 'now', id FROM review_decisions WHERE corrects IS NULL",
    ] {
        let err = conn.execute(statement, []).unwrap_err().to_string();
        assert!(err.contains("UNIQUE"), "{statement}: {err}");
    }
    // A re-import leaves it all in place.
    let mut store = Store::open_for_writing(&path).unwrap();
    store.import(&seed, &["seed".into()]).unwrap();
    assert_eq!(store.reviews().unwrap().len(), 1);
    assert_eq!(store.events().unwrap().len(), 1);
    drop(store);

    // A correction written by hand with an outcome regtrace does not know (the schema's CHECK
    // turned off) is reported when read, never taken for "unchanged".
    conn.pragma_update(None, "ignore_check_constraints", true)
        .unwrap();
    conn.execute(
        "INSERT INTO review_decisions (review_id, outcome, decided_by, decided_at, corrects) \
         SELECT review_id, 'approved', 'x', 'now', MAX(id) FROM review_decisions",
        [],
    )
    .unwrap();
    let err = Store::open(&path).unwrap().reviews().unwrap_err().to_string();
    assert!(err.contains("\"approved\" is not an outcome"), "{err}");
}

#[test]
fn a_change_computed_from_replaced_data_is_not_recorded() {
    use regtrace_store::{NewEvent, StoreError};
    let seed = regtrace_source::embedded::seed().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let mut store = Store::open_for_writing(&path).unwrap();
    store.import(&seed, &["seed".into()]).unwrap();
    let (_, read) = store.load_versioned().unwrap();
    assert_eq!(read, store.data_version().unwrap());
    // Another process imports meanwhile: the same content, but a new data set.
    Store::open(&path)
        .unwrap()
        .import(&seed, &["seed".into()])
        .unwrap();
    let event = NewEvent {
        node: "jp-pal-revision-2013".into(),
        what: "law revision".into(),
        date: "2013-11-20".into(),
        note: None,
        by: None,
    };
    let stale = store.record_change(&event, &[], read.as_deref());
    assert!(matches!(stale, Err(StoreError::DataChanged(_))), "{stale:?}");
    assert!(store.events().unwrap().is_empty(), "nothing written");
    let current = store.data_version().unwrap();
    store.record_change(&event, &[], current.as_deref()).unwrap();
    assert_eq!(store.events().unwrap().len(), 1);
}

/// A store with the seed, one change opening two reviews, one decided and corrected.
fn with_history(path: &std::path::Path) -> Store {
    use regtrace_store::{NewDecision, NewEvent, NewReview, Outcome};
    let seed = regtrace_source::embedded::seed().unwrap();
    let mut store = Store::open_for_writing(path).unwrap();
    store.import(&seed, &["seed".into()]).unwrap();
    let review = |node: &str| NewReview {
        node: node.into(),
        distance: 1,
        path: vec!["jp-pal-revision-2013".into(), node.into()],
        relations: vec!["governed_by".into()],
        probably_unaffected: None,
    };
    store
        .record_change(
            &NewEvent {
                node: "jp-pal-revision-2013".into(),
                what: "law revision".into(),
                date: "2013-11-20".into(),
                note: None,
                by: Some("RA".into()),
            },
            &[review("gl-cell-sheet"), review("gl-custom-knee")],
            store.data_version().unwrap().as_deref(),
        )
        .unwrap();
    let decision = |outcome, note: &str| NewDecision {
        outcome,
        on: Some("2014-01-15".into()),
        replaced_by: None,
        by: "WG".into(),
        note: Some(note.into()),
        keeps: None,
    };
    let first = store.reviews().unwrap()[0].id;
    store
        .close_reviews(&[first], &decision(Outcome::Unchanged, "no change needed"))
        .unwrap();
    store
        .correct_decision(first, &decision(Outcome::Revised, "closed by mistake"))
        .unwrap();
    store
}

/// Every record is sealed as it is recorded; an edit made around the triggers (as an attacker
/// with the file and an SQLite client would) is named by `check_history`, and so is a removal.
#[test]
fn the_history_is_sealed_in_a_hash_chain_that_names_an_edited_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let store = with_history(&path);
    let head = store
        .check_history()
        .unwrap()
        .expect("a history as recorded holds");
    // One event, two reviews, a decision and its correction.
    assert_eq!(head.length, 5);
    let history = store.history().unwrap();
    assert!(history.entries().iter().all(|e| e.seal().0.is_some()));
    assert_eq!(history.check_chain().unwrap(), head);
    drop(store);

    // The chain itself is append-only.
    let conn = rusqlite::Connection::open(&path).unwrap();
    for statement in ["UPDATE history_chain SET hash = 'x'", "DELETE FROM history_chain"] {
        let err = conn.execute(statement, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{statement}: {err}");
    }
    // A decision's note edited after dropping the trigger that refuses it.
    conn.execute_batch(
        "DROP TRIGGER review_decisions_append_only_u;
         UPDATE review_decisions SET note = 'nothing to see' WHERE corrects IS NULL;",
    )
    .unwrap();
    let problems = Store::open(&path).unwrap().check_history().unwrap().unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("decision #1 (review #1) does not match its hash"),
        "{problems:?}"
    );

    // A review removed (with its trigger dropped): the chain names it.
    let path = dir.path().join("y.db");
    drop(with_history(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER reviews_append_only_d;
         DELETE FROM reviews WHERE id = 2;",
    )
    .unwrap();
    let problems = Store::open(&path).unwrap().check_history().unwrap().unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p == "review #2 is in the hash chain but not in the database: it was removed"),
        "{problems:?}"
    );
    // A review added by hand is not in the chain.
    let path = dir.path().join("z.db");
    drop(with_history(&path));
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "INSERT INTO reviews (event_id, node_id, distance, path, relations, opened_at) \
         VALUES (1, 'gl-artificial-heart', 1, '[]', '[]', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        [],
    )
    .unwrap();
    let problems = Store::open(&path).unwrap().check_history().unwrap().unwrap_err();
    assert_eq!(
        problems,
        ["review #3 is not in the hash chain: it was added outside regtrace"]
    );
}

/// A database from before the chain is sealed as it stands when it is opened to write: its
/// history holds from then on.
#[test]
fn a_history_from_before_the_chain_is_sealed_when_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let head = with_history(&path).check_history().unwrap().unwrap();
    // Back to schema 6, as a database written before the chain.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER history_chain_append_only_d;
         DROP TABLE history_chain;
         ALTER TABLE review_decisions DROP COLUMN keeps;
         ALTER TABLE review_decisions DROP COLUMN because;
         ALTER TABLE relations DROP COLUMN title_ja;
         PRAGMA user_version = 6;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    // Sealed in recording order: the same chain as the one built record by record.
    assert_eq!(store.check_history().unwrap().unwrap(), head);
}
