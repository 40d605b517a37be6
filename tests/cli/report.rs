//! `regtrace report`: one self-contained HTML file with the audit, the reviews as evidence and
//! the impact of each recorded change, drawn inline; nothing in it fetches or runs anything.

use crate::{fixture, fresh_db, regtrace, stderr_of};

/// The report of `db` (with `args`), parsed as XML to prove it well-formed.
fn report(db: &str, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    regtrace()
        .args(["--db", db, "report", "-o"])
        .arg(&out)
        .args(args)
        .assert()
        .success();
    let html = std::fs::read_to_string(&out).unwrap();
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(&html, options).expect("the report is well-formed");
    html
}

/// Nothing fetched or run: no script, no external stylesheet, font, image or frame.
fn self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script",
        "<link",
        "<iframe",
        "<img",
        "@import",
        "url(",
        "javascript:",
        "src=",
    ] {
        assert!(!lower.contains(needle), "the report has {needle}");
    }
}

#[test]
fn the_report_holds_the_audit_the_decisions_and_each_changes_impact_drawn_inline() {
    let (_dir, db) = crate::seed_db_with_the_law_revision();
    regtrace()
        .args([
            "--db",
            &db,
            "review",
            "close",
            "gl-cell-sheet",
            "--event",
            "1",
            "--outcome",
            "unchanged",
            "--by",
            "Cell WG",
            "--date",
            "2013-12-01",
            "--note",
            "no change needed",
        ])
        .assert()
        .success();
    let html = report(&db, &[]);
    self_contained(&html);
    for needle in [
        "regtrace audit",
        "data sha256",
        "Change #1 on jp-pal-revision-2013: law revised (2013-11-20, recorded by RA)",
        "<svg",
        "gl-cell-sheet",
        "Cell WG",
        "no change needed",
        "page-break-before",
        "高機能人工心臓システム",
    ] {
        assert!(html.contains(needle), "the report lacks {needle:?}");
    }
    assert_eq!(html.matches("<svg").count(), 1, "one diagram per change");
    // Reason chains in the one notation, from the hit back to the change, each hop as stored
    // (before: "jp-pal-revision-2013 —governed_by→ gl-artificial-heart", which is false).
    assert!(
        html.contains("<span class=\"chain\">device-artificial-heart-18-cases <span class=\"rel\">—covered_by→</span> gl-artificial-heart <span class=\"rel\">—governed_by→</span> jp-pal-revision-2013</span>"),
        "the chain reads node first"
    );
    assert!(
        !html.contains("jp-pal-revision-2013 —governed_by→")
            && !html.contains("jp-pal-revision-2013 <span class=\"rel\">—governed_by→"),
        "no chain reads cause first"
    );
    // In Japanese: the same chains, every heading and label in Japanese.
    let ja = report(&db, &["--lang", "ja"]);
    assert!(ja.contains("<html lang=\"ja\">"));
    for needle in [
        "<span class=\"chain\">device-artificial-heart-18-cases <span class=\"rel\">—covered_by→</span> gl-artificial-heart <span class=\"rel\">—governed_by→</span> jp-pal-revision-2013</span>",
        "変更 #1（jp-pal-revision-2013）: law revised（2013-11-20、記録者 RA）",
        "regtrace 監査",
        "影響を受けるノード",
        "<span class=\"kind device\">医療機器</span>",
    ] {
        assert!(ja.contains(needle), "the Japanese report lacks {needle:?}");
    }
    for english in ["Change #1", "nodes impacted", "Coverage", ">reason<", ">kind<"] {
        assert!(!ja.contains(english), "the Japanese report says {english:?}");
    }
    // One event and a node besides: two sections, each drawn.
    let html = report(&db, &["--event", "1", "--impact-of", "std-iso-artificial-heart"]);
    assert_eq!(html.matches("class=\"section\"").count(), 2);
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("Impact of a change to std-iso-artificial-heart"));
    let stderr = stderr_of(regtrace().args(["--db", &db, "report", "--event", "9"]), 2);
    assert!(stderr.contains("no change event #9"), "{stderr}");
}

#[test]
fn hostile_titles_stay_text_in_the_report() {
    let (_dir, db) = fresh_db(&[fixture("hostile")]);
    let html = report(&db, &["--impact-of", "std-formula"]);
    self_contained(&html);
    assert!(
        html.contains("&lt;script&gt;"),
        "the hostile title is shown, escaped"
    );
}

