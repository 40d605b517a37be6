//! Data that is not regtrace's own: Excel workbooks (exported, edited, imported back), FDA's
//! product classification file and the EU's harmonised standards (tests/fixtures/fda and
//! tests/fixtures/eu-mdr, see their NOTICE), each counted independently of regtrace's readers.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{data, fixture, json, regtrace, sheet, stdout};

/// Writes a workbook of `sheets` (every cell as text) with rust_xlsxwriter: what a person
/// saving from Excel would give regtrace.
fn write_workbook(path: &Path, sheets: &[(&str, Vec<Vec<String>>)]) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = workbook.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet.write_string(r as u32, c as u16, cell).unwrap();
                }
            }
        }
    }
    workbook.save(path).unwrap();
}

/// The nodes and edges of a database, as its JSON export has them.
fn nodes_and_edges(db: &str) -> (Value, Value) {
    let document = json(&["--db", db, "export", "--format", "json"]);
    (document["nodes"].clone(), document["edges"].clone())
}

fn import(db: &Path, args: &[&str], paths: &[PathBuf]) -> String {
    let output = regtrace()
        .arg("--db")
        .arg(db)
        .arg("import")
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "import failed: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_workbook_round_trips_and_an_edited_cell_is_exactly_the_change_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first.db"), dir.path().join("second.db"));
    import(&first, &[], &[data("meti-2013")]);
    let book = dir.path().join("data.xlsx");
    let first_db = first.to_str().unwrap();
    regtrace()
        .args(["--db", first_db, "export", "--format", "xlsx", "-o"])
        .arg(&book)
        .assert()
        .success();

    // The workbook holds every node and edge (counted with calamine), and imports back as the
    // same data, Japanese titles and dates included.
    let stats = json(&["--db", first_db, "stats", "--format", "json"]);
    let nodes = sheet(&book, "nodes");
    let edges = sheet(&book, "edges");
    assert_eq!(nodes.len() - 1, stats["nodes"].as_u64().unwrap() as usize);
    assert_eq!(edges.len() - 1, stats["edges"].as_u64().unwrap() as usize);
    assert_eq!(&nodes[0][..3], ["id", "kind", "title"]);
    import(&second, &[], std::slice::from_ref(&book));
    assert_eq!(
        nodes_and_edges(first_db),
        nodes_and_edges(second.to_str().unwrap())
    );

    // Edited as a person would: one title, and one new title that looks like a formula. The
    // merge records exactly those two nodes as changed.
    let title = nodes[0].iter().position(|c| c == "title").unwrap();
    let (mut edited, mut rows) = (nodes.clone(), Vec::new());
    let pick = |id: &str| edited.iter().position(|r| r[0] == id).unwrap();
    let (law, wg) = (pick("jp-pal-revision-2013"), pick("wg-dna-chip"));
    edited[law][title] = "Pharmaceutical Affairs Law revision (2013), as amended".into();
    edited[wg][title] = "=HYPERLINK(\"x\")".into();
    rows.push(("nodes", edited));
    rows.push(("edges", edges));
    let changed = dir.path().join("edited.xlsx");
    write_workbook(&changed, &rows);
    let said = import(
        &first,
        &[
            "--merge",
            "--record-changes",
            "--date",
            "2026-12-01",
            "--by",
            "QA",
        ],
        &[changed],
    );
    assert!(said.contains("2 updated"), "{said}");
    let events = json(&["--db", first_db, "change", "list", "--format", "json"]);
    let mut changed: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].as_str().unwrap())
        .collect();
    changed.sort_unstable();
    assert_eq!(changed, ["jp-pal-revision-2013", "wg-dna-chip"]);
    let shown = json(&["--db", first_db, "show", "wg-dna-chip", "--format", "json"]);
    assert_eq!(shown["node"]["title"], "=HYPERLINK(\"x\")", "{shown}");

    // Written out again, the formula-looking title is text, and reads back as the same text.
    let again = dir.path().join("again.xlsx");
    regtrace()
        .args(["--db", first_db, "export", "--format", "xlsx", "-o"])
        .arg(&again)
        .assert()
        .success();
    let third = dir.path().join("third.db");
    import(&third, &[], &[again]);
    let shown = json(&[
        "--db",
        third.to_str().unwrap(),
        "show",
        "wg-dna-chip",
        "--format",
        "json",
    ]);
    assert_eq!(shown["node"]["title"], "=HYPERLINK(\"x\")");
}

