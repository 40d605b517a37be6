//! `check` and `import` report every problem at once, with file, line and a hint, and write
//! nothing.

use crate::{fixture, import_into, regtrace, stderr_of};

#[test]
fn every_problem_is_reported_with_its_place_and_a_hint() {
    let dir = fixture("invalid");
    let stderr = stderr_of(regtrace().arg("check").arg(&dir), 2);
    let nodes = dir.join("nodes.toml").display().to_string();
    let relations = dir.join("relations.toml").display().to_string();
    let expected = [
        // unknown kind, with a suggestion
        format!("{nodes}:3:8: error: unknown kind \"guidline\"\n  hint: did you mean \"guideline\"?"),
        // bad date
        format!("{nodes}:10:13: error: bad `published` date: \"2013-02-30\" is not a day of the calendar"),
        // missing required field
        format!("{nodes}:12:1: error: missing required field `title`"),
        // duplicate id, naming the first definition
        format!("{nodes}:22:1: error: duplicate id \"STD-1\" (first defined at {nodes}:17:1)"),
        // unknown relation, with a suggestion
        format!("{relations}:6:9: error: unknown relation \"cite\"\n  hint: did you mean \"cites\"?"),
        // relation not allowed between these kinds, saying which are
        format!(
            "{relations}:7:13: error: relation \"requires\" is not allowed from a guideline (\"GL-9\") to a standard (\"STD-1\")\n  hint: requires goes from guideline, evaluation_index to evaluation_item"
        ),
        // dangling reference, with did-you-mean
        format!("{relations}:8:10: error: cites to unknown node \"STD-2\"\n  hint: did you mean \"STD-1\"?"),
        // cycle in a supersedes chain
        format!("{relations}:15:15: error: cycle in \"supersedes\" chain: STD-A, STD-B"),
    ];
    for line in &expected {
        assert!(
            stderr.contains(line.as_str()),
            "missing:\n{line}\n\nin:\n{stderr}"
        );
    }
    assert!(
        stderr
            .trim_end()
            .ends_with(&format!("{} problems found", expected.len())),
        "{stderr}"
    );
}

#[test]
fn a_failed_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    stderr_of(
        regtrace()
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(fixture("invalid")),
        2,
    );
    assert!(!db.exists(), "a failed import must not create the database");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nor any side file"
    );
}

#[test]
fn a_failed_import_leaves_an_existing_database_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import_into(&db, &[fixture("small")]);
    let snapshot = |dir: &std::path::Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().into_string().unwrap(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let before = snapshot(dir.path());

    stderr_of(
        regtrace()
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(fixture("invalid")),
        2,
    );
    // An unreadable path and a missing file fail the same way.
    stderr_of(
        regtrace()
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(dir.path().join("missing.toml")),
        2,
    );
    assert_eq!(snapshot(dir.path()), before);

    // And the stored data still answers.
    regtrace()
        .arg("--db")
        .arg(&db)
        .args(["show", "GL-knee"])
        .assert()
        .success();
}

#[test]
fn a_file_of_unknown_type_named_on_the_command_line_is_refused() {
    // Directories are walked for .toml, .csv and .json; a file named outright must be one.
    // (Malformed files of each format: the catalogue in tests/bad-input, tests/cli/bad_input.rs.)
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "hello").unwrap();
    let stderr = stderr_of(regtrace().arg("check").arg(&notes), 2);
    assert!(
        stderr.contains(&format!("{}: error: unknown file type", notes.display())),
        "{stderr}"
    );
}

#[test]
fn a_user_catalog_overrides_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog.toml");
    std::fs::write(
        &catalog,
        "[[relation]]\nname = \"rests_on\"\nfrom = [\"*\"]\nto = [\"*\"]\nimpact = \"to_source\"\n",
    )
    .unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("n.csv"), "id,kind,title\nA,device,x\nB,standard,y\n").unwrap();
    std::fs::write(data.join("e.csv"), "from,to,relation\nA,B,rests_on\n").unwrap();
    // Unknown to the default catalog…
    let stderr = stderr_of(regtrace().arg("check").arg(&data), 2);
    assert!(stderr.contains("unknown relation \"rests_on\""), "{stderr}");
    // …known with --catalog, or with the catalog file among the inputs.
    regtrace()
        .arg("--catalog")
        .arg(&catalog)
        .arg("check")
        .arg(&data)
        .assert()
        .success();
    regtrace()
        .arg("check")
        .arg(&data)
        .arg(&catalog)
        .assert()
        .success();
}
