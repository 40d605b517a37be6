//! `diff OLD NEW` between two directories and between two git revisions of a temporary
//! repository. The new side is the editions fixture with: a content change (a test method's
//! title), a title reworded on a standard (not in a standard's fingerprint), a whitespace-only
//! edit, a guideline removed and one added.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fixture, json, regtrace, stderr_of};

const FILE: &str = "biocompatibility.toml";

fn edited(text: &str) -> String {
    let mut blocks: Vec<String> = text
        .split("[[node]]")
        .filter(|b| !b.contains("id = \"gl-undated\""))
        .map(str::to_owned)
        .collect();
    blocks.push(
        "\nid = \"gl-new\"\nkind = \"guideline\"\ntitle = \"A new guideline\"\n[node.relations]\nrequires = [\"ei-contact-category\"]\n"
            .to_owned(),
    );
    let text = blocks.join("[[node]]");
    let replace = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    };
    let text = replace(
        text,
        "title = \"Biological evaluation plan\"",
        "title = \"Biological evaluation plan and report\"",
    );
    let text = replace(
        text,
        "title = \"ISO 10993-1:2009 Biological evaluation of medical devices — Part 1\"",
        "title = \"ISO 10993-1:2009 Biological evaluation of medical devices — Part 1: Evaluation and testing\"",
    );
    replace(
        text,
        "title = \"Guideline W (cites the whole 2009 edition)\"",
        "title = \"Guideline W  (cites the whole 2009 edition)\"",
    )
}

fn write_side(dir: &Path, text: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(FILE), text).unwrap();
}

fn original() -> String {
    std::fs::read_to_string(fixture("editions").join(FILE)).unwrap()
}

/// The parts of a diff document that do not name the sides.
fn answer(mut document: serde_json::Value) -> serde_json::Value {
    let object = document.as_object_mut().unwrap();
    object.remove("old");
    object.remove("new");
    document
}

