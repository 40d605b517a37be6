//! The change → review loop of the seed: record the 2013 law revision, review the guidelines it
//! reaches, and keep the history across re-imports.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::{data, fixture, import_into, json, regtrace, stderr_of};

fn ids(values: &serde_json::Value, key: &str) -> BTreeSet<String> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

/// The guidelines needs-review reports.
fn needs_review(db: &str) -> BTreeSet<String> {
    let output = regtrace()
        .args(["--db", db, "audit", "--rule", "needs-review", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["nodes"][0].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_2013_revision_opens_reviews_that_are_closed_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("r.db");
    let db = db_path.to_str().unwrap().to_owned();
    let with_extra: Vec<PathBuf> = vec![data(""), fixture("review")];
    import_into(&db_path, &with_extra);

    // Every published guideline governed by the revision, by the seed's own links.
    let law = json(&["--db", &db, "show", "jp-pal-revision-2013", "--format", "json"]);
    let governed: BTreeSet<String> = law["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relation"] == "governed_by")
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        governed.len(),
        18,
        "16 published seed guidelines, medical software and gl-extra"
    );

    regtrace()
        .args(["--db", &db, "change", "record", "jp-pal-revision-2013"])
        .args([
            "--what",
            "law revision enacted",
            "--date",
            "2013-11-20",
            "--by",
            "secretariat",
            // The guidelines: what this test is about (by default the devices under the law
            // are reviewed too).
            "--kind",
            "guideline",
        ])
        .assert()
        .success()
        .stdout(predicates::str::contains("opened 18 review(s)"));
    let reviews = json(&["--db", &db, "review", "list", "--format", "json"]);
    assert_eq!(
        ids(&reviews, "node"),
        governed,
        "a draft revision does not stop a review"
    );
    for review in reviews.as_array().unwrap() {
        assert_eq!(review["state"], "open");
        assert_eq!(review["direct"], true);
        assert_eq!(review["path"][0], "jp-pal-revision-2013");
        assert_eq!(review["relations"][0], "governed_by");
    }
    assert_eq!(
        needs_review(&db),
        governed,
        "the audit reports exactly the open reviews"
    );

    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "gl-cell-sheet",
            "--outcome",
            "unchanged",
        ])
        .args(["--by", "Regenerative medicine WG", "--note", "点検済み、改訂不要"])
        .assert()
        .success();
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "gl-custom-knee",
            "--outcome",
            "revised",
        ])
        .args(["--replaced-by", "gl-custom-knee-2014", "--by", "Knee WG"])
        .assert()
        .success();
    let open = json(&["--db", &db, "review", "list", "--open", "--format", "json"]);
    let mut expected = governed.clone();
    expected.remove("gl-cell-sheet");
    expected.remove("gl-custom-knee");
    assert_eq!(ids(&open, "node"), expected);
    assert_eq!(needs_review(&db), expected);
    let closed = json(&["--db", &db, "review", "list", "--closed", "--format", "json"]);
    let knee = closed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["node"] == "gl-custom-knee")
        .unwrap();
    assert_eq!(knee["outcome"], "revised");
    assert_eq!(knee["replaced_by"], "gl-custom-knee-2014");
    assert_eq!(knee["decided_by"], "Knee WG");

    // Closing twice is an error that says when and by whom; nothing changes.
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            "gl-cell-sheet",
            "--outcome",
            "revised",
            "--by",
            "x",
        ]),
        2,
    );
    assert!(
        err.contains("no open review") && err.contains("append-only"),
        "{err}"
    );
    let all = json(&["--db", &db, "review", "list", "--format", "json"]);

    // History survives a re-import of the same data…
    import_into(&db_path, &with_extra);
    assert_eq!(json(&["--db", &db, "review", "list", "--format", "json"]), all);

    // …and of data without gl-extra (refused while its review is open, unless --replace): its
    // review is kept, shown as orphaned.
    let refused = stderr_of(regtrace().args(["--db", &db, "import"]).arg(data("")), 2);
    assert!(refused.contains("#12 of gl-extra"), "{refused}");
    regtrace()
        .args(["--db", &db, "import", "--replace"])
        .arg(data(""))
        .assert()
        .success();
    let after = json(&["--db", &db, "review", "list", "--format", "json"]);
    assert_eq!(after.as_array().unwrap().len(), 18);
    let orphans: Vec<&serde_json::Value> = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["orphaned"] == true)
        .collect();
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0]["node"], "gl-extra");
    let table = String::from_utf8(
        regtrace()
            .args(["--db", &db, "review", "list", "--open"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(table.contains("orphaned"), "{table}");

    let events = json(&["--db", &db, "change", "list", "--format", "json"]);
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert_eq!(events[0]["date"], "2013-11-20");
}

#[test]
fn bad_change_requests_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("r.db");
    let db = db_path.to_str().unwrap().to_owned();
    import_into(&db_path, &[data("")]);
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "change",
            "record",
            "jp-pal-revison-2013",
            "--what",
            "x",
            "--date",
            "2013-11-20",
        ]),
        2,
    );
    assert!(err.contains("did you mean \"jp-pal-revision-2013\""), "{err}");
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "x",
            "--date",
            "2013-11-31",
        ]),
        2,
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    assert_eq!(
        json(&["--db", &db, "change", "list", "--format", "json"]),
        serde_json::json!([])
    );
    let err = stderr_of(regtrace().args(["review", "list"]), 2);
    assert!(err.contains("--db"), "{err}");
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            "gl-cell-sheet",
            "--outcome",
            "unchanged",
            "--by",
            "x",
        ]),
        2,
    );
    assert!(err.contains("no open review"), "{err}");
}

