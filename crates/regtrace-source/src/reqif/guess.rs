//! A starting mapping for a ReqIF export never seen before (`regtrace reqif mapping FILE`).
//!
//! Lists every object type and relation type the files use, with how many records use it and
//! the attributes they carry, and guesses a target for each from its name. The guesses are
//! marked as such; the user edits what is wrong and imports with `--mapping`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use super::parse::{DataKind, Document, SpecType, TypeRole};

/// A kind guessed from a type's name.
fn guess_kind(name: &str) -> (&'static str, &'static str) {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&[
        "heading",
        "chapter",
        "section",
        "überschrift",
        "kapitel",
        "見出し",
        "章",
    ]) {
        ("section", "a heading")
    } else if has(&["test", "prüf", "試験"]) {
        ("test_method", "a test")
    } else if has(&["guideline", "ガイドライン"]) {
        ("guideline", "a guideline")
    } else if has(&["standard", "norm", "規格"]) {
        ("standard", "a standard")
    } else if has(&["device", "機器"]) {
        ("device", "a device")
    } else if has(&["evaluation", "評価"]) {
        ("evaluation_item", "an evaluation item")
    } else {
        ("requirement", "a requirement")
    }
}

/// A relation guessed from a relation type's name: (relation, reverse, why).
fn guess_relation(name: &str) -> (&'static str, bool, &'static str) {
    let n = name.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| n.contains(w));
    if has(&["verified by", "tested by"]) {
        ("verifies", true, "the target verifies the source")
    } else if has(&["verif", "test", "prüf"]) {
        ("verifies", false, "the source verifies the target")
    } else if has(&["deriv", "ableit"]) {
        ("derived_from", false, "the source is derived from the target")
    } else if has(&["refine", "verfeiner"]) {
        ("refines", false, "the source refines the target")
    } else if has(&["implement", "realiz", "realis", "satisf", "erfüll", "umsetz"]) {
        ("satisfies", false, "the source satisfies the target")
    } else if has(&["parent", "child", "contain", "part of"]) {
        ("contained_in", false, "structure, no impact")
    } else {
        (
            "relates_to",
            false,
            "no direction known: carries no impact, choose one that does if the source depends on the target",
        )
    }
}