fn check(document: &serde_json::Value) {
    let ids = |key: &str| -> Vec<String> {
        document[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(document["identical"], false);
    assert_eq!(ids("added"), ["gl-new"]);
    assert_eq!(ids("removed"), ["gl-undated"]);
    let changed: Vec<(String, bool, String, bool)> = document["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let field = &c["fields"][0];
            (
                c["id"].as_str().unwrap().to_owned(),
                c["content_changed"].as_bool().unwrap(),
                field["field"].as_str().unwrap().to_owned(),
                field["whitespace_only"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("gl-whole".into(), false, "title".into(), true),
            ("iso-10993-1-2009".into(), false, "title".into(), false),
            ("tm-evaluation-plan".into(), true, "title".into(), false),
        ]
    );
    let edge = |e: &serde_json::Value| {
        format!(
            "{} {} {}",
            e["from"].as_str().unwrap(),
            e["relation"].as_str().unwrap(),
            e["to"].as_str().unwrap()
        )
    };
    let edges = |key: &str| {
        document[key]
            .as_array()
            .unwrap()
            .iter()
            .map(edge)
            .collect::<Vec<_>>()
    };
    assert_eq!(edges("edges_added"), ["gl-new requires ei-contact-category"]);
    assert_eq!(edges("edges_removed"), ["gl-undated cites iso-10993-1"]);

    let impact = &document["impact"];
    let roots: Vec<(String, Vec<String>)> = impact["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["causes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        roots,
        [
            (
                "gl-new".to_owned(),
                vec![
                    "added".to_owned(),
                    "link added: gl-new requires ei-contact-category".to_owned()
                ]
            ),
            (
                "gl-undated".to_owned(),
                vec![
                    "removed".to_owned(),
                    "link removed: gl-undated cites iso-10993-1".to_owned()
                ]
            ),
            (
                "tm-evaluation-plan".to_owned(),
                vec!["content changed".to_owned()]
            ),
        ]
    );
    // Only the content change reaches further: the item it verifies and the guideline on it.
    let hits: Vec<String> = impact["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["id"].as_str().unwrap(), h["path"][0].as_str().unwrap()))
        .collect();
    assert_eq!(
        hits,
        [
            "ei-biological-safety tm-evaluation-plan",
            "gl-catheter-y tm-evaluation-plan"
        ]
    );
}

/// Writes the old and the new side as directories under `root` and diffs them with --impact.
fn diff_of_directories(root: &Path) -> (PathBuf, PathBuf, serde_json::Value) {
    let (old, new) = (root.join("old"), root.join("new"));
    write_side(&old, &original());
    write_side(&new, &edited(&original()));
    let document = json(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--impact",
        "--format",
        "json",
    ]);
    (old, new, document)
}

#[test]
fn diff_of_two_directories_lists_changes_field_by_field_and_their_impact() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new, document) = diff_of_directories(dir.path());
    check(&document);

    // Identical sides: nothing, and a database compares like its source directory.
    let db = dir.path().join("old.db");
    crate::import_into(&db, std::slice::from_ref(&old));
    let same = json(&[
        "diff",
        old.to_str().unwrap(),
        db.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(same["identical"], true, "{same}");
    let from_db = json(&[
        "diff",
        db.to_str().unwrap(),
        new.to_str().unwrap(),
        "--impact",
        "--format",
        "json",
    ]);
    check(&from_db);

    let table = crate::stdout(&["diff", old.to_str().unwrap(), new.to_str().unwrap(), "--impact"]);
    assert!(table.contains("title: \"Guideline W (cites the whole 2009 edition)\" → \"Guideline W  (cites the whole 2009 edition)\"  (whitespace only)"), "{table}");
    assert!(
        table.contains("1 added, 1 removed, 3 changed (1 in content)"),
        "{table}"
    );
}

fn git(repo: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=regtrace tests",
            "-c",
            "user.email=tests@example.invalid",
        ])
        .args(args)
        .current_dir(repo)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn diff_of_two_git_revisions_reads_them_without_touching_the_working_tree() {
    let repo = tempfile::tempdir().unwrap();
    let data = repo.path().join("data");
    git(repo.path(), &["init", "-q"]);
    write_side(&data, &original());
    git(repo.path(), &["add", "data"]);
    git(repo.path(), &["commit", "-q", "-m", "old"]);
    write_side(&data, &edited(&original()));
    git(repo.path(), &["commit", "-q", "-am", "new"]);
    // The working tree now differs from both revisions; diff must not read it.
    std::fs::write(data.join(FILE), "not even TOML [[[").unwrap();

    let run = |args: &[&str]| {
        let output = regtrace().args(args).current_dir(repo.path()).output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&output.stdout).unwrap()
    };
    let document = run(&[
        "diff",
        "git:HEAD~1:data",
        "git:HEAD:data",
        "--impact",
        "--format",
        "json",
    ]);
    check(&document);

    // The same answer as two directories holding the two revisions.
    let dirs = tempfile::tempdir().unwrap();
    let (_, _, from_dirs) = diff_of_directories(dirs.path());
    assert_eq!(answer(document), answer(from_dirs));

    // A path inside the repository, from a subdirectory, and a file rather than a directory.
    let sub = Command::new(env!("CARGO_BIN_EXE_regtrace"))
        .args([
            "diff",
            &format!("git:HEAD~1:{FILE}"),
            &format!("git:HEAD:{FILE}"),
            "--format",
            "json",
        ])
        .current_dir(&data)
        .output()
        .unwrap();
    assert!(sub.status.success(), "{}", String::from_utf8_lossy(&sub.stderr));
    let sub: serde_json::Value = serde_json::from_slice(&sub.stdout).unwrap();
    assert_eq!(sub["added"][0]["id"], "gl-new");

    // A revision that does not exist is a clear error.
    let err = stderr_of(
        regtrace()
            .args(["diff", "git:no-such-rev:data", "git:HEAD:data"])
            .current_dir(repo.path()),
        2,
    );
    assert!(
        err.contains("git:no-such-rev:data") && err.contains("revision"),
        "{err}"
    );
    let err = stderr_of(
        regtrace()
            .args(["diff", "git:HEAD", "data"])
            .current_dir(repo.path()),
        2,
    );
    assert!(err.contains("git:REV:PATH"), "{err}");
}

/// The catalog's review kinds: what a recorded change opens reviews for.
const REVIEW_KINDS: [&str; 5] = [
    "guideline",
    "evaluation_index",
    "evaluation_item",
    "test_method",
    "device",
];

/// A copy of the database `old` named `name`, with `files` merged into it and their changes
/// recorded (as of 2020-08-20): the nodes the merge opened reviews of, and what `diff old new
/// --impact` says is impacted, of the review kinds.
fn reviews_and_diff_impact(
    old: &Path,
    name: &str,
    files: &[PathBuf],
) -> (BTreeSet<String>, BTreeSet<String>) {
    let new = old.with_file_name(format!("{name}.db"));
    std::fs::copy(old, &new).unwrap();
    let new = new.to_str().unwrap();
    regtrace()
        .args([
            "--db",
            new,
            "import",
            "--merge",
            "--record-changes",
            "--date",
            "2020-08-20",
        ])
        .args(files)
        .assert()
        .success();
    let listed = json(&["--db", new, "review", "list", "--format", "json"]);
    let reviewed = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap().to_owned())
        .collect();
    let diff = json(&["diff", old.to_str().unwrap(), new, "--impact", "--format", "json"]);
    let impacted = diff["impact"]["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| REVIEW_KINDS.contains(&h["kind"].as_str().unwrap()))
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();
    (reviewed, impacted)
}

/// Issue 36, item 5: `diff OLD NEW --impact` names what `import --merge --record-changes` of the
/// same files opens reviews for (a new edition superseding a stored one propagates nothing
/// along its own link; before, diff said "0 impacted" where the merge opened 8 reviews): on the
/// pump, with the stored edition retired by the merge, and with the files giving it again.
#[test]
fn diff_impact_names_what_a_recording_merge_of_the_same_files_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let (v1, v2) = (fixture("pump/v1"), fixture("pump/v2"));
    let old = dir.path().join("old.db");
    crate::import_into(&old, std::slice::from_ref(&v1));
    for (name, files) in [
        ("retired", vec![v2.clone()]),
        ("kept", vec![v1.clone(), v2.clone()]),
    ] {
        let (reviewed, impacted) = reviews_and_diff_impact(&old, name, &files);
        assert_eq!(reviewed.len(), 8, "{name}: {reviewed:?}");
        assert_eq!(impacted, reviewed, "{name}");
    }
}