#[test]
fn a_decision_is_corrected_by_a_new_record_and_both_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("c.db");
    let db = db_path.to_str().unwrap().to_owned();
    import_into(&db_path, &[data(""), fixture("review")]);
    regtrace()
        .args(["--db", &db, "change", "record", "jp-pal-revision-2013"])
        .args(["--what", "law revision enacted", "--date", "2013-11-20"])
        .assert()
        .success();

    // Correcting an open review is refused: there is nothing to correct yet.
    let err = stderr_of(
        regtrace()
            .args(["--db", &db, "review", "correct", "gl-custom-knee"])
            .args(["--outcome", "revised", "--by", "Knee WG", "--note", "x"]),
        2,
    );
    assert!(err.contains("no closed review to correct"), "{err}");

    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "gl-custom-knee",
            "--outcome",
            "unchanged",
        ])
        .args(["--by", "Knee WG"])
        .assert()
        .success();
    // A correction must say why.
    stderr_of(
        regtrace()
            .args(["--db", &db, "review", "correct", "gl-custom-knee"])
            .args(["--outcome", "revised", "--by", "Knee WG"]),
        2,
    );
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "correct",
            "gl-custom-knee",
            "--outcome",
            "revised",
        ])
        .args(["--replaced-by", "gl-custom-knee-2014", "--by", "Knee WG"])
        .args(["--note", "closed as unchanged by mistake"])
        .assert()
        .success()
        .stdout(predicates::str::contains("unchanged → revised"));

    let reviews = json(&["--db", &db, "review", "list", "--closed", "--format", "json"]);
    let knee = &reviews.as_array().unwrap()[0];
    assert_eq!(knee["node"], "gl-custom-knee");
    assert_eq!(knee["outcome"], "revised");
    assert_eq!(knee["replaced_by"], "gl-custom-knee-2014");
    assert_eq!(knee["note"], "closed as unchanged by mistake");
    let corrected = knee["corrected"].as_array().unwrap();
    assert_eq!(corrected.len(), 1);
    assert_eq!(corrected[0]["outcome"], "unchanged");
    // Still closed: the audit does not report it again.
    assert!(!needs_review(&db).contains("gl-custom-knee"));
}

