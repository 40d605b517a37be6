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
    // Directories are walked for .toml, .csv, .json, .reqif and .reqifz; a file named outright
    // must be one.
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

/// Every graph walk is iterative: a million-link chain in an acyclic relation checks, and a
/// million-link cycle in one is reported as one cycle (named by its first nodes and counted),
/// where the recursive cycle search overflowed the stack (exit 134).
#[test]
fn a_million_link_chain_or_cycle_is_checked_without_overflowing_the_stack() {
    let dir = tempfile::tempdir().unwrap();
    let n = 1_000_000;
    let mut nodes = String::from("id,kind,title\n");
    let mut edges = String::from("from,to,relation\n");
    for i in 0..n {
        nodes.push_str(&format!("S{i},standard,Standard {i}\n"));
        if i > 0 {
            edges.push_str(&format!("S{i},S{},supersedes\n", i - 1));
        }
    }
    let (nodes_csv, edges_csv) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
    std::fs::write(&nodes_csv, &nodes).unwrap();
    std::fs::write(&edges_csv, &edges).unwrap();
    regtrace()
        .arg("check")
        .args([&nodes_csv, &edges_csv])
        .assert()
        .success();

    edges.push_str(&format!("S0,S{},supersedes\n", n - 1));
    std::fs::write(&edges_csv, &edges).unwrap();
    let stderr = stderr_of(regtrace().arg("check").args([&nodes_csv, &edges_csv]), 2);
    assert!(
        stderr.contains("cycle in \"supersedes\" chain: S0, S1, S2, "),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(
        stderr.contains("(1000000 nodes in all)"),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(stderr.len() < 2_000, "the cycle is named, not listed whole");
}

/// Locations in a large TOML file are found by a line index: each node's line was found by
/// rescanning the file from the top, so 100,000 nodes in one file took over ten minutes.
#[test]
fn a_hundred_thousand_nodes_in_one_toml_file_check_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.toml");
    let mut text = String::new();
    for i in 0..100_000 {
        text.push_str(&format!(
            "[[node]]\nid = \"S{i}\"\nkind = \"standard\"\ntitle = \"S {i}\"\n"
        ));
        if i > 0 {
            text.push_str(&format!("[node.relations]\nsupersedes = [\"S{}\"]\n", i - 1));
        }
    }
    // One mistake at the end, to check its line is still exact.
    text.push_str("[[node]]\nid = \"S0\"\nkind = \"standard\"\ntitle = \"again\"\n");
    std::fs::write(&file, &text).unwrap();
    let output = crate::finishes_within(
        [std::ffi::OsStr::new("check"), file.as_os_str()],
        std::time::Duration::from_secs(120),
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    let last_node_line = text.lines().count() - 3;
    assert!(
        stderr.contains(&format!("chain.toml:{last_node_line}")),
        "{}",
        &stderr[..stderr.len().min(600)]
    );
}

/// The file system cannot make regtrace hang or read a directory twice: symbolic links back up
/// the tree are one diagnostic (they grew without bound), a FIFO among the data files or planted
/// as the snapshot is never opened (reading it waited forever), and a file named twice is one
/// "the same file" diagnostic instead of a duplicate-id error per node.
#[test]
fn links_back_up_fifos_and_files_named_twice_are_reported_not_followed() {
    use std::ffi::OsStr;
    use std::time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for file in ["guidelines.toml", "standards.toml"] {
        std::fs::copy(fixture("small").join(file), data.join(file)).unwrap();
    }
    let check = |args: &[&OsStr]| {
        let mut all = vec![OsStr::new("check")];
        all.extend_from_slice(args);
        let output = crate::finishes_within(all, Duration::from_secs(60));
        (output.status.code(), String::from_utf8(output.stderr).unwrap())
    };

    std::os::unix::fs::symlink("..", data.join("up")).unwrap();
    std::os::unix::fs::symlink("..", data.join("up2")).unwrap();
    let (code, stderr) = check(&[data.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("loops back"), "{stderr}");
    assert!(!stderr.contains("duplicate"), "{stderr}");
    assert!(stderr.ends_with("1 problem found\n"), "{stderr}");
    std::fs::remove_file(data.join("up")).unwrap();
    std::fs::remove_file(data.join("up2")).unwrap();

    let fifo = data.join("more.toml");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let (code, stderr) = check(&[data.as_os_str()]);
        assert_eq!(code, Some(2), "{stderr}");
        assert!(
            stderr.contains("named pipe (FIFO), not a regular file"),
            "{stderr}"
        );
        std::fs::remove_file(&fifo).unwrap();

        // A FIFO planted as the snapshot: queries read the rows instead of waiting on it.
        let db = dir.path().join("x.db");
        import_into(&db, std::slice::from_ref(&data));
        let snapshot = dir.path().join("x.db-snapshot");
        std::fs::remove_file(&snapshot).unwrap();
        std::process::Command::new("mkfifo")
            .arg(&snapshot)
            .status()
            .unwrap();
        let output = crate::finishes_within(
            [OsStr::new("--db"), db.as_os_str(), OsStr::new("stats")],
            Duration::from_secs(60),
        );
        assert!(output.status.success());
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.contains("query snapshot: not current"), "{stdout}");
    }

    let file = data.join("guidelines.toml");
    let (code, stderr) = check(&[
        file.as_os_str(),
        data.join("standards.toml").as_os_str(),
        file.as_os_str(),
    ]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("the same file as"), "{stderr}");
    assert!(!stderr.contains("duplicate"), "{stderr}");
    assert!(stderr.ends_with("1 problem found\n"), "{stderr}");
}

/// A CSV header's columns are checked in one pass: 40,000 columns took 15.8 s (each compared
/// with every earlier one). 100,000 attribute columns, then a repeat at the end, found at once.
#[test]
fn a_hundred_thousand_column_header_is_checked_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nodes.csv");
    let columns: Vec<String> = (0..100_000).map(|i| format!("a{i}")).collect();
    let cells: Vec<&str> = columns.iter().map(|_| "x").collect();
    let text = format!(
        "id,kind,title,{},attributes.a5\nA,device,Pump,{},y\n",
        columns.join(","),
        cells.join(",")
    );
    std::fs::write(&file, text).unwrap();
    let output = crate::finishes_within(
        [std::ffi::OsStr::new("check"), file.as_os_str()],
        std::time::Duration::from_secs(120),
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
    assert!(
        stderr.contains(
            "columns `a5` (column 9) and `attributes.a5` (column 100004) both hold the attribute `a5`"
        ),
        "{}",
        &stderr[..stderr.len().min(500)]
    );
}
