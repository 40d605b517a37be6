//! ReqIF import: real exports of DOORS, Polarion, ProR, Eclipse RMF (tests/fixtures/reqif, see
//! its NOTICE) and a made-up pump module, counted against the XML independently of regtrace's
//! reader (roxmltree), mapped, re-imported as a newer export.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::{fixture, regtrace, stderr_of};

/// The `.reqif` texts of a file: itself, or each `.reqif` inside a `.reqifz`.
fn texts(path: &Path) -> Vec<String> {
    if path.extension().is_some_and(|e| e == "reqifz") {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let names: Vec<String> = archive
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .filter(|n| n.ends_with(".reqif"))
            .collect();
        names
            .iter()
            .map(|name| {
                let mut text = String::new();
                archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
                text
            })
            .collect()
    } else {
        vec![std::fs::read_to_string(path).unwrap()]
    }
}

/// What the XML holds, counted with roxmltree: distinct SPEC-OBJECTs, SPECIFICATIONs,
/// SPEC-RELATIONs and the SPEC-HIERARCHY entries that place an object under a parent.
#[derive(Debug, Default, PartialEq)]
struct Counts {
    objects: usize,
    specifications: usize,
    relations: usize,
    placed: usize,
}

fn count(path: &Path) -> Counts {
    let mut objects = std::collections::BTreeSet::new();
    let mut specifications = std::collections::BTreeSet::new();
    let mut relations = std::collections::BTreeSet::new();
    let mut placed = std::collections::BTreeSet::new();
    for text in texts(path) {
        let document = roxmltree::Document::parse(&text).unwrap();
        for node in document.descendants().filter(|n| n.is_element()) {
            let id = node.attribute("IDENTIFIER").unwrap_or_default().to_owned();
            match node.tag_name().name() {
                "SPEC-OBJECT" => {
                    objects.insert(id);
                }
                "SPECIFICATION" => {
                    specifications.insert(id);
                }
                "SPEC-RELATION" => {
                    let end = |name: &str| {
                        node.children()
                            .find(|c| c.has_tag_name(name))
                            .and_then(|c| c.descendants().find(|d| d.has_tag_name("SPEC-OBJECT-REF")))
                            .and_then(|r| r.text())
                            .unwrap_or_default()
                            .trim()
                            .to_owned()
                    };
                    relations.insert((end("SOURCE"), end("TARGET")));
                }
                "SPEC-HIERARCHY" => {
                    let object = |n: roxmltree::Node| {
                        n.children()
                            .find(|c| c.has_tag_name("OBJECT"))
                            .and_then(|o| o.descendants().find(|d| d.has_tag_name("SPEC-OBJECT-REF")))
                            .and_then(|r| r.text())
                            .map(|t| t.trim().to_owned())
                    };
                    // The parent: the enclosing entry's object, or the specification.
                    let parent = node
                        .ancestors()
                        .skip(1)
                        .find(|a| a.has_tag_name("SPEC-HIERARCHY") || a.has_tag_name("SPECIFICATION"))
                        .map(|a| {
                            if a.has_tag_name("SPECIFICATION") {
                                a.attribute("IDENTIFIER").unwrap_or_default().to_owned()
                            } else {
                                object(a).unwrap_or_default()
                            }
                        })
                        .unwrap_or_default();
                    placed.insert((object(node).unwrap_or_default(), parent));
                }
                _ => {}
            }
        }
    }
    Counts {
        objects: objects.len(),
        specifications: specifications.len(),
        relations: relations.len(),
        placed: placed.len(),
    }
}

/// Imports `file` (with `mapping`) into a new database and returns its JSON document.
fn imported(file: &Path, mapping: Option<&Path>) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mut import = regtrace();
    import.arg("--db").arg(&db).arg("import").arg(file);
    if let Some(mapping) = mapping {
        import.arg("--mapping").arg(mapping);
    }
    import.assert().success();
    let out = regtrace()
        .arg("--db")
        .arg(&db)
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn edges_by_relation(document: &Value) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for edge in document["edges"].as_array().unwrap() {
        *by.entry(edge["relation"].as_str().unwrap().to_owned())
            .or_default() += 1;
    }
    by
}

fn node<'a>(document: &'a Value, id: &str) -> &'a Value {
    document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