#[test]
fn a_merge_that_removes_a_changes_node_while_its_reviews_are_open_says_so() {
    let (dir, db) = crate::seed_db_with_the_law_revision();
    let marks = dir.path().join("marks.toml");
    std::fs::write(
        &marks,
        "[[node]]\nid = \"jp-pal-revision-2013\"\ndeleted = true\n",
    )
    .unwrap();
    let output = crate::regtrace()
        .args(["--db", &db, "import", "--merge"])
        .arg(&marks)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        said.contains("warning: change #1 was recorded on jp-pal-revision-2013, which this import removed, and has open reviews")
            && said.contains("regtrace review close --event 1"),
        "{said}"
    );
}

/// The pump of the README's walkthrough, edition 3.2 merged as change #1 (2020-08-20), and a
/// second change recorded on the guideline's regulation: two changes with open reviews of the
/// same nodes.
fn pump_with_two_changes() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db").to_str().unwrap().to_owned();
    import_into(std::path::Path::new(&db), &[fixture("pump/v1")]);
    let v2 = fixture("pump/v2");
    for args in [
        vec![
            "import",
            "--merge",
            v2.to_str().unwrap(),
            "--record-changes",
            "--date",
            "2020-08-20",
            "--by",
            "Standards WG",
        ],
        vec![
            "change",
            "record",
            "iec-60601-1-ed3.1",
            "--what",
            "amendment 2 announced",
            "--date",
            "2020-12-01",
            "--by",
            "RA",
        ],
    ] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args);
        regtrace().args(&all).assert().success();
    }
    (dir, db)
}

/// Issue 36, item 1: a decision dated before the change it decides on took effect is refused,
/// naming the change and its date; nothing is written.
#[test]
fn a_decision_dated_before_its_change_took_effect_is_refused() {
    let (_dir, db) = pump_with_two_changes();
    let before = json(&["--db", &db, "review", "list", "--format", "json"]);
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            "--event",
            "1",
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
            "--date",
            "2019-01-01",
        ]),
        2,
    );
    assert!(
        err.contains("--date 2019-01-01 is before change #1 (iec-60601-1-ed3.1: ")
            && err.contains("took effect on 2020-08-20"),
        "{err}"
    );
    assert!(err.contains("on or after 2020-08-20"), "{err}");
    assert_eq!(
        json(&["--db", &db, "review", "list", "--format", "json"]),
        before,
        "nothing written"
    );
    // Reviews opened today for a change of 2020 say so, in the table and the JSON.
    let listed = crate::stdout(&["--db", &db, "review", "list", "--event", "1"]);
    assert!(
        listed.contains("(recorded for a change of 2020-08-20)"),
        "{listed}"
    );
    assert!(
        before
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["event"] != 1 || r["change_date"] == "2020-08-20")
    );
    // On the day it took effect, or after: recorded.
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "--event",
            "1",
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
            "--date",
            "2020-08-20",
        ])
        .assert()
        .success();
}

