//! The snapshot a database keeps beside its tables: every command answers from it exactly as
//! from the rows, and a snapshot that does not belong to the current data (left by an earlier
//! import, or damaged) is never used.

use std::path::{Path, PathBuf};

use crate::{data, fixture, import_into, json, stdout};

fn snapshot_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-snapshot");
    PathBuf::from(name)
}

/// The answers compared: impact and deps of a few nodes, as JSON.
fn state(db: &Path) -> serde_json::Value {
    json(&["--db", db.to_str().unwrap(), "stats", "--format", "json"])["snapshot"].clone()
}

fn answers(db: &Path, queries: &[&[&str]]) -> Vec<serde_json::Value> {
    let db = db.to_str().unwrap();
    queries
        .iter()
        .map(|q| {
            let mut args = vec!["--db", db];
            args.extend_from_slice(q);
            args.extend_from_slice(&["--format", "json"]);
            let mut answer = json(&args);
            // An audit report says when it was made: not part of the answer compared.
            if let Some(provenance) = answer.get_mut("provenance") {
                provenance["generated_at"] = serde_json::Value::Null;
            }
            answer
        })
        .collect()
}

/// Each query's standard output, run on `db`.
fn outputs<'q>(db: &Path, queries: &[impl AsRef<[&'q str]>]) -> Vec<String> {
    let db = db.to_str().unwrap();
    queries
        .iter()
        .map(|q| {
            let mut args = vec!["--db", db];
            args.extend_from_slice(q.as_ref());
            stdout(&args)
        })
        .collect()
}

/// A database in `dir` of the seed's data (`data(name)`), with the 2013 law revision recorded as
/// a change (`what`, on `date`): reviews open for everything that rests on it.
fn revised(dir: &Path, name: &str, what: &str, date: &str) -> PathBuf {
    let db = dir.join("x.db");
    import_into(&db, &[data(name)]);
    stdout(&[
        "--db",
        db.to_str().unwrap(),
        "change",
        "record",
        "jp-pal-revision-2013",
        "--what",
        what,
        "--date",
        date,
    ]);
    db
}

const SEED_QUERIES: &[&[&str]] = &[
    &["impact", "jp-pal-revision-2013"],
    &[
        "impact",
        "jp-pal-revision-2013",
        "--as-of",
        "2013-12-01",
        "--kind",
        "guideline",
    ],
    &["impact", "policy-new-growth-strategy-2010", "--max-depth", "1"],
    &["deps", "gl-custom-knee"],
    // Commands that need whole records rebuild the graph from the snapshot.
    &["export"],
    &["show", "gl-custom-knee"],
    // Point lookups read the snapshot in place (`stats` too; its answer names the snapshot's
    // state, so it is compared below without that field).
    &["show", "gl-artificial-heart"],
    &["show", "jp-pal-revision-2013"],
    &["list", "--kind", "standard"],
    &["audit", "--fail-on", "never"],
    &["matrix", "--rows", "guideline", "--cols", "standard"],
    &["path", "device-artificial-heart-18-cases", "jp-pal-revision-2013"],
];

#[test]
fn the_snapshot_answers_exactly_as_the_rows_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[data("")]);
    assert!(snapshot_of(&db).is_file(), "import writes the snapshot");
    assert_eq!(state(&db), "current");
    let from_snapshot = answers(&db, SEED_QUERIES);
    let counted = |db: &std::path::Path| {
        let mut stats = answers(db, &[&["stats"]]).remove(0);
        stats["snapshot"] = serde_json::Value::Null;
        stats
    };
    let counted_in_snapshot = counted(&db);
    std::fs::remove_file(snapshot_of(&db)).unwrap();
    assert_eq!(state(&db), "missing");
    let from_rows = answers(&db, SEED_QUERIES);
    assert_eq!(from_snapshot, from_rows);
    assert_eq!(counted_in_snapshot, counted(&db));
    assert!(from_rows[0]["total"].as_u64().unwrap() >= 16);

    // The same with probably-unaffected verdicts (edition data).
    let db = dir.path().join("ed.db");
    import_into(&db, &[fixture("editions")]);
    let queries: &[&[&str]] = &[
        &["impact", "iso-10993-1-2009", "--as-of", "2019-01-01"],
        // A family, an edition and a clause, with crosswalks.
        &["editions", "iso-10993-1", "--as-of", "2019-01-01"],
        &["editions", "iso-10993-1-2009", "--as-of", "2010-01-01"],
        &["editions", "iso-10993-1-2018-c5"],
    ];
    let tables = |db: &Path| -> Vec<String> {
        ["table", "csv"]
            .into_iter()
            .map(|format| {
                stdout(&[
                    "--db",
                    db.to_str().unwrap(),
                    "editions",
                    "iso-10993-1",
                    "--as-of",
                    "2019-01-01",
                    "--format",
                    format,
                ])
            })
            .collect()
    };
    let (from_snapshot, tables_from_snapshot) = (answers(&db, queries), tables(&db));
    std::fs::remove_file(snapshot_of(&db)).unwrap();
    assert_eq!(from_snapshot, answers(&db, queries));
    assert_eq!(tables_from_snapshot, tables(&db));
    assert_eq!(from_snapshot[0]["probably_unaffected"], 4);
    assert!(
        !from_snapshot[1]["crosswalks"].as_array().unwrap().is_empty(),
        "{}",
        from_snapshot[1]
    );
}

