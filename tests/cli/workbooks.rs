//! Hostile workbooks: each is a small, well-formed package built here part by part, as Excel
//! lays one out, with one part made hostile. Each is refused with exit 2 and a message naming
//! the file (and sheet or cell), nothing imported, never a crash or an allocation of gigabytes;
//! and what Excel shows differently from what the file holds is refused, never read.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::{regtrace, stderr_of};

/// A sheet of a workbook: its name, its state (`visible`, `hidden`, `veryHidden`) and the
/// XML of its `<sheetData>` (plus anything before it, such as `<cols>`).
struct Sheet<'a> {
    name: &'a str,
    state: &'a str,
    data: String,
}

/// A sheet of inline-string rows, each row a list of (cell reference, text).
fn rows(rows: &[&[(&str, &str)]]) -> String {
    let mut xml = String::from("<sheetData>");
    for (i, row) in rows.iter().enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", i + 1));
        for (at, text) in *row {
            xml.push_str(&format!(
                "<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"
            ));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData>");
    xml
}

/// The nodes sheet of one device, then `extra` rows' XML before the sheet's end.
fn nodes_with(extra: &str) -> String {
    rows(&[
        &[("A1", "id"), ("B1", "kind"), ("C1", "title")],
        &[("A2", "pump"), ("B2", "device"), ("C2", "Infusion pump")],
    ])
    .replace("</sheetData>", &format!("{extra}</sheetData>"))
}

/// Writes a workbook of `sheets` (and `shared`, the shared-strings part, if any) as a package
/// Excel and calamine read: content types, relationships, workbook, a date style, sheets.
fn book(dir: &Path, name: &str, sheets: &[Sheet<'_>], shared: Option<&[u8]>) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let deflated =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut part = |name: &str, bytes: &[u8]| {
        zip.start_file(name, deflated).unwrap();
        zip.write_all(bytes).unwrap();
    };
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    for i in 1..=sheets.len() {
        types.push_str(&format!(r#"<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#));
    }
    types.push_str("</Types>");
    part("[Content_Types].xml", types.as_bytes());
    part(
        "_rels/.rels",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).as_bytes(),
    );
    let mut workbook =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>"#);
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, sheet) in sheets.iter().enumerate() {
        let n = i + 1;
        workbook.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" state="{}" r:id="rId{n}"/>"#,
            sheet.name, sheet.state
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
    }
    workbook.push_str("</sheets></workbook>");
    let styles = sheets.len() + 1;
    rels.push_str(&format!(
        r#"<Relationship Id="rId{styles}" Type="{rel}/styles" Target="styles.xml"/>"#
    ));
    if shared.is_some() {
        rels.push_str(&format!(
            r#"<Relationship Id="rId{}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>"#,
            styles + 1
        ));
    }
    rels.push_str("</Relationships>");
    part("xl/workbook.xml", workbook.as_bytes());
    part("xl/_rels/workbook.xml.rels", rels.as_bytes());
    // Style 1 is a date (built-in format 14), as Excel writes a cell typed as a date.
    part(
        "xl/styles.xml",
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{ns}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#).as_bytes(),
    );
    if let Some(shared) = shared {
        part("xl/sharedStrings.xml", shared);
    }
    for (i, sheet) in sheets.iter().enumerate() {
        part(
            &format!("xl/worksheets/sheet{}.xml", i + 1),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">{}</worksheet>"#,
                sheet.data
            )
            .as_bytes(),
        );
    }
    zip.finish().unwrap();
    path
}

fn nodes(data: String) -> Sheet<'static> {
    Sheet {
        name: "nodes",
        state: "visible",
        data,
    }
}

/// Imports `path` into a fresh database: exit 2, and the message; the database is not made.
fn refused(path: &Path) -> String {
    let db = path.with_extension("db");
    let stderr = stderr_of(regtrace().arg("--db").arg(&db).arg("import").arg(path), 2);
    assert!(!db.exists(), "nothing imported: {stderr}");
    stderr
}

