//! `impact`, `deps`, `path` and `search` on hand-made graphs and on the seed.

use serde_json::Value;

use crate::{fixture, fresh_db, json, regtrace, stderr_of};

fn fixture_db() -> (tempfile::TempDir, String) {
    fresh_db(&[fixture("impact")])
}

/// (id, distance, path joined by ">") of every hit.
fn hits(document: &Value) -> Vec<(String, u64, String)> {
    document["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let path: Vec<&str> = h["path"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect();
            assert_eq!(h["distance"].as_u64().unwrap() as usize, path.len() - 1);
            assert_eq!(h["relations"].as_array().unwrap().len(), path.len() - 1);
            (
                h["id"].as_str().unwrap().to_owned(),
                h["distance"].as_u64().unwrap(),
                path.join(">"),
            )
        })
        .collect()
}

fn row(id: &str, distance: u64, path: &str) -> (String, u64, String) {
    (id.into(), distance, path.into())
}

#[test]
fn impact_through_a_cycle_a_diamond_and_a_to_target_relation() {
    let (_dir, db) = fixture_db();
    let answer = json(&["--db", &db, "impact", "S2", "--format", "json"]);
    assert_eq!(answer["changed"], serde_json::json!(["S2"]));
    let got = hits(&answer);
    assert_eq!(
        got,
        [
            row("S1", 1, "S2>S1"),
            row("S3", 2, "S2>S1>S3"),
            row("TM1", 2, "S2>S1>TM1"),
            row("EI1", 3, "S2>S1>TM1>EI1"),
            row("EI2", 3, "S2>S1>TM1>EI2"),
            // GL1 is reached through EI1 first (one of two shortest reasons).
            row("GL1", 4, "S2>S1>TM1>EI1>GL1"),
            row("GL2", 4, "S2>S1>TM1>EI2>GL2"),
            row("DEV1", 5, "S2>S1>TM1>EI1>GL1>DEV1"),
            // applies_to is to_target: the guideline's change reaches the device.
            row("DEV2", 5, "S2>S1>TM1>EI2>GL2>DEV2"),
        ]
    );
    // supersedes has impact `none`: the newer edition is not reached; the changed node is not listed.
    assert!(!got.iter().any(|(id, ..)| id == "S1-2018" || id == "S2"));
    assert_eq!(
        answer["impacted"][8]["relations"],
        serde_json::json!(["cites", "specified_by", "verified_by", "requires", "applies_to"])
    );
}

#[test]
fn several_changed_nodes_attribute_each_hit_to_the_nearest() {
    let (_dir, db) = fixture_db();
    let answer = json(&[
        "--db",
        &db,
        "impact",
        "S2",
        "LAW",
        "--kind",
        "guideline",
        "--kind",
        "device",
        "--format",
        "json",
    ]);
    assert_eq!(answer["changed"], serde_json::json!(["S2", "LAW"]));
    assert_eq!(
        hits(&answer),
        [
            row("GL1", 1, "LAW>GL1"),
            row("DEV1", 2, "LAW>GL1>DEV1"),
            row("GL2", 4, "S2>S1>TM1>EI2>GL2"),
            row("DEV2", 5, "S2>S1>TM1>EI2>GL2>DEV2")
        ]
    );
    assert_eq!(answer["counts"], serde_json::json!({"device": 2, "guideline": 2}));
}

