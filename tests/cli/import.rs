//! Importing into the store, reading back, and lossless JSON round trips.

use crate::{data, fixture, fresh_db, import_into, json, regtrace, stderr_of};

#[test]
fn import_then_query_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(fixture("small"))
        .assert()
        .success()
        .stdout(format!(
            "imported 5 nodes, 4 edges, 37 relations into {}\n",
            db.display()
        ));

    let db = db.to_str().unwrap();
    let shown = json(&["--db", db, "show", "GL-knee", "--format", "json"]);
    assert_eq!(shown["node"]["title"], "Custom-made knee joint, \"quoted\"");
    assert_eq!(shown["node"]["attributes"]["owner"], "WG-1");
    let outgoing: Vec<&str> = shown["outgoing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    // Inline relations are read in relation-name order (cites before requires).
    assert_eq!(outgoing, ["ISO-10993-1:2018", "EI-1"]);

    // REGTRACE_DB works like --db.
    let output = regtrace()
        .env("REGTRACE_DB", db)
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 5);
}

#[test]
fn csv_pairs_keep_ids_exactly_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(fixture("csv/nodes.csv"))
        .arg(fixture("csv/edges.csv"))
        .assert()
        .success();
    let db = db.to_str().unwrap();
    let upper = json(&["--db", db, "show", "STD-12", "--format", "json"]);
    assert_eq!(upper["node"]["designation"], "ISO 14971");
    assert_eq!(upper["node"]["published"], "2019-12-01");
    assert_eq!(upper["node"]["attributes"]["owner"], "QA");
    assert_eq!(upper["incoming"][0]["id"], "TM-9");
    let lower = json(&["--db", db, "show", "std-12", "--format", "json"]);
    assert_eq!(lower["node"]["title"], "Lower-case twin");
    assert_eq!(lower["incoming"].as_array().unwrap().len(), 0);
    let stderr = stderr_of(regtrace().args(["--db", db, "show", "Std-12"]), 2);
    assert!(stderr.contains("no node has the id \"Std-12\""), "{stderr}");
}

#[test]
fn json_export_and_import_round_trip_losslessly() {
    let dir = tempfile::tempdir().unwrap();
    // Seed → JSON → database → JSON gives the same document.
    let first = dir.path().join("first.json");
    regtrace()
        .args(["export", "--format", "json", "-o"])
        .arg(&first)
        .assert()
        .success();
    let db = dir.path().join("x.db");
    import_into(&db, std::slice::from_ref(&first));
    // Exports a database's data set to a file and reads it back.
    let export = |db: &std::path::Path, name: &str| {
        let path = dir.path().join(name);
        regtrace()
            .arg("--db")
            .arg(db)
            .args(["export", "-o"])
            .arg(&path)
            .assert()
            .success();
        std::fs::read_to_string(path).unwrap()
    };
    let first = std::fs::read_to_string(&first).unwrap();
    assert_eq!(export(&db, "second.json"), first);

    // The TOML sources and the JSON document describe the same data set.
    let from_toml = dir.path().join("toml.db");
    import_into(&from_toml, &[data("")]);
    assert_eq!(export(&from_toml, "third.json"), first);
}

#[test]
fn reimporting_replaces_the_data_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let db_arg = db.to_str().unwrap();
    regtrace()
        .args(["--db", db_arg, "import"])
        .arg(fixture("small"))
        .assert()
        .success();
    let once = json(&["--db", db_arg, "export"]);
    regtrace()
        .args(["--db", db_arg, "import"])
        .arg(fixture("small"))
        .assert()
        .success();
    assert_eq!(json(&["--db", db_arg, "export"]), once);
    regtrace()
        .args(["--db", db_arg, "import"])
        .arg(fixture("csv"))
        .assert()
        .success();
    assert_eq!(json(&["--db", db_arg, "stats", "--format", "json"])["nodes"], 3);
}

