//! Issue 40, modelling one's own product: `init` writes a starter data set, a device names the
//! standards it conforms to, a national standard adopts an international one, and links can be
//! written on their own. (crates/regtrace-app/templates/pump is what `init --template pump` writes.)

use crate::{fresh_db, json, regtrace, stderr_of, stdout};

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
    let (_dir, db) = fresh_db(&[crate::repo("crates/regtrace-app/templates/pump")]);
    // ISO 14971:2019 → adopted by JIS T 14971:2020 → declared by the pump.
    let hits = reached(&db, "iso-14971-2019");
    assert_eq!(hits, ["jis-t-14971-2020", "dev-my-pump"]);
    let chain = stdout(&["--db", &db, "impact", "iso-14971-2019"]);
    assert!(
        chain.contains("dev-my-pump —conforms_to→ jis-t-14971-2020 —adopts→ iso-14971-2019"),
        "{chain}"
    );
    assert_eq!(reached(&db, "iec-62304-2006-amd1-2015"), ["dev-my-pump"]);
    // What the pump rests on: the four standards it declares and the one the JIS adopts.
    let deps = json(&["--db", &db, "deps", "dev-my-pump", "--format", "json"]);
    let ids: Vec<&str> = deps["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 5, "{ids:?}");
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
            .arg(crate::repo("crates/regtrace-app/templates/pump/standards.toml"))
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
        "[[edge]]\nfrom = \"dev-my-pump\"\nrelation = \"conforms_to\"\nto = \"iso-14971-2019\"\n\n\
         [[edge]]\nfrom = \"dev-my-pump\"\nrelaton = \"conforms_to\"\nto = \"iec-62304-2006-amd1-2015\"\n",
    )
    .unwrap();
    let err = stderr_of(
        regtrace()
            .arg("check")
            .arg(crate::repo("crates/regtrace-app/templates/pump/standards.toml"))
            .arg(crate::repo("crates/regtrace-app/templates/pump/pump.toml"))
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
        "[[edge]]\nfrom = \"dev-my-pump\"\nrelation = \"conforms_to\"\nto = \"iso-14971-2019\"\n",
    )
    .unwrap();
    let db = dir.path().join("own.db");
    crate::import_into(&db, &[crate::repo("crates/regtrace-app/templates/pump"), file]);
    let shown = json(&[
        "--db",
        db.to_str().unwrap(),
        "show",
        "dev-my-pump",
        "--format",
        "json",
    ]);
    let outgoing = shown["outgoing"].as_array().unwrap();
    assert_eq!(outgoing.len(), 5, "{shown}");
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

/// Every template imports as written, and its audit (scoped by its own `[report]` table) is
/// clean; init never writes into a directory that holds anything.
#[test]
fn init_writes_a_starter_data_set_that_imports_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    // The blank one's audit says what to do first: link the device (one warning).
    let templates = [
        ("blank", "dev-my-device", 4, 1),
        ("device", "dev-my-device", 5, 0),
        ("pump", "dev-my-pump", 5, 0),
    ];
    for (template, device, files, warnings) in templates {
        let target = dir.path().join(template);
        let said = regtrace()
            .args(["init", "--template", template])
            .arg(&target)
            .output()
            .unwrap();
        assert!(said.status.success(), "{said:?}");
        let said = String::from_utf8(said.stdout).unwrap();
        assert!(said.contains(&format!("rename {device}")), "{said}");
        assert_eq!(std::fs::read_dir(&target).unwrap().count(), files, "{template}");
        assert!(
            target.join("catalog.toml").is_file(),
            "{template}: a catalog copy to edit"
        );
        let db = dir.path().join(format!("{template}.db"));
        crate::import_into(&db, std::slice::from_ref(&target));
        let db = db.to_str().unwrap();
        let audited = json(&["--db", db, "audit", "--format", "json"]);
        assert_eq!(audited["summary"]["warning"], warnings, "{template}: {audited}");
        assert_eq!(audited["document"]["scope"]["nodes"][0], device, "{template}");
        // Not again into the same directory: nothing is overwritten.
        let before = std::fs::read(target.join("audit.toml")).unwrap();
        let err = stderr_of(regtrace().args(["init", "--template", template]).arg(&target), 2);
        assert!(err.contains("is not empty"), "{err}");
        assert_eq!(std::fs::read(target.join("audit.toml")).unwrap(), before);
    }
    // The pump as written is the shipped template, byte for byte.
    for file in ["pump.toml", "standards.toml", "audit.toml"] {
        let written = std::fs::read(dir.path().join("pump").join(file)).unwrap();
        assert!(
            written == std::fs::read(crate::repo("crates/regtrace-app/templates/pump").join(file)).unwrap(),
            "{file}"
        );
    }
    // In Japanese too.
    let said = stdout(&["--lang", "ja", "init", dir.path().join("ja").to_str().unwrap()]);
    assert!(said.contains("初期データセットを書き込みました"), "{said}");
}

/// The README's walkthrough of one's own product runs as written.
#[test]
fn the_readme_own_product_block_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let said = crate::run_readme_lines(&crate::readme_block("own product"), dir.path());
    assert_eq!(said.len(), 5);
    assert!(
        said[3].contains("dev-my-pump —conforms_to→ jis-t-14971-2020 —adopts→ iso-14971-2019"),
        "{}",
        said[3]
    );
    assert!(said[4].contains("0 errors, 0 warnings"), "{}", said[4]);
}

/// The starter workbook, filled as a person would in Excel (tests/fill-template.py with
/// openpyxl: each value from its drop-down), imports beside the TOML files. CI installs openpyxl
/// and sets CI; elsewhere a missing openpyxl skips the check with a note.
#[test]
fn the_starter_workbook_filled_from_its_drop_downs_imports() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("mine");
    regtrace().arg("init").arg(&target).assert().success();
    let script = crate::repo("tests/fill-template.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(target.join("data.xlsx"))
        .output();
    let out = match out {
        Ok(out) if out.status.code() == Some(3) && std::env::var_os("CI").is_none() => {
            eprintln!(
                "note: {}the workbook check did not run",
                String::from_utf8_lossy(&out.stderr)
            );
            return;
        }
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("note: python3 is not available ({e}); the workbook check did not run");
            return;
        }
        Err(e) => panic!("python3 is needed under CI: {e}"),
    };
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let db = dir.path().join("mine.db");
    crate::import_into(&db, std::slice::from_ref(&target));
    let db = db.to_str().unwrap();
    // The blank device now conforms to the standard typed into the workbook: covered.
    let audited = json(&["--db", db, "audit", "--format", "json"]);
    assert_eq!(audited["summary"]["warning"], 0, "{audited}");
    let shown = json(&["--db", db, "show", "dev-my-device", "--format", "json"]);
    assert_eq!(shown["outgoing"][0]["id"], "iso-14971-2019", "{shown}");
    assert_eq!(shown["outgoing"][0]["relation"], "conforms_to", "{shown}");
}