#[test]
fn the_workbook_has_a_read_only_reviews_sheet_when_there_is_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    import(&db, &[], &[data("meti-2013")]);
    let db = db.to_str().unwrap();
    regtrace()
        .args([
            "--db",
            db,
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "revised",
            "--date",
            "2026-12-01",
        ])
        .assert()
        .success();
    let reviews = json(&["--db", db, "review", "list", "--format", "json"]);
    let book = dir.path().join("data.xlsx");
    regtrace()
        .args(["--db", db, "export", "--format", "xlsx", "-o"])
        .arg(&book)
        .assert()
        .success();
    let rows = sheet(&book, "reviews");
    let listed: Vec<String> = reviews
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap().to_owned())
        .collect();
    assert!(listed.len() > 1);
    let in_sheet: Vec<String> = rows[1..].iter().map(|r| r[5].clone()).collect();
    assert_eq!(in_sheet, listed);
    assert!(
        rows[1..]
            .iter()
            .all(|r| r[2] == "jp-pal-revision-2013" && r[8] == "open")
    );
    // Protected: decisions are recorded with `review close`, not typed into a copy.
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&book).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet3.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains("<sheetProtection"), "the reviews sheet is protected");
    // The workbook still imports (the reviews sheet is not data).
    let copy = dir.path().join("copy.db");
    import(&copy, &[], &[book]);
}

/// The product codes of FDA's file, counted without regtrace: the third field of every line
/// after the header, decoded byte by byte (codes are ASCII).
fn product_codes(path: &Path) -> std::collections::BTreeSet<String> {
    let bytes = std::fs::read(path).unwrap();
    bytes
        .split(|b| *b == b'\n')
        .skip(1)
        .filter(|line| !line.iter().all(u8::is_ascii_whitespace))
        .map(|line| String::from_utf8_lossy(line.split(|b| *b == b'|').nth(2).unwrap()).into_owned())
        .collect()
}

/// A newer edition of FDA's file, made from the 2016 one: BRX removed, BRW moved to 868.6100,
/// BRY reclassified (class 1 to 2), BSA renamed, ZZZ added under 868.5820; Windows-1252 and
/// CRLF as FDA writes it.
fn newer_edition(from: &Path, to: &Path) {
    let bytes = std::fs::read(from).unwrap();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        let mut fields: Vec<Vec<u8>> = line.split(|b| *b == b'|').map(<[u8]>::to_vec).collect();
        if i > 0 {
            match &fields[2][..] {
                b"BRX" => continue,
                b"BRW" => fields[9] = b"868.6100".to_vec(),
                b"BRY" => fields[4] = b"2".to_vec(),
                b"BSA" => fields[3] = b"Renamed \x93device\x94".to_vec(),
                _ => {}
            }
        }
        out.push(fields.join(&b'|'));
    }
    out.push(b"AN|AN|ZZZ|Test, New Code|2||N|N||868.5820|1|||||N|N".to_vec());
    let mut text = out.join(&b"\r\n"[..]);
    text.extend_from_slice(b"\r\n");
    std::fs::write(to, text).unwrap();
}