#[test]
fn depth_limit_summary_and_limit() {
    let (_dir, db) = fixture_db();
    let shallow = json(&[
        "--db",
        &db,
        "impact",
        "S2",
        "--max-depth",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(hits(&shallow).len(), 3);
    let summary = json(&["--db", &db, "impact", "S2", "--summary", "--format", "json"]);
    assert_eq!(summary["total"], 9);
    assert!(summary.get("impacted").is_none());
    let limited = json(&["--db", &db, "impact", "S2", "--limit", "2", "--format", "json"]);
    assert_eq!((limited["total"].as_u64(), hits(&limited).len()), (Some(9), 2));
    let table = regtrace()
        .args(["--db", &db, "impact", "S2", "--summary"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(table.stdout).unwrap(),
        "9 impacted: 2 guideline, 2 device, 2 evaluation_item, 1 test_method, 2 standard\n"
    );
}

#[test]
fn as_of_follows_only_what_is_in_force() {
    let (_dir, db) = fixture_db();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut full = vec!["--db", &db, "impact", "S2", "--format", "json"];
        full.extend_from_slice(args);
        hits(&json(&full)).into_iter().map(|h| h.0).collect()
    };
    // In 2010, S1 (2009) is in force and S1-2018 is not yet published: the full answer.
    assert_eq!(ids(&["--as-of", "2010-01-01"]).len(), 9);
    // From mid-2018 S1 is superseded: nothing is reached through it.
    assert!(ids(&["--as-of", "2019-01-01"]).is_empty());
    // Before 2009, S1 was not yet published.
    assert!(ids(&["--as-of", "2008-12-31"]).is_empty());
    let stderr = stderr_of(
        regtrace().args(["--db", &db, "impact", "S2", "--as-of", "2013-02-30"]),
        2,
    );
    assert!(
        stderr.contains("--as-of") && stderr.contains("YYYY-MM-DD"),
        "{stderr}"
    );
}

#[test]
fn deps_is_the_reverse_direction() {
    let (_dir, db) = fixture_db();
    let answer = json(&["--db", &db, "deps", "DEV2", "--format", "json"]);
    assert_eq!(answer["roots"], serde_json::json!(["DEV2"]));
    assert!(answer.get("changed").is_none());
    assert_eq!(
        hits(&answer),
        [
            row("GL2", 1, "DEV2>GL2"),
            row("EI2", 2, "DEV2>GL2>EI2"),
            row("TM1", 3, "DEV2>GL2>EI2>TM1"),
            row("S1", 4, "DEV2>GL2>EI2>TM1>S1"),
            row("S2", 5, "DEV2>GL2>EI2>TM1>S1>S2"),
        ]
    );
}

#[test]
fn unknown_ids_are_named_with_a_suggestion() {
    let (_dir, db) = fixture_db();
    let stderr = stderr_of(regtrace().args(["--db", &db, "impact", "S2", "GL3"]), 2);
    assert!(
        stderr.contains("no node has the id \"GL3\"") && stderr.contains("did you mean \"GL1\"?"),
        "{stderr}"
    );
    let stderr = stderr_of(
        regtrace().args(["--db", &db, "impact", "S2", "--kind", "guidline"]),
        2,
    );
    assert!(stderr.contains("did you mean \"guideline\""), "{stderr}");
}

#[test]
fn the_seeds_question_lists_every_guideline_published_by_the_revision() {
    let answer = json(&[
        "impact",
        "jp-pal-revision-2013",
        "--kind",
        "guideline",
        "--format",
        "json",
    ]);
    let got = hits(&answer);
    assert_eq!(got.len(), 17);
    for (id, distance, path) in &got {
        assert_eq!(
            (*distance, path.as_str()),
            (1, format!("jp-pal-revision-2013>{id}").as_str())
        );
    }
    for hit in answer["impacted"].as_array().unwrap() {
        // The published ones, and medical software, chosen looking ahead to the revision.
        let expected = if hit["id"] == "gl-medical-software" {
            "in_progress"
        } else {
            "published"
        };
        assert_eq!(hit["status"], expected);
        assert_eq!(hit["relations"], serde_json::json!(["governed_by"]));
    }
    // The human answer, in Japanese, gives each reason as a chain from the hit back to the change.
    let output = regtrace()
        .args(["impact", "jp-pal-revision-2013", "--lang", "ja"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("  gl-custom-knee  高生体適合性(カスタムメイド)人工膝関節\n      gl-custom-knee —governed_by→ jp-pal-revision-2013\n"), "{text}");
    assert!(
        text.contains(
            "device-artificial-heart-18-cases —covered_by→ gl-artificial-heart —governed_by→ jp-pal-revision-2013\n"
        ),
        "{text}"
    );
    // The revision amends the law, so the law itself (and all under it) is impacted too; and
    // the four published guidelines the deck does not name are said to be missing.
    assert!(
        text.contains(
            "\n影響 20 件：ガイドライン 17、医療機器 2、法規制 1\n既知の欠落 (jp-pal-revision-2013): "
        ),
        "{text}"
    );
}

#[test]
fn dot_output_is_a_digraph_of_the_reason_paths() {
    let (_dir, db) = fixture_db();
    let output = regtrace()
        .args([
            "--db", &db, "impact", "TM1", "--kind", "device", "--format", "dot",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("digraph regtrace {"), "{text}");
    for edge in [
        r#""EI1" -> "TM1""#,
        r#""GL1" -> "EI1""#,
        r#""DEV1" -> "GL1""#,
        r#""GL2" -> "DEV2""#,
    ] {
        assert!(text.contains(edge), "missing {edge} in {text}");
    }
    assert!(!text.contains("\"S1\""), "only reason paths: {text}");
}

#[test]
fn path_shows_each_hop_and_its_direction() {
    let (_dir, db) = fixture_db();
    let output = regtrace()
        .args(["--db", &db, "path", "DEV1", "S1"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with(
            "DEV1 —covered_by→ GL1 —requires→ EI1 —verified_by→ TM1 —specified_by→ S1   (4 hops)\n\n"
        ),
        "{text}"
    );
    // Then the nodes passed, with their titles.
    assert!(text.contains("\nDEV1  "), "{text}");
    assert_eq!(text.lines().filter(|l| !l.is_empty()).count(), 7, "{text}");
    let all = json(&["--db", &db, "path", "DEV1", "S1", "--all", "--format", "json"]);
    let paths = all["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 2, "via EI1 and via EI2: {all}");
    assert_eq!(
        paths[1]["nodes"],
        serde_json::json!(["DEV1", "GL1", "EI2", "TM1", "S1"])
    );
    let none = regtrace()
        .args(["--db", &db, "path", "DEV1", "S1-2018", "--all", "--max-hops", "3"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(none.stdout).unwrap(),
        "DEV1 and S1-2018 are not connected within 3 hops\n"
    );
}

#[test]
fn search_finds_japanese_substrings() {
    let found = json(&["search", "人工心臓", "--format", "json"]);
    let ids: Vec<&str> = found["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"gl-artificial-heart"), "{ids:?}");
    let found = json(&["search", "ＤＮＡ", "--kind", "guideline", "--format", "json"]);
    assert_eq!(found["total"], 2);
}

#[test]
fn an_amended_law_stays_in_force() {
    // The 2013 revision amends the Pharmaceutical Affairs Law; it does not replace it.
    for date in ["2013-01-01", "2014-01-01"] {
        let answer = json(&[
            "deps",
            "device-artificial-heart-18-cases",
            "--as-of",
            date,
            "--format",
            "json",
        ]);
        let ids: Vec<&str> = answer["impacted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&"jp-pal"), "{date}: {ids:?}");
    }
    let answer = json(&[
        "impact",
        "jp-pal-revision-2013",
        "--kind",
        "regulation",
        "--format",
        "json",
    ]);
    assert_eq!(answer["impacted"][0]["relations"], serde_json::json!(["amends"]));
}

/// An answer grows with its hits, not with the square of their depth: at the end of a
/// 20,000-link chain, each hit spells out its last 32 hops and counts the rest (`elided`; a
/// 100,000-link chain wrote 10 GB of JSON), in JSON, CSV and the table alike.
#[test]
fn deep_reason_paths_are_cut_so_answers_stay_linear() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let mut nodes = String::from("id,kind,title\n");
    let mut edges = String::from("from,to,relation\n");
    for i in 0..n {
        nodes.push_str(&format!("S{i},standard,Standard {i}\n"));
        if i > 0 {
            edges.push_str(&format!("S{i},S{},cites\n", i - 1));
        }
    }
    let (nodes_csv, edges_csv) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
    std::fs::write(&nodes_csv, nodes).unwrap();
    std::fs::write(&edges_csv, edges).unwrap();
    let db = dir.path().join("x.db");
    crate::import_into(&db, &[nodes_csv, edges_csv]);
    let db = db.to_str().unwrap();
    let run = |format: &str| {
        let output = crate::finishes_within(
            ["--db", db, "impact", "S0", "--format", format],
            std::time::Duration::from_secs(120),
        );
        assert!(output.status.success());
        output.stdout
    };
    let json_bytes = run("json");
    assert!(json_bytes.len() < 20 << 20, "{} bytes", json_bytes.len());
    let answer: serde_json::Value = serde_json::from_slice(&json_bytes).unwrap();
    let hits = answer["impacted"].as_array().unwrap();
    assert_eq!(hits.len(), n - 1);
    let near = &hits[9];
    assert_eq!(near["distance"], 10);
    assert_eq!(near["path"][0], "S0", "a short path is whole");
    assert!(near.get("elided").is_none());
    let last = &hits[n - 2];
    assert_eq!(last["distance"], n as u64 - 1);
    assert_eq!(last["path"].as_array().unwrap().len(), 33);
    assert_eq!(last["relations"].as_array().unwrap().len(), 32);
    assert_eq!(last["elided"], n as u64 - 1 - 32);
    assert_eq!(
        last["path"][0],
        format!("S{}", n - 1 - 32),
        "where the path is cut"
    );
    assert!(run("csv").len() < 20 << 20);
    let table = String::from_utf8(run("table")).unwrap();
    assert!(table.len() < 40 << 20, "{} bytes", table.len());
    assert!(
        table.contains(&format!("… ({} more hops)", n - 1 - 32)),
        "the table says how many"
    );
}

#[test]
fn impact_as_a_workbook_holds_the_rows_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (xlsx, csv_file) = (dir.path().join("impact.xlsx"), dir.path().join("impact.csv"));
    for (format, path) in [("xlsx", &xlsx), ("csv", &csv_file)] {
        regtrace()
            .args(["impact", "jp-pal-revision-2013", "-f", format, "-o"])
            .arg(path)
            .assert()
            .success()
            .stdout("");
    }
    let mut reader = csv::Reader::from_path(&csv_file).unwrap();
    let mut expected = vec![
        reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect::<Vec<_>>(),
    ];
    expected.extend(
        reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect()),
    );
    assert!(
        expected.len() > 10,
        "the law revision reaches more than ten nodes"
    );
    let rows = crate::sheet(&xlsx, "impact");
    assert_eq!(rows, expected);
    assert!(
        rows.iter().any(|r| r[4] == "高機能人工心臓システム"),
        "Japanese titles kept"
    );
    let deps = dir.path().join("deps.xlsx");
    regtrace()
        .args(["deps", "gl-artificial-heart", "-f", "xlsx", "-o"])
        .arg(&deps)
        .assert()
        .success();
    assert!(crate::sheet(&deps, "dependencies").len() > 1);
}

/// A month or a year is a date where the source gives no more: kept as written, and under
/// --as-of it counts from its first day for coming into force and from its last day for
/// leaving it (in doubt, a node stays in the answer).
#[test]
fn month_and_year_dates_keep_their_precision_and_compare_by_the_days_they_span() {
    let (_dir, db) = crate::db_of(&[
        (
            "nodes.csv",
            "id,kind,title,status,published,withdrawn\n\
             law,regulation,A law,enacted,,\n\
             gl-month,guideline,Month,published,2012-08,\n\
             gl-year,guideline,Year,published,2010,2014\n",
        ),
        (
            "edges.csv",
            "from,relation,to\ngl-month,governed_by,law\ngl-year,governed_by,law\n",
        ),
    ]);
    let db = db.as_str();
    let show = crate::json(&["--db", db, "show", "gl-month", "-f", "json"]);
    assert_eq!(show["node"]["published"], "2012-08", "{show}");
    let hits = |as_of: &str| -> Vec<String> {
        let answer = crate::json(&["--db", db, "impact", "law", "--as-of", as_of, "-f", "json"]);
        let mut ids: Vec<String> = answer["impacted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(hits("2012-07-31"), ["gl-year"], "August 2012 has not begun");
    assert_eq!(
        hits("2012-08-01"),
        ["gl-month", "gl-year"],
        "August 2012 may have begun"
    );
    assert_eq!(
        hits("2014-06-30"),
        ["gl-month", "gl-year"],
        "2014 may not be over"
    );
    assert_eq!(
        hits("2014-12-31"),
        ["gl-month"],
        "withdrawn within 2014, so by its last day"
    );
    let refused = crate::regtrace()
        .args(["--db", db, "impact", "law", "--as-of", "2012-08"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("YYYY-MM-DD"), "{said}");
}

/// `--kind` and `--status` are read by clap with the app's own parser: a misspelt word is a
/// usage error (exit 2) with the app's "did you mean", before any data is read.
#[test]
fn a_misspelt_kind_or_status_is_refused_with_the_nearest_word() {
    let err = stderr_of(
        regtrace().args(["impact", "jp-pal-revision-2013", "--kind", "guidlines"]),
        2,
    );
    assert!(
        err.contains("invalid value 'guidlines' for '--kind <KIND>'")
            && err.contains("did you mean \"guideline\"?"),
        "{err}"
    );
    let err = stderr_of(regtrace().args(["list", "--status", "publishd"]), 2);
    assert!(err.contains("did you mean \"published\"?"), "{err}");
}
