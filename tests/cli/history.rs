//! The history is sealed in a hash chain: an edit made behind regtrace's back (in the database
//! file, in an exported JSON document, in a history directory) is named, never taken in.

use crate::{data, fresh_db, json, regtrace};

/// A database of the METI data with a recorded law revision, one review closed and corrected.
fn recorded() -> (tempfile::TempDir, String) {
    let (dir, db) = fresh_db(&[data("meti-2013")]);
    for args in [
        vec![
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "law revised",
            "--date",
            "2013-11-20",
            "--by",
            "RA",
        ],
        vec![
            "review",
            "close",
            "gl-custom-knee",
            "--outcome",
            "unchanged",
            "--by",
            "Knee WG",
            "--date",
            "2014-01-15",
        ],
        vec![
            "review",
            "correct",
            "gl-custom-knee",
            "--outcome",
            "revised",
            "--by",
            "Knee WG",
            "--note",
            "missed clause 7",
        ],
    ] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args);
        regtrace().args(&all).assert().success();
    }
    (dir, db)
}

/// The head of the database's chain, as `verify --format json` says it.
fn head(db: &str) -> serde_json::Value {
    let verified = json(&["--db", db, "verify", "--format", "json"]);
    assert_eq!(verified["history"]["sound"], true, "{verified}");
    verified["history"].clone()
}