/// Issue 36, item 4: the report an auditor files says what it is (title, document number,
/// revision), who prepared and approves it (with lines to sign), and pins the history it was made
/// from (the hash chain's head); the audit says the same.
#[test]
fn a_filed_report_carries_its_title_block_and_the_historys_head() {
    let (dir, db) = crate::fresh_db(&[crate::data("meti-2013")]);
    regtrace()
        .args([
            "--db",
            &db,
            "change",
            "record",
            "jp-pal-revision-2013",
            "--what",
            "law revised",
            "--date",
            "2013-11-20",
        ])
        .assert()
        .success();
    let block = [
        "--title",
        "Guideline review after the 2013 PAL revision",
        "--doc-id",
        "QA-2014-003",
        "--revision",
        "B",
        "--prepared-by",
        "Hanako Sato, RA engineer",
        "--approved-by",
        "Taro Suzuki, QA manager",
    ];
    let path = dir.path().join("report.html");
    let mut args = vec!["--db", db.as_str(), "report", "-o", path.to_str().unwrap()];
    args.extend(block);
    regtrace().args(&args).assert().success();
    let html = std::fs::read_to_string(&path).unwrap();
    let head = crate::json(&["--db", &db, "verify", "--format", "json"])["history"]["head"]
        .as_str()
        .unwrap()
        .to_owned();
    for needle in [
        "<h1>Guideline review after the 2013 PAL revision</h1>",
        "<th>document</th><td>QA-2014-003</td>",
        "<th>revision</th><td>B</td>",
        "Sign-off",
        "<td>prepared by</td><td>Hanako Sato</td><td>RA engineer</td><td></td><td></td>",
        "<td>approved by</td><td>Taro Suzuki</td><td>QA manager</td>",
        &format!("hash chain head {head}"),
    ] {
        assert!(html.contains(needle), "the report lacks {needle:?}");
    }
    let mut args = vec![
        "--db",
        db.as_str(),
        "audit",
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    args.extend(block);
    let audited = crate::json(&args);
    assert_eq!(audited["document"]["doc_id"], "QA-2014-003");
    assert_eq!(audited["document"]["approved_by"][0]["role"], "QA manager");
}

/// The pump data (tests/fixtures/pump v1, then v2 merged with its change recorded), its own
/// audit.toml holding `report_table`: (the temporary directory, the database).
fn pump_with_report_table(report_table: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("pump");
    std::fs::create_dir(&data).unwrap();
    std::fs::copy(fixture("pump/v1/pump.toml"), data.join("pump.toml")).unwrap();
    if !report_table.is_empty() {
        std::fs::write(data.join("audit.toml"), report_table).unwrap();
    }
    let db = dir.path().join("pump.db");
    crate::import_into(&db, &[data]);
    let db = db.to_str().unwrap().to_owned();
    regtrace()
        .args([
            "--db",
            &db,
            "import",
            "--merge",
            "--record-changes",
            "--date",
            "2020-08-20",
        ])
        .arg(fixture("pump/v2"))
        .assert()
        .success();
    (dir, db)
}

const PUMP_REPORT_TABLE: &str = r#"# What this data set's reports say of themselves.
[report]
title = "Infusion pump: IEC 60601-1 edition 3.2"
doc_id = "QA-2020-017"
scope = ["dev-infusion-pump"]
prepared_by = ["Pump WG, reviewers"]
"#;

/// `audit --format json --fail-on never` of `db`, with `extra` flags.
fn audit_json(db: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--db", db, "audit", "-f", "json", "--fail-on", "never"];
    args.extend(extra);
    crate::json(&args)
}

/// The ids of the nodes an audit's findings are about (the main one of each).
fn finding_nodes(audited: &serde_json::Value) -> Vec<String> {
    let findings = audited["findings"].as_array().unwrap();
    findings
        .iter()
        .map(|f| f["nodes"][0].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_scoped_audit_shows_only_what_the_device_rests_on() {
    let (_dir, db) = pump_with_report_table("");
    let audit = |extra: &[&str]| audit_json(&db, extra);
    let whole = audit(&[]);
    let scoped = audit(&["--scope", "dev-infusion-pump"]);
    // gl-pump-electrical and gl-pump-software-2021 cover no device: the pump rests on neither.
    for outside in ["gl-pump-electrical", "gl-pump-software-2021"] {
        assert!(finding_nodes(&whole).iter().any(|n| n == outside), "{outside}");
        assert!(!finding_nodes(&scoped).iter().any(|n| n == outside), "{outside}");
        let reviews = scoped["reviews"].as_array().unwrap();
        assert!(!reviews.iter().any(|r| r["node"] == outside), "{outside}");
    }
    for inside in ["dev-infusion-pump", "gl-infusion-pump", "tm-leakage-current"] {
        assert!(finding_nodes(&scoped).iter().any(|n| n == inside), "{inside}");
    }
    // The device, its guideline, two items, two test methods, two clauses and their edition.
    assert_eq!(scoped["document"]["scope"]["within"], 9);
    assert_eq!(scoped["document"]["scope"]["nodes"][0], "dev-infusion-pump");
    assert_eq!(whole["document"]["scope"], serde_json::Value::Null);
    let table = crate::stdout(&[
        "--db",
        &db,
        "--lang",
        "ja",
        "audit",
        "--scope",
        "dev-infusion-pump",
        "--fail-on",
        "never",
    ]);
    assert!(
        table.contains("範囲: dev-infusion-pump とその依拠先（9 件）"),
        "{table}"
    );
    // An unknown node is an error that names it, with the nearest id.
    let err = stderr_of(
        regtrace().args(["--db", &db, "audit", "--scope", "dev-infusion-pmp"]),
        2,
    );
    assert!(
        err.contains("\"dev-infusion-pmp\"") && err.contains("dev-infusion-pump"),
        "{err}"
    );
}

#[test]
fn the_data_sets_report_table_gives_the_title_block_and_flags_override_it() {
    let (_dir, db) = pump_with_report_table(PUMP_REPORT_TABLE);
    let audited = audit_json(&db, &[]);
    let document = &audited["document"];
    assert_eq!(document["title"], "Infusion pump: IEC 60601-1 edition 3.2");
    assert_eq!(document["doc_id"], "QA-2020-017");
    assert_eq!(document["prepared_by"][0]["name"], "Pump WG");
    assert_eq!(document["scope"]["within"], 9);
    assert!(!finding_nodes(&audited).iter().any(|n| n == "gl-pump-electrical"));
    // A flag says otherwise: it wins, the rest still comes from the table.
    let audited = audit_json(&db, &["--doc-id", "QA-2020-018", "--scope", "gl-pump-electrical"]);
    assert_eq!(audited["document"]["doc_id"], "QA-2020-018");
    assert_eq!(
        audited["document"]["title"],
        "Infusion pump: IEC 60601-1 edition 3.2"
    );
    assert!(finding_nodes(&audited).iter().all(|n| n != "dev-infusion-pump"));
    // --whole: everything, whatever the table's scope.
    let audited = audit_json(&db, &["--whole"]);
    assert_eq!(audited["document"]["scope"], serde_json::Value::Null);
    assert!(finding_nodes(&audited).iter().any(|n| n == "gl-pump-electrical"));
    // The report: the table's title block, and the impact of the change within the scope only.
    let html = report(&db, &[]);
    for needle in [
        "<h1>Infusion pump: IEC 60601-1 edition 3.2</h1>",
        "<th>document</th><td>QA-2020-017</td>",
        "dev-infusion-pump and what it rests on (9 nodes)",
        "gl-infusion-pump",
    ] {
        assert!(html.contains(needle), "the report lacks {needle:?}");
    }
    assert!(
        !html.contains("gl-pump-electrical"),
        "out of scope, yet in the report"
    );
}

#[test]
fn a_report_table_with_an_unknown_key_is_refused_at_its_line() {
    let (dir, db) = pump_with_report_table(PUMP_REPORT_TABLE);
    let table = format!("{PUMP_REPORT_TABLE}approver = \"QA manager\"\n");
    let data = dir.path().join("pump");
    std::fs::write(data.join("audit.toml"), table).unwrap();
    let before = std::fs::read(&db).unwrap();
    let err = stderr_of(regtrace().args(["--db", &db, "import"]).arg(&data), 2);
    assert!(err.contains("audit.toml:7"), "{err}");
    assert!(err.contains("approver") && err.contains("prepared_by"), "{err}");
    // `check` refuses what `import` refuses.
    let checked = stderr_of(regtrace().arg("check").arg(&data), 2);
    assert!(
        checked.contains("audit.toml:7") && checked.contains("approver"),
        "{checked}"
    );
    // A scope naming a node the data set lacks: refused too, with the nearest id.
    let table = PUMP_REPORT_TABLE.replace("dev-infusion-pump", "dev-infusion-pmp");
    std::fs::write(data.join("audit.toml"), table).unwrap();
    let err = stderr_of(regtrace().args(["--db", &db, "import"]).arg(&data), 2);
    assert!(
        err.contains("[report] scope") && err.contains("dev-infusion-pump"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing written");
}
