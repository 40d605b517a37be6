//! Issue 40, modelling one's own product: a device names the standards it conforms to, a
//! national standard adopts an international one, and links can be written on their own.

use crate::{fixture, fresh_db, json, regtrace, stderr_of, stdout};

/// The ids an impact answer (JSON) reaches.
fn reached(db: &str, id: &str) -> Vec<String> {
    let answer = json(&["--db", db, "impact", id, "--format", "json"]);
    let hits = answer["impacted"].as_array().expect("impacted");
    hits.iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_device_conforms_to_standards_and_a_change_to_an_adopted_one_reaches_it() {
    let (_dir, db) = fresh_db(&[fixture("own-product")]);
    // ISO 14971:2019 → adopted by JIS T 14971:2020 → declared by the pump.
    let hits = reached(&db, "iso-14971-2019");
    assert_eq!(hits, ["jis-t-14971-2020", "dev-own-pump"]);
    let chain = stdout(&["--db", &db, "impact", "iso-14971-2019"]);
    assert!(
        chain.contains("dev-own-pump —conforms_to→ jis-t-14971-2020 —adopts→ iso-14971-2019"),
        "{chain}"
    );
    assert_eq!(reached(&db, "iec-62304-2006-amd1-2015"), ["dev-own-pump"]);
    // What the pump rests on, both standards and the one the JIS adopts.
    let deps = json(&["--db", &db, "deps", "dev-own-pump", "--format", "json"]);
    let ids: Vec<&str> = deps["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    // A guideline may not declare conformity: the catalog says who may.
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[node]]\nid = \"gl-x\"\nkind = \"guideline\"\ntitle = \"X\"\n\n\
         [[edge]]\nfrom = \"gl-x\"\nrelation = \"conforms_to\"\nto = \"iso-14971-2019\"\n",
    )
    .unwrap();
    let err = stderr_of(
        regtrace()
            .arg("check")
            .arg(fixture("own-product/standards.toml"))
            .arg(&bad),
        2,
    );
    assert!(err.contains("bad.toml:6") && err.contains("conforms_to"), "{err}");
}

#[test]
fn an_edge_table_is_read_as_the_help_says_and_its_mistakes_are_placed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("links.toml");
    // A file of links only, with a typo in a key.
    std::fs::write(
        &file,
        "[[edge]]\nfrom = \"dev-own-pump\"\nrelation = \"conforms_to\"\nto = \"iso-14971-2019\"\n\n\
         [[edge]]\nfrom = \"dev-own-pump\"\nrelaton = \"conforms_to\"\nto = \"iec-62304-2006-amd1-2015\"\n",
    )
    .unwrap();
    let err = stderr_of(
        regtrace()
            .arg("check")
            .arg(fixture("own-product/standards.toml"))
            .arg(fixture("own-product/pump.toml"))
            .arg(&file),
        2,
    );
    assert!(err.contains("links.toml:8") && err.contains("relaton"), "{err}");
    assert!(
        err.contains("[[edge]] tables (from, relation, to, source)"),
        "{err}"
    );
    // Fixed, the links are read: the pump now conforms to ISO 14971:2019 directly too.
    std::fs::write(
        &file,
        "[[edge]]\nfrom = \"dev-own-pump\"\nrelation = \"conforms_to\"\nto = \"iso-14971-2019\"\n",
    )
    .unwrap();
    let db = dir.path().join("own.db");
    crate::import_into(&db, &[fixture("own-product"), file]);
    let shown = json(&[
        "--db",
        db.to_str().unwrap(),
        "show",
        "dev-own-pump",
        "--format",
        "json",
    ]);
    let outgoing = shown["outgoing"].as_array().unwrap();
    assert_eq!(outgoing.len(), 3, "{shown}");
}

/// A node rejected for its own problem (a bad date) used to hide every problem of its links:
/// fixing the date revealed a misspelt relation in a second run. One run names both.
#[test]
fn check_reports_every_problem_of_every_kind_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("two.toml");
    std::fs::write(
        &data,
        "[[node]]\nid = \"a\"\nkind = \"guideline\"\ntitle = \"A\"\npublished = \"2020-13-01\"\n\
         [node.relations]\ncitez = [\"b\"]\n\n\
         [[node]]\nid = \"b\"\nkind = \"standard\"\ntitle = \"B\"\n",
    )
    .unwrap();
    let err = stderr_of(regtrace().arg("check").arg(&data), 2);
    assert!(
        err.contains("two.toml:5:13: error: bad `published` date"),
        "{err}"
    );
    assert!(
        err.contains("two.toml:7:10: error: unknown relation \"citez\""),
        "{err}"
    );
    assert!(err.contains("2 problems found"), "{err}");
    // No cascade either: the rejected node's links are not reported as dangling.
    assert!(!err.contains("unknown node"), "{err}");
}