#[test]
fn verify_names_a_decision_edited_with_an_sqlite_client() {
    let (_dir, db) = recorded();
    let sealed = head(&db);
    assert_eq!(
        sealed["records"], 22,
        "1 event, 19 reviews, a decision and its correction"
    );
    // As an attacker with the file would: the trigger that refuses it dropped first.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER review_decisions_append_only_u;
         UPDATE review_decisions SET note = 'reviewed, all fine' WHERE corrects IS NOT NULL;",
    )
    .unwrap();
    drop(conn);
    let out = regtrace().args(["--db", &db, "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("decision #2 (review #") && said.contains("does not match its hash"),
        "{said}"
    );
    assert!(
        said.contains("the history was changed outside regtrace"),
        "{said}"
    );
    // The audit says so in its provenance, and a report pins the chain it was made from.
    let audited = regtrace()
        .args(["--db", &db, "audit", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let audited: serde_json::Value = serde_json::from_slice(&audited.stdout).unwrap();
    assert_eq!(audited["provenance"]["history"]["sound"], false, "{audited}");
}

#[test]
fn an_export_restores_the_same_chain_and_an_edited_one_is_refused() {
    let (dir, db) = recorded();
    let sealed = head(&db);
    let report = dir.path().join("report.html");
    regtrace()
        .args(["--db", &db, "report", "-o", report.to_str().unwrap()])
        .assert()
        .success();
    let html = std::fs::read_to_string(&report).unwrap();
    let head_hash = sealed["head"].as_str().unwrap();
    assert!(
        html.contains(&format!("hash chain head {head_hash}")),
        "the report pins the history"
    );

    // A JSON document and a history directory carry the seals; restored, the chain is the same.
    let document = dir.path().join("all.json");
    let history = dir.path().join("history");
    regtrace()
        .args([
            "--db",
            &db,
            "export",
            "--format",
            "json",
            "-o",
            document.to_str().unwrap(),
        ])
        .assert()
        .success();
    regtrace()
        .args(["--db", &db, "export", "--history-dir", history.to_str().unwrap()])
        .assert()
        .success();
    let from_json = dir.path().join("from-json.db");
    let from_json = from_json.to_str().unwrap();
    regtrace()
        .args(["--db", from_json, "import", document.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(head(from_json), sealed);
    let from_dir = dir.path().join("from-dir.db");
    let from_dir = from_dir.to_str().unwrap();
    regtrace()
        .args([
            "--db",
            from_dir,
            "import",
            data("meti-2013").to_str().unwrap(),
            "--history-dir",
            history.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_eq!(head(from_dir), sealed);

    // An edited decision in the history directory: refused at the file and line of its record.
    let file = history.join("event-0001.json");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("\"by\": \"Knee WG\"", "\"by\": \"QA lead\"", 1),
    )
    .unwrap();
    let refused = dir.path().join("refused.db");
    let out = regtrace()
        .args([
            "--db",
            refused.to_str().unwrap(),
            "import",
            data("meti-2013").to_str().unwrap(),
            "--history-dir",
            history.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("event-0001.json:"), "{said}");
    assert!(
        said.contains("decision #1 (review #") && said.contains("does not match its hash"),
        "{said}"
    );
    assert!(!refused.exists(), "nothing is written");

    // A decision removed from the JSON document: named, nothing written.
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&document).unwrap()).unwrap();
    let decided = value["reviews"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["decisions"].as_array().is_some_and(|d| d.len() == 2))
        .unwrap();
    // (The first one: the last record of a chain can be cut without a gap, which only the head
    // hash a report printed shows.)
    decided["decisions"].as_array_mut().unwrap().remove(0);
    std::fs::write(&document, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let out = regtrace()
        .args([
            "--db",
            refused.to_str().unwrap(),
            "import",
            document.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert!(said.contains("all.json:"), "{said}");
    // (Its correction now names a decision the history does not hold.)
    assert!(
        said.contains("it corrects decision #1, which is not in the history"),
        "{said}"
    );
    assert!(!refused.exists(), "nothing is written");
}

/// Issue 36, item 6: a history from outside is validated like data. An export with its seals
/// stripped (as a history from before the chain) and then tampered with: every problem is named
/// at its place, exit 2, nothing written.
#[test]
fn a_history_from_outside_is_validated_like_data() {
    let (dir, db) = recorded();
    let document = dir.path().join("all.json");
    regtrace()
        .args([
            "--db",
            &db,
            "export",
            "--format",
            "json",
            "-o",
            document.to_str().unwrap(),
        ])
        .assert()
        .success();
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&document).unwrap()).unwrap();
    let unseal = |record: &mut serde_json::Value| {
        let record = record.as_object_mut().unwrap();
        record.remove("seq");
        record.remove("hash");
    };
    for event in value["events"].as_array_mut().unwrap() {
        unseal(event);
    }
    let reviews = value["reviews"].as_array_mut().unwrap();
    for review in reviews.iter_mut() {
        unseal(review);
        for decision in review
            .get_mut("decisions")
            .and_then(|d| d.as_array_mut())
            .into_iter()
            .flatten()
        {
            unseal(decision);
        }
    }
    // The review with the decision and its correction, and two others.
    let decided = reviews.iter().position(|r| r["decisions"].is_array()).unwrap();
    let other = (decided + 1) % reviews.len();
    let third = (decided + 2) % reviews.len();
    reviews[decided]["decisions"][0]["decided_on"] = "2020-02-30".into();
    reviews[decided]["decisions"][1]["corrects"] = 999.into();
    reviews[other]["event"] = 42.into();
    reviews[third]["opened_at"] = "2099-01-01T00:00:00Z".into();
    value["events"][0]["recorded_at"] = "yesterday".into();
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let fresh = dir.path().join("fresh.db");
    let out = regtrace()
        .args([
            "--db",
            fresh.to_str().unwrap(),
            "import",
            tampered.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    for problem in [
        "error: event #1: recorded_at \"yesterday\" is not a UTC time",
        "its change event #42 is not in the history",
        "opened_at 2099-01-01T00:00:00Z is in the future",
        "decided_on \"2020-02-30\" is not a day",
        "it corrects decision #999, which is not in the history",
    ] {
        assert!(said.contains(problem), "{problem:?} not named:\n{said}");
    }
    // Each at its record's line in the file.
    assert!(
        said.lines()
            .filter(|l| l.contains(" error: "))
            .all(|l| l.starts_with(&format!("{}:", tampered.display())) && !l.contains(".json:1: ")),
        "{said}"
    );
    assert!(!fresh.exists(), "nothing is written");

    // The stored history is checked the same way by verify (a decision dated in 2099 inserted
    // with an SQLite client).
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO review_decisions (review_id, outcome, decided_by, decided_at, decided_on, corrects) \
         SELECT review_id, 'withdrawn', 'x', '2099-01-01T00:00:00Z', '2099-01-01', MAX(id) FROM review_decisions",
        [],
    )
    .unwrap();
    drop(conn);
    let out = regtrace().args(["--db", &db, "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(
        said.contains("decided_at 2099-01-01T00:00:00Z is in the future"),
        "{said}"
    );
    assert!(
        said.contains("is not in the hash chain: it was added outside regtrace"),
        "{said}"
    );
}

/// Issue 36, item 4: in the audit's workbook, counts are numbers and days are dates (they sum,
/// sort and filter), every other cell text.
#[test]
fn the_audit_workbook_writes_counts_as_numbers_and_days_as_dates() {
    use calamine::Reader as _;
    let (dir, db) = recorded();
    let path = dir.path().join("audit.xlsx");
    regtrace()
        .args([
            "--db",
            &db,
            "audit",
            "--format",
            "xlsx",
            "-o",
            path.to_str().unwrap(),
            "--fail-on",
            "never",
        ])
        .assert()
        .success();
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let rules = workbook.worksheet_range("rules").unwrap();
    let findings: Vec<&calamine::Data> = rules.rows().skip(1).map(|row| &row[2]).collect();
    assert!(!findings.is_empty());
    assert!(
        findings.iter().all(|c| matches!(c, calamine::Data::Float(_))),
        "{findings:?}"
    );
    let reviews = workbook.worksheet_range("reviews").unwrap();
    let decided: Vec<&calamine::Data> = reviews
        .rows()
        .skip(1)
        .map(|row| &row[8])
        .filter(|c| !matches!(c, calamine::Data::Empty | calamine::Data::String(_)))
        .collect();
    assert_eq!(decided.len(), 1, "the one decided review");
    let calamine::Data::DateTime(day) = decided[0] else {
        panic!("{decided:?}")
    };
    // The correction in force, recorded today (it gave no --date).
    assert!(day.to_ymd_hms_milli().0 >= 2026, "{day:?}");
    // Text stays text: the rule names.
    assert!(
        rules
            .rows()
            .skip(1)
            .all(|row| matches!(row[0], calamine::Data::String(_)))
    );
}
