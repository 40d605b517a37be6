//! The use cases called as a second front end (a web server) will call them: in process, through
//! `regtrace-app` alone, with typed answers.

use std::path::PathBuf;

use regtrace_app::history::{self, ChangeRequest, DecisionRequest, ReviewFilter};
use regtrace_app::reach::{ReachRequest, Reached};
use regtrace_app::{AppError, Context, Outcome, SnapshotState};
use regtrace_core::{Chain, Direction, GraphView, NodeKind, ReachOptions};

fn repo(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path)
}

fn impact_of(id: &str) -> ReachRequest {
    ReachRequest {
        ids: vec![id.into()],
        direction: Direction::Impact,
        kinds: vec![],
        options: ReachOptions::default(),
        limit: None,
        offset: 0,
    }
}

/// Counts per kind and the reason chain of one hit, whichever view answered.
fn summary(reached: &Reached, hit: &str) -> (usize, usize, String) {
    fn of<G: GraphView>(a: &regtrace_app::reach::ReachAnswer<G>, hit: &str) -> (usize, usize, String) {
        let node = a.graph.find(hit).expect("the hit exists");
        (
            a.listed.len(),
            a.counts.get("guideline").copied().unwrap_or(0),
            Chain::of_reach(&a.graph, &a.reach, node).to_string(),
        )
    }
    match reached {
        Reached::Snapshot(a) => of(a.as_ref(), hit),
        Reached::Loaded(a) => of(a.as_ref(), hit),
    }
}

#[test]
fn the_seeds_impact_question_answers_in_process() {
    let data = Context::new(None).open().expect("the seed is valid");
    let reached = regtrace_app::reach::reach(&data, &impact_of("jp-pal-revision-2013")).unwrap();
    assert!(matches!(reached, Reached::Loaded(_)), "the seed has no snapshot");
    let (total, guidelines, chain) = summary(&reached, "gl-custom-knee");
    assert_eq!((total, guidelines), (20, 17));
    assert_eq!(chain, "gl-custom-knee —governed_by→ jp-pal-revision-2013");
    let gaps = match &reached {
        Reached::Snapshot(a) => a.known_gaps.clone(),
        Reached::Loaded(a) => a.known_gaps.clone(),
    };
    assert_eq!(
        gaps.len(),
        1,
        "the law revision's known gap comes with its impact"
    );
    assert_eq!(gaps[0].0, "jp-pal-revision-2013");
}

#[test]
fn an_unknown_id_is_a_request_error_with_a_suggestion() {
    let data = Context::new(None).open().unwrap();
    let Err(error) = regtrace_app::reach::reach(&data, &impact_of("jp-pal-revision-2031")) else {
        panic!("an unknown id must be refused");
    };
    assert!(error.is_users_to_fix());
    assert_eq!(
        error.hint().as_deref(),
        Some("did you mean \"jp-pal-revision-2013\"?")
    );
}

#[test]
fn history_needs_a_database_and_says_how_to_name_one() {
    let error = Context::new(None)
        .open_history()
        .err()
        .expect("no database named");
    assert!(matches!(error, AppError::Request { .. }), "{error}");
    assert!(error.hint().unwrap().contains("--db"));
}

