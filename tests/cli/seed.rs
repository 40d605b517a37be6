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
    assert_eq!(
        shown["node"]["title_ja"], "薬事法改正（平成２５年１１月２０日成立）",
        "the deck's digits"
    );
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

    // Exactly the guidelines that were published (and still current) by the revision, and the
    // one the deck chose looking ahead to it (slide 9: 薬事法改正を見据えて).
    let document = json(&["export"]);
    let mut expected: Vec<String> = by_id(&document)
        .into_values()
        .filter(|n| n["kind"] == "guideline" && n["status"] == "published")
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(expected.len(), 16);
    expected.push("gl-medical-software".into());
    expected.sort();
    let mut governed: Vec<String> = governed.into_iter().map(str::to_owned).collect();
    governed.sort();
    assert_eq!(governed, expected);
    let software = shown["incoming"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "gl-medical-software")
        .unwrap();
    assert!(
        software["source"].as_str().unwrap().contains("見据えて"),
        "{software}"
    );

    // The four published guidelines the deck does not name: said with the impact, and audited.
    let impact = json(&[
        "impact",
        "jp-pal-revision-2013",
        "--kind",
        "guideline",
        "--format",
        "json",
    ]);
    assert_eq!(impact["total"], 17);
    let gap = impact["known_gaps"][0]["gap"].as_str().unwrap();
    assert_eq!(impact["known_gaps"][0]["node"], "jp-pal-revision-2013");
    assert!(
        gap.contains("21 published") && gap.contains("4 are not named"),
        "{gap}"
    );
    let table = crate::stdout(&["impact", "jp-pal-revision-2013", "--kind", "guideline"]);
    assert!(
        table.contains("17 impacted: 17 guideline\nknown gap (jp-pal-revision-2013):"),
        "{table}"
    );
    let audit = json(&["audit", "--rule", "known-gaps", "--format", "json"]);
    assert_eq!(
        audit["findings"][0]["nodes"][0], "jp-pal-revision-2013",
        "{audit}"
    );
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
        let source = node["source"].as_str().unwrap();
        assert!(
            source.starts_with("seed slide") || source.starts_with("seed title page"),
            "{node}"
        );
    }
}

/// The deck's text (tests/fixtures/seed/deck.txt, see its NOTICE) with every space and line
/// break removed: the text extraction breaks the deck's lines where its boxes wrap.
fn deck() -> String {
    let text = std::fs::read_to_string(crate::fixture("seed/deck.txt")).unwrap();
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Issue 22: a Japanese title is the deck's own words, character for character (full- and
/// half-width, ASCII or Japanese parentheses), unless the node says it is constructed; so are
/// its other names.
#[test]
fn every_japanese_title_not_marked_constructed_is_the_decks() {
    let deck = deck();
    let document = json(&["export"]);
    let mut checked = 0;
    let mut constructed = 0;
    for node in by_id(&document).values() {
        let attributes = &node["attributes"];
        if attributes["title_ja_source"]
            .as_str()
            .is_some_and(|s| s.starts_with("constructed"))
        {
            constructed += 1;
            continue;
        }
        let mut names = vec![node["title_ja"].as_str().unwrap().to_owned()];
        if let Some(aliases) = attributes["aliases_ja"].as_str() {
            names.extend(aliases.split("; ").map(str::to_owned));
        }
        for name in names {
            let bare: String = name.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                deck.contains(&bare),
                "{}: {name:?} is not in the deck",
                node["id"]
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} titles checked");
    // The working groups, the standards projects, the devices, the evaluation-index series.
    assert_eq!(constructed, 8 + 1 + 6 + 2 + 1);
    // The deck's exact characters, where a digest had normalised them.
    let nodes = by_id(&document);
    for (id, title) in [
        ("gl-custom-knee", "高生体適合性(カスタムメイド)人工膝関節"),
        ("gl-cell-sheet", "再生医療(細胞シート）"),
        (
            "gl-additive-implants",
            "積層製法インプラント（３Ｄプリンタで作成するインプラント）",
        ),
        (
            "tm-three-point-bending",
            "３点曲げ試験において・・・という条件で折れないこと",
        ),
    ] {
        assert_eq!(nodes[id]["title_ja"], title, "{id}");
    }
    // Search finds a guideline by any of the deck's names for it.
    for name in [
        "積層造形（３Ｄプリンタ）インプラント",
        "積層製法（３Ｄプリンタ）インプラント",
    ] {
        let found = json(&["search", name, "--format", "json"]);
        assert_eq!(found["nodes"][0]["id"], "gl-additive-implants", "{name}");
    }
}

/// Slide numbers are the deck's printed page numbers (its PDF pages minus one): the law
/// revision is on slide 21, METI is named on slides 8 and 9.
#[test]
fn sources_cite_the_printed_slide_numbers() {
    let document = json(&["export"]);
    let text = document.to_string();
    assert!(
        !text.contains("slide 22") && !text.contains(", 22"),
        "no slide 22: the deck's last printed page is 21"
    );
    let nodes = by_id(&document);
    assert_eq!(nodes["jp-pal-revision-2013"]["source"], "seed slide 21");
    assert_eq!(nodes["meti"]["source"], "seed slides 8, 9");
    assert_eq!(nodes["mhlw-evaluation-indices"]["source"], "seed slides 9, 17");
    assert!(
        nodes["meti-guideline-programme"]["source"]
            .as_str()
            .unwrap()
            .starts_with("seed title page; slides 5")
    );
    // Facts inferred, not stated, say so and why.
    for id in [
        "gl-surgical-robot",
        "gl-biocompatible-hip",
        "gl-cell-sheet",
        "device-artificial-heart-18-cases",
    ] {
        assert_eq!(nodes[id]["attributes"]["confidence"], "inferred", "{id}");
        assert!(nodes[id]["attributes"]["confidence_reason"].is_string(), "{id}");
    }
    let audit = json(&["audit", "--rule", "inferred", "--format", "json"]);
    assert_eq!(audit["findings"].as_array().unwrap().len(), 3 + 2 + 8, "{audit}");
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
            let cut = l.find("有効").unwrap() + "有効".len();
            unicode_width(&l[..cut]) + l[cut..].len() - l[cut..].trim_start().len()
        })
        .collect();
    assert_eq!(starts.len(), 8);
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{text}");
    assert!(text.ends_with("8 件\n"), "{text}");
}

fn unicode_width(s: &str) -> usize {
    s.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

#[test]
fn stats_counts_kinds_and_relations() {
    let stats = json(&["stats", "--format", "json"]);
    assert_eq!(stats["kinds"]["guideline"]["total"], 30);
    assert_eq!(stats["kinds"]["guideline"]["by_status"]["published"], 16);
    assert_eq!(stats["relations"]["governed_by"], 19);
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
    assert_eq!(&rows[1][4], "薬事法改正（平成２５年１１月２０日成立）");
}
