//! The change-to-evidence loop a QA team runs, on the infusion-pump fixture (tests/fixtures/pump):
//! a new edition is published and opens reviews, answers filtered by date say what they skipped,
//! and the reason shown for a hit is one that carries the change.

use std::path::PathBuf;

use crate::{fixture, import_into, json, stdout};

fn v1() -> PathBuf {
    fixture("pump/v1")
}

fn v2() -> PathBuf {
    fixture("pump/v2")
}

/// A database holding the pump with edition 3.1 only, then (as a second import) edition 3.2.
fn pump_with_new_edition() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db");
    import_into(&db, &[v1()]);
    import_into(&db, &[v1(), v2()]);
    let db = db.to_str().unwrap().to_owned();
    (dir, db)
}

/// `change record` of the new edition, as a QA team says "edition 3.2 is published"; its output.
fn publish_edition_3_2(db: &str) -> String {
    stdout(&[
        "--db",
        db,
        "change",
        "record",
        "iec-60601-1-ed3.2",
        "--what",
        "edition 3.2 published",
        "--date",
        "2020-08-20",
    ])
}

/// (node, full or probably unaffected, reason path) of every review, as `review list` gives them.
fn reviews(db: &str) -> Vec<(String, bool, Vec<String>)> {
    let list = json(&["--db", db, "review", "list", "--format", "json"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["node"].as_str().unwrap().to_owned(),
                r["verdict"] == "probably_unaffected",
                r["path"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

/// Failure 1: "edition 3.2 is published", said the natural ways, opened nothing. Now
/// `change record` of the new edition records the change on the edition it supersedes, with
/// the crosswalk's verdicts, and says so.
#[test]
fn recording_a_new_edition_opens_reviews_on_what_rests_on_the_edition_it_supersedes() {
    let (_dir, db) = pump_with_new_edition();
    let out = publish_edition_3_2(&db);
    assert!(
        out.contains("iec-60601-1-ed3.2 is a new edition of iec-60601-1-ed3.1"),
        "{out}"
    );
    assert!(
        out.contains("recorded change #1 on iec-60601-1-ed3.1 (2020-08-20); opened 8 review(s): 5 full, 3 probably unaffected"),
        "{out}"
    );
    let events = json(&["--db", &db, "change", "list", "--format", "json"]);
    assert_eq!(events[0]["node"], "iec-60601-1-ed3.1");
    assert_eq!(
        events[0]["what"],
        "edition 3.2 published (new edition iec-60601-1-ed3.2 supersedes it)"
    );
    let mut found: Vec<(String, bool)> = reviews(&db).into_iter().map(|(n, light, _)| (n, light)).collect();
    found.sort();
    // By default every kind a team keeps a record for is reviewed (the catalog's [review]).
    let expected: Vec<(String, bool)> = [
        ("dev-infusion-pump", false),
        ("ei-electrical-safety", true),
        ("ei-software", false),
        ("gl-infusion-pump", false),
        ("gl-pump-electrical", true),
        ("gl-pump-software-2021", false),
        ("tm-leakage-current", true),
        ("tm-pems-validation", false),
    ]
    .into_iter()
    .map(|(n, light)| (n.to_owned(), light))
    .collect();
    assert_eq!(found, expected);
}

/// Failure 1, the import way: `import --record-changes` of files that add the new edition records
/// "new edition published" on the edition it supersedes ("no content changes to record" before).
#[test]
fn an_import_that_adds_a_superseding_edition_records_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db");
    import_into(&db, &[v1()]);
    let out = stdout(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        v1().to_str().unwrap(),
        v2().to_str().unwrap(),
        "--record-changes",
        "--date",
        "2020-08-20",
    ]);
    assert!(
        out.contains(
            "recorded change #1 on iec-60601-1-ed3.1 (2020-08-20): new edition iec-60601-1-ed3.2 published"
        ),
        "{out}"
    );
    assert!(
        out.contains("opened 8 review(s): 5 full, 3 probably unaffected"),
        "{out}"
    );
    // Importing the same files again adds no edition: nothing more to record.
    let again = stdout(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        v1().to_str().unwrap(),
        v2().to_str().unwrap(),
        "--record-changes",
        "--date",
        "2020-08-21",
    ]);
    assert!(again.contains("no content changes to record"), "{again}");
}

/// Failure 1, the rest: a change that opens no review says why and what to try.
#[test]
fn a_change_that_opens_no_review_says_why() {
    let (_dir, db) = pump_with_new_edition();
    let record = |id: &str, kinds: &[&str]| {
        let mut args = vec![
            "--db",
            &db,
            "change",
            "record",
            id,
            "--what",
            "x",
            "--date",
            "2020-08-20",
            "--format",
            "json",
        ];
        for kind in kinds {
            args.extend(["--kind", kind]);
        }
        json(&args)
    };
    let nothing = record("iec-60601-1-ed3.2-c8", &[]);
    assert_eq!(nothing["events"][0]["reviews"], 0);
    assert!(
        nothing["why_none"]
            .as_str()
            .unwrap()
            .starts_with("nothing rests on iec-60601-1-ed3.2-c8"),
        "{nothing}"
    );
    let other_kinds = record("tm-leakage-current", &["evaluation_index"]);
    let why = other_kinds["why_none"].as_str().unwrap();
    assert!(
        why.contains("of other kinds than those reviewed (evaluation_index)")
            && why.contains("1 device")
            && why.contains("2 guideline")
            && why.contains("add --kind KIND"),
        "{why}"
    );
    let opened = record("tm-leakage-current", &["device"]);
    assert_eq!(opened["events"][0]["reviews"], 1);
    assert!(opened.get("why_none").is_none(), "{opened}");
}

/// Failure 2: `--as-of` dropped nodes not yet in force without a word. `impact --as-of` now lists
/// what it skipped and why (table and JSON); `change record`, whose date is when the change took
/// effect, reviews a guideline published later that still rests on the old edition (a stale
/// reference), as docs/QUERIES.md says.
#[test]
fn answers_as_of_a_date_say_what_they_skipped_and_change_records_keep_stale_references() {
    let (_dir, db) = pump_with_new_edition();
    let args = [
        "--db",
        &db,
        "impact",
        "iec-60601-1-ed3.1",
        "--as-of",
        "2020-08-20",
        "--kind",
        "guideline",
    ];
    let table = stdout(&args);
    assert!(
        table.contains(
            "skipped 1 not in force on 2020-08-20 (nor what rests only on them): gl-pump-software-2021 (not yet in force: published 2021-04-01)"
        ),
        "{table}"
    );
    let mut with_json = args.to_vec();
    with_json.extend(["--format", "json"]);
    let answer = json(&with_json);
    assert_eq!(answer["total"], 2);
    assert_eq!(
        answer["skipped"],
        serde_json::json!([{
            "id": "gl-pump-software-2021",
            "kind": "guideline",
            "reason": "not yet in force: published 2021-04-01"
        }])
    );
    // Without --as-of there is nothing to skip, and no "skipped" field.
    let undated = json(&["--db", &db, "impact", "iec-60601-1-ed3.1", "--format", "json"]);
    assert!(undated.get("skipped").is_none());

    stdout(&[
        "--db",
        &db,
        "change",
        "record",
        "iec-60601-1-ed3.1",
        "--what",
        "edition 3.2 published",
        "--date",
        "2020-08-20",
    ]);
    assert!(
        reviews(&db)
            .iter()
            .any(|(node, _, _)| node == "gl-pump-software-2021"),
        "the stale reference is reviewed"
    );
}

/// Failure 4: a guideline resting on clauses 8 (carried over unchanged) and 14 (extended) of the
/// superseded edition was shown, and its review kept, with the chain through clause 8. The chain
/// shown is now one that carries the change, in `impact` and in the review.
#[test]
fn the_reason_shown_is_a_chain_that_carries_the_change() {
    let (_dir, db) = pump_with_new_edition();
    let answer = json(&["--db", &db, "impact", "iec-60601-1-ed3.1", "--format", "json"]);
    let hit = |id: &str| {
        answer["impacted"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["id"] == id)
            .unwrap()
            .clone()
    };
    for id in ["gl-infusion-pump", "dev-infusion-pump"] {
        let path = hit(id)["path"].to_string();
        assert!(
            path.contains("iec-60601-1-ed3.1-c14") && !path.contains("-c8"),
            "{id}: {path}"
        );
        assert!(hit(id).get("probably_unaffected").is_none(), "{id}");
    }
    assert!(
        hit("gl-pump-electrical")["path"]
            .to_string()
            .contains("iec-60601-1-ed3.1-c8")
    );
    assert!(hit("gl-pump-electrical")["probably_unaffected"].is_string());

    publish_edition_3_2(&db);
    let (_, _, path) = reviews(&db)
        .into_iter()
        .find(|(node, _, _)| node == "gl-infusion-pump")
        .unwrap();
    assert_eq!(
        path,
        [
            "iec-60601-1-ed3.1",
            "iec-60601-1-ed3.1-c14",
            "tm-pems-validation",
            "ei-software",
            "gl-infusion-pump"
        ]
    );
}

/// A data file standing alone: one guideline, valid without anything else.
fn lone_guideline(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("lone.toml");
    std::fs::write(
        &path,
        "[[node]]\nid = \"gl-lone\"\nkind = \"guideline\"\ntitle = \"A guideline on its own\"\n",
    )
    .unwrap();
    path
}

fn node_count(db: &str) -> u64 {
    json(&["--db", db, "stats", "--format", "json"])["nodes"]
        .as_u64()
        .unwrap()
}

/// Failure 3: a plain import of a one-node file turned the data set into that node and orphaned
/// the open reviews, without a word. Now it says what it replaces, and refuses to leave open
/// reviews without their node unless --replace; nothing is written when it refuses.
#[test]
fn a_replacing_import_says_what_it_removes_and_will_not_orphan_open_reviews_unasked() {
    let (dir, db) = pump_with_new_edition();
    publish_edition_3_2(&db);
    let lone = lone_guideline(dir.path());
    let refused = crate::stderr_of(crate::regtrace().args(["--db", &db, "import"]).arg(&lone), 2);
    assert!(
        refused.contains("this import would replace 15 stored nodes with 1, removing 15, and leave 8 open review(s) without their node")
            && refused.contains("#1 of gl-pump-software-2021")
            && refused.contains("nothing was written")
            && refused.contains("--merge")
            && refused.contains("--replace"),
        "{refused}"
    );
    assert_eq!(node_count(&db), 15, "nothing was written");

    let replaced = stdout(&["--db", &db, "import", lone.to_str().unwrap(), "--replace"]);
    assert!(
        replaced.contains("replaced the stored data set: 15 nodes → 1 (1 added, 15 removed: ")
            && replaced.contains("8 open review(s) now orphaned: #1 of gl-pump-software-2021"),
        "{replaced}"
    );
    assert_eq!(node_count(&db), 1);
}

/// Failure 3, the other half: `import --merge` adds and updates, keeps everything else (and the
/// reviews of kept nodes open), and its files may link to nodes only the database holds.
#[test]
fn a_merging_import_adds_and_updates_and_removes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db");
    import_into(&db, &[v1()]);
    let db = db.to_str().unwrap();
    // Edition 3.2 alone links to edition 3.1 and its clauses, which only the database holds.
    let merged = stdout(&["--db", db, "import", "--merge", v2().to_str().unwrap()]);
    assert!(
        merged.contains("merged: 12 nodes → 15 (3 added, 1 updated, nothing removed)"),
        "{merged}"
    );
    // Edition 3.2 is published and in force and supersedes 3.1: the stored 3.1 is no longer
    // current (issue 36), which is the one update.
    assert!(
        merged.contains("iec-60601-1-ed3.1 is now withdrawn: iec-60601-1-ed3.2 replaces it"),
        "{merged}"
    );
    publish_edition_3_2(db);

    // An edited title and a new guideline resting on a stored evaluation item, recorded.
    let edit = dir.path().join("edit.toml");
    std::fs::write(
        &edit,
        "[[node]]\nid = \"gl-pump-electrical\"\nkind = \"guideline\"\n\
         title = \"Pump electrical safety guideline, second edition\"\nstatus = \"published\"\n\
         published = \"2015-04-01\"\nsource = \"test fixture\"\n\
         [node.relations]\nrequires = [\"ei-electrical-safety\"]\n\n\
         [[node]]\nid = \"gl-new\"\nkind = \"guideline\"\ntitle = \"New guideline\"\n\
         [node.relations]\nrequires = [\"ei-software\"]\n",
    )
    .unwrap();
    let merged = stdout(&[
        "--db",
        db,
        "import",
        "--merge",
        edit.to_str().unwrap(),
        "--record-changes",
        "--date",
        "2021-01-01",
    ]);
    assert!(
        merged.contains("merged: 15 nodes → 16 (1 added, 1 updated, nothing removed)")
            && merged.contains("on gl-pump-electrical (2021-01-01): content changed on import: title"),
        "{merged}"
    );
    let impact = json(&[
        "--db",
        db,
        "impact",
        "ei-software",
        "--kind",
        "guideline",
        "--format",
        "json",
    ]);
    assert_eq!(impact["total"], 2, "the new guideline rests on the stored item");
    let open: Vec<String> = json(&["--db", db, "review", "list", "--open", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap().to_owned())
        .collect();
    assert!(open.contains(&"gl-infusion-pump".to_owned()), "{open:?}");
    assert_eq!(node_count(db), 16);
}

/// Reviews in bulk and with dates: `review close --event N --verdict probably-unaffected` closes
/// every matching open review at once and says how many; `--date` keeps the meeting's day;
/// `review list --node/--event/--kind` narrow the list; `show` lists a node's reviews.
#[test]
fn reviews_close_in_bulk_with_the_day_decided_and_show_on_the_node() {
    let (_dir, db) = pump_with_new_edition();
    publish_edition_3_2(&db);
    // Without a node or an event nothing is closed.
    let refused = crate::stderr_of(
        crate::regtrace().args([
            "--db",
            &db,
            "review",
            "close",
            "--outcome",
            "unchanged",
            "--by",
            "WG",
        ]),
        2,
    );
    assert!(refused.contains("--event N"), "{refused}");

    let closed = stdout(&[
        "--db",
        &db,
        "review",
        "close",
        "--event",
        "1",
        "--verdict",
        "probably-unaffected",
        "--outcome",
        "unchanged",
        "--by",
        "Standards WG",
        "--date",
        "2020-09-15",
        "--note",
        "clause 8 carried over",
    ]);
    assert_eq!(closed, "closed 3 review(s) of event #1\n");
    let closed = stdout(&[
        "--db",
        &db,
        "review",
        "close",
        "--event",
        "1",
        "--kind",
        "guideline",
        "--outcome",
        "revised",
        "--by",
        "Pump WG",
        "--date",
        "2020-10-01",
    ]);
    assert_eq!(closed, "closed 2 review(s) of event #1\n");

    let listed = json(&[
        "--db",
        &db,
        "review",
        "list",
        "--node",
        "gl-pump-electrical",
        "--format",
        "json",
    ]);
    let [review] = listed.as_array().unwrap().as_slice() else {
        panic!("{listed}");
    };
    assert_eq!(review["decided_on"], "2020-09-15");
    assert_eq!(review["decided_by"], "Standards WG");
    assert_eq!(review["note"], "clause 8 carried over");
    let devices = json(&[
        "--db", &db, "review", "list", "--event", "1", "--kind", "device", "--format", "json",
    ]);
    let [device] = devices.as_array().unwrap().as_slice() else {
        panic!("{devices}");
    };
    assert_eq!(device["node"], "dev-infusion-pump");
    assert_eq!(device["state"], "open");
    let csv = stdout(&["--db", &db, "review", "list", "--format", "csv"]);
    let header = csv.lines().next().unwrap();
    assert!(
        header.contains(",opened,outcome,decided_by,decided_on,"),
        "{header}"
    );
    assert!(csv.contains(",revised,Pump WG,2020-10-01,"), "{csv}");

    let shown = json(&["--db", &db, "show", "gl-infusion-pump", "--format", "json"]);
    assert_eq!(shown["reviews"][0]["state"], "closed");
    assert_eq!(shown["reviews"][0]["decided_on"], "2020-10-01");
    let table = stdout(&["--db", &db, "show", "gl-infusion-pump"]);
    assert!(table.contains("closed 2020-10-01: revised by Pump WG"), "{table}");

    let future = crate::stderr_of(
        crate::regtrace().args([
            "--db",
            &db,
            "review",
            "correct",
            "gl-infusion-pump",
            "--outcome",
            "unchanged",
            "--by",
            "WG",
            "--note",
            "x",
            "--date",
            "2999-01-01",
        ]),
        2,
    );
    assert!(future.contains("in the future"), "{future}");
}

/// The README's walkthrough "a new edition is published", line by line (in a directory holding
/// a copy of the pump fixture), ends in an audit report with its provenance and every decision;
/// the Markdown report of the same database says the same.
#[test]
fn the_readme_walkthrough_runs_and_its_report_shows_provenance_and_every_decision() {
    let block = crate::readme_block("a new edition");
    let dir = tempfile::tempdir().unwrap();
    for part in ["v1", "v2"] {
        let to = dir.path().join("tests/fixtures/pump").join(part);
        std::fs::create_dir_all(&to).unwrap();
        for file in std::fs::read_dir(fixture("pump").join(part)).unwrap() {
            let file = file.unwrap().path();
            std::fs::copy(&file, to.join(file.file_name().unwrap())).unwrap();
        }
    }
    assert_eq!(crate::run_readme_lines(&block, dir.path()).len(), 9, "{block}");
    // The report filed at the end: its title block and the history's head.
    let report = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    for needle in [
        "Infusion pump: IEC 60601-1 edition 3.2",
        "QA-2020-017",
        "dev-infusion-pump and what it rests on (9 nodes)",
        "QA manager",
        "hash chain head ",
    ] {
        assert!(report.contains(needle), "{needle:?} missing from the report");
    }
    let html = std::fs::read_to_string(dir.path().join("audit.html")).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(&html, options).expect("the HTML report is well-formed");
    let markdown = stdout(&[
        "--db",
        dir.path().join("pump.db").to_str().unwrap(),
        "audit",
        "--format",
        "markdown",
        "--fail-on",
        "never",
    ]);
    for report in [&html, &markdown] {
        for needle in [
            "generated",
            "data sha256",
            "rules sha256",
            "(commit ",
            "Reviews (8, 0 open)",
            "new edition iec-60601-1-ed3.2 published",
            "Standards WG",
            "2020-09-15",
            "clause 8 carried over unchanged",
            "Pump WG",
            "2020-10-01",
            "PEMS requirements of edition 3.2 added",
            // References kept on purpose, so the audit goes green (issue 36).
            "accepted until the particular standard is revised",
            "0 errors",
            "probably unaffected",
        ] {
            assert!(report.contains(needle), "{needle:?} missing from:\n{report}");
        }
    }
    // The fingerprint is the data's, wherever it is stored: the seed's is stable run to run.
    let fingerprint = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["audit", "--format", "json", "--fail-on", "never"]);
        json(&all)["provenance"]["data_sha256"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let seed = fingerprint(&[]);
    assert_eq!(seed.len(), 64);
    let (_dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    assert_eq!(
        fingerprint(&["--db", &db]),
        seed,
        "the seed imported is the same data"
    );
}

/// Splits a README command line into words: spaces separate, double quotes group.
pub fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Failure 6: `export --format json`, called lossless, dropped events, reviews and decisions. The
/// whole export now carries them (and the data set's own audit rules); importing it into a new
/// database restores them exactly (numbers, dates, who, causes, corrections): export → import →
/// export is byte-identical. A database that keeps a history of its own refuses another.
#[test]
fn the_history_travels_with_the_json_export_and_is_restored_exactly() {
    let (dir, db) = pump_with_new_edition();
    for args in [
        vec![
            "change",
            "record",
            "iec-60601-1-ed3.2",
            "--what",
            "edition 3.2 published",
            "--date",
            "2020-08-20",
            "--by",
            "QA",
        ],
        vec![
            "review",
            "close",
            "--event",
            "1",
            "--outcome",
            "unchanged",
            "--by",
            "WG",
            "--date",
            "2020-09-15",
            "--note",
            "checked",
        ],
        vec![
            "review",
            "correct",
            "gl-infusion-pump",
            "--outcome",
            "revised",
            "--by",
            "WG",
            "--note",
            "closed as unchanged by mistake",
        ],
    ] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args);
        stdout(&all);
    }
    let first = dir.path().join("first.json");
    let second = dir.path().join("second.json");
    let copy = dir.path().join("copy.db");
    stdout(&[
        "--db",
        &db,
        "export",
        "--format",
        "json",
        "-o",
        first.to_str().unwrap(),
    ]);
    let imported = stdout(&["--db", copy.to_str().unwrap(), "import", first.to_str().unwrap()]);
    assert!(
        imported.contains("restored the history: 1 change event(s), 8 review(s), 9 decision(s)"),
        "{imported}"
    );
    stdout(&[
        "--db",
        copy.to_str().unwrap(),
        "export",
        "--format",
        "json",
        "-o",
        second.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap(),
        "export → import → export is byte-identical"
    );
    let listing = |db: &str| json(&["--db", db, "review", "list", "--format", "json"]);
    assert_eq!(listing(copy.to_str().unwrap()), listing(&db));
    let events = |db: &str| json(&["--db", db, "change", "list", "--format", "json"]);
    assert_eq!(events(copy.to_str().unwrap()), events(&db));
    // The next event continues the numbering.
    let next = json(&[
        "--db",
        copy.to_str().unwrap(),
        "change",
        "record",
        "tm-pems-validation",
        "--what",
        "x",
        "--date",
        "2021-01-01",
        "--format",
        "json",
    ]);
    assert_eq!(next["events"][0]["event"], 2);

    let refused = crate::stderr_of(crate::regtrace().args(["--db", &db, "import"]).arg(&first), 2);
    assert!(
        refused.contains("already keeps a history of changes and reviews")
            && refused.contains("new database"),
        "{refused}"
    );
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(
        text.starts_with("{\"format\": \"regtrace\", \"version\": 2,"),
        "{}",
        &text[..80]
    );
}

/// Which kinds get reviews is data: a catalog's `[review] kinds` (kept in the database with the
/// catalog, and in its JSON export), not code; `--kind` still overrides it.
#[test]
fn the_reviewed_kinds_are_the_catalogs() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = std::fs::read_to_string(crate::data("catalog.toml"))
        .unwrap()
        .replace(
            "kinds = [\"guideline\", \"evaluation_index\", \"evaluation_item\", \"test_method\", \"device\", \"requirement\"]",
            "kinds = [\"device\"]",
        );
    assert!(catalog.contains("kinds = [\"device\"]"));
    let catalog_file = dir.path().join("catalog.toml");
    std::fs::write(&catalog_file, catalog).unwrap();
    let db = dir.path().join("pump.db");
    let db = db.to_str().unwrap();
    stdout(&[
        "--catalog",
        catalog_file.to_str().unwrap(),
        "--db",
        db,
        "import",
        v1().to_str().unwrap(),
    ]);
    // Without --catalog now: the stored catalog says devices only.
    let recorded = json(&[
        "--db",
        db,
        "change",
        "record",
        "iec-60601-1-ed3.1-c14",
        "--what",
        "x",
        "--date",
        "2020-08-20",
        "--format",
        "json",
    ]);
    assert_eq!(recorded["events"][0]["reviews"], 1);
    let reviewed: Vec<String> = json(&["--db", db, "review", "list", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reviewed, ["dev-infusion-pump"]);
    let overridden = json(&[
        "--db",
        db,
        "change",
        "record",
        "iec-60601-1-ed3.1-c14",
        "--what",
        "y",
        "--date",
        "2020-08-21",
        "--kind",
        "guideline",
        "--format",
        "json",
    ]);
    assert_eq!(overridden["events"][0]["reviews"], 2);
    let export = String::from_utf8(
        crate::regtrace()
            .args(["--db", db, "export", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        export.contains("\"review_kinds\": [\n  \"device\"\n]"),
        "{}",
        &export[..200]
    );
}

/// Failure 4, the other half: `--causes` lists every distinct chain by which a hit rests on the
/// change (JSON `causes`, the chain shown first; the table an "also:" line each), so the chain
/// through the carried-over clause is not lost either.
#[test]
fn causes_list_every_distinct_chain_the_one_shown_first() {
    let (_dir, db) = pump_with_new_edition();
    let answer = json(&[
        "--db",
        &db,
        "impact",
        "iec-60601-1-ed3.1",
        "--kind",
        "guideline",
        "--causes",
        "--format",
        "json",
    ]);
    let hit = answer["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "gl-infusion-pump")
        .unwrap();
    let causes = hit["causes"].as_array().unwrap();
    assert_eq!(causes.len(), 2, "{hit:#}");
    assert_eq!(causes[0]["path"], hit["path"]);
    assert_eq!(causes[1]["path"][1], "iec-60601-1-ed3.1-c8");
    assert!(
        causes[1]["reason"]
            .as_str()
            .unwrap()
            .starts_with("gl-infusion-pump —requires→ ei-electrical-safety"),
        "{hit:#}"
    );
    let capped = json(&[
        "--db",
        &db,
        "impact",
        "iec-60601-1-ed3.1",
        "--kind",
        "guideline",
        "--causes",
        "1",
        "--format",
        "json",
    ]);
    assert!(
        capped["impacted"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["causes"].as_array().unwrap().len() == 1)
    );
    let plain = json(&["--db", &db, "impact", "iec-60601-1-ed3.1", "--format", "json"]);
    assert!(plain["impacted"][0].get("causes").is_none());
    let table = stdout(&[
        "--db",
        &db,
        "impact",
        "iec-60601-1-ed3.1",
        "--kind",
        "guideline",
        "--causes",
    ]);
    assert!(
        table.contains("      also: gl-infusion-pump —requires→ ei-electrical-safety"),
        "{table}"
    );
}

/// The history as a directory of files, one per change event, to keep in git: `export
/// --history-dir` writes it, `import --history-dir` restores it (numbers, dates, decisions) with
/// the data; a damaged file is an error naming the file and line, and nothing is written.
#[test]
fn the_history_kept_as_one_file_per_event_is_restored() {
    let (dir, db) = pump_with_new_edition();
    for args in [
        vec![
            "change",
            "record",
            "iec-60601-1-ed3.2",
            "--what",
            "edition 3.2 published",
            "--date",
            "2020-08-20",
        ],
        vec![
            "change",
            "record",
            "tm-pems-validation",
            "--what",
            "method revised",
            "--date",
            "2021-02-01",
        ],
        vec![
            "review",
            "close",
            "--event",
            "1",
            "--verdict",
            "probably-unaffected",
            "--outcome",
            "unchanged",
            "--by",
            "WG",
            "--date",
            "2020-09-15",
        ],
    ] {
        let mut all = vec!["--db", db.as_str()];
        all.extend(args);
        stdout(&all);
    }
    let history = dir.path().join("history");
    let wrote = stdout(&["--db", &db, "export", "--history-dir", history.to_str().unwrap()]);
    assert!(wrote.starts_with("wrote 2 change event file(s) to "), "{wrote}");
    let mut names: Vec<String> = std::fs::read_dir(&history)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["event-0001.json", "event-0002.json"]);
    let first = std::fs::read_to_string(history.join("event-0001.json")).unwrap();
    assert!(
        first.contains("\n  \"event\": {\n    \"id\": 1,\n"),
        "one field per line: {first}"
    );

    let copy = dir.path().join("copy.db");
    let copy = copy.to_str().unwrap();
    let restored = stdout(&[
        "--db",
        copy,
        "import",
        v1().to_str().unwrap(),
        v2().to_str().unwrap(),
        "--history-dir",
        history.to_str().unwrap(),
    ]);
    assert!(
        restored.contains("restored the history: 2 change event(s), 11 review(s), 3 decision(s)"),
        "{restored}"
    );
    for what in [["review", "list"], ["change", "list"]] {
        let of = |db: &str| json(&["--db", db, what[0], what[1], "--format", "json"]);
        assert_eq!(of(copy), of(&db), "{what:?}");
    }

    // A damaged file: named with its line, nothing written.
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(
        broken.join("event-0001.json"),
        first.replace("\"id\": 1,", "\"id\": 1,,"),
    )
    .unwrap();
    let fresh = dir.path().join("fresh.db");
    let stderr = crate::stderr_of(
        crate::regtrace()
            .arg("--db")
            .arg(&fresh)
            .args(["import", v1().to_str().unwrap(), "--history-dir"])
            .arg(&broken),
        2,
    );
    assert!(stderr.contains("event-0001.json:5:"), "{stderr}");
    assert!(!fresh.exists(), "nothing written");
}

/// Failure 3, removal: a merge removes only what the files mark deleted — a node (with its
/// links) by `deleted = true`, a `deleted` column or field, a link by the same marks — never a
/// node under open review unless --replace; a mark for what is not stored, or outside a merge,
/// is an error with its place.
#[test]
fn a_merge_removes_only_what_the_files_mark_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db");
    import_into(&db, &[v1()]);
    let db = db.to_str().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    // TOML: a node, and one link of a node kept.
    let toml = write(
        "d.toml",
        "[[node]]\nid = \"gl-pump-electrical\"\ndeleted = true\n\n\
         [[node]]\nid = \"gl-infusion-pump\"\nkind = \"guideline\"\ntitle = \"Infusion pump guideline\"\n\
         status = \"published\"\npublished = \"2015-04-01\"\n\
         [node.relations]\nrequires = [\"ei-software\", { to = \"ei-electrical-safety\", deleted = true }]\n",
    );
    let merged = stdout(&["--db", db, "import", "--merge", &toml]);
    assert!(
        merged.contains(
            "merged: 12 nodes → 11 (0 added, 1 updated, 1 removed: gl-pump-electrical, as marked deleted)"
        ),
        "{merged}"
    );
    let shown = json(&["--db", db, "show", "gl-infusion-pump", "--format", "json"]);
    assert_eq!(shown["outgoing"].as_array().unwrap().len(), 1, "{shown}");
    // CSV: a node by its `deleted` column, a link by the edges' one.
    let nodes = write("n.csv", "id,kind,title,deleted\ngl-pump-software-2021,,,yes\n");
    let edges = write(
        "e.csv",
        "from,to,relation,deleted\ndev-infusion-pump,gl-infusion-pump,covered_by,x\n",
    );
    stdout(&["--db", db, "import", "--merge", &nodes, &edges]);
    // JSON: a node by its "deleted" field.
    let document = write(
        "d.json",
        "{\"format\": \"regtrace\", \"version\": 2,\n\"nodes\": [\n  {\"id\": \"tm-leakage-current\", \"deleted\": true}\n]}\n",
    );
    stdout(&["--db", db, "import", "--merge", &document]);
    let stats = json(&["--db", db, "stats", "--format", "json"]);
    assert_eq!(
        (stats["nodes"].as_u64(), stats["edges"].as_u64()),
        (Some(9), Some(6)),
        "{stats}"
    );

    // A mark for what is not stored, and a mark outside a merge: errors with their place.
    let typo = write("typo.toml", "[[node]]\nid = \"gl-nowhere\"\ndeleted = true\n");
    let stderr = crate::stderr_of(
        crate::regtrace().args(["--db", db, "import", "--merge", &typo]),
        2,
    );
    assert!(
        stderr.contains("typo.toml:1:1: error: node \"gl-nowhere\" is marked deleted but is not stored"),
        "{stderr}"
    );
    // A link that is not stored (one of its ends is), beside one that is: only the first is
    // reported, and nothing is removed.
    let links = write(
        "typo.csv",
        "from,to,relation,deleted\ndev-infusion-pump,gl-nowhere,covered_by,x\n\
         gl-infusion-pump,ei-software,requires,x\n",
    );
    let stderr = crate::stderr_of(
        crate::regtrace().args(["--db", db, "import", "--merge", &links]),
        2,
    );
    assert!(
        stderr.contains(
            "typo.csv:2: error: the link dev-infusion-pump covered_by gl-nowhere is marked deleted but is not stored"
        ) && !stderr.contains("typo.csv:3"),
        "{stderr}"
    );
    let stderr = crate::stderr_of(crate::regtrace().args(["check", &toml]), 2);
    assert!(
        stderr.contains("is marked deleted") && stderr.contains("import --merge"),
        "{stderr}"
    );

    // A node under open review is not removed unasked.
    stdout(&[
        "--db",
        db,
        "change",
        "record",
        "ei-software",
        "--what",
        "x",
        "--date",
        "2020-01-01",
    ]);
    let gone = write(
        "gone.toml",
        "[[node]]\nid = \"gl-infusion-pump\"\ndeleted = true\n",
    );
    let stderr = crate::stderr_of(
        crate::regtrace().args(["--db", db, "import", "--merge", &gone]),
        2,
    );
    assert!(
        stderr.contains("this merge would remove 1 stored node(s) marked deleted and leave 1 open review(s)")
            && stderr.contains("--replace"),
        "{stderr}"
    );
    let forced = stdout(&["--db", db, "import", "--merge", "--replace", &gone]);
    assert!(forced.contains("1 open review(s) now orphaned"), "{forced}");
}

/// The audit as a workbook (sheets provenance, rules, findings, reviews), and `import --merge
/// --prune`, which makes the files the whole data set as a plain import does.
#[test]
fn the_audit_as_a_workbook_and_a_pruning_merge() {
    let (dir, db) = pump_with_new_edition();
    publish_edition_3_2(&db);
    let book = dir.path().join("audit.xlsx");
    crate::regtrace()
        .args([
            "--db",
            &db,
            "audit",
            "--format",
            "xlsx",
            "--fail-on",
            "never",
            "-o",
        ])
        .arg(&book)
        .assert()
        .success();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&book).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["provenance", "rules", "findings", "reviews"]
    );
    let reviews = workbook.worksheet_range("reviews").unwrap();
    assert_eq!(reviews.height(), 9, "a header and the 8 reviews");
    let provenance = workbook.worksheet_range("provenance").unwrap();
    let cells: Vec<String> = provenance.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "data sha256"), "{cells:?}");

    // Edition 3.2 and its clauses are not in v1: pruned (nothing under review among them).
    let pruned = stdout(&[
        "--db",
        &db,
        "import",
        "--merge",
        "--prune",
        v1().to_str().unwrap(),
    ]);
    assert!(pruned.contains("15 nodes → 12 (0 added, 3 removed"), "{pruned}");
}