/// An impact or dependency diagram is cut out of the snapshot (only the nodes drawn are built):
/// the same drawing as from the whole graph the rows load, with kinds, a limit, a date and
/// either language.
#[test]
fn reach_diagrams_are_drawn_from_the_snapshot_as_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[data("")]);
    let drawings: &[&[&str]] = &[
        &["impact", "jp-pal-revision-2013"],
        &[
            "impact",
            "jp-pal-revision-2013",
            "--kind",
            "guideline",
            "--kind",
            "device",
        ],
        &["impact", "jp-pal-revision-2013", "--limit", "3"],
        &[
            "-l",
            "ja",
            "impact",
            "jp-pal-revision-2013",
            "--as-of",
            "2014-01-01",
        ],
        &["deps", "device-artificial-heart-18-cases"],
        &["deps", "device-artificial-heart-18-cases", "--max-depth", "1"],
    ];
    let queries: Vec<Vec<&str>> = drawings
        .iter()
        .map(|q| [*q, &["--format", "dot"]].concat())
        .collect();
    assert_eq!(state(&db), "current");
    let from_snapshot = outputs(&db, &queries);
    assert!(
        from_snapshot[0].matches(" -> ").count() >= 10,
        "{}",
        from_snapshot[0]
    );
    assert!(from_snapshot[3].contains("人工心臓"), "{}", from_snapshot[3]);
    std::fs::remove_file(snapshot_of(&db)).unwrap();
    assert_eq!(state(&db), "missing");
    let from_rows = outputs(&db, &queries);
    for ((query, snapshot), rows) in queries.iter().zip(&from_snapshot).zip(&from_rows) {
        assert_eq!(snapshot, rows, "{query:?}");
    }
}

/// `review list` and `change list` read the reviewed and changed nodes' titles and kinds from
/// the snapshot: the same answers as from the rows, in every format and both languages.
#[test]
fn review_and_change_lists_answer_from_the_snapshot_as_from_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = revised(dir.path(), "", "revised", "2014-11-25");
    let queries: Vec<Vec<&str>> = ["json", "csv", "table"]
        .into_iter()
        .flat_map(|format| {
            [
                vec!["review", "list", "--format", format],
                vec!["review", "list", "--kind", "guideline", "--format", format],
                vec!["-l", "ja", "review", "list", "--format", format],
                vec!["change", "list", "--format", format],
            ]
        })
        .collect();
    assert_eq!(state(&db), "current");
    let from_snapshot = outputs(&db, &queries);
    let listed: serde_json::Value = serde_json::from_str(&from_snapshot[0]).unwrap();
    assert!(listed.as_array().unwrap().len() >= 16, "{listed}");
    assert!(from_snapshot[3].contains("revised"), "{}", from_snapshot[3]);
    std::fs::remove_file(snapshot_of(&db)).unwrap();
    assert_eq!(state(&db), "missing");
    assert_eq!(from_snapshot, outputs(&db, &queries));
}