/// The same promise on the benchmark generator's data (regtrace-workload, scale 0.002): new
/// editions of its most-cited and of a typical standard, merged with their changes recorded, open
/// reviews for exactly the nodes of the review kinds that `diff --impact` of the same two
/// databases names (1,639 of them at this scale and seed).
#[test]
fn diff_impact_equals_the_merges_reviews_on_the_generators_data() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = dir.path().join("v1");
    std::fs::create_dir(&v1).unwrap();
    let summary = regtrace_workload::write_csv(0.002, 2026, &v1).unwrap();
    let v2 = dir.path().join("v2");
    std::fs::create_dir(&v2).unwrap();
    let (a, b) = (&summary.most_cited, &summary.typical);
    std::fs::write(
        v2.join("nodes.csv"),
        format!(
            "id,kind,title,status,published\n\
             {a}-ed2,standard,{a} edition 2,published,2020-01-01\n\
             {b}-ed2,standard,{b} edition 2,published,2020-01-01\n"
        ),
    )
    .unwrap();
    std::fs::write(
        v2.join("edges.csv"),
        format!("from,to,relation\n{a}-ed2,{a},supersedes\n{b}-ed2,{b},supersedes\n"),
    )
    .unwrap();
    let old = dir.path().join("old.db");
    crate::import_into(&old, std::slice::from_ref(&v1));
    let (reviewed, impacted) = reviews_and_diff_impact(&old, "new", &[v2]);
    assert_eq!(reviewed.len(), 1639);
    assert_eq!(impacted, reviewed);
}