#[test]
fn a_database_answers_from_its_snapshot_and_keeps_the_review_loop() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reg.db");
    let context = Context::new(Some(db.clone()));
    let imported = history::import(
        &context,
        &[repo("data/meti-2013"), repo("tests/fixtures/review")],
        None,
        history::ImportOptions::default(),
    )
    .unwrap();
    assert!(imported.summary.nodes > 19);

    // Every query reads the current snapshot, and answers as the rows would.
    let data = context.open().unwrap();
    assert_eq!(data.snapshot_state(), Some(SnapshotState::Current));
    let reached = regtrace_app::reach::reach(&data, &impact_of("jp-pal-revision-2013")).unwrap();
    assert!(matches!(reached, Reached::Snapshot(_)));
    let from_snapshot = summary(&reached, "gl-custom-knee");
    drop(reached);
    std::fs::remove_file(regtrace_store::snapshot::path_for(&db)).unwrap();
    let data = context.open().unwrap();
    assert_eq!(data.snapshot_state(), Some(SnapshotState::Missing));
    let reached = regtrace_app::reach::reach(&data, &impact_of("jp-pal-revision-2013")).unwrap();
    assert!(matches!(reached, Reached::Loaded(_)));
    assert_eq!(summary(&reached, "gl-custom-knee"), from_snapshot);

    // Record the law revision: one review per guideline it reaches.
    let recorded = history::record_change(
        &context,
        &ChangeRequest {
            id: "jp-pal-revision-2013".into(),
            what: "law revision enacted".into(),
            date: chrono::NaiveDate::from_ymd_opt(2013, 11, 20).unwrap(),
            note: None,
            by: Some("test".into()),
            kinds: Vec::new(),
        },
    )
    .unwrap();
    assert!(!recorded.new_edition && recorded.why_none.is_none());
    let [change] = recorded.changes.as_slice() else {
        panic!("one event: {recorded:?}");
    };
    assert_eq!(change.event.node, "jp-pal-revision-2013");
    assert!(change.plan.reviews.iter().any(|r| r.node == "gl-extra"));

    // Close one, then correct it; the listing shows both decisions.
    let decision = |outcome, note: &str| DecisionRequest {
        id: Some("gl-custom-knee".into()),
        review: None,
        all: false,
        event: None,
        probably_unaffected: None,
        kinds: Vec::new(),
        on: None,
        outcome,
        by: "Knee WG".into(),
        replaced_by: (outcome == Outcome::Revised).then(|| "gl-custom-knee-2014".into()),
        note: Some(note.into()),
        keeps: None,
        because: None,
    };
    let closed = history::close(&context, &decision(Outcome::Unchanged, "checked")).unwrap();
    assert_eq!(closed.len(), 1);
    let corrected = history::correct(&context, &decision(Outcome::Revised, "closed by mistake")).unwrap();
    assert_eq!(
        (corrected.was, corrected.now),
        (Outcome::Unchanged, Outcome::Revised)
    );

    let data = context.open_history().unwrap();
    let open = history::reviews(
        &data,
        &ReviewFilter {
            open: Some(true),
            ..ReviewFilter::default()
        },
    )
    .unwrap();
    assert_eq!(open.reviews.len(), change.plan.reviews.len() - 1);
    let knee = history::reviews(&data, &ReviewFilter::default())
        .unwrap()
        .reviews
        .into_iter()
        .find(|r| r.node == "gl-custom-knee")
        .unwrap();
    assert_eq!(knee.corrected.len(), 1);
    assert_eq!(
        history::review_chain(data.graph().unwrap(), &knee).to_string(),
        "gl-custom-knee —governed_by→ jp-pal-revision-2013"
    );

    // A closed review cannot be closed again; the hint names the decision.
    let again = history::close(&context, &decision(Outcome::Unchanged, "again")).unwrap_err();
    assert!(again.hint().unwrap().contains("append-only"), "{again}");

    // The audit's needs-review rule sees the open reviews through the ledger.
    let audited = regtrace_app::audit::audit(
        &data,
        &regtrace_app::audit::AuditRequest {
            only: vec!["needs-review".into()],
            generated_at: Some(0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(audited.provenance.generated_at, "1970-01-01T00:00:00Z");
    let evidence = audited.evidence.as_ref().expect("a database has a review record");
    assert!(evidence.reviews.iter().any(|r| r.decision.is_some()));
    let flagged: Vec<&str> = audited
        .shown()
        .map(|f| audited.graph.node(f.nodes[0]).id.as_str())
        .collect();
    assert!(flagged.contains(&"gl-extra"), "{flagged:?}");
    assert!(!flagged.contains(&"gl-custom-knee"), "{flagged:?}");
    assert!(
        data.graph()
            .unwrap()
            .nodes()
            .iter()
            .any(|n| n.kind == NodeKind::Guideline)
    );
}