#[test]
fn a_snapshot_of_other_data_or_a_damaged_one_is_never_used() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let queries: &[&[&str]] = &[&["impact", "iso-10993-1-2009"]];

    // Import the editions data, keep its snapshot, then import it again with one more guideline
    // citing the 2009 edition: the old snapshot no longer belongs to the database.
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    let fixture_file = fixture("editions").join("biocompatibility.toml");
    let text = std::fs::read_to_string(&fixture_file).unwrap();
    std::fs::write(first.join("data.toml"), &text).unwrap();
    import_into(&db, std::slice::from_ref(&first));
    let old_snapshot = std::fs::read(snapshot_of(&db)).unwrap();
    let before = answers(&db, queries);

    let extra = "\n[[node]]\nid = \"gl-late\"\nkind = \"guideline\"\ntitle = \"Late\"\n[node.relations]\ncites = [\"iso-10993-1-2009\"]\n";
    std::fs::write(first.join("data.toml"), format!("{text}{extra}")).unwrap();
    import_into(&db, std::slice::from_ref(&first));
    let current = answers(&db, queries);
    assert_eq!(
        current[0]["total"].as_u64().unwrap(),
        before[0]["total"].as_u64().unwrap() + 1
    );

    // An earlier import's snapshot put back in place (as a crash between commit and rename, or
    // a concurrent import, could leave it): ignored, the answer is the current data's.
    std::fs::write(snapshot_of(&db), &old_snapshot).unwrap();
    assert_eq!(state(&db), "not current");
    assert_eq!(answers(&db, queries), current);

    // The current snapshot cut short or filled with garbage after its header: ignored too.
    import_into(&db, std::slice::from_ref(&first));
    let good = std::fs::read(snapshot_of(&db)).unwrap();
    assert_eq!(state(&db), "current");
    std::fs::write(snapshot_of(&db), &good[..good.len() / 2]).unwrap();
    assert_eq!(state(&db), "damaged");
    assert_eq!(answers(&db, queries), current);
    let mut garbage = good.clone();
    for b in garbage.iter_mut().skip(64) {
        *b = 0xAB;
    }
    std::fs::write(snapshot_of(&db), &garbage).unwrap();
    assert_eq!(answers(&db, queries), current);
}

/// One rule for every command: without a current snapshot, the rows are validated again, so a
/// database edited by hand into something invalid is reported by every command that reads it
/// (those that read history too), never answered from.
#[test]
fn without_a_current_snapshot_every_command_reports_a_hand_edited_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = revised(dir.path(), "meti-2013", "law revision enacted", "2013-11-20");
    let path = db.to_str().unwrap();
    std::fs::remove_file(snapshot_of(&db)).unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE nodes SET status = 'in_force_forever' WHERE id = 'gl-custom-knee'",
        [],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["impact", "jp-pal-revision-2013"][..],
        &["show", "gl-custom-knee"],
        // Point lookups read the snapshot in place (`stats` too; its answer names the snapshot's
        // state, so it is compared below without that field).
        &["show", "gl-artificial-heart"],
        &["show", "jp-pal-revision-2013"],
        &["stats"],
        &["audit"],
        &["review", "list"],
        &[
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "again",
            "--date",
            "2014-01-01",
        ],
        &[
            "review",
            "close",
            "gl-custom-knee",
            "--outcome",
            "unchanged",
            "--by",
            "QA",
        ],
        &["diff", path, path],
    ] {
        let mut command = crate::regtrace();
        command.args(["--db", path]).args(args);
        let stderr = crate::stderr_of(&mut command, 2);
        assert!(stderr.contains("inconsistent"), "{args:?}: {stderr}");
        assert!(stderr.contains("re-import"), "{args:?}: {stderr}");
    }
}

/// The section table entry (offset, length) of section `index` of a snapshot file.
fn section(bytes: &[u8], index: usize) -> (usize, usize) {
    let entry = 64 + index * 16;
    let read = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
    (read(entry), read(entry + 8))
}

/// Damage inside a section (one flipped byte among the kinds, 4 KB of the incoming links zeroed)
/// is caught by the checksums: the snapshot is ignored with one warning, every answer is the
/// rows' (unchecked, they were a wrong kind and a shorter impact list), `verify` says
/// which section is damaged and exits 1, and `verify --repair` rebuilds it.
#[test]
fn damage_inside_a_section_is_caught_reported_and_repaired() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("csv");
    std::fs::create_dir(&csv).unwrap();
    let workload = regtrace_workload::write_csv(0.01, 7, &csv).unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[csv.join("nodes.csv"), csv.join("edges.csv")]);
    let path = db.to_str().unwrap();
    let queries: &[&[&str]] = &[
        &["impact", &workload.most_cited],
        &["impact", &workload.typical],
        &["export"],
    ];
    let truth = answers(&db, queries);
    let good = std::fs::read(snapshot_of(&db)).unwrap();

    // Kinds is section 3, the incoming links section 9.
    let (kinds, kinds_len) = section(&good, 3);
    let (inn, inn_len) = section(&good, 9);
    assert!(inn_len > 8192, "the test needs a larger graph");
    let mut flipped = good.clone();
    flipped[kinds + kinds_len / 2] ^= 0x01;
    let mut zeroed = good.clone();
    zeroed[inn + inn_len / 2..inn + inn_len / 2 + 4096].fill(0);

    for (what, damaged) in [("kinds", flipped), ("incoming links", zeroed)] {
        std::fs::write(snapshot_of(&db), &damaged).unwrap();
        assert_eq!(state(&db), "damaged", "{what}");
        assert_eq!(answers(&db, queries), truth, "{what}: the rows answer");
        let output = crate::regtrace()
            .args(["--db", path, "impact", &workload.typical, "--summary"])
            .output()
            .unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
        assert!(
            stderr.contains(&format!("its {what} section fails its checksum")),
            "{stderr}"
        );

        let mut verify = crate::regtrace();
        verify.args(["--db", path, "verify"]);
        let failed = crate::stderr_of(&mut verify, 1);
        assert!(failed.contains("not sound"), "{failed}");
        let report = json(&["--db", path, "verify", "--repair", "--format", "json"]);
        assert_eq!(report["snapshot"]["state"], "damaged", "{report}");
        assert_eq!(report["repaired"], true, "{report}");
        assert_eq!(report["sound"], true, "{report}");
        assert_eq!(state(&db), "current");
        assert_eq!(
            answers(&db, queries),
            truth,
            "{what}: the repaired snapshot answers"
        );
    }
}

