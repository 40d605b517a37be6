//! `regtrace matrix`: links, chains, the plan table of the seed, and every output format.

use std::collections::BTreeSet;
use std::io::Read;

use crate::{fixture, fresh_db, json, regtrace, stderr_of, stdout};

fn matrix_json(db: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--db", db, "matrix", "--format", "json"];
    all.extend(args);
    json(&all)
}

/// (row, column, linked node, relations) of every link in a matrix JSON document.
fn links(doc: &serde_json::Value) -> BTreeSet<(String, String, String, Vec<String>)> {
    let mut out = BTreeSet::new();
    for cell in doc["cells"].as_array().unwrap() {
        for link in cell["links"].as_array().unwrap() {
            let relations = link["relations"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            out.insert((
                cell["row"].as_str().unwrap().to_owned(),
                cell["column"].as_str().unwrap().to_owned(),
                link["node"].as_str().unwrap().to_owned(),
                relations,
            ));
        }
    }
    out
}

/// The deck's plan table (fields × fiscal year) as JSON.
const PLAN_TABLE: [&str; 7] = [
    "matrix",
    "--rows",
    "field",
    "--cols",
    "guideline.fiscal_year",
    "--format",
    "json",
];

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn guidelines_reach_standards_directly_and_through_items_but_not_through_the_law() {
    let (_dir, db) = fresh_db(&[fixture("matrix")]);
    let doc = matrix_json(&db, &["--rows", "guideline", "--cols", "standard"]);
    assert_eq!(
        links(&doc),
        BTreeSet::from([
            (
                "gl-a".into(),
                "std-bending".into(),
                "std-bending".into(),
                strings(&["requires", "verified_by", "specified_by"])
            ),
            (
                "gl-b".into(),
                "std-direct".into(),
                "std-direct".into(),
                strings(&["cites"])
            ),
        ])
    );
    let columns: Vec<&str> = doc["column_heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        ["std-bending", "std-direct", "std-unused"],
        "unlinked columns are kept"
    );

    let hidden = matrix_json(
        &db,
        &["--rows", "guideline", "--cols", "standard", "--hide-empty"],
    );
    assert_eq!(hidden["column_heads"].as_array().unwrap().len(), 2);

    // The human table says how: the relations and the nodes passed through.
    let table = stdout(&["--db", &db, "matrix", "--rows", "guideline", "--cols", "standard"]);
    assert!(
        table.contains("—requires→ ev-strength —verified_by→ tm-bending —specified_by→"),
        "{table}"
    );
}

#[test]
fn devices_reach_standards_through_four_hops_and_max_hops_cuts_them() {
    let (_dir, db) = fresh_db(&[fixture("matrix")]);
    let doc = matrix_json(&db, &["--rows", "device", "--cols", "standard"]);
    assert_eq!(links(&doc).len(), 1);
    let (_, column, _, relations) = links(&doc).into_iter().next().unwrap();
    assert_eq!(column, "std-bending");
    assert_eq!(relations.len(), 4);
    let cut = matrix_json(
        &db,
        &["--rows", "device", "--cols", "standard", "--max-hops", "3"],
    );
    assert!(links(&cut).is_empty());
}

#[test]
fn via_limits_the_relations_followed() {
    let (_dir, db) = fresh_db(&[fixture("matrix")]);
    let only_cites = matrix_json(
        &db,
        &["--rows", "guideline", "--cols", "standard", "--via", "cites"],
    );
    assert_eq!(
        links(&only_cites).into_iter().map(|l| l.1).collect::<Vec<_>>(),
        ["std-direct"]
    );
    // Through the law hub, explicitly asked for: guidelines are linked to each other.
    let via_law = matrix_json(
        &db,
        &[
            "--rows",
            "guideline",
            "--cols",
            "guideline",
            "--via",
            "governed_by",
        ],
    );
    assert_eq!(
        links(&via_law),
        BTreeSet::from([
            (
                "gl-a".into(),
                "gl-b".into(),
                "gl-b".into(),
                strings(&["governed_by", "governed_by"])
            ),
            (
                "gl-b".into(),
                "gl-a".into(),
                "gl-a".into(),
                strings(&["governed_by", "governed_by"])
            ),
        ])
    );
}

#[test]
fn fields_by_fiscal_year_is_the_decks_plan_table() {
    // Oracle: from the exported seed document, every guideline with a fiscal year and a
    // belongs_to edge to a field.
    let export = json(&["export"]);
    let mut year_of = std::collections::HashMap::new();
    for node in export["nodes"].as_array().unwrap() {
        if node["kind"] == "guideline"
            && let Some(year) = node["attributes"]["fiscal_year"].as_str()
        {
            year_of.insert(node["id"].as_str().unwrap().to_owned(), year.to_owned());
        }
    }
    let mut expected = BTreeSet::new();
    for edge in export["edges"].as_array().unwrap() {
        let from = edge["from"].as_str().unwrap();
        if edge["relation"] == "belongs_to"
            && let Some(year) = year_of.get(from)
        {
            let field = edge["to"].as_str().unwrap().to_owned();
            expected.insert((field, year.clone(), from.to_owned(), strings(&["belongs_to"])));
        }
    }
    assert_eq!(year_of.len(), 18, "guidelines with a fiscal year in the seed");
    assert_eq!(
        expected.len(),
        17,
        "all but the FY2010 DNA-chip guideline are filed under a field"
    );

    let doc = json(&PLAN_TABLE);
    assert_eq!(links(&doc), expected);
    let years: Vec<&str> = doc["column_heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["value"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["FY2010", "FY2011", "FY2012", "FY2013"]);
}

/// --rows-where, --cols-where and --limit keep exactly the links of the rows and columns they
/// keep (oracle: the whole matrix, filtered here).
#[test]
fn conditions_and_a_limit_keep_the_links_of_what_they_keep() {
    let narrowed = |extra: &[&str]| links(&json(&[&PLAN_TABLE[..], extra].concat()));
    let all = narrowed(&[]);
    let fields: BTreeSet<String> = all.iter().map(|l| l.0.clone()).collect();
    assert!(fields.len() > 2, "{fields:?}");

    let expected: BTreeSet<_> = all.iter().filter(|l| l.1 == "FY2012").cloned().collect();
    assert!(!expected.is_empty() && expected.len() < all.len());
    assert_eq!(
        narrowed(&["--cols-where", "attributes.fiscal_year=FY2012"]),
        expected
    );

    let second = fields.iter().nth(1).unwrap();
    let expected: BTreeSet<_> = all.iter().filter(|l| &l.0 == second).cloned().collect();
    assert_eq!(narrowed(&["--rows-where", &format!("id={second}")]), expected);
    assert!(narrowed(&["--rows-where", "id=no-such-field"]).is_empty());

    // --limit: the first rows by id, every other row left out.
    let doc = json(&[&PLAN_TABLE[..], &["--limit", "1"]].concat());
    let rows: Vec<&str> = doc["row_heads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    let first = json(&PLAN_TABLE)["row_heads"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(rows, [first.as_str()]);
    let expected: BTreeSet<_> = all.iter().filter(|l| l.0 == first).cloned().collect();
    assert_eq!(links(&doc), expected);
}

#[test]
fn seed_matrices_match_snapshots() {
    insta::assert_snapshot!(
        "plan_table_ja",
        stdout(&[
            "matrix",
            "--rows",
            "field",
            "--cols",
            "guideline.fiscal_year",
            "--format",
            "markdown",
            "--lang",
            "ja"
        ])
    );
    insta::assert_snapshot!(
        "guidelines_by_standards",
        stdout(&[
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "standard",
            "--hide-empty",
            "--format",
            "markdown"
        ])
    );
    insta::assert_snapshot!(
        "devices_by_guidelines_csv",
        stdout(&[
            "matrix",
            "--rows",
            "device",
            "--cols",
            "guideline",
            "--hide-empty",
            "--format",
            "csv"
        ])
    );
}

#[test]
fn xlsx_has_a_frozen_header_fitted_widths_and_japanese_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.xlsx");
    regtrace()
        .args([
            "matrix",
            "--rows",
            "field",
            "--cols",
            "guideline.fiscal_year",
            "--lang",
            "ja",
        ])
        .args(["--format", "xlsx", "-o"])
        .arg(&path)
        .assert()
        .success();

    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = workbook.worksheet_range("matrix").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(0, 0), "id");
    assert_eq!(cell(0, 2), "FY2010");
    let all: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(all.iter().any(|c| c == "再生医療"), "field titles in Japanese");
    assert!(
        all.iter()
            .any(|c| c.contains("高生体適合性(カスタムメイド)人工膝関節")),
        "guideline titles in the FY2011 cells"
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(
        xml.contains(r#"xSplit="2" ySplit="1""#) && xml.contains(r#"state="frozen""#),
        "{xml}"
    );
    // The title column is sized for its widest Japanese title (two columns per character).
    let widest = "テーラーメイド医療用診断機器".chars().count() * 2;
    let width: f64 = xml
        .split("<col ")
        .find(|c| c.contains(r#"min="2""#))
        .and_then(|c| c.split("width=\"").nth(1))
        .and_then(|w| w.split('"').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!(width >= widest as f64, "title column width {width} < {widest}");
}

#[test]
fn hostile_text_is_neutralised_and_escaped() {
    let (_dir, db) = fresh_db(&[fixture("hostile")]);
    let csv = stdout(&[
        "--db",
        &db,
        "matrix",
        "--rows",
        "standard",
        "--cols",
        "guideline",
        "--format",
        "csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://evil.invalid\",\"click\")");

    let html = stdout(&[
        "--db",
        &db,
        "matrix",
        "--rows",
        "guideline",
        "--cols",
        "standard",
        "--format",
        "html",
    ]);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    roxmltree::Document::parse(&html.replace("<!DOCTYPE html>", "")).expect("the page is well-formed");

    let markdown = stdout(&[
        "--db",
        &db,
        "matrix",
        "--rows",
        "guideline",
        "--cols",
        "standard",
        "--format",
        "markdown",
    ]);
    let row = markdown.lines().find(|l| l.starts_with("| gl-hostile")).unwrap();
    // Three cells (id, title, one column): the `|` and `\` in the title are escaped, so the
    // only unescaped pipes are the four cell borders.
    let mut borders = 0;
    let mut chars = row.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '|' => borders += 1,
            _ => {}
        }
    }
    assert_eq!(borders, 4, "{row}");
}

#[test]
fn bad_requests_are_explained() {
    // `matrix` with these arguments, refused with exit status 2: what it says.
    let refused = |args: &[&str]| stderr_of(regtrace().arg("matrix").args(args), 2);
    let err = refused(&["--rows", "guidline", "--cols", "standard"]);
    assert!(err.contains("unknown kind") && err.contains("guideline"), "{err}");
    let err = refused(&["--rows", "field", "--cols", "guideline.fiscal_yr"]);
    assert!(err.contains("did you mean guideline.fiscal_year?"), "{err}");
    let guidelines_by_standard = ["--rows", "guideline", "--cols", "standard"];
    let err = refused(&[&guidelines_by_standard[..], &["--via", "citess"]].concat());
    assert!(err.contains("citess") && err.contains("cites"), "{err}");
    let err = refused(&[&guidelines_by_standard[..], &["--rows-where", "statuss=final"]].concat());
    assert!(
        err.contains("no node field \"statuss\"") && err.contains("did you mean status?"),
        "{err}"
    );
    let err = refused(&[&guidelines_by_standard[..], &["--cols-where", "body"]].concat());
    assert!(
        err.contains("names no value") && err.contains("FIELD=VALUE"),
        "{err}"
    );
    let err = refused(
        &[
            &guidelines_by_standard[..],
            &["--format", "xlsx", "-o", "/nonexistent-dir/m.xlsx"],
        ]
        .concat(),
    );
    assert!(err.contains("does not exist"), "{err}");
}

/// A large, sparse matrix costs its links, not its area: 100,000 working groups in a tree
/// (10^10 cells, 199,998 of them linked) come out whole as JSON and as the links CSV, and the
/// terminal table and the workbook refuse with a way out, where the dense view of every cell
/// took 20 GB and gave no answer. (The time limit only catches a hang; the answers are checked.)
#[test]
fn a_large_sparse_matrix_costs_its_links_not_its_area() {
    let dir = tempfile::tempdir().unwrap();
    let n = 100_000;
    let mut nodes = String::from("id,kind,title\n");
    let mut edges = String::from("from,to,relation\n");
    for i in 0..n {
        nodes.push_str(&format!("wg{i},working_group,Group {i}\n"));
        if i > 0 {
            edges.push_str(&format!("wg{i},wg{},part_of\n", i / 10));
        }
    }
    let (nodes_csv, edges_csv) = (dir.path().join("nodes.csv"), dir.path().join("edges.csv"));
    std::fs::write(&nodes_csv, nodes).unwrap();
    std::fs::write(&edges_csv, edges).unwrap();
    let db = dir.path().join("wg.db");
    crate::import_into(&db, &[nodes_csv, edges_csv]);
    let db = db.to_str().unwrap();
    // The groups × groups matrix in `format`, with `more` arguments.
    let run_with = |format: &str, more: &[&str]| {
        let matrix = [
            "--db",
            db,
            "matrix",
            "--rows",
            "working_group",
            "--cols",
            "working_group",
            "--format",
            format,
        ];
        crate::finishes_within([&matrix[..], more].concat(), std::time::Duration::from_secs(180))
    };
    let run = |format: &str| run_with(format, &[]);

    let links = run("links");
    assert!(
        links.status.success(),
        "{}",
        String::from_utf8_lossy(&links.stderr)
    );
    // Said before the walk starts, with the way to narrow it.
    let said = String::from_utf8_lossy(&links.stderr);
    assert!(
        said.contains("100000 rows × 100000 columns (10000000000 cells)") && said.contains("--limit N"),
        "{said}"
    );
    let text = String::from_utf8(links.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("row,row_title,column,column_title,through"));
    assert_eq!(lines.next(), Some("wg0,Group 0,wg1,Group 1,←part_of—"));
    assert_eq!(
        lines.count() + 1,
        2 * (n - 1),
        "each part_of link, seen from both ends"
    );
    assert!(text.contains("\nwg99999,Group 99999,wg9999,Group 9999,—part_of→\n"));

    let json = run("json");
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["row_heads"].as_array().unwrap().len(), n);
    assert_eq!(doc["column_heads"].as_array().unwrap().len(), n);
    assert_eq!(doc["cells"].as_array().unwrap().len(), 2 * (n - 1));

    // Narrowed, it is small: no word about its size.
    let narrowed = run_with("links", &["--limit", "3", "--cols-where", "id=wg1"]);
    assert!(
        narrowed.status.success() && narrowed.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&narrowed.stderr)
    );
    assert_eq!(
        String::from_utf8(narrowed.stdout).unwrap(),
        "row,row_title,column,column_title,through\nwg0,Group 0,wg1,Group 1,←part_of—\nwg10,Group 10,wg1,Group 1,—part_of→\n",
        "rows wg0, wg1 and wg10 (the first three by id), one column: wg1"
    );

    for (format, says) in [
        ("table", "100000 columns are too many for a terminal table"),
        (
            "xlsx",
            "the matrix does not fit on an Excel sheet: 100000 columns",
        ),
    ] {
        let refused = run(format);
        assert_eq!(refused.status.code(), Some(2), "{format}");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains(says) && stderr.contains("--format links"),
            "{stderr}"
        );
    }
}

/// The links CSV of the fixture: one line per link with its chain, the same links the JSON
/// document holds.
#[test]
fn links_csv_lists_each_link_with_its_chain() {
    let (_dir, db) = fresh_db(&[fixture("matrix")]);
    let args = ["--rows", "guideline", "--cols", "standard"];
    let doc = matrix_json(&db, &args);
    let mut all = vec!["--db", db.as_str(), "matrix", "--format", "links"];
    all.extend(args);
    let csv = stdout(&all);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let from_csv: BTreeSet<(String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_owned(), r[2].to_owned())
        })
        .collect();
    let from_json: BTreeSet<(String, String)> = links(&doc)
        .into_iter()
        .map(|(row, column, _, _)| (row, column))
        .collect();
    assert!(!from_json.is_empty());
    assert_eq!(from_csv, from_json);
    assert!(csv.contains("—cites→") || csv.contains("—requires→"), "{csv}");
}