#[test]
fn each_tools_export_imports_with_the_counts_the_xml_holds() {
    // (file, mapping, the relation its SPEC-RELATIONs become)
    let cases: &[(&str, Option<&str>, Option<&str>)] = &[
        ("reqif/doors-classic.reqif", None, None),
        ("reqif/doors-capella.reqif", None, None),
        ("reqif/doors-spielwiese.reqifz", None, None),
        ("reqif/polarion.reqif", None, None),
        ("reqif/polarion-roundtrip.reqifz", None, None),
        ("reqif/pror-traceability.reqif", None, Some("satisfies")),
        (
            "reqif/rmf-tc1300.reqif",
            Some("reqif/rmf-mapping.toml"),
            Some("derived_from"),
        ),
        ("reqif/rmf-tc1400-tables.reqif", None, None),
        (
            "reqif/rmf-tc1700.reqifz",
            Some("reqif/rmf-mapping.toml"),
            Some("derived_from"),
        ),
        ("reqif/datatype-demo.reqif", None, None),
        ("reqif/default-values.reqif", None, None),
        ("reqif/nested-attachment.reqifz", None, None),
        (
            "reqif/multiple.reqifz",
            Some("reqif/rmf-mapping.toml"),
            Some("relates_to"),
        ),
        (
            "reqif/pump-v1.reqif",
            Some("reqif/pump-mapping.toml"),
            Some("verifies"),
        ),
    ];
    for (file, mapping, relation) in cases {
        let path = fixture(file);
        let counts = count(&path);
        let document = imported(&path, mapping.map(fixture).as_deref());
        let nodes = document["nodes"].as_array().unwrap().len();
        assert_eq!(nodes, counts.objects + counts.specifications, "{file}: nodes");
        let by = edges_by_relation(&document);
        assert_eq!(
            by.get("contained_in").copied().unwrap_or(0),
            counts.placed,
            "{file}: structure links"
        );
        let traced = by
            .iter()
            .filter(|(r, _)| *r != "contained_in")
            .map(|(_, n)| n)
            .sum::<usize>();
        assert_eq!(traced, counts.relations, "{file}: trace links");
        if let Some(relation) = relation {
            assert_eq!(
                by.get(*relation).copied(),
                Some(counts.relations),
                "{file}: {by:?}"
            );
        }
        assert!(counts.objects > 0, "{file} holds objects");
    }
}