/// A bus error, which is what reading a page of the mapped snapshot raises after another program
/// truncated the file in place, ends regtrace with a report in words and exit status 1, not a
/// bare "Bus error". (Sent here by `kill` to a command waiting for a write lock, since the real
/// fault needs the truncation to land inside a query.) The waiting write is not made.
#[test]
fn a_bus_error_is_reported_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[fixture("small")]);
    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let child = crate::process()
        .arg("--db")
        .arg(&db)
        .args([
            "change",
            "record",
            "ISO-10993-1:2009",
            "--what",
            "x",
            "--date",
            "2020-01-01",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // It waits for the lock (up to 30 s); give it time to start.
    std::thread::sleep(std::time::Duration::from_secs(1));
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -BUS {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("was cut short while this command ran") && stderr.contains("regtrace verify"),
        "{stderr}"
    );
    lock.execute_batch("ROLLBACK").unwrap();
    let events: i64 = lock
        .query_row("SELECT count(*) FROM change_events", [], |r| r.get(0))
        .unwrap();
    assert_eq!(events, 0);
}

/// `change record` plans from the snapshot when it is current and from the rows when there is
/// none: the same events and the same reviews (node, reason chain, verdict) either way, for a
/// law revision on the seed and a new edition on the editions fixture.
#[test]
fn a_change_is_planned_the_same_from_the_snapshot_and_from_the_rows() {
    let cases: [(PathBuf, &[&str]); 2] = [
        (
            data(""),
            &[
                "jp-pal-revision-2013",
                "--what",
                "law revised",
                "--date",
                "2013-11-20",
            ],
        ),
        (
            fixture("editions"),
            &["iso-10993-1-2009", "--what", "superseded", "--date", "2019-01-01"],
        ),
    ];
    for (source, change) in cases {
        let dir = tempfile::tempdir().unwrap();
        let recorded: Vec<(serde_json::Value, serde_json::Value)> = ["with.db", "without.db"]
            .iter()
            .map(|name| {
                let db = dir.path().join(name);
                import_into(&db, std::slice::from_ref(&source)).success();
                if *name == "without.db" {
                    std::fs::remove_file(snapshot_of(&db)).unwrap();
                }
                let db = db.to_str().unwrap();
                crate::regtrace()
                    .args(["--db", db, "change", "record"])
                    .args(change)
                    .assert()
                    .success();
                let mut reviews = json(&["--db", db, "review", "list", "--format", "json"]);
                for r in reviews.as_array_mut().unwrap() {
                    r.as_object_mut().unwrap().remove("opened_at");
                }
                let mut events = json(&["--db", db, "change", "list", "--format", "json"]);
                for e in events.as_array_mut().unwrap() {
                    e.as_object_mut().unwrap().remove("recorded_at");
                }
                (events, reviews)
            })
            .collect();
        assert!(recorded[0].1.as_array().unwrap().len() > 3, "{:?}", recorded[0].1);
        assert_eq!(recorded[0], recorded[1], "{source:?}");
    }
}

#[test]
fn a_regtrace_database_with_a_damaged_header_is_called_that_not_another_programs_file() {
    let (_dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    let mut bytes = std::fs::read(&db).unwrap();
    // "SQLite format 3\0" overwritten: SQLite no longer opens it; regtrace's id at offset 68
    // is still there.
    bytes[..16].copy_from_slice(b"garbage garbage!");
    std::fs::write(&db, &bytes).unwrap();
    for command in [&["verify"][..], &["stats"]] {
        let stderr = crate::stderr_of(crate::regtrace().args(["--db", &db]).args(command), 2);
        assert!(
            stderr.contains("is a regtrace database whose SQLite header is damaged")
                && stderr.contains("restore")
                && !stderr.contains("will not write into other files"),
            "{command:?}: {stderr}"
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "nothing written");
}