fn quote(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

/// The mapping text for `documents` (every type used, with counts and guesses).
pub fn mapping(documents: &[Document]) -> String {
    let mut types: Vec<&SpecType> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for document in documents {
        for spec_type in &document.types {
            if seen.insert(spec_type.id.as_str()) {
                types.push(spec_type);
            }
        }
    }
    let mut objects: HashMap<&str, usize> = HashMap::new();
    let mut relations: HashMap<&str, usize> = HashMap::new();
    // Attribute definition → how many values it has.
    let mut filled: HashMap<&str, usize> = HashMap::new();
    for document in documents {
        for object in &document.objects {
            *objects
                .entry(object.type_ref.as_deref().unwrap_or(""))
                .or_default() += 1;
            for value in &object.values {
                *filled.entry(&*value.definition).or_default() += 1;
            }
        }
        for relation in &document.relations {
            *relations
                .entry(relation.type_ref.as_deref().unwrap_or(""))
                .or_default() += 1;
        }
    }
    let definition_names: BTreeMap<&str, &str> = types
        .iter()
        .flat_map(|t| t.attributes.iter())
        .map(|d| (d.id.as_str(), d.long_name.as_deref().unwrap_or(&d.id)))
        .collect();
    let used_names: std::collections::BTreeSet<&str> = filled
        .keys()
        .filter_map(|d| definition_names.get(d).copied())
        .collect();
    let mut title: Vec<&str> = ["ReqIF.ChapterName", "ReqIF.Name", "ReqIF.Text"]
        .into_iter()
        .filter(|n| used_names.contains(n))
        .collect();
    if title.is_empty() {
        // No ReqIF.* title attribute: the text attributes whose names say title, name, heading
        // or text, in that order.
        let texts: Vec<&str> = types
            .iter()
            .flat_map(|t| t.attributes.iter())
            .filter(|d| {
                matches!(d.kind, DataKind::String | DataKind::Xhtml) && filled.contains_key(d.id.as_str())
            })
            .filter_map(|d| d.long_name.as_deref())
            .collect();
        for word in ["title", "name", "heading", "text"] {
            for name in &texts {
                if name.to_lowercase().contains(word) && !title.contains(name) {
                    title.push(name);
                }
            }
        }
    }
    let foreign_id = used_names.contains("ReqIF.ForeignID");
    // DOORS marks headings by a chapter name.
    let chapter_names = used_names.contains("ReqIF.ChapterName");
    let tools: Vec<String> = documents
        .iter()
        .filter_map(|d| {
            d.header
                .source_tool
                .clone()
                .or_else(|| d.header.reqif_tool.clone())
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let total_objects: usize = objects.values().sum();
    let total_relations: usize = relations.values().sum();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# A ReqIF mapping for regtrace, written by `regtrace reqif mapping` from:"
    );
    for document in documents {
        let _ = writeln!(out, "#   {}", document.file);
    }
    if !tools.is_empty() {
        let _ = writeln!(out, "# Written by: {}", tools.join(", "));
    }
    let _ = writeln!(
        out,
        "# {total_objects} SPEC-OBJECTs, {total_relations} SPEC-RELATIONs. Every target below is a GUESS from a name:"
    );
    let _ = writeln!(
        out,
        "# check each, then `regtrace import FILE --mapping THIS.toml`. Kinds and relations: `regtrace catalog`."
    );
    let _ = writeln!(out, "[reqif]");
    if foreign_id {
        let _ = writeln!(
            out,
            "# Objects carry ReqIF.ForeignID (the tool's own number): id = \"ReqIF.ForeignID\" with an id_prefix gives readable ids."
        );
    }
    let _ = writeln!(out, "id = \"identifier\"");
    let _ = writeln!(out, "id_prefix = \"\"");
    let title = if title.is_empty() {
        vec!["ReqIF.ChapterName", "ReqIF.Name", "ReqIF.Text"]
    } else {
        title
    };
    let _ = writeln!(
        out,
        "title = [{}]",
        title.iter().map(|t| quote(t)).collect::<Vec<_>>().join(", ")
    );
    let _ = writeln!(out, "title_ja = []");
    let _ = writeln!(out, "hierarchy = \"contained_in\"");
    let _ = writeln!(out, "document_kind = \"section\"");
    if chapter_names {
        let _ = writeln!(
            out,
            "\n# Objects with a chapter name and no text are headings (DOORS)."
        );
        let _ = writeln!(
            out,
            "[[reqif.object]]\ntype = \"*\"\nwhen = {{ attribute = \"ReqIF.ChapterName\", absent = \"ReqIF.Text\" }}\nkind = \"section\""
        );
    }
    for spec_type in types.iter().filter(|t| t.role == TypeRole::Object) {
        let count = objects.get(spec_type.id.as_str()).copied().unwrap_or(0);
        let (kind, why) = guess_kind(spec_type.name());
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# {count} object{} of this type; guessed: {why}.",
            if count == 1 { "" } else { "s" }
        );
        let attributes: Vec<String> = spec_type
            .attributes
            .iter()
            .map(|d| {
                let name = d.long_name.as_deref().unwrap_or(&d.id);
                let n = filled.get(d.id.as_str()).copied().unwrap_or(0);
                format!(
                    "{name} ({}, {n} value{})",
                    d.kind.suffix().to_lowercase(),
                    if n == 1 { "" } else { "s" }
                )
            })
            .collect();
        if !attributes.is_empty() {
            let _ = writeln!(out, "# Attributes: {}", attributes.join("; "));
        }
        let _ = writeln!(out, "[[reqif.object]]");
        let _ = writeln!(out, "type = {}", quote(type_key(spec_type)));
        let _ = writeln!(out, "kind = {}", quote(kind));
    }
    for spec_type in types.iter().filter(|t| t.role == TypeRole::Relation) {
        let count = relations.get(spec_type.id.as_str()).copied().unwrap_or(0);
        let (relation, reverse, why) = guess_relation(spec_type.name());
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "# {count} link{} of this type; guessed: {why}.",
            if count == 1 { "" } else { "s" }
        );
        let _ = writeln!(out, "[[reqif.relation]]");
        let _ = writeln!(out, "type = {}", quote(type_key(spec_type)));
        let _ = writeln!(out, "relation = {}", quote(relation));
        if reverse {
            let _ = writeln!(out, "reverse = true");
        }
    }
    out
}

/// How a mapping names a type: its LONG-NAME, else its IDENTIFIER.
fn type_key(spec_type: &SpecType) -> &str {
    spec_type
        .long_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&spec_type.id)
}