#[test]
fn every_datatype_and_every_xhtml_style_is_read() {
    let document = imported(
        &fixture("reqif/pump-v1.reqif"),
        Some(&fixture("reqif/pump-mapping.toml")),
    );
    let requirement = node(&document, "pump-2");
    assert_eq!(requirement["kind"], "requirement");
    assert_eq!(
        requirement["title_ja"],
        "閉塞を検知したとき、ポンプは1秒以内に停止すること"
    );
    let attributes = &requirement["attributes"];
    // XHTML under a default namespace, with a comment and an object inside: plain text without
    // the comment, markup under one prefix, the object listed as an attachment.
    assert_eq!(
        attributes["ReqIF.Text"],
        "The pump shall stop within 1 s when an occlusion is detected & alarm.\nOcclusion curve"
    );
    let markup = attributes["ReqIF.Text.xhtml"].as_str().unwrap();
    assert!(markup.starts_with("<xhtml:div><!-- DOORS Next style"), "{markup}");
    assert!(
        markup.contains("<xhtml:b>1 s</xhtml:b>") && markup.contains("&amp; alarm"),
        "{markup}"
    );
    assert!(!markup.contains("xmlns"), "{markup}");
    assert_eq!(attributes["reqif.attachments"], "files/occlusion.png");
    assert_eq!(attributes["ReqIF.ForeignID"], "2", "an INTEGER ForeignID");
    assert_eq!(attributes["Limit (s)"], "1.0");
    assert_eq!(attributes["Safety related"], "true");
    assert_eq!(attributes["Reviewed on"], "2026-10-30T00:00:00+09:00");
    assert_eq!(
        attributes["Software safety class"], "B, C",
        "a multi-valued enumeration"
    );
    assert_eq!(attributes["reqif.identifier"], "obj-0002");
    assert_eq!(attributes["reqif.position"], "1.1");
    // `reqif-xhtml:` (DOORS) and `xhtml:` (Polarion, RMF) prefixes.
    assert_eq!(
        node(&document, "pump-3")["title"],
        "The alarm shall sound at 65 dB or more."
    );
    assert_eq!(
        node(&document, "pump-3")["attributes"]["ReqIF.Text.xhtml"],
        "<xhtml:div>The alarm shall sound at <xhtml:i>65 dB</xhtml:i> or more.</xhtml:div>"
    );
    assert_eq!(node(&document, "pump-4")["kind"], "test_method");
    // A default value fills an attribute the object does not set.
    assert_eq!(node(&document, "pump-3")["attributes"]["Safety related"], "false");
    // The heading and the document are sections; the structure is not a trace link.
    assert_eq!(node(&document, "pump-1")["kind"], "section");
    assert_eq!(
        node(&document, "pump-spec-pump")["title"],
        "Infusion pump requirements"
    );
    let links: Vec<(String, String, String)> = document["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_owned(),
                e["relation"].as_str().unwrap().to_owned(),
                e["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        links.contains(&("pump-4".into(), "verifies".into(), "pump-2".into())),
        "reversed: {links:?}"
    );
    assert!(links.contains(&("pump-2".into(), "contained_in".into(), "pump-1".into())));
    assert!(links.contains(&("pump-1".into(), "contained_in".into(), "pump-spec-pump".into())));
}

#[test]
fn doors_enumerations_and_polarion_headings_map_as_the_tools_mean_them() {
    let document = imported(&fixture("reqif/doors-spielwiese.reqifz"), None);
    // DOORS: a heading is an object with a chapter name.
    let heading = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "Überschrift 1")
        .unwrap();
    assert_eq!(heading["kind"], "section");
    let ole = document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "OLE Object")
        .unwrap();
    let attachments = ole["attributes"]["reqif.attachments"].as_str().unwrap();
    assert!(
        attachments.contains(".ole") && attachments.contains(".png"),
        "{attachments}"
    );
    let document = imported(&fixture("reqif/polarion.reqif"), None);
    let kinds: BTreeMap<String, usize> =
        document["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .fold(BTreeMap::new(), |mut by, n| {
                *by.entry(n["kind"].as_str().unwrap().to_owned()).or_default() += 1;
                by
            });
    assert!(
        kinds.get("section").copied().unwrap_or(0) > 1,
        "Polarion's Heading type: {kinds:?}"
    );
    assert!(kinds.get("requirement").copied().unwrap_or(0) > 1, "{kinds:?}");
}

