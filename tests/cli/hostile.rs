//! Hostile text (tests/fixtures/hostile: quotes, backslashes, markup, formulas, line breaks, a
//! right-to-left override, terminal escape sequences, C1 controls) comes out of every output
//! shown, never obeyed, and JSON keeps it exactly.

use regtrace_core::text::steers_display;

use crate::{fixture, fresh_db, regtrace};

/// The spoofing title, exactly as the fixture writes it.
const SPOOF: &str =
    "Bidi \u{202E}txt.exe\u{202C} ESC \u{1b}[31mred\u{1b}[0m bell \u{7} CSI \u{9b}2J LS \u{2028} CR \r end";

fn output(args: &[&str]) -> Vec<u8> {
    let output = regtrace().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn assert_harmless(args: &[&str], text: &str) {
    if let Some(c) = text.chars().find(|c| steers_display(*c)) {
        panic!("{args:?} let U+{:04X} through:\n{text}", c as u32);
    }
}

#[test]
fn every_text_output_shows_what_steers_a_display_and_obeys_none() {
    let (dir, db) = fresh_db(&[fixture("hostile")]);
    let db = db.as_str();
    regtrace()
        .args([
            "--db",
            db,
            "change",
            "record",
            "ei-spoof",
            "--what",
            "edited \u{202E}drow",
            "--date",
            "2026-01-01",
        ])
        .assert()
        .success();
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for format in ["table", "csv", "json"] {
        cases.extend([
            vec!["list", "--format", format],
            vec!["show", "ei-spoof", "--format", format],
            vec!["show", "gl-hostile", "--format", format, "--lang", "ja"],
            vec!["impact", "ei-spoof", "--format", format],
            vec!["deps", "dev-plain", "--format", format],
            vec!["search", "Bidi", "--format", format],
            vec!["review", "list", "--format", format],
            vec!["change", "list", "--format", format],
            vec!["stats", "--format", format],
        ]);
    }
    cases.extend([
        vec!["path", "dev-plain", "ei-spoof"],
        vec!["audit", "--fail-on", "never"],
        vec!["audit", "--fail-on", "never", "--format", "markdown"],
        vec!["audit", "--fail-on", "never", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "dot"],
        vec!["export", "--format", "mermaid"],
        vec!["export", "--format", "graphml"],
        vec!["export", "--format", "svg", "--renderer", "builtin"],
        vec!["matrix", "--rows", "guideline", "--cols", "evaluation_item"],
        vec![
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "evaluation_item",
            "--format",
            "csv",
        ],
        vec![
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "evaluation_item",
            "--format",
            "markdown",
        ],
        vec![
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "evaluation_item",
            "--format",
            "html",
        ],
    ]);
    for case in &cases {
        let args: Vec<&str> = ["--db", db].iter().chain(case).copied().collect();
        let text = String::from_utf8(output(&args)).unwrap();
        assert_harmless(&args, &text);
        // The override and the escape sequence are named, not dropped: a reviewer sees them.
        if case.contains(&"ei-spoof") && case.contains(&"table") && case[0] == "show" {
            assert!(
                text.contains("<U+202E>txt.exe<U+202C>") && text.contains("␛[31m"),
                "{text}"
            );
        }
    }

    // SQL in the data is data: stored and read back as written (every statement is
    // parameterised), and the tables are all still there.
    let show: serde_json::Value =
        serde_json::from_slice(&output(&["--db", db, "show", "dev-plain", "--format", "json"])).unwrap();
    assert_eq!(show["node"]["source"], "x'); DROP TABLE nodes; --");
    regtrace()
        .args([
            "--db",
            db,
            "review",
            "close",
            "gl-hostile",
            "--outcome",
            "unchanged",
            "--by",
            "QA'; --",
        ])
        .args(["--note", "'); DELETE FROM reviews; --"])
        .assert()
        .success();
    let reviews: serde_json::Value = serde_json::from_slice(&output(&[
        "--db", db, "review", "list", "--closed", "--format", "json",
    ]))
    .unwrap();
    assert_eq!(reviews.as_array().unwrap().len(), 1, "{reviews}");

    // A line break in a title cannot fake a table row: one line per node, plus header and count.
    let list = String::from_utf8(output(&["--db", db, "list"])).unwrap();
    assert_eq!(list.lines().count(), 1 + 5 + 1, "{list}");

    // JSON carries the text exactly (escaped), so it reads back to the same title.
    let show: serde_json::Value =
        serde_json::from_slice(&output(&["--db", db, "show", "ei-spoof", "--format", "json"])).unwrap();
    assert_eq!(show["node"]["title"], SPOOF);
    let exported = dir.path().join("export.json");
    regtrace()
        .args(["--db", db, "export", "-o"])
        .arg(&exported)
        .assert()
        .success();
    assert_harmless(&["export"], &std::fs::read_to_string(&exported).unwrap());
    let again = dir.path().join("again.db");
    regtrace()
        .arg("--db")
        .arg(&again)
        .arg("import")
        .arg(&exported)
        .assert()
        .success();
    let show: serde_json::Value = serde_json::from_slice(&output(&[
        "--db",
        again.to_str().unwrap(),
        "show",
        "ei-spoof",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(show["node"]["title"], SPOOF, "the export round-trips exactly");

    // Spreadsheets: formulas inert in CSV; the workbook's cells hold no steering characters.
    let csv = String::from_utf8(output(&["--db", db, "list", "--format", "csv"])).unwrap();
    let formula = csv.lines().find(|l| l.starts_with("std-formula")).unwrap();
    assert!(formula.contains(",\"'=HYPERLINK("), "{formula}");
    assert!(formula.contains(",'+SUM(A1:A9)"), "{formula}");
    let xlsx = dir.path().join("m.xlsx");
    regtrace()
        .args([
            "--db",
            db,
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "evaluation_item",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&xlsx)
        .assert()
        .success();
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = workbook.sheet_names()[0].clone();
    let range = workbook.worksheet_range(&sheet).unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c.contains("<U+202E>txt.exe")), "{cells:?}");
    assert_harmless(&["matrix", "xlsx"], &cells.join("\n"));
}

/// Titles that XML forbids (the noncharacters U+FFFE and U+FFFF) or that Markdown would read as
/// markup (images, links, emphasis, code) come out of every XML output well-formed and of every
/// Markdown output as text.
#[test]
fn xml_stays_well_formed_and_markdown_stays_text_whatever_the_titles_hold() {
    // The checker itself refuses what XML forbids, so a pass below means something.
    assert!(roxmltree::Document::parse("<a>\u{ffff}</a>").is_err());
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data.toml");
    std::fs::write(
        &data,
        "[[node]]\nid = \"gl-x\"\nkind = \"guideline\"\nstatus = \"published\"\n\
         title = \"Nonchars \u{fffe} \u{ffff} ![i](http://x) *b* `c` [x](javascript:alert(1)) # h\"\n\
         [node.relations]\ncites = [\"std-y\"]\n\n\
         [[node]]\nid = \"std-y\"\nkind = \"standard\"\nstatus = \"published\"\n\
         title = \"- item \u{ffff}\"\n",
    )
    .unwrap();
    let db = dir.path().join("x.db");
    crate::import_into(&db, &[data]);
    let db = db.to_str().unwrap();
    let text = |args: &[&str]| {
        let mut all = vec!["--db", db];
        all.extend_from_slice(args);
        String::from_utf8(output(&all)).unwrap()
    };
    let options = || roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let mut xml = vec![
        ("graphml", text(&["export", "--format", "graphml"])),
        (
            "svg builtin",
            text(&["export", "--format", "svg", "--renderer", "builtin"]),
        ),
        (
            "matrix html",
            text(&[
                "matrix",
                "--rows",
                "guideline",
                "--cols",
                "standard",
                "--format",
                "html",
            ]),
        ),
        (
            "audit html",
            text(&["audit", "--fail-on", "never", "--format", "html"]),
        ),
    ];
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        xml.push((
            "svg graphviz",
            text(&["export", "--format", "svg", "--renderer", "graphviz"]),
        ));
    }
    let xlsx = dir.path().join("m.xlsx");
    regtrace()
        .args([
            "--db",
            db,
            "matrix",
            "--rows",
            "guideline",
            "--cols",
            "standard",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&xlsx)
        .assert()
        .success();
    let audit_book = dir.path().join("audit.xlsx");
    regtrace()
        .args([
            "--db",
            db,
            "audit",
            "--fail-on",
            "never",
            "--format",
            "xlsx",
            "-o",
        ])
        .arg(&audit_book)
        .assert()
        .success();
    let mut audit_workbook = zip::ZipArchive::new(std::fs::File::open(&audit_book).unwrap()).unwrap();
    for i in 0..audit_workbook.len() {
        let mut part = audit_workbook.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            let mut body = String::new();
            std::io::Read::read_to_string(&mut part, &mut body).unwrap();
            xml.push(("audit xlsx part", body));
        }
    }
    let mut workbook = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    for i in 0..workbook.len() {
        let mut part = workbook.by_index(i).unwrap();
        if part.name().unwrap().ends_with(".xml") {
            let mut body = String::new();
            std::io::Read::read_to_string(&mut part, &mut body).unwrap();
            xml.push(("xlsx part", body));
        }
    }
    for (what, document) in &xml {
        if let Err(e) = roxmltree::Document::parse_with_options(document, options()) {
            panic!("{what} is not well-formed XML: {e}");
        }
    }
    for (what, markdown) in [
        (
            "audit",
            text(&["audit", "--fail-on", "never", "--format", "markdown"]),
        ),
        (
            "matrix",
            text(&[
                "matrix",
                "--rows",
                "guideline",
                "--cols",
                "standard",
                "--format",
                "markdown",
            ]),
        ),
    ] {
        for raw in ["![i](", "[x](javascript", "*b*", "`c`", "| - item"] {
            assert!(
                !markdown.contains(raw),
                "{what} Markdown passes {raw:?} raw:\n{markdown}"
            );
        }
        assert!(markdown.contains("\\[x\\](javascript"), "{what}: {markdown}");
    }
}