/// Issue 36, item 2: `review close NODE` with open reviews from more than one change refuses and
/// lists them; `--event N`, `--review N` or `--all` say which; `review close 3` says how to name
/// review #3.
#[test]
fn closing_a_nodes_reviews_from_several_changes_needs_to_say_which() {
    let (_dir, db) = pump_with_two_changes();
    let open = |node: &str| -> Vec<serde_json::Value> {
        json(&[
            "--db", &db, "review", "list", "--open", "--node", node, "--format", "json",
        ])
        .as_array()
        .unwrap()
        .clone()
    };
    let reviews = open("gl-infusion-pump");
    assert_eq!(reviews.len(), 2, "one review from each change: {reviews:?}");
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            "gl-infusion-pump",
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
        ]),
        2,
    );
    assert!(
        err.contains("gl-infusion-pump has open reviews from 2 changes: #"),
        "{err}"
    );
    assert!(
        err.contains("(change #1)") && err.contains("(change #2)"),
        "{err}"
    );
    assert!(
        err.contains("--review N") && err.contains("--event N") && err.contains("--all"),
        "{err}"
    );
    assert_eq!(open("gl-infusion-pump").len(), 2, "nothing written");

    // A review's number, as the list shows it, is taken with --review; a bare number says so.
    let second = reviews.iter().find(|r| r["event"] == 2).unwrap()["review"]
        .as_i64()
        .unwrap()
        .to_string();
    let err = stderr_of(
        regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            &second,
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
        ]),
        2,
    );
    assert!(err.contains(&format!("use --review {second}")), "{err}");
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "--review",
            &second,
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
        ])
        .assert()
        .success();
    let left = open("gl-infusion-pump");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["event"], 1);
    // --all closes every open review of the node, whatever change opened it.
    let gl = "gl-pump-software-2021";
    assert_eq!(open(gl).len(), 2);
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            gl,
            "--all",
            "--outcome",
            "revised",
            "--by",
            "Pump WG",
        ])
        .assert()
        .success();
    assert!(open(gl).is_empty());
}

/// Issue 36, item 3: a reference kept on purpose (`--keeps OLD --because WHY`) is reported by the
/// audit's stale-reference as accepted (who, when, why) instead of an error, until a later change
/// to either end; `--keeps` needs `--because`, and names a node on the review's chain.
#[test]
fn a_reference_kept_on_purpose_is_reported_as_accepted_until_either_end_changes() {
    let (_dir, db) = pump_with_two_changes();
    let stale = |db: &str| -> Vec<(String, String, String)> {
        let out = regtrace()
            .args([
                "--db",
                db,
                "audit",
                "--rule",
                "stale-reference",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["nodes"][0].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                    f["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pems = |db: &str| {
        stale(db)
            .into_iter()
            .find(|(n, _, _)| n == "tm-pems-validation")
            .unwrap()
    };
    assert_eq!(pems(&db).1, "error");
    let because = "IEC 60601-2-24:2012 is written against ed. 3.1; accepted until it is revised";
    // --keeps without --because, or of a node off the review's chain: refused.
    let close = |extra: &[&str]| {
        let mut args = vec![
            "--db",
            db.as_str(),
            "review",
            "close",
            "tm-pems-validation",
            "--all",
            "--outcome",
            "unchanged",
            "--by",
            "Pump WG",
            "--date",
            "2021-01-10",
        ];
        args.extend_from_slice(extra);
        regtrace().args(&args).output().unwrap()
    };
    assert_eq!(close(&["--keeps", "iec-60601-1-ed3.1"]).status.code(), Some(2));
    let off = close(&["--keeps", "gl-infusion-pump", "--because", because]);
    assert_eq!(off.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&off.stderr).contains("does not rest on gl-infusion-pump"));
    assert_eq!(pems(&db).1, "error", "nothing written");
    // Accepted: information, with who, when and why.
    assert!(
        close(&["--keeps", "iec-60601-1-ed3.1", "--because", because])
            .status
            .success()
    );
    let (_, severity, message) = pems(&db);
    assert_eq!(severity, "info");
    assert!(
        message.contains("accepted by Pump WG on 2021-01-10 (review #") && message.ends_with(because),
        "{message}"
    );
    // Another node's reference is not accepted by it.
    let software = stale(&db)
        .into_iter()
        .find(|(n, _, _)| n == "gl-pump-software-2021")
        .unwrap();
    assert_eq!(software.1, "error");
    // A later change to the kept edition re-opens it.
    regtrace()
        .args([
            "--db",
            &db,
            "change",
            "record",
            "iec-60601-1-ed3.1",
            "--what",
            "amendment 2 published",
            "--date",
            "2021-06-01",
            "--by",
            "RA",
        ])
        .assert()
        .success();
    assert_eq!(pems(&db).1, "error");
}