#[test]
fn the_fda_classification_imports_whole_and_a_newer_edition_diffs_with_its_impact() {
    let file = fixture("fda/foiclass-2016.txt");
    let codes = product_codes(&file);
    assert_eq!(codes.len(), 6162);
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    let from = ["--from", "fda-product-classification"];
    // FDA's list with our own data beside it: our protector is of product code BRW.
    let ours = fixture("sources/our-fda-devices.toml");
    import(&old, &from, &[file.clone(), ours.clone()]);
    let old = old.to_str().unwrap();
    let stats = json(&["--db", old, "stats", "--format", "json"]);
    assert_eq!(
        stats["kinds"]["device"]["total"].as_u64(),
        Some(6162 + 1),
        "{stats}"
    );
    let shown = json(&["--db", old, "show", "fda-pc-BRW", "--format", "json"]);
    assert_eq!(shown["node"]["title"], "Protector, Dental");
    assert_eq!(shown["node"]["attributes"]["fda.device_class"], "1");
    let regulation = json(&["--db", old, "show", "cfr-21-868.5820", "--format", "json"]);
    assert_eq!(regulation["node"]["attributes"]["cfr.part"], "868");

    let newer = dir.path().join("foiclass-newer.txt");
    newer_edition(&file, &newer);
    let new = dir.path().join("new.db");
    import(&new, &from, &[newer, ours]);
    let diff = json(&["diff", old, new.to_str().unwrap(), "--impact", "--format", "json"]);
    let ids = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("added"), ["fda-pc-ZZZ"]);
    assert_eq!(
        ids("removed"),
        ["cfr-21-868.6700", "fda-pc-BRX"],
        "868.6700 had only BRX"
    );
    assert_eq!(
        ids("changed"),
        ["fda-pc-BRW", "fda-pc-BRY", "fda-pc-BSA"],
        "moved, reclassified, renamed"
    );
    let fields = |id: &str| -> Vec<String> {
        let changed = diff["changed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap();
        changed["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| format!("{}: {} → {}", f["field"].as_str().unwrap(), f["old"], f["new"]))
            .collect()
    };
    assert_eq!(
        fields("fda-pc-BRY"),
        ["attributes.fda.device_class: \"1\" → \"2\""]
    );
    let before = json(&["--db", old, "show", "fda-pc-BSA", "--format", "json"]);
    assert_eq!(
        fields("fda-pc-BSA"),
        [format!(
            "title: {} → \"Renamed “device”\"",
            before["node"]["title"]
        )],
        "Windows-1252 quotes read as Unicode"
    );
    let links = |key: &str| -> Vec<String> {
        diff[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {} {}",
                    e["from"].as_str().unwrap(),
                    e["relation"].as_str().unwrap(),
                    e["to"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert!(links("edges_added").contains(&"fda-pc-BRW governed_by cfr-21-868.6100".to_owned()));
    assert!(links("edges_removed").contains(&"fda-pc-BRW governed_by cfr-21-868.5820".to_owned()));
    // What the move touches: our device, classified as BRW.
    let impacted: Vec<&str> = diff["impact"]["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(impacted, ["our-protector"], "{}", diff["impact"]);

    // The two files compared as they are (`diff --from`) say the same.
    let newer = dir.path().join("foiclass-newer.txt");
    let ours = fixture("sources/our-fda-devices.toml");
    let (old_dir, new_dir) = (dir.path().join("old"), dir.path().join("new"));
    for (side, list) in [(&old_dir, &file), (&new_dir, &newer)] {
        std::fs::create_dir_all(side).unwrap();
        std::fs::copy(list, side.join("foiclass.txt")).unwrap();
        std::fs::copy(&ours, side.join("ours.toml")).unwrap();
    }
    let files = json(&[
        "diff",
        "--from",
        "fda-product-classification",
        old_dir.to_str().unwrap(),
        new_dir.to_str().unwrap(),
        "--impact",
        "--format",
        "json",
    ]);
    for key in [
        "added",
        "removed",
        "changed",
        "edges_added",
        "edges_removed",
        "impact",
    ] {
        assert_eq!(files[key], diff[key], "{key}");
    }
}

#[test]
fn the_eu_harmonised_standards_import_whole_and_a_standard_reaches_its_gsprs_and_the_device() {
    let dir = fixture("eu-mdr");
    // Counted without regtrace: every standard listed, every amendment, every GSPR named.
    let mut standards = 0;
    let mut amendments = std::collections::BTreeSet::new();
    let mut gsprs = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir.join("standards")).unwrap() {
        let path = entry.unwrap().path();
        let document: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for standard in document["standards"].as_array().into_iter().flatten() {
            standards += 1;
            amendments.extend(
                standard["amendments"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|a| a.to_string()),
            );
            gsprs.extend(
                standard["applicable_gsprs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|g| g.to_string()),
            );
        }
    }
    assert_eq!(standards, 65);
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("eu.db");
    // A device of ours that must meet GSPR 10.4.1 (blood contact).
    let ours = fixture("sources/our-eu-devices.toml");
    import(&db, &["--from", "eu-harmonised-standards"], &[dir, ours]);
    let db = db.to_str().unwrap();
    let list = |kind: &str| json(&["--db", db, "list", "--kind", kind, "--format", "json"]);
    let clauses = list("clause");
    assert_eq!(clauses.as_array().unwrap().len(), gsprs.len());
    let ids: Vec<String> = list("standard")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&"en-iso-10993-4-2017".to_owned()));
    assert!(ids.contains(&"en-iso-10993-4-2017-a1-2025".to_owned()));
    // Editions and amendments (listed by the standards and by the decisions adding them; a
    // decision may add an amendment no standard lists).
    assert!(
        ids.len() >= standards + amendments.len(),
        "{} < {standards} + {}",
        ids.len(),
        amendments.len()
    );
    let shown = json(&["--db", db, "show", "en-iso-10993-4-2017", "--format", "json"]);
    assert_eq!(shown["node"]["designation"], "EN ISO 10993-4");
    assert_eq!(shown["node"]["edition"], "2017");
    assert!(shown["node"]["source"].as_str().unwrap().contains("CC BY 4.0"));

    // The edition reaches the GSPRs it gives presumption of conformity for, and our device.
    let impact = json(&["--db", db, "impact", "en-iso-10993-4-2017", "--format", "json"]);
    let hits: Vec<&str> = impact["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    for gspr in ["10", "10.1", "10.4", "10.4.1"] {
        assert!(
            hits.contains(&format!("eu-mdr-2017-745-annex-i-{gspr}").as_str()),
            "{hits:?}"
        );
    }
    assert!(hits.contains(&"our-catheter"), "{hits:?}");
    // Its amendment, listed in 2025, reaches the same.
    let amendment = stdout(&["--db", db, "impact", "en-iso-10993-4-2017-a1-2025"]);
    assert!(amendment.contains("our-catheter"), "{amendment}");
}

/// The README's walkthrough "the regulators' own lists", line by line, from a directory that
/// sees the repository's tests/ (with the newer FDA edition it ships): the reclassification reaches our
/// device, the amendment our catheter.
#[test]
fn the_readme_walkthrough_of_the_regulators_lists_runs() {
    let block = crate::readme_block("regulators' lists");
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(fixture("..").canonicalize().unwrap(), dir.path().join("tests")).unwrap();
    // The shipped newer edition is the one the tests make: the 2016 file with the changes named.
    let made = dir.path().join("made.txt");
    newer_edition(&fixture("fda/foiclass-2016.txt"), &made);
    assert!(
        std::fs::read(&made).unwrap() == std::fs::read(fixture("fda/foiclass-newer.txt")).unwrap(),
        "tests/fixtures/fda/foiclass-newer.txt is not what newer_edition makes of the 2016 file"
    );
    let said = crate::run_readme_lines(&block, dir.path());
    assert_eq!(said.len(), 8);
    assert!(said[2].contains("our-protector"), "{}", said[2]);
    assert!(said[3].contains("our-catheter"), "{}", said[3]);
    assert!(said[4].contains("3 updated"), "{}", said[4]);
    assert!(said[5].contains("our-protector"), "{}", said[5]);
    assert!(said[6].contains("- fda-pc-BRX"), "{}", said[6]);
    let nodes = sheet(&dir.path().join("ours.xlsx"), "nodes");
    assert!(
        nodes
            .iter()
            .any(|row| row[0] == "our-catheter" && row[3] == "当社の中心静脈カテーテル")
    );
}