#[test]
fn an_unmapped_relation_type_is_named_where_it_is_defined_with_a_way_out() {
    let out = regtrace()
        .args(["check"])
        .arg(fixture("reqif/rmf-tc1300.reqif"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stderr).unwrap();
    assert!(
        text.contains("rmf-tc1300.reqif:29: error: 1 SPEC-RELATION of the type \"TC 1300 SpecRelationType\""),
        "{text}"
    );
    assert!(text.contains("regtrace reqif mapping FILE"), "{text}");
}

#[test]
fn a_starting_mapping_lists_every_type_and_imports_as_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let out = regtrace()
        .args(["reqif", "mapping"])
        .arg(fixture("reqif/rmf-tc1700.reqifz"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("type = \"TC1700 SpecObjectType\""), "{text}");
    assert!(text.contains("# 1 link of this type"), "{text}");
    assert!(text.contains("type = \"TC 1700 SpecRelationType\""), "{text}");
    let mapping = dir.path().join("map.toml");
    std::fs::write(&mapping, &text).unwrap();
    let db = dir.path().join("r.db");
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(fixture("reqif/rmf-tc1700.reqifz"))
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .success();
    // The built-in mapping is printed as it is used.
    let out = regtrace()
        .args(["reqif", "mapping", "--built-in"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("[reqif]"));
}

#[test]
fn a_newer_export_updates_the_same_nodes_and_opens_reviews_for_what_rests_on_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let mapping = fixture("reqif/pump-mapping.toml");
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(fixture("reqif/pump-v1.reqif"))
        .arg("--mapping")
        .arg(&mapping)
        .assert()
        .success();
    // v2: the requirement's text changed, and the tool gave the link a new IDENTIFIER.
    let out = regtrace()
        .arg("--db")
        .arg(&db)
        .args(["import", "--merge", "--record-changes"])
        .arg(fixture("reqif/pump-v2.reqif"))
        .arg("--mapping")
        .arg(&mapping)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.contains("0 added"), "{said}");
    assert!(said.contains("recorded change #1 on pump-2"), "{said}");
    let reviews = regtrace()
        .arg("--db")
        .arg(&db)
        .args(["review", "list", "--format", "json"])
        .output()
        .unwrap();
    let reviews: Value = serde_json::from_slice(&reviews.stdout).unwrap();
    let nodes: Vec<&str> = reviews
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["node"].as_str().unwrap())
        .collect();
    assert_eq!(
        nodes,
        ["pump-4"],
        "the test that verifies the changed requirement"
    );
    let document: Value = serde_json::from_slice(
        &regtrace()
            .arg("--db")
            .arg(&db)
            .args(["export", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let verifies = document["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] == "verifies")
        .count();
    assert_eq!(
        verifies, 1,
        "links are matched by their ends, not their identifier"
    );
    assert_eq!(node(&document, "pump-2")["attributes"]["Limit (s)"], "0.5");
}

/// The JSON document's nodes, edges and catalog, in a fixed order (what a store holds, as sets).
fn content(db: Option<&Path>) -> Value {
    let mut export = regtrace();
    if let Some(db) = db {
        export.arg("--db").arg(db);
    }
    let out = export.args(["export", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let document: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut nodes = document["nodes"].as_array().unwrap().clone();
    nodes.sort_by_key(|n| n["id"].as_str().unwrap().to_owned());
    let mut edges = document["edges"].as_array().unwrap().clone();
    edges.sort_by_key(|e| e.to_string());
    serde_json::json!({"nodes": nodes, "edges": edges, "relations": document["relations"]})
}

/// `export --format FORMAT` of the database (the built-in data set without one) into `file`.
fn export_to(db: Option<&Path>, format: &str, file: &Path) {
    let mut export = regtrace();
    if let Some(db) = db {
        export.arg("--db").arg(db);
    }
    export
        .env("SOURCE_DATE_EPOCH", "1764756000")
        .args(["export", "--format", format, "-o"])
        .arg(file)
        .assert()
        .success();
}

/// The data sets the export tests write: the built-in seed, and imports of real exports.
fn exported_sets(dir: &Path) -> Vec<(String, Option<std::path::PathBuf>)> {
    let mut sets = vec![("seed".to_owned(), None)];
    let sources: &[(&str, Option<&str>)] = &[
        ("reqif/pump-v1.reqif", Some("reqif/pump-mapping.toml")),
        ("reqif/polarion.reqif", None),
        ("reqif/doors-spielwiese.reqifz", None),
        ("reqif/pror-traceability.reqif", None),
        ("reqif/datatype-demo.reqif", None),
        ("pump/v1", None),
    ];
    for (i, (file, mapping)) in sources.iter().enumerate() {
        let db = dir.join(format!("source-{i}.db"));
        let mut import = regtrace();
        import.arg("--db").arg(&db).arg("import").arg(fixture(file));
        if let Some(mapping) = mapping {
            import.arg("--mapping").arg(fixture(mapping));
        }
        import.assert().success();
        sets.push(((*file).to_owned(), Some(db)));
    }
    sets
}

#[test]
fn an_exported_reqif_reads_back_as_the_same_data_and_writes_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    for (name, db) in exported_sets(dir.path()) {
        for format in ["reqif", "reqifz"] {
            let first = dir.path().join(format!("first.{format}"));
            export_to(db.as_deref(), format, &first);
            let again_db = dir.path().join(format!("again-{format}.db"));
            let _ = std::fs::remove_file(&again_db);
            let out = regtrace()
                .arg("--db")
                .arg(&again_db)
                .arg("import")
                .arg(&first)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{name} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(
                content(Some(&again_db)),
                content(db.as_deref()),
                "{name} {format}: the same data"
            );
            let second = dir.path().join(format!("second.{format}"));
            export_to(Some(&again_db), format, &second);
            assert!(
                std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
                "{name} {format}: the same file"
            );
        }
    }
}

#[test]
fn an_export_names_its_tool_and_uses_valid_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.reqif");
    export_to(None, "reqif", &file);
    let text = std::fs::read_to_string(&file).unwrap();
    let document = roxmltree::Document::parse(&text).unwrap();
    let text_of = |name: &str| {
        document
            .descendants()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap()
            .to_owned()
    };
    assert!(text_of("REQ-IF-TOOL-ID").starts_with("regtrace "));
    assert_eq!(text_of("SOURCE-TOOL-ID"), "regtrace");
    assert_eq!(text_of("CREATION-TIME"), "2025-12-03T10:00:00Z", "no fractions");
    // Every IDENTIFIER is an xsd:ID (an NCName) and unique.
    let mut seen = std::collections::HashSet::new();
    for node in document.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("IDENTIFIER") {
            let mut chars = id.chars();
            let first = chars.next().unwrap();
            assert!(first.is_ascii_alphabetic() || first == '_', "{id}");
            assert!(
                chars.all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)),
                "{id}"
            );
            assert!(seen.insert(id.to_owned()), "{id} twice");
        }
    }
    // Relation types named after the catalog's relations; titles in ReqIF.Name, Japanese kept.
    assert!(text.contains(r#"LONG-NAME="governed_by""#));
    assert!(text.contains(r#"LONG-NAME="ReqIF.Name""#));
    assert!(text.contains("高機能人工心臓システム"));
}

/// The exported files validate against the ReqIF 1.2 XSD (tests/reqif-xsd.py, Python's
/// xmlschema). CI installs xmlschema and sets CI; elsewhere a missing xmlschema skips the check
/// with a note.
#[test]
fn exported_files_are_valid_against_the_reqif_xsd() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (_, db)) in exported_sets(dir.path()).into_iter().enumerate() {
        for format in ["reqif", "reqifz"] {
            let file = dir.path().join(format!("export-{i}.{format}"));
            export_to(db.as_deref(), format, &file);
            files.push(file);
        }
    }
    let script = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/reqif-xsd.py"));
    let out = match std::process::Command::new("python3")
        .arg(&script)
        .args(&files)
        .output()
    {
        Ok(out) => out,
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("note: python3 is not available ({e}); the XSD check did not run");
            return;
        }
        Err(e) => panic!("python3 is needed under CI: {e}"),
    };
    if out.status.code() == Some(3) && std::env::var_os("CI").is_none() {
        eprintln!(
            "note: {}the XSD check did not run",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(said.matches(": valid").count(), files.len(), "{said}");
}

#[test]
fn a_selection_exports_as_reqif_with_the_nodes_and_links_json_gives() {
    for selection in [
        &["--root", "gl-artificial-heart", "--depth", "1"][..],
        &["--impact-of", "jp-pal-revision-2013", "--kind", "guideline"][..],
    ] {
        let json = crate::json(&[&["export", "--format", "json"][..], selection].concat());
        let out = regtrace()
            .args(["export", "--format", "reqif"])
            .args(selection)
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let document = roxmltree::Document::parse(&text).unwrap();
        let count = |name: &str| document.descendants().filter(|n| n.has_tag_name(name)).count();
        let nodes = json["nodes"].as_array().unwrap().len();
        let edges = json["edges"].as_array().unwrap().len();
        assert!(nodes > 1, "{selection:?}");
        assert_eq!(count("SPEC-OBJECT"), nodes, "{selection:?}");
        assert_eq!(
            count("SPEC-RELATION"),
            edges,
            "{selection:?} (the seed has no structure links)"
        );
    }
}

#[test]
fn a_mapping_fills_fields_from_attributes_and_picks_kinds_by_value() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("map.toml");
    std::fs::write(
        &mapping,
        r#"[reqif]
id = "ReqIF.ForeignID"
id_prefix = "p-"
title = ["ReqIF.ChapterName", "ReqIF.Text"]
keep_attributes = false
hierarchy = ""

[reqif.fields]
published = "Reviewed on"
title_ja = "Title (ja)"

# Only safety-related requirements are evaluation items here; the others stay requirements.
[[reqif.object]]
type = "Requirement"
when = { attribute = "Safety related", value = "TRUE" }
kind = "evaluation_item"

[[reqif.object]]
type = "*"
kind = "requirement"

[[reqif.relation]]
type = "is verified by"
relation = "verifies"
reverse = true
"#,
    )
    .unwrap();
    let document = imported(&fixture("reqif/pump-v1.reqif"), Some(&mapping));
    let item = node(&document, "p-2");
    assert_eq!(
        item["kind"], "evaluation_item",
        "Safety related = true (any case)"
    );
    assert_eq!(item["published"], "2026-10-30", "the day of an xsd:dateTime");
    assert_eq!(
        item["title_ja"],
        "閉塞を検知したとき、ポンプは1秒以内に停止すること"
    );
    let attributes = item["attributes"].as_object().unwrap();
    assert!(
        attributes.keys().all(|k| k.starts_with("reqif.")),
        "keep_attributes = false keeps only the foreign keys: {attributes:?}"
    );
    assert_eq!(
        node(&document, "p-3")["kind"],
        "requirement",
        "Safety related = false (the default)"
    );
    // hierarchy = "": no document node, no structure links.
    assert!(
        document["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] != "section" || n["id"] == "p-1")
    );
    assert!(
        document["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["relation"] != "contained_in")
    );
}

/// A newer DOORS export in which only the tool's bookkeeping moved (who changed an object last
/// and when) records no change; one whose text changed does.
#[test]
fn a_reexport_that_only_touched_the_tools_bookkeeping_records_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let original = std::fs::read_to_string(fixture("reqif/doors-classic.reqif")).unwrap();
    // Every ReqIF.ForeignModifiedOn value (definitions `…_LASTMODIFIEDON`) gets a later date.
    let mut touched = original.clone();
    let marker = "_LASTMODIFIEDON</ATTRIBUTE-DEFINITION-DATE-REF>";
    let mut from = 0;
    let mut count = 0;
    while let Some(at) = touched[from..].find(marker).map(|i| i + from) {
        let value = touched[..at].rfind("THE-VALUE=\"").unwrap() + "THE-VALUE=\"".len();
        touched.replace_range(value..value + 19, "2026-12-01T00:00:00");
        from = at + marker.len();
        count += 1;
    }
    assert!(count >= 3, "the fixture's objects carry ReqIF.ForeignModifiedOn");
    let touched_file = dir.path().join("touched.reqif");
    std::fs::write(&touched_file, &touched).unwrap();
    regtrace()
        .arg("--db")
        .arg(&db)
        .arg("import")
        .arg(fixture("reqif/doors-classic.reqif"))
        .assert()
        .success();
    let merge = |file: &Path| {
        let out = regtrace()
            .arg("--db")
            .arg(&db)
            .args(["import", "--merge", "--record-changes"])
            .arg(file)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let said = merge(&touched_file);
    assert!(said.contains("no content changes to record"), "{said}");
    // The same file with a heading's words changed is a change.
    assert!(original.contains("Carbon Trust Standard"));
    let edited_file = dir.path().join("edited.reqif");
    let edited = touched.replace("Carbon Trust Standard", "Carbon Trust Standard (revised)");
    std::fs::write(&edited_file, edited).unwrap();
    let said = merge(&edited_file);
    assert!(said.contains("recorded change #1"), "{said}");
}

/// A large export (here 17 MiB, padded by a comment) is mapped rather than read and parsed in
/// parts at once: it imports to the same nodes and links as the small file it grew from, and
/// a broken one still gets its diagnostic at the right line.
#[test]
fn a_large_reqif_file_imports_as_the_small_one_does() {
    let mapping = fixture("reqif/pump-mapping.toml");
    let small = fixture("reqif/pump-v1.reqif");
    let text = std::fs::read_to_string(&small).unwrap();
    let padding = format!("<!-- {} -->\n", "x".repeat(17 << 20));
    let large_text = text.replacen("<SPEC-OBJECTS>\n", &format!("<SPEC-OBJECTS>\n{padding}"), 1);
    let dir = tempfile::tempdir().unwrap();
    let large = dir.path().join("large.reqif");
    std::fs::write(&large, &large_text).unwrap();
    let without_source = |mut document: Value| {
        for node in document["nodes"].as_array_mut().unwrap() {
            node.as_object_mut().unwrap().remove("source");
        }
        document
    };
    assert_eq!(
        without_source(imported(&large, Some(&mapping))),
        without_source(imported(&small, Some(&mapping)))
    );
    // Cut short after the padding: the line named is the file's own.
    let cut = &large_text[..large_text.rfind("</SPEC-OBJECTS>").unwrap()];
    std::fs::write(&large, cut).unwrap();
    let said = stderr_of(
        regtrace().arg("check").arg(&large).arg("--mapping").arg(&mapping),
        2,
    );
    let opened = text.lines().position(|l| l.contains("<SPEC-OBJECTS>")).unwrap() + 1;
    assert!(
        said.contains(&format!(
            "large.reqif:{}: error: the file ends inside <SPEC-OBJECTS> opened at line {opened}",
            cut.lines().count()
        )),
        "{said}"
    );
}