/// Issue 36, item 5: a matrix never drops a link silently. On the pump, the device rests on IEC
/// 60601-1 ed. 3.1 through a chain of five hops, one more than the default --max-hops: the pair
/// is counted as left out (JSON `left_out`, the table's last line, standard error for a file),
/// and shown with --max-hops 5.
#[test]
fn a_link_beyond_max_hops_is_counted_as_left_out_not_dropped_silently() {
    let (_dir, db) = crate::fresh_db(&[crate::fixture("pump/v1")]);
    let args = |extra: &[&str]| {
        let mut all = vec![
            "--db",
            db.as_str(),
            "matrix",
            "--rows",
            "device",
            "--cols",
            "standard",
        ];
        all.extend_from_slice(extra);
        all.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let json = |extra: &[&str]| {
        let args = args(extra);
        crate::json(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let short = json(&["--format", "json"]);
    assert_eq!(short["left_out"], 1, "{short}");
    assert_eq!(short["cells"], serde_json::json!([]));
    let long = json(&["--format", "json", "--max-hops", "5"]);
    assert_eq!(long["left_out"], 0);
    assert_eq!(long["cells"].as_array().unwrap().len(), 1);
    let table = regtrace().args(args(&[])).output().unwrap();
    let said = String::from_utf8(table.stdout).unwrap();
    assert!(
        said.contains("1 row–column pair(s) are linked only by chains longer than --max-hops 4"),
        "{said}"
    );
    let csv = regtrace().args(args(&["--format", "csv"])).output().unwrap();
    assert!(csv.status.success());
    let warned = String::from_utf8(csv.stderr).unwrap();
    assert!(warned.starts_with("warning: 1 row–column pair(s)"), "{warned}");
}