/// Issue 36, item 3: the merge that adds a published edition superseding a stored one marks the
/// stored one no longer current (in the same transaction, said in its summary and in the change
/// it records), so `revision-chain-current` does not stay an error; files that give the older
/// edition again keep what they say.
#[test]
fn a_merge_adding_a_superseding_edition_retires_the_stored_one_unless_the_files_say_otherwise() {
    let status = |db: &str| {
        json(&["--db", db, "show", "iec-60601-1-ed3.1", "--format", "json"])["node"]["status"].clone()
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("pump.db");
    import_into(&db, &[v1()]);
    let db = db.to_str().unwrap();
    assert_eq!(status(db), "published");
    let merged = stdout(&[
        "--db",
        db,
        "import",
        "--merge",
        v2().to_str().unwrap(),
        "--record-changes",
        "--date",
        "2020-08-20",
    ]);
    assert!(
        merged.contains("(supersedes it; added by import; its status set to withdrawn)"),
        "{merged}"
    );
    assert_eq!(
        merged.matches("recorded change #").count(),
        1,
        "one change, not a second for the status: {merged}"
    );
    assert_eq!(status(db), "withdrawn");
    let audit = json(&[
        "--db",
        db,
        "audit",
        "--rule",
        "revision-chain-current",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(audit["findings"], serde_json::json!([]), "{audit}");

    // The files give edition 3.1 again (as published): the data says so on purpose.
    let other = dir.path().join("other.db");
    import_into(&other, &[v1()]);
    let other = other.to_str().unwrap();
    let merged = stdout(&[
        "--db",
        other,
        "import",
        "--merge",
        v1().to_str().unwrap(),
        v2().to_str().unwrap(),
    ]);
    assert!(!merged.contains("is now withdrawn"), "{merged}");
    assert_eq!(status(other), "published");
}