#[test]
fn usage_mistakes_are_explained() {
    let stderr = stderr_of(regtrace().arg("import").arg(fixture("small")), 2);
    assert!(
        stderr.contains("import needs a database") && stderr.contains("--db"),
        "{stderr}"
    );

    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.db");
    let stderr = stderr_of(regtrace().arg("--db").arg(&missing).args(["show", "x"]), 2);
    assert!(
        stderr.contains("no database at") && stderr.contains("import"),
        "{stderr}"
    );
    assert!(!missing.exists());

    let nowhere = dir.path().join("no-such-dir").join("x.db");
    let stderr = stderr_of(
        regtrace()
            .arg("--db")
            .arg(&nowhere)
            .arg("import")
            .arg(fixture("small")),
        2,
    );
    assert!(
        stderr.contains("does not exist") && stderr.contains("create the directory"),
        "{stderr}"
    );

    let stderr = stderr_of(regtrace().args(["list", "--kind", "guidline"]), 2);
    assert!(stderr.contains("did you mean \"guideline\""), "{stderr}");

    let stderr = stderr_of(regtrace().args(["show", "jp-pal-revison-2013"]), 2);
    assert!(
        stderr.contains("did you mean \"jp-pal-revision-2013\""),
        "{stderr}"
    );

    let foreign = dir.path().join("other.db");
    std::fs::write(
        &foreign,
        b"SQLite format 3\0 but not really a database at all, just text",
    )
    .unwrap();
    let before = std::fs::read(&foreign).unwrap();
    stderr_of(
        regtrace()
            .arg("--db")
            .arg(&foreign)
            .arg("import")
            .arg(fixture("small")),
        2,
    );
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
}

/// An import of nothing (a nodes.csv with only its header, a JSON document without nodes) would
/// empty the database and orphan every open review: it is refused, and the data stays, unless
/// --allow-empty says so.
#[test]
fn an_import_of_nothing_is_refused_unless_allowed() {
    let (dir, db) = fresh_db(&[data("meti-2013")]);
    regtrace()
        .args(["--db", &db, "change", "record", "jp-pal-revision-2013"])
        .args(["--what", "law revision enacted", "--date", "2013-11-20"])
        .assert()
        .success();
    let header_only = dir.path().join("nodes.csv");
    std::fs::write(&header_only, "id,kind,title\n").unwrap();
    let no_nodes = dir.path().join("empty.json");
    std::fs::write(&no_nodes, r#"{"format": "regtrace", "version": 1}"#).unwrap();
    let before = std::fs::read(&db).unwrap();
    for empty in [&header_only, &no_nodes] {
        let stderr = stderr_of(regtrace().args(["--db", &db, "import"]).arg(empty), 2);
        assert!(stderr.contains("hold no nodes"), "{stderr}");
        assert!(stderr.contains("--allow-empty"), "{stderr}");
        assert_eq!(std::fs::read(&db).unwrap(), before, "the database is untouched");
    }
    let stats = json(&["--db", &db, "stats", "--format", "json"]);
    assert_eq!(stats["nodes"], 76);

    // Emptying a database with open reviews takes both: --allow-empty and --replace.
    let stderr = stderr_of(
        regtrace()
            .args(["--db", &db, "import", "--allow-empty"])
            .arg(&header_only),
        2,
    );
    assert!(stderr.contains("open review(s) without their node"), "{stderr}");
    regtrace()
        .args(["--db", &db, "import", "--allow-empty", "--replace"])
        .arg(&header_only)
        .assert()
        .success();
    assert_eq!(json(&["--db", &db, "stats", "--format", "json"])["nodes"], 0);
}

/// Errors name what the user wrote: the flag that holds a bad date, a directory given as the
/// database.
#[test]
fn errors_name_the_flag_and_the_path_the_user_gave() {
    let (dir, db) = fresh_db(&[data("meti-2013")]);
    let stderr = stderr_of(
        regtrace()
            .args(["--db", &db, "change", "record", "jp-pal-revision-2013"])
            .args(["--what", "x", "--date", "2013-02-30"]),
        2,
    );
    assert!(
        stderr.contains("--date: \"2013-02-30\" is not a day of the calendar"),
        "{stderr}"
    );
    for args in [&["stats"][..], &["import", "data"], &["verify"]] {
        let stderr = stderr_of(regtrace().arg("--db").arg(dir.path()).args(args), 2);
        assert!(
            stderr.contains("is a directory, not a database"),
            "{args:?}: {stderr}"
        );
    }
}