#[test]
fn a_well_formed_package_of_this_file_imports() {
    // The package these tests make is one regtrace reads: what each test changes is the cause.
    let dir = tempfile::tempdir().unwrap();
    let date = r#"<row r="3"><c r="A3" t="inlineStr"><is><t>iso-14971-2019</t></is></c><c r="B3" t="inlineStr"><is><t>standard</t></is></c><c r="C3" t="inlineStr"><is><t>ISO 14971</t></is></c><c r="D3" s="1"><v>43800</v></c></row>"#;
    let data = nodes_with(date).replace(r#"<c r="C1" t="inlineStr"><is><t>title</t></is></c>"#, r#"<c r="C1" t="inlineStr"><is><t>title</t></is></c><c r="D1" t="inlineStr"><is><t>published</t></is></c>"#);
    let path = book(dir.path(), "ok.xlsx", &[nodes(data)], None);
    let db = dir.path().join("ok.db");
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(&path)
        .assert()
        .success();
    let shown = crate::json(&[
        "--db",
        db.to_str().unwrap(),
        "show",
        "iso-14971-2019",
        "--format",
        "json",
    ]);
    assert_eq!(shown["node"]["published"], "2019-12-01", "{shown}");
}

#[test]
fn workbook_bombs_are_refused_before_they_are_unpacked_or_allocated() {
    let dir = tempfile::tempdir().unwrap();
    // 4. One cell at the last place Excel has: before, calamine laid out the whole sheet
    // (549,755,813,888 bytes) and the process aborted.
    let far = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let path = book(dir.path(), "far.xlsx", &[nodes(nodes_with(far))], None);
    let stderr = refused(&path);
    assert!(stderr.contains("far.xlsx:nodes!"), "{stderr}");

    // A shared string of 1 MB in 2,000 cells: 2 GB of text from a file of 600 KB (letters
    // that do not repeat, or the ratio check below would refuse it first).
    let mut seed = 1u32;
    let big: String = (0..1 << 20)
        .map(|_| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b'a' + (seed >> 16) as u8 % 16)
        })
        .collect();
    let shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000" uniqueCount="1"><si><t>{big}</t></si></sst>"#
    );
    let mut many = String::new();
    for r in 3..2003 {
        many.push_str(&format!(r#"<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>n{r}</t></is></c><c r="B{r}" t="inlineStr"><is><t>device</t></is></c><c r="C{r}" t="s"><v>0</v></c></row>"#));
    }
    let path = book(
        dir.path(),
        "shared.xlsx",
        &[nodes(nodes_with(&many))],
        Some(shared.as_bytes()),
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let stderr = refused(&path);
    assert!(
        stderr.contains("shared.xlsx:nodes!A1") && stderr.contains("MiB of text"),
        "{stderr}"
    );

    // A shared-strings part that says it holds four billion strings (calamine reserves room
    // for them before reading one).
    let liar = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="4000000000"><si><t>a</t></si></sst>"#;
    let path = book(
        dir.path(),
        "liar.xlsx",
        &[nodes(nodes_with(""))],
        Some(liar.as_bytes()),
    );
    let stderr = refused(&path);
    assert!(
        stderr.contains("says it holds 4000000000 strings") && stderr.contains("holds 1"),
        "{stderr}"
    );

    // References calamine computes with unchecked (found by the xlsx_package fuzzer): a range
    // from bottom right to top left overflowed, a row of eleven digits wrapped to another row.
    for (name, data) in [
        (
            "reversed.xlsx",
            format!(r#"<dimension ref="B5:A1"/>{}"#, nodes_with("")),
        ),
        (
            "merged.xlsx",
            format!(
                r#"{}<mergeCells count="1"><mergeCell ref="C3:A1"/></mergeCells>"#,
                nodes_with("")
            ),
        ),
        (
            "wrapped.xlsx",
            nodes_with(r#"<row r="3"><c r="A99999999999" t="inlineStr"><is><t>x</t></is></c></row>"#),
        ),
        (
            "long.xlsx",
            nodes_with(r#"<row r="4294967297"><c r="A3" t="inlineStr"><is><t>x</t></is></c></row>"#),
        ),
    ] {
        let stderr = refused(&book(dir.path(), name, &[nodes(data)], None));
        assert!(
            stderr.contains(&format!("{name}:nodes!A1")) && stderr.contains("not a place on an Excel sheet"),
            "{stderr}"
        );
    }

    // 64 MB of whitespace in the sheet's XML, packed to a few hundred KB.
    let blank = " ".repeat(64 << 20);
    let path = book(dir.path(), "blank.xlsx", &[nodes(nodes_with(&blank))], None);
    assert!(std::fs::metadata(&path).unwrap().len() < 1 << 20);
    let stderr = refused(&path);
    assert!(
        stderr.contains("blank.xlsx: error")
            && stderr.contains("xl/worksheets/sheet1.xml")
            && stderr.contains("zip bomb"),
        "{stderr}"
    );
}

#[test]
fn what_excel_does_not_show_or_shows_otherwise_is_refused_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let other = rows(&[
        &[("A1", "id"), ("B1", "kind"), ("C1", "title")],
        &[("A2", "planted"), ("B2", "device"), ("C2", "Not on screen")],
    ]);
    // 7. A very hidden sheet named `nodes` beside the visible ` Nodes`.
    let sheets = [
        Sheet {
            name: "nodes",
            state: "veryHidden",
            data: other.clone(),
        },
        Sheet {
            name: " Nodes",
            state: "visible",
            data: nodes_with(""),
        },
    ];
    let stderr = refused(&book(dir.path(), "two.xlsx", &sheets, None));
    assert!(stderr.contains("2 sheets answer to the name `nodes`"), "{stderr}");
    // A hidden sheet alone is not read either.
    let sheets = [Sheet {
        name: "nodes",
        state: "hidden",
        data: other,
    }];
    let stderr = refused(&book(dir.path(), "hidden.xlsx", &sheets, None));
    assert!(
        stderr.contains("hidden.xlsx:nodes!A1") && stderr.contains("is hidden"),
        "{stderr}"
    );

    // Hidden rows and columns.
    let row = r#"<row r="3" hidden="1"><c r="A3" t="inlineStr"><is><t>planted</t></is></c><c r="B3" t="inlineStr"><is><t>device</t></is></c><c r="C3" t="inlineStr"><is><t>Hidden</t></is></c></row>"#;
    let stderr = refused(&book(dir.path(), "row.xlsx", &[nodes(nodes_with(row))], None));
    assert!(
        stderr.contains("row.xlsx:nodes!A3: error: row 3 is hidden"),
        "{stderr}"
    );
    let data = format!(
        r#"<cols><col min="3" max="3" hidden="1"/></cols>{}"#,
        nodes_with("")
    );
    let stderr = refused(&book(dir.path(), "column.xlsx", &[nodes(data)], None));
    assert!(
        stderr.contains("column.xlsx:nodes!C1: error: column C is hidden"),
        "{stderr}"
    );

    // Numbers: an id Excel shows as 1.23457E+19 and the file holds rounded; 0.1 + 0.2.
    let id = r#"<row r="3"><c r="A3"><v>12345678901234567890</v></c><c r="B3" t="inlineStr"><is><t>device</t></is></c><c r="C3" t="inlineStr"><is><t>Numbered</t></is></c></row>"#;
    let stderr = refused(&book(dir.path(), "id.xlsx", &[nodes(nodes_with(id))], None));
    assert!(
        stderr.contains("id.xlsx:nodes!A3: error: the id cell holds the number"),
        "{stderr}"
    );
    let sum = r#"<row r="3"><c r="A3" t="inlineStr"><is><t>sum</t></is></c><c r="B3" t="inlineStr"><is><t>device</t></is></c><c r="C3"><v>0.30000000000000004</v></c></row>"#;
    let stderr = refused(&book(dir.path(), "sum.xlsx", &[nodes(nodes_with(sum))], None));
    assert!(
        stderr.contains("sum.xlsx:nodes!C3") && stderr.contains("rounded to 15 digits"),
        "{stderr}"
    );

    // A date serial before Excel's first day.
    let data = nodes_with(r#"<row r="3"><c r="A3" t="inlineStr"><is><t>old</t></is></c><c r="B3" t="inlineStr"><is><t>standard</t></is></c><c r="C3" t="inlineStr"><is><t>Old</t></is></c><c r="D3" s="1"><v>-5</v></c></row>"#)
        .replace(r#"<c r="C1" t="inlineStr"><is><t>title</t></is></c>"#, r#"<c r="C1" t="inlineStr"><is><t>title</t></is></c><c r="D1" t="inlineStr"><is><t>published</t></is></c>"#);
    let stderr = refused(&book(dir.path(), "date.xlsx", &[nodes(data)], None));
    assert!(
        stderr.contains("date.xlsx:nodes!D3") && stderr.contains("outside Excel's dates"),
        "{stderr}"
    );
}

/// A problem with one part of a link names that part's cell: the relation's column for an
/// unknown relation, the `to` column for an unknown target (before, every one was placed at the
/// row's first cell). The sheet's columns in another order are followed.
#[test]
fn a_link_problem_names_the_cell_at_fault() {
    let dir = tempfile::tempdir().unwrap();
    let edges = Sheet {
        name: "edges",
        state: "visible",
        data: rows(&[
            &[("A1", "relation"), ("B1", "from"), ("C1", "to")],
            &[("A2", "covered_by"), ("B2", "pump"), ("C2", "gl-nowhere")],
            &[("A3", "coverd_by"), ("B3", "pump"), ("C3", "pump")],
        ]),
    };
    let path = book(dir.path(), "links.xlsx", &[nodes(nodes_with("")), edges], None);
    let err = refused(&path);
    assert!(
        err.contains("links.xlsx:edges!C2: error: covered_by to unknown node \"gl-nowhere\""),
        "{err}"
    );
    assert!(
        err.contains("links.xlsx:edges!A3: error: unknown relation \"coverd_by\""),
        "{err}"
    );
}
