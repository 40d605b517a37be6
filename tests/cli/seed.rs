//! The embedded seed data set reproduces the deck, and answers with no set-up.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::{json, regtrace};

fn by_id(document: &Value) -> BTreeMap<String, Value> {
    document["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["id"].as_str().unwrap().to_owned(), n.clone()))
        .collect()
}

fn edges(document: &Value, relation: &str) -> Vec<(String, String)> {
    document["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["relation"] == relation)
        .map(|e| {
            (
                e["from"].as_str().unwrap().to_owned(),
                e["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn show_law_revision_lists_the_guidelines_it_governs_without_a_database() {
    let shown = json(&["show", "jp-pal-revision-2013", "--format", "json"]);
    assert_eq!(shown["node"]["enacted"], "2013-11-20");
    assert_eq!(shown["node"]["title_ja"], "薬事法改正（平成25年11月20日成立）");
    let governed: Vec<&str> = shown["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relation"] == "governed_by")
        .map(|r| {
            assert_eq!(r["kind"], "guideline");
            r["id"].as_str().unwrap()
        })
        .collect();

    // Exactly the guidelines that were published (and still current) by the revision.
    let document = json(&["export"]);
    let mut published: Vec<String> = by_id(&document)
        .into_values()
        .filter(|n| n["kind"] == "guideline" && n["status"] == "published")
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    published.sort();
    let mut governed: Vec<String> = governed.into_iter().map(str::to_owned).collect();
    governed.sort();
    assert_eq!(governed, published);
    assert_eq!(governed.len(), 16);
}

#[test]
fn counting_the_seed_reproduces_the_decks_figures() {
    let document = json(&["export"]);
    let nodes = by_id(&document);
    let of_kind = |kind: &'static str| nodes.values().filter(move |n| n["kind"] == kind);
    let guidelines_where = |status: &str, fiscal_year: &str| {
        of_kind("guideline")
            .filter(|n| n["status"] == status && n["attributes"]["fiscal_year"] == fiscal_year)
            .count()
    };
    let revisions: Vec<(String, String)> = edges(&document, "revises");
    let is_revision = |id: &str| revisions.iter().any(|(from, _)| from == id);

    // Slide 10: four guidelines published in FY2011, one of them a revision.
    assert_eq!(guidelines_where("published", "FY2011"), 4);
    // Slide 11/12: five drafts, one of them a revision.
    let drafts: Vec<&Value> = of_kind("guideline").filter(|n| n["status"] == "draft").collect();
    assert_eq!(drafts.len(), 5);
    assert_eq!(
        drafts
            .iter()
            .filter(|n| is_revision(n["id"].as_str().unwrap()))
            .count(),
        1
    );
    // Slide 12: eight guidelines being written in FY2013, each with its working group.
    assert_eq!(guidelines_where("in_progress", "FY2013"), 8);
    let authored = edges(&document, "authored_by");
    for n in of_kind("guideline").filter(|n| n["status"] == "in_progress") {
        assert!(
            authored
                .iter()
                .any(|(from, to)| from == n["id"].as_str().unwrap() && to.starts_with("wg-fy2013-"))
        );
    }
    // Slide 12 states 21 published by October 2013; the deck names 17 (both DNA chip editions).
    let named_published = of_kind("guideline")
        .filter(|n| n["status"] == "published" || n["status"] == "superseded")
        .count();
    assert_eq!(named_published, 17);
    let programme = &nodes["meti-guideline-programme"]["attributes"];
    assert_eq!(programme["stated_published_by_2013_10"], "21");
    assert_eq!(programme["target_guidelines_by_fy2014"], "27");
    // Slide 16: eight fields; slide 7: seven policies.
    assert_eq!(of_kind("field").count(), 8);
    assert_eq!(of_kind("policy").count(), 7);
    assert_eq!(edges(&document, "answers_to").len(), 7);
    // Slide 15: six standards projects, by body and stage, with no invented designation.
    let standards: Vec<(String, String)> = of_kind("standard")
        .map(|n| {
            assert!(n.get("designation").is_none(), "{n}");
            (
                n["body"].as_str().unwrap().to_owned(),
                n["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let count = |body: &str, status: &str| standards.iter().filter(|(b, s)| b == body && s == status).count();
    assert_eq!(
        (
            count("ISO", "published"),
            count("ISO", "in_progress"),
            count("IEC", "in_progress"),
            count("JIS", "proposed")
        ),
        (1, 2, 2, 1)
    );
    assert_eq!(edges(&document, "developed_into").len(), 6);
    // Slide 9: the example evaluation item is verified by the three-point bending test.
    assert_eq!(
        edges(&document, "verified_by"),
        [(
            "ei-no-breakage-during-procedure".to_owned(),
            "tm-three-point-bending".to_owned()
        )]
    );
    // Revision links: 2008 → 2012 navigation, 2010 → 2011 DNA chip.
    assert!(revisions.contains(&(
        "gl-navigation-common-2012".into(),
        "gl-navigation-common-2008".into()
    )));
    assert!(revisions.contains(&("gl-dna-chip-2011".into(), "gl-dna-chip-2010".into())));
    // Every node carries both titles and its provenance.
    for node in nodes.values() {
        assert!(node["title_ja"].is_string(), "{node}");
        assert!(
            node["source"].as_str().unwrap().starts_with("seed slide"),
            "{node}"
        );
    }
}

#[test]
fn table_output_aligns_japanese_titles() {
    let output = regtrace()
        .args(["list", "--kind", "field", "--lang", "ja"])
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("体内埋め込み型材料"), "{text}");
    // The title column starts at the same display column on every row.
    let starts: Vec<usize> = text
        .lines()
        .filter(|l| l.starts_with("field-"))
        .map(|l| {
            let cut = l.find("active").unwrap() + "active".len();
            unicode_width(&l[..cut]) + l[cut..].len() - l[cut..].trim_start().len()
        })
        .collect();
    assert_eq!(starts.len(), 8);
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{text}");
    assert!(text.ends_with("8 nodes\n"));
}

fn unicode_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

#[test]
fn stats_counts_kinds_and_relations() {
    let stats = json(&["stats", "--format", "json"]);
    assert_eq!(stats["kinds"]["guideline"]["total"], 30);
    assert_eq!(stats["kinds"]["guideline"]["by_status"]["published"], 16);
    assert_eq!(stats["relations"]["governed_by"], 18);
    let total: u64 = stats["kinds"]
        .as_object()
        .unwrap()
        .values()
        .map(|k| k["total"].as_u64().unwrap())
        .sum();
    assert_eq!(stats["nodes"].as_u64().unwrap(), total);
}

#[test]
fn csv_output_is_parseable_with_japanese() {
    let output = regtrace()
        .args(["list", "--kind", "regulation", "--format", "csv"])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(&output.stdout[..]);
    assert_eq!(
        reader.headers().unwrap(),
        vec!["id", "kind", "status", "title", "title_ja"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][4], "薬事法改正（平成25年11月20日成立）");
}
