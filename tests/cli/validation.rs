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
fn bad_inputs_get_clear_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (write("empty.toml", b""), "holds no [[node]] table"),
        (
            write("truncated.toml", b"[[node]]\nid = \"A"),
            "invalid TOML data file",
        ),
        (
            write("sjis.csv", b"id,kind,title\nA,device,\x90\x6C\x8D\x48\n"),
            "not valid UTF-8",
        ),
        (write("utf16.csv", b"\xFF\xFEi\0d\0"), "UTF-16"),
        (write("nohead.csv", b"A,device,x\n"), "unrecognised CSV header"),
        (
            write(
                "spaces.csv",
                b"id,kind,title\nhas space,device,x\nsl/ash,device,y\n",
            ),
            "bad id \"sl/ash\"",
        ),
        (
            write("self.csv", b"from,to,relation\nA,A,cites\n"),
            "unknown node \"A\"",
        ),
        (
            write(
                "era.csv",
                b"id,kind,title,published\nA,guideline,x,\xE5\xB9\xB3\xE6\x88\x9025\xE5\xB9\xB4\n",
            ),
            "YYYY-MM-DD",
        ),
        (
            write(
                "doc.json",
                b"{\"format\": \"regtrace\", \"version\": 1, \"nodes\": [{\"id\": 1}]}",
            ),
            "invalid node",
        ),
        (write("notes.txt", b"hello"), "unknown file type"),
    ];
    for (path, expect) in cases {
        let stderr = stderr_of(regtrace().arg("check").arg(&path), 2);
        assert!(
            stderr.contains(expect),
            "{}: expected {expect:?} in\n{stderr}",
            path.display()
        );
        assert!(
            stderr.contains(&path.display().to_string()),
            "the file is named: {stderr}"
        );
    }
}

#[test]
fn a_utf8_bom_and_crlf_line_ends_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("nodes.csv"),
        "\u{feff}id,kind,title\r\nA,device,Pump\r\n",
    )
    .unwrap();
    regtrace()
        .arg("check")
        .arg(dir.path())
        .assert()
        .success()
        .stdout("ok: 1 nodes, 0 edges, 26 relations in the catalog; nothing written\n");
}

#[test]
fn a_self_relation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nodes.csv"), "id,kind,title\nA,standard,x\n").unwrap();
    std::fs::write(dir.path().join("edges.csv"), "from,to,relation\nA,A,cites\n").unwrap();
    let stderr = stderr_of(regtrace().arg("check").arg(dir.path()), 2);
    assert!(
        stderr.contains("edges.csv:2: error: node \"A\" relates to itself (cites)"),
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
